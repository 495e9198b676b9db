//! `keepmum scan`: scan paths, stdin or the git index and write a report.

use std::collections::HashMap;
use std::io::{IsTerminal, Read, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::{bail, Context};
use keepmum::fleet::{JsonlWriter, Shard};
use keepmum::report::{self, Stats};
use keepmum::{Category, FileScan, Finding, Scanner, Skip, WalkEvent, Walker};

use crate::progress::{Counters, Progress};
use crate::{note, warn, ConfigArgs};

/// Scan files, directories, stdin or the staged git changes.
///
/// Exit codes: 0 nothing found, 1 findings, 2 error.
#[derive(clap::Args, Debug)]
#[command(after_long_help = "Examples:
  keepmum scan                                   the current directory
  keepmum scan --staged                          what `git commit` would record
  keepmum scan --git . --since v1.4.0            history not reachable from v1.4.0
  keepmum scan --git --repos repos.txt -f jsonl  many repositories, streamed
  keepmum scan --git --repos repos.txt --shard 0/4 -f jsonl -o shard-0.jsonl
                                                 the first of four machines; then
  keepmum merge 'shard-*.jsonl' -f sarif -o keepmum.sarif")]
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

    /// Scan the git history of the repositories at PATH… (default `.`):
    /// every blob reachable from all refs, each unique blob once, reported
    /// with the commit that introduced it. Missing objects are warnings; a
    /// path that is not a repository is a warning and makes the exit code 2
    /// once the other repositories are scanned.
    #[arg(long, conflicts_with = "staged")]
    git: bool,

    /// With --git: also scan the repositories listed in FILE, one path per
    /// line (`-` reads the list from stdin; blank lines and lines starting
    /// with `#` are skipped).
    #[arg(long, value_name = "FILE", requires = "git")]
    repos: Option<PathBuf>,

    /// With --git: scan only part INDEX of COUNT (from 0: `0/4`, `1/4`,
    /// `2/4`, `3/4`), to spread one scan over COUNT machines. Several
    /// repositories are split between shards (each shard gets every
    /// COUNT-th repository of the sorted list); one repository is split by
    /// blob (a fixed hash of the blob id), every shard walking its whole
    /// history. Give every shard the same repositories at the same commits,
    /// write `-f jsonl`, and combine the outputs with `keepmum merge`: the
    /// result equals one run on one machine.
    #[arg(long, value_name = "INDEX/COUNT", requires = "git", value_parser = parse_shard)]
    shard: Option<Shard>,

    /// With --shard: split by repository or by blob. `auto` splits several
    /// repositories by repository and one repository by blob.
    #[arg(long, value_enum, value_name = "HOW", requires = "shard", default_value_t = ShardBy::Auto)]
    shard_by: ShardBy,

    /// With --git: print the repositories this shard scans, one per line,
    /// and exit (so a CI job clones only those). Nothing is opened.
    #[arg(long, requires = "git")]
    list_repos: bool,

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

    /// With --git: scan a blob stored as a delta over another version of
    /// the same file only around the lines that differ (same findings as a
    /// full scan, in less time). This is the default; see --full.
    #[arg(long, requires = "git", conflicts_with = "full")]
    delta: bool,

    /// With --git: scan every blob in full instead of only where it
    /// differs from its delta base (same findings, more CPU).
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

/// How `--shard` splits the work.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
enum ShardBy {
    /// By repository when several are scanned, by blob for one.
    Auto,
    /// Each shard scans every COUNT-th repository of the sorted list.
    Repo,
    /// Each shard scans every repository, but only its share of the blobs.
    Blob,
}

/// Parses `--shard INDEX/COUNT` with the library's messages.
fn parse_shard(s: &str) -> Result<Shard, String> {
    Shard::parse(s).map_err(|e| match e {
        keepmum::fleet::FleetError::Shard { reason, .. } => reason,
        other => other.to_string(),
    })
}

/// Report formats.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// One line per finding, for people.
    Text,
    /// keepmum's JSON document (`{"version": 1, "findings": […], "stats": {…}}`).
    Json,
    /// JSON Lines: one self-describing finding per line (repository,
    /// commit, path, rule, fingerprint, redacted value), written and
    /// flushed as it is found. The input of `keepmum merge`.
    Jsonl,
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
    files: u64,
    bytes: u64,
    binary: u64,
    too_large: u64,
    /// Repositories that could not be scanned (warned about already).
    failed: usize,
    /// Contents of inputs that are not plain files (stdin, staged blobs),
    /// for SARIF line hashes and baseline matching.
    sources: HashMap<PathBuf, Vec<u8>>,
}

