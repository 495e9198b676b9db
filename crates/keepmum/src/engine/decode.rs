//! Finds encoded text (base64, base64url, hex, percent-encoding, `\uXXXX`
//! escapes) so the engine can scan what it decodes to.
//!
//! Only candidates that decode to mostly printable text, starting with six
//! ASCII characters, are kept: random binary data (images, hashes,
//! ciphertext) is not scanned twice. Every
//! decoder is linear, bounded in output size, and never panics.

use std::ops::Range;

/// Shortest base64 run considered (18 decoded bytes).
const MIN_BASE64: usize = 24;
/// Shortest hex run considered (16 decoded bytes).
const MIN_HEX: usize = 32;
/// Largest single encoded candidate decoded.
pub(crate) const MAX_CANDIDATE: usize = 64 << 10;
/// Shortest decoded text worth scanning.
const MIN_DECODED: usize = 12;

/// One piece of encoded text and what it decodes to.
#[derive(Debug)]
pub(crate) struct Decoded {
    /// Where the encoded text is in the input.
    pub(crate) span: Range<usize>,
    /// Which decoder produced `text`.
    pub(crate) kind: &'static str,
    /// The decoded bytes.
    pub(crate) text: Vec<u8>,
}

/// Candidates inside `hay`. `token_runs` are the runs of
/// `[A-Za-z0-9+/=_-]` the prefilter found (at least 20 bytes, two character
/// classes).
#[cfg(test)]
pub(crate) fn find(hay: &[u8], token_runs: &[Range<usize>]) -> Vec<Decoded> {
    let mut out = Vec::new();
    for run in token_runs {
        token_run(hay, run.clone(), &mut out);
    }
    escapes(hay, memchr::memchr3_iter(b'@', b'%', b'\\', hay), &mut out);
    out
}

/// Adds the base64 or hex candidates in the token run `run` of `hay` to
/// `out`. Called while the prefilter walks the input, so the run is still in
/// cache.
pub(crate) fn token_run(hay: &[u8], run: Range<usize>, out: &mut Vec<Decoded>) {
    if run.len() > MAX_CANDIDATE {
        return;
    }
    // `key=value` glues an assignment into one run: try each segment
    // between `=` signs (trailing `=` padding stays with its segment).
    let bytes = &hay[run.clone()];
    let mut start = 0;
    for i in memchr::memchr_iter(b'=', bytes).chain([bytes.len()]) {
        let padding = i < bytes.len() && bytes.get(i + 1).is_none_or(|&b| b == b'=');
        if !padding {
            try_segment(hay, run.start + start..run.start + i, out);
            start = i + 1;
        }
    }
}

/// Adds the percent-encoded and `\uXXXX`-escaped candidates of `hay` to
/// `out`, then sorts `out` by position. `marks` holds (at least) the
/// position of every `%` and `\` in `hay`, in order (see the prefilter).
pub(crate) fn escapes(
    hay: &[u8],
    marks: impl Iterator<Item = usize> + Clone,
    out: &mut Vec<Decoded>,
) {
    let at = |b: u8| marks.clone().filter(move |&p| hay.get(p) == Some(&b));
    percent(hay, at(b'%'), out);
    unicode_escapes(
        hay,
        at(b'\\').filter(|&p| hay.get(p + 1) == Some(&b'u')),
        out,
    );
    out.sort_by_key(|d| d.span.start);
}

fn try_segment(hay: &[u8], span: Range<usize>, out: &mut Vec<Decoded>) {
    let seg = &hay[span.clone()];
    // Hex-shaped text is only ever read as hex. Most token runs are
    // identifiers or hashes: decoding the first few characters rules them
    // out, so the whole segment is only looked at when that passes.
    let hex_sized = seg.len() >= MIN_HEX && seg.len().is_multiple_of(2);
    let hex_shaped = || hex_sized && seg.iter().all(u8::is_ascii_hexdigit);
    if hex_sized && hex_head(seg).is_some_and(is_text_head) && hex_shaped() {
        if let Some(text) = hex(seg) {
            if is_texty(&text) {
                out.push(Decoded {
                    span,
                    kind: "hex",
                    text,
                });
            }
        }
        return;
    }
    if seg.len() >= MIN_BASE64 {
        if !base64_head(seg).is_some_and(is_text_head) || hex_shaped() {
            return;
        }
        if let Some(text) = base64(seg) {
            if is_texty(&text) {
                out.push(Decoded {
                    span,
                    kind: "base64",
                    text,
                });
            }
        }
    }
}

