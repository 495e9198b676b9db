//! Data-driven rule tests: every built-in rule's own `examples` must be found
//! by that rule and its `negative_examples` must not be.

use keepmum::{RuleSet, Scanner};

#[test]
fn a_builtin_rule_set_builds() {
    // (Every built-in regex is compiled by a unit test in `engine`.)
    let mut b = Scanner::builder();
    b.rules(RuleSet::builtin());
    if let Err(e) = b.build() {
        panic!("{e}");
    }
}

#[test]
fn every_builtin_rule_has_examples_both_ways() {
    let rules = RuleSet::builtin();
    let missing: Vec<&str> = rules
        .iter()
        .filter(|r| r.examples().is_empty() || r.negative_examples().is_empty())
        .map(|r| r.id())
        .collect();
    assert!(missing.is_empty(), "rules without examples: {missing:?}");
}

#[test]
fn builtin_rule_examples() {
    let scanner = Scanner::new();
    let mut failures = Vec::new();
    for rule in scanner.rules() {
        for ex in rule.examples() {
            let found = scanner.scan_bytes(ex.as_bytes());
            if !found.iter().any(|f| f.rule_id() == rule.id()) {
                let got: Vec<&str> = found.iter().map(|f| f.rule_id()).collect();
                failures.push(format!(
                    "{}: positive not found (got {got:?}): {ex:?}",
                    rule.id()
                ));
            }
        }
        for ex in rule.negative_examples() {
            let found = scanner.scan_bytes(ex.as_bytes());
            if found.iter().any(|f| f.rule_id() == rule.id()) {
                failures.push(format!("{}: negative found: {ex:?}", rule.id()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn rule_ids_are_unique_and_described() {
    let rules = RuleSet::builtin();
    let mut ids: Vec<&str> = rules.iter().map(|r| r.id()).collect();
    ids.sort();
    let n = ids.len();
    ids.dedup();
    assert_eq!(n, ids.len());
    assert!(rules.iter().all(|r| !r.description().is_empty()));
}
