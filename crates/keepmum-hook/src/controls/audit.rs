//! The audit trail: `audit-shell` runs one shell command and appends one
//! hash-chained JSON line about it; `audit verify` checks the chain;
//! `audit head` prints the anchor (line count and last hash) to ship
//! elsewhere.
//!
//! # Log format
//!
//! One JSON object per line (UTF-8, `\n`-terminated), keys in this order:
//! `v` (format version, 1), `ts` (UTC, RFC 3339 with milliseconds), `user`,
//! `host`, `cwd`, `session` (string or null), `command` (every secret or PII
//! value replaced by `[REDACTED:<rule>]`), `exit` (the exit code; 128+N when
//! the command died from signal N), `duration_ms`, and `prev`: the lowercase
//! hex SHA-256 of the previous line's bytes (without its `\n`); 64 zeros on
//! the first line.
//!
//! # Concurrency
//!
//! Writers take an exclusive `flock` on the log, read its last line, append
//! theirs with one `write` on an `O_APPEND` descriptor, `fsync` and unlock,
//! so lines never interleave, none is lost and the chain stays linear.

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use keepmum::Scanner;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::util::{self, flag_value};
use super::{Fail, Outcome};

/// `prev` of the first line.
pub(crate) const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Environment variables that may carry the agent's session id, in order.
const SESSION_VARS: &[&str] = &[
    "KEEPMUM_SESSION_ID",
    "CLAUDE_SESSION_ID",
    "CLAUDE_CODE_SESSION_ID",
    "CODEX_SESSION_ID",
    "CURSOR_CONVERSATION_ID",
];

/// One audit line. Field order is the wire order.
#[derive(Serialize)]
struct Entry<'a> {
    v: u32,
    ts: &'a str,
    user: &'a str,
    host: &'a str,
    cwd: &'a str,
    session: Option<&'a str>,
    command: &'a str,
    exit: i32,
    duration_ms: u64,
    prev: &'a str,
}

/// The audit log path: `$KEEPMUM_AUDIT_LOG`, else
/// `$XDG_STATE_HOME/keepmum/audit.jsonl`, else
/// `~/.local/state/keepmum/audit.jsonl`.
pub(crate) fn default_log() -> Result<PathBuf, Fail> {
    if let Some(p) = std::env::var_os("KEEPMUM_AUDIT_LOG") {
        if !p.is_empty() {
            return Ok(PathBuf::from(p));
        }
    }
    if let Some(p) = std::env::var_os("XDG_STATE_HOME") {
        let p = PathBuf::from(p);
        if p.is_absolute() {
            return Ok(p.join("keepmum").join("audit.jsonl"));
        }
    }
    Ok(util::home()?.join(".local/state/keepmum/audit.jsonl"))
}

/// `text` with each finding's secret span replaced by `[REDACTED:<rule>]`.
pub(crate) fn redact(scanner: &Scanner, text: &str) -> String {
    let bytes = text.as_bytes();
    let mut spans: Vec<(usize, usize, String)> = scanner
        .scan_bytes(bytes)
        .iter()
        .map(|f| {
            let s = f.span();
            (
                s.start.min(bytes.len()),
                s.end.min(bytes.len()),
                f.rule_id().to_string(),
            )
        })
        .filter(|(s, e, _)| s < e)
        .collect();
    spans.sort_by_key(|(s, e, _)| (*s, std::cmp::Reverse(*e)));
    let mut out = Vec::with_capacity(bytes.len());
    let mut pos = 0;
    for (s, e, rule) in spans {
        if e <= pos {
            continue; // inside a span already replaced
        }
        let s = s.max(pos);
        out.extend_from_slice(&bytes[pos..s]);
        out.extend_from_slice(format!("[REDACTED:{rule}]").as_bytes());
        pos = e;
    }
    out.extend_from_slice(&bytes[pos..]);
    String::from_utf8_lossy(&out).into_owned()
}

