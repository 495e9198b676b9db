//! The three hosts' wire formats: which fields of each event are checked and
//! how a decision is written back.
//!
//! | host | event | blocks with |
//! |---|---|---|
//! | Claude Code | `PreToolUse` | `hookSpecificOutput.permissionDecision: "deny"` (or `"ask"` when the policy says so) |
//! | Claude Code | `UserPromptSubmit` | `{"decision":"block","reason":…}` |
//! | Claude Code | `PostToolUse` | cannot block: `hookSpecificOutput.updatedToolOutput` with secrets replaced by `[REDACTED:rule-id]` |
//! | Cursor | `beforeShellExecution`, `beforeMCPExecution`, `preToolUse` | `{"permission":"deny","user_message":…,"agent_message":…}` |
//! | Cursor | `beforeReadFile`, `beforeTabFileRead` | `{"permission":"deny","user_message":…}` |
//! | Cursor | `beforeSubmitPrompt` | `{"continue":false,"user_message":…}` |
//! | Cursor | `afterFileEdit` | observe only: a warning on stderr, `{}` |
//! | Codex | `PreToolUse` | `hookSpecificOutput.{hookEventName,permissionDecision:"deny",permissionDecisionReason}` only |
//! | Codex | `UserPromptSubmit` | `{"decision":"block","reason":…}` |
//!
//! A clean event is "no opinion" for Claude Code and Codex (exit 0, no
//! output) and an explicit allow for Cursor. Cursor and Codex never get
//! `ask` (Codex treats it as a hook failure and runs the tool; Cursor ignores
//! it in some modes): `ask` becomes `deny` there. Codex gets only fields its
//! schema accepts; a warning goes to stderr.

use serde_json::{json, Value};

use crate::check::{self, Ctx, Verdict};
use crate::policy::{Action, Control};
use crate::{Event, Host, Outcome};

/// Claude Code events that are gated or deliberately passed through.
const CLAUDE_EVENTS: &[&str] = &[
    "PreToolUse",
    "PostToolUse",
    "PostToolUseFailure",
    "UserPromptSubmit",
    "Notification",
    "Stop",
    "SubagentStart",
    "SubagentStop",
    "PreCompact",
    "PostCompact",
    "SessionStart",
    "SessionEnd",
    "PermissionRequest",
    "PermissionDenied",
];

/// Codex lifecycle events.
const CODEX_EVENTS: &[&str] = &[
    "PreToolUse",
    "PermissionRequest",
    "PostToolUse",
    "PreCompact",
    "PostCompact",
    "UserPromptSubmit",
    "SessionStart",
    "SessionEnd",
    "SubagentStart",
    "SubagentStop",
    "Stop",
    "Interrupt",
];

/// Cursor events.
const CURSOR_EVENTS: &[&str] = &[
    "beforeSubmitPrompt",
    "beforeShellExecution",
    "beforeMCPExecution",
    "beforeReadFile",
    "beforeTabFileRead",
    "preToolUse",
    "postToolUse",
    "postToolUseFailure",
    "afterFileEdit",
    "afterTabFileEdit",
    "afterShellExecution",
    "afterMCPExecution",
    "afterAgentResponse",
    "afterAgentThought",
    "stop",
    "sessionStart",
    "sessionEnd",
    "subagentStart",
    "subagentStop",
    "preCompact",
];

