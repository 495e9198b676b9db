//! `keepmum scan`: scan paths, stdin or the git index and write a report.

use std::collections::HashMap;
use std::io::{IsTerminal, Read, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::{bail, Context};
use keepmum::report::{self, Stats};
use keepmum::{FileScan, Finding, Scanner, Skip, WalkEvent, Walker};

use crate::progress::{Counters, Progress};
use crate::{note, warn, ConfigArgs};

/// Scan files, directories, stdin or the staged git changes.
///
/// Exit codes: 0 nothing found, 1 findings, 2 error.
#[derive(clap::Args, Debug)]
pub(crate) struct ScanArgs {
    /// Files or directories to scan; `-` reads stdin. Defaults to `.`.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,

    /// Scan what is staged in the git index (the blobs `git commit` would
    /// record), not the working tree. Paths are reported relative to the
    /// repository root.
    #[arg(long, conflicts_with = "paths")]
    staged: bool,

    /// Report format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    format: Format,

    /// Write the report to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,

    #[command(flatten)]
    config: ConfigArgs,

    /// Print raw secret values (text, json, gitleaks-json, csv and junit
    /// formats). Never used in SARIF or HTML.
    #[arg(long)]
    show_secrets: bool,

    /// Number of scanning threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    threads: Option<usize>,

    /// Do not honour `.gitignore`, `.ignore` and `.keepmumignore` files.
    #[arg(long)]
    no_ignore: bool,

    /// Follow symbolic links.
    #[arg(long, short = 'L')]
    follow_symlinks: bool,

    /// Skip files larger than this (bytes, or with a K/M/G suffix in
    /// binary units). Default: 50M.
    #[arg(long, value_name = "BYTES", value_parser = parse_size)]
    max_file_size: Option<u64>,

    /// Drop findings recorded in this detect-secrets compatible baseline
    /// (`.secrets.baseline`).
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,

    /// Scan the git history of the repository at PATH (default `.`): every
    /// blob reachable from all refs, each unique blob once, reported with
    /// the commit that introduced it. Missing objects are warnings.
    #[arg(long, conflicts_with = "staged")]
    git: bool,

    /// With --git: only commits not reachable from REV (e.g. `v1.2.0`,
    /// `HEAD~50`).
    #[arg(long, value_name = "REV", requires = "git", conflicts_with_all = ["range", "branch"])]
    since: Option<String>,

    /// With --git: only commits in `A..B` (reachable from B, not from A).
    #[arg(long, value_name = "A..B", requires = "git", conflicts_with = "branch")]
    range: Option<String>,

    /// With --git: only commits reachable from this branch (or revision).
    #[arg(long, value_name = "NAME", requires = "git")]
    branch: Option<String>,

    /// With --git: scan every blob in full. By default a blob stored as a
    /// delta over another version of the same file is scanned only around
    /// the lines that differ, with the same findings.
    #[arg(long, requires = "git")]
    full: bool,

    /// Act as git's pre-push hook: read `<local ref> <local sha> <remote ref>
    /// <remote sha>` lines from stdin and scan only the commits about to be
    /// pushed.
    #[arg(long, conflicts_with_all = ["staged", "git"])]
    pre_push: bool,

    /// Do not look inside zip (jar, whl, docx…), tar and gzip archives.
    #[arg(long)]
    no_archives: bool,

    /// Layers of base64, hex, percent or `\uXXXX` encoding to look through
    /// (0 turns decoding off).
    #[arg(long, value_name = "N", default_value_t = keepmum::DEFAULT_DECODE_DEPTH)]
    decode_depth: usize,
}

/// Report formats.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    /// One line per finding, for people.
    Text,
    /// keepmum's JSON document (`{"version": 1, "findings": […], "stats": {…}}`).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// gitleaks' JSON report shape.
    GitleaksJson,
    /// gitleaks' CSV report shape (nothing at all when nothing is found).
    Csv,
    /// JUnit XML (gitleaks' shape): one failed test case per finding.
    Junit,
    /// One self-contained HTML page: totals, charts, a sortable table of
    /// redacted findings and, with --git, a timeline. Never shows secrets.
    Html,
}

/// Parses `1048576`, `512K`, `10M`, `1G` (binary units; optional `B`/`iB`).
fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let lower = t.to_ascii_lowercase();
    let lower = lower
        .strip_suffix("ib")
        .or_else(|| lower.strip_suffix('b'))
        .unwrap_or(&lower);
    let (num, mult) = match lower.chars().last() {
        Some('k') => (&lower[..lower.len() - 1], 1u64 << 10),
        Some('m') => (&lower[..lower.len() - 1], 1 << 20),
        Some('g') => (&lower[..lower.len() - 1], 1 << 30),
        _ => (lower, 1),
    };
    num.trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(mult))
        .ok_or_else(|| format!("invalid size {t:?} (expected bytes, e.g. 1048576 or 10M)"))
}

