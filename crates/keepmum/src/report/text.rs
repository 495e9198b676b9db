//! The human-readable text report.
//!
//! One finding per line:
//!
//! ```text
//! src/config.py:3:10  github-pat  ghp_*****
//! ```
//!
//! `path:line:column`, two spaces, the rule id, two spaces, the redacted
//! secret (the raw value only when `show_secrets` is set). Colour (ANSI
//! escapes) is used only when asked for, which the CLI does when stdout is
//! a terminal. The summary line ([`summary`]) goes to stderr.

use std::io::{self, Write};

use super::{display_path, printable_secret, Stats};
use crate::finding::{Category, Confidence, Finding};

const RESET: &str = "\x1b[0m";
const MAGENTA: &str = "\x1b[35m";
const GREEN: &str = "\x1b[32m";
const BOLD_RED: &str = "\x1b[1;31m";
const BOLD_YELLOW: &str = "\x1b[1;33m";
const DIM: &str = "\x1b[2m";

/// Options for [`write()`].
#[derive(Clone, Copy, Debug, Default)]
#[non_exhaustive]
pub struct TextOptions {
    /// Colour the output with ANSI escapes. The default is `false`.
    pub color: bool,
    /// Print raw secrets instead of redacted ones. The default is `false`.
    pub show_secrets: bool,
}

impl TextOptions {
    /// Options with the defaults.
    pub fn new() -> TextOptions {
        TextOptions::default()
    }

    /// Whether to colour the output.
    pub fn color(mut self, yes: bool) -> TextOptions {
        self.color = yes;
        self
    }

    /// Whether to print raw secrets.
    pub fn show_secrets(mut self, yes: bool) -> TextOptions {
        self.show_secrets = yes;
        self
    }
}

/// Writes one line per finding.
///
/// # Errors
/// Only I/O errors from `w`.
pub fn write<W: Write>(mut w: W, findings: &[Finding], opts: &TextOptions) -> io::Result<()> {
    for f in findings {
        let path = f
            .path()
            .map(display_path)
            .unwrap_or_else(|| "-".to_string());
        let mut value = if opts.show_secrets {
            printable_secret(f)
        } else {
            f.redacted()
        };
        if !f.decoders().is_empty() {
            value.push_str(&format!("  (decoded: {})", f.decoders().join(" > ")));
        }
        if let Some(c) = f.commit() {
            let short = c.sha().get(..10).unwrap_or(c.sha());
            value.push_str(&format!(
                "  (commit {short} {} {})",
                c.date(),
                c.author_email()
            ));
        }
        if opts.color {
            let rule_colour = match (f.category(), f.confidence()) {
                (_, Confidence::Low) | (Category::Pii, _) => BOLD_YELLOW,
                _ => BOLD_RED,
            };
            writeln!(
                w,
                "{MAGENTA}{path}{RESET}:{GREEN}{}{RESET}:{GREEN}{}{RESET}  {rule_colour}{}{RESET}  {DIM}{value}{RESET}",
                f.line(),
                f.column(),
                f.rule_id()
            )?;
        } else {
            writeln!(
                w,
                "{path}:{}:{}  {}  {value}",
                f.line(),
                f.column(),
                f.rule_id()
            )?;
        }
    }
    w.flush()
}

/// The one-line summary, e.g.
/// `scanned 12 files (40.0 KiB) in 0.01s: 2 findings (1 secret, 1 pii)`.
pub fn summary(stats: &Stats, findings: &[Finding]) -> String {
    let pii = findings
        .iter()
        .filter(|f| f.category() == Category::Pii)
        .count();
    summary_counts(stats, findings.len() - pii, pii)
}

/// [`summary`] from counts, for reports streamed without keeping findings.
pub fn summary_counts(stats: &Stats, secrets: usize, pii: usize) -> String {
    let total = secrets + pii;
    let s = |n: u64| if n == 1 { "" } else { "s" };
    format!(
        "scanned {} file{} ({}) in {:.2}s: {} finding{} ({} secret{}, {} pii)",
        stats.files,
        s(stats.files),
        human_bytes(stats.bytes),
        stats.elapsed.as_secs_f64(),
        total,
        s(total as u64),
        secrets,
        s(secrets as u64),
        pii
    )
}

/// `1536` → `1.5 KiB`.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    format!("{v:.1} {}", UNITS[u])
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::Scanner;
    use std::path::Path;

    #[test]
    fn one_line_per_finding_redacted() {
        let tok = ["ghp_", "A1b2C3d4E5f6", "G7h8I9j0K1l2", "M3n4O5p6Q7r8"].concat();
        let text = format!("x\ntoken = \"{tok}\"\n");
        let f: Vec<Finding> = Scanner::new()
            .scan_bytes_at(text.as_bytes(), Path::new("./a.py"))
            .into_iter()
            .filter(|f| f.rule_id() == "github-pat")
            .collect();
        let mut out = Vec::new();
        write(&mut out, &f, &TextOptions::new()).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert_eq!(out, format!("a.py:2:10  github-pat  {}\n", f[0].redacted()));
        let mut col = Vec::new();
        write(&mut col, &f, &TextOptions::new().color(true)).unwrap();
        assert!(String::from_utf8(col).unwrap().contains("\x1b["));
        let mut raw = Vec::new();
        write(&mut raw, &f, &TextOptions::new().show_secrets(true)).unwrap();
        assert!(String::from_utf8(raw).unwrap().contains(&tok));
    }

    #[test]
    fn summary_and_sizes() {
        assert_eq!(human_bytes(10), "10 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(3 << 20), "3.0 MiB");
        let s = summary(
            &Stats {
                files: 1,
                bytes: 2048,
                elapsed: std::time::Duration::from_millis(1500),
            },
            &[],
        );
        assert_eq!(
            s,
            "scanned 1 file (2.0 KiB) in 1.50s: 0 findings (0 secrets, 0 pii)"
        );
    }
}
