//! Scores findings against a generated tree's `labels.json`: recall per kind
//! and family, decoys reported, and false positives (findings on no
//! labelled line).
//!
//! A finding "hits" a label when it is in the same file and its line range
//! overlaps the label's. It is "family-correct" when its rule id or a tag
//! names the label's family (see [`family_matches`]).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use crate::tree::Labels;

/// One finding, reduced to what scoring needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// Path relative to the tree root, `/`-separated.
    pub path: String,
    /// First 1-based line.
    pub line: usize,
    /// Last 1-based line.
    pub end_line: usize,
    /// Rule id (or the peer tool's detector name).
    pub rule: String,
    /// Rule tags, if known.
    pub tags: Vec<String>,
    /// True for low-confidence findings (a test card reported as such is fine).
    pub low_confidence: bool,
}

/// Substrings of rule ids (or exact tags) that count as each family.
fn aliases(family: &str) -> &'static [&'static str] {
    match family {
        "github" => &["github"],
        "gitlab" => &["gitlab"],
        "aws" => &["aws", "amazon"],
        "slack" => &["slack"],
        "stripe" => &["stripe"],
        "openai" => &["openai"],
        "anthropic" => &["anthropic", "claude"],
        "google" => &["google", "gcp", "gemini", "firebase"],
        "npm" => &["npm"],
        "pypi" => &["pypi"],
        "sendgrid" => &["sendgrid"],
        "private-key" => &[
            "private-key",
            "private_key",
            "privatekey",
            "pem",
            "ssh",
            "rsa",
            "pkcs",
            "openssh",
        ],
        "jwt" => &["jwt", "json-web-token"],
        "database-url" => &["postgres", "database", "db-url", "connection", "uri", "url"],
        "generic-secret" => &[
            "generic",
            "password",
            "secret",
            "assignment",
            "keyword",
            "credential",
        ],
        "email" => &["email"],
        "ssn" => &["ssn", "social-security"],
        "card" => &["card", "credit", "pan"],
        "iban" => &["iban"],
        "phone" => &["phone"],
        "high-entropy" => &["entropy"],
        _ => &[],
    }
}

/// True when a finding of `rule` with `tags` belongs to `family`.
pub fn family_matches(family: &str, rule: &str, tags: &[String]) -> bool {
    let rule = rule.to_ascii_lowercase();
    aliases(family)
        .iter()
        .any(|a| rule.contains(a) || tags.iter().any(|t| t.eq_ignore_ascii_case(a)))
}

/// Per (kind, family) counts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Row {
    /// Labels planted.
    pub planted: usize,
    /// Labels with at least one overlapping finding.
    pub found: usize,
    /// Labels with an overlapping finding of the right family.
    pub found_family: usize,
}

/// The evaluation result.
#[derive(Clone, Debug, Default)]
pub struct Score {
    /// (kind, family) → counts, for secrets and PII.
    pub rows: BTreeMap<(String, String), Row>,
    /// Decoy name → (planted, reported). A test card reported at low
    /// confidence is not counted as reported.
    pub decoys: BTreeMap<String, (usize, usize)>,
    /// Decoy reports by (decoy name, rule).
    pub decoy_rules: BTreeMap<(String, String), usize>,
    /// Findings on no labelled line.
    pub false_positives: usize,
    /// False positives by rule.
    pub fp_by_rule: BTreeMap<String, usize>,
    /// False positives by file extension (or name).
    pub fp_by_ext: BTreeMap<String, usize>,
    /// Total findings considered.
    pub findings: usize,
    /// Missed labels (path:line name), up to 30, for debugging rules.
    pub missed: Vec<String>,
}

impl Score {
    /// Totals for one kind: (planted, found, found_family).
    pub fn total(&self, kind: &str) -> Row {
        let mut t = Row::default();
        for ((k, _), r) in &self.rows {
            if k == kind {
                t.planted += r.planted;
                t.found += r.found;
                t.found_family += r.found_family;
            }
        }
        t
    }

    /// Decoys planted and reported, summed.
    pub fn decoy_total(&self) -> (usize, usize) {
        self.decoys
            .values()
            .fold((0, 0), |(a, b), (p, r)| (a + p, b + r))
    }

