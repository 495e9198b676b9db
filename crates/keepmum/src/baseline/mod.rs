//! detect-secrets compatible baselines (`.secrets.baseline`).
//!
//! A baseline lists known secrets so hooks only fail on new ones. This module
//! reads detect-secrets 1.x baselines (and 0.x ones: their `results` have the
//! same shape), matches keepmum findings against them the way
//! detect-secrets does, and writes the same JSON schema, byte for byte in
//! detect-secrets' layout (indent 2, trailing newline, files sorted, entries
//! sorted by `(line_number, hashed_secret, type)`).
//!
//! # Identity and matching
//!
//! detect-secrets identifies an entry by `(filename, hashed_secret, type)`,
//! where `hashed_secret` is the SHA-1 of what the plugin captured (sometimes
//! only a prefix; see [`Detection`]). A finding of a rule that declares its
//! detect-secrets type (`detect_secrets = "GitHub Token"` in the rule TOML)
//! matches an entry with that type and that quirky hash. Independently of the
//! type, a finding also matches any entry of the same file whose hash is the
//! SHA-1 of the finding's secret (so a detect-secrets `Base64 High Entropy
//! String` entry suppresses the same string found by a specific rule). Line
//! numbers and `is_secret` play no part: entries audited as false positives
//! stay suppressed, exactly like detect-secrets.
//!
//! # Findings without a detect-secrets type
//!
//! detect-secrets' own tools crash on an entry whose `type` is not one of its
//! plugins' types. Findings of keepmum rules that have no detect-secrets
//! equivalent are therefore stored in a sibling top-level object,
//! `keepmum_results`, with the same shape as `results` and `type` = the
//! keepmum rule id. detect-secrets ignores that key, so a baseline written
//! here is always accepted by `detect-secrets audit --report`.
//!
//! # No churn
//!
//! Nothing here rewrites line numbers unless asked
//! ([`UpdateOptions::line_numbers`]); `generated_at` is refreshed only when the
//! set of entries changes; unknown keys (top-level and per entry) are kept in
//! place; the output depends only on the set of entries, never on the order
//! findings arrived in.

pub(crate) mod dskeyword;
mod dstypes;
mod json;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

pub use dstypes::{is_detect_secrets_type, plugin_for_type};
use json::Json;

use crate::error::{Error, Result};
use crate::finding::{sha1_hex, Finding};
use crate::rules::RuleSet;

/// True when `bytes` is a detect-secrets baseline: a JSON object whose first
/// keys are `version` and `plugins_used` (the order both tools write) and
/// that has `results`. Such a file holds only SHA-1 hashes, so scanning it
/// finds nothing but noise (`"hashed_secret": "…"` looks like a password),
/// and detect-secrets itself never scans its baseline.
///
/// ```
/// let b = br#"{ "version": "1.5.0", "plugins_used": [], "results": {} }"#;
/// assert!(keepmum::baseline::looks_like_baseline(b));
/// assert!(!keepmum::baseline::looks_like_baseline(br#"{"version": "1"}"#));
/// ```
pub fn looks_like_baseline(bytes: &[u8]) -> bool {
    let rest = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = rest
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(rest.len());
    let rest = &rest[start..];
    if rest.first() != Some(&b'{') {
        return false;
    }
    let head = &rest[..rest.len().min(512)];
    let has = |hay: &[u8], needle: &[u8]| memchr::memmem::find(hay, needle).is_some();
    has(head, b"\"version\"") && has(head, b"\"plugins_used\"") && has(rest, b"\"results\"")
}

/// The detect-secrets version whose schema and defaults new baselines use.
pub const DETECT_SECRETS_VERSION: &str = "1.5.0";

/// Top-level key holding entries of keepmum-only rules.
pub const KEEPMUM_RESULTS_KEY: &str = "keepmum_results";

