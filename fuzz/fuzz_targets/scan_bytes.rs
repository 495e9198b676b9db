//! Fuzz target: the scanner over arbitrary bytes.
//!
//! Checks, for every finding: the secret's span and the match span lie inside
//! the input and the match contains the secret; for findings in the raw input
//! (no decoder), `&input[span]` is the secret; the redacted form never equals
//! or contains a raw secret of 8 bytes or more; line and column agree with a
//! naive count of newlines; findings come in input order.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use keepmum::{Finding, Scanner};

fn scanner() -> &'static Scanner {
    static S: OnceLock<Scanner> = OnceLock::new();
    S.get_or_init(Scanner::new)
}

/// 1-based (line, column) of byte offset `at`, by counting.
fn naive_position(data: &[u8], at: usize) -> (usize, usize) {
    let before = &data[..at];
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    (line, at - line_start + 1)
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
}

fn check(data: &[u8], f: &Finding) {
    let span = f.span();
    let m = f.match_span();
    assert!(span.start < span.end, "empty span {span:?}");
    assert!(span.end <= data.len(), "span {span:?} outside input");
    assert!(m.end <= data.len(), "match {m:?} outside input");
    assert!(
        m.start <= span.start && span.end <= m.end,
        "{m:?} !⊇ {span:?}"
    );
    let raw = f.secret().expose();
    assert!(!raw.is_empty());
    if f.decoders().is_empty() {
        assert_eq!(&data[span.clone()], raw, "span does not hold the secret");
        assert_eq!(
            (f.line(), f.column()),
            naive_position(data, span.start),
            "start position"
        );
        let last = span.end - 1;
        let (l, c) = naive_position(data, last);
        assert_eq!((f.end_line(), f.end_column()), (l, c + 1), "end position");
    }
    let red = f.redacted();
    assert_eq!(format!("{}", f.secret()), red);
    if raw.len() >= 8 {
        assert_ne!(red.as_bytes(), raw, "redacted form equals the secret");
        assert!(
            !contains(red.as_bytes(), raw),
            "redacted form holds the secret"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let findings = scanner().scan_bytes(data);
    for f in &findings {
        check(data, f);
    }
    for w in findings.windows(2) {
        assert!(
            w[0].span().start <= w[1].span().start,
            "findings out of order"
        );
    }
});
