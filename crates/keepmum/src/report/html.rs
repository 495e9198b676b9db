//! Self-contained HTML report (`--format html`): one file to open in a
//! browser, for people who would rather look than read.
//!
//! # What the page holds
//!
//! - Totals: findings, secrets, PII, distinct rules and files with findings,
//!   files and bytes scanned. They are written into the page itself, so they
//!   show even with scripts off.
//! - Bar charts (inline SVG drawn by an inline script): findings by rule, by
//!   category, by confidence and by directory (the twelve largest bars each).
//! - For history scans (findings carrying a commit): a timeline of when the
//!   secrets entered the history, one bar per day (per month past 120 days)
//!   of the introducing commits' author dates.
//! - A table of every finding (file, line, column, rule, category,
//!   confidence, redacted value, and commit, date and author for history
//!   scans), sortable by any column (click a header, or open the page as
//!   `report.html#sort=KEY` / `#sort=-KEY` with a column key such as `rule`
//!   or `line`) and filterable by text.
//!
//! # Safety of the document
//!
//! - Values are always redacted ([`crate::Secret::redacted`]); there is no
//!   option to show raw secrets in this format.
//! - No network: no external script, style, font or image. A
//!   Content-Security-Policy allows only the page's own script and style
//!   (by SHA-256 hash), so nothing else can run even if it got in.
//! - Paths, rule text and commit data are attacker-controlled. The findings
//!   are embedded as JSON in a `<script type="application/json">` element
//!   with `<`, `>` and `&` written as `\u` escapes (no text can close the
//!   element), and the script puts them in the page only through
//!   `textContent` and attribute setters, never as markup. The statically
//!   written parts are HTML-escaped.
//!
//! # Data block
//!
//! The embedded JSON (element id `keepmum-data`) is
//! `{"tool", "version", "generated", "history", "stats": {"files", "bytes",
//! "elapsed_ms"}, "findings": [{"file", "line", "column", "rule",
//! "description", "category", "confidence", "secret", "commit"?, "date"?,
//! "author"?, "summary"?}]}`; `secret` is the redacted value. It is read by
//! the page's script and is not a stable interface (use `--format json`).
//!
//! When the script has drawn the page it sets `data-ready="1"` on `<body>`;
//! an uncaught error sets `data-error` instead. Tests use both.

use std::io::{self, Write};

use serde_json::json;
use sha2::{Digest, Sha256};

use super::gitleaks::file_of;
use super::Stats;
use crate::finding::{Category, Finding};

const SCRIPT: &str = include_str!("html/report.js");
const STYLE: &str = include_str!("html/report.css");

/// Options of the HTML report.
#[derive(Clone, Debug, Default)]
pub struct HtmlOptions {
    /// Title of the page; the default is `keepmum report`.
    pub title: Option<String>,
    /// Version of the tool, shown in the footer.
    pub version: String,
    /// When the report was made (RFC 3339); the default is now.
    pub generated: Option<String>,
}

impl HtmlOptions {
    /// The defaults: no version, generated now, default title.
    pub fn new() -> HtmlOptions {
        HtmlOptions::default()
    }

    /// Sets the page title.
    pub fn title(mut self, title: impl Into<String>) -> HtmlOptions {
        self.title = Some(title.into());
        self
    }

    /// Sets the tool version shown in the footer.
    pub fn version(mut self, version: impl Into<String>) -> HtmlOptions {
        self.version = version.into();
        self
    }

    /// Sets the generation time shown in the page (RFC 3339).
    pub fn generated(mut self, when: impl Into<String>) -> HtmlOptions {
        self.generated = Some(when.into());
        self
    }
}

