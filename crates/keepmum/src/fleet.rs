//! Fleet scans: splitting a scan across machines and putting it back
//! together.
//!
//! - [`Shard`] says which part of the work one machine does (`--shard i/n`):
//!   items by position, or keys (blob ids) by a stable hash, so that `n`
//!   machines given the same input cover every item exactly once.
//! - [`Record`] is one finding as a self-describing JSON Lines record
//!   (repository, commit, path, rule, fingerprint, redacted value), and
//!   [`JsonlWriter`] streams records, one flushed line per finding.
//! - [`Merge`] reads shard outputs (JSON Lines, or keepmum's JSON report),
//!   drops duplicates and returns the findings of the whole scan, ready for
//!   any report writer.
//!
//! # Record format (`scan -f jsonl`)
//!
//! One JSON object per line with the fields of a finding in keepmum's JSON
//! report (see [`crate::report::json`]) plus:
//! - `repository`: the repository as given on the command line (or in the
//!   repository list), `null` outside history scans;
//! - `commit.order`: the commit's position in the scan's oldest-first order
//!   (history scans only).
//!
//! # Duplicates
//!
//! Two records are the same finding when they have the same repository and
//! fingerprint (`rule:path:hash`) and, for records without a commit
//! (working-tree scans), the same line and column. A history scan reports
//! a secret once, at the commit that introduced it; when shards report it
//! at different commits, [`Merge`] keeps the earliest (lowest
//! `commit.order`), which is what a single run reports.

use std::collections::HashMap;
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::finding::{Category, CommitInfo, Confidence, Finding, Origin, RuleMeta, Secret};
use crate::report::{display_path, printable_secret};
use crate::rules::Specificity;

/// What went wrong splitting or merging a fleet scan.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FleetError {
    /// `--shard` is not `INDEX/COUNT` with `INDEX < COUNT`.
    #[error("invalid shard {given:?}: {reason}")]
    Shard {
        /// The text given.
        given: String,
        /// Why it is rejected.
        reason: String,
    },
    /// A shard output could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file (`-` for stdin).
        path: String,
        /// The I/O error.
        source: io::Error,
    },
    /// A line or document of a shard output is not a keepmum finding.
    #[error("{path}:{line}: not a keepmum finding record: {message}")]
    Parse {
        /// The file (`-` for stdin).
        path: String,
        /// 1-based line (1 for a whole JSON document).
        line: usize,
        /// What the parser said.
        message: String,
    },
    /// A glob pattern is malformed or matched nothing.
    #[error("{pattern}: {message}")]
    Glob {
        /// The pattern as given.
        pattern: String,
        /// Why.
        message: String,
    },
}

/// One part of `count` equal parts of a scan: `index/count`, `index` from 0.
///
/// Items that have a position in a list every shard sees in the same order
/// (repositories) are split by position; items without one (the blobs of a
/// repository) by a stable hash of their key. Either way, for a given
/// `count`, each item belongs to exactly one shard.
///
/// ```
/// use keepmum::fleet::Shard;
/// let s = Shard::parse("1/3")?;
/// assert!(s.owns_position(4) && !s.owns_position(3));
/// let owners = (0..3).filter(|i| Shard::new(*i, 3).unwrap().owns_key(b"blob id")).count();
/// assert_eq!(owners, 1);
/// # Ok::<(), keepmum::fleet::FleetError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Shard {
    index: u32,
    count: u32,
}

impl Default for Shard {
    /// The whole scan: `0/1`.
    fn default() -> Shard {
        Shard { index: 0, count: 1 }
    }
}

impl Shard {
    /// Shard `index` of `count` (`index` from 0).
    ///
    /// # Errors
    /// When `count` is 0 or `index >= count`.
    pub fn new(index: u32, count: u32) -> Result<Shard, FleetError> {
        let given = format!("{index}/{count}");
        if count == 0 {
            return Err(FleetError::Shard {
                given,
                reason: "the shard count must be at least 1".to_string(),
            });
        }
        if index >= count {
            return Err(FleetError::Shard {
                given,
                reason: format!(
                    "the index counts from 0, so it must be below the count (0 to {})",
                    count - 1
                ),
            });
        }
        Ok(Shard { index, count })
    }

