//! keepmum's JSON report.
//!
//! # Wire format (version 1)
//!
//! This format is a contract: fields are only ever added, never renamed or
//! removed, within a version. The document is one JSON object followed by a
//! newline:
//!
//! ```json
//! {
//!   "version": 1,
//!   "findings": [
//!     {
//!       "rule_id": "github-pat",
//!       "category": "secret",
//!       "description": "GitHub personal access token (classic)",
//!       "path": "src/config.py",
//!       "line": 3,
//!       "column": 10,
//!       "end_line": 3,
//!       "end_column": 50,
//!       "start_offset": 42,
//!       "end_offset": 82,
//!       "redacted": "ghp_*****",
//!       "secret_sha1": "5c2a…",
//!       "confidence": "high",
//!       "fingerprint": "github-pat:src/config.py:5c2a0d1e9b8f7a6c",
//!       "tags": ["github", "vcs"],
//!       "entropy": 4.98,
//!       "decoders": []
//!     }
//!   ],
//!   "stats": { "files": 12, "bytes": 40960, "elapsed_ms": 7 }
//! }
//! ```
//!
//! - `version` is the format version, `1`.
//! - `findings` is sorted by (`path`, `line`, `column`, `rule_id`).
//! - `rule_id`, `description`, `tags`: from the rule. `category` is `secret`
//!   or `pii`; `confidence` is `low`, `medium` or `high`.
//! - `path` is the file as given on the command line or relative to the
//!   scanned root (`/` separators, no leading `./`); `-` for stdin; `null`
//!   when the input had no path.
//! - `line`, `column` are 1-based, columns count bytes; `end_line`,
//!   `end_column` locate the byte just past the secret (`end_column` is
//!   exclusive). `start_offset`/`end_offset` are the 0-based byte range.
//! - `redacted` is safe to show; `secret_sha1` is the lowercase hex SHA-1 of
//!   the raw secret (detect-secrets' `hashed_secret`); `fingerprint` is
//!   `rule_id:path:first 16 hex digits of secret_sha1`, stable across line
//!   moves.
//! - `entropy` is the Shannon entropy of the secret in bits per byte;
//!   `decoders` lists decodings applied to reach it (e.g. `["base64"]`).
//! - `commit` is present only for git history scans (`scan --git`): an
//!   object with `sha`, `author`, `email`, `date` (RFC 3339, UTC) and
//!   `message` (first line) of the commit that introduced the secret.
//! - `secret` (the raw value) is present **only** when explicitly requested
//!   (`--show-secrets`).
//! - `stats.files` and `stats.bytes` count what was scanned (skipped files
//!   excluded); `stats.elapsed_ms` is wall time in milliseconds.

use std::io::{self, Write};

use serde::Serialize;

use super::{display_path, printable_secret, Stats};
use crate::finding::Finding;

/// Options for [`write()`].
#[derive(Clone, Copy, Debug, Default)]
#[non_exhaustive]
pub struct JsonOptions {
    /// Include the raw `secret` in each finding. The default is `false`.
    pub show_secrets: bool,
}

impl JsonOptions {
    /// Options with the defaults.
    pub fn new() -> JsonOptions {
        JsonOptions::default()
    }

    /// Whether raw secrets are included.
    pub fn show_secrets(mut self, yes: bool) -> JsonOptions {
        self.show_secrets = yes;
        self
    }
}

#[derive(Serialize)]
struct Doc<'a> {
    version: u32,
    findings: Vec<JsonFinding<'a>>,
    stats: JsonStats,
}

#[derive(Serialize)]
struct JsonStats {
    files: u64,
    bytes: u64,
    elapsed_ms: u64,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule_id: &'a str,
    category: &'static str,
    description: &'a str,
    path: Option<String>,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    start_offset: usize,
    end_offset: usize,
    redacted: String,
    secret_sha1: String,
    confidence: &'static str,
    fingerprint: String,
    tags: &'a [String],
    entropy: f32,
    decoders: &'a [&'static str],
    #[serde(skip_serializing_if = "Option::is_none")]
    commit: Option<JsonCommit<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    secret: Option<String>,
}

