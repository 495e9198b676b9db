//! `keepmum merge`: combine the outputs of sharded scans into one report.

use std::path::{Path, PathBuf};

use anyhow::Context;
use keepmum::fleet::{self, JsonlWriter, Merge};
use keepmum::report::{self, Stats};
use keepmum::{Category, Finding};

use crate::cmd_scan::{write_report, Format, ReportOptions};

/// Combine the outputs of `keepmum scan --shard I/N` runs into one report.
///
/// Reads JSON Lines (`scan -f jsonl`) or keepmum JSON reports (`scan -f
/// json`), drops duplicate findings (same repository and fingerprint; for
/// working-tree scans, also the same line and column), keeps the earliest
/// commit of a secret reported by several shards, and writes the findings
/// sorted by repository, path and line, in any report format. When the
/// findings come from several repositories, their paths in reports other
/// than JSON Lines are `repository/path`.
///
/// Example, four shards over a list of repositories:
///
///   for i in 0 1 2 3; do keepmum scan --git --repos repos.txt --shard $i/4 -f jsonl -o shard-$i.jsonl; done
///   keepmum merge 'shard-*.jsonl' -f sarif -o keepmum.sarif
///
/// Exit codes: 0 nothing found, 1 findings, 2 error.
#[derive(clap::Args, Debug)]
pub(crate) struct MergeArgs {
    /// Shard outputs: files, glob patterns (quote them: `'out/*.jsonl'`,
    /// `'out/**/keepmum.jsonl'`), or `-` for stdin.
    #[arg(value_name = "INPUT", required = true)]
    inputs: Vec<String>,

    /// Report format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    format: Format,

    /// Write the report to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,

    /// Print raw secret values, when the inputs have them (shards run with
    /// `--show-secrets`). Never used in SARIF or HTML.
    #[arg(long)]
    show_secrets: bool,
}

/// Runs `keepmum merge`.
pub(crate) fn run(args: &MergeArgs) -> anyhow::Result<i32> {
    let start = std::time::Instant::now();
    let inputs = fleet::expand_inputs(&args.inputs)?;
    if inputs.iter().filter(|p| *p == Path::new("-")).count() > 1 {
        anyhow::bail!("stdin (`-`) can be read only once");
    }
    let mut merge = Merge::new();
    for input in &inputs {
        if input == Path::new("-") {
            merge.add_reader(std::io::stdin().lock(), "-")?;
        } else {
            let file = std::fs::File::open(input)
                .with_context(|| format!("cannot read {}", input.display()))?;
            merge.add_reader(file, &input.display().to_string())?;
        }
    }
    let read = merge.records_read();
    let mut records = merge.finish();
    if !args.show_secrets {
        for r in &mut records {
            r.secret = None;
        }
    }
    let pii = records
        .iter()
        .filter(|r| r.category == Category::Pii)
        .count();
    if args.format == Format::Jsonl {
        // Records go out as they came in: repository and path apart.
        let out = crate::open_output(args.output.as_deref())?;
        let mut w = JsonlWriter::new(out, args.show_secrets);
        for r in &records {
            w.write_record(r)?;
        }
        w.into_inner()?;
    } else {
        let several = fleet::spans_repositories(&records);
        let mut findings: Vec<Finding> = records.iter().map(|r| r.to_finding(several)).collect();
        report::sort_findings(&mut findings);
        let stats = Stats {
            elapsed: start.elapsed(),
            ..Stats::default()
        };
        let rules = keepmum::RuleSet::default();
        let cwd = std::env::current_dir().unwrap_or_default();
        let opts = ReportOptions {
            show_secrets: args.show_secrets,
            rules: &rules,
            base_dir: &cwd,
            source: &|_| None,
        };
        write_report(
            args.format,
            args.output.as_deref(),
            &findings,
            &stats,
            &opts,
        )?;
    }
    eprintln!(
        "merged {read} record{} from {} input{}: {} finding{} ({} secret{}, {pii} pii)",
        plural(read as usize),
        inputs.len(),
        plural(inputs.len()),
        records.len(),
        plural(records.len()),
        records.len() - pii,
        plural(records.len() - pii),
    );
    Ok(i32::from(!records.is_empty()))
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
