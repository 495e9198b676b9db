//! SARIF 2.1.0 output for GitHub code scanning.
//!
//! # Document
//!
//! One run whose `tool.driver` is keepmum, listing every rule of the
//! scanner in `tool.driver.rules` (`id`, `name`, `shortDescription`,
//! `fullDescription`, `help`, `defaultConfiguration.level`, and
//! `properties` with `tags` (always including `security` and the category),
//! `precision` and `security-severity`). Each finding becomes one result
//! with `ruleId`, `ruleIndex`, `level`, a `message` that holds only the
//! redacted secret, one location (`artifactLocation.uri` relative to the
//! working directory, `region` with 1-based `startLine`/`startColumn` and an
//! exclusive `endColumn`, in UTF-16 code units when the file's text is
//! available and in bytes otherwise) and
//! `partialFingerprints.primaryLocationLineHash` (GitHub's line hash, see
//! [`line_hashes`]) when the file's content is available.
//!
//! Never in the output: the raw secret, or any hash of it (SARIF messages
//! and fingerprints are displayed by GitHub).
//!
//! Levels and severities follow category and confidence: secrets are
//! `error` (`security-severity` 8.5 at high confidence, 7.0 medium, 4.0
//! low, then `warning`); PII is `warning` (5.0, or `note` and 3.0 at low
//! confidence).

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::display_path;
use crate::finding::{Category, Confidence, Finding};
use crate::rules::{Rule, RuleSet};

/// `informationUri` of the tool.
pub const INFORMATION_URI: &str = "https://github.com/keepmum/keepmum";

/// The SARIF schema URI written in `$schema`.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Options for [`write()`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct SarifOptions {
    /// `tool.driver.semanticVersion`. The default is this library's version.
    pub version: String,
    /// Directory that result URIs are made relative to (absolute finding
    /// paths under it are shortened). The default is none.
    pub base_dir: Option<PathBuf>,
}

impl Default for SarifOptions {
    fn default() -> Self {
        SarifOptions {
            version: env!("CARGO_PKG_VERSION").to_string(),
            base_dir: None,
        }
    }
}

impl SarifOptions {
    /// Options with the defaults.
    pub fn new() -> SarifOptions {
        SarifOptions::default()
    }

    /// Sets the tool version reported.
    pub fn version(mut self, v: impl Into<String>) -> SarifOptions {
        self.version = v.into();
        self
    }

    /// Sets the directory URIs are made relative to.
    pub fn base_dir(mut self, dir: impl Into<PathBuf>) -> SarifOptions {
        self.base_dir = Some(dir.into());
        self
    }
}

/// Writes a SARIF 2.1.0 document for `findings`.
///
/// `rules` are listed in `tool.driver.rules` (rules of findings that are
/// missing from it are appended). `source` returns a file's content (given a
/// finding's path) so line hashes and UTF-16 columns can be computed; return
/// `None` when it is unavailable.
///
/// # Errors
/// Only I/O errors from `w`.
pub fn write<W: Write>(
    mut w: W,
    findings: &[Finding],
    rules: &RuleSet,
    opts: &SarifOptions,
    source: &dyn Fn(&Path) -> Option<Vec<u8>>,
) -> io::Result<()> {
    let doc = document(findings, rules, opts, source);
    serde_json::to_writer_pretty(&mut w, &doc).map_err(io::Error::from)?;
    w.write_all(b"\n")?;
    w.flush()
}

