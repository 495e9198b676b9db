//! Vector kernels of the prefilter: for one 64-byte block, masks with one
//! bit per byte: the byte classes the prefilter needs (digit, token byte
//! `[A-Za-z0-9+/=_-]`, digit-run separator, one of the marks `@ % \`, line
//! break) and "a keyword may start here". (A token run's other classes,
//! case and hex, are read off its bytes once it is known to be long.)
//!
//! The keyword test of the AVX-512 and `avx2-nibble` kernels is a bucketed
//! byte-set filter in the spirit of Teddy, but with whole-byte resolution
//! instead of nibbles (the buckets and their tables come from
//! `buckets.rs`). A position passes when, for some bucket, the bytes at
//! offsets 0, 1, 2 and 3 are all in that bucket's sets. The AVX-512 kernel
//! has 48 buckets and tests a second, independent fingerprint of each
//! window (a seven-bit GF(2)-linear hash of its four bytes, one
//! `vgf2p8affineqb` per offset, looked up per group with one `vpermi2b`,
//! [`FINGERPRINT_MATRICES`]): on source text it passes 34 / 20 positions
//! per KB of the clean-text benchmark / real package sources, where 64
//! buckets alone passed 78 / 44 (each a hint the caller checks against
//! its first level, a load that mostly misses L1), for 31 shuffles a block
//! instead of 33. The AVX2 kernel
//! hashes each position's folded 4-byte window into a table of its own
//! instead ([`PairTable`]), NEON into the portable loops' byte-per-hash
//! form of the prefilter's first-level table. A pass is only a hint: the
//! caller confirms it exactly.
//!
//! Bytes are reduced to six bits before the lookup, ignoring bit 5 (ASCII
//! case) and bit 7: `index = b & 0x1F | (b >> 1) & 0x20`, which is what
//! AVX-512 VBMI's `vpermb` indexes with. Distinct bytes may share an index
//! (`[` and `{`, non-ASCII and ASCII); that only adds hints, never loses one.
//!
//! Kernels, chosen at run time ([`Kernel::new`]), best first:
//! - `avx512`: AVX-512 BW and VBMI, one `vpermb` per 64-byte table lookup,
//!   and GFNI for the fingerprint (every CPU with VBMI has it but Cannon
//!   Lake, which runs `avx2`); where the CPU also has VBMI2 (Ice Lake, Zen
//!   4 and later), a chunk's hints are listed by `vpcompressw`
//!   ([`Kernel::hint_offsets`]), so the caller confirms them in one flat
//!   loop instead of a loop per block;
//! - `avx2`: a hashed table of the keywords' first windows, 32 windows a
//!   step: `vpshufb` makes eight window pairs per register (the three
//!   bytes two neighbouring windows share), `vpmulld` and a shift hash
//!   them, `vpgatherdd` fetches each pair's word of the 32 KiB table and
//!   variable shifts bring each window's bit to the top ([`PairTable`]);
//!   unpacks and packs put the 32 bits back in order. Teddy's nibble split
//!   of the bucket tables (16 `vpshufb` per group of eight buckets and 32
//!   bytes) took five times the instructions and passed 87 positions per
//!   KB of the clean-text benchmark, where this passes about 30, each a
//!   hint the caller checks against the first level; byte classes by
//!   nibble lookups;
//! - `avx2-nibble`: the AVX2 kernel before the gather, for CPUs where
//!   gathers are slow (Intel's Gather Data Sampling microcode mitigation
//!   makes `vpgatherdd` several times slower on 6th to 11th generation
//!   Core): Teddy's nibble split of the bucket tables, 32 bytes a step,
//!   for each table one 16-entry `vpshufb` table by the index's low four
//!   bits and one by its top four (overlapping in two), AND-ed. A bucket
//!   passes every byte whose low and top bits each occur in its set, a
//!   superset of the exact test; its tables are assigned for the split
//!   (`buckets::build_nibble_tables`). Chosen instead of `avx2` when
//!   Linux reports the mitigation active ([`gathers_slow`]);
//! - `neon` (aarch64): keyword hints as the portable loops make them, with
//!   the hashing in vectors: four loads at offsets 0..4 hold 16 windows as
//!   32-bit lanes, `mul` and `shrn` make their 16-bit hashes, and each
//!   window's byte of the portable table is a lane load (NEON has no
//!   gather); byte classes by `tbl` with four registers (a 64-byte lookup)
//!   on the block loaded de-interleaved (`ld4`), so that shifts with insert
//!   and one narrowing shift make each mask (6 to 10 instructions, where
//!   AND-ing lane weights and adding pairs took about 18). 418 instructions
//!   a block, straight-line (aarch64 assembly of the kernel), where the
//!   bucket filter executed 1,087: 32 four-register `tbl` per 16 bytes
//!   (each several micro-ops), its 32 tables' 128 registers (aarch64 has
//!   32) copied to the stack and reloaded, and 7% of positions passed on to
//!   the first level where this passes about 4%.
//!
//! Without any of them the prefilter runs its portable loops. The
//! environment variable `KEEPMUM_KERNEL=avx512|avx2|avx2-nibble|neon|portable` forces
//! a choice (for tests and benchmarks); a kernel the CPU lacks falls back to
//! the portable loops. Every kernel computes exactly the masks of
//! [`masks_scalar`], and every path
//! reports the same events (property tests check both).
//!
//! Measured with callgrind on 1 MB of the clean-text benchmark and of real
//! package sources, instructions per byte of the whole scan with the AVX2
//! kernel: 16.8 / 15.0 with the nibble-split buckets, 10.8 / 9.5 with the
//! first-level gather; since then (more rules, nibble-lookup classes),
//! 9.5 / 8.3 for `avx2` and 16.6 / 14.8 for `avx2-nibble`; with a token
//! run's case classes read off its bytes, 8.6 / 7.2 and 15.8 / 13.8; with
//! the pair table (half the gathers, which cost more time than their count
//! of instructions says: a third of the scan by samples), 8.5 / 7.1.

use super::buckets::{index6, nibble_halves, AVX512_GROUPS, GROUPS};
use super::prefilter::{class_of, portable_table, FirstLevel, PortableTable, CHUNK};

/// The instruction sets a vector kernel is written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KernelKind {
    /// x86-64 with AVX-512 F, BW and VBMI.
    Avx512,
    /// x86-64 with AVX2.
    Avx2,
    /// x86-64 with AVX2, without gathers (for CPUs where they are slow).
    Avx2Nibble,
    /// aarch64 with NEON (Advanced SIMD).
    Neon,
}

impl KernelKind {
    /// Every kind, best first (`Avx2Nibble` only replaces `Avx2` where
    /// gathers are slow; see [`Kernel::new`]).
    pub(crate) const ALL: [KernelKind; 4] = [
        KernelKind::Avx512,
        KernelKind::Avx2,
        KernelKind::Avx2Nibble,
        KernelKind::Neon,
    ];

