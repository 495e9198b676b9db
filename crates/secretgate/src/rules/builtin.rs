//! The built-in ruleset: every `rules/*.toml` file of this crate, embedded at
//! compile time and parsed on first use.

use std::sync::OnceLock;

use super::RuleSet;

/// The embedded rule files, in a fixed order.
const FILES: &[(&str, &str)] = &include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

pub(super) fn rules() -> RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES
        .get_or_init(|| {
            let mut set = RuleSet::new();
            for (name, text) in FILES {
                // The test `builtin_rules_parse` proves every file parses, so a
                // failure here is a bug in this crate, not a user error.
                match RuleSet::from_toml(text) {
                    Ok(rules) => {
                        for r in rules.rules {
                            if let Err(e) = set.push_spec((*r.spec).clone()) {
                                panic!("built-in rules file {name}: {e}");
                            }
                        }
                    }
                    Err(e) => panic!("built-in rules file {name}: {e}"),
                }
            }
            set
        })
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_parse() {
        for (name, text) in FILES {
            if let Err(e) = RuleSet::from_toml(text) {
                panic!("{name}: {e}");
            }
        }
        assert!(!rules().is_empty());
    }
}