/// Refuses what the gate does not understand, before any check runs: an
/// event name this host does not send (unknown, wrong case, or another
/// host's), and missing or ill-typed fields the decision depends on. Every
/// refusal fails closed in [`crate::handle`].
pub(crate) fn validate(host: Host, ev: &Event) -> Result<(), String> {
    let name = ev.name();
    let known = match host {
        Host::Claude => CLAUDE_EVENTS,
        Host::Codex => CODEX_EVENTS,
        Host::Cursor => CURSOR_EVENTS,
    };
    if !known.contains(&name) {
        return Err(format!(
            "unknown {} hook event \"{}\"",
            host.as_str(),
            name.chars().take(64).collect::<String>()
        ));
    }
    let want_str = |key: &str| -> Result<(), String> {
        match ev.get(key) {
            Some(Value::String(_)) => Ok(()),
            Some(_) => Err(format!("{name}: field \"{key}\" is not a string")),
            None => Err(format!("{name}: field \"{key}\" is missing")),
        }
    };
    let opt_str = |key: &str| -> Result<(), String> {
        match ev.get(key) {
            None | Some(Value::Null) | Some(Value::String(_)) => Ok(()),
            Some(_) => Err(format!("{name}: field \"{key}\" is not a string")),
        }
    };
    opt_str("cwd")?;
    match name {
        "PreToolUse" | "preToolUse" | "beforeMCPExecution" => {
            want_str("tool_name")?;
            if ev.tool_name().is_empty() {
                return Err(format!("{name}: empty tool_name"));
            }
            let input = ev.tool_input();
            if name == "beforeMCPExecution" && input.is_string() {
                // Not JSON: scanned as text.
                return Ok(());
            }
            let Value::Object(map) = &input else {
                return Err(format!("{name}: tool_input is missing or not an object"));
            };
            for key in [
                "command",
                "file_path",
                "path",
                "content",
                "new_string",
                "patch",
            ] {
                match map.get(key) {
                    None | Some(Value::Null) | Some(Value::String(_)) => {}
                    // Codex's shell tool may send argv as an array of strings.
                    Some(Value::Array(a)) if key == "command" && a.iter().all(Value::is_string) => {
                    }
                    Some(_) => {
                        return Err(format!("{name}: tool_input.{key} has an unexpected type"))
                    }
                }
            }
            let tool = ev.tool_name();
            // Codex's `exec_command` names it `cmd`.
            if is_shell_tool(tool)
                && !map.contains_key("command")
                && !map.get("cmd").is_some_and(Value::is_string)
            {
                return Err(format!("{name}: {tool} without a command"));
            }
            let file_tool = matches!(
                tool,
                "Read" | "Write" | "Edit" | "MultiEdit" | "NotebookEdit" | "NotebookRead"
            );
            let has_path = ["file_path", "notebook_path", "path", "target_file"]
                .iter()
                .any(|k| map.get(*k).is_some_and(Value::is_string));
            if file_tool && host != Host::Cursor && !has_path {
                return Err(format!("{name}: {tool} without a file path"));
            }
            match map.get("edits") {
                None | Some(Value::Null) | Some(Value::Array(_)) => {}
                Some(_) => return Err(format!("{name}: tool_input.edits is not an array")),
            }
        }
        "UserPromptSubmit" | "beforeSubmitPrompt" => want_str("prompt")?,
        "beforeShellExecution" => want_str("command")?,
        "beforeReadFile" | "beforeTabFileRead" => {
            want_str("file_path")?;
            opt_str("content")?;
        }
        "PostToolUse" | "postToolUse" => opt_str("tool_name")?,
        _ => {}
    }
    if let Some(a) = ev.get("attachments") {
        match a {
            Value::Array(items) if items.len() <= MAX_ATTACHMENTS => {}
            Value::Array(_) => {
                return Err(format!("{name}: more than {MAX_ATTACHMENTS} attachments"))
            }
            Value::Null => {}
            _ => return Err(format!("{name}: attachments is not an array")),
        }
    }
    Ok(())
}

/// Most attachments one prompt event may carry; more fails closed.
const MAX_ATTACHMENTS: usize = 256;

fn is_shell_tool(name: &str) -> bool {
    matches!(
        name,
        "Bash" | "PowerShell" | "Shell" | "shell" | "local_shell" | "exec_command"
    )
}

