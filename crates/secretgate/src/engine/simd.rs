//! Vector kernel of the prefilter: for one 64-byte block, masks with one bit
//! per byte: the byte classes the prefilter needs (digit, token byte
//! `[A-Za-z0-9+/=_-]`, digit-run separator, upper and lower case letter,
//! token byte that is not hex, one of the marks `@ % \`, line break) and "a
//! keyword may start here".
//!
//! The keyword test is a bucketed byte-set filter in the spirit of Teddy,
//! but with whole-byte resolution instead of nibbles. Every keyword's first
//! four bytes (case-folded) go to one of [`BUCKETS`] buckets; for each bucket
//! and each offset 0..4 a 64-entry table says which bytes occur there. A
//! position passes when, for some bucket, the bytes at offsets 0, 1, 2 and 3
//! are all in that bucket's sets. Buckets are filled greedily, costliest
//! keywords first, then refined by one pass of single moves, minimising the
//! estimated pass rate on source text (byte frequencies measured on real
//! code), so keywords that share bytes share a bucket (`hf_1`, `hf_v`… cost
//! one bucket). A pass is only a hint: the
//! caller confirms it exactly.
//!
//! Bytes are reduced to six bits before the lookup, ignoring bit 5 (ASCII
//! case) and bit 7: `index = b & 0x1F | (b >> 1) & 0x20`, which is what
//! AVX-512 VBMI's `vpermb` indexes with. Distinct bytes may share an index
//! (`[` and `{`, non-ASCII and ASCII); that only adds hints, never loses one.
//!
//! The kernel runs on x86-64 CPUs with AVX-512 BW and VBMI (checked at run
//! time); elsewhere [`Kernel::new`] returns `None` and the prefilter uses its
//! scalar loops. Both paths report the same keyword occurrences (a property
//! test checks it).

use super::prefilter::class_of;

/// Number of keyword buckets: a table byte holds one bit per bucket of a
/// group.
pub(crate) const BUCKETS: usize = 8 * GROUPS;
/// Groups of 8 buckets; each group costs four table lookups per block.
const GROUPS: usize = 8;

/// The six-bit, case-blind index of byte `b` (see the module docs).
#[inline(always)]
pub(crate) fn index6(b: u8) -> usize {
    ((b & 0x1F) | ((b >> 1) & 0x20)) as usize
}

/// Frequency of each six-bit index in source code, in parts per thousand:
/// what the bucket assignment minimises. Measured on 16 MB of Rust, C and
/// config files from crates.io packages (index 0 is mostly the space;
/// rare indexes are floored at 0.5).
fn weight(index: usize) -> f64 {
    const W: [f64; 64] = [
        270.8, 2.8, 5.2, 1.7, 0.9, 0.5, 2.8, 1.3, 15.8, 15.8, 29.9, 0.6, 12.3, 3.1, 10.2, 18.9,
        4.3, 2.9, 2.4, 1.3, 1.2, 0.9, 1.4, 0.6, 1.7, 0.5, 16.8, 6.2, 2.5, 4.7, 4.3, 0.6, 4.3, 36.7,
        10.1, 20.5, 17.8, 68.3, 17.3, 8.9, 12.9, 33.8, 0.6, 3.7, 24.4, 14.5, 32.9, 30.9, 14.7, 1.5,
        38.6, 38.0, 50.4, 18.9, 5.1, 5.8, 4.9, 6.0, 1.5, 7.7, 2.0, 7.7, 0.5, 14.6,
    ];
    W[index & 63]
}

/// A bucket under construction: per offset, the set of six-bit indexes (a
/// 64-bit set) and the summed weight of that set.
#[derive(Clone, Copy, Default)]
struct Bucket {
    sets: [u64; 4],
    weights: [f64; 4],
}

impl Bucket {
    /// The bucket's pass rate (up to a constant) after adding `gram`.
    fn cost_with(&self, gram: &[u64; 4], w: &[f64; 64]) -> f64 {
        (0..4)
            .map(|j| self.weights[j] + set_weight(gram[j] & !self.sets[j], w))
            .product()
    }

