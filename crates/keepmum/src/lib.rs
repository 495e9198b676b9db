//! Fast, offline detection of secrets and personal data.
//!
//! `keepmum` finds credentials (cloud keys, API tokens, private keys,
//! connection strings) and PII (emails, SSNs, payment cards, IBANs, phone
//! numbers, NHS numbers) in bytes, files and directory trees. It is the
//! engine behind the `keepmum` CLI, the `keepmum-hook` AI-agent gate
//! and the `keepmum-precommit` hook.
//!
//! # Example
//!
//! ```
//! use keepmum::{Category, Scanner};
//!
//! let scanner = Scanner::new();
//! // A synthetic token in GitHub's classic PAT format.
//! let text = format!("token = \"ghp_{}\"\n", "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8");
//! let findings = scanner.scan_bytes(text.as_bytes());
//! assert_eq!(findings.len(), 1);
//! let f = &findings[0];
//! assert_eq!(f.rule_id(), "github-pat");
//! assert_eq!(f.category(), Category::Secret);
//! assert_eq!((f.line(), f.column()), (1, 10));
//! // Printing a finding never prints the secret.
//! assert!(!f.redacted().contains("A1b2C3d4E5f6"));
//! ```
//!
//! # Main types
//!
//! - [`Scanner`] (built with [`ScannerBuilder`]) scans bytes and files.
//! - [`Walker`] scans directory trees in parallel, with a callback
//!   ([`Walker::run`]) or as an iterator ([`Walker::iter`]); it can apply
//!   each root's `.keepmum.toml` ([`Walker::config_files`]).
//! - [`Scanner::scan_reader`] scans a stream in bounded memory.
//! - [`Finding`] is one result; its [`Secret`] redacts itself when printed.
//! - [`RuleSet`] and [`Rule`] are the detection rules (data, not code);
//!   [`Rule::builder`] writes a custom rule in code.
//! - [`Allowlist`] drops findings by secret or path.
//!
//! # Conventions
//!
//! Spans are 0-based byte ranges into the scanned input; lines and columns are
//! 1-based and columns count bytes; `end_column` is exclusive.
//!
//! # Untrusted input
//!
//! Scanning never panics and takes time linear in the input. Regexes are
//! `regex-automata` automata (no backtracking). Custom rules are untrusted too:
//! each regex is size-limited and errors surface in [`ScannerBuilder::build`].
#![deny(missing_docs)]
#![doc(test(attr(deny(warnings))))]

mod allow;
mod archive;
pub mod atomic;
pub mod baseline;
pub mod config;
mod engine;
mod error;
mod finding;
pub mod fleet;
pub mod git;
pub mod gitleaksignore;
pub mod redact;
pub mod report;
pub mod rules;
mod scanner;
pub mod textdecode;
pub mod time;
mod validators;
mod walk;

pub use allow::Allowlist;
pub use atomic::write_atomic;
pub use error::{Error, ErrorKind, Result};
pub use finding::{Category, CommitInfo, Confidence, Finding, Secret};
pub use rules::{Rule, RuleBuilder, RuleSet, Specificity};
pub use scanner::{
    is_binary, is_project_metadata, FileScan, Scanner, ScannerBuilder, Skip, BINARY_SNIFF_LEN,
    DEFAULT_DECODE_DEPTH, DEFAULT_MAX_FILE_SIZE,
};
pub use scanner::{CopiedRun, DeltaScanner, ScanMemo};
pub use walk::{RootIgnore, WalkEvent, WalkIter, Walker, IGNORE_FILE};
