//! gitleaks' CSV report shape (`--format csv`), for spreadsheets and scripts
//! written against `gitleaks … -f csv`.
//!
//! # Wire format
//!
//! RFC 4180 CSV with `\n` line ends, as Go's `encoding/csv` writes it: a
//! field is quoted when it contains a comma, a double quote, `\r` or `\n`,
//! or starts with a space or tab; quotes inside are doubled. The first line
//! is the header, then one line per finding, in this column order:
//!
//! | column | value |
//! |---|---|
//! | `RuleID` | the rule id |
//! | `Commit` | the introducing commit for `--git` scans, `""` otherwise |
//! | `File` | the path (`/` separators, no leading `./`) |
//! | `SymlinkFile` | `""` |
//! | `Secret` | the redacted secret (e.g. `ghp_*****`), or the raw one with `show_secrets` |
//! | `Match` | the same as `Secret` (a [`Finding`] does not keep the surrounding text) |
//! | `StartLine`, `EndLine` | 1-based lines |
//! | `StartColumn`, `EndColumn` | 1-based byte columns of the whole match, end inclusive (as in [`super::gitleaks`]) |
//! | `Author`, `Message`, `Date`, `Email` | the introducing commit's, for `--git` scans |
//! | `Fingerprint` | as in [`super::gitleaks`]: `File:RuleID:StartLine`, prefixed by `Commit:` in history scans |
//! | `Tags` | the rule's tags separated by one space |
//!
//! As with gitleaks, a scan with no findings writes nothing at all (not even
//! the header), so `test -s report.csv` tells whether anything was found.
//!
//! Paths and commit messages are attacker-controlled. A field that a
//! spreadsheet would evaluate as a formula (starting with `=`, `+`, `@`, a
//! tab, `\r`, or `-` followed by more text) is prefixed with `'`; `-` alone
//! (stdin) is left as is. Control characters in the secret are escaped as
//! in the text report.

use std::io::{self, Write};

use super::gitleaks::{file_of, fingerprint, match_columns};
use super::printable_secret;
use crate::finding::Finding;

/// The header line's columns, in order.
pub const COLUMNS: [&str; 16] = [
    "RuleID",
    "Commit",
    "File",
    "SymlinkFile",
    "Secret",
    "Match",
    "StartLine",
    "EndLine",
    "StartColumn",
    "EndColumn",
    "Author",
    "Message",
    "Date",
    "Email",
    "Fingerprint",
    "Tags",
];

/// Writes the CSV report (see the module docs).
///
/// # Errors
/// Only I/O errors from `w`.
pub fn write<W: Write>(mut w: W, findings: &[Finding], show_secrets: bool) -> io::Result<()> {
    if findings.is_empty() {
        return Ok(());
    }
    let mut out = String::with_capacity(256 + findings.len() * 256);
    push_record(&mut out, COLUMNS.iter().map(|c| c.to_string()));
    for f in findings {
        let secret = if show_secrets {
            printable_secret(f)
        } else {
            f.redacted()
        };
        let (start_col, end_col) = match_columns(f);
        let commit = |get: fn(&crate::CommitInfo) -> &str| {
            f.commit().map(get).unwrap_or_default().to_string()
        };
        push_record(
            &mut out,
            [
                f.rule_id().to_string(),
                commit(crate::CommitInfo::sha),
                file_of(f),
                String::new(),
                secret.clone(),
                secret,
                f.line().to_string(),
                f.end_line().to_string(),
                start_col.to_string(),
                end_col.to_string(),
                commit(crate::CommitInfo::author_name),
                commit(crate::CommitInfo::summary),
                commit(crate::CommitInfo::date),
                commit(crate::CommitInfo::author_email),
                fingerprint(f),
                f.tags().join(" "),
            ]
            .into_iter(),
        );
    }
    w.write_all(out.as_bytes())
}

/// Appends one CSV line.
fn push_record(out: &mut String, fields: impl Iterator<Item = String>) {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_field(out, &field);
    }
    out.push('\n');
}

/// Appends one field: neutralised against formula evaluation, then quoted
/// where Go's `encoding/csv` would quote it.
fn push_field(out: &mut String, field: &str) {
    let formula = matches!(
        field.as_bytes(),
        [b'=' | b'+' | b'@' | b'\t' | b'\r', ..] | [b'-', _, ..]
    );
    let neutral;
    let field = if formula {
        neutral = format!("'{field}");
        neutral.as_str()
    } else {
        field
    };
    let quote = field.contains([',', '"', '\r', '\n'])
        || field.starts_with(|c: char| c.is_whitespace())
        || field == r"\.";
    if !quote {
        out.push_str(field);
        return;
    }
    out.push('"');
    for c in field.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    out.push('"');
}

#[cfg(test)]
#[path = "tests/csv.rs"]
mod tests;
