//! The gate's battery: one hook event per case, with the decision a
//! security-minded user expects, run through the real `keepmum-hook` binary.
//!
//! Cases live in `tests/battery/*.json` (an array of objects per file, one
//! file per class of issue 20). Each case has:
//!
//! - `name`, `reason`: what it checks and why the decision is right;
//! - `host`: `claude`, `cursor` or `codex`;
//! - `expect`: `allow`, `deny` (blocked, including fail-closed exit 2) or
//!   `redact` (the output is rewritten or withheld);
//! - `event`: the JSON on stdin, or `raw`: the bytes as a string
//!   (`pad`: that many spaces appended, for size caps);
//! - `setup`: optional shell commands run in the project first;
//! - `gap`: optional; a known limit, reported but not failed.
//!
//! Placeholders in every string (keys too): `{ROOT}` the project (a git
//! repository with `.env`, keys, a certificate, `secrets/`, UTF-16 and NUL
//! files), `{HOME}` a home with credential files, `{WORK}` a directory
//! holding `secrets/app` (an honest project under a folder named
//! `secrets`), `{OUT}` a directory outside any repository, `{TOKEN}` a
//! synthetic GitHub token (`{TOKEN_NUL}` the same with NULs between the
//! characters; `{TOKEN_ZW}`, `{TOKEN_WIDE}`, `{TOKEN_SPACED}`,
//! `{TOKEN_ENTITIES}`, `{TOKEN_CYRILLIC}`, `{TOKEN_SPLIT}`, `{TOKEN_SPLIT_PY}` disguised as [`disguised`] says;
//! `{TOKEN_REV}` written backwards; `{TOKEN_HEAD}`/`{TOKEN_TAIL}` its first 16
//! characters and the rest; `{TOKEN_P1}`, `{TOKEN_P2}`, `{TOKEN_P3}` it in
//! three pieces: 16, 12 and 12 characters), `{EMAIL}` a synthetic personal address. The test prints a table of mismatches and fails
//! on any, on a leaked token, or on an exit code other than 0 and 2.
//! `BATTERY_FILTER=text` runs only the cases whose name contains `text`,
//! `BATTERY_CLASS=file` only those of `tests/battery/file.json`;
//! `BATTERY_BIN=path` runs them against another `keepmum-hook` build.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

const TOKEN_BODY: &str = concat!("A1b2C3d4E5f6", "G7h8I9j0K1l2", "M3n4O5p6Q7r8");

fn token() -> String {
    ["ghp_", TOKEN_BODY].concat()
}

/// The token as a person or a model still reads it, disguised from a
/// plain scan: `how` is `zw` (zero-width spaces), `wide` (full-width
/// forms), `spaced` (a space between characters), `entities` (HTML
/// character references), `split`/`split-py` (string literals joined by
/// `+`, or by `+` and adjacency over lines) or `cyrillic` (look-alike
/// letters).
fn disguised(how: &str) -> String {
    let t = token();
    match how {
        "zw" => t.chars().flat_map(|c| [c, '\u{200b}']).collect(),
        "wide" => t
            .chars()
            .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap_or(c))
            .collect(),
        "spaced" => t.chars().map(String::from).collect::<Vec<_>>().join(" "),
        "entities" => t.chars().map(|c| format!("&#{};", c as u32)).collect(),
        "split" => format!("\"{}\" + \"{}\"", &t[..12], &t[12..]),
        "split-py" => format!(
            "(\"{}\"\n    \"{}\" +\n    \"{}\")",
            &t[..8],
            &t[8..20],
            &t[20..]
        ),
        _ => t
            .chars()
            .map(|c| match c {
                'A' => 'А',
                'C' => 'С',
                'E' => 'Е',
                'o' => 'о',
                _ => c,
            })
            .collect(),
    }
}

/// `s` with a NUL after every character, as UTF-16LE text decoded byte by
/// byte would look.
fn nul_interleaved(s: &str) -> String {
    s.chars().flat_map(|c| [c, '\0']).collect()
}

struct Dirs {
    root: PathBuf,
    home: PathBuf,
    work: PathBuf,
    out: PathBuf,
}

impl Dirs {
    fn under(base: &Path) -> Dirs {
        Dirs {
            root: base.join("proj"),
            home: base.join("home"),
            work: base.join("work"),
            out: base.join("out"),
        }
    }

