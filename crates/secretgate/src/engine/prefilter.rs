//! Candidate discovery: one cheap pass over the input that says where a
//! rule's regex is worth running.
//!
//! Why not one Aho-Corasick automaton over every keyword? Measured on this
//! machine, the crate's DFA runs at ~700 MB/s with ~150 case-insensitive
//! keywords (and its SIMD Teddy searcher takes at most 64 patterns), before
//! any regex runs. Instead two tight loops read the input:
//!
//! 1. **Keyword anchors**: at every position the 4-byte window, case-folded
//!    by OR-ing `0x20` into each byte, is hashed into two 64 Kib bitmaps
//!    (8 KiB each, they stay in L1) under independent hashes. Only positions
//!    that hit both are checked with an *anchored* leftmost-longest
//!    Aho-Corasick search, which names the keyword. Keywords of exactly 3
//!    bytes are entered once per token byte that may follow them.
//! 2. **Digit runs** (card, SSN, IBAN, phone, NHS): 8 bytes at a time, a
//!    SWAR digit count; 9+ digits in 24 consecutive bytes sends the region to
//!    a byte-by-byte examination for a run of 9+ digits separated by at most
//!    two of ` -./()+`. No byte is examined twice.
//! 3. **Token runs** (high-entropy strings): in the same 8-byte loop, a SWAR
//!    test says whether the next 12 bytes could all be token characters; if
//!    so the maximal run of `[A-Za-z0-9+/=_-]` around them is measured once.
//! 4. **`@`** (email): a separate `memchr` pass (SIMD, ~20 GB/s).
//!
//! Every pass is linear in the input, never copies it, and allocates nothing
//! but the candidate list.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, MatchKind, StartKind};

/// Bytes that may follow a 3-byte keyword (token characters).
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'+' | b'/' | b'=')
}

const BITMAP_WORDS: usize = 1 << 10; // 65,536 bits
/// First-level table: one byte per 15-bit hash (32 KiB, fits L1). A byte test
/// is cheaper than a bit test in the hottest loop.
const TABLE_BITS: u32 = 15;

#[inline(always)]
fn hash4(x: u32) -> usize {
    (x.wrapping_mul(0x9E37_79B1) >> 16) as usize
}

#[inline(always)]
fn hash15(x: u32) -> usize {
    (x.wrapping_mul(0x9E37_79B1) >> (32 - TABLE_BITS)) as usize
}

#[inline(always)]
fn hash4b(x: u32) -> usize {
    (x.wrapping_mul(0x85EB_CA77)
        .rotate_left(13)
        .wrapping_mul(0xC2B2_AE3D)
        >> 16) as usize
}

#[inline(always)]
fn fold4(b: [u8; 4]) -> u32 {
    u32::from_le_bytes(b) | 0x2020_2020
}

/// The keyword anchor index.
#[derive(Debug)]
pub(crate) struct KeywordIndex {
    table: Box<[u8]>,
    bitmap: Box<[u64]>,
    /// A second bitmap under an independent hash: a position must hit both
    /// before the (comparatively costly) anchored search runs.
    bitmap2: Box<[u64]>,
    ac: OnceLock<Option<AhoCorasick>>,
    /// The distinct lowercase keywords, sorted (the automaton's patterns).
    patterns: Vec<String>,
    /// For each Aho-Corasick pattern, the rules it wakes (including the rules
    /// of every keyword that is a prefix of it).
    pattern_rules: Vec<Vec<u32>>,
}

impl KeywordIndex {
    /// `keywords[i]` = (keyword, rule index).
    pub(crate) fn new(keywords: &[(String, u32)]) -> KeywordIndex {
        let mut uniq: Vec<String> = keywords
            .iter()
            .map(|(k, _)| k.to_ascii_lowercase())
            .collect();
        uniq.sort();
        uniq.dedup();
        let mut pattern_rules: Vec<Vec<u32>> = vec![Vec::new(); uniq.len()];
        for (k, rule) in keywords {
            let k = k.to_ascii_lowercase();
            // Every pattern that starts with `k` also wakes `rule`, because an
            // anchored leftmost-longest search reports only the longest. In
            // sorted order those patterns are contiguous, starting at `k`.
            let first = uniq.partition_point(|p| p.as_str() < k.as_str());
            for (p, rules) in uniq[first..].iter().zip(&mut pattern_rules[first..]) {
                if !p.starts_with(&k) {
                    break;
                }
                if !rules.contains(rule) {
                    rules.push(*rule);
                }
            }
        }
        let mut table = vec![0u8; 1 << TABLE_BITS].into_boxed_slice();
        let mut bitmap = vec![0u64; BITMAP_WORDS].into_boxed_slice();
        let mut bitmap2 = vec![0u64; BITMAP_WORDS].into_boxed_slice();
        let mut set = |b: [u8; 4]| {
            let x = fold4(b);
            table[hash15(x)] = 1;
            let (h, h2) = (hash4(x), hash4b(x));
            bitmap[h >> 6] |= 1 << (h & 63);
            bitmap2[h2 >> 6] |= 1 << (h2 & 63);
        };
        for k in &uniq {
            let b = k.as_bytes();
            if b.len() >= 4 {
                set([b[0], b[1], b[2], b[3]]);
            } else if b.len() == 3 {
                for next in 0..=255u8 {
                    if is_token_byte(next) {
                        set([b[0], b[1], b[2], next]);
                    }
                }
            }
        }
        KeywordIndex {
            table,
            bitmap,
            bitmap2,
            ac: OnceLock::new(),
            patterns: uniq,
            pattern_rules,
        }
    }

