//! Git history scanning for keepmum.
//!
//! A secret deleted in a later commit is still leaked. [`scan_history`] reads
//! the object database directly with `gix` (no `git log -p`), visits the trees
//! of every selected commit from oldest to newest, and records each blob the
//! first time it appears, with that commit and path. Each unique blob is then
//! scanned exactly once, in parallel, and every finding carries the commit
//! that introduced it ([`keepmum::Finding::commit`]).
//!
//! Trees already visited are skipped, so a history costs roughly one visit
//! per unique tree plus one scan per unique blob. Memory holds the set of
//! tree and blob ids, one path per blob, and the findings; blob contents are
//! read one at a time per thread.
//!
//! Missing or corrupt objects (partial clones, pruned blobs) become warnings
//! with their ids and the scan goes on; only an unreadable repository or an
//! unknown revision is an error.
//!
//! ```no_run
//! use keepmum::Scanner;
//! use keepmum_git::{scan_history, HistoryOptions, Progress};
//!
//! let scanner = Scanner::new();
//! let opts = HistoryOptions::new(".");
//! let report = scan_history(&scanner, &opts, &Progress::default())?;
//! for f in &report.findings {
//!     let c = f.commit().expect("history findings carry a commit");
//!     println!("{} {}:{} {}", &c.sha()[..8], f.path().unwrap().display(), f.line(), f.rule_id());
//! }
//! # Ok::<(), keepmum_git::Error>(())
//! ```
#![deny(missing_docs)]

mod packs;
mod prepush;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use gix::ObjectId;
use keepmum::fleet::Shard;
use keepmum::{CommitInfo, Finding, Scanner};
use rayon::prelude::*;

pub use prepush::{parse_pre_push, pre_push_selections, PushUpdate};

/// What went wrong with a history scan.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The repository could not be opened.
    #[error("cannot open git repository {path}: {message}")]
    Open {
        /// The path given.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// A revision (branch, commit, range end) could not be resolved.
    #[error("unknown revision {rev:?}: {message}")]
    Revision {
        /// The revision as given.
        rev: String,
        /// Why.
        message: String,
    },
    /// The references or the commit graph could not be read.
    #[error("cannot read the commit graph: {0}")]
    Walk(String),
}

/// Which commits to scan.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Selection {
    /// Every commit reachable from any reference (the default).
    #[default]
    All,
    /// Commits reachable from one branch or revision.
    Branch(String),
    /// Commits reachable from any reference but not from this revision.
    Since(String),
    /// `A..B`: commits reachable from `B` but not from `A`.
    Range {
        /// Excluded side (`A`).
        from: String,
        /// Included side (`B`).
        to: String,
    },
    /// Explicit tips and exclusions (used by the pre-push mode).
    Commits {
        /// Revisions whose history is scanned.
        tips: Vec<String>,
        /// Revisions whose history is excluded.
        hidden: Vec<String>,
    },
}

/// Options for [`scan_history`].
#[derive(Clone, Debug)]
pub struct HistoryOptions {
    repo: PathBuf,
    selection: Selection,
    max_blob_size: u64,
    shard: Shard,
    delta: bool,
}

impl HistoryOptions {
    /// Scan the repository at (or above) `repo`, every commit of every ref,
    /// blobs up to 50 MiB.
    pub fn new(repo: impl Into<PathBuf>) -> HistoryOptions {
        HistoryOptions {
            repo: repo.into(),
            selection: Selection::All,
            max_blob_size: keepmum::DEFAULT_MAX_FILE_SIZE,
            shard: Shard::default(),
            delta: true,
        }
    }

    /// Scan only the blobs of this shard (a stable hash of the blob id; see
    /// [`Shard::owns_key`]). Every shard still walks the whole selected
    /// history, so each blob keeps the commit and path that introduced it,
    /// and `n` shards together scan every blob exactly once. Findings of
    /// all shards merged with [`keepmum::fleet::Merge`] equal a single
    /// run's. The default, `0/1`, scans every blob.
    pub fn shard(&mut self, shard: Shard) -> &mut HistoryOptions {
        self.shard = shard;
        self
    }

