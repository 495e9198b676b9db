//! `keepmum-hook install|uninstall claude|cursor|codex`: merges our hook
//! entries into the host's settings file, or takes exactly those entries out.
//!
//! Guarantees: every key and hook already in the file is kept, in its order;
//! installing twice equals installing once (the second run writes nothing);
//! the file is replaced atomically; `--dry-run` prints a unified diff and
//! writes nothing; a file that is not valid JSON (or has the wrong shape) is
//! reported in one line, left untouched, and the exit code is 2.
//!
//! An entry is "ours" when its handler's `command` is exactly
//! `keepmum-hook <host>`. Uninstall removes those handlers, then any
//! matcher group, event array or `hooks` object that this left empty, and
//! deletes the file if nothing else remains in it (so an event array or
//! `hooks` object that was already empty before `install` is gone after
//! `uninstall`; everything else is restored exactly). For Cursor the protected
//! paths are also added to `.cursorignore` inside a marked block, which
//! uninstall removes again. For Claude Code the PreToolUse/PostToolUse
//! matcher is `"*"` (every tool), and the deny rules and bypass-mode setting
//! `doctor` checks are added when missing, recorded in
//! `.claude/keepmum-install.json` so uninstall removes exactly those.

use std::path::{Path, PathBuf};

use super::ojson::{Obj, J};

use super::util::{self, IGNORE_PATTERNS};
use super::{diff, Fail, Outcome};

/// Install or uninstall.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Action {
    /// Add our entries.
    Install,
    /// Remove our entries.
    Uninstall,
}

/// A supported agent host.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Host {
    Claude,
    Cursor,
    Codex,
}

impl Host {
    fn parse(s: &str) -> Option<Host> {
        match s {
            "claude" => Some(Host::Claude),
            "cursor" => Some(Host::Cursor),
            "codex" => Some(Host::Codex),
            _ => None,
        }
    }

    /// The settings file, relative to the project dir or the home dir.
    fn relative_path(self) -> &'static str {
        match self {
            Host::Claude => ".claude/settings.json",
            Host::Cursor => ".cursor/hooks.json",
            Host::Codex => ".codex/hooks.json",
        }
    }
}

/// Our Claude Code handler command.
pub(crate) const CLAUDE_COMMAND: &str = "keepmum-hook claude";
/// Our Cursor handler command.
pub(crate) const CURSOR_COMMAND: &str = "keepmum-hook cursor";
/// Our Codex handler command.
pub(crate) const CODEX_COMMAND: &str = "keepmum-hook codex";

/// Claude Code tools whose input we scan before they run: all of them, so
/// tools outside any list (WebFetch, new tools, MCP servers) are gated too.
pub(crate) const CLAUDE_MATCHER: &str = "*";

/// Where `install claude` records the permission settings it added, so
/// `uninstall` takes out exactly those (next to the settings file).
const CLAUDE_RECORD: &str = "keepmum-install.json";
/// Codex tools whose input we scan: all of them (Codex's matcher is a regex
/// on the tool name, and `*` matches every tool), so tools outside any list
/// (MCP servers, `apply_patch` under its other names, new tools) are gated
/// too and the handler fails closed on shapes it does not know.
pub(crate) const CODEX_MATCHER: &str = "*";
/// Cursor events we register for.
pub(crate) const CURSOR_EVENTS: &[&str] = &[
    "beforeSubmitPrompt",
    "beforeShellExecution",
    "beforeMCPExecution",
    "beforeReadFile",
    "preToolUse",
    "afterFileEdit",
];

/// First and last line of our block in `.cursorignore`.
const IGNORE_BEGIN: &str =
    "# >>> keepmum protected paths (managed by keepmum-hook; do not edit this block)";
const IGNORE_END: &str = "# <<< keepmum protected paths";

/// A matcher group for a three-level host (Claude Code, Codex).
pub(crate) struct Group {
    pub(crate) event: &'static str,
    pub(crate) matcher: Option<&'static str>,
    pub(crate) timeout: u64,
}

