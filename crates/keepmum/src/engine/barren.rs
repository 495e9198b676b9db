//! The memo of lines that yielded nothing in `Engine::confirm`: by rule and
//! content, so the same line again (a file of repeated lines, a hook
//! payload built to be slow) is skipped with one hash and one comparison.
//!
//! Every line of a keyword-dense input is hashed once per rule that wakes
//! on it, so the hash must be cheap: SipHash cost ~15% of a file of
//! `"access_token": "tok…",` lines. The hash here reads 8 bytes per
//! multiply (a folded 64×64→128 multiply, as foldhash does), keyed per memo
//! by a random seed the input cannot see. It only places lines: a line is
//! skipped only when its bytes equal the remembered line's, so a collision
//! costs a missed skip, never a wrong answer.

use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};
use std::ops::Range;

/// Most lines remembered at once (all are forgotten when full): memory
/// stays bounded on inputs of distinct lines.
const MAX_LINES: usize = 4096;

/// Odd constants of the mix (digits of pi, as many hashes use).
const K0: u64 = 0x243f_6a88_85a3_08d3;
const K1: u64 = 0x1319_8a2e_0370_7344;
const K2: u64 = 0xa409_3822_299f_31d0;

/// The high and low halves of `a * b`, folded together.
#[inline]
fn folded_multiply(a: u64, b: u64) -> u64 {
    let full = u128::from(a) * u128::from(b);
    (full as u64) ^ ((full >> 64) as u64)
}

/// Hashes `bytes` under `seed`: 8 bytes per folded multiply, the length
/// mixed in first (so `ab` and `ab\0` differ).
fn hash_bytes(seed: u64, bytes: &[u8]) -> u64 {
    let mut h = folded_multiply(seed ^ K0, (bytes.len() as u64) ^ K1);
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let mut le = [0u8; 8];
        le.copy_from_slice(w);
        h = folded_multiply(h ^ u64::from_le_bytes(le), K2 ^ seed);
    }
    let rest = words.remainder();
    if !rest.is_empty() {
        let mut le = [0u8; 8];
        le[..rest.len()].copy_from_slice(rest);
        h = folded_multiply(h ^ u64::from_le_bytes(le), K1 ^ seed);
    }
    h
}

/// Places a memo key (a rule and a line's seeded hash, already mixed) in
/// the map: one more multiply so every bit of the key reaches the bits the
/// table reads.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        folded_multiply(self.0 ^ K0, K1)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u32(&mut self, x: u32) {
        self.0 = self.0.rotate_left(32) ^ u64::from(x);
    }

    fn write_u64(&mut self, x: u64) {
        self.0 = self.0.rotate_left(29) ^ x;
    }
}

/// Lines of single-line rules that yielded nothing, by rule and content
/// (see the module docs).
pub(super) struct BarrenLines {
    /// (rule, line hash) → the line's range in the input.
    lines: HashMap<(u32, u64), Range<usize>, BuildHasherDefault<KeyHasher>>,
    seed: u64,
}

impl BarrenLines {
    /// An empty memo with a fresh random seed.
    pub(super) fn new() -> BarrenLines {
        BarrenLines {
            lines: HashMap::default(),
            seed: std::hash::RandomState::new().hash_one(0x6b65_6570_6d75_6d00u64),
        }
    }

    /// The memo's key for `rule` on the bytes `hay[line]`.
    pub(super) fn key(&self, rule: u32, hay: &[u8], line: &Range<usize>) -> (u32, u64) {
        (rule, hash_bytes(self.seed, &hay[line.clone()]))
    }

    /// True when a line with the bytes of `hay[line]` under `key` yielded
    /// nothing before.
    pub(super) fn holds(&self, key: &(u32, u64), hay: &[u8], line: &Range<usize>) -> bool {
        self.lines
            .get(key)
            .is_some_and(|seen| hay[seen.clone()] == hay[line.clone()])
    }

    /// Remembers that `hay[line]` (under `key`) yielded nothing; the first
    /// line under a key stays.
    pub(super) fn remember(&mut self, key: (u32, u64), line: Range<usize>) {
        if self.lines.len() >= MAX_LINES {
            self.lines.clear();
        }
        self.lines.entry(key).or_insert(line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn equal_bytes_hash_equal_and_lengths_differ() {
        let seed = 0x1234_5678;
        assert_eq!(
            hash_bytes(seed, b"password=x"),
            hash_bytes(seed, b"password=x")
        );
        assert_ne!(hash_bytes(seed, b"ab"), hash_bytes(seed, b"ab\0"));
        assert_ne!(hash_bytes(seed, b""), hash_bytes(seed, b"\0"));
        assert_ne!(hash_bytes(seed, b"token: 1"), hash_bytes(seed, b"token: 2"));
    }

    proptest! {
        /// The memo answers as a map from (rule, line bytes) to "seen"
        /// would, over short lines of a small alphabet (many repeats).
        #[test]
        fn memo_answers_as_a_map_of_contents(
            lines in proptest::collection::vec(("[ab=\n]{0,12}", 0u32..3), 1..200),
        ) {
            let mut hay = Vec::new();
            let mut spans = Vec::new();
            for (text, rule) in &lines {
                let start = hay.len();
                hay.extend_from_slice(text.as_bytes());
                spans.push((*rule, start..hay.len()));
                hay.push(b'\n');
            }
            let mut memo = BarrenLines::new();
            let mut reference = std::collections::HashSet::new();
            for (rule, span) in spans {
                let key = memo.key(rule, &hay, &span);
                let want = reference.contains(&(rule, hay[span.clone()].to_vec()));
                prop_assert_eq!(memo.holds(&key, &hay, &span), want);
                reference.insert((rule, hay[span.clone()].to_vec()));
                memo.remember(key, span);
            }
        }
    }
}
