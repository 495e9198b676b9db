//! Keyword buckets of the vector kernels: which keywords share a bucket,
//! and the lookup tables that say which bytes each bucket holds at each of
//! the four offsets of a window.
//!
//! Every keyword's first four bytes (case-folded) go to one of 64 buckets
//! (48 for the AVX-512 kernel, [`AVX512_GROUPS`]); for each bucket and each offset 0..4 a 64-entry table says which
//! bytes occur there. Buckets are filled greedily, costliest keywords first,
//! then refined by one pass of single moves, minimising the estimated pass
//! rate on source text (byte frequencies measured on real code, plus the 512
//! most frequent 4-byte windows, which a bucket should not pass: `valid`,
//! `static`), so keywords that share bytes share a bucket (`hf_1`, `hf_v`…
//! cost one bucket).
//!
//! The AVX2 kernel hashes windows into the prefilter's first-level table
//! instead (see `simd.rs`); these tables serve its `avx2-nibble` variant,
//! for CPUs where gathers are slow. That variant cannot look up 64-entry
//! tables in one step: it splits
//! each table into two 16-entry ones (Teddy's nibbles), one by the index's
//! low four bits and one by its top four ([`nibble_halves`]; the halves
//! overlap in bits 2 and 3), so a bucket passes every index whose two
//! halves each occur in its set, a superset. Tables built for it
//! ([`build_nibble_tables`]) measure each bucket by that superset, so
//! keywords that share halves share a bucket. Measured on 2 MB of the
//! clean-text benchmark and of real package sources, positions passed per
//! KB: exact tables 69 / 43 (the AVX-512 and NEON kernels); split by the
//! low four and the top two bits (no overlap) 147 / 93; split by the
//! overlapping halves 87 / 56, for the same number of lookups.
//!
//! Building the tables takes a few milliseconds, too much for a process per
//! hook event: the build script includes this file and builds the tables of
//! the built-in keywords ahead of time ([`covers`] tells whether a keyword
//! set may use them). So this file depends on nothing but `std`.

/// Groups of 8 buckets (a table byte holds one bit per bucket of a
/// group) of the `avx2-nibble` kernel; each group costs four table
/// lookups per block.
pub(crate) const GROUPS: usize = 8;
/// Groups of 8 buckets of the AVX-512 kernel, which tests a second,
/// independent fingerprint of each window (see `simd.rs`): six groups and
/// the fingerprint pass fewer positions than eight groups alone, for fewer
/// shuffles.
pub(crate) const AVX512_GROUPS: usize = 6;

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

