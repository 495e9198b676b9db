//! Tests that a search from a rule's match openings (see `starts` and
//! `CompiledRule::find`) finds exactly the match an unanchored search of
//! its regex finds, from any position, on inputs dense with the openings.

use super::{Engine, Filters};
use crate::RuleSet;
use regex_automata::Input;

/// A deterministic generator of small numbers.
fn numbers() -> impl FnMut(usize) -> usize {
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    move |n: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % n.max(1) as u64) as usize
    }
}

/// Inputs for a rule: its examples, and runs of pieces of them (their
/// openings cut anywhere) with separators, quotes and values between.
fn inputs(examples: &[&str], count: usize) -> Vec<Vec<u8>> {
    const GLUE: &[&str] = &[
        "=",
        " = ",
        ": ",
        "=\"",
        "\"",
        "'",
        "`",
        ",",
        " ",
        "\n",
        "x",
        "Zq8Lw2Nx5Rt7Vy3P",
        "_db",
        "PASSWORD",
        "Token",
        "-",
        ".",
        "(",
        "]",
    ];
    let mut next = numbers();
    let mut out: Vec<Vec<u8>> = examples.iter().map(|e| e.as_bytes().to_vec()).collect();
    for _ in 0..count {
        let mut s = Vec::new();
        for _ in 0..1 + next(8) {
            if next(2) == 0 {
                let e = examples[next(examples.len())].as_bytes();
                let a = next(e.len() + 1);
                let b = a + next(e.len() + 1 - a);
                s.extend_from_slice(if next(3) == 0 { &e[a..b] } else { &e[a..] });
            } else {
                s.extend_from_slice(GLUE[next(GLUE.len())].as_bytes());
            }
        }
        out.push(s);
    }
    out
}

#[test]
fn the_generic_rules_open_with_their_keywords_and_a_jwt_with_anything() {
    let engine = Engine::new(&RuleSet::builtin(), Filters::default());
    let rule = |id: &str| {
        engine
            .rules
            .iter()
            .find(|r| &*r.spec.id == id)
            .expect("a built-in rule")
    };
    for id in [
        "generic-password",
        "generic-secret",
        "generic-api-key",
        "generic-token",
    ] {
        assert!(rule(id).starts().is_some(), "{id}");
    }
    let starts = rule("generic-password").starts().expect("openings");
    let hay = b"x Pwd= PASSWORD passw";
    assert_eq!(starts.next(hay, 0, hay.len()), Some(2));
    assert_eq!(starts.next(hay, 3, hay.len()), Some(7));
    assert_eq!(starts.next(hay, 8, hay.len()), None);
    assert!(rule("jwt").starts().is_none());
}

#[test]
fn a_search_from_the_openings_finds_the_unanchored_match() {
    let set = RuleSet::builtin();
    let engine = Engine::new(&set, Filters::default());
    let mut rules = 0;
    for (rule, spec) in engine.rules.iter().zip(set.iter()) {
        if rule.starts().is_none() {
            continue;
        }
        let examples: Vec<&str> = spec
            .examples()
            .iter()
            .chain(spec.negative_examples())
            .map(String::as_str)
            .collect();
        if examples.is_empty() {
            continue;
        }
        let re = rule.regex().expect("built-in regexes compile");
        rules += 1;
        let count = if rule.lean().is_some() { 400 } else { 12 };
        for hay in inputs(&examples, count) {
            for from in 0..=hay.len().min(40) {
                for end in [hay.len(), hay.len().saturating_sub(3).max(from)] {
                    let plain = re.search(&Input::new(&hay).range(from..end));
                    let found = rule.find(re, &hay, from, end);
                    assert_eq!(
                        found,
                        plain,
                        "{} in {:?} from {from} to {end}",
                        rule.spec.id,
                        String::from_utf8_lossy(&hay)
                    );
                }
            }
        }
    }
    assert!(rules >= 4, "{rules}");
}
