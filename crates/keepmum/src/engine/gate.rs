//! Cheap necessary conditions checked before a regex runs in a window.
//!
//! A regex search has a fixed cost of a few hundred nanoseconds, and on
//! clean text almost every window holds no match. Two gates turn most of
//! those searches away without changing what is found:
//!
//! - **Required bytes:** the punctuation bytes every match of a rule's regex
//!   must contain, read off its syntax tree (`@`, `/` and `:` for a
//!   basic-auth URL), and one pair of adjacent bytes outside its keywords
//!   (`-u` for curl's `-u`/`--user`). A window missing one of them cannot
//!   hold a match.
//! - **Union regex:** rules woken by the same event (every digit run wakes
//!   the five PII digit rules) share one multi-pattern search; only when it
//!   matches do the rules' own regexes run.

use regex_syntax::hir::{Class, Hir, HirKind};

/// Most required bytes kept for one rule: each costs a `memchr` per window.
pub(crate) const MAX_REQUIRED: usize = 3;

/// What every match of a rule's regex contains, beyond its keyword.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Required {
    /// Punctuation bytes (not letters, digits or whitespace), rarest in
    /// source code first, at most [`MAX_REQUIRED`] of them.
    pub(crate) bytes: Vec<u8>,
    /// Two adjacent bytes, not part of any of the rule's keywords: `-u` for
    /// `curl … (?:-u|--user) …`, which lines that merely run `curl` lack.
    pub(crate) pair: Option<[u8; 2]>,
}

impl Required {
    /// True when `window` holds every required byte and the pair.
    #[inline]
    pub(crate) fn holds(&self, window: &[u8]) -> bool {
        has_required(window, &self.bytes)
            && self.pair.is_none_or(|[a, b]| {
                memchr::memchr_iter(a, window).any(|i| window.get(i + 1) == Some(&b))
            })
    }
}

/// What every match of the regex `pattern` contains; `keywords` (any case)
/// are already known to be present, so no pair is taken from them. Empty
/// when the pattern does not parse (the rule is then reported elsewhere).
#[cfg(test)]
pub(crate) fn required(pattern: &str, keywords: &[String]) -> Required {
    let parsed = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern);
    let Ok(hir) = parsed else {
        return Required::default();
    };
    required_from_hir(&hir, keywords)
}

/// [`required`] for a parsed regex.
pub(crate) fn required_from_hir(hir: &Hir, keywords: &[String]) -> Required {
    let set = required_set(hir);
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
    let keywords: Vec<Vec<u8>> = keywords
        .iter()
        .map(|k| k.to_ascii_lowercase().into_bytes())
        .collect();
    let in_keyword = |p: &[u8; 2]| {
        let p = p.map(|b| b.to_ascii_lowercase());
        keywords.iter().any(|k| k.windows(2).any(|w| w == p))
    };
    // A pair with punctuation in it first: letter pairs are common.
    let mut pairs: Vec<[u8; 2]> = required_pairs(hir)
        .into_iter()
        .filter(|p| !in_keyword(p) && !p.contains(&b'\n'))
        .collect();
    pairs.sort_by_key(|p| !p.iter().any(u8::is_ascii_punctuation));
    Required {
        bytes,
        pair: pairs.first().copied(),
    }
}

/// Bytes every match of `pattern` contains (see [`required`]).
#[cfg(test)]
pub(crate) fn required_bytes(pattern: &str) -> Vec<u8> {
    required(pattern, &[]).bytes
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

/// Adjacent byte pairs every match of `hir` contains, sorted.
fn required_pairs(hir: &Hir) -> Vec<[u8; 2]> {
    let mut pairs = match hir.kind() {
        HirKind::Empty | HirKind::Look(_) | HirKind::Class(_) => Vec::new(),
        HirKind::Literal(lit) => lit.0.windows(2).map(|w| [w[0], w[1]]).collect(),
        HirKind::Repetition(rep) if rep.min >= 1 => required_pairs(&rep.sub),
        HirKind::Repetition(_) => Vec::new(),
        HirKind::Capture(cap) => required_pairs(&cap.sub),
        HirKind::Concat(subs) => {
            let mut pairs: Vec<[u8; 2]> = subs.iter().flat_map(required_pairs).collect();
            // Pairs across adjacent parts: the last known byte of one and
            // the first of the next (zero-width assertions between them
            // consume nothing).
            let mut last: Option<u8> = None;
            for sub in subs {
                if matches!(sub.kind(), HirKind::Look(_) | HirKind::Empty) {
                    continue;
                }
                let (first, end) = edges(sub);
                if let (Some(a), Some(b)) = (last, first) {
                    pairs.push([a, b]);
                }
                last = end;
            }
            pairs
        }
        HirKind::Alternation(subs) => {
            let mut it = subs.iter().map(required_pairs);
            let first = it.next().unwrap_or_default();
            it.fold(first, |acc, p| {
                acc.into_iter().filter(|x| p.contains(x)).collect()
            })
        }
    };
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// The first and last byte of every match of `hir`, when each is always
/// the same one byte (a literal, or a one-byte class).
fn edges(hir: &Hir) -> (Option<u8>, Option<u8>) {
    match hir.kind() {
        HirKind::Literal(lit) => (lit.0.first().copied(), lit.0.last().copied()),
        HirKind::Class(class) => {
            let b = single_byte(class);
            (b, b)
        }
        HirKind::Capture(cap) => edges(&cap.sub),
        // `(ab){2}` starts with `a` and ends with `b`, like `ab`.
        HirKind::Repetition(rep) if rep.min >= 1 => edges(&rep.sub),
        _ => (None, None),
    }
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
fn required_set(hir: &Hir) -> ByteSet {
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
                set = required_set(&rep.sub);
            }
        }
        HirKind::Capture(cap) => set = required_set(&cap.sub),
        HirKind::Concat(subs) => {
            for s in subs {
                set = set.union(required_set(s));
            }
        }
        HirKind::Alternation(subs) => {
            let mut it = subs.iter();
            if let Some(first) = it.next() {
                set = it.fold(required_set(first), |acc, s| acc.intersect(required_set(s)));
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
