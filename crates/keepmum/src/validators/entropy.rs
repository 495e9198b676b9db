//! Shannon entropy of a byte string.

/// Shannon entropy of `bytes` in bits per byte (0.0 for empty input).
pub(crate) fn shannon(bytes: &[u8]) -> f32 {
    if bytes.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    // Which byte values occur: the sum then visits those (a token has a
    // few dozen), in the same ascending order as a walk over all 256
    // counters, so the result is the same to the last bit.
    let mut present = [0u64; 4];
    for &b in bytes {
        counts[b as usize] += 1;
        present[usize::from(b >> 6)] |= 1 << (b & 63);
    }
    let n = bytes.len() as f32;
    present
        .iter()
        .enumerate()
        .flat_map(|(word, &bits)| {
            std::iter::successors((bits != 0).then_some(bits), |&rest| {
                let rest = rest & (rest - 1);
                (rest != 0).then_some(rest)
            })
            .map(move |rest| word * 64 + rest.trailing_zeros() as usize)
        })
        .map(|b| {
            let p = counts[b] as f32 / n;
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

    /// The entropy as summed before: over all 256 counters in order.
    fn shannon_reference(bytes: &[u8]) -> f32 {
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

    proptest! {
        #[test]
        fn entropy_equals_the_sum_over_every_counter(v in proptest::collection::vec(any::<u8>(), 0..300)) {
            prop_assert_eq!(shannon(&v).to_bits(), shannon_reference(&v).to_bits());
        }

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