    /// Parses `INDEX/COUNT`, e.g. `0/4` … `3/4`.
    ///
    /// # Errors
    /// When the text is not two numbers separated by `/`, or as
    /// [`Shard::new`].
    pub fn parse(text: &str) -> Result<Shard, FleetError> {
        let t = text.trim();
        let bad = || FleetError::Shard {
            given: t.to_string(),
            reason: "expected INDEX/COUNT, e.g. 0/4 for the first of four shards".to_string(),
        };
        let (i, n) = t.split_once('/').ok_or_else(bad)?;
        let i: u32 = i.trim().parse().map_err(|_| bad())?;
        let n: u32 = n.trim().parse().map_err(|_| bad())?;
        Shard::new(i, n).map_err(|e| match e {
            FleetError::Shard { reason, .. } => FleetError::Shard {
                given: t.to_string(),
                reason,
            },
            other => other,
        })
    }

    /// The shard's index, from 0.
    pub fn index(&self) -> u32 {
        self.index
    }

    /// The number of shards.
    pub fn count(&self) -> u32 {
        self.count
    }

    /// True for `0/1`, the whole scan.
    pub fn is_whole(&self) -> bool {
        self.count == 1
    }

    /// Whether the item at `position` of a list belongs to this shard
    /// (`position mod count == index`).
    pub fn owns_position(&self, position: usize) -> bool {
        position % self.count as usize == self.index as usize
    }

