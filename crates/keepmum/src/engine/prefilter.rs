//! Candidate discovery: one cheap pass over the input that says where a
//! rule's regex is worth running.
//!
//! Why not one Aho-Corasick automaton over every keyword? Measured on this
//! machine, its DFA runs at ~700 MB/s with ~150 case-insensitive keywords
//! (and its SIMD Teddy searcher takes at most 64 patterns), and we have ~900.
//! Instead, 64 bytes at a time:
//!
//! 1. **Keyword anchors**: the vector kernel (`simd`) marks the positions
//!    whose next four bytes may start a keyword (AVX-512 VBMI and
//!    `avx2-nibble`: they fall in one of 64 keyword buckets (AVX-512: 48,
//!    and their fingerprint is one of the bucket's); AVX2: their
//!    window passes a hashed table of window pairs; NEON: their window has
//!    a 1 in a 64 KiB table of bytes, the first level below at a quarter of
//!    its resolution, [`PortableTable`]); without one, the portable loops
//!    look every window up in that byte table too. Every hint is checked
//!    against the first level, a hashed 4-byte window (case-folded by
//!    OR-ing `0x20`) in a 256 Kib table; where all of the window's keywords
//!    are 8+ bytes long, the hashed 8 bytes there must be one's head too; then an
//!    exact map from the window to the keywords starting with it names the
//!    longest keyword there. Keywords of exactly 3 bytes are entered once
//!    per token byte that may follow them.
//! 2. **Digit runs** (card, SSN, IBAN, phone, NHS): found from the blocks'
//!    digit and separator masks alone. A run is 9+ digits joined by at most
//!    two of ` -./()+` between consecutive digits; runs open and close
//!    across block boundaries (`RunStream`), lagging one block so a bridge
//!    of separators is seen whole.
//! 3. **Token runs** (high-entropy strings, decoders): maximal runs of 20+
//!    `[A-Za-z0-9+/=_-]` bytes, also read straight off the token mask; the
//!    classes of a run long enough to report (case, digits, hex) are read
//!    off its bytes.
//!
//! 4. **Marks**: the positions of `@`, `%` and `\`, where emails,
//!    credentials in URLs and escaped text are looked for.
//!
//! The masks are computed 16 blocks at a time, by the vector kernel or by
//! the portable loops (`portable_masks_into`: table-driven classes, one
//! table byte per window for the keyword hints), and read by the same
//! passes either way. Every pass is linear in the input, never copies it,
//! and allocates nothing but the candidate and mark lists.

use std::borrow::Cow;
use std::sync::OnceLock;

use super::buckets;
use super::keyword_plan::{self, Head};
#[cfg(test)]
use super::keyword_plan::{fold4, is_token_byte};
use super::simd::{Kernel, KernelKind, Masks};

/// The AVX-512 kernel's bucket tables of the built-in keywords, made by
/// the build script.
static BUILTIN_TABLES: [[u8; 64]; buckets::AVX512_GROUPS * 4] =
    include!(concat!(env!("OUT_DIR"), "/builtin_tables.rs"));

/// The same keywords' tables for the `avx2-nibble` kernel's nibble split
/// (see `buckets::build_nibble_tables`), also made by the build script.
static BUILTIN_NIBBLE_TABLES: [[u8; 64]; buckets::GROUPS * 4] =
    include!(concat!(env!("OUT_DIR"), "/builtin_nibble_tables.rs"));

/// First-level table: one bit per 18-bit hash (32 KiB). An 8 KiB table
/// (2.6% of windows passing falsely instead of 0.6%) measured no faster
/// with the vector kernels and 10% slower on the portable path, which
/// probes it at every position.
pub(crate) const TABLE_BITS: u32 = 18;

#[inline(always)]
fn table_hash(x: u32) -> usize {
    (x.wrapping_mul(0x9E37_79B1) >> (32 - TABLE_BITS)) as usize
}

/// The first-level test: is the bit for window `x` (already case-folded) set?
#[inline(always)]
pub(crate) fn first_level(table: &FirstLevel, x: u32) -> u8 {
    let h = table_hash(x);
    (table[h >> 3] >> (h & 7)) & 1
}

const TABLE_BYTES: usize = 1 << (TABLE_BITS - 3);

/// The first-level table: one bit per hash of a folded window.
pub(crate) type FirstLevel = [u8; TABLE_BYTES];

/// Bits in each of [`KeywordIndex`]'s `short` and `long` sets (8 KiB).
const HEAD_BITS: u32 = 16;
const HEAD_BYTES: usize = 1 << (HEAD_BITS - 3);

#[inline(always)]
fn head_hash(x: u64) -> usize {
    (x.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - HEAD_BITS)) as usize
}

#[inline(always)]
fn fold8(b: [u8; 8]) -> u64 {
    u64::from_le_bytes(b) | 0x2020_2020_2020_2020
}

#[inline(always)]
fn bit(set: &[u8], h: usize) -> bool {
    set.get(h >> 3).is_some_and(|byte| byte >> (h & 7) & 1 != 0)
}

/// Bit `head_hash(x)` of a head set (`short` or `long`), as 0 or 1.
#[inline(always)]
fn head_bit(set: &[u8; HEAD_BYTES], x: u64) -> u8 {
    let h = head_hash(x);
    set[(h >> 3) & (HEAD_BYTES - 1)] >> (h & 7) & 1
}

fn set_bit(set: &mut [u8], h: usize) {
    if let Some(byte) = set.get_mut(h >> 3) {
        *byte |= 1 << (h & 7);
    }
}

/// The keyword anchor index.
#[derive(Debug)]
pub(crate) struct KeywordIndex {
    /// First level: one bit per hashed, case-folded 4-byte window.
    table: Box<[u8]>,
    /// Between the levels, for windows whose keywords are all 8+ bytes
    /// long (`private_key` is one, `private` is everywhere): `short` has a
    /// bit per hashed window with a shorter keyword, `long` one per hashed
    /// 8-byte head of a long keyword (both folded as the table is).
    short: Box<[u8]>,
    long: Box<[u8]>,
    /// Exact second level: open-addressed map from a keyword's case-folded
    /// first four bytes to the keywords that start with them.
    grams: GramMap,
    /// The vector kernel, made on the first scan; `None` inside when the
    /// CPU runs none (or `KEEPMUM_KERNEL=portable`).
    kernel: OnceLock<Option<Kernel>>,
    /// The portable loops' keyword table, made on their first scan.
    portable: OnceLock<Box<PortableTable>>,
    /// The distinct lowercase keywords, sorted (borrowed from the build
    /// script's plan for an engine of every built-in rule).
    patterns: Vec<Cow<'static, str>>,
    /// For each pattern, the rules it wakes (including the rules of every
    /// keyword that is a prefix of it, since only the longest match at a
    /// position is reported): pattern `p`'s are
    /// `rule_lists[rule_ends[p - 1]..rule_ends[p]]` (one allocation, not one
    /// per pattern: an engine is built per hook process).
    rule_lists: Vec<u32>,
    rule_ends: Vec<u32>,
}

