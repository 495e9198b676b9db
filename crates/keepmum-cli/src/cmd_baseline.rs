//! `keepmum baseline`: create, update and audit a detect-secrets
//! compatible `.secrets.baseline`.
//!
//! - `create [PATHS] [-o FILE]` scans (PII off unless `--pii`) and writes a
//!   new baseline (stdout by default, like `detect-secrets scan`).
//! - `update [--baseline FILE] [PATHS]` re-scans, adds new findings, keeps
//!   audit labels, drops entries whose secret is gone or whose file was
//!   deleted; line numbers move only with `--update-line-numbers`.
//! - `audit` labels unaudited entries interactively (real / false positive /
//!   skip / quit), saving after every answer; `audit --report [--json]`
//!   prints a summary instead.
//!
//! Every write is atomic (`keepmum::write_atomic`) and keeps unknown keys.

use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::Subcommand;
use keepmum::baseline::{locate, normalize_filename, Baseline, Detection, Entry, UpdateOptions};
use keepmum::{FileScan, Scanner, WalkEvent, Walker};

/// The default baseline file name (detect-secrets' convention).
const DEFAULT_BASELINE: &str = ".secrets.baseline";

/// Manage a detect-secrets compatible baseline of accepted findings.
#[derive(clap::Args, Debug)]
pub(crate) struct BaselineArgs {
    #[command(subcommand)]
    pub(crate) command: BaselineCommand,
}

/// Baseline subcommands.
#[derive(Subcommand, Debug)]
pub(crate) enum BaselineCommand {
    /// Scan and write a new baseline.
    Create {
        /// Files or directories to scan (default: the current directory).
        paths: Vec<PathBuf>,
        /// Write the baseline to FILE (atomically) instead of stdout. An
        /// existing FILE is never replaced without --force (it may hold
        /// audit labels; `baseline update` keeps them).
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
        /// Replace an existing --output file.
        #[arg(long, requires = "output")]
        force: bool,
        /// Also record personal data (emails, card numbers, …).
        #[arg(long)]
        pii: bool,
        #[command(flatten)]
        config: crate::ConfigArgs,
    },
    /// Rescan and update an existing baseline, keeping audit decisions.
    Update {
        /// The baseline to update.
        #[arg(long, value_name = "FILE", default_value = DEFAULT_BASELINE)]
        baseline: PathBuf,
        /// Files or directories to rescan (default: the current directory).
        paths: Vec<PathBuf>,
        /// Also move entries to their secrets' current lines.
        #[arg(long)]
        update_line_numbers: bool,
        /// Also record personal data.
        #[arg(long)]
        pii: bool,
        #[command(flatten)]
        config: crate::ConfigArgs,
    },
    /// Review the baseline's findings and mark them real or false positives.
    Audit {
        /// The baseline to audit.
        #[arg(long, value_name = "FILE", default_value = DEFAULT_BASELINE)]
        baseline: PathBuf,
        /// Print a non-interactive summary instead of asking.
        #[arg(long)]
        report: bool,
        /// With --report: print JSON.
        #[arg(long)]
        json: bool,
        /// Show secrets in the interactive view (redacted by default).
        #[arg(long)]
        show_secrets: bool,
    },
}

/// Runs a baseline subcommand and returns the exit code.
pub(crate) fn run(args: &BaselineArgs) -> anyhow::Result<i32> {
    match &args.command {
        BaselineCommand::Create {
            paths,
            output,
            force,
            pii,
            config,
        } => {
            if let Some(p) = output.as_deref().filter(|p| p.exists() && !*force) {
                bail!(
                    "{} already exists and may hold audited entries; run `keepmum baseline \
                     update --baseline {}` to refresh it, or add --force to replace it",
                    p.display(),
                    p.display()
                );
            }
            create(paths, output.as_deref(), &scanner(config, *pii)?)
        }
        BaselineCommand::Update {
            baseline,
            paths,
            update_line_numbers,
            pii,
            config,
        } => update(
            baseline,
            paths,
            *update_line_numbers,
            &scanner(config, *pii)?,
        ),
        BaselineCommand::Audit {
            baseline,
            report,
            json,
            show_secrets,
        } => {
            if *report {
                audit_report(baseline, *json)
            } else {
                audit_interactive(baseline, *show_secrets)
            }
        }
    }
}

/// The result of scanning the tree for baseline purposes.
struct TreeScan {
    /// Every file scanned (normalised names), with or without findings.
    scanned: Vec<String>,
    /// The detections.
    found: Vec<Detection>,
}