/// The `plugins_used` and `filters_used` detect-secrets 1.5.0 writes by
/// default, so a new baseline configures a later `detect-secrets` run the same
/// way one made by `detect-secrets scan` would.
const DEFAULT_SETTINGS: &str = r#"{
"plugins_used": [
{"name": "ArtifactoryDetector"}, {"name": "AWSKeyDetector"},
{"name": "AzureStorageKeyDetector"}, {"name": "Base64HighEntropyString", "limit": 4.5},
{"name": "BasicAuthDetector"}, {"name": "CloudantDetector"}, {"name": "DiscordBotTokenDetector"},
{"name": "GitHubTokenDetector"}, {"name": "GitLabTokenDetector"},
{"name": "HexHighEntropyString", "limit": 3.0}, {"name": "IbmCloudIamDetector"},
{"name": "IbmCosHmacDetector"}, {"name": "IPPublicDetector"}, {"name": "JwtTokenDetector"},
{"name": "KeywordDetector", "keyword_exclude": ""}, {"name": "MailchimpDetector"},
{"name": "NpmDetector"}, {"name": "OpenAIDetector"}, {"name": "PrivateKeyDetector"},
{"name": "PypiTokenDetector"}, {"name": "SendGridDetector"}, {"name": "SlackDetector"},
{"name": "SoftlayerDetector"}, {"name": "SquareOAuthDetector"}, {"name": "StripeDetector"},
{"name": "TelegramBotTokenDetector"}, {"name": "TwilioKeyDetector"}],
"filters_used": [
{"path": "detect_secrets.filters.allowlist.is_line_allowlisted"},
{"path": "detect_secrets.filters.common.is_ignored_due_to_verification_policies", "min_level": 2},
{"path": "detect_secrets.filters.heuristic.is_indirect_reference"},
{"path": "detect_secrets.filters.heuristic.is_likely_id_string"},
{"path": "detect_secrets.filters.heuristic.is_lock_file"},
{"path": "detect_secrets.filters.heuristic.is_not_alphanumeric_string"},
{"path": "detect_secrets.filters.heuristic.is_potential_uuid"},
{"path": "detect_secrets.filters.heuristic.is_prefixed_with_dollar_sign"},
{"path": "detect_secrets.filters.heuristic.is_sequential_string"},
{"path": "detect_secrets.filters.heuristic.is_swagger_file"},
{"path": "detect_secrets.filters.heuristic.is_templated_secret"}]
}"#;

/// One baseline entry (one secret in one file).
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// detect-secrets `type` (e.g. `"GitHub Token"`), or a keepmum rule id
    /// for entries under `keepmum_results`.
    pub secret_type: String,
    /// The file, repository-relative with `/` separators.
    pub filename: String,
    /// Lowercase hex SHA-1 of the hashed value.
    pub hashed_secret: String,
    /// `is_verified` (always written).
    pub is_verified: bool,
    /// 1-based line, when tracked (`None` in `--slim` baselines).
    pub line_number: Option<u64>,
    /// The audit label: `Some(true)` real, `Some(false)` false positive,
    /// `None` not audited.
    pub is_secret: Option<bool>,
    /// Keys this version does not know, kept verbatim and in order.
    extra: Vec<(String, Json)>,
}

impl Entry {
    /// A new, unaudited entry.
    pub fn new(
        secret_type: impl Into<String>,
        filename: impl Into<String>,
        hashed_secret: impl Into<String>,
        line_number: Option<u64>,
    ) -> Entry {
        Entry {
            secret_type: secret_type.into(),
            filename: filename.into(),
            hashed_secret: hashed_secret.into(),
            is_verified: false,
            line_number,
            is_secret: None,
            extra: Vec::new(),
        }
    }

    /// detect-secrets' sort key.
    fn sort_key(&self) -> (u64, &str, &str) {
        (
            self.line_number.unwrap_or(0),
            &self.hashed_secret,
            &self.secret_type,
        )
    }

    fn to_json(&self) -> Json {
        let mut o = vec![
            ("type".to_string(), Json::Str(self.secret_type.clone())),
            ("filename".to_string(), Json::Str(self.filename.clone())),
            (
                "hashed_secret".to_string(),
                Json::Str(self.hashed_secret.clone()),
            ),
            ("is_verified".to_string(), Json::Bool(self.is_verified)),
        ];
        if let Some(n) = self.line_number.filter(|&n| n > 0) {
            o.push(("line_number".to_string(), Json::Num(n.to_string())));
        }
        if let Some(s) = self.is_secret {
            o.push(("is_secret".to_string(), Json::Bool(s)));
        }
        o.extend(self.extra.iter().cloned());
        Json::Obj(o)
    }