/// True when these first decoded bytes are printable ASCII or whitespace.
/// Encoded secrets and configs (`AKIA…`, `{"type": …`, `-----BEGIN`,
/// `user:pass`) start so; random bytes (hashes, ids) almost never do (about
/// one time in 400), so most candidates are dropped without decoding them.
fn is_text_head(head: [u8; 6]) -> bool {
    head.iter()
        .all(|b| (0x20..0x7f).contains(b) || matches!(b, b'\n' | b'\r' | b'\t'))
}

/// The first six bytes hex text decodes to.
fn hex_head(seg: &[u8]) -> Option<[u8; 6]> {
    let mut out = [0u8; 6];
    for (i, o) in out.iter_mut().enumerate() {
        *o = hex_val(*seg.get(2 * i)?)? << 4 | hex_val(*seg.get(2 * i + 1)?)?;
    }
    Some(out)
}

/// The first six bytes base64 text decodes to.
fn base64_head(seg: &[u8]) -> Option<[u8; 6]> {
    let mut out = [0u8; 6];
    for (k, three) in out.chunks_exact_mut(3).enumerate() {
        let mut acc = 0u32;
        for j in 0..4 {
            acc = acc << 6 | u32::from(b64_val(*seg.get(4 * k + j)?)?);
        }
        three.copy_from_slice(&acc.to_be_bytes()[1..]);
    }
    Some(out)
}

/// True when `text` is long enough and at least 90% printable ASCII or
/// whitespace (UTF-8 multi-byte sequences count as printable).
fn is_texty(text: &[u8]) -> bool {
    if text.len() < MIN_DECODED {
        return false;
    }
    let printable = text
        .iter()
        .filter(|&&b| {
            (0x20..0x7f).contains(&b) || b == b'\n' || b == b'\r' || b == b'\t' || b >= 0x80
        })
        .count();
    let high = text.iter().filter(|&&b| b >= 0x80).count();
    printable * 10 >= text.len() * 9 && high * 4 <= text.len() && std::str::from_utf8(text).is_ok()
}

fn hex_val(b: u8) -> Option<u8> {
    valid(HEX_VALUES[usize::from(b)])
}

/// A table entry: `INVALID` for bytes of no value.
#[inline(always)]
fn valid(v: u8) -> Option<u8> {
    (v != INVALID).then_some(v)
}

const INVALID: u8 = 0xFF;

/// The value of each byte as a hex digit (a table: token runs are read
/// a byte at a time, and a `match` costs a branch per range).
static HEX_VALUES: [u8; 256] = digit_table(false);

/// The value of each byte as a standard or URL-safe base64 digit.
static B64_VALUES: [u8; 256] = digit_table(true);

/// Every byte's value as a hex digit, or as a base64 digit (`base64`).
const fn digit_table(base64: bool) -> [u8; 256] {
    let mut t = [INVALID; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = match (base64, c) {
            (false, b'0'..=b'9') => c - b'0',
            (false, b'a'..=b'f') => c - b'a' + 10,
            (false, b'A'..=b'F') => c - b'A' + 10,
            (true, b'A'..=b'Z') => c - b'A',
            (true, b'a'..=b'z') => c - b'a' + 26,
            (true, b'0'..=b'9') => c - b'0' + 52,
            (true, b'+' | b'-') => 62,
            (true, b'/' | b'_') => 63,
            _ => INVALID,
        };
        b += 1;
    }
    t
}

/// Decodes hex (even length, no separators).
pub(crate) fn hex(s: &[u8]) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    s.chunks_exact(2)
        .map(|p| Some(hex_val(p[0])? << 4 | hex_val(p[1])?))
        .collect()
}

fn b64_val(b: u8) -> Option<u8> {
    valid(B64_VALUES[usize::from(b)])
}

