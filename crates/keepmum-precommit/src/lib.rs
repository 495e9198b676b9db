//! The `keepmum-precommit` entrypoint: a drop-in replacement for
//! detect-secrets' `detect-secrets-hook`.
//!
//! pre-commit runs it as `keepmum-precommit [args] FILES…` in the root of
//! the user's repository. It scans the files in parallel with one
//! [`Scanner`], drops findings covered by inline allow comments, the
//! exclusion regexes and the detect-secrets baseline, and exits like
//! detect-secrets-hook: 0 clean, 1 new secrets (or an invalid or unstaged
//! baseline), 2 baseline file missing, 3 baseline rewritten.
//!
//! Unlike detect-secrets, a known secret that only moved lines never causes a
//! rewrite (pass `--update-line-numbers` for the old behaviour); the baseline
//! is rewritten only when a secret it lists is gone from a scanned file.

pub mod args;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use keepmum::baseline::{normalize_filename, Baseline, Detection, UpdateOptions};
use keepmum::{is_binary, Scanner};
use rayon::prelude::*;
use regex_automata::meta::Regex;

pub use args::{parse, Args};

/// Exit code: nothing new found.
pub const EXIT_CLEAN: i32 = 0;
/// Exit code: new secrets, or an invalid or unstaged baseline.
pub const EXIT_NEW: i32 = 1;
/// Exit code: the `--baseline` file does not exist.
pub const EXIT_NO_BASELINE: i32 = 2;
/// Exit code: the baseline was rewritten (stage it and commit again).
pub const EXIT_REWRITTEN: i32 = 3;

/// Where output goes; tests pass buffers.
pub struct Io<'a> {
    /// Findings and messages detect-secrets prints on stdout.
    pub out: &'a mut dyn Write,
    /// Warnings and errors.
    pub err: &'a mut dyn Write,
}

impl std::fmt::Debug for Io<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Io")
    }
}

/// Compiled exclusion regexes (Python `re.search` semantics: unanchored).
#[derive(Debug, Default)]
struct Excludes {
    files: Vec<Regex>,
    lines: Vec<Regex>,
    secrets: Vec<Regex>,
}

impl Excludes {
    fn compile(files: &[String], lines: &[String], secrets: &[String]) -> Result<Excludes, String> {
        let c = |v: &[String]| -> Result<Vec<Regex>, String> {
            v.iter()
                .filter(|p| !p.is_empty())
                .map(|p| Regex::new(p).map_err(|e| format!("invalid regex {p:?}: {e}")))
                .collect()
        };
        Ok(Excludes {
            files: c(files)?,
            lines: c(lines)?,
            secrets: c(secrets)?,
        })
    }
}

/// One file's detections.
struct FileResult {
    detections: Vec<Detection>,
}