/// Builds the SARIF document as a JSON value (see [`write()`]).
pub fn document(
    findings: &[Finding],
    rules: &RuleSet,
    opts: &SarifOptions,
    source: &dyn Fn(&Path) -> Option<Vec<u8>>,
) -> Value {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut rule_values = Vec::new();
    for r in rules {
        if !index.contains_key(r.id()) {
            index.insert(r.id().to_string(), rule_values.len());
            rule_values.push(rule_value(RuleInfo::from_rule(r)));
        }
    }
    for f in findings {
        if !index.contains_key(f.rule_id()) {
            index.insert(f.rule_id().to_string(), rule_values.len());
            rule_values.push(rule_value(RuleInfo::from_finding(f)));
        }
    }

    // Per-file data, computed once per file with findings.
    let mut files: HashMap<PathBuf, Option<FileInfo>> = HashMap::new();
    let mut results = Vec::with_capacity(findings.len());
    for f in findings {
        let info = match f.path() {
            Some(p) => files
                .entry(p.to_path_buf())
                .or_insert_with(|| source(p).map(|c| FileInfo::new(&c)))
                .as_ref(),
            None => None,
        };
        let (start_col, end_col) = match info {
            Some(i) => (
                i.utf16_column(f.line(), f.column()),
                i.utf16_column(f.end_line(), f.end_column()),
            ),
            None => (f.column(), f.end_column()),
        };
        let mut result = json!({
            "ruleId": f.rule_id(),
            "ruleIndex": index.get(f.rule_id()).copied().unwrap_or(0),
            "level": level(f.category(), f.confidence()),
            "message": { "text": format!("{} found (redacted: {}).", f.description(), f.redacted()) },
            "locations": [ {
                "physicalLocation": {
                    "artifactLocation": { "uri": uri(f.path(), opts.base_dir.as_deref()) },
                    "region": {
                        "startLine": f.line().max(1),
                        "startColumn": start_col.max(1),
                        "endLine": f.end_line().max(f.line()).max(1),
                        "endColumn": end_col.max(1),
                    }
                }
            } ],
            "properties": {
                "category": f.category().as_str(),
                "confidence": f.confidence().as_str(),
            }
        });
        if let Some(c) = f.commit() {
            result["properties"]["commitSha"] = json!(c.sha());
            result["properties"]["commitDate"] = json!(c.date());
            result["properties"]["commitAuthor"] = json!(c.author_email());
        }
        if !f.decoders().is_empty() {
            result["properties"]["decoders"] = json!(f.decoders());
        }
        if let Some(hash) = info.and_then(|i| i.hashes.get(f.line().saturating_sub(1))) {
            result["partialFingerprints"] = json!({ "primaryLocationLineHash": hash });
        }
        results.push(result);
    }

    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [ {
            "tool": { "driver": {
                "name": "keepmum",
                "semanticVersion": opts.version,
                "informationUri": INFORMATION_URI,
                "rules": rule_values,
            } },
            "columnKind": "utf16CodeUnits",
            "automationDetails": { "id": "keepmum/" },
            "results": results,
        } ]
    })
}

/// What the rule table needs about a rule.
struct RuleInfo<'a> {
    id: &'a str,
    description: &'a str,
    category: Category,
    confidence: Confidence,
    tags: &'a [String],
}

impl<'a> RuleInfo<'a> {
    fn from_rule(r: &'a Rule) -> RuleInfo<'a> {
        RuleInfo {
            id: r.id(),
            description: r.description(),
            category: r.category(),
            confidence: r.confidence(),
            tags: r.tags(),
        }
    }

    fn from_finding(f: &'a Finding) -> RuleInfo<'a> {
        RuleInfo {
            id: f.rule_id(),
            description: f.description(),
            category: f.category(),
            confidence: f.confidence(),
            tags: f.tags(),
        }
    }
}

fn rule_value(r: RuleInfo<'_>) -> Value {
    let mut tags: Vec<String> = vec!["security".to_string(), r.category.as_str().to_string()];
    for t in r.tags {
        if !tags.contains(t) && tags.len() < 20 {
            tags.push(t.clone());
        }
    }
    let description = if r.description.trim().is_empty() {
        r.id
    } else {
        r.description
    };
    let (full, help) = match r.category {
        Category::Secret => (
            format!("{} (keepmum rule `{}`): a credential was found in the scanned content.", description, r.id),
            "Treat the credential as compromised: revoke and rotate it, remove it from the code and its history, and load it from the environment or a secret manager instead. If this is a false positive, add an inline `pragma: allowlist secret` comment or record it in the baseline.",
        ),
        Category::Pii => (
            format!("{} (keepmum rule `{}`): personal data was found in the scanned content.", description, r.id),
            "Remove or mask the personal data, or move it out of the repository. If this is a false positive, add an inline `pragma: allowlist secret` comment or record it in the baseline.",
        ),
    };
    json!({
        "id": r.id,
        "name": pascal_case(r.id),
        "shortDescription": { "text": truncate(description, 1024) },
        "fullDescription": { "text": truncate(&full, 1024) },
        "help": { "text": help },
        "defaultConfiguration": { "level": level(r.category, r.confidence) },
        "properties": {
            "tags": tags,
            "precision": precision(r.confidence),
            "security-severity": severity(r.category, r.confidence),
        }
    })
}

fn level(c: Category, conf: Confidence) -> &'static str {
    match (c, conf) {
        (Category::Secret, Confidence::Low) => "warning",
        (Category::Secret, _) => "error",
        (Category::Pii, Confidence::Low) => "note",
        (Category::Pii, _) => "warning",
    }
}

fn precision(conf: Confidence) -> &'static str {
    match conf {
        Confidence::High => "high",
        Confidence::Medium => "medium",
        Confidence::Low => "low",
    }
}

fn severity(c: Category, conf: Confidence) -> &'static str {
    match (c, conf) {
        (Category::Secret, Confidence::High) => "8.5",
        (Category::Secret, Confidence::Medium) => "7.0",
        (Category::Secret, Confidence::Low) => "4.0",
        (Category::Pii, Confidence::Low) => "3.0",
        (Category::Pii, _) => "5.0",
    }
}

