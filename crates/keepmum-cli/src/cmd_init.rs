//! `keepmum init`: write a commented sample `.keepmum.toml`.

use std::path::PathBuf;

use anyhow::bail;

/// Write a commented sample configuration file.
#[derive(clap::Args, Debug)]
pub(crate) struct InitArgs {
    /// Where to write it.
    #[arg(long, short = 'o', value_name = "FILE", default_value = keepmum::config::CONFIG_FILE)]
    output: PathBuf,
    /// Replace an existing file.
    #[arg(long)]
    force: bool,
}

/// Every setting, commented out at its default, so the file changes nothing
/// until a line is uncommented. It must parse as a valid configuration.
pub(crate) const SAMPLE: &str = r#"# keepmum configuration. Every line below is commented out at its default:
# uncomment what you want to change. `keepmum scan` finds this file in the
# scanned directory or a parent, up to the repository root.

# Built-in rules to turn off (`keepmum rules list` shows their ids).
# disabled_rules = ["high-entropy-string"]

[scan]
# pii = true              # look for personal data (emails, cards, IBANs, ...)
# secrets = true          # look for credentials
# max_file_size = 52428800  # bytes; larger files are skipped
# skip_binary = true      # skip files with a NUL byte in the first 8 KiB
# inline_allow = true     # honour `keepmum:allow`, `pragma: allowlist secret`, `gitleaks:allow`

[allowlist]
# paths = ['^tests/fixtures/', '^vendor/']  # regexes on the path, relative to the scan root
# regexes = ['^AKIA.*EXAMPLE$']             # regexes on the secret
# stopwords = ["dummy"]                     # case-insensitive substrings of the secret

# A custom rule, added to the built-in rules:
# [[rule]]
# id = "acme-api-key"
# description = "ACME API key"
# regex = '''\b(acme_[a-z0-9]{32})\b'''
# keywords = ["acme_"]
"#;

/// Runs `keepmum init`.
pub(crate) fn run(args: &InitArgs) -> anyhow::Result<i32> {
    if args.output.exists() && !args.force {
        bail!(
            "{} already exists; add --force to replace it",
            args.output.display()
        );
    }
    keepmum::write_atomic(&args.output, SAMPLE.as_bytes())?;
    crate::note(&format!(
        "wrote {} (every setting commented out at its default)",
        args.output.display()
    ));
    Ok(0)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_is_a_valid_configuration_that_changes_nothing() {
        let cfg = keepmum::config::Config::from_toml(SAMPLE, None).unwrap();
        assert_eq!(cfg.pii(), None);
        assert!(cfg.allowlist().is_empty());
        assert!(cfg.disabled_rules().is_empty());
        // Each commented setting parses once uncommented.
        let live: String = SAMPLE
            .lines()
            .map(|l| {
                l.strip_prefix("# ")
                    .filter(|r| r.contains(" = ") || r.starts_with("[["))
                    .unwrap_or(l)
            })
            .map(|l| format!("{l}\n"))
            .collect();
        let cfg = keepmum::config::Config::from_toml(&live, None).unwrap();
        assert_eq!(cfg.pii(), Some(true));
        assert!(!cfg.allowlist().is_empty());
    }
}
