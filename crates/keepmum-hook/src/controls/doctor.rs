//! `keepmum-hook doctor [--format text|json] [--dir DIR]`: the posture
//! check. It reads the agent hosts' settings (project, user and managed
//! scopes), the Codex config, the pre-commit setup and the MCP server
//! definitions, and reports one pass/fail/skip status per control with the
//! files that prove it. Exit 1 when any control fails.
//!
//! A host's controls are `skip` when the host is not in use here (none of
//! its config directories or files exist). The JSON form is meant to be
//! attached to an audit: it carries the tool version, a UTC timestamp, the
//! host and user names, every path checked and, per control, its status,
//! evidence files and details. Secrets are never printed, only redacted.

use std::path::{Path, PathBuf};

use keepmum::Scanner;
use serde::Serialize;
use serde_json::Value;

use super::install::{matches_every_tool, CLAUDE_COMMAND, CODEX_COMMAND, CURSOR_COMMAND};
use super::util::{self, flag_value, IGNORE_PATTERNS, REQUIRED_DENY};
use super::{Fail, Outcome};

/// Status of one control.
#[derive(Serialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "lowercase")]
enum Status {
    Pass,
    Fail,
    Skip,
}

impl Status {
    fn label(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Skip => "SKIP",
        }
    }
}

/// One secret found in an agent config, redacted.
#[derive(Serialize, Debug)]
struct FoundSecret {
    rule: String,
    file: String,
    line: usize,
    column: usize,
    redacted: String,
}

/// One control's result.
#[derive(Serialize, Debug)]
struct Control {
    id: &'static str,
    title: &'static str,
    status: Status,
    /// Files that prove the status (where the setting was found, or the
    /// files that were searched when it was not).
    evidence: Vec<String>,
    details: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    findings: Vec<FoundSecret>,
}

impl Control {
    fn new(id: &'static str, title: &'static str) -> Control {
        Control {
            id,
            title,
            status: Status::Fail,
            evidence: Vec::new(),
            details: Vec::new(),
            findings: Vec::new(),
        }
    }

    fn skip(mut self, why: &str) -> Control {
        self.status = Status::Skip;
        self.details.push(why.to_string());
        self
    }
}

/// A path the check looked at.
#[derive(Serialize, Debug)]
struct Checked {
    path: String,
    exists: bool,
}

#[derive(Serialize, Debug)]
struct Summary {
    pass: usize,
    fail: usize,
    skip: usize,
}

/// The evidence document.
#[derive(Serialize, Debug)]
struct Evidence {
    tool: &'static str,
    version: &'static str,
    generated_at: String,
    host: String,
    user: String,
    project_dir: String,
    home: String,
    managed_dir: String,
    status: Status,
    summary: Summary,
    controls: Vec<Control>,
    checked_paths: Vec<Checked>,
}

/// A settings file as read.
enum Doc {
    Missing,
    Malformed(String),
    Ok(Value),
}

struct Ctx {
    dir: PathBuf,
    home: PathBuf,
    managed: PathBuf,
    checked: Vec<Checked>,
}

impl Ctx {
    fn note(&mut self, path: &Path) -> bool {
        let exists = path.exists();
        let s = path.display().to_string();
        if !self.checked.iter().any(|c| c.path == s) {
            self.checked.push(Checked { path: s, exists });
        }
        exists
    }

    fn json(&mut self, path: &Path) -> Doc {
        self.note(path);
        match std::fs::read(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Doc::Missing,
            Err(e) => Doc::Malformed(format!("unreadable: {e}")),
            Ok(b) => match serde_json::from_slice::<Value>(&b) {
                Ok(v) => Doc::Ok(v),
                Err(e) => Doc::Malformed(e.to_string()),
            },
        }
    }

    fn toml(&mut self, path: &Path) -> Doc {
        self.note(path);
        match std::fs::read_to_string(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Doc::Missing,
            Err(e) => Doc::Malformed(format!("unreadable: {e}")),
            Ok(s) => match toml::from_str::<toml::Table>(&s) {
                Ok(t) => match serde_json::to_value(t) {
                    Ok(v) => Doc::Ok(v),
                    Err(e) => Doc::Malformed(e.to_string()),
                },
                Err(e) => Doc::Malformed(e.message().to_string()),
            },
        }
    }