/// Runs the hook with parsed arguments. Returns the exit code.
pub fn run(args: &Args, io: &mut Io<'_>) -> i32 {
    for w in &args.warnings {
        let _ = writeln!(io.err, "keepmum-precommit: warning: {w}");
    }
    if args.help {
        let _ = write!(io.out, "{}", args::USAGE);
        return EXIT_CLEAN;
    }
    if args.version {
        let _ = writeln!(io.out, "keepmum-precommit {}", env!("CARGO_PKG_VERSION"));
        return EXIT_CLEAN;
    }
    if let Some(dir) = &args.chdir {
        if let Err(e) = std::env::set_current_dir(dir) {
            let _ = writeln!(
                io.err,
                "keepmum-precommit: cannot change to {}: {e}",
                dir.display()
            );
            return EXIT_NEW;
        }
    }
    if args.pre_push {
        return pre_push(args, io);
    }

    // 1. The baseline: must exist (exit 2), parse (exit 1), be staged (exit 1).
    let baseline = match &args.baseline {
        None => None,
        Some(path) => {
            if !path.is_file() {
                let _ = writeln!(
                    io.err,
                    "keepmum-precommit: error: argument --baseline: Invalid path: {}",
                    path.display()
                );
                return EXIT_NO_BASELINE;
            }
            match Baseline::load(path) {
                Ok(b) => {
                    if baseline_is_unstaged(path) {
                        let f = path.display();
                        let _ = writeln!(
                            io.out,
                            "Your baseline file ({f}) is unstaged.\n`git add {f}` to fix this."
                        );
                        return EXIT_NEW;
                    }
                    Some((path.clone(), b))
                }
                Err(e) => {
                    let _ = writeln!(io.err, "keepmum-precommit: error: Invalid baseline: {e}");
                    return EXIT_NEW;
                }
            }
        }
    };

    // 2. Exclusions from the command line and the baseline's filters.
    let mut files_re = args.exclude_files.clone();
    let mut lines_re = args.exclude_lines.clone();
    let mut secrets_re = args.exclude_secrets.clone();
    if let Some((_, b)) = &baseline {
        let p = b.exclude_patterns();
        files_re.extend(p.files);
        lines_re.extend(p.lines);
        secrets_re.extend(p.secrets);
    }
    let excludes = match Excludes::compile(&files_re, &lines_re, &secrets_re) {
        Ok(x) => x,
        Err(e) => {
            let _ = writeln!(io.err, "keepmum-precommit: error: {e}");
            return EXIT_NEW;
        }
    };

    // 3. One scanner. Rules whose detect-secrets plugin is disabled (on the
    // command line, or absent from the baseline's plugins_used) are dropped.
    let scanner = match build_scanner(args, baseline.as_ref().map(|(_, b)| b), io) {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(io.err, "keepmum-precommit: error: {e}");
            return EXIT_NEW;
        }
    };

    // 4. Which files: not the baseline itself, not excluded, not in the
    // repository's `.keepmumignore` (as `keepmum scan .`), regular files.
    let ignore = match keepmum::RootIgnore::load(Path::new(".")) {
        Ok(i) => i,
        Err(e) => {
            let _ = writeln!(io.err, "keepmum-precommit: error: {e}");
            return EXIT_NEW;
        }
    };
    let baseline_name = baseline
        .as_ref()
        .map(|(p, _)| normalize_filename(p))
        .unwrap_or_default();
    let mut files: Vec<(PathBuf, String)> = Vec::with_capacity(args.files.len());
    for f in &args.files {
        let name = normalize_filename(f);
        if name == baseline_name {
            continue;
        }
        if excludes.files.iter().any(|r| r.is_match(name.as_bytes())) {
            continue;
        }
        if ignore
            .as_ref()
            .is_some_and(|i| i.is_ignored(Path::new(&name)))
        {
            continue;
        }
        files.push((f.clone(), name));
    }

    // 5. Scan in parallel.
    let pool = match args.cores {
        Some(n) => rayon::ThreadPoolBuilder::new().num_threads(n).build().ok(),
        None => None,
    };
    let scan_all = || -> Vec<FileResult> {
        files
            .par_iter()
            .map(|(path, name)| scan_one(&scanner, &excludes, path, name, args.verbose))
            .collect()
    };
    let results = match &pool {
        Some(p) => p.install(scan_all),
        None => scan_all(),
    };
    let found: Vec<Detection> = results.into_iter().flat_map(|r| r.detections).collect();

    // 6. New = found minus baseline, one per (file, type, hash) like
    // detect-secrets, at its first line.
    let mut new: Vec<&Detection> = found
        .iter()
        .filter(|d| baseline.as_ref().is_none_or(|(_, b)| !b.contains(d)))
        .collect();
    new.sort_by(|a, b| {
        (&a.filename, a.line_number, &a.secret_type, &a.hashed_secret).cmp(&(
            &b.filename,
            b.line_number,
            &b.secret_type,
            &b.hashed_secret,
        ))
    });
    new.dedup_by(|a, b| {
        a.filename == b.filename
            && a.secret_type == b.secret_type
            && a.hashed_secret == b.hashed_secret
    });
    if !new.is_empty() {
        report_new(&new, args, baseline.as_ref().map(|(p, _)| p.as_path()), io);
        return EXIT_NEW;
    }

    // 7. Nothing new: keep the baseline in step, without churn.
    let Some((path, mut b)) = baseline else {
        return EXIT_CLEAN;
    };
    let scanned: Vec<String> = files.iter().map(|(_, n)| n.clone()).collect();
    let by_name: std::collections::HashMap<&str, &Path> = files
        .iter()
        .map(|(p, n)| (n.as_str(), p.as_path()))
        .collect();
    let contents =
        |name: &str| -> Option<Vec<u8>> { by_name.get(name).and_then(|p| std::fs::read(p).ok()) };
    let opts = UpdateOptions {
        add_new: false,
        drop_missing: true,
        line_numbers: args.update_line_numbers,
    };
    let summary = b.update(&scanned, &found, opts, &contents);
    if !summary.changed() {
        return EXIT_CLEAN;
    }
    if let Err(e) = b.save(&path) {
        let _ = writeln!(io.err, "keepmum-precommit: error: {e}");
        return EXIT_NEW;
    }
    let why = if summary.removed > 0 && summary.moved == 0 {
        format!(
            "{} entr{} whose secret is gone {} removed.",
            summary.removed,
            if summary.removed == 1 { "y" } else { "ies" },
            if summary.removed == 1 { "was" } else { "were" }
        )
    } else {
        "Probably to keep line numbers of secrets up-to-date.".to_string()
    };
    let _ = write!(
        io.out,
        "The baseline file was updated.\n{why}\nPlease `git add {}`, thank you.\n\n",
        path.display()
    );
    EXIT_REWRITTEN
}

