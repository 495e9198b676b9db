//! The built-in ruleset: every `rules/*.toml` file of this crate, converted
//! to JSON and embedded at compile time (see `build.rs`), parsed on first use.
//! The rules' examples are embedded apart and parsed only when asked for
//! (tests, `rules list`), so a hook process does not pay for them.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use super::{validate_spec, Rule, RuleFile, RuleSet};

/// The embedded rule files, in a fixed order: name, rules (JSON, without
/// examples) and the rules' examples (JSON, `{id: [examples, negatives]}`).
const FILES: &[(&str, &str, &str)] = &include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// A built-in rule's examples and negative examples.
pub(super) type Examples = (Vec<String>, Vec<String>);

/// The examples of built-in rule `id` (empty for an unknown id).
pub(super) fn examples(id: &str) -> &'static Examples {
    static ALL: OnceLock<HashMap<String, Examples>> = OnceLock::new();
    static NONE: Examples = (Vec::new(), Vec::new());
    let all = ALL.get_or_init(|| {
        let mut all = HashMap::new();
        for (name, _, text) in FILES {
            // Written by build.rs from rule files the tests parse: a failure
            // is a bug in this crate.
            let file: HashMap<String, Examples> = match serde_json::from_str(text) {
                Ok(f) => f,
                Err(e) => panic!("built-in rule examples {name}: {e}"),
            };
            all.extend(file);
        }
        all
    });
    all.get(id).unwrap_or(&NONE)
}

pub(super) fn rules() -> RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(load).clone()
}

fn load() -> RuleSet {
    let mut set = RuleSet::new();
    let mut ids = HashSet::new();
    for (name, text, _) in FILES {
        // The test `builtin_rules_parse` proves every file parses and every
        // rule is valid, so a failure here is a bug in this crate, not a
        // user error.
        let file: RuleFile = match serde_json::from_str(text) {
            Ok(f) => f,
            Err(e) => panic!("built-in rules file {name}: {e}"),
        };
        for spec in file.rule {
            if let Err(e) = validate_spec(&spec) {
                panic!("built-in rules file {name}: {e}");
            }
            if !ids.insert(spec.id.clone()) {
                panic!("built-in rules file {name}: duplicate rule id {}", spec.id);
            }
            set.rules.push(Rule {
                spec: Arc::new(spec),
                builtin: true,
                family: Some(name.trim_end_matches(".toml")),
            });
        }
    }
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_parse() {
        for (name, text, _) in FILES {
            if let Err(e) = RuleSet::from_json(text) {
                panic!("{name}: {e}");
            }
        }
        let all = load();
        assert!(!all.is_empty());
        assert!(all.iter().all(|r| r.builtin));
    }
}
