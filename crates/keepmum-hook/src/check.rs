//! Host-neutral checks: each takes what an event carries (a prompt, a shell
//! command, a file to read, new file text, tool arguments or output) and
//! returns the [`Issue`]s found. The host modules turn issues into each
//! host's wire format.
//!
//! Every message is built from rule ids, paths, line numbers and
//! [`Finding::redacted`]; no raw secret ever reaches a message.

use std::cell::OnceCell;
use std::collections::{BTreeSet, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};

use keepmum::{Finding, Scanner};
use serde_json::Value;

use crate::paths::fold;
use crate::policy::{Action, Control, Policy};
use crate::shell;

/// Most findings a message lists before "and N more".
const MAX_LISTED: usize = 8;

/// Largest file a Read check reads (bytes); the rest is not scanned.
const MAX_READ: u64 = 50 << 20;

/// Most directory entries a shell glob expansion looks at.
const MAX_GLOB_ENTRIES: usize = 10_000;

/// Most entries a directory walk (recursive readers, hard-link search)
/// looks at; reaching it fails closed.
const MAX_WALK_ENTRIES: usize = 20_000;

/// Largest script file whose text is analysed (`bash ship.sh`).
const MAX_SCRIPT: u64 = 256 << 10;

/// Most untracked files a commit check reads; more fails closed.
const MAX_UNTRACKED: usize = 5_000;

/// Largest diff text a commit or push check scans; more fails closed.
const MAX_DIFF: usize = 64 << 20;

/// Files an agent must not write: the gate's own configuration, the hook
/// settings of Claude Code, Cursor and Codex, and git hooks.
pub(crate) const GATE_CONFIG: &[&str] = &[
    ".keepmum.toml",
    ".keepmumignore",
    ".config/keepmum/**",
    // The baseline pre-commit compares against: a hash added there lets
    // that secret through every later commit.
    ".secrets.baseline",
    ".claude/settings.json",
    ".claude/settings.local.json",
    ".cursor/hooks.json",
    ".cursorignore",
    ".codex/hooks.json",
    ".codex/config.toml",
    ".codex/requirements.toml",
    ".git/hooks/**",
    ".git/config",
    ".husky/**",
    // Git's user configuration can set `core.hooksPath` or aliases.
    ".gitconfig",
    ".config/git/config",
    // Scripts the hook settings run, managed settings, and the gate
    // itself (a fake binary earlier on PATH would answer for it).
    ".claude/hooks/**",
    ".cursor/hooks/**",
    ".codex/hooks/**",
    "managed-settings.json",
    "cursor/hooks.json",
    "keepmum-hook",
    "keepmum-hook.exe",
];

/// How `text` reads once disguises are taken off: NULs (UTF-16, stray or
/// interleaved NULs) decoded, then invisible characters, full-width or
/// look-alike letters, character references and spaced-out characters
/// undone. `None` when it reads as it is.
fn hidden_form(text: &[u8]) -> Option<Vec<u8>> {
    match decode_nul_text(text) {
        Some(d) => Some(keepmum::textdecode::unobfuscate(&d).unwrap_or(d)),
        None => keepmum::textdecode::unobfuscate(text),
    }
}

/// A decoded copy of `text` when it holds NULs (UTF-16 or stray NULs).
fn decode_nul_text(text: &[u8]) -> Option<Vec<u8>> {
    memchr_nul(text)?;
    keepmum::textdecode::decode_text(text).or_else(|| {
        // NUL-interleaved or padded payloads: drop the NULs.
        Some(text.iter().copied().filter(|&b| b != 0).collect())
    })
}

fn memchr_nul(text: &[u8]) -> Option<usize> {
    text.iter().position(|&b| b == 0)
}

/// Whether `path` is one of [`GATE_CONFIG`] (relative to `cwd`, anywhere).
pub(crate) fn gate_config(ctx: &Ctx, path: &str, cwd: Option<&Path>) -> Option<String> {
    thread_local! {
        static LIST: crate::paths::Protected = crate::paths::Protected::new(GATE_CONFIG.iter().copied());
    }
    if path.is_empty() {
        return None;
    }
    let cwd = cwd.or(ctx.cwd.as_deref());
    let abs = match cwd {
        Some(c) if Path::new(path).is_relative() => c.join(path),
        _ => PathBuf::from(path),
    };
    let folded = fold(&abs).to_string_lossy().replace('\\', "/");
    LIST.with(|l| {
        l.protected_form_in(&folded, None, None)
            .or_else(|| l.protected_form_in(path, cwd, None))
    })
}

/// Denies a write of one of the gate's own control files.
pub(crate) fn write_target(ctx: &Ctx, v: &mut Verdict, path: &str, cwd: Option<&Path>, how: &str) {
    if let Some(hit) = gate_config(ctx, path, cwd) {
        v.push(
            Control::ProtectedPath,
            format!(
                "{how} would change {hit}, which configures the keepmum gate, the agent's hooks or git hooks. Agents may not change these; ask the user to make the change."
            ),
        );
    }
}

/// One reason to stop (or warn about) an action.
#[derive(Clone, Debug)]
pub(crate) struct Issue {
    pub(crate) control: Control,
    /// The explanation, safe to show to the user and the model.
    pub(crate) message: String,
}

/// The issues found in one event, with the policy that rates them.
#[derive(Debug, Default)]
pub(crate) struct Verdict {
    pub(crate) issues: Vec<Issue>,
}

impl Verdict {
    /// The strongest action any issue calls for.
    pub(crate) fn action(&self, policy: &Policy) -> Action {
        self.issues
            .iter()
            .map(|i| policy.action(i.control))
            .max()
            .unwrap_or(Action::Allow)
    }

    /// The messages of the issues at `action` level, one per line, prefixed
    /// with `keepmum:`.
    pub(crate) fn reason(&self, policy: &Policy, action: Action) -> String {
        let mut seen = BTreeSet::new();
        let mut out = String::new();
        for i in &self.issues {
            if policy.action(i.control) != action || !seen.insert(i.message.clone()) {
                continue;
            }
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str("keepmum: ");
            out.push_str(&i.message);
        }
        out
    }

    pub(crate) fn push(&mut self, control: Control, message: String) {
        self.issues.push(Issue { control, message });
    }
}

/// What the checks share for one event: the policy, a lazily built scanner
/// and the directory relative paths resolve against.
#[derive(Debug)]
pub(crate) struct Ctx {
    pub(crate) policy: Policy,
    pub(crate) config: Option<keepmum::config::Config>,
    pub(crate) cwd: Option<PathBuf>,
    /// The workspace root protected-path rules are anchored at.
    pub(crate) root: Option<PathBuf>,
    scanner: OnceCell<Scanner>,
}

impl Ctx {
    pub(crate) fn new(
        policy: Policy,
        config: Option<keepmum::config::Config>,
        cwd: Option<PathBuf>,
        root: Option<PathBuf>,
    ) -> Ctx {
        Ctx {
            policy,
            config,
            cwd,
            root,
            scanner: OnceCell::new(),
        }
    }

    /// The scanner, built on first use with the configuration's rules,
    /// allowlist and `[scan]` settings, and the hook's `pii` setting.
    pub(crate) fn scanner(&self) -> Result<&Scanner, String> {
        if let Some(s) = self.scanner.get() {
            return Ok(s);
        }
        let mut b = Scanner::builder();
        if let Some(cfg) = &self.config {
            cfg.apply(&mut b).map_err(|e| e.to_string())?;
        }
        if let Some(pii) = self.policy.pii {
            b.pii(pii);
        }
        let s = b
            .build()
            .map_err(|e| format!("cannot build the scanner: {e}"))?;
        Ok(self.scanner.get_or_init(|| s))
    }

    /// Scans `text`; when it holds nothing, its [`hidden_form`] (NULs
    /// decoded, invisible or look-alike characters undone) is scanned too,
    /// then its long token runs written backwards (a token typed reversed).
    fn scan(&self, text: &[u8]) -> Result<Vec<Finding>, String> {
        let sc = self.scanner()?;
        let mut f = sc.scan_bytes(text);
        if f.is_empty() {
            if let Some(decoded) = hidden_form(text) {
                f = sc.scan_bytes(&decoded);
            }
        }
        if f.is_empty() {
            if let Some(reversed) = keepmum::textdecode::reversed_runs(text) {
                f = sc.scan_bytes(&reversed);
            }
        }
        if f.is_empty() {
            if let Some(numbers) = keepmum::textdecode::encoded_numbers(text) {
                f = sc.scan_bytes(&numbers);
            }
        }
        if f.is_empty() {
            f = split_tokens(sc, text);
        }
        if f.is_empty() {
            // A value kept in separate variables and joined by an
            // operator or a template (`password = a + b`).
            let text = match std::str::from_utf8(text) {
                Ok(t) => std::borrow::Cow::Borrowed(t),
                Err(_) => String::from_utf8_lossy(text),
            };
            if let Some(joined) = keepmum::textdecode::joined_variables(&text) {
                f = sc.scan_bytes(joined.as_bytes());
            }
        }
        Ok(f)
    }

    /// Whether `path` (relative to `cwd`) is protected: by the globs,
    /// anchored at the workspace root, or as a hard link to a protected
    /// file. Returns the form that matched, for messages.
    pub(crate) fn protected(&self, path: &str, cwd: Option<&Path>) -> Option<String> {
        let cwd = cwd.or(self.cwd.as_deref());
        let root = self.root.as_deref().or(cwd);
        if let Some(hit) = self.policy.protected.protected_form_in(path, cwd, root) {
            return Some(hit);
        }
        let abs = match cwd {
            Some(c) if Path::new(path).is_relative() => c.join(path),
            _ => PathBuf::from(path),
        };
        let home = std::env::var_os("HOME").map(PathBuf::from);
        match crate::paths::hard_link_to_protected(
            &self.policy.protected,
            &abs,
            root,
            home.as_deref(),
            MAX_WALK_ENTRIES,
        ) {
            Ok(Some(target)) => Some(format!("{} (a hard link to {target})", abs.display())),
            Ok(None) => None,
            Err(()) => Some(format!(
                "{} (a hard-linked file; too many files to rule out a link to a protected one)",
                abs.display()
            )),
        }
    }

    /// `path` made absolute against the event's cwd (`~/` is the home).
    pub(crate) fn resolve_path(&self, path: &str) -> PathBuf {
        if let (Some(rest), Some(home)) = (path.strip_prefix("~/"), std::env::var_os("HOME")) {
            return PathBuf::from(home).join(rest);
        }
        self.resolve(path)
    }

    /// `path` made absolute against the event's cwd.
    fn resolve(&self, path: &str) -> PathBuf {
        let p = Path::new(path);
        match &self.cwd {
            Some(c) if p.is_relative() => c.join(p),
            _ => p.to_path_buf(),
        }
    }
}

/// A provider token split into fragments inside one text (over lines, by
/// spaces, as string pieces joined by `+`, `.`, adjacency or a list
/// `join`): the fragments' chains are scanned, and only a provider's own
/// token shape whose secret runs across a seam counts (joined UUIDs, hashes
/// or identifiers form none).
fn split_tokens(sc: &Scanner, text: &[u8]) -> Vec<Finding> {
    let Some(j) = keepmum::textdecode::joined_fragments(text) else {
        return Vec::new();
    };
    sc.scan_bytes(&j.text)
        .into_iter()
        .filter(|f| f.specificity() == keepmum::Specificity::Provider && j.crosses(f.span()))
        .collect()
}

