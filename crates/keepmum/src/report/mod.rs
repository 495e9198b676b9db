//! Report formats: how findings are written for people and tools.
//!
//! Each format's rustdoc is its specification:
//! - [`text`]: one line per finding, for terminals;
//! - [`json`]: keepmum's own JSON document (a stable contract);
//! - [`sarif`]: SARIF 2.1.0 for GitHub code scanning;
//! - [`gitleaks`]: gitleaks' JSON report shape;
//! - [`csv`]: gitleaks' CSV report shape;
//! - [`junit`]: JUnit XML (gitleaks' shape), for CI test-result collectors;
//! - [`html`]: a self-contained HTML page with charts and a sortable table.
//!
//! Writers take findings already sorted (see [`sort_findings`]) and never
//! print a raw secret unless explicitly asked to (`show_secrets`); SARIF and
//! HTML never do.

pub mod csv;
pub mod gitleaks;
pub mod html;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod text;

use std::path::Path;
use std::time::Duration;

use crate::finding::Finding;

/// Totals of one scan, reported with its findings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Files scanned (skipped files are not counted).
    pub files: u64,
    /// Bytes scanned.
    pub bytes: u64,
    /// Wall-clock time of the scan.
    pub elapsed: Duration,
}

/// Sorts findings by (path, line, column, rule id) for deterministic output.
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        a.path()
            .cmp(&b.path())
            .then(a.line().cmp(&b.line()))
            .then(a.column().cmp(&b.column()))
            .then_with(|| a.rule_id().cmp(b.rule_id()))
    });
}

/// A path as reports print it: `/` separators, no leading `./`.
pub fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    let mut t = s.as_str();
    while let Some(rest) = t.strip_prefix("./") {
        t = rest.trim_start_matches('/');
    }
    if t.is_empty() {
        s
    } else {
        t.to_string()
    }
}

/// The raw secret as printable text: invalid UTF-8 replaced and control
/// characters escaped, so it cannot corrupt a terminal.
pub(crate) fn printable_secret(f: &Finding) -> String {
    f.secret()
        .expose_str()
        .chars()
        .flat_map(|c| -> Vec<char> {
            if c.is_control() {
                c.escape_default().collect()
            } else {
                vec![c]
            }
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn display_path_normalises() {
        assert_eq!(display_path(Path::new("./a/b.txt")), "a/b.txt");
        assert_eq!(display_path(Path::new("a/b.txt")), "a/b.txt");
        assert_eq!(display_path(Path::new(".//x")), "x");
        assert_eq!(display_path(Path::new("/abs/x")), "/abs/x");
        assert_eq!(display_path(Path::new("-")), "-");
    }
}
