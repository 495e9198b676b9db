//! issue 17 (day-one swap): what broke when teams replaced gitleaks and
//! detect-secrets, one test per item, each failing before its fix.
//!
//! Tokens are synthetic and assembled at run time (see `util::token`).

#![allow(clippy::unwrap_used)]

// Shared with the main integration tests; not every helper is used here.
#[allow(dead_code)]
mod util;

use util::{token, Dir};

fn assign(tok: &str) -> String {
    format!("TOKEN = \"{tok}\"\n")
}

/// Paths (relative, `./` removed) of the findings in a JSON report.
fn finding_paths(r: &util::Run) -> Vec<String> {
    let mut v: Vec<String> = r.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let p = f["path"].as_str().unwrap();
            p.strip_prefix("./").unwrap_or(p).to_string()
        })
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Item 2: an anchored path allowlist applies under `scan .` too.
#[test]
fn anchored_path_allowlists_apply_to_directory_scans() {
    let d = Dir::new();
    d.create("vendor/lib/a.py", assign(&token()));
    d.create("tests/fixtures/b.py", assign(&token()));
    d.create("src/c.py", assign(&token()));
    d.create(
        ".keepmum.toml",
        "[allowlist]\npaths = ['^vendor/', '^tests/fixtures/']\n",
    );
    for args in [&["scan", "-f", "json"][..], &["scan", "-f", "json", "."]] {
        let r = d.run(args);
        assert_eq!(r.code, 1, "{r:?}");
        assert_eq!(finding_paths(&r), ["src/c.py"], "{args:?}");
    }
    // The same through a gitleaks configuration's allowlist.
    d.create(
        "gl.toml",
        "[extend]\nuseDefault = true\n[allowlist]\npaths = ['''^vendor/''', '''^tests/''']\n",
    );
    let r = d.run(&["scan", "-f", "json", "--config", "gl.toml", "."]);
    assert_eq!(finding_paths(&r), ["src/c.py"], "{r:?}");
}

/// A detect-secrets baseline as detect-secrets writes it, holding one entry.
fn ds_baseline(file: &str) -> String {
    let hash = "0123456789abcdef0123456789abcdef01234567";
    format!(
        "{{\n  \"version\": \"1.5.0\",\n  \"plugins_used\": [\n    {{\n      \"name\": \"KeywordDetector\"\n    }}\n  ],\n  \"filters_used\": [],\n  \"results\": {{\n    \"{file}\": [\n      {{\n        \"type\": \"Secret Keyword\",\n        \"filename\": \"{file}\",\n        \"hashed_secret\": \"{hash}\",\n        \"is_verified\": false,\n        \"line_number\": 1\n      }}\n    ]\n  }},\n  \"generated_at\": \"2026-01-01T00:00:00Z\"\n}}\n"
    )
}

/// Item 3: a detect-secrets baseline is never reported as secrets, in a
/// tree scan, a history scan, or when creating another baseline.
#[test]
fn baselines_are_not_scanned() {
    let d = Dir::new();
    d.create(".secrets.baseline", ds_baseline("app.py"));
    d.create("app.py", "print('hello')\n");
    let r = d.run(&["scan", "--baseline", ".secrets.baseline", "."]);
    assert_eq!(r.code, 0, "{r:?}");
    let r = d.run(&["scan", "."]);
    assert_eq!(r.code, 0, "{r:?}");
    d.git(&["init", "-q"]);
    d.git(&["add", "-A"]);
    d.git(&["commit", "-q", "-m", "baseline"]);
    let r = d.run(&["scan", "--git", "."]);
    assert_eq!(r.code, 0, "{r:?}");
    let r = d.run(&["baseline", "create", "-o", "other.json"]);
    assert_eq!(r.code, 0, "{r:?}");
    let other = std::fs::read_to_string(d.path().join("other.json")).unwrap();
    assert!(!other.contains("hashed_secret"), "{other}");
}

