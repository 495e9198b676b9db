//! History scans of small real repositories built with the `git` executable.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

use keepmum::Scanner;
use keepmum_git::{scan_history, HistoryOptions, Progress, Selection};

/// A synthetic token in GitHub's classic format, built so this file holds none.
fn token(n: u8) -> String {
    let body: String = "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r"
        .chars()
        .map(|c| if c == '0' { (b'0' + n) as char } else { c })
        .collect();
    format!("{}{}{}", "gh", "p_", body) + &n.to_string()
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Test Author")
        .env("GIT_AUTHOR_EMAIL", "author@dev.invalid")
        .env("GIT_COMMITTER_NAME", "Test Author")
        .env("GIT_COMMITTER_EMAIL", "author@dev.invalid")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["config", "commit.gpgsign", "false"]);
    dir
}

fn commit(dir: &Path, file: &str, content: &str, msg: &str, date: &str) -> String {
    let p = dir.join(file);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, content).unwrap();
    git(dir, &["add", "-A"]);
    let out = Command::new("git")
        .args(["commit", "-q", "-m", msg])
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Test Author")
        .env("GIT_AUTHOR_EMAIL", "author@dev.invalid")
        .env("GIT_COMMITTER_NAME", "Test Author")
        .env("GIT_COMMITTER_EMAIL", "author@dev.invalid")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env("HOME", dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    git(dir, &["rev-parse", "HEAD"])
}

fn scan(dir: &Path, selection: Selection) -> keepmum_git::HistoryReport {
    let mut opts = HistoryOptions::new(dir);
    opts.selection(selection);
    scan_history(&Scanner::new(), &opts, &Progress::default()).expect("scan")
}

#[test]
fn a_secret_removed_later_is_still_found_with_its_commit() {
    let dir = repo();
    let d = dir.path();
    commit(d, "README.md", "hello\n", "init", "2024-01-01T00:00:00Z");
    let added = commit(
        d,
        "src/config.py",
        &format!("TOKEN = '{}'\n", token(1)),
        "add config\n\nbody",
        "2024-01-02T00:00:00Z",
    );
    commit(
        d,
        "src/config.py",
        "TOKEN = os.environ['TOKEN']\n",
        "remove token",
        "2024-01-03T00:00:00Z",
    );
    let r = scan(d, Selection::All);
    assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
    let f = &r.findings[0];
    assert_eq!(f.rule_id(), "github-pat");
    assert_eq!(f.path().unwrap(), Path::new("src/config.py"));
    assert_eq!(f.line(), 1);
    let c = f.commit().unwrap();
    assert_eq!(c.sha(), added);
    assert_eq!(c.summary(), "add config");
    assert_eq!(c.author_name(), "Test Author");
    assert_eq!(c.author_email(), "author@dev.invalid");
    assert_eq!(c.date(), "2024-01-02T00:00:00Z");
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!(r.commits, 3);
}

#[test]
fn the_same_blob_on_two_branches_is_reported_once_with_its_first_commit() {
    let dir = repo();
    let d = dir.path();
    commit(d, "a.txt", "base\n", "base", "2024-01-01T00:00:00Z");
    git(d, &["checkout", "-q", "-b", "feature"]);
    let first = commit(
        d,
        "k.env",
        &format!("K={}\n", token(2)),
        "feature adds key",
        "2024-01-02T00:00:00Z",
    );
    git(d, &["checkout", "-q", "main"]);
    commit(
        d,
        "k.env",
        &format!("K={}\n", token(2)),
        "main adds same key",
        "2024-01-05T00:00:00Z",
    );
    let r = scan(d, Selection::All);
    assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
    assert_eq!(r.findings[0].commit().unwrap().sha(), first);
}

#[test]
fn fingerprints_survive_a_rebase() {
    let dir = repo();
    let d = dir.path();
    commit(d, "a.txt", "base\n", "base", "2024-01-01T00:00:00Z");
    git(d, &["checkout", "-q", "-b", "feature"]);
    commit(
        d,
        "cfg/app.yaml",
        &format!("token: {}\n", token(3)),
        "add key",
        "2024-01-02T00:00:00Z",
    );
    let before = scan(d, Selection::Branch("feature".into()));
    git(d, &["checkout", "-q", "main"]);
    commit(
        d,
        "b.txt",
        "other\n",
        "main moves on",
        "2024-01-03T00:00:00Z",
    );
    git(d, &["checkout", "-q", "feature"]);
    git(
        d,
        &[
            "-c",
            "user.name=T",
            "-c",
            "user.email=t@dev.invalid",
            "rebase",
            "-q",
            "main",
        ],
    );
    let after = scan(d, Selection::Branch("feature".into()));
    assert_eq!(before.findings.len(), 1);
    assert_eq!(after.findings.len(), 1);
    assert_ne!(
        before.findings[0].commit().unwrap().sha(),
        after.findings[0].commit().unwrap().sha()
    );
    assert_eq!(
        before.findings[0].fingerprint(),
        after.findings[0].fingerprint()
    );
}