/// `aws-access-key-id` → `AwsAccessKeyId`.
fn pascal_case(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    let mut up = true;
    for c in id.chars() {
        if c.is_ascii_alphanumeric() {
            if up {
                out.push(c.to_ascii_uppercase());
            } else {
                out.push(c);
            }
            up = false;
        } else {
            up = true;
        }
    }
    if out.is_empty() {
        "Rule".to_string()
    } else {
        truncate(&out, 255)
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_string()
}

/// A repository-relative URI for `path`: `/` separators, no leading `./`,
/// percent-encoded; relative to `base` when the path is absolute and under it.
fn uri(path: Option<&Path>, base: Option<&Path>) -> String {
    let Some(path) = path else {
        return "stdin".to_string();
    };
    if path == Path::new("-") {
        return "stdin".to_string();
    }
    let rel = match base {
        Some(b) if path.is_absolute() => path.strip_prefix(b).unwrap_or(path),
        _ => path,
    };
    let text = display_path(rel);
    let mut out = String::with_capacity(text.len());
    if rel.is_absolute() {
        out.push_str("file://");
    }
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Per-file data for results: line hashes and UTF-16 column mapping.
struct FileInfo {
    hashes: Vec<String>,
    lines: Vec<String>,
}

impl FileInfo {
    fn new(content: &[u8]) -> FileInfo {
        let text = String::from_utf8_lossy(content);
        FileInfo {
            hashes: line_hashes(content),
            lines: text.split('\n').map(str::to_string).collect(),
        }
    }

    /// Converts a 1-based byte column on a 1-based line to a 1-based UTF-16
    /// column. Falls back to the byte column when out of range or not valid
    /// UTF-8 at that point.
    fn utf16_column(&self, line: usize, byte_col: usize) -> usize {
        let Some(text) = line.checked_sub(1).and_then(|i| self.lines.get(i)) else {
            return byte_col;
        };
        let off = byte_col.saturating_sub(1);
        match text.get(..off.min(text.len())) {
            Some(prefix) if off <= text.len() => prefix.encode_utf16().count() + 1,
            _ => byte_col,
        }
    }
}

/// GitHub's `primaryLocationLineHash` for every line of `content` (index 0
/// is line 1), as computed by `github/codeql-action` (`fingerprints.ts`).
///
/// The file is read as UTF-16 code units (invalid UTF-8 replaced); spaces
/// and tabs are dropped; CR and CRLF become one LF; a sentinel 65535 and
/// 100 zeros are appended. For each line, the hash covers the 100 kept
/// characters starting at the line's first kept character: a base-37
/// polynomial rolling hash in wrapping 64-bit arithmetic, printed as
/// unpadded lowercase hex, then `:n` where `n` counts how often that hex
/// value has been emitted so far in the file. When the file ends with a
/// newline the list has one more entry than the file has lines (the
/// sentinel starts a line), as in the original.
pub fn line_hashes(content: &[u8]) -> Vec<String> {
    const BLOCK: usize = 100;
    const EOF: u16 = 65535;
    let first_mod = (0..BLOCK).fold(1u64, |acc, _| acc.wrapping_mul(37));
    let mut window = [0u16; BLOCK];
    let mut line_numbers = [0usize; BLOCK]; // 0 = none; lines are 1-based
    let mut hash = 0u64;
    let mut index = 0usize;
    let mut line_number = 0usize;
    let mut line_start = true;
    let mut prev_cr = false;
    let mut counts: HashMap<u64, usize> = HashMap::new();
    let mut out: Vec<String> = Vec::new();

    let mut process = |c: u16| {
        if c == b' ' as u16 || c == b'\t' as u16 || (prev_cr && c == b'\n' as u16) {
            prev_cr = false;
            return;
        }
        let c = if c == b'\r' as u16 {
            prev_cr = true;
            b'\n' as u16
        } else {
            prev_cr = false;
            c
        };
        if line_numbers[index] != 0 {
            let n = counts.entry(hash).or_insert(0);
            *n += 1;
            let line = line_numbers[index];
            if out.len() < line {
                out.resize(line, String::new());
            }
            out[line - 1] = format!("{hash:x}:{n}");
            line_numbers[index] = 0;
        }
        if line_start {
            line_start = false;
            line_number += 1;
            line_numbers[index] = line_number;
        }
        if c == b'\n' as u16 {
            line_start = true;
        }
        let begin = window[index];
        window[index] = c;
        hash = hash
            .wrapping_mul(37)
            .wrapping_add(u64::from(c))
            .wrapping_sub(first_mod.wrapping_mul(u64::from(begin)));
        index = (index + 1) % BLOCK;
    };
    for unit in String::from_utf8_lossy(content).encode_utf16() {
        process(unit);
    }
    process(EOF);
    for _ in 0..BLOCK {
        process(0);
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::Scanner;

    #[test]
    fn line_hash_matches_hand_computed_value() {
        // "ab": one line; its window is a, b, EOF, then zeros, so the hash is
        // 97*37^99 + 98*37^98 + 65535*37^97 (mod 2^64).
        let m = |e: u32| (0..e).fold(1u64, |a, _| a.wrapping_mul(37));
        let want = 97u64
            .wrapping_mul(m(99))
            .wrapping_add(98u64.wrapping_mul(m(98)))
            .wrapping_add(65535u64.wrapping_mul(m(97)));
        assert_eq!(format!("{want:x}"), "952bb1cc6d22bdaa");
        assert_eq!(line_hashes(b"ab"), vec!["952bb1cc6d22bdaa:1"]);
    }

    #[test]
    fn line_hashes_match_reference_emulation() {
        // Values from an independent emulation of codeql-action's algorithm.
        assert_eq!(
            line_hashes(b"ab\n"),
            vec!["882bbb3d8de7a640:1", "c129715d7a2bc9a3:1"]
        );
        assert_eq!(
            line_hashes(b"a b\r\nc\td\n\nx"),
            vec![
                "4285b6125c569adf:1",
                "dedcbdef123351e6:1",
                "a88801a1799b48b5:1",
                "638816509450efbf:1"
            ]
        );
        let mut long = "é€😀\n".to_string();
        long.push_str(&"z".repeat(150));
        long.push_str("\nq");
        assert_eq!(
            line_hashes(long.as_bytes()),
            vec![
                "5090a837cbb78c52:1",
                "430534b53b700418:1",
                "9fe00a866ef87334:1"
            ]
        );
        // Identical 100-character windows get increasing counters.
        let rep = format!("{}\n", "a".repeat(200)).repeat(3);
        assert_eq!(
            line_hashes(rep.as_bytes()),
            vec![
                "871f6af4d0d4dd7c:1",
                "871f6af4d0d4dd7c:2",
                "871f6af4d0d4dd7c:3",
                "c129715d7a2bc9a3:1"
            ]
        );
        // Spaces and tabs do not change the hash; CRLF equals LF.
        assert_eq!(line_hashes(b"a b\r\n"), line_hashes(b"ab\n"));
    }

    #[test]
    fn uris_are_relative_and_encoded() {
        assert_eq!(uri(Some(Path::new("./src/a b.py")), None), "src/a%20b.py");
        assert_eq!(
            uri(Some(Path::new("/w/r/src/x.rs")), Some(Path::new("/w/r"))),
            "src/x.rs"
        );
        assert_eq!(
            uri(Some(Path::new("/other/x.rs")), Some(Path::new("/w/r"))),
            "file:///other/x.rs"
        );
        assert_eq!(uri(None, None), "stdin");
        assert_eq!(pascal_case("aws-access-key-id"), "AwsAccessKeyId");
    }

    #[test]
    fn document_has_required_parts_and_no_secret() {
        let tok = ["ghp_", "A1b2C3d4E5f6", "G7h8I9j0K1l2", "M3n4O5p6Q7r8"].concat();
        let text = format!("é = 1\ntoken = \"é{tok}\"\n");
        let scanner = Scanner::new();
        let f: Vec<_> = scanner
            .scan_bytes_at(text.as_bytes(), Path::new("src/a.py"))
            .into_iter()
            .filter(|f| f.rule_id() == "github-pat")
            .collect();
        assert_eq!(f.len(), 1);
        let content = text.clone().into_bytes();
        let doc = document(&f, scanner.rules(), &SarifOptions::new(), &|_| {
            Some(content.clone())
        });
        let s = doc.to_string();
        assert!(!s.contains("A1b2C3d4E5f6"));
        assert!(!s.contains(&f[0].secret_sha1()));
        assert!(!s.contains(&f[0].secret_sha1()[..16]));
        assert_eq!(doc["version"], "2.1.0");
        let run = &doc["runs"][0];
        assert_eq!(run["tool"]["driver"]["name"], "keepmum");
        let r = &run["results"][0];
        let idx = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(run["tool"]["driver"]["rules"][idx]["id"], r["ruleId"]);
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startLine"], 2);
        // Byte column 12 (after `token = "é`), UTF-16 column 11.
        assert_eq!(f[0].column(), 12);
        assert_eq!(region["startColumn"], 11);
        assert_eq!(region["endColumn"], 11 + 40);
        let hashes = line_hashes(&content);
        assert_eq!(
            r["partialFingerprints"]["primaryLocationLineHash"],
            hashes[1]
        );
        let rule = &run["tool"]["driver"]["rules"][idx];
        assert!(rule["properties"]["tags"]
            .as_array()
            .unwrap()
            .contains(&json!("security")));
    }
}