    /// Whether this CPU runs the kind.
    pub(crate) fn supported(self) -> bool {
        match self {
            #[cfg(target_arch = "x86_64")]
            KernelKind::Avx512 => {
                std::is_x86_feature_detected!("avx512f")
                    && std::is_x86_feature_detected!("avx512bw")
                    && std::is_x86_feature_detected!("avx512vbmi")
                    && std::is_x86_feature_detected!("gfni")
            }
            #[cfg(target_arch = "x86_64")]
            KernelKind::Avx2 | KernelKind::Avx2Nibble => std::is_x86_feature_detected!("avx2"),
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
            KernelKind::Avx2Nibble => "avx2-nibble",
            KernelKind::Neon => "neon",
        }
    }
}

/// Whether the CPU has `popcnt`, `lzcnt`, BMI1 and BMI2 (every x86 CPU
/// with AVX2 has them), which the prefilter's passes are compiled for when
/// it does (see `KeywordIndex::scan_with`). Each is a cached flag.
#[cfg(target_arch = "x86_64")]
pub(crate) fn bit_ops() -> bool {
    std::is_x86_feature_detected!("popcnt")
        && std::is_x86_feature_detected!("lzcnt")
        && std::is_x86_feature_detected!("bmi1")
        && std::is_x86_feature_detected!("bmi2")
}

/// Whether the CPU has what `avx512::hint_offsets` is compiled for.
fn compress_supported() -> bool {
    #[cfg(target_arch = "x86_64")]
    return std::is_x86_feature_detected!("avx512f")
        && std::is_x86_feature_detected!("avx512bw")
        && std::is_x86_feature_detected!("avx512vbmi2")
        && std::is_x86_feature_detected!("popcnt");
    #[cfg(not(target_arch = "x86_64"))]
    false
}

/// What `KEEPMUM_KERNEL` asks for: `None` when unset or unknown (the best
/// kernel the CPU runs), `Some(None)` for the portable loops.
fn forced_kind() -> Option<Option<KernelKind>> {
    kernel_named(&std::env::var("KEEPMUM_KERNEL").ok()?)
}

/// The kernel a `KEEPMUM_KERNEL` value names (see [`forced_kind`]).
fn kernel_named(value: &str) -> Option<Option<KernelKind>> {
    let value = value.trim().to_ascii_lowercase();
    if value == "portable" || value == "scalar" {
        return Some(None);
    }
    KernelKind::ALL
        .into_iter()
        .find(|k| k.name() == value)
        .map(Some)
}

/// The best kind a CPU that runs the kinds `supported` says it runs
/// (`None`: none), with `avx2-nibble` instead of `avx2` where
/// `gathers_slow` (asked only then).
fn best_kind(
    supported: impl Fn(KernelKind) -> bool,
    gathers_slow: impl FnOnce() -> bool,
) -> Option<KernelKind> {
    let best = KernelKind::ALL
        .into_iter()
        .find(|&k| k != KernelKind::Avx2Nibble && supported(k))?;
    Some(if best == KernelKind::Avx2 && gathers_slow() {
        KernelKind::Avx2Nibble
    } else {
        best
    })
}

/// True when this machine's gathers are known to be slow: Linux reports
/// Intel's Gather Data Sampling (Downfall) mitigation in effect, which
/// makes `vpgatherdd` several times slower. Read once per kernel choice.
fn gathers_slow() -> bool {
    std::fs::read_to_string("/sys/devices/system/cpu/vulnerabilities/gather_data_sampling")
        .is_ok_and(|status| gds_status_slows_gathers(&status))
}

/// Whether a `gather_data_sampling` status (the sysfs text) means gathers
/// run with the microcode mitigation: `Mitigation: …` (microcode, or AVX
/// disabled, where no AVX2 kernel runs anyway), and `Unknown: Dependent on
/// hypervisor status`, which Linux reports in a virtual machine on an
/// affected CPU, whose host's microcode mitigates by default. `Not
/// affected`, `Vulnerable` (mitigation turned off) and `Vulnerable: No
/// microcode` leave gathers fast.
fn gds_status_slows_gathers(status: &str) -> bool {
    let status = status.trim().to_ascii_lowercase();
    status.starts_with("mitigation") || status.starts_with("unknown: dependent on hypervisor")
}

/// The per-block masks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Masks {
    pub(crate) digits: u64,
    /// `[A-Za-z0-9+/=_-]`.
    pub(crate) tokens: u64,
    /// Digit-run separators `` -./()+``.
    pub(crate) separators: u64,
    /// The rare bytes other passes start from: `@` (emails, credentials in
    /// URLs), `%` and `\` (percent and `\u` escapes).
    pub(crate) marks: u64,
    /// Line breaks (`\n`).
    pub(crate) newlines: u64,
    pub(crate) keywords: u64,
}

/// Scalar reference for [`Kernel::masks`] on a padded block (for tests):
/// for `avx2`, a keyword hint is a window that passes the pair table
/// ([`PairTable::passes`], at its offset's parity); for
/// `avx2-nibble`, the tables are looked up with the nibble split.
#[cfg(test)]
pub(crate) fn masks_scalar(kernel: &Kernel, block: &[u8; 67]) -> Masks {
    let tables = &kernel.tables;
    // What the bucket bits of table `t` say of a byte's index.
    let look = |t: usize, index: usize| match kernel.kind {
        KernelKind::Avx2Nibble => {
            let (low, top) = nibble_halves(index);
            kernel.nibbles[2 * t][low] & kernel.nibbles[2 * t + 1][top]
        }
        _ => tables[t][index],
    };
    let mut m = Masks::default();
    for (j, &b) in block[..64].iter().enumerate() {
        let class = |bit: u8| u64::from(class_of(b) & bit != 0) << j;
        use super::prefilter::{DIGIT, MARK, NEWLINE, SEPARATOR, TOKEN};
        m.digits |= class(DIGIT);
        m.tokens |= class(TOKEN);
        m.separators |= class(SEPARATOR);
        m.marks |= class(MARK);
        m.newlines |= class(NEWLINE);
    }
    for j in 0..64 {
        let window = u32::from_le_bytes([block[j], block[j + 1], block[j + 2], block[j + 3]]);
        let hit = match (&kernel.pairs, &kernel.portable) {
            (Some(pairs), _) => pairs.passes(window | 0x2020_2020, j % 2 == 1),
            (_, Some(table)) => super::prefilter::portable_hint(table, window | 0x2020_2020) != 0,
            _ => (0..tables.len() / 4).any(|g| {
                let fingerprint = kernel
                    .fingerprints
                    .get(g)
                    .map_or(0xFF, |f| f[fingerprint(window)]);
                (0..4).fold(fingerprint, |acc, k| {
                    acc & look(g * 4 + k, index6(block[j + k]))
                }) != 0
            }),
        };
        if hit {
            m.keywords |= 1 << j;
        }
    }
    m
}

