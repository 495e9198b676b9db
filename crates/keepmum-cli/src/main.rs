//! The `keepmum` binary: parses flags, runs one subcommand, and maps the
//! outcome to an exit code.
//!
//! Exit codes (a stable contract): `0` nothing found, `1` findings, `2`
//! error (bad arguments, bad configuration, unreadable baseline, I/O
//! failure). Every error is printed once, as one line on stderr:
//! `keepmum: <message>`. A closed stdout (broken pipe, e.g. `| head`) is
//! a clean exit.
//!
//! All detection lives in the `keepmum` library; this crate only wires
//! flags to it and writes reports.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod cmd_baseline;
mod cmd_init;
mod cmd_merge;
mod cmd_redact;
mod cmd_rules;
mod cmd_scan;
mod progress;

use std::io::{ErrorKind, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

/// Find secrets and personal data (PII) in files, directory trees, stdin
/// and staged git changes.
///
/// Exit codes: 0 nothing found, 1 findings, 2 error.
#[derive(Parser, Debug)]
#[command(name = "keepmum", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Scan files, directories, stdin (`-`) or the staged git changes.
    Scan(cmd_scan::ScanArgs),
    /// Inspect the detection rules.
    Rules(cmd_rules::RulesArgs),
    /// Copy files (or stdin) to stdout with every secret replaced by
    /// `[REDACTED:<rule-id>]`.
    Redact(cmd_redact::RedactArgs),
    /// Create, update or audit a `.secrets.baseline` of accepted findings.
    Baseline(cmd_baseline::BaselineArgs),
    /// Write a commented sample `.keepmum.toml`.
    Init(cmd_init::InitArgs),
    /// Combine the outputs of sharded scans (`scan --shard I/N -f jsonl`)
    /// into one report, without duplicates, in any format.
    Merge(cmd_merge::MergeArgs),
}

/// Options shared by commands that build a scanner.
#[derive(clap::Args, Debug, Clone, Default)]
pub(crate) struct ConfigArgs {
    /// Configuration file (`.keepmum.toml` format, or a gitleaks
    /// `.gitleaks.toml`). Without it, `.keepmum.toml` (else `.gitleaks.toml`)
    /// in the scanned directory or its nearest parent up to the repository
    /// root or the current directory is used when present.
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,

    /// Do not look for PII (emails, SSNs, card numbers, IBANs, phones…).
    #[arg(long, conflicts_with = "only")]
    pub(crate) no_pii: bool,

    /// Look only for PII or only for secrets.
    #[arg(long, value_enum, value_name = "KIND")]
    pub(crate) only: Option<Only>,
}

/// What `--only` keeps.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Only {
    /// Personal data only.
    Pii,
    /// Credentials only.
    Secrets,
}

impl ConfigArgs {
    /// Builds a scanner from the configuration file (explicit, or
    /// discovered in `discover_dir`) and these flags (flags win), after
    /// `tweak` has adjusted the builder. Errors in rules from the file name
    /// the file.
    pub(crate) fn scanner(
        &self,
        discover_dir: &std::path::Path,
        tweak: impl FnOnce(&mut keepmum::ScannerBuilder),
    ) -> anyhow::Result<keepmum::Scanner> {
        use keepmum::config::Config;
        let mut b = keepmum::Scanner::builder();
        let config = match &self.config {
            Some(path) => Some(Config::load(path)?),
            None => {
                let cwd = std::env::current_dir().unwrap_or_else(|_| discover_dir.to_path_buf());
                Config::discover_upwards(discover_dir, &cwd)?
            }
        };
        if let Some(c) = &config {
            // A gitleaks rule we translate approximately is said once,
            // loudly, with what we do instead: never a silent loss.
            let name = c
                .path()
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            for w in c.warnings() {
                warn(&format!("{name}: {w}"));
            }
            c.apply(&mut b)?;
        }
        if self.no_pii {
            b.pii(false);
        }
        match self.only {
            Some(Only::Pii) => {
                b.pii(true).secrets(false);
            }
            Some(Only::Secrets) => {
                b.pii(false).secrets(true);
            }
            None => {}
        }
        tweak(&mut b);
        let built = b.build();
        match (built, config.as_ref().and_then(|c| c.path())) {
            (Ok(s), _) => Ok(s),
            (Err(e), Some(p)) => {
                Err(anyhow::Error::new(e).context(format!("invalid configuration {}", p.display())))
            }
            (Err(e), None) => Err(e.into()),
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_error(e),
    };
    let result = match &cli.command {
        Command::Scan(args) => cmd_scan::run(args),
        Command::Rules(args) => cmd_rules::run(args),
        Command::Redact(args) => cmd_redact::run(args),
        Command::Baseline(args) => cmd_baseline::run(args),
        Command::Init(args) => cmd_init::run(args),
        Command::Merge(args) => cmd_merge::run(args),
    };
    match result {
        Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(2)),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("keepmum: {}", one_line(&format!("{e:#}")));
            ExitCode::from(2)
        }
    }
}