/// Heads of the inline allow markers the scanner honours (`keepmum:allow`,
/// `pragma: allowlist secret`, `gitleaks:allow`, `trufflehog:ignore`).
const ALLOW_MARKER_HEADS: [&str; 4] = ["keepmum:", "pragma:", "gitleaks:", "trufflehog:"];

/// New text that hides a finding behind an inline allow marker the agent
/// wrote (`T = "ghp_…"  # keepmum:allow`): scanned again with the markers
/// defused, a finding on a line the file did not already hold, marker and
/// all, is refused. Lines already in the file (a test fixture's marked
/// fake key, rewritten or moved) stay allowed: the user put those there.
fn added_allow_markers(
    ctx: &Ctx,
    v: &mut Verdict,
    file: &str,
    texts: &[&str],
) -> Result<(), String> {
    let has_marker = |t: &str| {
        let lower = t.to_ascii_lowercase();
        ALLOW_MARKER_HEADS.iter().any(|h| lower.contains(h))
    };
    if !texts.iter().any(|t| has_marker(t)) {
        return Ok(());
    }
    let existing: String = if file.is_empty() {
        String::new()
    } else {
        read_capped(&ctx.resolve(file))
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    };
    let existing: BTreeSet<&str> = existing.lines().map(str::trim).collect();
    let sc = ctx.scanner()?;
    let mut hidden = Vec::new();
    for t in texts.iter().filter(|t| has_marker(t)) {
        // The same length with the colon gone: spans and lines stay put.
        let mut defused = t.as_bytes().to_vec();
        let lower = t.to_ascii_lowercase();
        for h in ALLOW_MARKER_HEADS {
            for (at, _) in lower.match_indices(h) {
                defused[at + h.len() - 1] = b'_';
            }
        }
        for f in sc.scan_bytes(&defused) {
            let line = t
                .lines()
                .nth(f.line().saturating_sub(1))
                .unwrap_or("")
                .trim();
            if !existing.contains(line) {
                hidden.push(f);
            }
        }
    }
    if !hidden.is_empty() {
        v.push(
            Control::Write,
            format!(
                "the new content{} hides {} behind an inline allow marker: {}. Agents may not allowlist findings; keep the credential out of the file.",
                if file.is_empty() { String::new() } else { format!(" for {file}") },
                kinds(&hidden),
                list(&hidden, true)
            ),
        );
    }
    Ok(())
}

/// Lists findings as `rule-id (redacted) line N`, at most [`MAX_LISTED`].
fn list(findings: &[Finding], with_line: bool) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut seen = BTreeSet::new();
    for f in findings {
        let item = if with_line {
            format!("{} ({}) on line {}", f.rule_id(), f.redacted(), f.line())
        } else {
            format!("{} ({})", f.rule_id(), f.redacted())
        };
        if seen.insert(item.clone()) {
            parts.push(item);
        }
    }
    join_capped(parts)
}

/// Joins `items` with commas, listing at most [`MAX_LISTED`] and counting the
/// rest (`a, b, c and 4 more`).
fn join_capped(mut items: Vec<String>) -> String {
    let more = items.len().saturating_sub(MAX_LISTED);
    items.truncate(MAX_LISTED);
    let mut list = items.join(", ");
    if more > 0 {
        list.push_str(&format!(" and {more} more"));
    }
    list
}

fn kinds(findings: &[Finding]) -> &'static str {
    let secret = findings
        .iter()
        .any(|f| f.category() == keepmum::Category::Secret);
    let pii = findings
        .iter()
        .any(|f| f.category() == keepmum::Category::Pii);
    match (secret, pii) {
        (true, true) => "secrets and personal data",
        (false, true) => "personal data",
        _ => "a secret",
    }
}

/// A prompt the user is about to send.
pub(crate) fn prompt(ctx: &Ctx, v: &mut Verdict, text: &str) -> Result<(), String> {
    let f = ctx.scan(text.as_bytes())?;
    if !f.is_empty() {
        v.push(
            Control::Prompt,
            format!(
                "prompt not sent: it contains {}: {}. Remove the value (or refer to where it is stored) and send it again.",
                kinds(&f),
                list(&f, true)
            ),
        );
    }
    Ok(())
}

/// What a denied command line is told to do instead.
const NO_CREDENTIALS_ON_COMMAND_LINES: &str = "Do not put credentials on a command line; read them from an environment variable (e.g. \"$API_TOKEN\") instead.";

/// A shell command line: a secret in the line itself, reads of protected
/// files, and `git commit`s of staged secrets.
pub(crate) fn command(
    ctx: &Ctx,
    v: &mut Verdict,
    cmd: &str,
    cwd: Option<&Path>,
) -> Result<(), String> {
    let f = ctx.scan(cmd.as_bytes())?;
    if !f.is_empty() {
        v.push(
            Control::Shell,
            format!(
                "the command line contains {}: {}. {}",
                kinds(&f),
                list(&f, false),
                NO_CREDENTIALS_ON_COMMAND_LINES
            ),
        );
    }
    let mut a = shell::analyze(cmd);
    if f.is_empty() {
        // A token cut out of a variable's value (`${t:1}`, `${t/X/}`) or
        // joined from several (`$a$b`) is on no line as written.
        for text in &a.expanded {
            let f = ctx.scan(text.as_bytes())?;
            if !f.is_empty() {
                v.push(
                    Control::Shell,
                    format!(
                        "the command line builds {} from its variables: {}. {}",
                        kinds(&f),
                        list(&f, false),
                        NO_CREDENTIALS_ON_COMMAND_LINES
                    ),
                );
                break;
            }
        }
    }
    let base = cwd.map(Path::to_path_buf).or_else(|| ctx.cwd.clone());
    add_scripts(&mut a, base.as_deref());
    if a.capped {
        v.push(
            Control::Shell,
            "the command line is too complex to check (a nesting or item limit was reached); split it into simpler commands.".to_string(),
        );
    }
    for r in &a.reads {
        let dir = resolve_dirs(base.as_deref(), &r.dirs);
        if let Some(hit) = protected_word(ctx, &r.path, dir.as_deref(), r.glob) {
            v.push(
                Control::ProtectedPath,
                format!(
                    "`{}` would read the protected file {hit}. Protected files hold credentials and must not enter the conversation; ask the user for the specific non-secret value you need.",
                    r.command
                ),
            );
            continue;
        }
        if r.recursive {
            if let Some(hit) = protected_inside(
                ctx,
                &r.path,
                dir.as_deref(),
                r.skip_hidden,
                r.name_glob.as_deref(),
            ) {
                v.push(
                    Control::ProtectedPath,
                    format!(
                        "`{}` would read {} recursively, which includes the protected file {hit}. Exclude it (search a narrower path) or ask the user for the value you need.",
                        r.command, r.path
                    ),
                );
            }
        }
    }
    shell_read_content(ctx, v, &a, base.as_deref())?;
    for w in &a.writes {
        let dir = resolve_dirs(base.as_deref(), &w.dirs);
        write_target(ctx, v, &w.path, dir.as_deref(), &format!("`{}`", w.command));
    }
    // What the line does that is refused whatever files it names.
    let refusals: [(&[String], Control, &str); 6] = [
        (&a.hook_skips, Control::Commit, "would skip the git hooks that scan commits for secrets; commit without it."),
        (&a.obfuscated, Control::ProtectedPath, "decodes a file name at run time, so which file it reads cannot be checked against the protected paths; name the file directly."),
        (&a.env_dumps, Control::Shell, "would print environment variables, which hold credentials; print only the specific non-secret variable you need."),
        (&a.gate_changes, Control::ProtectedPath, "would change the keepmum gate or the git hooks that scan commits; agents may not change these, ask the user."),
        (&a.credential_reads, Control::Shell, "would print a stored credential into the conversation; use the tool that needs it directly (it reads its own credential store) or ask the user."),
        (&a.credential_sends, Control::Shell, "would send a stored credential to a host that is not its own service; send it only to the service it belongs to, or ask the user."),
    ];
    for (words, control, why) in refusals {
        for w in words {
            v.push(control, format!("`{w}` {why}"));
        }
    }
    for p in a.publishes.iter().take(8) {
        let dir = resolve_dirs(base.as_deref(), &p.dirs);
        let pkg = match &dir {
            Some(d) => d.join(&p.path),
            None => PathBuf::from(&p.path),
        };
        if p.command == "archive upload" {
            let dir_ref = dir.as_deref();
            let files = if p.path.contains(['*', '?', '[']) {
                expand_glob(&p.path, dir_ref)
            } else {
                vec![p.path.clone()]
            };
            for f in files.iter().take(16) {
                let abs = match dir_ref {
                    Some(d) if Path::new(f).is_relative() => d.join(f),
                    _ => PathBuf::from(f),
                };
                if let Some(hit) = archive_protected(ctx, &abs) {
                    v.push(
                        Control::ProtectedPath,
                        format!(
                            "uploading {} would publish the protected file {hit} it holds; rebuild the package without it or ask the user.",
                            abs.display()
                        ),
                    );
                }
            }
            continue;
        }
        if p.command == "docker compose" {
            // Each service's build context, as the compose file names it.
            let base_dir = dir.clone().unwrap_or_default();
            for context in compose_contexts(&base_dir, &p.path).into_iter().take(16) {
                if let Some(hit) = published_protected(ctx, &context, Packaging::Docker) {
                    v.push(
                        Control::ProtectedPath,
                        format!(
                            "`docker compose` would build the protected file {hit} into an image; exclude it ({}) or ask the user.",
                            Packaging::Docker.how_to_exclude()
                        ),
                    );
                }
            }
            continue;
        }
        if p.command == "docker push"
            && !["Dockerfile", "Containerfile", "dockerfile"]
                .iter()
                .any(|f| pkg.join(f).is_file())
        {
            // Nothing here says the image was built from this directory.
            continue;
        }
        let packaging = Packaging::of(&p.command);
        if let Some(hit) = published_protected(ctx, &pkg, packaging) {
            v.push(
                Control::ProtectedPath,
                format!(
                    "`{}` would ship the protected file {hit}; exclude it ({}) or ask the user.",
                    p.command,
                    packaging.how_to_exclude()
                ),
            );
        }
    }
    for p in a.patches.iter().take(8) {
        let dir = resolve_dirs(base.as_deref(), &p.dirs);
        let file = match &dir {
            Some(d) if Path::new(&p.path).is_relative() => d.join(&p.path),
            _ => PathBuf::from(&p.path),
        };
        let Some(bytes) = read_capped(&file) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        let before = v.issues.len();
        patch(ctx, v, &text, None)?;
        for issue in &mut v.issues[before..] {
            issue.message = format!("`{}` of {}: {}", p.command, p.path, issue.message);
        }
    }
    for text in a.patch_texts.iter().take(8) {
        let before = v.issues.len();
        patch(ctx, v, text, None)?;
        for issue in &mut v.issues[before..] {
            issue.message = format!("the patch fed on standard input: {}", issue.message);
        }
    }
    for c in &a.commits {
        commit(ctx, v, c, base.as_deref(), a.stages, &a.added)?;
    }
    Ok(())
}

/// How much of each side of a seam between two writes is scanned together.
const SEAM_EDGE: usize = 160;

/// Most earlier writes a new write is joined with.
const MAX_SEAM_PEERS: usize = 24;