    /// Whether the item with this key belongs to this shard: the 64-bit
    /// FNV-1a hash of the key, modulo the count. The hash is fixed, so every
    /// machine and every release splits the same keys the same way.
    pub fn owns_key(&self, key: &[u8]) -> bool {
        stable_hash(key) % u64::from(self.count) == u64::from(self.index)
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// 64-bit FNV-1a: tiny, fixed and the same everywhere.
fn stable_hash(key: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in key {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// One finding as a self-describing record (see the module docs).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The repository as given, for history scans.
    #[serde(default)]
    pub repository: Option<String>,
    /// Rule id.
    pub rule_id: String,
    /// `secret` or `pii`.
    pub category: Category,
    /// The rule's description.
    #[serde(default)]
    pub description: String,
    /// The file (relative to the repository for history scans).
    #[serde(default)]
    pub path: Option<String>,
    /// 1-based line.
    pub line: usize,
    /// 1-based byte column.
    pub column: usize,
    /// 1-based line of the last byte.
    #[serde(default)]
    pub end_line: usize,
    /// Column just past the last byte.
    #[serde(default)]
    pub end_column: usize,
    /// 0-based byte offset of the secret.
    #[serde(default)]
    pub start_offset: usize,
    /// 0-based byte offset just past the secret.
    #[serde(default)]
    pub end_offset: usize,
    /// The redacted value.
    pub redacted: String,
    /// Lowercase hex SHA-1 of the raw value.
    pub secret_sha1: String,
    /// `low`, `medium` or `high`.
    #[serde(default)]
    pub confidence: Confidence,
    /// `rule:path:hash` (see [`Finding::fingerprint`]).
    pub fingerprint: String,
    /// The rule's tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Shannon entropy of the value, bits per byte.
    #[serde(default)]
    pub entropy: f32,
    /// Decoders applied to reach the value, outermost first.
    #[serde(default)]
    pub decoders: Vec<String>,
    /// The introducing commit, for history scans.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<RecordCommit>,
    /// The raw value, only when asked for (`--show-secrets`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// What duplicate records share: repository, fingerprint and, without a
/// commit, line and column.
type Identity = (Option<String>, String, Option<(usize, usize)>);

/// The commit of a [`Record`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordCommit {
    /// Full hex id.
    pub sha: String,
    /// Author name.
    #[serde(default)]
    pub author: String,
    /// Author email.
    #[serde(default)]
    pub email: String,
    /// Author date, RFC 3339 UTC.
    #[serde(default)]
    pub date: String,
    /// First line of the message.
    #[serde(default)]
    pub message: String,
    /// Position in the scan's oldest-first commit order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<u64>,
}

impl Record {
    /// The record of `finding`, found in `repository` (history scans).
    /// The raw value is included only when `show_secret` is true.
    pub fn from_finding(finding: &Finding, repository: Option<&str>, show_secret: bool) -> Record {
        let f = finding;
        let span = f.span();
        Record {
            repository: repository.map(str::to_string),
            rule_id: f.rule_id().to_string(),
            category: f.category(),
            description: f.description().to_string(),
            path: f.path().map(display_path),
            line: f.line(),
            column: f.column(),
            end_line: f.end_line(),
            end_column: f.end_column(),
            start_offset: span.start,
            end_offset: span.end,
            redacted: f.redacted(),
            secret_sha1: f.secret_sha1(),
            confidence: f.confidence(),
            fingerprint: f.fingerprint(),
            tags: f.tags().to_vec(),
            entropy: (f.entropy() * 100.0).round() / 100.0,
            decoders: f.decoders().iter().map(|d| d.to_string()).collect(),
            commit: f.commit().map(|c| RecordCommit {
                sha: c.sha().to_string(),
                author: c.author_name().to_string(),
                email: c.author_email().to_string(),
                date: c.date().to_string(),
                message: c.summary().to_string(),
                order: c.order(),
            }),
            secret: show_secret.then(|| printable_secret(f)),
        }
    }

    /// The finding this record describes, for the report writers. When
    /// `with_repository` is true, its path is `repository/path`, so
    /// findings of several repositories stay apart in any format. The
    /// secret is the recorded raw value when the record has one, otherwise
    /// a [`Secret::recorded`] (hash and redacted form only).
    pub fn to_finding(&self, with_repository: bool) -> Finding {
        let path = match (&self.repository, &self.path) {
            (Some(r), Some(p)) if with_repository => Some(join_repository(r, p)),
            (_, p) => p.clone(),
        };
        let secret = match &self.secret {
            Some(raw) => Secret::new(raw.clone().into_bytes()),
            None => Secret::recorded(self.secret_sha1.clone(), self.redacted.clone()),
        };
        let decoders: Vec<&'static str> = self.decoders.iter().map(|d| decoder_name(d)).collect();
        Finding {
            rule: Arc::new(RuleMeta {
                id: self.rule_id.clone(),
                description: self.description.clone(),
                category: self.category,
                confidence: self.confidence,
                tags: self.tags.clone(),
                specificity: Specificity::Generic,
            }),
            confidence: self.confidence,
            span: self.start_offset..self.end_offset,
            match_span: self.start_offset..self.end_offset,
            line: self.line,
            column: self.column,
            end_line: self.end_line,
            end_column: self.end_column,
            secret,
            entropy: self.entropy,
            path: path.map(|p| Arc::from(Path::new(&p))),
            origin: (!decoders.is_empty()).then(|| Box::new(Origin { decoders })),
            commit: self.commit.as_ref().map(|c| {
                let info = CommitInfo::new(&c.sha, &c.author, &c.email, &c.date, &c.message);
                Arc::new(match c.order {
                    Some(o) => info.with_order(o),
                    None => info,
                })
            }),
        }
    }

    /// The identity duplicates share (see the module docs).
    fn identity(&self) -> Identity {
        let place = self.commit.is_none().then_some((self.line, self.column));
        (self.repository.clone(), self.fingerprint.clone(), place)
    }

    /// Which of two duplicates a single run reports: the earliest commit,
    /// then the first position; the rest only makes the choice total.
    fn precedence(&self) -> impl Ord + '_ {
        (
            self.commit
                .as_ref()
                .map(|c| (c.order.unwrap_or(u64::MAX), c.sha.as_str())),
            self.line,
            self.column,
            self.start_offset,
            self.path.as_deref(),
        )
    }

    /// The order records are written in by [`Merge::finish`]:
    /// repository, path, line, column, rule, then what makes it total
    /// (a file has many versions in a history).
    fn sort_key(&self) -> impl Ord + '_ {
        (
            (
                self.repository.as_deref(),
                self.path.as_deref(),
                self.line,
                self.column,
                self.rule_id.as_str(),
            ),
            self.commit
                .as_ref()
                .map(|c| (c.order.unwrap_or(u64::MAX), c.sha.as_str())),
            self.start_offset,
            self.fingerprint.as_str(),
        )
    }
}

/// `repository/path` with `/` separators and no doubled slash.
pub fn join_repository(repository: &str, path: &str) -> String {
    let r = display_path(Path::new(repository));
    let r = r.trim_end_matches('/');
    if r.is_empty() || r == "." {
        path.to_string()
    } else {
        format!("{r}/{path}")
    }
}

/// The static name of a decoder read back from a record.
fn decoder_name(name: &str) -> &'static str {
    match name {
        "base64" => "base64",
        "hex" => "hex",
        "percent" => "percent",
        "unicode-escape" => "unicode-escape",
        _ => "encoded",
    }
}

