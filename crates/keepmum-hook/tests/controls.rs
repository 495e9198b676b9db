//! Integration tests of the control subcommands: `install`/`uninstall`,
//! `print managed-settings`, `doctor`, `audit-shell` and `audit verify`.
//! Every test runs the real binary with `HOME`, the managed-settings dir and
//! the audit log pointed into a temporary directory.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Instant;

use serde_json::Value;

/// A sandbox: a home dir, a project dir and a managed-settings dir.
struct Sandbox {
    _tmp: tempfile::TempDir,
    home: PathBuf,
    proj: PathBuf,
    managed: PathBuf,
    log: PathBuf,
}

impl Sandbox {
    fn new() -> Sandbox {
        let tmp = tempfile::tempdir().unwrap();
        let home = tmp.path().join("home");
        let proj = tmp.path().join("proj");
        let managed = tmp.path().join("etc");
        for d in [&home, &proj, &managed] {
            fs::create_dir_all(d).unwrap();
        }
        let log = tmp.path().join("audit.jsonl");
        Sandbox {
            _tmp: tmp,
            home,
            proj,
            managed,
            log,
        }
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_keepmum-hook"));
        c.args(args)
            .current_dir(&self.proj)
            .env("HOME", &self.home)
            .env("KEEPMUM_MANAGED_DIR", &self.managed)
            .env("KEEPMUM_AUDIT_LOG", &self.log)
            .env_remove("XDG_STATE_HOME")
            .env_remove("CODEX_HOME")
            .env_remove("KEEPMUM_SESSION_ID")
            .env_remove("CLAUDE_SESSION_ID")
            .env_remove("CLAUDE_CODE_SESSION_ID")
            .env_remove("CODEX_SESSION_ID")
            .env_remove("CURSOR_CONVERSATION_ID");
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).stdin(Stdio::null()).output().unwrap()
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.proj.join(rel);
        write_file(&p, text);
        p
    }
}

fn write_file(p: &Path, text: &str) {
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A synthetic GitHub PAT, built so this file holds no scannable token.
fn fake_token() -> String {
    format!("ghp_{}", "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8")
}

// --------------------------------------------------------------- install

const CLAUDE_FRESH: &str = r#"{
  "hooks": {
    "PreToolUse": [
      {
        "matcher": "*",
        "hooks": [
          {
            "type": "command",
            "command": "keepmum-hook claude",
            "timeout": 30
          }
        ]
      }
    ],
    "UserPromptSubmit": [
      {
        "hooks": [
          {
            "type": "command",
            "command": "keepmum-hook claude",
            "timeout": 30
          }
        ]
      }
    ],
    "PostToolUse": [
      {
        "matcher": "*",
        "hooks": [
          {
            "type": "command",
            "command": "keepmum-hook claude",
            "timeout": 30
          }
        ]
      }
    ]
  },
  "permissions": {
    "deny": [
      "Read(./.env)",
      "Read(./.env.*)",
      "Read(./secrets/**)",
      "Read(./**/*.pem)",
      "Read(./**/*.key)"
    ],
    "disableBypassPermissionsMode": "disable"
  }
}
"#;

#[test]
fn doctor_passes_claude_controls_right_after_install() {
    // Issue 17 item 8: `install claude` and `doctor` must agree.
    let sb = Sandbox::new();
    assert_eq!(code(&sb.run(&["install", "claude"])), 0);
    let (_, v) = doctor_json(&sb);
    for id in ["claude.hook", "claude.deny-rules", "claude.bypass-disabled"] {
        assert_eq!(status_of(&v, id), "pass", "{id}: {v:#}");
    }
    let text = fs::read_to_string(sb.proj.join(".claude/settings.json")).unwrap();
    let s: Value = serde_json::from_str(&text).unwrap();
    // Every tool is gated, WebFetch and MCP included.
    assert_eq!(s["hooks"]["PreToolUse"][0]["matcher"], "*");
    assert_eq!(s["hooks"]["PostToolUse"][0]["matcher"], "*");
}

#[test]
fn install_claude_into_empty_project() {
    let sb = Sandbox::new();
    let o = sb.run(&["install", "claude"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = fs::read_to_string(sb.proj.join(".claude/settings.json")).unwrap();
    assert_eq!(text, CLAUDE_FRESH);
}

/// An existing settings file with unknown keys and other people's hooks.
const CLAUDE_EXISTING: &str = r#"{
  "model": "opus",
  "hooks": {
    "Stop": [
      {
        "hooks": [
          {
            "type": "command",
            "command": "notify-send done"
          }
        ]
      }
    ],
    "PreToolUse": [
      {
        "matcher": "Bash",
        "hooks": [
          {
            "type": "command",
            "command": "my-linter"
          }
        ]
      }
    ]
  },
  "permissions": {
    "allow": [
      "Bash(ls:*)"
    ]
  },
  "zzz": {
    "b": 1,
    "a": 2
  }
}
"#;

const CLAUDE_MERGED: &str = r#"{
  "model": "opus",
  "hooks": {
    "Stop": [
      {
        "hooks": [
          {
            "type": "command",
            "command": "notify-send done"
          }
        ]
      }
    ],
    "PreToolUse": [
      {
        "matcher": "Bash",
        "hooks": [
          {
            "type": "command",
            "command": "my-linter"
          }
        ]
      },
      {
        "matcher": "*",
        "hooks": [
          {
            "type": "command",
            "command": "keepmum-hook claude",
            "timeout": 30
          }
        ]
      }
    ],
    "UserPromptSubmit": [
      {
        "hooks": [
          {
            "type": "command",
            "command": "keepmum-hook claude",
            "timeout": 30
          }
        ]
      }
    ],
    "PostToolUse": [
      {
        "matcher": "*",
        "hooks": [
          {
            "type": "command",
            "command": "keepmum-hook claude",
            "timeout": 30
          }
        ]
      }
    ]
  },
  "permissions": {
    "allow": [
      "Bash(ls:*)"
    ],
    "deny": [
      "Read(./.env)",
      "Read(./.env.*)",
      "Read(./secrets/**)",
      "Read(./**/*.pem)",
      "Read(./**/*.key)"
    ],
    "disableBypassPermissionsMode": "disable"
  },
  "zzz": {
    "b": 1,
    "a": 2
  }
}
"#;