/// Where findings go as they are found: kept for a report written at the
/// end, or streamed as JSON Lines (filtered first, never kept).
struct Sink<'a> {
    /// Findings and the index of their repository (`usize::MAX`: none).
    kept: Vec<(usize, Finding)>,
    stream: Option<Stream<'a>>,
}

/// The streaming side of a [`Sink`].
struct Stream<'a> {
    out: JsonlWriter<Box<dyn std::io::Write + Send>>,
    filters: &'a Filters,
    secrets: usize,
    pii: usize,
    /// The first write error; later findings are dropped.
    error: Option<std::io::Error>,
}

impl Sink<'_> {
    /// Takes the findings of one file or blob batch, of repository `repo`
    /// (an index into `names`).
    fn push(&mut self, repo: Option<usize>, names: &[String], findings: Vec<Finding>) {
        let Some(s) = &mut self.stream else {
            self.kept.extend(
                findings
                    .into_iter()
                    .map(|f| (repo.unwrap_or(usize::MAX), f)),
            );
            return;
        };
        let name = repo.and_then(|i| names.get(i)).map(String::as_str);
        // History findings come from blobs, not the work tree: no content.
        let mut content: Option<(PathBuf, Vec<u8>)> = None;
        for f in findings {
            if s.error.is_some() {
                return;
            }
            let keep = if s.filters.baseline.is_some() && repo.is_none() {
                let path = f.path().map(Path::to_path_buf).unwrap_or_default();
                if content.as_ref().is_none_or(|(p, _)| *p != path) {
                    content = Some((path.clone(), std::fs::read(&path).unwrap_or_default()));
                }
                s.filters
                    .keeps(&f, content.as_ref().map_or(&[][..], |(_, c)| c))
            } else {
                s.filters.keeps(&f, &[])
            };
            if !keep {
                continue;
            }
            match f.category() {
                Category::Secret => s.secrets += 1,
                Category::Pii => s.pii += 1,
            }
            if let Err(e) = s.out.write(&f, name) {
                s.error = Some(e);
            }
        }
    }
}

/// What drops findings after the scan: a baseline and a `.gitleaksignore`.
struct Filters {
    baseline: Option<keepmum::baseline::Baseline>,
    ignore: Option<keepmum::gitleaksignore::GitleaksIgnore>,
    rules: keepmum::RuleSet,
}

impl Filters {
    /// Whether `f` (found in `content`, empty when unknown) is reported.
    fn keeps(&self, f: &Finding, content: &[u8]) -> bool {
        if let Some(b) = &self.baseline {
            let path = f.path().map(Path::to_path_buf).unwrap_or_default();
            let name = keepmum::baseline::normalize_filename(&path);
            let d = keepmum::baseline::Detection::from_finding(f, &self.rules, content, &name);
            if b.contains(&d) {
                return false;
            }
        }
        // A `.gitleaksignore` next to the configuration drops listed
        // findings (`file:rule:line` or keepmum fingerprints), as gitleaks
        // does.
        !self
            .ignore
            .as_ref()
            .is_some_and(|i| i.is_ignored(f, f.commit().map(|c| c.sha())))
    }
}

