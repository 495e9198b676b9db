//! Replays inputs that once crashed a fuzz target (`tests/regressions/<target>/`)
//! through the same checks the fuzz targets make, so a fixed crash stays fixed.

use std::path::{Path, PathBuf};

use keepmum::baseline::Baseline;
use keepmum::gitleaksignore::GitleaksIgnore;
use keepmum::{RuleSet, Scanner};

fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/regressions")
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out: Vec<(PathBuf, Vec<u8>)> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap_or_default();
            (p, bytes)
        })
        .collect();
    out.sort();
    out
}

fn naive_position(data: &[u8], at: usize) -> (usize, usize) {
    let before = &data[..at];
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    (line, at - start + 1)
}

/// The scan_bytes fuzz target's invariants.
fn check_scan(name: &Path, data: &[u8]) {
    let findings = Scanner::new().scan_bytes(data);
    for f in &findings {
        let span = f.span();
        assert!(span.end <= data.len() && span.start < span.end, "{name:?}");
        let m = f.match_span();
        assert!(m.start <= span.start && span.end <= m.end && m.end <= data.len());
        let raw = f.secret().expose();
        if f.decoders().is_empty() {
            assert_eq!(&data[span.clone()], raw, "{name:?}");
            assert_eq!((f.line(), f.column()), naive_position(data, span.start));
        }
        if raw.len() >= 8 {
            let red = f.redacted();
            assert!(
                !red.as_bytes().windows(raw.len()).any(|w| w == raw),
                "{name:?}"
            );
        }
    }
}

#[test]
fn scan_bytes_regressions() {
    for (p, data) in inputs("scan_bytes") {
        check_scan(&p, &data);
    }
}

#[test]
fn rules_toml_regressions() {
    for (_, data) in inputs("rules_toml") {
        let text = String::from_utf8_lossy(&data);
        if let Ok(rules) = RuleSet::from_toml(&text) {
            if let Ok(s) = Scanner::builder().rules(rules).build() {
                s.scan_bytes(&data);
            }
        }
    }
}

#[test]
fn gitleaks_config_regressions() {
    for (_, data) in inputs("gitleaks_config") {
        let text = String::from_utf8_lossy(&data);
        if let Ok((rules, allow)) = RuleSet::from_gitleaks_toml(&text) {
            if let Ok(s) = Scanner::builder().rules(rules).allowlist(allow).build() {
                s.scan_bytes(&data);
            }
        }
    }
}

#[test]
fn gitleaksignore_regressions() {
    for (_, data) in inputs("gitleaksignore") {
        let ig = GitleaksIgnore::parse(&String::from_utf8_lossy(&data));
        assert!(ig.len() + ig.warnings().len() <= data.len());
    }
}

#[test]
fn baseline_parse_regressions() {
    for (p, data) in inputs("baseline_parse") {
        let Ok(text) = std::str::from_utf8(&data) else {
            continue;
        };
        if let Ok(b) = Baseline::parse(text) {
            let written = b.to_json_string();
            let again = Baseline::parse(&written).unwrap_or_else(|e| panic!("{p:?}: {e}"));
            assert_eq!(again.to_json_string(), written, "{p:?}");
        }
    }
}

/// The replayer finds the fuzz seed corpora too: they must pass the same
/// checks (this keeps the harness itself honest).
#[test]
fn fuzz_seeds_pass_the_same_checks() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/seeds/scan_bytes");
    let mut n = 0;
    for e in std::fs::read_dir(&seeds).into_iter().flatten().flatten() {
        let data = std::fs::read(e.path()).unwrap();
        check_scan(&e.path(), &data);
        n += 1;
    }
    // The seeds live outside this crate; a packaged crate has none.
    if seeds.exists() {
        assert!(n > 0);
    }
}
