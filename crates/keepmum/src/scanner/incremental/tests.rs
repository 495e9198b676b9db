//! A derived scan must equal a full scan of the new content, wherever the
//! copied runs and inserted bytes fall.

use super::*;
use proptest::prelude::*;

/// Synthetic secrets of several shapes (built at run time so the source
/// itself holds none).
fn secret_lines() -> Vec<String> {
    let gh = format!("ghp_{}", "A1b2C3d4E5f6".repeat(3));
    let slack = format!(
        "xoxb-{}-{}-{}",
        "1234567890", "2345678901", "Ab3dE6gH9jK2mN5pQ8sT1vW4"
    );
    let encoded = base64(format!("token: {gh}\n").as_bytes());
    let key_body: String = (0..6)
        .map(|i| {
            format!(
                "{}\n",
                &"FAKEKEYDATA0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP".repeat(2)
                    [i..i + 64]
            )
        })
        .collect();
    vec![
        format!("GITHUB_TOKEN={gh}\n"),
        format!("    let t = \"{slack}\"; // slack\n"),
        format!("auth_blob: {encoded}\n"),
        format!("db_password = \"{}\"\n", "Zx9kLm2Pq7vRt4Wb"),
        "owner = ops.lead@kestrelworks.net\n".to_string(),
        format!("-----BEGIN RSA PRIVATE KEY-----\n{key_body}-----END RSA PRIVATE KEY-----\n"),
    ]
}

const PLAIN: &[&str] = &[
    "fn main() {\n",
    "    println!(\"hello\");\n",
    "}\n",
    "// a comment about nothing in particular\n",
    "let x = vec![1, 2, 3];\n",
    "\n",
    "    if a == b { return; }\n",
    "key = value\n",
    // Keywords of multi-line rules with nothing after them: dead zones.
    "nomad_region = \"global\"\n",
    "  users:\n",
    "  role_arn = aws-role-name\n",
    "machine learning is fun\n",
];

/// A multi-line context secret (a Nomad ACL token on the line after its
/// key), built at run time: a live zone that is not a private key.
fn nomad_token_lines() -> String {
    let uuid = ["7f3c9a21", "4be8", "4d6f", "a1c5", "93e0b7d2f846"].join("-");
    format!("nomad_acl_token:\n    \"{uuid}\"\n")
}

