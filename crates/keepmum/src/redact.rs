//! Redaction: copy text with every secret and PII value replaced by
//! `[REDACTED:<rule-id>]`.
//!
//! [`redact_stream`] works in bounded memory. It keeps a window of at most
//! [`WINDOW`] + [`CARRY`] bytes, scans it, writes out the redacted text up
//! to a cut point and carries the rest over to the next window. The cut
//! point leaves at least [`CARRY`] bytes unwritten (on a line boundary when
//! there is one), and when a finding's match starts before it, the cut moves
//! past that finding's secret so the secret is written redacted, whole. So
//! any secret whose match is shorter than [`CARRY`] (64 KiB, far more than a
//! 4096-bit RSA private key in PEM, and the engine's own multi-line reach)
//! is seen whole by the scanner, wherever the input's read boundaries fall.
//! Text inside the carry is scanned twice, which costs a few percent.
//!
//! The output is the input byte for byte outside the redacted spans.
//! Overlapping findings are merged into one marker naming the first rule.

use std::io::{ErrorKind, Read, Write};

use crate::error::{Error, Result};
use crate::finding::Finding;
use crate::scanner::Scanner;

/// Bytes scanned per step, beyond the carry-over.
pub const WINDOW: usize = 1 << 20;

/// Bytes kept unwritten at the end of each window: the longest secret that
/// is guaranteed to be redacted whole across window boundaries.
pub const CARRY: usize = 64 << 10;

/// Copies `reader` to `writer`, replacing every finding's secret with
/// `[REDACTED:<rule-id>]`. Memory use is bounded by about
/// `WINDOW + CARRY` bytes whatever the input size.
///
/// ```
/// use keepmum::{redact::redact_stream, Scanner};
/// let input = format!("token={}\nok\n", ["ghp_", "A1b2C3d4E5f6", "G7h8I9j0K1l2", "M3n4O5p6Q7r8"].concat());
/// let mut out = Vec::new();
/// redact_stream(&Scanner::new(), input.as_bytes(), &mut out)?;
/// assert_eq!(String::from_utf8(out).unwrap(), "token=[REDACTED:github-pat]\nok\n");
/// # Ok::<(), keepmum::Error>(())
/// ```
///
/// # Errors
/// Fails when reading or writing fails.
pub fn redact_stream<R: Read, W: Write>(scanner: &Scanner, reader: R, writer: W) -> Result<()> {
    redact_stream_with(scanner, reader, writer, WINDOW, CARRY)
}

/// [`redact_stream`] with explicit window sizes (tests use small ones).
fn redact_stream_with<R: Read, W: Write>(
    scanner: &Scanner,
    mut reader: R,
    mut writer: W,
    window: usize,
    carry: usize,
) -> Result<()> {
    let target = window + carry;
    let mut buf: Vec<u8> = Vec::with_capacity(target.min(8 << 20));
    let mut eof = false;
    let mut block = vec![0u8; (64 << 10).min(target.max(1))];
    loop {
        // Fill the window.
        while !eof && buf.len() < target {
            let want = (target - buf.len()).min(block.len());
            match reader.read(&mut block[..want]) {
                Ok(0) => eof = true,
                Ok(n) => buf.extend_from_slice(&block[..n]),
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(Error::io(None, e)),
            }
        }
        let mut findings = scanner.scan_bytes(&buf);
        widen_keyword_values(scanner, &buf, &mut findings);
        let cut = if eof {
            buf.len()
        } else {
            cut_point(&buf, &findings, carry)
        };
        let (out, consumed) = redact_prefix(&buf, &findings, cut, DEFAULT_MASK);
        writer.write_all(&out).map_err(|e| Error::io(None, e))?;
        buf.drain(..consumed);
        if eof {
            break;
        }
    }
    writer.flush().map_err(|e| Error::io(None, e))?;
    Ok(())
}

/// Widens the findings of keyword-assignment rules (detect-secrets type
/// `Secret Keyword`) to the whole value detect-secrets would take on their
/// line, so an unquoted password with a space in it leaves nothing in the
/// clear although keepmum's finding stops at the space.
fn widen_keyword_values(scanner: &Scanner, buf: &[u8], findings: &mut [Finding]) {
    for f in findings {
        let keyword = scanner
            .rules()
            .get(f.rule_id())
            .and_then(|r| r.detect_secrets_type())
            == Some("Secret Keyword");
        if !keyword || !f.decoders().is_empty() || f.span.start >= buf.len() {
            continue;
        }
        let start = memchr::memrchr(b'\n', &buf[..f.span.start]).map_or(0, |i| i + 1);
        let end =
            memchr::memchr(b'\n', &buf[f.span.start..]).map_or(buf.len(), |i| f.span.start + i);
        let line = &buf[start..end];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if let Some(r) = crate::baseline::dskeyword::widest_value_at(line, f.span.start - start) {
            f.span = (start + r.start).min(f.span.start)..(start + r.end).max(f.span.end);
        }
    }
}

