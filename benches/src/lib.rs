//! Inputs for keepmum's criterion benchmarks (`benches/scan.rs`): sizes,
//! quick mode, and the pathological buffers. The benchmarks themselves live
//! in `benches/benches/scan.rs`; run them with `cargo bench -p keepmum-benches`.

#![cfg_attr(test, allow(clippy::unwrap_used))]

use keepmum_corpus::source_text;

/// Environment variable that selects small inputs and short measurements.
pub const QUICK_ENV: &str = "KEEPMUM_BENCH_QUICK";

/// Input sizes for one run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sizes {
    /// Bytes of source-like text for `scan_bytes`.
    pub text: usize,
    /// Bytes of each pathological input.
    pub pathological: usize,
    /// Lines of `a=` input.
    pub assignments: usize,
    /// Bytes of the generated tree for whole-tree scans.
    pub tree: u64,
}

impl Sizes {
    /// Full-size inputs: 8 MiB text, 10 MiB pathological inputs, a million
    /// `a=` lines, a 50 MiB tree.
    pub const FULL: Sizes = Sizes {
        text: 8 << 20,
        pathological: 10 << 20,
        assignments: 1_000_000,
        tree: 50 << 20,
    };
    /// Quick-mode inputs (CI): small enough to run in seconds even unoptimized.
    pub const QUICK: Sizes = Sizes {
        text: 1 << 20,
        pathological: 1 << 20,
        assignments: 100_000,
        tree: 4 << 20,
    };
}

/// True when the benches should run in quick mode: `KEEPMUM_BENCH_QUICK`
/// is set to anything but `0`/empty, or the binary runs as a test (`--test`,
/// or without `--bench`, as under `cargo test --benches`).
pub fn quick_mode(args: &[String], env: Option<&str>) -> bool {
    let env_on = env.is_some_and(|v| !v.is_empty() && v != "0");
    let as_test = args.iter().any(|a| a == "--test") || !args.iter().any(|a| a == "--bench");
    env_on || as_test
}

/// Criterion options that take a value (so the value is not a filter).
const VALUE_OPTIONS: &[&str] = &[
    "--save-baseline",
    "--baseline",
    "--baseline-lenient",
    "--load-baseline",
    "--sample-size",
    "--warm-up-time",
    "--measurement-time",
    "--nresamples",
    "--noise-threshold",
    "--confidence-level",
    "--significance-level",
    "--profile-time",
    "--output-format",
    "--color",
    "--plotting-backend",
    "--format",
];

/// Whether a benchmark called `id` may be selected by the command line's
/// filters (criterion takes them as regexes; this is a conservative substring
/// check used only to skip expensive setup, like generating a tree).
pub fn may_run(args: &[String], id: &str) -> bool {
    let mut filters = Vec::new();
    let mut skip = false;
    for a in args.iter().skip(1) {
        if skip {
            skip = false;
            continue;
        }
        if a.starts_with('-') {
            skip = VALUE_OPTIONS.contains(&a.as_str());
            continue;
        }
        filters.push(a.as_str());
    }
    filters.is_empty()
        || filters
            .iter()
            .any(|f| id.contains(f) || f.contains(|c: char| "^$.*+?()[]{}|\\".contains(c)))
}

/// One line of `len` bytes: source-like text with its newlines turned into
/// spaces (think minified JavaScript).
pub fn single_line(seed: u64, len: usize) -> Vec<u8> {
    let mut t = source_text(seed, len);
    for b in &mut t {
        if *b == b'\n' {
            *b = b' ';
        }
    }
    t
}

/// `n` lines of `a=`.
pub fn assignments(n: usize) -> Vec<u8> {
    b"a=\n".repeat(n)
}

/// About `len` bytes of pseudo-random digits in 4 KiB lines.
pub fn digit_runs(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed | 1;
    let mut out = Vec::with_capacity(len + 1);
    while out.len() < len {
        if out.len() % 4097 == 4096 {
            out.push(b'\n');
            continue;
        }
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.push(b'0' + (x % 10) as u8);
    }
    out
}

