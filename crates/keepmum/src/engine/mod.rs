//! The compiled form of a rule set and the scan loop.
//!
//! A scan runs the prefilter passes (see `prefilter`) to collect candidate
//! windows, runs each woken rule's regex only inside its window, then checks
//! each match (entropy, rule allowlist, validator) before it becomes a
//! [`Finding`]. Line and column numbers are computed only for findings.
//!
//! **Invariants:** the input is never copied or lowercased; every pass is
//! linear in the input's length; regexes are `regex-automata` meta regexes
//! (no backtracking blow-up); a rule's regex is compiled on first use, so
//! building an engine costs only the prefilter.

mod barren;
mod buckets;
mod card;
pub(crate) mod decode;
mod digits;
mod email;
pub(crate) mod facts;
mod gate;
pub(crate) mod keyword_plan;
mod overlap;
pub(crate) mod prefilter;
mod runs;
mod simd;
mod starts;

use std::cell::{Cell, OnceCell};
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use decode::Decoded;
use regex_automata::hybrid;
use regex_automata::meta::Regex;
use regex_automata::nfa::thompson::{self, backtrack, backtrack::BoundedBacktracker};
use regex_automata::util::captures::Captures;
use regex_automata::util::pool::Pool;
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, Match};

use crate::error::{Error, Result};
use crate::finding::{Finding, RuleMeta};
use crate::rules::{Prefilter, Rule, RuleSet, SpecRef};
use crate::validators::{self, entropy, Context, Verdict};

use prefilter::KeywordIndex;

/// How far a single-line window may reach on each side of a hit.
const LINE_REACH_BEFORE: usize = 1024;
const LINE_REACH_AFTER: usize = 4096;
/// How far a multi-line window reaches (private keys, JSON documents).
pub(crate) const MULTILINE_BEFORE: usize = 512;
pub(crate) const MULTILINE_AFTER: usize = 16 * 1024;
/// How far before a digit run its window reaches: an IBAN's country code,
/// check digits and letter groups (at most 43 bytes) before the digits.
const DIGIT_LOOKBACK: usize = 48;
/// Shortest token run the high-entropy prefilter reports.
const TOKEN_RUN_MIN: usize = 20;
/// Regex size limit for one rule, to bound memory on hostile custom rules.
const REGEX_SIZE_LIMIT: usize = 4 << 20;
/// Most findings one rule may report for one input (dense data files).
const MAX_FINDINGS_PER_RULE: usize = 1000;

/// A compiled rule.
#[derive(Debug)]
pub(crate) struct CompiledRule {
    /// What findings carry about the rule, made on the rule's first finding
    /// (building an engine touches no rule text).
    meta: OnceLock<Arc<RuleMeta>>,
    /// Shipped with the library: its regexes are proven by a test.
    builtin: bool,
    /// Tagged `password-hash` or `sample-in-tests` (see `Engine::accept`).
    sample_tagged: bool,
    pub(crate) spec: SpecRef,
    regex: OnceLock<std::result::Result<Regex, String>>,
    /// The regex's forward lazy DFA alone, which answers
    /// `window_matches` until the regex is built (see [`ForwardGate`]);
    /// `None` when it does not build. Boxed: every rule of an engine has
    /// the slot, few fill it, and a lazy DFA is ~600 bytes.
    forward: OnceLock<Option<Box<ForwardGate>>>,
    /// Window bytes the forward gate has searched (see
    /// [`FORWARD_GATE_BUDGET`]).
    gate_bytes: AtomicUsize,
    /// A run of bytes every match contains (see `runs`), found on first
    /// use; `None` when there is none worth checking. Boxed (256 bytes of
    /// class): an engine makes this slot for each of its ~1,100 rules, and
    /// few fill it.
    run: OnceLock<Option<Box<runs::Run>>>,
    /// A tighter run of one byte set (see `runs::tight_run`), found on
    /// first use; `None` when there is none other than `run`. Boxed as
    /// `run` is.
    tight: OnceLock<Option<Box<runs::Run>>>,
    /// The small capture program of a generic assignment rule (see
    /// [`lean_pattern`]), built on first use; `None` for other rules.
    lean: OnceLock<Option<BoundedBacktracker>>,
    /// The lean program's NFA, shared by `lean` and the generic rule's
    /// `forward` gate; `None` for other rules.
    lean_nfa: OnceLock<Option<thompson::NFA>>,
    /// The head program of a generic assignment rule (see
    /// [`head_pattern`]), built on first use; `None` for other rules.
    head: OnceLock<Option<BoundedBacktracker>>,
    /// The secret is the whole match (see `CompiledRule::secret_is_match`),
    /// found on first use.
    whole_match: OnceLock<bool>,
    /// Where the regex's matches can start (see `starts`), found on first
    /// use; `None` when that is not known.
    starts: OnceLock<Option<starts::Starts>>,
    /// The regex's syntax tree, parsed once on first use for both the gate
    /// (`required`) and the regex (`None`: it does not parse).
    hir: OnceLock<Option<regex_syntax::hir::Hir>>,
    /// Punctuation and a byte pair every match contains (see `gate`), found
    /// on first use.
    required: OnceLock<gate::Required>,
    allow_regexes: OnceLock<Vec<Regex>>,
    path_regex: OnceLock<Option<Regex>>,
    allow_paths: OnceLock<Vec<Regex>>,
    /// The allowlist's stopwords, lowercase, made on first use.
    stopwords: OnceLock<Vec<Vec<u8>>>,
    /// The built-in email rule, whose plain matches `email::find` finds
    /// without the regex (known on first search).
    plain_email: OnceLock<bool>,
    /// The built-in digit rule this rule is (see `digits`), found on
    /// first use.
    digit: OnceLock<Option<digits::DigitRule>>,
}

pub(crate) fn compile_regex(pattern: &str) -> std::result::Result<Regex, String> {
    compile_many(&[pattern])
}

/// The engine's syntax settings: bytes, not Unicode; `^`/`$` at the ends.
fn syntax_config() -> syntax::Config {
    syntax::Config::new()
        .unicode(false)
        .utf8(false)
        .multi_line(false)
}

/// A bounded backtracker for `pattern` with the engine's syntax settings
/// (the generic rules' lean and head programs); `None` when it does not
/// build.
fn backtracker(pattern: &str) -> Option<BoundedBacktracker> {
    BoundedBacktracker::builder()
        .build_from_nfa(backtracker_nfa(pattern)?)
        .ok()
}

/// The NFA a [`backtracker`] for `pattern` runs (what its builder compiles
/// from a pattern); `None` when it does not build.
fn backtracker_nfa(pattern: &str) -> Option<thompson::NFA> {
    thompson::Compiler::new()
        .syntax(syntax_config())
        .configure(
            thompson::Config::new()
                .utf8(false)
                .nfa_size_limit(Some(REGEX_SIZE_LIMIT)),
        )
        .build(pattern)
        .ok()
}

/// The engine's regex settings. `literal_prefilter: false` for regexes
/// only ever searched in short windows (a line, a token run): there a
/// literal prefilter saves no search time, and building it (literal
/// extraction, an Aho-Corasick automaton, the reverse-inner search's extra
/// NFA) was about a third of compiling a rule's regex.
pub(crate) fn regex_config(literal_prefilter: bool) -> regex_automata::meta::Config {
    Regex::config()
        .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
        .utf8_empty(false)
        .auto_prefilter(literal_prefilter)
}

/// One regex matching where any of `patterns` matches, with the engine's
/// syntax settings.
fn compile_many(patterns: &[&str]) -> std::result::Result<Regex, String> {
    Regex::builder()
        .syntax(syntax_config())
        .configure(regex_config(true))
        .build_many(patterns)
        .map_err(|e| match e.syntax_error() {
            // The parser's message points at the offending part.
            Some(syntax) => syntax.to_string().replace('\n', " "),
            None => e.to_string(),
        })
}

impl CompiledRule {
    /// Inlined into `Engine::new`'s collect, so each rule is written in
    /// its slot of the vector instead of built aside and copied there
    /// (~400 bytes for each of ~1,100 rules on every engine build).
    #[inline(always)]
    fn new(rule: &Rule) -> CompiledRule {
        CompiledRule {
            meta: OnceLock::new(),
            builtin: rule.builtin,
            sample_tagged: rule
                .spec
                .tags
                .iter()
                .any(|t| t == "password-hash" || t == "sample-in-tests"),
            stopwords: OnceLock::new(),
            spec: rule.spec.clone(),
            regex: OnceLock::new(),
            forward: OnceLock::new(),
            gate_bytes: AtomicUsize::new(0),
            run: OnceLock::new(),
            tight: OnceLock::new(),
            lean: OnceLock::new(),
            lean_nfa: OnceLock::new(),
            head: OnceLock::new(),
            whole_match: OnceLock::new(),
            starts: OnceLock::new(),
            hir: OnceLock::new(),
            required: OnceLock::new(),
            allow_regexes: OnceLock::new(),
            path_regex: OnceLock::new(),
            allow_paths: OnceLock::new(),
            plain_email: OnceLock::new(),
            digit: OnceLock::new(),
        }
    }

    /// The built-in digit rule this rule is, if any (see `digits`).
    fn digit_rule(&self) -> Option<digits::DigitRule> {
        *self.digit.get_or_init(|| {
            let spec = &self.spec;
            digits::DigitRule::of(self.builtin, &spec.regex, spec.validator, spec.secret_group)
        })
    }

    /// What the rule's findings carry, made on first use.
    fn meta(&self) -> &Arc<RuleMeta> {
        self.meta.get_or_init(|| {
            let spec = &self.spec;
            Arc::new(RuleMeta {
                id: spec.id.to_string(),
                description: spec.description.to_string(),
                category: spec.category,
                confidence: spec.confidence,
                tags: spec.tags.iter().map(String::from).collect(),
                specificity: spec.specificity(),
            })
        })
    }

    /// The allowlist's stopwords, lowercase.
    fn stopwords(&self) -> &[Vec<u8>] {
        self.stopwords.get_or_init(|| {
            self.spec
                .allowlist
                .stopwords
                .iter()
                .map(|s| s.to_ascii_lowercase().into_bytes())
                .collect()
        })
    }

    /// The rule's regex, compiled on first use. `None` if it does not compile
    /// (reported by `Engine::check`; built-in rules are proven by a test).
    pub(crate) fn regex(&self) -> Option<&Regex> {
        self.compiled().as_ref().ok()
    }

    /// The rule's regex or why it does not compile, made on first use from
    /// the syntax tree the gate reads too.
    fn compiled(&self) -> &std::result::Result<Regex, String> {
        self.regex.get_or_init(|| match self.hir() {
            Some(hir) => Regex::builder()
                .configure(regex_config(!self.windows_are_short()))
                .build_from_hir(hir)
                .map_err(|e| e.to_string()),
            // The parse error, with the parser's message.
            None => compile_regex(&self.spec.regex),
        })
    }

    /// The regex's syntax tree, parsed on first use with the settings
    /// `compile_many` parses with.
    pub(crate) fn hir(&self) -> Option<&regex_syntax::hir::Hir> {
        self.hir
            .get_or_init(|| syntax::parse_with(&self.spec.regex, &syntax_config()).ok())
            .as_ref()
    }

    /// True when the rule's regex only ever searches short windows: a line
    /// or a tight window around a digit run, an `@` or a token run (not a
    /// multi-line zone, a whole file or a path-only rule's whole input).
    fn windows_are_short(&self) -> bool {
        match self.spec.prefilter.unwrap_or(Prefilter::Keywords) {
            Prefilter::Keywords => !self.spec.multiline && !self.spec.keywords.is_empty(),
            Prefilter::Digits | Prefilter::Email | Prefilter::TokenRun => true,
            Prefilter::FileKeywords => false,
        }
    }

