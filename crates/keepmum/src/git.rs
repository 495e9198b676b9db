//! Reading what is about to be committed: the staged blobs of a git index.
//!
//! Everything here runs the `git` executable (no libgit2): `git rev-parse`
//! to find the repository, `git diff --cached --raw -z` to list staged
//! changes with their blob ids, and one `git cat-file --batch` process to
//! read the blobs. Contents come from the *index*, not the working tree, so a
//! secret that is staged and then "fixed" only in the working tree is still
//! found.
//!
//! Paths in results are relative to the repository root, with the bytes git
//! reports (non-UTF-8 names survive on Unix).
//!
//! Deleted files, submodules (gitlinks) and symbolic links are not scanned.
//! Binary blobs (a NUL in the first 8 KiB) and blobs larger than the
//! scanner's size cap are skipped by [`scan_staged_files`], as in a tree scan.

use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::error::{Error, Result};
use crate::finding::Finding;
use crate::scanner::{is_binary, FileScan, Scanner, Skip};

/// A file as it is staged in the index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StagedFile {
    /// Path relative to the repository root.
    pub path: PathBuf,
    /// The staged blob's content (not the working-tree file).
    pub content: Vec<u8>,
}

/// One staged change: its repository-relative path and the blob id in the index.
#[derive(Clone, Debug)]
struct StagedEntry {
    path: PathBuf,
    blob: String,
}

/// Returns the top-level directory of the git work tree containing `dir`.
///
/// # Errors
/// Fails when `git` cannot be run or `dir` is not inside a work tree.
pub fn repo_root(dir: &Path) -> Result<PathBuf> {
    let out = git(dir, &["rev-parse", "--show-toplevel"], None)?;
    let text = String::from_utf8_lossy(&out);
    let top = text.trim_end_matches(['\n', '\r']);
    if top.is_empty() {
        return Err(Error::git(format!(
            "{} is not inside a git work tree",
            dir.display()
        )));
    }
    Ok(PathBuf::from(top))
}

/// Reads every staged file (added, copied, modified or renamed relative to
/// `HEAD`, or every file in the index before the first commit) from the
/// index.
///
/// Contents are held in memory; prefer [`scan_staged`] to scan, which skips
/// oversized blobs without keeping them.
///
/// # Errors
/// Fails when `git` cannot be run or `repo` is not a repository.
pub fn staged_files(repo: &Path) -> Result<Vec<StagedFile>> {
    let entries = staged_entries(repo)?;
    let mut files = Vec::with_capacity(entries.len());
    read_blobs(repo, &entries, u64::MAX, |entry, blob| {
        if let Blob::Content(content) = blob {
            files.push(StagedFile {
                path: entry.path.clone(),
                content,
            });
        }
    })?;
    Ok(files)
}

/// Reads the staged content of one file (`git cat-file blob :<path>`),
/// e.g. to show context for a finding reported by [`scan_staged`].
///
/// # Errors
/// Fails when `git` cannot be run or the path is not in the index.
pub fn staged_blob(repo: &Path, path: &Path) -> Result<Vec<u8>> {
    let spec = format!(":{}", path.to_string_lossy().replace('\\', "/"));
    git(repo, &["cat-file", "blob", &spec], None)
}

/// Reads the working-tree content of every tracked file that differs from
/// the index (what `git commit -a` would add on top of the staged files).
/// Files deleted from the working tree are left out.
///
/// # Errors
/// Fails when `git` cannot be run; a file that vanished while being read is
/// left out.
pub fn tracked_modified_files(repo: &Path) -> Result<Vec<StagedFile>> {
    let out = git(
        repo,
        &[
            "diff",
            "--name-only",
            "-z",
            "--no-renames",
            "--diff-filter=ACMRT",
        ],
        None,
    )?;
    let mut files = Vec::new();
    for raw in out.split(|&b| b == 0).filter(|p| !p.is_empty()) {
        let rel = bytes_to_path(raw);
        let full = repo.join(&rel);
        let Ok(md) = std::fs::symlink_metadata(&full) else {
            continue;
        };
        if !md.is_file() {
            continue;
        }
        match std::fs::read(&full) {
            Ok(content) => files.push(StagedFile { path: rel, content }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(Some(&full), e)),
        }
    }
    Ok(files)
}