/// The 512 most frequent 4-byte windows of source code, as six-bit indexes
/// packed `i0 | i1 << 6 | i2 << 12 | i3 << 18`, with their frequency in
/// parts per million of windows. Measured on the same 16 MB of crates.io
/// sources as [`weight`]; together they are 35% of all windows. Words like
/// `valid`, `static` or `count` are far more frequent than their bytes'
/// frequencies predict, and a bucket that happens to pass one of them
/// fires all over clean text: the assignment avoids that.
const COMMON: [(u32, u32); 512] = [
    (0x000000, 84914),
    (0x00000A, 15680),
    (0x022D70, 4299),
    (0x00028C, 4074),
    (0x8B5C0A, 3572),
    (0x3CF000, 2713),
    (0xBAF8C0, 2713),
    (0x3C0000, 2705),
    (0xCEEBE3, 2662),
    (0xD33BAF, 2594),
    (0x0002BB, 2564),
    (0x00F3CF, 2561),
    (0x034CEE, 2499),
    (0xD7029B, 2476),
    (0x00AEC0, 2450),
    (0x00029B, 2350),
    (0x8C08B5, 2274),
    (0xBE3022, 2227),
    (0x3CF3C0, 2186),
    (0xE1000C, 2004),
    (0xF40000, 1923),
    (0x968D00, 1877),
    (0x9AC973, 1648),
    (0x025A34, 1647),
    (0x493D40, 1618),
    (0x4F501A, 1528),
    (0x00A6C9, 1526),
    (0xBAFA74, 1484),
    (0x01D012, 1478),
    (0x2BD000, 1413),
    (0x0002BD, 1400),
    (0x740493, 1398),
    (0x0124F5, 1394),
    (0x970E74, 1248),
    (0x03496C, 1143),
    (0xD25B00, 1084),
    (0xC00000, 1075),
    (0xB00000, 1031),
    (0x00028A, 1016),
    (0x3CF3CA, 984),
    (0x02E980, 968),
    (0x96C000, 936),
    (0x000289, 933),
    (0x974872, 928),
    (0xB25CC0, 921),
    (0x00A309, 900),
    (0x97AA73, 898),
    (0x034D6D, 895),
    (0x01E340, 890),
    (0x78D009, 881),
    (0x8B5C00, 857),
    (0xD70000, 840),
    (0xCAF980, 821),
    (0xD21CA3, 783),
    (0x027BA9, 770),
    (0x438400, 763),
    (0x734BA9, 743),
    (0x00AF40, 729),
    (0x080740, 729),
    (0xCC0000, 724),
    (0x01D034, 721),
    (0x440740, 719),
    (0x032BE6, 714),
    (0x980000, 714),
    (0x02FD00, 708),
    (0xD32973, 698),
    (0xD5CD2E, 694),
    (0x28F3CF, 688),
    (0xD2EA75, 686),
    (0x01D025, 682),
    (0x00028E, 665),
    (0x410E10, 654),
    (0x973CE1, 647),
    (0xC39D00, 644),
    (0x6A5D21, 644),
    (0x025CF5, 631),
    (0xCAFCB2, 619),
    (0x080000, 618),
    (0xBF2CA5, 615),
    (0x3A6B25, 613),
    (0x69A974, 610),
    (0xCA5CF3, 607),
    (0x9EEA72, 607),
    (0x025C39, 603),
    (0xBE9D21, 601),
    (0x00F3C0, 589),
    (0xCB4CC0, 587),
    (0xEC32BD, 581),
    (0x0C0000, 579),
    (0x92EA62, 575),
    (0xB30B69, 574),
    (0xEC3000, 563),
    (0x840000, 562),
    (0xBA98BF, 561),
    (0x033A40, 557),
    (0x972D74, 556),
    (0xCF3840, 552),
    (0xBA59E4, 552),
    (0x96792E, 552),
    (0x9E4BA9, 552),
    (0x200000, 551),
    (0x026BC0, 546),
    (0xD6C876, 542),
    (0x410410, 538),
    (0xB6FCA6, 531),
    (0x8728C0, 526),
    (0xFEE967, 526),
    (0xD33974, 523),
    (0xA40000, 521),
    (0x026A40, 518),
    (0x000288, 515),
    (0x96C8A1, 515),
    (0x975B21, 514),
    (0xCE9A34, 513),
    (0x02EA40, 513),
    (0x00028F, 512),
    (0xD3FBA5, 504),
    (0xE74FEE, 502),
    (0x973D40, 501),
    (0x96D86E, 498),
    (0xFF9D3F, 494),
    (0xD008B5, 490),
    (0x88031E, 490),
    (0x9E1B26, 489),
    (0xBA9D5C, 488),
    (0x00A3CF, 487),
    (0xA75734, 487),
    (0x00A2BD, 487),
    (0x02EBE9, 486),
    (0x28AF40, 481),
    (0xCB5D21, 480),
    (0x00A302, 478),
    (0xFF4CA5, 477),
    (0xD2EA7F, 477),
    (0x874864, 476),
    (0x96DA74, 473),
    (0xD72D33, 473),
    (0x2BB01E, 469),
    (0xCF2870, 469),
    (0xCA5D29, 468),
    (0x96EA6C, 467),
    (0x480740, 467),
    (0x8F5CB4, 463),
    (0xD23D72, 463),
    (0xD21D33, 462),
    (0x972BE3, 459),
    (0x2BB009, 458),
    (0xD21966, 458),
    (0xBA6000, 452),
    (0x00A29B, 451),
    (0x28AF4A, 450),
    (0xD74865, 449),
    (0xA68D00, 448),
    (0xD7028C, 447),
    (0xA72964, 444),
    (0x92E840, 442),
    (0x024BA1, 442),
    (0x973CA1, 441),
    (0xEA9CF5, 440),
    (0xC0A6D2, 439),
    (0x400310, 436),
    (0xA62FC0, 434),
    (0x033A68, 433),
    (0x01E740, 433),
    (0xCA1C00, 430),
    (0xD2E96D, 428),
    (0xA34870, 428),
    (0xFE301A, 424),
    (0x29B249, 418),
    (0x240000, 414),
    (0x033840, 413),
    (0xA34A77, 412),
    (0x974E62, 412),
    (0xC34D28, 409),
    (0x29B248, 406),
    (0xFFF01A, 405),
    (0xBA9FE3, 401),
    (0xCE1000, 400),
    (0xE74022, 399),
    (0x6A5CAF, 397),
    (0xB21D80, 397),
    (0xE70BE3, 397),
    (0x96CA66, 397),
    (0x69A972, 392),
    (0xCF0D34, 392),
    (0x6B3C34, 391),
    (0x3DACF0, 391),
    (0x3CF6B3, 391),
    (0x025CB5, 390),
    (0x86C9A9, 388),
    (0xFE1B26, 386),
    (0xD2EBE3, 385),
    (0xC2DBE3, 384),
    (0xA23D21, 383),
    (0xD73972, 383),
    (0xD2CD73, 380),
    (0xB35CE5, 380),
    (0xD702BD, 379),
    (0x380000, 375),
    (0xA72D33, 374),
    (0xCC08B5, 371),
    (0x976A72, 371),
    (0xD7FFC0, 366),
    (0x96EBEC, 364),
    (0xD35B46, 363),
    (0x01D033, 363),
    (0xBAFB23, 363),
    (0x00A33D, 363),
    (0x973000, 362),
    (0xBE9D23, 358),
    (0x921972, 358),
    (0x9808B5, 358),
    (0xC65FF4, 356),
    (0x97FD32, 355),
    (0x96CC2D, 354),
    (0xEF5F07, 354),
    (0xD32BF0, 354),
    (0x04F3CA, 354),
    (0xDA9CA5, 354),
    (0x69ACA5, 354),
    (0x966873, 353),
    (0x07197F, 353),
    (0x201C65, 353),
    (0xBECB21, 352),
    (0xD25C80, 349),
    (0x0002A5, 349),
    (0x868D00, 348),
    (0xA7F8C0, 343),
    (0x8F486D, 341),
    (0x96E69A, 337),
    (0xD00000, 337),
    (0xCE786C, 336),
    (0xBE369A, 334),
    (0xD7C1C0, 334),
    (0x967CA1, 333),
    (0xBB2D74, 332),
    (0x8C0000, 332),
    (0xD40000, 331),
    (0xCB2940, 330),
    (0xCE5C80, 329),
    (0xCB4D21, 327),
    (0x034BA9, 327),
    (0xD74972, 325),
    (0xCB5D25, 325),
    (0xFF4967, 324),
    (0xCEEBE9, 322),
    (0xBE9D30, 322),
    (0xBA9CB4, 321),
    (0x9E68FB, 321),
    (0x96DBF3, 320),
    (0xE10200, 320),
    (0x326B25, 319),
    (0x2BD2BD, 317),
    (0xD62964, 317),
    (0x9F58A5, 317),
    (0x0003CF, 317),
    (0x8DA6B3, 316),
    (0xBA9B2E, 315),
    (0x9A3EC3, 315),
    (0xDE5B9A, 314),
    (0xBAFA73, 314),
    (0xB25CC6, 314),
    (0x740972, 313),
    (0x0348F5, 313),
    (0xA40D33, 312),
    (0x740D2E, 312),
    (0xD003CF, 311),
    (0x46200C, 309),
    (0x791880, 309),
    (0x225DA9, 307),
    (0xEA9B21, 305),
    (0x23796E, 305),
    (0xB72BE6, 304),
    (0x0013CF, 303),
    (0xA34025, 302),
    (0x47840C, 302),
    (0x9F2874, 301),
    (0xD259F2, 301),
    (0xA73D40, 300),
    (0xCF9CFF, 300),
    (0xD35C2E, 300),
    (0xD70BA9, 300),
    (0xD35B40, 299),
    (0xA6CBA9, 299),
    (0xA34033, 298),
    (0xCB0972, 297),
    (0xAEEA6C, 296),
    (0x3124F5, 296),
    (0x964EC3, 295),
    (0x964BE3, 293),
    (0xD21A34, 293),
    (0xD33D72, 293),
    (0x2BD28C, 293),
    (0x31E462, 292),
    (0x2279A3, 292),
    (0x0CAF49, 291),
    (0xC0AF49, 291),
    (0x400740, 290),
    (0x8403CF, 290),
    (0x034868, 289),
    (0xA34026, 289),
    (0xA74C2F, 287),
    (0xF4AF40, 287),
    (0xCE5D39, 286),
    (0xFE7BA9, 286),
    (0x00C9AC, 286),
    (0xD2FB80, 284),
    (0xD33022, 284),
    (0x8003CF, 283),
    (0xCA593B, 283),
    (0x97AA6C, 283),
    (0x4C0740, 282),
    (0xCB4CFF, 281),
    (0x92EA77, 281),
    (0x93B0CA, 281),
    (0xA33868, 281),
    (0xD29DC0, 279),
    (0x92C969, 279),
    (0xCA5A34, 278),
    (0xD32870, 277),
    (0xB21A74, 277),
    (0x00000F, 277),
    (0xBA6022, 276),
    (0x00C791, 276),
    (0xCC0D33, 276),
    (0x972968, 276),
    (0xA6C869, 275),
    (0x92ED6F, 274),
    (0x974BA9, 274),
    (0xB6DBE3, 274),
    (0x00AF49, 274),
    (0xB6F8CE, 273),
    (0xA3402E, 273),
    (0xBE4BA9, 271),
    (0xDEF92E, 270),
    (0xBF2C00, 270),
    (0x1C0000, 270),
    (0x86DCAF, 268),
    (0xFC0740, 268),
    (0x9EEBEC, 267),
    (0x964BA9, 267),
    (0xB22874, 267),
    (0xB6F8C0, 267),
    (0x2BB025, 266),
    (0x28C493, 266),
    (0xB6FCC0, 266),
    (0x963A6C, 265),
    (0x00C410, 265),
    (0xB40D25, 264),
    (0x266B25, 264),
    (0x974A72, 264),
    (0x28A6C9, 264),
    (0x29B493, 264),
    (0xB25A66, 262),
    (0xC2DA40, 262),
    (0x024974, 262),
    (0xCF7BE4, 261),
    (0xB35866, 261),
    (0xD2CD61, 261),
    (0xEC0682, 261),
    (0x034BA5, 259),
    (0x874CC0, 259),
    (0x00A307, 259),
    (0xF07000, 258),
    (0xD29CB7, 257),
    (0xBEC8C0, 257),
    (0x973188, 257),
    (0xD619A5, 257),
    (0x873BB5, 257),
    (0x9A1CEE, 257),
    (0x28C1FD, 257),
    (0xEC0248, 256),
    (0x866964, 255),
    (0x3EDBE3, 255),
    (0xBE300C, 254),
    (0xB65D33, 254),
    (0xBA9EC3, 254),
    (0xB2EA7B, 253),
    (0xB21A72, 253),
    (0xBF4BA9, 252),
    (0xD21CA5, 252),
    (0xD33E73, 252),
    (0x974CF9, 252),
    (0xD406A5, 251),
    (0xAE3BEC, 251),
    (0x00A325, 251),
    (0xA34A67, 250),
    (0xD68D29, 250),
    (0x8B5A34, 250),
    (0xA3400F, 249),
    (0x025880, 249),
    (0xA72973, 249),
    (0xE2592E, 249),
    (0x232C25, 249),
    (0xD299CF, 248),
    (0xE10000, 248),
    (0x869CA5, 247),
    (0xEC0000, 247),
    (0x9A9000, 247),
    (0xC25CBB, 246),
    (0x972EC3, 246),
    (0x225B6F, 246),
    (0xCE5C39, 245),
    (0x0259A1, 244),
    (0xC2F8C0, 244),
    (0xC21CB7, 244),
    (0x42200C, 244),
    (0x790880, 244),
    (0xA74CA1, 243),
    (0xC2DA4A, 243),
    (0xD6D034, 243),
    (0xCA5C35, 243),
    (0x970D73, 243),
    (0x3A2D68, 241),
    (0xCA4921, 241),
    (0xD35B4A, 240),
    (0x880000, 240),
    (0xB2C840, 240),
    (0x28C249, 239),
    (0xB2C863, 239),
    (0x9CF3DA, 238),
    (0xBE33A2, 237),
    (0xC80000, 237),
    (0x8CE8B5, 237),
    (0xFE369A, 237),
    (0xA673CF, 237),
    (0xCAF8DA, 236),
    (0x638400, 236),
    (0xCC0740, 235),
    (0x0CAF4A, 235),
    (0x0099AC, 234),
    (0x315315, 234),
    (0xD2396A, 234),
    (0xCBB0CA, 233),
    (0x452418, 233),
    (0xDEFB2C, 233),
    (0x968DC0, 232),
    (0xD6D280, 232),
    (0x451490, 232),
    (0x00A249, 232),
    (0xD2EA40, 231),
    (0x43BD7C, 231),
    (0x400000, 230),
    (0xFD1452, 229),
    (0x418B2E, 229),
    (0x49062C, 229),
    (0xAE3968, 229),
    (0x8E5A23, 229),
    (0x929B21, 228),
    (0xA6C876, 228),
    (0x025D21, 227),
    (0x31E422, 227),
    (0xBF297A, 226),
    (0xB25CC8, 226),
    (0x340266, 226),
    (0xBA5B65, 226),
    (0xCC0D35, 225),
    (0x8DA6A5, 224),
    (0xBF2980, 224),
    (0xD21B40, 224),
    (0xBA5AEF, 224),
    (0x973034, 223),
    (0x0C03CF, 222),
    (0xF65BA9, 222),
    (0x5B8400, 221),
    (0x940D33, 221),
    (0x96BBF4, 220),
    (0x2BD96E, 219),
    (0x9EEA73, 219),
    (0x976A74, 218),
    (0xBE6BA9, 218),
    (0xCEED40, 218),
    (0x54C54C, 218),
    (0x3CF28F, 218),
    (0xB65D29, 217),
    (0xC0A6D4, 216),
    (0x3CA3CF, 216),
    (0x874CFF, 216),
    (0xD21900, 215),
    (0x79D009, 214),
    (0xD009AF, 214),
    (0x578400, 214),
    (0x6B2970, 213),
    (0xC0A6D0, 213),
    (0xD21B72, 213),
    (0x5F8400, 212),
    (0xFEDBF2, 212),
    (0xCF2976, 212),
    (0x967BA1, 212),
    (0x00C248, 211),
    (0x00C790, 211),
    (0x01ACA5, 211),
    (0x02CC2D, 211),
    (0xBAFB80, 210),
    (0x872870, 210),
    (0x69ACE5, 209),
    (0xA23CA1, 209),
    (0x869D32, 208),
    (0xCA5D2E, 207),
    (0x8BF01A, 205),
    (0x8BF01D, 205),
    (0xD406B4, 205),
    (0x00A248, 205),
    (0xA73CA5, 204),
    (0x9EEA74, 204),
    (0xCE1A00, 204),
    (0xA74874, 203),
    (0x339C2F, 203),
    (0x310310, 203),
    (0xFF3DEF, 203),
    (0x00CE70, 202),
    (0x500740, 201),
];