/// The scanner for this run, commit or push: the repository's
/// `.keepmum.toml` (or `.gitleaks.toml`) in the current directory, as
/// `keepmum scan` reads it; PII only when the file or `--pii` turns it on
/// (off by default, like detect-secrets); then the plugins the baseline or
/// `--disable-plugin` turn off.
fn build_scanner(
    args: &Args,
    baseline: Option<&Baseline>,
    io: &mut Io<'_>,
) -> Result<Scanner, String> {
    let mut builder = Scanner::builder();
    builder.pii(false);
    let cwd = std::env::current_dir().map_err(|e| format!("no current directory: {e}"))?;
    let config =
        keepmum::config::Config::discover_upwards(&cwd, &cwd).map_err(|e| e.to_string())?;
    if let Some(c) = &config {
        let name = c
            .path()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        for w in c.warnings() {
            let _ = writeln!(io.err, "keepmum-precommit: warning: {name}: {w}");
        }
        c.apply(&mut builder)
            .map_err(|e| format!("invalid configuration {name}: {e}"))?;
    }
    if args.pii {
        builder.pii(true);
    }
    let enabled_plugins = baseline.and_then(Baseline::plugin_names);
    if enabled_plugins.is_some() || !args.disable_plugins.is_empty() {
        let mut rules = config
            .as_ref()
            .map_or_else(keepmum::RuleSet::builtin, |c| c.rules());
        let off: Vec<String> = rules
            .iter()
            .filter(|r| {
                let Some(plugin) = r
                    .detect_secrets_type()
                    .and_then(keepmum::baseline::plugin_for_type)
                else {
                    return false;
                };
                args.disable_plugins.iter().any(|d| d == plugin)
                    || enabled_plugins
                        .as_ref()
                        .is_some_and(|en| !en.is_empty() && !en.iter().any(|e| e == plugin))
            })
            .map(|r| r.id().to_string())
            .collect();
        rules.disable(&off);
        builder.rules(rules);
    }
    builder.build().map_err(|e| e.to_string())
}

/// Scans one file. Unreadable, missing, binary and oversized files yield
/// nothing (detect-secrets skips them too).
fn scan_one(
    scanner: &Scanner,
    ex: &Excludes,
    path: &Path,
    name: &str,
    verbose: bool,
) -> FileResult {
    let empty = FileResult {
        detections: Vec::new(),
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            if verbose {
                eprintln!("keepmum-precommit: skipping {}: {e}", path.display());
            }
            return empty;
        }
    };
    if bytes.len() as u64 > keepmum::DEFAULT_MAX_FILE_SIZE || is_binary(&bytes) {
        return empty;
    }
    let findings = scanner.scan_bytes_at(&bytes, path);
    let mut detections = Vec::with_capacity(findings.len());
    for f in &findings {
        if !ex.lines.is_empty() {
            let line = line_of(&bytes, f.span().start);
            if ex.lines.iter().any(|r| r.is_match(line)) {
                continue;
            }
        }
        if !ex.secrets.is_empty() {
            let s = f.secret().expose();
            if ex.secrets.iter().any(|r| r.is_match(s)) {
                continue;
            }
        }
        detections.push(Detection::from_finding(f, scanner.rules(), &bytes, name));
    }
    FileResult { detections }
}

/// The line holding byte `at`, without its line ending.
fn line_of(bytes: &[u8], at: usize) -> &[u8] {
    let at = at.min(bytes.len());
    let start = memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
    let end = bytes[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| at + i);
    let line = &bytes[start..end];
    line.strip_suffix(b"\r").unwrap_or(line)
}

fn memrchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().rposition(|&b| b == needle)
}

/// Prints new findings, in text or (with `--json`) as a baseline document.
fn report_new(new: &[&Detection], args: &Args, baseline: Option<&Path>, io: &mut Io<'_>) {
    if args.json {
        let mut b = Baseline::new();
        for d in new {
            b.insert(d);
        }
        let _ = write!(io.out, "{}", b.to_json_string());
        return;
    }
    let _ = writeln!(
        io.out,
        "ERROR: Potential secrets about to be committed to git repo! ({} new)\n",
        new.len()
    );
    for d in new {
        let _ = writeln!(
            io.out,
            "{}:{}  {}  {}",
            d.filename, d.line_number, d.secret_type, d.redacted
        );
    }
    let update = match baseline {
        Some(p) => format!("keepmum baseline update --baseline {}", p.display()),
        // Never suggest a command that replaces an audited baseline.
        None if Path::new(".secrets.baseline").exists() => {
            "keepmum baseline update --baseline .secrets.baseline".to_string()
        }
        None => "keepmum baseline create -o .secrets.baseline".to_string(),
    };
    let _ = writeln!(
        io.out,
        "\nTo allow a false positive: add `# pragma: allowlist secret` to its line, or run `{update}` and commit the baseline."
    );
}