    fn from_json(filename: &str, v: &Json) -> std::result::Result<Entry, String> {
        let Json::Obj(items) = v else {
            return Err(format!("an entry of {filename:?} is not an object"));
        };
        let mut e = Entry::new("", filename, "", None);
        let (mut has_type, mut has_hash) = (false, false);
        for (k, val) in items {
            match (k.as_str(), val) {
                ("type", Json::Str(s)) => {
                    e.secret_type = s.clone();
                    has_type = true;
                }
                ("filename", Json::Str(_)) => {} // the results key is authoritative
                ("hashed_secret", Json::Str(s)) => {
                    e.hashed_secret = s.clone();
                    has_hash = true;
                }
                ("is_verified", Json::Bool(b)) => e.is_verified = *b,
                ("line_number", Json::Num(n)) => {
                    e.line_number = n.parse::<u64>().ok().filter(|&n| n > 0);
                }
                ("is_secret", Json::Bool(b)) => e.is_secret = Some(*b),
                ("is_secret", Json::Null) => e.is_secret = None,
                ("type" | "filename" | "hashed_secret" | "is_verified" | "line_number", _) => {
                    return Err(format!("an entry of {filename:?} has an invalid {k:?}"));
                }
                _ => e.extra.push((k.clone(), val.clone())),
            }
        }
        if !has_type || !has_hash {
            return Err(format!(
                "an entry of {filename:?} lacks \"type\" or \"hashed_secret\""
            ));
        }
        Ok(e)
    }
}

/// Which list an entry lives in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    /// `results`: detect-secrets types.
    Results,
    /// `keepmum_results`: keepmum-only rules.
    Keepmum,
}

/// Regex filters a baseline carries (detect-secrets `should_exclude_*`
/// filters, or 0.x `exclude`). Python regex syntax; callers compile them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExcludePatterns {
    /// Skip files whose path matches.
    pub files: Vec<String>,
    /// Skip findings on lines that match.
    pub lines: Vec<String>,
    /// Skip findings whose secret matches.
    pub secrets: Vec<String>,
}

/// A parsed baseline. See the module docs.
#[derive(Clone, Debug, PartialEq)]
pub struct Baseline {
    /// Top-level keys in file order, with `results` represented by a
    /// placeholder (its content, and `keepmum_results`, live below).
    top: Vec<(String, Json)>,
    results: BTreeMap<String, Vec<Entry>>,
    sg_results: BTreeMap<String, Vec<Entry>>,
}

impl Default for Baseline {
    fn default() -> Self {
        Baseline::new()
    }
}

/// What to do with baseline entries after a scan, see [`Baseline::update`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct UpdateOptions {
    /// Add detections not in the baseline yet.
    pub add_new: bool,
    /// Drop entries of scanned files whose secret is no longer there.
    pub drop_missing: bool,
    /// Move entries to the line their secret is on now (detect-secrets'
    /// behaviour; off by default because it churns).
    pub line_numbers: bool,
}

/// What [`Baseline::update`] changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct UpdateSummary {
    /// Entries added.
    pub added: usize,
    /// Entries removed.
    pub removed: usize,
    /// Entries whose line number changed.
    pub moved: usize,
}

impl UpdateSummary {
    /// True when anything changed.
    pub fn changed(&self) -> bool {
        self.added + self.removed + self.moved > 0
    }
}

impl Baseline {
    /// An empty baseline with detect-secrets 1.5.0's default settings and the
    /// current time as `generated_at`.
    pub fn new() -> Baseline {
        let mut top = vec![(
            "version".to_string(),
            Json::Str(DETECT_SECRETS_VERSION.to_string()),
        )];
        if let Ok(Json::Obj(defaults)) = Json::parse(DEFAULT_SETTINGS) {
            top.extend(defaults);
        }
        top.push(("results".to_string(), Json::Null));
        top.push(("generated_at".to_string(), Json::Str(now_utc())));
        Baseline {
            top,
            results: BTreeMap::new(),
            sg_results: BTreeMap::new(),
        }
    }