/// Words of a set of [`COMMON`] windows.
const WORDS: usize = COMMON.len() / 64;

/// A set of [`COMMON`] windows, one bit each.
type GramSet = [u64; WORDS];

/// What the assignment knows about byte sets and common windows.
struct Model {
    /// Per-index byte weight (see [`weight`]).
    w: [f64; 64],
    /// `by_offset[j][index]`: the common windows with `index` at offset `j`.
    by_offset: Vec<[GramSet; 64]>,
    /// How much more often each common window occurs than its bytes'
    /// weights predict, in the units of [`Bucket::cost`].
    excess: Vec<f64>,
    /// Buckets are measured by what a nibble split of them passes (see
    /// [`nibble_closure`]).
    nibbles: bool,
}

impl Model {
    fn new(nibbles: bool) -> Model {
        let mut w = [0.0f64; 64];
        for (i, slot) in w.iter_mut().enumerate() {
            *slot = weight(i);
        }
        let mut by_offset = vec![[[0u64; WORDS]; 64]; 4];
        let mut excess = Vec::with_capacity(COMMON.len());
        for (c, &(packed, ppm)) in COMMON.iter().enumerate() {
            let mut predicted = 1.0;
            for (j, sets) in by_offset.iter_mut().enumerate() {
                let index = (packed >> (6 * j) & 63) as usize;
                sets[index][c / 64] |= 1 << (c % 64);
                predicted *= w[index];
            }
            // Weights are per mille per byte: a window's rate is their
            // product over 1e12; a frequency in ppm is 1e6 times that.
            excess.push((f64::from(ppm) * 1e6 - predicted).max(0.0));
        }
        Model {
            w,
            by_offset,
            excess,
            nibbles,
        }
    }