    fn codex_home(&self) -> PathBuf {
        match std::env::var_os("CODEX_HOME") {
            Some(p) if !p.is_empty() => PathBuf::from(p),
            _ => self.home.join(".codex"),
        }
    }
}

const USAGE: &str = "usage: keepmum-hook doctor [--format text|json] [--dir DIR]";

/// Entry point of `doctor`.
pub(crate) fn run(args: &[String]) -> Outcome {
    let mut json = false;
    let mut dir = None;
    let mut i = 0;
    while i < args.len() {
        if args[i] == "-h" || args[i] == "--help" {
            println!("{USAGE}");
            return Ok(0);
        } else if let Some(v) = flag_value(args, &mut i, "--format") {
            json = match v?.as_str() {
                "json" => true,
                "text" => false,
                other => {
                    return Err(Fail::usage(format!(
                        "--format must be text or json, not `{other}`"
                    )))
                }
            };
        } else if let Some(v) = flag_value(args, &mut i, "--dir") {
            dir = Some(PathBuf::from(v?));
        } else {
            return Err(Fail::usage(format!(
                "unexpected argument `{}`\n{USAGE}",
                args[i]
            )));
        }
        i += 1;
    }
    let dir = match dir {
        Some(d) => d,
        None => std::env::current_dir()
            .map_err(|e| Fail::usage(format!("cannot read the current directory: {e}")))?,
    };
    let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
    let mut ctx = Ctx {
        dir,
        home: util::home()?,
        managed: util::managed_dir(),
        checked: Vec::new(),
    };
    let controls = check_all(&mut ctx);
    let summary = Summary {
        pass: controls.iter().filter(|c| c.status == Status::Pass).count(),
        fail: controls.iter().filter(|c| c.status == Status::Fail).count(),
        skip: controls.iter().filter(|c| c.status == Status::Skip).count(),
    };
    let failed = summary.fail > 0;
    let evidence = Evidence {
        tool: "keepmum-hook",
        version: env!("CARGO_PKG_VERSION"),
        generated_at: util::now_utc(),
        host: util::hostname(),
        user: util::username(),
        project_dir: ctx.dir.display().to_string(),
        home: ctx.home.display().to_string(),
        managed_dir: ctx.managed.display().to_string(),
        status: if failed { Status::Fail } else { Status::Pass },
        summary,
        controls,
        checked_paths: std::mem::take(&mut ctx.checked),
    };
    if json {
        let s = serde_json::to_string_pretty(&evidence)
            .map_err(|e| Fail::usage(format!("cannot serialise the report: {e}")))?;
        println!("{s}");
    } else {
        print_text(&evidence);
    }
    Ok(i32::from(failed))
}

fn print_text(e: &Evidence) {
    println!(
        "keepmum-hook doctor {} at {} ({}@{})",
        e.version, e.generated_at, e.user, e.host
    );
    println!("project: {}", e.project_dir);
    for c in &e.controls {
        let ev = if c.evidence.is_empty() {
            String::new()
        } else {
            format!("  [{}]", c.evidence.join(", "))
        };
        println!("{} {:<24} {}{}", c.status.label(), c.id, c.title, ev);
        for d in &c.details {
            println!("       - {d}");
        }
        for f in &c.findings {
            println!(
                "       - {} at {}:{}:{} ({})",
                f.rule, f.file, f.line, f.column, f.redacted
            );
        }
    }
    println!(
        "summary: {} pass, {} fail, {} skip",
        e.summary.pass, e.summary.fail, e.summary.skip
    );
}

fn check_all(ctx: &mut Ctx) -> Vec<Control> {
    let mut out = Vec::new();
    claude(ctx, &mut out);
    cursor(ctx, &mut out);
    codex(ctx, &mut out);
    out.push(precommit(ctx));
    out.push(config_secrets(ctx));
    out
}