/// Scans every staged file's blob and returns the findings, with
/// repository-relative paths, in path order.
///
/// # Errors
/// Fails when `git` cannot be run or `repo` is not a repository.
pub fn scan_staged(scanner: &Scanner, repo: &Path) -> Result<Vec<Finding>> {
    let mut findings = Vec::new();
    for (_, scan) in scan_staged_files(scanner, repo)? {
        if let FileScan::Scanned { findings: f, .. } = scan {
            findings.extend(f);
        }
    }
    Ok(findings)
}

/// Scans every staged file's blob and returns one result per file (scanned,
/// or skipped as binary, too large or allowlisted), in path order. Blobs
/// larger than the scanner's size cap are never read into memory.
///
/// # Errors
/// Fails when `git` cannot be run or `repo` is not a repository.
pub fn scan_staged_files(scanner: &Scanner, repo: &Path) -> Result<Vec<(PathBuf, FileScan)>> {
    let entries = staged_entries(repo)?;
    let ignore = crate::RootIgnore::load(repo)?;
    let mut results = Vec::with_capacity(entries.len());
    let mut wanted = Vec::with_capacity(entries.len());
    for e in entries {
        if ignore.as_ref().is_some_and(|i| i.is_ignored(&e.path)) {
            results.push((e.path, FileScan::Skipped(Skip::Ignored)));
        } else if scanner.is_path_allowlisted(&e.path) {
            results.push((e.path, FileScan::Skipped(Skip::Allowlisted)));
        } else {
            wanted.push(e);
        }
    }
    read_blobs(repo, &wanted, scanner.max_file_size(), |entry, blob| {
        let scan = match blob {
            Blob::TooLarge => FileScan::Skipped(Skip::TooLarge),
            Blob::Content(bytes) if is_binary(&bytes) => FileScan::Skipped(Skip::Binary),
            Blob::Content(bytes) => FileScan::Scanned {
                findings: scanner.scan_bytes_at(&bytes, &entry.path),
                bytes: bytes.len() as u64,
            },
        };
        results.push((entry.path.clone(), scan));
    })?;
    results.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(results)
}

/// Lists staged changes with their blob ids.
fn staged_entries(repo: &Path) -> Result<Vec<StagedEntry>> {
    // Before the first commit there is no HEAD; compare with the empty tree.
    let has_head = git(repo, &["rev-parse", "--verify", "--quiet", "HEAD"], None).is_ok();
    let mut args = vec![
        "diff-index",
        "--cached",
        "--raw",
        "-z",
        "--no-abbrev",
        "--no-renames",
        "--diff-filter=ACMRT",
    ];
    // The well-known id of git's empty tree (SHA-1 repositories).
    const EMPTY_TREE_SHA1: &str = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
    let empty_tree;
    if has_head {
        args.push("HEAD");
    } else {
        empty_tree = empty_tree_id(repo).unwrap_or_else(|_| EMPTY_TREE_SHA1.to_string());
        args.push(&empty_tree);
    }
    let out = git(repo, &args, None)?;
    parse_raw_diff(&out)
}

/// The id of the empty tree in this repository's hash algorithm.
fn empty_tree_id(repo: &Path) -> Result<String> {
    let out = git(repo, &["hash-object", "-t", "tree", "--stdin"], Some(b""))?;
    Ok(String::from_utf8_lossy(&out).trim().to_string())
}

/// Parses `git diff --raw -z --no-renames` output:
/// `:<old mode> <new mode> <old id> <new id> <status>\0<path>\0`.
fn parse_raw_diff(out: &[u8]) -> Result<Vec<StagedEntry>> {
    let mut entries = Vec::new();
    let mut fields = out.split(|&b| b == 0);
    while let Some(meta) = fields.next() {
        if meta.is_empty() {
            continue;
        }
        let Some(path) = fields.next() else {
            return Err(Error::git("unexpected end of `git diff-index` output"));
        };
        let meta = String::from_utf8_lossy(meta);
        let parts: Vec<&str> = meta.trim_start_matches(':').split(' ').collect();
        let (Some(new_mode), Some(new_id)) = (parts.get(1), parts.get(3)) else {
            return Err(Error::git("unexpected `git diff-index` output"));
        };
        // Regular files only: 100644/100755. Not symlinks (120000) or gitlinks (160000).
        if !new_mode.starts_with("100") {
            continue;
        }
        entries.push(StagedEntry {
            path: bytes_to_path(path),
            blob: (*new_id).to_string(),
        });
    }
    Ok(entries)
}

/// A blob read by [`read_blobs`].
enum Blob {
    /// The blob's bytes.
    Content(Vec<u8>),
    /// Larger than the cap; not kept.
    TooLarge,
}