    /// The indexes that pass when a bucket holds `set` at an offset.
    fn passes(&self, set: u64) -> u64 {
        if self.nibbles {
            nibble_closure(set)
        } else {
            set
        }
    }

    /// The common windows whose byte at offset `j` is in `set`.
    fn passing(&self, j: usize, set: u64) -> GramSet {
        let mut out = [0u64; WORDS];
        let mut rest = set;
        while rest != 0 {
            let index = rest.trailing_zeros() as usize;
            for (o, g) in out.iter_mut().zip(&self.by_offset[j][index]) {
                *o |= g;
            }
            rest &= rest - 1;
        }
        out
    }
}

/// A bucket under construction: per offset, the set of six-bit indexes (a
/// 64-bit set), the summed weight of that set and the common windows whose
/// byte there is in it.
#[derive(Clone, Copy, Default)]
struct Bucket {
    sets: [u64; 4],
    weights: [f64; 4],
    common: [GramSet; 4],
}

impl Bucket {
    /// The bucket's pass rate (up to a constant) after adding `gram`.
    fn cost_with(&self, gram: &[u64; 4], m: &Model) -> f64 {
        let mut product = 1.0;
        let mut pass = [!0u64; WORDS];
        for (j, &g) in gram.iter().enumerate() {
            let new = m.passes(g | self.sets[j]) & !m.passes(self.sets[j]);
            product *= self.weights[j] + set_weight(new, &m.w);
            let more = m.passing(j, new);
            for ((p, c), g) in pass.iter_mut().zip(&self.common[j]).zip(&more) {
                *p &= c | g;
            }
        }
        product + excess(&pass, m)
    }

