//! The delta-aware history scan finds exactly what scanning every blob in
//! full finds, on repositories whose packs store most versions as deltas.

use super::{commit, git, repo, token};
use keepmum::Scanner;
use keepmum_git::{scan_history, HistoryOptions, HistoryReport, Progress, Selection};
use std::path::Path;

/// A small deterministic generator (no dependency needed for a test).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as usize
    }
    fn below(&mut self, n: usize) -> usize {
        self.next() % n.max(1)
    }
}

fn base64(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            out.push(if i <= c.len() {
                A[(n >> (18 - 6 * i) & 63) as usize] as char
            } else {
                '='
            });
        }
    }
    out
}

/// A line of source, with a synthetic secret of one of several shapes
/// when `secret` says so (a private key block only with `keys`).
fn line(rng: &mut Lcg, secret: bool, keys: bool) -> String {
    if !secret {
        let plain = [
            "func handler(w http.ResponseWriter, r *http.Request) {",
            "\tif err != nil { return err }",
            "\tlog.Printf(\"request %s\", r.URL.Path)",
            "}",
            "// Package config holds the service settings.",
            "\tvalues := []int{1, 2, 3, 4, 5, 6, 7, 8}",
            "",
            "\tclient := &http.Client{Timeout: 30 * time.Second}",
        ];
        return plain[rng.below(plain.len())].to_string();
    }
    let n = rng.below(10) as u8;
    // Private keys are rare: content holding one is scanned in full.
    let shape = rng.below(41);
    match if shape == 40 && keys { 5 } else { shape % 5 } {
        0 => format!("\tGithubToken = \"{}\"", token(n)),
        1 => format!(
            "\tslack := \"xoxb-{}-{}-Ab3dE6gH9jK2mN5pQ8sT1v{n}W\"",
            "1234567890", "2345678901"
        ),
        2 => format!("\tdb_password = \"Zx9kLm2Pq7vRt4W{n}\""),
        3 => format!("\t// owner: ops.lead{n}@kestrelworks.net"),
        4 => format!(
            "\tblob := \"{}\"",
            base64(format!("token: {}\n", token(n)).as_bytes())
        ),
        _ => {
            // A private key block: multi-line, so content holding it is
            // scanned in full.
            let body = "FAKEKEYDATA0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP";
            format!(
                "-----BEGIN RSA PRIVATE KEY-----\n{body}\n{body}\n{body}\n-----END RSA PRIVATE KEY-----"
            )
        }
    }
}

/// One random edit: insert, delete, change part of a line (splitting
/// secrets between copied and inserted bytes), or move a block.
fn edit(rng: &mut Lcg, lines: &mut Vec<String>, keys: bool) {
    let at = rng.below(lines.len() + 1);
    match rng.below(5) {
        0 | 1 => {
            let secret = rng.below(2) == 0;
            let l = line(rng, secret, keys);
            lines.insert(at.min(lines.len()), l);
        }
        2 if !lines.is_empty() => {
            lines.remove(at.min(lines.len() - 1));
        }
        3 if !lines.is_empty() => {
            let i = at.min(lines.len() - 1);
            let l = &mut lines[i];
            if !l.is_empty() {
                let cut = rng.below(l.len());
                let end = (cut + 1 + rng.below(6)).min(l.len());
                if l.is_char_boundary(cut) && l.is_char_boundary(end) {
                    let with = ["x", "Q9", "", "_v2", "0"][rng.below(5)];
                    l.replace_range(cut..end, with);
                }
            }
        }
        _ if lines.len() > 10 => {
            let from = rng.below(lines.len() - 5);
            let block: Vec<String> = lines.drain(from..from + 5).collect();
            let to = rng.below(lines.len());
            for (k, l) in block.into_iter().enumerate() {
                lines.insert(to + k, l);
            }
        }
        _ => {}
    }
}

type Row = (String, String, String, usize, usize, Vec<u8>);

fn rows(r: &HistoryReport) -> Vec<Row> {
    let mut rows: Vec<Row> = r
        .findings
        .iter()
        .map(|f| {
            (
                f.commit().map(|c| c.sha().to_string()).unwrap_or_default(),
                f.path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default(),
                f.rule_id().to_string(),
                f.line(),
                f.column(),
                f.secret().expose().to_vec(),
            )
        })
        .collect();
    rows.sort();
    rows
}

fn scan(dir: &Path, selection: Selection, delta: bool) -> HistoryReport {
    let mut opts = HistoryOptions::new(dir);
    opts.selection(selection).delta(delta);
    scan_history(&Scanner::new(), &opts, &Progress::default()).expect("scan")
}