/// The repositories of `scan --git`: the paths given (`.` when none and no
/// list) and those listed in `--repos`, sorted and without repeats, so that
/// every shard sees the same list in the same order.
fn repository_list(args: &ScanArgs) -> anyhow::Result<Vec<String>> {
    let mut repos: Vec<String> = args.paths.iter().map(|p| report::display_path(p)).collect();
    if let Some(file) = &args.repos {
        let text = if file == Path::new("-") {
            let mut t = String::new();
            std::io::stdin()
                .lock()
                .read_to_string(&mut t)
                .context("cannot read the repository list from stdin")?;
            t
        } else {
            std::fs::read_to_string(file)
                .with_context(|| format!("cannot read the repository list {}", file.display()))?
        };
        let before = repos.len();
        repos.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(|l| report::display_path(Path::new(l))),
        );
        if repos.len() == before {
            bail!(
                "the repository list {} names no repository (one path per line)",
                file.display()
            );
        }
    } else if repos.is_empty() {
        repos.push(".".to_string());
    }
    repos.sort();
    repos.dedup();
    Ok(repos)
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
    // Repositories are checked one by one as they are scanned.
    let repos = if args.git {
        repository_list(args)?
    } else {
        for p in &paths {
            if p != Path::new("-") {
                std::fs::symlink_metadata(p)
                    .with_context(|| format!("cannot scan {}", p.display()))?;
            }
        }
        Vec::new()
    };
    if args.list_repos {
        let mut out = crate::open_output(None)?;
        for (_, name) in shard_repositories(args, &repos).0 {
            writeln!(out, "{name}")?;
        }
        out.flush()?;
        return Ok(0);
    }
    if paths.iter().filter(|p| *p == Path::new("-")).count() > 1
        || (args.repos.as_deref() == Some(Path::new("-")) && args.paths.iter().any(|p| p == "-"))
    {
        bail!("stdin (`-`) can be read only once");
    }

    // Configuration: explicit, or `.keepmum.toml` of the repository (for
    // --staged), the one directory or repository scanned, or the current
    // directory.
    let discover_dir = match (&repo, paths.as_slice(), repos.as_slice()) {
        (Some(r), _, _) => r.clone(),
        (None, _, [one]) => PathBuf::from(one),
        (None, _, [_, _, ..]) => cwd.clone(),
        (None, [one], _) if history => one.clone(),
        (None, [one], _) if one.is_dir() => one.clone(),
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
    let ignore_path = discover_dir.join(keepmum::gitleaksignore::FILE_NAME);
    let ignore = if ignore_path.is_file() {
        let ignore = keepmum::gitleaksignore::GitleaksIgnore::load(&ignore_path)?;
        for w in ignore.warnings() {
            warn(&format!("{}: {w}", ignore_path.display()));
        }
        Some(ignore)
    } else {
        None
    };
    let filters = Filters {
        baseline,
        ignore,
        rules: scanner.rules().clone(),
    };
    if args.format == Format::Sarif && args.show_secrets {
        note("--show-secrets is ignored for SARIF output");
    }
    if args.format == Format::Html && args.show_secrets {
        note("--show-secrets is ignored for HTML output");
    }

    let mut sink = Sink {
        kept: Vec::new(),
        stream: None,
    };
    if args.format == Format::Jsonl {
        sink.stream = Some(Stream {
            out: JsonlWriter::new(open_stream(args.output.as_deref())?, args.show_secrets),
            filters: &filters,
            secrets: 0,
            pii: 0,
            error: None,
        });
    }
    let counters = Arc::new(Counters::default());
    let mut progress = Progress::start(Arc::clone(&counters));
    let mut outcome = match &repo {
        Some(r) => scan_staged(&scanner, r, &mut sink)?,
        None if args.pre_push => {
            progress.finish();
            scan_pre_push(&scanner, args, &paths[0], &mut sink)?
        }
        None if history => {
            progress.finish();
            scan_repositories(&scanner, args, &repos, &mut sink)?
        }
        None => scan_paths(&scanner, &paths, args, &counters, &mut sink)?,
    };
    progress.finish();

    if outcome.binary > 0 {
        let n = outcome.binary;
        note(&format!(
            "skipped {n} binary file{} (NUL byte in the first 8 KiB)",
            if n == 1 { "" } else { "s" }
        ));
    }
    let stats = Stats {
        files: outcome.files,
        bytes: outcome.bytes,
        elapsed: start.elapsed(),
    };
    let failed = std::mem::take(&mut outcome.failed);
    let finish = |found: bool| -> i32 {
        if failed > 0 {
            warn(&format!(
                "{failed} of {} repositor{} could not be scanned (see the warnings above)",
                repos.len(),
                if repos.len() == 1 { "y" } else { "ies" }
            ));
            2
        } else {
            i32::from(found)
        }
    };

    if let Some(stream) = sink.stream {
        if let Some(e) = stream.error {
            return Err(anyhow::Error::new(e).context("failed to write the report"));
        }
        stream.out.into_inner()?;
        eprintln!(
            "{}",
            report::text::summary_counts(&stats, stream.secrets, stream.pii)
        );
        return Ok(finish(stream.secrets + stream.pii > 0));
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

    let mut cache: HashMap<PathBuf, Vec<u8>> = HashMap::new();
    sink.kept.retain(|(_, f)| {
        let content: &[u8] = if filters.baseline.is_some() {
            let path = f.path().map(Path::to_path_buf).unwrap_or_default();
            cache
                .entry(path.clone())
                .or_insert_with(|| source(&path).unwrap_or_default())
        } else {
            &[]
        };
        filters.keeps(f, content)
    });
    // Findings of several repositories are told apart by their path.
    let several = sink.kept.iter().any(|(r, _)| *r != sink.kept[0].0);
    let mut findings: Vec<Finding> = sink
        .kept
        .into_iter()
        .map(|(r, mut f)| {
            if let (true, Some(name), Some(p)) = (several, repos.get(r), f.path()) {
                let joined = keepmum::fleet::join_repository(name, &report::display_path(p));
                f.set_path(Arc::from(Path::new(&joined)));
            }
            f
        })
        .collect();

    report::sort_findings(&mut findings);
    // The same file given twice (or reached from two roots) reports once.
    findings.dedup_by(|a, b| {
        a.path() == b.path()
            && a.span() == b.span()
            && a.rule_id() == b.rule_id()
            && a.secret() == b.secret()
    });
    let base_dir = repo.clone().unwrap_or_else(|| cwd.clone());
    let report_opts = ReportOptions {
        show_secrets: args.show_secrets,
        rules: scanner.rules(),
        base_dir: &base_dir,
        source: &source,
    };
    write_report(
        args.format,
        args.output.as_deref(),
        &findings,
        &stats,
        &report_opts,
    )?;
    // On stderr, so it never mixes with a report on stdout.
    eprintln!("{}", report::text::summary(&stats, &findings));
    // The process ends here: its exit frees the rule set at no cost, while
    // dropping it (each compiled regex, its caches and syntax tree) was
    // about 2% of the instructions of a source-tree scan.
    std::mem::forget(scanner);
    Ok(finish(!findings.is_empty()))
}

/// What the report writers need besides the findings.
pub(crate) struct ReportOptions<'a> {
    /// Print raw values where the format allows it.
    pub(crate) show_secrets: bool,
    /// Rules listed in SARIF.
    pub(crate) rules: &'a keepmum::RuleSet,
    /// SARIF's base directory.
    pub(crate) base_dir: &'a Path,
    /// A file's content for SARIF line hashes, when known.
    pub(crate) source: &'a dyn Fn(&Path) -> Option<Vec<u8>>,
}

