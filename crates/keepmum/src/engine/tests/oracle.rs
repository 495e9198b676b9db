//! What the engine's shortcuts are tested against: the regex's own answer
//! on every sub-range of a haystack (for `card` and `email`, which find a
//! built-in rule's match without its regex), and the plain path's findings
//! (for the shortcuts of `Engine::confirm`).

use std::ops::Range;

use regex_automata::{meta::Regex, Input};

use super::PLAIN_PATH;
use crate::Scanner;

/// The regex's leftmost match in `hay[from..end]` (look-arounds see the
/// bytes around the range).
pub(crate) fn leftmost(re: &Regex, hay: &[u8], from: usize, end: usize) -> Option<Range<usize>> {
    re.search(&Input::new(hay).range(from..end))
        .map(|m| m.range())
}

/// The regex of built-in rule `id`, compiled, after checking that it is
/// `pattern` (the one a shortcut knows).
pub(crate) fn builtin_regex(id: &str, pattern: &str) -> Regex {
    let rules = crate::rules::RuleSet::builtin();
    let rule = rules.iter().find(|r| r.id() == id).expect("built-in rule");
    assert_eq!(rule.regex(), pattern, "{id}");
    super::compile_regex(pattern).expect("built-in regex")
}

/// `check(hay, from, end)` for every sub-range of each of `hays`,
/// panicking with the first disagreement.
pub(crate) fn every_range(
    hays: &[&str],
    check: impl Fn(&[u8], usize, usize) -> Result<(), String>,
) {
    for hay in hays {
        let hay = hay.as_bytes();
        for from in 0..=hay.len() {
            for end in from..=hay.len() {
                check(hay, from, end).unwrap();
            }
        }
    }
}

/// A sub-range of a `len`-byte haystack picked from two random numbers.
pub(crate) fn some_range(len: usize, cut: usize, tail: usize) -> (usize, usize) {
    let from = cut % (len + 1);
    (from, from + tail % (len - from + 1))
}

/// The message of a disagreement.
pub(crate) fn differ(
    hay: &[u8],
    from: usize,
    end: usize,
    got: impl std::fmt::Debug,
    want: impl std::fmt::Debug,
) -> String {
    format!(
        "{:?} {from}..{end}: {got:?}, regex {want:?}",
        String::from_utf8_lossy(hay)
    )
}

/// A finding as a comparable tuple: rule, span, line, column, confidence.
pub(crate) type Seen = (String, usize, usize, usize, usize, String);

/// The findings of one scan of `hay`, sorted.
fn findings(scanner: &Scanner, hay: &[u8]) -> Vec<Seen> {
    let mut found: Vec<_> = scanner
        .scan_bytes(hay)
        .iter()
        .map(|f| {
            (
                f.rule_id().to_string(),
                f.span().start,
                f.span().end,
                f.line(),
                f.column(),
                format!("{:?}", f.confidence()),
            )
        })
        .collect();
    found.sort();
    found
}

/// Findings on the shortcut path and on the plain path.
pub(crate) fn both_paths(hay: &[u8]) -> (Vec<Seen>, Vec<Seen>) {
    let scanner = Scanner::new();
    let fast = findings(&scanner, hay);
    PLAIN_PATH.with(|p| p.set(true));
    let plain = findings(&scanner, hay);
    PLAIN_PATH.with(|p| p.set(false));
    (fast, plain)
}