#[derive(Serialize)]
struct JsonCommit<'a> {
    sha: &'a str,
    author: &'a str,
    email: &'a str,
    date: &'a str,
    message: &'a str,
}

/// The JSON object for one finding (see the module docs).
pub fn finding_value(f: &Finding, show_secrets: bool) -> serde_json::Value {
    serde_json::to_value(json_finding(f, show_secrets)).unwrap_or(serde_json::Value::Null)
}

fn json_finding(f: &Finding, show_secrets: bool) -> JsonFinding<'_> {
    let span = f.span();
    JsonFinding {
        rule_id: f.rule_id(),
        category: f.category().as_str(),
        description: f.description(),
        path: f.path().map(display_path),
        line: f.line(),
        column: f.column(),
        end_line: f.end_line(),
        end_column: f.end_column(),
        start_offset: span.start,
        end_offset: span.end,
        redacted: f.redacted(),
        secret_sha1: f.secret_sha1(),
        confidence: f.confidence().as_str(),
        fingerprint: f.fingerprint(),
        tags: f.tags(),
        entropy: (f.entropy() * 100.0).round() / 100.0,
        decoders: f.decoders(),
        commit: f.commit().map(|c| JsonCommit {
            sha: c.sha(),
            author: c.author_name(),
            email: c.author_email(),
            date: c.date(),
            message: c.summary(),
        }),
        secret: show_secrets.then(|| printable_secret(f)),
    }
}

/// Writes the JSON report (see the module docs) followed by a newline.
///
/// # Errors
/// Only I/O errors from `w`.
pub fn write<W: Write>(
    mut w: W,
    findings: &[Finding],
    stats: &Stats,
    opts: &JsonOptions,
) -> io::Result<()> {
    let doc = Doc {
        version: 1,
        findings: findings
            .iter()
            .map(|f| json_finding(f, opts.show_secrets))
            .collect(),
        stats: JsonStats {
            files: stats.files,
            bytes: stats.bytes,
            elapsed_ms: u64::try_from(stats.elapsed.as_millis()).unwrap_or(u64::MAX),
        },
    };
    serde_json::to_writer_pretty(&mut w, &doc).map_err(io::Error::from)?;
    w.write_all(b"\n")?;
    w.flush()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::Scanner;
    use std::path::Path;

    fn findings() -> Vec<Finding> {
        let tok = ["ghp_", "A1b2C3d4E5f6", "G7h8I9j0K1l2", "M3n4O5p6Q7r8"].concat();
        let text = format!("x\ntoken = \"{tok}\"\n");
        Scanner::new()
            .scan_bytes_at(text.as_bytes(), Path::new("./src/a.py"))
            .into_iter()
            .filter(|f| f.rule_id() == "github-pat")
            .collect()
    }

    #[test]
    fn shape_and_redaction() {
        let mut out = Vec::new();
        let stats = Stats {
            files: 2,
            bytes: 10,
            elapsed: std::time::Duration::from_millis(5),
        };
        write(&mut out, &findings(), &stats, &JsonOptions::new()).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains("A1b2C3d4E5f6"));
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["version"], 1);
        assert_eq!(v["stats"]["files"], 2);
        assert_eq!(v["stats"]["elapsed_ms"], 5);
        let f = &v["findings"][0];
        assert_eq!(f["rule_id"], "github-pat");
        assert_eq!(f["category"], "secret");
        assert_eq!(f["path"], "src/a.py");
        assert_eq!(f["line"], 2);
        assert_eq!(f["column"], 10);
        assert_eq!(f["end_line"], 2);
        assert_eq!(f["end_column"], 50);
        assert_eq!(f["secret_sha1"].as_str().unwrap().len(), 40);
        assert!(f.get("secret").is_none());
        for key in [
            "description",
            "redacted",
            "confidence",
            "fingerprint",
            "tags",
        ] {
            assert!(f.get(key).is_some(), "{key}");
        }
    }

    #[test]
    fn show_secrets_adds_the_raw_value() {
        let mut out = Vec::new();
        let opts = JsonOptions::new().show_secrets(true);
        write(&mut out, &findings(), &Stats::default(), &opts).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert!(v["findings"][0]["secret"]
            .as_str()
            .unwrap()
            .starts_with("ghp_A1b2"));
    }
}
