//! Unit tests for `report::html` (kept in a `tests/` folder so the
//! repository's self-scan can skip their synthetic secrets). The page is
//! also loaded in a real headless browser by `scripts/html-report-test.sh`.

use super::*;
use crate::{CommitInfo, Scanner};
use std::path::Path;
use std::sync::Arc;

fn token() -> String {
    format!("ghp_{}", "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8")
}

fn findings(path: &str) -> Vec<Finding> {
    let text = format!(
        "# config\ntoken = \"{}\"\nmail = {}@{}\n",
        token(),
        "alice",
        "acme-corp.com"
    );
    Scanner::new().scan_bytes_at(text.as_bytes(), Path::new(path))
}

fn render(f: &[Finding]) -> String {
    let stats = Stats {
        files: 7,
        bytes: 2048,
        elapsed: std::time::Duration::from_millis(5),
    };
    let opts = HtmlOptions::new()
        .version("9.9.9")
        .generated("2026-01-02T03:04:05Z");
    let mut out = Vec::new();
    write(&mut out, f, &stats, &opts).unwrap();
    String::from_utf8(out).unwrap()
}

fn total(page: &str, id: &str) -> String {
    let start = page.find(&format!("id=\"{id}\">")).unwrap() + id.len() + 6;
    page[start..].split('<').next().unwrap().to_string()
}

#[test]
fn totals_are_written_into_the_page() {
    let mut f = findings("src/app.py");
    f.extend(findings("docs/readme.md"));
    let secrets = f
        .iter()
        .filter(|x| x.category() == Category::Secret)
        .count();
    assert_eq!(secrets, 2, "{f:?}");
    let page = render(&f);
    assert_eq!(total(&page, "total-findings"), f.len().to_string());
    assert_eq!(total(&page, "total-secrets"), "2");
    assert_eq!(total(&page, "total-pii"), (f.len() - 2).to_string());
    assert_eq!(total(&page, "total-files"), "2");
    assert!(
        page.contains("7 files scanned, 2.0 KiB"),
        "{}",
        &page[..2000]
    );
    assert!(!page.contains("id=\"clean\""));
    assert!(!page.contains("id=\"timeline\""));
}

#[test]
fn values_are_always_redacted() {
    let page = render(&findings("a.txt"));
    assert!(!page.contains("A1b2C3d4"));
    assert!(page.contains("\"secret\":\"ghp_*****\""));
}

#[test]
fn clean_scan_says_so() {
    let page = render(&[]);
    assert_eq!(total(&page, "total-findings"), "0");
    assert!(page.contains("id=\"clean\""));
}

#[test]
fn markup_in_paths_and_commits_stays_inert() {
    let evil = "<script>alert(1)</script><img src=x onerror=alert(2)>&amp;\u{2028}.txt";
    let mut f = findings(evil);
    f[0].set_commit(Arc::new(CommitInfo::new(
        "0123456789abcdef0123456789abcdef01234567",
        "</script><script>alert(3)</script>",
        "x@dev.invalid",
        "2026-01-02T03:04:05Z",
        "<!-- <script>",
    )));
    let page = render(&f);
    // Exactly the two script elements of the page, and nothing from the data
    // that could open or close one, or start a comment.
    assert_eq!(page.matches("<script").count(), 2);
    assert_eq!(page.matches("</script").count(), 2);
    assert!(!page.contains("<img"));
    assert!(!page.contains("<!--"));
    assert!(!page.contains('\u{2028}'));
    // The data block still carries the path, escaped, and parses back.
    let start = page.find("id=\"keepmum-data\">").unwrap() + 18;
    let end = start + page[start..].find("</script>").unwrap();
    let data: serde_json::Value = serde_json::from_str(&page[start..end]).unwrap();
    assert_eq!(data["findings"][0]["file"], evil);
    assert_eq!(data["history"], true);
    assert!(page.contains("id=\"timeline\""));
    assert!(page.contains("data-key=\"commit\""));
}

#[test]
fn title_is_escaped() {
    let stats = Stats::default();
    let mut out = Vec::new();
    let opts = HtmlOptions::new().title("<b>repo</b>");
    write(&mut out, &[], &stats, &opts).unwrap();
    let page = String::from_utf8(out).unwrap();
    assert!(page.contains("<title>&lt;b&gt;repo&lt;/b&gt;</title>"));
}

#[test]
fn content_security_policy_allows_only_the_page_itself() {
    let page = render(&[]);
    let script_hash = csp_hash(SCRIPT);
    assert!(page.contains(&format!("script-src '{script_hash}'")));
    assert!(page.contains(&format!("<script>{SCRIPT}</script>")));
    assert!(page.contains(&format!("<style>{STYLE}</style>")));
    assert!(page.contains("default-src 'none'"));
    // No reference to anything outside the file.
    for needle in [
        "http://", "https://", "src=\"", "href=\"", "@import", "url(",
    ] {
        let hits: Vec<_> = page
            .match_indices(needle)
            .filter(|(i, _)| {
                !page[..*i].ends_with("xmlns=")
                    && !page[*i..].starts_with("http://www.w3.org/2000/svg")
            })
            .collect();
        assert!(hits.is_empty(), "{needle}");
    }
}

#[test]
fn base64_matches_known_vectors() {
    assert_eq!(base64(b""), "");
    assert_eq!(base64(b"f"), "Zg==");
    assert_eq!(base64(b"fo"), "Zm8=");
    assert_eq!(base64(b"foo"), "Zm9v");
    assert_eq!(base64(b"foobar"), "Zm9vYmFy");
}

#[test]
fn script_safe_json_escapes() {
    assert_eq!(
        script_safe_json("\"</a>&\u{2029}\""),
        "\"\\u003c/a\\u003e\\u0026\\u2029\""
    );
}
