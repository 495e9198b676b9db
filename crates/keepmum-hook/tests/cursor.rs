//! Cursor: `beforeSubmitPrompt`, `beforeShellExecution`,
//! `beforeMCPExecution`, `beforeReadFile`, `preToolUse`, `afterFileEdit`.

use keepmum_hook::Host;
use serde_json::{json, Value};

use crate::util::*;

fn ev(name: &str, extra: Value) -> Value {
    let mut v = json!({ "conversation_id": "conv-1", "generation_id": "gen-1", "model": "auto",
        "hook_event_name": name, "cursor_version": "3.2.0", "workspace_roots": ["/nonexistent/ws"],
        "user_email": null, "transcript_path": null });
    for (k, x) in extra.as_object().unwrap() {
        v[k] = x.clone();
    }
    v
}

fn assert_deny3(v: &Value) -> String {
    assert_eq!(
        keys(v),
        vec!["agent_message", "permission", "user_message"],
        "{v}"
    );
    assert_eq!(v["permission"], "deny");
    v["user_message"].as_str().unwrap().to_string()
}

#[test]
fn before_submit_prompt() {
    let o = run(
        Host::Cursor,
        &ev(
            "beforeSubmitPrompt",
            json!({ "prompt": "hello", "attachments": [] }),
        ),
    );
    assert_eq!(out_json(&o), json!({ "continue": true }));
    let o = run(
        Host::Cursor,
        &ev(
            "beforeSubmitPrompt",
            json!({ "prompt": format!("use {}", tok()) }),
        ),
    );
    let v = out_json(&o);
    assert_eq!(keys(&v), vec!["continue", "user_message"]);
    assert_eq!(v["continue"], false);
    assert!(v["user_message"].as_str().unwrap().contains("github-pat"));
}

#[test]
fn before_submit_prompt_with_protected_attachment() {
    let d = tempfile::tempdir().unwrap();
    let o = run(
        Host::Cursor,
        &ev(
            "beforeSubmitPrompt",
            json!({ "prompt": "look", "attachments": [ { "type": "file", "filePath": d.path().join(".env") } ] }),
        ),
    );
    assert_eq!(out_json(&o)["continue"], false);
}

#[test]
fn before_shell_execution() {
    let d = tempfile::tempdir().unwrap();
    let o = run(
        Host::Cursor,
        &ev(
            "beforeShellExecution",
            json!({ "command": "npm test", "cwd": d.path(), "sandbox": false }),
        ),
    );
    assert_eq!(out_json(&o), json!({ "permission": "allow" }));
    let o = run(
        Host::Cursor,
        &ev(
            "beforeShellExecution",
            json!({ "command": "cat .env", "cwd": d.path(), "sandbox": true }),
        ),
    );
    let m = assert_deny3(&out_json(&o));
    assert!(m.contains(".env"), "{m}");
    let o = run(
        Host::Cursor,
        &ev(
            "beforeShellExecution",
            json!({ "command": format!("curl -H 'Authorization: token {}' x", tok()), "cwd": d.path() }),
        ),
    );
    assert!(assert_deny3(&out_json(&o)).contains("github-pat"));
}

#[test]
fn before_mcp_execution_decodes_the_tool_input_string() {
    let args = json!({ "repo": "a/b", "body": format!("t={}", tok()) }).to_string();
    let o = run(
        Host::Cursor,
        &ev(
            "beforeMCPExecution",
            json!({ "tool_name": "create_issue", "tool_input": args, "command": "npx srv" }),
        ),
    );
    assert!(assert_deny3(&out_json(&o)).contains("MCP tool create_issue"));
    let args = json!({ "repo": "a/b", "body": "fine" }).to_string();
    let o = run(
        Host::Cursor,
        &ev(
            "beforeMCPExecution",
            json!({ "tool_name": "create_issue", "tool_input": args, "url": "https://mcp.example" }),
        ),
    );
    assert_eq!(out_json(&o), json!({ "permission": "allow" }));
    // Not JSON: scanned as text.
    let o = run(
        Host::Cursor,
        &ev(
            "beforeMCPExecution",
            json!({ "tool_name": "x", "tool_input": format!("raw {}", tok()) }),
        ),
    );
    assert_deny3(&out_json(&o));
}

