//! Unit tests for `report::csv` (kept in a `tests/` folder so the
//! repository's self-scan can skip their synthetic secrets).

use super::*;
use crate::{CommitInfo, Scanner};
use std::path::Path;
use std::sync::Arc;

fn token() -> String {
    format!("ghp_{}", "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8")
}

fn findings(path: &str) -> Vec<Finding> {
    let text = format!("# config\ntoken = \"{}\"\n", token());
    Scanner::new().scan_bytes_at(text.as_bytes(), Path::new(path))
}

fn render(f: &[Finding], show: bool) -> String {
    let mut out = Vec::new();
    write(&mut out, f, show).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn no_findings_writes_nothing() {
    assert_eq!(render(&[], false), "");
}

#[test]
fn header_and_one_row_redacted() {
    let f = findings("./src/app.py");
    assert_eq!(f.len(), 1);
    let out = render(&f, false);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(
        lines[0],
        "RuleID,Commit,File,SymlinkFile,Secret,Match,StartLine,EndLine,StartColumn,EndColumn,Author,Message,Date,Email,Fingerprint,Tags"
    );
    let (sc, ec) = match_columns(&f[0]);
    let expected = format!(
        "{rule},,src/app.py,,ghp_*****,ghp_*****,2,2,{sc},{ec},,,,,src/app.py:{rule}:2,{tags}",
        rule = f[0].rule_id(),
        tags = f[0].tags().join(" ")
    );
    assert_eq!(lines[1], expected);
    assert!(!out.contains("A1b2C3d4"));
    assert!(out.ends_with('\n'));
}

#[test]
fn show_secrets_writes_the_raw_value() {
    let out = render(&findings("a.txt"), true);
    assert!(out.contains(&format!(",{},{},", token(), token())));
}

#[test]
fn quoting_follows_rfc_4180() {
    let mut f = findings("dir/we,ird \"name\".txt");
    f[0].set_commit(Arc::new(CommitInfo::new(
        "0123456789abcdef0123456789abcdef01234567",
        "Ada, Countess",
        "ada@dev.invalid",
        "2026-01-02T03:04:05Z",
        "line one\r\nline two",
    )));
    let out = render(&f, false);
    assert!(out.contains(",\"dir/we,ird \"\"name\"\".txt\","), "{out}");
    assert!(out.contains(",\"Ada, Countess\",\"line one\r\nline two\",2026-01-02T03:04:05Z,"));
    assert!(out.contains(",0123456789abcdef0123456789abcdef01234567,"));
    // The fingerprint carries the commit in history scans.
    assert!(out.contains("\"0123456789abcdef0123456789abcdef01234567:dir/we,ird"));
}

#[test]
fn formulas_are_neutralised() {
    for (path, shown) in [
        ("=HYPERLINK(1).txt", "'=HYPERLINK(1).txt"),
        ("+cmd.txt", "'+cmd.txt"),
        ("@sum.txt", "'@sum.txt"),
        ("-x.txt", "'-x.txt"),
    ] {
        let out = render(&findings(path), false);
        let row = out.lines().nth(1).unwrap();
        assert_eq!(row.split(',').nth(2), Some(shown), "{row}");
    }
    // A lone `-` (stdin) stays as it is.
    let out = render(&findings("-"), false);
    assert_eq!(out.lines().nth(1).unwrap().split(',').nth(2), Some("-"));
}

#[test]
fn field_quoting_rules() {
    let cell = |s: &str| {
        let mut out = String::new();
        push_field(&mut out, s);
        out
    };
    assert_eq!(cell("plain"), "plain");
    assert_eq!(cell(""), "");
    assert_eq!(cell(" lead"), "\" lead\"");
    assert_eq!(cell("a\"b"), "\"a\"\"b\"");
    assert_eq!(cell("a\nb"), "\"a\nb\"");
    assert_eq!(cell("\tx"), "'\tx");
}
