//! Small shared helpers for the control subcommands: where the host files
//! live, who and where we are, UTC timestamps, and the protected paths.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use super::Fail;

/// Project-relative paths (gitignore syntax) that agents must never read.
/// Written to `.cursorignore` by `install cursor`.
pub(crate) const IGNORE_PATTERNS: &[&str] = &[
    ".env",
    ".env.*",
    "secrets/",
    "*.pem",
    "*.key",
    "*.p12",
    "*.pfx",
    "id_rsa",
    "id_ecdsa",
    "id_ed25519",
    ".aws/credentials",
    ".npmrc",
    ".pypirc",
    ".netrc",
];

/// Claude Code `Read(...)` deny rules that `doctor` requires (the core of
/// the managed-settings deny list).
pub(crate) const REQUIRED_DENY: &[&str] = &[
    "Read(./.env)",
    "Read(./.env.*)",
    "Read(./secrets/**)",
    "Read(./**/*.pem)",
    "Read(./**/*.key)",
];

/// The user's home directory (`$HOME`).
pub(crate) fn home() -> Result<PathBuf, Fail> {
    match std::env::var_os("HOME") {
        Some(h) if !h.is_empty() => Ok(PathBuf::from(h)),
        _ => Err(Fail::usage("HOME is not set; cannot locate user settings")),
    }
}

/// The directory holding machine-wide managed files: `/etc`, or
/// `$KEEPMUM_MANAGED_DIR` (for tests and unusual installs).
pub(crate) fn managed_dir() -> PathBuf {
    match std::env::var_os("KEEPMUM_MANAGED_DIR") {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => PathBuf::from("/etc"),
    }
}

/// The host name, from the kernel, `/etc/hostname` or `$HOSTNAME`.
pub(crate) fn hostname() -> String {
    for file in ["/proc/sys/kernel/hostname", "/etc/hostname"] {
        if let Ok(s) = std::fs::read_to_string(file) {
            let s = s.trim();
            if !s.is_empty() {
                return s.to_string();
            }
        }
    }
    std::env::var("HOSTNAME").unwrap_or_else(|_| "unknown".to_string())
}

/// The login name, from `$USER` or `$LOGNAME`, else the real uid looked up
/// in `/etc/passwd` (`uid:<n>` when it has no entry).
pub(crate) fn username() -> String {
    for var in ["USER", "LOGNAME"] {
        if let Ok(u) = std::env::var(var) {
            if !u.is_empty() {
                return u;
            }
        }
    }
    let uid = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Uid:"))
                .and_then(|rest| rest.split_whitespace().next().map(str::to_string))
        });
    let Some(uid) = uid else {
        return "unknown".to_string();
    };
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    passwd
        .lines()
        .find_map(|l| {
            let mut f = l.split(':');
            let name = f.next()?;
            (f.nth(1)? == uid).then(|| name.to_string())
        })
        .unwrap_or_else(|| format!("uid:{uid}"))
}

/// The current time as RFC 3339 UTC with milliseconds,
/// e.g. `2026-11-23T15:45:43.123Z`.
pub(crate) fn now_utc() -> String {
    let d = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    format_utc(d.as_secs(), d.subsec_millis())
}

/// Formats seconds since the Unix epoch (plus milliseconds) as RFC 3339 UTC.
pub(crate) fn format_utc(secs: u64, millis: u32) -> String {
    keepmum::time::utc_rfc3339_millis(i64::try_from(secs).unwrap_or(i64::MAX), millis)
}

/// Writes `bytes` to `path` atomically (old or new content, never a mix),
/// creating the parent directory first.
pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Fail> {
    if let Some(parent) = path.parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Fail::usage(format!("cannot create {}: {e}", parent.display())))?;
        }
    }
    keepmum::atomic::write_atomic(path, bytes).map_err(|e| Fail::usage(e.to_string()))
}

/// Reads a file that may be missing: `Ok(None)` when it does not exist.
pub(crate) fn read_optional(path: &Path) -> Result<Option<Vec<u8>>, Fail> {
    match std::fs::read(path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Fail::usage(format!("cannot read {}: {e}", path.display()))),
    }
}

/// Value of a `--flag VALUE` or `--flag=VALUE` argument at `args[*i]`,
/// advancing `i` past the value. `None` when `args[*i]` is another flag.
pub(crate) fn flag_value(
    args: &[String],
    i: &mut usize,
    name: &str,
) -> Option<Result<String, Fail>> {
    let arg = args.get(*i)?;
    if arg == name {
        *i += 1;
        return Some(
            args.get(*i)
                .cloned()
                .ok_or_else(|| Fail::usage(format!("{name} needs a value"))),
        );
    }
    let prefix = format!("{name}=");
    arg.strip_prefix(&prefix).map(|v| Ok(v.to_string()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(format_utc(0, 0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_utc(951_782_400, 5), "2000-02-29T00:00:00.005Z");
        assert_eq!(format_utc(1_795_448_743, 999), "2026-11-23T15:45:43.999Z");
    }
}
