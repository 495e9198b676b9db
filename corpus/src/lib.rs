//! Deterministic generator of synthetic test trees.