/// True when any handler under `hooks.<event>` (three-level shape) runs `command`.
fn has_group_hook(doc: &Value, event: &str, command: &str) -> bool {
    doc.get("hooks")
        .and_then(|h| h.get(event))
        .and_then(Value::as_array)
        .is_some_and(|groups| {
            groups.iter().any(|g| {
                g.get("hooks").and_then(Value::as_array).is_some_and(|hs| {
                    hs.iter().any(|h| {
                        h.get("command")
                            .and_then(Value::as_str)
                            .is_some_and(|c| c.contains(command))
                    })
                })
            })
        })
}

/// Whether `doc` registers `command` for `event` in a group whose matcher
/// selects every tool.
fn has_every_tool_hook(doc: &Value, event: &str, command: &str) -> bool {
    doc.get("hooks")
        .and_then(|h| h.get(event))
        .and_then(Value::as_array)
        .is_some_and(|groups| {
            groups.iter().any(|g| {
                matches_every_tool(g.get("matcher").and_then(Value::as_str))
                    && g.get("hooks").and_then(Value::as_array).is_some_and(|hs| {
                        hs.iter().any(|h| {
                            h.get("command")
                                .and_then(Value::as_str)
                                .is_some_and(|c| c.contains(command))
                        })
                    })
            })
        })
}

fn show(p: &Path) -> String {
    p.display().to_string()
}

fn claude(ctx: &mut Ctx, out: &mut Vec<Control>) {
    let managed = ctx.managed.join("claude-code/managed-settings.json");
    let files = [
        ("managed", managed),
        ("user", ctx.home.join(".claude/settings.json")),
        ("project", ctx.dir.join(".claude/settings.json")),
        ("local", ctx.dir.join(".claude/settings.local.json")),
    ];
    let docs: Vec<(&str, PathBuf, Doc)> = files
        .into_iter()
        .map(|(scope, p)| {
            let d = ctx.json(&p);
            (scope, p, d)
        })
        .collect();
    let in_use = docs.iter().any(|(_, _, d)| !matches!(d, Doc::Missing))
        | ctx.note(&ctx.home.join(".claude"))
        | ctx.note(&ctx.dir.join(".claude"))
        | ctx.note(&ctx.home.join(".claude.json"));

    let mut hook = Control::new(
        "claude.hook",
        "Claude Code hook registered (PreToolUse + UserPromptSubmit)",
    );
    let mut deny = Control::new(
        "claude.deny-rules",
        "Claude Code denies reads of protected paths",
    );
    let mut bypass = Control::new(
        "claude.bypass-disabled",
        "Claude Code bypass-permissions mode disabled",
    );
    if !in_use {
        for c in [hook, deny, bypass] {
            out.push(c.skip("Claude Code is not configured here"));
        }
        return;
    }

    let mut managed_hook = false;
    let mut disabled_by: Option<String> = None;
    let mut rules: Vec<(String, String)> = Vec::new();
    for (scope, path, doc) in &docs {
        let v = match doc {
            Doc::Missing => continue,
            Doc::Malformed(why) => {
                let msg = format!("{} is malformed ({why})", show(path));
                hook.details.push(msg.clone());
                deny.details.push(msg.clone());
                bypass.details.push(msg);
                continue;
            }
            Doc::Ok(v) => v,
        };
        let pre = has_group_hook(v, "PreToolUse", CLAUDE_COMMAND);
        let prompt = has_group_hook(v, "UserPromptSubmit", CLAUDE_COMMAND);
        if pre && prompt {
            hook.status = Status::Pass;
            hook.evidence.push(show(path));
            managed_hook |= *scope == "managed";
        } else if pre || prompt {
            hook.details.push(format!(
                "{} registers the hook for {} only",
                show(path),
                if pre {
                    "PreToolUse"
                } else {
                    "UserPromptSubmit"
                }
            ));
        }
        if *scope != "managed" && v.get("disableAllHooks") == Some(&Value::Bool(true)) {
            disabled_by = Some(show(path));
        }
        if let Some(list) = v.pointer("/permissions/deny").and_then(Value::as_array) {
            for r in list.iter().filter_map(Value::as_str) {
                rules.push((normalise_rule(r), show(path)));
            }
        }
        let bypass_off = v
            .pointer("/permissions/disableBypassPermissionsMode")
            .and_then(Value::as_str)
            == Some("disable")
            || v.get("disableBypassPermissionsMode")
                .and_then(Value::as_str)
                == Some("disable");
        if bypass_off {
            bypass.status = Status::Pass;
            bypass.evidence.push(show(path));
            if *scope != "managed" {
                bypass.details.push(format!(
                    "set in {scope} settings; only managed settings cannot be overridden"
                ));
            }
        }
    }
    if let (Some(by), false) = (&disabled_by, managed_hook) {
        hook.status = Status::Fail;
        hook.details.push(format!(
            "\"disableAllHooks\": true in {by} turns the hook off"
        ));
    }
    if hook.status == Status::Fail && hook.evidence.is_empty() {
        hook.evidence = docs.iter().map(|(_, p, _)| show(p)).collect();
        hook.details
            .push("no settings file runs `keepmum-hook claude`".to_string());
    }

    let mut missing = Vec::new();
    for req in REQUIRED_DENY {
        let want = normalise_rule(req);
        match rules.iter().find(|(r, _)| *r == want) {
            Some((_, file)) => {
                if !deny.evidence.contains(file) {
                    deny.evidence.push(file.clone());
                }
            }
            None => missing.push(*req),
        }
    }
    if missing.is_empty() {
        deny.status = Status::Pass;
    } else {
        deny.details
            .push(format!("missing deny rules: {}", missing.join(", ")));
        if deny.evidence.is_empty() {
            deny.evidence = docs.iter().map(|(_, p, _)| show(p)).collect();
        }
    }
    if bypass.status == Status::Fail {
        bypass.details.push(
            "no settings file sets permissions.disableBypassPermissionsMode to \"disable\""
                .to_string(),
        );
        bypass.evidence = docs.iter().map(|(_, p, _)| show(p)).collect();
    }
    out.extend([hook, deny, bypass]);
}