/// Names of the adversarial shapes [`adversarial`] makes, in the order the
/// benchmarks run them.
pub const ADVERSARIAL: &[&str] = &[
    "kw-line",
    "kw-lines",
    "kw-quote-line",
    "token-line",
    "token-lines",
    "apikey-line",
    "secret-lines",
    "bearer-line",
    "akia-line",
    "ghp-line",
    "url-creds-line",
    "url-creds-lines",
    "jwt-line",
    "at-dense",
    "email-line",
    "digit-runs",
    "pem-headers",
    "pem-short-lines",
    "pem-begin-line",
    "basic-lines",
    "url-userinfo-line",
    "jwt-dots-line",
    "base64-lines",
    "hex-line",
    "pct-line",
    "uescape-line",
    "huge-line",
    "secret-yaml-lines",
    "bearer-lines",
    "key-b64-lines",
    "card-seps-line",
    "iban-line",
    "email-dot-line",
    "pct-value-lines",
    "apikey-value-lines",
    "basic-value-lines",
    "jwt-header-line",
    "basic-line",
    "token-crlf-lines",
];

/// The adversarial shapes of `benches/real.sh`, each `len` bytes: inputs
/// an attacker (or a bad file) can feed a hook to make every byte costly.
/// `None` for an unknown name.
pub fn adversarial(name: &str, len: usize) -> Option<Vec<u8>> {
    let unit: &[u8] = match name {
        // A keyword every 9 bytes, on one line.
        "kw-line" => b"password=",
        // A keyword and an assignment on every short line.
        "kw-lines" => b"password=x\n",
        // Quoted values that never close, on one line.
        "kw-quote-line" => b"password=\"",
        // A short value after a common keyword, every 7 bytes: one match each.
        "token-line" => b"token: ",
        // JSON-ish token assignments, one per line, each line different.
        "token-lines" => return Some(numbered_lines(b"\"access_token\": \"tok", b"\",", len)),
        "apikey-line" => b"apikey=",
        // A secret assignment per line, each with a different value.
        "secret-lines" => return Some(numbered_lines(b"client_secret = Zq8Lw2Nx", b"", len)),
        "bearer-line" => b"Bearer ",
        // Provider prefixes back to back: each is also the next one's token.
        "akia-line" => b"AKIA",
        "ghp-line" => b"ghp_",
        // The opening of a URL with credentials, over and over.
        "url-creds-line" => b"://user:",
        "url-creds-lines" => b"https://user:pass@host.invalid/\n",
        "jwt-line" => b"eyJ",
        // An `@` every other byte, in lines of 80 (email and URL passes).
        "at-dense" => return Some(lines_of(b"a@", 80, len)),
        // Addresses back to back.
        "email-line" => b"x@y.io ",
        // 4 KiB lines of digits (card, phone and IBAN passes).
        "digit-runs" => return Some(digit_runs(4, len)),
        // The same PEM header over and over, never closed.
        "pem-headers" => b"-----BEGIN RSA PRIVATE KEY-----\n",
        "pem-begin-line" => b"-----BEGIN ",
        // The shortest PEM header lines, each opening a block never closed.
        "pem-short-lines" => b"-----BEGIN A-----\n",
        // HTTP basic credentials on every line (a base64 `user:password`).
        "basic-lines" => b"Authorization: Basic dXNlcjpwYXNzd29yZA==\n",
        // `scheme://user:password@` back to back on one line, no host.
        "url-userinfo-line" => b"https://u:p@",
        // JWT-like dotted `eyJ` segments back to back.
        "jwt-dots-line" => b"eyJhbGciOi.eyJzdWIiOi.",
        // A base64 body in 76-byte lines, as in PEM and MIME.
        "base64-lines" => return Some(lines_of(b"Zk9qR2x4TmVwQ3BhN0dXcz+/", 76, len)),
        // One long run of hex digits.
        "hex-line" => b"0123456789abcdef",
        // Percent and `\u` escapes back to back (the decoders' passes).
        "pct-line" => b"%41",
        "uescape-line" => b"\\u0041",
        // One line of token bytes: a single token run the size of the input.
        "huge-line" => b"Zk9qR2x4TmVwQ3BhN0dXcz+/",
        // YAML `secret:` lines, each value different.
        "secret-yaml-lines" => return Some(numbered_lines(b"  secret: Zq8Lw2Nx", b"", len)),
        // HTTP bearer tokens on every line, each different.
        "bearer-lines" => {
            return Some(numbered_lines(
                b"Authorization: Bearer Zq8Lw2Nx5Rt7",
                b"",
                len,
            ))
        }
        // A 2 KiB base64 blob after `key=` on every line (values past the
        // generic rules' 512-byte bound).
        "key-b64-lines" => {
            let blob = lines_of(b"Zk9qR2x4TmVwQ3BhN0dXcz+/", 2048, 2048);
            let mut line = b"api_key=".to_vec();
            line.extend_from_slice(&blob);
            line.push(b'\n');
            return Some(line.iter().copied().cycle().take(len).collect());
        }
        // Card-number digit groups with separators, back to back.
        "card-seps-line" => b"4111 1111 1111 1111 5500-0000-0000-0004 ",
        // Addresses ending sentences, back to back (the full stop after
        // the domain).
        "email-dot-line" => b"x@y.io. ",
        // IBAN-shaped groups back to back.
        "iban-line" => b"GB82 WEST 1234 5698 7654 32 DE89 3704 0044 0532 0130 00 ",
        // Percent-escaped password values, one per line, each different
        // (the escape decoder's text scanned again).
        "pct-value-lines" => {
            return Some(numbered_lines(
                b"password=%41%42%43%44%45%46%47%48",
                b"",
                len,
            ))
        }
        // A generic API key per line, each different and reported, each
        // also a token run the high-entropy checks judge (the value is
        // put together here so this file holds no whole key).
        "apikey-value-lines" => {
            let head = [b"api_key = Zq8Lw2Nx".as_slice(), b"5Rt7Vy3P"].concat();
            return Some(numbered_lines(&head, b"", len));
        }
        // HTTP basic credentials, each line a different base64 value.
        "basic-value-lines" => {
            return Some(numbered_lines(
                b"Authorization: Basic dXNlcjpwYXNzd29yZ",
                b"A==",
                len,
            ))
        }
        // A whole JWT header and its dot, back to back on one line.
        "jwt-header-line" => b"eyJhbGciOiJIUzI1NiJ9.",
        // `Basic ` headers with no value, back to back on one line.
        "basic-line" => b"Authorization: Basic ",
        // JSON-ish token assignments ending in CRLF, each line different.
        "token-crlf-lines" => {
            return Some(numbered_lines(b"\"access_token\": \"tok", b"\",\r", len))
        }
        _ => return None,
    };
    Some(unit.iter().copied().cycle().take(len).collect())
}