fn base64(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Content made of lines picked by `picks` (secrets where the pick says so).
fn content(picks: &[(bool, usize)], secrets: &[String]) -> Vec<u8> {
    let mut out = Vec::new();
    for &(secret, i) in picks {
        let line = if secret {
            secrets[i % secrets.len()].as_str()
        } else {
            PLAIN[i % PLAIN.len()]
        };
        out.extend_from_slice(line.as_bytes());
    }
    out
}

/// One piece of new content: a copy of old bytes, or inserted lines.
#[derive(Clone, Debug)]
enum Piece {
    Copy { from: usize, len: usize },
    Insert(Vec<(bool, usize)>),
}

fn build(old: &[u8], pieces: &[Piece], secrets: &[String]) -> (Vec<u8>, Vec<CopiedRun>) {
    let mut new = Vec::new();
    let mut runs = Vec::new();
    for p in pieces {
        match p {
            Piece::Copy { from, len } if !old.is_empty() => {
                let from = from % old.len();
                let len = (*len).min(old.len() - from);
                runs.push(CopiedRun {
                    target: new.len(),
                    source: from,
                    len,
                });
                new.extend_from_slice(&old[from..from + len]);
            }
            Piece::Insert(picks) => new.extend(content(picks, secrets)),
            Piece::Copy { .. } => {}
        }
    }
    (new, runs)
}

type Key = (String, (usize, usize), usize, usize, usize, usize, Vec<u8>);

fn keys(findings: &[Finding]) -> Vec<Key> {
    let mut k: Vec<Key> = findings
        .iter()
        .map(|f| {
            (
                f.rule_id().to_string(),
                (f.span.start, f.span.end),
                f.line,
                f.column,
                f.end_line,
                f.end_column,
                f.secret().expose().to_vec(),
            )
        })
        .collect();
    k.sort();
    k
}

fn full(d: &DeltaScanner, bytes: &[u8], path: &Path) -> Vec<Finding> {
    match d.scan_full(bytes, path, false).0 {
        FileScan::Scanned { findings, .. } => findings,
        FileScan::Skipped(_) => Vec::new(),
    }
}

fn pick() -> impl Strategy<Value = (bool, usize)> {
    (prop::bool::weighted(0.2), 0usize..64)
}

fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        3 => (0usize..4000, 0usize..1500).prop_map(|(from, len)| Piece::Copy { from, len }),
        1 => prop::collection::vec(pick(), 0..4).prop_map(Piece::Insert),
        // A few raw bytes: inserts that split lines and tokens.
        1 => prop::collection::vec(pick(), 1..2).prop_map(Piece::Insert),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Findings of a derived scan equal a full scan's: same rules, spans,
    /// lines, columns and secrets, wherever runs, seams and inserts fall.
    #[test]
    fn derived_scan_equals_full_scan(
        old_picks in prop::collection::vec(pick(), 1..80),
        pieces in prop::collection::vec(piece(), 1..12),
        ml_free in any::<bool>(),
        context in any::<bool>(),
    ) {
        let scanner = Scanner::new();
        let d = DeltaScanner::new(&scanner).expect("built-in rules are delta-safe");
        let mut secrets = secret_lines();
        if ml_free {
            secrets.pop(); // no private key: derived scans really happen
        }
        if context {
            secrets.push(nomad_token_lines());
        }
        let path = Path::new("src/config.rs");
        let old = content(&old_picks, &secrets);
        let (_, _, memo) = d.scan_full(&old, path, true);
        let memo = memo.expect("plain text leaves a memo");
        let (new, runs) = build(&old, &pieces, &secrets);
        let want = full(&d, &new, path);
        let derived = d.scan_derived(&old, &memo, &new, &runs, path);
        if std::env::var_os("KEEPMUM_DERIVED_STATS").is_some() {
            eprintln!("derived={} findings={}", derived.is_some(), want.len());
        }
        if let Some((scan, next)) = derived {
            let got = match scan {
                FileScan::Scanned { findings, .. } => findings,
                FileScan::Skipped(_) => Vec::new(),
            };
            prop_assert_eq!(keys(&got), keys(&want));
            // The memo it leaves is as good as a full scan's.
            let next = next.expect("a derived scan leaves a memo");
            prop_assert_eq!(keys(&next.findings), keys(&want));
        }
    }
}

#[test]
fn the_secret_shapes_are_found_and_derived_scans_run() {
    let scanner = Scanner::new();
    let d = DeltaScanner::new(&scanner).expect("built-in rules are delta-safe");
    let path = Path::new("src/config.rs");
    let secrets = secret_lines();
    let picks: Vec<(bool, usize)> = (0..secrets.len()).map(|i| (true, i)).collect();
    let old = content(&picks, &secrets);
    let (_, _, memo) = d.scan_full(&old, path, true);
    let memo = memo.expect("memo");
    let rules: std::collections::HashSet<&str> =
        memo.findings.iter().map(Finding::rule_id).collect();
    assert!(
        rules.len() >= 5,
        "too few shapes found: {:?}",
        memo.findings
    );
    assert!(
        memo.findings.iter().any(|f| f.origin.is_some()),
        "the encoded token is found"
    );
    assert!(!memo.anchors.is_empty(), "the private key is an anchor");

    // Without the key block: a one-line edit is scanned incrementally, and
    // the untouched findings are carried over with new line numbers.
    let no_key: Vec<(bool, usize)> = picks[..picks.len() - 1].to_vec();
    let old = content(&no_key, &secrets);
    let (_, _, memo) = d.scan_full(&old, path, true);
    let memo = memo.expect("memo");
    assert!(memo.anchors.is_empty());
    let mut new = b"// new first line\n".to_vec();
    new.extend_from_slice(&old);
    let runs = [CopiedRun {
        target: 18,
        source: 0,
        len: old.len(),
    }];
    let (scan, _) = d
        .scan_derived(&old, &memo, &new, &runs, path)
        .expect("derived");
    let FileScan::Scanned { findings, .. } = scan else {
        panic!("not scanned")
    };
    assert_eq!(keys(&findings), keys(&full(&d, &new, path)));
    assert_eq!(findings.len(), memo.findings.len());
    assert_eq!(findings[0].line, memo.findings[0].line + 1);

    // Content holding a multi-line rule's keyword is left to a full scan.
    let mut with_key = new.clone();
    with_key.extend_from_slice(secrets[5].as_bytes());
    let runs = [CopiedRun {
        target: 18,
        source: 0,
        len: old.len(),
    }];
    assert!(d
        .scan_derived(&old, &memo, &with_key, &runs, path)
        .is_none());
}

