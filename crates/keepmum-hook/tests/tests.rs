//! Integration tests for `keepmum-hook`: every event shape of the
//! protocol spec for Claude Code, Cursor and Codex, with the exact output
//! JSON and exit code, run through the library and the built binary.
//! Every run also asserts that no output contains the raw token.
#![allow(clippy::unwrap_used)]

mod util;

mod claude;
mod codex;
mod commit;
mod cursor;
mod process;