/// Lines `head`, a line number, `tail`, `len` bytes in all: each line a
/// little different, so no two lines are the same.
fn numbered_lines(head: &[u8], tail: &[u8], len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 64);
    let mut n = 0u64;
    while out.len() < len {
        out.extend_from_slice(head);
        out.extend_from_slice(n.to_string().as_bytes());
        out.extend_from_slice(tail);
        out.push(b'\n');
        n += 1;
    }
    out.truncate(len);
    out
}

/// `unit` repeated in lines of `width` bytes, `len` bytes in all.
fn lines_of(unit: &[u8], width: usize, len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        if out.len() % (width + 1) == width {
            out.push(b'\n');
        } else {
            out.push(unit[out.len() % (width + 1) % unit.len()]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn quick_mode_detection() {
        assert!(!quick_mode(&s(&["--bench"]), None));
        assert!(!quick_mode(&s(&["--bench"]), Some("0")));
        assert!(quick_mode(&s(&["--bench"]), Some("1")));
        assert!(quick_mode(&s(&["--bench", "--test"]), None));
        assert!(quick_mode(&s(&[]), None));
    }

    #[test]
    fn filters_select_benchmarks() {
        assert!(may_run(&s(&["bin", "--bench"]), "tree/threads/1"));
        assert!(may_run(&s(&["bin", "--bench", "tree"]), "tree/threads/1"));
        assert!(!may_run(
            &s(&["bin", "--bench", "scan_bytes"]),
            "tree/threads/1"
        ));
        assert!(may_run(
            &s(&["bin", "--bench", "--sample-size", "10"]),
            "tree/threads/1"
        ));
        assert!(may_run(&s(&["bin", "--bench", "tree.*"]), "tree/threads/1"));
    }

    #[test]
    fn pathological_inputs_have_the_right_shape() {
        let l = single_line(1, 100_000);
        assert_eq!(l.len(), 100_000);
        assert!(!l.contains(&b'\n'));
        assert_eq!(assignments(10), b"a=\n".repeat(10));
        let d = digit_runs(1, 10_000);
        assert_eq!(d.len(), 10_000);
        assert!(d.iter().all(|b| b.is_ascii_digit() || *b == b'\n'));
        assert_eq!(d.iter().filter(|b| **b == b'\n').count(), 2);
        for name in ADVERSARIAL {
            let a = adversarial(name, 10_000);
            assert_eq!(a.map(|a| a.len()), Some(10_000), "{name}");
        }
        assert_eq!(adversarial("no-such-shape", 10), None);
    }
}
