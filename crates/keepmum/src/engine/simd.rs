//! Vector kernels of the prefilter: for one 64-byte block, masks with one
//! bit per byte: the byte classes the prefilter needs (digit, token byte
//! `[A-Za-z0-9+/=_-]`, digit-run separator, upper and lower case letter,
//! token byte that is not hex, one of the marks `@ % \`, line break) and "a
//! keyword may start here".
//!
//! The keyword test is a bucketed byte-set filter in the spirit of Teddy,
//! but with whole-byte resolution instead of nibbles (the buckets and their
//! tables come from `buckets.rs`). A position passes when, for some bucket,
//! the bytes at offsets 0, 1, 2 and 3 are all in that bucket's sets. A pass
//! is only a hint: the caller confirms it exactly.
//!
//! Bytes are reduced to six bits before the lookup, ignoring bit 5 (ASCII
//! case) and bit 7: `index = b & 0x1F | (b >> 1) & 0x20`, which is what
//! AVX-512 VBMI's `vpermb` indexes with. Distinct bytes may share an index
//! (`[` and `{`, non-ASCII and ASCII); that only adds hints, never loses one.
//!
//! Kernels, chosen at run time ([`Kernel::new`]), best first:
//! - `avx512`: AVX-512 BW and VBMI, one `vpermb` per 64-byte table lookup;
//! - `avx2`: Teddy's nibble split of the same tables, 32 bytes a step: for
//!   each table, one 16-entry `vpshufb` table by the index's low four bits
//!   and one by its top four (overlapping in two), AND-ed. A bucket passes every byte whose low
//!   and top bits each occur in its set, a superset of the exact test (so
//!   more hints, never fewer; an exact 64-entry lookup takes four `vpshufb`
//!   and ran at half the speed); its tables are assigned for the split
//!   (`buckets::build_nibble_tables`), which passes far fewer positions of
//!   source text than the exact tables split; byte classes from comparisons;
//! - `neon` (aarch64): `tbl` with four registers is a 64-byte lookup.
//!
//! Without any of them the prefilter runs its portable loops. The
//! environment variable `KEEPMUM_KERNEL=avx512|avx2|neon|portable` forces
//! a choice (for tests and benchmarks); a kernel the CPU lacks falls back to
//! the portable loops. Every kernel computes exactly the masks of
//! [`masks_scalar`] (for `avx2`, with the nibble split), and every path
//! reports the same events (property tests check both).

#[cfg(test)]
use super::buckets::index6;
use super::buckets::{nibble_halves, GROUPS};
use super::prefilter::class_of;

/// The instruction sets a vector kernel is written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KernelKind {
    /// x86-64 with AVX-512 F, BW and VBMI.
    Avx512,
    /// x86-64 with AVX2.
    Avx2,
    /// aarch64 with NEON (Advanced SIMD).
    Neon,
}

impl KernelKind {
    /// Every kind, best first.
    pub(crate) const ALL: [KernelKind; 3] =
        [KernelKind::Avx512, KernelKind::Avx2, KernelKind::Neon];

    /// Whether this CPU runs the kind.
    pub(crate) fn supported(self) -> bool {
        match self {
            #[cfg(target_arch = "x86_64")]
            KernelKind::Avx512 => {
                std::is_x86_feature_detected!("avx512f")
                    && std::is_x86_feature_detected!("avx512bw")
                    && std::is_x86_feature_detected!("avx512vbmi")
            }
            #[cfg(target_arch = "x86_64")]
            KernelKind::Avx2 => std::is_x86_feature_detected!("avx2"),
            #[cfg(target_arch = "aarch64")]
            KernelKind::Neon => std::arch::is_aarch64_feature_detected!("neon"),
            #[allow(unreachable_patterns)] // all arms exist on no target
            _ => false,
        }
    }