    /// Parses a baseline.
    ///
    /// # Errors
    /// Fails (as detect-secrets does with "Invalid baseline") when the text is
    /// not JSON, is not an object, lacks `results` or `version`, or an entry
    /// lacks `type`/`hashed_secret`.
    pub fn parse(text: &str) -> Result<Baseline> {
        let doc = Json::parse(text).map_err(|e| Error::baseline(None, e))?;
        let Json::Obj(items) = doc else {
            return Err(Error::baseline(None, "not a JSON object"));
        };
        let mut top = Vec::with_capacity(items.len());
        let mut results = None;
        let mut sg_results = BTreeMap::new();
        let mut has_version = false;
        for (k, v) in items {
            match k.as_str() {
                "results" => {
                    results = Some(parse_results(&v)?);
                    top.push((k, Json::Null));
                }
                // Always written right after `results`.
                KEEPMUM_RESULTS_KEY => sg_results = parse_results(&v)?,
                "version" => {
                    if v.as_str().is_none() {
                        return Err(Error::baseline(None, "\"version\" is not a string"));
                    }
                    has_version = true;
                    top.push((k, v));
                }
                _ => top.push((k, v)),
            }
        }
        let Some(results) = results else {
            return Err(Error::baseline(None, "no \"results\" object"));
        };
        if !has_version {
            return Err(Error::baseline(None, "no \"version\""));
        }
        Ok(Baseline {
            top,
            results,
            sg_results,
        })
    }