/// Item 6: `.keepmumignore` applies to `--staged` and `--git` as to `scan .`.
#[test]
fn keepmumignore_applies_to_staged_and_history_scans() {
    let d = Dir::new();
    d.create("fixtures/x.py", assign(&token()));
    d.create(".keepmumignore", "fixtures/\n");
    d.git(&["init", "-q"]);
    d.git(&["add", "-A"]);
    for args in [&["scan", "."][..], &["scan", "--staged"]] {
        let r = d.run(args);
        assert_eq!(r.code, 0, "{args:?}: {r:?}");
    }
    d.git(&["commit", "-q", "-m", "fixtures"]);
    let r = d.run(&["scan", "--git", "."]);
    assert_eq!(r.code, 0, "{r:?}");
    // Not ignored: found in all three.
    d.create("src/y.py", assign(&token()));
    d.git(&["add", "-A"]);
    let r = d.run(&["scan", "--staged"]);
    assert_eq!(r.code, 1, "{r:?}");
    d.git(&["commit", "-q", "-m", "src"]);
    let r = d.run(&["scan", "--git", "."]);
    assert_eq!(r.code, 1, "{r:?}");
}

/// Item 7: `scan src/` from the root honours the root's `.keepmum.toml`;
/// item 1: `.gitleaks.toml` is discovered and its import warnings printed.
#[test]
fn configuration_is_found_in_parent_directories() {
    let d = Dir::new();
    d.git(&["init", "-q"]);
    d.create("src/deep/a.py", assign(&token()));
    d.create(".keepmum.toml", "disabled_rules = [\"github-pat\"]\n");
    let r = d.run(&["scan", "-f", "json", "src/"]);
    assert!(
        r.json()["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["rule_id"] != "github-pat"),
        "{r:?}"
    );
    std::fs::remove_file(d.path().join(".keepmum.toml")).unwrap();
    d.create(
        ".gitleaks.toml",
        "[[rules]]\nid = \"acme\"\nregex = '''acme_[a-z]{8}'''\nkeywords = [\"acme_\"]\n\
         [[rules]]\nid = \"p12\"\npath = '''\\.p12$'''\n",
    );
    d.create("src/deep/b.txt", "k = acme_abcdefgh\n");
    let r = d.run(&["scan", "-f", "json", "src/deep"]);
    assert_eq!(r.code, 1, "{r:?}");
    let ids: Vec<String> = r.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["acme"], "{r:?}");
    assert!(
        r.stderr.contains("warning") && r.stderr.contains("\"p12\""),
        "{}",
        r.stderr
    );
}

