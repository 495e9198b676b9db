//! Command-line parsing for `keepmum-precommit`.
//!
//! Accepts every argument `detect-secrets-hook` (1.5) accepts, so a
//! `.pre-commit-config.yaml` written for detect-secrets works unchanged.
//! Options keepmum has no use for (plugin tuning, custom plugin files,
//! verification switches) are consumed with their values and produce one
//! warning line each; unknown options are warned about too, never an error.

use std::ffi::OsString;
use std::path::PathBuf;

/// Parsed arguments.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Args {
    /// `--baseline FILE`.
    pub baseline: Option<PathBuf>,
    /// `--exclude-files RE` (repeatable).
    pub exclude_files: Vec<String>,
    /// `--exclude-lines RE` (repeatable).
    pub exclude_lines: Vec<String>,
    /// `--exclude-secrets RE` (repeatable).
    pub exclude_secrets: Vec<String>,
    /// `--disable-plugin NAME` (repeatable): detect-secrets plugin class
    /// names whose secret types are not reported.
    pub disable_plugins: Vec<String>,
    /// `--json`: print new findings as a baseline-shaped JSON document.
    pub json: bool,
    /// `--update-line-numbers`: rewrite baseline line numbers like
    /// detect-secrets does (off by default: it churns).
    pub update_line_numbers: bool,
    /// `--pii`: also report personal data (off by default, like
    /// detect-secrets).
    pub pii: bool,
    /// `--pre-push`: run as a pre-push hook.
    pub pre_push: bool,
    /// `-c/--cores N`.
    pub cores: Option<usize>,
    /// `-C DIR`.
    pub chdir: Option<PathBuf>,
    /// `-v/--verbose`.
    pub verbose: bool,
    /// `--version`.
    pub version: bool,
    /// `-h/--help`.
    pub help: bool,
    /// The files to scan.
    pub files: Vec<PathBuf>,
    /// One line per ignored option.
    pub warnings: Vec<String>,
}

/// detect-secrets options that take a value and that keepmum ignores.
const IGNORED_WITH_VALUE: &[&str] = &[
    "-p",
    "--plugin",
    "-f",
    "--filter",
    "--disable-filter",
    "--word-list",
    "--keyword-exclude",
    "--custom-plugins",
    "--output-raw",
];

/// detect-secrets options with an *optional* numeric value.
const IGNORED_OPTIONAL_NUMBER: &[&str] = &["--base64-limit", "--hex-limit"];

/// detect-secrets switches that keepmum ignores.
const IGNORED_SWITCHES: &[&str] = &[
    "-n",
    "--no-verify",
    "--only-verified",
    "--list-all-plugins",
    "--slim",
    "--all-files",
    "--no-base64-string-scan",
    "--no-hex-string-scan",
    "--no-keyword-scan",
    "--no-private-key-scan",
    "--no-aws-key-scan",
];

/// Usage text for `--help`.
pub const USAGE: &str = "\
usage: keepmum-precommit [--baseline FILE] [--exclude-files RE] [--exclude-lines RE]
                            [--exclude-secrets RE] [--disable-plugin NAME] [--json]
                            [--update-line-numbers] [--pii] [-c N] [-C DIR] [FILES...]

A drop-in replacement for detect-secrets-hook. Exit codes: 0 clean, 1 new secrets
(or invalid/unstaged baseline), 2 baseline file missing, 3 baseline rewritten.
Other detect-secrets options are accepted and ignored with a warning.
";