#[test]
fn install_claude_keeps_existing_keys_and_hooks_in_order() {
    let sb = Sandbox::new();
    let p = sb.write(".claude/settings.json", CLAUDE_EXISTING);
    let o = sb.run(&["install", "claude"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(fs::read_to_string(&p).unwrap(), CLAUDE_MERGED);
}

#[test]
fn install_twice_equals_once() {
    let sb = Sandbox::new();
    let p = sb.write(".claude/settings.json", CLAUDE_EXISTING);
    assert_eq!(code(&sb.run(&["install", "claude"])), 0);
    let once = fs::read(&p).unwrap();
    let mtime = fs::metadata(&p).unwrap().modified().unwrap();
    let o = sb.run(&["install", "claude"]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains("unchanged"), "{}", stdout(&o));
    assert_eq!(fs::read(&p).unwrap(), once);
    assert_eq!(
        fs::metadata(&p).unwrap().modified().unwrap(),
        mtime,
        "rewritten"
    );
    // Already installed by hand in a group of the user's: nothing is added.
    let sb2 = Sandbox::new();
    let p2 = sb2.write(".claude/settings.json", CLAUDE_MERGED);
    assert_eq!(code(&sb2.run(&["install", "claude"])), 0);
    assert_eq!(fs::read_to_string(&p2).unwrap(), CLAUDE_MERGED);
}

#[test]
fn malformed_settings_are_reported_and_untouched() {
    for bad in [
        "{\"hooks\": [",
        "[1, 2]",
        "{\"hooks\": []}",
        "{\"hooks\": {\"PreToolUse\": {}}}",
    ] {
        let sb = Sandbox::new();
        let p = sb.write(".claude/settings.json", bad);
        for args in [&["install", "claude"][..], &["uninstall", "claude"][..]] {
            let o = sb.run(args);
            assert_eq!(code(&o), 2, "{bad}: {}", stdout(&o));
            let err = stderr(&o);
            assert_eq!(err.lines().count(), 1, "{err}");
            assert!(
                err.starts_with("keepmum-hook: ") && err.contains("left untouched"),
                "{err}"
            );
            assert_eq!(fs::read_to_string(&p).unwrap(), bad);
        }
        let entries: Vec<_> = fs::read_dir(p.parent().unwrap()).unwrap().collect();
        assert_eq!(entries.len(), 1, "temporary file left behind");
    }
}

#[test]
fn uninstall_restores_the_original() {
    let sb = Sandbox::new();
    let p = sb.write(".claude/settings.json", CLAUDE_EXISTING);
    assert_eq!(code(&sb.run(&["install", "claude"])), 0);
    let o = sb.run(&["uninstall", "claude"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(fs::read_to_string(&p).unwrap(), CLAUDE_EXISTING);
    // A second uninstall changes nothing.
    assert_eq!(code(&sb.run(&["uninstall", "claude"])), 0);
    assert_eq!(fs::read_to_string(&p).unwrap(), CLAUDE_EXISTING);

    // A file install created is removed again.
    let sb = Sandbox::new();
    assert_eq!(code(&sb.run(&["install", "claude"])), 0);
    assert_eq!(code(&sb.run(&["uninstall", "claude"])), 0);
    assert!(!sb.proj.join(".claude/settings.json").exists());
}

#[test]
fn uninstall_keeps_user_handlers_sharing_our_group() {
    let sb = Sandbox::new();
    let text = r#"{"hooks":{"PreToolUse":[{"matcher":"Bash","hooks":[{"type":"command","command":"keepmum-hook claude"},{"type":"command","command":"mine"}]}]}}"#;
    let p = sb.write(".claude/settings.json", text);
    assert_eq!(code(&sb.run(&["uninstall", "claude"])), 0);
    let v: Value = serde_json::from_str(&fs::read_to_string(&p).unwrap()).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"hooks":{"PreToolUse":[{"matcher":"Bash","hooks":[{"type":"command","command":"mine"}]}]}})
    );
}

#[test]
fn dry_run_prints_a_diff_and_writes_nothing() {
    let sb = Sandbox::new();
    let p = sb.write(".claude/settings.json", CLAUDE_EXISTING);
    let o = sb.run(&["install", "claude", "--dry-run"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains(&format!("--- {}", p.display()))
            && out.contains(&format!("+++ {}", p.display()))
            && out.contains("@@ -"),
        "{out}"
    );
    assert!(
        out.contains("+            \"command\": \"keepmum-hook claude\","),
        "{out}"
    );
    // Nothing is taken away: a removed line only comes back with a comma.
    let added: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
        .map(|l| l[1..].trim_end_matches(','))
        .collect();
    assert!(
        out.lines()
            .filter(|l| l.starts_with('-') && !l.starts_with("---"))
            .all(|l| added.contains(&l[1..].trim_end_matches(','))),
        "{out}"
    );
    assert_eq!(fs::read_to_string(&p).unwrap(), CLAUDE_EXISTING);

    let sb = Sandbox::new();
    let o = sb.run(&["install", "cursor", "--dry-run"]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains(".cursorignore"));
    assert!(
        fs::read_dir(&sb.proj).unwrap().next().is_none(),
        "dry run wrote files"
    );
}

const CURSOR_FRESH: &str = r#"{
  "version": 1,
  "hooks": {
    "beforeSubmitPrompt": [
      {
        "command": "keepmum-hook cursor",
        "timeout": 30,
        "failClosed": true
      }
    ],
    "beforeShellExecution": [
      {
        "command": "keepmum-hook cursor",
        "timeout": 30,
        "failClosed": true
      }
    ],
    "beforeMCPExecution": [
      {
        "command": "keepmum-hook cursor",
        "timeout": 30,
        "failClosed": true
      }
    ],
    "beforeReadFile": [
      {
        "command": "keepmum-hook cursor",
        "timeout": 30,
        "failClosed": true
      }
    ],
    "preToolUse": [
      {
        "command": "keepmum-hook cursor",
        "timeout": 30,
        "failClosed": true
      }
    ],
    "afterFileEdit": [
      {
        "command": "keepmum-hook cursor",
        "timeout": 30,
        "failClosed": true
      }
    ]
  }
}
"#;

#[test]
fn install_cursor_writes_hooks_and_cursorignore() {
    let sb = Sandbox::new();
    let o = sb.run(&["install", "cursor"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        fs::read_to_string(sb.proj.join(".cursor/hooks.json")).unwrap(),
        CURSOR_FRESH
    );
    let ignore = fs::read_to_string(sb.proj.join(".cursorignore")).unwrap();
    for p in [".env", ".env.*", "secrets/", "*.pem", "*.key"] {
        assert_eq!(
            ignore.lines().filter(|l| *l == p).count(),
            1,
            "{p} in {ignore}"
        );
    }
    assert_eq!(code(&sb.run(&["uninstall", "cursor"])), 0);
    assert!(!sb.proj.join(".cursor/hooks.json").exists());
    assert!(!sb.proj.join(".cursorignore").exists());
}

#[test]
fn install_cursor_extends_existing_files_without_duplicates() {
    let sb = Sandbox::new();
    let hooks =
        r#"{"version":1,"hooks":{"beforeShellExecution":[{"command":"./audit.sh"}]},"extra":true}"#;
    let hp = sb.write(".cursor/hooks.json", hooks);
    let ignore = "node_modules/\n.env\n*.pem\n";
    let ip = sb.write(".cursorignore", ignore);
    assert_eq!(code(&sb.run(&["install", "cursor"])), 0);
    let v: Value = serde_json::from_str(&fs::read_to_string(&hp).unwrap()).unwrap();
    assert_eq!(v["extra"], true);
    assert_eq!(
        v["hooks"]["beforeShellExecution"][0]["command"],
        "./audit.sh"
    );
    assert_eq!(v["hooks"]["beforeShellExecution"][1]["failClosed"], true);
    let after = fs::read_to_string(&ip).unwrap();
    assert!(after.starts_with(ignore), "{after}");
    for p in [".env", "*.pem", "*.key", "secrets/"] {
        assert_eq!(
            after.lines().filter(|l| *l == p).count(),
            1,
            "{p} in {after}"
        );
    }
    // Idempotent, then uninstall gives the user's files back.
    assert_eq!(code(&sb.run(&["install", "cursor"])), 0);
    assert_eq!(fs::read_to_string(&ip).unwrap(), after);
    assert_eq!(code(&sb.run(&["uninstall", "cursor"])), 0);
    assert_eq!(fs::read_to_string(&ip).unwrap(), ignore);
    let v: Value = serde_json::from_str(&fs::read_to_string(&hp).unwrap()).unwrap();
    let orig: Value = serde_json::from_str(hooks).unwrap();
    assert_eq!(v, orig);
}

#[test]
fn install_codex_user_scope_respects_home() {
    let sb = Sandbox::new();
    let o = sb.run(&["install", "codex", "--scope", "user"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let p = sb.home.join(".codex/hooks.json");
    let v: Value = serde_json::from_str(&fs::read_to_string(&p).unwrap()).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"hooks": {
            "PreToolUse": [{"matcher": "*",
                "hooks": [{"type": "command", "command": "keepmum-hook codex", "timeout": 30}]}],
            "UserPromptSubmit": [{"hooks": [{"type": "command", "command": "keepmum-hook codex", "timeout": 30}]}],
            "PostToolUse": [{"matcher": "*",
                "hooks": [{"type": "command", "command": "keepmum-hook codex", "timeout": 30}]}]
        }})
    );
    assert!(!sb.proj.join(".codex").exists());
    assert_eq!(code(&sb.run(&["uninstall", "codex", "--scope=user"])), 0);
    assert!(!p.exists());
}

#[test]
fn codex_install_gates_every_tool_and_doctor_agrees() {
    let sb = Sandbox::new();
    assert_eq!(code(&sb.run(&["install", "codex"])), 0);
    let (_, v) = doctor_json(&sb);
    assert_eq!(status_of(&v, "codex.hook"), "pass", "{v:#}");

    // A hooks file from an older install lists tools: MCP servers and new
    // tools outside the list would run unscanned. Doctor says so, and
    // `install` widens our group while leaving another handler's alone.
    let p = sb.proj.join(".codex/hooks.json");
    let old = r#"{"hooks": {
        "PreToolUse": [
            {"matcher": "Bash|apply_patch|Edit|Write|mcp__.*",
             "hooks": [{"type": "command", "command": "keepmum-hook codex", "timeout": 30}]},
            {"matcher": "Bash",
             "hooks": [{"type": "command", "command": "./audit.sh"},
                       {"type": "command", "command": "keepmum-hook codex"}]}
        ],
        "UserPromptSubmit": [{"hooks": [{"type": "command", "command": "keepmum-hook codex", "timeout": 30}]}]
    }}"#;
    write_file(&p, old);
    let (_, v) = doctor_json(&sb);
    assert_eq!(status_of(&v, "codex.hook"), "fail", "{v:#}");
    assert!(v.to_string().contains("not matcher `*`"), "{v:#}");

    assert_eq!(code(&sb.run(&["install", "codex"])), 0);
    let s: Value = serde_json::from_str(&fs::read_to_string(&p).unwrap()).unwrap();
    let pre = s["hooks"]["PreToolUse"].as_array().unwrap();
    assert_eq!(pre[0]["matcher"], "*");
    assert_eq!(pre[1]["matcher"], "Bash");
    assert_eq!(
        pre[1]["hooks"],
        serde_json::json!([{"type": "command", "command": "./audit.sh"}])
    );
    assert_eq!(pre.len(), 2, "{s:#}");
    let (_, v) = doctor_json(&sb);
    assert_eq!(status_of(&v, "codex.hook"), "pass", "{v:#}");
    // Idempotent once widened.
    let before = fs::read_to_string(&p).unwrap();
    assert_eq!(code(&sb.run(&["install", "codex"])), 0);
    assert_eq!(fs::read_to_string(&p).unwrap(), before);
}

