//! End-to-end tests of the `keepmum-precommit` binary: exit codes,
//! warnings for detect-secrets options, baseline suppression and rewriting,
//! inline allow comments, and crash safety of baseline rewrites.
//!
//! Every token here is synthetic and assembled at run time, so this file
//! holds no scannable secret.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use keepmum::baseline::Baseline;

const BIN: &str = env!("CARGO_BIN_EXE_keepmum-precommit");

/// A format-valid, obviously fake GitHub classic PAT.
fn token(n: u8) -> String {
    let body: String = "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r"
        .chars()
        .chain(std::iter::once((b'0' + n % 10) as char))
        .collect();
    format!("{}_{}", "ghp", body)
}

struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new() -> Repo {
        Repo {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    fn path(&self) -> &Path {
        self.dir.path()
    }
    fn write(&self, name: &str, text: &str) {
        let p = self.path().join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(p, text).unwrap();
    }
    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path().join(name)).unwrap()
    }
    fn run(&self, args: &[&str]) -> Output {
        Command::new(BIN)
            .args(args)
            .current_dir(self.path())
            .env_remove("GIT_DIR")
            .output()
            .unwrap()
    }
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// Writes a baseline that knows `config.py`'s token, via the binary's own
/// `--json` output (a baseline-shaped document of the new findings).
fn baseline_for(repo: &Repo, files: &[&str]) {
    let mut args = vec!["--json"];
    args.extend_from_slice(files);
    let o = repo.run(&args);
    assert_eq!(code(&o), 1, "{}", text(&o));
    std::fs::write(repo.path().join(".secrets.baseline"), &o.stdout).unwrap();
}