/// Entry point of `audit-shell '<command line>'`.
pub(crate) fn shell(args: &[String]) -> Outcome {
    if args.is_empty() {
        return Err(Fail::usage(
            "usage: keepmum-hook audit-shell '<command line>' (log: $KEEPMUM_AUDIT_LOG)",
        ));
    }
    // A shell prefix gets the whole command line as one argument; be lenient
    // with callers that split it.
    let command = args.join(" ");
    let start = Instant::now();
    let code = match Command::new("bash").arg("-c").arg(&command).status() {
        Ok(status) => match (status.code(), status.signal()) {
            (Some(c), _) => c,
            (None, Some(sig)) => 128 + sig,
            (None, None) => 1,
        },
        Err(e) => {
            eprintln!("keepmum-hook: cannot run bash: {e}");
            127
        }
    };
    let duration_ms = u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX);
    if let Err(msg) = record(&command, code, duration_ms) {
        eprintln!("keepmum-hook: audit log not written: {msg}");
    }
    Ok(code)
}

/// Appends the line for one finished command.
fn record(command: &str, exit: i32, duration_ms: u64) -> Result<(), String> {
    let path = default_log().map_err(|f| f.msg)?;
    let redacted = redact(&Scanner::new(), command);
    let ts = util::now_utc();
    let user = util::username();
    let host = util::hostname();
    let cwd = std::env::current_dir()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    let session = SESSION_VARS
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()));
    append(&path, |prev| {
        let entry = Entry {
            v: 1,
            ts: &ts,
            user: &user,
            host: &host,
            cwd: &cwd,
            session: session.as_deref(),
            command: &redacted,
            exit,
            duration_ms,
            prev,
        };
        serde_json::to_vec(&entry).unwrap_or_default()
    })
    .map_err(|e| format!("{}: {e}", path.display()))
}

/// Lowercase hex SHA-256 of `bytes`.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Appends one line built by `make(prev_hash)` under an exclusive lock.
#[allow(clippy::incompatible_msrv)] // File::lock is stable since 1.89; the toolchain is 1.95
fn append(path: &Path, make: impl FnOnce(&str) -> Vec<u8>) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir)?;
        }
    }
    let mut file = OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .mode(0o600)
        .open(path)?;
    file.lock()?;
    let result = (|| {
        let (last, terminated) = last_line(&mut file)?;
        let prev = match &last {
            Some(l) => sha256_hex(l),
            None => GENESIS.to_string(),
        };
        let mut line = Vec::new();
        if !terminated {
            // A torn line from a crashed writer: close it so ours starts
            // on a line of its own (verify reports the torn one).
            line.push(b'\n');
        }
        let body = make(&prev);
        if body.is_empty() {
            return Err(io::Error::other("cannot serialise the audit line"));
        }
        line.extend_from_slice(&body);
        line.push(b'\n');
        file.write_all(&line)?;
        file.sync_data()
    })();
    let unlocked = file.unlock();
    result.and(unlocked)
}

/// The last line of `file` (without `\n`), and whether the file ends with
/// `\n` (true for an empty file). Reads backwards in chunks, so the cost
/// does not grow with the log.
fn last_line(file: &mut File) -> io::Result<(Option<Vec<u8>>, bool)> {
    let len = file.seek(SeekFrom::End(0))?;
    if len == 0 {
        return Ok((None, true));
    }
    let mut tail: Vec<u8> = Vec::new();
    let mut pos = len;
    const CHUNK: u64 = 8192;
    loop {
        let start = pos.saturating_sub(CHUNK);
        let mut buf = vec![0u8; usize::try_from(pos - start).unwrap_or(0)];
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(&mut buf)?;
        buf.extend_from_slice(&tail);
        tail = buf;
        pos = start;
        // Skip the final '\n' when looking for the line start.
        let body_end = if tail.last() == Some(&b'\n') && pos + tail.len() as u64 == len {
            tail.len() - 1
        } else {
            tail.len()
        };
        if let Some(nl) = tail[..body_end].iter().rposition(|&b| b == b'\n') {
            let terminated = tail.last() == Some(&b'\n');
            let end = if terminated {
                tail.len() - 1
            } else {
                tail.len()
            };
            return Ok((Some(tail[nl + 1..end].to_vec()), terminated));
        }
        if pos == 0 {
            let terminated = tail.last() == Some(&b'\n');
            let end = if terminated {
                tail.len() - 1
            } else {
                tail.len()
            };
            return Ok((Some(tail[..end].to_vec()), terminated));
        }
    }
}

