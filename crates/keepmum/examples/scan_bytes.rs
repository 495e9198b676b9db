//! The smallest embedding: scan a buffer (here, stdin) and report what kind
//! of secret or PII it holds, without ever printing the value.
//!
//! ```sh
//! printf 'card 4012 8888 8888 1881\n' | cargo run -p keepmum --example scan_bytes  # keepmum:allow (a public test card number)
//! ```

use std::io::Read;

use keepmum::Scanner;

fn main() -> std::io::Result<()> {
    let mut input = Vec::new();
    std::io::stdin().read_to_end(&mut input)?;
    let scanner = Scanner::new();
    let findings = scanner.scan_bytes(&input);
    for f in &findings {
        println!(
            "line {} col {}: {} ({}, {} confidence): {}",
            f.line(),
            f.column(),
            f.description(),
            f.category(),
            f.confidence(),
            f.redacted()
        );
    }
    if findings.is_empty() {
        println!("nothing found");
    }
    Ok(())
}
