//! Loads gitleaks-format configuration files (v8 schema) into rules and a
//! global allowlist, so teams migrating from gitleaks keep their custom rules.
//!
//! What is read: `title`, `description`, `minVersion` (accepted, unused),
//! `[extend]` (`useDefault`, `path`, `disabledRules`), `[[rules]]` (`id`,
//! `description`, `regex`, `secretGroup`, `entropy`, `keywords`, `path`,
//! `tags`, `skipReport`, `[[rules.allowlists]]` and the legacy
//! `[rules.allowlist]`) and the global `[[allowlists]]` / legacy
//! `[allowlist]` (with `targetRules`). Unknown keys are ignored, as gitleaks
//! ignores them.
//!
//! # Translation, and where it is approximate
//!
//! - **Regexes** are Go RE2. The common syntax is identical; this module
//!   rewrites what differs: `\Q…\E` quoting, octal escapes, a `{` that does not
//!   start a repetition (a literal in Go), `[` inside a class (a literal in
//!   Go) and `&&`/`~~`/`--` inside a class (set operators here). Unicode
//!   classes (`\p…`), `\C` and look-around are rejected with an error naming
//!   the rule. `\s` does not match `\v` in Go but does here.
//! - **`useDefault = true`** means *our* built-in rules plus the file's rules;
//!   a rule with the id of a built-in rule replaces it, and a rule with only
//!   an id and allowlists adds those allowlists to the existing rule.
//!   `[extend] path` is read relative to the current directory (as gitleaks
//!   does), at most two levels deep.
//! - **Keywords** gate a rule as in gitleaks, but the regex then runs on the
//!   lines around each keyword occurrence rather than on the whole file.
//!   Keywords shorter than 3 bytes, or none at all, are replaced by the
//!   literals every match must contain (extracted from the regex); a rule
//!   with no such literal runs on every file its `path` regex selects, or,
//!   without a `path`, on lines holding a long token-like run (approximate).
//! - **`entropy`** keeps a finding only when the secret's entropy is strictly
//!   greater, as in gitleaks.
//! - **Allowlists**: `regexTarget = "secret"` (the default) is exact;
//!   `"match"` and `"line"` are applied to the secret (a subset of both), so
//!   they suppress somewhat less than gitleaks does. `commits` never match a
//!   directory scan. `condition = "AND"` over more than one kind of check
//!   (e.g. paths *and* regexes) cannot be expressed by our allowlists and is
//!   dropped (more findings, never fewer). Every approximation is recorded as
//!   a warning on [`GitleaksConfig`].
//! - **Not supported:** path-only rules (no `regex`) and composite rules
//!   (`[[rules.required]]`, whose primary rule is kept and reported alone);
//!   `skipReport = true` rules are dropped, since they are never reported.

use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Hir, HirKind};
use serde::Deserialize;

use super::{Prefilter, RuleAllowlist, RuleSpec, Specificity};
use crate::error::{Error, Result};
use crate::finding::{Category, Confidence};
use crate::{Allowlist, RuleSet};

/// How many `[extend] path` levels are followed (gitleaks' limit).
const MAX_EXTEND_DEPTH: usize = 2;
/// Largest `[extend] path` file read.
const MAX_EXTEND_SIZE: u64 = 16 << 20;
/// Keyword sets derived from a regex larger than this are not used.
const MAX_DERIVED_KEYWORDS: usize = 64;
/// Shortest keyword the engine's prefilter accepts.
const MIN_KEYWORD_LEN: usize = 3;
/// Concatenation positions tried when looking for required literals.
const MAX_CONCAT_STARTS: usize = 8;

/// A loaded gitleaks configuration.
#[derive(Debug, Default)]
pub struct GitleaksConfig {
    /// The rules, ready for `ScannerBuilder::rules`.
    pub rules: RuleSet,
    /// The global allowlist (entries without `targetRules`).
    pub allowlist: Allowlist,
    /// What was approximated or ignored, one line each, naming the rule.
    pub warnings: Vec<String>,
}

/// Parses a gitleaks configuration. See the module docs.
pub(super) fn parse(text: &str) -> Result<(RuleSet, Allowlist)> {
    let cfg = load(text)?;
    Ok((cfg.rules, cfg.allowlist))
}