    /// Reads and parses a baseline file.
    ///
    /// # Errors
    /// I/O errors and the errors of [`Baseline::parse`], naming `path`.
    pub fn load(path: &Path) -> Result<Baseline> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(Some(path), e))?;
        let text =
            String::from_utf8(bytes).map_err(|_| Error::baseline(Some(path), "not valid UTF-8"))?;
        Baseline::parse(&text).map_err(|e| e.with_path(path))
    }

    /// Serialises in detect-secrets' layout (indent 2, trailing newline).
    pub fn to_json_string(&self) -> String {
        let mut out = Vec::with_capacity(self.top.len() + 1);
        for (k, v) in &self.top {
            if k == "results" {
                out.push((k.clone(), results_json(&self.results)));
                if self.sg_results.values().any(|l| !l.is_empty()) {
                    out.push((
                        KEEPMUM_RESULTS_KEY.to_string(),
                        results_json(&self.sg_results),
                    ));
                }
            } else {
                out.push((k.clone(), v.clone()));
            }
        }
        let mut s = Json::Obj(out).to_pretty();
        s.push('\n');
        s
    }

    /// Writes the baseline atomically (see [`crate::write_atomic`]).
    ///
    /// # Errors
    /// I/O errors, naming `path`.
    pub fn save(&self, path: &Path) -> Result<()> {
        crate::atomic::write_atomic(path, self.to_json_string().as_bytes())
    }

    /// The `version` field.
    pub fn version(&self) -> &str {
        self.top_value("version")
            .and_then(Json::as_str)
            .unwrap_or("")
    }

    /// The `generated_at` field, if present.
    pub fn generated_at(&self) -> Option<&str> {
        self.top_value("generated_at").and_then(Json::as_str)
    }

    /// Sets `generated_at` to the current UTC time (only when present, so
    /// `--slim` baselines stay slim).
    pub fn touch(&mut self) {
        let now = now_utc();
        if let Some((_, v)) = self.top.iter_mut().find(|(k, _)| k == "generated_at") {
            *v = Json::Str(now);
        }
    }

    fn top_value(&self, key: &str) -> Option<&Json> {
        self.top.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Names of the detect-secrets plugins the baseline enables
    /// (`plugins_used[].name`), or `None` when it does not say.
    pub fn plugin_names(&self) -> Option<Vec<String>> {
        match self.top_value("plugins_used") {
            Some(Json::Arr(items)) => Some(
                items
                    .iter()
                    .filter_map(|p| p.get("name").and_then(Json::as_str))
                    .map(str::to_string)
                    .collect(),
            ),
            _ => None,
        }
    }

    /// The regex filters configured in the baseline.
    pub fn exclude_patterns(&self) -> ExcludePatterns {
        let mut out = ExcludePatterns::default();
        if let Some(Json::Arr(filters)) = self.top_value("filters_used") {
            for f in filters {
                let dest = match f.get("path").and_then(Json::as_str) {
                    Some("detect_secrets.filters.regex.should_exclude_file") => &mut out.files,
                    Some("detect_secrets.filters.regex.should_exclude_line") => &mut out.lines,
                    Some("detect_secrets.filters.regex.should_exclude_secret") => &mut out.secrets,
                    _ => continue,
                };
                match f.get("pattern") {
                    Some(Json::Arr(ps)) => {
                        dest.extend(ps.iter().filter_map(Json::as_str).map(str::to_string))
                    }
                    Some(Json::Str(p)) => dest.push(p.clone()),
                    _ => {}
                }
            }
        }
        // detect-secrets 0.x: "exclude": {"files": "re", "lines": "re"}.
        if let Some(ex) = self.top_value("exclude") {
            if let Some(p) = ex.get("files").and_then(Json::as_str) {
                out.files.push(p.to_string());
            }
            if let Some(p) = ex.get("lines").and_then(Json::as_str) {
                out.lines.push(p.to_string());
            }
        }
        out
    }

    /// Every entry, `results` first, files sorted, entries in file order.
    pub fn entries(&self) -> impl Iterator<Item = (Section, &Entry)> {
        self.results
            .values()
            .flatten()
            .map(|e| (Section::Results, e))
            .chain(
                self.sg_results
                    .values()
                    .flatten()
                    .map(|e| (Section::Keepmum, e)),
            )
    }

    /// Mutable access to every entry (e.g. to set audit labels).
    pub fn entries_mut(&mut self) -> impl Iterator<Item = &mut Entry> {
        self.results
            .values_mut()
            .flatten()
            .chain(self.sg_results.values_mut().flatten())
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries().count()
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.results.values().all(Vec::is_empty) && self.sg_results.values().all(Vec::is_empty)
    }

    /// The files with entries.
    pub fn files(&self) -> BTreeSet<&str> {
        self.results
            .keys()
            .chain(self.sg_results.keys())
            .map(String::as_str)
            .collect()
    }

    /// Entries of one file (both sections).
    pub fn entries_for<'a>(&'a self, filename: &str) -> impl Iterator<Item = &'a Entry> + 'a {
        let a = self.results.get(filename).map(Vec::as_slice).unwrap_or(&[]);
        let b = self
            .sg_results
            .get(filename)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        a.iter().chain(b.iter())
    }

    /// True when an entry of the baseline covers `d` (see the module docs).
    pub fn contains(&self, d: &Detection) -> bool {
        self.entries_for(&d.filename).any(|e| d.matches(e))
    }

    /// Adds an entry for `d` unless one already covers it. Returns true when
    /// it added one. Does not touch `generated_at`.
    pub fn insert(&mut self, d: &Detection) -> bool {
        if self.contains(d) {
            return false;
        }
        let map = if d.detect_secrets_type {
            &mut self.results
        } else {
            &mut self.sg_results
        };
        let list = map.entry(d.filename.clone()).or_default();
        list.push(d.to_entry());
        sort_entries(list);
        true
    }

    /// Reconciles the baseline with a fresh scan of `scanned` files (the
    /// complete list of files scanned, with or without detections), whose
    /// detections are `found`. `contents` returns a scanned file's bytes (used
    /// to tell whether a secret that no rule reports any more is still in the
    /// file; return `None` when unknown). Entries of files not in `scanned` are
    /// never touched. Refreshes `generated_at` when entries were added or
    /// removed.
    pub fn update(
        &mut self,
        scanned: &[String],
        found: &[Detection],
        opts: UpdateOptions,
        contents: &dyn Fn(&str) -> Option<Vec<u8>>,
    ) -> UpdateSummary {
        let mut summary = UpdateSummary::default();
        let mut by_file: BTreeMap<&str, Vec<&Detection>> = BTreeMap::new();
        for d in found {
            by_file.entry(d.filename.as_str()).or_default().push(d);
        }
        let scanned_set: HashSet<&str> = scanned.iter().map(String::as_str).collect();
        for map in [&mut self.results, &mut self.sg_results] {
            for (file, list) in map.iter_mut() {
                if !scanned_set.contains(file.as_str()) {
                    continue;
                }
                let dets = by_file.get(file.as_str()).map(Vec::as_slice).unwrap_or(&[]);
                let mut content: Option<Option<FileIndex>> = None;
                let before = list.len();
                let mut moved = 0;
                list.retain_mut(|e| {
                    let hit = dets
                        .iter()
                        .filter(|d| d.matches(e))
                        .map(|d| d.line_number)
                        .min();
                    if let Some(line) = hit {
                        if opts.line_numbers
                            && e.line_number.is_some()
                            && e.line_number != Some(line)
                        {
                            e.line_number = Some(line);
                            moved += 1;
                        }
                        return true;
                    }
                    if !opts.drop_missing && !opts.line_numbers {
                        return true;
                    }
                    let c = content.get_or_insert_with(|| {
                        contents(file).map(|bytes| {
                            let index = candidate_index(&bytes);
                            (bytes, index)
                        })
                    });
                    match c {
                        // Unknown content: keep, we cannot tell.
                        None => true,
                        Some((bytes, index)) => {
                            match index.get(e.hashed_secret.as_str()).copied().or_else(|| {
                                (has_quirk(&e.secret_type) || e.secret_type == "Secret Keyword")
                                    .then(|| locate(e, bytes))
                                    .flatten()
                            }) {
                                Some(line) => {
                                    if opts.line_numbers
                                        && e.line_number.is_some()
                                        && e.line_number != Some(line)
                                    {
                                        e.line_number = Some(line);
                                        moved += 1;
                                    }
                                    true
                                }
                                None => !opts.drop_missing,
                            }
                        }
                    }
                });
                summary.removed += before - list.len();
                summary.moved += moved;
                if moved > 0 {
                    sort_entries(list);
                }
            }
            map.retain(|_, l| !l.is_empty());
        }
        if opts.add_new {
            for d in found {
                if self.insert(d) {
                    summary.added += 1;
                }
            }
        }
        if summary.added + summary.removed > 0 {
            self.touch();
        }
        summary
    }

    /// Drops entries whose file no longer exists (relative to `root`).
    /// Returns how many were dropped; refreshes `generated_at` if any.
    pub fn drop_missing_files(&mut self, root: &Path) -> usize {
        let mut n = 0;
        for map in [&mut self.results, &mut self.sg_results] {
            map.retain(|file, list| {
                let keep = root.join(file).exists();
                if !keep {
                    n += list.len();
                }
                keep
            });
        }
        if n > 0 {
            self.touch();
        }
        n
    }
}