    /// True when the rule's regex matches somewhere in `hay[range]` (look-
    /// arounds see the bytes around it), `None` when the regex does not
    /// compile: the gate of keyword windows.
    ///
    /// Until the regex is built, a window must first hold the run of bytes
    /// every match contains (see `runs`): most rules a file's keywords wake
    /// never pass this gate, and the run turns most of their windows away
    /// without building the regex (a real tree woke ~140 rules, and
    /// compiling their regexes was a third of its scan; ~15 had a match).
    ///
    /// Before and after the regex is built, a window must also hold the
    /// rule's tight run (see `runs::tight_run`), when it has one: a line of
    /// dotted `eyJ` segments is all one joined JWT run, and its regex
    /// searched 5 KiB windows of it every 2 KiB (~26 instructions a byte).
    fn window_matches(&self, hay: &[u8], range: Range<usize>) -> Option<bool> {
        let built = self.regex.get().is_some();
        if !built {
            if let Some(run) = self.run() {
                if !run.holds(&hay[range.clone()]) {
                    return Some(false);
                }
            }
        }
        if let Some(tight) = self.tight_run() {
            if !tight.holds(&hay[range.clone()]) {
                return Some(false);
            }
        }
        let budget_left =
            || self.gate_bytes.fetch_add(range.len(), Ordering::Relaxed) < FORWARD_GATE_BUDGET;
        if !built && budget_left() {
            let forward = self
                .forward
                .get_or_init(|| match lean_pattern(&self.spec.regex) {
                    // The generic assignment rules' bounded values make their
                    // NFA the largest (a forward one alone ~16 million
                    // instructions); their lean program's is a few hundred
                    // states, matches wherever theirs does, and is built for
                    // their matches' captures anyway.
                    Some(_) if self.builtin => {
                        ForwardGate::from_nfa(self.lean_nfa()?.clone(), true)
                    }
                    Some(_) => None,
                    None => ForwardGate::new(self.hir()?),
                });
            if let Some(forward) = forward {
                match forward.is_match(hay, range.clone()) {
                    Some(false) => return Some(false),
                    Some(true) if !forward.wider => return Some(true),
                    _ => {}
                }
            }
        }
        let re = self.regex()?;
        Some(re.is_match(Input::new(hay).range(range)))
    }

    /// The leftmost-first match of the rule's regex `re` in `hay[from..end]`
    /// (look-arounds see the bytes around it), as `re.search` finds it.
    ///
    /// Where every match opens with one of a few literals (see `starts`),
    /// the first opening at which an anchored search matches holds that
    /// match: no match starts before it (each earlier position either opens
    /// with none of them or had no match), and an anchored search at the
    /// leftmost start finds the leftmost-first match's end. It needs no
    /// reverse pass over the match to find its start, which read every byte
    /// of a 512-byte generic value a second time. After a few openings
    /// without a match, the rest is searched the usual way, so a window
    /// dense with openings that match nothing costs one search.
    fn find(&self, re: &Regex, hay: &[u8], from: usize, end: usize) -> Option<Match> {
        const TRIES: usize = 4;
        let mut from = from;
        if self.digit_rule() == Some(digits::DigitRule::Card) && !plain_path() {
            return card::find(hay, from, end).map(|m| Match::must(0, m));
        }
        if self.is_plain_email() {
            match email::find(hay, from, end) {
                email::Found::Match(m) => return Some(Match::must(0, m)),
                email::Found::Nothing => return None,
                email::Found::AskFrom(at) => from = at,
            }
        }
        if let Some(starts) = self.starts().filter(|_| !plain_path()) {
            for _ in 0..TRIES {
                let at = starts.next(hay, from, end)?;
                let input = Input::new(hay).range(at..end).anchored(Anchored::Yes);
                if let Some(m) = re.search(&input) {
                    return Some(m);
                }
                from = at + 1;
            }
        }
        re.search(&Input::new(hay).range(from..end))
    }

    /// True for the built-in email rule as `email::find` knows it (off on
    /// the plain path).
    #[inline]
    fn is_plain_email(&self) -> bool {
        self.spec.validator == Some(crate::rules::ValidatorKind::Email)
            && !plain_path()
            && *self
                .plain_email
                .get_or_init(|| self.builtin && *self.spec.regex == *email::PATTERN)
    }

    /// The tighter run every match contains, found on first use.
    fn tight_run(&self) -> Option<&runs::Run> {
        self.run_in(&self.tight, facts::SyntaxFacts::tight, runs::tight_run)
    }

    /// Where the regex's matches can start, found on first use.
    fn starts(&self) -> Option<&starts::Starts> {
        self.starts
            .get_or_init(|| starts::Starts::of(self.hir()?))
            .as_ref()
    }

    /// The run of bytes every match of the regex contains, found on first
    /// use.
    fn run(&self) -> Option<&runs::Run> {
        self.run_in(&self.run, facts::SyntaxFacts::run, runs::required_run)
    }

    /// A run kept in `slot`, found on first use: read off the build
    /// script's facts for a built-in rule (`fact`), else off the parsed
    /// regex (`parse`).
    fn run_in<'a>(
        &self,
        slot: &'a OnceLock<Option<Box<runs::Run>>>,
        fact: fn(&facts::SyntaxFacts) -> Option<runs::Run>,
        parse: fn(&regex_syntax::hir::Hir) -> Option<runs::Run>,
    ) -> Option<&'a runs::Run> {
        slot.get_or_init(|| {
            match self.builtin_facts() {
                Some(facts) => fact(facts),
                None => parse(self.hir()?),
            }
            .map(Box::new)
        })
        .as_deref()
    }

    /// What the build script read off a built-in rule's regex (see
    /// `facts`): the gates ask it instead of parsing the regex, which is
    /// then parsed only if it is built. `None` for other rules.
    fn builtin_facts(&self) -> Option<&'static facts::SyntaxFacts> {
        crate::rules::builtin::facts(self.spec.builtin_index()?)
    }

    /// The rule's lean capture program (see [`lean_pattern`]), built on
    /// first use.
    fn lean(&self) -> Option<&BoundedBacktracker> {
        self.lean
            .get_or_init(|| {
                BoundedBacktracker::builder()
                    .build_from_nfa(self.lean_nfa()?.clone())
                    .ok()
            })
            .as_ref()
    }

    /// The lean program's NFA (see [`lean_pattern`]), built on first use.
    fn lean_nfa(&self) -> Option<&thompson::NFA> {
        self.lean_nfa
            .get_or_init(|| {
                let pattern = lean_pattern(&self.spec.regex).filter(|_| self.builtin)?;
                backtracker_nfa(&pattern)
            })
            .as_ref()
    }

    /// The captures of `m`, a leftmost-first match of the rule's regex `re`
    /// in `hay`, in `scratch`.
    ///
    /// The generic assignment rules' regexes bound their values to 512
    /// bytes with counted repetitions that unroll into thousands of NFA
    /// states, so their captures ran on the PikeVM (the bounded backtracker
    /// cannot afford that many states over a whole match): about 850
    /// instructions per byte on keyword-dense input. Their lean program (the
    /// same regex with those counts unbounded, a few hundred states) runs
    /// on the backtracker instead. When its groups all fit the bound, its
    /// path through `m` is also a path of the exact regex, and the best one
    /// there (the exact regex's paths are a subset of the lean one's, in the
    /// same order of preference), so its captures are the exact regex's;
    /// otherwise the exact regex's captures are taken.
    fn captures<'s>(
        &self,
        re: &Regex,
        hay: &[u8],
        m: Range<usize>,
        scratch: &'s mut CaptureScratch,
    ) -> &'s Captures {
        if self.lean_captures(hay, m.clone(), scratch) {
            if let Some((_, caps)) = &scratch.lean {
                return caps;
            }
        }
        let caps = scratch.exact.get_or_insert_with(|| re.create_captures());
        re.search_captures(&Input::new(hay).range(m).anchored(Anchored::Yes), caps);
        caps
    }

    /// The secret of `m`, a leftmost-first match of the rule's regex `re`
    /// in `hay`: the rule's secret group (by default the first group, or
    /// the first that took part, or the whole match for a regex without
    /// groups); `None` when it is empty.
    ///
    /// Captures cost more than the search that found the match (a few
    /// thousand instructions for a 7-byte email), so they run only where
    /// the match alone does not tell the group: a regex whose secret group
    /// is the whole match bar zero-width assertions (`\b(…)\b`, most
    /// provider and PII rules), and a generic assignment match ending in a
    /// quote (see [`quoted_value`]), need none.
    fn secret_span(
        &self,
        re: &Regex,
        hay: &[u8],
        m: Range<usize>,
        scratch: &mut CaptureScratch,
    ) -> Option<Range<usize>> {
        if !plain_path() {
            if self.secret_is_match() {
                return Some(m).filter(|m| !m.is_empty());
            }
            if self.lean().is_some() {
                if let Some(value) = quoted_value(hay, &m) {
                    return Some(value);
                }
                if let Some(value) = self.value_by_head(hay, m.clone(), scratch) {
                    return Some(value);
                }
            }
        }
        secret_in(self.spec.secret_group, self.captures(re, hay, m, scratch))
    }

    /// The value of `m`, a generic assignment rule's match, found by its
    /// head program (see [`head_pattern`]) without walking the value: the
    /// lean program's backtracker costs ~170 instructions a byte of it, and
    /// keyword-dense input (`password=password=…`) makes every value 512
    /// bytes long. `None` when that program cannot tell (then the captures
    /// run).
    ///
    /// The regex is a name part `P` then the value `V`, the last group.
    /// From where `P` may end, `V` can match (within `m`) exactly when the
    /// head program's `V'` can: its quoted branches are the lean ones and
    /// its bare branch is the bare value's first byte, the one condition
    /// for the bare branch to match at least that byte. So the regex's
    /// path through `m` takes the head program's path through `P` and the
    /// same branch: when that is the bare one, the value runs from the
    /// byte it took to the end of `m` (`V` ends the regex). Quoted values
    /// over the exact regex's 512 bytes, where the lean branch matches but
    /// the exact one does not, fall back to the captures.
    fn value_by_head(
        &self,
        hay: &[u8],
        m: Range<usize>,
        scratch: &mut CaptureScratch,
    ) -> Option<Range<usize>> {
        let head = self.head()?;
        if let Some(value) = bare_value_after_equals(hay, &m) {
            return Some(value);
        }
        let (cache, caps) = scratch
            .head
            .get_or_insert_with(|| (head.create_cache(), head.create_captures()));
        let input = Input::new(hay).range(m.clone()).anchored(Anchored::Yes);
        head.try_search(cache, &input, caps).ok()?;
        let found = caps.get_match()?;
        let groups = caps.group_len();
        let bare = caps.get_group(groups - 1);
        let value = match bare {
            Some(first) if first.len() == 1 => first.start..m.end,
            Some(_) => return None,
            None => {
                let quoted = (1..groups - 1).find_map(|g| caps.get_group(g))?;
                if found.end() != m.end {
                    return None;
                }
                quoted.range()
            }
        };
        (!value.is_empty() && value.len() <= LEAN_VALUE_MAX).then_some(value)
    }

    /// The rule's head program (see [`head_pattern`]), built on first use.
    fn head(&self) -> Option<&BoundedBacktracker> {
        self.head
            .get_or_init(|| {
                let pattern = head_pattern(&self.spec.regex).filter(|_| self.builtin)?;
                backtracker(&pattern)
            })
            .as_ref()
    }

    /// True when the rule's secret is always its whole match, so a match
    /// needs no captures: the secret group is 0; or no `secret_group` and a
    /// regex without groups or that is, past zero-width assertions, one
    /// group or an alternation of groups (`\b([0-9]{10})\b`, the PII and
    /// high-entropy rules), where the first group that takes part, the one
    /// `Engine::confirm` takes, spans the whole match; or secret group 1
    /// between zero-width assertions only (`(?:^|\b)(…)`). Most digit runs
    /// matched one (ten-digit timestamps as NHS numbers), each for a
    /// capture search.
    fn secret_is_match(&self) -> bool {
        *self.whole_match.get_or_init(|| {
            let Some(hir) = self.hir() else {
                return false;
            };
            match self.spec.secret_group {
                Some(0) => true,
                None => groups_span_the_match(hir),
                Some(1) => group_one_is_the_match(hir),
                Some(_) => false,
            }
        })
    }

    /// Runs the lean program over `m` (see [`CompiledRule::captures`]):
    /// true when its captures, left in `scratch.lean`, are the regex's.
    fn lean_captures(&self, hay: &[u8], m: Range<usize>, scratch: &mut CaptureScratch) -> bool {
        let Some(lean) = self.lean() else {
            return false;
        };
        let (cache, caps) = scratch
            .lean
            .get_or_insert_with(|| (lean.create_cache(), lean.create_captures()));
        let input = Input::new(hay).range(m.clone()).anchored(Anchored::Yes);
        lean.try_search(cache, &input, caps).is_ok()
            && caps.get_match().is_some_and(|l| l.range() == m)
            && (1..caps.group_len())
                .filter_map(|g| caps.get_group(g))
                .all(|g| g.len() <= LEAN_VALUE_MAX)
    }

    /// The shortest value the `assignment` validator accepts in `matched`,
    /// a match of this rule (see `heuristics::assignment_shortest_value`),
    /// so a match that cannot hold one is turned away before its captures
    /// and checks run: keyword-dense input (`token: token: …`, a file of
    /// `"access_token": "tok1",` lines) is mostly such matches, and each
    /// cost a capture, a line search and a validator run. 0 when the rule
    /// is not a built-in generic assignment rule (nothing is turned away).
    ///
    /// Only for those rules (with a lean capture program): each of their
    /// matches is the assigned name (the keyword and the rest of the name,
    /// the whole run of letters, digits, `_` and `-` the match starts with,
    /// since no separator byte is one of those), at least one separator
    /// byte, then the value, which every capture group lies in. So a value
    /// is at most the match minus the name and one byte long; and since the
    /// validator judges the same match, a secret shorter than this is
    /// rejected by it whatever else the checks would say.
    fn shortest_value(&self, matched: &[u8]) -> usize {
        if plain_path()
            || !self.builtin
            || self.spec.validator != Some(crate::rules::ValidatorKind::Assignment)
            || self.lean().is_none()
        {
            return 0;
        }
        validators::heuristics::assignment_shortest_value(matched)
    }

    /// True when `matched`, a match of this rule whose values are at least
    /// `shortest` bytes long (see [`CompiledRule::shortest_value`]), has no
    /// room for such a value after its name.
    fn too_short_for_a_value(matched: &[u8], shortest: usize) -> bool {
        shortest > 0
            && matched
                .len()
                .saturating_sub(validators::heuristics::name_len(matched) + 1)
                < shortest
    }

    /// Where a search of `window` for a match of the regex must start when
    /// `barren`, an earlier window, holds none: a line of `AKIA` repeated
    /// searched each of its 5 KiB windows whole, every 2 KiB.
    ///
    /// A window starting inside `barren` holds a match only if one ends
    /// past `barren`; with the regex's longest match `L` bytes long, that
    /// match starts no earlier than `L - 1` bytes before `barren` ends. So
    /// searching from there finds a match exactly when searching the
    /// whole window does (look-arounds still see the bytes before). The
    /// window's start for regexes without a longest match.
    fn unsearched_from(&self, window: &Range<usize>, barren: &Range<usize>) -> usize {
        if plain_path() || window.start < barren.start || window.start >= barren.end {
            return window.start;
        }
        let longest = match self.builtin_facts() {
            Some(facts) => facts.longest(),
            None => self.hir().and_then(|h| h.properties().maximum_len()),
        };
        match longest {
            Some(longest) => (barren.end + 1)
                .saturating_sub(longest)
                .clamp(window.start, window.end),
            None => window.start,
        }
    }

    /// What a window must contain for the regex to match in it.
    fn required(&self) -> &gate::Required {
        self.required.get_or_init(|| {
            if let Some(facts) = self.builtin_facts() {
                return facts.required();
            }
            let Some(hir) = self.hir() else {
                return gate::Required::default();
            };
            let keywords: Vec<String> = self.spec.keywords.iter().map(String::from).collect();
            gate::required_from_hir(hir, &keywords)
        })
    }

    fn allow_regexes(&self) -> &[Regex] {
        self.allow_regexes.get_or_init(|| {
            self.spec
                .allowlist
                .regexes
                .iter()
                .filter_map(|r| compile_regex(r).ok())
                .collect()
        })
    }

    fn path_allowed(&self, path: Option<&Path>) -> bool {
        let Some(path) = path else {
            return self.spec.path.is_none();
        };
        if self.spec.path.is_none() && self.spec.allowlist.paths.is_empty() {
            // Most rules: no path regex to run, so no path string to build.
            return true;
        }
        let p = crate::allow::path_for_regexes(path);
        let restrict = self.path_regex.get_or_init(|| {
            self.spec
                .path
                .as_deref()
                .and_then(|r| compile_regex(r).ok())
        });
        if let Some(re) = restrict {
            if !re.is_match(p.as_bytes()) {
                return false;
            }
        }
        let allow = self.allow_paths.get_or_init(|| {
            self.spec
                .allowlist
                .paths
                .iter()
                .filter_map(|r| compile_regex(r).ok())
                .collect()
        });
        !allow.iter().any(|re| re.is_match(p.as_bytes()))
    }

    /// Compiles every regex of the rule and reports the first error.
    fn check(&self) -> Result<()> {
        let id = Some(&*self.spec.id);
        if let Err(e) = self.compiled() {
            return Err(Error::rule(id, format!("invalid regex: {e}")));
        }
        let Some(re) = self.regex() else {
            return Ok(());
        };
        let groups = re.group_info().group_len(regex_automata::PatternID::ZERO);
        if let Some(g) = self.spec.secret_group {
            if g >= groups {
                return Err(Error::rule(
                    id,
                    format!("secret_group {g} but the regex has {} groups", groups - 1),
                ));
            }
        }
        for r in self
            .spec
            .allowlist
            .regexes
            .iter()
            .chain(self.spec.allowlist.paths.iter())
            .chain(self.spec.path.as_deref())
        {
            compile_regex(r)
                .map_err(|e| Error::rule(id, format!("invalid allowlist regex: {e}")))?;
        }
        Ok(())
    }
}

