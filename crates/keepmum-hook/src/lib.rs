//! `keepmum-hook`: the AI-agent gate for Claude Code, Cursor and Codex.
//!
//! One hook event (JSON) comes in on stdin; [`handle`] decides and returns
//! the exit code, stdout and stderr the host expects. All detection goes
//! through [`keepmum::Scanner`]; nothing leaves the machine.
//!
//! # What it blocks
//!
//! - prompts carrying a secret or personal data;
//! - shell commands that carry a secret, read or copy a protected file
//!   (`cat .env`, `source .env`, `< .env`, …), or `git commit` staged secrets;
//! - reads of protected paths (`.env`, keys, cloud credentials, matched on the
//!   path as given and on its canonical form) and of files containing secrets;
//! - writes, edits, patches and MCP/tool arguments that introduce a secret;
//! - and it redacts secrets from tool output (Claude Code `PostToolUse`).
//!
//! # Failure policy
//!
//! Hosts let an action through on every failure except an explicit deny or
//! exit 2, so any internal error, panic, malformed or oversized event fails
//! *closed* (exit 2 with a one-line reason) unless `--fail-open` or
//! `fail_mode = "open"` is set. Nothing printed ever contains a raw secret:
//! messages carry rule ids, paths, line numbers and redacted forms only.
//!
//! # Entry points
//!
//! [`handle`] runs a whole event; [`parse_event`] is the lenient event
//! parser (never panics, also a fuzz target); [`shell::analyze`] is the
//! command-line reader; [`controls::run`] is the installer and audit tooling.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

mod check;
pub mod controls;
mod hosts;
pub mod paths;
pub mod policy;
pub mod shell;

use crate::check::Ctx;
use crate::policy::Policy;

/// Largest event accepted on stdin: 16 MiB.
pub const MAX_INPUT: usize = 16 << 20;

/// The agent host whose protocol is spoken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Host {
    /// Claude Code hooks (`PreToolUse`, `UserPromptSubmit`, `PostToolUse`).
    Claude,
    /// Cursor hooks (`beforeSubmitPrompt`, `beforeShellExecution`, …).
    Cursor,
    /// Codex CLI lifecycle hooks.
    Codex,
}

impl Host {
    /// The host's name as used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Host::Claude => "claude",
            Host::Cursor => "cursor",
            Host::Codex => "codex",
        }
    }
}

/// Command-line options of one run.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Let the action through on internal errors (exit 0) instead of
    /// blocking (exit 2). The default is `false`.
    pub fail_open: bool,
    /// Read the policy from this file instead of `<project>/.keepmum.toml`.
    pub config: Option<PathBuf>,
    /// The project directory from the environment (`CLAUDE_PROJECT_DIR` or
    /// `CURSOR_PROJECT_DIR`), used when the event has no `cwd`.
    pub env_project_dir: Option<PathBuf>,
}

/// What the process should do: exit with `code` after writing `stdout` and
/// `stderr`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// Process exit code (0 or 2).
    pub code: i32,
    /// Text for stdout (a JSON object, or empty for "no opinion").
    pub stdout: String,
    /// Text for stderr.
    pub stderr: String,
}

impl Outcome {
    /// Exit 0, nothing printed: no opinion.
    pub fn silent() -> Outcome {
        Outcome {
            code: 0,
            stdout: String::new(),
            stderr: String::new(),
        }
    }

    fn json(v: Value) -> Outcome {
        Outcome {
            code: 0,
            stdout: format!("{v}\n"),
            stderr: String::new(),
        }
    }
}

/// A hook event: the JSON object a host writes on stdin.
#[derive(Clone, Debug)]
pub struct Event {
    name: String,
    fields: Map<String, Value>,
}

/// Why an event could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventError(String);

impl std::fmt::Display for EventError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EventError {}

/// Parses one hook event. Lenient: unknown fields are ignored and missing
/// optional ones tolerated; a missing `hook_event_name` is inferred from
/// the fields (`prompt`, `tool_response`, `tool_name`). Never panics.
///
/// # Errors
/// The input is larger than [`MAX_INPUT`], is not JSON, or is not an object.
pub fn parse_event(input: &[u8]) -> Result<Event, EventError> {
    if input.len() > MAX_INPUT {
        return Err(EventError(format!(
            "event larger than the {} MiB limit",
            MAX_INPUT >> 20
        )));
    }
    let v: Value = serde_json::from_slice(input)
        .map_err(|e| EventError(format!("malformed event JSON: {e}")))?;
    let Value::Object(fields) = v else {
        return Err(EventError("event is not a JSON object".to_string()));
    };
    let name = match fields.get("hook_event_name").and_then(Value::as_str) {
        Some(n) => n.to_string(),
        None if fields.contains_key("prompt") => "UserPromptSubmit".to_string(),
        None if fields.contains_key("tool_response") => "PostToolUse".to_string(),
        None if fields.contains_key("tool_name") => "PreToolUse".to_string(),
        None => return Err(EventError("event has no hook_event_name".to_string())),
    };
    Ok(Event { name, fields })
}

