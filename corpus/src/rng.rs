//! A small deterministic PRNG (splitmix64) and the sampling helpers the
//! generators use. Same seed, same stream, on every platform.

/// Alphabets used to build tokens.
pub mod alpha {
    /// `[0-9]`
    pub const DIGITS: &[u8] = b"0123456789";
    /// `[0-9a-f]`
    pub const HEX: &[u8] = b"0123456789abcdef";
    /// `[A-Z]`
    pub const UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    /// `[a-z]`
    pub const LOWER: &[u8] = b"abcdefghijklmnopqrstuvwxyz";
    /// `[A-Za-z0-9]` (base62, digits first as GitHub's checksum encoding uses)
    pub const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    /// `[A-Za-z0-9_-]` (base64url)
    pub const URLSAFE: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    /// `[A-Za-z0-9+/]` (base64)
    pub const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    /// `[A-Z2-7]` (base32, AWS key ids)
    pub const B32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
}

// splitmix64's increment (2^64 divided by the golden ratio) and its two
// multipliers. The allow comments: these hex literals are not secrets, but a
// high-entropy detector may take them for one.
const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15; // keepmum:allow
const MUL1: u64 = 0xBF58_476D_1CE4_E5B9; // keepmum:allow
const MUL2: u64 = 0x94D0_49BB_1331_11EB; // keepmum:allow

/// splitmix64: tiny, fast, and good enough for synthetic data.
#[derive(Clone, Debug)]
pub struct Rng {
    state: u64,
}

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng {
            state: seed ^ 0x5EC2_E79A_7E00_0001,
        }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GAMMA);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(MUL1);
        z = (z ^ (z >> 27)).wrapping_mul(MUL2);
        z ^ (z >> 31)
    }

    /// A derived, independent generator (for per-file streams).
    pub fn fork(&mut self) -> Rng {
        Rng::new(self.next_u64())
    }

    /// Uniform in `0..n` (`n > 0`; returns 0 when `n == 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        // Multiply-shift: unbiased enough for test data.
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }

    /// Uniform `usize` in `lo..=hi`.
    pub fn urange(&mut self, lo: usize, hi: usize) -> usize {
        self.range(lo as u64, hi as u64) as usize
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    /// A uniformly chosen element (`items` must be non-empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// `n` characters drawn from `alphabet`.
    pub fn string(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n)
            .map(|_| *self.pick(alphabet) as char)
            .collect::<String>()
    }

    /// `n` random bytes.
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next_u64() as u8).collect()
    }

    /// A random string from `alphabet` with at least one upper-case letter,
    /// one lower-case letter and one digit when `n >= 3` (looks like a key).
    pub fn mixed(&mut self, alphabet: &[u8], n: usize) -> String {
        loop {
            let s = self.string(alphabet, n);
            let b = s.as_bytes();
            let ok = n < 3
                || (b.iter().any(u8::is_ascii_uppercase)
                    && b.iter().any(u8::is_ascii_lowercase)
                    && b.iter().any(u8::is_ascii_digit));
            if ok {
                return s;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
        assert_ne!(Rng::new(7).next_u64(), Rng::new(8).next_u64());
    }

    #[test]
    fn below_stays_in_range() {
        let mut r = Rng::new(1);
        for n in 1..200 {
            assert!(r.below(n) < n);
        }
        assert_eq!(r.below(0), 0);
        for _ in 0..1000 {
            let v = r.range(3, 5);
            assert!((3..=5).contains(&v));
        }
    }

    #[test]
    fn mixed_has_all_classes() {
        let mut r = Rng::new(2);
        for _ in 0..50 {
            let s = r.mixed(alpha::ALNUM, 20);
            assert!(s.bytes().any(|c| c.is_ascii_digit()));
            assert!(s.bytes().any(|c| c.is_ascii_uppercase()));
            assert!(s.bytes().any(|c| c.is_ascii_lowercase()));
        }
    }
}