/// `Read(.env)` and `Read(./.env)` name the same path.
fn normalise_rule(rule: &str) -> String {
    let rule = rule.trim();
    match rule.split_once('(') {
        Some((tool, rest))
            if !rest.starts_with("./") && !rest.starts_with('/') && !rest.starts_with('~') =>
        {
            format!("{tool}(./{rest}")
        }
        _ => rule.to_string(),
    }
}

fn cursor(ctx: &mut Ctx, out: &mut Vec<Control>) {
    let files = [
        ctx.managed.join("cursor/hooks.json"),
        ctx.home.join(".cursor/hooks.json"),
        ctx.dir.join(".cursor/hooks.json"),
    ];
    let docs: Vec<(PathBuf, Doc)> = files
        .into_iter()
        .map(|p| {
            let d = ctx.json(&p);
            (p, d)
        })
        .collect();
    let in_use = docs.iter().any(|(_, d)| !matches!(d, Doc::Missing))
        | ctx.note(&ctx.home.join(".cursor"))
        | ctx.note(&ctx.dir.join(".cursor"));
    let mut hook = Control::new(
        "cursor.hook",
        "Cursor hook registered, fail-closed, on every blocking event",
    );
    let mut ignore = Control::new(
        "cursor.ignore",
        "Cursor ignores protected paths (.cursorignore)",
    );
    if !in_use {
        out.push(hook.skip("Cursor is not configured here"));
        out.push(ignore.skip("Cursor is not configured here"));
        return;
    }
    const REQUIRED: &[&str] = &[
        "beforeSubmitPrompt",
        "beforeShellExecution",
        "beforeMCPExecution",
        "beforeReadFile",
        "preToolUse",
    ];
    let mut covered: Vec<&str> = Vec::new();
    for (path, doc) in &docs {
        let v = match doc {
            Doc::Missing => continue,
            Doc::Malformed(why) => {
                hook.details
                    .push(format!("{} is malformed ({why})", show(path)));
                continue;
            }
            Doc::Ok(v) => v,
        };
        let mut used = false;
        for event in REQUIRED {
            let handlers = v
                .get("hooks")
                .and_then(|h| h.get(*event))
                .and_then(Value::as_array);
            for h in handlers.into_iter().flatten() {
                let ours = h
                    .get("command")
                    .and_then(Value::as_str)
                    .is_some_and(|c| c.contains(CURSOR_COMMAND));
                if !ours {
                    continue;
                }
                used = true;
                if h.get("failClosed") == Some(&Value::Bool(true)) {
                    if !covered.contains(event) {
                        covered.push(event);
                    }
                } else {
                    hook.details.push(format!(
                        "{}: {event} handler is not failClosed (fails open)",
                        show(path)
                    ));
                }
            }
        }
        if used {
            hook.evidence.push(show(path));
        }
    }
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|e| !covered.contains(e))
        .collect();
    if missing.is_empty() {
        hook.status = Status::Pass;
    } else {
        hook.details.push(format!(
            "no fail-closed `keepmum-hook cursor` handler for: {}",
            missing.join(", ")
        ));
        if hook.evidence.is_empty() {
            hook.evidence = docs.iter().map(|(p, _)| show(p)).collect();
        }
    }
    out.push(hook);

    let path = ctx.dir.join(".cursorignore");
    ctx.note(&path);
    ignore.evidence.push(show(&path));
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let missing: Vec<&str> = IGNORE_PATTERNS
        .iter()
        .copied()
        .filter(|p| !lines.contains(p))
        .collect();
    if missing.is_empty() {
        ignore.status = Status::Pass;
    } else {
        ignore
            .details
            .push(format!("not ignored: {}", missing.join(", ")));
    }
    out.push(ignore);
}

