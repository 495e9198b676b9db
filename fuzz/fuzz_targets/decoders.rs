//! Fuzz target: the decoders (base64, base64url, hex, percent-encoding,
//! `\uXXXX` escapes), reached through the scanner.
//!
//! The input is written out raw and in every encoding the scanner decodes,
//! nested once, so the fuzzer steers decoded content directly. Checks: no
//! panic; every span lies inside the haystack; a finding whose secret came
//! through a decoder names its decoders (at most the configured depth) and
//! is reported at encoded text; the redacted form never contains a secret
//! of 8 bytes or more.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use keepmum::Scanner;

fn scanner() -> &'static Scanner {
    static S: OnceLock<Scanner> = OnceLock::new();
    S.get_or_init(|| {
        let mut b = Scanner::builder();
        b.decode_depth(2);
        b.build().unwrap_or_default()
    })
}

fn base64(data: &[u8], url: bool) -> String {
    let alphabet: &[u8; 64] = if url {
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    } else {
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    };
    let mut s = String::new();
    for c in data.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for k in 0..4 {
            if k <= c.len() {
                s.push(alphabet[((n >> (18 - 6 * k)) & 63) as usize] as char);
            } else if !url {
                s.push('=');
            }
        }
    }
    s
}

fn hex(data: &[u8]) -> String {
    data.iter().map(|b| format!("{b:02x}")).collect()
}

fn percent(data: &[u8]) -> String {
    data.iter().map(|b| format!("%{b:02X}")).collect()
}

fn unicode(data: &[u8]) -> String {
    String::from_utf8_lossy(data)
        .chars()
        .map(|c| {
            if (c as u32) < 0x10000 {
                format!("\\u{:04x}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    if data.len() > 4096 {
        return;
    }
    let mut hay = Vec::with_capacity(data.len() * 12);
    hay.extend_from_slice(data);
    for enc in [
        base64(data, false),
        base64(data, true),
        hex(data),
        percent(data),
        unicode(data),
        base64(base64(data, false).as_bytes(), false),
    ] {
        hay.extend_from_slice(b"\nvalue = \"");
        hay.extend_from_slice(enc.as_bytes());
        hay.extend_from_slice(b"\"\n");
    }
    for f in scanner().scan_bytes(&hay) {
        let span = f.span();
        assert!(
            span.start < span.end && span.end <= hay.len(),
            "span {span:?}"
        );
        assert!(f.decoders().len() <= 2, "decoders {:?}", f.decoders());
        if f.decoders().is_empty() {
            assert_eq!(&hay[span.clone()], f.secret().expose());
        }
        let raw = f.secret().expose();
        if raw.len() >= 8 {
            let red = f.redacted();
            assert!(
                !red.as_bytes().windows(raw.len()).any(|w| w == raw),
                "redaction leaks"
            );
        }
    }
});
