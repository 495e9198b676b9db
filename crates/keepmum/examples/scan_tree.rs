//! Embedding keepmum in another tool: scan a directory tree in parallel
//! and print one redacted line per finding, like a linter would.
//!
//! ```sh
//! cargo run -p keepmum --example scan_tree -- path/to/dir
//! ```
//!
//! Exits 1 when anything is found, 2 on a bad argument.

use std::process::ExitCode;
use std::sync::Mutex;

use keepmum::{FileScan, Scanner, WalkEvent, Walker};

fn main() -> ExitCode {
    let root = std::env::args_os().nth(1).unwrap_or_else(|| ".".into());
    // Built-in rules; PII off for this example, archives on.
    let scanner = match Scanner::builder().pii(false).archives(true).build() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("scan_tree: {e}");
            return ExitCode::from(2);
        }
    };
    let lines = Mutex::new(Vec::new());
    Walker::new().run(&[root], &scanner, |event| match event {
        WalkEvent::File {
            scan: FileScan::Scanned { findings, .. },
            ..
        } => {
            for f in findings {
                let path = f
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                // `redacted()` never contains the secret; never print `expose()`.
                let line = format!(
                    "{path}:{}:{}: {} {}",
                    f.line(),
                    f.column(),
                    f.rule_id(),
                    f.redacted()
                );
                if let Ok(mut l) = lines.lock() {
                    l.push(line);
                }
            }
        }
        WalkEvent::Error { error, .. } => eprintln!("scan_tree: warning: {error}"),
        _ => {}
    });
    let mut lines = lines.into_inner().unwrap_or_else(|e| e.into_inner());
    lines.sort();
    for l in &lines {
        println!("{l}");
    }
    if lines.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
