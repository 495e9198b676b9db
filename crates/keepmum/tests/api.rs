//! The embedding contract: what other tools may rely on.

use keepmum::{Category, Scanner};

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn scanner_is_send_sync_and_clone() {
    assert_send_sync::<Scanner>();
    let s = Scanner::new();
    let _t = s.clone();
}

#[test]
fn default_scanner_builds_and_finds_a_token() {
    let s = Scanner::new();
    let text = format!("x = 'ghp_{}'", "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8");
    let f = s.scan_bytes(text.as_bytes());
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].category(), Category::Secret);
    assert_eq!(&text.as_bytes()[f[0].span()], f[0].secret().expose());
}

#[test]
fn scan_bytes_and_scan_path_agree() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.txt");
    let text = format!(
        "line\nx = 'ghp_{}'\n",
        "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8"
    );
    std::fs::write(&p, &text).unwrap();
    let s = Scanner::new();
    let a = s.scan_bytes(text.as_bytes());
    let b = s.scan_path(&p).unwrap();
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.span(), y.span());
        assert_eq!(x.rule_id(), y.rule_id());
        assert_eq!(y.path(), Some(p.as_path()));
    }
}

#[test]
fn missing_file_is_an_error_not_empty_success() {
    let s = Scanner::new();
    assert!(s
        .scan_path(std::path::Path::new("/nonexistent/keepmum"))
        .is_err());
}

#[test]
fn content_scans_honour_the_path_allowlist() {
    let mut allow = keepmum::Allowlist::new();
    allow.add_path_regex(r"(^|/)fixtures/");
    let s = Scanner::builder()
        .allowlist(allow)
        .build()
        .expect("valid allowlist");
    let text = format!("x = 'ghp_{}'", "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8");
    let skipped = s.scan_content(text.as_bytes(), std::path::Path::new("a/fixtures/t.py"));
    assert!(
        matches!(
            skipped,
            keepmum::FileScan::Skipped(keepmum::Skip::Allowlisted)
        ),
        "{skipped:?}"
    );
    let scanned = s.scan_content(text.as_bytes(), std::path::Path::new("a/src/t.py"));
    assert!(
        matches!(&scanned, keepmum::FileScan::Scanned { findings, .. } if findings.len() == 1),
        "{scanned:?}"
    );
}

// ------------------------------------------------ embedding: custom rules

fn acme_key() -> String {
    format!("acme_{}", "0123456789abcdef".repeat(2))
}

#[test]
fn rule_builder_makes_a_working_rule() {
    let rule = keepmum::Rule::builder("acme-api-key", r"\b(acme_[a-z0-9]{32})\b")
        .description("ACME API key")
        .keywords(["acme_"])
        .confidence(keepmum::Confidence::High)
        .tags(["acme", "vendor"])
        .allow_stopword("deadbeef")
        .build()
        .expect("valid rule");
    assert_eq!(rule.id(), "acme-api-key");
    assert_eq!(rule.tags(), ["acme", "vendor"]);
    let mut rules = keepmum::RuleSet::new();
    rules.push(rule.clone()).unwrap();
    let dup = rules.push(rule).unwrap_err();
    assert_eq!(dup.rule_id(), Some("acme-api-key"));
    let s = Scanner::builder().rules(rules).build().unwrap();
    let found = s.scan_bytes(format!("key: {}\n", acme_key()).as_bytes());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].confidence(), keepmum::Confidence::High);
    assert_eq!(found[0].description(), "ACME API key");
    // The rule's allowlist applies; a line without the keyword is not searched.
    let fake = format!("acme_{}", "deadbeef".repeat(4));
    assert!(s.scan_bytes(format!("key: {fake}\n").as_bytes()).is_empty());
}

#[test]
fn rule_builder_reports_errors_with_the_rule_id() {
    let cases = [
        keepmum::Rule::builder("bad-regex", r"(acme_[a-z")
            .keywords(["acme_"])
            .build(),
        keepmum::Rule::builder("no-keyword", r"(acme_[a-z]+)").build(),
        keepmum::Rule::builder("short-keyword", r"(zz[a-z]+)")
            .keywords(["zz"])
            .build(),
        keepmum::Rule::builder("no-such-group", r"(acme_[a-z]+)")
            .keywords(["acme_"])
            .secret_group(2)
            .build(),
        keepmum::Rule::builder("bad-allow", r"(acme_[a-z]+)")
            .keywords(["acme_"])
            .allow_regex("[")
            .build(),
        keepmum::Rule::builder("bad id", r"(acme_[a-z]+)")
            .keywords(["acme_"])
            .build(),
    ];
    for (i, r) in cases.into_iter().enumerate() {
        let e = r.expect_err("must fail");
        assert!(e.rule_id().is_some(), "case {i}: {e}");
    }
}

// ------------------------------------------------- embedding: streaming