/// Our groups for Claude Code.
pub(crate) const CLAUDE_GROUPS: &[Group] = &[
    Group {
        event: "PreToolUse",
        matcher: Some(CLAUDE_MATCHER),
        timeout: 30,
    },
    Group {
        event: "UserPromptSubmit",
        matcher: None,
        timeout: 30,
    },
    Group {
        event: "PostToolUse",
        matcher: Some(CLAUDE_MATCHER),
        timeout: 30,
    },
];

/// Our groups for Codex. `PostToolUse` withholds a tool output that carries
/// a secret from the model (Codex cannot rewrite it, so it is blocked).
pub(crate) const CODEX_GROUPS: &[Group] = &[
    Group {
        event: "PreToolUse",
        matcher: Some(CODEX_MATCHER),
        timeout: 30,
    },
    Group {
        event: "UserPromptSubmit",
        matcher: None,
        timeout: 30,
    },
    Group {
        event: "PostToolUse",
        matcher: Some(CODEX_MATCHER),
        timeout: 30,
    },
];

/// The JSON of one matcher group holding our handler.
pub(crate) fn group_json(group: &Group, command: &str) -> J {
    let mut g = Obj::new();
    if let Some(m) = group.matcher {
        g.insert("matcher", J::str(m));
    }
    let handler = J::obj([
        ("type", J::str("command")),
        ("command", J::str(command)),
        ("timeout", J::int(group.timeout)),
    ]);
    g.insert("hooks", J::Arr(vec![handler]));
    J::Obj(g)
}

/// The JSON of our Cursor handler.
fn cursor_handler() -> J {
    J::obj([
        ("command", J::str(CURSOR_COMMAND)),
        ("timeout", J::int(30)),
        ("failClosed", J::Bool(true)),
    ])
}

const USAGE: &str = "usage: keepmum-hook install|uninstall claude|cursor|codex [--scope project|user] [--dry-run] [--dir DIR]";

struct Options {
    host: Host,
    user_scope: bool,
    dry_run: bool,
    dir: PathBuf,
}

fn parse(args: &[String]) -> Result<Option<Options>, Fail> {
    let mut host = None;
    let mut user_scope = false;
    let mut dry_run = false;
    let mut dir = None;
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        if arg == "-h" || arg == "--help" {
            return Ok(None);
        } else if arg == "--dry-run" {
            dry_run = true;
        } else if let Some(v) = util::flag_value(args, &mut i, "--scope") {
            user_scope = match v?.as_str() {
                "project" => false,
                "user" => true,
                other => {
                    return Err(Fail::usage(format!(
                        "--scope must be project or user, not `{other}`"
                    )))
                }
            };
        } else if let Some(v) = util::flag_value(args, &mut i, "--dir") {
            dir = Some(PathBuf::from(v?));
        } else if arg.starts_with('-') {
            return Err(Fail::usage(format!("unknown option `{arg}`\n{USAGE}")));
        } else if host.is_some() {
            return Err(Fail::usage(format!("unexpected argument `{arg}`\n{USAGE}")));
        } else {
            host = Some(Host::parse(arg).ok_or_else(|| {
                Fail::usage(format!(
                    "unknown host `{arg}` (expected claude, cursor or codex)"
                ))
            })?);
        }
        i += 1;
    }
    let host = host.ok_or_else(|| Fail::usage(USAGE))?;
    let dir = match dir {
        Some(d) => d,
        None => std::env::current_dir()
            .map_err(|e| Fail::usage(format!("cannot read the current directory: {e}")))?,
    };
    Ok(Some(Options {
        host,
        user_scope,
        dry_run,
        dir,
    }))
}