/// Files changed this recently next to the file being written count as
/// this session's earlier writes.
const SEAM_RECENT_SECS: u64 = 20 * 60;

/// Largest transcript tail read for the session's earlier writes.
const MAX_TRANSCRIPT_TAIL: u64 = 1 << 20;

/// A secret split across separate writes (`ghp_…` to one file, the rest to
/// another, each piece harmless alone): the new text's ends are joined with
/// the ends of what this session wrote before, and a finding that spans the
/// seam is refused. The session's earlier writes come from its transcript
/// (`transcript_path`, which every host passes: the hook keeps no state of
/// its own, so nothing it saw is stored anywhere) and, for hosts without
/// one, from the files changed in the last minutes in the same directory.
pub(crate) fn seams(
    ctx: &Ctx,
    v: &mut Verdict,
    file: &str,
    texts: &[&str],
    transcript: Option<&str>,
) -> Result<(), String> {
    let new = texts.join("\n");
    let new = new.trim();
    if new.is_empty() {
        return Ok(());
    }
    let mut peers: Vec<(String, String)> = Vec::new();
    if let Some(t) = transcript.filter(|t| !t.is_empty()) {
        transcript_writes(Path::new(t), &mut peers);
    }
    let target = ctx.resolve(file);
    recent_siblings(&target, &mut peers);
    let target_s = target.to_string_lossy().into_owned();
    let sc = ctx.scanner()?;
    let mut found = seam_findings(sc, &peers, new);
    if found.is_none() && dangling_edge(new) {
        // Pieces written to other directories, or longer ago, without a
        // transcript: the repository's uncommitted files are what this
        // session (or its predecessors) wrote.
        let mut more = Vec::new();
        uncommitted_files(&target, &mut more);
        more.retain(|(label, _)| *label != target_s);
        found = seam_findings(sc, &more, new);
    }
    let Some((label, across)) = found else {
        return Ok(());
    };
    let other = if label == target_s {
        "an earlier write of the same file".to_string()
    } else {
        format!("what this session wrote to {label}")
    };
    v.push(
        Control::Write,
        format!(
            "the new content{} joined with {other} forms {}: {}. Do not split credentials across files; keep them out of files the agent writes.",
            if file.is_empty() { String::new() } else { format!(" for {file}") },
            kinds(&across),
            list(&across, false)
        ),
    );
    Ok(())
}

/// Most earlier writes joined in one chain ahead of the new text (a token
/// in four pieces).
const MAX_SEAM_CHAIN: usize = 3;

/// Provider findings that only exist across a seam between `new` and the
/// earlier writes `peers` (oldest first): each peer joined before and
/// after `new`, then the last [`MAX_SEAM_CHAIN`] peers joined in the
/// order they were written with `new` at the end (a token in three or four
/// pieces). Returns the label of the write `new` was joined with.
fn seam_findings(
    sc: &Scanner,
    peers: &[(String, String)],
    new: &str,
) -> Option<(String, Vec<Finding>)> {
    // A provider's token shape only, across a seam that touches the new
    // text: a generic `key=` at the end of one file and any word at the
    // start of the next would be noise.
    let across = |joint: &str, cut: usize| -> Vec<Finding> {
        sc.scan_bytes(joint.as_bytes())
            .into_iter()
            .filter(|f| {
                f.span().start < cut
                    && f.span().end > cut
                    && f.specificity() == keepmum::Specificity::Provider
            })
            .collect()
    };
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut distinct: Vec<(&str, &str)> = Vec::new();
    for (label, text) in peers.iter().rev().take(MAX_SEAM_PEERS) {
        let text = text.trim();
        if text.is_empty() || text == new || !seen.insert(text) {
            continue;
        }
        distinct.push((label, text));
        for (left, right) in [(text, new), (new, text)] {
            let l = tail_at_char(left, SEAM_EDGE);
            let r = head_at_char(right, SEAM_EDGE);
            let joint = format!("{l}{r}");
            let f = across(&joint, l.len());
            if !f.is_empty() {
                return Some((label.clone(), f));
            }
        }
    }
    // `distinct` runs newest first; a chain is written oldest first.
    if distinct.len() >= 2 {
        let chain: Vec<&(&str, &str)> = distinct.iter().take(MAX_SEAM_CHAIN).rev().collect();
        let mut joint = String::new();
        for (_, text) in &chain {
            joint.push_str(tail_at_char(text, SEAM_EDGE));
        }
        let cut = joint.len();
        joint.push_str(head_at_char(new, SEAM_EDGE));
        let f = across(&joint, cut);
        if !f.is_empty() {
            return Some((chain[chain.len() - 1].0.to_string(), f));
        }
    }
    None
}

/// Whether `text` starts or ends in a run of at least 8 token characters
/// (a piece of a value cut off at the edge of a write), the only writes
/// worth joining with files beyond the recent ones beside them.
fn dangling_edge(text: &str) -> bool {
    let edge = |bytes: &mut dyn Iterator<Item = u8>| {
        bytes
            .skip_while(|b| matches!(b, b'"' | b'\'' | b'`' | b',' | b';'))
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
            .take(8)
            .count()
            >= 8
    };
    let t = text.trim();
    edge(&mut t.bytes()) || edge(&mut t.bytes().rev())
}

/// Uncommitted files (modified or untracked, not ignored) of the git
/// repository holding `target`, oldest change first, at most
/// [`MAX_SEAM_PEERS`] of them and only small ones.
fn uncommitted_files(target: &Path, out: &mut Vec<(String, String)>) {
    let Some(dir) = target.parent() else {
        return;
    };
    let git = Git {
        dir: dir.to_path_buf(),
        git_dir: None,
        work_tree: None,
    };
    let Some(top) = git.top() else {
        return;
    };
    let Some(list) = git.run(&[
        "ls-files",
        "--full-name",
        "-z",
        "-m",
        "-o",
        "--exclude-standard",
        ":/",
    ]) else {
        return;
    };
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = list
        .split(|&b| b == 0)
        .filter(|p| !p.is_empty())
        .take(4096)
        .filter_map(|p| {
            let path = top.join(String::from_utf8_lossy(p).as_ref());
            let m = std::fs::metadata(&path).ok()?;
            (m.is_file() && m.len() > 0 && m.len() <= 256 << 10)
                .then(|| Some((m.modified().ok()?, path)))
                .flatten()
        })
        .collect();
    files.sort();
    for (_, p) in files.into_iter().rev().take(MAX_SEAM_PEERS).rev() {
        if let Ok(text) = std::fs::read_to_string(&p) {
            out.push((p.to_string_lossy().into_owned(), text));
        }
    }
}

/// The last `n` bytes of `s` (fewer, to start on a character).
fn tail_at_char(s: &str, n: usize) -> &str {
    let mut start = s.len().saturating_sub(n);
    while !s.is_char_boundary(start) {
        start += 1;
    }
    &s[start..]
}

/// The first `n` bytes of `s` (fewer, to end on a character).
fn head_at_char(s: &str, n: usize) -> &str {
    let mut end = n.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Earlier writes recorded in a session transcript (JSON lines, any host's
/// shape): objects naming a file (`file_path`, `path`, `notebook_path`)
/// beside new text (`content`, `new_string`, `new_source`), and the added
/// lines of `apply_patch` patches. Only the transcript's tail is read.
fn transcript_writes(path: &Path, out: &mut Vec<(String, String)>) {
    use std::io::{Seek, SeekFrom};
    let Ok(mut f) = std::fs::File::open(path) else {
        return;
    };
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    let start = len.saturating_sub(MAX_TRANSCRIPT_TAIL);
    if f.seek(SeekFrom::Start(start)).is_err() {
        return;
    }
    let mut buf = Vec::new();
    if f.take(MAX_TRANSCRIPT_TAIL).read_to_end(&mut buf).is_err() {
        return;
    }
    let text = String::from_utf8_lossy(&buf);
    for line in text.lines().skip(usize::from(start > 0)) {
        if !(line.contains("content") || line.contains("new_s") || line.contains("*** ")) {
            continue;
        }
        if let Ok(v) = serde_json::from_str::<Value>(line) {
            collect_writes(&v, out, 0);
        }
    }
}

fn collect_writes(v: &Value, out: &mut Vec<(String, String)>, depth: usize) {
    if depth > 12 || out.len() > 4 * MAX_SEAM_PEERS {
        return;
    }
    match v {
        Value::Object(o) => {
            let file = ["file_path", "path", "notebook_path"]
                .iter()
                .find_map(|k| o.get(*k).and_then(Value::as_str));
            let text = ["content", "new_string", "new_source"]
                .iter()
                .find_map(|k| o.get(*k).and_then(Value::as_str));
            if let (Some(file), Some(text)) = (file, text) {
                out.push((file.to_string(), text.to_string()));
            }
            for x in o.values() {
                collect_writes(x, out, depth + 1);
            }
        }
        Value::Array(a) => {
            for x in a {
                collect_writes(x, out, depth + 1);
            }
        }
        // A tool call's arguments as a JSON string (`"arguments": "{…}"`).
        Value::String(s) if s.starts_with('{') && s.contains("Begin Patch") => {
            if let Ok(inner) = serde_json::from_str::<Value>(s) {
                collect_writes(&inner, out, depth + 1);
            }
        }
        Value::String(s) if s.contains("*** Begin Patch") => {
            let mut file = String::new();
            let mut added = String::new();
            for l in s.lines() {
                if let Some(f) = l
                    .strip_prefix("*** Add File: ")
                    .or_else(|| l.strip_prefix("*** Update File: "))
                {
                    if !added.is_empty() {
                        out.push((std::mem::take(&mut file), std::mem::take(&mut added)));
                    }
                    file = f.trim().to_string();
                } else if let Some(a) = l.strip_prefix('+') {
                    added.push_str(a);
                    added.push('\n');
                }
            }
            if !added.is_empty() {
                out.push((file, added));
            }
        }
        _ => {}
    }
}

/// Files in the directory of `target` changed in the last
/// [`SEAM_RECENT_SECS`], newest last (small text files only).
fn recent_siblings(target: &Path, out: &mut Vec<(String, String)>) {
    let Some(dir) = target.parent() else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = std::time::SystemTime::now();
    let mut recent: Vec<(std::time::SystemTime, PathBuf)> = Vec::new();
    for e in entries.flatten().take(4096) {
        let Ok(m) = e.metadata() else { continue };
        if !m.is_file() || m.len() > 256 << 10 || m.len() == 0 {
            continue;
        }
        let Ok(t) = m.modified() else { continue };
        if now
            .duration_since(t)
            .is_ok_and(|d| d.as_secs() <= SEAM_RECENT_SECS)
        {
            recent.push((t, e.path()));
        }
    }
    recent.sort();
    for (_, p) in recent.into_iter().rev().take(MAX_SEAM_PEERS).rev() {
        if let Ok(text) = std::fs::read_to_string(&p) {
            out.push((p.to_string_lossy().into_owned(), text));
        }
    }
}

/// Most entries looked at under a package directory being published.
const MAX_PUBLISH_ENTRIES: usize = 5_000;

/// How a packager chooses the files it ships.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Packaging {
    /// npm, pnpm, yarn, bun: package.json `files`, else `.npmignore` (or
    /// `.gitignore` where a directory has none), in every directory.
    Npm,
    /// `docker build`: the whole context except the root `.dockerignore`.
    Docker,
    /// `helm package`: the chart except the root `.helmignore`.
    Helm,
    /// `cargo publish`/`package`: Cargo.toml `include`, else everything
    /// not excluded by `exclude` or a `.gitignore`.
    Cargo,
    /// poetry, flit, hatch, pdm `publish`: everything not git-ignored.
    Python,
}

impl Packaging {
    /// The packaging a [`shell::FileRef`] command names.
    fn of(command: &str) -> Packaging {
        match command {
            "docker build" | "docker push" => Packaging::Docker,
            "helm package" => Packaging::Helm,
            "cargo publish" => Packaging::Cargo,
            "python publish" => Packaging::Python,
            _ => Packaging::Npm,
        }
    }

    /// The manifest a directory must hold to be a package of this kind
    /// (`None`: any directory is a context).
    fn manifest(self) -> Option<&'static str> {
        match self {
            Packaging::Npm => Some("package.json"),
            Packaging::Docker => None,
            Packaging::Helm => Some("Chart.yaml"),
            Packaging::Cargo => Some("Cargo.toml"),
            Packaging::Python => Some("pyproject.toml"),
        }
    }

    /// The ignore files read in each directory, first found wins, and
    /// whether nested directories' own files count.
    fn ignore_files(self) -> (&'static [&'static str], bool) {
        match self {
            Packaging::Npm => (&[".npmignore", ".gitignore"], true),
            Packaging::Docker => (&[".dockerignore"], false),
            Packaging::Helm => (&[".helmignore"], false),
            Packaging::Cargo | Packaging::Python => (&[".gitignore"], true),
        }
    }

    /// Directory names the packager never ships.
    fn never(self, name: &str) -> bool {
        match self {
            Packaging::Npm => matches!(name, ".git" | "node_modules" | ".npmrc"),
            Packaging::Cargo => matches!(name, ".git" | "target"),
            Packaging::Python => matches!(name, ".git" | ".venv" | "dist" | "__pycache__"),
            Packaging::Docker | Packaging::Helm => name == ".git",
        }
    }

    fn how_to_exclude(self) -> &'static str {
        match self {
            Packaging::Npm => "package.json \"files\" or .npmignore",
            Packaging::Docker => "a .dockerignore listing it",
            Packaging::Helm => "a .helmignore listing it",
            Packaging::Cargo => "Cargo.toml \"exclude\" or .gitignore",
            Packaging::Python => ".gitignore or the build backend's exclude list",
        }
    }
}