    /// Whether a blob stored in a pack as a delta over a blob scanned at the
    /// same path is scanned only where the two differ: the findings are the
    /// same as with every blob scanned in full (see
    /// [`keepmum::DeltaScanner`]), in less time (terraform's history: about
    /// 40% less CPU). On by default; off, every blob is read through the
    /// object database and scanned in full.
    pub fn delta(&mut self, yes: bool) -> &mut HistoryOptions {
        self.delta = yes;
        self
    }

    /// Which commits to scan. The default is [`Selection::All`].
    pub fn selection(&mut self, selection: Selection) -> &mut HistoryOptions {
        self.selection = selection;
        self
    }

    /// Blobs larger than this are skipped. The default is 50 MiB.
    pub fn max_blob_size(&mut self, bytes: u64) -> &mut HistoryOptions {
        self.max_blob_size = bytes;
        self
    }
}

/// Live counters a caller may read from another thread to show progress.
#[derive(Debug, Default)]
pub struct Progress {
    /// Commits whose trees have been visited.
    pub commits: AtomicU64,
    /// Unique blobs found so far (final once scanning starts).
    pub blobs_total: AtomicU64,
    /// Blobs scanned.
    pub blobs_done: AtomicU64,
    /// Bytes scanned.
    pub bytes: AtomicU64,
}

/// The result of a history scan.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct HistoryReport {
    /// Findings, ordered by introducing commit (oldest first), then path and
    /// position. Each has a path and a commit; a secret that stays in a file
    /// across later edits is reported once, at the commit that added it.
    pub findings: Vec<Finding>,
    /// Objects that could not be read, and other non-fatal problems.
    pub warnings: Vec<String>,
    /// Commits visited.
    pub commits: u64,
    /// Unique blobs scanned.
    pub blobs: u64,
    /// Bytes scanned.
    pub bytes: u64,
    /// Blobs skipped as binary or oversized.
    pub skipped: u64,
    /// Blobs scanned only where they differ from their delta base.
    pub derived: u64,
}

/// Where a blob first appeared.
struct FirstSeen {
    commit: u32,
    path: String,
}

/// Scans the history selected by `opts` with `scanner`.
///
/// # Errors
/// Only when the repository cannot be opened, a revision cannot be resolved,
/// or the commit graph cannot be walked at all. Unreadable objects are
/// warnings in the report.
pub fn scan_history(
    scanner: &Scanner,
    opts: &HistoryOptions,
    progress: &Progress,
) -> Result<HistoryReport, Error> {
    let mut findings = Vec::new();
    let mut report = scan_history_each(scanner, opts, progress, |found| findings.extend(found))?;
    report.findings = findings;
    Ok(report)
}

/// Blobs scanned together before their findings are handed on: bounds the
/// findings held in memory while keeping every thread busy.
const BLOBS_PER_BATCH: usize = 1024;