/// Claude Code.
pub(crate) fn claude(ctx: &Ctx, ev: &Event) -> Result<Outcome, String> {
    match ev.name() {
        "PreToolUse" => {
            let v = pre_tool(ctx, ev, Host::Claude)?;
            let action = v.action(&ctx.policy);
            Ok(match action {
                Action::Allow => Outcome::silent(),
                Action::Warn => {
                    Outcome::json(json!({ "systemMessage": v.reason(&ctx.policy, action) }))
                }
                Action::Ask | Action::Deny => Outcome::json(json!({
                    "hookSpecificOutput": {
                        "hookEventName": "PreToolUse",
                        "permissionDecision": action.as_str(),
                        "permissionDecisionReason": v.reason(&ctx.policy, action),
                    }
                })),
            })
        }
        "UserPromptSubmit" => {
            let v = prompt(ctx, ev)?;
            let action = v.action(&ctx.policy);
            Ok(match action {
                Action::Allow => Outcome::silent(),
                Action::Warn => {
                    Outcome::json(json!({ "systemMessage": v.reason(&ctx.policy, action) }))
                }
                Action::Ask | Action::Deny => Outcome::json(json!({
                    "decision": "block",
                    "reason": v.reason(&ctx.policy, action),
                })),
            })
        }
        "PostToolUse" => {
            if ctx.policy.action(Control::ToolOutput) == Action::Allow {
                return Ok(Outcome::silent());
            }
            let Some(resp) = ev.get("tool_response") else {
                return Ok(Outcome::silent());
            };
            Ok(match redact_output(ctx, ev.tool_name(), resp)? {
                Some(red) => {
                    // `updatedToolOutput` (current builds, every tool) and
                    // `updatedMCPToolOutput` (older builds, MCP tools only).
                    let mut h = json!({
                        "hookEventName": "PostToolUse",
                        "updatedToolOutput": red,
                    });
                    if ev.tool_name().starts_with("mcp__") {
                        h["updatedMCPToolOutput"] = h["updatedToolOutput"].clone();
                    }
                    Outcome::json(json!({ "hookSpecificOutput": h }))
                }
                None => Outcome::silent(),
            })
        }
        _ => Ok(Outcome::silent()),
    }
}

/// Codex CLI: only schema-accepted fields; `ask` is `deny`; warnings go to
/// stderr.
pub(crate) fn codex(ctx: &Ctx, ev: &Event) -> Result<Outcome, String> {
    let (v, prompt_event) = match ev.name() {
        "PreToolUse" => (pre_tool(ctx, ev, Host::Codex)?, false),
        "UserPromptSubmit" => (prompt(ctx, ev)?, true),
        "PostToolUse" => {
            // Codex cannot rewrite a tool's output (it rejects
            // `updatedMCPToolOutput`); a block's reason replaces what the
            // model sees, so a secret-bearing output is withheld that way.
            if ctx.policy.action(Control::ToolOutput) == Action::Allow {
                return Ok(Outcome::silent());
            }
            let Some(resp) = ev.get("tool_response") else {
                return Ok(Outcome::silent());
            };
            return Ok(match redact_output(ctx, ev.tool_name(), resp)? {
                Some(_) => Outcome::json(json!({
                    "decision": "block",
                    "reason": "keepmum: the tool output contained secrets or personal data and was withheld from the model. Do not print credentials; ask the user for the specific non-secret value you need.",
                })),
                None => Outcome::silent(),
            });
        }
        _ => return Ok(Outcome::silent()),
    };
    let action = v.action(&ctx.policy);
    Ok(match action {
        Action::Allow => Outcome::silent(),
        Action::Warn => warn_only(ctx, &v),
        Action::Ask | Action::Deny => {
            let reason = v.reason(&ctx.policy, action);
            if prompt_event {
                Outcome::json(json!({ "decision": "block", "reason": reason }))
            } else {
                Outcome::json(json!({
                    "hookSpecificOutput": {
                        "hookEventName": "PreToolUse",
                        "permissionDecision": "deny",
                        "permissionDecisionReason": reason,
                    }
                }))
            }
        }
    })
}

/// Exit 0, no stdout, the warnings on stderr.
fn warn_only(ctx: &Ctx, v: &Verdict) -> Outcome {
    let mut stderr = String::new();
    for a in [Action::Deny, Action::Ask, Action::Warn] {
        let r = v.reason(&ctx.policy, a);
        if !r.is_empty() {
            stderr.push_str(&r);
            stderr.push('\n');
        }
    }
    Outcome {
        code: 0,
        stdout: String::new(),
        stderr,
    }
}