/// The non-comment lines of the first of `names` present in `dir`.
fn ignore_lines(dir: &Path, names: &[&str]) -> Vec<String> {
    names
        .iter()
        .find_map(|f| std::fs::read_to_string(dir.join(f)).ok())
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect()
}

/// Whether ignore-file `lines` (read in order, `!` negates) leave `rel`
/// in, starting from `shipped`.
fn ignore_verdict(lines: &[String], rel: &str, mut shipped: bool) -> bool {
    for line in lines {
        let (neg, pat) = match line.strip_prefix('!') {
            Some(p) => (true, p),
            None => (false, line.as_str()),
        };
        let pat = pat.trim_start_matches('/').trim_end_matches('/');
        if !pat.is_empty() && crate::paths::ignore_line_matches(pat, rel) {
            shipped = neg;
        }
    }
    shipped
}

/// A manifest's list of path patterns (`files` in package.json, `include`
/// or `exclude` in Cargo.toml), `./` and trailing `/` removed.
fn manifest_list(pkg: &Path, packaging: Packaging, key: &str) -> Option<Vec<String>> {
    let clean = |f: &str| f.trim_start_matches("./").trim_end_matches('/').to_string();
    match packaging {
        Packaging::Npm => std::fs::read(pkg.join("package.json"))
            .ok()
            .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
            .and_then(|v| {
                v.get(key)?
                    .as_array()
                    .map(|a| a.iter().filter_map(Value::as_str).map(clean).collect())
            }),
        Packaging::Cargo => {
            let text = std::fs::read_to_string(pkg.join("Cargo.toml")).ok()?;
            let v: toml::Value = toml::from_str(&text).ok()?;
            v.get("package")?
                .get(key)?
                .as_array()
                .map(|a| a.iter().filter_map(|x| x.as_str()).map(clean).collect())
        }
        _ => None,
    }
}

/// A protected file that packaging the directory `pkg` would ship, as the
/// packager chooses files (see [`Packaging`]); ignore files of nested
/// directories count where the packager reads them. More than
/// [`MAX_PUBLISH_ENTRIES`] entries count as a hit, so a cap never lets a
/// package through unchecked.
fn published_protected(ctx: &Ctx, pkg: &Path, packaging: Packaging) -> Option<String> {
    match packaging.manifest() {
        Some(m) if !pkg.join(m).is_file() => return None,
        None if !pkg.is_dir() => return None,
        _ => {}
    }
    let (files_key, exclude_key) = match packaging {
        Packaging::Npm => (Some("files"), None),
        Packaging::Cargo => (Some("include"), Some("exclude")),
        _ => (None, None),
    };
    let files = files_key.and_then(|k| manifest_list(pkg, packaging, k));
    let excluded = exclude_key
        .and_then(|k| manifest_list(pkg, packaging, k))
        .unwrap_or_default();
    let (ignore_names, nested) = packaging.ignore_files();
    // Each directory's ignore lines, read once, keyed by its relative path.
    let mut rules: HashMap<String, Vec<String>> = HashMap::new();
    rules.insert(String::new(), ignore_lines(pkg, ignore_names));
    let mut shipped = |rel: &str| -> bool {
        if let Some(files) = &files {
            return files.iter().any(|f| {
                f == rel
                    || rel.starts_with(&format!("{f}/"))
                    || crate::paths::ignore_line_matches(f, rel)
            });
        }
        if !ignore_verdict(&excluded, rel, true) {
            return false;
        }
        // The root's rules, then each parent directory's own, deepest last.
        let mut out = ignore_verdict(&rules[""], rel, true);
        if nested {
            let mut base = String::new();
            let comps: Vec<&str> = rel.split('/').collect();
            for c in &comps[..comps.len().saturating_sub(1)] {
                base = if base.is_empty() {
                    (*c).to_string()
                } else {
                    format!("{base}/{c}")
                };
                let lines = rules
                    .entry(base.clone())
                    .or_insert_with(|| ignore_lines(&pkg.join(&base), ignore_names));
                out = ignore_verdict(lines, &rel[base.len() + 1..], out);
            }
        }
        out
    };
    let walk = walk_bounded(pkg, 8, MAX_PUBLISH_ENTRIES, |path, rel, name, is_dir| {
        if packaging.never(name) {
            return Step::Skip;
        }
        if is_dir {
            return Step::Descend;
        }
        if ctx.protected(&path.to_string_lossy(), None).is_some() && shipped(rel) {
            return Step::Found(path.display().to_string());
        }
        Step::Skip
    });
    match walk {
        Walk::Found(hit) => Some(hit),
        Walk::Capped => Some(format!(
            "(more than {MAX_PUBLISH_ENTRIES} files under {} to check)",
            pkg.display()
        )),
        Walk::Done => None,
    }
}

/// Largest archive listing read.
const MAX_LISTING: usize = 4 << 20;

