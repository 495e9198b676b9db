//! Unit tests for `engine::prefilter` (kept in a `tests/` folder so the
//! repository's self-scan can skip their synthetic secrets).

use super::*;
use crate::engine::simd::KernelKind;

/// Every vector kernel this CPU runs, for `idx`'s keywords; AVX-512 also
/// without listing its hints in vectors (`Kernel::hint_offsets`), so the
/// per-block loop it takes on CPUs without VBMI2 is tested too.
fn kernels(idx: &KeywordIndex) -> Vec<Kernel> {
    let mut kernels: Vec<Kernel> = KernelKind::ALL
        .into_iter()
        .filter_map(|kind| idx.kernel_of(kind))
        .collect();
    if let Some(mut unlisted) = idx.kernel_of(KernelKind::Avx512) {
        unlisted.set_compress(false);
        kernels.push(unlisted);
    }
    kernels
}

/// The portable loops (`None`) and every vector kernel this CPU runs.
fn paths(kernels: &[Kernel]) -> Vec<Option<&Kernel>> {
    std::iter::once(None)
        .chain(kernels.iter().map(Some))
        .collect()
}

/// Which path, for messages.
fn name(path: Option<&Kernel>) -> &'static str {
    path.map_or("portable", |k| k.kind().name())
}

#[test]
fn keyword_index_finds_all_positions() {
    let kws = vec![
        ("ghp_".to_string(), 0),
        ("hf_".to_string(), 1),
        ("password".to_string(), 2),
        ("pass".to_string(), 3),
    ];
    let idx = KeywordIndex::new(&kws);
    let hay = b"x ghp_abc hf_Tok PASSWORD= pass ";
    let mut hits = Vec::new();
    idx.scan(
        hay,
        false,
        false,
        20,
        &mut Marks::new(hay.len()),
        |pos, rules, _| hits.push((pos, rules.to_vec())),
        |_, _, _| {},
        |_, _, _| {},
    );
    assert_eq!(hits[0], (2, vec![0]));
    assert_eq!(hits[1], (10, vec![1]));
    let (pos, mut rules) = hits[2].clone();
    rules.sort();
    assert_eq!((pos, rules), (17, vec![2, 3]));
    assert_eq!(hits[3], (27, vec![3]));
    assert_eq!(hits.len(), 4);
}

fn runs(hay: &[u8]) -> (Vec<String>, Vec<String>) {
    let idx = KeywordIndex::new::<String>(&[]);
    let (mut d, mut t) = (Vec::new(), Vec::new());
    let text = |s: usize, e: usize| String::from_utf8_lossy(&hay[s..e]).into_owned();
    idx.scan(
        hay,
        true,
        true,
        20,
        &mut Marks::new(hay.len()),
        |_, _, _| {},
        |s, e, _| d.push(text(s, e)),
        |s, e, _| t.push(text(s, e)),
    );
    (d, t)
}

#[test]
fn digit_runs_are_found_at_every_offset() {
    for pad in 0..24 {
        let mut hay = vec![b'x'; pad];
        hay.extend_from_slice(b"123-45-6789");
        hay.extend_from_slice(&[b'y'; 20]);
        assert_eq!(runs(&hay).0, vec!["123-45-6789"], "pad {pad}");
    }
}

#[test]
fn digit_runs_report_exact_runs() {
    let hay = b"call +1 (555) 010-0199 now; v1.2.3; card 4111 1111 1111 1111; 2024 1024";
    assert_eq!(runs(b"88,423-71-9055").0, vec!["423-71-9055"]);
    assert_eq!(runs(hay).0, vec!["1 (555) 010-0199", "4111 1111 1111 1111"]);
}

#[test]
fn token_runs_need_length_and_mixed_classes() {
    for pad in 0..17 {
        let mut hay = vec![b' '; pad];
        hay.extend_from_slice(b"x = \"Zk9qR2x4TmVwQ3BhN0dXcz\" some_long_identifier_name_here;;");
        assert_eq!(runs(&hay).1, vec!["Zk9qR2x4TmVwQ3BhN0dXcz"], "pad {pad}");
    }
}

/// Everything one pass reports: keyword hits (position, rules), digit runs,
/// token runs and marks.
type Events = (
    Vec<(usize, Vec<u32>)>,
    Vec<(usize, usize, usize)>,
    Vec<(usize, usize, u8)>,
    Vec<usize>,
);

