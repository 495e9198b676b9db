//! Evidence tooling around `keepmum-hook`: the host installer
//! (`install`/`uninstall`), the Claude Code managed-settings document
//! (`print managed-settings`), the posture check (`doctor`) and the
//! hash-chained audit trail (`audit-shell`, `audit verify`).
//!
//! Every subcommand parses its arguments by hand, reports problems as one
//! line `keepmum-hook: <message>` on stderr and returns an exit code:
//! 0 success, 1 a control failed (doctor, audit verify), 2 usage or I/O
//! error. `audit-shell` returns the wrapped command's own exit code.
//!
//! Environment variables read here (all optional):
//!
//! | variable | meaning |
//! |---|---|
//! | `HOME` | user scope: `~/.claude`, `~/.cursor`, `~/.codex`, `~/.claude.json` |
//! | `KEEPMUM_MANAGED_DIR` | replaces `/etc` when looking for managed files (`claude-code/managed-settings.json`, `cursor/hooks.json`) |
//! | `KEEPMUM_AUDIT_LOG` | audit log path (default `$XDG_STATE_HOME/keepmum/audit.jsonl`, else `~/.local/state/keepmum/audit.jsonl`) |
//! | `KEEPMUM_SESSION_ID` | session id recorded by `audit-shell` (also `CLAUDE_SESSION_ID`, `CLAUDE_CODE_SESSION_ID`, `CODEX_SESSION_ID`, `CURSOR_CONVERSATION_ID`) |

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod audit;
mod diff;
mod doctor;
mod install;
mod managed;
mod ojson;
mod util;

/// Runs one control subcommand (`install`, `uninstall`, `doctor`,
/// `audit-shell`, `audit`, `print`) with its remaining arguments and returns
/// the process exit code (0 ok, 1 control failed, 2 usage or I/O error; for
/// `audit-shell`, the wrapped command's exit code).
pub fn run(cmd: &str, args: &[String]) -> i32 {
    let result = match cmd {
        "install" => install::run(args, install::Action::Install),
        "uninstall" => install::run(args, install::Action::Uninstall),
        "print" => managed::run(args),
        "doctor" => doctor::run(args),
        "audit-shell" => audit::shell(args),
        "audit" => audit::run(args),
        other => Err(Fail::usage(format!(
            "unknown command `{other}` (expected install, uninstall, print, doctor, audit-shell or audit)"
        ))),
    };
    match result {
        Ok(code) => code,
        Err(fail) => {
            eprintln!("keepmum-hook: {}", fail.msg);
            fail.code
        }
    }
}

/// An error that ends a subcommand: its one-line message and exit code.
#[derive(Debug)]
pub(crate) struct Fail {
    pub(crate) code: i32,
    pub(crate) msg: String,
}

impl Fail {
    /// A usage or input error (exit 2).
    pub(crate) fn usage(msg: impl Into<String>) -> Fail {
        Fail {
            code: 2,
            msg: msg.into(),
        }
    }
}

/// Result type of the subcommands: an exit code or a [`Fail`].
pub(crate) type Outcome = Result<i32, Fail>;