/// Entry point of `install` and `uninstall`.
pub(crate) fn run(args: &[String], action: Action) -> Outcome {
    let Some(opts) = parse(args)? else {
        println!("{USAGE}");
        return Ok(0);
    };
    let base = if opts.user_scope {
        util::home()?
    } else {
        opts.dir.clone()
    };
    let path = base.join(opts.host.relative_path());
    let mut plan = vec![plan_settings(&path, opts.host, action)?];
    if opts.host == Host::Claude {
        let record = path.with_file_name(CLAUDE_RECORD);
        let rec = plan_claude_permissions(&mut plan[0], &record, action)?;
        plan.push(rec);
    }
    if opts.host == Host::Cursor && !opts.user_scope {
        plan.push(plan_ignore(&opts.dir.join(".cursorignore"), action)?);
    }
    if !opts.user_scope {
        plan.extend(plan_git_hooks(&opts.dir, action)?);
    }

    if opts.dry_run {
        let mut any = false;
        for change in &plan {
            let old = String::from_utf8_lossy(change.old.as_deref().unwrap_or_default());
            let new = String::from_utf8_lossy(change.new.as_deref().unwrap_or_default());
            let d = diff::unified(&change.path.display().to_string(), &old, &new);
            if !d.is_empty() {
                any = true;
                print!("{d}");
            }
        }
        if !any {
            println!("no changes");
        }
        return Ok(0);
    }

    for change in &plan {
        if change.old == change.new {
            println!("unchanged: {}", change.path.display());
            continue;
        }
        match &change.new {
            Some(bytes) => {
                util::write_file(&change.path, bytes)?;
                if bytes.starts_with(b"#!") {
                    make_executable(&change.path)?;
                }
            }
            None => std::fs::remove_file(&change.path).map_err(|e| {
                Fail::usage(format!("cannot remove {}: {e}", change.path.display()))
            })?,
        }
        let verb = match (&change.old, &change.new) {
            (None, _) => "created",
            (Some(_), Some(_)) => "updated",
            (Some(_), None) => "removed",
        };
        println!("{verb}: {}", change.path.display());
    }
    Ok(0)
}

/// `install claude` also makes `doctor`'s Claude controls pass: the deny
/// rules for protected paths (`permissions.deny`) and
/// `permissions.disableBypassPermissionsMode: "disable"`, each added only
/// when missing and recorded in [`CLAUDE_RECORD`]; `uninstall` removes
/// exactly what the record lists (and containers it created), then the
/// record.
fn plan_claude_permissions(
    settings: &mut Change,
    record_path: &Path,
    action: Action,
) -> Result<Change, Fail> {
    let old_record = util::read_optional(record_path)?;
    let mut rec = match &old_record {
        Some(bytes) => parse_settings(record_path, bytes)?,
        None => Obj::new(),
    };
    let Some(new_bytes) = settings.new.clone() else {
        // Settings removed: nothing of ours can remain.
        return Ok(Change {
            path: record_path.to_path_buf(),
            old: old_record,
            new: None,
        });
    };
    let mut doc = parse_settings(&settings.path, &new_bytes)?;
    let flag = |rec: &Obj, k: &str| rec.get(k) == Some(&J::Bool(true));
    let before = doc.clone();
    match action {
        Action::Install => {
            if !doc.contains_key("permissions") {
                doc.insert("permissions", J::Obj(Obj::new()));
                rec.insert("created_permissions", J::Bool(true));
            }
            let perms = doc
                .get_mut("permissions")
                .and_then(J::as_object_mut)
                .ok_or_else(|| malformed(&settings.path, "`permissions` is not an object"))?;
            if !perms.contains_key("deny") {
                perms.insert("deny", J::Arr(Vec::new()));
                rec.insert("created_deny", J::Bool(true));
            }
            let deny = perms
                .get_mut("deny")
                .and_then(J::as_array_mut)
                .ok_or_else(|| malformed(&settings.path, "`permissions.deny` is not an array"))?;
            let mut added: Vec<J> = rec
                .get("added_deny")
                .and_then(J::as_array)
                .cloned()
                .unwrap_or_default();
            for req in util::REQUIRED_DENY {
                if !deny.iter().any(|r| r.as_str() == Some(req)) {
                    deny.push(J::str(req));
                    added.push(J::str(req));
                }
            }
            if !added.is_empty() {
                rec.insert("added_deny", J::Arr(added));
            }
            if !perms.contains_key("disableBypassPermissionsMode") {
                perms.insert("disableBypassPermissionsMode", J::str("disable"));
                rec.insert("added_bypass", J::Bool(true));
            }
        }
        Action::Uninstall => {
            if let Some(perms) = doc.get_mut("permissions").and_then(J::as_object_mut) {
                let added: Vec<String> = rec
                    .get("added_deny")
                    .and_then(J::as_array)
                    .map(|a| a.iter().filter_map(J::as_str).map(str::to_string).collect())
                    .unwrap_or_default();
                if let Some(deny) = perms.get_mut("deny").and_then(J::as_array_mut) {
                    deny.retain(|r| !r.as_str().is_some_and(|s| added.iter().any(|a| a == s)));
                    if deny.is_empty() && flag(&rec, "created_deny") {
                        perms.remove("deny");
                    }
                }
                if flag(&rec, "added_bypass")
                    && perms.get("disableBypassPermissionsMode") == Some(&J::str("disable"))
                {
                    perms.remove("disableBypassPermissionsMode");
                }
                if perms.is_empty() && flag(&rec, "created_permissions") {
                    doc.remove("permissions");
                }
            }
            rec = Obj::new();
        }
    }
    if doc != before {
        settings.new = if action == Action::Uninstall && doc.is_empty() {
            None
        } else {
            Some(to_pretty(&J::Obj(doc))?)
        };
    }
    let new_record = if rec.is_empty() {
        None
    } else {
        Some(to_pretty(&J::Obj(rec))?)
    };
    Ok(Change {
        path: record_path.to_path_buf(),
        old: old_record,
        new: new_record,
    })
}