/// Where to cut a full window: keep at least `carry` bytes, prefer a line
/// boundary, and never split a finding: when a finding's match starts
/// before the cut, the cut moves past its secret (which is redacted whole).
fn cut_point(buf: &[u8], findings: &[Finding], carry: usize) -> usize {
    let limit = buf.len().saturating_sub(carry);
    let mut cut = match memchr::memrchr(b'\n', &buf[..limit]) {
        Some(i) => i + 1,
        None => limit,
    };
    // Findings are in input order but may overlap; iterate to a fixed point.
    loop {
        let mut moved = false;
        for f in findings {
            // A finding whose match (context included) starts before the
            // cut must be written whole now: once its context is written,
            // the rest could no longer be recognised.
            let s = f.span();
            if f.match_span().start.min(s.start) < cut && s.end > cut {
                cut = s.end;
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    // Always make progress (cannot be 0 for a full window; kept for safety).
    cut.max(1).min(buf.len())
}

/// The replacement [`redact_bytes`] and [`redact_stream`] write.
pub const DEFAULT_MASK: &str = "[REDACTED:{rule_id}]";

/// Writes `mask` with each `{rule_id}` replaced by `rule_id`.
fn push_mask(out: &mut Vec<u8>, mask: &str, rule_id: &str) {
    let mut parts = mask.split("{rule_id}");
    if let Some(first) = parts.next() {
        out.extend_from_slice(first.as_bytes());
    }
    for part in parts {
        out.extend_from_slice(rule_id.as_bytes());
        out.extend_from_slice(part.as_bytes());
    }
}

/// Redacts `buf[..cut]`: findings whose span starts before `cut` are
/// replaced whole by `mask`. Returns the output and how many input bytes it
/// covers (`cut`, or more if a finding crossed it, which [`cut_point`]
/// prevents).
fn redact_prefix(buf: &[u8], findings: &[Finding], cut: usize, mask: &str) -> (Vec<u8>, usize) {
    let mut spans: Vec<(usize, usize, &str)> = findings
        .iter()
        .map(|f| (f.span().start, f.span().end, f.rule_id()))
        .filter(|&(s, e, _)| s < cut && s < e)
        .collect();
    spans.sort_by_key(|&(s, e, _)| (s, std::cmp::Reverse(e)));
    let mut out = Vec::with_capacity(cut);
    let mut pos = 0;
    let mut i = 0;
    while i < spans.len() {
        let (start, mut end, id) = spans[i];
        i += 1;
        while i < spans.len() && spans[i].0 < end {
            end = end.max(spans[i].1);
            i += 1;
        }
        let start = start.max(pos);
        let end = end.min(buf.len());
        out.extend_from_slice(&buf[pos..start]);
        push_mask(&mut out, mask, id);
        pos = end;
    }
    if pos < cut {
        out.extend_from_slice(&buf[pos..cut]);
    }
    (out, pos.max(cut))
}

/// Returns `input` with every finding's secret replaced by
/// `[REDACTED:<rule-id>]`.
///
/// ```
/// use keepmum::{redact::redact_bytes, Scanner};
/// let out = redact_bytes(&Scanner::new(), b"nothing to hide\n");
/// assert_eq!(out, b"nothing to hide\n");
/// ```
pub fn redact_bytes(scanner: &Scanner, input: &[u8]) -> Vec<u8> {
    redact_bytes_with(scanner, input, DEFAULT_MASK)
}

/// [`redact_bytes`] with a chosen replacement: every `{rule_id}` in `mask`
/// is replaced by the rule id (the first rule's, where findings overlap and
/// are merged into one replacement). The Python package's `redact(mask=…)`
/// is this function.
///
/// ```
/// use keepmum::{redact::redact_bytes_with, Scanner};
/// let input = format!("token={}\n", ["ghp_", "A1b2C3d4E5f6", "G7h8I9j0K1l2", "M3n4O5p6Q7r8"].concat());
/// let out = redact_bytes_with(&Scanner::new(), input.as_bytes(), "<{rule_id}>");
/// assert_eq!(out, b"token=<github-pat>\n");
/// assert_eq!(redact_bytes_with(&Scanner::new(), input.as_bytes(), "***"), b"token=***\n");
/// ```
pub fn redact_bytes_with(scanner: &Scanner, input: &[u8], mask: &str) -> Vec<u8> {
    let mut findings = scanner.scan_bytes(input);
    widen_keyword_values(scanner, input, &mut findings);
    redact_prefix(input, &findings, input.len(), mask).0
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    use crate::RuleSet;

    /// Test rules that do not depend on the built-in set: a token and a
    /// multi-line key block.
    const RULES: &str = r#"
[[rule]]
id = "test-token"
description = "test token"
regex = '''\b(ghp_[A-Za-z0-9]{36})\b'''
keywords = ["ghp_"]

[[rule]]
id = "test-key"
description = "test key block"
multiline = true
regex = '''-----BEGIN TEST KEY-----\n([A-Za-z0-9+/=\n]{20,8000}?)-----END TEST KEY-----'''
keywords = ["-----BEGIN TEST KEY"]
"#;

    fn scanner() -> Scanner {
        let rules = RuleSet::from_toml(RULES).unwrap();
        Scanner::builder().rules(rules).build().unwrap()
    }

    fn tok() -> String {
        ["ghp_", "A1b2C3d4E5f6", "G7h8I9j0K1l2", "M3n4O5p6Q7r8"].concat()
    }

    fn pem() -> String {
        let mut body = String::new();
        for i in 0..20 {
            body.push_str(&format!(
                "MIIEpAIBAAKCAQEA{:02}{}{}{}\n",
                i, "x1y2z3A4B5C6D7", "E8F9G0H1I2J3K4", "L5M6N7O8P9Q0R1S2"
            ));
        }
        format!("-----BEGIN TEST KEY-----\n{body}-----END TEST KEY-----\n")
    }

    fn stream(input: &[u8], window: usize, carry: usize) -> Vec<u8> {
        let mut out = Vec::new();
        redact_stream_with(&scanner(), input, &mut out, window, carry).unwrap();
        out
    }

    #[test]
    fn bytes_and_stream_agree_on_small_input() {
        let input = format!("a = 1\ntoken = \"{}\"\nb = 2\n", tok());
        let want = "a = 1\ntoken = \"[REDACTED:test-token]\"\nb = 2\n";
        assert_eq!(
            String::from_utf8(redact_bytes(&scanner(), input.as_bytes())).unwrap(),
            want
        );
        let mut out = Vec::new();
        redact_stream(&scanner(), input.as_bytes(), &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), want);
    }

    #[test]
    fn secrets_across_window_boundaries_never_leak() {
        // Many tokens and a private key, with tiny windows so boundaries fall
        // everywhere, including inside tokens and lines.
        let mut input = String::new();
        for i in 0..40 {
            input.push_str(&format!("line {i} x{} k={}\n", "y".repeat(i % 7), tok()));
            if i == 20 {
                input.push_str(&pem());
            }
        }
        let whole = redact_bytes(&scanner(), input.as_bytes());
        assert!(!String::from_utf8_lossy(&whole).contains("A1b2C3d4"));
        assert!(!String::from_utf8_lossy(&whole).contains("MIIEpAIBAAKCAQEA05"));
        for window in [1, 7, 100, 512] {
            let out = stream(input.as_bytes(), window, 2048);
            let text = String::from_utf8(out).unwrap();
            assert!(!text.contains("A1b2C3d4"), "window {window}");
            assert!(!text.contains("MIIEpAIBAAKCAQEA"), "window {window}");
            assert_eq!(text.as_bytes(), &whole[..], "window {window}");
        }
    }

    #[test]
    fn masks_name_the_rule_wherever_asked() {
        let input = format!("a {} b {}\n", tok(), tok());
        let with = |mask: &str| {
            String::from_utf8(redact_bytes_with(&scanner(), input.as_bytes(), mask)).unwrap()
        };
        assert_eq!(with("#"), "a # b #\n");
        assert_eq!(
            with("<{rule_id}|{rule_id}>"),
            "a <test-token|test-token> b <test-token|test-token>\n"
        );
        assert_eq!(with(""), "a  b \n");
        assert_eq!(
            with(DEFAULT_MASK).as_bytes(),
            &redact_bytes(&scanner(), input.as_bytes())[..]
        );
    }

    #[test]
    fn clean_input_is_copied_exactly() {
        let input: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        assert_eq!(stream(&input, 100, 50), input);
        assert_eq!(stream(b"", 100, 50), b"");
        let text = "no newline at the end";
        assert_eq!(stream(text.as_bytes(), 3, 2), text.as_bytes());
    }

    #[test]
    fn reader_errors_are_reported() {
        struct Bad;
        impl Read for Bad {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("boom"))
            }
        }
        let mut out = Vec::new();
        assert!(redact_stream(&scanner(), Bad, &mut out).is_err());
    }

    proptest::proptest! {
        // Each case streams with a tiny window (many scans); keep it cheap.
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(32))]
        #[test]
        fn stream_matches_bytes_for_any_chunking(
            pre in "[a-z =\n]{0,80}",
            post in "[a-z =\n]{0,80}",
            window in 4usize..200,
        ) {
            let input = format!("{pre}key {}\n{post}", tok());
            let whole = redact_bytes(&scanner(), input.as_bytes());
            let out = stream(input.as_bytes(), window, 256);
            proptest::prop_assert_eq!(&out, &whole);
            proptest::prop_assert!(!String::from_utf8_lossy(&out).contains("A1b2C3d4"));
        }
    }
}