/// The first entry of the package archive `file` (sdist `.tar.gz`, wheel
/// or `.zip`, RubyGems `.gem`) with a protected name, listed with `tar`
/// or Python's `zipfile`. An archive that cannot be listed is not judged.
fn archive_protected(ctx: &Ctx, file: &Path) -> Option<String> {
    use std::process::{Command, Stdio};
    if !file.is_file() {
        return None;
    }
    let name = file.file_name()?.to_string_lossy().to_ascii_lowercase();
    let run = |cmd: &mut Command, input: Option<Vec<u8>>| -> Option<Vec<u8>> {
        let mut child = cmd
            .stdin(if input.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        if let (Some(bytes), Some(mut stdin)) = (input, child.stdin.take()) {
            std::thread::spawn(move || {
                let _ = std::io::Write::write_all(&mut stdin, &bytes);
            });
        }
        let mut out = Vec::new();
        child
            .stdout
            .take()?
            .take(MAX_LISTING as u64)
            .read_to_end(&mut out)
            .ok()?;
        let _ = child.kill();
        let _ = child.wait();
        Some(out)
    };
    let listing = if name.ends_with(".gem") {
        // A gem is a tar holding data.tar.gz, the packaged files.
        let data = run(
            Command::new("tar").arg("-xOf").arg(file).arg("data.tar.gz"),
            None,
        )?;
        run(Command::new("tar").args(["-tzf", "-"]), Some(data))?
    } else if name.ends_with(".tar.gz") || name.ends_with(".tgz") || name.ends_with(".tar") {
        run(Command::new("tar").arg("-tf").arg(file), None)?
    } else if name.ends_with(".whl") || name.ends_with(".zip") || name.ends_with(".egg") {
        run(
            Command::new("python3")
                .args([
                    "-c",
                    "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))",
                ])
                .arg(file),
            None,
        )?
    } else {
        return None;
    };
    String::from_utf8_lossy(&listing)
        .lines()
        .map(|l| l.trim().trim_start_matches("./"))
        .filter(|l| !l.is_empty() && !l.ends_with('/'))
        .take(50_000)
        .find(|entry| {
            ctx.policy
                .protected
                .protected_form_in(entry, None, None)
                .is_some()
        })
        .map(|entry| format!("{entry} (in {})", file.display()))
}

/// What a [`walk_bounded`] visitor decides for one entry.
enum Step {
    /// Go on with the next entry (a directory is not entered).
    Skip,
    /// Enter this directory.
    Descend,
    /// Stop the walk with this answer.
    Found(String),
}

/// How a [`walk_bounded`] walk ended.
enum Walk {
    Found(String),
    /// More than the allowed number of entries: callers fail closed.
    Capped,
    Done,
}

/// Walks the tree under `root` depth-first, at most `max_depth` levels and
/// `max_entries` entries, calling `visit(path, relative path, file name,
/// is a directory)` on each entry. Symbolic links are not followed.
fn walk_bounded(
    root: &Path,
    max_depth: usize,
    max_entries: usize,
    mut visit: impl FnMut(&Path, &str, &str, bool) -> Step,
) -> Walk {
    let mut stack: Vec<(PathBuf, String, usize)> = vec![(root.to_path_buf(), String::new(), 0)];
    let mut seen = 0usize;
    while let Some((dir, rel_dir, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            seen += 1;
            if seen > max_entries {
                return Walk::Capped;
            }
            let name = e.file_name().to_string_lossy().into_owned();
            let rel = if rel_dir.is_empty() {
                name.clone()
            } else {
                format!("{rel_dir}/{name}")
            };
            let path = e.path();
            let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
            match visit(&path, &rel, &name, is_dir) {
                Step::Found(hit) => return Walk::Found(hit),
                Step::Descend if is_dir && depth < max_depth => {
                    stack.push((path, rel, depth + 1));
                }
                _ => {}
            }
        }
    }
    Walk::Done
}

/// Most files a command line names whose content is scanned.
const MAX_SHELL_READS: usize = 16;

/// Files a shell reader prints that are not protected by name: their
/// content is checked as a Read's would be (`cat notes.txt` holding a
/// token, a UTF-16 file), so the output is stopped before it runs rather
/// than only redacted afterwards. Copies are left out (nothing is shown),
/// and so are globs and recursive reads (judged by path).
fn shell_read_content(
    ctx: &Ctx,
    v: &mut Verdict,
    a: &shell::Analysis,
    base: Option<&Path>,
) -> Result<(), String> {
    if !ctx.policy.scan_read_content || ctx.policy.action(Control::Read) == Action::Allow {
        return Ok(());
    }
    let mut done = 0;
    for r in &a.reads {
        if r.glob
            || r.recursive
            || matches!(
                r.command.as_str(),
                "cp" | "mv" | "ln" | "install" | "scp" | "rsync" | "sh" | "bash" | "source" | "."
            )
        {
            continue;
        }
        let dir = resolve_dirs(base, &r.dirs);
        let p = match &dir {
            Some(d) if Path::new(&r.path).is_relative() => d.join(&r.path),
            _ => PathBuf::from(&r.path),
        };
        if !p.is_file() {
            continue;
        }
        done += 1;
        if done > MAX_SHELL_READS {
            break;
        }
        let before = v.issues.len();
        read(ctx, v, &p.to_string_lossy(), None, None, None)?;
        if v.issues.len() > before {
            return Ok(());
        }
    }
    Ok(())
}

/// The reads, environment dumps and credential printers of a git alias's
/// text (its commits are not followed: an alias may name itself).
fn alias_text(ctx: &Ctx, v: &mut Verdict, line: &str, base: Option<&Path>) {
    let a = shell::analyze(line);
    for r in a.reads.iter().take(256) {
        let dir = resolve_dirs(base, &r.dirs);
        if let Some(hit) = protected_word(ctx, &r.path, dir.as_deref(), r.glob) {
            v.push(
                Control::ProtectedPath,
                format!(
                    "the git alias runs `{}`, which would read the protected file {hit}.",
                    r.command
                ),
            );
        }
    }
    for d in a
        .env_dumps
        .iter()
        .chain(&a.credential_reads)
        .chain(&a.credential_sends)
    {
        v.push(
            Control::Shell,
            format!("the git alias runs `{d}`, which would print credentials."),
        );
    }
    for s in &a.hook_skips {
        v.push(
            Control::Commit,
            format!("the git alias uses `{s}`, which would skip the git hooks that scan commits for secrets."),
        );
    }
}

/// The git-ignored files and directories under `dir` (absolute), or
/// nothing outside a repository.
fn ignored_paths(dir: &Path) -> Vec<PathBuf> {
    let git = Git {
        dir: dir.to_path_buf(),
        git_dir: None,
        work_tree: None,
    };
    let Some(out) = git.run(&[
        "ls-files",
        "--others",
        "--ignored",
        "--exclude-standard",
        "--directory",
        "-z",
    ]) else {
        return Vec::new();
    };
    out.split(|&b| b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| dir.join(String::from_utf8_lossy(p).trim_end_matches('/')))
        .collect()
}

/// The build contexts a compose file in `dir` names (`file`, or the
/// default names): `build: PATH` and `context: PATH` lines, relative to
/// the file's directory.
fn compose_contexts(dir: &Path, file: &str) -> Vec<PathBuf> {
    let files: Vec<PathBuf> = if file.is_empty() {
        [
            "compose.yaml",
            "compose.yml",
            "docker-compose.yml",
            "docker-compose.yaml",
        ]
        .iter()
        .map(|f| dir.join(f))
        .collect()
    } else {
        vec![dir.join(file)]
    };
    let Some((path, bytes)) = files
        .into_iter()
        .find_map(|f| read_capped_to(&f, MAX_SCRIPT).map(|b| (f, b)))
    else {
        return Vec::new();
    };
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    String::from_utf8_lossy(&bytes)
        .lines()
        .filter_map(|line| {
            let t = line.trim_start();
            let v = t
                .strip_prefix("build:")
                .or_else(|| t.strip_prefix("context:"))?;
            let v = v.trim().trim_matches(['"', '\'']);
            (!v.is_empty() && !v.starts_with(['{', '#', '|', '>'])).then(|| base.join(v))
        })
        .collect()
}

/// Reads the scripts a command line runs and adds what their text does.
fn add_scripts(a: &mut shell::Analysis, base: Option<&Path>) {
    let mut done = 0;
    let mut k = 0;
    while k < a.scripts.len() {
        let s = a.scripts[k].clone();
        k += 1;
        done += 1;
        if done > 16 {
            a.capped = true;
            return;
        }
        let dir = resolve_dirs(base, &s.dirs);
        let p = match &dir {
            Some(d) if Path::new(&s.path).is_relative() => d.join(&s.path),
            _ => PathBuf::from(&s.path),
        };
        let Some(bytes) = read_capped_to(&p, MAX_SCRIPT) else {
            continue;
        };
        if keepmum::is_binary(&bytes) {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        let mut inner = shell::Analysis::default();
        if s.command == shell::NAME_LIST {
            // `while read f; do cat "$f"; done < list`: the list's lines
            // are the names the loop reads.
            shell::name_list_reads(&text, &mut inner);
        } else if shell::is_file_transfer(&s.command) {
            // `sftp -b FILE`: a batch of transfer commands, not a script.
            shell::transfer_batch_reads(&text, &s.command, &mut inner);
        } else {
            shell::analyze_script(&text, 1, &mut inner);
        }
        for r in inner
            .reads
            .iter_mut()
            .chain(inner.writes.iter_mut())
            .chain(inner.scripts.iter_mut())
        {
            r.dirs.splice(0..0, s.dirs.iter().cloned());
        }
        for c in &mut inner.commits {
            c.dirs.splice(0..0, s.dirs.iter().cloned());
        }
        shell::merge_into(a, inner);
    }
}

/// For a recursive reader: the first protected file inside the directory
/// `word` names (walk capped at [`MAX_WALK_ENTRIES`]; reaching the cap is
/// reported as a hit, to fail closed).
fn protected_inside(
    ctx: &Ctx,
    word: &str,
    dir: Option<&Path>,
    skip_hidden: bool,
    name_glob: Option<&str>,
) -> Option<String> {
    let p = match dir {
        Some(d) if Path::new(word).is_relative() => d.join(word),
        _ => PathBuf::from(word),
    };
    if !p.is_dir() {
        return None;
    }
    let root = ctx.root.as_deref().or(ctx.cwd.as_deref());
    // rg and ag skip hidden and git-ignored files unless told otherwise.
    let ignored: Vec<PathBuf> = if skip_hidden {
        ignored_paths(&p)
    } else {
        Vec::new()
    };
    let walk = walk_bounded(&p, usize::MAX, MAX_WALK_ENTRIES, |path, _, name, is_dir| {
        if skip_hidden && name.starts_with('.') {
            return Step::Skip;
        }
        if ignored.iter().any(|i| path.starts_with(i)) {
            return Step::Skip;
        }
        let s = path.to_string_lossy();
        let picked = name_glob.is_none_or(|g| {
            if g.contains('/') {
                shell::find_glob_matches(g, &s)
            } else {
                shell::find_glob_matches(g, name)
            }
        });
        if picked
            && ctx
                .policy
                .protected
                .protected_form_in(&s, None, root)
                .is_some()
        {
            return Step::Found(s.into_owned());
        }
        if is_dir && name != ".git" && name != "node_modules" && name != "target" {
            Step::Descend
        } else {
            Step::Skip
        }
    });
    match walk {
        Walk::Found(hit) => Some(hit),
        Walk::Capped => Some(format!(
            "(more than {MAX_WALK_ENTRIES} files to check; search a narrower path)"
        )),
        Walk::Done => None,
    }
}

fn resolve_dirs(base: Option<&Path>, dirs: &[String]) -> Option<PathBuf> {
    let mut cur = base.map(Path::to_path_buf);
    for d in dirs {
        let p = Path::new(d);
        cur = Some(match cur {
            Some(c) if p.is_relative() => c.join(p),
            _ => p.to_path_buf(),
        });
    }
    cur
}

/// Whether a shell word names a protected file; returns the matching path
/// for the message. Globs are checked as patterns and expanded against the
/// directory they name.
fn protected_word(ctx: &Ctx, word: &str, dir: Option<&Path>, glob: bool) -> Option<String> {
    let prot = &ctx.policy.protected;
    if !glob || !word.contains(['*', '?', '[']) {
        return ctx.protected(word, dir);
    }
    if prot.glob_only_protected(word) {
        return Some(word.to_string());
    }
    for path in expand_glob(word, dir) {
        if let Some(hit) = ctx.protected(&path, dir) {
            return Some(hit);
        }
    }
    None
}

/// Expands the last component of a glob word against its directory, with
/// the shell's rule that `*` does not match a leading dot.
fn expand_glob(word: &str, dir: Option<&Path>) -> Vec<String> {
    let (parent, pat) = match word.rfind('/') {
        Some(i) => (&word[..i + 1], &word[i + 1..]),
        None => ("", word),
    };
    if pat.is_empty() {
        return Vec::new();
    }
    if parent.contains(['*', '?', '[']) {
        // `cat */prod.yaml`, `cat ~/.ss?/id_rsa`: expand the directory
        // part first (bounded), then the last component in each.
        let mut out = Vec::new();
        for d in expand_glob(parent.trim_end_matches('/'), dir)
            .into_iter()
            .take(256)
        {
            out.extend(expand_glob(&format!("{d}/{pat}"), dir));
            if out.len() >= MAX_GLOB_ENTRIES {
                break;
            }
        }
        return out;
    }
    let pdir = match dir {
        Some(d) => d.join(if parent.is_empty() { "." } else { parent }),
        None => PathBuf::from(if parent.is_empty() { "." } else { parent }),
    };
    let Ok(rd) = std::fs::read_dir(&pdir) else {
        return Vec::new();
    };
    let probe = crate::paths::Protected::new([pat]);
    let mut out = Vec::new();
    for e in rd.take(MAX_GLOB_ENTRIES).flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') && !pat.starts_with('.') {
            continue;
        }
        if probe.is_protected(&name, None) {
            out.push(format!("{parent}{name}"));
        }
    }
    out
}