/// The git hooks `install` adds (second line of defence behind the agent
/// hook: scripts, interpreters and aliases commit through them too).
const GIT_HOOKS: &[&str] = &["pre-commit", "pre-push"];

/// Our git hook script for `kind`.
fn git_hook_script(kind: &str) -> String {
    format!("#!/bin/sh\n# keepmum: scans what git records or publishes for secrets (installed by keepmum-hook)\nexec keepmum-hook git-hook {kind} \"$@\"\n")
}

/// Adds (or, on uninstall, removes) our git `pre-commit` and `pre-push`
/// hooks in the repository at `dir`, in the directory git really uses
/// (`core.hooksPath` honoured). A hook file that is not ours is never
/// overwritten: a note says how to chain ours. Not a repository: nothing.
fn plan_git_hooks(dir: &Path, action: Action) -> Result<Vec<Change>, Fail> {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["rev-parse", "--git-path", "hooks"])
        .stderr(std::process::Stdio::null())
        .output();
    let Ok(out) = out else {
        return Ok(Vec::new());
    };
    if !out.status.success() {
        return Ok(Vec::new());
    }
    let rel = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let hooks = if Path::new(&rel).is_absolute() {
        PathBuf::from(rel)
    } else {
        dir.join(rel)
    };
    let mut plan = Vec::new();
    for kind in GIT_HOOKS {
        let path = hooks.join(kind);
        let old = util::read_optional(&path)?;
        let ours = git_hook_script(kind).into_bytes();
        let new = match (action, &old) {
            (Action::Install, None) => Some(ours),
            (Action::Install, Some(o)) if *o != ours => {
                eprintln!(
                    "keepmum-hook: {} exists and is not ours; kept. Add `keepmum-hook git-hook {kind}` to it.",
                    path.display()
                );
                old.clone()
            }
            (Action::Uninstall, Some(o)) if *o == ours => None,
            _ => old.clone(),
        };
        plan.push(Change { path, old, new });
    }
    Ok(plan)
}

#[cfg(unix)]
fn make_executable(path: &Path) -> Result<(), Fail> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .map_err(|e| Fail::usage(format!("cannot make {} executable: {e}", path.display())))
}

#[cfg(not(unix))]
fn make_executable(_path: &Path) -> Result<(), Fail> {
    Ok(())
}

/// One file's content before and after (`None` = absent).
struct Change {
    path: PathBuf,
    old: Option<Vec<u8>>,
    new: Option<Vec<u8>>,
}

