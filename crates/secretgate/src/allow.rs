//! Allowlists: inline allow comments in the scanned text, and the global
//! [`Allowlist`] a configuration file or gitleaks config provides.
//!
//! Inline comments recognised (case-insensitive):
//! - same line: `pragma: allowlist secret` (detect-secrets; also
//!   `pragma: whitelist secret` and no space after the colon),
//!   `secretgate:allow`, `gitleaks:allow`, `trufflehog:ignore`;
//! - next line: a line holding `pragma: allowlist nextline secret` or
//!   `secretgate:allow-next-line` allows the line after it.

use std::ops::Range;

use memchr::memmem;

/// Markers that allow the line they are on.
const SAME_LINE: &[&[u8]] = &[
    b"pragma: allowlist secret",
    b"pragma:allowlist secret",
    b"pragma: whitelist secret",
    b"pragma:whitelist secret",
    b"pragma: allowlist-secret",
    b"secretgate:allow",
    b"gitleaks:allow",
    b"trufflehog:ignore",
];

/// Markers that allow the following line.
const NEXT_LINE: &[&[u8]] = &[
    b"pragma: allowlist nextline secret",
    b"pragma:allowlist nextline secret",
    b"pragma: allowlist-nextline-secret",
    b"secretgate:allow-next-line",
];

fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.len() >= needle.len() && memmem::find(&hay.to_ascii_lowercase(), needle).is_some()
}

/// True when the line holding `line` (a range inside `hay` that spans one
/// line) carries a same-line allow marker, or the line before it carries a
/// next-line marker.
pub(crate) fn is_allowed_inline(hay: &[u8], line: Range<usize>) -> bool {
    let text = &hay[line.clone()];
    if memchr::memchr(b':', text).is_some() {
        // Lines are short; a lowercase copy is made only for lines that hold
        // a finding and a colon.
        let lower = text.to_ascii_lowercase();
        for m in SAME_LINE {
            for pos in memmem::find_iter(&lower, m) {
                // `secretgate:allow` is a prefix of the next-line marker.
                if !lower[pos + m.len()..].starts_with(b"-next-line") {
                    return true;
                }
            }
        }
    }
    if line.start == 0 {
        return false;
    }
    let prev_end = line.start - 1; // the '\n' ending the previous line
    let prev_start = memchr::memrchr(b'\n', &hay[..prev_end]).map_or(0, |i| i + 1);
    let prev = &hay[prev_start..prev_end];
    NEXT_LINE.iter().any(|m| contains_ci(prev, m))
}

/// Global allow rules from a configuration file: findings whose secret
/// matches a regex or contains a stopword, or whose path matches a path
/// regex, are dropped. Optionally limited to some rule ids.
///
/// ```
/// let mut allow = secretgate::Allowlist::new();
/// allow.add_path_regex(r"^tests/fixtures/");
/// allow.add_stopword("example");
/// assert!(!allow.is_empty());
/// ```
#[derive(Clone, Debug, Default)]
pub struct Allowlist {
    pub(crate) secret_regexes: Vec<String>,
    pub(crate) stopwords: Vec<String>,
    pub(crate) path_regexes: Vec<String>,
}

impl Allowlist {
    /// An empty allowlist.
    pub fn new() -> Allowlist {
        Allowlist::default()
    }

    /// Drops findings whose secret matches `regex` (checked by
    /// `ScannerBuilder::build`).
    pub fn add_secret_regex(&mut self, regex: impl Into<String>) -> &mut Allowlist {
        self.secret_regexes.push(regex.into());
        self
    }

    /// Drops findings whose secret contains `word` (case-insensitive).
    pub fn add_stopword(&mut self, word: impl Into<String>) -> &mut Allowlist {
        self.stopwords.push(word.into());
        self
    }

    /// Skips files whose path (with `/` separators) matches `regex`.
    pub fn add_path_regex(&mut self, regex: impl Into<String>) -> &mut Allowlist {
        self.path_regexes.push(regex.into());
        self
    }

    /// Adds every entry of `other`.
    pub fn extend(&mut self, other: &Allowlist) {
        self.secret_regexes.extend(other.secret_regexes.iter().cloned());
        self.stopwords.extend(other.stopwords.iter().cloned());
        self.path_regexes.extend(other.path_regexes.iter().cloned());
    }

    /// True when nothing is allowed.
    pub fn is_empty(&self) -> bool {
        self.secret_regexes.is_empty() && self.stopwords.is_empty() && self.path_regexes.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(text: &str, line_no: usize) -> bool {
        let hay = text.as_bytes();
        let mut start = 0;
        for (i, l) in text.split('\n').enumerate() {
            if i == line_no {
                return is_allowed_inline(hay, start..start + l.len());
            }
            start += l.len() + 1;
        }
        panic!("no line {line_no}")
    }

    #[test]
    fn same_line_markers() {
        assert!(allowed("key = 'x'  # pragma: allowlist secret", 0));
        assert!(allowed("key = 'x'  // gitleaks:allow", 0));
        assert!(allowed("key = 'x'  # trufflehog:ignore", 0));
        assert!(allowed("key = 'x'  # secretgate:allow", 0));
        assert!(!allowed("key = 'x'", 0));
    }

    #[test]
    fn next_line_marker_allows_only_the_next_line() {
        let t = "# pragma: allowlist nextline secret\nkey = 'x'\nother = 'y'";
        assert!(allowed(t, 1));
        assert!(!allowed(t, 2));
        let t = "# secretgate:allow-next-line\nkey = 'x'";
        assert!(!allowed(t, 0));
        assert!(allowed(t, 1));
    }
}
