//! [`RuleBuilder`]: custom rules written in code instead of a TOML string.
//! Every setter maps to one field of the rule file format (see
//! [`crate::rules`]); `build` checks the rule as a configuration file's rule
//! is checked, and compiles its regexes so errors show up at once.

use super::{
    validate_spec, Prefilter, Rule, RuleAllowlist, RuleSet, RuleSpec, Specificity, ValidatorKind,
    Words,
};
use crate::error::{Error, Result};
use crate::finding::{Category, Confidence};

/// Builds one custom [`Rule`]; start with [`Rule::builder`]. Setters take
/// `&mut self`, like [`crate::ScannerBuilder`]'s.
///
/// ```
/// use keepmum::{Confidence, Rule, RuleSet, Scanner};
///
/// let rule = Rule::builder("acme-api-key", r"\b(acme_[a-z0-9]{32})\b")
///     .description("ACME API key")
///     .keywords(["acme_"])
///     .confidence(Confidence::High)
///     .tags(["acme"])
///     .build()?;
/// let mut rules = RuleSet::builtin();
/// rules.push(rule)?;
/// let scanner = Scanner::builder().rules(rules).build()?;
/// let text = format!("key = {}{}", "acme_", "0123456789abcdef".repeat(2));
/// let found = scanner.scan_bytes(text.as_bytes());
/// assert_eq!(found[0].rule_id(), "acme-api-key");
/// assert_eq!(found[0].redacted(), "acme*****");
/// # Ok::<(), keepmum::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct RuleBuilder {
    spec: RuleSpec,
}

impl Rule {
    /// Starts a custom rule with its id (ASCII letters, digits, `-`, `_`,
    /// `.`) and regex (Rust `regex` syntax, byte-oriented, linear time). The
    /// secret is capture group 1 when the regex has one, else the whole
    /// match. A rule also needs keywords or a [`Prefilter`].
    pub fn builder(id: impl Into<String>, regex: impl Into<String>) -> RuleBuilder {
        let id = id.into();
        RuleBuilder {
            spec: RuleSpec {
                description: id.clone().into(),
                id: id.into(),
                category: Category::Secret,
                regex: regex.into().into(),
                secret_group: None,
                keywords: Words::default(),
                prefilter: None,
                min_entropy: None,
                confidence: Confidence::default(),
                tags: Words::default(),
                validator: None,
                multiline: false,
                detect_secrets: None,
                allowlist: RuleAllowlist::default(),
                examples: Vec::new(),
                negative_examples: Vec::new(),
                path: None,
                specificity: None,
            },
        }
    }
}

impl RuleBuilder {
    /// How specific the rule is when it and another rule report overlapping
    /// spans (the default: `generic` for rules tagged `generic`, else
    /// `provider`); only the more specific rule's finding is kept.
    pub fn specificity(&mut self, specificity: Specificity) -> &mut RuleBuilder {
        self.spec.specificity = Some(specificity);
        self
    }

    /// One-line description (the default is the id).
    pub fn description(&mut self, text: impl Into<String>) -> &mut RuleBuilder {
        self.spec.description = text.into().into();
        self
    }

    /// Secret or PII (the default is secret).
    pub fn category(&mut self, category: Category) -> &mut RuleBuilder {
        self.spec.category = category;
        self
    }

    /// Literal keywords (3 bytes or more, compared case-insensitively) one of
    /// which must occur on the line for the regex to run. Adds to any set
    /// before.
    pub fn keywords<I, S>(&mut self, words: I) -> &mut RuleBuilder
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.spec
            .keywords
            .to_mut()
            .extend(words.into_iter().map(Into::into));
        self
    }

    /// Wakes the rule without keywords: on digit runs, `@` signs or long
    /// token-character runs.
    pub fn prefilter(&mut self, prefilter: Prefilter) -> &mut RuleBuilder {
        self.spec.prefilter = Some(prefilter);
        self
    }

    /// The capture group holding the secret (0 is the whole match).
    pub fn secret_group(&mut self, group: usize) -> &mut RuleBuilder {
        self.spec.secret_group = Some(group);
        self
    }

    /// Minimum Shannon entropy of the secret, in bits per byte.
    pub fn min_entropy(&mut self, bits: f32) -> &mut RuleBuilder {
        self.spec.min_entropy = Some(bits);
        self
    }

    /// Confidence of the rule's findings (the default is medium).
    pub fn confidence(&mut self, confidence: Confidence) -> &mut RuleBuilder {
        self.spec.confidence = confidence;
        self
    }

    /// Tags, added to any set before.
    pub fn tags<I, S>(&mut self, tags: I) -> &mut RuleBuilder
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.spec
            .tags
            .to_mut()
            .extend(tags.into_iter().map(Into::into));
        self
    }

    /// A named offline check candidates must pass (checksums, placeholder
    /// filters).
    pub fn validator(&mut self, validator: ValidatorKind) -> &mut RuleBuilder {
        self.spec.validator = Some(validator);
        self
    }

    /// Whether a match may span lines (e.g. a PEM block).
    pub fn multiline(&mut self, yes: bool) -> &mut RuleBuilder {
        self.spec.multiline = yes;
        self
    }

    /// Drops candidates whose secret matches this regex.
    pub fn allow_regex(&mut self, regex: impl Into<String>) -> &mut RuleBuilder {
        self.spec.allowlist.regexes.to_mut().push(regex.into());
        self
    }

    /// Drops candidates whose secret contains this word (case-insensitive).
    pub fn allow_stopword(&mut self, word: impl Into<String>) -> &mut RuleBuilder {
        self.spec.allowlist.stopwords.to_mut().push(word.into());
        self
    }

    /// Drops candidates in files whose path (`/` separators) matches this
    /// regex.
    pub fn allow_path(&mut self, regex: impl Into<String>) -> &mut RuleBuilder {
        self.spec.allowlist.paths.to_mut().push(regex.into());
        self
    }

    /// An input the rule must find (documentation; checked by `keepmum
    /// rules` tooling, not by `build`).
    pub fn example(&mut self, text: impl Into<String>) -> &mut RuleBuilder {
        self.spec.examples.push(text.into());
        self
    }

    /// An input the rule must not find.
    pub fn negative_example(&mut self, text: impl Into<String>) -> &mut RuleBuilder {
        self.spec.negative_examples.push(text.into());
        self
    }

    /// Checks and returns the rule.
    ///
    /// # Errors
    /// Fails on a bad id, a missing or too-short keyword, an invalid regex
    /// (syntax or size), a secret group the regex does not have, or an
    /// invalid allowlist regex.
    pub fn build(&self) -> Result<Rule> {
        validate_spec(&self.spec)?;
        let rule = Rule {
            spec: self.spec.clone().into(),
            builtin: false,
            family: None,
        };
        // Compile now so the error names this rule here, not later in
        // `ScannerBuilder::build`.
        let mut alone = RuleSet::new();
        alone.rules.push(rule.clone());
        crate::Scanner::builder()
            .rules(alone)
            .build()
            .map_err(|e| match e.rule_id() {
                Some(_) => e,
                None => Error::rule(Some(&*self.spec.id), e.to_string()),
            })?;
        Ok(rule)
    }
}

impl RuleSet {
    /// Adds a rule.
    ///
    /// # Errors
    /// Fails when a rule with the same id is already in the set (use
    /// [`RuleSet::extend`] to replace rules).
    pub fn push(&mut self, rule: Rule) -> Result<()> {
        if self.get(rule.id()).is_some() {
            return Err(Error::rule(Some(rule.id()), "duplicate rule id"));
        }
        self.rules.push(rule);
        Ok(())
    }
}
