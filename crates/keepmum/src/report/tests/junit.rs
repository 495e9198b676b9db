//! Unit tests for `report::junit` (kept in a `tests/` folder so the
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
fn clean_scan_is_an_empty_suite() {
    assert_eq!(
        render(&[], false),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n\t<testsuite failures=\"0\" name=\"keepmum\" tests=\"0\" time=\"\"></testsuite>\n</testsuites>\n"
    );
}

#[test]
fn one_failed_case_per_finding() {
    let mut f = findings("./src/app.py");
    f.extend(findings("lib/other.rs"));
    let out = render(&f, false);
    assert!(out.contains("<testsuite failures=\"2\" name=\"keepmum\" tests=\"2\" time=\"\">"));
    assert_eq!(out.matches("<testcase ").count(), 2);
    assert_eq!(out.matches("</failure>").count(), 2);
    let rule = f[0].rule_id();
    let msg = format!("{rule} has detected a secret in file src/app.py, line 2.");
    assert!(out.contains(&format!(
        "<testcase classname=\"{}\" file=\"src/app.py\" name=\"{msg}\" time=\"\">",
        f[0].description()
    )));
    assert!(out.contains(&format!(
        "<failure message=\"{msg}\" type=\"{}\">{{",
        f[0].description()
    )));
    // The data is the gitleaks JSON object, with XML-escaped quotes.
    assert!(out.contains("&#34;RuleID&#34;: &#34;"));
    assert!(out.contains("&#34;Secret&#34;: &#34;REDACTED&#34;"));
    assert!(!out.contains("A1b2C3d4"));
    assert!(render(&f, true).contains("A1b2C3d4"));
}

#[test]
fn history_message_names_the_commit() {
    let mut f = findings("a.txt");
    f[0].set_commit(Arc::new(CommitInfo::new(
        "0123456789abcdef0123456789abcdef01234567",
        "Ada",
        "ada@dev.invalid",
        "2026-01-02T03:04:05Z",
        "add config",
    )));
    let out = render(&f, false);
    assert!(out.contains(", line 2, at commit 0123456789abcdef0123456789abcdef01234567.\""));
}

#[test]
fn markup_in_paths_is_escaped() {
    let out = render(&findings("<script>x</script>&\"'\u{1}.txt"), false);
    assert!(!out.contains("<script>"));
    assert!(out.contains("file=\"&lt;script&gt;x&lt;/script&gt;&amp;&#34;&#39;\u{fffd}.txt\""));
}

#[test]
fn attribute_escaping_keeps_line_breaks() {
    let mut s = String::new();
    escape_into(&mut s, "a\tb\nc\rd", true);
    assert_eq!(s, "a&#x9;b&#xA;c&#xD;d");
    let mut t = String::new();
    escape_into(&mut t, "a\tb\nc\u{ffff}", false);
    assert_eq!(t, "a\tb\nc\u{fffd}");
}
