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
