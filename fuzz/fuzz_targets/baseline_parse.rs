//! Fuzz target: the detect-secrets baseline parser. Any text gives `Ok` or
//! `Err`, never a panic; a baseline that parses serialises to text that
//! parses again to the same serialisation (write → read is the identity).
#![no_main]

use libfuzzer_sys::fuzz_target;
use keepmum::baseline::Baseline;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(baseline) = Baseline::parse(text) else {
        return;
    };
    let written = baseline.to_json_string();
    let again = match Baseline::parse(&written) {
        Ok(b) => b,
        Err(e) => panic!("our own baseline output does not parse: {e}"),
    };
    assert_eq!(
        again.to_json_string(),
        written,
        "write -> read is not the identity"
    );
    assert_eq!(again.len(), baseline.len());
});
