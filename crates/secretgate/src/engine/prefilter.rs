//! Candidate discovery: one cheap pass over the input that says where a
//! rule's regex is worth running.
//!
//! Why not one Aho-Corasick automaton over every keyword? Measured on this
//! machine, its DFA runs at ~700 MB/s with ~150 case-insensitive keywords
//! (and its SIMD Teddy searcher takes at most 64 patterns), and we have ~900.
//! Instead, 64 bytes at a time:
//!
//! 1. **Keyword anchors**: where the CPU has AVX-512 VBMI, the vector kernel
//!    (`simd`) marks the positions whose next four bytes fall in one of 64
//!    keyword buckets; elsewhere a scalar loop hashes every 4-byte window
//!    (case-folded by OR-ing `0x20`) into a 256 Kib table. Either hint is
//!    checked against the table, then an exact map from the window to the
//!    keywords starting with it names the longest keyword there. Keywords of
//!    exactly 3 bytes are entered once per token byte that may follow them.
//! 2. **Digit runs** (card, SSN, IBAN, phone, NHS): a block with 9+ digits
//!    in it and the 16 bytes before is walked 8 bytes at a time for 9+
//!    digits in 24 consecutive bytes, which sends the region to a
//!    byte-by-byte examination for a run of 9+ digits separated by at most
//!    two of ` -./()+`. No byte is examined twice.
//! 3. **Token runs** (high-entropy strings, decoders): shifts of the block's
//!    token-byte mask find every position that starts 20 bytes of
//!    `[A-Za-z0-9+/=_-]`; the maximal run there is measured once.
//!
//! Digit and token masks come from the vector kernel too, or from plain
//! loops. Every pass is linear in the input, never copies it, and allocates
//! nothing but the candidate list. Emails are found by the engine with a
//! `memchr` for `@`.

use std::sync::OnceLock;

use super::simd::{self, Kernel, Masks};

/// Bytes that may follow a 3-byte keyword (token characters).
fn is_token_byte(b: u8) -> bool {
    is_b64_byte(b) || b == b'.'
}

/// First-level table: one bit per 18-bit hash (32 KiB, fits L1).
const TABLE_BITS: u32 = 18;

#[inline(always)]
fn table_hash(x: u32) -> usize {
    (x.wrapping_mul(0x9E37_79B1) >> (32 - TABLE_BITS)) as usize
}

/// The first-level test: is the bit for window `x` (already case-folded) set?
#[inline(always)]
fn first_level(table: &[u8; TABLE_BYTES], x: u32) -> u8 {
    let h = table_hash(x);
    (table[h >> 3] >> (h & 7)) & 1
}

const TABLE_BYTES: usize = 1 << (TABLE_BITS - 3);

#[inline(always)]
fn fold4(b: [u8; 4]) -> u32 {
    u32::from_le_bytes(b) | 0x2020_2020
}