#[test]
fn usage_errors_exit_2_with_one_line() {
    let sb = Sandbox::new();
    for args in [
        &["install"][..],
        &["install", "vim"][..],
        &["install", "claude", "--scope", "world"][..],
        &["install", "claude", "--bogus"][..],
        &["print"][..],
        &["doctor", "--format", "xml"][..],
        &["audit"][..],
        &["audit", "verify", "--anchor", "nope"][..],
        &["audit-shell"][..],
    ] {
        let o = sb.run(args);
        assert_eq!(code(&o), 2, "{args:?}");
        assert!(
            stderr(&o).starts_with("keepmum-hook: "),
            "{args:?}: {}",
            stderr(&o)
        );
    }
}

#[test]
fn managed_settings_document() {
    let sb = Sandbox::new();
    let o = sb.run(&["print", "managed-settings"]);
    assert_eq!(code(&o), 0);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let deny: Vec<&str> = v["permissions"]["deny"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    for r in [
        "Read(./.env)",
        "Read(./.env.*)",
        "Read(./secrets/**)",
        "Read(./**/*.pem)",
        "Read(./**/*.key)",
        "Read(~/.aws/credentials)",
        "Edit(./.env)",
        "Bash(cat .env:*)",
    ] {
        assert!(deny.contains(&r), "{r} missing");
    }
    assert_eq!(v["permissions"]["disableBypassPermissionsMode"], "disable");
    assert_eq!(v["allowManagedPermissionRulesOnly"], true);
    assert_eq!(
        v["hooks"]["PreToolUse"][0]["hooks"][0]["command"],
        "keepmum-hook claude"
    );
    assert_eq!(
        v["hooks"]["UserPromptSubmit"][0]["hooks"][0]["command"],
        "keepmum-hook claude"
    );
}

// --------------------------------------------------------------- doctor

/// Builds a machine + repo where every control passes.
fn passing_fixture() -> Sandbox {
    let sb = Sandbox::new();
    let o = sb.run(&["print", "managed-settings"]);
    fs::create_dir_all(sb.managed.join("claude-code")).unwrap();
    fs::write(
        sb.managed.join("claude-code/managed-settings.json"),
        &o.stdout,
    )
    .unwrap();
    for host in ["claude", "cursor"] {
        assert_eq!(code(&sb.run(&["install", host])), 0);
    }
    assert_eq!(code(&sb.run(&["install", "codex", "--scope", "user"])), 0);
    write_file(
        &sb.home.join(".codex/config.toml"),
        "approval_policy = \"on-request\"\nsandbox_mode = \"workspace-write\"\n\n[mcp_servers.github]\ncommand = \"gh-mcp\"\nenv = { GITHUB_TOKEN = \"${GITHUB_TOKEN}\" }\n",
    );
    sb.write(
        ".pre-commit-config.yaml",
        "repos:\n  - repo: https://github.com/keepmum/keepmum\n    rev: v0.2.0\n    hooks:\n      - id: keepmum\n",
    );
    sb.write(".git/hooks/pre-commit", "#!/bin/sh\nexec pre-commit\n");
    sb.write(
        ".mcp.json",
        r#"{"mcpServers":{"gh":{"command":"gh-mcp","env":{"GITHUB_TOKEN":"${GITHUB_TOKEN}"}}}}"#,
    );
    sb
}

fn doctor_json(sb: &Sandbox) -> (i32, Value) {
    let o = sb.run(&["doctor", "--format", "json"]);
    let v: Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(&o), stderr(&o)));
    (code(&o), v)
}