/// Item 9: an existing baseline is never overwritten by `create` without
/// --force; item 10: `baseline create` takes the common scanner flags.
#[test]
fn baseline_create_keeps_an_existing_baseline() {
    let d = Dir::new();
    d.create("app.py", assign(&token()));
    let r = d.run(&["baseline", "create", "-o", ".secrets.baseline"]);
    assert_eq!(r.code, 0, "{r:?}");
    let before = std::fs::read_to_string(d.path().join(".secrets.baseline")).unwrap();
    let audited = before.replace(
        "\"is_verified\": false",
        "\"is_secret\": false, \"is_verified\": false",
    );
    std::fs::write(d.path().join(".secrets.baseline"), &audited).unwrap();
    let r = d.run(&["baseline", "create", "-o", ".secrets.baseline"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("baseline update"), "{}", r.stderr);
    let after = std::fs::read_to_string(d.path().join(".secrets.baseline")).unwrap();
    assert_eq!(after, audited);
    let r = d.run(&["baseline", "create", "-o", ".secrets.baseline", "--force"]);
    assert_eq!(r.code, 0, "{r:?}");
    // The flags every command takes.
    d.create("cfg.toml", "disabled_rules = [\"github-pat\"]\n");
    for args in [
        &["baseline", "create", "--config", "cfg.toml"][..],
        &["baseline", "create", "--no-pii"],
        &["baseline", "create", "--only", "secrets"],
    ] {
        let r = d.run(args);
        assert_eq!(r.code, 0, "{args:?}: {r:?}");
    }
    let r = d.run(&["baseline", "create", "--config", "cfg.toml"]);
    assert!(r.stdout.contains("\"results\": {}"), "{}", r.stdout);
}

/// Item 5: an unquoted password holding shell or URL metacharacters is
/// taken whole, as detect-secrets takes it (same SHA-1 in baselines), and
/// `redact` leaves none of it in the clear. Hashes checked against
/// detect-secrets 1.5.0 on the same lines.
#[test]
fn passwords_with_metacharacters_are_taken_whole() {
    let d = Dir::new();
    // (line, SHA-1 of what detect-secrets 1.5.0 hashes: the whole value,
    // without a trailing comma)
    let cases = [
        (
            "password = Tr0ub4dor&3-horse-battery",
            "99b4c50933756f639fb514fd1131b4d560d4b767",
        ),
        (
            "password = Tr0ub4dor;3-horse-battery",
            "6701a4e2299f377c9886679ed2809ffa3ca1d0a2",
        ),
        (
            "password = Tr0ub4dor,3-horse-battery",
            "05a700304fd5b73946143cadb1c34c128aef2e08",
        ),
        (
            "password = Tr0ub4dor|3-horse-battery",
            "5149211fea1bdb4bec28bfc142efce2e4c6d19db",
        ),
        (
            "password=Tr0ub4dor&3-horse-battery,",
            "99b4c50933756f639fb514fd1131b4d560d4b767",
        ),
    ];
    for (i, (line, want)) in cases.iter().enumerate() {
        let name = format!("c{i}.yaml");
        d.create(&name, format!("{line}\n"));
        let r = d.run(&["baseline", "create", &name]);
        assert_eq!(r.code, 0, "{r:?}");
        assert!(r.stdout.contains(want), "{line}: {}", r.stdout);
        let r = d.run_stdin(&["redact"], format!("{line}\n").as_bytes());
        assert!(!r.stdout.contains("horse"), "{line}: {}", r.stdout);
    }
}

/// Item 7: `init` writes a commented sample configuration, never over an
/// existing one.
#[test]
fn init_writes_a_sample_config_once() {
    let d = Dir::new();
    let r = d.run(&["init"]);
    assert_eq!(r.code, 0, "{r:?}");
    let text = std::fs::read_to_string(d.path().join(".keepmum.toml")).unwrap();
    assert!(text.contains("# disabled_rules"), "{text}");
    // The sample is picked up and changes nothing.
    d.create("a.py", assign(&token()));
    assert_eq!(d.run(&["scan"]).code, 1);
    std::fs::write(d.path().join(".keepmum.toml"), "[scan]\nsecrets = false\n").unwrap();
    let r = d.run(&["init"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("--force"), "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(d.path().join(".keepmum.toml")).unwrap(),
        "[scan]\nsecrets = false\n"
    );
    assert_eq!(d.run(&["init", "--force"]).code, 0);
}

/// Item 10: clap's "did you mean" survives the one-line error; a revision
/// beyond the history is a plain sentence; JSON and SARIF runs still print
/// the summary line on stderr.
#[test]
fn polish_of_errors_and_summaries() {
    let d = Dir::new();
    let r = d.run(&["scan", "--stagd"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(r.stderr.contains("'--staged'"), "{}", r.stderr);

    d.create("a.py", "print('hello')\n");
    d.git(&["init", "-q"]);
    d.git(&["add", "-A"]);
    d.git(&["commit", "-q", "-m", "one"]);
    let r = d.run(&["scan", "--git", "--since", "HEAD~5", "."]);
    assert_eq!(r.code, 2, "{r:?}");
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(r.stderr.contains("HEAD~5"), "{}", r.stderr);
    assert!(!r.stderr.contains("delegate"), "{}", r.stderr);

    for format in ["json", "sarif", "gitleaks-json"] {
        let r = d.run(&["scan", "-f", format, "."]);
        assert_eq!(r.code, 0, "{r:?}");
        assert!(r.stderr.contains("0 findings"), "{format}: {}", r.stderr);
    }
}

/// Item 10: in `baseline audit`, `y` (detect-secrets: "should be committed",
/// a false positive) is not silently taken as "real"; the code around the
/// secret is shown as it is.
#[test]
fn audit_answers_are_unambiguous() {
    let d = Dir::new();
    d.create(
        "app.py",
        format!("def get_connection_string():\n    {}", assign(&token())),
    );
    assert_eq!(
        d.run(&["baseline", "create", "-o", ".secrets.baseline"])
            .code,
        0
    );
    let mut cmd = d.command(&["baseline", "audit"]);
    cmd.env("KEEPMUM_AUDIT_FORCE", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    {
        use std::io::Write as _;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(b"y\nf\n").unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("ambiguous"), "{stdout}");
    assert!(stdout.contains("get_connection_string"), "{stdout}");
    assert!(!stdout.contains(util::TOKEN_MIDDLE), "{stdout}");
    let b = std::fs::read_to_string(d.path().join(".secrets.baseline")).unwrap();
    assert!(b.contains("\"is_secret\": false"), "{b}");
}