fn events(idx: &KeywordIndex, kernel: Option<&Kernel>, hay: &[u8]) -> Events {
    let (mut k, mut d, mut t) = (Vec::new(), Vec::new(), Vec::new());
    let mut m = Marks::new(hay.len());
    idx.scan_with(
        kernel,
        hay,
        true,
        true,
        20,
        &mut m,
        |p, r, marked| {
            // `marked` may only be false for a line without `@`, `%` or `\`.
            let start = hay[..p]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let end = hay[p..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(hay.len(), |i| p + i);
            assert!(
                marked.get() || !hay[start..end].iter().any(|b| b"@%\\".contains(b)),
                "{p}"
            );
            k.push((p, r.to_vec()));
        },
        |s, e, n| d.push((s, e, n)),
        |s, e, c| t.push((s, e, c)),
    );
    (k, d, t, m.iter().collect())
}

#[test]
fn every_path_tells_lines_without_marks() {
    let idx = builtin_index();
    for path in paths(&kernels(&idx)) {
        lines_without_marks_are_told(&idx, path);
    }
}

fn lines_without_marks_are_told(idx: &KeywordIndex, path: Option<&Kernel>) {
    let mut hay = Vec::new();
    for i in 0..2000 {
        if i % 3 == 0 {
            hay.extend_from_slice(b"see https://example.invalid/docs for more\n");
        } else {
            hay.extend_from_slice(b"  url = \"https://user@example.invalid/x%20y\"\n");
        }
    }
    let mut flags = (0, 0);
    idx.scan_with(
        path,
        &hay,
        false,
        false,
        20,
        &mut Marks::new(hay.len()),
        |p, _, marked| {
            let line_start = hay[..p]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            if hay[line_start..].starts_with(b"see") {
                flags.0 += usize::from(!marked.get());
            } else {
                assert!(marked.get(), "{p}");
                flags.1 += 1;
            }
        },
        |_, _, _| {},
        |_, _, _| {},
    );
    // Lines cut by a chunk's edge may stay `marked`; the rest are told.
    assert!(
        flags.0 >= 600 && flags.1 >= 1300,
        "{}: {flags:?}",
        name(path)
    );
}

#[test]
fn marks_are_every_at_percent_and_backslash() {
    let hay = b"@a%b\\c user@host 100% \\u0041";
    let want: Vec<usize> = memchr::memchr3_iter(b'@', b'%', b'\\', hay).collect();
    assert_eq!(want.len(), 6);
    assert_eq!(events(&builtin_index(), None, hay).3, want);
}

fn builtin_index() -> KeywordIndex {
    let rules = crate::rules::RuleSet::builtin();
    let kws: Vec<(String, u32)> = rules
        .iter()
        .enumerate()
        .flat_map(|(i, r)| {
            r.spec
                .keywords
                .iter()
                .map(move |k| (k.to_string(), i as u32))
        })
        .collect();
    KeywordIndex::new(&kws)
}

/// Builds a haystack from pieces: keywords of the built-in rules in mixed
/// case, digits, separators, token characters and filler text.
fn haystack(idx: &KeywordIndex, picks: &[(u8, u16)]) -> Vec<u8> {
    let mut hay = Vec::new();
    for &(kind, n) in picks {
        match kind % 6 {
            0 => {
                let k = &idx.patterns[n as usize % idx.patterns.len()];
                hay.extend(k.bytes().enumerate().map(|(i, b)| {
                    if (n as usize >> (i % 8)) & 1 == 1 {
                        b.to_ascii_uppercase()
                    } else {
                        b
                    }
                }));
            }
            1 => hay.extend(n.to_string().bytes().chain(*b"-4411 9")),
            2 => hay.extend_from_slice(b" the value = \"x\";\n"),
            3 => hay.extend((0..(n % 40)).map(|i| b"aZ09+/_-="[(i as usize + n as usize) % 9])),
            4 => hay.push((n % 256) as u8),
            _ => hay.extend_from_slice(b"Q29uZmlnOiB7InNlY3JldCI6"),
        }
    }
    hay
}

/// Digit runs by their definition, byte by byte: digits at most two
/// separators apart, 9 or more of them; (first digit, last digit + 1, count).
fn reference_digit_runs(hay: &[u8]) -> Vec<(usize, usize, usize)> {
    let sep = |b: u8| b" -./()+".contains(&b);
    let mut out = Vec::new();
    let mut run: Option<(usize, usize, usize)> = None; // start, last digit, count
    for (i, &b) in hay.iter().enumerate() {
        if !b.is_ascii_digit() {
            continue;
        }
        run = match run {
            Some((s, last, n)) if i - last <= 3 && hay[last + 1..i].iter().all(|&c| sep(c)) => {
                Some((s, i, n + 1))
            }
            prev => {
                if let Some((s, last, n)) = prev.filter(|r| r.2 >= 9) {
                    out.push((s, last + 1, n));
                }
                Some((i, i, 1))
            }
        };
    }
    if let Some((s, last, n)) = run.filter(|r| r.2 >= 9) {
        out.push((s, last + 1, n));
    }
    out
}

/// Token runs by their definition: maximal runs of `[A-Za-z0-9+/=_-]`, 20
/// bytes or more, with two of upper case, lower case and digits; (start,
/// end, classes present).
fn reference_token_runs(hay: &[u8]) -> Vec<(usize, usize, u8)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < hay.len() {
        let s = i;
        while i < hay.len() && is_b64_byte(hay[i]) {
            i += 1;
        }
        let run = &hay[s..i];
        let classes = [
            run.iter().any(u8::is_ascii_uppercase),
            run.iter().any(u8::is_ascii_lowercase),
            run.iter().any(u8::is_ascii_digit),
        ];
        if run.len() >= 20 && classes.iter().filter(|&&c| c).count() >= 2 {
            let bits = [HAS_UPPER, HAS_LOWER, HAS_DIGIT];
            let present = classes
                .iter()
                .zip(bits)
                .filter(|(c, _)| **c)
                .map(|(_, b)| b);
            let nonhex = run.iter().any(|&b| !b.is_ascii_hexdigit() && b != b'-');
            let nonhex = if nonhex { HAS_NONHEX } else { 0 };
            out.push((s, i, present.fold(nonhex, |a, b| a | b)));
        }
        i = i.max(s + 1);
    }
    out
}

