//! What a scan reports: [`Finding`], the [`Secret`] it carries, and the small
//! enums that classify it.
//!
//! Conventions, fixed for every finding:
//! - spans are byte ranges into the scanned input (0-based, end exclusive);
//! - `line` and `column` are 1-based, columns count bytes;
//! - `end_column` is exclusive: the column just past the secret's last byte
//!   (SARIF's convention);
//! - the raw secret is reachable only through [`Secret::expose`]; every
//!   `Debug`/`Display` prints the redacted form.

use std::fmt;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sha1::{Digest, Sha1};

/// Whether a finding is a credential or personal data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// A credential: token, key, password, connection string.
    Secret,
    /// Personal data: email, SSN, card number, IBAN, phone, health id.
    Pii,
}

impl Category {
    /// The lowercase name used in every output (`secret` or `pii`).
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Secret => "secret",
            Category::Pii => "pii",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How sure the detector is that a finding is real.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Plausible but often a false positive (generic detectors, test card numbers).
    Low,
    /// Likely real.
    #[default]
    Medium,
    /// A distinctive format (fixed prefix, checksum) that is almost never wrong.
    High,
}

impl Confidence {
    /// The lowercase name used in every output.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The secret bytes of a finding. `Debug` and `Display` print only the
/// redacted form; [`Secret::expose`] returns the raw bytes.
///
/// ```
/// use keepmum::Secret;
/// // A synthetic value, built in pieces.
/// let s = Secret::new([&b"ghp"[..], b"_0123456789abcdefghijklmnopqrstuvwxyz"].concat());
/// assert!(!format!("{s}").contains("0123456789abcdef"));
/// assert!(!format!("{s:?}").contains("0123456789abcdef"));
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Secret {
    raw: Box<[u8]>,
    /// For a finding read back from a report (`keepmum merge`) that never
    /// held the raw value: its SHA-1 and redacted form as recorded.
    recorded: Option<Box<Recorded>>,
}

/// The hash and redacted form of a secret whose raw bytes are not known.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Recorded {
    sha1_hex: String,
    redacted: String,
}

impl Secret {
    /// Wraps raw secret bytes.
    pub fn new(bytes: Vec<u8>) -> Secret {
        Secret {
            raw: bytes.into_boxed_slice(),
            recorded: None,
        }
    }

    /// A secret known only by its recorded SHA-1 (lowercase hex) and
    /// redacted form, as a report stores it: [`Secret::expose`] is empty,
    /// [`Secret::sha1_hex`] and [`Secret::redacted`] return what was
    /// recorded. Used when findings are read back from reports.
    pub fn recorded(sha1_hex: impl Into<String>, redacted: impl Into<String>) -> Secret {
        Secret {
            raw: Box::default(),
            recorded: Some(Box::new(Recorded {
                sha1_hex: sha1_hex.into(),
                redacted: redacted.into(),
            })),
        }
    }

    /// Returns the raw secret. Handle with care: never log it. Empty for a
    /// [`Secret::recorded`] secret.
    pub fn expose(&self) -> &[u8] {
        &self.raw
    }

    /// Returns the raw secret as text, replacing invalid UTF-8.
    pub fn expose_str(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.raw)
    }

    /// Length in bytes (0 for a [`Secret::recorded`] secret).
    pub fn len(&self) -> usize {
        self.raw.len()
    }

    /// True when the raw secret is empty (never the case for a finding of a
    /// scan; always for a [`Secret::recorded`] one).
    pub fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }

    /// Lowercase hex SHA-1 of the secret, as detect-secrets hashes secrets.
    pub fn sha1_hex(&self) -> String {
        match &self.recorded {
            Some(r) => r.sha1_hex.clone(),
            None => sha1_hex(&self.raw),
        }
    }

    /// A redacted form that keeps a short, non-secret prefix so a reader can
    /// tell which credential it was: at most 4 bytes and never more than a
    /// quarter of the secret, followed by `*****`. Secrets under 8 bytes are
    /// fully masked.
    pub fn redacted(&self) -> String {
        match &self.recorded {
            Some(r) => r.redacted.clone(),
            None => redact(&self.raw),
        }
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({})", self.redacted())
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// Redacts `raw` as described on [`Secret::redacted`].
pub(crate) fn redact(raw: &[u8]) -> String {
    const MASK: &str = "*****";
    if raw.len() < 8 {
        return MASK.to_string();
    }
    let keep = (raw.len() / 4).min(4);
    // Keep only a prefix of printable ASCII so the output stays valid UTF-8
    // and never includes a partial multi-byte character.
    let prefix: String = raw[..keep]
        .iter()
        .take_while(|b| b.is_ascii_graphic())
        .map(|&b| b as char)
        .collect();
    format!("{prefix}{MASK}")
}

/// Lowercase hex SHA-1 of `bytes`.
pub(crate) fn sha1_hex(bytes: &[u8]) -> String {
    hex(&Sha1::digest(bytes))
}

/// Lowercase hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 0xf) as usize] as char);
    }
    s
}