    fn add(&mut self, gram: &[u64; 4], m: &Model) {
        for (j, &g) in gram.iter().enumerate() {
            let new = m.passes(g | self.sets[j]) & !m.passes(self.sets[j]);
            self.weights[j] += set_weight(new, &m.w);
            self.sets[j] |= g;
            let more = m.passing(j, new);
            for (c, g) in self.common[j].iter_mut().zip(&more) {
                *c |= g;
            }
        }
    }

    fn cost(&self, m: &Model) -> f64 {
        let mut pass = [!0u64; WORDS];
        for common in &self.common {
            for (p, c) in pass.iter_mut().zip(common) {
                *p &= c;
            }
        }
        self.weights.iter().product::<f64>() + excess(&pass, m)
    }
}

/// The two 4-bit halves of a six-bit index the `avx2-nibble` kernel looks
/// up by: its low four bits and its top four (they share bits 2 and 3, which
/// makes the split pass fewer indexes than disjoint halves would).
#[inline(always)]
pub(crate) fn nibble_halves(index: usize) -> (usize, usize) {
    (index & 15, index >> 2 & 15)
}

/// The indexes a nibble split of `set` passes: those whose two halves
/// ([`nibble_halves`]) each occur in some index of `set`.
pub(crate) fn nibble_closure(set: u64) -> u64 {
    let (mut low, mut top) = (0u32, 0u32);
    let mut rest = set;
    while rest != 0 {
        let (l, t) = nibble_halves(rest.trailing_zeros() as usize);
        low |= 1 << l;
        top |= 1 << t;
        rest &= rest - 1;
    }
    (0..64).fold(0, |acc, index| {
        let (l, t) = nibble_halves(index);
        acc | u64::from(low >> l & top >> t & 1) << index
    })
}

