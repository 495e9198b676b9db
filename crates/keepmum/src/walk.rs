//! Parallel directory walking: which files a tree scan reads, and how.
//!
//! **Invariant:** together with `Scanner::scan_file`, this is the only code in
//! the library that touches the filesystem for tree scans.
//!
//! The walk honours `.gitignore`, `.ignore` and `.keepmumignore` (same
//! syntax) unless told not to, includes hidden files (`.env` is where secrets
//! live) but never descends into `.git`, and does not follow symbolic links
//! by default.

use std::fs::File;
use std::path::{Path, PathBuf};

use ignore::{WalkBuilder, WalkState};

use crate::error::Error;
use crate::scanner::{FileScan, Scanner};

/// The ignore file keepmum reads in every directory (gitignore syntax).
pub const IGNORE_FILE: &str = ".keepmumignore";

/// The `.keepmumignore` at a repository's root, for inputs that do not come
/// from a directory walk (staged blobs, history, pre-commit file lists), so
/// that `scan .`, `scan --staged`, `scan --git` and the pre-commit hook skip
/// the same files. Only the root file is read (the walk also reads nested
/// ones).
#[derive(Debug)]
pub struct RootIgnore {
    rules: ignore::gitignore::Gitignore,
}

impl RootIgnore {
    /// Reads `root/.keepmumignore`; `None` when there is none.
    ///
    /// # Errors
    /// The file exists but cannot be read or holds an invalid pattern.
    pub fn load(root: &Path) -> crate::Result<Option<RootIgnore>> {
        let path = root.join(IGNORE_FILE);
        if !path.is_file() {
            return Ok(None);
        }
        let mut b = ignore::gitignore::GitignoreBuilder::new(root);
        if let Some(e) = b.add(&path) {
            return Err(Error::config(Some(&path), e.to_string()));
        }
        let rules = b
            .build()
            .map_err(|e| Error::config(Some(&path), e.to_string()))?;
        Ok(Some(RootIgnore { rules }))
    }

    /// True when `rel` (relative to the root, `/` or `\` separators, an
    /// optional leading `./`) or one of its parent directories is ignored.
    pub fn is_ignored(&self, rel: &Path) -> bool {
        let p = crate::allow::path_for_regexes(rel);
        if p.is_empty() {
            return false;
        }
        self.rules
            .matched_path_or_any_parents(Path::new(&p), false)
            .is_ignore()
    }
}

/// Memory-maps `file` read-only.
///
/// Returns `None` when mapping fails (the caller then reads the file).
/// Mapping is unsafe because another process may truncate the file while it
/// is mapped (SIGBUS); like ripgrep, we accept that risk for large files in a
/// scan, which are read once and dropped.
#[allow(unsafe_code)]
pub(crate) fn map_file(file: &File) -> Option<memmap2::Mmap> {
    // SAFETY: the map is read-only and lives only while one file is scanned.
    // A concurrent truncation may raise SIGBUS; see the function docs.
    unsafe { memmap2::Mmap::map(file) }.ok()
}

/// One event of a tree scan.
#[derive(Debug)]
#[non_exhaustive]
pub enum WalkEvent {
    /// A file was scanned or skipped.
    File {
        /// The file's path (as reached from the root given).
        path: PathBuf,
        /// What happened.
        scan: FileScan,
    },
    /// A file or directory could not be read. The walk goes on.
    Error {
        /// The path involved, when known.
        path: Option<PathBuf>,
        /// What went wrong.
        error: Error,
    },
}

/// Walks directory trees and scans every file in parallel.
///
/// ```no_run
/// use keepmum::{Scanner, Walker, WalkEvent, FileScan};
/// let scanner = Scanner::new();
/// let mut walker = Walker::new();
/// walker.threads(2);
/// walker.run(&["."], &scanner, |event| {
///     if let WalkEvent::File { path, scan: FileScan::Scanned { findings, .. } } = event {
///         for f in findings {
///             println!("{}:{} {}", path.display(), f.line(), f.rule_id());
///         }
///     }
/// });
/// ```
#[derive(Clone, Debug)]
pub struct Walker {
    threads: usize,
    ignore_files: bool,
    follow_links: bool,
    hidden: bool,
    config_files: bool,
}

impl Default for Walker {
    fn default() -> Self {
        Walker::new()
    }
}

impl Walker {
    /// A walker with the defaults: all cores, ignore files honoured, hidden
    /// files included, symbolic links not followed.
    pub fn new() -> Walker {
        Walker {
            threads: 0,
            ignore_files: true,
            follow_links: false,
            hidden: true,
            config_files: false,
        }
    }