/// A git command that can record or publish commits. Scans, in the
/// repository git would really use (`-C`, `cd`, `--git-dir`,
/// `--work-tree`, `GIT_DIR`, `GIT_WORK_TREE`):
/// - the index;
/// - with `-a`, pathspecs or an `add` on the same line, the working-tree
///   changes of tracked files; with an `add`, also untracked files that are
///   not ignored;
/// - for `git push`, the added lines of every commit not yet on a remote.
fn commit(
    ctx: &Ctx,
    v: &mut Verdict,
    c: &shell::Commit,
    base: Option<&Path>,
    stages: bool,
    added: &[shell::FileRef],
) -> Result<(), String> {
    let resolve = |d: &str| resolve_dirs(base, &[c.dirs.clone(), vec![d.to_string()]].concat());
    let dir = match c.work_tree.as_deref().or(c.env_work_tree.as_deref()) {
        Some(w) => resolve(w),
        None => resolve_dirs(base, &c.dirs),
    };
    let dir = match dir {
        Some(d) => d,
        None => std::env::current_dir()
            .map_err(|e| format!("cannot find the current directory: {e}"))?,
    };
    let git_dir = c
        .git_dir
        .as_deref()
        .or(c.env_git_dir.as_deref())
        .and_then(&resolve);
    let git = Git {
        dir: dir.clone(),
        git_dir,
        work_tree: c
            .work_tree
            .as_deref()
            .or(c.env_work_tree.as_deref())
            .and_then(&resolve),
    };
    // Not a repository (or no git): the command itself will fail.
    let Some(top) = git.top() else {
        return Ok(());
    };
    let mut push = c.push;
    let mut everything = stages || c.all || !c.paths.is_empty();
    if let Some(alias) = &c.alias {
        let Some(value) = git.run(&["config", "--get", &format!("alias.{alias}")]) else {
            // No such alias: git refuses the command.
            return Ok(());
        };
        let value = String::from_utf8_lossy(&value).trim().to_string();
        // What the alias runs is checked like the command line itself:
        // `alias.x = !cat .env`, `alias.y = show HEAD:.env`.
        let line = match value.strip_prefix('!') {
            Some(script) => script.to_string(),
            None => format!("git {value}"),
        };
        alias_text(ctx, v, &line, base);
        let commits = [
            "commit",
            "merge",
            "pull",
            "cherry-pick",
            "revert",
            "am",
            "rebase",
        ]
        .iter()
        .any(|w| value.contains(w));
        push |= value.contains("push");
        if !(commits || push || value.starts_with('!')) {
            return Ok(());
        }
        everything = true;
    }
    let scanner = ctx.scanner()?;
    let mut findings: Vec<DiffFinding> = Vec::new();
    if push {
        // Every local ref (tags and the stash too: a refspec can push any
        // of them) and each source named on the line that resolves.
        let mut range: Vec<&str> = vec!["HEAD", "--all"];
        for r in &c.revs {
            let ok = git
                .run(&["rev-parse", "--verify", "-q", &format!("{r}^{{commit}}")])
                .is_some();
            if ok && !r.starts_with('-') {
                range.push(r);
            }
        }
        range.extend(["--not", "--remotes"]);
        scan_commits(&git, scanner, &range, &mut findings)?;
    }
    if !push || c.alias.is_some() {
        scan_staged(&git, scanner, &mut findings)?;
        if everything {
            let wt = git
                .run_capped(&["diff", "-U0", "--no-color", "--no-ext-diff", "--text"])
                .map_err(|e| format!("cannot read the working-tree changes: {e}"))?;
            scan_diff(scanner, &wt, &mut findings);
        }
        if stages {
            let list = git
                .run(&[
                    "ls-files",
                    "--others",
                    "--exclude-standard",
                    "--full-name",
                    "-z",
                    ":/",
                ])
                .unwrap_or_default();
            let names: Vec<&[u8]> = list.split(|&b| b == 0).filter(|p| !p.is_empty()).collect();
            if names.len() > MAX_UNTRACKED {
                return Err(format!(
                    "more than {MAX_UNTRACKED} untracked files could be committed; too many to check"
                ));
            }
            for raw in names {
                let rel = PathBuf::from(String::from_utf8_lossy(raw).into_owned());
                if scanner.is_path_allowlisted(&rel) {
                    continue;
                }
                scan_whole_file(scanner, &top.join(&rel), &rel, &mut findings);
            }
        }
    }
    if stages {
        // Files named by `git add` (ignored ones too, with `-f`).
        for a in added {
            let dir = resolve_dirs(base, &a.dirs);
            let p = match &dir {
                Some(d) if Path::new(&a.path).is_relative() => d.join(&a.path),
                _ => PathBuf::from(&a.path),
            };
            if !p.is_file() {
                continue;
            }
            let rel = p
                .strip_prefix(&top)
                .map(Path::to_path_buf)
                .unwrap_or(p.clone());
            scan_whole_file(scanner, &p, &rel, &mut findings);
        }
    }
    if !push || c.alias.is_some() {
        gate_config_commit(ctx, v, &git, everything || stages)?;
    }
    if findings.is_empty() {
        return Ok(());
    }
    let list = finding_list(&findings);
    let what = if push {
        "git push would publish"
    } else {
        "this git command would commit"
    };
    let all: Vec<Finding> = findings.into_iter().map(|d| d.finding).collect();
    v.push(
        Control::Commit,
        format!(
            "{what} {}: {list}. Remove the values from the files (load them from environment variables or a secret manager), re-stage, and try again.",
            kinds(&all)
        ),
    );
    Ok(())
}

/// Denies a commit that would record a change to the gate's own
/// configuration (`.keepmum.toml`, `.keepmumignore`, hook settings): the
/// committed policy is trusted, so an agent committing one would loosen
/// the gate for every later event.
fn gate_config_commit(ctx: &Ctx, v: &mut Verdict, git: &Git, worktree: bool) -> Result<(), String> {
    let mut names: Vec<u8> = git
        .run(&["diff", "--cached", "--name-only", "-z"])
        .unwrap_or_default();
    if worktree {
        names.push(0);
        names.extend(git.run(&["diff", "--name-only", "-z"]).unwrap_or_default());
        names.push(0);
        names.extend(
            git.run(&[
                "ls-files",
                "--others",
                "--exclude-standard",
                "--full-name",
                "-z",
                ":/",
            ])
            .unwrap_or_default(),
        );
    }
    let top = git.top();
    for raw in names.split(|&b| b == 0).filter(|p| !p.is_empty()) {
        let rel = String::from_utf8_lossy(raw);
        let abs = match &top {
            Some(t) => t.join(rel.as_ref()).to_string_lossy().into_owned(),
            None => rel.to_string(),
        };
        if let Some(hit) = gate_config(ctx, &abs, None) {
            v.push(
                Control::Commit,
                format!("this git command would commit a change to {hit}, which configures the keepmum gate or the agent's hooks; the committed version is trusted, so only the user may commit it."),
            );
            return Ok(());
        }
    }
    Ok(())
}

fn scanner_cap() -> u64 {
    keepmum::DEFAULT_MAX_FILE_SIZE
}

/// Scans file bytes at `path`, decoding UTF-16 and stray NULs; real binary
/// data is skipped.
fn scan_file_text(scanner: &Scanner, bytes: &[u8], path: &Path, out: &mut Vec<Finding>) {
    if keepmum::is_binary(bytes) {
        if let Some(d) = keepmum::textdecode::decode_text(bytes) {
            out.extend(scanner.scan_bytes_at(&d, path));
        }
        return;
    }
    out.extend(scanner.scan_bytes_at(bytes, path));
}

/// Scans a whole file a commit could record (untracked, or named by
/// `git add`): its first bytes up to the scanner's size cap; findings are
/// reported at `rel`. An unreadable file is left out.
fn scan_whole_file(scanner: &Scanner, file: &Path, rel: &Path, out: &mut Vec<DiffFinding>) {
    let Some(bytes) = read_capped_to(file, scanner_cap()) else {
        return;
    };
    let mut found = Vec::new();
    scan_file_text(scanner, &bytes, rel, &mut found);
    out.extend(found.into_iter().map(|f| {
        let line = f.line();
        DiffFinding {
            finding: f,
            path: rel.to_path_buf(),
            line,
        }
    }));
}

/// Scans what the index adds (`git diff --cached`): what a commit records.
fn scan_staged(git: &Git, scanner: &Scanner, out: &mut Vec<DiffFinding>) -> Result<(), String> {
    let staged = git
        .run_capped(&[
            "diff",
            "--cached",
            "-U0",
            "--no-color",
            "--no-ext-diff",
            "--text",
        ])
        .map_err(|e| format!("cannot scan the staged files: {e}"))?;
    scan_diff(scanner, &staged, out);
    Ok(())
}

/// Scans what the commits of a `git log` revision range add (`git log -p`):
/// what a push sends.
fn scan_commits(
    git: &Git,
    scanner: &Scanner,
    range: &[&str],
    out: &mut Vec<DiffFinding>,
) -> Result<(), String> {
    let mut args = vec![
        "log",
        "-p",
        "-U0",
        "--no-color",
        "--no-ext-diff",
        "--text",
        "--format=",
    ];
    args.extend_from_slice(range);
    let log = git
        .run_capped(&args)
        .map_err(|e| format!("cannot list the commits to push: {e}"))?;
    scan_diff(scanner, &log, out);
    Ok(())
}