/// The summed excess of the common windows in `pass`.
fn excess(pass: &GramSet, m: &Model) -> f64 {
    let mut sum = 0.0;
    for (k, &word) in pass.iter().enumerate() {
        let mut rest = word;
        while rest != 0 {
            sum += m.excess[k * 64 + rest.trailing_zeros() as usize];
            rest &= rest - 1;
        }
    }
    sum
}

fn set_weight(mut set: u64, w: &[f64; 64]) -> f64 {
    let mut sum = 0.0;
    while set != 0 {
        sum += w[set.trailing_zeros() as usize];
        set &= set - 1;
    }
    sum
}

/// Assigns each keyword prefix (up to four bytes) to one of [`GROUPS`]
/// groups' buckets and returns the lookup tables: `tables[g * 4 +
/// j][index]` has bit `b` set when bucket `g * 8 + b` holds `index` at
/// offset `j`.
pub(crate) fn build_tables(prefixes: &[&[u8]]) -> Vec<[u8; 64]> {
    build(prefixes, Model::new(false), GROUPS)
}

/// [`build_tables`] with the AVX-512 kernel's [`AVX512_GROUPS`] groups.
pub(crate) fn build_avx512_tables(prefixes: &[&[u8]]) -> Vec<[u8; 64]> {
    build(prefixes, Model::new(false), AVX512_GROUPS)
}

