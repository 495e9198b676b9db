//! Crash-safe file replacement.
//!
//! [`write_atomic`] replaces a file so that, whatever happens (crash, power
//! loss, `SIGKILL`), the path afterwards holds either the complete old content
//! or the complete new content, never a mix or a truncated file. It writes a
//! temporary file in the same directory, flushes it to disk, renames it over
//! the target (an atomic operation on POSIX file systems) and flushes the
//! directory entry. Baselines and hook configuration are written with it.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::{Error, Result};

/// Distinguishes temporary files created by the same process.
static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Atomically replaces (or creates) `path` with `bytes`.
///
/// The file is written to a temporary sibling (`.<name>.<pid>.<n>.tmp`),
/// `fsync`ed, renamed over `path`, and the directory is `fsync`ed so the
/// rename itself is durable. When `path` already exists its permission bits
/// are kept. If `path` is a symbolic link, the link's target is replaced and
/// the link is kept. On error the temporary file is removed and `path` is left
/// untouched.
///
/// # Errors
///
/// Returns an I/O error naming `path` when the directory is not writable, the
/// disk is full, or any step fails.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let target = resolve_target(path);
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| {
            Error::io(
                Some(path),
                io::Error::new(io::ErrorKind::InvalidInput, "path has no file name"),
            )
        })?;
    let existing_perms = fs::metadata(&target).ok().map(|m| m.permissions());

    let (tmp_path, file) = create_temp(&dir, &name).map_err(|e| Error::io(Some(path), e))?;
    let result = fill_and_rename(file, &tmp_path, &target, &dir, bytes, existing_perms);
    if result.is_err() {
        // Best effort: the temporary file is garbage now.
        let _ = fs::remove_file(&tmp_path);
    }
    result.map_err(|e| Error::io(Some(path), e))
}

/// Follows a symbolic link at `path` (one level at a time, bounded) so the
/// link survives the replacement.
fn resolve_target(path: &Path) -> PathBuf {
    let mut current = path.to_path_buf();
    for _ in 0..16 {
        match fs::symlink_metadata(&current) {
            Ok(m) if m.file_type().is_symlink() => match fs::read_link(&current) {
                Ok(dest) => {
                    current = if dest.is_absolute() {
                        dest
                    } else {
                        match current.parent() {
                            Some(p) => p.join(dest),
                            None => dest,
                        }
                    };
                }
                Err(_) => return current,
            },
            _ => return current,
        }
    }
    current
}

/// Creates a fresh temporary file next to the target.
fn create_temp(dir: &Path, name: &str) -> io::Result<(PathBuf, File)> {
    let pid = std::process::id();
    let mut last_err = None;
    for _ in 0..64 {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.{pid}.{n}.tmp"));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last_err = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last_err.unwrap_or_else(|| io::Error::other("could not create a temporary file")))
}

/// Writes, syncs and renames the temporary file, then syncs the directory.
fn fill_and_rename(
    mut file: File,
    tmp: &Path,
    target: &Path,
    dir: &Path,
    bytes: &[u8],
    perms: Option<fs::Permissions>,
) -> io::Result<()> {
    file.write_all(bytes)?;
    if let Some(p) = perms {
        file.set_permissions(p)?;
    }
    file.sync_all()?;
    drop(file);
    fs::rename(tmp, target)?;
    sync_dir(dir);
    Ok(())
}

/// Flushes a directory entry to disk. Not every platform or file system
/// allows opening a directory for this, so failures are ignored: the rename
/// has already happened and is atomic either way.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn creates_and_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.json");
        write_atomic(&p, b"one").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"one");
        write_atomic(&p, b"two-longer").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two-longer");
        write_atomic(&p, b"3").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"3");
        // No temporary files left behind.
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[cfg(unix)]
    #[test]
    fn keeps_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("hook");
        fs::write(&p, b"old").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o751)).unwrap();
        write_atomic(&p, b"new").unwrap();
        let mode = fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o751);
        assert_eq!(fs::read(&p).unwrap(), b"new");
    }

    #[cfg(unix)]
    #[test]
    fn keeps_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        let link = dir.path().join("link");
        fs::write(&real, b"old").unwrap();
        std::os::unix::fs::symlink("real", &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read(&real).unwrap(), b"new");
    }

    #[test]
    fn missing_directory_is_an_error_naming_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("nope").join("x");
        let err = write_atomic(&p, b"x").unwrap_err();
        assert!(err.is_io());
        assert_eq!(err.path(), Some(p.as_path()));
    }
}