#[cfg(test)]
thread_local! {
    /// Set by tests to scan on the plain path, without the shortcuts that
    /// keyword-dense input needs (see [`plain_path`]).
    static PLAIN_PATH: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// True when a test asked for the plain path: every match captured and
/// checked. The shortcuts that skip work on keyword-dense input are proven
/// exact by comparing both paths (`tests/dense.rs`); always false outside
/// tests.
#[inline(always)]
fn plain_path() -> bool {
    #[cfg(test)]
    {
        PLAIN_PATH.with(|p| p.get())
    }
    #[cfg(not(test))]
    {
        false
    }
}

/// The secret in a match's captures: the rule's `secret_group`; without
/// one, group 1 where the regex has groups (else the whole match), or the
/// first group that took part when group 1 did not. `None` when empty.
fn secret_in(secret_group: Option<usize>, caps: &Captures) -> Option<Range<usize>> {
    let group = secret_group.unwrap_or(if caps.group_len() > 1 { 1 } else { 0 });
    match caps.get_group(group) {
        Some(s) if !s.is_empty() => Some(s.range()),
        _ if secret_group.is_none() => (1..caps.group_len())
            .find_map(|g| caps.get_group(g))
            .filter(|s| !s.is_empty())
            .map(|s| s.range()),
        _ => None,
    }
}

/// True when `hir` has no capture group, or is (past zero-width
/// assertions) one group or an alternation of groups: then a match's first
/// participating group spans the whole match (see
/// [`CompiledRule::secret_is_match`]).
fn groups_span_the_match(hir: &regex_syntax::hir::Hir) -> bool {
    use regex_syntax::hir::HirKind;
    if hir.properties().explicit_captures_len() == 0 {
        return true;
    }
    let core = match hir.kind() {
        HirKind::Concat(parts) => {
            let mut consuming = parts
                .iter()
                .filter(|h| !matches!(h.kind(), HirKind::Look(_)));
            match (consuming.next(), consuming.next()) {
                (Some(only), None) => only,
                _ => return false,
            }
        }
        _ => hir,
    };
    match core.kind() {
        HirKind::Capture(_) => true,
        HirKind::Alternation(branches) => branches
            .iter()
            .all(|b| matches!(b.kind(), HirKind::Capture(_))),
        _ => false,
    }
}

/// Longest value the generic assignment rules capture (their regexes'
/// `{1,512}` and `{0,510}` between two more bytes).
const LEAN_VALUE_MAX: usize = 512;

/// A generic assignment rule's regex with its value bounds (`{0,510}`,
/// `{1,512}`) unbounded, or `None` when the regex has none. Each of those
/// repetitions is the middle of a capture group that holds the whole value
/// and nothing else (`"([^"\s](?:[^"\r\n]{0,510}[^"\s])?)"`), so a path of
/// this regex whose groups are at most [`LEAN_VALUE_MAX`] bytes long is a
/// path of the original (see [`CompiledRule::captures`]); a test checks it
/// for every built-in rule that has such a form.
fn lean_pattern(pattern: &str) -> Option<String> {
    if !pattern.contains("{0,510}") && !pattern.contains("{1,512}") {
        return None;
    }
    Some(pattern.replace("{0,510}", "*").replace("{1,512}", "+"))
}

/// How the generic assignment rules' regexes end: the bare value, their
/// last group (after [`lean_pattern`]).
const BARE_VALUE: &str = r#"|([^\s"'`,;=#&](?:[^\s"'`]*[^\s"'`,])?))"#;

/// A generic assignment rule's lean pattern with its bare value cut to the
/// value's first byte (see `CompiledRule::value_by_head`), or `None` when
/// the regex does not end with [`BARE_VALUE`].
fn head_pattern(pattern: &str) -> Option<String> {
    let lean = lean_pattern(pattern)?;
    let head = lean.strip_suffix(BARE_VALUE)?;
    Some(format!(r#"{head}|([^\s"'`,;=#&]))"#))
}

/// The value of a generic assignment match `m` of the plainest shape, a
/// name, `=` and a bare value (`password=hunter2…`), without running the
/// head program (whose visited set, cleared per match, costs ~30
/// instructions a byte of a 512-byte value): `None` for any other shape.
///
/// The name (the keyword and the rest of the name, at most 24 bytes, so
/// at most 27 in all) is the match's whole run of name bytes, which the
/// greedy name part takes. Then, with `=` next and not `=>`, and no space
/// or quote after it, every operator branch ahead of `=` fails at once, `=`
/// takes the byte, no space follows, and the quoted branches fail: the
/// first path through the regex takes the bare value from the next byte.
/// (Valid for the regexes [`head_pattern`] accepts; a test compares with
/// the captures.)
fn bare_value_after_equals(hay: &[u8], m: &Range<usize>) -> Option<Range<usize>> {
    let matched = hay.get(m.clone())?;
    let name = validators::heuristics::name_len(matched);
    let first = match matched.get(name..name + 2)? {
        [b'=', first] => *first,
        _ => return None,
    };
    let opens_bare =
        !(first.is_ascii_whitespace() || first == b'\x0b' || b"\"'`,;=#&>".contains(&first));
    (name <= 27 && opens_bare).then(|| m.start + name + 1..m.end)
}

/// True when `hir` is capture group 1 between zero-width assertions only
/// (or group 1 alone): every match of it is also group 1's span.
fn group_one_is_the_match(hir: &regex_syntax::hir::Hir) -> bool {
    use regex_syntax::hir::HirKind;
    let is_group_one =
        |h: &regex_syntax::hir::Hir| matches!(h.kind(), HirKind::Capture(c) if c.index == 1);
    match hir.kind() {
        HirKind::Capture(_) => is_group_one(hir),
        HirKind::Concat(parts) => {
            parts.iter().filter(|p| is_group_one(p)).count() == 1
                && parts
                    .iter()
                    .all(|p| is_group_one(p) || matches!(p.kind(), HirKind::Look(_)))
        }
        _ => false,
    }
}

/// The value of a generic assignment rule's match `m` that ends in a quote:
/// the bytes between that quote and the same quote before it.
///
/// Those regexes end with the value, one of `"…"`, `'…'`, `` `…` `` (a
/// group each, the value inside holding no quote of its kind) or a bare
/// value, whose last byte is never a quote. So a match ending in a quote
/// took that quote's branch, its group opens just after the nearest
/// earlier quote of the same kind, and it is the only group that took part
/// (a test compares with the regex's captures). `None` when the match
/// does not end in a quote.
fn quoted_value(hay: &[u8], m: &Range<usize>) -> Option<Range<usize>> {
    let matched = hay.get(m.clone())?;
    let (&quote, inside) = matched.split_last()?;
    if !matches!(quote, b'"' | b'\'' | b'`') {
        return None;
    }
    let open = memchr::memrchr(quote, inside)?;
    let value = m.start + open + 1..m.end - 1;
    (!value.is_empty()).then_some(value)
}

/// Capture slots a scan keeps per rule: the exact regex's and the lean
/// program's (with its backtracking cache), each made on first use; and
/// the rule's last secret (see [`CaptureScratch::refused_again`]).
#[derive(Default)]
struct CaptureScratch {
    exact: Option<Captures>,
    lean: Option<(backtrack::Cache, Captures)>,
    head: Option<(backtrack::Cache, Captures)>,
    /// The last secret of an assignment rule, and once seen twice in a
    /// row, whether the validator refuses it whatever its name and line.
    last_value: Option<(Range<usize>, Option<bool>)>,
}

impl CaptureScratch {
    /// True when `rule`'s validator is `assignment` and `span`'s bytes equal
    /// the rule's last secret, which that validator refuses on sight
    /// (`heuristics::assignment_value_refused`): `accept` rejects it again.
    /// A line of `password="password="…` is such a secret every 20 bytes,
    /// each for a placeholder, test-value and code check (with two
    /// allocations). Exact: every path of `accept` that does not reach the
    /// validator returns `None`, and the validator then rejects it. The
    /// check runs from a value's second time in a row, once.
    fn refused_again(&mut self, rule: &CompiledRule, hay: &[u8], span: &Range<usize>) -> bool {
        if plain_path() || rule.spec.validator != Some(crate::rules::ValidatorKind::Assignment) {
            return false;
        }
        let value = &hay[span.clone()];
        match &mut self.last_value {
            Some((last, refused)) if hay[last.clone()] == *value => *refused
                .get_or_insert_with(|| validators::heuristics::assignment_value_refused(value)),
            last => {
                *last = Some((span.clone(), None));
                false
            }
        }
    }
}

/// What a lazy DFA's search cache is made by (as `meta::Regex` keeps it).
type CacheMaker = Box<
    dyn Fn() -> hybrid::dfa::Cache
        + Send
        + Sync
        + std::panic::UnwindSafe
        + std::panic::RefUnwindSafe,
>;

/// Window bytes a rule's forward gate searches before the rule's whole
/// regex is built anyway. The gate saves building the regex (~1.5 million
/// instructions) where a rule's windows never match, but walks every byte
/// of a window, where the regex skips to its literals' candidates with a
/// prefilter: on a long scan (8 MB of clean text: 3,974 windows of 2.2 MB)
/// the gates alone cost 8% more instructions than the built regexes. Past
/// this budget, about what building the regex costs in gate bytes, the
/// rule's windows ask the regex.
const FORWARD_GATE_BUDGET: usize = 256 * 1024;

/// A rule regex's forward lazy DFA, built from its NFA without capture
/// states: all that `CompiledRule::window_matches` needs to tell whether a
/// window holds a match, at about a third of the cost of building the
/// whole regex (which adds a reverse NFA and lazy DFA to find where a
/// match starts, a one-pass DFA and a backtracker for captures, and a
/// literal prefilter). Most rules a real tree's keywords wake never have a
/// window with a match (on terraform ~50 of ~65), so their whole regex is
/// never built; a rule with one builds it for its matches.
///
/// Its answer is the regex's: the same syntax tree and match semantics,
/// searched as `meta::Regex::is_match` searches with its lazy DFA (which
/// ignores capture states), with the same limits on cache clearing; when
/// the search gives up, the regex answers instead. For a built-in generic
/// assignment rule it is built from the rule's lean pattern (see
/// [`lean_pattern`]), which matches wherever the regex matches: only its
/// "no match" is the rule's answer (`wider`).
struct ForwardGate {
    dfa: hybrid::dfa::DFA,
    caches: Pool<hybrid::dfa::Cache, CacheMaker>,
    /// Built from a pattern that matches wherever the rule's regex
    /// matches, and possibly elsewhere.
    wider: bool,
}

impl std::fmt::Debug for ForwardGate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ForwardGate")
    }
}

impl ForwardGate {
    /// The forward lazy DFA of `hir`, with the engine's regex settings;
    /// `None` when it does not build.
    fn new(hir: &regex_syntax::hir::Hir) -> Option<Box<ForwardGate>> {
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .utf8(false)
                    .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
                    .which_captures(thompson::WhichCaptures::None),
            )
            .build_from_hir(hir)
            .ok()?;
        ForwardGate::from_nfa(nfa, false)
    }

    /// The forward lazy DFA of `nfa` (whose capture states it ignores);
    /// `wider` when it matches where the rule's regex may not.
    fn from_nfa(nfa: thompson::NFA, wider: bool) -> Option<Box<ForwardGate>> {
        let dfa = hybrid::dfa::Builder::new()
            .configure(
                hybrid::dfa::Config::new()
                    .match_kind(regex_automata::MatchKind::LeftmostFirst)
                    .unicode_word_boundary(true)
                    .minimum_cache_clear_count(Some(3))
                    .minimum_bytes_per_state(Some(10)),
            )
            .build_from_nfa(nfa)
            .ok()?;
        let maker = dfa.clone();
        Some(Box::new(ForwardGate {
            dfa,
            caches: Pool::new(Box::new(move || maker.create_cache())),
            wider,
        }))
    }

    /// True when the regex matches somewhere in `hay[range]` (look-arounds
    /// see the bytes around it); `None` when the lazy DFA gave up.
    fn is_match(&self, hay: &[u8], range: Range<usize>) -> Option<bool> {
        let input = Input::new(hay).range(range).earliest(true);
        let mut cache = self.caches.get();
        self.dfa
            .try_search_fwd(&mut cache, &input)
            .ok()
            .map(|m| m.is_some())
    }
}

