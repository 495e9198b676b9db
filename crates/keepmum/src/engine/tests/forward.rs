//! Tests that a rule's forward gate (see `ForwardGate`) answers whether a
//! window holds a match as the rule's regex does: exactly, or, built from a
//! generic rule's lean program, never "no" where the regex matches.

use super::{Engine, Filters, ForwardGate, FORWARD_GATE_BUDGET};
use crate::RuleSet;
use regex_automata::Input;

/// The inputs a rule is checked on: its examples and negative examples,
/// each also inside a line of other text (look-arounds see the bytes around
/// a window), searched whole and from each of its first bytes on.
fn inputs(examples: &[String], negatives: &[String]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for e in examples.iter().chain(negatives) {
        out.push(e.as_bytes().to_vec());
        out.push(format!("x{e}x").into_bytes());
        out.push(format!("let a = 1;\n  {e} // b\n").into_bytes());
    }
    out
}

#[test]
fn forward_gate_answers_as_the_regex_on_every_builtin_example() {
    let rules = RuleSet::builtin();
    let engine = Engine::new(&rules, Filters::default());
    let mut exact = 0;
    let mut wider = 0;
    for (rule, compiled) in rules.iter().zip(&engine.rules) {
        let gate = match compiled.lean_nfa() {
            Some(nfa) => ForwardGate::from_nfa(nfa.clone(), true),
            None => ForwardGate::new(compiled.hir().expect("built-in regexes parse")),
        };
        let gate = gate.expect("a forward gate builds for every built-in rule");
        let re = compiled.regex().expect("built-in regexes build");
        let id = rule.id();
        for hay in inputs(rule.examples(), rule.negative_examples()) {
            for start in 0..hay.len().min(4) {
                let range = start..hay.len();
                let want = re.is_match(Input::new(&hay).range(range.clone()));
                let got = gate.is_match(&hay, range.clone());
                let text = String::from_utf8_lossy(&hay);
                if gate.wider {
                    wider += 1;
                    assert!(got != Some(false) || !want, "{id}: {text:?} from {start}");
                } else {
                    exact += 1;
                    assert_eq!(got, Some(want), "{id}: {text:?} from {start}");
                }
            }
        }
    }
    assert!(exact > 10_000 && wider > 50, "{exact} {wider}");
}

/// `window_matches` gives the regex's answer while only the gate is built
/// and once the regex is (a provider rule and a generic one).
#[test]
fn window_matches_before_and_after_the_regex_is_built() {
    let rules = RuleSet::builtin();
    let built = Engine::new(&rules, Filters::default());
    for id in ["github-pat", "generic-password"] {
        let index = rules
            .iter()
            .position(|r| r.id() == id)
            .expect("rule exists");
        let rule = rules.iter().nth(index).expect("rule exists");
        for hay in inputs(rule.examples(), rule.negative_examples()) {
            let want = built.rules[index]
                .regex()
                .map(|re| re.is_match(Input::new(&hay)));
            let fresh = Engine::new(&rules, Filters::default());
            let compiled = &fresh.rules[index];
            assert_eq!(compiled.window_matches(&hay, 0..hay.len()), want, "{id}");
            // An exact gate answers alone: the regex is not built. (The run
            // gate turns some windows away before a gate is built.)
            if let Some(gate) = compiled.forward.get().and_then(Option::as_ref) {
                assert_eq!(gate.wider, id == "generic-password", "{id}");
                assert!(gate.wider || compiled.regex.get().is_none(), "{id}");
            }
            assert!(compiled.regex().is_some());
            assert_eq!(compiled.window_matches(&hay, 0..hay.len()), want, "{id}");
        }
    }
}

/// Past its budget of gate bytes a rule's windows ask the whole regex,
/// which is then built, and the answers stay the regex's.
#[test]
fn gate_budget_spent_builds_the_regex() {
    let rules = RuleSet::builtin();
    let engine = Engine::new(&rules, Filters::default());
    let index = rules
        .iter()
        .position(|r| r.id() == "github-pat")
        .expect("rule exists");
    let compiled = &engine.rules[index];
    // A window with the rule's keyword and run but no token (`ghp_` inside
    // a word): the gate answers "no" without building the regex.
    let line = format!("xghp_{} not a token ", "a".repeat(36));
    let hay = line.repeat(4096 / line.len() + 1);
    let mut searched = 0;
    while searched < FORWARD_GATE_BUDGET {
        assert_eq!(
            compiled.window_matches(hay.as_bytes(), 0..hay.len()),
            Some(false)
        );
        searched += hay.len();
        if searched < FORWARD_GATE_BUDGET {
            assert!(
                compiled.regex.get().is_none(),
                "built after {searched} bytes"
            );
        }
    }
    assert_eq!(
        compiled.window_matches(hay.as_bytes(), 0..hay.len()),
        Some(false)
    );
    assert!(
        compiled.regex.get().is_some(),
        "the regex answers past the budget"
    );
}
