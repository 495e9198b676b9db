//! Unit tests for `engine::gate`.

use super::*;
use crate::engine::compile_regex;
use crate::rules::RuleSet;

#[test]
fn required_bytes_follow_the_regex_structure() {
    let cases: &[(&str, &[u8])] = &[
        (r"[a-z]+://[^@]+@host", b"@/:"),
        (r"a?@b", b"@"),
        (r"(?:x@|y@z)", b"@"),
        (r"(?:@|#)x", b""),
        (r"(?:@)?x", b""),
        (r"(@)*x", b""),
        (r"(@){1,3}x", b"@"),
        (r"[@]x", b"@"),
        (r"[@#]x", b""),
        (r"\.com", b"."),
        (r"(?i)key=", b"="),
        (r"abc", b""),
        (r"(unclosed", b""),
    ];
    for &(pattern, want) in cases {
        assert_eq!(required_bytes(pattern), want, "{pattern}");
    }
    // At most three bytes, the rarest in source code first.
    assert_eq!(required_bytes(r"!#\$%&"), b"$%!");
}

#[test]
fn required_pairs_are_adjacent_in_every_match_and_outside_keywords() {
    let pair = |pattern: &str, keywords: &[&str]| {
        let keywords: Vec<String> = keywords.iter().map(|k| k.to_string()).collect();
        required(pattern, &keywords).pair
    };
    let curl = r"\bcurl\b[^\n]{0,300}?\s(?:-u|--user)\s*x";
    assert_eq!(pair(curl, &["curl"]), Some(*b"-u"));
    // Punctuation pairs first; letters only when nothing else is left.
    assert_eq!(pair("abc-def", &[]), Some(*b"-d"));
    assert_eq!(pair("abc", &[]), Some(*b"ab"));
    // Across parts of a concatenation, captures and assertions.
    assert_eq!(pair(r"x(a)\b(?:b)", &["x"]), Some(*b"ab"));
    // What every branch shares, and nothing when they share nothing.
    assert_eq!(pair("(?:ab|xab)", &[]), Some(*b"ab"));
    assert_eq!(pair("(?:ab|cd)", &[]), None);
    // Optional parts and case-blind letters are never relied on.
    assert_eq!(pair("(?:ab)?c", &[]), None);
    assert_eq!(pair("(?i)ab", &[]), None);
    // The keyword is known to be there: `ghp_` gives nothing new.
    assert_eq!(pair("ghp_[a-z]{36}", &["GHP_"]), None);
}

#[test]
fn every_builtin_example_match_holds_its_rules_required_bytes() {
    let (mut gated, mut paired) = (0, 0);
    for rule in RuleSet::builtin().iter() {
        let need = required(&rule.spec.regex, rule.spec.keywords.as_strings());
        gated += usize::from(!need.bytes.is_empty());
        paired += usize::from(need.pair.is_some());
        let Ok(re) = compile_regex(&rule.spec.regex) else {
            panic!("{} does not compile", rule.spec.id);
        };
        for ex in rule.examples() {
            for m in re.find_iter(ex.as_bytes()) {
                let text = &ex.as_bytes()[m.range()];
                assert!(need.holds(text), "{}: {ex}", rule.spec.id);
            }
        }
    }
    // The gate is not vacuous: many rules have a required byte or pair.
    assert!(gated >= 50, "only {gated} rules gated");
    assert!(paired >= 20, "only {paired} rules with a pair");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
    /// Whatever the input, a match never lacks a required byte or pair.
    #[test]
    fn a_match_always_contains_the_required_bytes(
        text in "[a-c:/@.=#-]{0,40}",
        pick in 0usize..10,
    ) {
        let patterns = [
            r"[a-c]+://[a-c]+:[a-c]+@[a-c.]+",
            r"[a-c]*@[a-c]+\.[a-c]+",
            r"(?:a=|b=c)[a-c]*",
            r"(?:a|#)+-",
            r"[a-c]{2}(?:-[a-c])?",
            r"(?:(?:a:)|(?:b:c))+/?",
            r"(?:-a|--ab)[bc]",
            r"a(?:b:|cb:)+(c)",
            r"(?:a-)+b",
            r"(=)\b(?:a|b)?(?:c)",
        ];
        let pattern = patterns[pick];
        let need = required(pattern, &[]);
        let re = compile_regex(pattern).map_err(proptest::test_runner::TestCaseError::fail)?;
        for m in re.find_iter(text.as_bytes()) {
            proptest::prop_assert!(need.holds(&text.as_bytes()[m.range()]), "{}", pattern);
        }
    }
}