    fn add(&mut self, gram: &[u64; 4], w: &[f64; 64]) {
        for ((set, weight), g) in self.sets.iter_mut().zip(&mut self.weights).zip(gram) {
            *weight += set_weight(g & !*set, w);
            *set |= g;
        }
    }

    fn cost(&self) -> f64 {
        self.weights.iter().product()
    }
}

fn set_weight(mut set: u64, w: &[f64; 64]) -> f64 {
    let mut sum = 0.0;
    while set != 0 {
        sum += w[set.trailing_zeros() as usize];
        set &= set - 1;
    }
    sum
}

/// Assigns each keyword prefix (up to four bytes) to a bucket and returns
/// the lookup tables: `tables[g * 4 + j][index]` has bit `b` set when bucket
/// `g * 8 + b` holds `index` at offset `j`.
pub(crate) fn build_tables(prefixes: &[&[u8]]) -> Vec<[u8; 64]> {
    let mut grams: Vec<[u64; 4]> = prefixes
        .iter()
        .filter(|p| p.len() >= 3)
        .map(|p| {
            let mut sets = [0u64; 4];
            for (j, set) in sets.iter_mut().enumerate() {
                *set = match p.get(j) {
                    Some(&b) => 1 << index6(b),
                    None => !0, // a 3-byte keyword: any byte may follow
                };
            }
            sets
        })
        .collect();
    grams.sort_unstable();
    grams.dedup();
    let mut w = [0.0f64; 64];
    for (i, slot) in w.iter_mut().enumerate() {
        *slot = weight(i);
    }
    // Costliest grams first (frequent bytes, wildcards), so they seed
    // buckets of their own and the rest fill in around them.
    let alone = |g: &[u64; 4]| -> f64 { g.iter().map(|&set| set_weight(set, &w)).product() };
    grams.sort_by(|a, b| alone(b).total_cmp(&alone(a)));
    let mut buckets = [Bucket::default(); BUCKETS];
    let mut home = vec![0usize; grams.len()];
    for (gram, home) in grams.iter().zip(&mut home) {
        let mut best = (f64::INFINITY, 0);
        for (b, bucket) in buckets.iter().enumerate() {
            let delta = bucket.cost_with(gram, &w) - bucket.cost();
            if delta < best.0 {
                best = (delta, b);
            }
        }
        buckets[best.1].add(gram, &w);
        *home = best.1;
    }
    // Then one pass moving single grams to where they cost least: greedy
    // placement cannot see the buckets' final shape (7% fewer hints on
    // source text; a second pass gains almost nothing).
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); BUCKETS];
    for (i, &b) in home.iter().enumerate() {
        members[b].push(i);
    }
    for (i, gram) in grams.iter().enumerate() {
        let from = home[i];
        let mut without = Bucket::default();
        for &k in members[from].iter().filter(|&&k| k != i) {
            without.add(&grams[k], &w);
        }
        let mut best = (buckets[from].cost() - without.cost(), from);
        for (b, bucket) in buckets.iter().enumerate() {
            let delta = bucket.cost_with(gram, &w) - bucket.cost();
            if b != from && delta < best.0 * 0.999 {
                best = (delta, b);
            }
        }
        if best.1 != from {
            buckets[from] = without;
            buckets[best.1].add(gram, &w);
            members[from].retain(|&k| k != i);
            members[best.1].push(i);
            home[i] = best.1;
        }
    }
    let mut tables = vec![[0u8; 64]; GROUPS * 4];
    for (b, bucket) in buckets.iter().enumerate() {
        let (g, bit) = (b / 8, b % 8);
        for (j, &set) in bucket.sets.iter().enumerate() {
            for (index, slot) in tables[g * 4 + j].iter_mut().enumerate() {
                if set & (1 << index) != 0 {
                    *slot |= 1 << bit;
                }
            }
        }
    }
    tables
}

/// The per-block masks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Masks {
    pub(crate) digits: u64,
    /// `[A-Za-z0-9+/=_-]`.
    pub(crate) tokens: u64,
    /// Digit-run separators `` -./()+``.
    pub(crate) separators: u64,
    pub(crate) upper: u64,
    pub(crate) lower: u64,
    /// Token bytes that are not hex digits or `-`: `[G-Zg-z+/=_]`.
    pub(crate) nonhex: u64,
    /// The rare bytes other passes start from: `@` (emails, credentials in
    /// URLs), `%` and `\` (percent and `\u` escapes).
    pub(crate) marks: u64,
    /// Line breaks (`\n`).
    pub(crate) newlines: u64,
    pub(crate) keywords: u64,
}

