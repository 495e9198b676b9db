//! The `secretgate-hook` binary.

fn main() {}
