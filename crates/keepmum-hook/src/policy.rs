//! The hook's policy: the `[hook]` table of `.keepmum.toml`.
//!
//! ```toml
//! [hook]
//! fail_mode = "closed"          # "closed" (default) or "open": what an internal error does
//! pii = true                    # scan for PII as well as secrets (default: [scan] pii, else true)
//! scan_read_content = true      # Read: scan the file's content, not only its path (default true)
//! redact_pii_in_output = true   # tool output: redact personal data too, not only secrets (default true)
//! default_protected_paths = true  # false: protected_paths replaces the defaults
//! protected_paths = ["*.secret", "!fixtures/*.pem"]  # globs added to the defaults
//!
//! [hook.actions]                # deny | ask | warn | allow, per control
//! prompt = "deny"               # a prompt carries a secret/PII
//! shell = "deny"                # a shell command line carries a secret
//! commit = "deny"               # a `git commit` would commit a secret
//! protected_path = "deny"       # read/copy of a protected path (Read, Grep, Glob, shell, Cursor reads)
//! read = "deny"                 # a file being read contains a secret
//! write = "deny"                # Write/Edit/MultiEdit/NotebookEdit/apply_patch introduce one
//! mcp = "deny"                  # MCP tool arguments carry one
//! tool = "deny"                 # any other tool's input carries one
//! tool_output = "deny"          # PostToolUse output carries one: deny/ask/warn redact, allow passes
//! ```
//!
//! `ask` is honoured only where the host has it (Claude Code PreToolUse); it
//! is `deny` for Cursor and Codex and for prompts. Unknown keys are errors,
//! so a typo never silently turns a control off.

use std::fmt;

use crate::paths::{Protected, DEFAULT_PROTECTED};

/// What to do when a control fires.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    /// Let it through silently.
    Allow,
    /// Let it through with a warning.
    Warn,
    /// Ask the user (Claude Code PreToolUse only; `deny` elsewhere).
    Ask,
    /// Block.
    Deny,
}

impl Action {
    fn parse(s: &str) -> Option<Action> {
        match s {
            "allow" => Some(Action::Allow),
            "warn" => Some(Action::Warn),
            "ask" => Some(Action::Ask),
            "deny" | "block" => Some(Action::Deny),
            _ => None,
        }
    }

    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Allow => "allow",
            Action::Warn => "warn",
            Action::Ask => "ask",
            Action::Deny => "deny",
        }
    }
}

/// The controls the hook applies; each has its own [`Action`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Control {
    /// A prompt carries a secret or PII.
    Prompt,
    /// A shell command line carries a secret.
    Shell,
    /// A `git commit` would commit a secret.
    Commit,
    /// A protected path is read or copied.
    ProtectedPath,
    /// A file being read contains a secret.
    Read,
    /// New file content introduces a secret.
    Write,
    /// MCP tool arguments carry a secret.
    Mcp,
    /// Any other tool's input carries a secret.
    Tool,
    /// A tool's output carries a secret (redacted).
    ToolOutput,
}

impl Control {
    const ALL: [Control; 9] = [
        Control::Prompt,
        Control::Shell,
        Control::Commit,
        Control::ProtectedPath,
        Control::Read,
        Control::Write,
        Control::Mcp,
        Control::Tool,
        Control::ToolOutput,
    ];

    /// The key in `[hook.actions]`.
    pub fn key(self) -> &'static str {
        match self {
            Control::Prompt => "prompt",
            Control::Shell => "shell",
            Control::Commit => "commit",
            Control::ProtectedPath => "protected_path",
            Control::Read => "read",
            Control::Write => "write",
            Control::Mcp => "mcp",
            Control::Tool => "tool",
            Control::ToolOutput => "tool_output",
        }
    }
}

impl fmt::Display for Control {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// The parsed `[hook]` policy. [`Policy::default`] is the policy without a
/// configuration file.
#[derive(Clone, Debug)]
pub struct Policy {
    /// Fail open on internal errors instead of blocking.
    pub fail_open: bool,
    /// Scan for PII as well as secrets; `None` leaves the `[scan]` setting
    /// (default on).
    pub pii: Option<bool>,
    /// Read the file named by a Read event and scan its content.
    pub scan_read_content: bool,
    /// The protected-path globs.
    pub protected: Protected,
    /// Redact personal data (not only secrets) from tool output before the
    /// model sees it (default true).
    pub redact_pii_in_output: bool,
    actions: [Action; 9],
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            fail_open: false,
            pii: None,
            scan_read_content: true,
            protected: Protected::default(),
            redact_pii_in_output: true,
            actions: [Action::Deny; 9],
        }
    }
}

impl Policy {
    /// The action for `control`.
    pub fn action(&self, control: Control) -> Action {
        let i = Control::ALL.iter().position(|c| *c == control).unwrap_or(0);
        self.actions[i]
    }

    /// Sets the action for `control`.
    pub fn set_action(&mut self, control: Control, action: Action) {
        if let Some(i) = Control::ALL.iter().position(|c| *c == control) {
            self.actions[i] = action;
        }
    }

