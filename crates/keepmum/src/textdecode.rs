//! Text that only looks binary: UTF-16 (with or without a byte-order mark)
//! and otherwise ordinary text with a stray NUL byte. Callers that would skip
//! such bytes as binary (the agent hook, for files and payloads) use
//! [`decode_text`] to get scannable UTF-8 instead.

/// How many leading bytes are sampled to recognise BOM-less UTF-16.
const SNIFF: usize = 4096;

/// Returns a UTF-8 rendering of `bytes` when they are UTF-16 text or text
/// with a few stray NULs, or `None` when they hold no NUL (already text) or
/// look like real binary data. Unpaired surrogates become U+FFFD; NULs in
/// otherwise textual data become spaces.
pub fn decode_text(bytes: &[u8]) -> Option<Vec<u8>> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return Some(utf16(rest, false));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return Some(utf16(rest, true));
    }
    memchr::memchr(0, bytes)?;
    let sample = &bytes[..bytes.len().min(SNIFF)];
    let pairs = sample.len() / 2;
    if pairs >= 2 {
        let even_zero = sample.iter().step_by(2).filter(|&&b| b == 0).count();
        let odd_zero = sample
            .iter()
            .skip(1)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count();
        // ASCII-heavy UTF-16: every other byte is zero.
        if odd_zero * 10 >= pairs * 4 && even_zero * 10 < pairs {
            return Some(utf16(bytes, false));
        }
        if even_zero * 10 >= pairs * 4 && odd_zero * 10 < pairs {
            return Some(utf16(bytes, true));
        }
    }
    let nuls = bytecount(bytes, 0);
    let controls = bytes
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b | 0))
        .count();
    // A handful of NULs in text: keep the text.
    if nuls * 100 <= bytes.len().max(100) && controls * 100 <= bytes.len() {
        return Some(
            bytes
                .iter()
                .map(|&b| if b == 0 { b' ' } else { b })
                .collect(),
        );
    }
    None
}

fn bytecount(bytes: &[u8], needle: u8) -> usize {
    memchr::memchr_iter(needle, bytes).count()
}

fn utf16(bytes: &[u8], big_endian: bool) -> Vec<u8> {
    let units = bytes.chunks_exact(2).map(|c| {
        if big_endian {
            u16::from_be_bytes([c[0], c[1]])
        } else {
            u16::from_le_bytes([c[0], c[1]])
        }
    });
    let text: String = char::decode_utf16(units)
        .map(|r| r.unwrap_or('\u{fffd}'))
        .map(|c| if c == '\0' { ' ' } else { c })
        .collect();
    text.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn le(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let mut bom = vec![0xFF, 0xFE];
        bom.extend(le("key = value\n"));
        assert_eq!(decode_text(&bom).as_deref(), Some(&b"key = value\n"[..]));
        assert_eq!(
            decode_text(&le("key = value\n")).as_deref(),
            Some(&b"key = value\n"[..])
        );
        let be: Vec<u8> = "ab".encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode_text(&be).as_deref(), Some(&b"ab"[..]));
    }

    #[test]
    fn stray_nul_in_text() {
        let mut t = b"\0".to_vec();
        t.extend(b"token = something long enough to be text\n".repeat(3));
        let d = decode_text(&t).unwrap_or_default();
        assert!(d.starts_with(b" token"));
    }

    #[test]
    fn plain_text_and_binary_are_left_alone() {
        assert_eq!(decode_text(b"plain text"), None);
        let bin: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
        assert_eq!(decode_text(&bin), None);
    }
}