/// Static facts about the rule that produced a finding, shared by all its
/// findings.
#[derive(Debug)]
pub(crate) struct RuleMeta {
    pub(crate) id: String,
    pub(crate) description: String,
    pub(crate) category: Category,
    pub(crate) confidence: Confidence,
    pub(crate) tags: Vec<String>,
    pub(crate) specificity: crate::rules::Specificity,
}

/// Where a finding inside decoded or nested content came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Origin {
    /// Decode steps applied, outermost first (e.g. `["base64"]`).
    pub(crate) decoders: Vec<&'static str>,
}

/// The commit that introduced a finding, for history scans.
///
/// ```
/// let c = keepmum::CommitInfo::new("0123abcd", "Ada", "ada@dev.invalid", "2026-01-02T03:04:05Z", "add config");
/// assert_eq!(c.sha(), "0123abcd");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CommitInfo {
    sha: String,
    author_name: String,
    author_email: String,
    date: String,
    summary: String,
    order: Option<u64>,
}

impl CommitInfo {
    /// Commit metadata: full hex id, author, author date (RFC 3339, UTC) and
    /// the first line of the message.
    pub fn new(
        sha: impl Into<String>,
        author_name: impl Into<String>,
        author_email: impl Into<String>,
        date: impl Into<String>,
        summary: impl Into<String>,
    ) -> CommitInfo {
        CommitInfo {
            sha: sha.into(),
            author_name: author_name.into(),
            author_email: author_email.into(),
            date: date.into(),
            summary: summary.into(),
            order: None,
        }
    }

    /// The same commit with its position in a history scan's oldest-first
    /// order (0 = the oldest commit scanned). Every shard of one scan walks
    /// the same commits, so positions agree across shards, and `merge`
    /// keeps the earliest of duplicate findings by it.
    pub fn with_order(mut self, order: u64) -> CommitInfo {
        self.order = Some(order);
        self
    }

    /// The position set by [`CommitInfo::with_order`], if any.
    pub fn order(&self) -> Option<u64> {
        self.order
    }

    /// Full hex commit id.
    pub fn sha(&self) -> &str {
        &self.sha
    }

    /// Author name.
    pub fn author_name(&self) -> &str {
        &self.author_name
    }

    /// Author email.
    pub fn author_email(&self) -> &str {
        &self.author_email
    }

    /// Author date, RFC 3339 in UTC (`2026-01-02T03:04:05Z`).
    pub fn date(&self) -> &str {
        &self.date
    }

    /// First line of the commit message.
    pub fn summary(&self) -> &str {
        &self.summary
    }
}

/// One secret or PII value found in the input.
///
/// Fields are private; use the accessors. See the module docs for the span,
/// line and column conventions.
#[derive(Clone)]
pub struct Finding {
    pub(crate) rule: Arc<RuleMeta>,
    pub(crate) confidence: Confidence,
    pub(crate) span: Range<usize>,
    pub(crate) match_span: Range<usize>,
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) end_line: usize,
    pub(crate) end_column: usize,
    pub(crate) secret: Secret,
    pub(crate) entropy: f32,
    pub(crate) path: Option<Arc<Path>>,
    pub(crate) origin: Option<Box<Origin>>,
    pub(crate) commit: Option<Arc<CommitInfo>>,
}

impl Finding {
    /// The id of the rule that found it, e.g. `github-pat`.
    pub fn rule_id(&self) -> &str {
        &self.rule.id
    }

