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
