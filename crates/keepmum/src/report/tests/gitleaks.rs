//! Unit tests for `report::gitleaks` (kept in a `tests/` folder so the
//! repository's self-scan can skip their synthetic secrets).

use super::*;
use crate::Scanner;
use std::path::Path;

fn findings(text: &str, path: &str) -> Vec<Finding> {
    Scanner::new().scan_bytes_at(text.as_bytes(), Path::new(path))
}

fn token() -> String {
    format!("ghp_{}", "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8")
}

#[test]
fn empty_report_is_an_empty_array() {
    let mut out = Vec::new();
    write(&mut out, &[], false).unwrap();
    assert_eq!(out, b"[]\n");
}

#[test]
fn exact_output_redacted() {
    let text = format!("# config\ntoken = \"{}\"\n", token());
    let f = findings(&text, "./src/app.py");
    assert_eq!(f.len(), 1);
    let mut out = Vec::new();
    write(&mut out, &f, false).unwrap();
    let out = String::from_utf8(out).unwrap();
    let entropy = go_float32(f[0].entropy());
    let rule = f[0].rule_id().to_string();
    let desc = go_string(f[0].description());
    let (sc, ec) = match_columns(&f[0]);
    let tags = if f[0].tags().is_empty() {
        "[]".to_string()
    } else {
        let items: Vec<String> = f[0].tags().iter().map(|t| format!("   \"{t}\"")).collect();
        format!("[\n{}\n  ]", items.join(",\n"))
    };
    let expected = format!(
        "[\n {{\n  \"RuleID\": \"{rule}\",\n  \"Description\": {desc},\n  \"StartLine\": 2,\n  \"EndLine\": 2,\n  \"StartColumn\": {sc},\n  \"EndColumn\": {ec},\n  \"Match\": \"REDACTED\",\n  \"Secret\": \"REDACTED\",\n  \"File\": \"src/app.py\",\n  \"SymlinkFile\": \"\",\n  \"Commit\": \"\",\n  \"Entropy\": {entropy},\n  \"Author\": \"\",\n  \"Email\": \"\",\n  \"Date\": \"\",\n  \"Message\": \"\",\n  \"Tags\": {tags},\n  \"Fingerprint\": \"src/app.py:{rule}:2\"\n }}\n]\n"
    );
    assert_eq!(out, expected);
    // The secret starts at byte column 10 and is 40 bytes long; the match
    // covers at least the secret.
    assert!(sc <= 10 && ec >= 49, "{sc} {ec}");
    assert!(!out.contains("A1b2C3d4"));
    // It is valid JSON with the keys in gitleaks' order.
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["StartLine"], 2);
    let keys: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("  \"").and_then(|l| l.split('"').next()))
        .collect();
    assert_eq!(
        keys,
        [
            "RuleID",
            "Description",
            "StartLine",
            "EndLine",
            "StartColumn",
            "EndColumn",
            "Match",
            "Secret",
            "File",
            "SymlinkFile",
            "Commit",
            "Entropy",
            "Author",
            "Email",
            "Date",
            "Message",
            "Tags",
            "Fingerprint"
        ]
    );
}

#[test]
fn show_secrets_and_several_findings() {
    let text = format!("a = \"{}\"\nb = \"{}\"\n", token(), token());
    let f = findings(&text, "x.env");
    assert_eq!(f.len(), 2);
    let mut out = Vec::new();
    write(&mut out, &f, true).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 2);
    assert_eq!(arr[0]["Secret"], token());
    assert_eq!(arr[1]["StartLine"], 2);
    assert_eq!(arr[1]["Fingerprint"], format!("x.env:{}:2", f[1].rule_id()));
    assert_eq!(fingerprint(&f[1]), format!("x.env:{}:2", f[1].rule_id()));
    assert!(arr[0]["Entropy"].as_f64().unwrap() > 3.0);
}

#[test]
fn strings_and_floats_are_go_shaped() {
    assert_eq!(
        go_string("a<b>&\"\\\n\u{1}\u{2028}é"),
        r#""a\u003cb\u003e\u0026\"\\\n\u0001\u2028é""#
    );
    assert_eq!(go_float32(4.0), "4");
    assert_eq!(go_float32(3.5849626), "3.5849626");
    assert_eq!(go_float32(0.0), "0");
}