fn sort_entries(list: &mut [Entry]) {
    list.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

fn parse_results(v: &Json) -> Result<BTreeMap<String, Vec<Entry>>> {
    let Json::Obj(files) = v else {
        return Err(Error::baseline(None, "\"results\" is not an object"));
    };
    let mut out: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
    for (file, list) in files {
        let Json::Arr(items) = list else {
            return Err(Error::baseline(
                None,
                format!("results for {file:?} are not a list"),
            ));
        };
        let entries = out.entry(file.clone()).or_default();
        for item in items {
            entries.push(Entry::from_json(file, item).map_err(|m| Error::baseline(None, m))?);
        }
        sort_entries(entries);
    }
    Ok(out)
}

fn results_json(map: &BTreeMap<String, Vec<Entry>>) -> Json {
    Json::Obj(
        map.iter()
            .filter(|(_, l)| !l.is_empty())
            .map(|(f, l)| (f.clone(), Json::Arr(l.iter().map(Entry::to_json).collect())))
            .collect(),
    )
}

/// Normalises a path the way baselines spell filenames: `/` separators, no
/// leading `./`.
pub fn normalize_filename(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    let mut s = s.as_str();
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    s.to_string()
}

/// A finding seen through detect-secrets' eyes: the `type` and
/// `hashed_secret` detect-secrets would record for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detection {
    /// The file, normalised (see [`normalize_filename`]).
    pub filename: String,
    /// detect-secrets type, or the keepmum rule id.
    pub secret_type: String,
    /// True when `secret_type` is a detect-secrets type.
    pub detect_secrets_type: bool,
    /// SHA-1 of the value detect-secrets' plugin would hash.
    pub hashed_secret: String,
    /// SHA-1 of the secret itself (quotes stripped).
    pub raw_hash: String,
    /// 1-based line of the secret.
    pub line_number: u64,
    /// The keepmum rule id.
    pub rule_id: String,
    /// The keepmum rule's description.
    pub description: String,
    /// The redacted secret, safe to print.
    pub redacted: String,
}