impl KeywordIndex {
    /// `keywords[i]` = (keyword, rule index).
    pub(crate) fn new<S: AsRef<str>>(keywords: &[(S, u32)]) -> KeywordIndex {
        let plan = keyword_plan::plan(keywords);
        let patterns = plan.patterns.into_iter().map(Cow::Owned).collect();
        KeywordIndex::from_plan(
            patterns,
            plan.rule_lists,
            plan.rule_ends,
            &plan.entries,
            Cow::Owned(plan.heads),
        )
    }

    /// The index of every built-in keyword, from the build script's plan
    /// of them (see `keyword_plan`): what [`KeywordIndex::new`] builds from
    /// the built-in keywords, without sorting them or their entries.
    /// `rule_of` maps a built-in rule's index to the engine's.
    pub(crate) fn builtin(rule_of: impl Fn(u32) -> u32) -> KeywordIndex {
        let plan = &crate::rules::builtin::KEYWORD_PLAN;
        KeywordIndex::from_plan(
            plan.patterns
                .iter()
                .map(|p| Cow::Borrowed(p.get()))
                .collect(),
            plan.rule_lists.iter().map(|&b| rule_of(b)).collect(),
            plan.rule_ends.to_vec(),
            plan.entries,
            Cow::Borrowed(plan.heads),
        )
    }

    /// The index of a plan's `patterns` (see [`keyword_plan::KeywordPlan`]).
    fn from_plan(
        patterns: Vec<Cow<'static, str>>,
        rule_lists: Vec<u32>,
        rule_ends: Vec<u32>,
        entries: &[(u32, u32)],
        heads: Cow<'static, [Head]>,
    ) -> KeywordIndex {
        let mut table = vec![0u8; TABLE_BYTES].into_boxed_slice();
        let mut short = vec![0u8; HEAD_BYTES].into_boxed_slice();
        let mut long = vec![0u8; HEAD_BYTES].into_boxed_slice();
        for &(x, i) in entries {
            set_bit(&mut table, table_hash(x));
            let b = patterns.get(i as usize).map_or(&[][..], |p| p.as_bytes());
            match b.get(..8).and_then(|h| <[u8; 8]>::try_from(h).ok()) {
                Some(head) => set_bit(&mut long, head_hash(fold8(head))),
                None => set_bit(&mut short, head_hash(u64::from(x))),
            }
        }
        KeywordIndex {
            table,
            short,
            long,
            grams: GramMap::new(entries, heads),
            kernel: OnceLock::new(),
            portable: OnceLock::new(),
            patterns,
            rule_lists,
            rule_ends,
        }
    }

    /// The rules pattern `p` wakes.
    #[inline]
    pub(crate) fn pattern_rules(&self, p: u32) -> &[u32] {
        let p = p as usize;
        let start = if p == 0 {
            0
        } else {
            self.rule_ends[p - 1] as usize
        };
        &self.rule_lists[start..self.rule_ends[p] as usize]
    }

    /// The vector kernel, made on first use: the built-in keywords' bucket
    /// tables come ready-made from the build script (any subset of them may
    /// use those), other keyword sets build their own (a few milliseconds).
    pub(crate) fn kernel(&self) -> Option<&Kernel> {
        self.kernel
            .get_or_init(|| {
                Kernel::new(
                    |kind| self.bucket_tables(kind),
                    self.grams.keys(),
                    self.first_level()?,
                )
            })
            .as_ref()
    }

    /// A kernel of `kind` for these keywords, or `None` when the CPU lacks
    /// it (for tests: every kernel the CPU runs).
    #[cfg(test)]
    pub(crate) fn kernel_of(&self, kind: KernelKind) -> Option<Kernel> {
        Kernel::with_kind(
            self.bucket_tables(kind),
            self.grams.keys(),
            self.first_level()?,
            kind,
        )
    }

    /// The portable loops' keyword table, made on first use.
    fn portable(&self) -> &PortableTable {
        self.portable.get_or_init(|| {
            let empty = [0u8; TABLE_BYTES];
            portable_table(self.first_level().unwrap_or(&empty))
        })
    }

    /// The first-level table.
    fn first_level(&self) -> Option<&FirstLevel> {
        <&FirstLevel>::try_from(&*self.table).ok()
    }

    /// The bucket tables for these keywords and a kernel of `kind` (see
    /// [`KeywordIndex::kernel`]); none for AVX2 and NEON, which look up the
    /// first-level table instead (NEON in the portable loops' byte-per-hash
    /// form, [`PortableTable`]). Where the build script's tables cover the
    /// keywords, those (`avx2-nibble`'s made for its nibble split), else
    /// exact tables made now.
    pub(crate) fn bucket_tables(&self, kind: KernelKind) -> Vec<[u8; 64]> {
        type Build = fn(&[&[u8]]) -> Vec<[u8; 64]>;
        let (builtin_tables, build): (&[[u8; 64]], Build) = match kind {
            KernelKind::Avx512 => (&BUILTIN_TABLES, buckets::build_avx512_tables),
            KernelKind::Avx2Nibble => (&BUILTIN_NIBBLE_TABLES, buckets::build_tables),
            KernelKind::Avx2 | KernelKind::Neon => return Vec::new(),
        };
        // Built-in keywords only (the usual case): the build script's
        // tables cover them, no need to check each keyword against them.
        let prefixes: Vec<&[u8]> = self.patterns.iter().map(|p| p.as_bytes()).collect();
        if builtin_keywords_only(&self.patterns) || buckets::covers(builtin_tables, &prefixes) {
            builtin_tables.to_vec()
        } else {
            build(&prefixes)
        }
    }