/// Scans the added lines of a unified diff (`git diff`/`git log -p`), per
/// file. Inside a hunk every `+` line is content, even one starting `++`.
/// Findings are reported as `path:line` of the new file.
fn scan_diff(scanner: &Scanner, diff: &[u8], out: &mut Vec<DiffFinding>) {
    let mut path = PathBuf::new();
    let mut added: Vec<u8> = Vec::new();
    let mut lines: Vec<usize> = Vec::new();
    let mut next_line = 0usize;
    let mut in_hunk = false;
    let flush =
        |path: &Path, added: &mut Vec<u8>, lines: &mut Vec<usize>, out: &mut Vec<DiffFinding>| {
            if !added.is_empty() && !scanner.is_path_allowlisted(path) {
                let mut found = Vec::new();
                scan_file_text(scanner, added, path, &mut found);
                for f in found {
                    let line = lines.get(f.line().saturating_sub(1)).copied().unwrap_or(0);
                    out.push(DiffFinding {
                        finding: f,
                        path: path.to_path_buf(),
                        line,
                    });
                }
            }
            added.clear();
            lines.clear();
        };
    for line in diff.split(|&b| b == b'\n') {
        if line.starts_with(b"diff --git ") {
            flush(&path, &mut added, &mut lines, out);
            in_hunk = false;
            let text = String::from_utf8_lossy(line);
            if let Some(i) = text.rfind(" b/") {
                path = PathBuf::from(&text[i + 3..]);
            }
            continue;
        }
        if line.starts_with(b"@@") {
            in_hunk = true;
            // `@@ -a,b +c,d @@`: the new side starts at line c.
            let text = String::from_utf8_lossy(line);
            next_line = text
                .split_whitespace()
                .find_map(|w| w.strip_prefix('+'))
                .and_then(|w| w.split(',').next())
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            continue;
        }
        if !in_hunk {
            if let Some(p) = line.strip_prefix(b"+++ b/") {
                path = PathBuf::from(String::from_utf8_lossy(p).into_owned());
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix(b"+") {
            added.extend_from_slice(rest);
            added.push(b'\n');
            lines.push(next_line);
            next_line += 1;
        } else if !line.starts_with(b"-") && !line.starts_with(b"\\") {
            next_line += 1;
        }
    }
    flush(&path, &mut added, &mut lines, out);
}

/// The git `pre-commit` / `pre-push` hook installed by `install`: the same
/// scan as the PreToolUse commit check, for what a shell parser cannot see
/// (scripts, interpreters, aliases). `pre-push` reads git's
/// `<local ref> <local sha> <remote ref> <remote sha>` lines from `stdin`.
/// Returns the message when something must be stopped.
pub(crate) fn git_hook(
    ctx: &Ctx,
    kind: &str,
    stdin: &[u8],
    dir: &Path,
) -> Result<Option<String>, String> {
    let git = Git {
        dir: dir.to_path_buf(),
        git_dir: None,
        work_tree: None,
    };
    let scanner = ctx.scanner()?;
    let mut findings: Vec<DiffFinding> = Vec::new();
    match kind {
        "pre-commit" => {
            scan_staged(&git, scanner, &mut findings)?;
        }
        "pre-push" => {
            let text = String::from_utf8_lossy(stdin);
            for line in text.lines() {
                let f: Vec<&str> = line.split_whitespace().collect();
                let [_, local, _, remote] = f[..] else {
                    continue;
                };
                if local.bytes().all(|b| b == b'0') {
                    continue; // a deletion pushes no content
                }
                let range = if remote.bytes().all(|b| b == b'0') {
                    vec![
                        local.to_string(),
                        "--not".to_string(),
                        "--remotes".to_string(),
                    ]
                } else {
                    vec![format!("{remote}..{local}")]
                };
                let range: Vec<&str> = range.iter().map(String::as_str).collect();
                scan_commits(&git, scanner, &range, &mut findings)?;
            }
        }
        other => {
            return Err(format!(
                "unknown git hook `{other}` (expected pre-commit or pre-push)"
            ))
        }
    }
    if findings.is_empty() {
        return Ok(None);
    }
    Ok(Some(format!(
        "keepmum: {kind} stopped: {}. Remove the values and try again.",
        finding_list(&findings)
    )))
}

/// `path:line rule (redacted)` for each finding, sorted, without repeats,
/// capped as every list in a reply is.
fn finding_list(findings: &[DiffFinding]) -> String {
    let mut items: Vec<String> = findings
        .iter()
        .map(|d| {
            let p = d.path.to_string_lossy().replace('\\', "/");
            format!(
                "{p}:{} {} ({})",
                d.line,
                d.finding.rule_id(),
                d.finding.redacted()
            )
        })
        .collect();
    items.sort();
    items.dedup();
    join_capped(items)
}

/// A finding in a diff or an untracked file, with its file and line.
struct DiffFinding {
    finding: Finding,
    path: PathBuf,
    line: usize,
}

/// A git invocation context: the directory and any `--git-dir`/`--work-tree`.
struct Git {
    dir: PathBuf,
    git_dir: Option<PathBuf>,
    work_tree: Option<PathBuf>,
}

impl Git {
    fn command(&self, args: &[&str]) -> std::process::Command {
        let mut c = std::process::Command::new("git");
        c.current_dir(&self.dir);
        c.env_remove("GIT_DIR").env_remove("GIT_WORK_TREE");
        if let Some(g) = &self.git_dir {
            c.arg("--git-dir").arg(g);
        }
        if let Some(w) = &self.work_tree {
            c.arg("--work-tree").arg(w);
        }
        c.args(["-c", "core.quotepath=off"]);
        c.args(args);
        c.stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        c
    }

    /// stdout of a successful run, else `None`.
    fn run(&self, args: &[&str]) -> Option<Vec<u8>> {
        if !self.dir.is_dir() {
            return None;
        }
        let out = self.command(args).output().ok()?;
        out.status.success().then_some(out.stdout)
    }

    /// stdout, failing when it exceeds [`MAX_DIFF`] (fail closed).
    fn run_capped(&self, args: &[&str]) -> Result<Vec<u8>, String> {
        let mut child = self
            .command(args)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run git: {e}"))?;
        let mut buf = Vec::new();
        if let Some(out) = child.stdout.take() {
            out.take(MAX_DIFF as u64 + 1)
                .read_to_end(&mut buf)
                .map_err(|e| e.to_string())?;
        }
        if buf.len() > MAX_DIFF {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "more than {} MiB of changes to check",
                MAX_DIFF >> 20
            ));
        }
        let status = child.wait().map_err(|e| e.to_string())?;
        if !status.success() {
            return Err(format!(
                "git {} failed",
                args.first().copied().unwrap_or("")
            ));
        }
        Ok(buf)
    }

    /// The top of the work tree (or the git dir for a bare repository).
    fn top(&self) -> Option<PathBuf> {
        if let Some(w) = &self.work_tree {
            return Some(w.clone());
        }
        let out = self.run(&["rev-parse", "--show-toplevel"]);
        match out {
            Some(o) if !o.trim_ascii().is_empty() => Some(PathBuf::from(
                String::from_utf8_lossy(o.trim_ascii()).into_owned(),
            )),
            _ => {
                // A bare repository or a git dir without work tree.
                let gd = self.run(&["rev-parse", "--git-dir"])?;
                (!gd.trim_ascii().is_empty()).then(|| self.dir.clone())
            }
        }
    }
}

/// A file about to be read: protected path, then (when allowed) its content.
/// `content` is given by hosts that send it (Cursor); otherwise the file is
/// read here, honouring the line window `offset`/`limit`.
pub(crate) fn read(
    ctx: &Ctx,
    v: &mut Verdict,
    path: &str,
    content: Option<&str>,
    offset: Option<u64>,
    limit: Option<u64>,
) -> Result<(), String> {
    if path.is_empty() {
        return Ok(());
    }
    if let Some(hit) = ctx.protected(path, None) {
        v.push(
            Control::ProtectedPath,
            format!(
                "{hit} is a protected file (it holds credentials) and must not be read into the conversation. Ask the user for the specific non-secret value you need, or read an example file such as .env.example."
            ),
        );
        return Ok(());
    }
    if !ctx.policy.scan_read_content || ctx.policy.action(Control::Read) == Action::Allow {
        return Ok(());
    }
    let (findings, first_line) = match content {
        Some(c) => (ctx.scan(c.as_bytes())?, 1),
        None => {
            let full = ctx.resolve(path);
            let Some(bytes) = read_capped(&full) else {
                // Missing or unreadable: the host's Read will fail on its own.
                return Ok(());
            };
            let bytes = if keepmum::is_binary(&bytes) {
                // UTF-16 or a stray NUL is text; real binary is not scanned.
                match keepmum::textdecode::decode_text(&bytes) {
                    Some(d) => d,
                    None => return Ok(()),
                }
            } else {
                bytes
            };
            let (start, end, first_line) = line_window(&bytes, offset, limit);
            (ctx.scan(&bytes[start..end])?, first_line)
        }
    };
    if !findings.is_empty() {
        let mut items: Vec<String> = Vec::new();
        for f in &findings {
            let item = format!(
                "line {} {} ({})",
                f.line() + first_line - 1,
                f.rule_id(),
                f.redacted()
            );
            if !items.contains(&item) {
                items.push(item);
            }
        }
        let list = join_capped(items);
        v.push(
            Control::Read,
            format!(
                "{} contains {}: {list}. Reading it would put the value into the conversation; ask the user for what you need, or read only the lines without it.",
                fold(&ctx.resolve(path)).display(),
                kinds(&findings)
            ),
        );
    }
    Ok(())
}

fn read_capped(path: &Path) -> Option<Vec<u8>> {
    read_capped_to(path, MAX_READ)
}

fn read_capped_to(path: &Path, cap: u64) -> Option<Vec<u8>> {
    let f = std::fs::File::open(path).ok()?;
    if !f.metadata().ok()?.is_file() {
        return None;
    }
    let mut buf = Vec::new();
    f.take(cap).read_to_end(&mut buf).ok()?;
    Some(buf)
}

/// The byte range of lines `offset..offset+limit` (1-based `offset`; 0 and
/// absent mean the first line) and the number of its first line.
pub(crate) fn line_window(
    bytes: &[u8],
    offset: Option<u64>,
    limit: Option<u64>,
) -> (usize, usize, usize) {
    let first = offset.unwrap_or(1).max(1);
    let mut line = 1u64;
    let mut start = 0usize;
    if first > 1 {
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' {
                line += 1;
                if line == first {
                    start = i + 1;
                    break;
                }
            }
        }
        if line < first {
            start = bytes.len();
        }
    }
    let end = match limit {
        Some(n) if n > 0 => {
            let mut seen = 0u64;
            let mut end = bytes.len();
            for (i, &b) in bytes[start..].iter().enumerate() {
                if b == b'\n' {
                    seen += 1;
                    if seen == n {
                        end = start + i + 1;
                        break;
                    }
                }
            }
            end
        }
        _ => bytes.len(),
    };
    (start, end, usize::try_from(first).unwrap_or(usize::MAX))
}

/// Grep/Glob: denied only when the searched path is protected or the file
/// glob can reach nothing but protected files. Anything wider runs; its
/// output is redacted afterwards (PostToolUse).
pub(crate) fn search(ctx: &Ctx, v: &mut Verdict, path: Option<&str>, globs: &[&str]) {
    let prot = &ctx.policy.protected;
    if let Some(p) = path {
        if let Some(hit) = ctx.protected(p, None) {
            v.push(
                Control::ProtectedPath,
                format!("{hit} is protected (it holds credentials); do not search it."),
            );
            return;
        }
    }
    for g in globs {
        if prot.glob_only_protected(g) {
            v.push(
                Control::ProtectedPath,
                format!(
                    "the pattern {g} can only match protected files (credentials); do not search them."
                ),
            );
            return;
        }
    }
}

/// New text an edit would write into `file`.
pub(crate) fn new_text(
    ctx: &Ctx,
    v: &mut Verdict,
    file: &str,
    texts: &[&str],
) -> Result<(), String> {
    let mut findings = Vec::new();
    for t in texts {
        findings.extend(ctx.scan(t.as_bytes())?);
    }
    if findings.is_empty() {
        return added_allow_markers(ctx, v, file, texts);
    }
    let target = if file.is_empty() {
        String::new()
    } else {
        format!(" for {file}")
    };
    let fix = if findings
        .iter()
        .any(|f| f.category() == keepmum::Category::Secret)
    {
        "Do not write credentials into files: read the value from an environment variable (e.g. os.environ[\"API_KEY\"], process.env.API_KEY, std::env::var(\"API_KEY\")) or a secret manager instead."
    } else {
        "Do not write personal data into files: use obviously fake sample values (e.g. user@example.com) or load real data at run time."
    };
    v.push(
        Control::Write,
        format!(
            "the new content{target} contains {}: {}. {fix}",
            kinds(&findings),
            list(&findings, true)
        ),
    );
    Ok(())
}

/// An Edit or MultiEdit applied to the file as it is on disk: a secret
/// that only exists once the pieces are joined (half a token already in
/// the file, the rest in `new_string`, or split over several edits) is
/// found in the result. Only findings whose text is not already in the
/// file count. A missing or unreadable file is left to [`new_text`].
pub(crate) fn edited_file(
    ctx: &Ctx,
    v: &mut Verdict,
    file: &str,
    edits: &[(String, String, bool)],
) -> Result<(), String> {
    if file.is_empty() || edits.is_empty() {
        return Ok(());
    }
    let original = match read_capped_to(&ctx.resolve(file), scanner_cap()) {
        Some(b) => String::from_utf8_lossy(&b).into_owned(),
        None if edits.len() > 1 => String::new(),
        None => return Ok(()),
    };
    let mut text = original.clone();
    for (old, new, all) in edits {
        if old.is_empty() {
            text.push_str(new);
        } else if *all {
            text = text.replace(old.as_str(), new);
        } else if let Some(i) = text.find(old.as_str()) {
            text.replace_range(i..i + old.len(), new);
        } else {
            // The host refuses an edit whose old text is missing; join the
            // new text on so split pieces are still seen together.
            text.push('\n');
            text.push_str(new);
        }
        if text.len() > MAX_READ as usize {
            return Err("the edited file would be too large to check".to_string());
        }
    }
    let found: Vec<Finding> = ctx
        .scan(text.as_bytes())?
        .into_iter()
        .filter(|f| {
            let span = f.span();
            text.get(span.start..span.end)
                .is_some_and(|t| !original.contains(t))
        })
        .collect();
    if found.is_empty() {
        return Ok(());
    }
    v.push(
        Control::Write,
        format!(
            "after this edit {file} would contain {}: {}. The pieces of the edit join into a credential; read the value from an environment variable or a secret manager instead.",
            kinds(&found),
            list(&found, true)
        ),
    );
    Ok(())
}