#[test]
fn rules_that_read_whole_files_disable_derived_scans() {
    let mut rules = crate::RuleSet::builtin();
    let rule = crate::Rule::builder("whole-file", "(?i)secret=[a-z]{8}")
        .keywords(["zz"])
        .prefilter(Prefilter::FileKeywords)
        .build()
        .expect("rule");
    rules.push(rule).expect("push");
    let scanner = Scanner::builder().rules(rules).build().expect("scanner");
    assert!(DeltaScanner::new(&scanner).is_none());
    assert!(DeltaScanner::new(&Scanner::new()).is_some());
}

#[test]
fn a_derived_scan_at_another_path_reports_that_path_or_falls_back() {
    let scanner = Scanner::new();
    let d = DeltaScanner::new(&scanner).expect("built-in rules are delta-safe");
    let secrets = secret_lines();
    let picks: Vec<(bool, usize)> = (0..secrets.len() - 1).map(|i| (true, i)).collect();
    let old = content(&picks, &secrets);
    let (_, _, memo) = d.scan_full(&old, Path::new("src/a.rs"), true);
    let memo = memo.expect("memo");
    let mut new = old.clone();
    new.extend_from_slice(b"// one more line\n");
    let runs = [CopiedRun {
        target: 0,
        source: 0,
        len: old.len(),
    }];
    // Another source file is treated the same: carried over, new path.
    let path = Path::new("src/b.rs");
    let (scan, _) = d
        .scan_derived(&old, &memo, &new, &runs, path)
        .expect("same treatment");
    let FileScan::Scanned { findings, .. } = scan else {
        panic!("not scanned")
    };
    assert!(!findings.is_empty());
    assert!(findings.iter().all(|f| f.path() == Some(path)));
    assert_eq!(keys(&findings), keys(&full(&d, &new, path)));
    // Documentation is not (PII there is dropped): a full scan decides.
    assert!(d
        .scan_derived(&old, &memo, &new, &runs, Path::new("docs/guide.md"))
        .is_none());
}