/// The AVX-512 kernel's fingerprint of a window, a second test
/// independent of the bucket tables' byte sets: a linear map over GF(2) of
/// its four bytes to seven bits, `M[0] b0 ^ M[1] b1 ^ M[2] b2 ^ M[3] b3`,
/// which `vgf2p8affineqb` computes (an 8x8 bit matrix per offset, applied
/// to each byte; row `i` of a matrix is byte `7 - i` of its word). The
/// matrices are random (fixed, made at compile time) but for two columns
/// left zero, so that bit 5 (ASCII case) of no byte counts, and their top
/// row, so the fingerprint fits a `vpermi2b` index. A bucket passes a
/// position only when its keywords' windows include one of the same
/// fingerprint ([`fingerprint_tables`]), which turns away about three in
/// five of the positions its byte sets pass.
static FINGERPRINT_MATRICES: [u64; 4] = {
    let mut m = [0u64; 4];
    // splitmix64
    let mut state: u64 = 0x6B65_6570_6D75_6D21;
    let mut j = 0;
    while j < 4 {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        // Column 5 of every row cleared; row 7 (byte 0) cleared.
        m[j] = z & 0xDFDF_DFDF_DFDF_DF00;
        j += 1;
    }
    m
};

/// [`FINGERPRINT_MATRICES`] applied to every byte: `FINGERPRINT_BYTES[j][b]`
/// is byte `b`'s part of a fingerprint at offset `j`.
static FINGERPRINT_BYTES: [[u8; 256]; 4] = {
    let mut t = [[0u8; 256]; 4];
    let mut j = 0;
    while j < 4 {
        let rows = FINGERPRINT_MATRICES[j].to_le_bytes();
        let mut b = 0;
        while b < 256 {
            let mut out = 0u8;
            let mut i = 0;
            while i < 8 {
                let parity = (rows[7 - i] & b as u8).count_ones() as u8 & 1;
                out |= parity << i;
                i += 1;
            }
            t[j][b] = out;
            b += 1;
        }
        j += 1;
    }
    t
};

/// The fingerprint of a window (see [`FINGERPRINT_MATRICES`]): below 128.
#[inline(always)]
fn fingerprint(window: u32) -> usize {
    let b = window.to_le_bytes();
    usize::from(
        FINGERPRINT_BYTES[0][usize::from(b[0])]
            ^ FINGERPRINT_BYTES[1][usize::from(b[1])]
            ^ FINGERPRINT_BYTES[2][usize::from(b[2])]
            ^ FINGERPRINT_BYTES[3][usize::from(b[3])],
    )
}

/// The fingerprint tables (see `Kernel::fingerprints`) of the keywords'
/// first windows `windows` in buckets `tables`: each window's fingerprint
/// gets the buckets whose byte sets pass it.
fn fingerprint_tables(tables: &[[u8; 64]], windows: impl Iterator<Item = u32>) -> Vec<[u8; 128]> {
    let mut out = vec![[0u8; 128]; tables.len() / 4];
    for x in windows {
        let b = x.to_le_bytes();
        let f = fingerprint(x);
        for (g, fp) in out.iter_mut().enumerate() {
            fp[f] |= (0..4).fold(0xFFu8, |acc, j| {
                acc & tables.get(g * 4 + j).map_or(0, |t| t[index6(b[j])])
            });
        }
    }
    out
}

/// Bits of a [`PairTable`]'s word index: 8,192 words, 32 KiB.
const PAIR_WORD_BITS: u32 = 13;

/// The `avx2` kernel's keyword table, in which one gathered 32-bit word
/// answers for two neighbouring windows, so a block of 64 windows costs
/// four gathers instead of eight (gathers were a third of a scan's time).
/// The windows at `i` (even) and `i + 1` share the three bytes at `i + 1`:
/// they pick the word; the word's low 16 bits are for the window at the
/// even offset, by a 4-bit hash of its first byte, the top 16 bits for
/// the window at the odd offset, by a hash of its last byte. So each of a
/// keyword's first windows is entered twice, once for either parity. A
/// pass is only a hint, checked against the first level next: about 30
/// per KB of source text pass, where 19 pass the first level.
#[derive(Debug)]
pub(crate) struct PairTable {
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    words: Box<[u32]>,
}

/// The word of the three folded bytes `three` (the fourth byte zero).
#[inline(always)]
fn pair_word(three: u32) -> usize {
    (three.wrapping_mul(0x9E37_79B1) >> (32 - PAIR_WORD_BITS)) as usize
}

/// The 4-bit hash of a folded byte that picks its bit in a word.
#[inline(always)]
fn pair_bit(b: u8) -> u32 {
    u32::from((b & 15) + (b >> 4)) & 15
}

impl PairTable {
    /// The table of these folded 4-byte windows.
    fn new(windows: impl Iterator<Item = u32>) -> PairTable {
        let mut words = vec![0u32; 1 << PAIR_WORD_BITS].into_boxed_slice();
        for x in windows {
            let [first, .., last] = x.to_le_bytes();
            words[pair_word(x >> 8)] |= 1 << pair_bit(first);
            words[pair_word(x & 0xFF_FFFF)] |= 1 << (16 + pair_bit(last));
        }
        PairTable { words }
    }

    /// Whether the folded window `x` passes at an odd offset (`odd`) or
    /// an even one (what the vector code computes for 32 windows at once).
    #[cfg(test)]
    fn passes(&self, x: u32, odd: bool) -> bool {
        let [first, .., last] = x.to_le_bytes();
        if odd {
            self.words[pair_word(x & 0xFF_FFFF)] >> (16 + pair_bit(last)) & 1 != 0
        } else {
            self.words[pair_word(x >> 8)] >> pair_bit(first) & 1 != 0
        }
    }
}

/// A vector kernel with its tables.
#[derive(Debug)]
pub(crate) struct Kernel {
    kind: KernelKind,
    /// For `avx512` (and the reference of `avx2-nibble`): the bucket tables.
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    tables: Vec<[u8; 64]>,
    /// For `avx512`: per group of buckets, the buckets whose keywords'
    /// first windows have each [`fingerprint`] (bit `b` of entry `f` of
    /// group `g`: bucket `8 * g + b` has a window of fingerprint `f`).
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    fingerprints: Vec<[u8; 128]>,
    /// The classes of the 128 ASCII bytes, with the prefilter's class bits
    /// (one two-table `vpermi2b` looks them up; other bytes have none).
    classes: [u8; 128],
    /// For `avx2`: the pair table of the keywords' windows, which it looks
    /// up for every window instead of bucket tables.
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    pairs: Option<PairTable>,
    /// For `neon`: the portable loops' keyword table (a byte per shortened
    /// first-level hash), which it looks up for every window.
    #[cfg_attr(not(target_arch = "aarch64"), allow(dead_code))]
    portable: Option<Box<PortableTable>>,
    /// For `avx2`: per class bit (see `prefilter::class_of`), for each low
    /// nibble, the high nibbles 0..8 (one bit each) of the ASCII bytes in
    /// the class, in both 16-byte lanes: `vpshufb` looks a byte's class
    /// up by its two nibbles.
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    class_rows: [[u8; 32]; 8],
    /// For `avx2-nibble`: table `t` split by nibbles, its buckets by the
    /// low four bits of an index at `nibbles[2 * t]` and by the top four at
    /// `nibbles[2 * t + 1]` (see `buckets::nibble_halves`), repeated in both
    /// 16-byte lanes (`vpshufb` looks up within a lane).
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    nibbles: Vec<[u8; 32]>,
    /// For `avx512`: whether the CPU also has VBMI2 (and `popcnt`), whose
    /// `vpcompressw` lists a chunk's hints ([`Kernel::hint_offsets`]).
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    compress: bool,
}