/// Computes the new content of a host settings file.
fn plan_settings(path: &Path, host: Host, action: Action) -> Result<Change, Fail> {
    let old = util::read_optional(path)?;
    let mut doc = match &old {
        None => Obj::new(),
        Some(bytes) => parse_settings(path, bytes)?,
    };
    let changed = match (host, action) {
        (Host::Claude, Action::Install) => {
            install_groups(&mut doc, path, CLAUDE_GROUPS, CLAUDE_COMMAND)?
        }
        (Host::Codex, Action::Install) => {
            install_groups(&mut doc, path, CODEX_GROUPS, CODEX_COMMAND)?
        }
        (Host::Cursor, Action::Install) => install_cursor(&mut doc, path)?,
        (Host::Claude, Action::Uninstall) => {
            uninstall_groups(&mut doc, path, CLAUDE_GROUPS, CLAUDE_COMMAND)?
        }
        (Host::Codex, Action::Uninstall) => {
            uninstall_groups(&mut doc, path, CODEX_GROUPS, CODEX_COMMAND)?
        }
        (Host::Cursor, Action::Uninstall) => uninstall_cursor(&mut doc, path)?,
    };
    if !changed {
        return Ok(Change {
            path: path.to_path_buf(),
            new: old.clone(),
            old,
        });
    }
    let only_defaults = doc.is_empty()
        || (host == Host::Cursor && doc.len() == 1 && doc.get("version") == Some(&J::int(1)));
    let new = if action == Action::Uninstall && only_defaults {
        None
    } else {
        Some(to_pretty(&J::Obj(doc))?)
    };
    Ok(Change {
        path: path.to_path_buf(),
        old,
        new,
    })
}

/// Pretty JSON (two-space indent) with a trailing newline.
pub(crate) fn to_pretty(v: &J) -> Result<Vec<u8>, Fail> {
    let mut out = serde_json::to_vec_pretty(v)
        .map_err(|e| Fail::usage(format!("cannot serialise settings: {e}")))?;
    out.push(b'\n');
    Ok(out)
}

/// Parses an existing settings file; it must be a JSON object. An empty
/// (or all-whitespace) file counts as `{}`.
fn parse_settings(path: &Path, bytes: &[u8]) -> Result<Obj, Fail> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Obj::new());
    }
    match serde_json::from_slice::<J>(bytes) {
        Ok(J::Obj(m)) => Ok(m),
        Ok(_) => Err(malformed(path, "the top level is not a JSON object")),
        Err(e) => Err(malformed(path, &e.to_string())),
    }
}

fn malformed(path: &Path, why: &str) -> Fail {
    Fail::usage(format!(
        "{} is not valid settings ({why}); left untouched",
        path.display()
    ))
}

/// The `hooks` object of `doc`, created when absent.
fn hooks_mut<'a>(doc: &'a mut Obj, path: &Path) -> Result<&'a mut Obj, Fail> {
    let hooks = doc.entry("hooks", || J::Obj(Obj::new()));
    hooks
        .as_object_mut()
        .ok_or_else(|| malformed(path, "`hooks` is not an object"))
}

/// True when `handler` is an object whose `command` is `command`.
pub(crate) fn is_ours(handler: &J, command: &str) -> bool {
    handler.get("command").and_then(J::as_str) == Some(command)
}

/// Whether a matcher group's `matcher` selects every tool (Claude Code and
/// Codex: absent, empty or `*`; `.*` as a regex).
pub(crate) fn matches_every_tool(matcher: Option<&str>) -> bool {
    matches!(matcher, None | Some("" | "*" | ".*"))
}

/// Widens our handler's group to `matcher` when an earlier install left it
/// under a narrower one (a list of tools): a group holding only our handler
/// gets the new matcher; from a group shared with other handlers ours is
/// taken out (the caller then adds a group of its own). True if anything
/// changed.
fn widen_our_group(arr: &mut [J], matcher: &str, command: &str) -> bool {
    let mut changed = false;
    for g in arr.iter_mut() {
        let narrow = !matches_every_tool(g.get("matcher").and_then(J::as_str));
        let Some(hs) = g.get_mut("hooks").and_then(J::as_array_mut) else {
            continue;
        };
        if !narrow || !hs.iter().any(|h| is_ours(h, command)) {
            continue;
        }
        if hs.iter().all(|h| is_ours(h, command)) {
            if let J::Obj(o) = g {
                o.insert("matcher", J::str(matcher));
            }
        } else {
            hs.retain(|h| !is_ours(h, command));
        }
        changed = true;
    }
    changed
}