/// Scalar reference for [`Kernel::masks`] on a padded block (for tests).
#[cfg(test)]
pub(crate) fn masks_scalar(tables: &[[u8; 64]], block: &[u8; 67]) -> Masks {
    let mut m = super::prefilter::class_masks(block, 0);
    for j in 0..64 {
        let hit = (0..GROUPS).any(|g| {
            (0..4).fold(0xFFu8, |acc, k| {
                acc & tables[g * 4 + k][index6(block[j + k])]
            }) != 0
        });
        if hit {
            m.keywords |= 1 << j;
        }
    }
    m
}

/// The vector kernel, available when the CPU has AVX-512 BW and VBMI.
#[derive(Debug)]
pub(crate) struct Kernel {
    tables: Vec<[u8; 64]>,
    /// The classes of the 128 ASCII bytes, with the prefilter's class bits
    /// (one two-table `vpermi2b` looks them up; other bytes have none).
    classes: [u8; 128],
}

impl Kernel {
    /// A kernel for these tables (from [`build_tables`]), or `None` when the
    /// CPU lacks the instructions.
    pub(crate) fn new(tables: Vec<[u8; 64]>) -> Option<Kernel> {
        if tables.len() != GROUPS * 4 || !supported() {
            return None;
        }
        let mut classes = [0u8; 128];
        for (b, class) in classes.iter_mut().enumerate() {
            *class = class_of(b as u8);
        }
        Some(Kernel { tables, classes })
    }

    /// The bucket tables (for tests).
    #[cfg(test)]
    pub(crate) fn tables(&self) -> &[[u8; 64]] {
        &self.tables
    }

    /// Fills `out[k]` with the masks of the 64 bytes at `at + 64 * k`. Reads
    /// up to 3 bytes past each block; past the end of `hay` the blocks are
    /// padded with NUL bytes.
    #[inline]
    pub(crate) fn masks_into(&self, hay: &[u8], at: usize, out: &mut [Masks]) {
        // Blocks that can read their 67 bytes in place.
        let whole = hay.len().saturating_sub(at + 3) / 64;
        let n = whole.min(out.len());
        let (direct, padded) = out.split_at_mut(n);
        self.run(hay.get(at..).unwrap_or_default(), direct);
        for (j, o) in padded.iter_mut().enumerate() {
            let at = at + 64 * (n + j);
            let mut block = [0u8; 67];
            let rest = hay.get(at..).unwrap_or_default();
            let len = rest.len().min(67);
            block[..len].copy_from_slice(&rest[..len]);
            self.run(&block, std::slice::from_mut(o));
        }
    }

    /// The masks of the 64 bytes at `at` (see [`Kernel::masks_into`]).
    #[cfg(test)]
    pub(crate) fn masks(&self, hay: &[u8], at: usize) -> Masks {
        let mut m = [Masks::default()];
        self.masks_into(hay, at, &mut m);
        m[0]
    }

    fn run(&self, hay: &[u8], out: &mut [Masks]) {
        #[cfg(target_arch = "x86_64")]
        {
            // SAFETY: `Kernel::new` returned `Some`, so the CPU supports the
            // target features `avx512::masks` is compiled for.
            #[allow(unsafe_code)]
            unsafe {
                avx512::masks(&self.tables, &self.classes, hay, out)
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            let _ = (hay, out);
        }
    }
}

fn supported() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::is_x86_feature_detected!("avx512f")
            && std::is_x86_feature_detected!("avx512bw")
            && std::is_x86_feature_detected!("avx512vbmi")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
mod avx512 {
    use super::{Masks, GROUPS};
    use crate::engine::prefilter::{DIGIT, LOWER, MARK, NEWLINE, NONHEX, SEPARATOR, TOKEN, UPPER};
    use std::arch::x86_64::*;