/// Parses `argv` (without the program name).
pub fn parse(argv: impl IntoIterator<Item = OsString>) -> Args {
    let argv: Vec<OsString> = argv.into_iter().collect();
    let mut a = Args::default();
    let mut i = 0;
    let mut only_files = false;
    while i < argv.len() {
        let raw = &argv[i];
        i += 1;
        let s = raw.to_string_lossy();
        if only_files || !s.starts_with('-') || s == "-" {
            a.files.push(PathBuf::from(raw));
            continue;
        }
        if s == "--" {
            only_files = true;
            continue;
        }
        // `--opt=value` form.
        let (name, inline): (String, Option<OsString>) = match s.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(OsString::from(v))),
            _ => (s.to_string(), None),
        };
        // Short options with an attached value: `-c4`, `-Cdir`, `-pX`, `-fX`.
        let (name, inline) = match (name.as_str(), &inline) {
            (n, None) if n.len() > 2 && !n.starts_with("--") => {
                let (flag, rest) = n.split_at(2);
                if matches!(flag, "-c" | "-C" | "-p" | "-f") {
                    (flag.to_string(), Some(OsString::from(rest)))
                } else {
                    (name, inline)
                }
            }
            _ => (name, inline),
        };
        let mut value = |a: &mut Args| -> Option<OsString> {
            if let Some(v) = inline.clone() {
                return Some(v);
            }
            if i < argv.len() {
                i += 1;
                Some(argv[i - 1].clone())
            } else {
                a.warnings
                    .push(format!("option {name} expects a value; ignored"));
                None
            }
        };
        match name.as_str() {
            "--baseline" => a.baseline = value(&mut a).map(PathBuf::from),
            "--exclude-files" => {
                let v = value(&mut a);
                a.exclude_files.extend(v.map(lossy))
            }
            "--exclude-lines" => {
                let v = value(&mut a);
                a.exclude_lines.extend(v.map(lossy))
            }
            "--exclude-secrets" => {
                let v = value(&mut a);
                a.exclude_secrets.extend(v.map(lossy))
            }
            "--disable-plugin" => {
                let v = value(&mut a);
                a.disable_plugins.extend(v.map(lossy))
            }
            "--json" => a.json = true,
            "--update-line-numbers" => a.update_line_numbers = true,
            "--pii" => a.pii = true,
            "--pre-push" => a.pre_push = true,
            "-v" | "--verbose" | "-vv" => a.verbose = true,
            "--version" => a.version = true,
            "-h" | "--help" => a.help = true,
            "-c" | "--cores" => {
                if let Some(v) = value(&mut a) {
                    match lossy(v).parse::<usize>() {
                        Ok(n) if n > 0 => a.cores = Some(n),
                        _ => a
                            .warnings
                            .push(format!("{name}: not a positive number; ignored")),
                    }
                }
            }
            "-C" => a.chdir = value(&mut a).map(PathBuf::from),
            n if IGNORED_WITH_VALUE.contains(&n) => {
                if let Some(v) = value(&mut a) {
                    a.warnings.push(format!(
                        "ignoring detect-secrets option {n} {} (not needed by keepmum)",
                        lossy(v)
                    ));
                }
            }
            n if IGNORED_OPTIONAL_NUMBER.contains(&n) => {
                let mut shown = n.to_string();
                if let Some(v) = inline.clone() {
                    shown = format!("{n} {}", lossy(v));
                } else if let Some(next) = argv.get(i) {
                    let t = next.to_string_lossy();
                    if t.parse::<f64>().is_ok() {
                        shown = format!("{n} {t}");
                        i += 1;
                    }
                }
                a.warnings.push(format!(
                    "ignoring detect-secrets option {shown} (keepmum uses its own entropy checks)"
                ));
            }
            n if IGNORED_SWITCHES.contains(&n) => a.warnings.push(format!(
                "ignoring detect-secrets option {n} (not needed by keepmum)"
            )),
            n => a.warnings.push(format!("ignoring unknown option {n}")),
        }
    }
    a
}

fn lossy(s: OsString) -> String {
    s.to_string_lossy().into_owned()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Args {
        parse(args.iter().map(OsString::from))
    }

    #[test]
    fn detect_secrets_arguments() {
        let a = p(&[
            "--baseline",
            ".secrets.baseline",
            "--exclude-files=^vendor/",
            "--exclude-lines",
            "x",
            "--json",
            "a.py",
            "sub/c d.txt",
        ]);
        assert_eq!(a.baseline, Some(PathBuf::from(".secrets.baseline")));
        assert_eq!(a.exclude_files, vec!["^vendor/"]);
        assert_eq!(a.exclude_lines, vec!["x"]);
        assert!(a.json);
        assert_eq!(
            a.files,
            vec![PathBuf::from("a.py"), PathBuf::from("sub/c d.txt")]
        );
        assert!(a.warnings.is_empty());
    }

    #[test]
    fn ignored_options_consume_their_values_and_warn() {
        let a = p(&[
            "--base64-limit",
            "4.5",
            "--hex-limit",
            "a.py",
            "-p",
            "plugin.py",
            "--disable-filter",
            "x.y",
            "--no-verify",
            "--frobnicate",
            "-f",
            "file://f.py::fn",
            "b.py",
        ]);
        assert_eq!(a.files, vec![PathBuf::from("a.py"), PathBuf::from("b.py")]);
        assert_eq!(a.warnings.len(), 7, "{:?}", a.warnings);
        assert!(a.warnings[0].contains("--base64-limit 4.5"));
    }

    #[test]
    fn double_dash_ends_options() {
        let a = p(&["--", "--json"]);
        assert!(!a.json);
        assert_eq!(a.files, vec![PathBuf::from("--json")]);
    }
}