fn install_groups(
    doc: &mut Obj,
    path: &Path,
    groups: &[Group],
    command: &str,
) -> Result<bool, Fail> {
    let hooks = hooks_mut(doc, path)?;
    let mut changed = false;
    for group in groups {
        let arr = hooks.entry(group.event, || J::Arr(Vec::new()));
        let arr = arr
            .as_array_mut()
            .ok_or_else(|| malformed(path, &format!("`hooks.{}` is not an array", group.event)))?;
        if let Some(m) = group.matcher.filter(|m| matches_every_tool(Some(m))) {
            changed |= widen_our_group(arr, m, command);
        }
        let present = arr.iter().any(|g| {
            g.get("hooks")
                .and_then(J::as_array)
                .is_some_and(|hs| hs.iter().any(|h| is_ours(h, command)))
        });
        if !present {
            arr.push(group_json(group, command));
            changed = true;
        }
    }
    Ok(changed)
}

fn uninstall_groups(
    doc: &mut Obj,
    path: &Path,
    groups: &[Group],
    command: &str,
) -> Result<bool, Fail> {
    let Some(hooks) = doc.get_mut("hooks") else {
        return Ok(false);
    };
    let hooks = hooks
        .as_object_mut()
        .ok_or_else(|| malformed(path, "`hooks` is not an object"))?;
    let mut changed = false;
    for group in groups {
        let Some(arr) = hooks.get_mut(group.event) else {
            continue;
        };
        let arr = arr
            .as_array_mut()
            .ok_or_else(|| malformed(path, &format!("`hooks.{}` is not an array", group.event)))?;
        let before = arr.len();
        let mut removed_any = false;
        arr.retain_mut(|g| {
            let Some(hs) = g.get_mut("hooks").and_then(J::as_array_mut) else {
                return true;
            };
            let n = hs.len();
            hs.retain(|h| !is_ours(h, command));
            if hs.len() == n {
                return true;
            }
            removed_any = true;
            !hs.is_empty()
        });
        if removed_any {
            changed = true;
            if arr.is_empty() && before > 0 {
                hooks.remove(group.event);
            }
        }
    }
    if changed && hooks.is_empty() {
        doc.remove("hooks");
    }
    Ok(changed)
}

fn install_cursor(doc: &mut Obj, path: &Path) -> Result<bool, Fail> {
    let mut changed = false;
    if !doc.contains_key("version") {
        doc.insert_at(0, "version", J::int(1));
        changed = true;
    }
    let hooks = hooks_mut(doc, path)?;
    for event in CURSOR_EVENTS {
        let arr = hooks.entry(event, || J::Arr(Vec::new()));
        let arr = arr
            .as_array_mut()
            .ok_or_else(|| malformed(path, &format!("`hooks.{event}` is not an array")))?;
        if !arr.iter().any(|h| is_ours(h, CURSOR_COMMAND)) {
            arr.push(cursor_handler());
            changed = true;
        }
    }
    Ok(changed)
}

fn uninstall_cursor(doc: &mut Obj, path: &Path) -> Result<bool, Fail> {
    let Some(hooks) = doc.get_mut("hooks") else {
        return Ok(false);
    };
    let hooks = hooks
        .as_object_mut()
        .ok_or_else(|| malformed(path, "`hooks` is not an object"))?;
    let mut changed = false;
    for event in CURSOR_EVENTS {
        let Some(arr) = hooks.get_mut(event) else {
            continue;
        };
        let arr = arr
            .as_array_mut()
            .ok_or_else(|| malformed(path, &format!("`hooks.{event}` is not an array")))?;
        let n = arr.len();
        arr.retain(|h| !is_ours(h, CURSOR_COMMAND));
        if arr.len() != n {
            changed = true;
            if arr.is_empty() {
                hooks.remove(event);
            }
        }
    }
    if changed && hooks.is_empty() {
        doc.remove("hooks");
    }
    Ok(changed)
}

