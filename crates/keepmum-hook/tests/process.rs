//! The built binary: argument handling, stdin, exit codes.

use crate::util::*;

#[test]
fn clean_event_exits_zero_silently() {
    let d = tempfile::tempdir().unwrap();
    let ev = serde_json::json!({ "hook_event_name": "UserPromptSubmit", "cwd": d.path(), "prompt": "hi" });
    let (code, out, err) = run_bin(&["claude"], ev.to_string().as_bytes());
    assert_eq!((code, out.as_str(), err.as_str()), (0, "", ""));
}

#[test]
fn deny_through_the_binary() {
    let d = tempfile::tempdir().unwrap();
    let ev = claude_pre(
        d.path(),
        "Bash",
        serde_json::json!({ "command": "cat .env" }),
    );
    let (code, out, _) = run_bin(&["claude"], ev.to_string().as_bytes());
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["hookSpecificOutput"]["permissionDecision"], "deny");
}

#[test]
fn malformed_exits_two_and_fail_open_exits_zero() {
    let (code, out, err) = run_bin(&["claude"], b"{oops");
    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert!(err.contains("malformed event JSON"), "{err}");
    let (code, _, err) = run_bin(&["codex", "--fail-open"], b"{oops");
    assert_eq!(code, 0);
    assert!(err.contains("failing open"), "{err}");
    let (code, _, _) = run_bin(&["cursor"], b"");
    assert_eq!(code, 2);
}

#[test]
fn oversized_input_exits_two() {
    let mut big = b"{\"prompt\":\"".to_vec();
    big.resize(keepmum_hook::MAX_INPUT + 10, b'a');
    let (code, _, err) = run_bin(&["claude"], &big);
    assert_eq!(code, 2);
    assert!(err.contains("16 MiB"), "{err}");
    let (code, _, _) = run_bin(&["claude", "--fail-open"], &big);
    assert_eq!(code, 0);
}

#[test]
fn bad_arguments_exit_two() {
    assert_eq!(run_bin(&[], b"").0, 2);
    assert_eq!(run_bin(&["vscode"], b"{}").0, 2);
    assert_eq!(run_bin(&["claude", "--bogus"], b"{}").0, 2);
    assert_eq!(run_bin(&["claude", "--config"], b"{}").0, 2);
    assert_eq!(run_bin(&["--help"], b"").0, 0);
}

#[test]
fn host_help_prints_usage_and_exits_zero() {
    // Issue 17 item 10: `keepmum-hook claude --help` used to exit 2.
    for host in ["claude", "cursor", "codex"] {
        for flag in ["--help", "-h"] {
            let (code, out, _) = run_bin(&[host, flag], b"");
            assert_eq!(code, 0, "{host} {flag}");
            assert!(out.contains("usage: keepmum-hook"), "{host} {flag}: {out}");
        }
    }
}

#[test]
fn config_flag() {
    let d = tempfile::tempdir().unwrap();
    let cfg = d.path().join("p.toml");
    std::fs::write(&cfg, "[hook.actions]\nprompt = \"allow\"\n").unwrap();
    let ev = serde_json::json!({ "hook_event_name": "UserPromptSubmit", "cwd": d.path(), "prompt": tok() });
    let (code, out, _) = run_bin(
        &["claude", "--config", cfg.to_str().unwrap()],
        ev.to_string().as_bytes(),
    );
    assert_eq!((code, out.as_str()), (0, ""));
    let (code, out, _) = run_bin(&["claude"], ev.to_string().as_bytes());
    assert_eq!(code, 0);
    assert!(out.contains("\"block\""));
    // A missing config file is an error, not a silent default.
    let (code, _, _) = run_bin(
        &["claude", "--config", "/nonexistent/p.toml"],
        ev.to_string().as_bytes(),
    );
    assert_eq!(code, 2);
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config { cases: 64, ..Default::default() })]

    /// Arbitrary bytes never panic: they are parsed or rejected with exit 2.
    #[test]
    fn arbitrary_input_never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
        let o = keepmum_hook::handle(keepmum_hook::Host::Claude, &bytes, &keepmum_hook::Options::default());
        proptest::prop_assert!(o.code == 0 || o.code == 2);
        let _ = keepmum_hook::parse_event(&bytes);
    }

    /// Arbitrary command lines in a well-formed event get a decision, not an error.
    #[test]
    fn arbitrary_commands_get_a_decision(cmd in "[ -~\n]{0,120}") {
        let d = tempfile::tempdir().unwrap();
        let mut ev = claude_pre(d.path(), "Bash", serde_json::json!({ "command": cmd }));
        for host in [keepmum_hook::Host::Claude, keepmum_hook::Host::Codex, keepmum_hook::Host::Cursor] {
            if host == keepmum_hook::Host::Cursor {
                // Each host gets its own event name; another host's is refused.
                ev["hook_event_name"] = serde_json::json!("preToolUse");
            }
            let o = run(host, &ev);
            proptest::prop_assert_eq!(o.code, 0, "{}", o.stderr);
        }
    }
}