/// Like [`scan_history`], but hands findings to `on_findings` as they are
/// found (oldest introducing commit first, in batches of blobs) instead of
/// collecting them: the returned report's `findings` is empty. Memory does
/// not hold the findings, only a 128-bit hash of each distinct
/// (rule, path, secret) to report it once.
///
/// # Errors
/// As [`scan_history`].
pub fn scan_history_each(
    scanner: &Scanner,
    opts: &HistoryOptions,
    progress: &Progress,
    mut on_findings: impl FnMut(Vec<Finding>),
) -> Result<HistoryReport, Error> {
    let repo = gix::discover(&opts.repo).map_err(|e| Error::Open {
        path: opts.repo.clone(),
        message: e.to_string(),
    })?;
    let mut report = HistoryReport::default();
    let (tips, hidden) = resolve_selection(&repo, &opts.selection, &mut report.warnings)?;

    // Every selected commit, oldest first, so a blob's first sighting is its
    // introducing commit.
    let mut commits: Vec<(i64, ObjectId)> = Vec::new();
    if !tips.is_empty() {
        let walk = repo
            .rev_walk(tips)
            .sorting(gix::revision::walk::Sorting::ByCommitTime(
                gix::traverse::commit::simple::CommitTimeOrder::NewestFirst,
            ))
            .with_hidden(hidden.iter().copied())
            .all()
            .map_err(|e| Error::Walk(e.to_string()))?;
        for info in walk {
            match info {
                Ok(info) => commits.push((info.commit_time.unwrap_or(0), info.id)),
                Err(e) => {
                    report.warnings.push(format!("commit graph: {e}"));
                    break;
                }
            }
        }
    }
    commits.reverse(); // the walk is newest first; keep topology for equal times
    commits.sort_by_key(|(t, _)| *t);

    // Paths the work tree's `.keepmumignore` lists are skipped, as `scan .`
    // skips them.
    let ignore = match repo.workdir() {
        Some(dir) => keepmum::RootIgnore::load(dir).map_err(|e| Error::Open {
            path: dir.join(keepmum::IGNORE_FILE),
            message: e.to_string(),
        })?,
        None => None,
    };
    // History before the selection is known and not reported.
    let mut known = Seen::default();
    for id in &hidden {
        if let Some(tree) = commit_tree(&repo, *id, &mut report.warnings) {
            visit_tree(
                &repo,
                tree,
                u32::MAX,
                &mut known,
                &Seen::default(),
                ignore.as_ref(),
                &mut report.warnings,
            );
        }
    }
    let sync = repo.into_sync();
    let repo = sync.to_thread_local();
    let blobs = walk_commits(
        &sync,
        &commits,
        &known,
        ignore.as_ref(),
        progress,
        &mut report.warnings,
    );
    drop(known);
    report.commits = commits.len() as u64;

    let mut work: Vec<(ObjectId, FirstSeen)> = blobs.into_iter().collect();
    work.sort_by(|a, b| (a.1.commit, &a.1.path).cmp(&(b.1.commit, &b.1.path)));
    // Sharding meets the blob reader here: the walk above is the same in
    // every shard, only the blobs scanned differ.
    if !opts.shard.is_whole() {
        work.retain(|(id, _)| opts.shard.owns_key(id.as_bytes()));
    }
    progress
        .blobs_total
        .store(work.len() as u64, Ordering::Relaxed);

    let skipped = AtomicU64::new(0);
    let max = opts.max_blob_size;
    // Packed blobs in delta order, each inflated once (with `delta` on);
    // what is left (loose objects, unreadable pack entries, or everything
    // with `delta` off) through the object database, in batches.
    let mut packed_found: Vec<(usize, Vec<Finding>)> = Vec::new();
    let mut left: Vec<usize> = if opts.delta {
        let delta_scanner = keepmum::DeltaScanner::new(scanner);
        let packed = packs::scan_packs(
            &repo.common_dir().join("objects"),
            repo.object_hash(),
            &work,
            scanner,
            delta_scanner.as_ref(),
            max,
            progress,
            &skipped,
        );
        report.warnings.extend(packed.warnings);
        report.derived = packed.derived;
        packed_found = packed.found;
        packed.left
    } else {
        (0..work.len()).collect()
    };
    left.sort_unstable();
    let warnings = Mutex::new(Vec::new());
    let local = sync.to_thread_local();
    // Commit metadata only for commits that introduced a finding.
    let mut infos: HashMap<u32, Arc<CommitInfo>> = HashMap::new();
    // A secret that stays in a file while other lines change is in many
    // blobs: report it once, at the commit that introduced it. Findings are
    // handed on in `work` order (commit, then path), so the first sighting
    // is the introducing commit.
    let mut reported: HashSet<u128> = HashSet::new();
    let mut emit = |w: usize, mut found: Vec<Finding>| {
        let commit = work[w].1.commit;
        found.retain(|f| reported.insert(finding_key(f)));
        if found.is_empty() {
            return;
        }
        let info = infos
            .entry(commit)
            .or_insert_with(|| {
                let info = commit_info(&local, commits[commit as usize].1);
                Arc::new(info.with_order(u64::from(commit)))
            })
            .clone();
        for f in &mut found {
            f.set_commit(info.clone());
        }
        on_findings(found);
    };
    // Packed findings interleave with the batches by `work` index.
    packed_found.sort_by_key(|(w, _)| *w);
    let mut packed_found = packed_found.into_iter().peekable();
    for batch in left.chunks(BLOBS_PER_BATCH) {
        let mut per_blob: Vec<(usize, Vec<Finding>)> = batch
            .par_iter()
            .map_init(
                || sync.to_thread_local(),
                |repo, &w| {
                    let (id, first) = &work[w];
                    let found = scan_blob(
                        repo, scanner, *id, first, max, progress, &skipped, &warnings,
                    );
                    progress.blobs_done.fetch_add(1, Ordering::Relaxed);
                    (w, found)
                },
            )
            .filter(|(_, f)| !f.is_empty())
            .collect();
        // Everything packed that comes before this batch's last blob.
        let last = batch.last().copied().unwrap_or(0);
        while let Some((w, _)) = packed_found.peek() {
            if *w > last {
                break;
            }
            if let Some(item) = packed_found.next() {
                per_blob.push(item);
            }
        }
        per_blob.sort_by_key(|(w, _)| *w);
        for (w, found) in per_blob {
            emit(w, found);
        }
    }
    for (w, found) in packed_found {
        emit(w, found);
    }
    report.blobs = work.len() as u64;
    report.bytes = progress.bytes.load(Ordering::Relaxed);
    report.skipped = skipped.load(Ordering::Relaxed);
    report
        .warnings
        .extend(warnings.into_inner().unwrap_or_else(|p| p.into_inner()));
    Ok(report)
}

