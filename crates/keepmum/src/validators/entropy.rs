//! Shannon entropy of a byte string.

/// Shannon entropy of `bytes` in bits per byte (0.0 for empty input).
pub(crate) fn shannon(bytes: &[u8]) -> f32 {
    if bytes.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in bytes {
        counts[b as usize] += 1;
    }
    let n = bytes.len() as f32;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f32 / n;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_values() {
        assert_eq!(shannon(b""), 0.0);
        assert_eq!(shannon(b"aaaa"), 0.0);
        assert!((shannon(b"abab") - 1.0).abs() < 1e-6);
        assert!((shannon(b"abcd") - 2.0).abs() < 1e-6);
        let all: Vec<u8> = (0..=255).collect();
        assert!((shannon(&all) - 8.0).abs() < 1e-4);
    }

    proptest! {
        #[test]
        fn entropy_is_within_bounds(v in proptest::collection::vec(any::<u8>(), 0..512)) {
            let h = shannon(&v);
            prop_assert!((0.0..=8.0 + 1e-4).contains(&h));
            // Never more than log2 of the length.
            if !v.is_empty() {
                prop_assert!(h <= (v.len() as f32).log2() + 1e-4);
            }
        }
    }
}