/// Writes `findings` (sorted) in `format` to `output` (or stdout).
pub(crate) fn write_report(
    format: Format,
    output: Option<&Path>,
    findings: &[Finding],
    stats: &Stats,
    opts: &ReportOptions<'_>,
) -> anyhow::Result<()> {
    let to_stdout = output.is_none_or(|p| p == Path::new("-"));
    let mut out = crate::open_output(output)?;
    match format {
        Format::Text => {
            let color = to_stdout
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            let o = report::text::TextOptions::new()
                .color(color)
                .show_secrets(opts.show_secrets);
            report::text::write(&mut out, findings, &o)?;
        }
        Format::Json => {
            let o = report::json::JsonOptions::new().show_secrets(opts.show_secrets);
            report::json::write(&mut out, findings, stats, &o)?;
        }
        Format::Jsonl => {
            let mut w = JsonlWriter::new(&mut out, opts.show_secrets);
            for f in findings {
                w.write(f, None)?;
            }
        }
        Format::Sarif => {
            let o = report::sarif::SarifOptions::new()
                .version(env!("CARGO_PKG_VERSION"))
                .base_dir(opts.base_dir.to_path_buf());
            report::sarif::write(&mut out, findings, opts.rules, &o, opts.source)?;
        }
        Format::GitleaksJson => {
            report::gitleaks::write(&mut out, findings, opts.show_secrets)?;
        }
        Format::Csv => report::csv::write(&mut out, findings, opts.show_secrets)?,
        Format::Junit => report::junit::write(&mut out, findings, opts.show_secrets)?,
        Format::Html => {
            let o = report::html::HtmlOptions::new().version(env!("CARGO_PKG_VERSION"));
            report::html::write(&mut out, findings, stats, &o)?;
        }
    }
    out.flush()?;
    Ok(())
}

/// `--output FILE` or stdout, for a report written from several threads.
fn open_stream(path: Option<&Path>) -> anyhow::Result<Box<dyn std::io::Write + Send>> {
    Ok(match path {
        Some(p) if p != Path::new("-") => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p)
                .with_context(|| format!("failed to create {}", p.display()))?,
        )),
        _ => Box::new(std::io::BufWriter::new(std::io::stdout())),
    })
}

/// The `--git` selection flags as a [`keepmum_git::Selection`].
fn selection(args: &ScanArgs) -> anyhow::Result<keepmum_git::Selection> {
    use keepmum_git::Selection;
    Ok(match (&args.since, &args.range, &args.branch) {
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
    })
}

