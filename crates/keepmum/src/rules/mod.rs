//! Rules are data: each is a regex with a capture group for the secret, the
//! literal keywords that must occur near it, and the checks a candidate must
//! pass. The built-in ruleset is a set of TOML files embedded at build time
//! (`crates/keepmum/rules/*.toml`); users add their own in the same format
//! (or in gitleaks' format, see [`RuleSet::from_gitleaks_toml`]).
//!
//! # File format
//!
//! ```toml
//! [[rule]]
//! id = "github-pat"                      # unique, kebab-case
//! description = "GitHub personal access token (classic)"
//! category = "secret"                    # or "pii"; default "secret"
//! regex = '''\b(ghp_[A-Za-z0-9]{36})\b'''  # Rust regex syntax, linear time
//! secret_group = 1                       # default: 1 if the regex has a group, else 0
//! keywords = ["ghp_"]                    # >= 3 bytes each, matched case-insensitively
//! min_entropy = 3.0                      # optional, Shannon bits/byte of the secret
//! confidence = "high"                    # low | medium | high; default medium
//! tags = ["github"]
//! examples = ['token = "ghp_…"']         # each must be found by this rule
//! negative_examples = ["ghp_short"]      # none may be found by this rule
//! ```
//!
//! Optional fields: `prefilter` (`"digits"`, `"email"` or `"token-run"`
//! instead of keywords, for detectors with no literal anchor), `validator`
//! (a named offline check, see `validators`), `multiline` (the match may span
//! lines), `detect_secrets` (the detect-secrets type name of the same secret,
//! for baseline compatibility), `specificity` (see [`Specificity`]) and an `[rule.allowlist]` table with
//! `regexes` (matched against the secret), `stopwords` (case-insensitive
//! substrings of the secret) and `paths` (regexes on the file path).

mod builder;
pub(crate) mod builtin;
pub mod gitleaks;

pub use builder::RuleBuilder;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, Mutex, OnceLock};

use serde::{Deserialize, Deserializer};

use crate::error::{Error, Result};
use crate::finding::{Category, Confidence};

/// What wakes a rule up before its regex runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Prefilter {
    /// One of the rule's keywords occurs (the default).
    Keywords,
    /// A dense run of digits (card numbers, SSNs, IBANs, phone numbers).
    Digits,
    /// An `@` sign with an address character (`[A-Za-z0-9._%+-]`) before it
    /// and a letter or digit after it (email addresses).
    Email,
    /// A long run of token characters (`[A-Za-z0-9+/=_-]`, high-entropy strings).
    TokenRun,
    /// gitleaks' own gate: one of the keywords (any length) occurs anywhere
    /// in the file, case-insensitively; the regex then runs over the whole
    /// file. For imported gitleaks rules whose matches need not contain a
    /// keyword, or whose keywords are too short to index.
    FileKeywords,
}

/// How specific a rule is. When findings of two rules overlap, only the more
/// specific one is reported (ties go to the higher confidence): a GitHub
/// token inside `password = "…"` is a GitHub token, not also a generic
/// password, and a JWT after `Authorization: Bearer` is one JWT finding.
///
/// TOML key `specificity`; the default is `generic` for rules tagged
/// `generic` and `provider` for every other rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Specificity {
    /// Any random-looking value or `password = …` assignment.
    Generic,
    /// A value recognised by where it stands (an HTTP header, a config
    /// line), whatever its format.
    Context,
    /// A provider's or format's own token shape.
    Provider,
}

impl Specificity {
    /// The kebab-case name used in TOML and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Specificity::Generic => "generic",
            Specificity::Context => "context",
            Specificity::Provider => "provider",
        }
    }
}

