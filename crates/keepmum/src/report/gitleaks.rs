//! gitleaks' JSON report shape (`--format gitleaks-json`), so dashboards and
//! scripts written for `gitleaks … -f json` keep working.
//!
//! # Wire format
//!
//! A JSON array (`[]` when there are no findings) indented with one space,
//! as Go's `json.Encoder` with `SetIndent("", " ")` writes it, followed by a
//! newline. Each finding is an object with exactly these keys, in this order:
//!
//! | key | value |
//! |---|---|
//! | `RuleID` | the rule id |
//! | `Description` | the rule description |
//! | `StartLine`, `EndLine` | 1-based lines of the secret |
//! | `StartColumn`, `EndColumn` | 1-based byte columns of the whole match, end inclusive |
//! | `Match` | `REDACTED`, or the secret with `show_secrets` (the surrounding match text is not kept by a [`Finding`]) |
//! | `Secret` | `REDACTED`, or the raw secret with `show_secrets` |
//! | `File` | the path (`/` separators, no leading `./`), `""` without one |
//! | `SymlinkFile` | `""` |
//! | `Commit`, `Author`, `Email`, `Date`, `Message` | the introducing commit for `--git` scans; `""` otherwise |
//! | `Entropy` | Shannon entropy of the secret (a float32, printed as Go does) |
//! | `Tags` | the rule's tags, `[]` when none |
//! | `Fingerprint` | `File:RuleID:StartLine`, the form `.gitleaksignore` takes |
//!
//! `Link` is omitted, as gitleaks omits it when empty. Strings are escaped
//! the way Go escapes them (`<`, `>`, `&`, U+2028 and U+2029 as `\u` escapes).
//!
//! Columns of the match are derived from the secret's position and the match
//! span; when the match starts on an earlier line than the secret,
//! `StartColumn` is 1.

use std::io::{self, Write};

use super::display_path;
use crate::finding::Finding;

/// Writes the gitleaks JSON report (see the module docs).
///
/// # Errors
/// Only I/O errors from `w`.
pub fn write<W: Write>(mut w: W, findings: &[Finding], show_secrets: bool) -> io::Result<()> {
    if findings.is_empty() {
        return w.write_all(b"[]\n");
    }
    let mut out = String::with_capacity(findings.len() * 512);
    out.push_str("[\n");
    for (i, f) in findings.iter().enumerate() {
        write_finding(&mut out, f, show_secrets);
        out.push_str(if i + 1 < findings.len() { ",\n" } else { "\n" });
    }
    out.push_str("]\n");
    w.write_all(out.as_bytes())
}

/// The `Fingerprint` of a finding in a directory scan: `file:rule:line`.
pub fn fingerprint(f: &Finding) -> String {
    match f.commit() {
        Some(c) => format!("{}:{}:{}:{}", c.sha(), file_of(f), f.rule_id(), f.line()),
        None => format!("{}:{}:{}", file_of(f), f.rule_id(), f.line()),
    }
}

pub(crate) fn file_of(f: &Finding) -> String {
    f.path().map(display_path).unwrap_or_default()
}

/// 1-based inclusive columns of the whole match.
pub(crate) fn match_columns(f: &Finding) -> (usize, usize) {
    let span = f.span();
    let m = f.match_span();
    let before = span.start.saturating_sub(m.start);
    let start = if before < f.column() {
        f.column() - before
    } else {
        1
    };
    let after = m.end.saturating_sub(span.end);
    let end = f.end_column().saturating_sub(1).max(1) + after;
    (start, end)
}

pub(crate) fn write_finding(out: &mut String, f: &Finding, show_secrets: bool) {
    let secret = if show_secrets {
        f.secret().expose_str().into_owned()
    } else {
        "REDACTED".to_string()
    };
    let (start_col, end_col) = match_columns(f);
    let file = file_of(f);
    let field = |out: &mut String, key: &str, value: &str| {
        out.push_str("  \"");
        out.push_str(key);
        out.push_str("\": ");
        out.push_str(value);
        out.push_str(",\n");
    };
    out.push_str(" {\n");
    field(out, "RuleID", &go_string(f.rule_id()));
    field(out, "Description", &go_string(f.description()));
    field(out, "StartLine", &f.line().to_string());
    field(out, "EndLine", &f.end_line().to_string());
    field(out, "StartColumn", &start_col.to_string());
    field(out, "EndColumn", &end_col.to_string());
    field(out, "Match", &go_string(&secret));
    field(out, "Secret", &go_string(&secret));
    field(out, "File", &go_string(&file));
    field(out, "SymlinkFile", "\"\"");
    let c = f.commit();
    let commit_field = |get: fn(&crate::CommitInfo) -> &str| go_string(c.map(get).unwrap_or(""));
    field(out, "Commit", &commit_field(crate::CommitInfo::sha));
    field(out, "Entropy", &go_float32(f.entropy()));
    field(out, "Author", &commit_field(crate::CommitInfo::author_name));
    field(out, "Email", &commit_field(crate::CommitInfo::author_email));
    field(out, "Date", &commit_field(crate::CommitInfo::date));
    field(out, "Message", &commit_field(crate::CommitInfo::summary));
    if f.tags().is_empty() {
        field(out, "Tags", "[]");
    } else {
        let mut tags = String::from("[\n");
        for (i, t) in f.tags().iter().enumerate() {
            tags.push_str("   ");
            tags.push_str(&go_string(t));
            tags.push_str(if i + 1 < f.tags().len() { ",\n" } else { "\n" });
        }
        tags.push_str("  ]");
        field(out, "Tags", &tags);
    }
    out.push_str("  \"Fingerprint\": ");
    out.push_str(&go_string(&fingerprint(f)));
    out.push_str("\n }");
}

/// A float32 as Go's encoding/json prints it for values in [1e-6, 1e21):
/// the shortest decimal that round-trips, without exponent or trailing `.0`.
fn go_float32(v: f32) -> String {
    if !v.is_finite() {
        return "0".to_string();
    }
    // Rust's Display for f32 is the shortest round-trip decimal, no exponent.
    format!("{v}")
}

/// A JSON string literal escaped as Go's encoding/json escapes it.
fn go_string(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' | '\0'..='\u{1f}' => {
                let v = c as u32;
                out.push_str("\\u");
                for shift in [12, 8, 4, 0] {
                    out.push(HEX[((v >> shift) & 0xf) as usize] as char);
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
#[path = "tests/gitleaks.rs"]
mod tests;