const AUDIT_USAGE: &str = "usage: keepmum-hook audit verify [--log FILE] [--anchor LINE:SHA256]\n       keepmum-hook audit head [--log FILE]";

/// Entry point of `audit verify|head`.
pub(crate) fn run(args: &[String]) -> Outcome {
    let Some(sub) = args.first() else {
        return Err(Fail::usage(AUDIT_USAGE));
    };
    if sub == "-h" || sub == "--help" {
        println!("{AUDIT_USAGE}");
        return Ok(0);
    }
    if sub != "verify" && sub != "head" {
        return Err(Fail::usage(format!(
            "unknown audit command `{sub}`\n{AUDIT_USAGE}"
        )));
    }
    let mut log = None;
    let mut anchor = None;
    let mut i = 1;
    while i < args.len() {
        if let Some(v) = flag_value(args, &mut i, "--log") {
            log = Some(PathBuf::from(v?));
        } else if let Some(v) = flag_value(args, &mut i, "--anchor") {
            anchor = Some(parse_anchor(&v?)?);
        } else {
            return Err(Fail::usage(format!(
                "unexpected argument `{}`\n{AUDIT_USAGE}",
                args[i]
            )));
        }
        i += 1;
    }
    let log = match log {
        Some(l) => l,
        None => default_log()?,
    };
    let file =
        File::open(&log).map_err(|e| Fail::usage(format!("cannot open {}: {e}", log.display())))?;
    let report = verify(BufReader::new(file), anchor.as_ref())
        .map_err(|e| Fail::usage(format!("cannot read {}: {e}", log.display())))?;
    if sub == "head" {
        println!("{} {}", report.lines, report.head);
        return Ok(if report.broken.is_some() { 1 } else { 0 });
    }
    match report.broken {
        None => {
            println!(
                "ok: {} lines, hash chain intact; head {} (line {})",
                report.lines, report.head, report.lines
            );
            Ok(0)
        }
        Some((line, why)) => {
            println!("{}: line {line}: {why}", log.display());
            Ok(1)
        }
    }
}

fn parse_anchor(s: &str) -> Result<(u64, String), Fail> {
    let bad = || {
        Fail::usage(format!(
            "--anchor must be LINE:SHA256 (as printed by `audit head`), not `{s}`"
        ))
    };
    let (n, h) = s.split_once([':', ' ']).ok_or_else(bad)?;
    let n: u64 = n.trim().parse().map_err(|_| bad())?;
    let h = h.trim().to_ascii_lowercase();
    if n == 0 || h.len() != 64 || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad());
    }
    Ok((n, h))
}

/// What `verify` found.
pub(crate) struct Report {
    /// Lines read.
    pub(crate) lines: u64,
    /// SHA-256 of the last line (the chain head).
    pub(crate) head: String,
    /// First broken line (1-based) and why.
    pub(crate) broken: Option<(u64, String)>,
}

/// Checks every line parses as a JSON object and its `prev` is the SHA-256
/// of the line before; with an anchor, also that line N hashes to the
/// anchored value (which detects truncation and rewriting of the tail).
pub(crate) fn verify(
    mut reader: impl BufRead,
    anchor: Option<&(u64, String)>,
) -> io::Result<Report> {
    let mut expected = GENESIS.to_string();
    let mut n: u64 = 0;
    let mut buf = Vec::new();
    let mut broken = None;
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        n += 1;
        let terminated = buf.last() == Some(&b'\n');
        if terminated {
            buf.pop();
        }
        if broken.is_none() {
            broken = check_line(&buf, &expected, terminated).map(|why| (n, why));
        }
        expected = sha256_hex(&buf);
        if let Some((an, ah)) = anchor {
            if *an == n && *ah != expected && broken.is_none() {
                broken = Some((
                    n,
                    format!("does not match the anchor (expected {ah}); the log was rewritten"),
                ));
            }
        }
    }
    if let Some((an, _)) = anchor {
        if n < *an && broken.is_none() {
            broken = Some((
                n + 1,
                format!(
                    "missing: the anchor names line {an} but the log has {n} lines (truncated)"
                ),
            ));
        }
    }
    Ok(Report {
        lines: n,
        head: if n == 0 {
            GENESIS.to_string()
        } else {
            expected
        },
        broken,
    })
}