/// Computes the new `.cursorignore`: our block holds the protected patterns
/// the user's own lines do not already list.
fn plan_ignore(path: &Path, action: Action) -> Result<Change, Fail> {
    let old = util::read_optional(path)?;
    let text = String::from_utf8_lossy(old.as_deref().unwrap_or_default()).into_owned();
    let (user_lines, had_block) = strip_block(&text);
    let new_text = match action {
        Action::Uninstall => {
            if !had_block {
                return Ok(Change {
                    path: path.to_path_buf(),
                    new: old.clone(),
                    old,
                });
            }
            user_lines.concat()
        }
        Action::Install => {
            let existing: Vec<&str> = user_lines.iter().map(|l| l.trim()).collect();
            let missing: Vec<&str> = IGNORE_PATTERNS
                .iter()
                .copied()
                .filter(|p| !existing.contains(p))
                .collect();
            if missing.is_empty() && !had_block {
                return Ok(Change {
                    path: path.to_path_buf(),
                    new: old.clone(),
                    old,
                });
            }
            let mut out = user_lines.concat();
            if !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
            if !missing.is_empty() {
                out.push_str(IGNORE_BEGIN);
                out.push('\n');
                for p in missing {
                    out.push_str(p);
                    out.push('\n');
                }
                out.push_str(IGNORE_END);
                out.push('\n');
            }
            out
        }
    };
    let new = if new_text.is_empty() && action == Action::Uninstall {
        None
    } else {
        Some(new_text.into_bytes())
    };
    Ok(Change {
        path: path.to_path_buf(),
        old,
        new,
    })
}