/// A named offline check a candidate must pass. See the `validators` module.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ValidatorKind {
    /// Payment card: IIN range and Luhn; known test numbers get low confidence.
    Card,
    /// US social security number: area, group and serial ranges.
    Ssn,
    /// IBAN: country length and mod-97.
    Iban,
    /// UK NHS number: mod-11.
    Nhs,
    /// Brazil CPF: two mod-11 check digits, with a context word.
    BrCpf,
    /// India Aadhaar: Verhoeff check, first digit 2-9, with a context word.
    InAadhaar,
    /// Canada social insurance number: Luhn, with a context word.
    CaSin,
    /// UK National Insurance number: allocated prefix, suffix A-D, with a context word.
    UkNino,
    /// Netherlands BSN: the 11-proof, with a context word.
    NlBsn,
    /// Spain DNI/NIE: mod-23 check letter, with a context word.
    EsDni,
    /// Phone number in international or NANP form, with a context word.
    Phone,
    /// Email address outside reserved/example domains.
    Email,
    /// Generic `keyword = value` assignment: placeholder and entropy filters.
    Assignment,
    /// High-entropy string that is not a hash, UUID, integrity value or identifier.
    HighEntropy,
    /// JSON Web Token whose header decodes to JSON with an `alg`.
    Jwt,
    /// A token of JWT shape whose header does *not* decode: a decodable one
    /// is `jwt`'s to report or to reject (as a sample).
    JwtShaped,
    /// Generic token-shaped secret: reject placeholders and obvious fakes.
    NotPlaceholder,
    /// HTTP `Basic` credentials: base64 of printable `user:password`.
    BasicAuth,
    /// Grafana legacy API key: base64 of `{"k":…,"n":…,"id":…}`.
    GrafanaLegacyKey,
    /// LinkedIn client id: lowercase letters and digits, both present.
    LinkedinClientId,
}

/// Text of a rule: a string of the built-in table (a range of its text,
/// not a pointer: see `builtin::Str`), or owned (rules parsed or built at
/// run time).
#[derive(Clone)]
pub(crate) enum Text {
    /// From the built-in table, which `build.rs` writes.
    Builtin(builtin::Str),
    /// Parsed or built at run time.
    Owned(String),
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Text::Builtin(s) => s.get(),
            Text::Owned(s) => s,
        }
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        **self == *other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        **self == **other
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text::Owned(s)
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::Owned(s.to_string())
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Text, D::Error> {
        String::deserialize(d).map(Text::Owned)
    }
}

/// A list of words of a rule (keywords, tags, allowlist entries): a run of
/// the built-in table's word list (no allocation when the rules load, and
/// no pointer to relocate), or owned.
#[derive(Clone, Debug)]
pub(crate) enum Words {
    /// From the built-in table, which `build.rs` writes.
    Builtin(builtin::WordRun),
    /// Parsed or built at run time.
    Owned(Vec<String>),
}

impl Default for Words {
    fn default() -> Words {
        Words::Builtin(builtin::WordRun::EMPTY)
    }
}

impl From<Vec<String>> for Words {
    fn from(list: Vec<String>) -> Words {
        Words::Owned(list)
    }
}

impl<'de> Deserialize<'de> for Words {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Words, D::Error> {
        Vec::<String>::deserialize(d).map(Words::Owned)
    }
}

impl Words {
    /// The words, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> + Clone {
        let (builtin, owned): (&[builtin::Str], &[String]) = match self {
            Words::Builtin(run) => (run.strs(), &[]),
            Words::Owned(list) => (&[], list),
        };
        builtin
            .iter()
            .map(|s| s.get())
            .chain(owned.iter().map(String::as_str))
    }

    /// Number of words.
    pub(crate) fn len(&self) -> usize {
        match self {
            Words::Builtin(run) => run.strs().len(),
            Words::Owned(list) => list.len(),
        }
    }

    /// True when there is no word.
    pub(crate) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The list, made owned first if it was static (to add to it).
    pub(crate) fn to_mut(&mut self) -> &mut Vec<String> {
        if let Words::Builtin(_) = self {
            *self = Words::Owned(self.iter().map(String::from).collect());
        }
        match self {
            Words::Owned(list) => list,
            Words::Builtin(_) => unreachable!("made owned above"),
        }
    }

    /// The words as an owned list.
    pub(crate) fn into_vec(self) -> Vec<String> {
        match self {
            Words::Builtin(_) => self.iter().map(String::from).collect(),
            Words::Owned(list) => list,
        }
    }

    /// The words as `String`s, for the public accessors. A static list is
    /// converted once per process and kept (the built-in table is finite).
    pub(crate) fn as_strings(&self) -> &[String] {
        match self {
            Words::Owned(list) => list,
            Words::Builtin(run) => static_strings(*run),
        }
    }
}