/// 128 bits identifying (rule, path, secret) within one scan.
fn finding_key(f: &Finding) -> u128 {
    use std::hash::{Hash, Hasher};
    let half = |salt: u8| {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        salt.hash(&mut h);
        f.rule_id().hash(&mut h);
        f.path().hash(&mut h);
        f.secret().expose().hash(&mut h);
        h.finish()
    };
    (u128::from(half(0)) << 64) | u128::from(half(1))
}

#[allow(clippy::too_many_arguments)]
fn scan_blob(
    repo: &gix::Repository,
    scanner: &Scanner,
    id: ObjectId,
    first: &FirstSeen,
    max: u64,
    progress: &Progress,
    skipped: &AtomicU64,
    warnings: &Mutex<Vec<String>>,
) -> Vec<Finding> {
    let blob = match repo.find_object(id) {
        Ok(obj) => obj,
        Err(e) => {
            if let Ok(mut w) = warnings.lock() {
                w.push(format!(
                    "missing or unreadable blob {id} ({}): {e}",
                    first.path
                ));
            }
            return Vec::new();
        }
    };
    let data = &blob.data;
    if data.len() as u64 > max {
        skipped.fetch_add(1, Ordering::Relaxed);
        return Vec::new();
    }
    let (scan, problems) = scanner.scan_content_warn(data, Path::new(&first.path));
    if !problems.is_empty() {
        if let Ok(mut w) = warnings.lock() {
            w.extend(problems);
        }
    }
    match scan {
        keepmum::FileScan::Scanned { findings, bytes } => {
            progress.bytes.fetch_add(bytes, Ordering::Relaxed);
            findings
        }
        _ => {
            skipped.fetch_add(1, Ordering::Relaxed);
            Vec::new()
        }
    }
}

fn resolve(repo: &gix::Repository, rev: &str) -> Result<ObjectId, Error> {
    repo.rev_parse_single(rev)
        .map(|id| id.detach())
        .map_err(|_| Error::Revision {
            rev: rev.to_string(),
            // gix's own message names its internals (`delegate.traverse(…)`).
            message: if rev.contains(['~', '^']) {
                "no such commit (the history is shorter than that)".to_string()
            } else {
                "no such branch, tag or commit".to_string()
            },
        })
}

/// The tips and hidden commits for a selection.
fn resolve_selection(
    repo: &gix::Repository,
    selection: &Selection,
    warnings: &mut Vec<String>,
) -> Result<(Vec<ObjectId>, Vec<ObjectId>), Error> {
    Ok(match selection {
        Selection::All => (all_ref_commits(repo, None, warnings)?, Vec::new()),
        Selection::Branch(b) => (vec![resolve(repo, b)?], Vec::new()),
        Selection::Since(rev) => (
            all_ref_commits(repo, None, warnings)?,
            vec![resolve(repo, rev)?],
        ),
        Selection::Range { from, to } => (vec![resolve(repo, to)?], vec![resolve(repo, from)?]),
        Selection::Commits { tips, hidden } => {
            let tips = tips
                .iter()
                .map(|t| resolve(repo, t))
                .collect::<Result<Vec<_>, _>>()?;
            let mut hide = Vec::new();
            for h in hidden {
                if h == "--remotes" {
                    hide.extend(all_ref_commits(repo, Some("refs/remotes/"), warnings)?);
                } else {
                    match resolve(repo, h) {
                        Ok(id) => hide.push(id),
                        // A remote commit we don't have: nothing to hide.
                        Err(e) => warnings.push(e.to_string()),
                    }
                }
            }
            (tips, hide)
        }
    })
}