#[test]
fn a_range_scans_only_new_commits() {
    let dir = repo();
    let d = dir.path();
    let old = commit(
        d,
        "old.txt",
        &format!("x={}\n", token(4)),
        "old key",
        "2024-01-01T00:00:00Z",
    );
    commit(
        d,
        "new.txt",
        &format!("y={}\n", token(5)),
        "new key",
        "2024-01-02T00:00:00Z",
    );
    let r = scan(
        d,
        Selection::Range {
            from: old,
            to: "HEAD".into(),
        },
    );
    assert_eq!(r.findings.len(), 1);
    assert_eq!(r.findings[0].path().unwrap(), Path::new("new.txt"));
    assert_eq!(r.commits, 1);
}

#[test]
fn a_missing_blob_is_a_warning_and_the_scan_goes_on() {
    let dir = repo();
    let d = dir.path();
    commit(
        d,
        "a.txt",
        &format!("a={}\n", token(6)),
        "a",
        "2024-01-01T00:00:00Z",
    );
    commit(d, "b.txt", "plain text\n", "b", "2024-01-02T00:00:00Z");
    // Delete the loose object of b.txt's blob.
    let blob = git(d, &["rev-parse", "HEAD:b.txt"]);
    let obj = d.join(".git/objects").join(&blob[..2]).join(&blob[2..]);
    std::fs::remove_file(obj).unwrap();
    let r = scan(d, Selection::All);
    assert_eq!(r.findings.len(), 1);
    assert!(
        r.warnings.iter().any(|w| w.contains(&blob)),
        "{:?}",
        r.warnings
    );
}

#[test]
fn an_unknown_revision_is_an_error() {
    let dir = repo();
    commit(dir.path(), "a.txt", "a\n", "a", "2024-01-01T00:00:00Z");
    let mut opts = HistoryOptions::new(dir.path());
    opts.selection(Selection::Branch("no-such-branch".into()));
    assert!(scan_history(&Scanner::new(), &opts, &Progress::default()).is_err());
    let not_repo = tempfile::tempdir().unwrap();
    assert!(scan_history(
        &Scanner::new(),
        &HistoryOptions::new(not_repo.path()),
        &Progress::default()
    )
    .is_err());
}
mod delta;

/// The tree walk runs in parallel over runs of commits: a blob seen first
/// in a late run, gone and back again, copied to another path, or in the
/// same commit at two paths, still carries its first commit and the path
/// a single walk meets first.
#[test]
fn the_parallel_walk_keeps_each_blobs_first_commit_and_path() {
    let dir = repo();
    let d = dir.path();
    let secret = format!("TOKEN={}\n", token(4));
    let mut shas = Vec::new();
    for i in 0..60u32 {
        let date = format!("2024-02-01T00:{:02}:{:02}Z", i / 60, i % 60);
        let sha = match i {
            // First seen at two paths in one commit: `x/` is met first
            // (the walk takes a tree's entries last to first).
            23 => {
                std::fs::create_dir_all(d.join("w")).unwrap();
                std::fs::write(d.join("w/key.env"), &secret).unwrap();
                commit(d, "x/key.env", &secret, "add key twice", &date)
            }
            30 => {
                std::fs::remove_file(d.join("w/key.env")).unwrap();
                std::fs::remove_file(d.join("x/key.env")).unwrap();
                commit(d, "notes.txt", "gone\n", "remove key", &date)
            }
            41 => commit(d, "y/again.env", &secret, "key back elsewhere", &date),
            _ => commit(d, "notes.txt", &format!("note {i}\n"), "note", &date),
        };
        shas.push(sha);
    }
    let report = scan(d, Selection::All);
    let found: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule_id() == "github-pat")
        .collect();
    assert_eq!(found.len(), 1, "one blob, one finding: {found:?}");
    let f = found[0];
    assert_eq!(f.commit().expect("commit").sha(), shas[23]);
    assert_eq!(f.path().expect("path"), Path::new("x/key.env"));
    assert_eq!(report.commits, 60);
}
