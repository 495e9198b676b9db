//! Codex CLI: `PreToolUse` (Bash, `apply_patch`, MCP) and
//! `UserPromptSubmit`, emitting only fields Codex's schema accepts.

use keepmum_hook::Host;
use serde_json::{json, Value};

use crate::util::*;

fn pre(cwd: &std::path::Path, tool: &str, input: Value) -> Value {
    json!({ "session_id": "s1", "transcript_path": null, "cwd": cwd, "hook_event_name": "PreToolUse",
        "model": "gpt-5-codex", "permission_mode": "default", "turn_id": "turn-1",
        "tool_name": tool, "tool_use_id": "call_1", "tool_input": input })
}

/// No field outside the schema, and never `ask`.
fn assert_schema_safe(stdout: &str) {
    for bad in [
        "\"ask\"",
        "\"continue\"",
        "\"stopReason\"",
        "\"suppressOutput\"",
        "\"approve\"",
    ] {
        assert!(!stdout.contains(bad), "{bad} in {stdout}");
    }
}

#[test]
fn bash() {
    let d = tempfile::tempdir().unwrap();
    assert_silent(&run(
        Host::Codex,
        &pre(d.path(), "Bash", json!({ "command": "cargo build" })),
    ));
    let o = run(
        Host::Codex,
        &pre(
            d.path(),
            "Bash",
            json!({ "command": format!("export GH_TOKEN={}", tok()) }),
        ),
    );
    assert_schema_safe(&o.stdout);
    assert!(assert_pre_deny(&o).contains("github-pat"));
    let o = run(
        Host::Codex,
        &pre(d.path(), "Bash", json!({ "command": "cat .env" })),
    );
    assert_pre_deny(&o);
}

#[test]
fn apply_patch_scans_only_added_lines() {
    let d = tempfile::tempdir().unwrap();
    let patch = format!(
        "*** Begin Patch\n*** Update File: src/app.py\n@@\n-TOKEN = None\n+TOKEN = \"{}\"\n*** End Patch\n",
        tok()
    );
    let o = run(
        Host::Codex,
        &pre(d.path(), "apply_patch", json!({ "command": patch })),
    );
    let r = assert_pre_deny(&o);
    assert!(
        r.contains("src/app.py") && r.contains("environment variable"),
        "{r}"
    );
    // Removing a token is fine.
    let patch = format!(
        "*** Begin Patch\n*** Update File: src/app.py\n@@\n-TOKEN = \"{}\"\n+TOKEN = os.environ['T']\n*** End Patch\n",
        tok()
    );
    assert_silent(&run(
        Host::Codex,
        &pre(d.path(), "apply_patch", json!({ "command": patch })),
    ));
}

#[test]
fn mcp_tools() {
    let d = tempfile::tempdir().unwrap();
    let o = run(
        Host::Codex,
        &pre(d.path(), "mcp__srv__send", json!({ "text": tok() })),
    );
    assert_pre_deny(&o);
    assert_silent(&run(
        Host::Codex,
        &pre(d.path(), "mcp__srv__send", json!({ "text": "hi" })),
    ));
}

#[test]
fn ask_maps_to_deny() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join(".keepmum.toml"),
        "[hook.actions]\nshell = \"ask\"\nprompt = \"ask\"\n",
    )
    .unwrap();
    let o = run(
        Host::Codex,
        &pre(
            d.path(),
            "Bash",
            json!({ "command": format!("echo {}", tok()) }),
        ),
    );
    assert_schema_safe(&o.stdout);
    assert_pre_deny(&o);
    let o = run(
        Host::Codex,
        &json!({ "session_id": "s", "cwd": d.path(), "hook_event_name": "UserPromptSubmit", "prompt": tok() }),
    );
    assert_schema_safe(&o.stdout);
    assert_eq!(keys(&out_json(&o)), vec!["decision", "reason"]);
}

#[test]
fn warn_goes_to_stderr_only() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join(".keepmum.toml"),
        "[hook.actions]\nshell = \"warn\"\n",
    )
    .unwrap();
    let o = run(
        Host::Codex,
        &pre(
            d.path(),
            "Bash",
            json!({ "command": format!("echo {}", tok()) }),
        ),
    );
    assert_eq!(o.code, 0);
    assert_eq!(o.stdout, "");
    assert!(o.stderr.contains("github-pat"));
}

#[test]
fn user_prompt_submit() {
    let d = tempfile::tempdir().unwrap();
    let clean = json!({ "session_id": "s", "transcript_path": null, "cwd": d.path(), "hook_event_name": "UserPromptSubmit",
        "model": "gpt-5", "permission_mode": "default", "turn_id": "t", "prompt": "add tests" });
    assert_silent(&run(Host::Codex, &clean));
    let mut bad = clean.clone();
    bad["prompt"] = json!(format!("my token is {}", tok()));
    let o = run(Host::Codex, &bad);
    assert_schema_safe(&o.stdout);
    let v = out_json(&o);
    assert_eq!(keys(&v), vec!["decision", "reason"]);
    assert_eq!(v["decision"], "block");
}

#[test]
fn post_tool_use_withholds_secret_output_with_a_block() {
    // Codex cannot rewrite tool output; a block's reason replaces it.
    let d = tempfile::tempdir().unwrap();
    let ev = json!({ "session_id": "s", "cwd": d.path(), "hook_event_name": "PostToolUse", "tool_name": "Bash",
        "tool_input": { "command": "env" }, "tool_response": format!("GH={}", tok()) });
    let o = run(Host::Codex, &ev);
    let v = out_json(&o);
    assert_eq!(keys(&v), vec!["decision", "reason"]);
    assert_eq!(v["decision"], "block");
    let ev = json!({ "session_id": "s", "cwd": d.path(), "hook_event_name": "PostToolUse", "tool_name": "Bash",
        "tool_input": { "command": "ls" }, "tool_response": "a.txt b.txt" });
    assert_silent(&run(Host::Codex, &ev));
}