#[test]
fn clean_files_exit_0() {
    let r = Repo::new();
    r.write("a.py", "x = 1\nname = 'hello'\n");
    let o = r.run(&["a.py"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    // No files at all is clean too.
    assert_eq!(code(&r.run(&[])), 0);
}

#[test]
fn new_secret_exits_1_with_location_type_and_redaction() {
    let r = Repo::new();
    let t = token(1);
    r.write("sub/config.py", &format!("import os\n\nTOKEN = \"{t}\"\n"));
    let o = r.run(&["sub/config.py"]);
    let out = text(&o);
    assert_eq!(code(&o), 1, "{out}");
    assert!(
        out.contains("sub/config.py:3  GitHub Token  ghp_*****"),
        "{out}"
    );
    assert!(out.contains("pragma: allowlist secret"), "{out}");
    assert!(!out.contains(&t[4..]), "secret leaked: {out}");
}

#[test]
fn missing_baseline_exits_2_and_invalid_exits_1() {
    let r = Repo::new();
    r.write("a.py", "x = 1\n");
    let o = r.run(&["--baseline", "nope.baseline", "a.py"]);
    assert_eq!(code(&o), 2, "{}", text(&o));
    r.write(".secrets.baseline", "{not json");
    let o = r.run(&["--baseline", ".secrets.baseline", "a.py"]);
    assert_eq!(code(&o), 1, "{}", text(&o));
    assert!(text(&o).contains("Invalid baseline"));
    r.write(".secrets.baseline", "{\"version\": \"1.5.0\"}");
    assert_eq!(
        code(&r.run(&["--baseline", ".secrets.baseline", "a.py"])),
        1
    );
}

#[test]
fn unknown_and_ignored_options_warn_but_never_fail() {
    let r = Repo::new();
    r.write("a.py", "x = 1\n");
    let o = r.run(&[
        "--base64-limit",
        "4.5",
        "--hex-limit",
        "3",
        "--disable-filter",
        "detect_secrets.filters.heuristic.is_likely_id_string",
        "-p",
        "custom.py",
        "--no-verify",
        "--only-verified",
        "--word-list",
        "words.txt",
        "--brand-new-flag",
        "a.py",
    ]);
    let out = text(&o);
    assert_eq!(code(&o), 0, "{out}");
    assert_eq!(out.matches("warning:").count(), 8, "{out}");
}

#[test]
fn baseline_suppresses_known_secret_and_audited_false_positive() {
    let r = Repo::new();
    let t = token(2);
    r.write("config.py", &format!("TOKEN = \"{t}\"\n"));
    baseline_for(&r, &["config.py"]);
    let o = r.run(&["--baseline", ".secrets.baseline", "config.py"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    // detect-secrets hashes only the `ghp` prefix for GitHub tokens.
    let b = r.read(".secrets.baseline");
    assert!(b.contains("\"type\": \"GitHub Token\""), "{b}");
    assert!(
        b.contains(&keepmum::Secret::new(b"ghp".to_vec()).sha1_hex()),
        "{b}"
    );

    // Audited as a false positive: still suppressed, label kept.
    let audited = b.replace(
        "\"line_number\": 1\n",
        "\"line_number\": 1,\n        \"is_secret\": false\n",
    );
    assert!(audited.contains("is_secret"));
    r.write(".secrets.baseline", &audited);
    let o = r.run(&["--baseline", ".secrets.baseline", "config.py"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert_eq!(r.read(".secrets.baseline"), audited);

    // The baseline file itself is never scanned, and other files are new.
    r.write("other.py", &format!("T = \"{t}\"\n"));
    let o = r.run(&[
        "--baseline",
        ".secrets.baseline",
        ".secrets.baseline",
        "other.py",
    ]);
    assert_eq!(code(&o), 1, "{}", text(&o));
    assert!(text(&o).contains("other.py:1"));
}

#[test]
fn moved_secret_does_not_rewrite_the_baseline() {
    let r = Repo::new();
    let t = token(3);
    r.write("config.py", &format!("TOKEN = \"{t}\"\n"));
    baseline_for(&r, &["config.py"]);
    let before = r.read(".secrets.baseline");
    r.write("config.py", &format!("# new header\n\n\nTOKEN = \"{t}\"\n"));
    let o = r.run(&["--baseline", ".secrets.baseline", "config.py"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert_eq!(r.read(".secrets.baseline"), before, "no churn");

    // detect-secrets' behaviour on request: line numbers updated, exit 3.
    let o = r.run(&[
        "--baseline",
        ".secrets.baseline",
        "--update-line-numbers",
        "config.py",
    ]);
    assert_eq!(code(&o), 3, "{}", text(&o));
    assert!(text(&o).contains("The baseline file was updated."));
    let after = r.read(".secrets.baseline");
    assert!(after.contains("\"line_number\": 4"), "{after}");
    // generated_at only changes when results change: same value here.
    let gen = |s: &str| {
        s.lines()
            .find(|l| l.contains("generated_at"))
            .map(str::to_string)
    };
    assert_eq!(gen(&before), gen(&after));
    // Idempotent.
    let o = r.run(&[
        "--baseline",
        ".secrets.baseline",
        "--update-line-numbers",
        "config.py",
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o));
}

#[test]
fn removed_secret_prunes_the_baseline_with_exit_3() {
    let r = Repo::new();
    let t = token(4);
    r.write("config.py", &format!("TOKEN = \"{t}\"\n"));
    r.write("keep.py", &format!("TOKEN = \"{t}\"\n"));
    baseline_for(&r, &["config.py", "keep.py"]);
    r.write("config.py", "TOKEN = os.environ['TOKEN']\n");
    let o = r.run(&["--baseline", ".secrets.baseline", "config.py"]);
    assert_eq!(code(&o), 3, "{}", text(&o));
    let b = Baseline::load(&r.path().join(".secrets.baseline")).unwrap();
    assert_eq!(b.files().into_iter().collect::<Vec<_>>(), vec!["keep.py"]);
    assert_eq!(
        code(&r.run(&["--baseline", ".secrets.baseline", "config.py"])),
        0
    );
}

#[test]
fn pragma_comments_allow_secrets() {
    let r = Repo::new();
    let t = token(5);
    r.write(
        "a.py",
        &format!("T = \"{t}\"  # pragma: allowlist secret\n# pragma: allowlist nextline secret\nU = \"{t}\"\n"),
    );
    let o = r.run(&["a.py"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    r.write("b.js", &format!("const t = \"{t}\"; // keepmum:allow\n"));
    assert_eq!(code(&r.run(&["b.js"])), 0);
}

#[test]
fn exclusion_regexes() {
    let r = Repo::new();
    let t = token(6);
    r.write("vendor/x.py", &format!("T = \"{t}\"\n"));
    r.write("a.py", &format!("T = \"{t}\"  # fixture\n"));
    assert_eq!(code(&r.run(&["vendor/x.py", "a.py"])), 1);
    let o = r.run(&[
        "--exclude-files",
        "^vendor/",
        "--exclude-lines",
        "fixture",
        "vendor/x.py",
        "a.py",
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let o = r.run(&["--exclude-secrets", "^ghp_A1b2", "a.py"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    // Plugin disabled: its rules do not run.
    let o = r.run(&["--disable-plugin", "GitHubTokenDetector", "a.py"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
}

fn git(dir: &Path, args: &[&str]) -> String {
    let o = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@test.invalid",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .env_remove("GIT_DIR")
        .output()
        .unwrap();
    assert!(o.status.success(), "git {args:?}: {}", text(&o));
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

#[test]
fn pre_push_mode_scans_only_the_pushed_commits() {
    let r = Repo::new();
    git(r.path(), &["init", "-q"]);
    r.write("a.txt", "clean\n");
    git(r.path(), &["add", "-A"]);
    git(r.path(), &["commit", "-q", "-m", "clean"]);
    let base = git(r.path(), &["rev-parse", "HEAD"]);
    r.write("config.py", &format!("TOKEN = '{}'\n", token(4)));
    git(r.path(), &["add", "-A"]);
    git(r.path(), &["commit", "-q", "-m", "leak"]);
    let head = git(r.path(), &["rev-parse", "HEAD"]);
    let push = |line: String| {
        let mut child = Command::new(BIN)
            .arg("--pre-push")
            .current_dir(r.path())
            .env_remove("PRE_COMMIT_TO_REF")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write as _;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(line.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    // Pushing the leaking commit is blocked, with file and line, redacted.
    let o = push(format!("refs/heads/main {head} refs/heads/main {base}\n"));
    assert_eq!(code(&o), 1, "{}", text(&o));
    assert!(text(&o).contains("config.py:1"), "{}", text(&o));
    assert!(!text(&o).contains(&token(4)));
    // Pushing only the clean base is not.
    let zero = "0".repeat(40);
    let o = push(format!("refs/heads/main {base} refs/heads/main {zero}\n"));
    assert_eq!(code(&o), 0, "{}", text(&o));
    // Under the pre-commit framework the range comes from the environment.
    let o = Command::new(BIN)
        .arg("--pre-push")
        .current_dir(r.path())
        .env("PRE_COMMIT_FROM_REF", &base)
        .env("PRE_COMMIT_TO_REF", &head)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(code(&o), 1, "{}", text(&o));
}

#[test]
fn unstaged_baseline_exits_1() {
    let r = Repo::new();
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(r.path())
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false)
    };
    if !git(&["init", "-q"]) {
        eprintln!("git not available; skipping");
        return;
    }
    let t = token(7);
    r.write("config.py", &format!("TOKEN = \"{t}\"\n"));
    baseline_for(&r, &["config.py"]);
    assert!(git(&["add", "."]));
    assert!(git(&["commit", "-qm", "init"]));
    assert_eq!(
        code(&r.run(&["--baseline", ".secrets.baseline", "config.py"])),
        0
    );
    let b = r.read(".secrets.baseline");
    r.write(".secrets.baseline", &format!("{b}\n"));
    let o = r.run(&["--baseline", ".secrets.baseline", "config.py"]);
    assert_eq!(code(&o), 1, "{}", text(&o));
    assert!(text(&o).contains("is unstaged"), "{}", text(&o));
    assert!(git(&["add", ".secrets.baseline"]));
    assert_eq!(
        code(&r.run(&["--baseline", ".secrets.baseline", "config.py"])),
        0
    );
}

/// Crash safety (issue 5): SIGKILL the hook at many points while it rewrites
/// a large baseline; the file must always be exactly the old or the new
/// version, never truncated or mixed.
#[cfg(unix)]
#[test]
fn baseline_rewrite_survives_sigkill() {
    let r = Repo::new();
    let t = token(8);
    // Many files, each with the token, so the baseline is large.
    let n = 400;
    let mut names = Vec::new();
    for i in 0..n {
        let name = format!("f{i:04}.py");
        r.write(&name, &format!("# file {i}\nTOKEN = \"{t}\"\n"));
        names.push(name);
    }
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    baseline_for(&r, &refs);
    let path: PathBuf = r.path().join(".secrets.baseline");
    let old = std::fs::read(&path).unwrap();
    // Move every secret one line down: --update-line-numbers rewrites all.
    for (i, name) in names.iter().enumerate() {
        r.write(name, &format!("# file {i}\n\nTOKEN = \"{t}\"\n"));
    }
    let mut args = vec!["--baseline", ".secrets.baseline", "--update-line-numbers"];
    args.extend_from_slice(&refs);
    // The reference new version.
    let scratch = Repo::new();
    std::fs::copy(&path, scratch.path().join("old")).unwrap();
    let started = std::time::Instant::now();
    let o = r.run(&args);
    let full = started.elapsed();
    assert_eq!(code(&o), 3, "{}", text(&o));
    let new = std::fs::read(&path).unwrap();
    assert_ne!(old, new);

    let mut saw_old = 0;
    let mut saw_new = 0;
    // Kill points spread over the whole run, the write at its end included.
    let steps = 80u64;
    let span_us = (full.as_micros() as u64).max(1_000) * 5 / 4;
    for delay_us in (0..steps).map(|k| k * span_us / steps) {
        std::fs::write(&path, &old).unwrap();
        let mut child = Command::new(BIN)
            .args(&args)
            .current_dir(r.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_micros(delay_us));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let now = std::fs::read(&path).unwrap();
        if now == old {
            saw_old += 1;
        } else if now == new {
            saw_new += 1;
        } else {
            panic!(
                "baseline corrupted after SIGKILL at {delay_us}µs ({} bytes)",
                now.len()
            );
        }
    }
    assert!(saw_old > 0, "never killed before the rename");
    // Leftover temporary files are allowed (a kill can orphan one), but the
    // baseline itself is always whole.
    eprintln!("old {saw_old}, new {saw_new}");
}