fn check_line(line: &[u8], expected_prev: &str, terminated: bool) -> Option<String> {
    if !terminated {
        return Some("no trailing newline (torn or truncated write)".to_string());
    }
    let value: serde_json::Value = match serde_json::from_slice(line) {
        Ok(v) => v,
        Err(e) => return Some(format!("not valid JSON ({e})")),
    };
    let Some(obj) = value.as_object() else {
        return Some("not a JSON object".to_string());
    };
    match obj.get("prev").and_then(|p| p.as_str()) {
        None => Some("no `prev` hash".to_string()),
        Some(p) if p == expected_prev => None,
        Some(_) => Some(
            "`prev` is not the SHA-256 of the previous line: a line before it was edited, deleted or reordered"
                .to_string(),
        ),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn chain(lines: &[&str]) -> String {
        let mut prev = GENESIS.to_string();
        let mut out = String::new();
        for l in lines {
            let line = format!("{{\"x\":\"{l}\",\"prev\":\"{prev}\"}}");
            prev = sha256_hex(line.as_bytes());
            out.push_str(&line);
            out.push('\n');
        }
        out
    }

    #[test]
    fn intact_chain_verifies() {
        let log = chain(&["a", "b", "c"]);
        let r = verify(log.as_bytes(), None).unwrap();
        assert_eq!(r.lines, 3);
        assert!(r.broken.is_none());
        let last = log.lines().last().unwrap();
        assert_eq!(r.head, sha256_hex(last.as_bytes()));
    }

    #[test]
    fn deleted_first_line_is_detected() {
        let log = chain(&["a", "b", "c"]);
        let cut: String = log.split_inclusive('\n').skip(1).collect();
        let r = verify(cut.as_bytes(), None).unwrap();
        assert_eq!(r.broken.unwrap().0, 1);
    }

    #[test]
    fn anchor_detects_truncated_tail() {
        let log = chain(&["a", "b", "c"]);
        let full = verify(log.as_bytes(), None).unwrap();
        let anchor = (3, full.head.clone());
        assert!(verify(log.as_bytes(), Some(&anchor))
            .unwrap()
            .broken
            .is_none());
        let cut: String = log.split_inclusive('\n').take(2).collect();
        assert!(verify(cut.as_bytes(), None).unwrap().broken.is_none());
        assert_eq!(
            verify(cut.as_bytes(), Some(&anchor))
                .unwrap()
                .broken
                .unwrap()
                .0,
            3
        );
    }

    #[test]
    fn torn_last_line_is_reported() {
        let mut log = chain(&["a", "b"]);
        log.push_str("{\"x\":");
        assert_eq!(verify(log.as_bytes(), None).unwrap().broken.unwrap().0, 3);
    }

    #[test]
    fn last_line_reads_backwards_across_chunks() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("log");
        let long = "y".repeat(20_000);
        std::fs::write(&p, format!("first\n{long}\n")).unwrap();
        let mut f = File::open(&p).unwrap();
        assert_eq!(last_line(&mut f).unwrap(), (Some(long.into_bytes()), true));
        std::fs::write(&p, "only\n").unwrap();
        let mut f = File::open(&p).unwrap();
        assert_eq!(last_line(&mut f).unwrap(), (Some(b"only".to_vec()), true));
        std::fs::write(&p, "a\ntorn").unwrap();
        let mut f = File::open(&p).unwrap();
        assert_eq!(last_line(&mut f).unwrap(), (Some(b"torn".to_vec()), false));
    }

    #[test]
    fn redacts_secret_spans() {
        let token = format!("ghp_{}", "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8");
        let cmd = format!("curl -H 'Authorization: token {token}' https://api.github.com");
        let out = redact(&Scanner::new(), &cmd);
        assert!(!out.contains(&token), "{out}");
        assert!(out.contains("[REDACTED:github-pat]"), "{out}");
        assert!(out.starts_with("curl -H 'Authorization: token "));
        assert_eq!(redact(&Scanner::new(), "ls -la"), "ls -la");
    }
}
