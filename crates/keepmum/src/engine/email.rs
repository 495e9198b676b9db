//! The built-in email rule's leftmost match, found from the bytes around
//! each `@` where the address has a plain shape, without its regex.
//!
//! Emails back to back (`x@y.io x@y.io …`) cost a forward and a reverse
//! lazy-DFA pass per address (~630 instructions each). Most addresses have
//! a plain domain: labels of letters and digits, a last label of 2 to 24
//! letters, followed by a byte that is no word byte (or by a full stop).
//! For those the regex's match is known without running it (see
//! [`find`]); any other shape is left to the regex, from where the
//! shortcut stopped. A property test compares the answers with the
//! regex's on address-dense random input.

use std::ops::Range;

/// The built-in `email-address` rule's regex, the only one [`find`]
/// answers for (a rule whose regex differs, even by a byte, is searched
/// with its regex).
pub(super) const PATTERN: &str = r"\b([A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.(?:[A-Za-z]{2,24}|xn--[A-Za-z0-9-]{1,59}))\b";

/// Longest domain [`find`] reads before leaving the address to the regex.
const DOMAIN_MAX: usize = 256;

/// What [`find`] knows about the leftmost match in `from..end`.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Found {
    /// The regex's leftmost match.
    Match(Range<usize>),
    /// The regex matches nowhere in the range.
    Nothing,
    /// No match starts before this position; from there on, ask the regex.
    AskFrom(usize),
}

/// A byte of the local part: `[A-Za-z0-9._%+-]`.
#[inline]
fn local_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

/// A word byte for `\b` (ASCII: the engine's regexes are not Unicode).
#[inline]
fn word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The end of a plain domain starting at `d` (`hay[d..]` right after the
/// `@`), if it is one: the maximal run of `[A-Za-z0-9.]` there is two or
/// more labels of 1 to 63 letters and digits, the last of 2 to 24 letters,
/// then either the byte after the run, which must be neither a word byte
/// nor a `-` (a `-` would continue a label), or one `.` ending the run (a
/// sentence's full stop: no label follows it). Then the regex's domain
/// part, from `d`, matches exactly the labels: its greedy repetition takes
/// every label but the last, which the first TLD alternative takes whole,
/// and `\b` holds after it.
fn plain_domain(hay: &[u8], d: usize) -> Option<usize> {
    let mut e = d;
    let (mut labels, mut label, mut letters_only) = (0usize, 0usize, true);
    // The last label a `.` ended: its length and whether it is all letters.
    let mut ended = (0usize, false);
    while let Some(&b) = hay.get(e) {
        if b == b'.' {
            if label == 0 {
                return None;
            }
            labels += 1;
            ended = (label, letters_only);
            (label, letters_only) = (0, true);
        } else if b.is_ascii_alphanumeric() {
            label += 1;
            letters_only &= b.is_ascii_alphabetic();
            if label > 63 {
                return None;
            }
        } else {
            break;
        }
        e += 1;
        if e - d > DOMAIN_MAX {
            return None;
        }
    }
    let (labels, (last, last_letters), stop) = if label == 0 {
        // The run ends with a `.` (it cannot start with one: `label == 0`
        // at a `.` returned above), which no label follows.
        (labels, ended, e - 1)
    } else {
        let next_ok = hay.get(e).is_none_or(|&b| !word_byte(b) && b != b'-');
        if !next_ok {
            return None;
        }
        (labels + 1, (label, letters_only), e)
    };
    (labels >= 2 && (2..=24).contains(&last) && last_letters).then_some(stop)
}

/// The regex [`PATTERN`]'s leftmost match in `hay[from..end]` (look-arounds
/// reading the bytes outside it, as the regex's do), as far as plain
/// shapes decide it.
///
/// Every match holds exactly one `@` (neither part's bytes include it), so
/// a match starting at or before the first `@` at `q` uses that `@`. When
/// the domain after `q` is plain ([`plain_domain`]), the matches using `q`
/// all end where it ends, and start at any `p` such that `hay[p..q]` is
/// 1 to 64 local-part bytes, `hay[p]` a letter or digit and `\b` holds
/// before `p`: the leftmost such `p` gives the match. Without one, no
/// match starts at or before `q`, and the next `@` is looked at.
pub(super) fn find(hay: &[u8], from: usize, end: usize) -> Found {
    let end = end.min(hay.len());
    let mut at = from;
    while at < end {
        let Some(q) = memchr::memchr(b'@', &hay[at..end]).map(|i| at + i) else {
            return Found::Nothing;
        };
        let Some(stop) = plain_domain(hay, q + 1) else {
            return Found::AskFrom(at);
        };
        if stop > end {
            return Found::AskFrom(at);
        }
        let lo = at.max(q.saturating_sub(64));
        let mut run = q;
        while run > lo && local_byte(hay[run - 1]) {
            run -= 1;
        }
        let start = (run..q)
            .find(|&p| hay[p].is_ascii_alphanumeric() && (p == 0 || !word_byte(hay[p - 1])));
        if let Some(p) = start {
            return Found::Match(p..stop);
        }
        at = q + 1;
    }
    Found::Nothing
}

#[cfg(test)]
#[path = "tests/email.rs"]
mod tests;