impl Event {
    /// `hook_event_name` (or the inferred event name).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A field of the event.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.fields.get(key)
    }

    /// A string field of the event.
    pub fn str(&self, key: &str) -> Option<&str> {
        self.fields.get(key).and_then(Value::as_str)
    }

    /// `tool_name`, or the empty string.
    pub fn tool_name(&self) -> &str {
        self.str("tool_name").unwrap_or("")
    }

    /// `tool_input` as an object (a JSON string holding an object, as Cursor's
    /// `beforeMCPExecution` sends, is decoded).
    pub fn tool_input(&self) -> Value {
        match self.fields.get("tool_input") {
            Some(Value::String(s)) => {
                serde_json::from_str(s).unwrap_or_else(|_| Value::String(s.clone()))
            }
            Some(v) => v.clone(),
            None => Value::Null,
        }
    }

    /// The directory the event happened in: `cwd`, else Cursor's first
    /// `workspace_roots` entry.
    pub fn cwd(&self) -> Option<PathBuf> {
        self.str("cwd")
            .filter(|s| !s.is_empty())
            .map(PathBuf::from)
            .or_else(|| {
                self.fields
                    .get("workspace_roots")
                    .and_then(Value::as_array)
                    .and_then(|a| a.first())
                    .and_then(Value::as_str)
                    .filter(|s| !s.is_empty())
                    .map(PathBuf::from)
            })
    }
}

/// Handles one event for `host` and returns what to print and the exit code.
/// Never panics: internal errors and panics become a fail-closed (or, with
/// `fail_open`, fail-open) outcome.
pub fn handle(host: Host, input: &[u8], opts: &Options) -> Outcome {
    let mut fail_open = opts.fail_open;
    let result = catch_unwind(AssertUnwindSafe(|| {
        handle_inner(host, input, opts, &mut fail_open)
    }));
    let open_opts = Options {
        fail_open,
        ..opts.clone()
    };
    match result {
        Ok(Ok(out)) => out,
        Ok(Err(msg)) => failure(host, &open_opts, &msg),
        Err(_) => failure(host, &open_opts, "internal error while checking the event"),
    }
}

/// The outcome for an internal failure: exit 2 with a one-line reason
/// (blocks on every host), or exit 0 with the reason on stderr when failing
/// open.
pub fn failure(host: Host, opts: &Options, msg: &str) -> Outcome {
    let line = msg.replace(['\n', '\r'], " ");
    if opts.fail_open {
        Outcome {
            code: 0,
            stdout: String::new(),
            stderr: format!("keepmum-hook: {line} (failing open)\n"),
        }
    } else {
        let _ = host;
        Outcome {
            code: 2,
            stdout: String::new(),
            stderr: format!("keepmum-hook: {line}; blocked (fail-closed)\n"),
        }
    }
}

fn handle_inner(
    host: Host,
    input: &[u8],
    opts: &Options,
    fail_open: &mut bool,
) -> Result<Outcome, String> {
    let event = parse_event(input).map_err(|e| e.to_string())?;
    let cwd = event.cwd();
    let project = cwd.clone().or_else(|| opts.env_project_dir.clone());
    let (policy, config) = load_policy(opts, project.as_deref())?;
    if policy.fail_open {
        *fail_open = true;
    }
    let ctx = Ctx::new(policy, config, cwd.or(project));
    match host {
        Host::Claude => hosts::claude(&ctx, &event),
        Host::Cursor => hosts::cursor(&ctx, &event),
        Host::Codex => hosts::codex(&ctx, &event),
    }
}

/// Reads the policy: `--config FILE`, else `<project>/.keepmum.toml` when
/// it exists, else the defaults. Exactly one file is looked at.
fn load_policy(
    opts: &Options,
    project: Option<&Path>,
) -> Result<(Policy, Option<keepmum::config::Config>), String> {
    let cfg = match (&opts.config, project) {
        (Some(file), _) => Some(keepmum::config::Config::load(file).map_err(|e| e.to_string())?),
        (None, Some(dir)) => keepmum::config::Config::discover(dir).map_err(|e| e.to_string())?,
        (None, None) => None,
    };
    let policy = match cfg.as_ref().and_then(|c| c.hook_table()) {
        Some(t) => Policy::from_table(t)?,
        None => Policy::default(),
    };
    Ok((policy, cfg))
}