/// True when `git diff --name-only` lists the baseline (changed in the work
/// tree but not staged), exactly the check detect-secrets-hook makes. Not in
/// a git repository, or no git: false.
fn baseline_is_unstaged(path: &Path) -> bool {
    let out = Command::new("git")
        .args(["diff", "--name-only", "--"])
        .arg(path)
        .stderr(std::process::Stdio::null())
        .output();
    match out {
        Ok(o) if o.status.success() => !o.stdout.iter().all(u8::is_ascii_whitespace),
        _ => false,
    }
}

/// `--pre-push` mode: scans only the commits about to be pushed.
///
/// Under the pre-commit framework the range comes from
/// `PRE_COMMIT_FROM_REF`/`PRE_COMMIT_TO_REF`; run directly as git's pre-push
/// hook it comes from the `<local ref> <local sha> <remote ref> <remote
/// sha>` lines on stdin. A new branch is checked against what no
/// remote-tracking ref already has. Exit 1 when a pushed commit adds a
/// secret, 2 when the repository cannot be read.
fn pre_push(args: &Args, io: &mut Io<'_>) -> i32 {
    let baseline_path = args.baseline.as_deref();
    use keepmum_git::{HistoryOptions, Progress, Selection};
    let zero = |s: &str| s.is_empty() || s.bytes().all(|b| b == b'0');
    let from = std::env::var("PRE_COMMIT_FROM_REF").unwrap_or_default();
    let to = std::env::var("PRE_COMMIT_TO_REF").unwrap_or_default();
    let selections: Vec<Selection> = if !to.is_empty() {
        let hidden = if zero(&from) {
            vec!["--remotes".to_string()]
        } else {
            vec![from]
        };
        vec![Selection::Commits {
            tips: vec![to],
            hidden,
        }]
    } else {
        let mut input = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut input) {
            let _ = writeln!(
                io.err,
                "keepmum-precommit: failed to read the pre-push input: {e}"
            );
            return EXIT_NO_BASELINE;
        }
        keepmum_git::pre_push_selections(&input)
    };
    // Findings recorded in the baseline are accepted, as at commit time.
    let baseline = match baseline_path {
        None => None,
        Some(p) => match Baseline::load(p) {
            Ok(b) => Some(b),
            Err(e) => {
                let _ = writeln!(io.err, "keepmum-precommit: error: {e}");
                return EXIT_NEW;
            }
        },
    };
    // The same scanner as for commits: `.keepmum.toml`, PII off unless
    // asked for, the baseline's plugins; archives stay off for speed.
    let scanner = match build_scanner(args, baseline.as_ref(), io) {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(io.err, "keepmum-precommit: error: {e}");
            return EXIT_NO_BASELINE;
        }
    };
    let mut found = 0usize;
    for selection in selections {
        let mut opts = HistoryOptions::new(".");
        opts.selection(selection);
        match keepmum_git::scan_history(&scanner, &opts, &Progress::default()) {
            Ok(report) => {
                for w in &report.warnings {
                    let _ = writeln!(io.err, "keepmum-precommit: warning: {w}");
                }
                for f in &report.findings {
                    if let Some(b) = &baseline {
                        let name = normalize_filename(f.path().unwrap_or(Path::new("")));
                        let d = Detection::from_finding(f, scanner.rules(), &[], &name);
                        if b.contains(&d) {
                            continue;
                        }
                    }
                    found += 1;
                    let path = f
                        .path()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default();
                    let commit = f
                        .commit()
                        .map(|c| c.sha().get(..10).unwrap_or(c.sha()).to_string())
                        .unwrap_or_default();
                    let _ = writeln!(
                        io.out,
                        "{path}:{}  {}  {}  (commit {commit})",
                        f.line(),
                        f.rule_id(),
                        f.redacted()
                    );
                }
            }
            Err(e) => {
                let _ = writeln!(io.err, "keepmum-precommit: {e}");
                return EXIT_NO_BASELINE;
            }
        }
    }
    if found == 0 {
        return EXIT_CLEAN;
    }
    let _ = writeln!(
        io.out,
        "\n{found} secret{} in the commits about to be pushed. Remove {} from history (e.g. `git rebase -i`), or add an allow comment, before pushing.",
        if found == 1 { "" } else { "s" },
        if found == 1 { "it" } else { "them" }
    );
    EXIT_NEW
}