/// Help and version go to stdout with exit 0; usage errors become one line
/// and exit 2.
fn clap_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind as K;
    match e.kind() {
        K::DisplayHelp | K::DisplayVersion | K::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            if e.kind() == K::DisplayHelpOnMissingArgumentOrSubcommand {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            }
        }
        _ => {
            // clap's message: the first paragraph (the error, possible
            // values, tips), without the usage block, on one line.
            let text = e.render().to_string();
            let first: Vec<&str> = text
                .lines()
                .map(str::trim)
                .skip_while(|l| l.is_empty())
                .take_while(|l| !l.is_empty() && !l.starts_with("Usage:"))
                .collect();
            let mut msg = first.join(" ");
            // clap's "did you mean" lines come after a blank line.
            for tip in text
                .lines()
                .map(str::trim)
                .take_while(|l| !l.starts_with("Usage:"))
                .filter(|l| l.starts_with("tip:"))
            {
                msg.push_str(" (");
                msg.push_str(tip.trim_end_matches('.'));
                msg.push(')');
            }
            let msg = msg.trim_start_matches("error: ");
            eprintln!(
                "keepmum: {} (see `keepmum --help`)",
                msg.trim_end_matches('.')
            );
            ExitCode::from(2)
        }
    }
}

/// Collapses a message onto one line.
fn one_line(s: &str) -> String {
    s.split(['\n', '\r'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// True when the error (anywhere in its chain) is a closed pipe.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == ErrorKind::BrokenPipe)
            || c.downcast_ref::<keepmum::Error>().is_some_and(|se| {
                std::error::Error::source(se)
                    .and_then(|s| s.downcast_ref::<std::io::Error>())
                    .is_some_and(|io| io.kind() == ErrorKind::BrokenPipe)
            })
    })
}

/// Prints a warning on stderr (one line), clearing a progress line first.
pub(crate) fn warn(msg: &str) {
    let clear = if std::io::stderr().is_terminal() {
        "\r\x1b[K"
    } else {
        ""
    };
    eprintln!("{clear}keepmum: warning: {}", one_line(msg));
}

/// Prints a note on stderr (one line), clearing a progress line first.
pub(crate) fn note(msg: &str) {
    let clear = if std::io::stderr().is_terminal() {
        "\r\x1b[K"
    } else {
        ""
    };
    eprintln!("{clear}keepmum: note: {}", one_line(msg));
}

/// Opens `--output FILE` or stdout.
pub(crate) fn open_output(
    path: Option<&std::path::Path>,
) -> anyhow::Result<Box<dyn std::io::Write>> {
    Ok(match path {
        Some(p) if p != std::path::Path::new("-") => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p)
                .with_context(|| format!("failed to create {}", p.display()))?,
        )),
        _ => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn messages_become_one_line() {
        assert_eq!(one_line("a\n  b\r\n\nc"), "a b c");
        assert_eq!(one_line("single"), "single");
    }

    #[test]
    fn broken_pipes_are_recognised_through_context() {
        let io = std::io::Error::from(ErrorKind::BrokenPipe);
        let e = anyhow::Error::new(io).context("writing the report");
        assert!(is_broken_pipe(&e));
        let other = anyhow::Error::new(std::io::Error::from(ErrorKind::NotFound));
        assert!(!is_broken_pipe(&other));
        let lib =
            keepmum::redact::redact_stream(&keepmum::Scanner::new(), &b"data\n"[..], BrokenWriter)
                .unwrap_err();
        assert!(is_broken_pipe(&anyhow::Error::new(lib).context("redact")));
    }

    struct BrokenWriter;
    impl std::io::Write for BrokenWriter {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