    /// The name `KEEPMUM_KERNEL` uses.
    pub(crate) fn name(self) -> &'static str {
        match self {
            KernelKind::Avx512 => "avx512",
            KernelKind::Avx2 => "avx2",
            KernelKind::Neon => "neon",
        }
    }
}

/// What `KEEPMUM_KERNEL` asks for: `None` when unset or unknown (the best
/// kernel the CPU runs), `Some(None)` for the portable loops.
fn forced_kind() -> Option<Option<KernelKind>> {
    let value = std::env::var("KEEPMUM_KERNEL").ok()?;
    let value = value.trim().to_ascii_lowercase();
    if value == "portable" || value == "scalar" {
        return Some(None);
    }
    KernelKind::ALL
        .into_iter()
        .find(|k| k.name() == value)
        .map(Some)
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
pub(crate) fn masks_scalar(kernel: &Kernel, block: &[u8; 67]) -> Masks {
    let tables = &kernel.tables;
    // What the bucket bits of table `t` say of a byte's index.
    let look = |t: usize, index: usize| match kernel.kind {
        KernelKind::Avx2 => {
            let (low, top) = nibble_halves(index);
            kernel.nibbles[2 * t][low] & kernel.nibbles[2 * t + 1][top]
        }
        _ => tables[t][index],
    };
    let mut m = Masks::default();
    for (j, &b) in block[..64].iter().enumerate() {
        let class = |bit: u8| u64::from(class_of(b) & bit != 0) << j;
        use super::prefilter::{DIGIT, LOWER, MARK, NEWLINE, NONHEX, SEPARATOR, TOKEN, UPPER};
        m.digits |= class(DIGIT);
        m.tokens |= class(TOKEN);
        m.separators |= class(SEPARATOR);
        m.upper |= class(UPPER);
        m.lower |= class(LOWER);
        m.nonhex |= class(NONHEX);
        m.marks |= class(MARK);
        m.newlines |= class(NEWLINE);
    }
    for j in 0..64 {
        let hit = (0..GROUPS).any(|g| {
            (0..4).fold(0xFFu8, |acc, k| acc & look(g * 4 + k, index6(block[j + k]))) != 0
        });
        if hit {
            m.keywords |= 1 << j;
        }
    }
    m
}

/// A vector kernel with its tables.
#[derive(Debug)]
pub(crate) struct Kernel {
    kind: KernelKind,
    tables: Vec<[u8; 64]>,
    /// The classes of the 128 ASCII bytes, with the prefilter's class bits
    /// (one two-table `vpermi2b` looks them up; other bytes have none).
    classes: [u8; 128],
    /// For `avx2`: table `t` split by nibbles, its buckets by the low four
    /// bits of an index at `nibbles[2 * t]` and by the top four at
    /// `nibbles[2 * t + 1]` (see `buckets::nibble_halves`), repeated in both
    /// 16-byte lanes (`vpshufb` looks up within a lane).
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    nibbles: Vec<[u8; 32]>,
}

impl Kernel {
    /// The best kernel this CPU runs, with the tables `tables_for` gives
    /// for its kind (from `buckets`), or `None` when it runs none (or
    /// `KEEPMUM_KERNEL` asks for the portable loops or a kernel it lacks).
    pub(crate) fn new(tables_for: impl FnOnce(KernelKind) -> Vec<[u8; 64]>) -> Option<Kernel> {
        let kind = match forced_kind() {
            Some(forced) => forced?,
            None => KernelKind::ALL.into_iter().find(|k| k.supported())?,
        };
        if !kind.supported() {
            return None;
        }
        Kernel::with_kind(tables_for(kind), kind)
    }

    /// A kernel of this kind, or `None` when the CPU lacks it.
    pub(crate) fn with_kind(tables: Vec<[u8; 64]>, kind: KernelKind) -> Option<Kernel> {
        if tables.len() != GROUPS * 4 || !kind.supported() {
            return None;
        }
        let mut classes = [0u8; 128];
        for (b, class) in classes.iter_mut().enumerate() {
            *class = class_of(b as u8);
        }
        let mut nibbles = Vec::new();
        if kind == KernelKind::Avx2 {
            for table in &tables {
                let (mut low, mut top) = ([0u8; 32], [0u8; 32]);
                for (index, &buckets) in table.iter().enumerate() {
                    let (l, t) = nibble_halves(index);
                    for lane in [0, 16] {
                        low[lane + l] |= buckets;
                        top[lane + t] |= buckets;
                    }
                }
                nibbles.push(low);
                nibbles.push(top);
            }
        }
        Some(Kernel {
            kind,
            tables,
            classes,
            nibbles,
        })
    }

    /// Which kernel this is.
    pub(crate) fn kind(&self) -> KernelKind {
        self.kind
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
        if padded.is_empty() {
            return;
        }
        // The last blocks, copied with their padding: one copy for all of
        // them, so a short input costs one kernel call.
        let mut tail = [0u8; 64 * TAIL_BLOCKS + 3];
        for (i, part) in padded.chunks_mut(TAIL_BLOCKS).enumerate() {
            let from = at + 64 * (n + i * TAIL_BLOCKS);
            let rest = hay.get(from..).unwrap_or_default();
            let len = rest.len().min(tail.len());
            tail[..len].copy_from_slice(&rest[..len]);
            tail[len..].fill(0);
            self.run(&tail, part);
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
        match self.kind {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `Kernel::with_kind` checked that the CPU supports the
            // target features `avx512::masks` is compiled for.
            #[allow(unsafe_code)]
            KernelKind::Avx512 => unsafe { avx512::masks(&self.tables, &self.classes, hay, out) },
            #[cfg(target_arch = "x86_64")]
            // SAFETY: as above, for AVX2.
            #[allow(unsafe_code)]
            KernelKind::Avx2 => unsafe { avx2::masks(&self.nibbles, hay, out) },
            #[cfg(target_arch = "aarch64")]
            // SAFETY: as above, for NEON.
            #[allow(unsafe_code)]
            KernelKind::Neon => unsafe { neon::masks(&self.tables, &self.classes, hay, out) },
            #[allow(unreachable_patterns)]
            _ => {
                let _ = (hay, out);
            }
        }
    }
}

/// Blocks of the padded copy at the end of an input.
const TAIL_BLOCKS: usize = 4;

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

#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
mod avx2 {
    use super::{Masks, GROUPS};
    use std::arch::x86_64::*;

    /// The bucket tables split by nibbles (see `Kernel::nibbles`).
    type Nibbles = [[u8; 32]; GROUPS * 8];

    /// Loads 32 bytes.
    ///
    /// # Safety
    /// `p` must be valid for reading 32 bytes.
    #[inline]
    #[target_feature(enable = "avx2")]
    unsafe fn load(p: *const u8) -> __m256i {
        // SAFETY: the caller guarantees 32 readable bytes at `p`.
        unsafe { _mm256_loadu_si256(p.cast()) }
    }

    /// The six-bit index of each byte (see the module docs).
    #[inline]
    #[target_feature(enable = "avx2")]
    fn index(v: __m256i) -> __m256i {
        let low = _mm256_and_si256(v, _mm256_set1_epi8(0x1F));
        let high = _mm256_and_si256(_mm256_srli_epi16::<1>(v), _mm256_set1_epi8(0x20));
        _mm256_or_si256(low, high)
    }

    /// Bytes equal to `b`.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn eq(v: __m256i, b: u8) -> __m256i {
        _mm256_cmpeq_epi8(v, _mm256_set1_epi8(b as i8))
    }

    /// Bytes in `lo..=hi` (both ASCII; bytes 0x80 and up compare negative,
    /// so they are in no range).
    #[inline]
    #[target_feature(enable = "avx2")]
    fn range(v: __m256i, lo: u8, hi: u8) -> __m256i {
        let above = _mm256_cmpgt_epi8(v, _mm256_set1_epi8(lo as i8 - 1));
        let below = _mm256_cmpgt_epi8(_mm256_set1_epi8(hi as i8 + 1), v);
        _mm256_and_si256(above, below)
    }

    #[inline]
    #[target_feature(enable = "avx2")]
    fn bits(v: __m256i) -> u64 {
        u64::from(_mm256_movemask_epi8(v) as u32)
    }

    /// The byte-class masks of the 32 bytes `v` (classes as
    /// `prefilter::class_of` defines them), into `m` at bit `half`.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn classes(v: __m256i, half: u32, m: &mut Masks) {
        let digits = range(v, b'0', b'9');
        let upper = range(v, b'A', b'Z');
        let lower = range(v, b'a', b'z');
        let letters = _mm256_or_si256(upper, lower);
        let (plus, slash, dash) = (eq(v, b'+'), eq(v, b'/'), eq(v, b'-'));
        let extra = _mm256_or_si256(
            _mm256_or_si256(plus, slash),
            _mm256_or_si256(eq(v, b'='), eq(v, b'_')),
        );
        let tokens = _mm256_or_si256(
            _mm256_or_si256(digits, letters),
            _mm256_or_si256(extra, dash),
        );
        let separators = _mm256_or_si256(
            _mm256_or_si256(
                _mm256_or_si256(eq(v, b' '), dash),
                _mm256_or_si256(eq(v, b'.'), slash),
            ),
            _mm256_or_si256(_mm256_or_si256(eq(v, b'('), eq(v, b')')), plus),
        );
        let hex_letters = range(_mm256_or_si256(v, _mm256_set1_epi8(0x20)), b'a', b'f');
        let nonhex = _mm256_or_si256(_mm256_andnot_si256(hex_letters, letters), extra);
        let marks = _mm256_or_si256(_mm256_or_si256(eq(v, b'@'), eq(v, b'%')), eq(v, b'\\'));
        m.digits |= bits(digits) << half;
        m.tokens |= bits(tokens) << half;
        m.separators |= bits(separators) << half;
        m.upper |= bits(upper) << half;
        m.lower |= bits(lower) << half;
        m.nonhex |= bits(nonhex) << half;
        m.marks |= bits(marks) << half;
        m.newlines |= bits(eq(v, b'\n')) << half;
    }

    /// Halves (32 bytes) of the most blocks one call takes.
    const HALVES: usize = 2 * crate::engine::prefilter::CHUNK;

    /// Fills `out[k]` with the masks of the block at `64 * k` of `hay`.
    ///
    /// Group by group over all of the call's blocks: a group's eight
    /// nibble tables stay in registers while every 32-byte half is looked
    /// up (by its indexes, kept on the stack, which `vpshufb` reads as a
    /// memory operand), instead of 64 table loads per half; the
    /// instructions per byte of clean text drop by about a fifth.
    ///
    /// # Safety
    /// The CPU must support AVX2.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn masks(nibbles: &[[u8; 32]], hay: &[u8], out: &mut [Masks]) {
        let Ok(nibbles) = <&Nibbles>::try_from(nibbles) else {
            return;
        };
        if hay.len() < out.len() * 64 + 3 || out.len() * 2 > HALVES {
            return;
        }
        let halves = out.len() * 2;
        // Per half: the low and the top halves of each offset's indexes
        // (see `buckets::nibble_halves`), and the buckets any group passed.
        let mut split = [const { std::mem::MaybeUninit::<[__m256i; 8]>::uninit() }; HALVES];
        let mut any = [_mm256_setzero_si256(); HALVES];
        for (h, slot) in split.iter_mut().enumerate().take(halves) {
            // SAFETY: checked above: 67 bytes are readable at `64 * k`, so
            // 35 at `32 * h`; each load reads 32 bytes at offset 0 to 3.
            let v = unsafe {
                let p = hay.as_ptr().add(32 * h);
                [load(p), load(p.add(1)), load(p.add(2)), load(p.add(3))]
            };
            let mut x = [_mm256_setzero_si256(); 8];
            for (j, &v) in v.iter().enumerate() {
                let i = index(v);
                // `vpshufb` reads only bits 0-3 and 7 of an index, and bit
                // 7 of a six-bit index is clear, so the index itself looks
                // up by its low half. 16-bit shift: mask off the bits from
                // the next byte.
                x[2 * j] = i;
                x[2 * j + 1] = _mm256_and_si256(_mm256_srli_epi16::<2>(i), _mm256_set1_epi8(15));
            }
            slot.write(x);
            let m = &mut out[h / 2];
            if h % 2 == 0 {
                *m = Masks::default();
            }
            classes(v[0], 32 * (h as u32 % 2), m);
        }
        for g in 0..GROUPS {
            // SAFETY: each table is 32 bytes.
            let t: [__m256i; 8] =
                std::array::from_fn(|k| unsafe { load(nibbles[g * 8 + k].as_ptr()) });
            for (slot, any) in split.iter().zip(any.iter_mut()).take(halves) {
                // SAFETY: the first loop wrote the first `halves` slots.
                let x = unsafe { slot.assume_init_ref() };
                let hit = |j: usize| {
                    _mm256_and_si256(
                        _mm256_shuffle_epi8(t[2 * j], x[2 * j]),
                        _mm256_shuffle_epi8(t[2 * j + 1], x[2 * j + 1]),
                    )
                };
                let all = _mm256_and_si256(
                    _mm256_and_si256(hit(0), hit(1)),
                    _mm256_and_si256(hit(2), hit(3)),
                );
                *any = _mm256_or_si256(*any, all);
            }
        }
        for (h, &any) in any.iter().enumerate().take(halves) {
            let keywords = !bits(_mm256_cmpeq_epi8(any, _mm256_setzero_si256())) & 0xFFFF_FFFF;
            out[h / 2].keywords |= keywords << (32 * (h % 2));
        }
    }
}

