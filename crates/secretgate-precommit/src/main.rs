//! The `secretgate-precommit` binary.

fn main() {}