/// Cursor: explicit allow/deny; `ask` is `deny`.
pub(crate) fn cursor(ctx: &Ctx, ev: &Event) -> Result<Outcome, String> {
    let mut v = Verdict::default();
    match ev.name() {
        "beforeSubmitPrompt" => {
            let v = prompt(ctx, ev)?;
            let action = v.action(&ctx.policy);
            return Ok(match action {
                Action::Allow => Outcome::json(json!({ "continue": true })),
                Action::Warn => Outcome::json(json!({
                    "continue": true,
                    "user_message": v.reason(&ctx.policy, action),
                })),
                Action::Ask | Action::Deny => Outcome::json(json!({
                    "continue": false,
                    "user_message": v.reason(&ctx.policy, action),
                })),
            });
        }
        "beforeReadFile" | "beforeTabFileRead" => {
            let path = ev.str("file_path").unwrap_or("");
            check::read(ctx, &mut v, path, ev.str("content"), None, None)?;
            let action = v.action(&ctx.policy);
            return Ok(match action {
                Action::Allow => Outcome::json(json!({ "permission": "allow" })),
                Action::Warn => Outcome::json(json!({
                    "permission": "allow",
                    "user_message": v.reason(&ctx.policy, action),
                })),
                Action::Ask | Action::Deny => Outcome::json(json!({
                    "permission": "deny",
                    "user_message": v.reason(&ctx.policy, action),
                })),
            });
        }
        "beforeShellExecution" => {
            let cmd = ev.str("command").unwrap_or("");
            let cwd = ev
                .str("cwd")
                .filter(|s| !s.is_empty())
                .map(std::path::Path::new);
            check::command(ctx, &mut v, cmd, cwd)?;
        }
        "beforeMCPExecution" => {
            let name = ev.tool_name().to_string();
            let mut args = ev.tool_input();
            if let (Value::Object(map), Some(url)) = (&mut args, ev.str("url")) {
                map.insert("url".to_string(), Value::String(url.to_string()));
            }
            let label = format!("MCP tool {name}");
            check::values(ctx, &mut v, Control::Mcp, &label, &args)?;
            path_args(ctx, &mut v, &label, &args, 0)?;
        }
        "preToolUse" => v = pre_tool(ctx, ev, Host::Cursor)?,
        "afterFileEdit" | "afterTabFileEdit" => {
            let texts = edit_texts(ev.get("edits"));
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            check::new_text(ctx, &mut v, ev.str("file_path").unwrap_or(""), &refs)?;
            let mut stderr = String::new();
            if !v.issues.is_empty() {
                for i in &v.issues {
                    stderr.push_str("keepmum: warning: ");
                    stderr.push_str(&i.message);
                    stderr.push('\n');
                }
            }
            return Ok(Outcome {
                code: 0,
                stdout: "{}\n".to_string(),
                stderr,
            });
        }
        "postToolUse" => {
            let name = ev.tool_name();
            if (name.starts_with("MCP") || name.starts_with("mcp"))
                && ctx.policy.action(Control::ToolOutput) != Action::Allow
            {
                let out = match ev.get("tool_output") {
                    Some(Value::String(s)) => {
                        serde_json::from_str(s).unwrap_or(Value::String(s.clone()))
                    }
                    Some(other) => other.clone(),
                    None => Value::Null,
                };
                if let Some((red, _)) = check::redact(ctx, &out)? {
                    let red = match red {
                        Value::Object(_) => red,
                        other => {
                            json!({ "content": [{ "type": "text", "text": other.as_str().map(str::to_string).unwrap_or_else(|| other.to_string()) }] })
                        }
                    };
                    return Ok(Outcome::json(json!({ "updated_mcp_tool_output": red })));
                }
            }
            return Ok(Outcome::json(json!({})));
        }
        _ => return Ok(Outcome::json(json!({}))),
    }
    let action = v.action(&ctx.policy);
    Ok(match action {
        Action::Allow => Outcome::json(json!({ "permission": "allow" })),
        Action::Warn => Outcome::json(json!({
            "permission": "allow",
            "user_message": v.reason(&ctx.policy, action),
        })),
        Action::Ask | Action::Deny => {
            let reason = v.reason(&ctx.policy, action);
            Outcome::json(json!({
                "permission": "deny",
                "user_message": reason,
                "agent_message": reason,
            }))
        }
    })
}

