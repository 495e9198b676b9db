//! Host-neutral checks: each takes what an event carries (a prompt, a shell
//! command, a file to read, new file text, tool arguments or output) and
//! returns the [`Issue`]s found. The host modules turn issues into each
//! host's wire format.
//!
//! Every message is built from rule ids, paths, line numbers and
//! [`Finding::redacted`]; no raw secret ever reaches a message.

use std::cell::OnceCell;
use std::collections::BTreeSet;
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
    scanner: OnceCell<Scanner>,
}

impl Ctx {
    pub(crate) fn new(
        policy: Policy,
        config: Option<keepmum::config::Config>,
        cwd: Option<PathBuf>,
    ) -> Ctx {
        Ctx {
            policy,
            config,
            cwd,
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

    fn scan(&self, text: &[u8]) -> Result<Vec<Finding>, String> {
        Ok(self.scanner()?.scan_bytes(text))
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
                "the command line contains {}: {}. Do not put credentials on a command line; read them from an environment variable (e.g. \"$API_TOKEN\") instead.",
                kinds(&f),
                list(&f, false)
            ),
        );
    }
    let a = shell::analyze(cmd);
    let base = cwd.map(Path::to_path_buf).or_else(|| ctx.cwd.clone());
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
        }
    }
    for c in &a.commits {
        commit(ctx, v, c, base.as_deref())?;
    }
    Ok(())
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
    let root = ctx.cwd.as_deref().or(dir);
    if let Some(hit) = prot.protected_form_in(word, dir, root) {
        return Some(hit);
    }
    if !glob {
        return None;
    }
    if prot.glob_targets_protected(word) {
        return Some(word.to_string());
    }
    for path in expand_glob(word, dir) {
        if let Some(hit) = prot.protected_form_in(&path, dir, root) {
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
    if parent.contains(['*', '?', '[']) || pat.is_empty() {
        return Vec::new();
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

/// A `git commit`: scan the staged blobs, plus tracked modified files when
/// `-a` or pathspecs are given.
fn commit(
    ctx: &Ctx,
    v: &mut Verdict,
    c: &shell::Commit,
    base: Option<&Path>,
) -> Result<(), String> {
    let dir = match &c.work_tree {
        Some(w) => resolve_dirs(base, std::slice::from_ref(w)),
        None => resolve_dirs(base, &c.dirs),
    };
    let dir = match dir {
        Some(d) => d,
        None => std::env::current_dir()
            .map_err(|e| format!("cannot find the current directory: {e}"))?,
    };
    // Not a repository (or no git): the commit itself will fail, nothing to scan.
    let Ok(top) = keepmum::git::repo_root(&dir) else {
        return Ok(());
    };
    let scanner = ctx.scanner()?;
    let mut findings = keepmum::git::scan_staged(scanner, &top)
        .map_err(|e| format!("cannot scan the staged files: {e}"))?;
    if c.all || !c.paths.is_empty() {
        let files = keepmum::git::tracked_modified_files(&top)
            .map_err(|e| format!("cannot list modified files: {e}"))?;
        for f in files {
            if keepmum::is_binary(&f.content) {
                continue;
            }
            findings.extend(scanner.scan_bytes_at(&f.content, &f.path));
        }
    }
    if findings.is_empty() {
        return Ok(());
    }
    let mut items: Vec<String> = findings
        .iter()
        .map(|f| {
            let p = f
                .path()
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            format!("{p}:{} {} ({})", f.line(), f.rule_id(), f.redacted())
        })
        .collect();
    items.sort();
    items.dedup();
    let list = join_capped(items);
    v.push(
        Control::Commit,
        format!(
            "this git commit would commit {}: {list}. Remove the values from the files (load them from environment variables or a secret manager), re-stage, and commit again.",
            kinds(&findings)
        ),
    );
    Ok(())
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
    if let Some(hit) = ctx
        .policy
        .protected
        .protected_form(path, ctx.cwd.as_deref())
    {
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
            if keepmum::is_binary(&bytes) {
                return Ok(());
            }
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
    let f = std::fs::File::open(path).ok()?;
    if !f.metadata().ok()?.is_file() {
        return None;
    }
    let mut buf = Vec::new();
    f.take(MAX_READ).read_to_end(&mut buf).ok()?;
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

/// Grep/Glob: denied when the searched path is protected or the file glob
/// aims at protected files.
pub(crate) fn search(ctx: &Ctx, v: &mut Verdict, path: Option<&str>, globs: &[&str]) {
    let prot = &ctx.policy.protected;
    if let Some(p) = path {
        if let Some(hit) = prot.protected_form(p, ctx.cwd.as_deref()) {
            v.push(
                Control::ProtectedPath,
                format!("{hit} is protected (it holds credentials); do not search it."),
            );
            return;
        }
    }
    for g in globs {
        if prot.glob_targets_protected(g) {
            v.push(
                Control::ProtectedPath,
                format!(
                    "the pattern {g} targets protected files (credentials); do not search them."
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
        return Ok(());
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

/// The `+` lines of a patch (Codex `apply_patch`, unified diffs).
pub(crate) fn patch(ctx: &Ctx, v: &mut Verdict, text: &str) -> Result<(), String> {
    let mut added = String::with_capacity(text.len() / 2);
    for line in text.lines() {
        if line.starts_with("+++") {
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
        })
        .collect();
    new_text(ctx, v, &files.join(", "), &[&added])
}

/// Every string value (and, for objects, nothing of the keys) of a JSON
/// value, joined by newlines.
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
        Value::Object(o) => o.values().for_each(|x| strings(x, out, depth + 1)),
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

/// Redacts the secrets (not PII) in every string of a JSON value, keeping
/// its structure. Returns the
/// redacted value and the rule ids found, or `None` when nothing was found.
pub(crate) fn redact(ctx: &Ctx, value: &Value) -> Result<Option<(Value, Vec<String>)>, String> {
    let scanner = ctx.scanner()?;
    let mut rules = BTreeSet::new();
    let out = redact_rec(scanner, value, &mut rules, 0);
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
) -> Value {
    if depth > 256 {
        return value.clone();
    }
    match value {
        Value::String(s) => {
            // Secrets only: personal data in tool output (author emails in
            // `git log`, fixtures) is the user's own data and stays readable.
            let findings: Vec<Finding> = scanner
                .scan_bytes(s.as_bytes())
                .into_iter()
                .filter(|f| f.category() == keepmum::Category::Secret)
                .collect();
            if findings.is_empty() {
                return value.clone();
            }
            for f in &findings {
                rules.insert(f.rule_id().to_string());
            }
            Value::String(redact_str(s, &findings))
        }
        Value::Array(a) => Value::Array(
            a.iter()
                .map(|x| redact_rec(scanner, x, rules, depth + 1))
                .collect(),
        ),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, x)| (k.clone(), redact_rec(scanner, x, rules, depth + 1)))
                .collect(),
        ),
        other => other.clone(),
    }
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

    proptest::proptest! {
        #[test]
        fn line_window_in_bounds(s in "[a\\n]{0,40}", o in proptest::option::of(0u64..50), l in proptest::option::of(0u64..50)) {
            let (a, b, _) = line_window(s.as_bytes(), o, l);
            proptest::prop_assert!(a <= b && b <= s.len());
        }
    }
}
