//! Deterministic generator of realistic synthetic source trees, with planted
//! fake secrets, PII and decoys, for keepmum's benchmarks and evaluation.
//!
//! - [`generate_tree`] writes a tree of a chosen size plus `labels.json`
//!   (every planted item: path, line, kind, expected rule family).
//! - [`source_text`] and [`dense_text`] build in-memory source-like text for
//!   throughput benchmarks.
//! - [`eval`] scores a scanner's findings against the labels.
//!
//! Same seed, same bytes: the generator uses its own splitmix64 PRNG
//! ([`rng::Rng`]). All values are synthetic and built at run time; no
//! token-shaped literal lives in this crate's sources.

// `*rng.pick(..)` derefs are needed where the expected type would otherwise
// drive `pick`'s type parameter to `str`; clippy does not see that.
#![allow(clippy::explicit_auto_deref)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod eval;
pub mod langs;
pub mod rng;
pub mod tokens;
mod tree;
pub mod words;

pub use tree::{
    dense_text, generate_tree, source_text, Config, Density, Label, Labels, LABELS_FILE,
};

/// Parses a size such as `50MB`, `512k`, `1G` or `1048576` (binary units).
pub fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: u64 = num.parse().ok()?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return None,
    };
    n.checked_mul(mult)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_size_units() {
        assert_eq!(parse_size("50MB"), Some(50 << 20));
        assert_eq!(parse_size("512k"), Some(512 << 10));
        assert_eq!(parse_size("1G"), Some(1 << 30));
        assert_eq!(parse_size("1234"), Some(1234));
        assert_eq!(parse_size("12XB"), None);
        assert_eq!(parse_size("MB"), None);
        assert_eq!(parse_size("99999999999999999999G"), None);
    }
}