impl Detection {
    /// Describes `finding`, found in `input` (the scanned bytes of
    /// `filename`). The rule's detect-secrets type comes from `rules`.
    pub fn from_finding(finding: &Finding, rules: &RuleSet, input: &[u8], filename: &str) -> Self {
        let mut ds_type = rules
            .get(finding.rule_id())
            .and_then(|r| r.detect_secrets_type())
            .filter(|t| is_detect_secrets_type(t));
        let raw = finding.secret().expose();
        let raw_hash = sha1_hex(dstypes::strip_quotes(raw));
        let span = finding.span();
        // Decoded findings' spans point at the encoded text; hash the secret.
        let in_input = finding.decoders().is_empty()
            && span.end <= input.len()
            && input.get(span.clone()) == Some(raw);
        let keyword = (in_input && ds_type == Some("Secret Keyword"))
            .then(|| keyword_value(filename, input, span.clone()));
        if keyword == Some(None) {
            // detect-secrets' keyword plugin captures nothing here (a stray
            // quote, a `%` in an INI-like file…): an entry of its type would
            // be one detect-secrets drops on its next scan. Record it as a
            // keepmum finding instead (`keepmum_results`), which it keeps.
            ds_type = None;
        }
        let (secret_type, hashed_secret) = match ds_type {
            Some(t) => {
                let v = if let Some(Some(v)) = keyword {
                    v
                } else if in_input {
                    dstypes::hashed_value(t, input, span)
                } else {
                    dstypes::hashed_value(t, raw, 0..raw.len())
                };
                (t.to_string(), sha1_hex(&v))
            }
            None => (finding.rule_id().to_string(), raw_hash.clone()),
        };
        Detection {
            filename: filename.to_string(),
            detect_secrets_type: ds_type.is_some(),
            secret_type,
            hashed_secret,
            raw_hash,
            line_number: finding.line() as u64,
            rule_id: finding.rule_id().to_string(),
            description: finding.description().to_string(),
            redacted: finding.redacted(),
        }
    }

    /// True when baseline entry `e` covers this detection.
    pub fn matches(&self, e: &Entry) -> bool {
        if e.filename != self.filename {
            return false;
        }
        (e.hashed_secret == self.hashed_secret
            && (e.secret_type == self.secret_type || e.secret_type == self.rule_id))
            || e.hashed_secret == self.raw_hash
    }

    /// The entry a new baseline records for this detection.
    pub fn to_entry(&self) -> Entry {
        Entry::new(
            self.secret_type.clone(),
            self.filename.clone(),
            self.hashed_secret.clone(),
            Some(self.line_number),
        )
    }
}

/// What detect-secrets' keyword plugin hashes for the secret at `span` of
/// `input` (a file named `filename`): the value it captures on that line
/// that holds the secret's start. `None` when it captures none there.
fn keyword_value(filename: &str, input: &[u8], span: std::ops::Range<usize>) -> Option<Vec<u8>> {
    let start = memchr::memrchr(b'\n', &input[..span.start]).map_or(0, |i| i + 1);
    let end = memchr::memchr(b'\n', &input[span.start..]).map_or(input.len(), |i| span.start + i);
    let line = &input[start..end];
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let at = span.start - start;
    // A file detect-secrets parses (YAML, INI with sections) is scanned as
    // the lines it rebuilds, not as written.
    if let Some(read) = dskeyword::yaml_value(filename, line) {
        return read.and_then(|(v, from)| (from <= at).then_some(v));
    }
    if parses_as_ini(input) && !dskeyword::ini_interpolation_fails(input) {
        return dskeyword::ini_value(filename, line, false)
            .and_then(|(v, from)| (from <= at).then_some(v));
    }
    let captured = dskeyword::values_in_line(filename, line);
    if let Some(r) = captured.iter().find(|r| r.start <= at && at < r.end) {
        return Some(line[r.clone()].to_vec());
    }
    match dskeyword::ini_value(filename, line, true) {
        Some((v, from)) if captured.is_empty() && from <= at => Some(v),
        _ => None,
    }
}

/// Whether detect-secrets would read `input` as an INI file: its first line
/// that is not blank or a comment is a `[section]` header.
fn parses_as_ini(input: &[u8]) -> bool {
    input
        .split(|&b| b == b'\n')
        .map(|l| l.trim_ascii())
        .find(|l| !l.is_empty() && !l.starts_with(b"#") && !l.starts_with(b";"))
        .is_some_and(|l| l.starts_with(b"[") && l.ends_with(b"]"))
}

