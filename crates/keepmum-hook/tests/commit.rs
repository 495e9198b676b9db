//! The commit path: a real git repository in a temp dir, a staged fake
//! token, and the many shapes of `git commit` on a Bash command line.

use std::path::Path;

use keepmum_hook::Host;
use serde_json::json;

use crate::util::*;

fn repo() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    git(d.path(), &["init", "-q"]);
    std::fs::write(d.path().join("README.md"), "hello\n").unwrap();
    git(d.path(), &["add", "README.md"]);
    git(d.path(), &["commit", "-q", "-m", "init"]);
    d
}

fn bash(cwd: &Path, cmd: &str) -> keepmum_hook::Outcome {
    run(
        Host::Claude,
        &claude_pre(cwd, "Bash", json!({ "command": cmd })),
    )
}

#[test]
fn staged_token_denies_commit_with_file_and_line() {
    let d = repo();
    std::fs::write(
        d.path().join("app.py"),
        format!("import os\nTOKEN = \"{}\"\n", tok()),
    )
    .unwrap();
    git(d.path(), &["add", "app.py"]);
    for cmd in [
        "git commit -m 'add app'",
        "git --no-pager commit -m x",
        "git add -A && git commit -m x",
        "cargo fmt; git commit -qm x",
        "sh -c 'git commit -m x'",
        "bash -lc \"git commit -m 'wip'\"",
        "GIT_AUTHOR_NAME=bot git commit -m x",
        "(git commit -m x)",
    ] {
        let r = assert_pre_deny(&bash(d.path(), cmd));
        assert!(r.contains("app.py:2 github-pat (ghp_*****)"), "{cmd}: {r}");
    }
}

#[test]
fn commit_from_another_directory_via_dash_c_and_cd() {
    let d = repo();
    std::fs::write(d.path().join("app.py"), format!("TOKEN = \"{}\"\n", tok())).unwrap();
    git(d.path(), &["add", "app.py"]);
    let elsewhere = tempfile::tempdir().unwrap();
    let cmd = format!("git -C {} commit -m x", d.path().display());
    assert!(assert_pre_deny(&bash(elsewhere.path(), &cmd)).contains("app.py:1"));
    let cmd = format!("cd {} && git commit -m x", d.path().display());
    assert_pre_deny(&bash(elsewhere.path(), &cmd));
    // From a subdirectory of the repository.
    std::fs::create_dir(d.path().join("sub")).unwrap();
    assert_pre_deny(&bash(&d.path().join("sub"), "git commit -m x"));
}

#[test]
fn clean_staged_commit_is_allowed() {
    let d = repo();
    std::fs::write(
        d.path().join("app.py"),
        "import os\nTOKEN = os.environ['TOKEN']\n",
    )
    .unwrap();
    git(d.path(), &["add", "app.py"]);
    assert_silent(&bash(d.path(), "git commit -m 'clean'"));
}

#[test]
fn all_flag_scans_tracked_modified_files() {
    let d = repo();
    // A tracked file modified in the working tree but not staged.
    std::fs::write(
        d.path().join("README.md"),
        format!("hello\ntoken {}\n", tok()),
    )
    .unwrap();
    assert_silent(&bash(d.path(), "git commit -m x"));
    for cmd in [
        "git commit -a -m x",
        "git commit -am x",
        "git commit --all -m x",
        "git commit -m x README.md",
    ] {
        let r = assert_pre_deny(&bash(d.path(), cmd));
        assert!(r.contains("README.md:2"), "{cmd}: {r}");
    }
}

#[test]
fn secret_fixed_only_in_working_tree_is_still_denied() {
    let d = repo();
    std::fs::write(d.path().join("app.py"), format!("TOKEN = \"{}\"\n", tok())).unwrap();
    git(d.path(), &["add", "app.py"]);
    std::fs::write(d.path().join("app.py"), "TOKEN = None\n").unwrap();
    assert_pre_deny(&bash(d.path(), "git commit -m x"));
}

#[test]
fn commit_outside_a_repository_is_no_opinion() {
    let d = tempfile::tempdir().unwrap();
    assert_silent(&bash(d.path(), "git commit -m x"));
}

#[test]
fn codex_and_cursor_see_the_commit_too() {
    let d = repo();
    std::fs::write(d.path().join("app.py"), format!("TOKEN = \"{}\"\n", tok())).unwrap();
    git(d.path(), &["add", "app.py"]);
    let ev = json!({ "session_id": "s", "cwd": d.path(), "hook_event_name": "PreToolUse", "model": "gpt-5",
        "permission_mode": "default", "turn_id": "t1", "tool_name": "Bash", "tool_use_id": "c1",
        "tool_input": { "command": "git commit -am x" } });
    assert_pre_deny(&run(Host::Codex, &ev));
    let ev = json!({ "conversation_id": "c", "generation_id": "g", "hook_event_name": "beforeShellExecution",
        "command": "git commit -m x", "cwd": d.path(), "sandbox": false, "workspace_roots": [d.path()] });
    let v = out_json(&run(Host::Cursor, &ev));
    assert_eq!(v["permission"], "deny");
    assert!(v["agent_message"].as_str().unwrap().contains("app.py:1"));
}