/// A tool's output with secrets, personal data (by policy) and lines from
/// protected files (search output) redacted, or `None` when clean.
fn redact_output(ctx: &Ctx, tool: &str, resp: &Value) -> Result<Option<Value>, String> {
    let mut current = resp.clone();
    let mut changed = false;
    if let Some((red, _)) = check::redact(ctx, &current)? {
        current = red;
        changed = true;
    }
    if matches!(tool, "Grep" | "Search" | "Bash" | "Shell") {
        fn walk(ctx: &Ctx, v: &mut Value, changed: &mut bool) {
            match v {
                Value::String(s) => {
                    if let Some(r) = check::redact_protected_lines(ctx, s) {
                        *s = r;
                        *changed = true;
                    }
                }
                Value::Array(a) => a.iter_mut().for_each(|x| walk(ctx, x, changed)),
                Value::Object(o) => o.values_mut().for_each(|x| walk(ctx, x, changed)),
                _ => {}
            }
        }
        walk(ctx, &mut current, &mut changed);
    }
    Ok(changed.then_some(current))
}

/// The prompt of a prompt event, plus (Cursor) attached files.
fn prompt(ctx: &Ctx, ev: &Event) -> Result<Verdict, String> {
    let mut v = Verdict::default();
    if let Some(p) = ev.str("prompt") {
        check::prompt(ctx, &mut v, p)?;
        // `@path` mentions: Claude Code inlines the file into the prompt
        // without a tool call, so no Read event would ever fire for it.
        for path in at_mentions(p).into_iter().take(64) {
            if !ctx.resolve_path(&path).exists() {
                continue;
            }
            let mut av = Verdict::default();
            check::read(ctx, &mut av, &path, None, None, None)?;
            for i in av.issues {
                v.push(Control::Prompt, format!("@{path}: {}", i.message));
            }
        }
    }
    if let Some(Value::Array(atts)) = ev.get("attachments") {
        for a in atts.iter().take(256) {
            let path = a
                .get("file_path")
                .or_else(|| a.get("filePath"))
                .and_then(Value::as_str);
            if let Some(p) = path {
                let mut av = Verdict::default();
                check::read(ctx, &mut av, p, None, None, None)?;
                // An attached protected or secret-bearing file blocks the prompt.
                for i in av.issues {
                    v.push(Control::Prompt, format!("attachment: {}", i.message));
                }
            }
        }
    }
    Ok(v)
}

/// The `@path` mentions of a prompt (an `@` at the start or after
/// whitespace, up to the next whitespace; e-mail addresses are not
/// mentions), with trailing punctuation removed.
fn at_mentions(prompt: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut prev_space = true;
    for (i, c) in prompt.char_indices() {
        if c == '@' && prev_space {
            let rest = &prompt[i + 1..];
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let word = rest[..end].trim_end_matches([',', ';', ':', ')', '?', '!', '"', '\'', '`']);
            let word = word.trim_start_matches(['"', '\'', '`']);
            if !word.is_empty() && word.len() < 4096 {
                out.push(word.to_string());
            }
            if out.len() >= 256 {
                break;
            }
        }
        prev_space = c.is_whitespace() || c == '(';
    }
    out
}

/// `new_string`s of an `edits` array.
fn edit_texts(edits: Option<&Value>) -> Vec<String> {
    edits
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|e| e.get("new_string").and_then(Value::as_str))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// The `(old_string, new_string, replace_all)` steps of an Edit (one) or
/// MultiEdit (its `edits`, in order).
fn edit_ops(input: &Value) -> Vec<(String, String, bool)> {
    let one = |e: &Value| {
        Some((
            e.get("old_string").and_then(Value::as_str)?.to_string(),
            e.get("new_string").and_then(Value::as_str)?.to_string(),
            e.get("replace_all")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        ))
    };
    match input.get("edits").and_then(Value::as_array) {
        Some(a) => a.iter().take(1024).filter_map(one).collect(),
        None => one(input).into_iter().collect(),
    }
}

fn s<'a>(v: &'a Value, keys: &[&str]) -> Option<&'a str> {
    keys.iter().find_map(|k| v.get(*k).and_then(Value::as_str))
}

fn n(v: &Value, key: &str) -> Option<u64> {
    v.get(key).and_then(|x| {
        x.as_u64()
            .or_else(|| x.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64))
    })
}

