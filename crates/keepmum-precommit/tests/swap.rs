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

/// A repository whose `.keepmum.toml` adds a rule, allowlists a directory
/// and turns PII on; returns the synthetic values it committed.
fn configured_repo(d: &Path) -> (String, String) {
    git(d, &["init", "-q"]);
    std::fs::write(
        d.join(".keepmum.toml"),
        "[scan]\npii = true\n\n[allowlist]\npaths = ['^fixtures/']\n\n\
         [[rule]]\nid = \"acme-internal-key\"\ndescription = \"ACME internal key\"\n\
         regex = '''\\b(acmeik_[a-z0-9]{24})\\b'''\nkeywords = [\"acmeik_\"]\n",
    )
    .unwrap();
    let acme = ["acmeik_", "q7w8e9r0t1y2", "u3i4o5p6a7s8"].concat();
    let email = ["ana.lopez", "@", "example-mail.com"].concat();
    std::fs::write(d.join("app.py"), format!("ACME = '{acme}'\n")).unwrap();
    std::fs::write(d.join("team.txt"), format!("contact: {email}\n")).unwrap();
    std::fs::create_dir_all(d.join("fixtures")).unwrap();
    std::fs::write(d.join("fixtures/pay.py"), format!("KEY = '{}'\n", token())).unwrap();
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "root"]);
    (acme, email)
}

#[test]
fn keepmum_toml_is_honoured_by_commits_and_pushes_alike() {
    let d = tempfile::tempdir().unwrap();
    let (acme, email) = configured_repo(d.path());
    let commit = Command::new(BIN)
        .args(["app.py", "team.txt", "fixtures/pay.py"])
        .current_dir(d.path())
        .env_remove("GIT_DIR")
        .output()
        .unwrap();
    let push = pre_push_without_range(d.path(), &[]);
    for (what, o) in [("commit", &commit), ("pre-push", &push)] {
        let out = text(o);
        assert_eq!(o.status.code(), Some(1), "{what}: {out}");
        // The custom rule and `[scan] pii = true` apply…
        assert!(out.contains("app.py:1"), "{what}: {out}");
        assert!(out.contains("team.txt:1"), "{what}: {out}");
        // …and so does the allowlist.
        assert!(!out.contains("fixtures/pay.py"), "{what}: {out}");
        assert!(
            !out.contains(&acme) && !out.contains(&email),
            "{what} leaks: {out}"
        );
    }
}
