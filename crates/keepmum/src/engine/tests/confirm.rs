//! Unit tests for `Engine::confirm`'s shortcuts on repeated and overlapping
//! windows (kept in a `tests/` folder so the repository's self-scan can
//! skip their synthetic secrets).

use crate::Scanner;

/// A line `generic-password` reports.
fn password_line() -> String {
    format!("db_password = \"{}\"\n", "Tr0ub4dor&3x")
}

/// The lines of `hay`'s `generic-password` findings.
fn password_lines(hay: &str) -> Vec<usize> {
    Scanner::new()
        .scan_bytes(hay.as_bytes())
        .iter()
        .filter(|f| f.rule_id() == "generic-password")
        .map(|f| f.line())
        .collect()
}

#[test]
fn a_line_repeated_is_reported_every_time() {
    let hay = password_line().repeat(50);
    assert_eq!(password_lines(&hay), (1..=50).collect::<Vec<_>>());
}

#[test]
fn a_line_allowed_by_the_line_before_is_still_reported_where_it_is_not() {
    // Line 3 is allowed by line 2; the same line 4 follows line 3, and
    // line 6 follows another line: neither is allowed. Then the same at the
    // input's start.
    let line = password_line();
    let hay = format!("x = 0\n# keepmum:allow-next-line\n{line}{line}x = 1\n{line}");
    assert_eq!(password_lines(&hay), vec![4, 6]);
    let hay = format!("# keepmum:allow-next-line\n{line}{line}");
    assert_eq!(password_lines(&hay), vec![3]);
}

#[test]
fn many_barren_lines_do_not_hide_a_different_one() {
    let barren = "password=x\n";
    let hay = format!(
        "{}{}{}",
        barren.repeat(1000),
        password_line(),
        barren.repeat(10)
    );
    assert_eq!(password_lines(&hay), vec![1001]);
}

#[test]
fn tokens_on_one_long_line_are_each_reported_once() {
    // Keyword hits every few bytes on a line longer than a window's reach:
    // the rule's windows overlap and merge, and each match is found once.
    let token = format!("ghp_{}", "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8");
    let hay = format!("{token} ").repeat(400);
    let found = Scanner::new().scan_bytes(hay.as_bytes());
    let mut starts: Vec<usize> = found
        .iter()
        .filter(|f| f.rule_id().starts_with("github"))
        .map(|f| f.span().start)
        .collect();
    let n = starts.len();
    starts.dedup();
    assert_eq!(starts.len(), n, "a span reported twice");
    assert_eq!(n, 400);
}

#[test]
fn consecutive_keyword_lines_are_one_window_confirmed_line_by_line() {
    use super::{Engine, Filters};
    // 3,000 short keyword lines: one candidate window for the run, not one
    // per line (a hostile file of them kept 24 bytes per line).
    let engine = Engine::new(&crate::RuleSet::builtin(), Filters::default());
    let hay = "password=x\n".repeat(3000);
    let windows = engine.candidates(hay.as_bytes(), None, false).windows;
    let password: Vec<_> = windows
        .iter()
        .filter(|c| engine.rules[c.rule as usize].spec.id == "generic-password")
        .collect();
    assert_eq!(password.len(), 1);
    assert!(password[0].lines && password[0].window == (0..hay.len() - 1));
    // Inside such a run, every line is still its own window: findings on
    // their lines, a line allowed by the one before it skipped, and no
    // match across a line break (`password=` ends one line, its value
    // would be on the next).
    let line = password_line();
    let hay = format!(
        "password=x\n{line}password=\nZq8Lw2Nx5R\n{line}# keepmum:allow-next-line password=y\n{line}{line}"
    );
    assert_eq!(password_lines(&hay), vec![2, 5, 8]);
}

#[test]
fn line_windows_equal_line_window_in_any_order() {
    use super::{line_window, LineWindows};
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move |n: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % n.max(1) as u64) as usize
    };
    for round in 0..300 {
        // Line breaks from every few bytes to none in 20 KB.
        let len = next(20_000);
        let every = [2, 40, 700, 3000, 9000, usize::MAX][round % 6];
        let hay: Vec<u8> = (0..len)
            .map(|_| if next(every) == 0 { b'\n' } else { b'x' })
            .collect();
        let mut spans: Vec<(usize, usize)> = (0..50)
            .map(|_| {
                let s = next(len + 1);
                (s, (s + next(600)).min(len))
            })
            .collect();
        if round % 2 == 0 {
            spans.sort_unstable();
        }
        let mut lines = LineWindows::default();
        for (s, e) in spans {
            assert_eq!(
                lines.window(&hay, s, e),
                line_window(&hay, s, e, false),
                "round {round}, span {s}..{e}"
            );
        }
    }
}

#[test]
fn rules_ruled_out_early_lose_no_finding() {
    // What the path alone rejects (personal data in tests and docs, emails
    // in project metadata, samples in tests) and high-entropy runs on lines
    // without a credential word are dropped before any regex runs: the
    // same findings as checking every match, for every built-in rule's
    // examples, under each filter setting and on each kind of path.
    use super::{Engine, Filters};
    use std::path::Path;
    let rules = crate::RuleSet::builtin();
    let mut text = String::new();
    for rule in rules.iter() {
        for example in rule.examples().iter().chain(rule.negative_examples()) {
            text.push_str(example);
            text.push('\n');
        }
    }
    // Random-looking runs with and without a credential word on their line,
    // on short lines and on lines longer than a window's reach.
    let token = "Zq8Lw2Nx5Rt7Vy3Pb6Hd9Kf4Mc1";
    text.push_str(&format!(
        "x = \"{token}\"\nauth = \"{token}\"\ngithub.com/a/b v1.0.0 h1:{token}Qw=\n\
         {} session {token} {}\n{} {token} {token}\n",
        "y ".repeat(800),
        "z ".repeat(2500),
        "w ".repeat(2000),
    ));
    let paths = [
        None,
        Some("internal/x_test.go"),
        Some("docs/guide.md"),
        Some("package.json"),
        Some("tests/data/argon2_hashes.json"),
        Some(".env"),
    ];
    // Each setting's two engines compile every rule (slow without
    // optimisations): the defaults, and every filter loosened.
    let settings = [(false, false), (true, true)];
    let mut ruled_out = 0;
    for (loose, anywhere) in settings {
        let filters = || Filters {
            inline_allow: true,
            decode_depth: 2,
            high_entropy_anywhere: anywhere,
            metadata_emails: loose,
            pii_in_tests_and_docs: loose,
            sample_values: loose,
            ..Filters::default()
        };
        // One engine both ways: its regexes compile once.
        let mut engine = Engine::new(&rules, filters());
        for path in paths {
            let path = path.map(Path::new);
            let key = |f: &crate::Finding| (f.rule_id().to_string(), f.span(), f.line());
            let mut run = |early: bool| {
                engine.early_rejects = early;
                let found: Vec<_> = engine.scan(text.as_bytes(), path).iter().map(key).collect();
                let windows = engine.candidates(text.as_bytes(), path, false).windows;
                (found, windows.len())
            };
            let (want, all) = run(false);
            let (got, kept) = run(true);
            assert!(!want.is_empty());
            assert_eq!(got, want, "{path:?} {loose} {anywhere}");
            ruled_out += all - kept;
        }
    }
    assert!(ruled_out > 0);
}
