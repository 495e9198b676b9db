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
    /// The process exits right after this event: what the checks built (the
    /// scanner's keyword index, thousands of allocations) is left for the
    /// exit to reclaim instead of being freed piece by piece.
    pub exit_after: bool,
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
    let v: Value = match serde_json::from_slice(input) {
        Ok(v) => v,
        // A lone surrogate escape (`\ud83d`) is valid JSON that serde_json
        // refuses; it becomes U+FFFD and the event is parsed again.
        Err(e) => match repair_lone_surrogates(input) {
            Some(fixed) => serde_json::from_slice(&fixed)
                .map_err(|e| EventError(format!("malformed event JSON: {e}")))?,
            None => return Err(EventError(format!("malformed event JSON: {e}"))),
        },
    };
    let Value::Object(fields) = v else {
        return Err(EventError("event is not a JSON object".to_string()));
    };
    if fields
        .get("hook_event_name")
        .is_some_and(|n| !n.is_string() && !n.is_null())
    {
        return Err(EventError("hook_event_name is not a string".to_string()));
    }
    let name = match fields.get("hook_event_name").and_then(Value::as_str) {
        Some(n) => n.to_string(),
        None if fields.contains_key("prompt") => "UserPromptSubmit".to_string(),
        None if fields.contains_key("tool_response") => "PostToolUse".to_string(),
        None if fields.contains_key("tool_name") => "PreToolUse".to_string(),
        None => return Err(EventError("event has no hook_event_name".to_string())),
    };
    Ok(Event { name, fields })
}