/// Content with a private key between long plain stretches: an edit far
/// from the key is scanned incrementally (the key's finding carried over),
/// one near it falls back to a full scan; either way the result equals a
/// full scan, wherever the edit falls.
#[test]
fn edits_far_from_a_multi_line_secret_are_derived_and_exact() {
    let scanner = Scanner::new();
    let d = DeltaScanner::new(&scanner).expect("built-in rules are delta-safe");
    let path = Path::new("deploy/keys.txt");
    let secrets = secret_lines();
    let plain = |n: usize| -> Vec<u8> {
        PLAIN
            .iter()
            .cycle()
            .take(n)
            .flat_map(|l| l.bytes())
            .collect()
    };
    let mut old = plain(1500);
    old.extend_from_slice(secrets[0].as_bytes());
    // A long private key (about 2.6 KiB).
    let body = "FAKEKEYDATA0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP\n".repeat(40);
    let key = format!("-----BEGIN RSA PRIVATE KEY-----\n{body}-----END RSA PRIVATE KEY-----\n");
    old.extend_from_slice(key.as_bytes());
    old.extend(plain(1500));
    old.extend_from_slice(secrets[1].as_bytes());
    old.extend(plain(300));
    let (_, _, memo) = d.scan_full(&old, path, true);
    let memo = memo.expect("memo");
    assert!(!memo.anchors.is_empty());
    let (mut derived, mut full_scans) = (0, 0);
    let key_at = memchr::memmem::find(&old, b"-----BEGIN").expect("key");
    // Everywhere, and inside the key block and just around it.
    let places = (0..old.len())
        .step_by(1999)
        .chain((0..3000).step_by(97).map(|i| key_at - 100 + i));
    for at in places {
        let insert = secret_lines()[at % 5].clone();
        let mut new = old[..at].to_vec();
        new.extend_from_slice(insert.as_bytes());
        new.extend_from_slice(&old[at..]);
        let runs = [
            CopiedRun {
                target: 0,
                source: 0,
                len: at,
            },
            CopiedRun {
                target: at + insert.len(),
                source: at,
                len: old.len() - at,
            },
        ];
        match d.scan_derived(&old, &memo, &new, &runs, path) {
            Some((FileScan::Scanned { findings, .. }, next)) => {
                derived += 1;
                assert_eq!(
                    keys(&findings),
                    keys(&full(&d, &new, path)),
                    "insert at {at}"
                );
                assert_eq!(next.expect("memo").anchors, d.find_anchors(&new));
            }
            Some(_) => panic!("skipped"),
            None => full_scans += 1,
        }
    }
    assert!(
        derived > 5 && full_scans > 5,
        "derived {derived}, full {full_scans}"
    );
    // The key deleted: the old key's zone is not copied whole.
    let start = memchr::memmem::find(&old, b"-----BEGIN").expect("key");
    let runs = [
        CopiedRun {
            target: 0,
            source: 0,
            len: start,
        },
        CopiedRun {
            target: start,
            source: start + key.len(),
            len: old.len() - start - key.len(),
        },
    ];
    let mut new = old[..start].to_vec();
    new.extend_from_slice(&old[start + key.len()..]);
    assert!(d.scan_derived(&old, &memo, &new, &runs, path).is_none());
}

/// An edit inside a zone of multi-line keywords with no secret after them
/// (a dead zone) is scanned incrementally and exactly; the same edit next
/// to a multi-line context secret (a live zone) falls back to a full scan.
#[test]
fn an_edit_in_a_dead_zone_is_derived_and_one_in_a_live_zone_is_not() {
    let scanner = Scanner::new();
    let d = DeltaScanner::new(&scanner).expect("built-in rules are delta-safe");
    let path = Path::new("main.tf");
    let secrets = secret_lines();
    let plain: Vec<u8> = PLAIN
        .iter()
        .cycle()
        .take(300)
        .flat_map(|l| l.bytes())
        .collect();
    let mut old = plain.clone();
    old.extend_from_slice(secrets[0].as_bytes());
    old.extend_from_slice(&plain);
    let (_, _, memo) = d.scan_full(&old, path, true);
    let memo = memo.expect("memo");
    assert!(memo.anchors.len() > 100, "the plain lines hold anchors");
    let insert_at = |old: &[u8], at: usize, text: &[u8]| {
        let mut new = old[..at].to_vec();
        new.extend_from_slice(text);
        new.extend_from_slice(&old[at..]);
        let runs = [
            CopiedRun {
                target: 0,
                source: 0,
                len: at,
            },
            CopiedRun {
                target: at + text.len(),
                source: at,
                len: old.len() - at,
            },
        ];
        (new, runs)
    };
    let at = memchr::memmem::find(&old, b"GITHUB").expect("secret") + 3;
    for text in [&b"x"[..], secrets[1].as_bytes(), b"nomad = 1\n"] {
        let (new, runs) = insert_at(&old, at, text);
        let (scan, _) = d
            .scan_derived(&old, &memo, &new, &runs, path)
            .expect("a dead zone does not stop a derived scan");
        let FileScan::Scanned { findings, .. } = scan else {
            panic!("not scanned")
        };
        assert_eq!(keys(&findings), keys(&full(&d, &new, path)));
    }
    // A live context secret inside the zone: its rule matches there.
    let token = nomad_token_lines();
    let (new, runs) = insert_at(&old, at, token.as_bytes());
    let want = full(&d, &new, path);
    assert!(
        want.iter().any(|f| f.rule_id() == "nomad-acl-token"),
        "the context secret is found: {want:?}"
    );
    assert!(d.scan_derived(&old, &memo, &new, &runs, path).is_none());
    // Its old content with an edit elsewhere in the same zone.
    let (with_token, _) = insert_at(&old, at, token.as_bytes());
    let (_, _, memo) = d.scan_full(&with_token, path, true);
    let memo = memo.expect("memo");
    let (new, runs) = insert_at(&with_token, at + token.len() + 40, b"// edit\n");
    assert!(d
        .scan_derived(&with_token, &memo, &new, &runs, path)
        .is_none());
}

