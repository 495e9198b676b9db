//! Fuzz target: the `.gitleaksignore` parser. Never panics; every non-blank,
//! non-comment line becomes an entry or a warning; lookups never panic.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use keepmum::gitleaksignore::GitleaksIgnore;
use keepmum::{Finding, Scanner};

fn finding() -> &'static Option<Finding> {
    static F: OnceLock<Option<Finding>> = OnceLock::new();
    F.get_or_init(|| {
        let text = format!("t = \"ghp_{}\"\n", "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"); // keepmum:allow (synthetic)
        Scanner::new()
            .scan_bytes_at(text.as_bytes(), Path::new("src/app.py"))
            .into_iter()
            .next()
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let ig = GitleaksIgnore::parse(&text);
    let lines = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .count();
    assert!(ig.len() + ig.warnings().len() <= lines);
    assert!(lines == 0 || ig.len() + ig.warnings().len() > 0);
    if let Some(f) = finding() {
        let _ = ig.is_ignored(f, None);
        let _ = ig.is_ignored(f, Some("0123456789abcdef0123456789abcdef01234567"));
    }
});