/// A path as baselines name it: relative to the current directory when
/// possible, `/` separators, no leading `./`.
fn baseline_name(path: &Path, cwd: &Path) -> String {
    let rel = path.strip_prefix(cwd).unwrap_or(path);
    normalize_filename(rel)
}

/// The scanner for baselines: configuration and `--config`/`--no-pii`/
/// `--only` as for `scan`, but PII off unless `--pii` or `--only pii` (a
/// baseline records credentials, like detect-secrets').
fn scanner(config: &crate::ConfigArgs, pii: bool) -> anyhow::Result<Scanner> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let want_pii = pii || config.only == Some(crate::Only::Pii);
    config.scanner(&cwd, |b| {
        if !want_pii {
            b.pii(false);
        }
    })
}

/// Scans `paths` (default `.`), skipping `exclude` (the baseline itself).
fn scan_tree(
    paths: &[PathBuf],
    scanner: &Scanner,
    exclude: Option<&Path>,
) -> anyhow::Result<TreeScan> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let roots: Vec<PathBuf> = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    let exclude = exclude.map(|p| baseline_name(p, &cwd));
    // The walker calls the sink from several threads.
    let acc = std::sync::Mutex::new((Vec::new(), Vec::new(), Vec::new()));
    Walker::new().run(&roots, scanner, |ev| match ev {
        WalkEvent::File { path, scan } => {
            let name = baseline_name(&path, &cwd);
            if exclude.as_deref() == Some(name.as_str()) {
                return;
            }
            if let FileScan::Scanned { findings, .. } = scan {
                let mut dets = Vec::new();
                if !findings.is_empty() {
                    // Re-read for the context detect-secrets' hashing needs.
                    let bytes = std::fs::read(&path).unwrap_or_default();
                    for f in &findings {
                        dets.push(Detection::from_finding(f, scanner.rules(), &bytes, &name));
                    }
                }
                if let Ok(mut a) = acc.lock() {
                    a.0.push(name);
                    a.1.extend(dets);
                }
            }
        }
        WalkEvent::Error { path, error } => {
            let msg = match path {
                Some(p) => format!("{}: {error}", p.display()),
                None => error.to_string(),
            };
            if let Ok(mut a) = acc.lock() {
                a.2.push(msg);
            }
        }
        _ => {}
    });
    let (mut scanned, mut found, errors) = acc
        .into_inner()
        .map_err(|_| anyhow::anyhow!("a scan thread panicked"))?;
    // Deterministic order whatever the thread interleaving.
    scanned.sort();
    found.sort_by(|a, b| {
        (&a.filename, a.line_number, &a.hashed_secret).cmp(&(
            &b.filename,
            b.line_number,
            &b.hashed_secret,
        ))
    });
    for e in errors {
        eprintln!("keepmum: warning: {e}");
    }
    Ok(TreeScan { scanned, found })
}

fn create(paths: &[PathBuf], output: Option<&Path>, scanner: &Scanner) -> anyhow::Result<i32> {
    let tree = scan_tree(paths, scanner, output)?;
    let mut b = Baseline::new();
    for d in &tree.found {
        b.insert(d);
    }
    match output {
        Some(p) => {
            b.save(p)?;
            eprintln!(
                "keepmum: wrote {} ({} entr{})",
                p.display(),
                b.len(),
                if b.len() == 1 { "y" } else { "ies" }
            );
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(b.to_json_string().as_bytes())?;
            out.flush()?;
        }
    }
    Ok(0)
}

fn update(
    path: &Path,
    paths: &[PathBuf],
    line_numbers: bool,
    scanner: &Scanner,
) -> anyhow::Result<i32> {
    let mut b = Baseline::load(path)?;
    let tree = scan_tree(paths, scanner, Some(path))?;
    let contents = |name: &str| std::fs::read(name).ok();
    let summary = b.update(
        &tree.scanned,
        &tree.found,
        UpdateOptions {
            add_new: true,
            drop_missing: true,
            line_numbers,
        },
        &contents,
    );
    let gone = b.drop_missing_files(Path::new("."));
    if summary.changed() || gone > 0 {
        b.save(path)?;
    }
    eprintln!(
        "keepmum: {}: {} added, {} removed, {} moved",
        path.display(),
        summary.added,
        summary.removed + gone,
        summary.moved
    );
    Ok(0)
}

fn label(e: &Entry) -> &'static str {
    match e.is_secret {
        Some(true) => "real",
        Some(false) => "false-positive",
        None => "unaudited",
    }
}

