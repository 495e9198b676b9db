//! `keepmum rules`: list the detection rules.

use std::io::Write as _;

use clap::Subcommand;
use serde_json::json;

use crate::ConfigArgs;

/// Inspect the detection rules.
#[derive(clap::Args, Debug)]
pub(crate) struct RulesArgs {
    #[command(subcommand)]
    command: RulesCommand,
}

#[derive(Subcommand, Debug)]
enum RulesCommand {
    /// List the rules that a scan would run (built-in rules plus the
    /// configuration's custom rules, minus disabled ones).
    List(ListArgs),
}

#[derive(clap::Args, Debug)]
struct ListArgs {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Text)]
    format: ListFormat,

    #[command(flatten)]
    config: ConfigArgs,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
enum ListFormat {
    /// One rule per line: id, category, confidence, description.
    Text,
    /// A JSON array of rule objects.
    Json,
}

/// Runs `keepmum rules …`.
pub(crate) fn run(args: &RulesArgs) -> anyhow::Result<i32> {
    match &args.command {
        RulesCommand::List(a) => list(a),
    }
}

fn list(args: &ListArgs) -> anyhow::Result<i32> {
    let cwd = std::env::current_dir()?;
    let scanner = args.config.scanner(&cwd, |_| {})?;
    let rules = scanner.rules();
    let mut out = crate::open_output(None)?;
    match args.format {
        ListFormat::Text => {
            let width = rules.iter().map(|r| r.id().len()).max().unwrap_or(0);
            for r in rules {
                writeln!(
                    out,
                    "{:width$}  {:6}  {:6}  {}",
                    r.id(),
                    r.category().as_str(),
                    r.confidence().as_str(),
                    r.description()
                )?;
            }
        }
        ListFormat::Json => {
            let list: Vec<_> = rules
                .iter()
                .map(|r| {
                    json!({
                        "id": r.id(),
                        "description": r.description(),
                        "category": r.category().as_str(),
                        "confidence": r.confidence().as_str(),
                        "tags": r.tags(),
                        "keywords": r.keywords(),
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &list)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(0)
}