fn codex(ctx: &mut Ctx, out: &mut Vec<Control>) {
    let codex_home = ctx.codex_home();
    let json_files = [
        codex_home.join("hooks.json"),
        ctx.dir.join(".codex/hooks.json"),
    ];
    let toml_files = [
        codex_home.join("config.toml"),
        ctx.dir.join(".codex/config.toml"),
    ];
    let jsons: Vec<(PathBuf, Doc)> = json_files
        .into_iter()
        .map(|p| {
            let d = ctx.json(&p);
            (p, d)
        })
        .collect();
    let tomls: Vec<(PathBuf, Doc)> = toml_files
        .into_iter()
        .map(|p| {
            let d = ctx.toml(&p);
            (p, d)
        })
        .collect();
    let in_use = jsons
        .iter()
        .chain(&tomls)
        .any(|(_, d)| !matches!(d, Doc::Missing))
        | ctx.note(&codex_home)
        | ctx.note(&ctx.dir.join(".codex"));
    let mut hook = Control::new(
        "codex.hook",
        "Codex hook registered (PreToolUse + UserPromptSubmit)",
    );
    let mut sandbox = Control::new(
        "codex.sandbox",
        "Codex sandbox_mode is not danger-full-access",
    );
    let mut approval = Control::new("codex.approval-policy", "Codex approval_policy is set");
    if !in_use {
        for c in [hook, sandbox, approval] {
            out.push(c.skip("Codex is not configured here"));
        }
        return;
    }
    let mut hooks_off = None;
    let mut any_narrow = false;
    for (path, doc) in jsons.iter().chain(&tomls) {
        let v = match doc {
            Doc::Missing => continue,
            Doc::Malformed(why) => {
                let msg = format!("{} is malformed ({why})", show(path));
                hook.details.push(msg.clone());
                sandbox.details.push(msg.clone());
                approval.details.push(msg);
                continue;
            }
            Doc::Ok(v) => v,
        };
        let pre = has_group_hook(v, "PreToolUse", CODEX_COMMAND);
        let prompt = has_group_hook(v, "UserPromptSubmit", CODEX_COMMAND);
        let narrow = pre && !has_every_tool_hook(v, "PreToolUse", CODEX_COMMAND);
        any_narrow |= narrow;
        if narrow {
            // What `install codex` writes is `*`: a list of tools lets the
            // ones outside it (MCP servers, new tools) run unscanned.
            hook.details.push(format!(
                "{} runs the hook for PreToolUse only on some tools (not matcher `*`); \
                 run `keepmum-hook install codex` again",
                show(path)
            ));
        } else if pre && prompt {
            hook.status = Status::Pass;
            hook.evidence.push(show(path));
        } else if pre || prompt {
            hook.details.push(format!(
                "{} registers the hook for one event only",
                show(path)
            ));
        }
        for key in ["/features/hooks", "/features/codex_hooks"] {
            if v.pointer(key) == Some(&Value::Bool(false)) {
                hooks_off = Some(show(path));
            }
        }
    }
    if let Some(by) = hooks_off {
        hook.status = Status::Fail;
        hook.details
            .push(format!("hooks are disabled by [features] in {by}"));
    }
    if hook.status == Status::Fail && hook.evidence.is_empty() {
        hook.evidence = jsons.iter().chain(&tomls).map(|(p, _)| show(p)).collect();
        if !any_narrow {
            hook.details
                .push("no Codex hooks file runs `keepmum-hook codex`".to_string());
        }
    }

    sandbox.status = Status::Pass;
    let mut any_config = false;
    for (path, doc) in &tomls {
        let Doc::Ok(v) = doc else {
            if matches!(doc, Doc::Malformed(_)) {
                sandbox.status = Status::Fail;
                approval.evidence.push(show(path));
                sandbox.evidence.push(show(path));
            }
            continue;
        };
        any_config = true;
        sandbox.evidence.push(show(path));
        let mut modes: Vec<(String, &str)> = Vec::new();
        if let Some(m) = v.get("sandbox_mode").and_then(Value::as_str) {
            modes.push(("sandbox_mode".to_string(), m));
        }
        if let Some(profiles) = v.get("profiles").and_then(Value::as_object) {
            for (name, p) in profiles {
                if let Some(m) = p.get("sandbox_mode").and_then(Value::as_str) {
                    modes.push((format!("profiles.{name}.sandbox_mode"), m));
                }
            }
        }
        for (key, mode) in modes {
            if mode == "danger-full-access" {
                sandbox.status = Status::Fail;
                sandbox
                    .details
                    .push(format!("{}: {key} = \"danger-full-access\"", show(path)));
            } else {
                sandbox
                    .details
                    .push(format!("{}: {key} = \"{mode}\"", show(path)));
            }
        }
        if let Some(p) = v.get("approval_policy").and_then(Value::as_str) {
            approval.status = Status::Pass;
            approval.evidence.push(show(path));
            approval
                .details
                .push(format!("{}: approval_policy = \"{p}\"", show(path)));
        }
    }
    if !any_config {
        sandbox
            .details
            .push("no config.toml: Codex uses its default sandbox".to_string());
    }
    if approval.status == Status::Fail {
        approval
            .details
            .push("approval_policy is not set in any Codex config.toml".to_string());
        if approval.evidence.is_empty() {
            approval.evidence = tomls.iter().map(|(p, _)| show(p)).collect();
        }
    }
    out.extend([hook, sandbox, approval]);
}

