//! The built-in ruleset: every `rules/*.toml` file of this crate, turned
//! into a static Rust table by `build.rs`, so loading it costs no parsing
//! and no allocation per rule (a hook process starts for every event). The
//! rules' examples are embedded apart, as JSON, and parsed only when asked
//! for (tests, `rules list`).

use std::collections::HashMap;
use std::sync::OnceLock;

use super::{Rule, RuleSet, RuleSpec, SpecRef};
use crate::engine::facts::SyntaxFacts;

/// Every built-in rule with its family (the rule file's stem), in file name
/// order, then file order.
static RULES: &[(Str, RuleSpec)] = &include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// The text of every string of the built-in tables, end to end: the tables
/// hold ranges of it ([`Str`]), not pointers, so loading the binary
/// relocates nothing in them (a pointer in a static table is a relocation
/// the dynamic loader applies, and a copied page, in every process).
static STRINGS: &str = include_str!(concat!(env!("OUT_DIR"), "/builtin_strings.txt"));

/// A string of the built-in tables: a range of [`STRINGS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Str {
    start: u32,
    end: u32,
}

impl Str {
    /// The string.
    pub(crate) fn get(self) -> &'static str {
        STRINGS
            .get(self.start as usize..self.end as usize)
            .unwrap_or_default()
    }
}

/// Every word list of the built-in table (keywords, tags, allowlist
/// entries), end to end: a rule's lists are runs of it ([`WordRun`]).
static WORDS: &[Str] = &include!(concat!(env!("OUT_DIR"), "/builtin_words.rs"));

/// A word list of the built-in table: a run of [`WORDS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct WordRun {
    start: u32,
    end: u32,
}

impl WordRun {
    /// No words.
    pub(crate) const EMPTY: WordRun = WordRun { start: 0, end: 0 };

    /// The words.
    pub(crate) fn strs(self) -> &'static [Str] {
        WORDS
            .get(self.start as usize..self.end as usize)
            .unwrap_or_default()
    }
}

/// Every keyword of the built-in keyword-prefiltered rules, lowercase, with
/// its rule's index in [`RULES`], sorted: an engine of built-in rules takes
/// its keywords in this order, so building its keyword index sorts no
/// strings (that sort was most of an engine's build).
static KEYWORDS: &[(Str, u32)] = &include!(concat!(env!("OUT_DIR"), "/builtin_keywords.rs"));

/// [`KEYWORDS`]: (keyword, built-in rule index), sorted.
pub(crate) fn keywords() -> impl Iterator<Item = (&'static str, u32)> + Clone {
    KEYWORDS.iter().map(|&(k, b)| (k.get(), b))
}

/// The build script's plan of the keyword index of [`KEYWORDS`] (see
/// `engine::keyword_plan`), rules by built-in index.
pub(crate) struct BuiltinPlan {
    /// The distinct keywords, sorted.
    pub(crate) patterns: &'static [Str],
    /// Each pattern's rules, end to end, and each one's end.
    pub(crate) rule_lists: &'static [u32],
    pub(crate) rule_ends: &'static [u32],
    /// (folded window, pattern index), in lookup order.
    pub(crate) entries: &'static [(u32, u32)],
    /// Each entry's pattern head.
    pub(crate) heads: &'static [crate::engine::keyword_plan::Head],
    /// How many built-in rules the keywords wake.
    pub(crate) rules: u32,
}

/// The plan of every built-in keyword's index.
pub(crate) static KEYWORD_PLAN: BuiltinPlan =
    include!(concat!(env!("OUT_DIR"), "/builtin_keyword_plan.rs"));

/// What the engine reads off each built-in rule's regex syntax tree before
/// building the regex (see `engine::facts`), in [`RULES`] order, computed
/// by the build script.
static FACTS: &[SyntaxFacts] = &include!(concat!(env!("OUT_DIR"), "/builtin_facts.rs"));

/// The syntax facts of the built-in rule at `index`.
pub(crate) fn facts(index: u32) -> Option<&'static SyntaxFacts> {
    FACTS.get(index as usize)
}

/// The built-in rule at `index` (an index [`rules`] handed out).
pub(crate) fn spec(index: u32) -> &'static RuleSpec {
    &RULES[index as usize].1
}