/// A built-in word list as `String`s, converted on first request and kept
/// for the life of the process (only the public accessors of built-in rules
/// ask: `rules list`, report writers).
fn static_strings(run: builtin::WordRun) -> &'static [String] {
    type Cache = Mutex<HashMap<builtin::WordRun, &'static [String]>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    if run.strs().is_empty() {
        return &[];
    }
    let mut cache = match CACHE.get_or_init(Cache::default).lock() {
        Ok(c) => c,
        Err(poisoned) => poisoned.into_inner(),
    };
    cache
        .entry(run)
        .or_insert_with(|| Vec::leak(run.strs().iter().map(|w| w.get().to_string()).collect()))
}

/// A rule's own allowlist: a candidate matching any entry is dropped.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleAllowlist {
    #[serde(default)]
    pub(crate) regexes: Words,
    #[serde(default)]
    pub(crate) stopwords: Words,
    #[serde(default)]
    pub(crate) paths: Words,
}

/// The TOML shape of one rule.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleSpec {
    pub(crate) id: Text,
    pub(crate) description: Text,
    #[serde(default = "default_category")]
    pub(crate) category: Category,
    pub(crate) regex: Text,
    #[serde(default)]
    pub(crate) secret_group: Option<usize>,
    #[serde(default)]
    pub(crate) keywords: Words,
    #[serde(default)]
    pub(crate) prefilter: Option<Prefilter>,
    #[serde(default)]
    pub(crate) min_entropy: Option<f32>,
    #[serde(default)]
    pub(crate) confidence: Confidence,
    #[serde(default)]
    pub(crate) tags: Words,
    #[serde(default)]
    pub(crate) validator: Option<ValidatorKind>,
    #[serde(default)]
    pub(crate) multiline: bool,
    #[serde(default)]
    pub(crate) detect_secrets: Option<Text>,
    #[serde(default)]
    pub(crate) specificity: Option<Specificity>,
    #[serde(default)]
    pub(crate) allowlist: RuleAllowlist,
    #[serde(default)]
    pub(crate) examples: Vec<String>,
    #[serde(default)]
    pub(crate) negative_examples: Vec<String>,
    /// gitleaks-compatible path-only or path-restricted rules.
    #[serde(default)]
    pub(crate) path: Option<Text>,
}

impl RuleSpec {
    /// The declared specificity, else `generic` for rules tagged `generic`
    /// and `provider` for the rest.
    pub(crate) fn specificity(&self) -> Specificity {
        self.specificity.unwrap_or_else(|| {
            if self.tags.iter().any(|t| t == "generic") {
                Specificity::Generic
            } else {
                Specificity::Provider
            }
        })
    }
}

fn default_category() -> Category {
    Category::Secret
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(default)]
    rule: Vec<RuleSpec>,
}

/// A rule's spec: an entry of the built-in table, or shared.
#[derive(Clone, Debug)]
pub(crate) enum SpecRef {
    /// The entry of the built-in table at this index.
    Builtin(u32),
    /// Parsed or built at run time.
    Shared(Arc<RuleSpec>),
}