/// The repository's git dir (`.git`, or the `gitdir:` a `.git` file names).
fn git_dir(dir: &Path) -> Option<PathBuf> {
    let dot = dir.join(".git");
    if dot.is_dir() {
        return Some(dot);
    }
    let text = std::fs::read_to_string(&dot).ok()?;
    let target = text.trim().strip_prefix("gitdir:")?.trim();
    let p = PathBuf::from(target);
    Some(if p.is_absolute() { p } else { dir.join(p) })
}

fn precommit(ctx: &mut Ctx) -> Control {
    let mut c = Control::new(
        "precommit.hook",
        "pre-commit runs keepmum before every commit",
    );
    let config = ctx.dir.join(".pre-commit-config.yaml");
    ctx.note(&config);
    let Some(gitdir) = git_dir(&ctx.dir) else {
        ctx.note(&ctx.dir.join(".git"));
        return c.skip("not a git repository");
    };
    // A `core.hooksPath` in the repository config moves the hooks.
    let hooks_dir = std::fs::read_to_string(gitdir.join("config"))
        .ok()
        .and_then(|cfg| {
            cfg.lines().find_map(|l| {
                let (k, v) = l.split_once('=')?;
                (k.trim().eq_ignore_ascii_case("hookspath")).then(|| v.trim().to_string())
            })
        })
        .map(|p| {
            let p = PathBuf::from(p);
            if p.is_absolute() {
                p
            } else {
                ctx.dir.join(p)
            }
        })
        .unwrap_or_else(|| gitdir.join("hooks"));
    let hook = hooks_dir.join("pre-commit");
    let hook_ok = ctx.note(&hook);
    let cfg_text = std::fs::read_to_string(&config).ok();
    let cfg_ok = cfg_text.as_deref().is_some_and(|t| t.contains("keepmum"));
    c.evidence = vec![show(&config), show(&hook)];
    if cfg_text.is_none() {
        c.details.push(format!("{} is missing", show(&config)));
    } else if !cfg_ok {
        c.details
            .push(format!("{} does not reference keepmum", show(&config)));
    }
    if !hook_ok {
        c.details.push(format!(
            "{} is missing: run `pre-commit install`",
            show(&hook)
        ));
    }
    if cfg_ok && hook_ok {
        c.status = Status::Pass;
    }
    c
}

