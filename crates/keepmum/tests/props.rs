//! Property tests of the scanner's invariants (proptest): buffer and file
//! scans agree, line/column mapping agrees with a naive count, a planted
//! token is always found without disturbing other findings, and allow
//! pragmas suppress exactly the line they cover.
//!
//! Tokens are synthetic: `ghp_` followed by random alphanumerics, built at
//! run time so this file holds no scannable token.

use std::path::Path;

use keepmum::{Finding, Scanner};
use proptest::prelude::*;

const CASES: u32 = 96;

fn scanner() -> &'static Scanner {
    static S: std::sync::OnceLock<Scanner> = std::sync::OnceLock::new();
    S.get_or_init(Scanner::new)
}

/// A synthetic GitHub classic PAT: `ghp_` and 36 alphanumerics. Mixed case
/// and digits are forced so it is never a low-entropy placeholder.
fn token() -> impl Strategy<Value = String> {
    "[A-Za-z0-9]{33}".prop_map(|s| format!("ghp_{s}Q7z"))
}

/// Random text made of words, punctuation, assignments, numbers, emails,
/// token-like runs and line breaks (no NUL, so files are not "binary").
fn text() -> impl Strategy<Value = String> {
    let chunk = prop_oneof![
        4 => "[a-z]{1,8}",
        3 => Just(" ".to_string()),
        2 => Just("\n".to_string()),
        1 => Just("\r\n".to_string()),
        1 => "[=:;,.(){}\"'#/-]",
        1 => "[0-9]{1,12}",
        1 => "[a-z]{2,6}\\.[a-z]{2,6}@[a-z]{3,8}\\.(com|net|io)",
        1 => "[A-Za-z0-9+/]{16,40}",
        1 => "(password|secret|api_key|token) ?= ?\"[A-Za-z0-9]{6,20}\"",
        1 => "é|ü|中|\t",
    ];
    proptest::collection::vec(chunk, 0..60).prop_map(|v| v.concat())
}

fn summary(f: &[Finding]) -> Vec<(String, std::ops::Range<usize>)> {
    f.iter()
        .map(|f| (f.rule_id().to_string(), f.span()))
        .collect()
}

/// 1-based (line, column) of byte offset `at`, by counting.
fn naive_position(data: &[u8], at: usize) -> (usize, usize) {
    let before = &data[..at];
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    (line, at - start + 1)
}

/// The largest char boundary of `s` not above `at`.
fn boundary(s: &str, at: usize) -> usize {
    let mut at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    /// Scanning bytes at a path equals reading the same bytes from that file.
    #[test]
    fn buffer_and_file_scans_agree(body in text(), tok in token(), at in 0usize..2000) {
        let at = boundary(&body, at);
        let data = format!("{}\n{tok}\n{}", &body[..at], &body[at..]);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("input.txt");
        std::fs::write(&path, &data).unwrap();
        let from_file = scanner().scan_path(&path).unwrap();
        let from_buf = scanner().scan_bytes_at(data.as_bytes(), &path);
        prop_assert_eq!(summary(&from_file), summary(&from_buf));
        prop_assert!(!from_file.is_empty());
        for f in &from_file {
            prop_assert_eq!(f.path(), Some(path.as_path()));
        }
    }

    /// Every finding's line/column (start and exclusive end) agrees with a
    /// naive newline count, and its span holds its secret.
    #[test]
    fn positions_match_a_naive_count(body in text(), tok in token(), at in 0usize..2000) {
        let at = boundary(&body, at);
        let data = format!("{} {tok} {}", &body[..at], &body[at..]);
        let bytes = data.as_bytes();
        for f in scanner().scan_bytes(bytes) {
            let span = f.span();
            prop_assert_eq!(&bytes[span.clone()], f.secret().expose());
            prop_assert_eq!((f.line(), f.column()), naive_position(bytes, span.start));
            let (l, c) = naive_position(bytes, span.end - 1);
            prop_assert_eq!((f.end_line(), f.end_column()), (l, c + 1));
        }
    }

    /// A token planted anywhere (on its own line, with optional spaces) is
    /// found at exactly its position; findings before it are unchanged and
    /// findings after it move by exactly the inserted length.
    #[test]
    fn planted_token_is_found_and_shifts_nothing_else(
        body in text(),
        tok in token(),
        at in 0usize..2000,
        left in prop_oneof![Just("\n"), Just(" \n"), Just("\n  ")],
        right in prop_oneof![Just("\n"), Just(" \n"), Just("  \n")],
    ) {
        let at = boundary(&body, at);
        let (head, tail) = body.split_at(at);
        let base = format!("{head}{left}{right}{tail}");
        let planted = format!("{head}{left}{tok}{right}{tail}");
        let insert_at = head.len() + left.len();
        let before = scanner().scan_bytes(base.as_bytes());
        let after = scanner().scan_bytes(planted.as_bytes());

        let hit = after.iter().find(|f| f.rule_id() == "github-pat" && f.secret().expose() == tok.as_bytes());
        prop_assert!(hit.is_some(), "planted token not found in {:?}", planted);
        prop_assert_eq!(hit.map(Finding::span), Some(insert_at..insert_at + tok.len()));

        let expected: Vec<(String, std::ops::Range<usize>)> = summary(&before)
            .into_iter()
            .map(|(id, s)| {
                if s.start >= insert_at {
                    (id, s.start + tok.len()..s.end + tok.len())
                } else {
                    (id, s)
                }
            })
            .collect();
        let others: Vec<(String, std::ops::Range<usize>)> = summary(&after)
            .into_iter()
            .filter(|(_, s)| s.end <= insert_at || s.start >= insert_at + tok.len())
            .collect();
        prop_assert_eq!(others, expected);
    }

    /// `pragma: allowlist secret` suppresses exactly its own line.
    #[test]
    fn same_line_pragma_suppresses_exactly_its_line(
        toks in proptest::collection::vec(token(), 2..6),
        pick in 0usize..6,
    ) {
        let pick = pick % toks.len();
        let lines: Vec<String> = toks
            .iter()
            .enumerate()
            .map(|(i, t)| {
                if i == pick {
                    format!("k{i} = \"{t}\"  # pragma: allowlist secret")
                } else {
                    format!("k{i} = \"{t}\"")
                }
            })
            .collect();
        let data = lines.join("\n") + "\n";
        let found: Vec<usize> = scanner()
            .scan_bytes(data.as_bytes())
            .iter()
            .filter(|f| f.rule_id() == "github-pat")
            .map(Finding::line)
            .collect();
        let want: Vec<usize> = (1..=toks.len()).filter(|&l| l != pick + 1).collect();
        prop_assert_eq!(found, want);
    }

    /// `pragma: allowlist nextline secret` suppresses exactly the next line.
    #[test]
    fn nextline_pragma_suppresses_exactly_the_next_line(
        toks in proptest::collection::vec(token(), 2..6),
        pick in 0usize..6,
    ) {
        let pick = pick % toks.len();
        let mut lines = Vec::new();
        let mut token_lines = Vec::new();
        for (i, t) in toks.iter().enumerate() {
            if i == pick {
                lines.push("# pragma: allowlist nextline secret".to_string());
            }
            lines.push(format!("k{i} = \"{t}\""));
            if i != pick {
                token_lines.push(lines.len());
            }
        }
        let data = lines.join("\n") + "\n";
        let found: Vec<usize> = scanner()
            .scan_bytes(data.as_bytes())
            .iter()
            .filter(|f| f.rule_id() == "github-pat")
            .map(Finding::line)
            .collect();
        prop_assert_eq!(found, token_lines);
    }
}