fn audit_report(path: &Path, json: bool) -> anyhow::Result<i32> {
    let b = Baseline::load(path)?;
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_type: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, e) in b.entries() {
        *counts.entry(label(e)).or_default() += 1;
        *by_type.entry(e.secret_type.as_str()).or_default() += 1;
    }
    let get = |k: &str| counts.get(k).copied().unwrap_or(0);
    if json {
        let results: Vec<serde_json::Value> = b
            .entries()
            .map(|(_, e)| {
                serde_json::json!({
                    "filename": e.filename,
                    "line_number": e.line_number,
                    "type": e.secret_type,
                    "hashed_secret": e.hashed_secret,
                    "status": label(e),
                })
            })
            .collect();
        let doc = serde_json::json!({
            "baseline": path.display().to_string(),
            "total": b.len(),
            "real": get("real"),
            "false_positive": get("false-positive"),
            "unaudited": get("unaudited"),
            "by_type": by_type,
            "results": results,
        });
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(0);
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{}: {} entries: {} real, {} false positive, {} unaudited",
        path.display(),
        b.len(),
        get("real"),
        get("false-positive"),
        get("unaudited")
    )?;
    for (t, n) in &by_type {
        writeln!(out, "  {n:>5}  {t}")?;
    }
    for (_, e) in b.entries() {
        writeln!(
            out,
            "{}:{}  {}  {}",
            e.filename,
            e.line_number.unwrap_or(0),
            e.secret_type,
            label(e)
        )?;
    }
    Ok(0)
}

/// Where an entry's secret is now: its line and, when a rule finds it, the
/// byte range of the secret in the file.
fn find_entry(
    scanner: &Scanner,
    e: &Entry,
    bytes: &[u8],
) -> (Option<u64>, Option<std::ops::Range<usize>>) {
    let findings = scanner.scan_bytes_at(bytes, Path::new(&e.filename));
    for f in &findings {
        let d = Detection::from_finding(f, scanner.rules(), bytes, &e.filename);
        if d.matches(e) {
            return (Some(d.line_number), Some(f.span()));
        }
    }
    (locate(e, bytes).or(e.line_number), None)
}

/// Masks every run of 8+ token characters on a line (used when the exact
/// secret position is unknown).
/// Prints lines `line-2 ..= line+2` of `bytes`, the entry's line marked.
/// Unless `show`, what is redacted is the entry's secret (`span`) and every
/// other finding in `redact` (byte ranges of the file); the surrounding code
/// is shown as it is, as detect-secrets shows it.
fn show_context(
    out: &mut dyn Write,
    bytes: &[u8],
    line: u64,
    span: Option<std::ops::Range<usize>>,
    redact: &[std::ops::Range<usize>],
    show: bool,
) -> std::io::Result<()> {
    let mut hide: Vec<std::ops::Range<usize>> = Vec::new();
    if !show {
        hide.extend(span.iter().cloned());
        hide.extend(redact.iter().cloned());
        hide.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    }
    let mut offset = 0usize;
    let lines: Vec<(usize, &[u8])> = bytes
        .split(|&b| b == b'\n')
        .map(|l| {
            let start = offset;
            offset += l.len() + 1;
            (start, l)
        })
        .collect();
    let target = line as usize;
    let lo = target.saturating_sub(2).max(1);
    let hi = (target + 2).min(lines.len());
    for n in lo..=hi {
        let Some(&(start, raw)) = lines.get(n - 1) else {
            continue;
        };
        let end = start + raw.len();
        let mut shown = String::new();
        let mut at = start;
        for h in hide.iter().filter(|h| h.start < end && h.end > start) {
            let (a, b) = (h.start.max(at), h.end.min(end));
            if a < at || a >= b {
                continue;
            }
            shown.push_str(&String::from_utf8_lossy(&bytes[at..a]));
            shown.push_str(&keepmum::Secret::new(bytes[a..b].to_vec()).redacted());
            at = b;
        }
        shown.push_str(&String::from_utf8_lossy(&bytes[at..end]));
        let mark = if n == target { ">" } else { " " };
        writeln!(out, "{mark}{n:>5} | {}", shown.trim_end_matches('\r'))?;
    }
    Ok(())
}