/// The rule files' examples (JSON, `{id: [examples, negatives]}`), by file
/// name.
const EXAMPLES: &[(&str, &str)] = &include!(concat!(env!("OUT_DIR"), "/builtin_examples.rs"));

/// A built-in rule's examples and negative examples.
pub(super) type Examples = (Vec<String>, Vec<String>);

/// The examples of built-in rule `id` (empty for an unknown id).
pub(super) fn examples(id: &str) -> &'static Examples {
    static ALL: OnceLock<HashMap<String, Examples>> = OnceLock::new();
    static NONE: Examples = (Vec::new(), Vec::new());
    let all = ALL.get_or_init(|| {
        let mut all = HashMap::new();
        for (name, text) in EXAMPLES {
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

/// The built-in rules. The test `builtin_rules_match_their_files` proves the
/// table equals what the TOML files parse to, and that every rule is valid
/// with a unique id.
pub(super) fn rules() -> RuleSet {
    RuleSet {
        rules: (0u32..)
            .zip(RULES)
            .map(|(i, (family, _))| Rule {
                spec: SpecRef::Builtin(i),
                builtin: true,
                family: Some(family.get()),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::super::{validate_spec, Prefilter, Words};
    use super::*;

    /// The static table holds what the runtime TOML parser makes of each
    /// rule file (the format users write), field by field.
    #[test]
    fn builtin_rules_match_their_files() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .expect("rules directory")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".toml"))
            .collect();
        names.sort();
        let mut parsed = Vec::new();
        for name in &names {
            let text = std::fs::read_to_string(dir.join(name)).expect("readable");
            let set = match RuleSet::from_toml(&text) {
                Ok(s) => s,
                Err(e) => panic!("{name}: {e}"),
            };
            let family = name.trim_end_matches(".toml");
            parsed.extend(set.rules.into_iter().map(|r| (family.to_string(), r)));
        }
        assert_eq!(parsed.len(), RULES.len());
        let mut ids = HashSet::new();
        for ((family, want), (got_family, got)) in parsed.iter().zip(RULES) {
            let id = &want.spec.id;
            assert_eq!(family, got_family.get(), "{id}");
            assert_eq!(describe(&want.spec), describe(got), "{id}");
            if let Err(e) = validate_spec(got) {
                panic!("{id}: {e}");
            }
            assert!(ids.insert(got.id.to_string()), "duplicate rule id {id}");
        }
        assert!(rules().iter().all(|r| r.builtin));
    }

    /// The sorted keyword table holds exactly the keywords of the rules
    /// whose prefilter is keywords, lowercase.
    #[test]
    fn builtin_keyword_table_is_complete_and_sorted() {
        let mut want: Vec<(String, u32)> = Vec::new();
        for (i, (_, spec)) in (0u32..).zip(RULES) {
            if spec.prefilter.unwrap_or(Prefilter::Keywords) == Prefilter::Keywords {
                want.extend(spec.keywords.iter().map(|k| (k.to_ascii_lowercase(), i)));
            }
        }
        want.sort();
        let got: Vec<(String, u32)> = keywords().map(|(k, i)| (k.to_string(), i)).collect();
        assert_eq!(got, want);
    }

    /// Every field of a spec but the examples (embedded apart), as text.
    fn describe(s: &RuleSpec) -> String {
        let words = |w: &Words| w.iter().collect::<Vec<_>>().join("\u{1}");
        format!(
            "{}|{}|{:?}|{}|{:?}|{}|{:?}|{:?}|{:?}|{}|{:?}|{}|{:?}|{:?}|{}|{}|{}|{:?}",
            s.id,
            s.description,
            s.category,
            s.regex,
            s.secret_group,
            words(&s.keywords),
            s.prefilter,
            s.min_entropy,
            s.confidence,
            words(&s.tags),
            s.validator,
            s.multiline,
            s.detect_secrets,
            s.specificity,
            words(&s.allowlist.regexes),
            words(&s.allowlist.stopwords),
            words(&s.allowlist.paths),
            s.path,
        )
    }

    #[test]
    fn builtin_examples_are_found_by_id() {
        let rule = rules();
        let first = rule.iter().next().expect("rules");
        assert!(!examples(first.id()).0.is_empty());
        assert!(examples("no-such-rule").0.is_empty());
    }
}