impl Kernel {
    /// The best kernel this CPU runs, with the tables `tables_for` gives
    /// for its kind (from `buckets`), or `None` when it runs none (or
    /// `KEEPMUM_KERNEL` asks for the portable loops or a kernel it lacks).
    /// Where AVX2 is the best and gathers are slow ([`gathers_slow`]), the
    /// best is `avx2-nibble`.
    pub(crate) fn new(
        tables_for: impl FnOnce(KernelKind) -> Vec<[u8; 64]>,
        keyword_windows: impl Iterator<Item = u32>,
        first_level: &FirstLevel,
    ) -> Option<Kernel> {
        let kind = match forced_kind() {
            Some(forced) => forced?,
            None => best_kind(KernelKind::supported, gathers_slow)?,
        };
        if !kind.supported() {
            return None;
        }
        Kernel::with_kind(tables_for(kind), keyword_windows, first_level, kind)
    }

    /// A kernel of this kind, or `None` when the CPU lacks it. The AVX2
    /// kernel looks up a [`PairTable`] of `keyword_windows` (each keyword's
    /// first four bytes, folded as the first level folds them), NEON the
    /// portable loops' byte table made from `first_level`, the others
    /// `tables` (bucket tables).
    pub(crate) fn with_kind(
        tables: Vec<[u8; 64]>,
        keyword_windows: impl Iterator<Item = u32>,
        first_level: &FirstLevel,
        kind: KernelKind,
    ) -> Option<Kernel> {
        if !kind.supported() {
            return None;
        }
        let mut keyword_windows = Some(keyword_windows);
        let pairs = (kind == KernelKind::Avx2)
            .then(|| keyword_windows.take().map(PairTable::new))
            .flatten();
        let portable = (kind == KernelKind::Neon).then(|| portable_table(first_level));
        let groups = match kind {
            KernelKind::Avx512 => AVX512_GROUPS,
            KernelKind::Avx2Nibble => GROUPS,
            KernelKind::Avx2 | KernelKind::Neon => 0,
        };
        if groups > 0 && tables.len() != groups * 4 {
            return None;
        }
        let fingerprints = match (kind, keyword_windows) {
            (KernelKind::Avx512, Some(windows)) => fingerprint_tables(&tables, windows),
            _ => Vec::new(),
        };
        let mut classes = [0u8; 128];
        for (b, class) in classes.iter_mut().enumerate() {
            *class = class_of(b as u8);
        }
        let mut class_rows = [[0u8; 32]; 8];
        for (bit, rows) in class_rows.iter_mut().enumerate() {
            for b in 0..128u8 {
                if class_of(b) & (1 << bit) != 0 {
                    rows[usize::from(b & 15)] |= 1 << (b >> 4);
                    rows[16 + usize::from(b & 15)] |= 1 << (b >> 4);
                }
            }
        }
        let mut nibbles = Vec::new();
        if kind == KernelKind::Avx2Nibble {
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
            fingerprints,
            classes,
            pairs,
            portable,
            class_rows,
            nibbles,
            compress: kind == KernelKind::Avx512 && compress_supported(),
        })
    }

    /// Where this kernel lists hints in vectors (AVX-512 with VBMI2):
    /// writes the offset `64 * j + bit` of every keyword hint of `chunk`
    /// (block `j`, bit `bit`; at most [`CHUNK`] blocks) to `out`, in
    /// order, and returns how many; else `None`, and `out` is untouched.
    #[inline]
    pub(crate) fn hint_offsets(
        &self,
        chunk: &[Masks],
        out: &mut [u16; CHUNK * 64],
    ) -> Option<usize> {
        if !self.compress || chunk.len() > CHUNK {
            return None;
        }
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `compress` is set only where the CPU has AVX-512 F, BW,
        // VBMI2 and `popcnt`.
        #[allow(unsafe_code)]
        return Some(unsafe { avx512::hint_offsets(chunk, out) });
        #[cfg(not(target_arch = "x86_64"))]
        {
            let _ = out;
            None
        }
    }

    /// [`Kernel::hint_offsets`] on or off (for tests: both ways of
    /// listing the hints take part in the kernel-equivalence tests).
    #[cfg(test)]
    pub(crate) fn set_compress(&mut self, on: bool) {
        self.compress = on && self.kind == KernelKind::Avx512 && compress_supported();
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
            KernelKind::Avx512 => unsafe {
                avx512::masks(&self.tables, &self.fingerprints, &self.classes, hay, out)
            },
            #[cfg(target_arch = "x86_64")]
            #[allow(unsafe_code)]
            KernelKind::Avx2 => {
                if let Some(pairs) = &self.pairs {
                    // SAFETY: as above, for AVX2.
                    unsafe { avx2::masks(pairs, &self.class_rows, hay, out) }
                }
            }
            #[cfg(target_arch = "x86_64")]
            // SAFETY: as above, for AVX2.
            #[allow(unsafe_code)]
            KernelKind::Avx2Nibble => unsafe {
                avx2::masks_nibble(&self.nibbles, &self.class_rows, hay, out)
            },
            #[cfg(target_arch = "aarch64")]
            #[allow(unsafe_code)]
            KernelKind::Neon => {
                if let Some(table) = &self.portable {
                    // SAFETY: as above, for NEON.
                    unsafe { neon::masks(table, &self.classes, hay, out) }
                }
            }
            #[allow(unreachable_patterns)]
            _ => {
                let _ = (hay, out);
            }
        }
    }
}