/// The repositories this shard scans (with their positions in the list),
/// and the blob shard to apply inside each, if the split is by blob.
fn shard_repositories<'a>(
    args: &ScanArgs,
    repos: &'a [String],
) -> (Vec<(usize, &'a String)>, Option<Shard>) {
    let Some(shard) = args.shard else {
        return (repos.iter().enumerate().collect(), None);
    };
    let by_repo = match args.shard_by {
        ShardBy::Repo => true,
        ShardBy::Blob => false,
        ShardBy::Auto => repos.len() > 1,
    };
    if by_repo {
        let mine = repos
            .iter()
            .enumerate()
            .filter(|(i, _)| shard.owns_position(*i))
            .collect();
        (mine, None)
    } else {
        (repos.iter().enumerate().collect(), Some(shard))
    }
}

/// Scans the history of each repository (this shard's part of them). Of
/// several repositories, one that cannot be scanned is a warning and counts
/// as failed; the others are scanned.
fn scan_repositories(
    scanner: &Scanner,
    args: &ScanArgs,
    repos: &[String],
    sink: &mut Sink<'_>,
) -> anyhow::Result<Outcome> {
    let selection = selection(args)?;
    let (mine, blob_shard) = shard_repositories(args, repos);
    let mut o = Outcome::default();
    for (i, name) in mine {
        let mut opts = keepmum_git::HistoryOptions::new(name);
        opts.selection(selection.clone());
        opts.delta(args.delta || !args.full);
        if let Some(shard) = blob_shard {
            opts.shard(shard);
        }
        if let Some(max) = args.max_file_size {
            opts.max_blob_size(max);
        }
        match scan_history(scanner, &opts, |found| sink.push(Some(i), repos, found)) {
            Ok((files, bytes)) => {
                o.files += files;
                o.bytes += bytes;
            }
            // One repository: its error is the run's error, as always.
            Err(e) if repos.len() == 1 => return Err(e.into()),
            Err(e) => {
                warn(&format!("skipped {name}: {e}"));
                o.failed += 1;
            }
        }
    }
    Ok(o)
}

/// Scans the commits git's pre-push hook names on stdin.
fn scan_pre_push(
    scanner: &Scanner,
    args: &ScanArgs,
    repo: &Path,
    sink: &mut Sink<'_>,
) -> anyhow::Result<Outcome> {
    let mut input = String::new();
    std::io::stdin()
        .lock()
        .read_to_string(&mut input)
        .context("failed to read the pre-push hook's input from stdin")?;
    let mut o = Outcome::default();
    for selection in keepmum_git::pre_push_selections(&input) {
        let mut opts = keepmum_git::HistoryOptions::new(repo);
        opts.selection(selection);
        opts.delta(args.delta || !args.full);
        if let Some(max) = args.max_file_size {
            opts.max_blob_size(max);
        }
        let (files, bytes) = scan_history(scanner, &opts, |found| sink.push(None, &[], found))?;
        o.files += files;
        o.bytes += bytes;
    }
    Ok(o)
}

/// One history scan with a progress line; findings go to `on_findings` as
/// they are found. Returns the blobs and bytes scanned.
fn scan_history(
    scanner: &Scanner,
    opts: &keepmum_git::HistoryOptions,
    on_findings: impl FnMut(Vec<Finding>),
) -> Result<(u64, u64), keepmum_git::Error> {
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
    let result = keepmum_git::scan_history_each(scanner, opts, &live, on_findings);
    bar.finish();
    let r = result?;
    for w in &r.warnings {
        warn(w);
    }
    Ok((r.blobs, r.bytes))
}

/// Scans the staged blobs of `repo`.
fn scan_staged(scanner: &Scanner, repo: &Path, sink: &mut Sink<'_>) -> anyhow::Result<Outcome> {
    let mut o = Outcome::default();
    for (path, scan) in keepmum::git::scan_staged_files(scanner, repo)? {
        if let Some(findings) = record(&mut o, &path, scan) {
            sink.push(None, &[], findings);
        }
    }
    Ok(o)
}

/// Adds one file's counts to the outcome and returns its findings.
fn record(o: &mut Outcome, path: &Path, scan: FileScan) -> Option<Vec<Finding>> {
    match scan {
        FileScan::Scanned { findings, bytes } => {
            o.files += 1;
            o.bytes += bytes;
            return Some(findings);
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
    None
}

/// Scans files, directories and stdin.
fn scan_paths(
    scanner: &Scanner,
    paths: &[PathBuf],
    args: &ScanArgs,
    counters: &Counters,
    sink: &mut Sink<'_>,
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
        if let Some(findings) = record(&mut o, &path, scan) {
            sink.push(None, &[], findings);
        }
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
    let shared = Mutex::new(sink);
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
                    if let Ok(mut sink) = shared.lock() {
                        sink.push(None, &[], findings);
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