    /// The verifying automaton, built on first use: building it for ~800
    /// case-insensitive keywords costs a few milliseconds, which inputs
    /// without any bitmap hit (most hook events) never pay.
    fn automaton(&self) -> Option<&AhoCorasick> {
        self.ac
            .get_or_init(|| {
                if self.patterns.is_empty() {
                    return None;
                }
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::LeftmostLongest)
                    .start_kind(StartKind::Anchored)
                    // Only verifies hits, anchored: a contiguous NFA builds in a
                    // fraction of a DFA's time, and build time is paid by every
                    // hook process.
                    .kind(Some(AhoCorasickKind::ContiguousNFA))
                    // Anchored searches never use a prefilter; don't build one.
                    .prefilter(false)
                    .build(&self.patterns)
                    .ok()
            })
            .as_ref()
    }

    /// Runs the fused pass. Calls `on_keyword(position, rules)` for every
    /// keyword occurrence, `on_digits(start, end)` for every digit run of 9+
    /// digits (when `digits`), and `on_tokens(start, end)` for every token
    /// run of `token_min`+ bytes that mixes two of upper case, lower case and
    /// digits (when `tokens`). Each callback sees its events in input order.
    #[inline]
    #[allow(clippy::too_many_arguments)] // three callbacks, each a pass's output
    pub(crate) fn scan(
        &self,
        hay: &[u8],
        digits: bool,
        tokens: bool,
        token_min: usize,
        mut on_keyword: impl FnMut(usize, &[u32]),
        mut on_digits: impl FnMut(usize, usize),
        mut on_tokens: impl FnMut(usize, usize),
    ) {
        let Ok(table) = <&[u8; 1 << TABLE_BITS]>::try_from(&*self.table) else {
            return;
        };
        if hay.len() >= 4 && !self.patterns.is_empty() {
            // A rolling 4-byte window: one load and one shift per byte; the
            // rare second-level test happens out of line.
            let mut x = u32::from_le_bytes([0, hay[0], hay[1], hay[2]]);
            for (pos, &b) in hay[3..].iter().enumerate() {
                x = (x >> 8) | ((b as u32) << 24);
                let f = x | 0x2020_2020;
                if table[hash15(f)] != 0 {
                    self.verify(hay, pos, f, &mut on_keyword);
                }
            }
        }
        if !digits && !tokens {
            return;
        }
        // Digits and token runs: 8 bytes at a time (SWAR). Digits: 9+ digits
        // in 24 consecutive bytes; tokens: 12 bytes with no space, quote,
        // bracket or control byte. Either sends its region to a byte-by-byte
        // examination that never visits a byte twice.
        let (mut digits_done, mut tokens_done) = (0usize, 0usize);
        let (mut c1, mut c2) = (0u32, 0u32);
        let words = hay.len() / 8;
        for k in 0..words {
            let i = k * 8;
            let lo = load8(hay, i);
            if digits {
                let c0 = digit_count(lo);
                if c0 != 0 && c0 + c1 + c2 >= 9 && i + 8 > digits_done {
                    let from = i.saturating_sub(16).max(digits_done);
                    if let Some(p) = hay[from..i + 8].iter().position(u8::is_ascii_digit) {
                        digits_done =
                            examine_digits(hay, from + p, i + 8, digits_done, 9, &mut on_digits);
                    }
                }
                c2 = c1;
                c1 = c0;
            }
            if tokens && no_delimiter(lo) && i + 12 <= hay.len() && i + 12 > tokens_done {
                let hi = u32::from_le_bytes([hay[i + 8], hay[i + 9], hay[i + 10], hay[i + 11]]);
                if no_delimiter(hi as u64 | 0x4141_4141_0000_0000) {
                    tokens_done = examine_token_run(hay, i, tokens_done, token_min, &mut on_tokens);
                }
            }
        }
        // The tail (under 8 bytes) can complete a digit run.
        let tail = words * 8;
        if digits && tail < hay.len() && hay.len() > digits_done {
            let from = tail.saturating_sub(16).max(digits_done);
            if let Some(p) = hay[from..].iter().position(u8::is_ascii_digit) {
                examine_digits(hay, from + p, hay.len(), digits_done, 9, &mut on_digits);
            }
        }
    }

    /// Second-level test and anchored verification of a first-level hit.
    #[inline(never)]
    fn verify(&self, hay: &[u8], pos: usize, x: u32, on_keyword: &mut impl FnMut(usize, &[u32])) {
        let (h, h2) = (hash4(x), hash4b(x));
        if self.bitmap[h >> 6] & (1 << (h & 63)) == 0
            || self.bitmap2[h2 >> 6] & (1 << (h2 & 63)) == 0
        {
            return;
        }
        if let Some(ac) = self.automaton() {
            let input = Input::new(hay).range(pos..).anchored(Anchored::Yes);
            if let Ok(Some(m)) = ac.try_find(input) {
                on_keyword(pos, &self.pattern_rules[m.pattern().as_usize()]);
            }
        }
    }
}