/// What a scan produced.
#[derive(Default)]
struct Outcome {
    findings: Vec<Finding>,
    files: u64,
    bytes: u64,
    binary: u64,
    too_large: u64,
    /// Contents of inputs that are not plain files (stdin, staged blobs),
    /// for SARIF line hashes and baseline matching.
    sources: HashMap<PathBuf, Vec<u8>>,
}

/// Runs `keepmum scan`.
pub(crate) fn run(args: &ScanArgs) -> anyhow::Result<i32> {
    let start = Instant::now();
    let cwd = std::env::current_dir().context("cannot determine the current directory")?;
    let repo = if args.staged {
        Some(keepmum::git::repo_root(&cwd)?)
    } else {
        None
    };
    let history = args.git || args.pre_push;
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    for p in &paths {
        if p != Path::new("-") {
            std::fs::symlink_metadata(p).with_context(|| format!("cannot scan {}", p.display()))?;
        }
    }
    if paths.iter().filter(|p| *p == Path::new("-")).count() > 1 {
        bail!("stdin (`-`) can be scanned only once");
    }

    // Configuration: explicit, or `.keepmum.toml` of the repository (for
    // --staged), the one directory scanned, or the current directory.
    let discover_dir = match (&repo, paths.as_slice()) {
        (Some(r), _) => r.clone(),
        (None, [one]) if history => one.clone(),
        (None, [one]) if one.is_dir() => one.clone(),
        _ => cwd.clone(),
    };
    let scanner = args.config.scanner(&discover_dir, |b| {
        if let Some(max) = args.max_file_size {
            b.max_file_size(max);
        }
        b.archives(!args.no_archives)
            .decode_depth(args.decode_depth);
    })?;
    let baseline = match &args.baseline {
        Some(p) => Some(keepmum::baseline::Baseline::load(p)?),
        None => None,
    };
    if args.format == Format::Sarif && args.show_secrets {
        note("--show-secrets is ignored for SARIF output");
    }
    if args.format == Format::Html && args.show_secrets {
        note("--show-secrets is ignored for HTML output");
    }

    let counters = Arc::new(Counters::default());
    let mut progress = Progress::start(Arc::clone(&counters));
    let mut outcome = match &repo {
        Some(r) => scan_staged(&scanner, r)?,
        None if history => {
            progress.finish();
            scan_git(&scanner, args, &paths[0])?
        }
        None => scan_paths(&scanner, &paths, args, &counters)?,
    };
    progress.finish();

    if outcome.binary > 0 {
        let n = outcome.binary;
        note(&format!(
            "skipped {n} binary file{} (NUL byte in the first 8 KiB)",
            if n == 1 { "" } else { "s" }
        ));
    }

    let source = |p: &Path| -> Option<Vec<u8>> {
        if history {
            // Findings come from blobs of many commits, not the work tree.
            return None;
        }
        if let Some(c) = outcome.sources.get(p) {
            return Some(c.clone());
        }
        match &repo {
            Some(r) => keepmum::git::staged_blob(r, p).ok(),
            None => std::fs::read(p).ok(),
        }
    };

    if let Some(b) = &baseline {
        let rules = scanner.rules().clone();
        let mut cache: HashMap<PathBuf, Vec<u8>> = HashMap::new();
        outcome.findings.retain(|f| {
            let path = f.path().map(Path::to_path_buf).unwrap_or_default();
            let content = cache
                .entry(path.clone())
                .or_insert_with(|| source(&path).unwrap_or_default());
            let name = keepmum::baseline::normalize_filename(&path);
            let d = keepmum::baseline::Detection::from_finding(f, &rules, content, &name);
            !b.contains(&d)
        });
    }

    // A `.gitleaksignore` next to the configuration drops listed findings
    // (`file:rule:line` or keepmum fingerprints), as gitleaks does.
    let ignore_path = discover_dir.join(keepmum::gitleaksignore::FILE_NAME);
    if ignore_path.is_file() {
        let ignore = keepmum::gitleaksignore::GitleaksIgnore::load(&ignore_path)?;
        for w in ignore.warnings() {
            warn(&format!("{}: {w}", ignore_path.display()));
        }
        outcome
            .findings
            .retain(|f| !ignore.is_ignored(f, f.commit().map(|c| c.sha())));
    }

    report::sort_findings(&mut outcome.findings);
    // The same file given twice (or reached from two roots) reports once.
    outcome.findings.dedup_by(|a, b| {
        a.path() == b.path()
            && a.span() == b.span()
            && a.rule_id() == b.rule_id()
            && a.secret() == b.secret()
    });
    let stats = Stats {
        files: outcome.files,
        bytes: outcome.bytes,
        elapsed: start.elapsed(),
    };
    let to_stdout = args.output.as_deref().is_none_or(|p| p == Path::new("-"));
    let mut out = crate::open_output(args.output.as_deref())?;
    let findings = &outcome.findings;
    match args.format {
        Format::Text => {
            let color = to_stdout
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            let opts = report::text::TextOptions::new()
                .color(color)
                .show_secrets(args.show_secrets);
            report::text::write(&mut out, findings, &opts)?;
        }
        Format::Json => {
            let opts = report::json::JsonOptions::new().show_secrets(args.show_secrets);
            report::json::write(&mut out, findings, &stats, &opts)?;
        }
        Format::Sarif => {
            let opts = report::sarif::SarifOptions::new()
                .version(env!("CARGO_PKG_VERSION"))
                .base_dir(repo.clone().unwrap_or_else(|| cwd.clone()));
            report::sarif::write(&mut out, findings, scanner.rules(), &opts, &source)?;
        }
        Format::GitleaksJson => {
            report::gitleaks::write(&mut out, findings, args.show_secrets)?;
        }
        Format::Csv => report::csv::write(&mut out, findings, args.show_secrets)?,
        Format::Junit => report::junit::write(&mut out, findings, args.show_secrets)?,
        Format::Html => {
            let opts = report::html::HtmlOptions::new().version(env!("CARGO_PKG_VERSION"));
            report::html::write(&mut out, findings, &stats, &opts)?;
        }
    }
    out.flush()?;
    drop(out);
    // On stderr, so it never mixes with a report on stdout, whatever the
    // format.
    eprintln!("{}", report::text::summary(&stats, findings));
    Ok(if findings.is_empty() { 0 } else { 1 })
}

