//! The `secretgate` binary.

fn main() {}