impl SpecRef {
    /// The index in the built-in table, for an unchanged built-in rule.
    pub(crate) fn builtin_index(&self) -> Option<u32> {
        match self {
            SpecRef::Builtin(i) => Some(*i),
            SpecRef::Shared(_) => None,
        }
    }
}

impl Deref for SpecRef {
    type Target = RuleSpec;
    fn deref(&self) -> &RuleSpec {
        match self {
            SpecRef::Builtin(i) => builtin::spec(*i),
            SpecRef::Shared(spec) => spec,
        }
    }
}

impl From<RuleSpec> for SpecRef {
    fn from(spec: RuleSpec) -> SpecRef {
        SpecRef::Shared(Arc::new(spec))
    }
}

/// One detection rule. Build sets of them with [`RuleSet`].
#[derive(Clone, Debug)]
pub struct Rule {
    pub(crate) spec: SpecRef,
    /// Shipped with the library (its regexes are proven by tests, so
    /// building a scanner need not compile them).
    pub(crate) builtin: bool,
    /// The built-in rule file the rule comes from (`cloud`, `vcs`, …).
    pub(crate) family: Option<&'static str>,
}

impl Rule {
    /// The built-in family (rule file stem: `ai`, `cloud`, `vcs`, …);
    /// `None` for custom rules.
    pub fn family(&self) -> Option<&str> {
        self.family
    }

    /// The provider or format the rule detects: `generic` for generic rules,
    /// else the rule's first tag (`github`, `aws`, `pii`, …), else its id.
    pub fn provider(&self) -> &str {
        if self.specificity() == Specificity::Generic {
            return "generic";
        }
        self.spec.tags.iter().next().unwrap_or(&self.spec.id)
    }

    /// The rule's unique id, e.g. `aws-access-key-id`.
    pub fn id(&self) -> &str {
        &self.spec.id
    }

    /// One-line description.
    pub fn description(&self) -> &str {
        &self.spec.description
    }

    /// Secret or PII.
    pub fn category(&self) -> Category {
        self.spec.category
    }

    /// Default confidence of the rule's findings.
    pub fn confidence(&self) -> Confidence {
        self.spec.confidence
    }

    /// Tags, e.g. `["aws", "cloud"]`.
    pub fn tags(&self) -> &[String] {
        self.spec.tags.as_strings()
    }

    /// How specific the rule is; decides which of two overlapping findings
    /// is reported.
    pub fn specificity(&self) -> Specificity {
        self.spec.specificity()
    }

    /// Literal keywords that wake the rule up (lowercase comparison).
    pub fn keywords(&self) -> &[String] {
        self.spec.keywords.as_strings()
    }

    /// The regex source.
    pub fn regex(&self) -> &str {
        &self.spec.regex
    }

    /// Inputs the rule must find (documentation and tests).
    pub fn examples(&self) -> &[String] {
        if self.builtin {
            return &builtin::examples(self.id()).0;
        }
        &self.spec.examples
    }

    /// Inputs the rule must not find.
    pub fn negative_examples(&self) -> &[String] {
        if self.builtin {
            return &builtin::examples(self.id()).1;
        }
        &self.spec.negative_examples
    }

    /// The detect-secrets type name of the same secret (e.g. `"GitHub Token"`),
    /// used to match existing `.secrets.baseline` entries.
    pub fn detect_secrets_type(&self) -> Option<&str> {
        self.spec.detect_secrets.as_deref()
    }

    /// What wakes the rule up.
    pub fn prefilter(&self) -> Prefilter {
        self.spec.prefilter.unwrap_or(Prefilter::Keywords)
    }
}

/// An ordered set of rules with unique ids.
///
/// ```
/// use keepmum::RuleSet;
/// let rules = RuleSet::builtin();
/// assert!(rules.len() >= 150);
/// assert!(rules.get("github-pat").is_some());
/// ```
#[derive(Clone, Debug, Default)]
pub struct RuleSet {
    rules: Vec<Rule>,
}