    /// Runs the fused pass. Calls `on_keyword(position, rules, marked)` for
    /// every keyword occurrence (`marked` is false only when the line holding
    /// it has no mark (see [`is_mark`]): the vector pass tells from the masks
    /// when the line lies within its chunk of blocks),
    /// `on_digits(start, end, digits)` for every digit run of 9+ digits,
    /// consecutive digits being at most two separators (`` -./()+``) apart
    /// (when `digits`), and
    /// `on_tokens(start, end, classes)` for every token run of `token_min`+
    /// bytes that mixes two of upper case, lower case and digits (when
    /// `tokens`; `classes` holds [`HAS_UPPER`], [`HAS_LOWER`], [`HAS_DIGIT`]
    /// and [`HAS_NONHEX`] bits). Each callback sees its events in input
    /// order. Appends the position of every `@`, `%` and `\` to `marks`, in
    /// order.
    #[inline]
    #[allow(clippy::too_many_arguments)] // three callbacks, each a pass's output
    pub(crate) fn scan(
        &self,
        hay: &[u8],
        digits: bool,
        tokens: bool,
        token_min: usize,
        marks: &mut Marks,
        on_keyword: impl FnMut(usize, &[u32], LineMarked<'_>),
        on_digits: impl FnMut(usize, usize, usize),
        on_tokens: impl FnMut(usize, usize, u8),
    ) {
        self.scan_with(
            self.kernel(),
            hay,
            digits,
            tokens,
            token_min,
            marks,
            on_keyword,
            on_digits,
            on_tokens,
        );
    }

    /// [`KeywordIndex::scan`] with the vector kernel chosen by the caller
    /// (`None`: the scalar passes). Both report the same events.
    ///
    /// On x86 CPUs that have them (every one with AVX2), the passes are
    /// compiled for the bit instructions `popcnt`, `tzcnt`/`lzcnt`, BMI1's
    /// `blsr` and BMI2's flag-free shifts: the mask walks and the first
    /// level are made of them, and the x86-64 baseline spells `count_ones`
    /// as a dozen instructions and `leading_zeros` as a `bsr` and a branch.
    /// (The portable loops too: on aarch64, which they stand in for, these
    /// are plain instructions.)
    #[inline]
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn scan_with(
        &self,
        kernel: Option<&Kernel>,
        hay: &[u8],
        digits: bool,
        tokens: bool,
        token_min: usize,
        marks: &mut Marks,
        on_keyword: impl FnMut(usize, &[u32], LineMarked<'_>),
        on_digits: impl FnMut(usize, usize, usize),
        on_tokens: impl FnMut(usize, usize, u8),
    ) {
        #[cfg(target_arch = "x86_64")]
        if super::simd::bit_ops() {
            // SAFETY: `simd::bit_ops` says the CPU has the features
            // `scan_bit_ops` is compiled for.
            #[allow(unsafe_code)]
            unsafe {
                self.scan_bit_ops(
                    kernel, hay, digits, tokens, token_min, marks, on_keyword, on_digits, on_tokens,
                );
            }
            return;
        }
        self.scan_passes(
            kernel, hay, digits, tokens, token_min, marks, on_keyword, on_digits, on_tokens,
        );
    }

    /// [`KeywordIndex::scan_passes`] compiled for the bit instructions
    /// (see [`KeywordIndex::scan_with`]).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "popcnt,bmi1,bmi2,lzcnt")]
    #[allow(clippy::too_many_arguments)]
    fn scan_bit_ops(
        &self,
        kernel: Option<&Kernel>,
        hay: &[u8],
        digits: bool,
        tokens: bool,
        token_min: usize,
        marks: &mut Marks,
        on_keyword: impl FnMut(usize, &[u32], LineMarked<'_>),
        on_digits: impl FnMut(usize, usize, usize),
        on_tokens: impl FnMut(usize, usize, u8),
    ) {
        self.scan_passes(
            kernel, hay, digits, tokens, token_min, marks, on_keyword, on_digits, on_tokens,
        );
    }

    /// The passes of [`KeywordIndex::scan_with`].
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    fn scan_passes(
        &self,
        kernel: Option<&Kernel>,
        hay: &[u8],
        digits: bool,
        tokens: bool,
        token_min: usize,
        marks: &mut Marks,
        mut on_keyword: impl FnMut(usize, &[u32], LineMarked<'_>),
        mut on_digits: impl FnMut(usize, usize, usize),
        mut on_tokens: impl FnMut(usize, usize, u8),
    ) {
        let Ok(table) = <&[u8; TABLE_BYTES]>::try_from(&*self.table) else {
            return;
        };
        let keywords = hay.len() >= 4 && !self.patterns.is_empty();
        // Then 64 bytes at a time, masks with one bit per byte: byte
        // classes, and from the vector kernel "a keyword may start here".
        // Keyword hints go to `verify`; digit and token runs are found in the
        // masks alone (see `RunStream`), so no byte is looked at twice.
        // Digit runs lag one block behind: whether a separator joins two
        // digits depends on the bytes after it.
        let mut digit_runs = RunStream::default();
        let mut token_runs = RunStream::default();
        // What a finished run must be to be reported. Its classes are read
        // off its bytes only now: runs this long are a few percent of text,
        // and summing every block's part of every run from class masks
        // cost ~1.2 instructions per byte of input.
        let mut report_tokens = |s: usize, e: usize, _: u64| {
            if e - s < token_min {
                return;
            }
            let classes = run_classes(hay.get(s..e).unwrap_or_default());
            let mixed = (classes & (HAS_UPPER | HAS_LOWER | HAS_DIGIT)).count_ones();
            if mixed >= 2 {
                on_tokens(s, e, classes);
            }
        };
        let mut report_digits = |s: usize, e: usize, n: u64| {
            if n >= u64::from(DIGITS_MIN) {
                on_digits(s, e, n as usize);
            }
        };
        // Digits and separators of blocks k-1 and k-2.
        let (mut m1, mut m2) = (DigitMasks::default(), DigitMasks::default());
        let blocks = hay.len().div_ceil(64);
        // Masks are made a chunk of blocks at a time (one call into the
        // kernel, which keeps its tables in registers), then each pass reads
        // the chunk's masks in its own tight loop.
        let mut chunk = [Masks::default(); CHUNK];
        // Keyword hints of the chunk that pass the first level: block and bit.
        let mut passed = [0u16; CHUNK * 64];
        let mut memo = VerifyMemo::default();
        for first in (0..blocks).step_by(CHUNK) {
            let n = (blocks - first).min(CHUNK);
            let chunk = &mut chunk[..n];
            match kernel {
                Some(kernel) => kernel.masks_into(hay, first * 64, chunk),
                None => portable_masks_into(self.portable(), hay, first * 64, chunk),
            }
            if keywords {
                let mut npassed = 0;
                // The hints of the whole chunk are first written out as a
                // list (with AVX-512 VBMI2 by `vpcompressw`, else by
                // `list_hints`), so one flat loop takes them through the
                // first level: no loop per block, whose exit mispredicted
                // about once a block.
                let fused = kernel.is_none_or(|kernel| kernel.kind() != KernelKind::Avx2Nibble);
                let n = kernel
                    .and_then(|kernel| kernel.hint_offsets(chunk, &mut passed))
                    .unwrap_or_else(|| list_hints(chunk, &mut passed));
                let base = first * 64;
                let n = n.min(CHUNK * 64);
                // The first level, then `may_start` on the hints that pass
                // it, each a flat loop without a branch per hint (about one
                // in three hints passes either, at random): a kept hint
                // moves down the list, in place. Kernels that pass few hints
                // (`avx512`, `avx2`: about 30 per KB of text; the portable
                // loops) test both in one loop, which measured faster than
                // two; `avx2-nibble` (87 per KB) takes two, testing
                // `may_start` only on the first level's third. Every chunk
                // but the last has each hint's 8 bytes in the input: read
                // them from a fixed-size span there, so no load is
                // bounds-checked.
                let span = hay
                    .get(base..base + SPAN)
                    .and_then(|s| <&[u8; SPAN]>::try_from(s).ok());
                let short = <&[u8; HEAD_BYTES]>::try_from(&*self.short);
                let long = <&[u8; HEAD_BYTES]>::try_from(&*self.long);
                match (span, short, long) {
                    (Some(span), Ok(short), Ok(long)) => {
                        let head = |at: u16| {
                            let i = usize::from(at) & (CHUNK * 64 - 1);
                            let mut head = [0u8; 8];
                            head.copy_from_slice(&span[i..i + 8]);
                            fold8(head)
                        };
                        if fused {
                            for k in 0..n {
                                let at = passed[k];
                                let head = head(at);
                                let f = head as u32;
                                let start = head_bit(short, u64::from(f)) | head_bit(long, head);
                                passed[npassed & (CHUNK * 64 - 1)] = at;
                                npassed += usize::from(first_level(table, f) & start);
                            }
                        } else {
                            let mut first_passed = 0;
                            for k in 0..n {
                                let at = passed[k];
                                let f = head(at) as u32;
                                passed[first_passed & (CHUNK * 64 - 1)] = at;
                                first_passed += usize::from(first_level(table, f));
                            }
                            for k in 0..first_passed.min(CHUNK * 64) {
                                let at = passed[k];
                                let head = head(at);
                                let start =
                                    head_bit(short, u64::from(head as u32)) | head_bit(long, head);
                                passed[npassed & (CHUNK * 64 - 1)] = at;
                                npassed += usize::from(start);
                            }
                        }
                    }
                    _ => {
                        for k in 0..n {
                            let at = passed[k];
                            let pos = base + usize::from(at);
                            // Only windows that fit in the input.
                            let Some(window) = hay.get(pos..pos + 4) else {
                                continue;
                            };
                            let mut w = [0u8; 4];
                            w.copy_from_slice(window);
                            let f = u32::from_le_bytes(w) | 0x2020_2020;
                            let start = u8::from(self.may_start(hay, pos, f));
                            passed[npassed & (CHUNK * 64 - 1)] = at;
                            npassed += usize::from(first_level(table, f) & start);
                        }
                    }
                }
                for &at in &passed[..npassed] {
                    let (j, bit) = (usize::from(at >> 6), u32::from(at & 63));
                    let pos = (first + j) * 64 + bit as usize;
                    let f = load4(hay, pos) | 0x2020_2020;
                    let marked = LineMarked {
                        masks: Some((&*chunk, j, bit)),
                    };
                    self.verify(hay, pos, f, &mut memo, &mut |pos, rules| {
                        on_keyword(pos, rules, marked);
                    });
                }
            }
            for (j, m) in chunk.iter().enumerate() {
                if m.marks != 0 {
                    marks.push_block((first + j) * 64, m.marks);
                }
            }
            if tokens {
                // Long runs of each block first, in a loop of their own: the
                // shifts of one block overlap the next's.
                let mut long = [0u64; CHUNK];
                for (l, m) in long.iter_mut().zip(chunk.iter()) {
                    *l = runs_of::<TOKEN_MASK_RUN>(m.tokens);
                }
                for ((j, m), &long) in chunk.iter().enumerate().zip(&long) {
                    token_runs.feed_long::<TOKEN_MASK_RUN>(
                        (first + j) * 64,
                        m.tokens,
                        long,
                        |_, _| {},
                        &mut report_tokens,
                    );
                }
            }
            if digits {
                for (j, m) in chunk.iter().enumerate() {
                    let m = DigitMasks::of(m);
                    if first + j > 0 {
                        digit_block(first + j, m2, m1, m, &mut digit_runs, &mut report_digits);
                    }
                    (m2, m1) = (m1, m);
                }
            }
        }
        if digits && blocks > 0 {
            let none = DigitMasks::default();
            digit_block(blocks, m2, m1, none, &mut digit_runs, &mut report_digits);
        }
        let end = blocks * 64;
        token_runs.finish(end, report_tokens);
        digit_runs.finish(end, report_digits);
    }

    /// False when window `x` at `pos` passed the first level but no keyword
    /// can start there: all of the window's keywords are 8+ bytes long and
    /// the 8 bytes at `pos` are not the head of any.
    #[inline(always)]
    fn may_start(&self, hay: &[u8], pos: usize, x: u32) -> bool {
        if bit(&self.short, head_hash(u64::from(x))) {
            return true;
        }
        match hay
            .get(pos..pos + 8)
            .and_then(|h| <[u8; 8]>::try_from(h).ok())
        {
            Some(head) => bit(&self.long, head_hash(fold8(head))),
            None => false,
        }
    }

    /// Second-level test of a first-level hit at `pos` (`x` is the folded
    /// window there): reports the longest keyword that starts at `pos`.
    ///
    /// A window's keywords often share their first bytes (`pass` opens 21
    /// of them, seven of which open with `password`), and comparing each
    /// byte by byte cost ~2,000 instructions a hit, the most of a line of
    /// `password=` repeated. Where 16 bytes follow `pos`, each keyword's
    /// first 16 bytes, folded as the tables fold them (`| 0x20`, which an
    /// ASCII-case-insensitive match keeps equal), are compared first, two
    /// words at a time; only a keyword that passes is compared exactly.
    ///
    /// `memo` holds the last hit's 16 bytes and the keyword found there,
    /// when no keyword over 16 bytes long took part in finding it: the
    /// same 16 bytes again (a line of `password=` repeated) give the same
    /// keyword without a compare.
    #[inline(never)]
    fn verify(
        &self,
        hay: &[u8],
        pos: usize,
        x: u32,
        memo: &mut VerifyMemo,
        on_keyword: &mut impl FnMut(usize, &[u32]),
    ) {
        let rest = &hay[pos..];
        let exact = |pattern: &[u8]| {
            rest.len() >= pattern.len()
                && rest
                    .iter()
                    .zip(pattern)
                    .all(|(h, k)| h.to_ascii_lowercase() == *k)
        };
        let (patterns, heads) = self.grams.get_with_heads(x);
        if let Some(window) = rest.get(..16) {
            let mut w = [0u8; 16];
            w.copy_from_slice(window);
            let slot = &mut memo.last[(x ^ (x >> 13)) as usize % MEMO_SLOTS];
            if let Some((seen, found)) = *slot {
                if seen == w {
                    if let Some(p) = found {
                        on_keyword(pos, self.pattern_rules(p));
                    }
                    return;
                }
            }
            let lo = fold8([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
            let hi = fold8([w[8], w[9], w[10], w[11], w[12], w[13], w[14], w[15]]);
            // A keyword over 16 bytes long that passed its head test makes
            // the answer depend on bytes past `w`: then it is not kept.
            let mut past_w = false;
            let mut found = None;
            for (&p, head) in patterns.iter().zip(heads) {
                if (lo & head.mask[0]) != head.bytes[0] || (hi & head.mask[1]) != head.bytes[1] {
                    continue;
                }
                let pattern = self.patterns[p as usize].as_bytes();
                past_w |= pattern.len() > 16;
                if exact(pattern) {
                    found = Some(p);
                    break;
                }
            }
            *slot = (!past_w).then_some((w, found));
            if let Some(p) = found {
                on_keyword(pos, self.pattern_rules(p));
            }
            return;
        }
        for &p in patterns {
            if exact(self.patterns[p as usize].as_bytes()) {
                on_keyword(pos, self.pattern_rules(p));
                return;
            }
        }
    }
}

/// True when every one of `patterns` (sorted, lowercase) is a built-in
/// keyword, so the build script's bucket tables, made for all of them,
/// cover them: one merge of two sorted lists, a tenth of the instructions
/// of checking each keyword against the tables (`buckets::covers`), which
/// the first scan of every hook process paid.
pub(crate) fn builtin_keywords_only(patterns: &[Cow<'_, str>]) -> bool {
    let mut builtin = crate::rules::builtin::KEYWORD_PLAN
        .patterns
        .iter()
        .map(|p| p.get());
    patterns.iter().all(|p| builtin.any(|k| k == p))
}

/// The positions of the marks (`@`, `%`, `\`) of one input, in order: a
/// list of `u32` offsets while that is the smaller form (source code has
/// few marks), then a bitmap of the input, one bit per byte, once the list
/// would outgrow it. So they take at most an eighth of the input's size
/// however dense they are (a list of `usize` took 8 bytes per byte of a
/// file of `@`: 51 MB of peak RSS to scan 8 MB).
#[derive(Debug, Default)]
pub(crate) struct Marks {
    /// The positions while they are few (the only form while `bits` is empty).
    list: Vec<u32>,
    /// One bit per input byte, once the marks are many.
    bits: Vec<u64>,
    /// The input's length.
    len: usize,
}

impl Marks {
    /// No marks yet, for an input of `len` bytes.
    pub(crate) fn new(len: usize) -> Marks {
        let mut marks = Marks {
            len,
            ..Marks::default()
        };
        if u32::try_from(len).is_err() {
            marks.bits = vec![0; len.div_ceil(64)];
        }
        marks
    }

    /// Adds the marks of the 64 bytes at `at` (a multiple of 64): bit `i`
    /// of `mask` is a mark at `at + i`. Blocks come in input order.
    #[inline]
    pub(crate) fn push_block(&mut self, at: usize, mask: u64) {
        if self.bits.is_empty() {
            if (self.list.len() + 64) * 4 <= self.len / 8 {
                let mut mk = mask;
                while mk != 0 {
                    // Below `len`, which fits a `u32` (see `new`).
                    self.list.push((at + mk.trailing_zeros() as usize) as u32);
                    mk &= mk - 1;
                }
                return;
            }
            self.bits = vec![0; self.len.div_ceil(64).max(at / 64 + 1)];
            for p in std::mem::take(&mut self.list) {
                let p = p as usize;
                self.bits[p / 64] |= 1 << (p % 64);
            }
        }
        if let Some(word) = self.bits.get_mut(at / 64) {
            *word |= mask;
        }
    }

    /// The positions, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = usize> + Clone + '_ {
        let list = self.list.iter().map(|&p| p as usize);
        let bits = self.bits.iter().enumerate().flat_map(|(w, &word)| {
            let mut rest = word;
            std::iter::from_fn(move || {
                (rest != 0).then(|| {
                    let bit = rest.trailing_zeros() as usize;
                    rest &= rest - 1;
                    w * 64 + bit
                })
            })
        });
        list.chain(bits)
    }
}

/// The last keyword hints `KeywordIndex::verify` settled by their first 16
/// bytes alone, one per slot by their first four bytes (a line of
/// `password=` repeated has hits at two phases): those bytes and the
/// keyword found there (`None`: none).
#[derive(Default)]
struct VerifyMemo {
    last: [Option<([u8; 16], Option<u32>)>; MEMO_SLOTS],
}

/// Slots of [`VerifyMemo`].
const MEMO_SLOTS: usize = 4;

/// Whether the line of a keyword hit holds a mark (`@`, `%` or `\`), found
/// from the block masks only when a rule asks (most rules need no mark,
/// and on keyword-dense input the question cost ~20 instructions a byte).
#[derive(Clone, Copy)]
pub(crate) struct LineMarked<'a> {
    /// The chunk's masks, the hit's block in it and its bit; `None` when
    /// not known (then the line may hold a mark).
    masks: Option<(&'a [Masks], usize, u32)>,
}

impl LineMarked<'_> {
    /// False only when the hit's line has no mark (see [`line_marked`]).
    #[inline]
    pub(crate) fn get(&self) -> bool {
        match self.masks {
            Some((chunk, j, bit)) => line_marked(chunk, j, bit),
            None => true,
        }
    }
}

/// False only when the line holding bit `bit` of block `j` lies within
/// `chunk` and has no mark (`@`, `%` or `\`) on it.
#[inline]
fn line_marked(chunk: &[Masks], j: usize, bit: u32) -> bool {
    // Back to the line's start.
    let (mut k, mut mask) = (j, (1u64 << bit) - 1);
    loop {
        let (newlines, marks) = (chunk[k].newlines & mask, chunk[k].marks & mask);
        if newlines != 0 {
            // Marks after the last line break before the bit.
            if marks >> (63 - newlines.leading_zeros()) != 0 {
                return true;
            }
            break;
        }
        if marks != 0 || k == 0 {
            return true;
        }
        (k, mask) = (k - 1, !0);
    }
    // On to its end.
    let (mut k, mut mask) = (j, !0u64 << bit);
    loop {
        let (newlines, marks) = (chunk[k].newlines & mask, chunk[k].marks & mask);
        if newlines != 0 {
            return marks & ((1u64 << newlines.trailing_zeros()) - 1) != 0;
        }
        if marks != 0 || k + 1 == chunk.len() {
            return true;
        }
        (k, mask) = (k + 1, !0);
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
    /// Each value's pattern head (see [`Head`]), side by side with `values`
    /// (borrowed from the build script's plan for the built-in keywords).
    heads: Cow<'static, [Head]>,
    shift: u32,
}

impl GramMap {
    /// `entries` sorted by key: (folded window, pattern index), and each
    /// one's pattern head (see [`keyword_plan::KeywordPlan`]).
    fn new(entries: &[(u32, u32)], heads: Cow<'static, [Head]>) -> GramMap {
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
            heads,
            shift,
        }
    }

    /// Every key: the folded first four bytes of every pattern (of 3-byte
    /// ones, with each byte that may follow).
    fn keys(&self) -> impl Iterator<Item = u32> + '_ {
        self.slots.iter().map(|s| s.0).filter(|&k| k != 0)
    }

    /// The pattern indices of `key` and, side by side, their folded heads.
    #[inline]
    fn get_with_heads(&self, key: u32) -> (&[u32], &[Head]) {
        let mask = self.slots.len() - 1;
        let mut i = (key.wrapping_mul(0x9E37_79B1) >> self.shift) as usize;
        loop {
            let (k, start, end) = self.slots[i];
            if k == key {
                let range = start as usize..end as usize;
                return (&self.values[range.clone()], &self.heads[range]);
            }
            if k == 0 {
                return (&[], &[]);
            }
            i = (i + 1) & mask;
        }
    }
}

/// Blocks whose masks are made in one go.
pub(crate) const CHUNK: usize = 16;

/// Bytes of a chunk's keyword hints: its blocks and the 7 bytes after
/// them (each hint's 8-byte head).
const SPAN: usize = CHUNK * 64 + 7;

/// A token run has upper case letters.
pub(crate) const HAS_UPPER: u8 = 1;
/// A token run has lower case letters.
pub(crate) const HAS_LOWER: u8 = 2;
/// A token run has digits.
pub(crate) const HAS_DIGIT: u8 = 4;
/// A token run has a byte other than hex digits and `-` (`[G-Zg-z+/=_]`).
pub(crate) const HAS_NONHEX: u8 = 8;

/// The [`HAS_UPPER`], [`HAS_LOWER`], [`HAS_DIGIT`] and [`HAS_NONHEX`] bits
/// of a token run's bytes.
#[inline]
fn run_classes(run: &[u8]) -> u8 {
    let classes = run.iter().fold(0u8, |acc, &b| acc | class_of(b));
    let has = |class: u8, bit: u8| if classes & class != 0 { bit } else { 0 };
    has(UPPER, HAS_UPPER) | has(LOWER, HAS_LOWER) | has(DIGIT, HAS_DIGIT) | has(NONHEX, HAS_NONHEX)
}

/// Token bytes in a row that make a token run worth measuring.
const TOKEN_MASK_RUN: u32 = 20;

/// Byte classes of [`class_of`], one bit each (the vector kernel looks
/// them up too).
pub(crate) const DIGIT: u8 = 1;
pub(crate) const TOKEN: u8 = 2;
pub(crate) const SEPARATOR: u8 = 4;
pub(crate) const UPPER: u8 = 8;
pub(crate) const LOWER: u8 = 16;
pub(crate) const NONHEX: u8 = 32;
pub(crate) const MARK: u8 = 64;
pub(crate) const NEWLINE: u8 = 128;

/// The class bits of byte `b`.
#[inline(always)]
pub(crate) fn class_of(b: u8) -> u8 {
    CLASSES[usize::from(b)]
}

/// True for the marks `@`, `%` and `\`: the rare bytes emails, credentials
/// in URLs and escapes start from, whose positions the scan reports.
#[inline]
pub(crate) fn is_mark(b: u8) -> bool {
    class_of(b) & MARK != 0
}

/// The classes of every byte.
static CLASSES: [u8; 256] = class_table();

/// [`CLASSES`], as a constant function (the spread tables are made from it).
const fn class_table() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        let mut v = 0;
        if c.is_ascii_digit() {
            v |= DIGIT;
        }
        if c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'=' | b'_' | b'-') {
            v |= TOKEN;
        }
        if matches!(c, b' ' | b'-' | b'.' | b'/' | b'(' | b')' | b'+') {
            v |= SEPARATOR;
        }
        if c.is_ascii_uppercase() {
            v |= UPPER;
        }
        if c.is_ascii_lowercase() {
            v |= LOWER;
        }
        if v & TOKEN != 0 && !c.is_ascii_hexdigit() && c != b'-' {
            v |= NONHEX;
        }
        if matches!(c, b'@' | b'%' | b'\\') {
            v |= MARK;
        }
        if c == b'\n' {
            v |= NEWLINE;
        }
        t[b] = v;
        b += 1;
    }
    t
}

/// The portable loops' class lookup: `SPREAD[i][b]` has class bit `c` of
/// byte `b` at bit `8 * c + i`, so OR-ing the entries of eight bytes (the
/// `i`-th from table `i`) gives, in byte `c`, class `c` of each of them: one
/// load and one OR per byte, no bit transposition (16 KiB, of which the
/// ASCII half is what text touches).
static SPREAD: [[u64; 256]; 8] = {
    let classes = class_table();
    let mut t = [[0u64; 256]; 8];
    let mut i = 0;
    while i < 8 {
        let mut b = 0;
        while b < 256 {
            let mut c = 0;
            while c < 8 {
                if classes[b] & (1 << c) != 0 {
                    t[i][b] |= 1 << (8 * c + i);
                }
                c += 1;
            }
            b += 1;
        }
        i += 1;
    }
    t
};

/// For the 64 bytes at `at` (zero-padded past the end of `hay`): the class
/// masks (digits, token bytes `[A-Za-z0-9+/=_-]`, digit-run separators,
/// marks, line breaks), bit `j` for byte `at + j`, and no keyword hints:
/// what the portable loops compute of a block besides its hints
/// ([`portable_masks_into`]).
#[cfg(test)]
pub(crate) fn class_masks(hay: &[u8], at: usize) -> Masks {
    let mut block = [0u8; 64];
    let rest = hay.get(at..).unwrap_or_default();
    let len = rest.len().min(64);
    block[..len].copy_from_slice(&rest[..len]);
    block_classes(&block)
}

/// The class masks of a block (see [`class_masks`]). Eight bytes at a time,
/// OR-ing their [`SPREAD`] entries makes a word whose byte `c` holds class
/// `c` of each; the eight words, as an 8x8 byte matrix, transposed, hold
/// class `c` of all 64 bytes in word `c`. About 2.5 instructions a byte,
/// against 6.5 when each byte's class byte was shifted into place and each
/// group's 8x8 bit matrix transposed.
#[inline(always)]
fn block_classes(block: &[u8; 64]) -> Masks {
    let mut by_class = [0u64; 8];
    for (rows, eight) in by_class.iter_mut().zip(block.chunks_exact(8)) {
        let mut r = 0;
        for (table, &b) in SPREAD.iter().zip(eight) {
            r |= table[usize::from(b)];
        }
        *rows = r;
    }
    transpose8x8_bytes(&mut by_class);
    let class = |bit: u8| by_class[bit.trailing_zeros() as usize];
    Masks {
        digits: class(DIGIT),
        tokens: class(TOKEN),
        separators: class(SEPARATOR),
        marks: class(MARK),
        newlines: class(NEWLINE),
        keywords: 0,
    }
}

/// Bits of the hash that indexes the portable loops' keyword table.
pub(crate) const PORTABLE_BITS: u32 = 16;

/// The portable loops' keyword table: one byte per [`PORTABLE_BITS`]-bit
/// hash of a folded window, 1 where the first level has any of the bits
/// whose hash starts with it (the first level's hash, shortened), else 0.
///
/// A byte per hash is one load per window, where a bit of the first level
/// costs a word load, a variable shift and a mask; at a quarter of the
/// first level's resolution it is 64 KiB, and its extra hints (about 4% of
/// windows pass, against about 1%) are checked against the first level.
/// Measured with callgrind on 1 MB of real package sources, instructions
/// per byte of the whole scan: 22.6 with the first level's bits, 17.5 with
/// this table, 16.7 with a byte per first-level hash (256 KiB, the same
/// wall time here, more cache on CPUs with small ones).
pub(crate) type PortableTable = [u8; 1 << PORTABLE_BITS];

/// The portable table of a first-level table (see [`PortableTable`]),
/// made from the first level's set bits only (a few thousand), so a hook's
/// process pays a zeroed allocation and a pass over 32 KiB for it.
pub(crate) fn portable_table(first: &FirstLevel) -> Box<PortableTable> {
    let mut table: Box<PortableTable> = vec![0u8; 1 << PORTABLE_BITS]
        .into_boxed_slice()
        .try_into()
        .unwrap_or_else(|_| Box::new([0; 1 << PORTABLE_BITS]));
    for (at, &byte) in first.iter().enumerate() {
        let mut bits = byte;
        while bits != 0 {
            let h = at * 8 + bits.trailing_zeros() as usize;
            if let Some(slot) = table.get_mut(h >> (TABLE_BITS - PORTABLE_BITS)) {
                *slot = 1;
            }
            bits &= bits - 1;
        }
    }
    table
}

/// The window's byte in the portable table (0 or 1).
#[inline(always)]
pub(crate) fn portable_hint(table: &PortableTable, x: u32) -> u8 {
    table[(x.wrapping_mul(0x9E37_79B1) >> (32 - PORTABLE_BITS)) as usize]
}

/// The portable loops' keyword hints of a block: bit `j` set when the
/// folded window at `j` has a 1 in the portable table. Per window a load,
/// a multiply, a shift, a byte load and a byte store (no bit to pick out of
/// a word: the table has a byte per hash), no branch, so the 64 lookups of
/// a block overlap; then a multiply per eight windows gathers their bytes'
/// low bits into its top byte (byte `k`'s bit lands on bit `56 + k`, no two
/// terms meet). About 6.5 instructions a window, against 13 to pick the
/// first level's bit out of its word and shift it into place.
#[inline(always)]
fn block_keywords(table: &PortableTable, block: &[u8; 67]) -> u64 {
    let mut passes = [0u8; 64];
    for g in 0..8 {
        for k in 0..8 {
            let j = 8 * g + k;
            passes[j] = portable_hint(table, load4_block(block, j) | 0x2020_2020);
        }
    }
    let mut hints = 0;
    for g in 0..8 {
        let mut word = [0u8; 8];
        word.copy_from_slice(&passes[8 * g..8 * g + 8]);
        hints |= (u64::from_le_bytes(word).wrapping_mul(0x0102_0408_1020_4080) >> 56) << (8 * g);
    }
    hints
}

/// The portable loops' masks: fills `out[k]` with the masks of the block
/// at `at + 64 * k`, as a vector kernel does ([`Kernel::masks_into`]), its
/// keyword hints being the windows the portable table passes (past the end
/// of `hay`, the blocks are padded with NUL bytes).
#[inline(always)]
fn portable_masks_into(table: &PortableTable, hay: &[u8], at: usize, out: &mut [Masks]) {
    for (k, m) in out.iter_mut().enumerate() {
        let i = at + 64 * k;
        let padded;
        let block: &[u8; 67] = match hay.get(i..i + 67).and_then(|b| b.try_into().ok()) {
            Some(block) => block,
            None => {
                let mut copy = [0u8; 67];
                let rest = hay.get(i..).unwrap_or_default();
                let len = rest.len().min(67);
                copy[..len].copy_from_slice(&rest[..len]);
                padded = copy;
                &padded
            }
        };
        let Ok(bytes) = <&[u8; 64]>::try_from(&block[..64]) else {
            continue;
        };
        *m = Masks {
            keywords: block_keywords(table, block),
            ..block_classes(bytes)
        };
    }
}

/// Transposes the 8x8 byte matrix whose row `k` is `x[k]` (byte `c` of a
/// row is column `c`): byte `c` of `x[k]` moves to byte `k` of `x[c]`.
#[inline(always)]
fn transpose8x8_bytes(x: &mut [u64; 8]) {
    // Swap the off-diagonal blocks of 4x4, then of 2x2 within each, then
    // of single bytes.
    for k in 0..4 {
        let (a, b) = (x[k], x[k + 4]);
        x[k] = (a & 0xFFFF_FFFF) | b << 32;
        x[k + 4] = a >> 32 | (b & 0xFFFF_FFFF_0000_0000);
    }
    const M2: u64 = 0x0000_FFFF_0000_FFFF;
    for k in [0, 1, 4, 5] {
        let (a, b) = (x[k], x[k + 2]);
        x[k] = (a & M2) | (b & M2) << 16;
        x[k + 2] = (a >> 16 & M2) | (b & !M2);
    }
    const M1: u64 = 0x00FF_00FF_00FF_00FF;
    for k in [0, 2, 4, 6] {
        let (a, b) = (x[k], x[k + 1]);
        x[k] = (a & M1) | (b & M1) << 8;
        x[k + 1] = (a >> 8 & M1) | (b & !M1);
    }
}

/// Bit `i` of the result is set when bits `i..i + n` of `w` are all set
/// (`n` in 1..=64).
#[inline(always)]
fn runs_of<const N: u32>(w: u64) -> u64 {
    let mut r = w;
    let mut have = 1;
    while have < N {
        let step = have.min(N - have);
        r &= r >> step;
        have += step;
    }
    r
}

/// Writes the offset `64 * j + bit` of every keyword hint of `chunk`
/// (block `j`, bit `bit`; at most [`CHUNK`] blocks) to `out`, in order,
/// and returns how many: what `vpcompressw` does for AVX-512, for the
/// other kernels. A block's first four hints are written without a branch
/// (slots past its last hint are written over by the next block's or left
/// unread); only a block with more takes a loop. Text has about two hints
/// a block, and a loop over each block's hints mispredicted its exit about
/// once a block.
#[inline(always)]
fn list_hints(chunk: &[Masks], out: &mut [u16; CHUNK * 64]) -> usize {
    let mut n = 0;
    for (j, m) in chunk.iter().take(CHUNK).enumerate() {
        let base = (j * 64) as u16;
        let mut kw = m.keywords;
        let count = kw.count_ones() as usize;
        // Before block `j`, `n <= 64 * j`, so its slots `n..n + count` and
        // the four written regardless lie below `64 * (j + 1)`; `min` only
        // spares the bounds checks. A slot past the block's last hint gets
        // `base | 64` (the `tzcnt` of zero), never read.
        let slots = &mut out[n.min(CHUNK * 64 - 4)..][..4];
        for slot in slots {
            *slot = base | kw.trailing_zeros() as u16;
            kw &= kw.wrapping_sub(1);
        }
        if count > 4 {
            let mut t = n + 4;
            while kw != 0 {
                if let Some(slot) = out.get_mut(t) {
                    *slot = base | kw.trailing_zeros() as u16;
                }
                kw &= kw - 1;
                t += 1;
            }
        }
        n += count;
    }
    n
}

/// The four bytes at `at` (below 64) of a block with its 3 bytes after.
#[inline(always)]
fn load4_block(block: &[u8; 67], at: usize) -> u32 {
    let at = at & 63;
    u32::from_le_bytes([block[at], block[at + 1], block[at + 2], block[at + 3]])
}

#[inline(always)]
fn load4(hay: &[u8], at: usize) -> u32 {
    let mut b = [0u8; 4];
    b.copy_from_slice(&hay[at..at + 4]);
    u32::from_le_bytes(b)
}

/// Base64/base64url/hex token bytes: `[A-Za-z0-9+/=_-]`.
#[inline]
#[cfg_attr(not(test), allow(dead_code))] // the tests' reference of token bytes
pub(crate) fn is_b64_byte(b: u8) -> bool {
    CLASSES[usize::from(b)] & TOKEN != 0
}

/// Digits a digit run needs to be reported.
const DIGITS_MIN: u32 = 9;

/// A block's digit and separator masks: all the digit pass reads.
#[derive(Clone, Copy, Debug, Default)]
struct DigitMasks {
    digits: u64,
    separators: u64,
}

impl DigitMasks {
    #[inline(always)]
    fn of(m: &Masks) -> DigitMasks {
        DigitMasks {
            digits: m.digits,
            separators: m.separators,
        }
    }
}

/// Feeds block `k - 1` (`b`, with `a` before it) to the digit runs, now
/// that block `k` (`c`) is known. A function rather than a closure over
/// the scan's state: as a closure it was left out of line, one call and
/// two 72-byte copies of `Masks` per block (4% of a scan of clean text).
#[inline(always)]
fn digit_block(
    k: usize,
    a: DigitMasks,
    b: DigitMasks,
    c: DigitMasks,
    runs: &mut RunStream,
    report: &mut impl FnMut(usize, usize, u64),
) {
    // Digits of one run are at most three bytes apart (`1 (2`), so the
    // first nine of a run that starts in `b` (no run is open) lie in `b`
    // and the first 24 bytes of `c`: with fewer there, no run starting in `b` is ever reported,
    // and skipping `b` only makes the part of such a run in `c` look like
    // a run of its own, with fewer digits still. (Feeding a block without
    // digits while no run is open changes nothing.) On text this branch is
    // nearly always false, where "`b` has a digit" was true for a third of
    // the blocks, at random.
    let near = b.digits.count_ones() + (c.digits & 0xFF_FFFF).count_ones();
    if runs.is_open() | (near >= DIGITS_MIN) {
        let joined = b.digits | bridges(&a, &b, &c);
        let dig = b.digits;
        runs.feed::<DIGITS_MIN>(
            (k - 1) * 64,
            joined,
            |acc, part| *acc += u64::from((dig & part).count_ones()),
            report,
        );
    }
}

/// For block `b` (with `a` before it and `c` after it): the separator
/// bytes that join two digits, one or two separators between them.
#[inline(always)]
fn bridges(a: &DigitMasks, b: &DigitMasks, c: &DigitMasks) -> u64 {
    let (d, s) = (b.digits, b.separators);
    let prev1 = |x: u64, y: u64| x << 1 | y >> 63;
    let prev2 = |x: u64, y: u64| x << 2 | y >> 62;
    let next1 = |x: u64, z: u64| x >> 1 | z << 63;
    let next2 = |x: u64, z: u64| x >> 2 | z << 62;
    let (dp1, dp2) = (prev1(d, a.digits), prev2(d, a.digits));
    let (dn1, dn2) = (next1(d, c.digits), next2(d, c.digits));
    let (sp1, sn1) = (prev1(s, a.separators), next1(s, c.separators));
    // `1-2`, then the first and the second separator of `1 (2`.
    s & dp1 & (dn1 | sn1 & dn2) | s & sp1 & dp2 & dn1
}

/// Finds maximal runs of set bits in a stream of 64-bit masks, one per
/// 64-byte block in order, without visiting bits one by one: only runs at
/// least `MIN_LEN` long are looked at. A run's other properties are summed
/// per block part by the caller's `add`.
///
/// Most blocks of text end inside a word, so a run touching a block's end
/// is carried without a branch (its length and its part's sum); only when
/// it turns out long enough is it looked at again.
#[derive(Debug, Default)]
struct RunStream {
    /// Start and length of the run touching the last block's end (length
    /// 0: none), and its accumulated sum.
    start: usize,
    len: usize,
    acc: u64,
}

impl RunStream {
    fn is_open(&self) -> bool {
        self.len > 0
    }