/// Streams findings as JSON Lines: one record per line, flushed after each,
/// so a consumer sees findings as they are found and memory does not grow
/// with their number.
#[derive(Debug)]
pub struct JsonlWriter<W: Write> {
    out: W,
    show_secrets: bool,
    written: u64,
}

impl<W: Write> JsonlWriter<W> {
    /// A writer to `out`; raw values only when `show_secrets` is true.
    pub fn new(out: W, show_secrets: bool) -> JsonlWriter<W> {
        JsonlWriter {
            out,
            show_secrets,
            written: 0,
        }
    }

    /// Writes one finding of `repository` (or none) and flushes.
    ///
    /// # Errors
    /// I/O errors from the output.
    pub fn write(&mut self, finding: &Finding, repository: Option<&str>) -> io::Result<()> {
        self.write_record(&Record::from_finding(
            finding,
            repository,
            self.show_secrets,
        ))
    }

    /// Writes one record as it is and flushes.
    ///
    /// # Errors
    /// I/O errors from the output.
    pub fn write_record(&mut self, record: &Record) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, record).map_err(io::Error::from)?;
        self.out.write_all(b"\n")?;
        self.written += 1;
        self.out.flush()
    }

    /// Records written so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// The output, flushed.
    ///
    /// # Errors
    /// I/O errors from the final flush.
    pub fn into_inner(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Combines shard outputs into the findings of the whole scan (see the
/// module docs for what counts as a duplicate and which one is kept).
///
/// ```
/// use keepmum::fleet::Merge;
/// let line = r#"{"repository":"a","rule_id":"r","category":"secret","line":1,"column":1,"redacted":"*****","secret_sha1":"00","fingerprint":"r:x:00","commit":{"sha":"c1","order":3}}"#;
/// let earlier = line.replace("\"c1\",\"order\":3", "\"c0\",\"order\":1");
/// let mut merge = Merge::new();
/// merge.add_reader(format!("{line}\n{earlier}\n").as_bytes(), "shards.jsonl")?;
/// let records = merge.finish();
/// assert_eq!(records.len(), 1);
/// assert_eq!(records[0].commit.as_ref().unwrap().sha, "c0");
/// # Ok::<(), keepmum::fleet::FleetError>(())
/// ```
#[derive(Debug, Default)]
pub struct Merge {
    kept: HashMap<Identity, Record>,
    read: u64,
}

impl Merge {
    /// An empty merge.
    pub fn new() -> Merge {
        Merge::default()
    }

    /// Adds one record.
    pub fn add(&mut self, record: Record) {
        self.read += 1;
        match self.kept.entry(record.identity()) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(record);
            }
            std::collections::hash_map::Entry::Occupied(mut o) => {
                if record.precedence() < o.get().precedence() {
                    o.insert(record);
                }
            }
        }
    }

    /// Reads a shard output: JSON Lines records, or one keepmum JSON report
    /// (`scan -f json`, whose findings carry no repository). `name` is used
    /// in error messages. Returns the number of records read.
    ///
    /// # Errors
    /// I/O errors, and any line that is not a finding record.
    pub fn add_reader<R: io::Read>(&mut self, reader: R, name: &str) -> Result<u64, FleetError> {
        let mut reader = io::BufReader::new(reader);
        let read_err = |source| FleetError::Read {
            path: name.to_string(),
            source,
        };
        // A JSON report is one pretty-printed document: `{` alone on the
        // first line. A record line is a whole object.
        let mut first = String::new();
        reader.read_line(&mut first).map_err(read_err)?;
        let before = self.read;
        if first.trim() == "{" {
            let mut rest = String::new();
            io::Read::read_to_string(&mut reader, &mut rest).map_err(read_err)?;
            #[derive(Deserialize)]
            struct Report {
                findings: Vec<Record>,
            }
            let doc: Report =
                serde_json::from_str(&(first + &rest)).map_err(|e| FleetError::Parse {
                    path: name.to_string(),
                    line: e.line(),
                    message: e.to_string(),
                })?;
            for r in doc.findings {
                self.add(r);
            }
            return Ok(self.read - before);
        }
        let mut line_no = 1;
        let mut line = first;
        loop {
            let t = line.trim();
            if !t.is_empty() {
                let r: Record = serde_json::from_str(t).map_err(|e| FleetError::Parse {
                    path: name.to_string(),
                    line: line_no,
                    message: e.to_string(),
                })?;
                self.add(r);
            }
            line.clear();
            if reader.read_line(&mut line).map_err(read_err)? == 0 {
                break;
            }
            line_no += 1;
        }
        Ok(self.read - before)
    }

    /// Records read so far, duplicates included.
    pub fn records_read(&self) -> u64 {
        self.read
    }

    /// The distinct findings, sorted by repository, path, line, column,
    /// rule and commit.
    pub fn finish(self) -> Vec<Record> {
        let mut out: Vec<Record> = self.kept.into_values().collect();
        out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        out
    }
}

