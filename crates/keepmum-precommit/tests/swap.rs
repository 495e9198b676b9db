//! issue 17 (day-one swap): the pre-push hook honours the baseline and scans
//! a new repository's first push; the pre-commit entrypoint honours
//! `.keepmumignore` like `keepmum scan .` does.
//!
//! Tokens are synthetic and assembled at run time.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_keepmum-precommit");

/// A format-valid, obviously fake GitHub classic PAT.
fn token() -> String {
    ["ghp", "_", "A1b2C3d4E5f6G7h8I9j0", "K1l2M3n4O5p6Q7r8"].concat()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn git(dir: &Path, args: &[&str]) {
    let o = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@test.invalid"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env_remove("GIT_DIR")
        .output()
        .unwrap();
    assert!(o.status.success(), "git {args:?}: {}", text(&o));
}

/// Runs the hook as pre-commit runs a pre-push hook for a push holding the
/// root commit: no range in the environment, nothing on stdin.
fn pre_push_without_range(dir: &Path, extra: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--pre-push")
        .args(extra)
        .current_dir(dir)
        .env("PRE_COMMIT", "1")
        .env_remove("PRE_COMMIT_FROM_REF")
        .env_remove("PRE_COMMIT_TO_REF")
        .env_remove("GIT_DIR")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn first_push_of_a_new_repository_is_scanned() {
    let d = tempfile::tempdir().unwrap();
    git(d.path(), &["init", "-q"]);
    std::fs::write(d.path().join("pay.py"), format!("KEY = '{}'\n", token())).unwrap();
    git(d.path(), &["add", "-A"]);
    git(d.path(), &["commit", "-q", "-m", "root"]);
    let o = pre_push_without_range(d.path(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("pay.py:1"), "{}", text(&o));
    assert!(!text(&o).contains(&token()));
}

#[test]
fn pre_push_accepts_what_the_baseline_records() {
    let d = tempfile::tempdir().unwrap();
    git(d.path(), &["init", "-q"]);
    std::fs::write(d.path().join("pay.py"), format!("KEY = '{}'\n", token())).unwrap();
    // The baseline, written by the commit hook's own --json output.
    let o = Command::new(BIN)
        .args(["--json", "pay.py"])
        .current_dir(d.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    std::fs::write(d.path().join(".secrets.baseline"), &o.stdout).unwrap();
    git(d.path(), &["add", "-A"]);
    git(d.path(), &["commit", "-q", "-m", "root"]);
    let o = pre_push_without_range(d.path(), &["--baseline", ".secrets.baseline"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // Without the baseline the same push is blocked.
    let o = pre_push_without_range(d.path(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
}

#[test]
fn keepmumignore_is_honoured_by_the_commit_hook() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(d.path().join("vendor/lib")).unwrap();
    std::fs::write(
        d.path().join("vendor/lib/x.py"),
        format!("KEY = '{}'\n", token()),
    )
    .unwrap();
    std::fs::write(d.path().join("b.py"), format!("KEY = '{}'\n", token())).unwrap();
    std::fs::write(d.path().join(".keepmumignore"), "vendor/\n").unwrap();
    let run = |files: &[&str]| {
        Command::new(BIN)
            .args(files)
            .current_dir(d.path())
            .output()
            .unwrap()
    };
    let o = run(&["vendor/lib/x.py"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = run(&["vendor/lib/x.py", "b.py"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("b.py"), "{}", text(&o));
    assert!(!text(&o).contains("x.py"), "{}", text(&o));
}