fn audit_interactive(path: &Path, show_secrets: bool) -> anyhow::Result<i32> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() && std::env::var_os("KEEPMUM_AUDIT_FORCE").is_none() {
        bail!(
            "`baseline audit` is interactive; use `baseline audit --report` when not on a terminal"
        );
    }
    let mut b = Baseline::load(path)?;
    let scanner = Scanner::builder().pii(true).build()?;
    let todo: Vec<(String, String, String)> = b
        .entries()
        .filter(|(_, e)| e.is_secret.is_none())
        .map(|(_, e)| {
            (
                e.filename.clone(),
                e.hashed_secret.clone(),
                e.secret_type.clone(),
            )
        })
        .collect();
    let total = todo.len();
    if total == 0 {
        println!(
            "Nothing to audit: every entry of {} is labelled.",
            path.display()
        );
        return Ok(0);
    }
    let mut input = stdin.lock();
    let mut out = std::io::stdout().lock();
    let (mut labelled, mut skipped) = (0usize, 0usize);
    for (i, (file, hash, ty)) in todo.iter().enumerate() {
        let Some(entry) = b
            .entries()
            .map(|(_, e)| e)
            .find(|e| &e.filename == file && &e.hashed_secret == hash && &e.secret_type == ty)
            .cloned()
        else {
            continue;
        };
        writeln!(out, "\n[{}/{}] {}  {}", i + 1, total, file, ty)?;
        match std::fs::read(file) {
            Ok(bytes) => {
                let (line, span) = find_entry(&scanner, &entry, &bytes);
                let others: Vec<std::ops::Range<usize>> = if show_secrets {
                    Vec::new()
                } else {
                    scanner
                        .scan_bytes(&bytes)
                        .iter()
                        .map(|f| f.span())
                        .collect()
                };
                match line {
                    Some(l) => show_context(&mut out, &bytes, l, span, &others, show_secrets)?,
                    None => writeln!(out, "  (secret not found in the file any more)")?,
                }
            }
            Err(e) => writeln!(out, "  (cannot read the file: {e})")?,
        }
        let answer = loop {
            write!(
                out,
                "Is this a real secret? [r]eal / [f]alse positive / [s]kip / [q]uit: "
            )?;
            out.flush()?;
            let mut line = String::new();
            if input.read_line(&mut line)? == 0 {
                break 'q';
            }
            match line.trim().to_ascii_lowercase().as_str() {
                "r" | "real" => break 'r',
                "f" | "false" | "fp" => break 'f',
                "s" | "skip" | "" => break 's',
                "q" | "quit" => break 'q',
                // detect-secrets asks "should this be committed?", where `y`
                // means a false positive: never guess which one is meant.
                "y" | "yes" | "n" | "no" => writeln!(
                    out,
                    "y/n are ambiguous (in detect-secrets `y` means \"a false positive\"): \
                     answer r (a real secret) or f (a false positive)."
                )?,
                _ => writeln!(out, "Please answer r, f, s or q.")?,
            }
        };
        let value = match answer {
            'r' => true,
            'f' => false,
            'q' => break,
            _ => {
                skipped += 1;
                continue;
            }
        };
        for e in b.entries_mut() {
            if &e.filename == file && &e.hashed_secret == hash && &e.secret_type == ty {
                e.is_secret = Some(value);
            }
        }
        // Save as we go: an interrupted session loses nothing.
        b.save(path)?;
        labelled += 1;
    }
    writeln!(
        out,
        "\nLabelled {labelled}, skipped {skipped}; saved to {}.",
        path.display()
    )?;
    Ok(0)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// issue 17.10: the audit view redacted every long word of the code
    /// around a secret; only secrets are redacted now.
    #[test]
    fn context_redacts_secrets_not_code() {
        let text = "def get_connection_string():\n    key = 'abcdefghijklmnop'\n    other = 'qrstuvwxyz012345'\n    return connection_factory(key)\n";
        let at = |needle: &str| {
            let s = text.find(needle).unwrap();
            s..s + needle.len()
        };
        let mut out = Vec::new();
        let others = [at("qrstuvwxyz012345")];
        show_context(
            &mut out,
            text.as_bytes(),
            2,
            Some(at("abcdefghijklmnop")),
            &others,
            false,
        )
        .unwrap();
        let shown = String::from_utf8(out).unwrap();
        assert!(shown.contains("get_connection_string"), "{shown}");
        assert!(shown.contains("connection_factory(key)"), "{shown}");
        assert!(!shown.contains("abcdefghijklmnop"), "{shown}");
        assert!(!shown.contains("qrstuvwxyz012345"), "{shown}");
        assert!(shown.contains(">    2 |     key = '"), "{shown}");
        let mut out = Vec::new();
        show_context(
            &mut out,
            text.as_bytes(),
            2,
            Some(at("abcdefghijklmnop")),
            &others,
            true,
        )
        .unwrap();
        assert!(String::from_utf8(out).unwrap().contains("abcdefghijklmnop"));
    }

    #[test]
    fn names_are_relative_to_cwd() {
        let cwd = Path::new("/repo");
        assert_eq!(baseline_name(Path::new("/repo/a/b.py"), cwd), "a/b.py");
        assert_eq!(baseline_name(Path::new("./a/b.py"), cwd), "a/b.py");
    }
}