#[test]
fn git_failure_fails_closed_or_open_by_policy() {
    let d = repo();
    // A corrupt index: `git rev-parse` still works, listing staged files fails.
    std::fs::write(d.path().join(".git/index"), b"not an index").unwrap();
    let o = bash(d.path(), "git commit -m x");
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert_eq!(o.stdout, "");
    assert!(
        o.stderr.contains("staged files") && o.stderr.contains("fail-closed"),
        "{}",
        o.stderr
    );
    // An uncommitted .keepmum.toml cannot loosen the policy...
    std::fs::write(
        d.path().join(".keepmum.toml"),
        "[hook]\nfail_mode = \"open\"\n",
    )
    .unwrap();
    assert_eq!(bash(d.path(), "git commit -m x").code, 2);
    // ...a trusted one (here `--config`) can.
    let opts = keepmum_hook::Options {
        config: Some(d.path().join(".keepmum.toml")),
        ..Default::default()
    };
    let o = run_opts(
        Host::Claude,
        &claude_pre(d.path(), "Bash", json!({ "command": "git commit -m x" })),
        &opts,
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.contains("failing open"), "{}", o.stderr);
}

#[test]
fn install_adds_git_hooks_that_stop_secrets() {
    let d = repo();
    let run_in = |args: &[&str], stdin: &[u8]| {
        use std::io::Write;
        let mut c = bin()
            .args(args)
            .current_dir(d.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        c.stdin.take().unwrap().write_all(stdin).unwrap();
        let o = c.wait_with_output().unwrap();
        (
            o.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    // An existing hook that is not ours is kept.
    std::fs::write(d.path().join(".git/hooks/pre-push"), "#!/bin/sh\nexit 0\n").unwrap();
    let (code, _) = run_in(
        &["install", "claude", "--dir", d.path().to_str().unwrap()],
        b"",
    );
    assert_eq!(code, 0);
    let pre_commit = std::fs::read_to_string(d.path().join(".git/hooks/pre-commit")).unwrap();
    assert!(pre_commit.contains("keepmum-hook git-hook pre-commit"));
    assert_eq!(
        std::fs::read_to_string(d.path().join(".git/hooks/pre-push")).unwrap(),
        "#!/bin/sh\nexit 0\n"
    );
    // The hook's scan: clean index passes, a staged token stops the commit.
    assert_eq!(run_in(&["git-hook", "pre-commit"], b"").0, 0);
    std::fs::write(d.path().join("app.py"), format!("t = \"{}\"\n", tok())).unwrap();
    git(d.path(), &["add", "app.py"]);
    let (code, err) = run_in(&["git-hook", "pre-commit"], b"");
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("app.py:1") && !err.contains(TOKEN_BODY),
        "{err}"
    );
    // A real `git commit` runs the hook and is refused.
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_keepmum-hook"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let commit = |extra: &[&str]| {
        std::process::Command::new("git")
            .args([
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@example.com",
                "commit",
                "-q",
                "-m",
                "leak",
            ])
            .args(extra)
            .current_dir(d.path())
            .env("PATH", &path)
            .env_remove("CLAUDE_PROJECT_DIR")
            .output()
            .unwrap()
    };
    let o = commit(&[]);
    assert!(
        !o.status.success(),
        "the pre-commit hook let the secret through"
    );
    assert!(!String::from_utf8_lossy(&o.stderr).contains(TOKEN_BODY));
    // pre-push scans the commits being pushed (new branch: not on a remote).
    assert!(commit(&["--no-verify"]).status.success());
    let head = std::process::Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(d.path())
        .output()
        .unwrap();
    let head = String::from_utf8_lossy(&head.stdout).trim().to_string();
    let line = format!(
        "refs/heads/main {head} refs/heads/main {}\n",
        "0".repeat(40)
    );
    let (code, err) = run_in(&["git-hook", "pre-push"], line.as_bytes());
    assert_eq!(code, 1, "{err}");
    // Uninstall removes our hook and keeps the user's.
    let (code, _) = run_in(
        &["uninstall", "claude", "--dir", d.path().to_str().unwrap()],
        b"",
    );
    assert_eq!(code, 0);
    assert!(!d.path().join(".git/hooks/pre-commit").exists());
    assert!(d.path().join(".git/hooks/pre-push").exists());
}