/// Streams `entries`' blobs through one `git cat-file --batch` process and
/// calls `each` for every blob in order. Blobs over `max` bytes are drained
/// without being kept.
fn read_blobs<F>(repo: &Path, entries: &[StagedEntry], max: u64, mut each: F) -> Result<()>
where
    F: FnMut(&StagedEntry, Blob),
{
    if entries.is_empty() {
        return Ok(());
    }
    let mut child = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error::git(format!("failed to run git: {e}")))?;
    let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        return Err(Error::git("failed to open pipes to `git cat-file`"));
    };
    let mut request = String::new();
    for e in entries {
        request.push_str(&e.blob);
        request.push('\n');
    }
    let result = std::thread::scope(|s| -> Result<()> {
        // Write the requests from another thread so a full stdout pipe cannot
        // deadlock us.
        let writer = s.spawn(move || {
            let _ = stdin.write_all(request.as_bytes());
            // Dropping stdin closes it and lets cat-file exit.
        });
        let mut reader = BufReader::with_capacity(64 << 10, stdout);
        let mut header = Vec::new();
        for entry in entries {
            header.clear();
            reader
                .read_until(b'\n', &mut header)
                .map_err(|e| Error::git(format!("failed to read from `git cat-file`: {e}")))?;
            let text = String::from_utf8_lossy(&header);
            let parts: Vec<&str> = text.trim_end().split(' ').collect();
            if parts.get(1) == Some(&"missing") || parts.len() != 3 {
                return Err(Error::git(format!(
                    "cannot read staged blob for {}",
                    entry.path.display()
                )));
            }
            let size: u64 = parts[2]
                .parse()
                .map_err(|_| Error::git("unexpected `git cat-file` header"))?;
            let blob = if size > max {
                std::io::copy(&mut (&mut reader).take(size), &mut std::io::sink())
                    .map_err(|e| Error::git(format!("failed to read staged blob: {e}")))?;
                Blob::TooLarge
            } else {
                let mut buf = Vec::with_capacity(size as usize);
                (&mut reader)
                    .take(size)
                    .read_to_end(&mut buf)
                    .map_err(|e| Error::git(format!("failed to read staged blob: {e}")))?;
                if (buf.len() as u64) != size {
                    return Err(Error::git("truncated output from `git cat-file`"));
                }
                Blob::Content(buf)
            };
            // Each blob is followed by a newline.
            let mut nl = [0u8; 1];
            reader
                .read_exact(&mut nl)
                .map_err(|e| Error::git(format!("failed to read from `git cat-file`: {e}")))?;
            each(entry, blob);
        }
        let _ = writer.join();
        Ok(())
    });
    let status = child.wait();
    result?;
    match status {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(Error::git(format!("`git cat-file` failed ({s})"))),
        Err(e) => Err(Error::git(format!("failed to wait for git: {e}"))),
    }
}

/// Runs `git -C dir args…`, feeding `input` on stdin, and returns stdout.
fn git(dir: &Path, args: &[&str], input: Option<&[u8]>) -> Result<Vec<u8>> {
    let mut cmd = Command::new("git");
    cmd.arg("-C").arg(dir).args(args);
    cmd.stdin(if input.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .map_err(|e| Error::git(format!("failed to run git: {e}")))?;
    if let (Some(mut stdin), Some(data)) = (child.stdin.take(), input) {
        let _ = stdin.write_all(data);
    }
    let out = child
        .wait_with_output()
        .map_err(|e| Error::git(format!("failed to run git: {e}")))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let first = err.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        let first = first.trim().trim_start_matches("fatal: ");
        let sub = args.first().copied().unwrap_or("");
        return Err(if first.is_empty() {
            Error::git(format!("`git {sub}` failed ({})", out.status))
        } else {
            Error::git(format!("`git {sub}` failed: {first}"))
        });
    }
    Ok(out.stdout)
}

#[cfg(unix)]
fn bytes_to_path(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(OsString::from_vec(bytes.to_vec()))
}