    fn subst(&self, s: &str) -> String {
        s.replace("{ROOT}", &self.root.to_string_lossy())
            .replace("{HOME}", &self.home.to_string_lossy())
            .replace("{WORK}", &self.work.to_string_lossy())
            .replace("{OUT}", &self.out.to_string_lossy())
            .replace("{TOKEN_NUL}", &nul_interleaved(&token()))
            .replace("{TOKEN_ZW}", &disguised("zw"))
            .replace("{TOKEN_WIDE}", &disguised("wide"))
            .replace("{TOKEN_SPACED}", &disguised("spaced"))
            .replace("{TOKEN_ENTITIES}", &disguised("entities"))
            .replace("{TOKEN_CYRILLIC}", &disguised("cyrillic"))
            .replace("{TOKEN_SPLIT}", &disguised("split"))
            .replace("{TOKEN_SPLIT_PY}", &disguised("split-py"))
            .replace("{TOKEN_REV}", &token().chars().rev().collect::<String>())
            .replace("{TOKEN_P1}", &token()[..16])
            .replace("{TOKEN_P2}", &token()[16..28])
            .replace("{TOKEN_P3}", &token()[28..])
            .replace("{TOKEN_HEAD}", &token()[..16])
            .replace("{TOKEN_TAIL}", &token()[16..])
            .replace("{TOKEN}", &token())
            .replace("{EMAIL}", &["mara.lindqvist", "@", "nordpost.se"].concat())
    }