    /// Makes this policy at least as strict as `other`: the stronger action
    /// per control, fail closed if either does, PII and content scanning on
    /// if either asks, and `other`'s protected globs added (its `!`
    /// exclusions are not: they would loosen).
    pub fn tighten(&mut self, other: &Policy) {
        self.fail_open &= other.fail_open;
        if other.pii == Some(true) {
            self.pii = Some(true);
        }
        self.scan_read_content |= other.scan_read_content;
        self.redact_pii_in_output |= other.redact_pii_in_output;
        for (a, b) in self.actions.iter_mut().zip(other.actions) {
            *a = (*a).max(b);
        }
        self.protected = self.protected.with_includes_of(&other.protected);
    }

    /// Builds a policy from a `[hook]` table.
    ///
    /// # Errors
    /// A one-line message naming the bad key or value.
    pub fn from_table(t: &toml::Table) -> Result<Policy, String> {
        let mut p = Policy::default();
        let mut extra: Vec<String> = Vec::new();
        let mut use_defaults = true;
        for (k, v) in t {
            match k.as_str() {
                "fail_mode" => match v.as_str() {
                    Some("closed") => p.fail_open = false,
                    Some("open") => p.fail_open = true,
                    _ => return Err(bad(k, "\"closed\" or \"open\"")),
                },
                "pii" => p.pii = Some(v.as_bool().ok_or_else(|| bad(k, "a boolean"))?),
                "redact_pii_in_output" => {
                    p.redact_pii_in_output = v.as_bool().ok_or_else(|| bad(k, "a boolean"))?
                }
                "scan_read_content" => {
                    p.scan_read_content = v.as_bool().ok_or_else(|| bad(k, "a boolean"))?
                }
                "default_protected_paths" => {
                    use_defaults = v.as_bool().ok_or_else(|| bad(k, "a boolean"))?
                }
                "protected_paths" => {
                    let arr = v.as_array().ok_or_else(|| bad(k, "an array of globs"))?;
                    for g in arr {
                        extra.push(
                            g.as_str()
                                .ok_or_else(|| bad(k, "an array of globs"))?
                                .to_string(),
                        );
                    }
                }
                "actions" => {
                    let at = v.as_table().ok_or_else(|| bad(k, "a table"))?;
                    for (ak, av) in at {
                        let control = Control::ALL
                            .iter()
                            .copied()
                            .find(|c| c.key() == ak)
                            .ok_or_else(|| format!("[hook.actions]: unknown control \"{ak}\""))?;
                        let action = av.as_str().and_then(Action::parse).ok_or_else(|| {
                            format!("[hook.actions] {ak}: expected deny, ask, warn or allow")
                        })?;
                        p.set_action(control, action);
                    }
                }
                other => return Err(format!("[hook]: unknown key \"{other}\"")),
            }
        }
        if use_defaults || !extra.is_empty() {
            let base: &[&str] = if use_defaults { DEFAULT_PROTECTED } else { &[] };
            p.protected =
                Protected::new(base.iter().copied().chain(extra.iter().map(String::as_str)));
        }
        Ok(p)
    }
}

fn bad(key: &str, want: &str) -> String {
    format!("[hook] {key}: expected {want}")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Policy, String> {
        let t: toml::Table = toml::from_str(s).unwrap();
        Policy::from_table(&t)
    }

    #[test]
    fn defaults() {
        let p = Policy::default();
        assert!(!p.fail_open);
        assert_eq!(p.pii, None);
        assert_eq!(p.action(Control::Read), Action::Deny);
        assert!(p.protected.is_protected(".env", None));
    }

    #[test]
    fn full_table() {
        let p = parse(
            "fail_mode = \"open\"\npii = false\nscan_read_content = false\nprotected_paths = [\"*.secret\"]\n[actions]\nread = \"allow\"\nprompt = \"warn\"\nshell = \"ask\"\n",
        )
        .unwrap();
        assert!(p.fail_open);
        assert_eq!(p.pii, Some(false));
        assert!(!p.scan_read_content);
        assert_eq!(p.action(Control::Read), Action::Allow);
        assert_eq!(p.action(Control::Prompt), Action::Warn);
        assert_eq!(p.action(Control::Shell), Action::Ask);
        assert_eq!(p.action(Control::Write), Action::Deny);
        assert!(p.protected.is_protected("a.secret", None));
        assert!(p.protected.is_protected(".env", None));
    }

    #[test]
    fn replace_defaults() {
        let p =
            parse("default_protected_paths = false\nprotected_paths = [\"*.secret\"]\n").unwrap();
        assert!(p.protected.is_protected("a.secret", None));
        assert!(!p.protected.is_protected(".env", None));
    }

    #[test]
    fn errors_name_the_key() {
        assert!(parse("fail_mode = \"sideways\"")
            .unwrap_err()
            .contains("fail_mode"));
        assert!(parse("typo = 1").unwrap_err().contains("typo"));
        assert!(parse("[actions]\nread = \"maybe\"")
            .unwrap_err()
            .contains("read"));
        assert!(parse("[actions]\nreed = \"deny\"")
            .unwrap_err()
            .contains("reed"));
        assert!(parse("protected_paths = [1]")
            .unwrap_err()
            .contains("protected_paths"));
    }
}