/// Every built-in multi-line rule's liveness regex matches wherever the
/// rule's own regex does: on its examples (positive and negative) and on
/// random windows of them embedded in other text, so a zone it calls dead
/// has no match of the rule. The rules that start with a one-byte boundary
/// get a literal prefilter.
#[test]
fn liveness_regexes_match_wherever_their_rules_do() {
    let scanner = Scanner::new();
    let d = DeltaScanner::new(&scanner).expect("built-in rules are delta-safe");
    let engine = &scanner.inner.engine;
    let by_id: std::collections::HashMap<&str, &crate::rules::Rule> =
        scanner.rules().iter().map(|r| (r.id(), r)).collect();
    let mut checked = 0;
    for (index, rule) in engine.rules.iter().enumerate() {
        if !rule.spec.multiline {
            continue;
        }
        let (Some(exact), Some(live)) = (rule.regex(), d.live_regex(index as u32)) else {
            panic!("{}: no regex", rule.spec.id);
        };
        let source = by_id[&*rule.spec.id];
        let texts = source.examples().iter().chain(source.negative_examples());
        for text in texts {
            let hay = format!("x-{text}\n# filler line\n{text}");
            let hay = hay.as_bytes();
            for start in [0, 1, 2, 3, hay.len() / 3] {
                for end in [hay.len(), hay.len() - 1, hay.len() / 2] {
                    if start > end {
                        continue;
                    }
                    let input = regex_automata::Input::new(hay).range(start..end);
                    if exact.is_match(input.clone()) {
                        checked += 1;
                        assert!(
                            live.is_match(input),
                            "{}: liveness regex misses a match in {start}..{end} of {:?}",
                            rule.spec.id,
                            String::from_utf8_lossy(hay)
                        );
                    }
                }
            }
        }
    }
    assert!(checked > 1000, "only {checked} matches checked");
    // The boundary before the provider's name no longer hides its literals.
    let hir = |id: &str| {
        let rule = engine.rules.iter().find(|r| &*r.spec.id == id).expect(id);
        rule.hir().expect("parses").clone()
    };
    for id in [
        "datadog-access-token",
        "fastly-api-token",
        "datadog-api-key",
        "netrc-password",
    ] {
        assert!(liveness_hir(&hir(id)).1.is_some(), "{id}: no literals");
    }
}

#[test]
fn liveness_hir_drops_only_a_leading_boundary() {
    let parse = |p: &str| {
        regex_syntax::ParserBuilder::new()
            .unicode(false)
            .utf8(false)
            .build()
            .parse(p)
            .expect(p)
    };
    let live = |p: &str| {
        let (hir, lits) = liveness_hir(&parse(p));
        let re = Regex::builder()
            .configure(Regex::config().utf8_empty(false))
            .build_from_hir(&hir)
            .expect("builds");
        (re, lits)
    };
    let (re, lits) = live(r"(?:(?m:^)|[^A-Za-z])(?i:acme)[ =]+([0-9]{4})");
    assert!(lits.is_some());
    assert!(re.is_match("acme = 1234"));
    assert!(re.is_match("xACME 9999"));
    assert!(!re.is_match("acme = 12"));
    // A name in any case is kept whole, not dropped byte by byte.
    let (re, _) = live(r"\b(?i:acme)[0-9]{2}");
    assert!(!re.is_match("12"));
    assert!(re.is_match("zAcMe12"));
    // Inside a leading alternation too.
    let (re, lits) = live(r"(?:acme|(?:(?m:^)|[^a-z])ac[_-]key)=([0-9]{2})");
    assert!(lits.is_some());
    assert!(re.is_match("ac_key=12") && re.is_match("acme=12"));
    assert!(!re.is_match("ac_key=1"));
}
