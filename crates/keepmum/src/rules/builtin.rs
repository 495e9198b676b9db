//! The built-in ruleset: every `rules/*.toml` file of this crate, converted
//! to JSON and embedded at compile time (see `build.rs`), parsed on first use.

use std::collections::HashSet;
use std::sync::{Arc, OnceLock};

use super::{validate_spec, Rule, RuleFile, RuleSet};

/// The embedded rule files (JSON), in a fixed order.
const FILES: &[(&str, &str)] = &include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

pub(super) fn rules() -> RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(load).clone()
}

fn load() -> RuleSet {
    let mut set = RuleSet::new();
    let mut ids = HashSet::new();
    for (name, text) in FILES {
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
        for (name, text) in FILES {
            if let Err(e) = RuleSet::from_json(text) {
                panic!("{name}: {e}");
            }
        }
        let all = load();
        assert!(!all.is_empty());
        assert!(all.iter().all(|r| r.builtin));
    }
}