/// The keyword anchor index.
#[derive(Debug)]
pub(crate) struct KeywordIndex {
    /// First level: one bit per hashed, case-folded 4-byte window.
    table: Box<[u8]>,
    /// Exact second level: open-addressed map from a keyword's case-folded
    /// first four bytes to the keywords that start with them.
    grams: GramMap,
    /// The vector kernel, built on the first input long enough to use it;
    /// `None` inside when the CPU lacks the instructions.
    kernel: OnceLock<Option<Kernel>>,
    /// The distinct lowercase keywords, sorted.
    patterns: Vec<String>,
    /// For each pattern, the rules it wakes (including the rules of every
    /// keyword that is a prefix of it, since only the longest match at a
    /// position is reported).
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
        let mut table = vec![0u8; TABLE_BYTES].into_boxed_slice();
        let mut entries: Vec<(u32, u32)> = Vec::new();
        for (i, k) in uniq.iter().enumerate() {
            let b = k.as_bytes();
            let mut add = |g: [u8; 4]| {
                let x = fold4(g);
                let h = table_hash(x);
                table[h >> 3] |= 1 << (h & 7);
                entries.push((x, i as u32));
            };
            if b.len() >= 4 {
                add([b[0], b[1], b[2], b[3]]);
            } else if b.len() == 3 {
                for next in 0..=255u8 {
                    if is_token_byte(next) {
                        add([b[0], b[1], b[2], next]);
                    }
                }
            }
        }
        // Longest first, so the first pattern that matches is the longest.
        entries.sort_by_key(|&(x, i)| (x, std::cmp::Reverse(uniq[i as usize].len())));
        KeywordIndex {
            table,
            grams: GramMap::new(&entries),
            kernel: OnceLock::new(),
            patterns: uniq,
            pattern_rules,
        }
    }

    /// The vector kernel, built on first use (a few hundred microseconds,
    /// which short inputs never pay).
    pub(crate) fn kernel(&self) -> Option<&Kernel> {
        self.kernel
            .get_or_init(|| {
                let prefixes: Vec<&[u8]> = self.patterns.iter().map(|p| p.as_bytes()).collect();
                Kernel::new(simd::build_tables(&prefixes))
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
        on_keyword: impl FnMut(usize, &[u32]),
        on_digits: impl FnMut(usize, usize),
        on_tokens: impl FnMut(usize, usize),
    ) {
        let kernel = if hay.len() >= VECTOR_MIN {
            self.kernel()
        } else {
            None
        };
        self.scan_with(
            kernel, hay, digits, tokens, token_min, on_keyword, on_digits, on_tokens,
        );
    }

    /// [`KeywordIndex::scan`] with the vector kernel chosen by the caller
    /// (`None`: the scalar passes). Both report the same events.
    #[inline]
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn scan_with(
        &self,
        kernel: Option<&Kernel>,
        hay: &[u8],
        digits: bool,
        tokens: bool,
        token_min: usize,
        mut on_keyword: impl FnMut(usize, &[u32]),
        mut on_digits: impl FnMut(usize, usize),
        mut on_tokens: impl FnMut(usize, usize),
    ) {
        let Ok(table) = <&[u8; TABLE_BYTES]>::try_from(&*self.table) else {
            return;
        };
        let keywords = hay.len() >= 4 && !self.patterns.is_empty();
        if keywords && kernel.is_none() {
            self.scan_keywords(table, hay, &mut on_keyword);
        }
        if !digits && !tokens && (kernel.is_none() || !keywords) {
            return;
        }
        // Then 64 bytes at a time, three masks with one bit per byte:
        // "digit", "token byte" and, from the vector kernel, "a keyword may
        // start here". Keyword hints go to `verify`. Digits: a block with 9+
        // digits in it and the 16 bytes before is walked 8 bytes at a time
        // for 9+ digits in 24 consecutive bytes; tokens: shifts of the token
        // mask find every position that starts 20 token bytes in a row.
        // Either sends its region to a byte-by-byte examination that never
        // visits a byte twice.
        let (mut digits_done, mut tokens_done) = (0usize, 0usize);
        let (mut prev_d, mut prev_t) = (0u64, 0u64);
        let (mut c1, mut c2) = (0u32, 0u32);
        let blocks = hay.len().div_ceil(64);
        for k in 0..=blocks {
            let i = k * 64;
            let Masks {
                digits: d,
                tokens: t,
                keywords: kw,
            } = match (k < blocks, kernel) {
                (false, _) => Masks::default(),
                (true, Some(kernel)) => kernel.masks(hay, i),
                (true, None) => class_masks(hay, i),
            };
            if keywords && kw != 0 {
                // Only windows that fit in the input, as in the scalar pass.
                let fits = (hay.len() - 3).saturating_sub(i);
                let mut kw = if fits >= 64 {
                    kw
                } else {
                    kw & ((1u64 << fits) - 1)
                };
                while kw != 0 {
                    let pos = i + kw.trailing_zeros() as usize;
                    let f = load4(hay, pos) | 0x2020_2020;
                    if first_level(table, f) != 0 {
                        self.verify(hay, pos, f, &mut on_keyword);
                    }
                    kw &= kw - 1;
                }
            }
            // Token runs starting in the previous block (they may end in this one).
            if tokens && k > 0 {
                let base = i - 64;
                let w = prev_t as u128 | (t as u128) << 64;
                let mut starts = runs_of(w, TOKEN_MASK_RUN) as u64;
                while starts != 0 {
                    let p = base + starts.trailing_zeros() as usize;
                    if p >= tokens_done {
                        tokens_done =
                            examine_token_run(hay, p, tokens_done, token_min, &mut on_tokens);
                    }
                    let next = tokens_done.saturating_sub(base);
                    starts = if next >= 64 {
                        0
                    } else {
                        starts & (starts - 1) & (!0u64 << next)
                    };
                }
            }
            if digits && k < blocks {
                if d.count_ones() + (prev_d >> 48).count_ones() >= 9 {
                    let end = (i + 64).min(hay.len());
                    for w in 0..8 {
                        let at = i + w * 8;
                        if at >= end {
                            break;
                        }
                        let c0 = ((d >> (w * 8)) & 0xff).count_ones();
                        let stop = (at + 8).min(end);
                        if c0 != 0 && c0 + c1 + c2 >= 9 && stop > digits_done {
                            let from = at.saturating_sub(16).max(digits_done);
                            if let Some(p) = hay[from..stop].iter().position(u8::is_ascii_digit) {
                                digits_done = examine_digits(
                                    hay,
                                    from + p,
                                    stop,
                                    digits_done,
                                    9,
                                    &mut on_digits,
                                );
                            }
                        }
                        c2 = c1;
                        c1 = c0;
                    }
                } else {
                    c2 = ((d >> 48) & 0xff).count_ones();
                    c1 = (d >> 56).count_ones();
                }
            }
            prev_d = d;
            prev_t = t;
        }
    }

    /// The scalar keyword pass: eight window positions per step, each a
    /// 4-byte load, a multiplicative hash and a table bit; one branch per
    /// step. No loop-carried dependency, so the positions run in parallel.
    #[inline]
    fn scan_keywords(
        &self,
        table: &[u8; TABLE_BYTES],
        hay: &[u8],
        on_keyword: &mut impl FnMut(usize, &[u32]),
    ) {
        let last = hay.len() - 4; // last window start
        let mut i = 0;
        while let Some(chunk) = hay.get(i..i + 11) {
            let Ok(chunk) = <&[u8; 11]>::try_from(chunk) else {
                break;
            };
            let mut any = 0u8;
            for k in 0..8 {
                any |= first_level(table, load4a(chunk, k) | 0x2020_2020);
            }
            if any != 0 {
                for k in 0..8 {
                    let f = load4a(chunk, k) | 0x2020_2020;
                    if first_level(table, f) != 0 {
                        self.verify(hay, i + k, f, on_keyword);
                    }
                }
            }
            i += 8;
        }
        while i <= last {
            let f = load4(hay, i) | 0x2020_2020;
            if first_level(table, f) != 0 {
                self.verify(hay, i, f, on_keyword);
            }
            i += 1;
        }
    }

    /// Second-level test of a first-level hit at `pos` (`x` is the folded
    /// window there): reports the longest keyword that starts at `pos`.
    #[inline(never)]
    fn verify(&self, hay: &[u8], pos: usize, x: u32, on_keyword: &mut impl FnMut(usize, &[u32])) {
        let rest = &hay[pos..];
        for &p in self.grams.get(x) {
            let pattern = self.patterns[p as usize].as_bytes();
            if rest.len() >= pattern.len()
                && rest
                    .iter()
                    .zip(pattern)
                    .all(|(h, k)| h.to_ascii_lowercase() == *k)
            {
                on_keyword(pos, &self.pattern_rules[p as usize]);
                return;
            }
        }
    }
}

/// An open-addressed map from a folded 4-byte window to a slice of pattern
/// indices. Never more than a quarter full, so probes are short.
#[derive(Debug)]
struct GramMap {
    /// (key, start, end) into `values`; key 0 marks an empty slot (a folded
    /// window always has bit 5 of every byte set, so it is never 0).
    slots: Box<[(u32, u32, u32)]>,
    values: Vec<u32>,
    shift: u32,
}

impl GramMap {
    /// `entries` sorted by key: (folded window, pattern index).
    fn new(entries: &[(u32, u32)]) -> GramMap {
        let keys = entries.chunk_by(|a, b| a.0 == b.0).count();
        let bits = (keys.max(1) * 4)
            .next_power_of_two()
            .trailing_zeros()
            .max(4);
        let mut slots = vec![(0u32, 0u32, 0u32); 1 << bits].into_boxed_slice();
        let shift = 32 - bits;
        let mut values = Vec::with_capacity(entries.len());
        for group in entries.chunk_by(|a, b| a.0 == b.0) {
            let key = group[0].0;
            let start = values.len() as u32;
            values.extend(group.iter().map(|e| e.1));
            let mut i = (key.wrapping_mul(0x9E37_79B1) >> shift) as usize;
            while slots[i].0 != 0 {
                i = (i + 1) & (slots.len() - 1);
            }
            slots[i] = (key, start, values.len() as u32);
        }
        GramMap {
            slots,
            values,
            shift,
        }
    }

    #[inline]
    fn get(&self, key: u32) -> &[u32] {
        let mask = self.slots.len() - 1;
        let mut i = (key.wrapping_mul(0x9E37_79B1) >> self.shift) as usize;
        loop {
            let (k, start, end) = self.slots[i];
            if k == key {
                return &self.values[start as usize..end as usize];
            }
            if k == 0 {
                return &[];
            }
            i = (i + 1) & mask;
        }
    }
}

/// Inputs shorter than this use the scalar keyword pass: building the
/// vector kernel would cost more than it saves.
const VECTOR_MIN: usize = 64 << 10;

/// Token bytes in a row that make a token run worth measuring.
const TOKEN_MASK_RUN: u32 = 20;

/// For the 64 bytes at `at` (zero-padded past the end of `hay`): a mask of
/// the ASCII digits and a mask of the token bytes (`[A-Za-z0-9+/=_-]`), bit
/// `j` for byte `at + j`. The scalar counterpart of the vector kernel's
/// digit and token masks.
#[inline(always)]
pub(crate) fn class_masks(hay: &[u8], at: usize) -> Masks {
    let mut block = [0u8; 64];
    match hay.get(at..at + 64) {
        Some(b) => block.copy_from_slice(b),
        None => {
            let rest = &hay[at.min(hay.len())..];
            block[..rest.len()].copy_from_slice(rest);
        }
    }
    let (mut d, mut t) = (0u64, 0u64);
    for (j, &b) in block.iter().enumerate() {
        d |= u64::from(b.is_ascii_digit()) << j;
        t |= u64::from(is_b64_byte(b)) << j;
    }
    Masks {
        digits: d,
        tokens: t,
        keywords: 0,
    }
}

/// Bit `i` of the result is set when bits `i..i + n` of `w` are all set
/// (`n` in 1..=64).
#[inline(always)]
fn runs_of(w: u128, n: u32) -> u128 {
    let mut r = w;
    let mut have = 1;
    while have < n {
        let step = have.min(n - have);
        r &= r >> step;
        have += step;
    }
    r
}

#[inline(always)]
fn load4a(chunk: &[u8; 11], k: usize) -> u32 {
    u32::from_le_bytes([chunk[k], chunk[k + 1], chunk[k + 2], chunk[k + 3]])
}

#[inline(always)]
fn load4(hay: &[u8], at: usize) -> u32 {
    let mut b = [0u8; 4];
    b.copy_from_slice(&hay[at..at + 4]);
    u32::from_le_bytes(b)
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