#[cfg(target_arch = "aarch64")]
#[allow(unsafe_code)]
mod neon {
    use super::{Masks, GROUPS};
    use crate::engine::prefilter::{DIGIT, LOWER, MARK, NEWLINE, NONHEX, SEPARATOR, TOKEN, UPPER};
    use std::arch::aarch64::*;

    /// The tables in registers (or at least loaded once per call).
    struct Regs {
        tables: [uint8x16x4_t; GROUPS * 4],
        classes: [uint8x16x4_t; 2],
    }

    /// Loads 64 bytes as a four-register table.
    ///
    /// # Safety
    /// `p` must be valid for reading 64 bytes.
    #[inline]
    #[target_feature(enable = "neon")]
    unsafe fn load4(p: *const u8) -> uint8x16x4_t {
        // SAFETY: the caller guarantees 64 readable bytes at `p`.
        unsafe { vld1q_u8_x4(p) }
    }

    /// The six-bit index of each byte (see the module docs).
    #[inline]
    #[target_feature(enable = "neon")]
    fn index(v: uint8x16_t) -> uint8x16_t {
        vorrq_u8(
            vandq_u8(v, vdupq_n_u8(0x1F)),
            vandq_u8(vshrq_n_u8::<1>(v), vdupq_n_u8(0x20)),
        )
    }

