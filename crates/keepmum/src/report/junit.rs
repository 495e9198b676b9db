//! JUnit XML report (`--format junit`): every finding is a failed test case,
//! so CI systems that collect JUnit results (GitLab, Jenkins, Azure
//! Pipelines, CircleCI…) show findings next to test failures. The shape is
//! gitleaks' (`gitleaks … -f junit`), so existing collectors keep working.
//!
//! # Wire format
//!
//! ```xml
//! <?xml version="1.0" encoding="UTF-8"?>
//! <testsuites>
//!     <testsuite failures="N" name="keepmum" tests="N" time="">
//!         <testcase classname="DESCRIPTION" file="PATH" name="MESSAGE" time="">
//!             <failure message="MESSAGE" type="DESCRIPTION">DATA</failure>
//!         </testcase>
//!     </testsuite>
//! </testsuites>
//! ```
//!
//! - One `testsuite` named `keepmum`; `tests` and `failures` are both the
//!   number of findings (a clean scan is an empty suite with `0`).
//! - One `testcase` per finding: `classname` and the failure's `type` are the
//!   rule description, `file` the path (`/` separators, no leading `./`).
//! - MESSAGE is `RULE has detected a secret in file PATH, line N.`, or
//!   `…, line N, at commit SHA.` in history scans.
//! - DATA is the finding as one object of the [`super::gitleaks`] report
//!   (same keys, secret `REDACTED` unless `show_secrets`).
//! - Indentation is one tab per level, as Go's `encoding/xml` writes it
//!   (shown as spaces above).
//!
//! Paths, descriptions and commit data are escaped for XML: `&`, `<`, `>`,
//! `"` and `'` as entities, and in attributes also tab, `\n` and `\r` as
//! character references; characters XML 1.0 cannot carry (other C0
//! controls, U+FFFE, U+FFFF) become U+FFFD.

use std::io::{self, Write};

use super::gitleaks::{file_of, write_finding};
use crate::finding::Finding;

/// Writes the JUnit XML report (see the module docs).
///
/// # Errors
/// Only I/O errors from `w`.
pub fn write<W: Write>(mut w: W, findings: &[Finding], show_secrets: bool) -> io::Result<()> {
    let n = findings.len();
    let mut out = String::with_capacity(256 + n * 1024);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
    out.push_str(&format!(
        "\t<testsuite failures=\"{n}\" name=\"keepmum\" tests=\"{n}\" time=\"\">"
    ));
    for f in findings {
        let message = message(f);
        out.push_str("\n\t\t<testcase classname=\"");
        escape_into(&mut out, f.description(), true);
        out.push_str("\" file=\"");
        escape_into(&mut out, &file_of(f), true);
        out.push_str("\" name=\"");
        escape_into(&mut out, &message, true);
        out.push_str("\" time=\"\">\n\t\t\t<failure message=\"");
        escape_into(&mut out, &message, true);
        out.push_str("\" type=\"");
        escape_into(&mut out, f.description(), true);
        out.push_str("\">");
        let mut data = String::new();
        write_finding(&mut data, f, show_secrets);
        escape_into(&mut out, data.trim_start(), false);
        out.push_str("</failure>\n\t\t</testcase>");
    }
    out.push_str(if n == 0 {
        "</testsuite>\n</testsuites>\n"
    } else {
        "\n\t</testsuite>\n</testsuites>\n"
    });
    w.write_all(out.as_bytes())
}

/// The test case name and failure message of a finding.
fn message(f: &Finding) -> String {
    let file = file_of(f);
    match f.commit() {
        Some(c) => format!(
            "{} has detected a secret in file {file}, line {}, at commit {}.",
            f.rule_id(),
            f.line(),
            c.sha()
        ),
        None => format!(
            "{} has detected a secret in file {file}, line {}.",
            f.rule_id(),
            f.line()
        ),
    }
}

/// Appends `s` escaped for XML text (`attr = false`) or a double-quoted
/// attribute value (`attr = true`).
pub(crate) fn escape_into(out: &mut String, s: &str, attr: bool) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '\t' if attr => out.push_str("&#x9;"),
            '\n' if attr => out.push_str("&#xA;"),
            '\r' => out.push_str("&#xD;"),
            '\t' | '\n' => out.push(c),
            '\0'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
#[path = "tests/junit.rs"]
mod tests;
