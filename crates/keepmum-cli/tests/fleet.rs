//! Fleet scans: `scan --git` over several repositories, `--shard I/N`,
//! streamed JSON Lines and `merge`. The central check: for N = 1…4, by
//! repository and by blob, the merged shard outputs equal one run, finding
//! for finding.
//!
//! The repositories are built here with `git`; every token is synthetic and
//! built at run time, so this source holds nothing scannable.

#![allow(clippy::unwrap_used)]

#[allow(dead_code)]
mod util;

use std::path::Path;

use util::Dir;

/// A GitHub-classic-shaped token, distinct for each `n`, built from a
/// rotated alphabet.
fn token(n: usize) -> String {
    const ALPHABET: &[u8] = b"A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v2W3x4Y5z6";
    let body: String = (0..36)
        .map(|i| ALPHABET[(i * 7 + n * 5 + n / 9) % ALPHABET.len()] as char)
        .collect();
    format!("{}{}{body}", "gh", "p_")
}

fn commit(d: &Dir, repo: &str, msg: &str) {
    d.git(&["-C", repo, "add", "-A"]);
    d.git(&["-C", repo, "commit", "-q", "-m", msg]);
}

/// Three repositories with secrets in their history, one of them with many
/// blobs, plus `repos.txt` listing them.
fn fleet() -> Dir {
    let d = Dir::new();
    for repo in ["repos/alpha", "repos/beta", "repos/gamma"] {
        std::fs::create_dir_all(d.path().join(repo)).unwrap();
        d.git(&["-C", repo, "init", "-q"]);
    }
    // alpha: a secret added, then deleted (still in history).
    d.create(
        "repos/alpha/app/settings.py",
        format!("TOKEN = \"{}\"\n", token(1)),
    );
    commit(&d, "repos/alpha", "add settings");
    d.create(
        "repos/alpha/app/settings.py",
        "TOKEN = os.environ['TOKEN']\n",
    );
    commit(&d, "repos/alpha", "read the token from the environment");
    // beta: one secret that stays while the file changes around it: many
    // blobs hold it, only the first commit introduced it.
    for i in 0..12 {
        d.create(
            "repos/beta/config.py",
            format!("TOKEN = \"{}\"\nVERSION = {i}\n", token(2)),
        );
        commit(&d, "repos/beta", &format!("version {i}"));
    }
    // gamma: many blobs, many secrets, spread over commits.
    for c in 0..20 {
        for f in 0..4 {
            let n = 100 + c * 4 + f;
            d.create(
                &format!("repos/gamma/src/mod{f}/keys.py"),
                format!("KEY_{c} = \"{}\"\nOTHER = {c}\n", token(n)),
            );
        }
        commit(&d, "repos/gamma", &format!("keys {c}"));
    }
    d.create(
        "repos.txt",
        "# the fleet\nrepos/alpha\nrepos/beta\n\nrepos/gamma\n",
    );
    d
}

fn read(d: &Dir, name: &str) -> String {
    std::fs::read_to_string(d.path().join(name)).unwrap()
}

fn sorted_lines(text: &str) -> Vec<String> {
    let mut v: Vec<String> = text.lines().map(str::to_string).collect();
    v.sort();
    v
}

/// Asserts two reports are equal, showing the first line that differs.
fn same(got: &str, want: &str, what: &str) {
    if got != want {
        let (g, w): (Vec<&str>, Vec<&str>) = (got.lines().collect(), want.lines().collect());
        let i = (0..g.len().max(w.len()))
            .find(|i| g.get(*i) != w.get(*i))
            .unwrap_or(0);
        panic!(
            "{what}: {} lines, want {}; line {i} is\n{:?}\nwant\n{:?}",
            g.len(),
            w.len(),
            g.get(i),
            w.get(i)
        );
    }
}