/// Splits `.cursorignore` text into the user's lines (with their line
/// endings) and whether our block was present (the block is dropped).
fn strip_block(text: &str) -> (Vec<&str>, bool) {
    let mut lines = Vec::new();
    let mut inside = false;
    let mut had = false;
    for line in text.split_inclusive('\n') {
        let t = line.trim_end();
        if t == IGNORE_BEGIN {
            inside = true;
            had = true;
        } else if inside && t == IGNORE_END {
            inside = false;
        } else if !inside {
            lines.push(line);
        }
    }
    (lines, had)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn leaf() -> impl Strategy<Value = J> {
        prop_oneof![
            Just(J::Null),
            any::<bool>().prop_map(J::Bool),
            any::<u32>().prop_map(|n| J::int(u64::from(n))),
            "[a-z ]{0,8}".prop_map(J::Str),
        ]
    }

    fn handler() -> impl Strategy<Value = J> {
        ("[a-z-]{1,8}", proptest::option::of(1u64..100)).prop_map(|(cmd, t)| {
            let mut o = Obj::new();
            o.insert("type", J::str("command"));
            o.insert("command", J::Str(cmd));
            if let Some(t) = t {
                o.insert("timeout", J::int(t));
            }
            J::Obj(o)
        })
    }

    fn object(pairs: Vec<(String, J)>) -> Obj {
        let mut o = Obj::new();
        for (k, v) in pairs {
            o.insert(&k, v);
        }
        o
    }

    /// Claude-shaped settings: other keys in any order, plus maybe `hooks`
    /// with non-empty event arrays of matcher groups (none of them ours).
    fn claude_settings() -> impl Strategy<Value = Obj> {
        let group = (
            proptest::option::of("[A-Za-z|]{1,8}"),
            prop::collection::vec(handler(), 1..3),
        )
            .prop_map(|(m, hs)| {
                let mut g = Obj::new();
                if let Some(m) = m {
                    g.insert("matcher", J::Str(m));
                }
                g.insert("hooks", J::Arr(hs));
                J::Obj(g)
            });
        let event = prop::sample::select(vec![
            "PreToolUse",
            "PostToolUse",
            "UserPromptSubmit",
            "Stop",
        ]);
        let hooks = prop::collection::vec((event, prop::collection::vec(group, 1..3)), 1..4)
            .prop_map(|evs| {
                J::Obj(object(
                    evs.into_iter()
                        .map(|(e, gs)| (e.to_string(), J::Arr(gs)))
                        .collect(),
                ))
            });
        let key = prop::sample::select(vec!["model", "env", "permissions", "zz", "a", "hooks"]);
        (
            prop::collection::vec((key, leaf()), 0..5),
            proptest::option::of(hooks),
            0usize..6,
        )
            .prop_map(|(pairs, hooks, at)| {
                let mut o = object(
                    pairs
                        .into_iter()
                        .filter(|(k, _)| *k != "hooks")
                        .map(|(k, v)| (k.to_string(), v))
                        .collect(),
                );
                if let Some(h) = hooks {
                    o.insert_at(at, "hooks", h);
                }
                o
            })
    }

    proptest! {
        #[test]
        fn claude_install_is_idempotent_and_uninstall_restores(x in claude_settings()) {
            let p = Path::new("settings.json");
            let mut a = x.clone();
            prop_assert!(install_groups(&mut a, p, CLAUDE_GROUPS, CLAUDE_COMMAND).unwrap());
            let mut b = a.clone();
            prop_assert!(!install_groups(&mut b, p, CLAUDE_GROUPS, CLAUDE_COMMAND).unwrap());
            prop_assert_eq!(&a, &b);
            prop_assert!(uninstall_groups(&mut a, p, CLAUDE_GROUPS, CLAUDE_COMMAND).unwrap());
            prop_assert_eq!(&a, &x);
        }

        #[test]
        fn cursor_install_is_idempotent_and_uninstall_restores(
            extra in prop::collection::vec(("[a-z]{1,5}", leaf()), 0..4),
            events in prop::collection::vec(
                (prop::sample::select(CURSOR_EVENTS.to_vec()), prop::collection::vec(handler(), 1..3)),
                0..4,
            ),
        ) {
            let p = Path::new("hooks.json");
            let mut x = object(extra.into_iter().filter(|(k, _)| k != "hooks" && k != "version").collect());
            x.insert_at(0, "version", J::int(1));
            if !events.is_empty() {
                x.insert("hooks", J::Obj(object(events.into_iter().map(|(e, hs)| (e.to_string(), J::Arr(hs))).collect())));
            }
            let mut a = x.clone();
            prop_assert!(install_cursor(&mut a, p).unwrap());
            let mut b = a.clone();
            prop_assert!(!install_cursor(&mut b, p).unwrap());
            prop_assert_eq!(&a, &b);
            prop_assert!(uninstall_cursor(&mut a, p).unwrap());
            prop_assert_eq!(&a, &x);
        }

        #[test]
        fn cursorignore_round_trips(user in prop::collection::vec(
            prop::sample::select(vec![".env", "node_modules/", "*.pem", "dist", "# note", ""]), 0..6),
            trailing_newline in any::<bool>()) {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join(".cursorignore");
            let mut text = user.join("\n");
            if trailing_newline && !text.is_empty() {
                text.push('\n');
            }
            std::fs::write(&path, &text).unwrap();
            let installed = plan_ignore(&path, Action::Install).unwrap().new.unwrap();
            let installed = String::from_utf8(installed).unwrap();
            for p in IGNORE_PATTERNS {
                // Present, and never added when the user already lists it.
                let mine = user.iter().filter(|l| *l == p).count();
                prop_assert_eq!(installed.lines().filter(|l| l == p).count(), mine.max(1));
            }
            std::fs::write(&path, &installed).unwrap();
            let again = plan_ignore(&path, Action::Install).unwrap();
            prop_assert_eq!(&again.old, &again.new);
            let removed = plan_ignore(&path, Action::Uninstall).unwrap().new;
            let removed = String::from_utf8(removed.unwrap_or_default()).unwrap();
            let mut want = text.clone();
            if !want.is_empty() && !want.ends_with('\n') {
                want.push('\n');
            }
            prop_assert_eq!(removed, want);
        }
    }
}