/// Global filters applied to every finding.
#[derive(Debug, Default)]
pub(crate) struct Filters {
    pub(crate) secret_regexes: Vec<Regex>,
    pub(crate) stopwords: Vec<Vec<u8>>,
    pub(crate) inline_allow: bool,
    /// How many layers of encoding (base64, hex, percent, `\u`) to look
    /// through; 0 turns decoding off.
    pub(crate) decode_depth: usize,
    /// `high-entropy-string` reports without credential context.
    pub(crate) high_entropy_anywhere: bool,
    /// Emails are reported in project metadata and lockfiles.
    pub(crate) metadata_emails: bool,
    /// PII is reported in test, fixture, example and documentation files.
    pub(crate) pii_in_tests_and_docs: bool,
    /// Obvious sample values are reported (see `ScannerBuilder::sample_values`).
    pub(crate) sample_values: bool,
}

/// A compiled rule set.
#[derive(Debug)]
pub(crate) struct Engine {
    pub(crate) rules: Vec<CompiledRule>,
    keywords: KeywordIndex,
    digit_rules: Vec<u32>,
    /// Every digit rule's regex in one, built on first use; `None` when one
    /// of them does not compile (then each rule searches on its own).
    digit_gate: OnceLock<Option<Regex>>,
    email_rules: Vec<u32>,
    token_rules: Vec<u32>,
    path_only_rules: Vec<u32>,
    /// Rules gated by a keyword anywhere in the input, run over all of it
    /// ([`Prefilter::FileKeywords`]).
    file_rules: Vec<u32>,
    /// Token prefixes that provider rules own (`apify_api_`, `sm_pat_`),
    /// gathered on first use (see [`Engine::provider_prefixed`]).
    provider_prefixes: OnceLock<Vec<Vec<u8>>>,
    pub(crate) filters: Filters,
    /// Off: no rule is ruled out before its regex runs (tests compare).
    #[cfg(test)]
    pub(crate) early_rejects: bool,
}

/// A candidate: rule index and the window to run its regex in.
#[derive(Clone, Debug)]
struct Candidate {
    rule: u32,
    window: Range<usize>,
    /// The window is a run of whole lines, each of which passed the rule's
    /// gates on its own and is confirmed on its own (see `Engine::pieces`).
    lines: bool,
}

/// What `Engine::candidates` leaves for `Engine::confirm`.
struct Candidates {
    windows: Vec<Candidate>,
    /// Encoded text found in token runs (when asked for).
    decoded: Vec<Decoded>,
    /// Positions of `@`, `%` and `\`, in order.
    marks: prefilter::Marks,
    /// Windows a regex searched on the way, and their bytes.
    searched: (usize, usize),
}

/// State a scan keeps per rule it touches, a few of the ~1,000: vectors over
/// every rule cost each small file about 70 KB of writes before its first
/// byte was looked at.
type PerRule<T> = HashMap<u32, T, std::hash::BuildHasherDefault<RuleHasher>>;

/// Hashes a rule index (not input bytes, so no flooding to fear): one
/// multiply, rotated so both ends of the hash vary.
#[derive(Default)]
struct RuleHasher(u64);

impl std::hash::Hasher for RuleHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u32(u32::from(b));
        }
    }

    fn write_u32(&mut self, x: u32) {
        self.0 = (self.0 ^ u64::from(x))
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(26);
    }
}

/// What a rule's keyword window found on the last line it looked at:
/// `found` is `None` when the line lacks the rule's required bytes, else
/// whether its regex matched there.
#[derive(Default)]
struct LineVerdict {
    line: Range<usize>,
    found: Option<bool>,
}

impl LineVerdict {
    /// True when `window` is a line between two line breaks (neither end
    /// of the input) with the same bytes as `self.line`, itself such a
    /// line: both then hold the same required bytes and the same regex
    /// matches (look-arounds read one byte past a window, a line break
    /// on both sides of both).
    fn repeats(&self, hay: &[u8], window: &Range<usize>) -> bool {
        let inner = |w: &Range<usize>| {
            w.start > 0 && hay.get(w.start - 1) == Some(&b'\n') && hay.get(w.end) == Some(&b'\n')
        };
        self.line.len() == window.len()
            && self.line != *window
            && inner(&self.line)
            && inner(window)
            && hay[self.line.clone()] == hay[window.clone()]
    }
}

/// For the last few rule lists keyword hits woke: the position below which
/// every rule of the list has a window that covers a hit (see `covered` in
/// `Engine::candidates_in`), so a hit there is settled without looking its
/// rules up: a line of `password=` repeated is two hits every 9 bytes,
/// each a map lookup per rule.
///
/// A bound goes stale only low: a rule's window changes only for a hit its
/// last window does not cover, at or past its bound then, and hits come in
/// input order, so no later hit is below a stale bound.
#[derive(Default)]
struct Covers {
    /// (the list's address and length, its bound), by the list's address.
    slots: [(usize, usize, usize); 4],
}

impl Covers {
    /// The slot of `rules`, and its key.
    fn slot(rules: &[u32]) -> (usize, (usize, usize)) {
        let at = rules.as_ptr() as usize;
        ((at >> 2) % 4, (at, rules.len()))
    }

    /// True when every rule of `rules` covers a hit at `pos`.
    fn covered(&self, rules: &[u32], pos: usize) -> bool {
        let (i, key) = Covers::slot(rules);
        let (p, n, bound) = self.slots[i];
        (p, n) == key && pos < bound
    }

    /// Remembers `bound` for `rules`.
    fn remember(&mut self, rules: &[u32], bound: usize) {
        let (i, key) = Covers::slot(rules);
        if bound > 0 || self.slots[i].0 == key.0 {
            self.slots[i] = (key.0, key.1, bound);
        }
    }
}

/// How far a keyword rule's window may reach before and after its hit.
#[inline]
fn reach(multiline: bool) -> (usize, usize) {
    if multiline {
        (MULTILINE_BEFORE, MULTILINE_AFTER)
    } else {
        (LINE_REACH_BEFORE, LINE_REACH_AFTER)
    }
}

/// True when `needle` (lowercase) occurs in `hay`, ASCII case ignored.
fn contains_ignore_case(hay: &[u8], needle: &[u8]) -> bool {
    let Some(&first) = needle.first() else {
        return true;
    };
    memchr::memchr2_iter(first.to_ascii_lowercase(), first.to_ascii_uppercase(), hay).any(|at| {
        hay.get(at..at + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(needle))
    })
}

/// Expands `pos..end` to the enclosing line(s), bounded by the reach limits.
#[inline]
fn line_window(hay: &[u8], pos: usize, end: usize, multiline: bool) -> Range<usize> {
    let (before, after) = reach(multiline);
    let lo = pos.saturating_sub(before);
    let hi = end.saturating_add(after).min(hay.len());
    if multiline {
        return lo..hi;
    }
    let start = last_newline(hay, lo, pos).map_or(lo, |b| b + 1);
    let stop = first_newline(hay, end.min(hi), hi).unwrap_or(hi);
    start..stop
}

/// [`line_window`] of single-line spans given in increasing order, which
/// remembers the line breaks it found around the last span: matches every
/// few bytes of one long line (`token: token: …`) each searched up to
/// 5 KiB for them.
#[derive(Default)]
struct LineWindows {
    /// The last line break in `before.0..before.1`, if any.
    before: (usize, usize, Option<usize>),
    /// The first line break in `after.0..after.1`, if any.
    after: (usize, usize, Option<usize>),
}

impl LineWindows {
    /// `line_window(hay, pos, end, false)`.
    fn window(&mut self, hay: &[u8], pos: usize, end: usize) -> Range<usize> {
        let (before, after) = reach(false);
        let lo = pos.saturating_sub(before);
        let hi = end.saturating_add(after).min(hay.len());
        let from = end.min(hi);
        let last_break = |a: usize, b: usize| last_newline(hay, a, b);
        let first_break = |a: usize, b: usize| first_newline(hay, a, b);
        let (f, p, n) = self.before;
        let brk = if f <= lo && p <= pos {
            // Only the bytes after the last span's are new.
            last_break(p.max(lo), pos).or(n.filter(|&n| n >= lo))
        } else {
            last_break(lo, pos)
        };
        self.before = (lo, pos, brk);
        let (q, c, m) = self.after;
        let next = if q <= from {
            match m {
                Some(m) if m >= from => Some(m).filter(|&m| m < hi),
                Some(_) => first_break(from, hi),
                // None in `q..c`, so none in `from..c`.
                None => first_break(c.clamp(from, hi), hi),
            }
        } else {
            first_break(from, hi)
        };
        self.after = (from, hi, next);
        brk.map_or(lo, |b| b + 1)..next.unwrap_or(hi)
    }
}