/// Whether findings from these records need their repository in the path
/// to stay apart: true when they come from more than one repository.
pub fn spans_repositories(records: &[Record]) -> bool {
    let mut first: Option<&Option<String>> = None;
    for r in records {
        match first {
            None => first = Some(&r.repository),
            Some(f) if *f != r.repository => return true,
            Some(_) => {}
        }
    }
    false
}

/// Expands merge inputs: `-` (stdin) and existing files stay as they are; a
/// pattern with `*`, `?` or `[` matches files below its leading directory
/// (`shards/*.jsonl`, `out/**/keepmum-*.json`), sorted.
///
/// # Errors
/// A malformed pattern, or one that matches no file.
pub fn expand_inputs(inputs: &[String]) -> Result<Vec<PathBuf>, FleetError> {
    let mut out = Vec::new();
    for input in inputs {
        let is_pattern = input.contains(['*', '?', '[']);
        if input == "-" || !is_pattern || Path::new(input).exists() {
            out.push(PathBuf::from(input));
            continue;
        }
        let glob_err = |message: String| FleetError::Glob {
            pattern: input.clone(),
            message,
        };
        // The leading components without glob characters are the root.
        let pattern = input.replace('\\', "/");
        let mut root = PathBuf::new();
        let mut rest: Vec<&str> = Vec::new();
        for part in pattern.split('/') {
            if rest.is_empty() && !part.contains(['*', '?', '[']) {
                root.push(if part.is_empty() { "/" } else { part });
            } else {
                rest.push(part);
            }
        }
        let root = if root.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            root
        };
        let mut builder = ignore::overrides::OverrideBuilder::new(&root);
        builder
            .add(&rest.join("/"))
            .map_err(|e| glob_err(e.to_string()))?;
        let matcher = builder.build().map_err(|e| glob_err(e.to_string()))?;
        let mut found = Vec::new();
        let walk = ignore::WalkBuilder::new(&root)
            .standard_filters(false)
            .hidden(false)
            .build();
        for entry in walk.flatten() {
            if entry.file_type().is_some_and(|t| t.is_file())
                && matcher.matched(entry.path(), false).is_whitelist()
            {
                found.push(entry.into_path());
            }
        }
        if found.is_empty() {
            return Err(glob_err("no file matches".to_string()));
        }
        found.sort();
        out.extend(found);
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn shard_errors_say_what_is_wrong() {
        let e = Shard::parse("5/4").unwrap_err().to_string();
        assert!(
            e.contains("\"5/4\"") && e.contains("below the count"),
            "{e}"
        );
        let e = Shard::parse("0/0").unwrap_err().to_string();
        assert!(e.contains("at least 1"), "{e}");
        for bad in ["", "3", "a/b", "1/", "/4", "-1/4", "1/4/2"] {
            let e = Shard::parse(bad).unwrap_err().to_string();
            assert!(e.contains("INDEX/COUNT"), "{bad}: {e}");
        }
        assert_eq!(Shard::parse(" 2/3 ").unwrap(), Shard::new(2, 3).unwrap());
        assert_eq!(Shard::parse("0/1").unwrap().to_string(), "0/1");
    }

    #[test]
    fn the_key_hash_is_fixed() {
        // FNV-1a test vectors: a change here would split blobs differently
        // between releases.
        assert_eq!(stable_hash(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(stable_hash(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(stable_hash(b"foobar"), 0x8594_4171_f739_67e8);
    }

    proptest! {
        #[test]
        fn every_item_is_in_exactly_one_shard(
            keys in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..24), 1..64),
            count in 1u32..9,
        ) {
            let shards: Vec<Shard> = (0..count).map(|i| Shard::new(i, count).unwrap()).collect();
            for (pos, key) in keys.iter().enumerate() {
                prop_assert_eq!(shards.iter().filter(|s| s.owns_key(key)).count(), 1);
                prop_assert_eq!(shards.iter().filter(|s| s.owns_position(pos)).count(), 1);
            }
        }
    }

    fn record(repo: &str, fp: &str, sha: &str, order: u64, line: usize) -> Record {
        Record {
            repository: Some(repo.to_string()),
            rule_id: "r".to_string(),
            category: Category::Secret,
            description: String::new(),
            path: Some("p".to_string()),
            line,
            column: 1,
            end_line: line,
            end_column: 2,
            start_offset: 0,
            end_offset: 1,
            redacted: "*****".to_string(),
            secret_sha1: "00".to_string(),
            confidence: Confidence::High,
            fingerprint: fp.to_string(),
            tags: vec![],
            entropy: 0.0,
            decoders: vec![],
            commit: Some(RecordCommit {
                sha: sha.to_string(),
                author: String::new(),
                email: String::new(),
                date: String::new(),
                message: String::new(),
                order: Some(order),
            }),
            secret: None,
        }
    }

    #[test]
    fn merge_keeps_the_earliest_commit_whatever_the_input_order() {
        let a = record("x", "r:p:1", "late", 9, 1);
        let b = record("x", "r:p:1", "early", 2, 7);
        let other_repo = record("y", "r:p:1", "late", 9, 1);
        for order in [[&a, &b, &other_repo], [&b, &other_repo, &a]] {
            let mut m = Merge::new();
            for r in order {
                m.add(r.clone());
            }
            let out = m.finish();
            assert_eq!(out.len(), 2);
            assert_eq!(out[0].commit.as_ref().unwrap().sha, "early");
            assert_eq!(out[1].repository.as_deref(), Some("y"));
        }
    }

    #[test]
    fn working_tree_records_differ_by_place() {
        let mut a = record("x", "r:p:1", "", 0, 1);
        a.commit = None;
        let mut b = a.clone();
        b.line = 2;
        let mut m = Merge::new();
        m.add(a.clone());
        m.add(b);
        m.add(a);
        assert_eq!(m.records_read(), 3);
        assert_eq!(m.finish().len(), 2);
    }

    #[test]
    fn records_round_trip_without_the_raw_value() {
        let tok = ["ghp_", "A1b2C3d4E5f6", "G7h8I9j0K1l2", "M3n4O5p6Q7r8"].concat();
        let text = format!("token = \"{tok}\"\n");
        let f = crate::Scanner::new()
            .scan_bytes_at(text.as_bytes(), Path::new("src/a.py"))
            .into_iter()
            .find(|f| f.rule_id() == "github-pat")
            .unwrap();
        let mut w = JsonlWriter::new(Vec::new(), false);
        w.write(&f, Some("repos/a")).unwrap();
        let out = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert!(!out.contains(&tok[4..]));
        assert_eq!(out.lines().count(), 1);
        let mut m = Merge::new();
        m.add_reader(out.as_bytes(), "x").unwrap();
        let back = m.finish().remove(0).to_finding(true);
        assert_eq!(back.secret_sha1(), f.secret_sha1());
        assert_eq!(back.redacted(), f.redacted());
        assert_eq!(back.path(), Some(Path::new("repos/a/src/a.py")));
        assert_eq!(back.line(), f.line());
        assert!(back.secret().expose().is_empty());
    }

    #[test]
    fn bad_lines_are_named() {
        let mut m = Merge::new();
        let e = m
            .add_reader(&b"\n{\"rule_id\": 3}\n"[..], "s.jsonl")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("s.jsonl:2: not a keepmum finding record"),
            "{e}"
        );
    }

    #[test]
    fn globs_expand_and_must_match() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["s0.jsonl", "s1.jsonl", "other.txt"] {
            std::fs::write(dir.path().join(name), "").unwrap();
        }
        let pattern = format!("{}/s*.jsonl", dir.path().display());
        let got = expand_inputs(&[pattern, "-".to_string()]).unwrap();
        assert_eq!(got.len(), 3);
        assert!(got[0].ends_with("s0.jsonl") && got[1].ends_with("s1.jsonl"));
        assert_eq!(got[2], PathBuf::from("-"));
        let none = format!("{}/*.json", dir.path().display());
        assert!(expand_inputs(&[none])
            .unwrap_err()
            .to_string()
            .contains("no file matches"));
    }
}