    /// Number of threads; 0 (the default) means one per core.
    pub fn threads(&mut self, n: usize) -> &mut Walker {
        self.threads = n;
        self
    }

    /// Whether `.gitignore`, `.ignore` and `.keepmumignore` are honoured.
    /// The default is `true`.
    pub fn ignore_files(&mut self, yes: bool) -> &mut Walker {
        self.ignore_files = yes;
        self
    }

    /// Whether symbolic links are followed. The default is `false`.
    pub fn follow_links(&mut self, yes: bool) -> &mut Walker {
        self.follow_links = yes;
        self
    }

    /// Whether hidden files and directories are scanned. The default is `true`.
    pub fn hidden(&mut self, yes: bool) -> &mut Walker {
        self.hidden = yes;
        self
    }

    /// Whether a root directory's own `.keepmum.toml` applies to the files
    /// under it, as `keepmum scan DIR` applies it. The default is `false`:
    /// the scanner given is used as it is. When on, the file's settings,
    /// rules and allowlist are applied on top of the configuration the
    /// scanner was built with; an invalid file is reported as a
    /// [`WalkEvent::Error`] naming it, and that root is not scanned.
    ///
    /// ```
    /// use keepmum::{FileScan, Scanner, WalkEvent, Walker};
    /// let dir = tempfile::tempdir()?;
    /// std::fs::write(dir.path().join(".keepmum.toml"), "[allowlist]\nstopwords = [\"fixture\"]\n")?;
    /// std::fs::write(dir.path().join("a.env"), format!("TOKEN=ghp_fixture{}\n", "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O"))?;
    /// let count = |walker: &Walker| {
    ///     walker.iter(&[dir.path()], &Scanner::new())
    ///         .filter_map(|e| match e {
    ///             WalkEvent::File { scan: FileScan::Scanned { findings, .. }, .. } => Some(findings.len()),
    ///             _ => None,
    ///         })
    ///         .sum::<usize>()
    /// };
    /// assert_eq!(count(&Walker::new()), 1);
    /// assert_eq!(count(Walker::new().config_files(true)), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn config_files(&mut self, yes: bool) -> &mut Walker {
        self.config_files = yes;
        self
    }

    /// Walks `roots` and calls `sink` for every file from the worker threads.
    /// A root that is a file is scanned directly (ignore files do not apply).
    /// To handle events on the calling thread with a `FnMut` (or to stop
    /// early), use [`Walker::iter`].
    pub fn run<P, F>(&self, roots: &[P], scanner: &Scanner, sink: F)
    where
        P: AsRef<Path>,
        F: Fn(WalkEvent) + Sync,
    {
        self.walk_roots(roots, scanner, &|event| {
            sink(event);
            true
        });
    }

    /// Walks `roots` on background threads and returns the events as an
    /// iterator on the calling thread, so the consumer can be a `FnMut`
    /// (collect into a `Vec`, update counters, write a report) without
    /// locks. Files are still scanned in parallel; at most 256 events wait
    /// in the queue (a slow consumer slows the walk, memory stays bounded).
    /// Dropping the iterator stops the walk and waits for its threads.
    ///
    /// ```
    /// use keepmum::{FileScan, Scanner, WalkEvent, Walker};
    /// let dir = tempfile::tempdir()?;
    /// let token = format!("ghp_{}", "A1b2C3d4E5f6".repeat(3)); // synthetic
    /// std::fs::write(dir.path().join("a.py"), format!("t = '{token}'\n"))?;
    /// std::fs::write(dir.path().join("b.txt"), "nothing\n")?;
    /// let mut files = 0;
    /// let mut found = Vec::new();
    /// for event in Walker::new().iter(&[dir.path()], &Scanner::new()) {
    ///     if let WalkEvent::File { path, scan: FileScan::Scanned { findings, .. } } = event {
    ///         files += 1;
    ///         found.extend(findings.into_iter().map(|f| (path.clone(), f.rule_id().to_string())));
    ///     }
    /// }
    /// assert_eq!(files, 2);
    /// assert_eq!(found, [(dir.path().join("a.py"), "github-pat".to_string())]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn iter<P: AsRef<Path>>(&self, roots: &[P], scanner: &Scanner) -> WalkIter {
        let (tx, rx) = std::sync::mpsc::sync_channel(WALK_QUEUE);
        let walker = self.clone();
        let scanner = scanner.clone();
        let roots: Vec<PathBuf> = roots.iter().map(|r| r.as_ref().to_path_buf()).collect();
        let thread = std::thread::spawn(move || {
            walker.walk_roots(&roots, &scanner, &|event| tx.send(event).is_ok());
        });
        WalkIter {
            events: Some(rx),
            thread: Some(thread),
        }
    }

    /// Walks every root, each with the scanner its configuration asks for.
    fn walk_roots<P: AsRef<Path>>(&self, roots: &[P], scanner: &Scanner, sink: Sink<'_>) {
        if !self.config_files {
            return self.walk(roots, scanner, sink);
        }
        let mut plain = Vec::new();
        for root in roots {
            let root = root.as_ref();
            if !root.is_dir() {
                plain.push(root);
                continue;
            }
            match scanner.with_config_of(root) {
                Ok(Some(configured)) => self.walk(&[root], &configured, sink),
                Ok(None) => plain.push(root),
                Err(error) => {
                    let keep_going = sink(WalkEvent::Error {
                        path: Some(root.join(crate::config::CONFIG_FILE)),
                        error,
                    });
                    if !keep_going {
                        return;
                    }
                }
            }
        }
        self.walk(&plain, scanner, sink);
    }

    /// One parallel walk over `roots`; stops when `sink` returns `false`.
    fn walk<P: AsRef<Path>>(&self, roots: &[P], scanner: &Scanner, sink: Sink<'_>) {
        let Some((first, rest)) = roots.split_first() else {
            return;
        };
        let mut b = WalkBuilder::new(first.as_ref());
        for r in rest {
            b.add(r.as_ref());
        }
        let ig = self.ignore_files;
        b.hidden(!self.hidden)
            .follow_links(self.follow_links)
            .git_ignore(ig)
            .git_global(ig)
            .git_exclude(ig)
            .ignore(ig)
            .parents(ig)
            .require_git(false)
            .threads(self.threads)
            .filter_entry(|e| e.file_name() != ".git");
        if ig {
            b.add_custom_ignore_filename(IGNORE_FILE);
        }
        let max = scanner.max_file_size();
        b.build_parallel().run(|| {
            Box::new(move |entry| {
                let entry = match entry {
                    Ok(e) => e,
                    Err(err) => {
                        let path = ignore_error_path(&err);
                        return state(sink(WalkEvent::Error {
                            error: Error::io(
                                path.as_deref(),
                                std::io::Error::other(err.to_string()),
                            ),
                            path,
                        }));
                    }
                };
                let is_file = entry.file_type().is_some_and(|t| t.is_file());
                if !is_file {
                    return WalkState::Continue;
                }
                let path = entry.path();
                // Cheap size check before opening.
                if let Ok(md) = entry.metadata() {
                    if md.len() > max {
                        return state(sink(WalkEvent::File {
                            path: path.to_path_buf(),
                            scan: FileScan::Skipped(crate::scanner::Skip::TooLarge),
                        }));
                    }
                }
                state(match scanner.scan_file(path) {
                    Ok(scan) => sink(WalkEvent::File {
                        path: path.to_path_buf(),
                        scan,
                    }),
                    Err(error) => sink(WalkEvent::Error {
                        path: Some(path.to_path_buf()),
                        error,
                    }),
                })
            })
        });
    }
}

/// Where a walk sends its events; `false` back means stop.
type Sink<'a> = &'a (dyn Fn(WalkEvent) -> bool + Sync);

/// Most events [`Walker::iter`] queues before the walk waits.
const WALK_QUEUE: usize = 256;

fn state(keep_going: bool) -> WalkState {
    if keep_going {
        WalkState::Continue
    } else {
        WalkState::Quit
    }
}

/// The events of a walk, in the order files finish (see [`Walker::iter`]).
#[derive(Debug)]
pub struct WalkIter {
    events: Option<std::sync::mpsc::Receiver<WalkEvent>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Iterator for WalkIter {
    type Item = WalkEvent;

    fn next(&mut self) -> Option<WalkEvent> {
        self.events.as_ref()?.recv().ok()
    }
}

impl Drop for WalkIter {
    fn drop(&mut self) {
        // Closing the queue makes every later send fail, which stops the walk.
        drop(self.events.take());
        if let Some(t) = self.thread.take() {
            // A panic in the walk thread is not ours to re-raise in a drop.
            let _ = t.join();
        }
    }
}

fn ignore_error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            ignore_error_path(err)
        }
        ignore::Error::Partial(errs) => errs.first().and_then(ignore_error_path),
        _ => None,
    }
}
