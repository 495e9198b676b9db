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
fn every_builtin_example_match_holds_its_rules_required_bytes() {
    let mut gated = 0;
    for rule in RuleSet::builtin().iter() {
        let need = required_bytes(&rule.spec.regex);
        gated += usize::from(!need.is_empty());
        let Ok(re) = compile_regex(&rule.spec.regex) else {
            panic!("{} does not compile", rule.spec.id);
        };
        for ex in rule.examples() {
            for m in re.find_iter(ex.as_bytes()) {
                let text = &ex.as_bytes()[m.range()];
                assert!(has_required(text, &need), "{}: {ex}", rule.spec.id);
            }
        }
    }
    // The gate is not vacuous: many rules have a required byte.
    assert!(gated >= 50, "only {gated} rules gated");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
    /// Whatever the input, a match never lacks a required byte.
    #[test]
    fn a_match_always_contains_the_required_bytes(
        text in "[a-c:/@.=#-]{0,40}",
        pick in 0usize..6,
    ) {
        let patterns = [
            r"[a-c]+://[a-c]+:[a-c]+@[a-c.]+",
            r"[a-c]*@[a-c]+\.[a-c]+",
            r"(?:a=|b=c)[a-c]*",
            r"(?:a|#)+-",
            r"[a-c]{2}(?:-[a-c])?",
            r"(?:(?:a:)|(?:b:c))+/?",
        ];
        let pattern = patterns[pick];
        let need = required_bytes(pattern);
        let re = compile_regex(pattern).map_err(proptest::test_runner::TestCaseError::fail)?;
        for m in re.find_iter(text.as_bytes()) {
            proptest::prop_assert!(has_required(&text.as_bytes()[m.range()], &need));
        }
    }
}