/// Commit ids at the tips of all refs (or those under `prefix`), peeled.
fn all_ref_commits(
    repo: &gix::Repository,
    prefix: Option<&str>,
    warnings: &mut Vec<String>,
) -> Result<Vec<ObjectId>, Error> {
    let platform = repo.references().map_err(|e| Error::Walk(e.to_string()))?;
    let iter = match prefix {
        Some(p) => platform.prefixed(p),
        None => platform.all(),
    }
    .map_err(|e| Error::Walk(e.to_string()))?;
    let mut out = Vec::new();
    for r in iter {
        let mut r = match r {
            Ok(r) => r,
            Err(e) => {
                warnings.push(format!("unreadable reference: {e}"));
                continue;
            }
        };
        let name = r.name().as_bstr().to_string();
        match r.peel_to_id() {
            Ok(id) => {
                let id = id.detach();
                match repo.find_object(id) {
                    Ok(obj) if obj.kind == gix::object::Kind::Commit => out.push(id),
                    Ok(_) => {} // a tag of a tree or blob: not history
                    Err(e) => warnings.push(format!("reference {name}: missing object {id}: {e}")),
                }
            }
            Err(e) => warnings.push(format!("reference {name}: {e}")),
        }
    }
    if out.is_empty() && prefix.is_none() {
        if let Ok(head) = repo.head_id() {
            out.push(head.detach());
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn commit_tree(
    repo: &gix::Repository,
    id: ObjectId,
    warnings: &mut Vec<String>,
) -> Option<ObjectId> {
    match repo.find_commit(id).and_then(|c| Ok(c.tree_id()?.detach())) {
        Ok(t) => Some(t),
        Err(e) => {
            warnings.push(format!("missing or unreadable commit {id}: {e}"));
            None
        }
    }
}

/// Trees visited and blobs recorded, with where each blob was first seen.
#[derive(Default)]
struct Seen {
    trees: gix::hashtable::HashSet<ObjectId>,
    blobs: gix::hashtable::HashMap<ObjectId, FirstSeen>,
}

/// Bytes of decoded delta bases each thread of the tree walk keeps.
const WALK_PACK_CACHE: usize = 16 << 20;

/// Commits per unit of parallel tree walking (see [`walk_commits`]): each
/// unit starts with a whole snapshot, so fewer units cost less, more keep
/// both threads busy to the end.
const UNITS_PER_THREAD: usize = 4;

/// Where each blob of the selected `commits` (oldest first) first appears:
/// the oldest commit holding it, and its path there. Trees and blobs in
/// `known` (history before the selection) are skipped.
///
/// The commits are cut into runs walked in parallel, each oldest first and
/// skipping the trees it has already visited, then merged oldest run first.
/// That is exactly the single walk's answer: the run holding a blob's first
/// commit reaches it there (no tree holding it was in an earlier commit)
/// along the same path (the trees it skips hold other blobs), and no
/// earlier run holds it.
fn walk_commits(
    sync: &gix::ThreadSafeRepository,
    commits: &[(i64, ObjectId)],
    known: &Seen,
    ignore: Option<&keepmum::RootIgnore>,
    progress: &Progress,
    warnings: &mut Vec<String>,
) -> Vec<(ObjectId, FirstSeen)> {
    let units = (rayon::current_num_threads() * UNITS_PER_THREAD).max(1);
    let per_unit = commits.len().div_ceil(units).max(1);
    let runs: Vec<(Seen, Vec<String>)> = commits
        .par_chunks(per_unit)
        .enumerate()
        .map(|(unit, chunk)| {
            let mut repo = sync.to_thread_local();
            // Successive versions of a tree are deltas on each other: a
            // cache larger than gix's default 64 entries keeps their bases
            // decoded instead of inflating each chain again.
            repo.objects.set_pack_cache(|| {
                Box::new(gix::odb::pack::cache::lru::MemoryCappedHashmap::new(
                    WALK_PACK_CACHE,
                ))
            });
            let (mut seen, mut problems) = (Seen::default(), Vec::new());
            for (i, (_, id)) in chunk.iter().enumerate() {
                let idx = (unit * per_unit + i) as u32;
                if let Some(tree) = commit_tree(&repo, *id, &mut problems) {
                    visit_tree(&repo, tree, idx, &mut seen, known, ignore, &mut problems);
                }
                progress.commits.fetch_add(1, Ordering::Relaxed);
            }
            seen.trees = Default::default();
            (seen, problems)
        })
        .collect();
    let mut first: gix::hashtable::HashMap<ObjectId, FirstSeen> = Default::default();
    let mut said: HashSet<String> = HashSet::new();
    for (seen, problems) in runs {
        for (id, f) in seen.blobs {
            first.entry(id).or_insert(f);
        }
        // A missing object is met again by each run that reaches it.
        warnings.extend(problems.into_iter().filter(|w| said.insert(w.clone())));
    }
    first.into_iter().collect()
}

/// Records every blob under `root` not seen before, iteratively (deep trees
/// cannot overflow the stack). Subtrees already visited (in `seen` or
/// `known`) are skipped, and blobs in `known` are not recorded.
fn visit_tree(
    repo: &gix::Repository,
    root: ObjectId,
    commit: u32,
    seen: &mut Seen,
    known: &Seen,
    ignore: Option<&keepmum::RootIgnore>,
    warnings: &mut Vec<String>,
) {
    let mut stack: Vec<(ObjectId, String)> = vec![(root, String::new())];
    while let Some((id, prefix)) = stack.pop() {
        if known.trees.contains(&id) || !seen.trees.insert(id) {
            continue;
        }
        let tree = match repo.find_object(id) {
            Ok(t) => t,
            Err(e) => {
                warnings.push(format!("missing or unreadable tree {id} ({prefix}): {e}"));
                continue;
            }
        };
        let decoded = match gix::objs::TreeRef::from_bytes(&tree.data, repo.object_hash()) {
            Ok(d) => d,
            Err(e) => {
                warnings.push(format!("corrupt tree {id} ({prefix}): {e}"));
                continue;
            }
        };
        for entry in decoded.entries {
            // Symlinks (their blob is a path) and submodules are not content.
            let (tree, blob) = (entry.mode.is_tree(), entry.mode.is_blob());
            let oid = entry.oid.to_owned();
            // Most entries were met before: no path is made for them.
            let met = if tree {
                known.trees.contains(&oid) || seen.trees.contains(&oid)
            } else {
                !blob || known.blobs.contains_key(&oid) || seen.blobs.contains_key(&oid)
            };
            if met {
                continue;
            }
            let name = String::from_utf8_lossy(entry.filename);
            let path = if prefix.is_empty() {
                name.into_owned()
            } else {
                format!("{prefix}/{name}")
            };
            if tree {
                stack.push((oid, path));
            } else {
                if ignore.is_some_and(|i| i.is_ignored(Path::new(&path))) {
                    continue;
                }
                seen.blobs.insert(oid, FirstSeen { commit, path });
            }
        }
    }
}

fn commit_info(repo: &gix::Repository, id: ObjectId) -> CommitInfo {
    let sha = id.to_string();
    let Ok(commit) = repo.find_commit(id) else {
        return CommitInfo::new(sha, "", "", "", "");
    };
    let (name, email, date) = match commit.author() {
        Ok(a) => (
            a.name.to_string(),
            a.email.to_string(),
            a.time()
                .map(|t| keepmum::time::utc_rfc3339(t.seconds))
                .unwrap_or_default(),
        ),
        Err(_) => Default::default(),
    };
    let summary = commit
        .message_raw_sloppy()
        .to_string()
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    CommitInfo::new(sha, name, email, date, summary)
}
