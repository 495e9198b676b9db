//! Fuzz target: the gitleaks configuration loader and the scanner builder.
//! Any text must give `Ok` or `Err`, never a panic; configurations that load
//! are built and run over the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use keepmum::{RuleSet, Scanner};

/// Rule sets larger than this are parsed but not compiled.
const MAX_BUILT_RULES: usize = 8;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // `[extend] path` reads a file; keep the fuzzer away from device files
    // that never end or block.
    if ["/dev", "/proc", "/sys", "\\\\"]
        .iter()
        .any(|p| text.contains(p))
    {
        return;
    }
    let Ok((rules, allow)) = RuleSet::from_gitleaks_toml(text) else {
        return;
    };
    // Compiling every regex of a large set (e.g. `useDefault`) costs far more
    // than parsing; keep executions fast so the fuzzer explores the parser.
    if rules.len() > MAX_BUILT_RULES {
        return;
    }
    if let Ok(scanner) = Scanner::builder().rules(rules).allowlist(allow).build() {
        for f in scanner.scan_bytes(data) {
            assert!(f.span().end <= data.len());
        }
    }
});