/// Both ways, same findings; returns the delta-aware report.
fn same_both_ways(dir: &Path, selection: Selection) -> HistoryReport {
    let full = scan(dir, selection.clone(), false);
    let delta = scan(dir, selection, true);
    assert_eq!(delta.blobs, full.blobs);
    let (want, got) = (rows(&full), rows(&delta));
    let missing: Vec<&Row> = want.iter().filter(|r| !got.contains(r)).collect();
    let extra: Vec<&Row> = got.iter().filter(|r| !want.contains(r)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "delta scan differs from full scan: missing {missing:?}, extra {extra:?}"
    );
    delta
}

#[test]
fn delta_aware_history_scan_finds_exactly_what_full_scans_find() {
    let dir = repo();
    let d = dir.path();
    let mut rng = Lcg(0x5eed_1234);
    let mut main_go: Vec<String> = (0..160)
        .map(|i| line(&mut rng, i % 23 == 0, false))
        .collect();
    let mut other: Vec<String> = (0..80).map(|i| line(&mut rng, i % 17 == 0, true)).collect();
    let mut day = 0;
    let mut next_date = || {
        day += 1;
        format!("2024-01-{:02}T{:02}:00:00Z", 1 + day / 24, day % 24)
    };
    let mut mid = String::new();
    for i in 0..70 {
        for _ in 0..1 + rng.below(4) {
            edit(&mut rng, &mut main_go, false);
        }
        if i % 3 == 0 {
            edit(&mut rng, &mut other, true);
            std::fs::create_dir_all(d.join("pkg")).unwrap();
            std::fs::write(d.join("pkg/other.go"), other.join("\n") + "\n").unwrap();
        }
        if i == 30 {
            // The same content at a second path: its deltas cross paths.
            let copy = format!("// copied\n{}\n", main_go.join("\n"));
            std::fs::write(d.join("pkg/copy.go"), copy).unwrap();
        }
        if i == 45 {
            git(d, &["mv", "pkg/other.go", "pkg/renamed.go"]);
        }
        let file = if i >= 45 {
            "pkg/renamed.go"
        } else {
            "pkg/other.go"
        };
        if i >= 45 && i % 3 == 0 {
            std::fs::write(d.join(file), other.join("\n") + "\n").unwrap();
        }
        let sha = commit(
            d,
            "main.go",
            &(main_go.join("\n") + "\n"),
            "edit",
            &next_date(),
        );
        if i == 35 {
            mid = sha;
        }
    }
    // A version only on a branch that is then deleted: after the repack it
    // may serve as a delta base while no ref reaches it.
    git(d, &["checkout", "-q", "-b", "gone"]);
    let mut gone = main_go.clone();
    gone.insert(80, line(&mut rng, true, false));
    commit(
        d,
        "main.go",
        &(gone.join("\n") + "\n"),
        "gone",
        &next_date(),
    );
    git(d, &["checkout", "-q", "main"]);
    git(
        d,
        &[
            "repack",
            "-q",
            "-a",
            "-d",
            "-f",
            "--depth=50",
            "--window=50",
        ],
    );
    git(d, &["branch", "-q", "-D", "gone"]);
    // Later commits stay loose objects.
    for _ in 0..5 {
        edit(&mut rng, &mut main_go, false);
        main_go.insert(3, line(&mut rng, true, false));
        commit(
            d,
            "main.go",
            &(main_go.join("\n") + "\n"),
            "loose",
            &next_date(),
        );
    }

    let report = same_both_ways(d, Selection::All);
    eprintln!(
        "{} findings, {} of {} blobs derived",
        report.findings.len(),
        report.derived,
        report.blobs
    );
    assert!(
        report.findings.len() >= 20,
        "too few findings to compare: {}",
        report.findings.len()
    );
    assert!(
        report.derived >= 30,
        "few blobs took the delta path: {} of {}",
        report.derived,
        report.blobs
    );
    let rules: std::collections::HashSet<&str> =
        report.findings.iter().map(|f| f.rule_id()).collect();
    assert!(rules.len() >= 3, "few shapes: {rules:?}");
    assert!(
        report.findings.iter().any(|f| !f.decoders().is_empty()),
        "no finding in encoded text"
    );
    // History before `mid` is hidden: deltas over hidden versions.
    let since = same_both_ways(d, Selection::Since(mid.clone()));
    assert!(since.blobs < report.blobs);
    same_both_ways(
        d,
        Selection::Range {
            from: mid,
            to: "HEAD".into(),
        },
    );
}
