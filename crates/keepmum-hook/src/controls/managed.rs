//! `keepmum-hook print managed-settings`: a Claude Code managed-settings
//! document for IT to deploy (`/etc/claude-code/managed-settings.json` on
//! Linux, `/Library/Application Support/ClaudeCode/managed-settings.json` on
//! macOS). It registers our hook, denies reads and edits of the protected
//! paths, disables bypass-permissions mode and makes the managed permission
//! rules the only ones that apply.

use super::ojson::{Obj, J};

use super::install::{group_json, to_pretty, CLAUDE_COMMAND, CLAUDE_GROUPS};
use super::{Fail, Outcome};

/// Project paths (permission-rule syntax, `./` = the working directory)
/// denied to `Read` and `Edit`.
const PROJECT_PATHS: &[&str] = &[
    "./.env",
    "./.env.*",
    "./secrets/**",
    "./**/*.pem",
    "./**/*.key",
    "./**/*.p12",
    "./**/*.pfx",
    "./**/id_rsa",
    "./**/id_ecdsa",
    "./**/id_ed25519",
];

/// Per-user credential stores denied to `Read` and `Edit`.
const HOME_PATHS: &[&str] = &[
    "~/.aws/credentials",
    "~/.ssh/**",
    "~/.config/gcloud/**",
    "~/.azure/**",
    "~/.kube/config",
    "~/.docker/config.json",
    "~/.netrc",
    "~/.npmrc",
    "~/.pypirc",
    "~/.git-credentials",
];

/// Shell commands that dump the same files, as `Bash(prefix:*)` rules.
/// Prefix rules are best effort: the hook's own scan is the real barrier.
const BASH_PREFIXES: &[&str] = &[
    "cat .env",
    "cat ./.env",
    "less .env",
    "head .env",
    "tail .env",
    "cat ~/.aws/credentials",
    "cat ~/.ssh/id_rsa",
    "cat ~/.ssh/id_ed25519",
];

/// The full deny list of the managed settings.
pub(crate) fn deny_rules() -> Vec<String> {
    let mut rules = Vec::new();
    for tool in ["Read", "Edit"] {
        for p in PROJECT_PATHS.iter().chain(HOME_PATHS) {
            rules.push(format!("{tool}({p})"));
        }
    }
    for p in BASH_PREFIXES {
        rules.push(format!("Bash({p}:*)"));
    }
    rules
}

/// The managed-settings document.
pub(crate) fn managed_settings() -> J {
    let mut hooks = Obj::new();
    for group in CLAUDE_GROUPS {
        hooks.insert(group.event, J::Arr(vec![group_json(group, CLAUDE_COMMAND)]));
    }
    let deny = deny_rules().iter().map(|r| J::str(r)).collect();
    J::obj([
        ("hooks", J::Obj(hooks)),
        (
            "permissions",
            J::obj([
                ("deny", J::Arr(deny)),
                ("disableBypassPermissionsMode", J::str("disable")),
            ]),
        ),
        ("allowManagedPermissionRulesOnly", J::Bool(true)),
    ])
}

const USAGE: &str = "usage: keepmum-hook print managed-settings";

/// Entry point of `print`.
pub(crate) fn run(args: &[String]) -> Outcome {
    match args.first().map(String::as_str) {
        Some("managed-settings") if args.len() == 1 => {
            let bytes = to_pretty(&managed_settings())?;
            print!("{}", String::from_utf8_lossy(&bytes));
            Ok(0)
        }
        Some("-h" | "--help") => {
            println!("{USAGE}");
            Ok(0)
        }
        _ => Err(Fail::usage(USAGE)),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::controls::util::REQUIRED_DENY;

    #[test]
    fn managed_settings_hold_every_required_rule() {
        let rules = deny_rules();
        for r in REQUIRED_DENY {
            assert!(rules.iter().any(|x| x == r), "{r} missing");
        }
        assert!(rules.iter().any(|x| x == "Read(~/.aws/credentials)"));
        assert!(rules.iter().any(|x| x == "Edit(./.env)"));
        let doc: serde_json::Value = serde_json::to_value(managed_settings()).unwrap();
        assert_eq!(
            doc["permissions"]["disableBypassPermissionsMode"],
            "disable"
        );
        assert_eq!(doc["allowManagedPermissionRulesOnly"], true);
        assert_eq!(
            doc["hooks"]["PreToolUse"][0]["hooks"][0]["command"],
            CLAUDE_COMMAND
        );
    }
}