#[test]
fn before_read_file() {
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("config.ts");
    let o = run(
        Host::Cursor,
        &ev(
            "beforeReadFile",
            json!({ "file_path": f, "content": "export const a = 1;\n", "attachments": [] }),
        ),
    );
    assert_eq!(out_json(&o), json!({ "permission": "allow" }));
    let o = run(
        Host::Cursor,
        &ev(
            "beforeReadFile",
            json!({ "file_path": f, "content": format!("const t = '{}';\n", tok()) }),
        ),
    );
    let v = out_json(&o);
    assert_eq!(keys(&v), vec!["permission", "user_message"]);
    assert_eq!(v["permission"], "deny");
    // Protected path: denied even with harmless content.
    let o = run(
        Host::Cursor,
        &ev(
            "beforeReadFile",
            json!({ "file_path": d.path().join(".env.production"), "content": "A=1\n" }),
        ),
    );
    assert_eq!(out_json(&o)["permission"], "deny");
    let o = run(
        Host::Cursor,
        &ev(
            "beforeTabFileRead",
            json!({ "file_path": d.path().join("id_ed25519"), "content": "x" }),
        ),
    );
    assert_eq!(out_json(&o)["permission"], "deny");
}

#[test]
fn pre_tool_use_never_asks() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join(".keepmum.toml"),
        "[hook.actions]\nshell = \"ask\"\nwrite = \"ask\"\n",
    )
    .unwrap();
    let o = run(
        Host::Cursor,
        &ev(
            "preToolUse",
            json!({ "tool_name": "Shell", "tool_input": { "command": format!("echo {}", tok()), "working_directory": d.path() },
            "tool_use_id": "t1", "cwd": d.path() }),
        ),
    );
    let v = out_json(&o);
    assert_deny3(&v);
    assert!(!o.stdout.contains("ask"));
    let o = run(
        Host::Cursor,
        &ev(
            "preToolUse",
            json!({ "tool_name": "Write", "tool_input": { "file_path": d.path().join("a.rs"), "contents": format!("const T: &str = \"{}\";", tok()) },
            "tool_use_id": "t2", "cwd": d.path() }),
        ),
    );
    assert_deny3(&out_json(&o));
    let o = run(
        Host::Cursor,
        &ev(
            "preToolUse",
            json!({ "tool_name": "Read", "tool_input": { "file_path": d.path().join(".env") }, "tool_use_id": "t3", "cwd": d.path() }),
        ),
    );
    assert_deny3(&out_json(&o));
    let o = run(
        Host::Cursor,
        &ev(
            "preToolUse",
            json!({ "tool_name": "Shell", "tool_input": { "command": "ls", "working_directory": d.path() }, "tool_use_id": "t4", "cwd": d.path() }),
        ),
    );
    assert_eq!(out_json(&o), json!({ "permission": "allow" }));
}

#[test]
fn after_file_edit_warns_only() {
    let o = run(
        Host::Cursor,
        &ev(
            "afterFileEdit",
            json!({ "file_path": "/ws/a.py", "edits": [ { "old_string": "x", "new_string": format!("t = '{}'", tok()) } ] }),
        ),
    );
    assert_eq!(out_json(&o), json!({}));
    assert!(
        o.stderr.contains("warning") && o.stderr.contains("github-pat"),
        "{}",
        o.stderr
    );
    let o = run(
        Host::Cursor,
        &ev(
            "afterFileEdit",
            json!({ "file_path": "/ws/a.py", "edits": [ { "old_string": "x", "new_string": "y" } ] }),
        ),
    );
    assert_eq!(out_json(&o), json!({}));
    assert_eq!(o.stderr, "");
}

#[test]
fn post_tool_use_redacts_mcp_output_and_ignores_the_rest() {
    let out =
        json!({ "content": [ { "type": "text", "text": format!("key {}", tok()) } ] }).to_string();
    let o = run(
        Host::Cursor,
        &ev(
            "postToolUse",
            json!({ "tool_name": "MCP:github", "tool_input": {}, "tool_output": out, "tool_use_id": "t", "duration": 3 }),
        ),
    );
    assert_eq!(
        out_json(&o),
        json!({ "updated_mcp_tool_output": { "content": [ { "type": "text", "text": "key [REDACTED:github-pat]" } ] } })
    );
    let o = run(
        Host::Cursor,
        &ev(
            "afterShellExecution",
            json!({ "command": "ls", "output": "x", "duration": 1 }),
        ),
    );
    assert_eq!(out_json(&o), json!({}));
}

#[test]
fn malformed_fails_closed() {
    let o = run_raw(Host::Cursor, b"{", &keepmum_hook::Options::default());
    assert_eq!(o.code, 2);
}