/// Parses a gitleaks configuration, keeping the warnings.
///
/// # Errors
/// Invalid TOML, a rule with an invalid or unsupported regex, a bad
/// `secretGroup`, an empty allowlist, or an unreadable `[extend] path`.
pub fn load(text: &str) -> Result<GitleaksConfig> {
    load_at_depth(text, 0)
}

/// A number TOML may write as an integer or a float.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(untagged)]
enum Number {
    Int(i64),
    Float(f64),
}

impl Number {
    fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct FileSpec {
    #[allow(dead_code)]
    title: Option<String>,
    #[allow(dead_code)]
    description: Option<String>,
    #[allow(dead_code)]
    min_version: Option<String>,
    extend: Option<ExtendSpec>,
    rules: Vec<RuleEntry>,
    allowlist: Option<AllowEntry>,
    allowlists: Vec<AllowEntry>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct ExtendSpec {
    use_default: bool,
    path: Option<String>,
    url: Option<String>,
    disabled_rules: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct RuleEntry {
    id: String,
    description: Option<String>,
    regex: Option<String>,
    secret_group: Option<i64>,
    entropy: Option<Number>,
    keywords: Vec<String>,
    path: Option<String>,
    tags: Vec<String>,
    skip_report: bool,
    allowlist: Option<AllowEntry>,
    allowlists: Vec<AllowEntry>,
    required: Vec<toml::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct AllowEntry {
    #[allow(dead_code)]
    description: Option<String>,
    condition: Option<String>,
    commits: Vec<String>,
    paths: Vec<String>,
    regex_target: Option<String>,
    regexes: Vec<String>,
    stopwords: Vec<String>,
    target_rules: Vec<String>,
}

fn load_at_depth(text: &str, depth: usize) -> Result<GitleaksConfig> {
    let file: FileSpec =
        toml::from_str(text).map_err(|e| Error::config(None, e.message().to_string()))?;
    let mut warnings = Vec::new();
    let extend = file.extend.unwrap_or_default();
    let (mut rules, mut allowlist) = if extend.use_default && extend.path.is_some() {
        return Err(Error::config(
            None,
            "[extend] takes either useDefault or path, not both",
        ));
    } else if extend.use_default {
        (RuleSet::builtin(), Allowlist::new())
    } else if let Some(path) = &extend.path {
        if depth >= MAX_EXTEND_DEPTH {
            return Err(Error::config(
                Some(path.as_ref()),
                "[extend] is nested more than two levels deep",
            ));
        }
        let text = read_capped(path.as_ref())?;
        let base = load_at_depth(&text, depth + 1).map_err(|e| e.with_path(path.as_ref()))?;
        warnings.extend(base.warnings);
        (base.rules, base.allowlist)
    } else {
        (RuleSet::new(), Allowlist::new())
    };
    if extend.url.is_some() {
        warnings.push("[extend] url is ignored (gitleaks does not implement it either)".into());
    }
    rules.disable(&extend.disabled_rules);

    // The file's own rules: ids must be unique within the file.
    let mut own = RuleSet::new();
    for entry in file.rules {
        let id = entry.id.clone();
        if id.is_empty() {
            return Err(Error::rule(None, "a [[rules]] entry has no id"));
        }
        if own.get(&id).is_some() {
            return Err(Error::rule(Some(&id), "duplicate rule id"));
        }
        if entry.skip_report {
            warnings.push(format!(
                "rule {id:?}: skipReport = true, the rule is not loaded"
            ));
            rules.disable(&[id.as_str()]);
            continue;
        }
        if !entry.required.is_empty() {
            warnings.push(format!(
                "rule {id:?}: [[rules.required]] (composite rules) is not supported; \
                 the rule is reported on its own"
            ));
        }
        let base = rules.get(&id).map(|r| (*r.spec).clone());
        match entry_to_spec(entry, base, &mut warnings)? {
            Some(spec) => own.push_spec(spec)?,
            None => continue,
        }
    }
    rules.extend(own);

    // Global allowlists: the legacy single table first, then the list.
    for entry in file.allowlist.into_iter().chain(file.allowlists) {
        let Some(allow) = convert_allowlist(&entry, "global allowlist", &mut warnings)? else {
            continue;
        };
        if entry.target_rules.is_empty() {
            for r in allow.regexes.into_vec() {
                allowlist.add_secret_regex(r);
            }
            for s in allow.stopwords.into_vec() {
                allowlist.add_stopword(s);
            }
            for p in allow.paths.into_vec() {
                allowlist.add_path_regex(p);
            }
        } else {
            for target in &entry.target_rules {
                let Some(slot) = rules.rules.iter_mut().find(|r| r.id() == target) else {
                    warnings.push(format!(
                        "global allowlist: targetRules names unknown rule {target:?}"
                    ));
                    continue;
                };
                let mut spec = (*slot.spec).clone();
                merge_allow(&mut spec.allowlist, allow.clone());
                slot.spec = spec.into();
            }
        }
    }
    Ok(GitleaksConfig {
        rules,
        allowlist,
        warnings,
    })
}

/// Reads an extended configuration, refusing files over [`MAX_EXTEND_SIZE`]
/// (so a device file or a huge file cannot exhaust memory).
fn read_capped(path: &std::path::Path) -> Result<String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| Error::io(Some(path), e))?;
    let mut bytes = Vec::new();
    file.take(MAX_EXTEND_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(Some(path), e))?;
    if bytes.len() as u64 > MAX_EXTEND_SIZE {
        return Err(Error::config(Some(path), "file is larger than 16 MiB"));
    }
    String::from_utf8(bytes).map_err(|_| Error::config(Some(path), "not valid UTF-8"))
}

fn merge_allow(into: &mut RuleAllowlist, from: RuleAllowlist) {
    into.regexes.to_mut().extend(from.regexes.into_vec());
    into.stopwords.to_mut().extend(from.stopwords.into_vec());
    into.paths.to_mut().extend(from.paths.into_vec());
}

/// Converts one `[[rules]]` entry. `base` is the rule of the same id being
/// extended, if any. `None` means the rule is skipped (with a warning).
fn entry_to_spec(
    entry: RuleEntry,
    base: Option<RuleSpec>,
    warnings: &mut Vec<String>,
) -> Result<Option<RuleSpec>> {
    let id = entry.id.as_str();
    let rule_err = |m: String| Error::rule(Some(id), m);

    let mut allow = RuleAllowlist::default();
    for a in entry.allowlist.iter().chain(&entry.allowlists) {
        if !a.target_rules.is_empty() {
            warnings.push(format!(
                "rule {id:?}: targetRules inside a rule allowlist is ignored"
            ));
        }
        if let Some(converted) = convert_allowlist(a, &format!("rule {id:?}"), warnings)? {
            merge_allow(&mut allow, converted);
        }
    }

    let Some(regex_src) = entry.regex.as_deref() else {
        // Extending an existing rule: add allowlists, override plain fields.
        if let Some(mut spec) = base {
            merge_allow(&mut spec.allowlist, allow);
            if let Some(d) = entry.description {
                spec.description = d.into();
            }
            if let Some(e) = entry.entropy {
                spec.min_entropy = entropy_threshold(e.as_f64());
            }
            if !entry.tags.is_empty() {
                spec.tags = entry.tags.into();
            }
            return Ok(Some(spec));
        }
        if entry.path.is_some() {
            warnings.push(format!(
                "rule {id:?}: path-only rules (no regex) are not supported; skipped"
            ));
            return Ok(None);
        }
        return Err(rule_err("a rule needs a regex or a path".into()));
    };

    let translated =
        translate_rule_regex(regex_src).map_err(|m| rule_err(format!("regex: {m}")))?;
    let hir = parse_hir(&translated.pattern).map_err(|m| rule_err(format!("regex: {m}")))?;
    let path = match entry.path.as_deref() {
        Some(p) => {
            let t = translate_regex(p).map_err(|m| rule_err(format!("path regex: {m}")))?;
            parse_hir(&t.pattern).map_err(|m| rule_err(format!("path regex: {m}")))?;
            Some(t.pattern)
        }
        None => None,
    };

    let groups = hir.properties().explicit_captures_len();
    let secret_group = match entry.secret_group {
        None | Some(0) => None,
        Some(g) if g < 0 => return Err(rule_err(format!("secretGroup {g} is negative"))),
        Some(g) => {
            let g = usize::try_from(g).unwrap_or(usize::MAX);
            if g > groups {
                return Err(rule_err(format!(
                    "secretGroup {g} but the regex has {groups} capture groups"
                )));
            }
            Some(g)
        }
    };

    let mut keywords: Vec<String> = entry
        .keywords
        .iter()
        .map(|k| k.to_ascii_lowercase())
        .filter(|k| !k.is_empty())
        .collect();
    keywords.sort();
    keywords.dedup();
    let mut prefilter = None;
    if !keywords.is_empty() && file_gated(&keywords, &hir) {
        // gitleaks runs the regex over the whole file once a keyword occurs
        // anywhere in it. Keyword windows are the same only when every match
        // holds a keyword; otherwise (or for keywords too short to index) do
        // what gitleaks does.
        prefilter = Some(Prefilter::FileKeywords);
    } else if keywords.is_empty() || keywords.iter().any(|k| k.len() < MIN_KEYWORD_LEN) {
        if let Some(lits) = required_literals(&hir) {
            keywords = lits;
        } else if path.is_some() {
            // Runs on every file the path regex selects.
            keywords.clear();
        } else {
            keywords.clear();
            prefilter = Some(Prefilter::TokenRun);
            warnings.push(format!(
                "rule {id:?}: no usable keyword or required literal; the rule runs only \
                 on lines with a long token-like run"
            ));
        }
    }

    let min_entropy = entry.entropy.and_then(|e| entropy_threshold(e.as_f64()));
    let description = entry
        .description
        .or_else(|| base.as_ref().map(|b| b.description.to_string()))
        .unwrap_or_else(|| id.to_string());
    Ok(Some(RuleSpec {
        id: id.to_string().into(),
        description: description.into(),
        category: Category::Secret,
        regex: translated.pattern.into(),
        secret_group,
        keywords: keywords.into(),
        prefilter,
        min_entropy,
        confidence: Confidence::Medium,
        tags: entry.tags.into(),
        validator: None,
        multiline: translated.newline,
        detect_secrets: None,
        // gitleaks names its catch-all rules `generic-…` (`generic-api-key`):
        // a provider rule of the same config must win their spans, as in
        // keepmum's own rules.
        specificity: id.starts_with("generic").then_some(Specificity::Generic),
        allowlist: allow,
        examples: Vec::new(),
        negative_examples: Vec::new(),
        path: path.map(Into::into),
    }))
}

/// True when keyword windows could miss a match gitleaks finds: a keyword is
/// too short to index, or some match need not contain any keyword (the
/// regex's required literals do not all contain one).
fn file_gated(keywords: &[String], hir: &Hir) -> bool {
    if keywords.iter().any(|k| k.len() < MIN_KEYWORD_LEN) {
        return true;
    }
    match required_literals(hir) {
        Some(lits) => !lits
            .iter()
            .all(|l| keywords.iter().any(|k| l.contains(k.as_str()))),
        None => true,
    }
}

/// gitleaks keeps a finding when entropy > threshold; our engine drops it when
/// entropy < min. The smallest f32 above the threshold makes the two agree.
fn entropy_threshold(e: f64) -> Option<f32> {
    if !e.is_finite() || e <= 0.0 {
        return None;
    }
    let f = e as f32;
    if f >= f32::MAX {
        return Some(f32::MAX);
    }
    Some(f32::from_bits(f.to_bits() + 1))
}

/// Converts one allowlist. `None` means it can never apply to our scans.
fn convert_allowlist(
    a: &AllowEntry,
    ctx: &str,
    warnings: &mut Vec<String>,
) -> Result<Option<RuleAllowlist>> {
    let err = |m: String| Error::config(None, format!("{ctx}: {m}"));
    if a.commits.is_empty() && a.paths.is_empty() && a.regexes.is_empty() && a.stopwords.is_empty()
    {
        return Err(err(
            "an allowlist needs at least one of commits, paths, regexes or stopwords".into(),
        ));
    }
    let and = match a.condition.as_deref().map(str::trim) {
        None | Some("") => false,
        Some(c) if c.eq_ignore_ascii_case("or") || c == "||" => false,
        Some(c) if c.eq_ignore_ascii_case("and") || c == "&&" => true,
        Some(c) => return Err(err(format!("unknown condition {c:?}"))),
    };
    match a.regex_target.as_deref() {
        None | Some("") | Some("secret") => {}
        Some(t @ ("match" | "line")) => {
            if !a.regexes.is_empty() {
                warnings.push(format!(
                    "{ctx}: regexTarget = {t:?} is applied to the secret only"
                ));
            }
        }
        Some(t) => return Err(err(format!("unknown regexTarget {t:?}"))),
    }
    let mut regexes = Vec::with_capacity(a.regexes.len());
    for r in &a.regexes {
        let t = translate_regex(r).map_err(|m| err(format!("allowlist regex: {m}")))?;
        parse_hir(&t.pattern).map_err(|m| err(format!("allowlist regex: {m}")))?;
        regexes.push(t.pattern);
    }
    let mut paths = Vec::with_capacity(a.paths.len());
    for r in &a.paths {
        let t = translate_regex(r).map_err(|m| err(format!("allowlist path: {m}")))?;
        parse_hir(&t.pattern).map_err(|m| err(format!("allowlist path: {m}")))?;
        paths.push(t.pattern);
    }
    let stopwords: Vec<String> = a
        .stopwords
        .iter()
        .filter(|s| !s.is_empty())
        .cloned()
        .collect();
    if and {
        if !a.commits.is_empty() {
            warnings.push(format!(
                "{ctx}: an AND allowlist with commits never applies to a directory scan"
            ));
            return Ok(None);
        }
        let kinds = [
            !regexes.is_empty(),
            !paths.is_empty(),
            !stopwords.is_empty(),
        ]
        .iter()
        .filter(|&&b| b)
        .count();
        if kinds > 1 {
            warnings.push(format!(
                "{ctx}: condition = \"AND\" over several kinds of checks is not supported; \
                 the allowlist is ignored"
            ));
            return Ok(None);
        }
    } else if !a.commits.is_empty() {
        warnings.push(format!(
            "{ctx}: commits are ignored (no commit in a directory scan)"
        ));
    }
    if regexes.is_empty() && paths.is_empty() && stopwords.is_empty() {
        return Ok(None);
    }
    Ok(Some(RuleAllowlist {
        regexes: regexes.into(),
        stopwords: stopwords.into(),
        paths: paths.into(),
    }))
}

/// A Go regex rewritten for our dialect.
#[derive(Debug)]
struct Translated {
    pattern: String,
    /// The regex can match a newline explicitly (`\n`, `(?s)`), so the rule
    /// needs multi-line windows.
    newline: bool,
}

/// Parses a translated pattern with the engine's syntax settings.
fn parse_hir(pattern: &str) -> std::result::Result<Hir, String> {
    regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern)
        .map_err(|e| {
            // The error's Display spans several lines with a caret diagram.
            let s = e.to_string();
            s.lines()
                .last()
                .unwrap_or("invalid regex")
                .trim()
                .to_string()
        })
}

fn push_escaped(out: &mut String, c: char) {
    if regex_syntax::is_meta_character(c) {
        out.push('\\');
    }
    out.push(c);
}

fn push_byte_escape(out: &mut String, v: u32) {
    out.push_str(&format!("\\x{{{v:X}}}"));
}

/// Rewrites Go RE2 syntax that our parser reads differently or not at all.
fn translate_regex(src: &str) -> std::result::Result<Translated, String> {
    translate(src, false)
}

/// [`translate_regex`] for a rule's own regex, whose `$` must also match at a
/// line end (see the `'$'` case of [`translate`]).
fn translate_rule_regex(src: &str) -> std::result::Result<Translated, String> {
    translate(src, true)
}

fn translate(src: &str, line_end_dollar: bool) -> std::result::Result<Translated, String> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len() + 8);
    let mut newline = false;
    let mut in_class = false;
    // Position in `chars` just after the class's opening `[` (and `^`).
    let mut class_body_start = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            let Some(&next) = chars.get(i + 1) else {
                return Err("trailing backslash".into());
            };
            match next {
                'Q' if !in_class => {
                    let mut j = i + 2;
                    while j < chars.len() && !(chars[j] == '\\' && chars.get(j + 1) == Some(&'E')) {
                        if chars[j] == '\n' {
                            newline = true;
                        }
                        push_escaped(&mut out, chars[j]);
                        j += 1;
                    }
                    i = if j < chars.len() { j + 2 } else { j };
                    continue;
                }
                'p' | 'P' => return Err("Unicode classes (\\p, \\P) are not supported".into()),
                'C' => return Err("\\C (any byte) is not supported".into()),
                '8' | '9' => return Err(format!("invalid escape \\{next}")),
                '0'..='7' => {
                    // Go: \0 plus up to two more octal digits, or \1-\7 followed
                    // by one or two octal digits; a lone \1-\7 is a backreference.
                    let mut j = i + 2;
                    while j < chars.len() && j < i + 4 && ('0'..='7').contains(&chars[j]) {
                        j += 1;
                    }
                    if next != '0' && j == i + 2 {
                        return Err(format!("backreference \\{next} is not supported"));
                    }
                    let digits: String = chars[i + 1..j].iter().collect();
                    let v = u32::from_str_radix(&digits, 8).map_err(|e| e.to_string())?;
                    if v == 0x0a {
                        newline = true;
                    }
                    push_byte_escape(&mut out, v);
                    i = j;
                    continue;
                }
                'n' => newline = true,
                // `\z`, the end of the text: see the `'$'` case below.
                'z' if line_end_dollar && !in_class => {
                    out.push_str("(?m:$)");
                    i += 2;
                    continue;
                }
                'x' => {
                    // \x0A or \x{A}
                    let rest: String = chars[i + 2..chars.len().min(i + 8)].iter().collect();
                    let lower = rest.to_ascii_lowercase();
                    if lower.starts_with("0a")
                        || lower.starts_with("{a}")
                        || lower.starts_with("{0a}")
                    {
                        newline = true;
                    }
                }
                _ => {}
            }
            out.push('\\');
            out.push(next);
            i += 2;
            continue;
        }
        if in_class {
            match c {
                ']' if i > class_body_start => {
                    in_class = false;
                    out.push(']');
                    // `[\s\S]` (or `\w\W`, `\d\D`) is "any byte", newlines
                    // included: gitleaks' private-key rule spans lines so.
                    let body: String = chars[class_body_start..i].iter().collect();
                    if [("\\s", "\\S"), ("\\w", "\\W"), ("\\d", "\\D")]
                        .iter()
                        .any(|(a, b)| body.contains(a) && body.contains(b))
                    {
                        newline = true;
                    }
                }
                ']' => out.push_str("\\]"),
                '[' => {
                    if chars.get(i + 1) == Some(&':') {
                        // A POSIX class such as [:alpha:], copied whole.
                        let mut j = i + 2;
                        while j + 1 < chars.len() && !(chars[j] == ':' && chars[j + 1] == ']') {
                            j += 1;
                        }
                        if j + 1 >= chars.len() {
                            return Err("unterminated POSIX class".into());
                        }
                        out.extend(&chars[i..j + 2]);
                        i = j + 2;
                        continue;
                    }
                    out.push_str("\\[");
                }
                '&' | '~' => {
                    out.push('\\');
                    out.push(c);
                }
                '-' if i > class_body_start && chars[i - 1] == '-' => out.push_str("\\-"),
                '\n' => {
                    newline = true;
                    out.push(c);
                }
                _ => out.push(c),
            }
            i += 1;
            continue;
        }
        match c {
            '[' => {
                in_class = true;
                out.push('[');
                i += 1;
                if chars.get(i) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                class_body_start = i;
                continue;
            }
            '{' => {
                let mut j = i + 1;
                let mut saw_digit = false;
                let mut saw_comma = false;
                let mut valid = false;
                while j < chars.len() {
                    match chars[j] {
                        '0'..='9' => saw_digit = true,
                        ',' if !saw_comma && saw_digit => saw_comma = true,
                        '}' => {
                            valid = saw_digit && !(j > 0 && chars[j - 1] == ',' && !saw_comma);
                            break;
                        }
                        _ => break,
                    }
                    j += 1;
                }
                if valid && i > 0 {
                    out.extend(&chars[i..=j]);
                    i = j + 1;
                } else {
                    out.push_str("\\{");
                    i += 1;
                }
                continue;
            }
            '}' => out.push_str("\\}"),
            // Go's `$` (without `m`) is the end of the whole text. gitleaks
            // runs a regex over the whole file; we run it over the lines
            // around a keyword, whose end is a line end, not the text's.
            // `(?m:$)` matches there, so `token…(?:\s|$)` still matches a
            // token that ends its line, as in gitleaks (where `\s` takes the
            // newline). It matches at the end of the text too.
            '$' if line_end_dollar => out.push_str("(?m:$)"),
            '(' if chars.get(i + 1) == Some(&'?') => {
                let rest: String = chars[i + 2..chars.len().min(i + 5)].iter().collect();
                if rest.starts_with('=')
                    || rest.starts_with('!')
                    || rest.starts_with("<=")
                    || rest.starts_with("<!")
                {
                    return Err("look-around is not supported".into());
                }
                // Flags: (?s) or (?is:...) enable `.` matching a newline.
                let mut j = i + 2;
                while j < chars.len() && chars[j].is_ascii_alphabetic() {
                    if chars[j] == 's' {
                        newline = true;
                    }
                    j += 1;
                }
                if j < chars.len() && chars[j] == '-' {
                    // Flags after '-' are being turned off; skip them.
                    j += 1;
                    while j < chars.len() && chars[j].is_ascii_alphabetic() {
                        j += 1;
                    }
                }
                out.push('(');
            }
            '\n' => {
                newline = true;
                out.push(c);
            }
            _ => out.push(c),
        }
        i += 1;
    }
    if in_class {
        return Err("unclosed character class".into());
    }
    Ok(Translated {
        pattern: out,
        newline,
    })
}

