//! Allowlists: inline allow comments in the scanned text, and the global
//! [`Allowlist`] a configuration file or gitleaks config provides.
//!
//! Inline comments recognised (case-insensitive):
//! - same line, detect-secrets' rule: a comment opener (`#`, `//`, `/*` with a
//!   closing `*/` at the end of the line, `'`, `--`, `<!--` with a closing
//!   `-->`), optional blanks, then `pragma: allowlist secret` (the space after
//!   the colon is optional, `whitelist` is accepted, and the space before
//!   `secret` may be a `-`);
//! - same line, other tools' markers anywhere on the line: `keepmum:allow`,
//!   `gitleaks:allow`, `trufflehog:ignore`;
//! - next line, detect-secrets' rule: the whole previous line is a comment
//!   `pragma: allowlist nextline secret` (nothing but blanks before the
//!   comment opener, so `x = 1  # pragma: allowlist nextline secret` does not
//!   hide the line after it);
//! - next line: a previous line holding `keepmum:allow-next-line`.
//!
//! detect-secrets accepts only `#` comments in `.yaml` files; keepmum
//! accepts every opener everywhere (a superset: it never reports a secret
//! detect-secrets would have allowed).

use std::ops::Range;
use std::path::Path;

use memchr::memmem;

use crate::validators::pii::contains_ci;

/// Other tools' markers that allow the line they are on, anywhere on it.
const SAME_LINE: &[&[u8]] = &[b"keepmum:allow", b"gitleaks:allow", b"trufflehog:ignore"];

/// Comment openers detect-secrets recognises, with the closer the line must
/// end with (empty: none).
const OPENERS: &[(&[u8], &[u8])] = &[
    (b"#", b""),
    (b"//", b""),
    (b"/*", b"*/"),
    (b"'", b""),
    (b"--", b""),
    (b"<!--", b"-->"),
];

fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// Parses `pragma: ?<list>[ -][nextline[ -]]secret` at the start of `s`
/// (lowercase); returns the rest of the line after it.
fn parse_pragma(s: &[u8], nextline: bool) -> Option<&[u8]> {
    let mut s = s.strip_prefix(b"pragma:")?;
    s = s.strip_prefix(b" ").unwrap_or(s);
    s = match (s.strip_prefix(b"allowlist"), s.strip_prefix(b"whitelist")) {
        (Some(r), _) => r,
        (None, Some(r)) if !nextline => r,
        _ => return None,
    };
    let sep = |s: &[u8]| -> Option<usize> { matches!(s.first(), Some(b' ' | b'-')).then_some(1) };
    s = &s[sep(s)?..];
    if nextline {
        s = s.strip_prefix(b"nextline")?;
        s = &s[sep(s)?..];
    }
    s.strip_prefix(b"secret")
}

/// True when `rest` (what follows the pragma) satisfies the opener's closer.
fn closes(rest: &[u8], closer: &[u8]) -> bool {
    if closer.is_empty() {
        return true;
    }
    let end = rest
        .iter()
        .rposition(|&b| !is_blank(b))
        .map_or(0, |i| i + 1);
    rest[..end].ends_with(closer)
}

/// detect-secrets' same-line pragma on a lowercase line.
fn same_line_pragma(lower: &[u8]) -> bool {
    for pos in memmem::find_iter(lower, b"pragma:") {
        let Some(rest) = parse_pragma(&lower[pos..], false) else {
            continue;
        };
        // Blanks, then a comment opener, right before the pragma.
        let mut before = &lower[..pos];
        while let Some((&b, head)) = before.split_last() {
            if !is_blank(b) {
                break;
            }
            before = head;
        }
        if OPENERS
            .iter()
            .any(|(open, close)| before.ends_with(open) && closes(rest, close))
        {
            return true;
        }
    }
    false
}

/// detect-secrets' next-line pragma: the whole (lowercase) line is a comment.
fn nextline_pragma(lower: &[u8]) -> bool {
    let start = lower
        .iter()
        .position(|&b| !is_blank(b))
        .unwrap_or(lower.len());
    let line = &lower[start..];
    for (open, close) in OPENERS {
        let Some(mut s) = line.strip_prefix(*open) else {
            continue;
        };
        while let Some((&b, tail)) = s.split_first() {
            if is_blank(b) || (*open == b"<!--" && b == b'#') {
                s = tail;
            } else {
                break;
            }
        }
        if let Some(rest) = parse_pragma(s, true) {
            if closes(rest, close) {
                return true;
            }
        }
    }
    false
}