    /// Feeds the mask `m` of the block at `base`. `add(acc, part)` adds the
    /// run's part in this block (a mask of `m`'s bits) to its accumulator;
    /// `done(start, end, acc)` gets every run of `MIN_LEN`+ bytes that ends
    /// in this block.
    #[inline(always)]
    fn feed<const MIN_LEN: u32>(
        &mut self,
        base: usize,
        m: u64,
        add: impl FnMut(&mut u64, u64),
        done: impl FnMut(usize, usize, u64),
    ) {
        self.feed_long::<MIN_LEN>(base, m, runs_of::<MIN_LEN>(m), add, done);
    }

    /// [`RunStream::feed`] given `long = runs_of::<MIN_LEN>(m)`, which the
    /// caller may compute ahead for many blocks.
    #[inline(always)]
    fn feed_long<const MIN_LEN: u32>(
        &mut self,
        base: usize,
        m: u64,
        long: u64,
        mut add: impl FnMut(&mut u64, u64),
        mut done: impl FnMut(usize, usize, u64),
    ) {
        let head = m.trailing_ones();
        if head == 64 {
            // The whole block continues (or starts) the carried run.
            if self.len == 0 {
                self.start = base;
            }
            self.len += 64;
            add(&mut self.acc, m);
            return;
        }
        let head_part = (1u64 << head) - 1;
        // The carried run ends in this block's head.
        let carried = u64::from(self.len > 0).wrapping_neg() & head_part;
        if (self.len > 0) & (self.len + head as usize >= MIN_LEN as usize) {
            let mut acc = self.acc;
            add(&mut acc, carried);
            done(self.start, base + head as usize, acc);
        }
        // The run touching this block's end is carried to the next.
        let tail = m.leading_ones();
        let tail_part = !(u64::MAX >> tail);
        // Runs starting in neither the carried head nor the tail (a run
        // that starts elsewhere lies wholly between them).
        let mut long = long & !carried & !tail_part;
        while long != 0 {
            let lo = long.trailing_zeros();
            let len = (m >> lo).trailing_ones();
            let part = ((1u64 << len) - 1) << lo;
            let mut acc = 0;
            add(&mut acc, m & part);
            done(base + lo as usize, base + (lo + len) as usize, acc);
            long &= !0u64 << (lo + len);
        }
        self.start = base + 64 - tail as usize;
        self.len = tail as usize;
        self.acc = 0;
        add(&mut self.acc, m & tail_part);
    }

    /// Ends the input at `end`: reports the carried run, if any (it may be
    /// shorter than `MIN_LEN`).
    fn finish(&mut self, end: usize, mut done: impl FnMut(usize, usize, u64)) {
        if self.len > 0 {
            done(self.start, end, self.acc);
            self.len = 0;
        }
    }
}

#[cfg(test)]
#[path = "tests/prefilter.rs"]
mod tests;