/// Finds the line of `content` that still holds entry `e`'s secret, by
/// hashing candidate strings of each line (quoted strings, tokens, values
/// after `=`/`:`), including the detect-secrets quirks (prefix-only GitHub
/// tokens, private-key markers, JWTs without signature…). Used to keep
/// entries of types no keepmum rule reports.
pub fn locate(e: &Entry, content: &[u8]) -> Option<u64> {
    let target = e.hashed_secret.as_str();
    for (i, line) in content.split(|&b| b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let mut found = false;
        if e.secret_type == "Secret Keyword" {
            // What detect-secrets' keyword plugin itself captures here.
            let captured = dskeyword::values_in_line(&e.filename, line);
            found = captured
                .iter()
                .any(|r| sha1_hex(&line[r.clone()]) == target)
                || [
                    dskeyword::ini_value(&e.filename, line, true),
                    dskeyword::ini_value(&e.filename, line, false),
                    dskeyword::yaml_value(&e.filename, line).flatten(),
                ]
                .into_iter()
                .flatten()
                .any(|(v, _)| sha1_hex(&v) == target);
        }
        for_each_candidate(line, &mut |c: &[u8]| {
            if !found && (sha1_hex(c) == target || sha1_hex(dstypes::strip_quotes(c)) == target) {
                found = true;
            }
        });
        if !found {
            // Quirky values derived from a token on this line.
            for_each_candidate(line, &mut |c: &[u8]| {
                if found {
                    return;
                }
                let start = c.as_ptr() as usize - line.as_ptr() as usize;
                let v = dstypes::hashed_value(&e.secret_type, line, start..start + c.len());
                if sha1_hex(&v) == target {
                    found = true;
                }
            });
        }
        if found {
            return Some(i as u64 + 1);
        }
    }
    None
}

/// A scanned file's bytes and its [`candidate_index`].
type FileIndex = (Vec<u8>, HashMap<String, u64>);

/// True when detect-secrets hashes something other than the plain value for
/// this type (see `dstypes::hashed_value`).
fn has_quirk(secret_type: &str) -> bool {
    !matches!(
        secret_type,
        "Secret Keyword" | "Base64 High Entropy String" | "Hex High Entropy String"
    ) && is_detect_secrets_type(secret_type)
}

/// SHA-1 of every plain candidate string of `content` (see [`locate`]),
/// mapped to the first line it occurs on.
fn candidate_index(content: &[u8]) -> HashMap<String, u64> {
    let mut index = HashMap::new();
    for (i, line) in content.split(|&b| b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        for_each_candidate(line, &mut |c: &[u8]| {
            for v in [c, dstypes::strip_quotes(c)] {
                index.entry(sha1_hex(v)).or_insert(i as u64 + 1);
            }
        });
    }
    index
}

/// Calls `f` with candidate secret strings of one line: slices of `line`.
fn for_each_candidate(line: &[u8], f: &mut dyn FnMut(&[u8])) {
    // Quoted strings, with and without their quotes.
    for q in [b'"', b'\'', b'`'] {
        let mut open: Option<usize> = None;
        for (i, &b) in line.iter().enumerate() {
            if b == q {
                match open {
                    None => open = Some(i),
                    Some(s) => {
                        f(&line[s + 1..i]);
                        f(&line[s..=i]);
                        open = None;
                    }
                }
            }
        }
    }
    // Tokens split on whitespace and punctuation, and coarser tokens split
    // on whitespace only (keeps `AccountKey=…`, URLs).
    let fine = |b: u8| {
        b.is_ascii_whitespace()
            || matches!(
                b,
                b'"' | b'\''
                    | b'`'
                    | b'='
                    | b','
                    | b';'
                    | b'('
                    | b')'
                    | b'['
                    | b']'
                    | b'{'
                    | b'}'
                    | b'<'
                    | b'>'
            )
    };
    let coarse = |b: u8| b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'`' | b';' | b',');
    for split in [&fine as &dyn Fn(u8) -> bool, &coarse] {
        for tok in line.split(|&b| split(b)).filter(|t| !t.is_empty()) {
            f(tok);
            // `key: value` / trailing colon forms.
            if let Some(p) = memchr::memchr(b':', tok) {
                if p + 1 < tok.len() {
                    f(&tok[p + 1..]);
                }
            }
        }
    }
    // Private key markers and the rest-of-line value after `=` / `:`.
    f(line);
    for sep in [b'=', b':'] {
        if let Some(p) = memchr::memchr(sep, line) {
            let v = trim_ascii(&line[p + 1..]);
            if !v.is_empty() {
                f(v);
            }
        }
    }
}

fn trim_ascii(s: &[u8]) -> &[u8] {
    let start = s
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(s.len());
    let end = s
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |i| i + 1);
    &s[start..end.max(start)]
}

/// The current UTC time as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn now_utc() -> String {
    crate::time::now_utc()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