/// The first line break in `hay[a..b]`.
#[inline]
fn first_newline(hay: &[u8], a: usize, b: usize) -> Option<usize> {
    memchr::memchr(b'\n', &hay[a..b]).map(|i| a + i)
}

/// The last line break in `hay[a..b]`.
#[inline]
fn last_newline(hay: &[u8], a: usize, b: usize) -> Option<usize> {
    memchr::memrchr(b'\n', &hay[a..b]).map(|i| a + i)
}

/// When `window` is a whole line of `hay` (it starts at the input's start
/// or after a line break, and ends at the input's end or at one): the line
/// with the line before it, if any, which inline allow comments may be on
/// (`None` when that line is longer than their look-back, 4 KiB).
fn with_line_before(hay: &[u8], window: &Range<usize>) -> Option<Range<usize>> {
    let ends = window.end == hay.len() || hay.get(window.end) == Some(&b'\n');
    if !ends {
        return None;
    }
    if window.start == 0 {
        return Some(window.clone());
    }
    let prev_end = window.start - 1;
    if hay.get(prev_end) != Some(&b'\n') {
        return None;
    }
    let floor = prev_end.saturating_sub(4096);
    match memchr::memrchr(b'\n', &hay[floor..prev_end]) {
        Some(i) => Some(floor + i + 1..window.end),
        None if floor == 0 => Some(0..window.end),
        None => None,
    }
}

/// True when `window` is one whole line of `hay`: it starts at the input's
/// start or after a line break, ends at the input's end or at one, and
/// holds none.
fn whole_line(hay: &[u8], window: &Range<usize>) -> bool {
    (window.start == 0 || hay.get(window.start - 1) == Some(&b'\n'))
        && (window.end == hay.len() || hay.get(window.end) == Some(&b'\n'))
        && memchr::memchr(b'\n', &hay[window.clone()]).is_none()
}

/// True when `window`, a single-line rule's window for a keyword hit, is
/// the whole line right after `prev`, the rule's last window and a run of
/// whole lines (see `Candidate::lines`): then it joins the run without the
/// match-only search of its own. `Engine::confirm` searches each line of a
/// run on its own anyway, so a line joined without a match yields nothing
/// there, and a line with one (a file of `"access_token": "tok1",` lines)
/// is searched once instead of twice.
fn joins_line_run(hay: &[u8], prev: &Candidate, window: &Range<usize>, multiline: bool) -> bool {
    !plain_path()
        && !multiline
        && prev.lines
        && prev.window.end + 1 == window.start
        && whole_line(hay, window)
}

/// The windows `cand` stands for: its window, or each line of a run of
/// whole lines (see `Candidate::lines`).
fn pieces<'a>(hay: &'a [u8], cand: &Candidate) -> impl Iterator<Item = Range<usize>> + 'a {
    let (window, lines) = (cand.window.clone(), cand.lines);
    let mut next = Some(window.start);
    std::iter::from_fn(move || {
        let start = next?;
        if !lines {
            next = None;
            return Some(window.clone());
        }
        match memchr::memchr(b'\n', &hay[start..window.end]) {
            Some(i) => {
                next = Some(start + i + 1);
                Some(start..start + i)
            }
            None => {
                next = None;
                Some(start..window.end)
            }
        }
    })
}

/// Where a digit rule's match that overlaps the digit run starting at `s`
/// can start at the earliest. Between its digits, a match has at most two
/// separators (so it lies within the run), and before them at most a `+`
/// and a `(`, or an IBAN's groups: uppercase letters, digits and single
/// spaces, within [`DIGIT_LOOKBACK`].
fn digit_match_start(hay: &[u8], s: usize) -> usize {
    let lo = s.saturating_sub(DIGIT_LOOKBACK);
    let iban = hay[lo..s]
        .iter()
        .rev()
        .take_while(|&&b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b' ')
        .count();
    (s - iban).saturating_sub(2)
}

/// Token-run lines up to this long are asked for a credential word before
/// the run's own checks; longer ones after them (a long line costs more to
/// search than a run to check).
const TOKEN_LINE_FIRST: usize = 1024;

/// What a file's path alone decides about some rules: `Engine::accept`
/// rejects every match of personal data in tests and docs, of contact
/// details in project metadata, and of sample-prone rules in tests, so
/// those rules need not wake at all there. Each fact is found the first
/// time a rule needs it, once per file (decoded text shares its file's):
/// most files never need one.
#[derive(Debug, Default)]
struct PathFacts<'p> {
    path: Option<&'p Path>,
    /// A test, fixture, example or documentation file.
    test_or_doc: OnceCell<bool>,
    /// Project metadata or a lockfile.
    metadata: OnceCell<bool>,
    /// A credential file (see `TokenLines`).
    credential_file: OnceCell<bool>,
}

impl<'p> PathFacts<'p> {
    fn new(path: Option<&'p Path>) -> PathFacts<'p> {
        PathFacts {
            path,
            ..PathFacts::default()
        }
    }

    /// True when `engine.accept` rejects every match of `rule` in this file,
    /// asked before any search (see [`PathFacts::rejects_every_match`]).
    fn rules_out(&self, engine: &Engine, rule: &CompiledRule) -> bool {
        #[cfg(test)]
        if !engine.early_rejects {
            return false;
        }
        self.rejects_every_match(&engine.filters, rule)
    }

    /// The checks of `Engine::accept` that look only at the file's path:
    /// personal data in tests and docs, sample-prone rules (tagged
    /// `password-hash` or `sample-in-tests`) in tests and docs, emails and
    /// phone numbers in project metadata. A path check, not a path
    /// allowlist, keeps the rule set delta-safe across renames.
    fn rejects_every_match(&self, filters: &Filters, rule: &CompiledRule) -> bool {
        use crate::rules::ValidatorKind;
        let Some(path) = self.path else {
            return false;
        };
        let pii = rule.spec.category == crate::Category::Pii && !filters.pii_in_tests_and_docs;
        let sample = rule.sample_tagged && !filters.sample_values;
        if (pii || sample)
            && *self
                .test_or_doc
                .get_or_init(|| validators::paths::test_or_doc(path))
        {
            return true;
        }
        !filters.metadata_emails
            && matches!(
                rule.spec.validator,
                Some(ValidatorKind::Email | ValidatorKind::Phone)
            )
            && *self
                .metadata
                .get_or_init(|| validators::paths::project_metadata(path))
    }

    /// True when `accept` asks a high-entropy match's line for a credential
    /// word in this file.
    fn credential_lines(&self, engine: &Engine) -> bool {
        #[cfg(test)]
        if !engine.early_rejects {
            return false;
        }
        !engine.filters.high_entropy_anywhere
            && !*self
                .credential_file
                .get_or_init(|| validators::paths::credential_file(self.path))
    }
}

/// The high-entropy rules' line check (`credential_context`, see
/// `Engine::accept`) asked once per token run's line, before any regex.
/// The line of a run's window holds the line of every match in it (both
/// reach from the window's ends), so a line without a credential word
/// rules out every match in the window.
#[derive(Default)]
struct TokenLines {
    /// The last line asked about, and the answer.
    last: Option<(Range<usize>, bool)>,
    /// The last token segment a validator judged on sight, which one, and
    /// whether it rejected it (see [`TokenLines::rejects`]).
    judged: Option<(crate::rules::ValidatorKind, Range<usize>, bool)>,
}

impl TokenLines {
    /// `credential_context` of `hay[line]`, remembered for the next run on
    /// the same line.
    fn credential(&mut self, hay: &[u8], line: Range<usize>) -> bool {
        if let Some((last, found)) = &self.last {
            if *last == line {
                return *found;
            }
        }
        let found = validators::heuristics::credential_context(&hay[line.clone()]);
        self.last = Some((line, found));
        found
    }

    /// `validators::rejects_token(kind, &hay[seg])`, taken from the last
    /// segment judged when its bytes are the same: the answer depends on
    /// the bytes alone, and a run repeated back to back (`eyJhbGciOi…J9.`
    /// over and over) spent most of its scan judging one token again.
    fn rejects(
        &mut self,
        hay: &[u8],
        kind: crate::rules::ValidatorKind,
        seg: Range<usize>,
    ) -> bool {
        if let Some((k, last, answer)) = self.judged.as_ref().filter(|_| !plain_path()) {
            if *k == kind && last.len() == seg.len() && hay[last.clone()] == hay[seg.clone()] {
                return *answer;
            }
        }
        let answer = validators::rejects_token(kind, &hay[seg.clone()]);
        self.judged = Some((kind, seg, answer));
        answer
    }
}

impl Engine {
    pub(crate) fn new(rules: &RuleSet, filters: Filters) -> Engine {
        let compiled: Vec<CompiledRule> = rules.iter().map(CompiledRule::new).collect();
        let mut kws = Vec::new();
        let (mut digit_rules, mut email_rules, mut token_rules, mut path_only_rules) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut file_rules = Vec::new();
        // Built-in rules' keywords are taken from the build script's sorted
        // table (see `builtin::keywords`): for each built-in index, this
        // engine's rule index plus one (0: not in this engine).
        let mut builtin_slots: Vec<u32> = Vec::new();
        // Built-in rules woken by keywords in this engine: when they are all
        // of them and no other rule has keywords, the build script's plan of
        // the built-in keywords is this engine's (see `keyword_plan`).
        let mut builtin_keyword_rules = 0usize;
        for (i, r) in compiled.iter().enumerate() {
            let i = i as u32;
            match r.spec.prefilter.unwrap_or(Prefilter::Keywords) {
                Prefilter::Keywords => {
                    if r.spec.keywords.is_empty() {
                        path_only_rules.push(i);
                    }
                    if let Some(b) = r.spec.builtin_index() {
                        let b = b as usize;
                        if builtin_slots.len() <= b {
                            builtin_slots.resize(b + 1, 0);
                        }
                        builtin_slots[b] = i + 1;
                        builtin_keyword_rules += usize::from(!r.spec.keywords.is_empty());
                        continue;
                    }
                    for k in r.spec.keywords.iter() {
                        kws.push((k, i));
                    }
                }
                Prefilter::Digits => digit_rules.push(i),
                Prefilter::Email => email_rules.push(i),
                Prefilter::TokenRun => token_rules.push(i),
                Prefilter::FileKeywords => file_rules.push(i),
            }
        }
        let slot_of = |b: u32| builtin_slots.get(b as usize).copied().unwrap_or(0);
        let keywords = if kws.is_empty()
            && builtin_keyword_rules == crate::rules::builtin::KEYWORD_PLAN.rules as usize
        {
            KeywordIndex::builtin(|b| slot_of(b).saturating_sub(1))
        } else {
            if !builtin_slots.is_empty() {
                // Sorted first, then the other rules' keywords: the index's
                // sort of its keywords then only merges a short tail.
                let own = std::mem::take(&mut kws);
                kws.extend(crate::rules::builtin::keywords().filter_map(|(k, b)| {
                    let slot = slot_of(b);
                    (slot > 0).then(|| (k, slot - 1))
                }));
                kws.extend(own);
            }
            KeywordIndex::new(&kws)
        };
        Engine {
            keywords,
            rules: compiled,
            digit_rules,
            digit_gate: OnceLock::new(),
            email_rules,
            token_rules,
            path_only_rules,
            file_rules,
            provider_prefixes: OnceLock::new(),
            filters,
            #[cfg(test)]
            early_rejects: true,
        }
    }

    /// True when `value` opens with a token prefix that an enabled provider
    /// rule looks for (a keyword of 4+ bytes ending in `_`, `-` or `.`).
    /// A generic rule leaves such a value to that provider's rule: when the
    /// provider rule refused it, its shape is wrong (a truncated, padded or
    /// sample token), and reporting it generically would say so twice.
    fn provider_prefixed(&self, value: &[u8]) -> bool {
        self.provider_prefixes
            .get_or_init(|| {
                let mut prefixes: Vec<Vec<u8>> = self
                    .rules
                    .iter()
                    .filter(|r| r.spec.specificity() == crate::rules::Specificity::Provider)
                    .flat_map(|r| r.spec.keywords.iter())
                    .filter(|k| k.len() >= 4 && k.ends_with(['_', '-', '.']))
                    // Common words are no one's prefix (`live_`, `API-`).
                    .filter(|k| {
                        let word = k[..k.len() - 1].to_ascii_lowercase();
                        ![
                            "api", "key", "live", "test", "sdk", "pat", "sat", "prod", "user",
                        ]
                        .contains(&word.as_str())
                    })
                    .map(|k| k.as_bytes().to_vec())
                    .collect();
                prefixes.sort_unstable();
                prefixes.dedup();
                prefixes
            })
            .iter()
            .any(|p| value.len() > p.len() && value[..p.len()].eq_ignore_ascii_case(p))
    }