    /// One bit per byte of four 16-byte vectors of 0x00 / 0xFF bytes.
    #[inline]
    #[target_feature(enable = "neon")]
    fn bits(m: [uint8x16_t; 4]) -> u64 {
        const WEIGHTS: [u8; 16] = [1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128];
        // SAFETY: the array is 16 bytes.
        let w = unsafe { vld1q_u8(WEIGHTS.as_ptr()) };
        let a = vpaddq_u8(vandq_u8(m[0], w), vandq_u8(m[1], w));
        let b = vpaddq_u8(vandq_u8(m[2], w), vandq_u8(m[3], w));
        let c = vpaddq_u8(a, b);
        let d = vpaddq_u8(c, c);
        vgetq_lane_u64::<0>(vreinterpretq_u64_u8(d))
    }

    /// # Safety
    /// `p` must be valid for reading 67 bytes.
    #[inline]
    #[target_feature(enable = "neon")]
    unsafe fn block(regs: &Regs, p: *const u8) -> Masks {
        let mut keywords = [vdupq_n_u8(0); 4];
        let mut class = [vdupq_n_u8(0); 4];
        for s in 0..4 {
            // SAFETY: each load reads 16 bytes at offset 16 * s + 0..4 of
            // the 67 readable bytes at `p`.
            let v = unsafe {
                let q = p.add(16 * s);
                [
                    vld1q_u8(q),
                    vld1q_u8(q.add(1)),
                    vld1q_u8(q.add(2)),
                    vld1q_u8(q.add(3)),
                ]
            };
            let i = [index(v[0]), index(v[1]), index(v[2]), index(v[3])];
            let mut any = vdupq_n_u8(0);
            for t in regs.tables.chunks_exact(4) {
                let ab = vandq_u8(vqtbl4q_u8(t[0], i[0]), vqtbl4q_u8(t[1], i[1]));
                let cd = vandq_u8(vqtbl4q_u8(t[2], i[2]), vqtbl4q_u8(t[3], i[3]));
                any = vorrq_u8(any, vandq_u8(ab, cd));
            }
            keywords[s] = vtstq_u8(any, any);
            // Bytes 0..64 from the first table, 64..128 from the second;
            // the others read zero from both.
            let low = vqtbl4q_u8(regs.classes[0], v[0]);
            class[s] = vqtbx4q_u8(low, regs.classes[1], vsubq_u8(v[0], vdupq_n_u8(64)));
        }
        let has = |bit: u8| {
            let b = vdupq_n_u8(bit);
            bits([
                vtstq_u8(class[0], b),
                vtstq_u8(class[1], b),
                vtstq_u8(class[2], b),
                vtstq_u8(class[3], b),
            ])
        };
        Masks {
            digits: has(DIGIT),
            tokens: has(TOKEN),
            separators: has(SEPARATOR),
            upper: has(UPPER),
            lower: has(LOWER),
            nonhex: has(NONHEX),
            marks: has(MARK),
            newlines: has(NEWLINE),
            keywords: bits(keywords),
        }
    }

    /// Fills `out[k]` with the masks of the block at `64 * k` of `hay`.
    ///
    /// # Safety
    /// The CPU must support NEON.
    #[target_feature(enable = "neon")]
    pub(super) unsafe fn masks(
        tables: &[[u8; 64]],
        classes: &[u8; 128],
        hay: &[u8],
        out: &mut [Masks],
    ) {
        if tables.len() != GROUPS * 4 || hay.len() < out.len() * 64 + 3 {
            return;
        }
        let zero = vdupq_n_u8(0);
        let mut regs = Regs {
            tables: [uint8x16x4_t(zero, zero, zero, zero); GROUPS * 4],
            // SAFETY: the class table is 128 bytes.
            classes: unsafe { [load4(classes.as_ptr()), load4(classes.as_ptr().add(64))] },
        };
        for (r, table) in regs.tables.iter_mut().zip(tables) {
            // SAFETY: each table is 64 bytes.
            *r = unsafe { load4(table.as_ptr()) };
        }
        for (k, o) in out.iter_mut().enumerate() {
            // SAFETY: checked above: 67 bytes are readable at `64 * k`.
            *o = unsafe { block(&regs, hay.as_ptr().add(64 * k)) };
        }
    }
}