fn statuses(v: &Value) -> Vec<(String, String)> {
    v["controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                c["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn status_of(v: &Value, id: &str) -> String {
    statuses(v)
        .into_iter()
        .find(|(i, _)| i == id)
        .unwrap_or_else(|| panic!("no control {id}"))
        .1
}

const ALL_CONTROLS: &[&str] = &[
    "claude.hook",
    "claude.deny-rules",
    "claude.bypass-disabled",
    "cursor.hook",
    "cursor.ignore",
    "codex.hook",
    "codex.sandbox",
    "codex.approval-policy",
    "precommit.hook",
    "agent-config.secrets",
];

#[test]
fn doctor_passes_on_a_fully_configured_fixture() {
    let sb = passing_fixture();
    let (rc, v) = doctor_json(&sb);
    let ids: Vec<String> = statuses(&v).into_iter().map(|(i, _)| i).collect();
    assert_eq!(ids, ALL_CONTROLS);
    for (id, status) in statuses(&v) {
        assert_eq!(status, "pass", "{id}: {v:#}");
    }
    assert_eq!(rc, 0);
    assert_eq!(v["status"], "pass");
    assert_eq!(v["tool"], "keepmum-hook");
    assert!(v["version"].as_str().is_some_and(|s| !s.is_empty()));
    let ts = v["generated_at"].as_str().unwrap();
    assert!(ts.ends_with('Z') && ts.len() == 24, "{ts}");
    assert!(v["host"].is_string() && v["user"].is_string());
    let managed = sb.managed.join("claude-code/managed-settings.json");
    let hook = v["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "claude.hook")
        .unwrap();
    assert_eq!(hook["evidence"][0], managed.display().to_string());
    let checked: Vec<&str> = v["checked_paths"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"].as_str().unwrap())
        .collect();
    assert!(checked.contains(&managed.display().to_string().as_str()));

    // Text form: one line per control.
    let o = sb.run(&["doctor"]);
    assert_eq!(code(&o), 0);
    assert_eq!(
        stdout(&o)
            .lines()
            .filter(|l| l.starts_with("PASS "))
            .count(),
        ALL_CONTROLS.len()
    );
}

#[test]
fn doctor_fails_each_control_separately() {
    type Breaker = fn(&Sandbox);
    let cases: &[(&str, Breaker)] = &[
        ("claude.hook", |sb| {
            let p = sb.managed.join("claude-code/managed-settings.json");
            let mut v: Value = serde_json::from_slice(&fs::read(&p).unwrap()).unwrap();
            v.as_object_mut().unwrap().remove("hooks");
            fs::write(&p, serde_json::to_vec(&v).unwrap()).unwrap();
            fs::remove_file(sb.proj.join(".claude/settings.json")).unwrap();
        }),
        ("claude.deny-rules", |sb| {
            for p in [
                sb.managed.join("claude-code/managed-settings.json"),
                sb.proj.join(".claude/settings.json"),
            ] {
                let mut v: Value = serde_json::from_slice(&fs::read(&p).unwrap()).unwrap();
                v["permissions"]["deny"] = serde_json::json!(["Read(./.env)"]);
                fs::write(&p, serde_json::to_vec(&v).unwrap()).unwrap();
            }
        }),
        ("claude.bypass-disabled", |sb| {
            for p in [
                sb.managed.join("claude-code/managed-settings.json"),
                sb.proj.join(".claude/settings.json"),
            ] {
                let mut v: Value = serde_json::from_slice(&fs::read(&p).unwrap()).unwrap();
                v["permissions"]
                    .as_object_mut()
                    .unwrap()
                    .remove("disableBypassPermissionsMode");
                fs::write(&p, serde_json::to_vec(&v).unwrap()).unwrap();
            }
        }),
        ("cursor.hook", |sb| {
            let p = sb.proj.join(".cursor/hooks.json");
            let text = fs::read_to_string(&p)
                .unwrap()
                .replace("\"failClosed\": true", "\"failClosed\": false");
            fs::write(&p, text).unwrap();
        }),
        ("cursor.ignore", |sb| {
            fs::write(sb.proj.join(".cursorignore"), ".env\n").unwrap();
        }),
        ("codex.hook", |sb| {
            fs::remove_file(sb.home.join(".codex/hooks.json")).unwrap();
        }),
        ("codex.sandbox", |sb| {
            let p = sb.home.join(".codex/config.toml");
            let text = fs::read_to_string(&p).unwrap()
                + "\n[profiles.yolo]\nsandbox_mode = \"danger-full-access\"\n";
            fs::write(&p, text).unwrap();
        }),
        ("codex.approval-policy", |sb| {
            let p = sb.home.join(".codex/config.toml");
            let text = fs::read_to_string(&p)
                .unwrap()
                .replace("approval_policy = \"on-request\"\n", "");
            fs::write(&p, text).unwrap();
        }),
        ("precommit.hook", |sb| {
            fs::remove_file(sb.proj.join(".git/hooks/pre-commit")).unwrap();
        }),
        ("agent-config.secrets", |sb| {
            let text = format!(
                "{{\n  \"mcpServers\": {{\n    \"gh\": {{\n      \"env\": {{ \"GITHUB_TOKEN\": \"{}\" }}\n    }}\n  }}\n}}\n",
                fake_token()
            );
            fs::write(sb.proj.join(".mcp.json"), text).unwrap();
        }),
    ];
    for (id, breaker) in cases {
        let sb = passing_fixture();
        breaker(&sb);
        let (rc, v) = doctor_json(&sb);
        assert_eq!(rc, 1, "{id}");
        assert_eq!(v["status"], "fail");
        for (other, status) in statuses(&v) {
            let want = if other == *id { "fail" } else { "pass" };
            assert_eq!(status, want, "breaking {id}: {other} is {status}\n{v:#}");
        }
    }
}

#[test]
fn doctor_reports_mcp_secrets_redacted_with_file_and_line() {
    let sb = passing_fixture();
    let token = fake_token();
    let text = format!(
        "{{\n  \"mcpServers\": {{\n    \"gh\": {{\n      \"env\": {{ \"GITHUB_TOKEN\": \"{token}\" }}\n    }}\n  }}\n}}\n"
    );
    fs::write(sb.proj.join(".mcp.json"), text).unwrap();
    // A token in ~/.claude.json outside mcpServers is not an MCP definition.
    let other = format!("ghp_{}", "Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2");
    let claude_json = format!(
        "{{\"primaryApiKey\":\"{other}\",\"projects\":{{\"/r\":{{\"mcpServers\":{{\"x\":{{\"env\":{{\"T\":\"{token}\"}}}}}}}}}}}}"
    );
    fs::write(sb.home.join(".claude.json"), claude_json).unwrap();
    let o = sb.run(&["doctor", "--format", "json"]);
    let out = stdout(&o);
    assert!(!out.contains(&token[4..]), "raw secret printed");
    assert!(!out.contains(&other[4..]), "raw secret printed");
    let v: Value = serde_json::from_str(&out).unwrap();
    let c = v["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "agent-config.secrets")
        .unwrap();
    assert_eq!(c["status"], "fail");
    let f = c["findings"].as_array().unwrap();
    assert_eq!(f.len(), 2, "{c:#}");
    assert_eq!(f[0]["rule"], "github-pat");
    assert_eq!(
        f[0]["file"],
        sb.proj.join(".mcp.json").display().to_string()
    );
    assert_eq!(f[0]["line"], 4);
    assert_eq!(
        f[1]["file"],
        sb.home.join(".claude.json").display().to_string()
    );
    let text = stdout(&sb.run(&["doctor"]));
    assert!(!text.contains(&token[4..]), "raw secret printed");
    assert!(text.contains("github-pat at "), "{text}");
}

#[test]
fn doctor_finds_controls_in_user_enterprise_and_toml_scopes() {
    let sb = Sandbox::new();
    // Claude: hook and rules in user settings only; bypass disabled there.
    assert_eq!(code(&sb.run(&["install", "claude", "--scope", "user"])), 0);
    let p = sb.home.join(".claude/settings.json");
    let mut v: Value = serde_json::from_slice(&fs::read(&p).unwrap()).unwrap();
    v["permissions"] = serde_json::json!({
        "deny": ["Read(.env)", "Read(.env.*)", "Read(./secrets/**)", "Read(./**/*.pem)", "Read(./**/*.key)"],
        "disableBypassPermissionsMode": "disable"
    });
    fs::write(&p, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
    // Cursor: enterprise hooks file.
    assert_eq!(
        code(&sb.run(&["install", "cursor", "--dir", sb.managed.to_str().unwrap()])),
        0
    );
    fs::create_dir_all(sb.managed.join("cursor")).unwrap();
    fs::rename(
        sb.managed.join(".cursor/hooks.json"),
        sb.managed.join("cursor/hooks.json"),
    )
    .unwrap();
    fs::rename(
        sb.managed.join(".cursorignore"),
        sb.proj.join(".cursorignore"),
    )
    .unwrap();
    // Codex: hooks as TOML tables in the project config.
    sb.write(
        ".codex/config.toml",
        "approval_policy = \"untrusted\"\n\n[[hooks.PreToolUse]]\nmatcher = \"*\"\n[[hooks.PreToolUse.hooks]]\ntype = \"command\"\ncommand = \"keepmum-hook codex\"\n\n[[hooks.UserPromptSubmit]]\n[[hooks.UserPromptSubmit.hooks]]\ntype = \"command\"\ncommand = \"/usr/local/bin/keepmum-hook codex\"\n",
    );
    let (_, v) = doctor_json(&sb);
    for id in [
        "claude.hook",
        "claude.deny-rules",
        "claude.bypass-disabled",
        "cursor.hook",
        "cursor.ignore",
        "codex.hook",
        "codex.sandbox",
        "codex.approval-policy",
    ] {
        assert_eq!(status_of(&v, id), "pass", "{id}: {v:#}");
    }
    let controls = v["controls"].as_array().unwrap();
    let find = |id: &str| controls.iter().find(|c| c["id"] == id).unwrap().clone();
    assert_eq!(find("claude.hook")["evidence"][0], p.display().to_string());
    assert!(find("claude.bypass-disabled")["details"][0]
        .as_str()
        .unwrap()
        .contains("user settings"));
    assert_eq!(
        find("cursor.hook")["evidence"][0],
        sb.managed.join("cursor/hooks.json").display().to_string()
    );
    assert_eq!(
        find("codex.hook")["evidence"][0],
        sb.proj.join(".codex/config.toml").display().to_string()
    );
    assert_eq!(status_of(&v, "precommit.hook"), "skip");

    // `disableAllHooks` in project settings switches a non-managed hook off.
    sb.write(".claude/settings.local.json", "{\"disableAllHooks\": true}");
    let (rc, v) = doctor_json(&sb);
    assert_eq!(rc, 1);
    assert_eq!(status_of(&v, "claude.hook"), "fail");
    // A malformed Codex config fails its controls instead of passing silently.
    sb.write(".codex/config.toml", "approval_policy = [");
    let (_, v) = doctor_json(&sb);
    assert_eq!(status_of(&v, "codex.sandbox"), "fail");
    assert_eq!(status_of(&v, "codex.approval-policy"), "fail");
}

#[test]
fn doctor_skips_hosts_that_are_not_configured() {
    let sb = Sandbox::new();
    let (rc, v) = doctor_json(&sb);
    for (id, status) in statuses(&v) {
        let want = if id == "agent-config.secrets" {
            "pass"
        } else {
            "skip"
        };
        assert_eq!(status, want, "{id}");
    }
    assert_eq!(rc, 0);
    // A bare .claude dir makes the Claude controls apply (and fail).
    fs::create_dir_all(sb.home.join(".claude")).unwrap();
    let (rc, v) = doctor_json(&sb);
    assert_eq!(rc, 1);
    assert_eq!(status_of(&v, "claude.hook"), "fail");
    assert_eq!(status_of(&v, "cursor.hook"), "skip");
}

// --------------------------------------------------------------- audit

fn read_log(sb: &Sandbox) -> Vec<Value> {
    fs::read_to_string(&sb.log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn audit_shell_preserves_exit_codes_and_logs_each_command() {
    let sb = Sandbox::new();
    for (cmd, want) in [
        ("exit 0", 0),
        ("exit 1", 1),
        ("exit 130", 130),
        ("kill -INT $$", 130),
        ("kill -TERM $$", 143),
        ("true && false", 1),
    ] {
        let o = sb.run(&["audit-shell", cmd]);
        assert_eq!(code(&o), want, "{cmd}: {}", stderr(&o));
        assert!(
            o.stdout.is_empty() && o.stderr.is_empty(),
            "{cmd}: {}",
            stderr(&o)
        );
    }
    let lines = read_log(&sb);
    let exits: Vec<i64> = lines.iter().map(|l| l["exit"].as_i64().unwrap()).collect();
    assert_eq!(exits, [0, 1, 130, 130, 143, 1]);
    assert_eq!(lines[1]["command"], "exit 1");
    // Keys in the documented order.
    let raw = fs::read_to_string(&sb.log).unwrap();
    let first = raw.lines().next().unwrap();
    let keys = [
        "v",
        "ts",
        "user",
        "host",
        "cwd",
        "session",
        "command",
        "exit",
        "duration_ms",
        "prev",
    ];
    let pos: Vec<usize> = keys
        .iter()
        .map(|k| first.find(&format!("\"{k}\":")).unwrap())
        .collect();
    assert!(pos.windows(2).all(|w| w[0] < w[1]), "{first}");
    assert_eq!(lines[0].as_object().unwrap().len(), keys.len());
    assert_eq!(lines[0]["prev"], "0".repeat(64));
    assert_eq!(
        lines[0]["cwd"],
        fs::canonicalize(&sb.proj).unwrap().display().to_string()
    );
    assert!(lines[0]["session"].is_null());
    let o = sb.run(&["audit", "verify", "--log", sb.log.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
}

#[test]
fn audit_shell_passes_bytes_through_untouched() {
    let sb = Sandbox::new();
    // Binary stdout, stderr kept apart, stdin passed through.
    let o = sb.run(&[
        "audit-shell",
        r"printf 'a\000b\377\376\r\n'; printf err >&2",
    ]);
    assert_eq!(code(&o), 0);
    assert_eq!(o.stdout, b"a\0b\xff\xfe\r\n");
    assert_eq!(o.stderr, b"err");
    let input: Vec<u8> = (0..=255u8).cycle().take(100_000).collect();
    let mut child = sb
        .cmd(&["audit-shell", "cat"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let data = input.clone();
    let writer = std::thread::spawn(move || stdin.write_all(&data).unwrap());
    let o = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert_eq!(code(&o), 0);
    assert_eq!(o.stdout, input);
}

#[test]
fn audit_shell_redacts_secrets_and_records_the_session() {
    let sb = Sandbox::new();
    let token = fake_token();
    let cmd = format!(
        "curl -H 'Authorization: token {token}' https://api.github.com/user >/dev/null; true"
    );
    let o = sb
        .cmd(&["audit-shell", &cmd])
        .env("CLAUDE_SESSION_ID", "sess-42")
        .output()
        .unwrap();
    assert_eq!(code(&o), 0);
    let raw = fs::read_to_string(&sb.log).unwrap();
    assert!(!raw.contains(&token[4..]), "secret in the audit log: {raw}");
    let line = &read_log(&sb)[0];
    assert_eq!(
        line["command"],
        "curl -H 'Authorization: token [REDACTED:github-pat]' https://api.github.com/user >/dev/null; true"
    );
    assert_eq!(line["session"], "sess-42");
}

#[test]
fn audit_log_defaults_to_xdg_state_home() {
    let sb = Sandbox::new();
    let state = sb.home.join("state");
    let o = sb
        .cmd(&["audit-shell", "true"])
        .env_remove("KEEPMUM_AUDIT_LOG")
        .env("XDG_STATE_HOME", &state)
        .output()
        .unwrap();
    assert_eq!(code(&o), 0);
    assert!(state.join("keepmum/audit.jsonl").exists());
    let o = sb
        .cmd(&["audit-shell", "true"])
        .env_remove("KEEPMUM_AUDIT_LOG")
        .output()
        .unwrap();
    assert_eq!(code(&o), 0);
    assert!(sb.home.join(".local/state/keepmum/audit.jsonl").exists());
}

fn verify(sb: &Sandbox, log: &Path) -> (i32, String) {
    let o = sb.run(&["audit", "verify", "--log", log.to_str().unwrap()]);
    (code(&o), stdout(&o))
}

#[test]
fn audit_verify_detects_edits_deletions_and_reordering() {
    let sb = Sandbox::new();
    for i in 0..6 {
        assert_eq!(code(&sb.run(&["audit-shell", &format!("exit {i}")])), i);
    }
    let good = fs::read_to_string(&sb.log).unwrap();
    let lines: Vec<&str> = good.lines().collect();
    assert_eq!(lines.len(), 6);
    assert_eq!(verify(&sb, &sb.log).0, 0);

    let tampered = sb.log.with_extension("bad");
    let check = |text: String, want_line: usize| {
        fs::write(&tampered, text).unwrap();
        let (rc, out) = verify(&sb, &tampered);
        assert_eq!(rc, 1, "{out}");
        assert!(out.contains(&format!("line {want_line}:")), "{out}");
    };
    // Edited: line 3 claims success; line 4's `prev` no longer matches.
    let mut edited = lines.clone();
    let e = edited[2].replace("\"exit\":2", "\"exit\":0");
    assert_ne!(e, edited[2]);
    edited[2] = &e;
    check(edited.join("\n") + "\n", 4);
    // Deleted line 3.
    let mut deleted = lines.clone();
    deleted.remove(2);
    check(deleted.join("\n") + "\n", 3);
    // Swapped lines 2 and 3.
    let mut swapped = lines.clone();
    swapped.swap(1, 2);
    check(swapped.join("\n") + "\n", 2);
    // First line deleted.
    check(lines[1..].join("\n") + "\n", 1);
    // Garbage line.
    let mut junk = lines.clone();
    junk.insert(3, "not json");
    check(junk.join("\n") + "\n", 4);

    // Truncating the tail passes alone but fails against an anchor.
    let o = sb.run(&["audit", "head", "--log", sb.log.to_str().unwrap()]);
    let head = stdout(&o);
    let (n, hash) = head.trim().split_once(' ').unwrap();
    assert_eq!(n, "6");
    fs::write(&tampered, lines[..5].join("\n") + "\n").unwrap();
    assert_eq!(verify(&sb, &tampered).0, 0);
    let anchor = format!("{n}:{hash}");
    let o = sb.run(&[
        "audit",
        "verify",
        "--log",
        tampered.to_str().unwrap(),
        "--anchor",
        &anchor,
    ]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    let o = sb.run(&[
        "audit",
        "verify",
        "--log",
        sb.log.to_str().unwrap(),
        "--anchor",
        &anchor,
    ]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
}

#[test]
fn concurrent_audit_writers_never_interleave_or_lose_lines() {
    // 8 x 500 in release builds (`cargo test --release`). A debug build of
    // the scanner takes ~50 ms of CPU to start, so debug runs default to
    // 8 x 32; set KEEPMUM_AUDIT_STRESS=500 for the full size anyway.
    const WRITERS: usize = 8;
    let per_writer: usize = std::env::var("KEEPMUM_AUDIT_STRESS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if cfg!(debug_assertions) { 32 } else { 500 });
    let sb = Sandbox::new();
    let start = Instant::now();
    std::thread::scope(|s| {
        for w in 0..WRITERS {
            let sb = &sb;
            s.spawn(move || {
                for i in 0..per_writer {
                    let st = sb
                        .cmd(&["audit-shell", &format!(": w{w} i{i}")])
                        .stdin(Stdio::null())
                        .status()
                        .unwrap();
                    assert!(st.success());
                }
            });
        }
    });
    let elapsed = start.elapsed();
    eprintln!("{} audit-shell runs in {elapsed:?}", WRITERS * per_writer);
    let lines = read_log(&sb);
    assert_eq!(lines.len(), WRITERS * per_writer);
    let mut seen: Vec<String> = lines
        .iter()
        .map(|l| l["command"].as_str().unwrap().to_string())
        .collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), WRITERS * per_writer, "duplicate or lost lines");
    let (rc, out) = verify(&sb, &sb.log);
    assert_eq!(rc, 0, "{out}");
    assert!(
        out.contains(&format!("{} lines", WRITERS * per_writer)),
        "{out}"
    );
}

// --------------------------------------------------------------- crash safety

/// Kills `install claude` at many points while it rewrites a large settings
/// file: the file must always be exactly the old or exactly the new version.
#[test]
fn install_killed_at_any_point_leaves_old_or_new_file() {
    let sb = Sandbox::new();
    let mut big = serde_json::Map::new();
    big.insert("model".into(), Value::from("opus"));
    let padding: Vec<Value> = (0..15_000)
        .map(|i| serde_json::json!({"rule": format!("Bash(tool-{i}:*)"), "note": "x".repeat(40)}))
        .collect();
    big.insert("padding".into(), Value::Array(padding));
    let old = serde_json::to_vec_pretty(&Value::Object(big)).unwrap();
    let path = sb.proj.join(".claude/settings.json");
    write_file(&path, "");
    fs::write(&path, &old).unwrap();

    // The expected result, and how long a run takes.
    let t = Instant::now();
    assert_eq!(code(&sb.run(&["install", "claude"])), 0);
    let full = t.elapsed();
    let new = fs::read(&path).unwrap();
    assert_ne!(new, old);
    eprintln!("install on {} bytes takes {full:?}", old.len());

    let rounds = 30u32;
    let (mut saw_old, mut saw_new, mut torn_tmp) = (0, 0, 0);
    let dir = path.parent().unwrap().to_path_buf();
    for k in 0..rounds {
        fs::write(&path, &old).unwrap();
        let mut child = sb
            .cmd(&["install", "claude"])
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(full.mul_f64(f64::from(k) / f64::from(rounds) * 1.2));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let now = fs::read(&path).unwrap();
        if now == old {
            saw_old += 1;
        } else if now == new {
            saw_new += 1;
        } else {
            panic!("round {k}: torn file of {} bytes", now.len());
        }
        // A temporary file left behind means the kill landed mid-write.
        for e in fs::read_dir(&dir).unwrap() {
            let e = e.unwrap();
            if e.file_name() != "settings.json" {
                torn_tmp += 1;
                fs::remove_file(e.path()).unwrap();
            }
        }
    }
    eprintln!(
        "{rounds} killed runs: {saw_old} left the old file, {saw_new} the new one, {torn_tmp} died inside the atomic write"
    );
    assert!(saw_old > 0 && saw_old + saw_new == rounds);
}