#[cfg(not(unix))]
fn bytes_to_path(bytes: &[u8]) -> PathBuf {
    PathBuf::from(OsString::from(String::from_utf8_lossy(bytes).into_owned()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn run(dir: &Path, args: &[&str]) {
        let st = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(["-c", "user.name=t", "-c", "user.email=t@t.invalid"])
            .args([
                "-c",
                "commit.gpgsign=false",
                "-c",
                "core.hooksPath=/dev/null",
            ])
            .args(args)
            .output()
            .unwrap();
        assert!(st.status.success(), "git {args:?}: {:?}", st);
    }

    fn token() -> String {
        ["ghp_", "A1b2C3d4E5f6", "G7h8I9j0K1l2", "M3n4O5p6Q7r8"].concat()
    }

    fn repo() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        run(dir.path(), &["init", "-q", "-b", "main"]);
        dir
    }

    #[test]
    fn parses_raw_diff_and_skips_links() {
        let out = b":000000 100644 0000 aaaa A\0src/a.rs\0:000000 120000 0000 bbbb A\0link\0:100644 100755 cccc dddd M\0x y\0";
        let e = parse_raw_diff(out).unwrap();
        let got: Vec<_> = e.iter().map(|e| (e.path.clone(), e.blob.clone())).collect();
        assert_eq!(
            got,
            vec![
                (PathBuf::from("src/a.rs"), "aaaa".to_string()),
                (PathBuf::from("x y"), "dddd".to_string())
            ]
        );
        assert!(parse_raw_diff(b":000000 100644 0000 aaaa A").is_err());
    }

    #[test]
    fn staged_secret_with_unstaged_fix_is_found() {
        let dir = repo();
        let p = dir.path();
        std::fs::write(p.join("clean.txt"), "nothing here\n").unwrap();
        run(p, &["add", "clean.txt"]);
        run(p, &["commit", "-q", "-m", "init"]);
        std::fs::create_dir(p.join("src")).unwrap();
        std::fs::write(p.join("src/conf.py"), format!("TOKEN = \"{}\"\n", token())).unwrap();
        run(p, &["add", "src/conf.py"]);
        // "Fix" it only in the working tree.
        std::fs::write(p.join("src/conf.py"), "TOKEN = os.environ['TOKEN']\n").unwrap();
        let files = staged_files(p).unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].path, PathBuf::from("src/conf.py"));
        let findings = scan_staged(&Scanner::new(), p).unwrap();
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].rule_id(), "github-pat");
        assert_eq!(findings[0].path(), Some(Path::new("src/conf.py")));
        // The working-tree change is what `commit -a` would add.
        let blob = staged_blob(p, Path::new("src/conf.py")).unwrap();
        assert!(String::from_utf8_lossy(&blob).contains(&token()));
        assert!(staged_blob(p, Path::new("nope.txt")).is_err());
        let wt = tracked_modified_files(p).unwrap();
        assert_eq!(wt.len(), 1);
        assert!(!String::from_utf8_lossy(&wt[0].content).contains("ghp_"));
    }

    #[test]
    fn works_before_the_first_commit_and_skips_binary_and_large() {
        let dir = repo();
        let p = dir.path();
        std::fs::write(p.join("a.env"), format!("T={}\n", token())).unwrap();
        let mut bin = format!("T={}\n", token()).into_bytes();
        bin.insert(0, 0);
        std::fs::write(p.join("b.bin"), bin).unwrap();
        std::fs::write(
            p.join("c.txt"),
            format!("{}\nT={}\n", "x".repeat(200), token()),
        )
        .unwrap();
        run(p, &["add", "."]);
        let scanner = Scanner::builder().max_file_size(100).build().unwrap();
        let res = scan_staged_files(&scanner, p).unwrap();
        let kinds: Vec<_> = res
            .iter()
            .map(|(path, s)| match s {
                FileScan::Scanned { findings, .. } => {
                    format!("{}:{}", path.display(), findings.len())
                }
                FileScan::Skipped(k) => format!("{}:{k:?}", path.display()),
            })
            .collect();
        assert_eq!(kinds, vec!["a.env:1", "b.bin:Binary", "c.txt:TooLarge"]);
    }

    #[test]
    fn deleted_files_are_ignored_and_non_repo_errors() {
        let dir = repo();
        let p = dir.path();
        std::fs::write(p.join("a.txt"), "a\n").unwrap();
        run(p, &["add", "a.txt"]);
        run(p, &["commit", "-q", "-m", "init"]);
        run(p, &["rm", "-q", "a.txt"]);
        assert!(staged_files(p).unwrap().is_empty());
        let root = repo_root(p).unwrap();
        assert_eq!(root.canonicalize().unwrap(), p.canonicalize().unwrap());
        let plain = tempfile::tempdir().unwrap();
        let err = scan_staged(&Scanner::new(), plain.path()).unwrap_err();
        assert!(err.to_string().starts_with("git: "), "{err}");
    }
}