    fn subst_json(&self, v: &Value) -> Value {
        match v {
            Value::String(s) => Value::String(self.subst(s)),
            Value::Array(a) => Value::Array(a.iter().map(|x| self.subst_json(x)).collect()),
            Value::Object(o) => Value::Object(
                o.iter()
                    .map(|(k, x)| (self.subst(k), self.subst_json(x)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
}

fn git(dir: &Path, home: &Path, args: &[&str]) {
    let st = Command::new("git")
        .current_dir(dir)
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args([
            "-c",
            "user.name=Battery",
            "-c",
            "user.email=battery@example.com",
        ])
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("git runs");
    assert!(st.success(), "git {args:?}");
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// A synthetic PEM block: a repeating alphabet, obviously fake.
fn pem(label: &str) -> String {
    let body = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2";
    format!("-----BEGIN {label}-----\n{body}\n{body}\n{body}\n-----END {label}-----\n")
}

fn build_template(d: &Dirs) {
    let t = token();
    let r = &d.root;
    write(
        &r.join(".gitignore"),
        b".env\n.env.*\n!.env.example\nsecrets/\n*.log\nkey.pem\n",
    );
    write(
        &r.join(".env"),
        format!("API_TOKEN={t}\nDB_PASSWORD=changeme123\n").as_bytes(),
    );
    write(&r.join(".env.example"), b"API_TOKEN=\nDB_PASSWORD=\n");
    write(&r.join("README.md"), b"# demo\n\nA demo project.\n");
    write(
        &r.join("src/main.rs"),
        b"fn main() {\n    println!(\"hi\");\n}\n",
    );
    write(
        &r.join("config.json"),
        b"{\"name\": \"demo\", \"version\": \"1.0.0\"}\n",
    );
    write(
        &r.join("package.json"),
        b"{\"name\": \"demo\", \"version\": \"1.0.0\"}\n",
    );
    write(&r.join("cert.pem"), pem("CERTIFICATE").as_bytes());
    write(&r.join("key.pem"), pem("PRIVATE KEY").as_bytes());
    write(&r.join("secrets/prod.yaml"), b"db_password: changeme123\n");
    let utf16: Vec<u8> = format!("token = {t}\n")
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let mut bom = vec![0xFF, 0xFE];
    bom.extend(utf16);
    write(&r.join("docs/utf16.txt"), &bom);
    write(
        &r.join("docs/nul.txt"),
        format!("\0token = {t}\n").as_bytes(),
    );
    write(
        &r.join("ship.sh"),
        b"#!/bin/sh\ngit add -A\ngit commit -q -m ship\n",
    );
    git(r, &d.home, &["init", "-q", "-b", "main"]);
    git(r, &d.home, &["add", "-A"]);
    // The UTF-16/NUL fixtures carry the token: keep them out of history so
    // only cases that stage them see them.
    git(
        r,
        &d.home,
        &["rm", "-q", "--cached", "docs/utf16.txt", "docs/nul.txt"],
    );
    git(r, &d.home, &["commit", "-q", "-m", "init"]);
    std::fs::remove_dir_all(r.join("docs")).unwrap();
    write(&r.join("docs/utf16.txt"), &bom);
    write(
        &r.join("docs/nul.txt"),
        format!("\0token = {t}\n").as_bytes(),
    );
    // Untracked docs/ would be staged by `git add -A`: ignore it locally.
    write(&r.join(".git/info/exclude"), b"docs/\n");

    let h = &d.home;
    write(&h.join(".pgpass"), b"db:5432:app:app:changeme123\n");
    write(
        &h.join(".netrc"),
        b"machine example.com login u password changeme123\n",
    );
    write(
        &h.join(".git-credentials"),
        b"https://u:changeme123@example.com\n",
    );
    write(
        &h.join(".aws/credentials"),
        b"[default]\naws_secret_access_key = changeme123\n",
    );
    write(&h.join(".kube/config"), b"apiVersion: v1\nusers: []\n");
    write(&h.join(".docker/config.json"), b"{\"auths\": {}}\n");
    write(&h.join(".vault-token"), b"changeme123\n");
    write(
        &h.join(".config/gcloud/application_default_credentials.json"),
        b"{\"type\": \"authorized_user\"}\n",
    );
    write(
        &h.join(".ssh/id_rsa"),
        pem("OPENSSH PRIVATE KEY").as_bytes(),
    );
    write(
        &h.join(".ssh/id_rsa.pub"),
        b"ssh-rsa QUJD battery@example.com\n",
    );
    write(
        &h.join(".ssh/known_hosts"),
        b"example.com ssh-ed25519 QUJD\n",
    );

    let app = d.work.join("secrets/app");
    write(&app.join("src/main.rs"), b"fn main() {}\n");
    write(&app.join("README.md"), b"# app\n");
    git(&app, &d.home, &["init", "-q", "-b", "main"]);
    git(&app, &d.home, &["add", "-A"]);
    git(&app, &d.home, &["commit", "-q", "-m", "init"]);
    std::fs::create_dir_all(&d.out).unwrap();
}

/// What the host would do with the hook's answer.
fn decision(host: &str, event: &str, code: i32, stdout: &str) -> &'static str {
    if code == 2 {
        return "deny";
    }
    let Ok(v) = serde_json::from_str::<Value>(stdout.trim()) else {
        return "allow";
    };
    let h = &v["hookSpecificOutput"];
    if !h["updatedToolOutput"].is_null()
        || !h["updatedMCPToolOutput"].is_null()
        || !v["updated_mcp_tool_output"].is_null()
    {
        return "redact";
    }
    if v["decision"] == "block" {
        // Codex PostToolUse: a block withholds the output.
        return if host == "codex" && event == "PostToolUse" {
            "redact"
        } else {
            "deny"
        };
    }
    if matches!(h["permissionDecision"].as_str(), Some("deny" | "ask"))
        || v["permission"] == "deny"
        || v["continue"] == false
    {
        return "deny";
    }
    "allow"
}

#[test]
fn battery() {
    // `BATTERY_BIN=/path/to/keepmum-hook` runs the battery against another
    // build (e.g. an older release, for a before/after figure).
    let bin = std::env::var("BATTERY_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_keepmum-hook").to_string());
    let bin = bin.as_str();
    let base = tempfile::tempdir().unwrap();
    let template = base.path().join("template");
    let td = Dirs::under(&template);
    build_template(&td);

    let mut files: Vec<PathBuf> =
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/battery"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
    files.sort();
    let mut total = 0;
    let mut failures: Vec<String> = Vec::new();
    let mut gaps: Vec<String> = Vec::new();
    let mut names = std::collections::BTreeSet::new();
    for file in files {
        let cases: Vec<Value> =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let class = file.file_stem().unwrap().to_string_lossy().into_owned();
        let only_class = std::env::var("BATTERY_CLASS").ok();
        for case in cases {
            let name = case["name"].as_str().expect("name").to_string();
            assert!(names.insert(name.clone()), "duplicate case name {name}");
            if only_class.as_ref().is_some_and(|c| *c != class) {
                continue;
            }
            if let Ok(f) = std::env::var("BATTERY_FILTER") {
                if !name.contains(&f) {
                    continue;
                }
            }
            total += 1;
            let host = case["host"].as_str().expect("host");
            let expect = case["expect"].as_str().expect("expect");
            assert!(matches!(expect, "allow" | "deny" | "redact"), "{name}");
            assert!(case["reason"].is_string(), "{name}: reason");
            let dir = base.path().join(format!("case{total}"));
            let st = Command::new("cp")
                .arg("-a")
                .arg(&template)
                .arg(&dir)
                .status()
                .unwrap();
            assert!(st.success());
            let d = Dirs::under(&dir);
            for cmd in case["setup"].as_array().into_iter().flatten() {
                let cmd = d.subst(cmd.as_str().unwrap());
                let st = Command::new("sh")
                    .arg("-c")
                    .arg(&cmd)
                    .current_dir(&d.root)
                    .env("HOME", &d.home)
                    .env("GIT_CONFIG_NOSYSTEM", "1")
                    .env("GIT_AUTHOR_NAME", "Battery")
                    .env("GIT_AUTHOR_EMAIL", "battery@example.com")
                    .env("GIT_COMMITTER_NAME", "Battery")
                    .env("GIT_COMMITTER_EMAIL", "battery@example.com")
                    .stdout(Stdio::null())
                    .status()
                    .unwrap();
                assert!(st.success(), "{name}: setup `{cmd}` failed");
            }
            let (input, event_name) = match (&case["event"], &case["raw"]) {
                (Value::Object(_), _) => {
                    let ev = d.subst_json(&case["event"]);
                    let n = ev["hook_event_name"].as_str().unwrap_or("").to_string();
                    (ev.to_string().into_bytes(), n)
                }
                (_, Value::String(raw)) => {
                    let mut b = d.subst(raw).into_bytes();
                    let pad = case["pad"].as_u64().unwrap_or(0) as usize;
                    b.extend(std::iter::repeat_n(b' ', pad));
                    (b, String::new())
                }
                _ => panic!("{name}: needs event or raw"),
            };
            let mut child = Command::new(bin)
                .arg(host)
                .current_dir(&d.out)
                .env("HOME", &d.home)
                .env("KEEPMUM_MANAGED_CONFIG", dir.join("no-managed.toml"))
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .env_remove("CLAUDE_PROJECT_DIR")
                .env_remove("CURSOR_PROJECT_DIR")
                .env_remove("GIT_DIR")
                .env_remove("GIT_WORK_TREE")
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let mut stdin = child.stdin.take().unwrap();
            let writer = std::thread::spawn(move || {
                let _ = stdin.write_all(&input);
            });
            let out = child.wait_with_output().unwrap();
            let _ = writer.join();
            let code = out.status.code().unwrap_or(-1);
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            let got = decision(host, &event_name, code, &stdout);
            let mut problems = Vec::new();
            if got != expect {
                problems.push(format!("expected {expect}, got {got}"));
            }
            if stdout.contains(&TOKEN_BODY[4..16]) || stderr.contains(&TOKEN_BODY[4..16]) {
                problems.push("LEAK: token in output".to_string());
            }
            if code != 0 && code != 2 || stderr.contains("panicked") {
                problems.push(format!("bad exit {code}"));
            }
            if !problems.is_empty() {
                let first = stderr.lines().next().unwrap_or("");
                let detail = format!(
                    "{class:<14} {host:<6} {name:<48} {} | {}",
                    problems.join("; "),
                    if stdout.trim().is_empty() {
                        first
                    } else {
                        stdout.trim()
                    }
                    .chars()
                    .take(160)
                    .collect::<String>()
                );
                let leak = problems
                    .iter()
                    .any(|p| p.starts_with("LEAK") || p.starts_with("bad exit"));
                if case["gap"].is_string() && !leak {
                    gaps.push(format!("{detail} [gap: {}]", case["gap"].as_str().unwrap()));
                } else {
                    failures.push(detail);
                }
            }
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
    println!(
        "battery: {total} cases, {} failed, {} known gaps",
        failures.len(),
        gaps.len()
    );
    for g in &gaps {
        println!("  gap   {g}");
    }
    for f in &failures {
        println!("  FAIL  {f}");
    }
    if std::env::var_os("BATTERY_FILTER").is_none() && std::env::var_os("BATTERY_CLASS").is_none() {
        assert!(
            total >= 200,
            "the battery should hold at least 200 cases, has {total}"
        );
    }
    assert!(
        failures.is_empty(),
        "{} battery case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