    /// index = bits 0-4 of each byte, with bit 6 moved into bit 5 (vpermb
    /// ignores bits 6 and 7 of an index).
    #[inline]
    #[target_feature(enable = "avx512f,avx512bw")]
    fn index(v: __m512i) -> __m512i {
        _mm512_ternarylogic_epi32::<0xCA>(_mm512_set1_epi8(0x20), _mm512_srli_epi16::<1>(v), v)
    }

    /// Loads 64 bytes.
    ///
    /// # Safety
    /// `p` must be valid for reading 64 bytes.
    #[inline]
    #[target_feature(enable = "avx512f")]
    unsafe fn load(p: *const u8) -> __m512i {
        // SAFETY: the caller guarantees 64 readable bytes at `p`.
        unsafe { _mm512_loadu_si512(p.cast()) }
    }

    /// The tables in registers (or at least loaded once per call).
    struct Regs {
        tables: [__m512i; GROUPS * 4],
        classes: [__m512i; 2],
    }

    /// # Safety
    /// The CPU must support AVX-512 F.
    #[inline]
    #[target_feature(enable = "avx512f")]
    unsafe fn regs(tables: &[[u8; 64]], classes: &[u8; 128]) -> Regs {
        let mut t = [_mm512_setzero_si512(); GROUPS * 4];
        for (r, table) in t.iter_mut().zip(tables) {
            // SAFETY: each table is 64 bytes.
            *r = unsafe { load(table.as_ptr()) };
        }
        Regs {
            tables: t,
            // SAFETY: the class table is 128 bytes.
            classes: unsafe { [load(classes.as_ptr()), load(classes.as_ptr().add(64))] },
        }
    }

    /// # Safety
    /// The CPU must support AVX-512 F, BW and VBMI, and `p` must be valid
    /// for reading 67 bytes.
    #[inline]
    #[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
    unsafe fn block(regs: &Regs, p: *const u8) -> Masks {
        // SAFETY: each load reads 64 bytes at offset 0 to 3 of the 67
        // readable bytes at `p`.
        let (v0, v1, v2, v3) = unsafe { (load(p), load(p.add(1)), load(p.add(2)), load(p.add(3))) };
        let (i0, i1, i2, i3) = (index(v0), index(v1), index(v2), index(v3));
        let mut keywords = 0u64;
        for t in regs.tables.chunks_exact(4) {
            let a = _mm512_permutexvar_epi8(i0, t[0]);
            let b = _mm512_permutexvar_epi8(i1, t[1]);
            let c = _mm512_permutexvar_epi8(i2, t[2]);
            let d = _mm512_permutexvar_epi8(i3, t[3]);
            let abc = _mm512_ternarylogic_epi32::<0x80>(a, b, c);
            keywords |= _mm512_test_epi8_mask(abc, d);
        }
        // Bytes 0x80 and up have no class; `vpermi2b` reads bits 0-6 only.
        let ascii = !_mm512_movepi8_mask(v0);
        let class = _mm512_permutex2var_epi8(regs.classes[0], v0, regs.classes[1]);
        let has = |bit: u8| _mm512_mask_test_epi8_mask(ascii, class, _mm512_set1_epi8(bit as i8));
        Masks {
            digits: has(DIGIT),
            tokens: has(TOKEN),
            separators: has(SEPARATOR),
            upper: has(UPPER),
            lower: has(LOWER),
            nonhex: has(NONHEX),
            marks: has(MARK),
            newlines: has(NEWLINE),
            keywords,
        }
    }

    /// Fills `out[k]` with the masks of the block at `64 * k` of `hay`.
    ///
    /// # Safety
    /// The CPU must support AVX-512 F, BW and VBMI.
    #[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
    pub(super) unsafe fn masks(
        tables: &[[u8; 64]],
        classes: &[u8; 128],
        hay: &[u8],
        out: &mut [Masks],
    ) {
        if tables.len() != GROUPS * 4 || hay.len() < out.len() * 64 + 3 {
            return;
        }
        // SAFETY: the CPU features are the caller's promise; the tables are
        // checked above.
        let regs = unsafe { regs(tables, classes) };
        for (k, o) in out.iter_mut().enumerate() {
            // SAFETY: checked above: 67 bytes are readable at `64 * k`.
            *o = unsafe { block(&regs, hay.as_ptr().add(64 * k)) };
        }
    }
}