    /// The human-readable table.
    pub fn table(&self) -> String {
        let pct = |a: usize, b: usize| {
            if b == 0 {
                "-".to_string()
            } else {
                format!("{:.1}%", 100.0 * a as f64 / b as f64)
            }
        };
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{:<7} {:<15} {:>7} {:>7} {:>8} {:>8} {:>9}",
            "kind", "family", "planted", "found", "recall", "family", "fam-rec"
        );
        let mut last = String::new();
        for ((k, f), r) in &self.rows {
            if !last.is_empty() && *k != last {
                self.total_line(&mut s, &last, &pct);
            }
            last = k.clone();
            let _ = writeln!(
                s,
                "{:<7} {:<15} {:>7} {:>7} {:>8} {:>8} {:>9}",
                k,
                f,
                r.planted,
                r.found,
                pct(r.found, r.planted),
                r.found_family,
                pct(r.found_family, r.planted)
            );
        }
        if !last.is_empty() {
            self.total_line(&mut s, &last, &pct);
        }
        let (dp, dr) = self.decoy_total();
        let _ = writeln!(s, "\ndecoys reported: {dr} of {dp} ({})", pct(dr, dp));
        for (name, (p, r)) in &self.decoys {
            let rules: Vec<String> = self
                .decoy_rules
                .iter()
                .filter(|((n, _), _)| n == name)
                .map(|((_, rule), c)| format!("{rule}={c}"))
                .collect();
            let _ = writeln!(s, "  {name:<18} {r:>5} of {p:<5} {}", rules.join(" "));
        }
        let _ = writeln!(
            s,
            "\nfalse positives (findings on no labelled line): {} of {} findings",
            self.false_positives, self.findings
        );
        let mut by_rule: Vec<_> = self.fp_by_rule.iter().collect();
        by_rule.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (rule, n) in by_rule.iter().take(15) {
            let _ = writeln!(s, "  rule {rule:<32} {n:>6}");
        }
        let mut by_ext: Vec<_> = self.fp_by_ext.iter().collect();
        by_ext.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let exts: Vec<String> = by_ext
            .iter()
            .take(10)
            .map(|(e, n)| format!("{e}={n}"))
            .collect();
        if !exts.is_empty() {
            let _ = writeln!(s, "  by file type: {}", exts.join(" "));
        }
        if !self.missed.is_empty() {
            let _ = writeln!(s, "\nfirst missed items:");
            for m in &self.missed {
                let _ = writeln!(s, "  {m}");
            }
        }
        s
    }

    fn total_line(&self, s: &mut String, kind: &str, pct: &dyn Fn(usize, usize) -> String) {
        let t = self.total(kind);
        let _ = writeln!(
            s,
            "{:<7} {:<15} {:>7} {:>7} {:>8} {:>8} {:>9}",
            kind,
            "TOTAL",
            t.planted,
            t.found,
            pct(t.found, t.planted),
            t.found_family,
            pct(t.found_family, t.planted)
        );
    }
}

fn ext_of(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name.starts_with(".env") {
        return ".env".to_string();
    }
    match name.rfind('.') {
        Some(i) if i > 0 => name[i..].to_string(),
        _ => name.to_string(),
    }
}