    /// Compiles the regexes of every rule that is not built in (built-in
    /// rules are proven by tests) and reports the first invalid one.
    pub(crate) fn check(&self) -> Result<()> {
        self.rules
            .iter()
            .filter(|r| !r.builtin)
            .try_for_each(CompiledRule::check)
    }

    /// Compiles every regex, built-in or not (for tests).
    #[cfg(test)]
    pub(crate) fn check_all(&self) -> Result<()> {
        self.rules.iter().try_for_each(CompiledRule::check)
    }

    /// Candidate windows, and the encoded text found in token runs on the
    /// way (only when `want_decoded`).
    ///
    /// Each window is gated while the prefilter has it in cache: keyword
    /// windows must hold their rule's required bytes and a match of its
    /// regex, digit windows a match of any digit rule, token runs a chance
    /// of passing their validator. What is left is mostly findings.
    fn candidates(&self, hay: &[u8], path: Option<&Path>, want_decoded: bool) -> Candidates {
        self.candidates_in(hay, &PathFacts::new(path), want_decoded)
    }

    /// [`Engine::candidates`], with the facts of the file `hay` is (or was
    /// decoded from).
    fn candidates_in(&self, hay: &[u8], facts: &PathFacts, want_decoded: bool) -> Candidates {
        // Rules the path alone rules out (see `PathFacts`) wake nothing.
        let ruled_out = |rule: u32| facts.rules_out(self, &self.rules[rule as usize]);
        let digits_wake = OnceCell::new();
        let mut token_lines = TokenLines::default();
        // Windows a regex searched, and their bytes (see `work`).
        let searched = Cell::new((0usize, 0usize));
        let count = |window: &Range<usize>| {
            let (n, bytes) = searched.get();
            searched.set((n + 1, bytes + window.len()));
        };
        let search = |rule: &CompiledRule, window: &Range<usize>| {
            count(window);
            rule.window_matches(hay, window.clone())
        };
        let mut out: Vec<Candidate> = Vec::new();
        // Per rule hit: the end of its last window, to skip hits it already
        // covers, and its last window in `out` (`usize::MAX`: none): a
        // window overlapping it extends it instead of being searched again,
        // so a line dense with keywords costs each rule one search of its
        // bytes, not one per hit.
        // And the last window its regex was searched in without a match.
        // And the last line it looked at, with what it found there (see
        // `LineVerdict`).
        let mut windows_of: PerRule<(usize, usize, Range<usize>, LineVerdict)> = PerRule::default();
        // A hit inside the previous window of the same rule, which ends at
        // `c` (0: none yet), adds nothing when that window ends at a line
        // break (a single-line match cannot cross it), or when the hit is
        // far enough from the window's end for any match starting there
        // to fit.
        let covered = |r: &CompiledRule, c: usize, pos: usize, end: usize| {
            let (_, after) = reach(r.spec.multiline);
            c > 0
                && pos < c
                && ((!r.spec.multiline && hay.get(c) == Some(&b'\n')) || end + after / 2 <= c)
        };
        // Below what position a hit is `covered` by the rule's window that
        // ends at `c`.
        let covered_below = |r: &CompiledRule, c: usize| {
            if !r.spec.multiline && hay.get(c) == Some(&b'\n') {
                c
            } else {
                (c + 1).saturating_sub(reach(r.spec.multiline).1 / 2)
            }
        };
        // Returns below what position the rule's windows now cover a hit
        // (0 when that was not looked up; see `Covers`).
        let mut push = |rule: u32, pos: usize, end: usize, marked: prefilter::LineMarked| {
            let r = &self.rules[rule as usize];
            // First what a hit inside its rule's last window costs (most
            // hits of keyword-dense input): that rule was not ruled out.
            if let Some(&(c, _, _, _)) = windows_of.get(&rule) {
                if covered(r, c, pos, end) {
                    return covered_below(r, c);
                }
            }
            if facts.rules_out(self, r) {
                return 0;
            }
            // A line with no `@` cannot hold a credential in a URL: the
            // prefilter's masks tell, before any byte is read again.
            if !r.spec.multiline
                && r.required().bytes.iter().any(|&b| prefilter::is_mark(b))
                && !marked.get()
            {
                return 0;
            }
            let (c, last, barren, seen) =
                windows_of
                    .entry(rule)
                    .or_insert((0, usize::MAX, 0..0, LineVerdict::default()));
            if covered(r, *c, pos, end) {
                return 0;
            }
            let window = line_window(hay, pos, end, r.spec.multiline);
            *c = window.end;
            if let Some(prev) = out.get_mut(*last) {
                // (A run of whole lines ends at a line break, so a later
                // hit's line cannot overlap it.)
                if window.start < prev.window.end && !prev.lines {
                    prev.window.end = prev.window.end.max(window.end);
                    return 0;
                }
                if joins_line_run(hay, prev, &window, r.spec.multiline) {
                    prev.window.end = window.end;
                    return 0;
                }
            }
            // A line equal to the last one the rule looked at (a file of
            // the same short line) gets that line's answer.
            let repeat = !plain_path()
                && !r.spec.multiline
                && barren.end <= window.start
                && seen.repeats(hay, &window);
            let found = if repeat {
                seen.found
            } else {
                // Rarest byte first: a URL rule's `@` turns away most lines.
                let found = if !r.required().holds(&hay[window.clone()]) {
                    None
                } else {
                    let from = r.unsearched_from(&window, barren);
                    let Some(matched) = search(r, &(from..window.end)) else {
                        return 0;
                    };
                    Some(matched)
                };
                *seen = LineVerdict {
                    line: window.clone(),
                    found,
                };
                found
            };
            if let Some(matched) = found {
                if !matched {
                    *barren = window;
                } else {
                    let lines = !r.spec.multiline && whole_line(hay, &window);
                    // The next line after a run of whole lines joins it: a
                    // file of short keyword lines kept one window per line
                    // (3 million, 72 MB, for 32 MB of `password=x` lines).
                    if let Some(prev) = out.get_mut(*last) {
                        if lines && prev.lines && prev.window.end + 1 == window.start {
                            prev.window.end = window.end;
                            return 0;
                        }
                    }
                    *last = out.len();
                    out.push(Candidate {
                        rule,
                        window,
                        lines,
                    });
                }
            }
            0
        };
        // Keyword hits whose rules' last windows all cover them (see
        // `Covers`).
        let mut covers = Covers::default();
        let mut digit_out: Vec<Candidate> = Vec::new();
        // Per digit rule (as `self.digit_rules` orders them), the index of
        // its last window in `digit_out`.
        let mut digit_last: Vec<usize> = Vec::new();
        let mut token_out: Vec<Candidate> = Vec::new();
        let mut decoded: Vec<Decoded> = Vec::new();
        let token_rules = !self.token_rules.is_empty();
        // Where the `@`, `%` and `\` are: emails and escapes start there.
        let mut marks = prefilter::Marks::new(hay.len());
        self.keywords.scan(
            hay,
            !self.digit_rules.is_empty(),
            token_rules || want_decoded,
            TOKEN_RUN_MIN,
            &mut marks,
            |pos, rules, marked| {
                if !plain_path() && covers.covered(rules, pos) {
                    return;
                }
                let mut bound = usize::MAX;
                for &rule in rules {
                    bound = bound.min(push(rule, pos, pos, marked));
                }
                covers.remember(rules, bound);
            },
            // Tight windows: room for an IBAN's country code and check
            // digits, or a label, before the run.
            |s, e, digits| {
                if !*digits_wake.get_or_init(|| self.digit_rules.iter().any(|&r| !ruled_out(r))) {
                    return;
                }
                let window = s.saturating_sub(DIGIT_LOOKBACK)..(e + 8).min(hay.len());
                // One search for all digit rules; almost every run matches none.
                if let Some(gate) = self.digit_gate() {
                    let range = digit_match_start(hay, s)..window.end;
                    count(&range);
                    if !gate.is_match(Input::new(hay).range(range)) {
                        return;
                    }
                }
                for (i, &rule) in self.digit_rules.iter().enumerate() {
                    let r = &self.rules[rule as usize];
                    if r.spec.validator.map_or(0, validators::min_digits) <= digits
                        && !ruled_out(rule)
                    {
                        // A window overlapping the rule's last one extends
                        // it: rows of digit groups (`GB82 WEST 1234 …`)
                        // woke a window per run, 16× the input's bytes.
                        if let Some(prev) = digit_last
                            .get(i)
                            .and_then(|&at| digit_out.get_mut(at))
                            .filter(|p| p.rule == rule && p.window.end >= window.start)
                        {
                            prev.window.end = prev.window.end.max(window.end);
                            continue;
                        }
                        if digit_last.len() <= i {
                            digit_last.resize(i + 1, usize::MAX);
                        }
                        digit_last[i] = digit_out.len();
                        digit_out.push(Candidate {
                            rule,
                            window: window.clone(),
                            lines: false,
                        });
                    }
                }
            },
            |s, e, classes| {
                if token_rules {
                    self.token_candidates(
                        hay,
                        s..e,
                        classes,
                        facts,
                        &mut token_lines,
                        &mut token_out,
                    );
                }
                if want_decoded {
                    decode::token_run(hay, s..e, &mut decoded);
                }
            },
        );
        out.append(&mut digit_out);
        out.append(&mut token_out);
        if !self.email_rules.is_empty() {
            // An address is at most 64 bytes of local part, then the domain.
            let mut covered_to = 0;
            for pos in marks.iter().filter(|&p| hay[p] == b'@') {
                // An address character before the `@` and a letter or digit
                // after it (not `@media`, `@Override`, `'@scope/pkg'`).
                let around = (pos.checked_sub(1).map(|p| hay[p]), hay.get(pos + 1));
                let (Some(before), Some(after)) = around else {
                    continue;
                };
                if pos < covered_to
                    || !(before.is_ascii_alphanumeric() || b"._%+-".contains(&before))
                    || !after.is_ascii_alphanumeric()
                {
                    continue;
                }
                let window = pos.saturating_sub(64)..(pos + 192).min(hay.len());
                covered_to = window.end.saturating_sub(96);
                for &rule in &self.email_rules {
                    if ruled_out(rule) {
                        continue;
                    }
                    out.push(Candidate {
                        rule,
                        window: window.clone(),
                        lines: false,
                    });
                }
            }
        }
        for &rule in &self.file_rules {
            let r = &self.rules[rule as usize];
            if facts.rules_out(self, r) {
                continue;
            }
            if r.spec
                .keywords
                .iter()
                .any(|k| contains_ignore_case(hay, k.as_bytes()))
            {
                out.push(Candidate {
                    rule,
                    window: 0..hay.len(),
                    lines: false,
                });
            }
        }
        Candidates {
            windows: out,
            decoded,
            marks,
            searched: searched.get(),
        }
    }

    /// Token-run rules' windows for the run `run`: the run itself (a
    /// token-run rule's regex starts with the token) plus room for `=`
    /// padding.
    fn token_candidates(
        &self,
        hay: &[u8],
        run: Range<usize>,
        classes: u8,
        facts: &PathFacts,
        lines: &mut TokenLines,
        out: &mut Vec<Candidate>,
    ) {
        let window = run.start..(run.end + 4).min(hay.len());
        let run = &hay[run];
        for &rule in &self.token_rules {
            // A built-in token-run rule's secret is one `=`-separated
            // segment of the run: if its validator rejects every segment
            // on sight (most often from the run's character classes
            // alone), no regex needs to run.
            let r = &self.rules[rule as usize];
            if let (true, Some(kind)) = (r.builtin, r.spec.validator) {
                if validators::rejects_token_classes(kind, run.len(), classes) {
                    continue;
                }
            }
            // A high-entropy match off a credential line is rejected (see
            // `accept`): asked first where the line is short, since most
            // runs (digests, `go.sum` hashes) sit on lines without one.
            let context = r.spec.validator == Some(crate::rules::ValidatorKind::HighEntropy)
                && facts.credential_lines(self);
            let line = context.then(|| line_window(hay, window.start, window.end, false));
            if let Some(line) = line.clone().filter(|l| l.len() <= TOKEN_LINE_FIRST) {
                if !lines.credential(hay, line) {
                    continue;
                }
            }
            if let (true, Some(kind)) = (r.builtin, r.spec.validator) {
                // Every `=`-separated segment of 20+ bytes, by position.
                let mut at = window.start;
                let mut segments = run.split(|&b| b == b'=').filter_map(|s| {
                    let seg = at..at + s.len();
                    at = seg.end + 1;
                    (s.len() >= 20).then_some(seg)
                });
                if segments.all(|seg| lines.rejects(hay, kind, seg)) {
                    continue;
                }
            }
            if let Some(line) = line.filter(|l| l.len() > TOKEN_LINE_FIRST) {
                if !lines.credential(hay, line) {
                    continue;
                }
            }
            out.push(Candidate {
                rule,
                window: window.clone(),
                lines: false,
            });
        }
    }