/// Scans git history: the selection from the flags, or each update named
/// on stdin by git's pre-push hook.
fn scan_git(scanner: &Scanner, args: &ScanArgs, repo: &Path) -> anyhow::Result<Outcome> {
    use keepmum_git::{HistoryOptions, Selection};
    let selections: Vec<Selection> = if args.pre_push {
        let mut input = String::new();
        std::io::stdin()
            .lock()
            .read_to_string(&mut input)
            .context("failed to read the pre-push hook's input from stdin")?;
        keepmum_git::pre_push_selections(&input)
    } else {
        vec![match (&args.since, &args.range, &args.branch) {
            (Some(rev), _, _) => Selection::Since(rev.clone()),
            (_, Some(range), _) => match range.split_once("..") {
                Some((a, b)) if !a.is_empty() && !b.is_empty() && !b.starts_with('.') => {
                    Selection::Range {
                        from: a.to_string(),
                        to: b.to_string(),
                    }
                }
                _ => bail!("--range expects A..B (two revisions), got {range:?}"),
            },
            (_, _, Some(branch)) => Selection::Branch(branch.clone()),
            _ => Selection::All,
        }]
    };
    let mut o = Outcome::default();
    for selection in selections {
        let mut opts = HistoryOptions::new(repo);
        opts.selection(selection);
        opts.delta(!args.full);
        if let Some(max) = args.max_file_size {
            opts.max_blob_size(max);
        }
        let live = Arc::new(keepmum_git::Progress::default());
        let shown = Arc::clone(&live);
        let mut bar = Progress::start_with(move |secs| {
            let done = shown.blobs_done.load(Ordering::Relaxed);
            let total = shown.blobs_total.load(Ordering::Relaxed);
            let bytes = shown.bytes.load(Ordering::Relaxed);
            let rate = bytes as f64 / secs.max(0.001);
            if total == 0 {
                format!(
                    "reading history: {} commits ({secs:.0}s)",
                    shown.commits.load(Ordering::Relaxed)
                )
            } else {
                format!(
                    "scanning history: {done}/{total} blobs, {} ({}/s, {secs:.0}s)",
                    report::text::human_bytes(bytes),
                    report::text::human_bytes(rate as u64)
                )
            }
        });
        let result = keepmum_git::scan_history(scanner, &opts, &live);
        bar.finish();
        let r = result?;
        for w in &r.warnings {
            warn(w);
        }
        o.files += r.blobs;
        o.bytes += r.bytes;
        o.findings.extend(r.findings);
    }
    Ok(o)
}