/// Strings under any `mcpServers` key of `v`.
fn mcp_strings(v: &Value, inside: bool, out: &mut Vec<String>) {
    match v {
        Value::String(s) if inside => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| mcp_strings(x, inside, out)),
        Value::Object(m) => {
            for (k, x) in m {
                mcp_strings(x, inside || k == "mcpServers", out);
            }
        }
        _ => {}
    }
}

fn config_secrets(ctx: &mut Ctx) -> Control {
    let mut c = Control::new(
        "agent-config.secrets",
        "No literal secrets in agent configs or MCP server definitions",
    );
    let scanner = match Scanner::builder().pii(false).build() {
        Ok(s) => s,
        Err(e) => {
            c.details.push(format!("cannot build the scanner: {e}"));
            return c;
        }
    };
    let codex_home = ctx.codex_home();
    // (path, only the `mcpServers` parts?)
    let files = [
        (ctx.dir.join(".mcp.json"), false),
        (ctx.dir.join(".cursor/mcp.json"), false),
        (ctx.home.join(".cursor/mcp.json"), false),
        (ctx.dir.join(".vscode/mcp.json"), false),
        (ctx.home.join(".claude.json"), true),
        (ctx.dir.join(".claude/settings.json"), false),
        (ctx.dir.join(".claude/settings.local.json"), false),
        (ctx.home.join(".claude/settings.json"), false),
        (ctx.dir.join(".codex/config.toml"), false),
        (codex_home.join("config.toml"), false),
    ];
    for (path, mcp_only) in files {
        if !ctx.note(&path) {
            continue;
        }
        let Ok(bytes) = std::fs::read(&path) else {
            c.details.push(format!("{} is unreadable", show(&path)));
            continue;
        };
        c.evidence.push(show(&path));
        let mut findings = scanner.scan_bytes(&bytes);
        if mcp_only {
            if let Ok(v) = serde_json::from_slice::<Value>(&bytes) {
                let mut strings = Vec::new();
                mcp_strings(&v, false, &mut strings);
                findings.retain(|f| {
                    let s = f.secret().expose_str();
                    strings.iter().any(|x| x.contains(s.as_ref()))
                });
            }
        }
        for f in findings {
            c.findings.push(FoundSecret {
                rule: f.rule_id().to_string(),
                file: show(&path),
                line: f.line(),
                column: f.column(),
                redacted: f.redacted(),
            });
        }
    }
    if c.findings.is_empty() {
        c.status = Status::Pass;
    } else {
        c.details.push(format!(
            "{} literal secret(s) found; move them to environment variables or a secret manager",
            c.findings.len()
        ));
    }
    c
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_normalised() {
        assert_eq!(normalise_rule("Read(.env)"), "Read(./.env)");
        assert_eq!(normalise_rule("Read(./.env)"), "Read(./.env)");
        assert_eq!(
            normalise_rule("Read(~/.aws/credentials)"),
            "Read(~/.aws/credentials)"
        );
        assert_eq!(normalise_rule("Bash"), "Bash");
    }

    #[test]
    fn mcp_strings_only_under_mcp_servers() {
        let v: Value = serde_json::json!({
            "primaryApiKey": "outside",
            "projects": {"/r": {"mcpServers": {"gh": {"env": {"T": "inside"}}}}}
        });
        let mut s = Vec::new();
        mcp_strings(&v, false, &mut s);
        assert_eq!(s, vec!["inside".to_string()]);
    }
}