/// Literals (lowercased, each at least 3 bytes) of which every match of
/// `hir` contains at least one, if the regex has such a small set.
fn required_literals(hir: &Hir) -> Option<Vec<String>> {
    let lits = required(hir, 0)?;
    let mut out: Vec<String> = lits
        .into_iter()
        .map(|b| String::from_utf8_lossy(&b.to_ascii_lowercase()).into_owned())
        .collect();
    out.sort();
    out.dedup();
    // Lossy conversion may have shortened nothing but may have replaced
    // bytes; the keyword index matches bytes, so keep only exact conversions.
    if out.iter().any(|k| k.contains('\u{FFFD}')) {
        return None;
    }
    Some(out)
}

/// Scores a literal set: larger is better (longest shortest literal, then
/// fewest literals).
fn score(set: &[Vec<u8>]) -> (usize, std::cmp::Reverse<usize>) {
    let min = set.iter().map(Vec::len).min().unwrap_or(0);
    (min, std::cmp::Reverse(set.len()))
}

fn better(a: Option<Vec<Vec<u8>>>, b: Option<Vec<Vec<u8>>>) -> Option<Vec<Vec<u8>>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if score(&b) > score(&a) { b } else { a }),
        (a, None) => a,
        (None, b) => b,
    }
}

fn required(hir: &Hir, depth: usize) -> Option<Vec<Vec<u8>>> {
    if depth > 32 {
        return None;
    }
    match hir.kind() {
        HirKind::Capture(c) => required(&c.sub, depth + 1),
        HirKind::Repetition(r) if r.min >= 1 => required(&r.sub, depth + 1),
        HirKind::Alternation(alts) => {
            let mut all: Vec<Vec<u8>> = Vec::new();
            for a in alts {
                for lit in required(a, depth + 1)? {
                    let lower = lit.to_ascii_lowercase();
                    if !all.contains(&lower) {
                        all.push(lower);
                    }
                }
                if all.len() > MAX_DERIVED_KEYWORDS {
                    return None;
                }
            }
            Some(all)
        }
        HirKind::Concat(subs) => {
            let mut best = None;
            for start in 0..subs.len().min(MAX_CONCAT_STARTS) {
                let tail = Hir::concat(subs[start..].to_vec());
                best = better(best, prefix_literals(&tail));
            }
            for s in subs {
                best = better(best, required(s, depth + 1));
            }
            best
        }
        _ => prefix_literals(hir),
    }
}

/// The literal prefixes of every match, if finite, small and long enough.
fn prefix_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(hir);
    let lits = seq.literals()?;
    if lits.is_empty() {
        return None;
    }
    let mut out: Vec<Vec<u8>> = Vec::new();
    for l in lits {
        let b = l.as_bytes();
        if b.len() < MIN_KEYWORD_LEN {
            return None;
        }
        let lower = b.to_ascii_lowercase();
        if !out.contains(&lower) {
            out.push(lower);
        }
        if out.len() > MAX_DERIVED_KEYWORDS {
            return None;
        }
    }
    Some(out)
}

#[cfg(test)]
#[path = "tests/gitleaks.rs"]
mod tests;