/// Files of 1 MiB or more are memory-mapped instead of read: the result must
/// not depend on which path was taken.
#[test]
fn memory_mapped_files_agree_with_buffers() {
    let tok = format!("ghp_{}", "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8");
    let filler = "lorem ipsum dolor sit amet = 12345\n".repeat(40_000);
    let data = format!("{filler}token = \"{tok}\"\n{filler}x = '{tok}'\n");
    assert!(data.len() > 2 << 20);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.txt");
    std::fs::write(&path, &data).unwrap();
    let s = scanner();
    let a = s.scan_path(&path).unwrap();
    let b = s.scan_bytes_at(data.as_bytes(), Path::new(&path));
    assert_eq!(summary(&a), summary(&b));
    assert_eq!(a.iter().filter(|f| f.rule_id() == "github-pat").count(), 2);
}

/// A reader that hands out its data in the given piece sizes (cycled), as
/// sockets and pipes do.
struct Pieces<'a> {
    data: &'a [u8],
    sizes: Vec<usize>,
    next: usize,
}

impl std::io::Read for Pieces<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let want = self.sizes[self.next % self.sizes.len()];
        self.next += 1;
        let n = want.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

/// Everything a report shows about a finding.
type Seen = (
    String,
    std::ops::Range<usize>,
    std::ops::Range<usize>,
    (usize, usize, usize, usize),
    Vec<u8>,
);

fn everything(f: &[Finding]) -> Vec<Seen> {
    f.iter()
        .map(|f| {
            (
                f.rule_id().to_string(),
                f.span(),
                f.match_span(),
                (f.line(), f.column(), f.end_line(), f.end_column()),
                f.secret().expose().to_vec(),
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, ..ProptestConfig::default() })]

    /// Streaming in windows finds exactly what one buffer scan finds, with
    /// the same spans, lines and columns, whatever the window, overlap and
    /// read sizes (small windows here, so inputs cross many boundaries).
    #[test]
    fn scan_reader_equals_scan_bytes(
        parts in proptest::collection::vec((text(), proptest::option::of(token())), 1..12),
        overlap in 512usize..1024,
        extra in 0usize..2048,
        sizes in proptest::collection::vec(1usize..700, 1..8),
    ) {
        let mut data = String::new();
        for (t, tok) in &parts {
            data.push_str(t);
            if let Some(tok) = tok {
                data.push_str(&format!(" auth {tok}\n"));
            }
        }
        let data = data.as_bytes();
        let whole = scanner().scan_bytes(data);
        let reader = Pieces { data, sizes, next: 0 };
        let streamed = scanner()
            .scan_reader_windowed(reader, None, 2 * overlap + extra, overlap)
            .unwrap();
        prop_assert_eq!(everything(&streamed), everything(&whole));
    }
}
