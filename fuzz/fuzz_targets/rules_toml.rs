//! Fuzz target: keepmum's rule-file parser and the scanner builder. Any
//! text must give `Ok` or `Err`, never a panic; rules that build are run over
//! the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use keepmum::{RuleSet, Scanner};

/// Rule sets larger than this are parsed but not compiled.
const MAX_BUILT_RULES: usize = 8;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(rules) = RuleSet::from_toml(text) else {
        return;
    };
    if rules.len() > MAX_BUILT_RULES {
        return;
    }
    if let Ok(scanner) = Scanner::builder().rules(rules).build() {
        for f in scanner.scan_bytes(data) {
            assert!(f.span().end <= data.len());
        }
    }
});
