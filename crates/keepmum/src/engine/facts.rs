//! What the engine reads off a rule's regex syntax tree before it builds
//! the regex: the gate's required bytes and pair (`gate`), the run every
//! match contains (`runs`) and the longest match. For the built-in rules
//! the build script parses every regex once and embeds these facts as a
//! static table (plain integers, no pointers to relocate), so a scan parses
//! a regex only when it builds it: a real tree's keyword windows woke ~160
//! rules, each parsed for these gates (~380,000 instructions a regex), and
//! the gates turned most of them away before their regex was ever built.
//! A test compares the table with the facts of each rule parsed at run time.

use regex_syntax::hir::Hir;

use super::{gate, runs};

/// The facts of one regex (see the module's documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct SyntaxFacts {
    /// The required punctuation bytes, `required_len` of them.
    pub(crate) required: [u8; gate::MAX_REQUIRED],
    /// How many of `required` are used.
    pub(crate) required_len: u8,
    /// The required pair of adjacent bytes.
    pub(crate) pair: Option<[u8; 2]>,
    /// The run every match contains: its class as a 256-bit set, and its
    /// length.
    pub(crate) run: Option<([u64; 4], u32)>,
    /// The tighter run of one byte set (`runs::tight_run`), the same way.
    pub(crate) tight: Option<([u64; 4], u32)>,
    /// The longest match in bytes (`None`: unbounded).
    pub(crate) longest: Option<u64>,
}

impl SyntaxFacts {
    /// The facts of `hir`, a rule's regex with keywords `keywords`, or of
    /// a regex that does not parse (`None`: nothing required, no run, no
    /// longest match).
    #[cfg_attr(not(test), allow(dead_code))] // the build script's and tests'
    pub(crate) fn of(hir: Option<&Hir>, keywords: &[String]) -> SyntaxFacts {
        let Some(hir) = hir else {
            return SyntaxFacts {
                required: [0; gate::MAX_REQUIRED],
                required_len: 0,
                pair: None,
                run: None,
                tight: None,
                longest: None,
            };
        };
        let gate::Required { bytes, pair } = gate::required_from_hir(hir, keywords);
        let mut required = [0; gate::MAX_REQUIRED];
        required[..bytes.len()].copy_from_slice(&bytes);
        SyntaxFacts {
            required,
            required_len: bytes.len() as u8,
            pair,
            run: runs::required_run(hir).map(packed),
            tight: runs::tight_run(hir).map(packed),
            longest: hir.properties().maximum_len().map(|n| n as u64),
        }
    }

    /// The gate's required bytes and pair.
    pub(crate) fn required(&self) -> gate::Required {
        gate::Required {
            bytes: self.required[..usize::from(self.required_len)].to_vec(),
            pair: self.pair,
        }
    }

    /// The run every match contains.
    pub(crate) fn run(&self) -> Option<runs::Run> {
        self.run.map(unpacked)
    }

    /// The tighter run of one byte set, where the regex has one.
    pub(crate) fn tight(&self) -> Option<runs::Run> {
        self.tight.map(unpacked)
    }

    /// The longest match in bytes.
    pub(crate) fn longest(&self) -> Option<usize> {
        self.longest.and_then(|n| usize::try_from(n).ok())
    }

    /// The facts as a Rust expression (for the build script's table).
    #[allow(dead_code)] // the build script's
    pub(crate) fn source(&self) -> String {
        format!(
            "SyntaxFacts {{ required: {:?}, required_len: {}, pair: {:?}, run: {:?}, tight: {:?}, longest: {:?} }}",
            self.required, self.required_len, self.pair, self.run, self.tight, self.longest
        )
    }
}

/// A run as the table stores it: its class as a 256-bit set, and its
/// length.
fn packed(run: runs::Run) -> ([u64; 4], u32) {
    (run.bits(), run.len() as u32)
}

/// The run `packed` stored.
fn unpacked((bits, len): ([u64; 4], u32)) -> runs::Run {
    runs::Run::from_bits(bits, len as usize)
}

#[cfg(test)]
mod tests {
    use super::super::{Engine, Filters};
    use super::*;
    use crate::rules::RuleSet;

    /// The build script's table holds, for every built-in rule, the facts
    /// of its regex as the engine parses it at run time.
    #[test]
    fn builtin_facts_match_the_parsed_regexes() {
        let engine = Engine::new(&RuleSet::builtin(), Filters::default());
        assert!(!engine.rules.is_empty());
        for rule in &engine.rules {
            let keywords: Vec<String> = rule.spec.keywords.iter().map(String::from).collect();
            let want = SyntaxFacts::of(rule.hir(), &keywords);
            assert_eq!(rule.builtin_facts(), Some(&want), "{}", rule.spec.id);
            assert_eq!(want.run(), rule.hir().and_then(runs::required_run));
            assert_eq!(want.tight(), rule.hir().and_then(runs::tight_run));
        }
    }

    /// A regex that does not parse has no facts to gate on.
    #[test]
    fn unparsed_regex_requires_nothing() {
        let facts = SyntaxFacts::of(None, &[]);
        assert_eq!(facts.required(), gate::Required::default());
        assert_eq!(facts.run(), None);
        assert_eq!(facts.longest(), None);
    }

    /// A run and the required bytes survive the trip through the table's
    /// plain integers.
    #[test]
    fn facts_round_trip_through_their_fields() {
        let hir = regex_syntax::ParserBuilder::new()
            .unicode(false)
            .utf8(false)
            .build()
            .parse(r"@tok_[a-z0-9]{32}:x")
            .expect("parses");
        let facts = SyntaxFacts::of(Some(&hir), &["tok_".to_string()]);
        assert_eq!(
            facts.required(),
            gate::required_from_hir(&hir, &["tok_".to_string()])
        );
        assert!(facts.required().bytes.contains(&b'@'));
        assert_eq!(facts.run(), runs::required_run(&hir));
        assert_eq!(facts.longest(), Some(1 + 4 + 32 + 2));
    }
}