    /// The rule's one-line description.
    pub fn description(&self) -> &str {
        &self.rule.description
    }

    /// Secret or PII.
    pub fn category(&self) -> Category {
        self.rule.category
    }

    /// How sure the detector is. May be lower than the rule's confidence, e.g.
    /// for a well-known test card number.
    pub fn confidence(&self) -> Confidence {
        self.confidence
    }

    /// The confidence of the rule that found it (before any validator
    /// lowered it for this finding).
    pub fn rule_confidence(&self) -> Confidence {
        self.rule.confidence
    }

    /// How specific the rule is: a provider's own token shape, a value known
    /// by where it stands, or any random-looking value.
    pub fn specificity(&self) -> crate::rules::Specificity {
        self.rule.specificity
    }

    /// The rule's tags.
    pub fn tags(&self) -> &[String] {
        &self.rule.tags
    }

    /// Byte range of the secret in the scanned input.
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    /// Byte range of the whole match (the secret plus its context, e.g.
    /// `password = "…"`).
    pub fn match_span(&self) -> Range<usize> {
        self.match_span.clone()
    }

    /// 1-based line of the secret's first byte.
    pub fn line(&self) -> usize {
        self.line
    }

    /// 1-based byte column of the secret's first byte.
    pub fn column(&self) -> usize {
        self.column
    }

    /// 1-based line of the secret's last byte.
    pub fn end_line(&self) -> usize {
        self.end_line
    }

    /// 1-based column just past the secret's last byte (exclusive).
    pub fn end_column(&self) -> usize {
        self.end_column
    }

    /// The secret. Its `Display` is redacted.
    pub fn secret(&self) -> &Secret {
        &self.secret
    }

    /// Lowercase hex SHA-1 of the secret (detect-secrets' `hashed_secret`).
    pub fn secret_sha1(&self) -> String {
        self.secret.sha1_hex()
    }

    /// The redacted secret, safe to print.
    pub fn redacted(&self) -> String {
        self.secret.redacted()
    }

    /// Shannon entropy of the secret, in bits per byte.
    pub fn entropy(&self) -> f32 {
        self.entropy
    }

    /// The file the finding is in, when the input was a file.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Decoders applied to reach the secret (e.g. `["base64"]`), outermost
    /// first; empty when the secret was found in the raw input.
    pub fn decoders(&self) -> &[&'static str] {
        match &self.origin {
            Some(o) => &o.decoders,
            None => &[],
        }
    }

    /// A stable identity for this finding that survives line moves, rebases
    /// and squashes: `rule:path:hash`, where `hash` is the first 16 hex digits
    /// of the secret's SHA-1. No commit and no line number are part of it.
    pub fn fingerprint(&self) -> String {
        let path = self
            .path
            .as_deref()
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let sha = self.secret_sha1();
        format!("{}:{}:{}", self.rule.id, path, &sha[..16])
    }

    /// The commit that introduced the finding, for history scans.
    pub fn commit(&self) -> Option<&CommitInfo> {
        self.commit.as_deref()
    }

    /// Sets the commit that introduced the finding.
    pub fn set_commit(&mut self, commit: Arc<CommitInfo>) {
        self.commit = Some(commit);
    }

    /// Sets the path reported for this finding.
    pub fn set_path(&mut self, path: Arc<Path>) {
        self.path = Some(path);
    }
}

impl fmt::Debug for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Finding")
            .field("rule_id", &self.rule.id)
            .field("category", &self.rule.category)
            .field("confidence", &self.confidence)
            .field("span", &self.span)
            .field("line", &self.line)
            .field("column", &self.column)
            .field("secret", &self.secret)
            .field("path", &self.path)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_never_contains_the_secret() {
        for len in 0..64 {
            let raw: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
            let r = redact(&raw);
            if !raw.is_empty() {
                assert!(!r.contains(std::str::from_utf8(&raw).unwrap()), "{len}");
            }
            assert!(r.ends_with("*****"));
        }
    }

    #[test]
    fn sha1_matches_detect_secrets_example() {
        assert_eq!(
            sha1_hex(b"AKIAIOSFODNN7EXAMPLE"),
            "25910f981e85ca04baf359199dd0bd4a3ae738b6"
        );
    }
}
