//! Tests of baseline parsing, writing, matching and updating.

use super::*;
use proptest::prelude::*;

/// A baseline in exactly the layout detect-secrets 1.5.0 writes (trimmed
/// settings), with an audited entry and unknown keys.
const DS_BASELINE: &str = r#"{
  "version": "1.5.0",
  "plugins_used": [
    {
      "name": "AWSKeyDetector"
    },
    {
      "name": "Base64HighEntropyString",
      "limit": 4.5
    }
  ],
  "filters_used": [
    {
      "path": "detect_secrets.filters.allowlist.is_line_allowlisted"
    },
    {
      "path": "detect_secrets.filters.regex.should_exclude_file",
      "pattern": [
        "^vendor/"
      ]
    }
  ],
  "results": {
    "a.py": [
      {
        "type": "AWS Access Key",
        "filename": "a.py",
        "hashed_secret": "25910f981e85ca04baf359199dd0bd4a3ae738b6",
        "is_verified": false,
        "line_number": 1,
        "is_secret": false
      },
      {
        "type": "GitHub Token",
        "filename": "a.py",
        "hashed_secret": "1111111111111111111111111111111111111111",
        "is_verified": false,
        "line_number": 7,
        "custom_note": "kept"
      }
    ]
  },
  "generated_at": "2026-11-23T14:54:13Z",
  "x_team": {
    "owner": "sec"
  }
}
"#;

#[test]
fn detect_secrets_layout_round_trips_byte_for_byte() {
    let b = Baseline::parse(DS_BASELINE).unwrap();
    assert_eq!(b.to_json_string(), DS_BASELINE);
    assert_eq!(b.version(), "1.5.0");
    assert_eq!(b.generated_at(), Some("2026-11-23T14:54:13Z"));
    assert_eq!(b.len(), 2);
    assert_eq!(
        b.plugin_names().unwrap(),
        vec!["AWSKeyDetector", "Base64HighEntropyString"]
    );
    assert_eq!(b.exclude_patterns().files, vec!["^vendor/"]);
    let e = b.entries_for("a.py").next().unwrap();
    assert_eq!(e.is_secret, Some(false));
}

#[test]
fn new_baseline_has_detect_secrets_defaults_and_order() {
    let b = Baseline::new();
    let s = b.to_json_string();
    assert!(s.starts_with("{\n  \"version\": \"1.5.0\",\n  \"plugins_used\": [\n"));
    assert!(s.ends_with("\"\n}\n"));
    let order: Vec<usize> = [
        "\"version\"",
        "\"plugins_used\"",
        "\"filters_used\"",
        "\"results\"",
        "\"generated_at\"",
    ]
    .iter()
    .map(|k| s.find(k).unwrap())
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(s.contains("\"limit\": 3.0"));
    assert_eq!(b.plugin_names().unwrap().len(), 27);
    assert_eq!(Baseline::parse(&s).unwrap(), b);
}