    /// The union of the digit rules' regexes (see `gate`).
    fn digit_gate(&self) -> Option<&Regex> {
        self.digit_gate
            .get_or_init(|| {
                let patterns: Vec<&str> = self
                    .digit_rules
                    .iter()
                    .map(|&r| &*self.rules[r as usize].spec.regex)
                    .collect();
                compile_many(&patterns).ok()
            })
            .as_ref()
    }

    /// The prefilter kernel scans run on (see `simd::Kernel::new`).
    pub(crate) fn kernel_name(&self) -> &'static str {
        self.keywords
            .kernel()
            .map_or("portable", |k| k.kind().name())
    }

    /// Work a scan of `hay` would do: (windows a regex searches, total bytes
    /// of those windows), counting the gates' searches and `confirm`'s. Used
    /// by tests that prove linear behaviour without timing.
    pub(crate) fn work(&self, hay: &[u8]) -> (usize, usize) {
        let c = self.candidates(hay, None, false);
        let bytes: usize = c.windows.iter().map(|c| c.window.len()).sum();
        (c.searched.0 + c.windows.len(), c.searched.1 + bytes)
    }

    /// Scans `hay`. `path` enables path-restricted rules and path allowlists.
    pub(crate) fn scan(&self, hay: &[u8], path: Option<&Path>) -> Vec<Finding> {
        self.scan_depth(hay, &PathFacts::new(path), self.filters.decode_depth)
    }

    /// Scans `hay`, then what its encoded parts decode to, `depth` layers
    /// deep. A finding in decoded text is reported at the encoded text's
    /// location, with the decoders applied (outermost first).
    fn scan_depth(&self, hay: &[u8], facts: &PathFacts, depth: usize) -> Vec<Finding> {
        let path = facts.path;
        let Candidates {
            windows,
            mut decoded,
            marks,
            ..
        } = self.candidates_in(hay, facts, depth > 0);
        let mut findings = self.confirm(hay, facts, windows);
        if depth == 0 {
            return findings;
        }
        // Decoded text never exceeds the input's size (or 1 MiB) in total.
        let mut budget = hay.len().max(1 << 20);
        let mut lines = LineCounter::new(hay);
        let path_arc: Option<Arc<Path>> = findings
            .first()
            .and_then(|f| f.path.clone())
            .or_else(|| path.map(Arc::from));
        let mut decoded_findings = Vec::new();
        decode::escapes(hay, marks.iter(), &mut decoded);
        for d in decoded {
            if d.text.len() > budget {
                break;
            }
            budget -= d.text.len();
            let inner = self.scan_depth(&d.text, facts, depth - 1);
            if inner.is_empty() {
                continue;
            }
            let line = line_window(hay, d.span.start, d.span.end, false);
            if self.filters.inline_allow && crate::allow::is_allowed_inline(hay, line) {
                continue;
            }
            let run = &hay[d.span.clone()];
            let (line, column) = lines.locate(d.span.start);
            let (end_line, end_column) = lines.locate_end(d.span.end);
            // Where `at` bytes into the run is, from the run's start (never
            // back to the file's start: the counter only goes forward).
            let within = |at: usize| match memchr::memrchr(b'\n', &run[..at]) {
                None => (line, column + at),
                Some(nl) => (line + bytecount::count(&run[..at], b'\n'), at - nl),
            };
            for mut f in inner {
                let mut decoders = vec![d.kind];
                decoders.extend_from_slice(f.decoders());
                f.origin = Some(Box::new(crate::finding::Origin { decoders }));
                // A secret the decoding left as it was (a token after the
                // escaped part of a URL) is reported at its own bytes, where
                // the plain scan's finding of it, if any, is the same span;
                // one the decoding changed, at the whole encoded run.
                let secret = f.secret.expose();
                let at = (!secret.is_empty())
                    .then(|| memchr::memmem::find(run, secret))
                    .flatten();
                (f.span, f.line, f.column, f.end_line, f.end_column) = match at {
                    Some(at) => {
                        let end = at + secret.len();
                        let (l, c) = within(at);
                        let (el, ec) = within(end - 1);
                        let span = d.span.start + at..d.span.start + end;
                        (span, l, c, el, ec + 1)
                    }
                    None => (d.span.clone(), line, column, end_line, end_column),
                };
                f.match_span = f.span.clone();
                f.path = path_arc.clone();
                decoded_findings.push(f);
            }
        }
        if !decoded_findings.is_empty() {
            let plain = findings.len();
            findings.extend(decoded_findings);
            // A decoded token and a generic finding on its encoded text are
            // one secret: report it once.
            let contenders: Vec<overlap::Contender> = findings
                .iter()
                .enumerate()
                .map(|(i, f)| overlap::Contender {
                    rank: (f.rule.specificity, f.confidence),
                    rule: u32::from(i < plain),
                    // One rule's findings share its metadata.
                    id: Arc::as_ptr(&f.rule) as usize,
                    secret: f.span.clone(),
                    matched: f.match_span.clone(),
                    decoded: i >= plain,
                    category: f.rule.category,
                })
                .collect();
            let mut keep = overlap::survivors(&contenders).into_iter();
            findings.retain(|_| keep.next().unwrap_or(true));
            findings.sort_by_key(|f| f.span.start);
        }
        findings
    }

    /// Runs each candidate's regex in its window and checks the matches.
    fn confirm(
        &self,
        hay: &[u8],
        facts: &PathFacts,
        mut candidates: Vec<Candidate>,
    ) -> Vec<Finding> {
        let path = facts.path;
        if path.is_some() {
            for &rule in &self.path_only_rules {
                candidates.push(Candidate {
                    rule,
                    window: 0..hay.len(),
                    lines: false,
                });
            }
        }
        if candidates.is_empty() {
            return Vec::new();
        }
        candidates.retain(|c| !facts.rules_out(self, &self.rules[c.rule as usize]));
        // Per rule: findings so far, where its last search stopped (a
        // rule's windows come in input order and may overlap, and a match
        // already found, its captures and checks, is never looked at
        // again), and its capture slots.
        let mut states: PerRule<(u32, usize, CaptureScratch)> = PerRule::default();
        // Whole lines of single-line rules that yielded nothing, by rule and
        // content (with the line before, which an inline allow comment may
        // be on): the same lines again (a file of repeated lines, a hook
        // payload built to be slow) yield nothing again, since a match's
        // checks see only its line, the line before and the path.
        let mut barren = barren::BarrenLines::new();
        // (rule, secret span, match span, confidence override)
        type Raw = (u32, Range<usize>, Range<usize>, Option<crate::Confidence>);
        let mut raw: Vec<Raw> = Vec::new();
        let mut line_windows = LineWindows::default();
        let words = validators::pii::WordMemo::new(hay);
        // The pieces of a digit rule's window its matches could yield in
        // (see `digits`).
        let mut digit_windows = digits::DigitWindows::default();
        let mut digit_pieces: Vec<Range<usize>> = Vec::new();
        for cand in &candidates {
            let rule = &self.rules[cand.rule as usize];
            let (found, resume, scratch) = states
                .entry(cand.rule)
                .or_insert_with(|| (0, 0, CaptureScratch::default()));
            if *found as usize >= MAX_FINDINGS_PER_RULE {
                continue;
            }
            if !rule.path_allowed(path) {
                continue;
            }
            let digit = rule.digit_rule().filter(|_| !plain_path() && !cand.lines);
            if let Some(digit) = digit {
                digit_pieces.clear();
                // Asked per candidate; the answer is its line's, and a
                // line holds several.
                let mut last: Option<(Range<usize>, bool)> = None;
                let phone_line = |span: Range<usize>| {
                    let line = line_window(hay, span.start, span.end, false);
                    if let Some((_, answer)) = last.as_ref().filter(|(l, _)| *l == line) {
                        return *answer;
                    }
                    let answer = validators::pii::phone_line(&Context {
                        line: &hay[line.clone()],
                        secret_start: span.start - line.start,
                        matched: &hay[span],
                        words: Some(&words),
                        line_start: line.start,
                    });
                    last = Some((line, answer));
                    answer
                };
                digit_windows.pieces(digit, hay, &cand.window, phone_line, &mut digit_pieces);
                if digit_pieces.is_empty() {
                    continue;
                }
            }
            let Some(re) = rule.regex() else { continue };
            let (whole, split) = match digit {
                Some(_) => (None, Some(digit_pieces.iter().cloned())),
                None => (Some(pieces(hay, cand)), None),
            };
            for window in whole
                .into_iter()
                .flatten()
                .chain(split.into_iter().flatten())
            {
                if *found as usize >= MAX_FINDINGS_PER_RULE {
                    break;
                }
                if !rule.required().holds(&hay[window.clone()]) {
                    continue;
                }
                let context = (!rule.spec.multiline && *resume <= window.start)
                    .then(|| with_line_before(hay, &window))
                    .flatten();
                let key = context.as_ref().map(|c| barren.key(cand.rule, hay, c));
                if let (Some(k), Some(c)) = (&key, &context) {
                    if barren.holds(k, hay, c) {
                        continue;
                    }
                }
                let found_before = raw.len();
                let mut at = window.start.max(*resume);
                while at <= window.end && (*found as usize) < MAX_FINDINGS_PER_RULE {
                    // A match-only search first (no capture slots): most windows
                    // hold no match and this is the cheap path.
                    let Some(m) = rule.find(re, hay, at, window.end) else {
                        break;
                    };
                    at = if m.is_empty() { m.end() + 1 } else { m.end() };
                    *resume = at;
                    let shortest = rule.shortest_value(&hay[m.range()]);
                    if CompiledRule::too_short_for_a_value(&hay[m.range()], shortest) {
                        continue;
                    }
                    let Some(span) = rule.secret_span(re, hay, m.range(), scratch) else {
                        continue;
                    };
                    // The validator rejects it (see `shortest_value`).
                    if span.len() < shortest {
                        continue;
                    }
                    if scratch.refused_again(rule, hay, &span)
                        || self.sample_on_sight(rule, &hay[span.clone()])
                    {
                        continue;
                    }
                    let line = line_windows.window(hay, span.start, span.end);
                    if let Some(conf) =
                        self.accept(rule, hay, span.clone(), m.range(), line, path, &words)
                    {
                        *found += 1;
                        raw.push((cand.rule, span, m.range(), conf));
                    }
                }
                if let (Some(key), Some(context)) = (key, context) {
                    if raw.len() == found_before && (*found as usize) < MAX_FINDINGS_PER_RULE {
                        barren.remember(key, context);
                    }
                }
            }
        }
        // One finding per span: a specific rule beats a generic one on the
        // same bytes (`token = "ghp_…"` is a GitHub token, not also a
        // generic token).
        if raw.len() > 1 {
            let contenders: Vec<overlap::Contender> = raw
                .iter()
                .map(|(rule, span, matched, conf)| {
                    let r = &self.rules[*rule as usize];
                    overlap::Contender {
                        rank: (r.spec.specificity(), conf.unwrap_or(r.spec.confidence)),
                        rule: *rule,
                        id: *rule as usize,
                        secret: span.clone(),
                        matched: matched.clone(),
                        decoded: false,
                        category: r.spec.category,
                    }
                })
                .collect();
            let keep = overlap::survivors(&contenders);
            let mut keep = keep.into_iter();
            raw.retain(|_| keep.next().unwrap_or(true));
        }
        raw.sort_by_key(|r| (r.1.start, r.0));

        let mut findings = Vec::with_capacity(raw.len());
        let mut lines = LineCounter::new(hay);
        let path: Option<Arc<Path>> = path.map(Arc::from);
        for (rule, span, match_span, conf) in raw {
            let r = &self.rules[rule as usize];
            let (line, column) = lines.locate(span.start);
            let (end_line, end_column) = lines.locate_end(span.end);
            let secret = &hay[span.clone()];
            findings.push(Finding {
                rule: r.meta().clone(),
                confidence: conf.unwrap_or(r.spec.confidence),
                secret: crate::Secret::new(secret.to_vec()),
                entropy: entropy::shannon(secret),
                span,
                match_span,
                line,
                column,
                end_line,
                end_column,
                path: path.clone(),
                origin: None,
                commit: None,
            });
        }
        findings
    }

