//! Unit tests for `engine::runs`.

use super::*;
use crate::engine::compile_regex;
use crate::rules::RuleSet;

fn run_of(pattern: &str) -> Option<Run> {
    let config = regex_automata::util::syntax::Config::new()
        .unicode(false)
        .utf8(false)
        .multi_line(false);
    required_run(&regex_automata::util::syntax::parse_with(pattern, &config).ok()?)
}

#[test]
fn runs_follow_the_regex_structure() {
    let cases: &[(&str, Option<(usize, usize)>)] = &[
        // A counted class, and what adjoins it in a concatenation.
        (r"key_[a-z0-9]{32}", Some((36, 37))),
        (r"\bxoxb-[0-9]{10,13}\b", Some((15, 14))),
        // Look-arounds and captures do not break a run.
        (r"(?:ab)\b([0-9]{8})", Some((10, 12))),
        // An optional or starred part adds nothing but may join its set.
        (r"[0-9]{4}(?:-[0-9]{4})?", None),
        (r"[0-9]{6}x*[0-9]{3}", Some((9, 11))),
        // Branches of known bytes join the run; bytes it cannot know (a
        // Unicode class) break it, and the better side is kept.
        (r"[a-f]{8}(?:\.|::)[0-9]{6}", Some((15, 18))),
        (r"[a-f]{8}(?u:\w)[0-9]{6}", Some((8, 6))),
        // Every branch must hold a run: the shortest, in the union.
        (r"(?:[a-c]{8}|[x-z]{10})", Some((8, 6))),
        (r"(?:[a-c]{8}|q)", None),
        // Too short to be worth a pass, and no run at all.
        (r"ab", None),
        (r".*", None),
        // A run without a space beats a longer one with it.
        (r"[a-z ]{40}=[0-9]{6}", Some((6, 10))),
    ];
    for &(pattern, want) in cases {
        assert_eq!(run_of(pattern).map(|r| r.describe()), want, "{pattern}");
    }
}

#[test]
fn a_tight_run_keeps_to_one_byte_set() {
    let config = regex_automata::util::syntax::Config::new()
        .unicode(false)
        .utf8(false);
    let tight = |pattern: &str| {
        let hir = regex_automata::util::syntax::parse_with(pattern, &config).ok()?;
        tight_run(&hir).map(|r| r.describe())
    };
    // A JWT: the signature's 16 bytes, not the 40 of the joined segments.
    let jwt =
        r"(?:^|[^A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,})";
    assert_eq!(tight(jwt), Some((16, 64)));
    let Some(run) = regex_automata::util::syntax::parse_with(jwt, &config)
        .ok()
        .and_then(|h| tight_run(&h))
    else {
        panic!("no tight run");
    };
    assert!(!run.holds("eyJhbGciOi.eyJzdWIiOi.".repeat(50).as_bytes()));
    assert!(run.holds(b"eyJhbGciOi.eyJzdWIiOi.A1b2C3d4-E5f6G7h8_I9"));
    // Look-arounds do not break a run; no tighter run than the joined one.
    assert_eq!(tight(r"\b[a-z0-9]{32}\b"), None);
    assert_eq!(tight(r"key_[a-z0-9]{32}"), Some((32, 36)));
}

#[test]
fn a_run_holds_only_where_enough_class_bytes_follow_each_other() {
    let Some(run) = run_of(r"tok_[0-9]{6}") else {
        panic!("no run");
    };
    assert!(run.holds(b"x = tok_123456;"));
    assert!(run.holds(b"0000000000"));
    assert!(!run.holds(b"tok_12345 tok_1"));
    assert!(!run.holds(b""));
}

#[test]
fn every_builtin_example_match_holds_its_rules_runs() {
    let (mut with_run, mut with_tight) = (0, 0);
    let config = regex_automata::util::syntax::Config::new()
        .unicode(false)
        .utf8(false)
        .multi_line(false);
    for rule in RuleSet::builtin().iter() {
        let Ok(hir) = regex_automata::util::syntax::parse_with(&rule.spec.regex, &config) else {
            panic!("{} does not parse", rule.spec.id);
        };
        let runs: Vec<Run> = required_run(&hir)
            .into_iter()
            .chain(tight_run(&hir))
            .collect();
        if runs.is_empty() {
            continue;
        }
        with_run += 1;
        with_tight += usize::from(tight_run(&hir).is_some());
        let Ok(re) = compile_regex(&rule.spec.regex) else {
            panic!("{} does not compile", rule.spec.id);
        };
        for ex in rule.examples() {
            for m in re.find_iter(ex.as_bytes()) {
                let text = &ex.as_bytes()[m.range()];
                for run in &runs {
                    assert!(run.holds(text), "{}: {ex}", rule.spec.id);
                }
            }
        }
    }
    // Not vacuous: most provider rules have a run, many a tighter one.
    assert!(with_run >= 1000, "only {with_run} rules with a run");
    assert!(
        with_tight >= 100,
        "only {with_tight} rules with a tight run"
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]
    /// The skipping search answers as a byte-by-byte one does.
    #[test]
    fn a_run_is_found_as_a_plain_reading_finds_it(
        text in "[ab.]{0,80}",
        len in 6usize..12,
    ) {
        let Some(run) = run_of(&format!("[ab]{{{len}}}")) else {
            return Err(proptest::test_runner::TestCaseError::fail("no run"));
        };
        proptest::prop_assert_eq!(run.holds(text.as_bytes()), run.holds_plainly(text.as_bytes()));
    }

    /// Whatever the input, a match never lacks the run.
    #[test]
    fn a_match_always_contains_the_run(
        text in "[a-d0-3 _.:-]{0,60}",
        pick in 0usize..10,
    ) {
        let patterns = [
            r"[a-d]{3}_[0-3]{4}",
            r"(?:ab|cd)[0-3]{5}\b",
            r"[a-d]{2}(?:-[0-3]{2}){2,3}",
            r"(?:[a-b]{6}|[c-d]{7}|[0-1]{8})",
            r"a(?:b|c)?[0-3]{3}[a-d]{3}",
            r"(?i:AB)[0-3 ]{4}\.[a-d]+",
            r"(?:a[0-3]{2}){3}",
            r"[a-d]+:[0-3]{6}",
            r"(_)[a-d]{2}\b[0-3]{4}",
            r"[0-3]{3}(?:[a-d]{2}|[_.]{3})[0-3]{3}",
        ];
        let pattern = patterns[pick];
        let re = compile_regex(pattern).map_err(proptest::test_runner::TestCaseError::fail)?;
        let config = regex_automata::util::syntax::Config::new().unicode(false).utf8(false);
        let hir = regex_automata::util::syntax::parse_with(pattern, &config)
            .map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
        for run in required_run(&hir).into_iter().chain(tight_run(&hir)) {
            for m in re.find_iter(text.as_bytes()) {
                proptest::prop_assert!(run.holds(&text.as_bytes()[m.range()]), "{}", pattern);
            }
        }
    }
}