/// A tool call about to run (Claude `PreToolUse`, Cursor `preToolUse`,
/// Codex `PreToolUse`).
fn pre_tool(ctx: &Ctx, ev: &Event, host: Host) -> Result<Verdict, String> {
    let mut v = Verdict::default();
    let name = ev.tool_name();
    let input = ev.tool_input();
    let command = s(&input, &["command"]);
    // Codex (and some Claude Code builds) send patches as a command string.
    if let Some(c) = command {
        if name == "apply_patch" || c.trim_start().starts_with("*** Begin Patch") {
            check::patch(ctx, &mut v, c, ev.str("transcript_path"))?;
            return Ok(v);
        }
    }
    match name {
        "Bash" | "PowerShell" | "Shell" | "shell" | "local_shell" | "exec_command" => {
            let cwd = s(&input, &["working_directory", "cwd", "workdir"])
                .filter(|s| !s.is_empty())
                .map(std::path::Path::new);
            let cmd = match (
                command.or_else(|| s(&input, &["cmd"])),
                input.get("command"),
            ) {
                (Some(c), _) => c.to_string(),
                // Codex's shell tool may send argv as an array.
                (None, Some(Value::Array(argv))) => argv
                    .iter()
                    .filter_map(Value::as_str)
                    .map(quote)
                    .collect::<Vec<_>>()
                    .join(" "),
                _ => String::new(),
            };
            check::command(ctx, &mut v, &cmd, cwd)?;
        }
        "Read" | "NotebookRead" | "TabRead" => {
            let path = s(
                &input,
                &["file_path", "notebook_path", "path", "target_file"],
            )
            .unwrap_or("");
            check::read(
                ctx,
                &mut v,
                path,
                None,
                n(&input, "offset"),
                n(&input, "limit"),
            )?;
        }
        "Grep" | "Glob" | "LS" | "Search" => {
            let globs: Vec<&str> = if name == "Glob" {
                s(&input, &["pattern"]).into_iter().collect()
            } else {
                s(&input, &["glob", "include"]).into_iter().collect()
            };
            check::search(ctx, &mut v, s(&input, &["path", "file_path"]), &globs);
        }
        "Write" | "Edit" | "MultiEdit" | "NotebookEdit" | "Delete" | "TabWrite" => {
            let file = s(
                &input,
                &["file_path", "notebook_path", "path", "target_file"],
            )
            .unwrap_or("");
            let mut texts: Vec<String> = Vec::new();
            for k in [
                "content",
                "new_string",
                "new_source",
                "contents",
                "code_edit",
            ] {
                if let Some(t) = input.get(k).and_then(Value::as_str) {
                    texts.push(t.to_string());
                }
            }
            texts.extend(edit_texts(input.get("edits")));
            check::write_target(ctx, &mut v, file, None, &format!("this {name}"));
            if matches!(name, "Edit" | "MultiEdit" | "NotebookEdit") {
                if let Some(hit) = ctx.protected(file, None) {
                    v.push(
                        Control::ProtectedPath,
                        format!(
                            "{hit} is a protected file (it holds credentials); editing it would put its content into the conversation. Ask the user to make the change."
                        ),
                    );
                }
            }
            if texts.is_empty() && host == Host::Cursor && name != "Delete" {
                // Cursor's tool_input shapes are undocumented: scan every value.
                check::values(ctx, &mut v, Control::Write, name, &input)?;
            } else {
                let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
                check::new_text(ctx, &mut v, file, &refs)?;
                if v.issues.is_empty() && matches!(name, "Edit" | "MultiEdit") {
                    check::edited_file(ctx, &mut v, file, &edit_ops(&input))?;
                }
                if v.issues.is_empty() && name != "Delete" {
                    check::seams(ctx, &mut v, file, &refs, ev.str("transcript_path"))?;
                }
            }
        }
        n if n.starts_with("mcp__") || n.starts_with("MCP:") || n.starts_with("MCP") => {
            check::values(ctx, &mut v, Control::Mcp, n, &input)?;
            path_args(ctx, &mut v, n, &input, 0)?;
        }
        other => {
            if !input.is_null() {
                let label = if other.is_empty() { "the tool" } else { other };
                check::values(ctx, &mut v, Control::Tool, label, &input)?;
                path_args(ctx, &mut v, label, &input, 0)?;
            }
        }
    }
    Ok(v)
}

