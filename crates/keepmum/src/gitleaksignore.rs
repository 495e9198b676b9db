//! `.gitleaksignore`: a list of finding fingerprints to ignore, in gitleaks'
//! format, so teams migrating from gitleaks keep their existing ignores.
//!
//! One entry per line; blank lines and lines starting with `#` are skipped.
//! Accepted shapes:
//! - `file:rule:line` — ignores that finding in any commit (and in a
//!   directory scan);
//! - `commit:file:rule:line` — ignores it only in that commit;
//! - `rule:path:hash` — keepmum's own line-independent fingerprint (see
//!   [`Finding::fingerprint`]).
//!
//! `\` is normalised to `/` (Windows paths) and a leading `./` is dropped.
//! Any other shape is recorded as a warning and otherwise ignored; parsing
//! never fails.
//!
//! ```
//! use keepmum::gitleaksignore::GitleaksIgnore;
//! let ig = GitleaksIgnore::parse("# reviewed\nsrc/app.py:github-pat:12\nnot an entry\n");
//! assert_eq!(ig.len(), 1);
//! assert_eq!(ig.warnings().len(), 1);
//! ```

use std::collections::HashSet;
use std::path::Path;

use crate::error::{Error, Result};
use crate::Finding;

/// The default file name.
pub const FILE_NAME: &str = ".gitleaksignore";

/// A parsed `.gitleaksignore`.
#[derive(Clone, Debug, Default)]
pub struct GitleaksIgnore {
    /// Normalised entries, as `a:b:c` or `commit:a:b:c` strings.
    entries: HashSet<String>,
    warnings: Vec<String>,
}

/// Normalises the path part of an entry or a finding.
fn normalise_path(p: &str) -> String {
    let p = p.replace('\\', "/");
    let mut s = p.as_str();
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    s.to_string()
}

fn is_line_number(s: &str) -> bool {
    !s.is_empty() && s.len() <= 12 && s.bytes().all(|b| b.is_ascii_digit())
}

fn is_hex(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit())
}

impl GitleaksIgnore {
    /// An empty ignore list.
    pub fn new() -> GitleaksIgnore {
        GitleaksIgnore::default()
    }

    /// Parses the text of a `.gitleaksignore` file. Never fails: malformed
    /// lines become [`GitleaksIgnore::warnings`].
    pub fn parse(text: &str) -> GitleaksIgnore {
        let mut out = GitleaksIgnore::new();
        for (n, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let parts: Vec<&str> = line.split(':').collect();
            let entry = match parts.as_slice() {
                // gitleaks `file:rule:line`, or our `rule:path:hash`.
                [a, b, c] if !a.is_empty() && !b.is_empty() && is_line_number(c) => {
                    Some(format!("{}:{b}:{c}", normalise_path(a)))
                }
                [a, b, c] if !a.is_empty() && !b.is_empty() && c.len() == 16 && is_hex(c) => Some(
                    format!("{a}:{}:{}", normalise_path(b), c.to_ascii_lowercase()),
                ),
                [commit, f, r, l]
                    if is_hex(commit) && !f.is_empty() && !r.is_empty() && is_line_number(l) =>
                {
                    Some(format!(
                        "{}:{}:{r}:{l}",
                        commit.to_ascii_lowercase(),
                        normalise_path(f)
                    ))
                }
                _ => None,
            };
            match entry {
                Some(e) => {
                    out.entries.insert(e);
                }
                // The line may hold a secret-like value: do not echo it.
                None => out.warnings.push(format!(
                    "{FILE_NAME}:{}: not a fingerprint (expected file:rule:line or \
                     commit:file:rule:line); ignored",
                    n + 1
                )),
            }
        }
        out
    }

