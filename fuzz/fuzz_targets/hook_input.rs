//! Fuzz target: the agent hook's event parser and shell-command reader.
//! Never panics on any bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(event) = keepmum_hook::parse_event(data) {
        let _ = event.name();
        let _ = event.tool_name();
        let _ = event.tool_input();
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = keepmum_hook::shell::analyze(text);
    }
});