/// [`build_tables`] for a kernel that looks tables up by nibbles
/// (`avx2-nibble`): the assignment minimises what the nibble split passes. Slower to build
/// (about 100 ms for the built-in keywords), so only the build script uses
/// it.
#[cfg_attr(not(test), allow(dead_code))] // the library uses the build script's
pub(crate) fn build_nibble_tables(prefixes: &[&[u8]]) -> Vec<[u8; 64]> {
    build(prefixes, Model::new(true), GROUPS)
}

/// The tables of `groups` groups of buckets (see [`build_tables`]).
fn build(prefixes: &[&[u8]], m: Model, groups: usize) -> Vec<[u8; 64]> {
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
    // Costliest grams first (frequent bytes, wildcards), so they seed
    // buckets of their own and the rest fill in around them.
    let alone = |g: &[u64; 4]| Bucket::default().cost_with(g, &m);
    let mut by_cost: Vec<(f64, [u64; 4])> = grams.iter().map(|g| (alone(g), *g)).collect();
    by_cost.sort_by(|a, b| b.0.total_cmp(&a.0));
    let grams: Vec<[u64; 4]> = by_cost.into_iter().map(|(_, g)| g).collect();
    let mut buckets = vec![Bucket::default(); 8 * groups];
    let mut costs = vec![0.0f64; 8 * groups];
    let mut home = vec![0usize; grams.len()];
    for (gram, home) in grams.iter().zip(&mut home) {
        let mut best = (f64::INFINITY, 0);
        for (b, (bucket, cost)) in buckets.iter().zip(&costs).enumerate() {
            let delta = bucket.cost_with(gram, &m) - cost;
            if delta < best.0 {
                best = (delta, b);
            }
        }
        buckets[best.1].add(gram, &m);
        costs[best.1] = buckets[best.1].cost(&m);
        *home = best.1;
    }
    // Then one pass moving single grams to where they cost least: greedy
    // placement cannot see the buckets' final shape (7% fewer hints on
    // source text; a second pass gains almost nothing).
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); 8 * groups];
    for (i, &b) in home.iter().enumerate() {
        members[b].push(i);
    }
    for (i, gram) in grams.iter().enumerate() {
        let from = home[i];
        let mut without = Bucket::default();
        for &k in members[from].iter().filter(|&&k| k != i) {
            without.add(&grams[k], &m);
        }
        let mut best = (costs[from] - without.cost(&m), from);
        for (b, (bucket, cost)) in buckets.iter().zip(&costs).enumerate() {
            if b == from {
                continue;
            }
            let delta = bucket.cost_with(gram, &m) - cost;
            if delta < best.0 * 0.999 {
                best = (delta, b);
            }
        }
        if best.1 != from {
            buckets[from] = without;
            buckets[best.1].add(gram, &m);
            costs[from] = buckets[from].cost(&m);
            costs[best.1] = buckets[best.1].cost(&m);
            members[from].retain(|&k| k != i);
            members[best.1].push(i);
            home[i] = best.1;
        }
    }
    let mut tables = vec![[0u8; 64]; groups * 4];
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