#[test]
fn scan_reader_keeps_columns_on_lines_longer_than_the_overlap() {
    // One 12 KB line: windows of 2 KiB must cut it without a line break to
    // restart from, and columns must still count from the line start.
    let tok = format!("ghp_{}", "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8");
    let line = format!(
        "{}auth {tok} {}auth {tok}\n",
        "word ".repeat(1500),
        "more ".repeat(900)
    );
    let data = format!("first\n{line}{}", "tail\n".repeat(300));
    let whole = Scanner::new().scan_bytes(data.as_bytes());
    assert_eq!(whole.len(), 2);
    let streamed = Scanner::new()
        .scan_reader_windowed(data.as_bytes(), None, 2048, 1024)
        .unwrap();
    let key = |f: &keepmum::Finding| (f.span(), f.line(), f.column(), f.end_column());
    assert_eq!(
        streamed.iter().map(key).collect::<Vec<_>>(),
        whole.iter().map(key).collect::<Vec<_>>()
    );
    // 1500 words, `auth `, the token, a space, 900 words, `auth `.
    assert_eq!(streamed[1].column(), 7500 + 5 + 40 + 1 + 4500 + 5 + 1);
}

#[test]
fn scan_reader_reports_read_errors_and_the_path() {
    struct Broken;
    impl std::io::Read for Broken {
        fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("disk on fire"))
        }
    }
    let e = Scanner::new()
        .scan_reader(Broken, Some(std::path::Path::new("in.log")))
        .unwrap_err();
    assert_eq!(e.path(), Some(std::path::Path::new("in.log")));
    let cause = std::error::Error::source(&e).map(|c| c.to_string());
    assert!(cause.is_some_and(|c| c.contains("disk on fire")), "{e:?}");
    let tok = format!("x = 'ghp_{}'\n", "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8");
    let f = Scanner::new()
        .scan_reader(tok.as_bytes(), Some(std::path::Path::new("in.log")))
        .unwrap();
    assert_eq!(f[0].path(), Some(std::path::Path::new("in.log")));
}

// ----------------------------------------------------- embedding: walker

fn tree_with_tokens(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for i in 0..n {
        let tok = format!("ghp_{}{:03}", "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9", i);
        std::fs::write(
            dir.path().join(format!("f{i}.py")),
            format!("t = '{tok}'\n"),
        )
        .expect("write a file");
    }
    dir
}

#[test]
fn walker_iter_and_run_see_the_same_files() {
    use keepmum::{FileScan, WalkEvent, Walker};
    let dir = tree_with_tokens(40);
    let s = Scanner::new();
    let mut from_iter: Vec<_> = Walker::new()
        .iter(&[dir.path()], &s)
        .filter_map(|e| match e {
            WalkEvent::File {
                path,
                scan: FileScan::Scanned { findings, .. },
            } => Some((path, findings.len())),
            _ => None,
        })
        .collect();
    let from_run = std::sync::Mutex::new(Vec::new());
    Walker::new().run(&[dir.path()], &s, |e| {
        if let WalkEvent::File {
            path,
            scan: FileScan::Scanned { findings, .. },
        } = e
        {
            from_run.lock().unwrap().push((path, findings.len()));
        }
    });
    let mut from_run = from_run.into_inner().unwrap();
    from_iter.sort();
    from_run.sort();
    assert_eq!(from_iter.len(), 40);
    assert!(from_iter.iter().all(|(_, n)| *n == 1));
    assert_eq!(from_iter, from_run);
}

#[test]
fn dropping_a_walk_iterator_stops_the_walk() {
    let dir = tree_with_tokens(600);
    let mut walker = keepmum::Walker::new();
    walker.threads(2);
    let mut it = walker.iter(&[dir.path()], &Scanner::new());
    assert!(it.next().is_some());
    // Drop joins the walk's threads: this returns (the test would hang if
    // the walk kept waiting on a full queue).
    drop(it);
}

#[test]
fn walker_applies_root_config_only_when_asked() {
    use keepmum::{WalkEvent, Walker};
    let dir = tree_with_tokens(3);
    std::fs::write(
        dir.path().join(".keepmum.toml"),
        "[allowlist]\npaths = ['f1\\.py$']\n",
    )
    .unwrap();
    let files_with_findings = |w: &Walker| {
        w.iter(&[dir.path()], &Scanner::new())
            .filter(|e| {
                matches!(e, WalkEvent::File { scan: keepmum::FileScan::Scanned { findings, .. }, .. } if !findings.is_empty())
            })
            .count()
    };
    assert_eq!(files_with_findings(&Walker::new()), 3);
    assert_eq!(files_with_findings(Walker::new().config_files(true)), 2);
    // An invalid file is an error naming it, and the root is not scanned.
    std::fs::write(dir.path().join(".keepmum.toml"), "[scan]\npi = true\n").unwrap();
    let events: Vec<_> = Walker::new()
        .config_files(true)
        .iter(&[dir.path()], &Scanner::new())
        .collect();
    assert_eq!(events.len(), 1, "{events:?}");
    match &events[0] {
        WalkEvent::Error { path, error } => {
            assert_eq!(
                path.as_deref(),
                Some(dir.path().join(".keepmum.toml").as_path())
            );
            assert!(error.to_string().contains("pi"), "{error}");
        }
        other => panic!("{other:?}"),
    }
}
