//! Integration tests of the `keepmum` binary: exit codes, report formats,
//! redaction, inputs (trees, stdin, the git index), ignore files, skips,
//! configuration and the `redact` and `rules` commands.
//!
//! Synthetic tokens are built at run time (see `util::token`) so this
//! source holds nothing scannable.

#![allow(clippy::unwrap_used)]

mod util;

use serde_json::Value;
use util::{token, token2, Dir, TOKEN_MIDDLE};

fn assoc(content: &str) -> String {
    format!("import os\n\nTOKEN = \"{content}\"\n")
}

// ---------------------------------------------------------------- exit codes

#[test]
fn clean_tree_exits_zero() {
    let d = Dir::new();
    d.create("src/main.rs", "fn main() { println!(\"hello\"); }\n");
    let r = d.run(&["scan"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.stdout, "");
    assert!(r.stderr.contains("0 findings"), "{}", r.stderr);
    // stderr is not a terminal: no progress line.
    assert!(!r.stderr.contains("scanning:"), "{}", r.stderr);
}

#[test]
fn findings_exit_one() {
    let d = Dir::new();
    d.create("src/conf.py", assoc(&token()));
    let r = d.run(&["scan", "."]);
    assert_eq!(r.code, 1, "{r:?}");
    r.assert_no_raw_token();
}

#[test]
fn bad_arguments_exit_two_with_one_line() {
    let d = Dir::new();
    for args in [
        &["scan", "--format", "xml"][..],
        &["scan", "--no-such-flag"],
        &["scan", "--threads", "many"],
        &["scan", "--max-file-size", "huge"],
        &["frobnicate"],
    ] {
        let r = d.run(args);
        assert_eq!(r.code, 2, "{args:?}: {r:?}");
        assert_eq!(r.stderr.lines().count(), 1, "{args:?}: {}", r.stderr);
        assert!(r.stderr.starts_with("keepmum: "), "{}", r.stderr);
    }
}

#[test]
fn missing_path_is_an_error_not_a_clean_scan() {
    let d = Dir::new();
    let r = d.run(&["scan", "does-not-exist"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(r.stderr.contains("does-not-exist"), "{}", r.stderr);
}

#[test]
fn help_and_version_exit_zero() {
    let d = Dir::new();
    for args in [
        &["--help"][..],
        &["scan", "--help"],
        &["rules", "list", "--help"],
        &["redact", "--help"],
        &["--version"],
    ] {
        let r = d.run(args);
        assert_eq!(r.code, 0, "{args:?}: {r:?}");
        assert!(!r.stdout.is_empty());
    }
    let r = d.run(&["scan", "--help"]);
    for flag in [
        "--staged",
        "--format",
        "--output",
        "--config",
        "--no-pii",
        "--show-secrets",
        "--threads",
    ] {
        assert!(r.stdout.contains(flag), "help lacks {flag}");
    }
}

// ------------------------------------------------------------------- text

#[test]
fn text_output_is_one_line_per_finding_sorted() {
    let d = Dir::new();
    d.create("b.py", assoc(&token()));
    d.create("a/z.env", format!("X=1\nK={}\nY={}\n", token2(), token()));
    let r = d.run(&["scan"]);
    assert_eq!(r.code, 1, "{r:?}");
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", r.stdout);
    assert!(
        lines[0].starts_with("a/z.env:2:3  github-pat  "),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("a/z.env:3:3  github-pat  "),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("b.py:3:10  github-pat  "),
        "{}",
        lines[2]
    );
    // Not a terminal: no colour.
    assert!(!r.stdout.contains('\x1b'));
    // The summary goes to stderr.
    assert!(r.stderr.contains("3 findings"), "{}", r.stderr);
    assert!(r.stderr.contains("scanned 2 files"), "{}", r.stderr);
    r.assert_no_raw_token();
}

#[test]
fn a_file_given_twice_is_reported_once() {
    let d = Dir::new();
    d.create("a.py", assoc(&token()));
    let r = d.run(&["scan", "a.py", "./a.py", "."]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
}

#[test]
fn show_secrets_prints_raw_values() {
    let d = Dir::new();
    d.create("a.py", assoc(&token()));
    let r = d.run(&["scan", "--show-secrets"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains(&token()), "{}", r.stdout);
}

// ------------------------------------------------------------------- json

#[test]
fn json_report_shape() {
    let d = Dir::new();
    d.create("src/conf.py", assoc(&token()));
    d.create("README.md", "nothing\n");
    let r = d.run(&["scan", "--format", "json"]);
    assert_eq!(r.code, 1, "{r:?}");
    r.assert_no_raw_token();
    let v = r.json();
    assert_eq!(v["version"], 1);
    assert_eq!(v["stats"]["files"], 2);
    assert!(v["stats"]["bytes"].as_u64().unwrap() > 0);
    assert!(v["stats"]["elapsed_ms"].is_u64());
    let f = &v["findings"].as_array().unwrap()[0];
    assert_eq!(f["rule_id"], "github-pat");
    assert_eq!(f["category"], "secret");
    assert_eq!(f["path"], "src/conf.py");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(3), Some(10))
    );
    assert_eq!(
        (f["end_line"].as_u64(), f["end_column"].as_u64()),
        (Some(3), Some(50))
    );
    for key in [
        "description",
        "redacted",
        "secret_sha1",
        "confidence",
        "fingerprint",
        "tags",
    ] {
        assert!(!f[key].is_null(), "missing {key}");
    }
    assert_eq!(f["secret_sha1"].as_str().unwrap().len(), 40);
    assert!(f.get("secret").is_none());
    // With --show-secrets the raw value is included.
    let r = d.run(&["scan", "--format", "json", "--show-secrets"]);
    assert_eq!(r.json()["findings"][0]["secret"], token());
}

#[test]
fn json_paths_are_relative_to_the_given_root() {
    let d = Dir::new();
    d.create("proj/sub/x.env", format!("K={}\n", token()));
    let r = d.run(&["scan", "--format", "json", "proj"]);
    assert_eq!(r.json()["findings"][0]["path"], "proj/sub/x.env");
    let r = d.run(&["scan", "--format", "json", "./proj/sub/x.env"]);
    assert_eq!(r.json()["findings"][0]["path"], "proj/sub/x.env");
}

#[test]
fn output_file_gets_the_report() {
    let d = Dir::new();
    d.create("a.py", assoc(&token()));
    let r = d.run(&[
        "scan",
        "--format",
        "json",
        "--output",
        "report.json",
        "a.py",
    ]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(r.stdout, "");
    let text = std::fs::read_to_string(d.path().join("report.json")).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["findings"].as_array().unwrap().len(), 1);
}

// ------------------------------------------------------------------ sarif

/// The official SARIF 2.1.0 (rtm.5) schema, vendored from the MIT-licensed
/// npm package `@microsoft/jest-sarif` 1.0.0-beta.0
/// (`lib/schemas/sarif-2.1.0-rtm.5.json`).
fn sarif_validator() -> jsonschema::Validator {
    let text = include_str!("fixtures/sarif-schema-2.1.0.json");
    // rtm.5 has a known typo in `run.language`'s pattern (a stray `]`) that
    // the meta-schema's regex format check rejects; use the corrected
    // pattern. keepmum never writes `language`.
    let text = text.replace(
        r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#,
        r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#,
    );
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .build(&schema)
        .unwrap()
}

fn assert_valid_sarif(v: &Value) {
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(v)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF: {errors:#?}");
}

#[test]
fn the_schema_check_can_fail() {
    // Guard against a validator that accepts anything.
    let bad = serde_json::json!({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]});
    assert!(!sarif_validator().is_valid(&bad));
}

#[test]
fn sarif_is_valid_and_github_ready() {
    let d = Dir::new();
    d.create("src/conf.py", assoc(&token()));
    d.create("docs/notes.txt", format!("old key: {}\n", token2()));
    let r = d.run(&["scan", "--format", "sarif", "--show-secrets"]);
    assert_eq!(r.code, 1, "{r:?}");
    // Even with --show-secrets, SARIF never holds raw secrets or their hashes.
    r.assert_no_raw_token();
    let v = r.json();
    assert_valid_sarif(&v);
    let sha = d.run(&["scan", "--format", "json"]).json()["findings"][0]["secret_sha1"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(!r.stdout.contains(&sha[..16]));
    assert_eq!(v["version"], "2.1.0");
    assert!(v["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run = &v["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "keepmum");
    assert!(driver["semanticVersion"].is_string());
    assert!(driver["informationUri"].is_string());
    let rules = driver["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    for res in results {
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        let rule = &rules[idx];
        assert_eq!(rule["id"], res["ruleId"]);
        for k in ["shortDescription", "fullDescription", "help"] {
            assert!(!rule[k]["text"].as_str().unwrap().is_empty(), "{k}");
        }
        let tags = rule["properties"]["tags"].as_array().unwrap();
        assert!(tags.contains(&Value::from("security")));
        let sev: f64 = rule["properties"]["security-severity"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((0.1..=10.0).contains(&sev));
        let loc = &res["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
        assert!(uri == "src/conf.py" || uri == "docs/notes.txt", "{uri}");
        let region = &loc["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1);
        assert!(region["endColumn"].as_u64().unwrap() > region["startColumn"].as_u64().unwrap());
        let hash = res["partialFingerprints"]["primaryLocationLineHash"]
            .as_str()
            .unwrap();
        let (hex, n) = hash.split_once(':').unwrap();
        assert!(
            u64::from_str_radix(hex, 16).is_ok() && n.parse::<u32>().unwrap() >= 1,
            "{hash}"
        );
    }
}

#[test]
fn sarif_with_no_findings_is_valid() {
    let d = Dir::new();
    d.create("a.txt", "hello\n");
    let r = d.run(&["scan", "--format", "sarif"]);
    assert_eq!(r.code, 0, "{r:?}");
    let v = r.json();
    assert_valid_sarif(&v);
    assert_eq!(v["runs"][0]["results"].as_array().unwrap().len(), 0);
}

// --------------------------------------------------- redaction everywhere

#[test]
fn no_raw_secret_in_any_format_without_show_secrets() {
    let d = Dir::new();
    d.create("a.py", assoc(&token()));
    for format in [
        "text",
        "json",
        "sarif",
        "gitleaks-json",
        "csv",
        "junit",
        "html",
    ] {
        let r = d.run(&["scan", "--format", format]);
        assert_eq!(r.code, 1, "{format}: {r:?}");
        r.assert_no_raw_token();
    }
    let r = d.run(&["scan", "--format", "gitleaks-json"]);
    let v = r.json();
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["RuleID"], "github-pat");
}

// ------------------------------------------------------------------ stdin

#[test]
fn stdin_is_scanned_with_dash() {
    let d = Dir::new();
    let input = format!("log line\nauth {}\n", token());
    let r = d.run_stdin(&["scan", "-", "--format", "json"], input.as_bytes());
    assert_eq!(r.code, 1, "{r:?}");
    r.assert_no_raw_token();
    let f = &r.json()["findings"][0];
    assert_eq!(f["path"], "-");
    assert_eq!(f["line"], 2);
    let r = d.run_stdin(&["scan", "-"], b"nothing to see\n");
    assert_eq!(r.code, 0, "{r:?}");
}

// ----------------------------------------------------------------- staged

#[test]
fn staged_secret_with_unstaged_fix_is_caught() {
    let d = Dir::new();
    d.git(&["init", "-q"]);
    d.create("README.md", "hi\n");
    d.git(&["add", "README.md"]);
    d.git(&["commit", "-q", "-m", "init"]);
    d.create("app/settings.py", assoc(&token()));
    d.git(&["add", "app/settings.py"]);
    // Fixed in the working tree only: the commit would still hold the token.
    d.create("app/settings.py", "TOKEN = os.environ[\"TOKEN\"]\n");
    assert_eq!(d.run(&["scan", "app"]).code, 0, "working tree is clean");
    let r = d.run(&["scan", "--staged", "--format", "json"]);
    assert_eq!(r.code, 1, "{r:?}");
    let f = &r.json()["findings"][0];
    assert_eq!(f["path"], "app/settings.py");
    assert_eq!(f["line"], 3);
    // From a subdirectory, paths stay repository-relative.
    let mut cmd = d.command(&["scan", "--staged", "--format", "json"]);
    let out = cmd.current_dir(d.path().join("app")).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["findings"][0]["path"], "app/settings.py");
    // SARIF of staged content hashes the staged line.
    let r = d.run(&["scan", "--staged", "--format", "sarif"]);
    assert_valid_sarif(&r.json());
    // Once the fix is staged too, the index is clean.
    d.git(&["add", "app/settings.py"]);
    let r = d.run(&["scan", "--staged"]);
    assert_eq!(r.code, 0, "{r:?}");
}

#[test]
fn staged_outside_a_repository_is_an_error() {
    let d = Dir::new();
    let r = d.run(&["scan", "--staged"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(r.stderr.starts_with("keepmum: git"), "{}", r.stderr);
}

// ------------------------------------------------------------ ignore files

#[test]
fn ignore_files_are_honoured_unless_no_ignore() {
    let d = Dir::new();
    d.create(".keepmumignore", "fixtures/\n");
    d.create(".gitignore", "build/\n*.log\n");
    d.create("fixtures/fake.env", format!("K={}\n", token()));
    d.create("build/out.txt", format!("K={}\n", token()));
    d.create("debug.log", format!("K={}\n", token()));
    d.create("src/ok.rs", "fn main() {}\n");
    let r = d.run(&["scan"]);
    assert_eq!(r.code, 0, "{r:?}");
    let r = d.run(&["scan", "--no-ignore", "--format", "json"]);
    assert_eq!(r.code, 1, "{r:?}");
    let mut paths: Vec<String> = r.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    paths.sort();
    assert_eq!(paths, ["build/out.txt", "debug.log", "fixtures/fake.env"]);
}

// ------------------------------------------------------------------ skips

#[test]
fn binary_and_oversized_files_are_skipped_with_a_note() {
    let d = Dir::new();
    let mut bin = b"\x00\x01\x02PNG".to_vec();
    bin.extend_from_slice(format!("K={}\n", token()).as_bytes());
    d.create("image.png", bin);
    let mut big = "x".repeat(300);
    big.push_str(&format!("\nK={}\n", token()));
    d.create("big.txt", big);
    d.create("small.txt", "ok\n");
    let r = d.run(&["scan", "--max-file-size", "200"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stderr.contains("big.txt"), "{}", r.stderr);
    assert!(r.stderr.contains("larger than"), "{}", r.stderr);
    assert!(r.stderr.contains("1 binary file"), "{}", r.stderr);
    assert!(r.stderr.contains("scanned 1 file"), "{}", r.stderr);
    // Without the cap the big file is scanned.
    assert_eq!(d.run(&["scan"]).code, 1);
}

#[test]
fn unreadable_files_warn_and_the_scan_continues() {
    let d = Dir::new();
    d.create("a.env", format!("K={}\n", token()));
    #[cfg(unix)]
    std::os::unix::fs::symlink(d.path().join("missing-target"), d.path().join("dangling")).unwrap();
    let r = d.run(&["scan", "--follow-symlinks"]);
    assert_eq!(r.code, 1, "the readable file is still scanned: {r:?}");
    #[cfg(unix)]
    assert!(
        r.stderr.contains("keepmum: warning:") && r.stderr.contains("dangling"),
        "{}",
        r.stderr
    );
    // Symbolic links are not followed by default: no warning.
    let r = d.run(&["scan"]);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
}

// ----------------------------------------------------------------- config

#[test]
fn bad_config_exits_two_with_one_line() {
    let d = Dir::new();
    d.create("a.txt", "ok\n");
    for (name, text) in [
        ("typo.toml", "[scan]\npii = true\nmax_filesize = 3\n"),
        ("syntax.toml", "[scan\n"),
        (
            "rule.toml",
            "[[rule]]\nid = \"x\"\ndescription = \"d\"\nregex = '''(a'''\nkeywords = [\"abc\"]\n",
        ),
        ("disabled.toml", "disabled_rules = [\"no-such-rule\"]\n"),
    ] {
        d.create(name, text);
        let r = d.run(&["scan", "--config", name]);
        assert_eq!(r.code, 2, "{name}: {r:?}");
        assert_eq!(r.stderr.lines().count(), 1, "{name}: {}", r.stderr);
        assert!(r.stderr.starts_with("keepmum: "), "{}", r.stderr);
    }
    let r = d.run(&["scan", "--config", "missing.toml"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("missing.toml"), "{}", r.stderr);
    // A broken discovered config is an error too.
    d.create(".keepmum.toml", "nonsense = 1\n");
    let r = d.run(&["scan"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("unknown field"), "{}", r.stderr);
}

#[test]
fn config_file_adds_rules_disables_rules_and_allowlists() {
    let d = Dir::new();
    let custom = ["acme", "_", "0123456789abcdef0123"].concat();
    d.create("a.env", format!("K={}\nA={custom}\n", token()));
    d.create(
        ".keepmum.toml",
        "disabled_rules = [\"github-pat\"]\n\n[[rule]]\nid = \"acme-key\"\ndescription = \"ACME key\"\nregex = '''\\b(acme_[0-9a-f]{20})\\b'''\nkeywords = [\"acme_\"]\n",
    );
    let r = d.run(&["scan", "--format", "json"]);
    assert_eq!(r.code, 1, "{r:?}");
    let ids: Vec<String> = r.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["acme-key"]);
    // rules list sees the same rules.
    let r = d.run(&["rules", "list"]);
    assert!(r.stdout.contains("acme-key"));
    assert!(!r.stdout.lines().any(|l| l.starts_with("github-pat ")));
    // An allowlist silences everything under a path.
    d.create(".keepmum.toml", "[allowlist]\npaths = ['a\\.env$']\n");
    assert_eq!(d.run(&["scan"]).code, 0);
}

#[test]
fn gitleaks_config_is_accepted() {
    let d = Dir::new();
    let custom = ["acme", "_", "0123456789abcdef0123"].concat();
    d.create("a.env", format!("K={}\nA={custom}\n", token()));
    d.create(
        "gitleaks.toml",
        "title = \"t\"\n\n[[rules]]\nid = \"acme-key\"\ndescription = \"ACME key\"\nregex = '''\\b(acme_[0-9a-f]{20})\\b'''\nkeywords = [\"acme_\"]\n",
    );
    let r = d.run(&["scan", "--format", "json", "--config", "gitleaks.toml"]);
    assert_eq!(r.code, 1, "{r:?}");
    let ids: Vec<String> = r.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap().to_string())
        .collect();
    // Without `[extend] useDefault = true`, only the file's rules run.
    assert_eq!(ids, ["acme-key"]);
}

// ------------------------------------------------------------- pii flags

#[test]
fn pii_can_be_turned_off_or_on_alone() {
    let d = Dir::new();
    let email = ["ana.lima", "@", "contoso-mail.net"].concat();
    d.create("users.csv", format!("id,name,email\n17,Ana Lima,{email}\n"));
    d.create("k.env", format!("K={}\n", token()));
    let rule_ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["scan", "--format", "json"];
        all.extend_from_slice(args);
        let r = d.run(&all);
        let mut ids: Vec<String> = r.json()["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["category"].as_str().unwrap().to_string())
            .collect();
        ids.dedup();
        ids
    };
    let default = rule_ids(&[]);
    assert!(default.contains(&"secret".to_string()), "{default:?}");
    assert!(
        default.contains(&"pii".to_string()),
        "email not found: {default:?}"
    );
    assert_eq!(rule_ids(&["--no-pii"]), ["secret"]);
    assert_eq!(rule_ids(&["--only", "pii"]), ["pii"]);
    assert_eq!(rule_ids(&["--only", "secrets"]), ["secret"]);
}

// -------------------------------------------------------------- baseline

#[test]
fn baseline_filters_known_findings() {
    let d = Dir::new();
    d.create("a.py", assoc(&token()));
    let v = d.run(&["scan", "--format", "json"]).json();
    let sha = v["findings"][0]["secret_sha1"]
        .as_str()
        .unwrap()
        .to_string();
    let baseline = serde_json::json!({
        "version": "1.5.0",
        "plugins_used": [],
        "filters_used": [],
        "results": { "a.py": [ {
            "type": "GitHub Token", "filename": "a.py", "hashed_secret": sha,
            "is_verified": false, "line_number": 3
        } ] },
        "generated_at": "2026-01-01T00:00:00Z"
    });
    d.create(".secrets.baseline", baseline.to_string());
    let r = d.run(&["scan", "--baseline", ".secrets.baseline", "a.py"]);
    assert_eq!(r.code, 0, "{r:?}");
    // A new secret is still reported.
    d.create("b.py", assoc(&token2()));
    let r = d.run(&["scan", "--baseline", ".secrets.baseline", "a.py", "b.py"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stdout.starts_with("b.py:"), "{}", r.stdout);
    // An unreadable baseline is an error.
    d.create("bad.baseline", "{not json");
    let r = d.run(&["scan", "--baseline", "bad.baseline"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
}

#[test]
fn gitleaksignore_drops_listed_findings() {
    let d = Dir::new();
    d.create("a.py", assoc(&token()));
    d.create("b.py", assoc(&token2()));
    d.create(".gitleaksignore", "# reviewed\na.py:github-pat:3\n");
    let r = d.run(&["scan"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stdout.starts_with("b.py:3:10"), "{}", r.stdout);
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
}

// ---------------------------------------------------------------- redact

#[test]
fn redact_replaces_secrets_from_stdin_and_files() {
    let d = Dir::new();
    let input = format!("user=bob\ntoken={}\nend\n", token());
    let r = d.run_stdin(&["redact"], input.as_bytes());
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.stdout, "user=bob\ntoken=[REDACTED:github-pat]\nend\n");
    d.create("one.txt", format!("a {}\n", token()));
    d.create("two.txt", "clean\n");
    let r = d.run(&["redact", "one.txt", "two.txt"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.stdout, "a [REDACTED:github-pat]\nclean\n");
    let r = d.run(&["redact", "nope.txt"]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stderr.lines().count(), 1);
}

#[test]
fn redact_removes_a_whole_private_key_in_a_large_stream() {
    let d = Dir::new();
    let mut body = String::new();
    for i in 0..30 {
        body.push_str(&format!(
            "MIIEow{i:02}{}{}{}\n",
            "Qk9HVVNrZXk", "ZmFrZWZha2Vm", "YWtlMDEyMzQ1Njc4OQ"
        ));
    }
    let key = format!(
        "-----BEGIN RSA {}-----\n{body}-----END RSA {}-----\n",
        "PRIVATE KEY", "PRIVATE KEY"
    );
    // Enough filler that the key lands at an arbitrary offset in the stream.
    let mut input = "filler line of text\n".repeat(60_000);
    input.push_str(&key);
    input.push_str(&"trailing text\n".repeat(1000));
    let r = d.run_stdin(&["redact"], input.as_bytes());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains("MIIEow"), "key body leaked");
    assert_eq!(r.stdout.matches("[REDACTED:private-key-rsa]").count(), 1);
    assert!(r.stdout.ends_with("trailing text\n"));
}

#[test]
fn redact_streams_large_input_without_leaking() {
    let d = Dir::new();
    let mut input = String::new();
    for i in 0..40_000 {
        input.push_str(&format!("line {i} of filler text\n"));
        if i % 5_000 == 17 {
            input.push_str(&format!("secret {}\n", token()));
        }
    }
    let r = d.run_stdin(&["redact"], input.as_bytes());
    assert_eq!(r.code, 0);
    assert!(!r.stdout.contains(TOKEN_MIDDLE));
    assert_eq!(r.stdout.matches("[REDACTED:github-pat]").count(), 8);
    assert_eq!(
        r.stdout.len(),
        input.len() - 8 * (token().len() - "[REDACTED:github-pat]".len())
    );
}

// ----------------------------------------------------------------- rules

#[test]
fn rules_list_text_and_json() {
    let d = Dir::new();
    let r = d.run(&["rules", "list"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.lines().any(|l| l.starts_with("github-pat ")),
        "{}",
        r.stdout
    );
    let r = d.run(&["rules", "list", "--format", "json"]);
    let v = r.json();
    let rules = v.as_array().unwrap();
    let gh = rules.iter().find(|r| r["id"] == "github-pat").unwrap();
    assert_eq!(gh["category"], "secret");
    assert!(gh["description"].is_string());
    assert!(gh["tags"].is_array());
}

// ------------------------------------------------------------ git history

/// Commits everything in `d` and returns the new commit id.
fn commit_all(d: &Dir, msg: &str) -> String {
    d.git(&["add", "-A"]);
    d.git(&["commit", "-q", "-m", msg]);
    let out = d.command(&[]).output().ok();
    drop(out);
    let out = std::process::Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(d.path())
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn git_history_finds_a_removed_secret_with_its_commit() {
    let d = Dir::new();
    d.git(&["init", "-q"]);
    d.create("README.md", "hi\n");
    commit_all(&d, "init");
    d.create("app/settings.py", assoc(&token()));
    let added = commit_all(&d, "add settings");
    d.create("app/settings.py", "TOKEN = os.environ[\"TOKEN\"]\n");
    commit_all(&d, "remove the token");
    assert_eq!(d.run(&["scan"]).code, 0, "the work tree is clean");
    let r = d.run(&["scan", "--git", "--format", "json"]);
    assert_eq!(r.code, 1, "{r:?}");
    r.assert_no_raw_token();
    let f = &r.json()["findings"][0];
    assert_eq!(f["path"], "app/settings.py");
    assert_eq!(f["commit"]["sha"], added.as_str());
    assert_eq!(f["commit"]["message"], "add settings");
    // Text and gitleaks-json name the commit too.
    let r = d.run(&["scan", "--git"]);
    assert!(r.stdout.contains(&added[..10]), "{}", r.stdout);
    let r = d.run(&["scan", "--git", "--format", "gitleaks-json"]);
    assert_eq!(r.json()[0]["Commit"], added.as_str());
    // So do the CSV, JUnit and HTML reports; HTML draws a timeline.
    let r = d.run(&["scan", "--git", "--format", "csv"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stdout.starts_with("RuleID,Commit,File,"), "{}", r.stdout);
    assert!(r
        .stdout
        .contains(&format!("github-pat,{added},app/settings.py,")));
    let r = d.run(&["scan", "--git", "--format", "junit"]);
    assert!(
        r.stdout.contains(&format!(", at commit {added}.")),
        "{}",
        r.stdout
    );
    let r = d.run(&["scan", "--git", "--format", "html"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stdout.contains("id=\"timeline\""));
    assert!(r
        .stdout
        .contains("<span class=\"n\" id=\"total-findings\">1</span>"));
    // A range after the secret's removal is clean.
    let r = d.run(&["scan", "--git", "--range", &format!("{added}..HEAD")]);
    assert_eq!(r.code, 0, "{r:?}");
    let r = d.run(&["scan", "--git", "--range", "nonsense"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
}

#[test]
fn pre_push_scans_only_the_pushed_commits() {
    let d = Dir::new();
    d.git(&["init", "-q"]);
    d.create("a.py", assoc(&token()));
    let old = commit_all(&d, "old secret, already on the remote");
    d.create("b.txt", "clean\n");
    let new = commit_all(&d, "clean change");
    let line = format!("refs/heads/main {new} refs/heads/main {old}\n");
    let r = d.run_stdin(&["scan", "--pre-push"], line.as_bytes());
    assert_eq!(r.code, 0, "{r:?}");
    d.create("c.env", format!("K={}\n", token2()));
    let newer = commit_all(&d, "leak");
    let line = format!("refs/heads/main {newer} refs/heads/main {new}\n");
    let r = d.run_stdin(&["scan", "--pre-push", "--format", "json"], line.as_bytes());
    assert_eq!(r.code, 1, "{r:?}");
    let findings = r.json()["findings"].as_array().unwrap().clone();
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["path"], "c.env");
    // Deleting a remote branch pushes nothing.
    let zero = "0".repeat(40);
    let line = format!("(delete) {zero} refs/heads/old {newer}\n");
    assert_eq!(
        d.run_stdin(&["scan", "--pre-push"], line.as_bytes()).code,
        0
    );
}

#[test]
fn secrets_inside_archives_and_encodings_are_found() {
    use std::io::Write;
    let d = Dir::new();
    // A gzip member holding a config file.
    let mut gz = Vec::new();
    {
        // Hand-rolled gzip with a stored (uncompressed) deflate block.
        let body = format!("K={}\n", token());
        let data = body.as_bytes();
        gz.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
        gz.push(1);
        gz.extend_from_slice(&(data.len() as u16).to_le_bytes());
        gz.extend_from_slice(&(!(data.len() as u16)).to_le_bytes());
        gz.extend_from_slice(data);
        let crc = crc32(data);
        gz.write_all(&crc.to_le_bytes()).unwrap();
        gz.write_all(&(data.len() as u32).to_le_bytes()).unwrap();
    }
    d.create("dist/config.env.gz", &gz);
    let r = d.run(&["scan", "--format", "json"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(
        r.json()["findings"][0]["path"],
        "dist/config.env.gz!config.env"
    );
    assert_eq!(d.run(&["scan", "--no-archives"]).code, 0);
    // The same token, base64-encoded, in a YAML value.
    let d = Dir::new();
    let b64 = base64(format!("token: {}", token()).as_bytes());
    d.create("k8s/secret.yaml", format!("data:\n  config: {b64}\n"));
    let r = d.run(&["scan", "--format", "json"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(r.json()["findings"][0]["decoders"][0], "base64");
    assert_eq!(r.json()["findings"][0]["line"], 2);
    assert_eq!(d.run(&["scan", "--decode-depth", "0"]).code, 0);
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn base64(data: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for c in data.chunks(3) {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        for k in 0..4 {
            if k <= c.len() {
                s.push(A[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

#[test]
fn rules_list_json_has_per_rule_data() {
    let d = Dir::new();
    let r = d.run(&["rules", "list", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rules: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let rules = rules.as_array().unwrap();
    let pat = rules.iter().find(|r| r["id"] == "github-pat").unwrap();
    assert_eq!(pat["provider"], "github");
    assert_eq!(pat["family"], "vcs");
    assert_eq!(pat["specificity"], "provider");
    assert!(pat["examples"].as_u64().unwrap() >= 1);
    assert!(pat["negative_examples"].as_u64().is_some());
    let generic = rules
        .iter()
        .find(|r| r["id"] == "generic-password")
        .unwrap();
    assert_eq!(generic["provider"], "generic");
    assert_eq!(generic["specificity"], "generic");
}

/// `RULES.md` is generated from the built-in rules; regenerate it with
/// `cargo run -p keepmum-cli -- rules list --format markdown > RULES.md`.
#[test]
fn rules_md_is_up_to_date() {
    let d = Dir::new();
    let r = d.run(&["rules", "list", "--format", "markdown"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../RULES.md");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == r.stdout,
        "RULES.md is stale: run `cargo run -p keepmum-cli -- rules list --format markdown > RULES.md`"
    );
}
