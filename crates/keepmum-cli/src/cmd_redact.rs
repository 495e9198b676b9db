//! `keepmum redact`: copy input to stdout with secrets replaced.

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::ConfigArgs;

/// Copy files (or stdin) to stdout with every secret and PII value
/// replaced by `[REDACTED:<rule-id>]`. Streams in bounded memory.
#[derive(clap::Args, Debug)]
pub(crate) struct RedactArgs {
    /// Files to redact, in order; `-` or none reads stdin.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,

    #[command(flatten)]
    config: ConfigArgs,
}

/// Runs `keepmum redact`. Exits 0 on success (whether or not anything
/// was redacted), 2 on error.
pub(crate) fn run(args: &RedactArgs) -> anyhow::Result<i32> {
    let cwd = std::env::current_dir()?;
    let scanner = args.config.scanner(&cwd, |_| {})?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let stdin_only = [PathBuf::from("-")];
    let files: &[PathBuf] = if args.files.is_empty() {
        &stdin_only
    } else {
        &args.files
    };
    for f in files {
        if f == Path::new("-") {
            keepmum::redact::redact_stream(&scanner, std::io::stdin().lock(), &mut out)
                .context("failed to redact stdin")?;
        } else {
            let file = std::fs::File::open(f)
                .with_context(|| format!("failed to open {}", f.display()))?;
            keepmum::redact::redact_stream(&scanner, file, &mut out)
                .with_context(|| format!("failed to redact {}", f.display()))?;
        }
    }
    Ok(0)
}