/// The `+` lines of a patch (Codex `apply_patch`, unified diffs).
pub(crate) fn patch(
    ctx: &Ctx,
    v: &mut Verdict,
    text: &str,
    transcript: Option<&str>,
) -> Result<(), String> {
    let mut added = String::with_capacity(text.len() / 2);
    // Codex patches have no `+++` headers: every `+` line is content. In a
    // unified diff only a `+++ ` right after a `--- ` line is a header.
    let codex = text.trim_start().starts_with("*** Begin Patch");
    let mut prev_minus_header = false;
    for line in text.lines() {
        let header = !codex && prev_minus_header && line.starts_with("+++ ");
        prev_minus_header = !codex && line.starts_with("--- ");
        if header {
            continue;
        }
        if let Some(rest) = line.strip_prefix('+') {
            added.push_str(rest);
            added.push('\n');
        }
    }
    let files: Vec<&str> = text
        .lines()
        .filter_map(|l| {
            l.strip_prefix("*** Add File: ")
                .or_else(|| l.strip_prefix("*** Update File: "))
                .or_else(|| l.strip_prefix("*** Delete File: "))
                .or_else(|| l.strip_prefix("*** Move to: "))
                .or_else(|| l.strip_prefix("+++ b/"))
        })
        .collect();
    for f in &files {
        write_target(ctx, v, f.trim(), None, "this patch");
        if l_is_update(text, f) {
            if let Some(hit) = ctx.protected(f.trim(), None) {
                v.push(
                    Control::ProtectedPath,
                    format!("this patch edits the protected file {hit}; its content must not enter the conversation."),
                );
            }
        }
    }
    new_text(ctx, v, &files.join(", "), &[&added])?;
    if v.issues.is_empty() && files.len() == 1 {
        seams(ctx, v, files[0].trim(), &[&added], transcript)?;
    }
    Ok(())
}

/// Whether `file` is named by an `*** Update File:` or `+++ b/` line of
/// `patch` (an edit of an existing file, whose hunks quote its content).
fn l_is_update(patch: &str, file: &str) -> bool {
    patch.lines().any(|l| {
        l.strip_prefix("*** Update File: ")
            .or_else(|| l.strip_prefix("+++ b/"))
            .is_some_and(|f| f == file)
    })
}

/// Every string of a JSON value, object keys included, joined by
/// newlines.
fn strings(value: &Value, out: &mut String, depth: usize) {
    if depth > 256 {
        return;
    }
    match value {
        Value::String(s) => {
            out.push_str(s);
            out.push('\n');
        }
        Value::Array(a) => a.iter().for_each(|x| strings(x, out, depth + 1)),
        Value::Object(o) => {
            for (k, x) in o {
                out.push_str(k);
                out.push('\n');
                strings(x, out, depth + 1);
            }
        }
        Value::Number(n) => {
            out.push_str(&n.to_string());
            out.push('\n');
        }
        _ => {}
    }
}

/// All string values of a tool's arguments (MCP and other tools).
pub(crate) fn values(
    ctx: &Ctx,
    v: &mut Verdict,
    control: Control,
    tool: &str,
    value: &Value,
) -> Result<(), String> {
    let mut text = String::new();
    strings(value, &mut text, 0);
    let f = ctx.scan(text.as_bytes())?;
    if !f.is_empty() {
        v.push(
            control,
            format!(
                "the arguments of {tool} contain {}: {}. Do not pass credentials or personal data to tools; let the tool read them from its own configuration or environment.",
                kinds(&f),
                list(&f, false)
            ),
        );
    }
    Ok(())
}

/// Redacts the secrets (and, unless the policy says otherwise, personal
/// data) in every string and key of a JSON value, keeping its structure.
/// Returns the
/// redacted value and the rule ids found, or `None` when nothing was found.
pub(crate) fn redact(ctx: &Ctx, value: &Value) -> Result<Option<(Value, Vec<String>)>, String> {
    let scanner = ctx.scanner()?;
    let mut rules = BTreeSet::new();
    let pii = ctx.policy.redact_pii_in_output;
    let out = redact_rec(scanner, value, &mut rules, 0, pii);
    if rules.is_empty() {
        Ok(None)
    } else {
        Ok(Some((out, rules.into_iter().collect())))
    }
}

fn redact_rec(
    scanner: &Scanner,
    value: &Value,
    rules: &mut BTreeSet<String>,
    depth: usize,
    pii: bool,
) -> Value {
    if depth > 256 {
        // Deeper than we look: withhold rather than pass unscanned.
        rules.insert("nesting-limit".to_string());
        return Value::String("[REDACTED:too deeply nested to check]".to_string());
    }
    match value {
        Value::String(s) => Value::String(redact_text(scanner, s, rules, pii)),
        Value::Array(a) => Value::Array(
            a.iter()
                .map(|x| redact_rec(scanner, x, rules, depth + 1, pii))
                .collect(),
        ),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, x)| {
                    (
                        redact_text(scanner, k, rules, pii),
                        redact_rec(scanner, x, rules, depth + 1, pii),
                    )
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// One string with its secrets (and, with `pii`, personal data) replaced.
fn redact_text(scanner: &Scanner, s: &str, rules: &mut BTreeSet<String>, pii: bool) -> String {
    let keep = |f: &Finding| pii || f.category() == keepmum::Category::Secret;
    let mut findings: Vec<Finding> = scanner
        .scan_bytes(s.as_bytes())
        .into_iter()
        .filter(keep)
        .collect();
    if findings.is_empty() {
        // NUL-interleaved or disguised text: redact the whole string if its
        // hidden form holds a secret (spans would not line up).
        // Long token runs written backwards too, and a value kept in
        // separate variables joined by an operator.
        let forms = [
            hidden_form(s.as_bytes()),
            keepmum::textdecode::reversed_runs(s.as_bytes()),
            keepmum::textdecode::joined_variables(s).map(String::into_bytes),
        ];
        for d in forms.iter().flatten() {
            let hidden: Vec<Finding> = scanner.scan_bytes(d).into_iter().filter(keep).collect();
            if let Some(f) = hidden.first() {
                for f in &hidden {
                    rules.insert(f.rule_id().to_string());
                }
                return format!("[REDACTED:{}]", f.rule_id());
            }
        }
    }
    if findings.is_empty() {
        return s.to_string();
    }
    findings.sort_by_key(|f| f.span().start);
    for f in &findings {
        rules.insert(f.rule_id().to_string());
    }
    redact_str(s, &findings)
}

/// Redacts the lines of search output (`path:line:text` or `path:text`)
/// that come from protected files.
pub(crate) fn redact_protected_lines(ctx: &Ctx, text: &str) -> Option<String> {
    let mut changed = false;
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let file = line.split(':').next().unwrap_or("");
        let is_prot = !file.is_empty()
            && file.len() < 4096
            && line.contains(':')
            && ctx.protected(file.trim(), None).is_some();
        if is_prot {
            changed = true;
            out.push_str(file);
            out.push_str(":[REDACTED:protected file]");
            if line.ends_with('\n') {
                out.push('\n');
            }
        } else {
            out.push_str(line);
        }
    }
    changed.then_some(out)
}

/// Replaces each finding's secret span with `[REDACTED:rule-id]`, widening
/// spans to character boundaries and merging overlaps.
pub(crate) fn redact_str(s: &str, findings: &[Finding]) -> String {
    let mut spans: Vec<(usize, usize, &str)> = findings
        .iter()
        .map(|f| {
            let r = f.span();
            let mut a = r.start.min(s.len());
            let mut b = r.end.min(s.len()).max(a);
            while a > 0 && !s.is_char_boundary(a) {
                a -= 1;
            }
            while b < s.len() && !s.is_char_boundary(b) {
                b += 1;
            }
            (a, b, f.rule_id())
        })
        .collect();
    spans.sort_by_key(|x| (x.0, std::cmp::Reverse(x.1)));
    let mut out = String::with_capacity(s.len());
    let mut pos = 0;
    for (a, b, rule) in spans {
        if b <= pos {
            continue;
        }
        let a = a.max(pos);
        out.push_str(&s[pos..a]);
        out.push_str("[REDACTED:");
        out.push_str(rule);
        out.push(']');
        pos = b;
    }
    out.push_str(&s[pos..]);
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn line_windows() {
        let b = b"one\ntwo\nthree\nfour\n";
        assert_eq!(line_window(b, None, None), (0, b.len(), 1));
        assert_eq!(line_window(b, Some(0), None), (0, b.len(), 1));
        let (s, e, first) = line_window(b, Some(2), Some(2));
        assert_eq!(&b[s..e], b"two\nthree\n");
        assert_eq!(first, 2);
        let (s, e, _) = line_window(b, Some(9), Some(2));
        assert_eq!(s, e);
        let (s, e, _) = line_window(b, Some(4), Some(10));
        assert_eq!(&b[s..e], b"four\n");
    }

    #[test]
    fn redaction_keeps_surroundings() {
        let tok = ["ghp_", "A1b2C3d4E5f6", "G7h8I9j0K1l2", "M3n4O5p6Q7r8"].concat();
        let s = format!("é token={tok} ü");
        let sc = Scanner::new();
        let f = sc.scan_bytes(s.as_bytes());
        assert_eq!(f.len(), 1);
        assert_eq!(redact_str(&s, &f), "é token=[REDACTED:github-pat] ü");
    }

    /// Search-output lines: a path made of pieces of protected names (and
    /// near misses), a separator and some text.
    fn search_output() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let piece = prop_oneof![
            3 => proptest::sample::select(&[
                ".env", ".ENV.local", ".env.example", "secrets", "id_rsa", "id_rsa.pub", ".ssh",
                "known_hosts", ".aws", "credentials", "a.pem", "b.KEY", ".netrc", "proc", "1",
                "environ", ".bash_history", "src", "main.rs", "..", ".", "", "Login Data",
            ][..]).prop_map(String::from),
            1 => "[a-zA-Z0-9._ -]{0,8}",
        ];
        let path = proptest::collection::vec(piece, 0..5).prop_map(|p| p.join("/"));
        let line = (path, "[:a-z =\\n]{0,12}").prop_map(|(p, t)| format!("{p}:{t}"));
        proptest::collection::vec(line, 0..6).prop_map(|l| l.join("\n"))
    }

    proptest::proptest! {
        /// Redacting search output gives the same text with the prefiltered
        /// glob matcher as with every glob tried.
        #[test]
        fn protected_lines_match_the_reference(text in search_output(), sub in proptest::bool::ANY) {
            let root = PathBuf::from("/nonexistent-keepmum-test/repo");
            let cwd = if sub { root.join("secrets") } else { root.clone() };
            let ctx = Ctx::new(Policy::default(), None, Some(cwd), Some(root));
            let fast = redact_protected_lines(&ctx, &text);
            crate::paths::REFERENCE_MATCHER.with(|r| r.set(true));
            let reference = redact_protected_lines(&ctx, &text);
            crate::paths::REFERENCE_MATCHER.with(|r| r.set(false));
            proptest::prop_assert_eq!(fast, reference);
        }

        #[test]
        fn line_window_in_bounds(s in "[a\\n]{0,40}", o in proptest::option::of(0u64..50), l in proptest::option::of(0u64..50)) {
            let (a, b, _) = line_window(s.as_bytes(), o, l);
            proptest::prop_assert!(a <= b && b <= s.len());
        }
    }
}