#[test]
fn invalid_baselines_are_errors() {
    for bad in [
        "",
        "[]",
        "{\"version\": \"1.5.0\"}",
        "{\"results\": {}}",
        "{\"version\": \"1.5.0\", \"results\": []}",
        "{\"version\": \"1.5.0\", \"results\": {\"a\": [{\"type\": \"x\"}]}}",
        "{\"version\": \"1.5.0\", \"results\": {\"a\": [{\"type\": \"x\", \"hashed_secret\": \"y\", \"line_number\": \"3\"}]}}",
    ] {
        assert!(Baseline::parse(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn reads_0x_baselines() {
    let text = r#"{
  "exclude": {"files": "^tests/", "lines": null},
  "generated_at": "2020-01-01T00:00:00Z",
  "plugins_used": [{"name": "AWSKeyDetector"}],
  "results": {"a.py": [{"hashed_secret": "abc", "is_secret": false, "is_verified": false, "line_number": 3, "type": "AWS Access Key"}]},
  "version": "0.14.3"
}"#;
    let b = Baseline::parse(text).unwrap();
    assert_eq!(b.len(), 1);
    let e = b.entries_for("a.py").next().unwrap();
    assert_eq!(e.filename, "a.py");
    assert_eq!(e.line_number, Some(3));
    assert_eq!(b.exclude_patterns().files, vec!["^tests/"]);
    // Unknown keys survive a rewrite.
    let again = Baseline::parse(&b.to_json_string()).unwrap();
    assert_eq!(again, b);
    assert!(b.to_json_string().contains("\"exclude\""));
}

fn det(file: &str, ty: &str, hash: &str, raw: &str, line: u64, ds: bool) -> Detection {
    Detection {
        filename: file.into(),
        secret_type: ty.into(),
        detect_secrets_type: ds,
        hashed_secret: hash.into(),
        raw_hash: raw.into(),
        line_number: line,
        rule_id: "rule-id".into(),
        description: "desc".into(),
        redacted: "ab*****".into(),
    }
}

#[test]
fn matching_uses_file_hash_and_type() {
    let b = Baseline::parse(DS_BASELINE).unwrap();
    let aws = "25910f981e85ca04baf359199dd0bd4a3ae738b6";
    // Same file, hash, type: known (line number and is_secret ignored).
    assert!(b.contains(&det("a.py", "AWS Access Key", aws, "r", 99, true)));
    // Another file: new.
    assert!(!b.contains(&det("b.py", "AWS Access Key", aws, "r", 1, true)));
    // Same quirky hash but another type: new.
    let gh = "1111111111111111111111111111111111111111";
    assert!(!b.contains(&det("a.py", "Slack Token", gh, "r", 7, true)));
    assert!(b.contains(&det("a.py", "GitHub Token", gh, "r", 7, true)));
    // The raw secret's hash matches whatever the entry's type.
    assert!(b.contains(&det("a.py", "other-rule", "zz", aws, 1, false)));
}

#[test]
fn insert_routes_by_type_and_is_idempotent() {
    let mut b = Baseline::new();
    let d1 = det("z.txt", "GitHub Token", "h1", "r1", 3, true);
    let d2 = det("a.txt", "sg-rule", "h2", "h2", 1, false);
    assert!(b.insert(&d1));
    assert!(!b.insert(&d1));
    assert!(b.insert(&d2));
    let s = b.to_json_string();
    let r = s.find("\"results\"").unwrap();
    let g = s.find("\"keepmum_results\"").unwrap();
    let gen = s.find("\"generated_at\"").unwrap();
    assert!(r < g && g < gen, "{s}");
    assert_eq!(Baseline::parse(&s).unwrap(), b);
}

#[test]
fn moved_secret_does_not_churn_unless_asked() {
    let mut b = Baseline::parse(DS_BASELINE).unwrap();
    let aws = "25910f981e85ca04baf359199dd0bd4a3ae738b6";
    let gh = "1111111111111111111111111111111111111111";
    let found = vec![
        det("a.py", "AWS Access Key", aws, "r", 40, true),
        det("a.py", "GitHub Token", gh, "r", 41, true),
    ];
    let scanned = vec!["a.py".to_string()];
    let none = |_: &str| -> Option<Vec<u8>> { None };
    let s = b.update(&scanned, &found, UpdateOptions::default(), &none);
    assert!(!s.changed());
    assert_eq!(b.to_json_string(), DS_BASELINE);
    let opts = UpdateOptions {
        line_numbers: true,
        ..UpdateOptions::default()
    };
    let s = b.update(&scanned, &found, opts, &none);
    assert_eq!(s.moved, 2);
    assert_eq!(b.generated_at(), Some("2026-11-23T14:54:13Z"));
    assert!(b.to_json_string().contains("\"line_number\": 40"));
}

#[test]
fn update_drops_gone_secrets_and_keeps_labels() {
    let mut b = Baseline::parse(DS_BASELINE).unwrap();
    let aws = "25910f981e85ca04baf359199dd0bd4a3ae738b6";
    let found = vec![det("a.py", "AWS Access Key", aws, "r", 1, true)];
    let opts = UpdateOptions {
        add_new: true,
        drop_missing: true,
        line_numbers: false,
    };
    let content = |_: &str| -> Option<Vec<u8>> { Some(b"nothing here\n".to_vec()) };
    let s = b.update(&["a.py".to_string()], &found, opts, &content);
    assert_eq!(s.removed, 1);
    assert_eq!(b.len(), 1);
    let e = b.entries_for("a.py").next().unwrap();
    assert_eq!(e.is_secret, Some(false), "audit label kept");
    assert_ne!(b.generated_at(), Some("2026-11-23T14:54:13Z"));
    // Files not scanned are untouched.
    let mut b = Baseline::parse(DS_BASELINE).unwrap();
    let s = b.update(&["other".to_string()], &[], opts, &content);
    assert!(!s.changed());
}

#[test]
fn locate_finds_secrets_no_rule_reports() {
    let value = "s3cr3t-V4lue-x9";
    let e = Entry::new("Secret Keyword", "a", sha1_hex(value.as_bytes()), Some(1));
    let text = format!("a = 1\npassword = \"{value}\"\n");
    assert_eq!(locate(&e, text.as_bytes()), Some(2));
    assert_eq!(locate(&e, b"password = other\n"), None);
    let e = Entry::new(
        "Private Key",
        "k",
        sha1_hex(b"BEGIN RSA PRIVATE KEY"),
        Some(1),
    );
    assert_eq!(
        locate(&e, b"x\n-----BEGIN RSA PRIVATE KEY-----\nabc\n"),
        Some(2)
    );
    let e = Entry::new("GitHub Token", "k", sha1_hex(b"ghp"), Some(1));
    let tok = format!("t: ghp_{}", "a".repeat(36));
    assert_eq!(locate(&e, tok.as_bytes()), Some(1));
}

#[test]
fn utc_formatting() {
    assert_eq!(crate::time::utc_rfc3339(0), "1970-01-01T00:00:00Z");
    assert_eq!(
        crate::time::utc_rfc3339(1_795_445_653),
        "2026-11-23T14:54:13Z"
    );
    assert_eq!(
        crate::time::utc_rfc3339(951_782_400),
        "2000-02-29T00:00:00Z"
    );
}

#[test]
fn normalizes_filenames() {
    assert_eq!(normalize_filename(Path::new("./a/b.py")), "a/b.py");
    assert_eq!(normalize_filename(Path::new("a\\b.py")), "a/b.py");
}

/// (file, type, hash, line, is_secret, is_verified).
type Row = (String, String, String, Option<u64>, Option<bool>, bool);

fn arb_entry() -> impl Strategy<Value = Row> {
    (
        prop::sample::select(vec!["a.py", "b/c.txt", "z", "dir/é.md"]),
        prop::sample::select(vec![
            "GitHub Token",
            "AWS Access Key",
            "Secret Keyword",
            "sg-rule",
            "other-rule",
        ]),
        "[0-9a-f]{40}",
        prop::option::of(1u64..500),
        prop::option::of(any::<bool>()),
        any::<bool>(),
    )
        .prop_map(|(f, t, h, l, s, v)| (f.to_string(), t.to_string(), h, l, s, v))
}

fn build(entries: &[Row]) -> Baseline {
    let mut b = Baseline::new();
    for (f, t, h, l, s, v) in entries {
        let d = Detection {
            filename: f.clone(),
            secret_type: t.clone(),
            detect_secrets_type: is_detect_secrets_type(t),
            hashed_secret: h.clone(),
            raw_hash: h.clone(),
            line_number: l.unwrap_or(1),
            rule_id: t.clone(),
            description: String::new(),
            redacted: String::new(),
        };
        b.insert(&d);
        for e in b.entries_mut() {
            if e.filename == *f && e.hashed_secret == *h {
                e.is_secret = *s;
                e.is_verified = *v;
            }
        }
    }
    b
}

proptest! {
    #[test]
    fn write_then_read_is_identity(entries in prop::collection::vec(arb_entry(), 0..30)) {
        let b = build(&entries);
        let text = b.to_json_string();
        let back = Baseline::parse(&text).unwrap();
        prop_assert_eq!(&back, &b);
        prop_assert_eq!(back.to_json_string(), text);
    }

    #[test]
    fn output_does_not_depend_on_input_order(
        entries in prop::collection::vec(arb_entry(), 0..30),
        seed in any::<u64>(),
    ) {
        // Distinct (file, hash) pairs, so order cannot pick a different winner.
        let mut seen = HashSet::new();
        let entries: Vec<_> = entries.into_iter().filter(|e| seen.insert((e.0.clone(), e.2.clone()))).collect();
        let mut shuffled = entries.clone();
        // Deterministic Fisher-Yates from the seed.
        let mut x = seed | 1;
        for i in (1..shuffled.len()).rev() {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            shuffled.swap(i, (x % (i as u64 + 1)) as usize);
        }
        let mut a = build(&entries);
        let mut b = build(&shuffled);
        a.touch();
        b.touch();
        let (sa, sb) = (a.to_json_string(), b.to_json_string());
        // generated_at may differ by a second at most; compare the rest.
        let strip = |s: &str| s.lines().filter(|l| !l.contains("generated_at")).collect::<Vec<_>>().join("\n");
        prop_assert_eq!(strip(&sa), strip(&sb));
    }

    #[test]
    fn parse_never_panics(text in ".{0,200}") {
        let _ = Baseline::parse(&text);
    }

    #[test]
    fn entries_are_sorted(entries in prop::collection::vec(arb_entry(), 0..30)) {
        let b = build(&entries);
        for list in b.results.values().chain(b.sg_results.values()) {
            prop_assert!(list.windows(2).all(|w| w[0].sort_key() <= w[1].sort_key()));
        }
    }
}

#[test]
fn update_keeps_entries_no_rule_reports_while_their_value_is_present() {
    let value = "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA";
    let mut b = Baseline::new();
    b.insert(&det(
        "c.py",
        "Base64 High Entropy String",
        &sha1_hex(value.as_bytes()),
        &sha1_hex(value.as_bytes()),
        1,
        true,
    ));
    let opts = UpdateOptions {
        add_new: true,
        drop_missing: true,
        line_numbers: true,
    };
    let moved = format!("# header\nx = '{value}'\n");
    let content = |_: &str| -> Option<Vec<u8>> { Some(moved.as_bytes().to_vec()) };
    let s = b.update(&["c.py".to_string()], &[], opts, &content);
    assert_eq!((s.removed, s.moved), (0, 1), "{s:?}");
    assert_eq!(b.entries_for("c.py").next().unwrap().line_number, Some(2));
    let gone = |_: &str| -> Option<Vec<u8>> { Some(b"x = 1\n".to_vec()) };
    let s = b.update(&["c.py".to_string()], &[], opts, &gone);
    assert_eq!(s.removed, 1);
    assert!(b.is_empty());
}