    /// Reads and parses a `.gitleaksignore` file.
    ///
    /// # Errors
    /// Only when the file cannot be read.
    pub fn load(path: &Path) -> Result<GitleaksIgnore> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(Some(path), e))?;
        Ok(GitleaksIgnore::parse(&String::from_utf8_lossy(&bytes)))
    }

    /// Malformed lines, one message each (line numbers, never line content).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Number of valid entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are no valid entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// True when `finding` is listed: by `file:rule:line`, by
    /// `commit:file:rule:line` when `commit` is given, or by its keepmum
    /// fingerprint. The finding's path is used as reported (relative paths
    /// match relative entries).
    pub fn is_ignored(&self, finding: &Finding, commit: Option<&str>) -> bool {
        if self.entries.is_empty() {
            return false;
        }
        let file = finding
            .path()
            .map(|p| normalise_path(&p.to_string_lossy()))
            .unwrap_or_default();
        let short = format!("{file}:{}:{}", finding.rule_id(), finding.line());
        if self.entries.contains(&short) {
            return true;
        }
        if let Some(c) = commit.filter(|c| !c.is_empty()) {
            if self
                .entries
                .contains(&format!("{}:{short}", c.to_ascii_lowercase()))
            {
                return true;
            }
        }
        let sha = finding.secret_sha1();
        self.entries
            .contains(&format!("{}:{file}:{}", finding.rule_id(), &sha[..16]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scanner;
    use std::path::Path;

    fn finding(path: &str, line: usize) -> Finding {
        let token = format!("ghp_{}", "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8");
        let text = format!("{}t = \"{token}\"\n", "\n".repeat(line - 1));
        let mut f = Scanner::new().scan_bytes_at(text.as_bytes(), Path::new(path));
        assert_eq!(f.len(), 1);
        f.remove(0)
    }

    #[test]
    fn three_part_entries_ignore_in_any_commit() {
        let ig = GitleaksIgnore::parse("# comment\n\nsrc/app.py:github-pat:3\n");
        assert_eq!(ig.len(), 1);
        assert!(ig.warnings().is_empty());
        assert!(ig.is_ignored(&finding("src/app.py", 3), None));
        assert!(ig.is_ignored(&finding("src/app.py", 3), Some("abc123")));
        assert!(ig.is_ignored(&finding("./src/app.py", 3), None));
        assert!(!ig.is_ignored(&finding("src/app.py", 4), None));
        assert!(!ig.is_ignored(&finding("src/other.py", 3), None));
    }

    #[test]
    fn four_part_entries_need_the_commit() {
        let c = "0123456789abcdef0123456789abcdef01234567";
        let ig = GitleaksIgnore::parse(&format!("{c}:src/app.py:github-pat:2\n"));
        let f = finding("src/app.py", 2);
        assert!(ig.is_ignored(&f, Some(c)));
        assert!(ig.is_ignored(&f, Some(&c.to_uppercase())));
        assert!(!ig.is_ignored(&f, None));
        assert!(!ig.is_ignored(&f, Some("fedcba9876543210fedcba9876543210fedcba98")));
    }

    #[test]
    fn backslashes_are_normalised() {
        let ig = GitleaksIgnore::parse("src\\win\\app.py:github-pat:1\r\n");
        assert!(ig.is_ignored(&finding("src/win/app.py", 1), None));
        assert!(ig.is_ignored(&finding("src\\win\\app.py", 1), None));
    }

    #[test]
    fn own_fingerprints_survive_line_moves() {
        let f = finding("src/app.py", 1);
        let ig = GitleaksIgnore::parse(&f.fingerprint());
        assert_eq!(ig.len(), 1, "{:?}", ig.warnings());
        assert!(ig.is_ignored(&finding("src/app.py", 9), None));
        assert!(!ig.is_ignored(&finding("src/b.py", 1), None));
    }

    #[test]
    fn bad_shapes_are_warnings_without_content() {
        let ig = GitleaksIgnore::parse("just-text\na:b\nfile:rule:notanumber\nzz:f:r:1\n:r:1\n");
        assert!(ig.is_empty());
        assert_eq!(ig.warnings().len(), 5);
        assert!(ig.warnings()[0].contains(":1:"));
        assert!(!ig.warnings().iter().any(|w| w.contains("just-text")));
        assert!(!ig.is_ignored(&finding("file", 1), None));
    }

    #[test]
    fn load_reads_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(FILE_NAME);
        std::fs::write(&p, "a.py:github-pat:1\n").unwrap();
        assert_eq!(GitleaksIgnore::load(&p).unwrap().len(), 1);
        assert!(GitleaksIgnore::load(&dir.path().join("missing")).is_err());
    }

    mod props {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            #[test]
            fn parse_never_panics_and_counts_lines(s in "\\PC{0,300}") {
                let ig = GitleaksIgnore::parse(&s);
                let lines = s.lines().filter(|l| !l.trim().is_empty() && !l.trim().starts_with('#')).count();
                // Every entry line is either an entry (duplicates merge) or a warning.
                prop_assert!(ig.len() + ig.warnings().len() <= lines);
                prop_assert_eq!(lines > 0, ig.len() + ig.warnings().len() > 0);
            }

            #[test]
            fn valid_entries_round_trip(
                file in "[a-z]{1,6}(/[a-z]{1,6}){0,2}\\.[a-z]{1,3}",
                rule in "[a-z][a-z-]{0,10}",
                line in 1usize..100_000,
                commit in proptest::option::of("[0-9a-f]{40}"),
            ) {
                let entry = match &commit {
                    Some(c) => format!("{c}:{file}:{rule}:{line}"),
                    None => format!("{file}:{rule}:{line}"),
                };
                let ig = GitleaksIgnore::parse(&format!("# header\n{entry}\n"));
                prop_assert_eq!(ig.len(), 1);
                prop_assert!(ig.warnings().is_empty());
            }
        }
    }
}