/// Blocks of the padded copy at the end of an input.
const TAIL_BLOCKS: usize = 4;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gather_data_sampling_mitigations_slow_gathers() {
        for status in [
            "Mitigation: Microcode\n",
            "Mitigation: Microcode, SMT disabled",
            "Mitigation: AVX disabled, no microcode",
            "Unknown: Dependent on hypervisor status\n",
        ] {
            assert!(gds_status_slows_gathers(status), "{status:?}");
        }
        for status in [
            "Not affected\n",
            "Vulnerable: No microcode\n",
            "Vulnerable",
            "",
            "garbage",
        ] {
            assert!(!gds_status_slows_gathers(status), "{status:?}");
        }
    }

    #[test]
    fn slow_gathers_swap_avx2_for_the_nibble_kernel_only() {
        use KernelKind::*;
        let x86 = |k: KernelKind| matches!(k, Avx2 | Avx2Nibble);
        assert_eq!(best_kind(x86, || false), Some(Avx2));
        assert_eq!(best_kind(x86, || true), Some(Avx2Nibble));
        // AVX-512 has no gathers, so the status is not even read.
        let avx512 = |k: KernelKind| matches!(k, Avx512 | Avx2 | Avx2Nibble);
        assert_eq!(best_kind(avx512, || unreachable!()), Some(Avx512));
        assert_eq!(best_kind(|k| k == Neon, || unreachable!()), Some(Neon));
        assert_eq!(best_kind(|_| false, || true), None);
    }

    #[test]
    fn fingerprints_ignore_case_and_fit_a_vpermi2b_index() {
        for x in [0u32, 0x4142_4344, 0xFFFF_FFFF, 0x5F53_5741, 0x8081_FE7F] {
            assert!(fingerprint(x) < 128, "{x:#x}");
            assert_eq!(fingerprint(x), fingerprint(x | 0x2020_2020), "{x:#x}");
            assert_eq!(fingerprint(x), fingerprint(x & !0x2020_2020), "{x:#x}");
        }
        // Linear: the parts of the four offsets are independent.
        let (a, b) = (0x0000_0041u32, 0x4200_0000u32);
        assert_eq!(fingerprint(a | b), fingerprint(a) ^ fingerprint(b));
    }

    #[test]
    fn listed_hints_are_every_hint_bit_in_order() {
        let Some(kernel) = Kernel::with_kind(
            vec![[0u8; 64]; AVX512_GROUPS * 4],
            std::iter::empty(),
            &[0u8; 1 << (super::super::prefilter::TABLE_BITS - 3)],
            KernelKind::Avx512,
        ) else {
            return;
        };
        // splitmix64: masks from empty to full, sparse and dense.
        let mut state = 7u64;
        let mut next = || {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let z = (state ^ (state >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z ^ (z >> 31)
        };
        for round in 0..200 {
            let blocks = round % (CHUNK + 1);
            let chunk: Vec<Masks> = (0..blocks)
                .map(|j| {
                    let keywords = match (round + j) % 4 {
                        0 => 0,
                        1 => next() & next() & next(),
                        2 => next(),
                        _ => !0,
                    };
                    Masks {
                        keywords,
                        ..Masks::default()
                    }
                })
                .collect();
            let mut out = [0u16; CHUNK * 64];
            let Some(n) = kernel.hint_offsets(&chunk, &mut out) else {
                return;
            };
            let want: Vec<u16> = chunk
                .iter()
                .enumerate()
                .flat_map(|(j, m)| {
                    (0..64)
                        .filter(move |bit| m.keywords >> bit & 1 != 0)
                        .map(move |bit| (64 * j + bit) as u16)
                })
                .collect();
            assert_eq!(&out[..n], &want[..], "round {round}");
        }
    }

    #[test]
    fn kernel_names_round_trip() {
        for kind in KernelKind::ALL {
            assert_eq!(kernel_named(kind.name()), Some(Some(kind)));
        }
        assert_eq!(
            kernel_named(" AVX2-Nibble\n"),
            Some(Some(KernelKind::Avx2Nibble))
        );
        assert_eq!(kernel_named("portable"), Some(None));
        // Unknown names leave the choice to the CPU.
        assert_eq!(kernel_named("avx3"), None);
    }
}

/// How far ahead of the block it works on an x86 kernel asks for the
/// input's bytes: the next chunk's. The hardware prefetcher alone left a
/// sixth of the AVX2 kernel's samples on its first load of each block (on a
/// busy host); asking ahead made `avx2-nibble` ~4% faster.
#[cfg(target_arch = "x86_64")]
const PREFETCH: usize = 64 * super::prefilter::CHUNK;

/// Asks for the cache line at `p` (which need not be readable).
#[cfg(target_arch = "x86_64")]
#[inline]
#[target_feature(enable = "sse")]
fn prefetch(p: *const u8) {
    // A prefetch reads nothing and never faults.
    std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p.cast());
}