impl RuleSet {
    /// An empty set.
    pub fn new() -> RuleSet {
        RuleSet::default()
    }

    /// The built-in rules shipped with this version of the library.
    pub fn builtin() -> RuleSet {
        builtin::rules()
    }

    /// Parses rules in keepmum's TOML format (a list of `[[rule]]` tables).
    ///
    /// # Errors
    /// Fails on invalid TOML, unknown fields, duplicate ids or a rule without
    /// keywords or prefilter. Regexes are compiled by `ScannerBuilder::build`.
    pub fn from_toml(text: &str) -> Result<RuleSet> {
        let file: RuleFile =
            toml::from_str(text).map_err(|e| Error::config(None, e.message().to_string()))?;
        let mut set = RuleSet::new();
        for spec in file.rule {
            set.push_spec(spec)?;
        }
        Ok(set)
    }

    /// Parses a gitleaks configuration (`[[rules]]`, `[extend]`, `[allowlist]`)
    /// into rules. `[extend] useDefault = true` adds the built-in rules.
    ///
    /// # Errors
    /// Fails on invalid TOML or an unusable rule.
    pub fn from_gitleaks_toml(text: &str) -> Result<(RuleSet, crate::Allowlist)> {
        gitleaks::parse(text)
    }

    pub(crate) fn push_spec(&mut self, spec: RuleSpec) -> Result<()> {
        validate_spec(&spec)?;
        if self.get(&spec.id).is_some() {
            return Err(Error::rule(Some(&spec.id), "duplicate rule id"));
        }
        self.rules.push(Rule {
            spec: spec.into(),
            builtin: false,
            family: None,
        });
        Ok(())
    }

    /// Adds every rule of `other`; a rule with an id already present replaces it.
    pub fn extend(&mut self, other: RuleSet) {
        for rule in other.rules {
            match self.rules.iter_mut().find(|r| r.id() == rule.id()) {
                Some(slot) => *slot = rule,
                None => self.rules.push(rule),
            }
        }
    }

    /// Removes the rules whose ids are listed.
    pub fn disable<S: AsRef<str>>(&mut self, ids: &[S]) {
        let ids: HashSet<&str> = ids.iter().map(AsRef::as_ref).collect();
        self.rules.retain(|r| !ids.contains(r.id()));
    }

    /// Keeps only rules of the given category.
    pub fn retain_category(&mut self, category: Category) {
        self.rules.retain(|r| r.category() == category);
    }

    /// Looks a rule up by id.
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id() == id)
    }

    /// Iterates over the rules in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Rule> {
        self.rules.iter()
    }

    /// Number of rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// True when there are no rules.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}

impl<'a> IntoIterator for &'a RuleSet {
    type Item = &'a Rule;
    type IntoIter = std::slice::Iter<'a, Rule>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

fn validate_spec(spec: &RuleSpec) -> Result<()> {
    let id = Some(&*spec.id);
    if spec.id.is_empty()
        || !spec
            .id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
    {
        return Err(Error::rule(
            id,
            "id must be non-empty ASCII letters, digits, '-', '_' or '.'",
        ));
    }
    let prefilter = spec.prefilter.unwrap_or(Prefilter::Keywords);
    if prefilter == Prefilter::Keywords {
        if spec.keywords.is_empty() && spec.path.is_none() {
            return Err(Error::rule(
                id,
                "a rule needs at least one keyword (or a prefilter)",
            ));
        }
        if let Some(k) = spec.keywords.iter().find(|k| k.len() < 3) {
            return Err(Error::rule(
                id,
                format!("keyword {k:?} is shorter than 3 bytes"),
            ));
        }
    }
    if prefilter == Prefilter::FileKeywords
        && (spec.keywords.is_empty() || spec.keywords.iter().any(str::is_empty))
    {
        return Err(Error::rule(id, "file-keywords needs non-empty keywords"));
    }
    Ok(())
}