/// Decodes standard or URL-safe base64, with or without `=` padding.
/// Returns `None` on any other byte or an impossible length.
pub(crate) fn base64(s: &[u8]) -> Option<Vec<u8>> {
    let data = match s.iter().position(|&b| b == b'=') {
        Some(p) if s[p..].iter().all(|&b| b == b'=') && s.len() - p <= 2 => &s[..p],
        Some(_) => return None,
        None => s,
    };
    if data.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(data.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for &b in data {
        acc = acc << 6 | b64_val(b)? as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Bytes of a URL or form-encoded run, as a table (this runs for every `%`).
static URL_BYTES: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    let extra = b"%._~+/=:@&?-!$'()*,;#[]";
    let mut i = 0;
    while i < extra.len() {
        t[extra[i] as usize] = true;
        i += 1;
    }
    t
};

fn is_url_byte(b: u8) -> bool {
    URL_BYTES[usize::from(b)]
}

/// True when a `%XX` escape starts at `pos`.
fn is_escape(hay: &[u8], pos: usize) -> bool {
    matches!(hay.get(pos..pos + 3), Some([b'%', h, l]) if h.is_ascii_hexdigit() && l.is_ascii_hexdigit())
}

/// Percent-encoded runs with at least three `%XX` escapes.
fn percent(hay: &[u8], starts: impl Iterator<Item = usize>, out: &mut Vec<Decoded>) {
    let mut done = 0;
    for pos in starts {
        // A run is found from its first escape (`%s` and `100%` are not).
        if pos < done || !is_escape(hay, pos) {
            continue;
        }
        let mut s = pos;
        while s > done && pos - s < MAX_CANDIDATE && is_url_byte(hay[s - 1]) {
            s -= 1;
        }
        let mut e = pos;
        while e < hay.len() && e - s < MAX_CANDIDATE && is_url_byte(hay[e]) {
            e += 1;
        }
        done = e.max(pos + 1);
        let run = &hay[s..e];
        if memchr::memchr_iter(b'%', run)
            .filter(|&i| is_escape(run, i))
            .nth(2)
            .is_none()
        {
            continue;
        }
        let mut text = Vec::with_capacity(run.len());
        let mut escapes = 0;
        let userinfo = url_userinfo(run);
        let mut i = 0;
        while i < run.len() {
            // `%40` and `%3A` in a URL's `user:password@` part are the
            // password's own characters: decoding them would move where the
            // password ends (`P%40ss@host` read as `P` then `ss@host`).
            let delimiter = matches!(
                &run[i..],
                [b'%', b'4', b'0', ..] | [b'%', b'3', b'a' | b'A', ..]
            );
            if delimiter && userinfo.contains(&i) {
                text.push(run[i]);
                i += 1;
                continue;
            }
            if run[i] == b'%' && i + 2 < run.len() {
                if let (Some(h), Some(l)) = (hex_val(run[i + 1]), hex_val(run[i + 2])) {
                    text.push(h << 4 | l);
                    escapes += 1;
                    i += 3;
                    continue;
                }
            }
            text.push(run[i]);
            i += 1;
        }
        if escapes >= 3 && is_texty(&text) {
            out.push(Decoded {
                span: s..e,
                kind: "percent",
                text,
            });
        }
    }
}

/// The `user:password` part of the first `scheme://user:password@host` in
/// `run` (empty when there is none): from after `://` to the last raw `@`
/// before the path.
fn url_userinfo(run: &[u8]) -> Range<usize> {
    let Some(at) = memchr::memmem::find(run, b"://") else {
        return 0..0;
    };
    let start = at + 3;
    let authority_end = run[start..]
        .iter()
        .position(|&b| matches!(b, b'/' | b'?' | b'#'))
        .map_or(run.len(), |p| start + p);
    match memchr::memrchr(b'@', &run[start..authority_end]) {
        Some(p) => start..start + p,
        None => 0..0,
    }
}

/// JSON/JS string runs with at least two `\uXXXX` escapes.
fn unicode_escapes(hay: &[u8], starts: impl Iterator<Item = usize>, out: &mut Vec<Decoded>) {
    let mut done = 0;
    for pos in starts {
        if pos < done {
            continue;
        }
        // The run: until a quote, a newline or a space outside escapes.
        let mut e = pos;
        let mut text = Vec::new();
        let mut escapes = 0;
        while e < hay.len() && e - pos < MAX_CANDIDATE {
            let b = hay[e];
            if b == b'"' || b == b'\'' || b == b'\n' || b == b' ' {
                break;
            }
            if b == b'\\' && e + 6 <= hay.len() && hay[e + 1] == b'u' {
                let v = hay[e + 2..e + 6]
                    .iter()
                    .try_fold(0u32, |acc, &c| Some(acc << 4 | hex_val(c)? as u32));
                if let Some(c) = v.and_then(char::from_u32) {
                    let mut buf = [0u8; 4];
                    text.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                    escapes += 1;
                    e += 6;
                    continue;
                }
            }
            text.push(b);
            e += 1;
        }
        done = e.max(pos + 2);
        if escapes >= 2 && is_texty(&text) {
            out.push(Decoded {
                span: pos..e,
                kind: "unicode-escape",
                text,
            });
        }
    }
}

#[cfg(test)]
#[path = "tests/decode.rs"]
mod tests;