/// Runs just shorter than, equal to and longer than the minimum, and
/// around one and two blocks long, starting at every offset of a block.
#[test]
fn runs_of_every_length_across_block_boundaries() {
    let idx = builtin_index();
    let kernels = kernels(&idx);
    let lengths = [8, 9, 10, 19, 20, 21, 63, 64, 65, 127, 128, 129];
    for len in lengths {
        for pad in 0..140 {
            for (alphabet, sep) in [(&b"aB3"[..], b' '), (b"0123456789", b',')] {
                let mut hay = vec![sep; pad];
                hay.extend((0..len).map(|i| alphabet[i % alphabet.len()]));
                hay.extend_from_slice(&[sep; 70]);
                hay.extend((0..len).map(|i| alphabet[i % alphabet.len()]));
                let want = (reference_digit_runs(&hay), reference_token_runs(&hay));
                for path in paths(&kernels) {
                    let (_, d, t, _) = events(&idx, path, &hay);
                    let at = name(path);
                    assert_eq!((&d, &t), (&want.0, &want.1), "{at}, len {len} pad {pad}");
                }
            }
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

    /// Digit and token runs found in the masks, by either path, are exactly
    /// the runs of their byte-by-byte definitions, across block boundaries
    /// and for runs longer than a block.
    #[test]
    fn runs_match_their_definitions(
        pieces in proptest::collection::vec((0u8..8, 1usize..90), 0..40),
        shift in 0usize..70,
    ) {
        let mut hay = vec![b'x'; shift];
        for (kind, n) in pieces {
            let alphabet: &[u8] = match kind {
                0 => b"0123456789",
                1 => b"0123456789 -",
                2 => b"0123456789 -./()+",
                3 => b"12 (  ).x",
                4 => b"aB3",
                5 => b"abc_-",
                6 => b"Zk9+/=",
                _ => b" ,;\n\"",
            };
            hay.extend((0..n).map(|i| alphabet[(i * 7 + n) % alphabet.len()]));
        }
        let idx = KeywordIndex::new::<String>(&[]);
        let want = (reference_digit_runs(&hay), reference_token_runs(&hay));
        let (_, d, t, _) = events(&idx, None, &hay);
        proptest::prop_assert_eq!((&d, &t), (&want.0, &want.1));
        let big = builtin_index();
        for kernel in &kernels(&big) {
            let (_, d, t, _) = events(&big, Some(kernel), &hay);
            proptest::prop_assert_eq!((&d, &t), (&want.0, &want.1), "{}", kernel.kind().name());
        }
    }

    /// Every vector kernel this CPU runs and the portable loops report
    /// exactly the same keyword hits, digit runs, token runs and marks, at
    /// any offset and for any length (short inputs too); the marks are
    /// every `@`, `%` and `\\`.
    #[test]
    fn every_kernel_and_the_portable_loops_agree(
        picks in proptest::collection::vec((0u8..6, 0u16..u16::MAX), 0..600),
        shift in 0usize..70,
    ) {
        let idx = builtin_index();
        let mut hay = vec![b' '; shift];
        hay.extend(haystack(&idx, &picks));
        let portable = events(&idx, None, &hay);
        let marks: Vec<usize> = memchr::memchr3_iter(b'@', b'%', b'\\', &hay).collect();
        proptest::prop_assert_eq!(&portable.3, &marks);
        // The portable loops' keyword hits are those of comparing every
        // position with every keyword, byte by byte.
        let bytewise: Vec<(usize, Vec<u32>)> = (0..hay.len().saturating_sub(3))
            .filter_map(|pos| {
                let p = verify_bytewise(&idx, &hay, pos, load4(&hay, pos) | 0x2020_2020)?;
                Some((pos, idx.pattern_rules(p as u32).to_vec()))
            })
            .collect();
        proptest::prop_assert_eq!(&portable.0, &bytewise);
        for kernel in &kernels(&idx) {
            proptest::prop_assert_eq!(&events(&idx, Some(kernel), &hay), &portable, "{}", kernel.kind().name());
        }
    }

    /// Every kernel's masks, and the portable loops' byte classes, equal a
    /// byte-by-byte reference on any block.
    #[test]
    fn kernel_masks_match_the_reference(block in proptest::collection::vec(proptest::prelude::any::<u8>(), 67)) {
        let idx = builtin_index();
        let Ok(block) = <[u8; 67]>::try_from(block) else {
            return Ok(());
        };
        for kernel in &kernels(&idx) {
            let want = crate::engine::simd::masks_scalar(kernel, &block);
            let classes = Masks { keywords: want.keywords, ..class_masks(&block, 0) };
            proptest::prop_assert_eq!(classes, want);
            proptest::prop_assert_eq!(kernel.masks(&block, 0), want, "{}", kernel.kind().name());
        }
        // The portable loops: a hint where the portable table passes the
        // window, which every window the first level passes does.
        let table = idx.portable();
        let mut hints = 0u64;
        for j in 0..64 {
            let x = load4(&block, j) | 0x2020_2020;
            let passes = portable_hint(table, x) != 0;
            if let Some(first) = idx.first_level() {
                proptest::prop_assert!(passes || first_level(first, x) == 0, "window {}", j);
            }
            hints |= u64::from(passes) << j;
        }
        let mut got = [Masks::default()];
        portable_masks_into(table, &block, 0, &mut got);
        proptest::prop_assert_eq!(got[0], Masks { keywords: hints, ..class_masks(&block, 0) });
    }
    /// A kernel fed a whole chunk of blocks at once (the AVX2 kernel works
    /// group by group over all of them) gives each block the masks it
    /// gives that block alone, at the input's end too.
    #[test]
    fn kernel_masks_of_a_chunk_match_block_by_block(
        hay in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2200),
        at in 0usize..200,
    ) {
        let idx = builtin_index();
        let at = at.min(hay.len());
        let blocks = (hay.len() - at).div_ceil(64).min(super::CHUNK);
        for kernel in &kernels(&idx) {
            let mut chunk = vec![Masks::default(); blocks];
            kernel.masks_into(&hay, at, &mut chunk);
            for (k, m) in chunk.iter().enumerate() {
                proptest::prop_assert_eq!(*m, kernel.masks(&hay, at + 64 * k), "{} block {}", kernel.kind().name(), k);
            }
        }
    }
}

#[test]
fn every_keyword_is_a_hint_of_every_kernel() {
    let idx = builtin_index();
    for kernel in &kernels(&idx) {
        every_keyword_is_a_hint(&idx, kernel);
    }
    // And of the portable loops.
    let table = idx.portable();
    for k in &idx.patterns {
        for text in [k.to_string(), k.to_ascii_uppercase()] {
            let mut block = [b' '; 67];
            let n = text.len().min(60);
            block[3..3 + n].copy_from_slice(&text.as_bytes()[..n]);
            block[3 + n] = b'x';
            let mut m = [Masks::default()];
            portable_masks_into(table, &block, 0, &mut m);
            assert!(
                m[0].keywords & (1 << 3) != 0,
                "{text:?} is not a portable hint"
            );
        }
    }
}

#[test]
fn the_portable_table_passes_every_hash_the_first_level_passes() {
    let idx = builtin_index();
    let (table, first) = (idx.portable(), idx.first_level().expect("a first level"));
    let span = 1usize << (TABLE_BITS - PORTABLE_BITS);
    let mut set = 0;
    for h in 0..1usize << TABLE_BITS {
        if bit(first, h) {
            assert_eq!(table[h / span], 1, "hash {h}");
            set += 1;
        }
    }
    // Only the bytes of those hashes are set.
    let bytes = table.iter().filter(|&&b| b != 0).count();
    assert!(
        bytes <= set && bytes * span >= set,
        "{bytes} bytes for {set} bits"
    );
    assert!(table.iter().all(|&b| b <= 1));
}

fn every_keyword_is_a_hint(idx: &KeywordIndex, kernel: &Kernel) {
    for k in &idx.patterns {
        for text in [k.to_string(), k.to_ascii_uppercase()] {
            let mut block = [b' '; 67];
            let n = text.len().min(60);
            block[3..3 + n].copy_from_slice(&text.as_bytes()[..n]);
            block[3 + n] = b'x'; // a 3-byte keyword needs a token byte after it
            let m = kernel.masks(&block, 0);
            let name = kernel.kind().name();
            assert!(
                m.keywords & (1 << 3) != 0,
                "{text:?} is not a hint of {name}"
            );
        }
    }
}

#[test]
fn a_keyword_is_found_at_every_alignment_and_input_length() {
    let idx = builtin_index();
    let kernels = kernels(&idx);
    const LONG: usize = 64 << 10;
    for path in paths(&kernels) {
        for at in (LONG - 70..LONG + 70).step_by(7) {
            let mut hay = vec![b'.'; LONG + 200];
            hay[at..at + 4].copy_from_slice(b"ghp_");
            let (k, _, _, _) = events(&idx, path, &hay);
            let found: Vec<usize> = k.iter().map(|e| e.0).collect();
            assert_eq!(found, vec![at], "{} at {at}", name(path));
        }
        // The last window that fits, in the last (partial) block, for
        // short inputs (one to a few padded blocks) and long ones.
        for len in (4..300).chain([LONG + 33]) {
            let mut hay = vec![b'.'; len];
            let at = hay.len() - 4;
            hay[at..].copy_from_slice(b"AKIA");
            let (k, _, _, _) = events(&idx, path, &hay);
            let found: Vec<usize> = k.iter().map(|e| e.0).collect();
            assert_eq!(found, vec![at], "{} len {len}", name(path));
        }
    }
}

#[test]
fn every_keyword_is_found_in_any_case_on_both_paths() {
    let idx = builtin_index();
    // Each keyword (upper case every other one), then a token byte (a
    // 3-byte keyword needs one) and a line break; repeated past
    // 64 KiB.
    let mut hay = Vec::new();
    let mut expect = Vec::new();
    while hay.len() <= 64 << 10 {
        for (i, k) in idx.patterns.iter().enumerate() {
            expect.push((hay.len(), i));
            let text = if i % 2 == 0 {
                k.to_ascii_uppercase()
            } else {
                k.to_string()
            };
            hay.extend_from_slice(text.as_bytes());
            hay.extend_from_slice(b"x\n");
        }
    }
    let kernels = kernels(&idx);
    for kernel in paths(&kernels) {
        let hits = events(&idx, kernel, &hay).0;
        for &(at, i) in &expect {
            // The longest keyword there wakes this one's rules too.
            let found = hits.iter().find(|h| h.0 == at);
            let wakes =
                found.is_some_and(|h| idx.pattern_rules(i as u32).iter().all(|r| h.1.contains(r)));
            assert!(wakes, "{:?} at {at} ({})", idx.patterns[i], name(kernel));
        }
    }
}

#[test]
fn the_built_in_keywords_use_the_tables_made_at_build_time() {
    let idx = builtin_index();
    assert_eq!(
        idx.bucket_tables(KernelKind::Avx512),
        BUILTIN_TABLES.to_vec()
    );
    // AVX2 and NEON look up the first-level table instead.
    assert_eq!(idx.bucket_tables(KernelKind::Avx2), Vec::<[u8; 64]>::new());
    assert_eq!(idx.bucket_tables(KernelKind::Neon), Vec::<[u8; 64]>::new());
    // `avx2-nibble` has tables of its own, made for its nibble split.
    assert_eq!(
        idx.bucket_tables(KernelKind::Avx2Nibble),
        BUILTIN_NIBBLE_TABLES.to_vec()
    );
    // (AVX-512 has fewer groups of buckets: it tests a fingerprint too.)
    assert_eq!(BUILTIN_TABLES.len(), buckets::AVX512_GROUPS * 4);
    assert_eq!(BUILTIN_NIBBLE_TABLES.len(), buckets::GROUPS * 4);
    // A subset may use them too.
    let few = KeywordIndex::new(&[("ghp_".to_string(), 0), ("password".to_string(), 1)]);
    assert_eq!(
        few.bucket_tables(KernelKind::Avx512),
        BUILTIN_TABLES.to_vec()
    );
    assert_eq!(
        few.bucket_tables(KernelKind::Avx2Nibble),
        BUILTIN_NIBBLE_TABLES.to_vec()
    );
}

#[test]
fn built_in_keywords_are_told_from_others_without_the_tables() {
    assert!(builtin_keywords_only(&builtin_index().patterns));
    let few = KeywordIndex::new(&[("ghp_".to_string(), 0), ("password".to_string(), 1)]);
    assert!(builtin_keywords_only(&few.patterns));
    assert!(builtin_keywords_only(&[]));
    // One keyword that is not built in, before, among or after them.
    for odd in ["aaaa_qjzx", "ghp_qjzx", "zzzz_qjzx"] {
        let kws = vec![(odd.to_string(), 0), ("ghp_".to_string(), 1)];
        let idx = KeywordIndex::new(&kws);
        assert!(!builtin_keywords_only(&idx.patterns), "{odd}");
    }
}

#[test]
fn a_keyword_outside_the_built_in_set_gets_tables_of_its_own() {
    // No built-in keyword starts like this, so no built-in bucket passes it.
    let kws = vec![("qjzx_".to_string(), 0), ("ghp_".to_string(), 1)];
    let idx = KeywordIndex::new(&kws);
    let tables = idx.bucket_tables(KernelKind::Avx512);
    assert_ne!(tables, BUILTIN_TABLES.to_vec());
    let nibble_tables = idx.bucket_tables(KernelKind::Avx2Nibble);
    assert_ne!(nibble_tables, BUILTIN_NIBBLE_TABLES.to_vec());
    let mut hay = b"let a = 1;\n".repeat(40);
    hay.extend_from_slice(b"token = QJZX_abc ghp_x\n");
    let kernels = kernels(&idx);
    for path in paths(&kernels) {
        let found: Vec<usize> = events(&idx, path, &hay).0.iter().map(|e| e.0).collect();
        assert_eq!(found, vec![448, 457], "{}", name(path));
    }
}

#[test]
fn the_byte_transpose_moves_every_byte_to_its_mirror() {
    // Byte `c` of row `k` is `16 * k + c`, so every byte is distinct.
    let rows: [u64; 8] =
        std::array::from_fn(|k| u64::from_le_bytes(std::array::from_fn(|c| (16 * k + c) as u8)));
    let mut x = rows;
    super::transpose8x8_bytes(&mut x);
    for (k, row) in rows.iter().enumerate() {
        for (c, column) in x.iter().enumerate() {
            assert_eq!(
                row.to_le_bytes()[c],
                column.to_le_bytes()[k],
                "row {k} byte {c}"
            );
        }
    }
}

#[test]
fn the_portable_class_masks_match_each_byte_class() {
    // Every byte value at every position of a block.
    for shift in 0..64usize {
        let hay: Vec<u8> = (0..64)
            .map(|j| ((j * 37 + shift * 11) % 256) as u8)
            .collect();
        let m = class_masks(&hay, 0);
        for (j, &b) in hay.iter().enumerate() {
            let c = super::class_of(b);
            let bit = |mask: u64| u8::from(mask >> j & 1 != 0);
            let got = [
                (m.digits, super::DIGIT),
                (m.tokens, super::TOKEN),
                (m.separators, super::SEPARATOR),
                (m.marks, super::MARK),
                (m.newlines, super::NEWLINE),
            ]
            .iter()
            .fold(0u8, |acc, &(mask, class)| acc | (bit(mask) * class));
            let masked =
                super::DIGIT | super::TOKEN | super::SEPARATOR | super::MARK | super::NEWLINE;
            assert_eq!(got, c & masked, "byte {b:#04x} at {j}");
        }
    }
}

/// `KeywordIndex::verify` as it was before its folded-head pre-check:
/// every keyword of the window compared byte by byte, longest first.
fn verify_bytewise(idx: &KeywordIndex, hay: &[u8], pos: usize, x: u32) -> Option<usize> {
    let rest = &hay[pos..];
    idx.grams.get_with_heads(x).0.iter().find_map(|&p| {
        let pattern = idx.patterns[p as usize].as_bytes();
        let found = rest.len() >= pattern.len()
            && rest
                .iter()
                .zip(pattern)
                .all(|(h, k)| h.to_ascii_lowercase() == *k);
        found.then_some(p as usize)
    })
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// The folded-head pre-check of `verify` changes nothing: at every
    /// position of keyword-dense input (keywords in mixed case, cut short,
    /// followed by bytes that fold like theirs: `_` and DEL, `=` and `\x1d`),
    /// up to the input's last bytes, it names the same keyword as comparing
    /// each one byte by byte.
    #[test]
    fn verify_names_the_keyword_the_bytewise_comparison_names(
        picks in proptest::collection::vec((0u8..6, 0u16..u16::MAX), 0..200),
        cuts in proptest::collection::vec((0usize..4000, 0usize..16, 0u8..4), 0..40),
    ) {
        let idx = builtin_index();
        let mut hay = haystack(&idx, &picks);
        for (at, len, how) in cuts {
            let Some(k) = idx.patterns.get(at % idx.patterns.len()) else { continue };
            let mut k = k.as_bytes().to_vec();
            match how {
                0 => k.truncate(len),
                1 => k.iter_mut().filter(|b| **b == b'_').for_each(|b| *b = 0x7f),
                2 => k.iter_mut().filter(|b| **b == b'=').for_each(|b| *b = 0x1d),
                _ => k.push(b"=_ :\"'"[len % 6]),
            }
            let at = at.min(hay.len());
            hay.splice(at..at, k);
        }
        // The input twice, with one memo of settled hints throughout (as a
        // scan keeps it): the same 16 bytes come back, and the memo's
        // answers must be the byte-wise ones too.
        hay.extend_from_within(..);
        let mut memo = VerifyMemo::default();
        for pos in 0..hay.len().saturating_sub(3) {
            let x = load4(&hay, pos) | 0x2020_2020;
            let mut got = None;
            idx.verify(&hay, pos, x, &mut memo, &mut |p, rules| got = Some((p, rules.to_vec())));
            let want = verify_bytewise(&idx, &hay, pos, x).map(|p| (pos, idx.pattern_rules(p as u32).to_vec()));
            proptest::prop_assert_eq!(got, want, "at {}", pos);
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// `Marks` gives back every position it was given, in order, in its
    /// list form, its bitmap form and across the switch from one to the
    /// other (sparse blocks first, then dense ones), and never holds more
    /// than an eighth of the input's size once dense.
    #[test]
    fn marks_give_back_every_position_in_order(
        blocks in proptest::collection::vec((0u64..u64::MAX, 0u8..4), 0..400),
        extra in 0usize..64,
    ) {
        let len = blocks.len() * 64 + extra;
        let mut marks = Marks::new(len);
        let mut want = Vec::new();
        for (i, &(bits, density)) in blocks.iter().enumerate() {
            // Mostly sparse blocks, some dense ones.
            let mask = match density {
                0 => 0,
                1 => bits & bits.rotate_left(17) & bits.rotate_left(31),
                2 => bits,
                _ => !0,
            };
            if mask != 0 {
                marks.push_block(i * 64, mask);
            }
            want.extend((0..64).filter(|b| mask >> b & 1 != 0).map(|b| i * 64 + b));
        }
        let got: Vec<usize> = marks.iter().collect();
        proptest::prop_assert_eq!(got, want);
        proptest::prop_assert!(marks.list.len() * 4 <= len / 8 || marks.list.is_empty());
        proptest::prop_assert!(marks.bits.len() <= len.div_ceil(64).max(1));
    }
}

/// The construction before it was made linear: a binary search and a walk
/// over the patterns each keyword prefixes, `Head` byte by byte, entries
/// sorted on a tuple key. `KeywordIndex::new` must build the same index.
/// Patterns, each pattern's rules, and the sorted (window, pattern) entries.
type IndexParts = (Vec<String>, Vec<Vec<u32>>, Vec<(u32, u32)>);

fn naive_index_parts(keywords: &[(String, u32)]) -> IndexParts {
    let lower: Vec<String> = keywords
        .iter()
        .map(|(k, _)| k.to_ascii_lowercase())
        .collect();
    let mut uniq = lower.clone();
    uniq.sort();
    uniq.dedup();
    let mut pattern_rules: Vec<Vec<u32>> = vec![Vec::new(); uniq.len()];
    for (k, (_, rule)) in lower.iter().zip(keywords) {
        let first = uniq.partition_point(|p| p < k);
        for (p, rules) in uniq[first..].iter().zip(&mut pattern_rules[first..]) {
            if !p.starts_with(k.as_str()) {
                break;
            }
            if !rules.contains(rule) {
                rules.push(*rule);
            }
        }
    }
    let mut entries = Vec::new();
    for (i, k) in uniq.iter().enumerate() {
        let b = k.as_bytes();
        if b.len() >= 4 {
            entries.push((fold4([b[0], b[1], b[2], b[3]]), i as u32));
        } else if b.len() == 3 {
            for next in 0..=255u8 {
                if is_token_byte(next) {
                    entries.push((fold4([b[0], b[1], b[2], next]), i as u32));
                }
            }
        }
    }
    entries.sort_by_key(|&(x, i)| (x, u32::MAX - uniq[i as usize].len() as u32, i));
    (uniq, pattern_rules, entries)
}

fn naive_head(pattern: &[u8]) -> Head {
    let (mut bytes, mut mask) = ([0u8; 16], [0u8; 16]);
    for (i, &b) in pattern.iter().take(16).enumerate() {
        bytes[i] = b | 0x20;
        mask[i] = 0xff;
    }
    let word = |a: &[u8; 16], i: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&a[i * 8..i * 8 + 8]);
        u64::from_le_bytes(w)
    };
    Head {
        bytes: [word(&bytes, 0), word(&bytes, 1)],
        mask: [word(&mask, 0), word(&mask, 1)],
    }
}

fn same_as_naive(kws: &[(String, u32)]) {
    let idx = KeywordIndex::new(kws);
    let (uniq, rules, entries) = naive_index_parts(kws);
    assert_eq!(idx.patterns, uniq);
    let got: Vec<Vec<u32>> = (0..uniq.len() as u32)
        .map(|p| idx.pattern_rules(p).to_vec())
        .collect();
    assert_eq!(got, rules);
    for (x, i) in entries.chunk_by(|a, b| a.0 == b.0).map(|g| (g[0].0, g)) {
        let (got, heads) = idx.grams.get_with_heads(x);
        let want: Vec<u32> = i.iter().map(|e| e.1).collect();
        assert_eq!(got, &want[..]);
        for (&p, h) in got.iter().zip(heads) {
            let n = naive_head(uniq[p as usize].as_bytes());
            assert_eq!((h.bytes, h.mask), (n.bytes, n.mask), "{}", uniq[p as usize]);
        }
    }
}

#[test]
fn keyword_index_construction_matches_naive_on_builtin_keywords() {
    let kws: Vec<(String, u32)> = crate::rules::builtin::keywords()
        .map(|(k, b)| (k.to_string(), b))
        .collect();
    same_as_naive(&kws);
}

/// The index an engine of every built-in rule takes from the build
/// script's plan is the one `KeywordIndex::new` builds from the built-in
/// keywords, field by field, and so is the plan.
#[test]
fn builtin_keyword_plan_is_the_planned_index_of_the_builtin_keywords() {
    let kws: Vec<(&str, u32)> = crate::rules::builtin::keywords().collect();
    let plan = keyword_plan::plan(&kws);
    let built = &crate::rules::builtin::KEYWORD_PLAN;
    let patterns: Vec<&str> = built.patterns.iter().map(|p| p.get()).collect();
    assert_eq!(patterns, plan.patterns);
    assert_eq!(built.rule_lists, plan.rule_lists);
    assert_eq!(built.rule_ends, plan.rule_ends);
    assert_eq!(built.entries, plan.entries);
    assert_eq!(built.heads, plan.heads);
    let mut rules = plan.rule_lists.clone();
    rules.sort_unstable();
    rules.dedup();
    assert_eq!(built.rules as usize, rules.len());
    // With rule indices moved, as an engine whose rules are in another
    // order maps them.
    let moved = |b: u32| b * 2 + 1;
    let want = KeywordIndex::new(&kws.iter().map(|&(k, b)| (k, moved(b))).collect::<Vec<_>>());
    let got = KeywordIndex::builtin(moved);
    assert_eq!(got.patterns, want.patterns);
    assert_eq!(got.rule_lists, want.rule_lists);
    assert_eq!(got.rule_ends, want.rule_ends);
    assert_eq!(got.table, want.table);
    assert_eq!(got.short, want.short);
    assert_eq!(got.long, want.long);
    assert_eq!(got.grams.slots, want.grams.slots);
    assert_eq!(got.grams.values, want.grams.values);
    assert_eq!(got.grams.shift, want.grams.shift);
    let heads =
        |i: &KeywordIndex| -> Vec<_> { i.grams.heads.iter().map(|h| (h.bytes, h.mask)).collect() };
    assert_eq!(heads(&got), heads(&want));
}

/// The plan's bytes that may follow a 3-byte keyword are the token bytes
/// the prefilter's class table says, and `.`.
#[test]
fn token_bytes_after_short_keywords_match_the_class_table() {
    for b in 0..=255u8 {
        assert_eq!(is_token_byte(b), is_b64_byte(b) || b == b'.', "{b}");
    }
}

proptest::proptest! {
    #[test]
    fn keyword_index_construction_matches_naive(
        kws in proptest::collection::vec(("[a-cA-C_]{1,20}", 0u32..6), 0..40)
    ) {
        same_as_naive(&kws);
    }
}