/// Rewrites `\uD800`–`\uDFFF` escapes that are not part of a valid
/// surrogate pair into `\uFFFD`. Returns `None` when there was none (so the
/// input is malformed for another reason).
fn repair_lone_surrogates(input: &[u8]) -> Option<Vec<u8>> {
    fn hex4(b: &[u8]) -> Option<u16> {
        let s = std::str::from_utf8(b.get(..4)?).ok()?;
        u16::from_str_radix(s, 16).ok()
    }
    let mut out = Vec::with_capacity(input.len());
    let mut changed = false;
    let mut in_str = false;
    let mut i = 0;
    while i < input.len() {
        let c = input[i];
        if !in_str {
            in_str = c == b'"';
            out.push(c);
            i += 1;
            continue;
        }
        match c {
            b'"' => {
                in_str = false;
                out.push(c);
                i += 1;
            }
            b'\\' if input.get(i + 1) == Some(&b'u') => {
                let Some(u) = hex4(&input[(i + 2).min(input.len())..]) else {
                    out.push(c);
                    i += 1;
                    continue;
                };
                let is_high = (0xD800..0xDC00).contains(&u);
                let is_low = (0xDC00..0xE000).contains(&u);
                let paired = is_high
                    && input.get(i + 6) == Some(&b'\\')
                    && input.get(i + 7) == Some(&b'u')
                    && hex4(&input[(i + 8).min(input.len())..])
                        .is_some_and(|l| (0xDC00..0xE000).contains(&l));
                if paired {
                    out.extend_from_slice(&input[i..i + 12]);
                    i += 12;
                } else if is_high || is_low {
                    out.extend_from_slice(b"\\ufffd");
                    changed = true;
                    i += 6;
                } else {
                    out.extend_from_slice(&input[i..i + 6]);
                    i += 6;
                }
            }
            b'\\' => {
                out.push(c);
                if let Some(&n) = input.get(i + 1) {
                    out.push(n);
                }
                i += 2;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    changed.then_some(out)
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
    // Shape first: an event the gate does not understand is refused before
    // any configuration could turn it into an allow.
    hosts::validate(host, &event)?;
    let cwd = event.cwd();
    let root = project_root(&event, cwd.as_deref(), opts.env_project_dir.as_deref());
    let (policy, config) = load_policy(opts, root.as_deref())?;
    if policy.fail_open {
        *fail_open = true;
    }
    let ctx = Ctx::new(policy, config, cwd.or_else(|| root.clone()), root);
    let outcome = match host {
        Host::Claude => hosts::claude(&ctx, &event),
        Host::Cursor => hosts::cursor(&ctx, &event),
        Host::Codex => hosts::codex(&ctx, &event),
    };
    if opts.exit_after {
        std::mem::forget(ctx);
        std::mem::forget(event);
    }
    outcome
}

/// Runs the git `pre-commit` or `pre-push` hook that `install` puts in
/// place, in the current directory: exit 1 with a redacted message when
/// the commit or push carries a secret, 0 otherwise, 2 on internal errors.
pub fn git_hook(kind: &str, stdin: &[u8]) -> Outcome {
    let dir = match std::env::current_dir() {
        Ok(d) => d,
        Err(e) => return failure(Host::Claude, &Options::default(), &e.to_string()),
    };
    let run = || -> Result<Option<String>, String> {
        let (policy, config) = load_policy(&Options::default(), Some(&dir))?;
        let ctx = Ctx::new(policy, config, Some(dir.clone()), Some(dir.clone()));
        check::git_hook(&ctx, kind, stdin, &dir)
    };
    match catch_unwind(AssertUnwindSafe(run)) {
        Ok(Ok(None)) => Outcome::silent(),
        Ok(Ok(Some(msg))) => Outcome {
            code: 1,
            stdout: String::new(),
            stderr: format!("{msg}\n"),
        },
        Ok(Err(msg)) => failure(Host::Claude, &Options::default(), &msg),
        Err(_) => failure(
            Host::Claude,
            &Options::default(),
            "internal error in the git hook",
        ),
    }
}

/// The workspace root the policy and protected-path rules are anchored at,
/// whatever directory the agent has `cd`-ed into: the host's project
/// directory (`CLAUDE_PROJECT_DIR`/`CURSOR_PROJECT_DIR`, Cursor's
/// `workspace_roots`) when the cwd lies inside it, else the top of the git
/// work tree holding the cwd, else the cwd.
fn project_root(event: &Event, cwd: Option<&Path>, env_dir: Option<&Path>) -> Option<PathBuf> {
    let mut hinted: Vec<PathBuf> = env_dir.map(Path::to_path_buf).into_iter().collect();
    if let Some(Value::Array(roots)) = event.get("workspace_roots") {
        hinted.extend(
            roots
                .iter()
                .filter_map(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(PathBuf::from),
        );
    }
    let Some(cwd) = cwd else {
        return hinted.into_iter().next();
    };
    let cwd = paths::fold(cwd);
    if let Some(h) = hinted.iter().find(|h| cwd.starts_with(paths::fold(h))) {
        return Some(paths::fold(h));
    }
    let mut dir: Option<&Path> = Some(&cwd);
    let mut hops = 0;
    while let Some(d) = dir {
        if d.join(".git").exists() {
            return Some(d.to_path_buf());
        }
        hops += 1;
        if hops > 64 {
            break;
        }
        dir = d.parent();
    }
    Some(cwd)
}

/// The policy and scanner configuration, from trusted places only:
/// `--config FILE` when given; else managed settings
/// (`/etc/keepmum/config.toml`, or `KEEPMUM_MANAGED_CONFIG`), the
/// repository's `.keepmum.toml` as committed at `HEAD`, and the user's
/// `~/.config/keepmum/config.toml`, the first that exists. A working-tree
/// `.keepmum.toml` that differs from the committed one can only make the
/// `[hook]` policy stricter; its scanner settings (rules, allowlists) are not
/// used, so an agent cannot loosen the gate by writing the file.
fn load_policy(
    opts: &Options,
    project: Option<&Path>,
) -> Result<(Policy, Option<keepmum::config::Config>), String> {
    use keepmum::config::Config;
    if let Some(file) = &opts.config {
        let cfg = Config::load(file).map_err(|e| e.to_string())?;
        let policy = match cfg.hook_table() {
            Some(t) => Policy::from_table(t)?,
            None => Policy::default(),
        };
        return Ok((policy, Some(cfg)));
    }
    let parse =
        |text: &str, path: &Path| Config::from_toml(text, Some(path)).map_err(|e| e.to_string());
    let worktree = project.map(|p| p.join(".keepmum.toml"));
    let wt_text = worktree
        .as_deref()
        .and_then(|p| std::fs::read_to_string(p).ok());
    let head_text = match (project, &wt_text) {
        (Some(p), Some(_)) => committed_config(p),
        (Some(p), None) if index_mentions_config(p) => committed_config(p),
        _ => None,
    };
    let managed = std::env::var_os("KEEPMUM_MANAGED_CONFIG")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/etc/keepmum/config.toml"));
    let user =
        std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config/keepmum/config.toml"));
    let in_repo = project.is_some_and(|p| p.join(".git").exists());
    let mut trusted: Option<Config> = None;
    if let Ok(t) = std::fs::read_to_string(&managed) {
        trusted = Some(parse(&t, &managed)?);
    } else if let (Some(t), Some(p)) = (&head_text, &worktree) {
        trusted = Some(parse(t, p)?);
    } else if let (Some(t), Some(p), false) = (&wt_text, &worktree, in_repo) {
        // Outside git there is no committed version to compare with.
        trusted = Some(parse(t, p)?);
    } else if let Some(u) = &user {
        if let Ok(t) = std::fs::read_to_string(u) {
            trusted = Some(parse(&t, u)?);
        }
    }
    let mut policy = match trusted.as_ref().and_then(|c| c.hook_table()) {
        Some(t) => Policy::from_table(t)?,
        None => Policy::default(),
    };
    if let (Some(wt), Some(p)) = (&wt_text, &worktree) {
        if in_repo && head_text.as_deref() != Some(wt.as_str()) {
            // Uncommitted edits: stricter only. A broken file cannot loosen
            // anything either, so it is ignored rather than fatal.
            if let Ok(cfg) = parse(wt, p) {
                if let Some(t) = cfg.hook_table() {
                    if let Ok(wp) = Policy::from_table(t) {
                        policy.tighten(&wp);
                    }
                }
            }
        }
    }
    Ok((policy, trusted))
}

/// `.keepmum.toml` as committed at `HEAD` in the repository at `dir`.
fn committed_config(dir: &Path) -> Option<String> {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["show", "HEAD:.keepmum.toml"])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8(out.stdout).ok()
}

/// Cheap pre-check before running git: whether the index of the repository
/// at `dir` names `.keepmum.toml` (a committed file the agent deleted still
/// counts). Worktrees with a `.git` file are always asked.
fn index_mentions_config(dir: &Path) -> bool {
    let git = dir.join(".git");
    if git.is_file() {
        return true;
    }
    match std::fs::read(git.join("index")) {
        Ok(idx) => idx.windows(13).any(|w| w == b".keepmum.toml"),
        Err(_) => false,
    }
}