/// The word before the colon of every inline marker: `pragma:`,
/// `keepmum:allow`, `gitleaks:allow`, `trufflehog:ignore`.
const MARKER_HEADS: &[&[u8]] = &[b"pragma", b"keepmum", b"gitleaks", b"trufflehog"];

/// True when a colon of `text` follows one of [`MARKER_HEADS`] (any case):
/// no marker without it. Lines with a finding often have colons (YAML,
/// JSON, `:=`), rarely these words, so most are cleared without the
/// lowercase copy and the marker searches.
fn may_hold_marker(text: &[u8]) -> bool {
    memchr::memchr_iter(b':', text).any(|i| {
        MARKER_HEADS
            .iter()
            .any(|h| i >= h.len() && text[i - h.len()..i].eq_ignore_ascii_case(h))
    })
}

/// Longest previous line searched for a next-line marker.
const MAX_PREVIOUS_LINE: usize = 4096;

/// True when the line holding `line` (a range inside `hay` that spans one
/// line) carries a same-line allow marker, or the line before it carries a
/// next-line marker.
/// The form of `path` that path regexes (allowlists, rules' `path`) see:
/// `/` separators and no leading `./`, so `scan .` reports `./vendor/a.rs`
/// yet `'^vendor/'` matches it as it does under `--staged` and `--git`.
pub(crate) fn path_for_regexes(path: &Path) -> String {
    let p = path.to_string_lossy().replace('\\', "/");
    let mut rest = p.as_str();
    while let Some(r) = rest.strip_prefix("./") {
        rest = r.trim_start_matches('/');
    }
    rest.to_string()
}

pub(crate) fn is_allowed_inline(hay: &[u8], line: Range<usize>) -> bool {
    let text = &hay[line.clone()];
    if may_hold_marker(text) {
        // Lines are short; a lowercase copy is made only for lines that hold
        // a finding and a colon.
        let lower = text.to_ascii_lowercase();
        if same_line_pragma(&lower) {
            return true;
        }
        for m in SAME_LINE {
            for pos in memmem::find_iter(&lower, m) {
                // `keepmum:allow` is a prefix of the next-line marker.
                if !lower[pos + m.len()..].starts_with(b"-next-line") {
                    return true;
                }
            }
        }
    }
    // Only a real previous line counts: a window cut from a long line has
    // none. The look-back is capped so a huge line costs nothing per match.
    if line.start == 0 || hay[line.start - 1] != b'\n' {
        return false;
    }
    let prev_end = line.start - 1; // the '\n' ending the previous line
    let floor = prev_end.saturating_sub(MAX_PREVIOUS_LINE);
    let Some(prev_start) = memchr::memrchr(b'\n', &hay[floor..prev_end])
        .map(|i| floor + i + 1)
        .or((floor == 0).then_some(0))
    else {
        return false;
    };
    let prev = &hay[prev_start..prev_end];
    let prev = prev.strip_suffix(b"\r").unwrap_or(prev);
    if !may_hold_marker(prev) {
        return false;
    }
    nextline_pragma(&prev.to_ascii_lowercase()) || contains_ci(prev, b"keepmum:allow-next-line")
}