/// Arguments of MCP and other tools that name a path (keys such as `path`,
/// `file`, `source`, `uri`): a protected path is denied as a read, and one
/// of the gate's own control files as a write.
fn path_args(
    ctx: &Ctx,
    v: &mut Verdict,
    tool: &str,
    value: &Value,
    depth: usize,
) -> Result<(), String> {
    if depth > 16 {
        return Ok(());
    }
    let Value::Object(map) = value else {
        if let Value::Array(a) = value {
            for x in a.iter().take(1024) {
                path_args(ctx, v, tool, x, depth + 1)?;
            }
        }
        return Ok(());
    };
    for (k, x) in map {
        let key = k.to_ascii_lowercase();
        // A tool that runs a shell command (an MCP shell server, a Cursor
        // MCP tool): the command is checked as the Bash tool's would be.
        if matches!(
            key.as_str(),
            "command" | "cmd" | "script" | "shell_command" | "bash_command" | "commandline"
        ) {
            let cmd = match x {
                Value::String(s) => Some(s.clone()),
                Value::Array(argv) if argv.iter().all(Value::is_string) => Some(
                    argv.iter()
                        .filter_map(Value::as_str)
                        .map(quote)
                        .collect::<Vec<_>>()
                        .join(" "),
                ),
                _ => None,
            };
            if let Some(cmd) = cmd.filter(|c| !c.trim().is_empty()) {
                check::command(ctx, v, &cmd, None)?;
            }
        }
        let pathy = [
            "path", "file", "uri", "source", "src", "dest", "target", "dir", "root", "location",
        ]
        .iter()
        .any(|w| key.contains(w));
        let mut check_one = |s: &str| {
            let uri = s.strip_prefix("file://");
            let s = uri.map_or(s, |p| p.strip_prefix("localhost").unwrap_or(p));
            if s.is_empty() || s.len() > 4096 || s.contains('\n') {
                return;
            }
            // A file URI's path is percent-encoded (`%2Eenv` is `.env`).
            let decoded = uri
                .filter(|_| s.contains('%'))
                .and_then(|_| percent_decoded(s));
            for s in std::iter::once(s).chain(decoded.as_deref()) {
                if let Some(hit) = ctx.protected(s, None) {
                    v.push(
                        Control::ProtectedPath,
                        format!("{tool} would access the protected file {hit}; protected files hold credentials and must not enter the conversation."),
                    );
                }
                check::write_target(ctx, v, s, None, tool);
            }
        };
        // Under any key, a value that is plainly a path (`file://…`,
        // absolute, `~/…`) names a file the tool may open.
        let plain_path = |s: &str| {
            s.len() < 4096
                && (s.starts_with("file://")
                    || ((s.starts_with('/') || s.starts_with("~/"))
                        && !s.contains(char::is_whitespace)))
        };
        match x {
            Value::String(s) if pathy || plain_path(s) => check_one(s),
            Value::Array(a) if !pathy => {
                for s in a.iter().take(1024).filter_map(Value::as_str) {
                    if plain_path(s) {
                        check_one(s);
                    }
                }
                path_args(ctx, v, tool, x, depth + 1)?;
            }
            Value::Array(a) if pathy => {
                for s in a.iter().take(1024).filter_map(Value::as_str) {
                    check_one(s);
                }
            }
            Value::Object(_) | Value::Array(_) => path_args(ctx, v, tool, x, depth + 1)?,
            _ => {}
        }
    }
    Ok(())
}

/// `s` with `%XX` escapes decoded, when that gives UTF-8.
fn percent_decoded(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (
            b[i],
            b.get(i + 1).and_then(|&c| hex(c)),
            b.get(i + 2).and_then(|&c| hex(c)),
        ) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Single-quotes a word for a shell command line.
fn quote(w: &str) -> String {
    if !w.is_empty()
        && w.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./=:@%+,".contains(&b))
    {
        w.to_string()
    } else {
        format!("'{}'", w.replace('\'', "'\\''"))
    }
}