/// Writes the HTML report (see the module docs).
///
/// # Errors
/// Only I/O errors from `w`.
pub fn write<W: Write>(
    mut w: W,
    findings: &[Finding],
    stats: &Stats,
    opts: &HtmlOptions,
) -> io::Result<()> {
    let title = opts.title.as_deref().unwrap_or("keepmum report");
    let generated = opts.generated.clone().unwrap_or_else(crate::time::now_utc);
    let history = findings.iter().any(|f| f.commit().is_some());
    let secrets = findings
        .iter()
        .filter(|f| f.category() == Category::Secret)
        .count();
    let pii = findings.len() - secrets;
    let mut rules: Vec<&str> = findings.iter().map(Finding::rule_id).collect();
    rules.sort_unstable();
    rules.dedup();
    let mut files: Vec<String> = findings.iter().map(file_of).collect();
    files.sort_unstable();
    files.dedup();

    let data = json!({
        "tool": "keepmum",
        "version": opts.version,
        "generated": generated,
        "history": history,
        "stats": {
            "files": stats.files,
            "bytes": stats.bytes,
            "elapsed_ms": stats.elapsed.as_millis() as u64,
        },
        "findings": findings.iter().map(finding_value).collect::<Vec<_>>(),
    });

    let mut out = String::with_capacity(SCRIPT.len() + STYLE.len() + findings.len() * 400);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         script-src '{}'; style-src '{}'; img-src data:; base-uri 'none'; form-action 'none'\">\n",
        csp_hash(SCRIPT),
        csp_hash(STYLE)
    ));
    out.push_str("<meta name=\"referrer\" content=\"no-referrer\">\n<title>");
    push_escaped(&mut out, title);
    out.push_str("</title>\n<style>");
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n<header>\n<h1>");
    push_escaped(&mut out, title);
    out.push_str("</h1>\n<p class=\"meta\">");
    push_escaped(
        &mut out,
        &format!(
            "{} scanned, {} · generated {generated}{}",
            plural(stats.files, "file"),
            super::text::human_bytes(stats.bytes),
            if history { " · git history" } else { "" }
        ),
    );
    out.push_str("</p>\n</header>\n<main>\n<section class=\"totals\" aria-label=\"totals\">\n");
    let totals: [(&str, &str, usize); 5] = [
        ("total-findings", "findings", findings.len()),
        ("total-secrets", "secrets", secrets),
        ("total-pii", "PII", pii),
        ("total-rules", "rules", rules.len()),
        ("total-files", "files with findings", files.len()),
    ];
    for (id, label, n) in totals {
        out.push_str(&format!(
            "<div class=\"total\"><span class=\"n\" id=\"{id}\">{n}</span><span class=\"label\">{label}</span></div>\n"
        ));
    }
    out.push_str("</section>\n");
    if findings.is_empty() {
        out.push_str("<p class=\"clean\" id=\"clean\">No secrets or personal data found.</p>\n");
    }
    out.push_str("<noscript><p>Charts and the findings table need JavaScript; the totals above are complete.</p></noscript>\n");
    out.push_str("<section class=\"charts\" id=\"charts\"></section>\n");
    if history {
        out.push_str(
            "<section class=\"timeline\"><h2>When secrets entered the history</h2><div id=\"timeline\"></div></section>\n",
        );
    }
    out.push_str("<section class=\"findings\"><h2>Findings</h2>\n");
    out.push_str("<input type=\"search\" id=\"filter\" placeholder=\"Filter by file, rule, category…\" aria-label=\"filter findings\">\n");
    out.push_str("<table id=\"findings\"><thead><tr>");
    let mut columns = vec![
        ("file", "File"),
        ("line", "Line"),
        ("column", "Col"),
        ("rule", "Rule"),
        ("category", "Category"),
        ("confidence", "Confidence"),
        ("secret", "Value (redacted)"),
    ];
    if history {
        columns.extend([("commit", "Commit"), ("date", "Date"), ("author", "Author")]);
    }
    for (key, label) in columns {
        out.push_str(&format!(
            "<th data-key=\"{key}\" tabindex=\"0\" aria-sort=\"none\">{label}</th>"
        ));
    }
    out.push_str("</tr></thead><tbody></tbody></table>\n</section>\n</main>\n<footer>");
    push_escaped(&mut out, &format!("keepmum {}", opts.version));
    out.push_str("</footer>\n<script type=\"application/json\" id=\"keepmum-data\">");
    out.push_str(&script_safe_json(&data.to_string()));
    out.push_str("</script>\n<script>");
    out.push_str(SCRIPT);
    out.push_str("</script>\n</body>\n</html>\n");
    w.write_all(out.as_bytes())
}

/// One finding as the page's script reads it (redacted).
fn finding_value(f: &Finding) -> serde_json::Value {
    let mut v = json!({
        "file": file_of(f),
        "line": f.line(),
        "column": f.column(),
        "rule": f.rule_id(),
        "description": f.description(),
        "category": f.category().as_str(),
        "confidence": f.confidence().as_str(),
        "secret": f.redacted(),
    });
    if let (Some(c), Some(obj)) = (f.commit(), v.as_object_mut()) {
        obj.insert("commit".into(), c.sha().into());
        obj.insert("date".into(), c.date().into());
        obj.insert("author".into(), c.author_name().into());
        obj.insert("summary".into(), c.summary().into());
    }
    v
}

/// JSON text that can sit inside a `<script>` element: nothing in it can
/// end the element or open a comment, and the two line separators
/// JavaScript once treated as line ends are escaped too.
fn script_safe_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 64);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Appends `s` escaped for HTML text and attribute values.
fn push_escaped(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

fn plural(n: u64, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// A CSP source expression allowing exactly this inline script or style.
fn csp_hash(text: &str) -> String {
    format!("sha256-{}", base64(&Sha256::digest(text.as_bytes())))
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
#[path = "tests/html.rs"]
mod tests;
