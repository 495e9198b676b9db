//! Cheap necessary conditions checked before a regex runs in a window.
//!
//! A regex search has a fixed cost of a few hundred nanoseconds, and on
//! clean text almost every window holds no match. Two gates turn most of
//! those searches away without changing what is found:
//!
//! - **Required bytes:** the punctuation bytes every match of a rule's regex
//!   must contain, read off its syntax tree (`://`, `:` and `@` for a
//!   basic-auth URL). A window missing one of them cannot hold a match.
//! - **Union regex:** rules woken by the same event (every digit run wakes
//!   the five PII digit rules) share one multi-pattern search; only when it
//!   matches do the rules' own regexes run.

use regex_syntax::hir::{Class, Hir, HirKind};

/// Most required bytes kept for one rule: each costs a `memchr` per window.
const MAX_REQUIRED: usize = 3;

/// Punctuation bytes (not letters, digits or whitespace) that every match
/// of the regex `pattern` contains, at most [`MAX_REQUIRED`] of them. Empty
/// when the pattern does not parse (the rule is then reported elsewhere) or
/// requires no such byte.
///
/// Letters and digits are left out: a keyword or digit run already woke the
/// rule, so they are almost always present.
pub(crate) fn required_bytes(pattern: &str) -> Vec<u8> {
    let parsed = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern);
    let Ok(hir) = parsed else {
        return Vec::new();
    };
    let set = required(&hir);
    let mut bytes: Vec<u8> = (0..=255u8)
        .filter(|&b| set.contains(b) && b.is_ascii_punctuation())
        .collect();
    // Rarest first: a window is turned away by the first byte it lacks.
    bytes.sort_by_key(|&b| {
        COMMON
            .iter()
            .position(|&c| c == b)
            .map_or(0, |i| COMMON.len() - i)
    });
    bytes.truncate(MAX_REQUIRED);
    bytes
}

/// Punctuation found in most lines of source code, most common first; any
/// other punctuation (`@`, `$`, `%`…) is rarer than all of these.
const COMMON: &[u8] = b"(),.;:=\"'/_-{}[]<>*#&!+|";

/// True when every byte of `required` occurs in `window`.
#[inline]
pub(crate) fn has_required(window: &[u8], required: &[u8]) -> bool {
    required
        .iter()
        .all(|&b| memchr::memchr(b, window).is_some())
}

/// A set of bytes as a 256-bit mask.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct ByteSet([u64; 4]);

impl ByteSet {
    fn insert(&mut self, b: u8) {
        self.0[usize::from(b >> 6)] |= 1 << (b & 63);
    }
    fn contains(&self, b: u8) -> bool {
        self.0[usize::from(b >> 6)] & (1 << (b & 63)) != 0
    }
    fn union(self, o: ByteSet) -> ByteSet {
        ByteSet(std::array::from_fn(|i| self.0[i] | o.0[i]))
    }
    fn intersect(self, o: ByteSet) -> ByteSet {
        ByteSet(std::array::from_fn(|i| self.0[i] & o.0[i]))
    }
}

/// Bytes every match of `hir` contains.
fn required(hir: &Hir) -> ByteSet {
    let mut set = ByteSet::default();
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(lit) => {
            for &b in lit.0.iter() {
                set.insert(b);
            }
        }
        HirKind::Class(class) => {
            if let Some(b) = single_byte(class) {
                set.insert(b);
            }
        }
        HirKind::Repetition(rep) => {
            if rep.min >= 1 {
                set = required(&rep.sub);
            }
        }
        HirKind::Capture(cap) => set = required(&cap.sub),
        HirKind::Concat(subs) => {
            for s in subs {
                set = set.union(required(s));
            }
        }
        HirKind::Alternation(subs) => {
            let mut it = subs.iter();
            if let Some(first) = it.next() {
                set = it.fold(required(first), |acc, s| acc.intersect(required(s)));
            }
        }
    }
    set
}

/// The only byte a class matches, if it matches exactly one.
fn single_byte(class: &Class) -> Option<u8> {
    match class {
        Class::Bytes(c) => match c.ranges() {
            [r] if r.start() == r.end() => Some(r.start()),
            _ => None,
        },
        Class::Unicode(c) => match c.ranges() {
            [r] if r.start() == r.end() => u8::try_from(u32::from(r.start())).ok(),
            _ => None,
        },
    }
}

#[cfg(test)]
#[path = "tests/gate.rs"]
mod tests;
