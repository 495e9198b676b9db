//! The built-in card-number rule's leftmost match, found by a byte loop
//! instead of its regex.
//!
//! A line of card-like digit groups (four groups of four digits, again and
//! again) holds a match every ~20 bytes, and each regex search (a forward and a
//! reverse lazy-DFA pass plus the search's set-up) cost more than the
//! validator. The rule's shape is simple enough to follow by hand: runs
//! of digits joined by at most one ` ` or `-`, whose only choices are how
//! many digits a bounded repetition takes, and the separators are no
//! digits, so each `[ -]?` has one way to match. [`find`] tries those
//! choices in the regex's priority order (greedy counts first, the
//! optional group before its absence, the first alternative before the
//! second), start by start, so its answer is the regex's leftmost-first
//! match. A property test compares it with the regex on card-dense random
//! input and random sub-ranges.

use std::ops::Range;

/// The built-in `credit-card` rule's regex, the only one [`find`] answers
/// for (a rule whose regex differs, even by a byte, is searched with its
/// regex).
pub(super) const PATTERN: &str = r"\b([2-6][0-9]{3}(?:[ -]?[0-9]{4}){2}[ -]?[0-9]{1,4}(?:[ -]?[0-9]{1,3})?|3[0-9]{3}[ -]?[0-9]{6}[ -]?[0-9]{4,5})\b";

/// A word byte for `\b` (ASCII: the engine's regexes are not Unicode).
#[inline]
fn word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The regex's leftmost-first match of [`PATTERN`] in `hay[from..end]`
/// (look-around reads the bytes on either side of the range, as the
/// regex's does).
pub(super) fn find(hay: &[u8], from: usize, end: usize) -> Option<Range<usize>> {
    let end = end.min(hay.len());
    let mut s = from;
    while s < end {
        // A match starts on a digit with no word byte before it.
        if hay[s].is_ascii_digit() && (s == 0 || !word_byte(hay[s - 1])) {
            if let Some(e) = at(hay, s, end) {
                return Some(s..e);
            }
        }
        s += 1;
    }
    None
}

/// The end of the regex's match starting at `s`, if one does.
fn at(hay: &[u8], s: usize, end: usize) -> Option<usize> {
    let cx = Cursor { hay, end };
    first_form(cx, s).or_else(|| second_form(cx, s))
}

/// The haystack and the end no match may pass.
#[derive(Clone, Copy)]
struct Cursor<'a> {
    hay: &'a [u8],
    end: usize,
}

impl Cursor<'_> {
    /// How many digits (up to `max`) follow `p` before `end`.
    fn digits(self, p: usize, max: usize) -> usize {
        let mut n = 0;
        while n < max && p + n < self.end && self.hay[p + n].is_ascii_digit() {
            n += 1;
        }
        n
    }

    /// `p` past an optional `[ -]` (one way only: a separator is no digit,
    /// and a digit must follow either way).
    fn sep(self, p: usize) -> usize {
        if p < self.end && matches!(self.hay[p], b' ' | b'-') {
            p + 1
        } else {
            p
        }
    }

    /// `\b` at `e`, right after a digit: the next byte is no word byte.
    fn boundary(self, e: usize) -> bool {
        self.hay.get(e).is_none_or(|&b| !word_byte(b))
    }
}

/// `[2-6][0-9]{3}(?:[ -]?[0-9]{4}){2}[ -]?[0-9]{1,4}(?:[ -]?[0-9]{1,3})?\b`
fn first_form(cx: Cursor, s: usize) -> Option<usize> {
    if !(b'2'..=b'6').contains(&cx.hay[s]) || cx.digits(s, 4) < 4 {
        return None;
    }
    let mut p = s + 4;
    for _ in 0..2 {
        p = cx.sep(p);
        if cx.digits(p, 4) < 4 {
            return None;
        }
        p += 4;
    }
    let p = cx.sep(p);
    for k in (1..=cx.digits(p, 4)).rev() {
        let q = p + k;
        // The optional group, present first (its count greedy), then absent.
        // Of its counts only the greatest can end at `\b`: a smaller one
        // is followed by one more digit, a word byte.
        let q2 = cx.sep(q);
        let j = cx.digits(q2, 3);
        if j > 0 && cx.boundary(q2 + j) {
            return Some(q2 + j);
        }
        if cx.boundary(q) {
            return Some(q);
        }
    }
    None
}

/// `3[0-9]{3}[ -]?[0-9]{6}[ -]?[0-9]{4,5}\b`
fn second_form(cx: Cursor, s: usize) -> Option<usize> {
    if cx.hay[s] != b'3' || cx.digits(s, 4) < 4 {
        return None;
    }
    let p = cx.sep(s + 4);
    if cx.digits(p, 6) < 6 {
        return None;
    }
    let p = cx.sep(p + 6);
    // Only the greatest count can end at `\b` (see `first_form`).
    let n = cx.digits(p, 5);
    (n >= 4 && cx.boundary(p + n)).then_some(p + n)
}

#[cfg(test)]
#[path = "tests/card.rs"]
mod tests;
