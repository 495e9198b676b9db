//! Unit tests for `engine::decode` (kept in a `tests/` folder so the
//! repository's self-scan can skip their synthetic secrets).

#![allow(clippy::single_range_in_vec_init)] // one run is the point of these tests

use super::*;

#[test]
fn base64_round_trips_known_values() {
    assert_eq!(base64(b"aGVsbG8gd29ybGQ=").unwrap(), b"hello world");
    assert_eq!(base64(b"aGVsbG8gd29ybGQ").unwrap(), b"hello world");
    assert_eq!(base64(b"-_-_").unwrap(), vec![0xfb, 0xff, 0xbf]);
    assert!(base64(b"a=b=").is_none());
    assert!(base64(b"abcde").is_none());
}

#[test]
fn hex_decodes() {
    assert_eq!(hex(b"414243").unwrap(), b"ABC");
    assert!(hex(b"4g").is_none());
    assert!(hex(b"414").is_none());
}

#[test]
fn digit_tables_agree_with_the_alphabets() {
    // Every byte, against the alphabets spelled out: hex digits of either
    // case, then standard and URL-safe base64 (`-` and `_` stand for `+`
    // and `/`).
    for b in 0..=255u8 {
        let want_hex = (b as char).to_digit(16).map(|d| d as u8);
        assert_eq!(hex_val(b), want_hex, "hex value of byte {b:#04x}");
        let canonical = match b {
            b'-' => b'+',
            b'_' => b'/',
            other => other,
        };
        let want_b64 = B64_ALPHABET
            .iter()
            .position(|&a| a == canonical)
            .map(|i| i as u8);
        assert_eq!(b64_val(b), want_b64, "base64 value of byte {b:#04x}");
    }
}

#[test]
fn finds_each_encoding() {
    let b64 = b"token=dXNlcjpzdXBlcnNlY3JldHBhc3N3b3JkMTIz";
    let runs = vec![0..b64.len()];
    let d = find(b64, &runs);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].kind, "base64");
    assert_eq!(d[0].text, b"user:supersecretpassword123");
    assert_eq!(&b64[d[0].span.clone()], &b64[6..]);

    let pct = b"url: a%3Db%26c%3Dd%26secret%3Dvalue ";
    let d = find(pct, &[]);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].text, b"a=b&c=d&secret=value");

    // A run found from its first real escape, not from `%s` or `100%`.
    let pct = b"printf(\"%s\", x); 100% of q=%s%3Dval%26k%3D1234567890 ";
    let d = find(pct, &[]);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].text, b"q=%s=val&k=1234567890");
    // Two escapes are not enough.
    assert!(find(b"a%3Db%26cdefghijklmnop ", &[]).is_empty());

    let uni = br#""\u0070\u0061ss=word\u0031234567""#;
    let d = find(uni, &[]);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].text, b"pass=word1234567");
}

#[test]
fn binary_payloads_are_not_candidates() {
    // base64 of bytes 0..48: not text.
    let raw: Vec<u8> = (0u8..48).collect();
    let enc = base64_encode(&raw);
    assert_eq!(base64(&enc).unwrap(), raw);
    let all = vec![0..enc.len()];
    assert!(find(&enc, &all).is_empty());
}

/// `try_segment` as first written: the whole segment is tested for hex
/// before any head is decoded.
fn reference_try_segment(seg: &[u8]) -> Option<(&'static str, Vec<u8>)> {
    if seg.len() >= MIN_HEX && seg.len().is_multiple_of(2) && seg.iter().all(u8::is_ascii_hexdigit)
    {
        if !hex_head(seg).is_some_and(is_text_head) {
            return None;
        }
        return hex(seg).filter(|t| is_texty(t)).map(|t| ("hex", t));
    }
    if seg.len() >= MIN_BASE64 && base64_head(seg).is_some_and(is_text_head) {
        return base64(seg).filter(|t| is_texty(t)).map(|t| ("base64", t));
    }
    None
}

/// The standard base64 alphabet, spelled out.
const B64_ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 of `bytes`, without `=` padding.
fn base64_encode(bytes: &[u8]) -> Vec<u8> {
    bytes
        .chunks(3)
        .flat_map(|c| {
            let n = c.iter().fold(0u32, |a, &x| a << 8 | u32::from(x)) << (8 * (3 - c.len()));
            (0..=c.len()).map(move |i| B64_ALPHABET[(n >> (18 - 6 * i) & 63) as usize])
        })
        .collect()
}

fn hex_encode(text: &[u8]) -> Vec<u8> {
    text.iter()
        .flat_map(|b| format!("{b:02x}").into_bytes())
        .collect()
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]
    /// Decoding heads first finds exactly what testing the whole segment
    /// first found: hex text, base64 text, hex-shaped noise, mixed runs.
    #[test]
    fn heads_first_finds_what_whole_segments_first_found(
        kind in 0u8..5,
        text in "[ -~]{12,40}",
        noise in "[0-9a-fA-F]{24,80}",
        tail in "[g-zG-Z+/_]{0,3}",
    ) {
        let seg: Vec<u8> = match kind {
            0 => hex_encode(text.as_bytes()),
            1 => base64_encode(text.as_bytes()),
            2 => noise.clone().into_bytes(),
            // Hex-shaped, and base64 of printable text ("kM8kM8…"): read
            // only as hex, which it is not.
            3 => b"a004".repeat(text.len() / 2),
            _ => [noise.as_bytes(), tail.as_bytes()].concat(),
        };
        let mut out = Vec::new();
        try_segment(&seg, 0..seg.len(), &mut out);
        let got = out.pop().map(|d| (d.kind, d.text));
        proptest::prop_assert!(out.is_empty());
        proptest::prop_assert_eq!(got, reference_try_segment(&seg));
    }
}

#[test]
fn escapes_in_a_url_password_stay_where_they_are() {
    // `%40` inside `user:password@` is part of the password: decoding it
    // would end the password early. The encoded socket path is decoded.
    let url = b"mongodb://dbuser:Fake%40Passw0rd@%2Fvar%2Frun%2Fmongodb.sock ";
    let d = find(url, &[]);
    assert_eq!(d.len(), 1);
    assert_eq!(
        d[0].text,
        b"mongodb://dbuser:Fake%40Passw0rd@/var/run/mongodb.sock"
    );

    // Outside the user part, `%40` and `%3A` are decoded as before.
    let query = b"https://example.test/p?mail=jo%40example.test&t=a%3Ab%2Fc ";
    let d = find(query, &[]);
    assert_eq!(d.len(), 1);
    assert_eq!(
        d[0].text,
        b"https://example.test/p?mail=jo@example.test&t=a:b/c"
    );
    assert_eq!(url_userinfo(b"https://u:p%40w@h/x"), 8..15);
    assert_eq!(url_userinfo(b"https://h/x@y"), 0..0);
    assert_eq!(url_userinfo(b"no url here"), 0..0);
}