/// True when `tables` pass the first four bytes of every prefix of 3+
/// bytes (a 3-byte prefix followed by any byte), so a keyword set may use
/// tables built for a larger set: more hints, never one lost (any number
/// of groups: four tables each).
pub(crate) fn covers(tables: &[[u8; 64]], prefixes: &[&[u8]]) -> bool {
    if tables.is_empty() || !tables.len().is_multiple_of(4) {
        return false;
    }
    prefixes.iter().filter(|p| p.len() >= 3).all(|p| {
        (0..tables.len() / 4).any(|g| {
            let mut buckets = 0xFFu8;
            for j in 0..4 {
                let table = &tables[g * 4 + j];
                buckets &= match p.get(j) {
                    Some(&b) => table[index6(b)],
                    None => table.iter().fold(0xFF, |acc, &t| acc & t),
                };
            }
            buckets != 0
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the window `packed` (see [`COMMON`]) passes some bucket.
    fn passes(tables: &[[u8; 64]], packed: u32) -> bool {
        (0..tables.len() / 4).any(|g| {
            (0..4).fold(0xFFu8, |acc, j| {
                acc & tables[g * 4 + j][(packed >> (6 * j) & 63) as usize]
            }) != 0
        })
    }

    fn builtin_prefixes() -> Vec<String> {
        let rules = crate::rules::RuleSet::builtin();
        let mut kws: Vec<String> = rules
            .iter()
            .flat_map(|r| r.spec.keywords.iter().map(|k| k.to_ascii_lowercase()))
            .collect();
        kws.sort();
        kws.dedup();
        kws
    }

    #[test]
    fn every_keyword_passes_its_bucket() {
        let kws = builtin_prefixes();
        let prefixes: Vec<&[u8]> = kws.iter().map(|k| k.as_bytes()).collect();
        for tables in [build_tables(&prefixes), build_avx512_tables(&prefixes)] {
            assert!(covers(&tables, &prefixes));
            for k in kws.iter().filter(|k| k.len() >= 4) {
                let packed = (0..4).fold(0u32, |acc, j| {
                    acc | (index6(k.as_bytes()[j]) as u32) << (6 * j)
                });
                assert!(passes(&tables, packed), "{k}");
            }
        }
    }

    /// What the `avx2-nibble` kernel looks up: each table split by nibbles, each
    /// index passing the buckets of both of its halves.
    fn nibble_split(tables: &[[u8; 64]]) -> Vec<[u8; 64]> {
        tables
            .iter()
            .map(|t| {
                let (mut low, mut top) = ([0u8; 16], [0u8; 16]);
                for (index, &buckets) in t.iter().enumerate() {
                    let (l, h) = nibble_halves(index);
                    low[l] |= buckets;
                    top[h] |= buckets;
                }
                std::array::from_fn(|index| {
                    let (l, h) = nibble_halves(index);
                    low[l] & top[h]
                })
            })
            .collect()
    }

    /// Frequency (ppm of windows) of the common windows `tables` pass.
    fn passed_ppm(tables: &[[u8; 64]]) -> u32 {
        COMMON
            .iter()
            .filter(|&&(packed, _)| passes(tables, packed))
            .map(|&(_, ppm)| ppm)
            .sum()
    }

    #[test]
    fn nibble_tables_pass_every_keyword_and_fewer_common_windows_when_split() {
        let kws = builtin_prefixes();
        let prefixes: Vec<&[u8]> = kws.iter().map(|k| k.as_bytes()).collect();
        let nibble = build_nibble_tables(&prefixes);
        assert!(covers(&nibble, &prefixes));
        let exact = build_tables(&prefixes);
        // What the `avx2-nibble` kernel passes with either set of tables: the nibble
        // tables were made for the split, so they pass far fewer.
        let (with_nibble, with_exact) = (
            passed_ppm(&nibble_split(&nibble)),
            passed_ppm(&nibble_split(&exact)),
        );
        assert!(
            with_nibble * 2 < with_exact,
            "{with_nibble} vs {with_exact} ppm"
        );
        // The split passes a superset of the exact lookup.
        for (n, (split, t)) in nibble_split(&nibble).iter().zip(&nibble).enumerate() {
            for index in 0..64 {
                assert_eq!(split[index] & t[index], t[index], "table {n} index {index}");
            }
        }
    }

    #[test]
    fn nibble_closure_is_the_product_of_the_halves() {
        // Indexes 0x21 and 0x13: low halves {1, 3}, top halves {8, 4}; of
        // the four combinations, 0x11 and 0x23 have top halves 4 and 8 too.
        let set = 1u64 << 0x21 | 1 << 0x13;
        let want = [0x11, 0x13, 0x21, 0x23]
            .iter()
            .fold(0u64, |a, &i| a | 1 << i);
        assert_eq!(nibble_closure(set), want);
        // 0x01 and 0x3C: no other index has a low half of one and a top
        // half of the other (the shared bits disagree), so the split passes
        // only the two; disjoint halves would pass 0x0C and 0x31 too.
        let set = 1u64 << 0x01 | 1 << 0x3C;
        assert_eq!(nibble_closure(set), set);
        assert_eq!(nibble_closure(!0), !0);
        assert_eq!(nibble_closure(0), 0);
    }

    #[test]
    fn common_windows_of_source_code_rarely_pass() {
        let kws = builtin_prefixes();
        let prefixes: Vec<&[u8]> = kws.iter().map(|k| k.as_bytes()).collect();
        let tables = build_tables(&prefixes);
        // Frequency (ppm of windows) of the common windows that pass:
        // clean text pays a keyword hint for each.
        let passed: u32 = COMMON
            .iter()
            .filter(|&&(packed, _)| passes(&tables, packed))
            .map(|&(_, ppm)| ppm)
            .sum();
        let total: u32 = COMMON.iter().map(|&(_, ppm)| ppm).sum();
        // 0.18% with the excess model, 1.04% from byte weights alone.
        assert!(passed * 200 < total, "{passed} of {total} ppm pass");
    }
}