/// Scores `hits` against `labels`.
pub fn score(labels: &Labels, hits: &[Hit]) -> Score {
    let mut by_path: HashMap<&str, Vec<&Hit>> = HashMap::new();
    for h in hits {
        by_path.entry(h.path.as_str()).or_default().push(h);
    }
    let mut labels_by_path: HashMap<&str, Vec<&crate::Label>> = HashMap::new();
    for l in &labels.items {
        labels_by_path.entry(l.path.as_str()).or_default().push(l);
    }
    let overlaps =
        |h: &Hit, l: &crate::Label| h.line <= l.end_line && l.line <= h.end_line.max(h.line);
    let mut out = Score {
        findings: hits.len(),
        ..Score::default()
    };
    for l in &labels.items {
        let near: Vec<&&Hit> = by_path
            .get(l.path.as_str())
            .map(|v| v.iter().filter(|h| overlaps(h, l)).collect())
            .unwrap_or_default();
        if l.kind == "decoy" {
            let e = out.decoys.entry(l.name.clone()).or_default();
            e.0 += 1;
            let counted: Vec<&&&Hit> = near
                .iter()
                .filter(|h| !(l.name == "test-card" && h.low_confidence))
                .collect();
            if !counted.is_empty() {
                e.1 += 1;
            }
            for h in counted {
                *out.decoy_rules
                    .entry((l.name.clone(), h.rule.clone()))
                    .or_default() += 1;
            }
            continue;
        }
        let row = out
            .rows
            .entry((l.kind.clone(), l.family.clone()))
            .or_default();
        row.planted += 1;
        if !near.is_empty() {
            row.found += 1;
        } else if out.missed.len() < 30 {
            out.missed.push(format!("{}:{} {}", l.path, l.line, l.name));
        }
        if near
            .iter()
            .any(|h| family_matches(&l.family, &h.rule, &h.tags))
        {
            row.found_family += 1;
        }
    }
    for h in hits {
        let labelled = labels_by_path
            .get(h.path.as_str())
            .is_some_and(|ls| ls.iter().any(|l| overlaps(h, l)));
        if !labelled {
            out.false_positives += 1;
            *out.fp_by_rule.entry(h.rule.clone()).or_default() += 1;
            *out.fp_by_ext.entry(ext_of(&h.path)).or_default() += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Label;

    fn label(path: &str, line: usize, kind: &str, family: &str, name: &str) -> Label {
        Label {
            path: path.into(),
            line,
            end_line: line,
            kind: kind.into(),
            family: family.into(),
            name: name.into(),
        }
    }

    fn hit(path: &str, line: usize, rule: &str, low: bool) -> Hit {
        Hit {
            path: path.into(),
            line,
            end_line: line,
            rule: rule.into(),
            tags: vec![],
            low_confidence: low,
        }
    }

    #[test]
    fn scores_recall_decoys_and_false_positives() {
        let labels = Labels {
            version: 1,
            seed: 1,
            density: "sparse".into(),
            files: 2,
            bytes: 0,
            items: vec![
                label("a.rs", 3, "secret", "github", "github-pat"),
                label("a.rs", 9, "secret", "aws", "aws-access-key-id"),
                label("b.csv", 2, "pii", "email", "email"),
                label("b.csv", 4, "decoy", "card", "test-card"),
                label("b.csv", 5, "decoy", "email", "reserved-email"),
            ],
        };
        let hits = vec![
            hit("a.rs", 3, "github-pat", false),
            hit("b.csv", 2, "generic-api-key", false),
            hit("b.csv", 4, "credit-card", true),
            hit("b.csv", 5, "email", false),
            hit("a.rs", 20, "high-entropy", false),
            hit("c/.env.local", 1, "high-entropy", false),
        ];
        let s = score(&labels, &hits);
        let gh = &s.rows[&("secret".to_string(), "github".to_string())];
        assert_eq!((gh.planted, gh.found, gh.found_family), (1, 1, 1));
        let aws = &s.rows[&("secret".to_string(), "aws".to_string())];
        assert_eq!((aws.planted, aws.found), (1, 0));
        let em = &s.rows[&("pii".to_string(), "email".to_string())];
        assert_eq!((em.found, em.found_family), (1, 0));
        assert_eq!(s.decoys["test-card"], (1, 0));
        assert_eq!(s.decoys["reserved-email"], (1, 1));
        assert_eq!(
            s.decoy_rules[&("reserved-email".to_string(), "email".to_string())],
            1
        );
        assert_eq!(s.decoy_rules.len(), 1);
        assert_eq!(s.false_positives, 2);
        assert_eq!(s.fp_by_rule["high-entropy"], 2);
        assert_eq!(s.fp_by_ext[".env"], 1);
        assert_eq!(s.total("secret").planted, 2);
        assert!(s.table().contains("TOTAL"));
        assert_eq!(s.missed, vec!["a.rs:9 aws-access-key-id".to_string()]);
    }

    #[test]
    fn family_aliases() {
        assert!(family_matches("google", "gcp-api-key", &[]));
        assert!(family_matches("private-key", "x", &["ssh".to_string()]));
        assert!(!family_matches("stripe", "slack-bot-token", &[]));
        assert!(!family_matches("unknown", "anything", &[]));
    }
}
