//! Helpers for the integration tests: synthetic tokens, running events
//! through the library and the binary, and output checks that every test
//! applies (no raw secret anywhere, exact key sets).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use keepmum_hook::{handle, Host, Options, Outcome};
use serde_json::Value;

/// The body of the synthetic GitHub token; it must never appear in output.
pub const TOKEN_BODY: &str = concat!("A1b2C3d4E5f6", "G7h8I9j0K1l2", "M3n4O5p6Q7r8");

/// A synthetic, format-valid GitHub classic PAT, built at run time so this
/// file does not hold a scannable token.
pub fn tok() -> String {
    ["ghp_", TOKEN_BODY].concat()
}

/// Asserts that no output of `o` contains the raw token (or a long piece of it).
pub fn assert_no_secret(o: &Outcome) {
    for text in [&o.stdout, &o.stderr] {
        assert!(!text.contains(TOKEN_BODY), "raw token in output: {text}");
        assert!(
            !text.contains(&TOKEN_BODY[4..16]),
            "token fragment in output: {text}"
        );
    }
}

/// Runs one event through the library with default options.
pub fn run(host: Host, event: &Value) -> Outcome {
    run_opts(host, event, &Options::default())
}

/// Runs one event through the library.
pub fn run_opts(host: Host, event: &Value, opts: &Options) -> Outcome {
    let o = handle(host, event.to_string().as_bytes(), opts);
    assert_no_secret(&o);
    o
}

/// Runs raw bytes through the library.
pub fn run_raw(host: Host, input: &[u8], opts: &Options) -> Outcome {
    let o = handle(host, input, opts);
    assert_no_secret(&o);
    o
}

/// Parses stdout as one JSON object.
pub fn out_json(o: &Outcome) -> Value {
    assert_eq!(o.code, 0, "stderr: {}", o.stderr);
    serde_json::from_str(o.stdout.trim())
        .unwrap_or_else(|e| panic!("stdout not JSON ({e}): {:?}", o.stdout))
}

/// The sorted keys of a JSON object.
pub fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
    k.sort();
    k
}

/// Asserts "no opinion": exit 0 and nothing on stdout.
pub fn assert_silent(o: &Outcome) {
    assert_eq!(o.code, 0, "stderr: {}", o.stderr);
    assert_eq!(o.stdout, "", "expected no output");
}

/// Asserts a Claude Code / Codex PreToolUse deny with exactly the
/// schema's three fields, and returns the reason.
pub fn assert_pre_deny(o: &Outcome) -> String {
    let v = out_json(o);
    assert_eq!(keys(&v), vec!["hookSpecificOutput"], "{v}");
    let h = &v["hookSpecificOutput"];
    assert_eq!(
        keys(h),
        vec![
            "hookEventName",
            "permissionDecision",
            "permissionDecisionReason"
        ],
        "{v}"
    );
    assert_eq!(h["hookEventName"], "PreToolUse");
    assert_eq!(h["permissionDecision"], "deny", "{v}");
    let r = h["permissionDecisionReason"]
        .as_str()
        .expect("reason")
        .to_string();
    assert!(r.starts_with("keepmum: "), "{r}");
    r
}

/// A Claude Code PreToolUse event.
pub fn claude_pre(cwd: &Path, tool: &str, input: Value) -> Value {
    serde_json::json!({
        "session_id": "8c35-test",
        "transcript_path": "/tmp/t.jsonl",
        "cwd": cwd,
        "permission_mode": "default",
        "hook_event_name": "PreToolUse",
        "tool_name": tool,
        "tool_use_id": "toolu_01",
        "tool_input": input,
    })
}

/// The built binary.
pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_keepmum-hook"));
    c.env_remove("CLAUDE_PROJECT_DIR")
        .env_remove("CURSOR_PROJECT_DIR");
    c
}

/// Runs the binary with `args`, writing `stdin`; returns (code, stdout, stderr).
pub fn run_bin(args: &[&str], stdin: &[u8]) -> (i32, String, String) {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn keepmum-hook");
    {
        let mut si = child.stdin.take().expect("stdin");
        // The hook may stop reading early (oversized input); ignore EPIPE.
        let _ = si.write_all(stdin);
    }
    let out = child.wait_with_output().expect("wait");
    let o = Outcome {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert_no_secret(&o);
    (o.code, o.stdout, o.stderr)
}

/// Runs `git` in `dir`, panicking on failure.
pub fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