/// Scans the staged blobs of `repo`.
fn scan_staged(scanner: &Scanner, repo: &Path) -> anyhow::Result<Outcome> {
    let mut o = Outcome::default();
    for (path, scan) in keepmum::git::scan_staged_files(scanner, repo)? {
        record(&mut o, &path, scan);
    }
    Ok(o)
}

/// Adds one file's result to the outcome.
fn record(o: &mut Outcome, path: &Path, scan: FileScan) {
    match scan {
        FileScan::Scanned { findings, bytes } => {
            o.files += 1;
            o.bytes += bytes;
            o.findings.extend(findings);
        }
        FileScan::Skipped(Skip::Binary) => o.binary += 1,
        FileScan::Skipped(Skip::TooLarge) => {
            o.too_large += 1;
            note(&format!(
                "skipped {}: larger than the size cap",
                report::display_path(path)
            ));
        }
        _ => {}
    }
}

/// Scans files, directories and stdin.
fn scan_paths(
    scanner: &Scanner,
    paths: &[PathBuf],
    args: &ScanArgs,
    counters: &Counters,
) -> anyhow::Result<Outcome> {
    let mut o = Outcome::default();
    let (stdin, roots): (Vec<&PathBuf>, Vec<&PathBuf>) =
        paths.iter().partition(|p| *p == Path::new("-"));
    if !stdin.is_empty() {
        let mut data = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut data)
            .context("failed to read stdin")?;
        let path = PathBuf::from("-");
        let scan = if keepmum::is_binary(&data) {
            FileScan::Skipped(Skip::Binary)
        } else {
            counters.add(data.len() as u64);
            FileScan::Scanned {
                findings: scanner.scan_bytes_at(&data, &path),
                bytes: data.len() as u64,
            }
        };
        record(&mut o, &path, scan);
        o.sources.insert(path, data);
    }
    if roots.is_empty() {
        return Ok(o);
    }
    let mut walker = Walker::new();
    walker
        .threads(args.threads.unwrap_or(0))
        .ignore_files(!args.no_ignore)
        .follow_links(args.follow_symlinks);
    let found: Mutex<Vec<Finding>> = Mutex::new(Vec::new());
    let binary = AtomicU64::new(0);
    let too_large = AtomicU64::new(0);
    walker.run(&roots, scanner, |event| match event {
        WalkEvent::File { path, scan } => match scan {
            FileScan::Scanned {
                mut findings,
                bytes,
            } => {
                counters.add(bytes);
                if !findings.is_empty() {
                    let shown: Arc<Path> = Arc::from(Path::new(&report::display_path(&path)));
                    for f in &mut findings {
                        // Inside an archive the finding's path names the
                        // entry (`outer.zip!inner`); keep it, displayed.
                        match f.path() {
                            Some(p) if p != path => {
                                let inner = report::display_path(p);
                                f.set_path(Arc::from(Path::new(&inner)));
                            }
                            _ => f.set_path(Arc::clone(&shown)),
                        }
                    }
                    if let Ok(mut all) = found.lock() {
                        all.extend(findings);
                    }
                }
            }
            FileScan::Skipped(Skip::Binary) => {
                binary.fetch_add(1, Ordering::Relaxed);
            }
            FileScan::Skipped(Skip::TooLarge) => {
                too_large.fetch_add(1, Ordering::Relaxed);
                note(&format!(
                    "skipped {}: larger than the size cap",
                    report::display_path(&path)
                ));
            }
            _ => {}
        },
        WalkEvent::Error { error, .. } => warn(&error_chain(&error)),
        _ => {}
    });
    o.findings
        .extend(found.into_inner().unwrap_or_else(|e| e.into_inner()));
    // The counters include stdin.
    o.files = counters.files.load(Ordering::Relaxed);
    o.bytes = counters.bytes.load(Ordering::Relaxed);
    o.binary += binary.load(Ordering::Relaxed);
    o.too_large += too_large.load(Ordering::Relaxed);
    Ok(o)
}

/// `error: cause: cause…` on one line.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let t = c.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        cur = c.source();
    }
    s
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("1048576"), Ok(1048576));
        assert_eq!(parse_size("512K"), Ok(512 << 10));
        assert_eq!(parse_size("10M"), Ok(10 << 20));
        assert_eq!(parse_size("10MiB"), Ok(10 << 20));
        assert_eq!(parse_size("1g"), Ok(1 << 30));
        assert_eq!(parse_size("100b"), Ok(100));
        assert!(parse_size("ten").is_err());
        assert!(parse_size("").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
    }
}