/// Number of ASCII digits in the 8 bytes of `x`, exactly (SWAR, no carries
/// between bytes).
#[inline(always)]
fn digit_count(x: u64) -> u32 {
    const LO7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HI: u64 = 0x8080_8080_8080_8080;
    let y = x ^ 0x3030_3030_3030_3030;
    let t = (y & LO7) + 0x7676_7676_7676_7676;
    (!(t | y) & HI).count_ones()
}

#[inline(always)]
fn load8(hay: &[u8], at: usize) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&hay[at..at + 8]);
    u64::from_le_bytes(b)
}

#[inline]
fn is_separator(b: u8) -> bool {
    matches!(b, b' ' | b'-' | b'.' | b'/' | b'(' | b')' | b'+')
}

#[inline]
fn is_run_byte(b: u8) -> bool {
    b.is_ascii_digit() || is_separator(b)
}

/// Examines the digit run around `pos` (a digit), reporting it through `hit`
/// when it holds at least `min_digits` digits with at most two separators
/// between groups. Never looks before `done` or more than 64 bytes back.
/// Returns the new `done`: the first byte not yet examined.
fn examine_digits(
    hay: &[u8],
    pos: usize,
    until: usize,
    done: usize,
    min_digits: u32,
    hit: &mut impl FnMut(usize, usize),
) -> usize {
    let mut i = pos;
    while i > done && i + 64 > pos && is_run_byte(hay[i - 1]) {
        i -= 1;
    }
    let mut run_start = usize::MAX;
    let mut last_digit = 0usize;
    let mut count = 0u32;
    let mut seps = 0u32;
    while i < hay.len() {
        let b = hay[i];
        if b.is_ascii_digit() {
            if run_start == usize::MAX {
                run_start = i;
                count = 0;
            }
            count += 1;
            last_digit = i;
            seps = 0;
        } else if run_start != usize::MAX && is_separator(b) && seps < 2 {
            seps += 1;
        } else {
            if run_start != usize::MAX && count >= min_digits {
                hit(run_start, last_digit + 1);
            }
            run_start = usize::MAX;
            seps = 0;
            // Stop at the first break past the dense region (a short number
            // before a long one, as in a CSV row `88,` then an SSN, is passed over).
            if i >= until {
                return i;
            }
        }
        i += 1;
    }
    if run_start != usize::MAX && count >= min_digits {
        hit(run_start, last_digit + 1);
    }
    hay.len()
}

/// Base64/base64url/hex token bytes: `[A-Za-z0-9+/=_-]`.
#[inline]
pub(crate) fn is_b64_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'_' | b'-')
}

/// True when no byte of `x` is below `+` (space, quotes, parens, controls) or
/// has its high bit set. Approximate in the "may be token" direction only:
/// the examination that follows is exact.
#[inline(always)]
fn no_delimiter(x: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    (x.wrapping_sub(ONES * 0x2B) | x) & HI == 0
}

/// Measures the maximal token run around `pos` and reports it through `hit`
/// when it is at least `min_len` long and mixes two character classes.
/// Returns the first byte not yet examined.
fn examine_token_run(
    hay: &[u8],
    pos: usize,
    done: usize,
    min_len: usize,
    hit: &mut impl FnMut(usize, usize),
) -> usize {
    let mut s = pos.max(done);
    while s > done && is_b64_byte(hay[s - 1]) {
        s -= 1;
    }
    // The SWAR test lets some non-token bytes through (`@`, `.`, `[`…):
    // look for a token byte only inside the 12 bytes it approved, so a long
    // run of such bytes is walked once, not once per chunk.
    let limit = (pos + 12).min(hay.len());
    while s < limit && !is_b64_byte(hay[s]) {
        s += 1;
    }
    if s == limit {
        return limit;
    }
    let mut e = s;
    let (mut up, mut low, mut dig) = (false, false, false);
    while e < hay.len() && is_b64_byte(hay[e]) {
        let c = hay[e];
        up |= c.is_ascii_uppercase();
        low |= c.is_ascii_lowercase();
        dig |= c.is_ascii_digit();
        e += 1;
    }
    if e - s >= min_len && (up as u8 + low as u8 + dig as u8) >= 2 {
        hit(s, e);
    }
    if e == s {
        pos + 1
    } else {
        e
    }
}

#[cfg(test)]
#[path = "tests/prefilter.rs"]
mod tests;