/// Global allow rules from a configuration file: findings whose secret
/// matches a regex or contains a stopword, or whose path matches a path
/// regex, are dropped. Optionally limited to some rule ids.
///
/// ```
/// let mut allow = keepmum::Allowlist::new();
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
        self.secret_regexes
            .extend(other.secret_regexes.iter().cloned());
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
    use proptest::prelude::*;

    /// `is_allowed_inline` as it was before `may_hold_marker`: every line
    /// with a colon searched for every marker.
    fn allowed_reference(hay: &[u8], line: Range<usize>) -> bool {
        let text = &hay[line.clone()];
        if text.contains(&b':') {
            let lower = text.to_ascii_lowercase();
            if same_line_pragma(&lower) {
                return true;
            }
            for m in SAME_LINE {
                for pos in memmem::find_iter(&lower, m) {
                    if !lower[pos + m.len()..].starts_with(b"-next-line") {
                        return true;
                    }
                }
            }
        }
        if line.start == 0 || hay[line.start - 1] != b'\n' {
            return false;
        }
        let prev_end = line.start - 1;
        let floor = prev_end.saturating_sub(MAX_PREVIOUS_LINE);
        let Some(prev_start) = memchr::memrchr(b'\n', &hay[floor..prev_end])
            .map(|i| floor + i + 1)
            .or((floor == 0).then_some(0))
        else {
            return false;
        };
        let prev = &hay[prev_start..prev_end];
        let prev = prev.strip_suffix(b"\r").unwrap_or(prev);
        prev.contains(&b':')
            && (nextline_pragma(&prev.to_ascii_lowercase())
                || contains_ci(prev, b"keepmum:allow-next-line"))
    }

    proptest! {
        /// The colon prefilter changes no decision.
        #[test]
        fn marker_prefilter_decides_as_the_full_search(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "# ", "// ", "/* ", " */", "<!-- ", " -->", "-- ", "'",
                    "pragma: allowlist secret", "PRAGMA:allowlist-nextline-secret",
                    "pragma: whitelist secret", "Keepmum:Allow", "keepmum:allow-next-line",
                    "GITLEAKS:allow", "trufflehog:ignore", "trufflehog:", ":", "pragma",
                    " x = 1", "\n", "\r\n", "key: v",
                ]),
                0..10,
            )
        ) {
            let text = parts.concat();
            let hay = text.as_bytes();
            let mut start = 0;
            for l in text.split('\n') {
                let line = start..start + l.len();
                prop_assert_eq!(
                    is_allowed_inline(hay, line.clone()),
                    allowed_reference(hay, line),
                    "{:?}", text
                );
                start += l.len() + 1;
            }
        }
    }

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
        assert!(allowed("key = 'x'  # keepmum:allow", 0));
        assert!(!allowed("key = 'x'", 0));
    }

    #[test]
    fn detect_secrets_same_line_rules() {
        for ok in [
            "k = 'x'  # pragma: allowlist secret",
            "k = 'x'  #pragma:allowlist secret",
            "k = 'x'  # pragma: whitelist secret",
            "k = 'x'  # pragma: allowlist-secret and more text",
            "k = 'x';  // pragma: allowlist secret",
            "k = 'x';  /* pragma: allowlist secret */",
            "k = 'x'  ' pragma: allowlist secret",
            "k = 'x'  -- pragma: allowlist secret",
            "<a k='x'/> <!-- pragma: allowlist secret -->",
            "k = 'x'  # PRAGMA: ALLOWLIST SECRET",
        ] {
            assert!(allowed(ok, 0), "{ok}");
        }
        for no in [
            "k = 1  pragma: allowlist secret",
            "k = 'x';  /* pragma: allowlist secret",
            "k = 'x'  # pragma: allowlistsecret",
            "k = 'x'  # pragma: allow list secret",
            "k = 'x'  # note pragma: allowlist secret",
        ] {
            assert!(!allowed(no, 0), "{no}");
        }
    }

    #[test]
    fn detect_secrets_next_line_rules() {
        assert!(allowed(
            "  // pragma: allowlist nextline secret\nk = 'x'",
            1
        ));
        assert!(allowed("# pragma: allowlist-nextline-secret\r\nk = 'x'", 1));
        assert!(allowed(
            "/* pragma: allowlist nextline secret */\nk = 'x'",
            1
        ));
        assert!(allowed(
            "<!-- pragma: allowlist nextline secret -->\nk = 'x'",
            1
        ));
        // Text before the comment: not a next-line pragma.
        assert!(!allowed(
            "y = 1  # pragma: allowlist nextline secret\nk = 'x'",
            1
        ));
        // whitelist is not accepted for nextline.
        assert!(!allowed("# pragma: whitelist nextline secret\nk = 'x'", 1));
    }

    #[test]
    fn next_line_marker_allows_only_the_next_line() {
        let t = "# pragma: allowlist nextline secret\nkey = 'x'\nother = 'y'";
        assert!(allowed(t, 1));
        assert!(!allowed(t, 2));
        let t = "# keepmum:allow-next-line\nkey = 'x'";
        assert!(!allowed(t, 0));
        assert!(allowed(t, 1));
    }
}