#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
mod avx512 {
    use super::{Masks, AVX512_GROUPS, CHUNK, FINGERPRINT_MATRICES};
    use crate::engine::prefilter::{DIGIT, MARK, NEWLINE, SEPARATOR, TOKEN};
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
        tables: [__m512i; AVX512_GROUPS * 4],
        /// Each group's fingerprint table, in two halves.
        fingerprints: [[__m512i; 2]; AVX512_GROUPS],
        /// `FINGERPRINT_MATRICES`, each in every word.
        matrices: [__m512i; 4],
        classes: [__m512i; 2],
    }

    /// # Safety
    /// The CPU must support AVX-512 F.
    #[inline]
    #[target_feature(enable = "avx512f")]
    unsafe fn regs(tables: &[[u8; 64]], fingerprints: &[[u8; 128]], classes: &[u8; 128]) -> Regs {
        let mut t = [_mm512_setzero_si512(); AVX512_GROUPS * 4];
        for (r, table) in t.iter_mut().zip(tables) {
            // SAFETY: each table is 64 bytes.
            *r = unsafe { load(table.as_ptr()) };
        }
        let mut f = [[_mm512_setzero_si512(); 2]; AVX512_GROUPS];
        for (r, table) in f.iter_mut().zip(fingerprints) {
            // SAFETY: each table is 128 bytes.
            *r = unsafe { [load(table.as_ptr()), load(table.as_ptr().add(64))] };
        }
        Regs {
            tables: t,
            fingerprints: f,
            matrices: std::array::from_fn(|j| _mm512_set1_epi64(FINGERPRINT_MATRICES[j] as i64)),
            // SAFETY: the class table is 128 bytes.
            classes: unsafe { [load(classes.as_ptr()), load(classes.as_ptr().add(64))] },
        }
    }

    /// # Safety
    /// The CPU must support AVX-512 F, BW and VBMI, and `p` must be valid
    /// for reading 67 bytes.
    #[inline]
    #[target_feature(enable = "avx512f,avx512bw,avx512vbmi,gfni")]
    unsafe fn block(regs: &Regs, p: *const u8) -> Masks {
        // SAFETY: each load reads 64 bytes at offset 0 to 3 of the 67
        // readable bytes at `p`.
        let (v0, v1, v2, v3) = unsafe { (load(p), load(p.add(1)), load(p.add(2)), load(p.add(3))) };
        let (i0, i1, i2, i3) = (index(v0), index(v1), index(v2), index(v3));
        // Each position's fingerprint (see `super::FINGERPRINT_MATRICES`).
        let fingerprint = _mm512_xor_si512(
            _mm512_ternarylogic_epi32::<0x96>(
                _mm512_gf2p8affine_epi64_epi8::<0>(v0, regs.matrices[0]),
                _mm512_gf2p8affine_epi64_epi8::<0>(v1, regs.matrices[1]),
                _mm512_gf2p8affine_epi64_epi8::<0>(v2, regs.matrices[2]),
            ),
            _mm512_gf2p8affine_epi64_epi8::<0>(v3, regs.matrices[3]),
        );
        let mut keywords = 0u64;
        for (t, f) in regs.tables.chunks_exact(4).zip(&regs.fingerprints) {
            let a = _mm512_permutexvar_epi8(i0, t[0]);
            let b = _mm512_permutexvar_epi8(i1, t[1]);
            let c = _mm512_permutexvar_epi8(i2, t[2]);
            let d = _mm512_permutexvar_epi8(i3, t[3]);
            let e = _mm512_permutex2var_epi8(f[0], fingerprint, f[1]);
            let abc = _mm512_ternarylogic_epi32::<0x80>(a, b, c);
            keywords |= _mm512_test_epi8_mask(abc, _mm512_and_si512(d, e));
        }
        // Bytes 0x80 and up have no class; `vpermi2b` reads bits 0-6 only.
        let ascii = !_mm512_movepi8_mask(v0);
        let class = _mm512_permutex2var_epi8(regs.classes[0], v0, regs.classes[1]);
        let has = |bit: u8| _mm512_mask_test_epi8_mask(ascii, class, _mm512_set1_epi8(bit as i8));
        Masks {
            digits: has(DIGIT),
            tokens: has(TOKEN),
            separators: has(SEPARATOR),
            marks: has(MARK),
            newlines: has(NEWLINE),
            keywords,
        }
    }

    /// Offsets 0 to 31, one per 16-bit lane.
    static LANES: [u16; 32] = {
        let mut l = [0u16; 32];
        let mut i = 0;
        while i < 32 {
            l[i] = i as u16;
            i += 1;
        }
        l
    };

    /// Writes the offset `64 * j + bit` of every keyword hint of `chunk`
    /// (block `j`, bit `bit`) to `out`, in order, and returns how many:
    /// per half block one `vpcompressw` of the lanes' offsets by the hint
    /// bits and one 64-byte store (the lanes past the hints are written
    /// over by the next store or left unread).
    ///
    /// # Safety
    /// The CPU must support AVX-512 F, BW, VBMI2 and `popcnt`.
    #[target_feature(enable = "avx512f,avx512bw,avx512vbmi2,popcnt")]
    pub(super) unsafe fn hint_offsets(chunk: &[Masks], out: &mut [u16; CHUNK * 64]) -> usize {
        // SAFETY: `LANES` is 64 bytes.
        let lanes = unsafe { load(LANES.as_ptr().cast()) };
        let half = _mm512_set1_epi16(32);
        let mut n = 0;
        for (j, m) in chunk.iter().take(CHUNK).enumerate() {
            let low = _mm512_add_epi16(lanes, _mm512_set1_epi16((64 * j) as i16));
            let (lo, hi) = (m.keywords as u32, (m.keywords >> 32) as u32);
            let a = _mm512_maskz_compress_epi16(lo, low);
            let b = _mm512_maskz_compress_epi16(hi, _mm512_add_epi16(low, half));
            // SAFETY: before block `j`, `n <= 64 * j`, so each store of 32
            // lanes ends at or before `64 * (j + 1) <= out.len()`.
            unsafe {
                _mm512_storeu_si512(out.as_mut_ptr().add(n).cast(), a);
                n += lo.count_ones() as usize;
                _mm512_storeu_si512(out.as_mut_ptr().add(n).cast(), b);
            }
            n += hi.count_ones() as usize;
        }
        n
    }

    /// Fills `out[k]` with the masks of the block at `64 * k` of `hay`.
    ///
    /// # Safety
    /// The CPU must support AVX-512 F, BW and VBMI.
    #[target_feature(enable = "avx512f,avx512bw,avx512vbmi,gfni")]
    pub(super) unsafe fn masks(
        tables: &[[u8; 64]],
        fingerprints: &[[u8; 128]],
        classes: &[u8; 128],
        hay: &[u8],
        out: &mut [Masks],
    ) {
        if tables.len() != AVX512_GROUPS * 4
            || fingerprints.len() != AVX512_GROUPS
            || hay.len() < out.len() * 64 + 3
        {
            return;
        }
        // SAFETY: the CPU features are the caller's promise; the tables are
        // checked above.
        let regs = unsafe { regs(tables, fingerprints, classes) };
        for (k, o) in out.iter_mut().enumerate() {
            super::prefetch(hay.as_ptr().wrapping_add(64 * k + super::PREFETCH));
            // SAFETY: checked above: 67 bytes are readable at `64 * k`.
            *o = unsafe { block(&regs, hay.as_ptr().add(64 * k)) };
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
mod avx2 {
    use super::{Masks, PairTable, GROUPS, PAIR_WORD_BITS};
    use crate::engine::prefilter::{DIGIT, MARK, SEPARATOR, TOKEN};
    use std::arch::x86_64::*;

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

    #[inline]
    #[target_feature(enable = "avx2")]
    fn bits(v: __m256i) -> u64 {
        u64::from(_mm256_movemask_epi8(v) as u32)
    }

    /// The classes the masks hold that are looked up by nibbles, in the
    /// order of [`classes`]' first results (line breaks are compared).
    const LOOKED_UP: [u8; 4] = [DIGIT, TOKEN, SEPARATOR, MARK];

    /// The byte-class masks of 32 bytes (classes as `prefilter::class_of`
    /// defines them): those of [`LOOKED_UP`], then line breaks. A byte is
    /// in class `LOOKED_UP[c]` when the row of its high nibble is among
    /// `rows[c]`'s rows for its low nibble (bytes 0x80 and up are in none:
    /// their rows are empty).
    #[inline]
    #[target_feature(enable = "avx2")]
    fn classes(v: __m256i, rows: &[__m256i; 4]) -> [u64; 5] {
        let low = _mm256_and_si256(v, _mm256_set1_epi8(15));
        let high = _mm256_and_si256(_mm256_srli_epi16::<4>(v), _mm256_set1_epi8(15));
        // 1 << high nibble, 0 for 8 and up.
        let row = _mm256_shuffle_epi8(
            _mm256_setr_epi8(
                1, 2, 4, 8, 16, 32, 64, -128, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, -128,
                0, 0, 0, 0, 0, 0, 0, 0,
            ),
            high,
        );
        let zero = _mm256_setzero_si256();
        let looked_up = |c: usize| {
            let hit = _mm256_and_si256(_mm256_shuffle_epi8(rows[c], low), row);
            !bits(_mm256_cmpeq_epi8(hit, zero)) & 0xFFFF_FFFF
        };
        [
            looked_up(0),
            looked_up(1),
            looked_up(2),
            looked_up(3),
            bits(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(b'\n' as i8))),
        ]
    }

    /// Byte shuffles of one 16-byte lane's four window pairs, starting at
    /// lane byte `at` (pair `j` is the windows at `at + 2 * j` and one
    /// after): their shared three bytes (the word), the even window's
    /// first byte and the odd one's last, one pair per 32-bit lane.
    #[derive(Clone, Copy)]
    struct PairShuffles {
        shared: __m256i,
        first: __m256i,
        last: __m256i,
    }

    impl PairShuffles {
        #[inline]
        #[target_feature(enable = "avx2")]
        fn at(at: i8) -> PairShuffles {
            // -1: a zero byte.
            let lane = |pick: &dyn Fn(i8) -> [i8; 4]| -> __m256i {
                let mut l = [0i8; 16];
                for j in 0..4 {
                    l[4 * j..4 * j + 4].copy_from_slice(&pick(at + 2 * j as i8));
                }
                _mm256_setr_epi8(
                    l[0], l[1], l[2], l[3], l[4], l[5], l[6], l[7], l[8], l[9], l[10], l[11],
                    l[12], l[13], l[14], l[15], l[0], l[1], l[2], l[3], l[4], l[5], l[6], l[7],
                    l[8], l[9], l[10], l[11], l[12], l[13], l[14], l[15],
                )
            };
            PairShuffles {
                shared: lane(&|i| [i + 1, i + 2, i + 3, -1]),
                first: lane(&|i| [i, -1, -1, -1]),
                last: lane(&|i| [i + 4, -1, -1, -1]),
            }
        }
    }

    /// For the eight window pairs `at` picks out of `v` (folded bytes;
    /// `bit` their [`super::pair_bit`]s): the windows' pair-table bits,
    /// each in bit 31 of a lane, as windows `0..4 | 16..20` and `4..8 |
    /// 20..24` from the lanes' start at `at`.
    ///
    /// # Safety
    /// The CPU must support AVX2; `table` must be a pair table's words.
    #[inline]
    #[target_feature(enable = "avx2")]
    unsafe fn pair_bits(
        table: *const i32,
        v: __m256i,
        bit: __m256i,
        at: &PairShuffles,
    ) -> (__m256i, __m256i) {
        let shared = _mm256_shuffle_epi8(v, at.shared);
        let product = _mm256_mullo_epi32(shared, _mm256_set1_epi32(0x9E37_79B1_u32 as i32));
        let word = _mm256_srli_epi32::<{ 32 - PAIR_WORD_BITS as i32 }>(product);
        // SAFETY: `word` is below `1 << PAIR_WORD_BITS`, a word of the
        // table.
        let words = unsafe { _mm256_i32gather_epi32::<4>(table, word) };
        // The left shifts that bring each window's bit to the top: 31 -
        // bit for the even window, 15 - bit for the odd one (bits are
        // below 16).
        let even_shift =
            _mm256_xor_si256(_mm256_shuffle_epi8(bit, at.first), _mm256_set1_epi32(31));
        let odd_shift = _mm256_xor_si256(_mm256_shuffle_epi8(bit, at.last), _mm256_set1_epi32(15));
        let even = _mm256_sllv_epi32(words, even_shift);
        let odd = _mm256_sllv_epi32(words, odd_shift);
        (
            _mm256_unpacklo_epi32(even, odd),
            _mm256_unpackhi_epi32(even, odd),
        )
    }

    /// [`super::pair_bit`] of every byte.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn pair_bit_of(v: __m256i) -> __m256i {
        // The 16-bit shift brings the next byte's low nibble into bits 4-7,
        // which the mask drops.
        let sum = _mm256_add_epi8(v, _mm256_srli_epi16::<4>(v));
        _mm256_and_si256(sum, _mm256_set1_epi8(15))
    }

    /// The pair-table bits of the 32 windows starting at `p` (an even
    /// offset of the block), bit `k` for the window at `p + k`.
    ///
    /// # Safety
    /// The CPU must support AVX2; 35 bytes must be readable at `p`; `table`
    /// as for [`pair_bits`].
    #[inline]
    #[target_feature(enable = "avx2")]
    unsafe fn hints(table: *const i32, p: *const u8, at: &[PairShuffles; 2]) -> u64 {
        let fold = _mm256_set1_epi8(0x20);
        // SAFETY: 35 bytes at `p`: 32 at `p` and 32 at `p + 4` (ending
        // at `p + 36`, one past the last readable byte).
        let (a, b) = unsafe { (load(p), load(p.add(4))) };
        let (a, b) = (_mm256_or_si256(a, fold), _mm256_or_si256(b, fold));
        // Lanes of `a` are bytes 0..16 and 16..32, of `b` 4..20 and 20..36:
        // the pairs of windows 0..8 | 16..24 from `a`'s lanes' start, of
        // 8..16 | 24..32 from 4 bytes into `b`'s (the last pair reads lane
        // byte 14). Packing them pairwise (two lanes at a time) puts the 32
        // windows back in order.
        // SAFETY: the caller's promise.
        let ((w0, w1), (w2, w3)) = unsafe {
            (
                pair_bits(table, a, pair_bit_of(a), &at[0]),
                pair_bits(table, b, pair_bit_of(b), &at[1]),
            )
        };
        let low = _mm256_packs_epi32(w0, w1);
        let high = _mm256_packs_epi32(w2, w3);
        bits(_mm256_packs_epi16(low, high))
    }

    /// Fills `out[k]` with the byte-class masks of the block at `64 * k`
    /// of `hay` (and no keyword hints).
    ///
    /// # Safety
    /// The CPU must support AVX2; 67 bytes must be readable at `64 * k`
    /// for every `k` of `out`.
    #[inline]
    #[target_feature(enable = "avx2")]
    unsafe fn fill_classes(class_rows: &[[u8; 32]; 8], hay: &[u8], out: &mut [Masks]) {
        // SAFETY: each row table is 32 bytes.
        let rows: [__m256i; 4] = std::array::from_fn(|c| unsafe {
            let bit = LOOKED_UP[c].trailing_zeros() as usize;
            load(class_rows[bit].as_ptr())
        });
        for (k, o) in out.iter_mut().enumerate() {
            // SAFETY: the caller's promise: 67 bytes are readable at
            // `64 * k`, so 32 at `p` and at `p + 32`.
            let (v0, v1) = unsafe {
                let p = hay.as_ptr().add(64 * k);
                (load(p), load(p.add(32)))
            };
            super::prefetch(hay.as_ptr().wrapping_add(64 * k + super::PREFETCH));
            let (c0, c1) = (classes(v0, &rows), classes(v1, &rows));
            let c = |i: usize| c0[i] | c1[i] << 32;
            *o = Masks {
                digits: c(0),
                tokens: c(1),
                separators: c(2),
                marks: c(3),
                newlines: c(4),
                keywords: 0,
            };
        }
    }

    /// Fills `out[k]` with the masks of the block at `64 * k` of `hay`.
    ///
    /// # Safety
    /// The CPU must support AVX2.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn masks(
        pairs: &PairTable,
        class_rows: &[[u8; 32]; 8],
        hay: &[u8],
        out: &mut [Masks],
    ) {
        if hay.len() < out.len() * 64 + 3 {
            return;
        }
        // Two loops, each with its constants in registers (one loop
        // spilled and reloaded a fifth of its instructions).
        // SAFETY: checked above.
        unsafe { fill_classes(class_rows, hay, out) };
        if pairs.words.len() != 1 << PAIR_WORD_BITS {
            return;
        }
        let table = pairs.words.as_ptr().cast::<i32>();
        let at = [PairShuffles::at(0), PairShuffles::at(4)];
        for (k, o) in out.iter_mut().enumerate() {
            // SAFETY: 67 bytes at `p` (checked above), so 35 at `p` and at
            // `p + 32`; the table is a pair table (checked above).
            o.keywords = unsafe {
                let p = hay.as_ptr().add(64 * k);
                hints(table, p, &at) | hints(table, p.add(32), &at) << 32
            };
        }
    }

    /// The bucket tables split by nibbles (see `Kernel::nibbles`).
    type Nibbles = [[u8; 32]; GROUPS * 8];

    /// The six-bit index of each byte (see the module docs).
    #[inline]
    #[target_feature(enable = "avx2")]
    fn index(v: __m256i) -> __m256i {
        let low = _mm256_and_si256(v, _mm256_set1_epi8(0x1F));
        let high = _mm256_and_si256(_mm256_srli_epi16::<1>(v), _mm256_set1_epi8(0x20));
        _mm256_or_si256(low, high)
    }

    /// Halves (32 bytes) of the most blocks one call takes.
    const HALVES: usize = 2 * crate::engine::prefilter::CHUNK;

    /// [`masks`] without gathers (the `avx2-nibble` kernel): keyword hints
    /// from the nibble-split bucket tables. Group by group over all of the
    /// call's blocks: a group's eight nibble tables stay in registers while
    /// every 32-byte half is looked up (by its indexes, kept on the stack,
    /// which `vpshufb` reads as a memory operand), instead of 64 table
    /// loads per half.
    ///
    /// # Safety
    /// The CPU must support AVX2.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn masks_nibble(
        nibbles: &[[u8; 32]],
        class_rows: &[[u8; 32]; 8],
        hay: &[u8],
        out: &mut [Masks],
    ) {
        let Ok(nibbles) = <&Nibbles>::try_from(nibbles) else {
            return;
        };
        if hay.len() < out.len() * 64 + 3 || out.len() * 2 > HALVES {
            return;
        }
        // SAFETY: checked above.
        unsafe { fill_classes(class_rows, hay, out) };
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
    use super::{Masks, PortableTable};
    use crate::engine::prefilter::{DIGIT, MARK, NEWLINE, PORTABLE_BITS, SEPARATOR, TOKEN};
    use std::arch::aarch64::*;

    // The hashes are narrowed to 16 bits (`shrn`), which index the table.
    const _: () = assert!(PORTABLE_BITS == 16);

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

    /// The portable table's hashes of the windows at `q + 4 * i + k` in
    /// lane `i` of the result's `k`-th part, folded, multiplied and
    /// narrowed to their top 16 bits in one `shrn`.
    ///
    /// # Safety
    /// `q` must be valid for reading 19 bytes.
    #[inline]
    #[target_feature(enable = "neon")]
    unsafe fn hashes(q: *const u8) -> uint16x4x4_t {
        let (fold, key) = (vdupq_n_u32(0x2020_2020), vdupq_n_u32(0x9E37_79B1));
        let hash = |v: uint8x16_t| {
            vshrn_n_u32::<16>(vmulq_u32(vorrq_u32(vreinterpretq_u32_u8(v), fold), key))
        };
        // SAFETY: each load reads 16 bytes at offset 0..4 of the 19.
        unsafe {
            uint16x4x4_t(
                hash(vld1q_u8(q)),
                hash(vld1q_u8(q.add(1))),
                hash(vld1q_u8(q.add(2))),
                hash(vld1q_u8(q.add(3))),
            )
        }
    }

    /// Bit 0 of each byte of `v`, where lane `i` of `v[k]` stands for byte
    /// `4 * i + k` of a block, as a mask of the block's 64 bytes: shifts
    /// with insert put the four vectors' bits side by side in each lane,
    /// then a narrowing shift packs two lanes' four bits into a byte.
    #[inline]
    #[target_feature(enable = "neon")]
    fn low_bits(v: [uint8x16_t; 4]) -> u64 {
        let t0 = vsliq_n_u8::<1>(v[0], v[1]);
        let t1 = vsliq_n_u8::<1>(v[2], v[3]);
        let t2 = vsliq_n_u8::<2>(t0, t1);
        let t3 = vsliq_n_u8::<4>(t2, t2);
        vget_lane_u64::<0>(vreinterpret_u64_u8(vshrn_n_u16::<4>(vreinterpretq_u16_u8(
            t3,
        ))))
    }

    /// # Safety
    /// `p` must be valid for reading 67 bytes.
    #[inline]
    #[target_feature(enable = "neon")]
    unsafe fn block(table: &PortableTable, classes: &[uint8x16x4_t; 2], p: *const u8) -> Masks {
        // De-interleaved: lane `i` of `bytes.k` is byte `4 * i + k`.
        // SAFETY: 64 of the 67 readable bytes.
        let bytes = unsafe { vld4q_u8(p) };
        let class_of = |v: uint8x16_t| {
            // Bytes 0..64 from the first table, 64..128 from the second;
            // the others read zero from both.
            let low = vqtbl4q_u8(classes[0], v);
            vqtbx4q_u8(low, classes[1], vsubq_u8(v, vdupq_n_u8(64)))
        };
        let class = [
            class_of(bytes.0),
            class_of(bytes.1),
            class_of(bytes.2),
            class_of(bytes.3),
        ];
        // The windows' hashes in the same order: `order[k][i]` is window
        // `4 * i + k`'s.
        let mut order = [[0u16; 16]; 4];
        for s in 0..4 {
            // SAFETY: 16 + 3 bytes at offset 16 * s of the 67 readable.
            let h = unsafe { hashes(p.add(16 * s)) };
            // SAFETY: each row holds 16 lanes; these are its 4 at 4 * s.
            unsafe {
                vst1_u16(order[0].as_mut_ptr().add(4 * s), h.0);
                vst1_u16(order[1].as_mut_ptr().add(4 * s), h.1);
                vst1_u16(order[2].as_mut_ptr().add(4 * s), h.2);
                vst1_u16(order[3].as_mut_ptr().add(4 * s), h.3);
            }
        }
        // Each window's byte of the portable table (0 or 1).
        let mut passes = [[0u8; 16]; 4];
        for (row, hashes) in passes.iter_mut().zip(&order) {
            for (pass, &hash) in row.iter_mut().zip(hashes) {
                *pass = table[usize::from(hash)];
            }
        }
        // SAFETY: each row is 16 bytes.
        let keywords = unsafe {
            low_bits([
                vld1q_u8(passes[0].as_ptr()),
                vld1q_u8(passes[1].as_ptr()),
                vld1q_u8(passes[2].as_ptr()),
                vld1q_u8(passes[3].as_ptr()),
            ])
        };
        let has = |bit: u8| {
            let c = bit.trailing_zeros() as i8;
            let shift = vdupq_n_s8(-c);
            low_bits([
                vshlq_u8(class[0], shift),
                vshlq_u8(class[1], shift),
                vshlq_u8(class[2], shift),
                vshlq_u8(class[3], shift),
            ])
        };
        Masks {
            digits: has(DIGIT),
            tokens: has(TOKEN),
            separators: has(SEPARATOR),
            marks: has(MARK),
            newlines: has(NEWLINE),
            keywords,
        }
    }

    /// Fills `out[k]` with the masks of the block at `64 * k` of `hay`.
    ///
    /// # Safety
    /// The CPU must support NEON.
    #[target_feature(enable = "neon")]
    pub(super) unsafe fn masks(
        table: &PortableTable,
        classes: &[u8; 128],
        hay: &[u8],
        out: &mut [Masks],
    ) {
        if hay.len() < out.len() * 64 + 3 {
            return;
        }
        // SAFETY: the class table is 128 bytes.
        let classes = unsafe { [load4(classes.as_ptr()), load4(classes.as_ptr().add(64))] };
        for (k, o) in out.iter_mut().enumerate() {
            // SAFETY: checked above: 67 bytes are readable at `64 * k`.
            *o = unsafe { block(table, &classes, hay.as_ptr().add(64 * k)) };
        }
    }
}