#[test]
fn merged_shards_equal_a_single_run() {
    let d = fleet();
    let r = d.run(&[
        "scan",
        "--git",
        "--repos",
        "repos.txt",
        "-f",
        "jsonl",
        "-o",
        "single.jsonl",
    ]);
    assert_eq!(r.code, 1, "{r:?}");
    let single = read(&d, "single.jsonl");
    // 1 (alpha) + 1 (beta, once) + 80 (gamma).
    assert_eq!(single.lines().count(), 82, "{single}");
    assert!(
        !single.contains(&token(1)[6..20]),
        "raw value in the output"
    );
    for line in single.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        for key in ["repository", "path", "rule_id", "fingerprint", "redacted"] {
            assert!(v[key].is_string(), "{key} in {line}");
        }
        assert!(
            v["commit"]["sha"].is_string() && v["commit"]["order"].is_u64(),
            "{line}"
        );
    }
    let r = d.run(&[
        "merge",
        "single.jsonl",
        "-f",
        "jsonl",
        "-o",
        "reference.jsonl",
    ]);
    assert_eq!(r.code, 1, "{r:?}");
    let reference = read(&d, "reference.jsonl");
    // A single run has no duplicates: merging it changes only the order.
    same(
        &sorted_lines(&reference).join("\n"),
        &sorted_lines(&single).join("\n"),
        "a single run, merged",
    );

    for by in ["repo", "blob"] {
        for n in 1..=4 {
            let mut outputs = Vec::new();
            for i in 0..n {
                let out = format!("{by}-{i}-of-{n}.jsonl");
                let shard = format!("{i}/{n}");
                let r = d.run(&[
                    "scan",
                    "--git",
                    "--repos",
                    "repos.txt",
                    "--shard",
                    &shard,
                    "--shard-by",
                    by,
                    "-f",
                    "jsonl",
                    "-o",
                    &out,
                ]);
                assert!(r.code == 0 || r.code == 1, "{by} {shard}: {r:?}");
                outputs.push(out);
            }
            let shard_texts: Vec<String> = outputs.iter().map(|o| read(&d, o)).collect();
            if by == "blob" {
                // Every shard scanned part of gamma's blobs.
                for t in &shard_texts {
                    assert!(
                        t.contains("\"repository\":\"repos/gamma\""),
                        "{by} {n}: {t}"
                    );
                }
                let lines: usize = shard_texts.iter().map(|t| t.lines().count()).sum();
                // beta's secret is in blobs of several shards: reported by
                // each, merged back to its first commit.
                if n > 1 {
                    assert!(lines > 82, "{by} {n}: {lines}");
                }
            }
            let merged = format!("merged-{by}-{n}.jsonl");
            let mut args = vec!["merge", "-f", "jsonl", "-o", &merged];
            args.extend(outputs.iter().map(String::as_str));
            let r = d.run(&args);
            assert_eq!(r.code, 1, "{r:?}");
            same(
                &read(&d, &merged),
                &reference,
                &format!("{by} sharding, {n} shards"),
            );
        }
    }

    // Any report format from the merge; JSON equals the single run's JSON.
    let r = d.run(&["scan", "--git", "--repos", "repos.txt", "-f", "json"]);
    let direct = r.json()["findings"].clone();
    let r = d.run(&[
        "merge",
        "--format",
        "json",
        "blob-0-of-3.jsonl",
        "blob-1-of-3.jsonl",
        "blob-2-of-3.jsonl",
    ]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(r.json()["findings"], direct);
    assert!(direct[0]["path"]
        .as_str()
        .unwrap()
        .starts_with("repos/alpha/"));
    for format in ["sarif", "csv", "junit", "html", "text", "gitleaks-json"] {
        let r = d.run(&["merge", "-f", format, "repo-*-of-2.jsonl"]);
        assert_eq!(r.code, 1, "{format}: {r:?}");
        assert!(
            r.stdout.contains("repos/gamma/src/mod0/keys.py"),
            "{format}"
        );
        assert!(!r.stdout.contains(&token(100)[6..20]), "{format} leaks");
    }
    // stdin works as an input.
    let r = d.run_stdin(&["merge", "-f", "jsonl", "-"], single.as_bytes());
    same(&r.stdout, &reference, "from stdin");
}

#[test]
fn one_repository_is_split_by_blob() {
    let d = fleet();
    let r = d.run(&["scan", "--git", "repos/gamma", "-f", "jsonl"]);
    let whole = sorted_lines(&r.stdout);
    assert_eq!(whole.len(), 80);
    let mut parts = Vec::new();
    for i in 0..3 {
        let shard = format!("{i}/3");
        let r = d.run(&[
            "scan",
            "--git",
            "repos/gamma",
            "--shard",
            &shard,
            "-f",
            "jsonl",
        ]);
        assert!(!r.stdout.is_empty(), "shard {shard} got no blob");
        parts.extend(r.stdout.lines().map(str::to_string));
    }
    // Each secret is in exactly one blob here: nothing twice, nothing lost.
    parts.sort();
    assert_eq!(parts, whole);
}