    /// Runs every post-match check (`line`: the match's line, see
    /// [`line_window`]). `Some(conf)` keeps the match, with an optional
    /// confidence override.
    #[allow(clippy::too_many_arguments)] // the match, its line and the scan's word memo
    fn accept(
        &self,
        rule: &CompiledRule,
        hay: &[u8],
        span: Range<usize>,
        match_span: Range<usize>,
        line: Range<usize>,
        path: Option<&Path>,
        words: &validators::pii::WordMemo<'_>,
    ) -> Option<Option<crate::Confidence>> {
        let secret = &hay[span.clone()];
        if let Some(min) = rule.spec.min_entropy {
            // A value the provider's own name introduces is its credential
            // however regular it looks (`calendarific SECRET=abcdefabcdef…`),
            // unless it is a mask or a template.
            if entropy::shannon(secret) < min
                && (!provider_named(rule, hay, &span, &match_span)
                    || validators::placeholder::is_template_or_mask(secret))
            {
                return None;
            }
        }
        if !rule.spec.allowlist.stopwords.is_empty() || !self.filters.stopwords.is_empty() {
            let lower = secret.to_ascii_lowercase();
            let hit = |w: &Vec<u8>| memchr::memmem::find(&lower, w).is_some();
            if rule.stopwords().iter().any(hit) || self.filters.stopwords.iter().any(hit) {
                return None;
            }
        }
        if rule
            .allow_regexes()
            .iter()
            .chain(&self.filters.secret_regexes)
            .any(|re| re.is_match(secret))
        {
            return None;
        }
        // A built-in provider rule without a validator that captured a word
        // (`linkedin documentation`, `OAuth2Session`): prose or code, not a
        // token. Passwords (`mongodb://user:D1fficult@…`) may be words.
        if rule.builtin
            && rule.spec.validator.is_none()
            && rule.spec.specificity() != crate::rules::Specificity::Generic
            && !rule.spec.id.contains("password")
            && validators::heuristics::word_not_token(secret)
        {
            return None;
        }
        let mut conf = None;
        if let Some(kind) = rule.spec.validator {
            let cx = Context {
                line: &hay[line.clone()],
                secret_start: span.start - line.start,
                matched: &hay[match_span],
                words: Some(words),
                line_start: line.start,
            };
            match validators::validate(kind, secret, &cx) {
                Verdict::Reject => return None,
                Verdict::Accept => {}
                Verdict::AcceptWith(c) => conf = Some(c),
            }
            // Real code is full of random-looking strings (digests,
            // signatures, ETags in tests): a generic one needs credential
            // context, unless the user asked for them anywhere.
            if kind == crate::rules::ValidatorKind::HighEntropy
                && !self.filters.high_entropy_anywhere
                && !validators::paths::credential_file(path)
                && !validators::heuristics::credential_context(cx.line)
            {
                return None;
            }
            // Authors of the commits in a patch file (`From: Name <addr>`).
            if kind == crate::rules::ValidatorKind::Email
                && !self.filters.metadata_emails
                && path.is_some_and(validators::paths::patch_file)
                && cx.line.trim_ascii_start().starts_with(b"From:")
            {
                return None;
            }
            if matches!(
                kind,
                crate::rules::ValidatorKind::Assignment | crate::rules::ValidatorKind::HighEntropy
            ) && self.provider_prefixed(secret)
            {
                return None;
            }
            if !self.filters.sample_values {
                let sample = match kind {
                    crate::rules::ValidatorKind::Assignment => {
                        validators::heuristics::sample_value(secret, &cx)
                            || path.is_some_and(validators::paths::hash_test_vectors)
                    }
                    crate::rules::ValidatorKind::Jwt => validators::heuristics::jwt_sample(secret),
                    crate::rules::ValidatorKind::HighEntropy => {
                        validators::heuristics::fixture_pattern(secret)
                    }
                    crate::rules::ValidatorKind::BasicAuth => {
                        validators::heuristics::basic_auth_sample(secret)
                    }
                    _ => false,
                };
                if sample {
                    return None;
                }
            }
        }
        // Registry credentials in a Docker config are base64 of
        // `user:password`, as `Basic` headers are (rules tagged
        // `basic-auth` without that validator): a sample password there
        // (`my_password`, `changeme`) is a sample too.
        if !self.filters.sample_values
            && rule.builtin
            && rule.spec.validator.is_none()
            && rule.spec.tags.iter().any(|t| t == "basic-auth")
            && validators::heuristics::basic_auth_sample(secret)
        {
            return None;
        }
        if !self.filters.sample_values && self.made_up(rule, hay, span.clone(), line.clone()) {
            return None;
        }
        // Personal data in tests and docs, contact details in project
        // metadata; a password hash in a test or a document is a test vector
        // (the hash of `secret` or `password`), and so is what a rule tagged
        // `sample-in-tests` finds there (a password compared with a literal
        // is an assertion in a test).
        if PathFacts::new(path).rejects_every_match(&self.filters, rule) {
            return None;
        }
        // Last: it reads the whole line (up to 5 KiB around the match) where
        // the checks above read the match, and dense matches on a long line
        // (`token: token: …`) each paid for it.
        if self.filters.inline_allow && crate::allow::is_allowed_inline(hay, line) {
            return None;
        }
        Some(conf)
    }
}

impl Engine {
    /// True when `accept` surely rejects `secret` as a sample value, found
    /// by the cheapest of its sample checks before `accept` runs: a generic
    /// value that repeats its own opening (see
    /// `heuristics::repeats_its_opening`), which keyword-dense input
    /// (`password=password=…`, 512-byte values) is made of, and each of
    /// which cost the placeholder, test-value and code checks over all of
    /// its bytes first (~60 instructions a byte). Exact: `accept` returns
    /// `None` on every path that does not reach its sample check, and that
    /// check rejects such a value of these rules.
    fn sample_on_sight(&self, rule: &CompiledRule, secret: &[u8]) -> bool {
        use crate::rules::ValidatorKind;
        !plain_path()
            && !self.filters.sample_values
            && matches!(
                rule.spec.validator,
                Some(ValidatorKind::Assignment | ValidatorKind::HighEntropy)
            )
            && validators::heuristics::repeats_its_opening(secret)
    }
}

/// True when `rule` is a provider rule whose match names the provider ahead
/// of the value (`calendarific SECRET=…`, `box-token = '…'`): one of its
/// keywords, a name (4+ letters, digits or `_`, not punctuation such as
/// `https://`), lies in the matched context before the secret. Such a value
/// is the provider's credential by where it stands, whatever it looks like
/// (a prefixed token like `ghp_…` carries its keyword inside the secret).
fn provider_named(
    rule: &CompiledRule,
    hay: &[u8],
    span: &Range<usize>,
    match_span: &Range<usize>,
) -> bool {
    rule.spec.specificity() == crate::rules::Specificity::Provider
        && span.start > match_span.start
        && rule
            .spec
            .keywords
            .iter()
            .filter(|k| k.len() >= 4 && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
            .any(|k| contains_ignore_case(&hay[match_span.start..span.start], k.as_bytes()))
}

impl Engine {
    /// True when a secret rule's value was published or cut short: a key
    /// its owner published as an example, a value ending in `...`, or, for
    /// the generic rules, a value whose form is no secret's (URL-escaped
    /// sample, malformed UUID, anti-forgery token, a value under a
    /// provider's name without that provider's format, the conventional
    /// password of an anonymous login). Kept apart from the sample-value
    /// filters of the generic rules, which judge words.
    fn made_up(
        &self,
        rule: &CompiledRule,
        hay: &[u8],
        span: Range<usize>,
        line: Range<usize>,
    ) -> bool {
        if rule.spec.category != crate::Category::Secret {
            return false;
        }
        let secret = &hay[span.clone()];
        if validators::known_public::published(secret).is_some() {
            return true;
        }
        if !rule.builtin || rule.spec.multiline {
            return false;
        }
        let generic = matches!(
            rule.spec.validator,
            Some(
                crate::rules::ValidatorKind::Assignment | crate::rules::ValidatorKind::HighEntropy
            )
        );
        validators::form::elided(secret, &hay[span.end..])
            || validators::form::escaped_control(secret)
            || (generic && validators::form::escaped_sample(secret))
            || (generic
                && !rule.spec.id.contains("password")
                && !rule.spec.id.contains("secret")
                && validators::form::token_misfit(secret))
            || (generic
                && !rule.spec.id.contains("password")
                && (validators::form::generic_misfit(secret, &hay[line.clone()])
                    || validators::named::misnamed(
                        secret,
                        &hay[line.clone()],
                        span.start.saturating_sub(line.start),
                    )
                    .is_some()))
            || (generic
                && rule.spec.id.contains("password")
                && validators::form::anonymous_login(secret, &hay[..span.start]))
    }
}

/// Maps byte offsets to 1-based (line, column), for offsets given in
/// increasing order (amortised linear).
struct LineCounter<'a> {
    hay: &'a [u8],
    pos: usize,
    line: usize,
    line_start: usize,
}

impl<'a> LineCounter<'a> {
    fn new(hay: &'a [u8]) -> LineCounter<'a> {
        LineCounter {
            hay,
            pos: 0,
            line: 1,
            line_start: 0,
        }
    }

    fn advance(&mut self, to: usize) {
        if to < self.pos {
            // Out of order (end of an earlier, longer finding): restart.
            self.pos = 0;
            self.line = 1;
            self.line_start = 0;
        }
        // Counted in bulk, then the last one found from the end: a finding
        // deep in a large file is a scan of the bytes before it, not one
        // search per line.
        let span = &self.hay[self.pos..to];
        let breaks = bytecount::count(span, b'\n');
        if breaks > 0 {
            self.line += breaks;
            if let Some(i) = memchr::memrchr(b'\n', span) {
                self.line_start = self.pos + i + 1;
            }
        }
        self.pos = to;
    }

    fn locate(&mut self, offset: usize) -> (usize, usize) {
        self.advance(offset);
        (self.line, offset - self.line_start + 1)
    }

    /// Position just past the last byte of a span ending at `end`.
    fn locate_end(&mut self, end: usize) -> (usize, usize) {
        let (saved_pos, saved_line, saved_start) = (self.pos, self.line, self.line_start);
        let last = end.saturating_sub(1).max(saved_pos);
        self.advance(last);
        let r = (self.line, last - self.line_start + 2);
        let r = if end == 0 { (1, 1) } else { r };
        self.pos = saved_pos;
        self.line = saved_line;
        self.line_start = saved_start;
        r
    }
}

#[cfg(test)]
#[path = "tests/oracle.rs"]
mod oracle;

#[cfg(test)]
#[path = "tests/confirm.rs"]
mod confirm_tests;

#[cfg(test)]
#[path = "tests/lean.rs"]
mod lean_tests;

#[cfg(test)]
#[path = "tests/dense.rs"]
mod dense_tests;

#[cfg(test)]
#[path = "tests/starts.rs"]
mod starts_tests;

#[cfg(test)]
#[path = "tests/digits.rs"]
mod digits_tests;

#[cfg(test)]
#[path = "tests/forward.rs"]
mod forward_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_regex_and_allowlist_compiles() {
        let engine = Engine::new(&RuleSet::builtin(), Filters::default());
        if let Err(e) = engine.check_all() {
            panic!("{e}");
        }
    }

    #[test]
    fn line_counter_counts_every_break_at_any_length() {
        // Lengths around a vector and a byte counter's limit (32 and
        // 32 * 255 bytes, where SIMD counts spill), with every byte a line
        // break, then every 7th: the line and column just past the end.
        for len in [0, 1, 31, 32, 33, 8159, 8160, 8161, 20_000] {
            for every in [1, 7] {
                let bytes: Vec<u8> = (0..len)
                    .map(|i| if i % every == 0 { b'\n' } else { b'x' })
                    .collect();
                let breaks = bytes.iter().filter(|&&b| b == b'\n').count();
                let last = bytes.iter().rposition(|&b| b == b'\n');
                let column = len - last.map_or(0, |i| i + 1) + 1;
                let got = LineCounter::new(&bytes).locate(len);
                assert_eq!(got, (breaks + 1, column), "{len} {every}");
            }
        }
    }

    #[test]
    fn line_counter_locates_in_order_and_out_of_order() {
        let hay = b"ab\ncd\n\nefg\nh";
        let mut lines = LineCounter::new(hay);
        assert_eq!(lines.locate(0), (1, 1));
        assert_eq!(lines.locate(4), (2, 2));
        assert_eq!(lines.locate(7), (4, 1));
        assert_eq!(lines.locate(10), (4, 4));
        assert_eq!(lines.locate_end(12), (5, 2));
        assert_eq!(lines.locate(3), (2, 1));
    }

    #[test]
    fn a_bad_custom_regex_names_the_rule_and_the_problem() {
        let rules = RuleSet::from_toml(
            "[[rule]]\nid = \"bad\"\ndescription = \"d\"\nregex = '(unclosed'\nkeywords = [\"abcd\"]\n",
        )
        .unwrap_or_default();
        let engine = Engine::new(&rules, Filters::default());
        let err = engine
            .check()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("bad") && err.contains("unclosed"), "{err}");
    }
}
