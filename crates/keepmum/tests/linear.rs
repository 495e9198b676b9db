//! Linear-time evidence without timing: for pathological inputs, the work the
//! scanner does (candidate windows and the bytes regexes search, from the
//! hidden `Scanner::work_units`) at size 2n is at most about twice the work at
//! size n, and stays within a constant factor of the input size. Each input
//! is also scanned for real, to show the scan completes.
//!
//! Run with `--nocapture` to print the figures.

use keepmum::Scanner;

/// Allowed growth of work when the input doubles (2.0 is exactly linear;
/// the margin covers boundary effects).
const MAX_DOUBLING_RATIO: f64 = 2.25;
/// Work may not exceed this many window bytes per input byte.
const MAX_BYTES_PER_INPUT_BYTE: f64 = 64.0;

fn scanner() -> &'static Scanner {
    static S: std::sync::OnceLock<Scanner> = std::sync::OnceLock::new();
    S.get_or_init(Scanner::new)
}

/// Repeats `unit` until the result is at least `len` bytes.
fn fill(unit: &str, len: usize) -> Vec<u8> {
    let mut v = Vec::with_capacity(len + unit.len());
    while v.len() < len {
        v.extend_from_slice(unit.as_bytes());
    }
    v
}

/// A deterministic pseudo-random base64-alphabet run (no delimiters).
fn token_run(len: usize) -> Vec<u8> {
    const ALPHA: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            ALPHA[(x % 64) as usize]
        })
        .collect()
}

fn base64(data: &[u8]) -> Vec<u8> {
    const ALPHA: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::with_capacity(data.len() / 3 * 4 + 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHA[((n >> (18 - 6 * i)) & 63) as usize]);
            } else {
                out.push(b'=');
            }
        }
    }
    out
}

/// Base64 nested `depth` times around a synthetic token line, repeated to
/// about `len` bytes.
fn nested_base64(len: usize) -> Vec<u8> {
    let mut inner = format!(
        "token = \"ghp_{}\"\n",
        "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
    )
    .into_bytes();
    for _ in 0..6 {
        inner = base64(&inner);
    }
    inner.push(b'\n');
    let mut out = Vec::with_capacity(len + inner.len());
    while out.len() < len {
        out.extend_from_slice(&inner);
    }
    out
}

/// Checks linear growth for `make(n)` against `make(2n)` and scans `make(n)`.
fn assert_linear(name: &str, n: usize, make: impl Fn(usize) -> Vec<u8>) {
    let s = scanner();
    let small = make(n);
    let large = make(2 * n);
    let (c1, b1) = s.work_units(&small);
    let (c2, b2) = s.work_units(&large);
    let ratio_c = (c2 as f64 + 1.0) / (c1 as f64 + 1.0);
    let ratio_b = (b2 as f64 + 1.0) / (b1 as f64 + 1.0);
    let per_byte = b2 as f64 / large.len() as f64;
    eprintln!(
        "{name}: {} B -> {c1} windows / {b1} B; {} B -> {c2} windows / {b2} B; \
         ratios {ratio_c:.3} / {ratio_b:.3}; {per_byte:.2} window B per input B",
        small.len(),
        large.len()
    );
    let size_ratio = large.len() as f64 / small.len() as f64;
    assert!(
        ratio_c <= MAX_DOUBLING_RATIO * size_ratio / 2.0,
        "{name}: candidate windows grew {ratio_c:.3}x for {size_ratio:.3}x input"
    );
    assert!(
        ratio_b <= MAX_DOUBLING_RATIO * size_ratio / 2.0,
        "{name}: window bytes grew {ratio_b:.3}x for {size_ratio:.3}x input"
    );
    assert!(
        per_byte <= MAX_BYTES_PER_INPUT_BYTE,
        "{name}: {per_byte:.2} window bytes per input byte"
    );
    // The scan itself completes (and its result is sane). Tests run
    // unoptimised, so the real scan uses a smaller instance of the family.
    let sample = make(n.min(SCAN_SAMPLE));
    let findings = s.scan_bytes(&sample);
    assert!(findings.iter().all(|f| f.span().end <= sample.len()));
}

const MB: usize = 1 << 20;
/// Size of the input actually scanned per family (debug builds are slow).
const SCAN_SAMPLE: usize = 16 << 10;

#[test]
fn one_long_line_of_assignments() {
    // A single 5 MB line vs a single 10 MB line, dense with keyword hits.
    assert_linear("single line password=", 5 * MB, |n| {
        fill("password=Zq8vK2mX9pL4 ", n)
    });
}

#[test]
fn one_long_line_without_hits() {
    assert_linear("single line of x", 5 * MB, |n| vec![b'x'; n]);
}

#[test]
fn a_million_short_assignments() {
    // ~1M and ~2M `a=` assignments, on one line and one per line.
    assert_linear("a= one line", 2 * MB, |n| fill("a=", n));
    assert_linear("a= lines", 3 * MB, |n| fill("a=\n", n));
    assert_linear("password= lines", 4 * MB, |n| fill("password=\n", n));
    assert_linear("api_key = value lines", 4 * MB, |n| {
        fill("api_key = \"v4lu3Zq8vK2mX9pL\"\n", n)
    });
}

#[test]
fn many_keyword_anchors() {
    assert_linear("ghp_ prefixes", 2 * MB, |n| fill("ghp_", n));
    assert_linear("ghp_ tokens", 2 * MB, |n| {
        fill(
            &format!("ghp_{} ", "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"),
            n,
        )
    });
}

#[test]
fn nested_base64_and_token_runs() {
    assert_linear("nested base64", 2 * MB, nested_base64);
    assert_linear("one token run", 4 * MB, token_run);
}

#[test]
fn digit_runs() {
    assert_linear("digit run", 4 * MB, |n| vec![b'7'; n]);
    assert_linear("card-like groups", 2 * MB, |n| {
        fill("4111 1111 1111 1111 ", n)
    });
}

/// Runs of `@` once made the token-run examination walk to the end of the
/// input from every chunk (quadratic); it now looks only inside the 12
/// bytes the SWAR test approved.
#[test]
fn at_signs() {
    assert_linear("@ run", 4 * MB, |n| vec![b'@'; n]);
    assert_linear("emails", 2 * MB, |n| fill("a@b.co ", n));
}

/// Keyword hits closer together than a window's reach: a rule's windows on
/// the line merge into one once it passes its gate, so its regex searches
/// each byte about once, not once per overlapping window (`password=` on
/// one line cost 5 window bytes per input byte, and the captures redone in
/// each overlapping window made it the slowest input there was). A
/// multi-line rule whose gate fails still searches each of its windows,
/// which overlap by half.
#[test]
fn dense_keywords_on_one_line_are_searched_about_once_per_rule() {
    let s = scanner();
    for (unit, most) in [
        ("password=", 1.5),
        ("secret=", 1.5),
        ("-----BEGIN RSA PRIVATE KEY-----", 4.0),
    ] {
        let hay = fill(unit, MB);
        let (windows, bytes) = s.work_units(&hay);
        let per_byte = bytes as f64 / hay.len() as f64;
        eprintln!("{unit}: {windows} windows, {per_byte:.2} window B per input B");
        assert!(
            per_byte <= most,
            "{unit}: {per_byte:.2} window bytes per input byte"
        );
    }
}