#[test]
fn bad_shards_and_lists_are_clear_errors() {
    let d = fleet();
    let r = d.run(&["scan", "--git", "repos/alpha", "--shard", "5/4"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("below the count (0 to 3)"),
        "{}",
        r.stderr
    );
    let r = d.run(&["scan", "--git", "repos/alpha", "--shard", "0/0"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("at least 1"), "{}", r.stderr);
    let r = d.run(&["scan", "--git", "repos/alpha", "--shard", "two"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("INDEX/COUNT"), "{}", r.stderr);
    let r = d.run(&["scan", "--shard", "0/2", "."]);
    assert_eq!(r.code, 2, "--shard needs --git: {r:?}");
    let r = d.run(&["scan", "--git", "--repos", "no-such-list.txt"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("cannot read the repository list no-such-list.txt"),
        "{}",
        r.stderr
    );
    d.create("empty.txt", "# nothing\n\n");
    let r = d.run(&["scan", "--git", "--repos", "empty.txt"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("names no repository"), "{}", r.stderr);
    let r = d.run(&["merge", "nothing-*.jsonl"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no file matches"), "{}", r.stderr);
    d.create("garbage.jsonl", "{\"not\": \"a finding\"}\n");
    let r = d.run(&["merge", "garbage.jsonl"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("garbage.jsonl:1: not a keepmum finding record"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_path_that_is_not_a_repository_is_warned_about_and_fails_the_run() {
    let d = fleet();
    d.create("plain/readme.txt", "not a repository\n");
    d.create("list.txt", "repos/alpha\nplain-missing\nrepos/beta\n");
    // Under a temporary directory, `plain` may sit inside no repository.
    let r = d.run(&["scan", "--git", "--repos", "list.txt", "-f", "jsonl"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains("warning: skipped plain-missing"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("1 of 3 repositories could not be scanned"),
        "{}",
        r.stderr
    );
    // The others were still scanned and reported.
    assert!(
        r.stdout.contains("\"repository\":\"repos/alpha\""),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("\"repository\":\"repos/beta\""),
        "{}",
        r.stdout
    );
    let r = d.run(&[
        "scan",
        "--git",
        "repos/alpha",
        "plain-missing",
        "-f",
        "json",
    ]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.json()["findings"]
        .as_array()
        .is_some_and(|f| f.len() == 1));
    assert!(Path::new(&d.path().join("plain")).is_dir());
}

#[test]
fn directory_scans_stream_json_lines_too() {
    let d = Dir::new();
    d.create("a/conf.py", format!("TOKEN = \"{}\"\n", token(7)));
    d.create(
        "b/conf.py",
        format!("TOKEN = \"{}\"\nAGAIN = \"{}\"\n", token(8), token(8)),
    );
    let r = d.run(&["scan", "-f", "jsonl", "a", "b"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(r.stdout.lines().count(), 3, "{}", r.stdout);
    assert!(r.stdout.contains("\"repository\":null"), "{}", r.stdout);
    assert!(
        !r.stdout.contains(&token(8)[6..20]),
        "raw value in the output"
    );
    // The same secret twice in one file is two findings, in any format.
    let merged = d.run_stdin(&["merge", "-f", "json", "-"], r.stdout.as_bytes());
    let direct = d.run(&["scan", "-f", "json", "a", "b"]);
    assert_eq!(merged.json()["findings"], direct.json()["findings"]);
    // A baseline applies to streamed findings as to the others.
    let r = d.run(&["baseline", "create", "-o", ".secrets.baseline", "b"]);
    assert_eq!(r.code, 0, "{r:?}");
    let r = d.run(&[
        "scan",
        "-f",
        "jsonl",
        "--baseline",
        ".secrets.baseline",
        "a",
        "b",
    ]);
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
    assert!(r.stdout.contains("\"path\":\"a/conf.py\""), "{}", r.stdout);
}
