//! Reading the selected blobs straight from the pack files, in delta order.
//!
//! Git stores most versions of a file as a delta over another version: a
//! list of "copy these bytes of the base" and "insert these new bytes"
//! instructions. Here each pack's selected blobs are grouped into delta
//! families (a full object and every delta built on it, directly or not).
//! Families are walked in parallel, and so are the subtrees below an object
//! with several deltas on it (a family may hold thousands of versions of
//! many files: on one thread it would be the last one running). Every
//! object is inflated once, a delta is applied to its base's bytes while
//! those are still in memory, and, when the base was scanned at the same
//! path, only what the delta changes is scanned
//! ([`keepmum::DeltaScanner::scan_derived`]); findings on the lines the two
//! share are carried over from the base.
//!
//! Blobs found in no pack (loose objects, alternates) and any whose pack
//! entry cannot be read are left to the caller, which reads them through
//! `gix` and scans them in full.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use gix::odb::pack;
use gix::ObjectId;
use keepmum::{CopiedRun, DeltaScanner, FileScan, Finding, ScanMemo};
use rayon::prelude::*;

use crate::{FirstSeen, Progress};

/// Deepest delta chain followed; deeper objects are left to the caller.
const MAX_DEPTH: usize = 4096;

/// Nesting of parallel subtree walks: below it, a family's subtrees are
/// handed to other threads; deeper ones are walked in place (bounds the
/// stack, whatever the shape of the family).
const MAX_SPLITS: usize = 24;

thread_local! {
    /// One inflater per thread, reused for every pack entry.
    static INFLATE: std::cell::RefCell<gix::zlib::Inflate> =
        std::cell::RefCell::new(gix::zlib::Inflate::default());
}

/// One object of a pack that is selected or is the base of a selected one.
struct Node {
    offset: u64,
    /// Index into `work`, when this blob is selected.
    work: Option<usize>,
    children: Vec<usize>,
}

/// One pack: its data, and the selected blobs (and their bases) in it.
struct Pack {
    data: pack::data::File,
    nodes: Vec<Node>,
    roots: Vec<usize>,
}

/// What scanning the packs produced.
pub(crate) struct PackScan {
    /// Findings per selected blob (index into `work`), non-empty only.
    pub(crate) found: Vec<(usize, Vec<Finding>)>,
    /// Selected blobs this did not scan (not in a pack, or unreadable
    /// there): the caller reads and scans them.
    pub(crate) left: Vec<usize>,
    pub(crate) warnings: Vec<String>,
    /// Blobs scanned only where they differ from their delta base.
    pub(crate) derived: u64,
}

/// Everything a family walk needs, shared by all threads.
struct Ctx<'a> {
    work: &'a [(ObjectId, FirstSeen)],
    delta: Option<&'a DeltaScanner>,
    scanner: &'a keepmum::Scanner,
    max: u64,
    progress: &'a Progress,
    skipped: &'a AtomicU64,
    derived: AtomicU64,
    warnings: Mutex<Vec<String>>,
    found: Mutex<Vec<(usize, Vec<Finding>)>>,
    left: Mutex<Vec<usize>>,
}

/// Scans the `work` blobs that live in the packs under `objects_dir`.
/// With `delta`, blobs stored as deltas over a blob scanned at the same
/// path are scanned only where they differ; without, every blob in full.
#[allow(clippy::too_many_arguments)]
pub(crate) fn scan_packs(
    objects_dir: &Path,
    hash: gix::hash::Kind,
    work: &[(ObjectId, FirstSeen)],
    scanner: &keepmum::Scanner,
    delta: Option<&DeltaScanner>,
    max: u64,
    progress: &Progress,
    skipped: &AtomicU64,
) -> PackScan {
    let mut warnings = Vec::new();
    let mut placed = vec![false; work.len()];
    let mut packs = Vec::new();
    for idx_path in pack_indexes(objects_dir) {
        match load_pack(&idx_path, hash, work, &mut placed) {
            Ok(Some(p)) => packs.push(p),
            Ok(None) => {}
            Err(e) => warnings.push(format!("pack {}: {e}", idx_path.display())),
        }
    }
    let ctx = Ctx {
        work,
        delta,
        scanner,
        max,
        progress,
        skipped,
        derived: AtomicU64::new(0),
        warnings: Mutex::new(warnings),
        found: Mutex::new(Vec::new()),
        left: Mutex::new(Vec::new()),
    };
    // Largest families first: a long chain started last would leave one
    // thread working alone at the end.
    let mut families: Vec<(&Pack, usize, usize)> = packs
        .iter()
        .flat_map(|p| p.roots.iter().map(move |&r| (p, r, family_size(p, r))))
        .collect();
    families.sort_by_key(|&(_, _, size)| std::cmp::Reverse(size));
    families
        .par_iter()
        .for_each(|&(p, root, _)| walk_family(&ctx, p, root));
    let mut left = ctx.left.into_inner().unwrap_or_else(|p| p.into_inner());
    left.extend(
        placed
            .iter()
            .enumerate()
            .filter(|(_, p)| !**p)
            .map(|(i, _)| i),
    );
    PackScan {
        found: ctx.found.into_inner().unwrap_or_else(|p| p.into_inner()),
        left,
        warnings: ctx.warnings.into_inner().unwrap_or_else(|p| p.into_inner()),
        derived: ctx.derived.into_inner(),
    }
}

/// Objects in the family rooted at `root`.
fn family_size(p: &Pack, root: usize) -> usize {
    let (mut n, mut stack) = (0, vec![root]);
    while let Some(x) = stack.pop() {
        n += 1;
        stack.extend(&p.nodes[x].children);
    }
    n
}

/// The `.idx` files of the object directory's packs.
fn pack_indexes(objects_dir: &Path) -> Vec<PathBuf> {
    let Ok(dir) = std::fs::read_dir(objects_dir.join("pack")) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = dir
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "idx"))
        .collect();
    out.sort();
    out
}

/// Places the not yet placed `work` blobs found in this pack, with the
/// chain of bases each needs; `None` when the pack holds none of them.
fn load_pack(
    idx_path: &Path,
    hash: gix::hash::Kind,
    work: &[(ObjectId, FirstSeen)],
    placed: &mut [bool],
) -> Result<Option<Pack>, String> {
    let index = pack::index::File::at(idx_path, hash).map_err(|e| e.to_string())?;
    let data =
        pack::data::File::at(idx_path.with_extension("pack"), hash).map_err(|e| e.to_string())?;
    let mut nodes: Vec<Node> = Vec::new();
    let mut at_offset: HashMap<u64, usize> = HashMap::new();
    let mut parent: Vec<Option<usize>> = Vec::new();
    // The index lookups (a binary search each) on every thread; linking
    // the chains below stays sequential.
    let offsets: Vec<Option<u64>> = work
        .par_iter()
        .zip(placed.par_iter())
        .map(|((id, _), &done)| {
            let at = (!done).then(|| index.lookup(id)).flatten()?;
            Some(index.pack_offset_at_index(at))
        })
        .collect();
    for (w, offset) in offsets.into_iter().enumerate() {
        let Some(offset) = offset else {
            continue;
        };
        // This blob, then its bases, until one already known or a full object.
        let mut chain: Vec<u64> = vec![offset];
        let mut ok = true;
        loop {
            let cur = *chain.last().unwrap_or(&offset);
            if chain.len() > 1 && at_offset.contains_key(&cur) {
                break;
            }
            if chain.len() > MAX_DEPTH {
                ok = false;
                break;
            }
            let entry = match data.entry(cur) {
                Ok(e) => e,
                Err(_) => {
                    ok = false;
                    break;
                }
            };
            let base = match entry.header {
                pack::data::entry::Header::OfsDelta { base_distance } => {
                    entry.checked_base_pack_offset(base_distance)
                }
                pack::data::entry::Header::RefDelta { base_id } => {
                    index.lookup(base_id).map(|i| index.pack_offset_at_index(i))
                }
                _ => break, // a full object
            };
            match base {
                Some(b) if !chain.contains(&b) => chain.push(b),
                _ => {
                    ok = false; // a base elsewhere, or a loop: not here
                    break;
                }
            }
        }
        if !ok {
            continue; // left to the caller
        }
        // Link the chain from its far end (a known node or a full object).
        let mut above: Option<usize> = None;
        for &off in chain.iter().rev() {
            let node = match at_offset.get(&off) {
                Some(&n) => n,
                None => {
                    let n = nodes.len();
                    nodes.push(Node {
                        offset: off,
                        work: None,
                        children: Vec::new(),
                    });
                    parent.push(above);
                    at_offset.insert(off, n);
                    if let Some(a) = above {
                        nodes[a].children.push(n);
                    }
                    n
                }
            };
            above = Some(node);
        }
        if let Some(&n) = at_offset.get(&offset) {
            if nodes[n].work.is_none() {
                nodes[n].work = Some(w);
                placed[w] = true;
            }
        }
    }
    if nodes.is_empty() {
        return Ok(None);
    }
    let roots = (0..nodes.len()).filter(|&n| parent[n].is_none()).collect();
    Ok(Some(Pack { data, nodes, roots }))
}

/// The bytes of one object and how they were scanned, for its deltas.
struct Scanned {
    bytes: Vec<u8>,
    /// What its scan left, when a delta over it may be scanned
    /// incrementally.
    memo: Option<ScanMemo>,
}

/// Inflates and scans every object of the family rooted at `root`.
fn walk_family(ctx: &Ctx<'_>, p: &Pack, root: usize) {
    let bytes =
        match INFLATE.with_borrow_mut(|inflate| inflate_entry(p, p.nodes[root].offset, inflate)) {
            Ok(b) => b,
            Err(e) => return give_up(ctx, p, root, &e),
        };
    let mut found = Vec::new();
    let scanned = visit(ctx, p, root, bytes, None, &mut found);
    hand_on(ctx, found);
    walk_below(ctx, p, root, &scanned, 0);
}

/// Inflates and scans the deltas on `node` (whose bytes and memo are
/// `scanned`) and everything below them, depth first, with the bytes of
/// each ancestor kept until its last delta is done. Where an object has
/// several deltas, they are walked in parallel (up to [`MAX_SPLITS`] deep).
fn walk_below(ctx: &Ctx<'_>, p: &Pack, node: usize, scanned: &Scanned, splits: usize) {
    let children = &p.nodes[node].children;
    if children.len() > 1 && splits < MAX_SPLITS {
        children
            .par_iter()
            .for_each(|&child| walk_from(ctx, p, child, scanned, splits + 1));
    } else {
        for &child in children {
            walk_from(ctx, p, child, scanned, splits);
        }
    }
}

/// [`walk_below`] for one delta `first` on `base`: the delta, then what is
/// below it.
fn walk_from(ctx: &Ctx<'_>, p: &Pack, first: usize, base: &Scanned, splits: usize) {
    let mut found = Vec::new();
    let Some(scanned) = derive(ctx, p, first, base, &mut found) else {
        return hand_on(ctx, found);
    };
    let mut stack: Vec<(usize, Scanned, usize)> = vec![(first, scanned, 0)];
    while let Some((node, parent, next)) = stack.last_mut() {
        let children = &p.nodes[*node].children;
        if *next == 0 && children.len() > 1 && splits < MAX_SPLITS {
            // Several deltas on this one: to other threads.
            *next = children.len();
            hand_on(ctx, std::mem::take(&mut found));
            walk_below(ctx, p, *node, parent, splits);
            continue;
        }
        let Some(&child) = children.get(*next) else {
            stack.pop();
            continue;
        };
        *next += 1;
        if let Some(scanned) = derive(ctx, p, child, parent, &mut found) {
            stack.push((child, scanned, 0));
        }
    }
    hand_on(ctx, found);
}

/// Inflates the delta `node`, applies it to its base and scans the result;
/// `None` (the node and what is below it left to the caller) when the
/// entry cannot be read or applied.
fn derive(
    ctx: &Ctx<'_>,
    p: &Pack,
    node: usize,
    base: &Scanned,
    found: &mut Vec<(usize, Vec<Finding>)>,
) -> Option<Scanned> {
    let applied = INFLATE
        .with_borrow_mut(|inflate| inflate_entry(p, p.nodes[node].offset, inflate))
        .and_then(|delta| apply_delta(&base.bytes, &delta));
    let (bytes, runs) = match applied {
        Ok(x) => x,
        Err(e) => {
            give_up(ctx, p, node, &e);
            return None;
        }
    };
    let base = Some((base.memo.as_ref(), base.bytes.as_slice(), runs.as_slice()));
    Some(visit(ctx, p, node, bytes, base, found))
}

/// Adds a walk's findings to the shared list.
fn hand_on(ctx: &Ctx<'_>, mut found: Vec<(usize, Vec<Finding>)>) {
    if !found.is_empty() {
        if let Ok(mut all) = ctx.found.lock() {
            all.append(&mut found);
        }
    }
}

/// Scans one object if it is selected; returns its bytes and memo.
fn visit(
    ctx: &Ctx<'_>,
    p: &Pack,
    node: usize,
    bytes: Vec<u8>,
    base: Option<(Option<&ScanMemo>, &[u8], &[CopiedRun])>,
    found: &mut Vec<(usize, Vec<Finding>)>,
) -> Scanned {
    let Some(w) = p.nodes[node].work else {
        return Scanned { bytes, memo: None };
    };
    let first = &ctx.work[w].1;
    let has_children = !p.nodes[node].children.is_empty();
    let path = Path::new(&first.path);
    if bytes.len() as u64 > ctx.max {
        ctx.skipped.fetch_add(1, Ordering::Relaxed);
        ctx.progress.blobs_done.fetch_add(1, Ordering::Relaxed);
        return Scanned { bytes, memo: None };
    }
    let mut result: Option<(FileScan, Option<ScanMemo>)> = None;
    if let (Some(d), Some((Some(memo), parent_bytes, runs))) = (ctx.delta, base) {
        result = d.scan_derived(parent_bytes, memo, &bytes, runs, path);
        if result.is_some() {
            ctx.derived.fetch_add(1, Ordering::Relaxed);
        }
    }
    let (scan, memo) = match result {
        Some(r) => r,
        None => {
            let (scan, problems, memo) = match ctx.delta {
                Some(d) => d.scan_full(&bytes, path, has_children),
                None => {
                    let (scan, problems) = ctx.scanner.scan_content_warn(&bytes, path);
                    (scan, problems, None)
                }
            };
            if !problems.is_empty() {
                if let Ok(mut all) = ctx.warnings.lock() {
                    all.extend(problems);
                }
            }
            (scan, memo)
        }
    };
    match scan {
        FileScan::Scanned { findings, bytes } => {
            ctx.progress.bytes.fetch_add(bytes, Ordering::Relaxed);
            if !findings.is_empty() {
                found.push((w, findings));
            }
        }
        _ => {
            ctx.skipped.fetch_add(1, Ordering::Relaxed);
        }
    }
    ctx.progress.blobs_done.fetch_add(1, Ordering::Relaxed);
    Scanned {
        bytes,
        memo: memo.filter(|_| has_children),
    }
}

/// Leaves every selected blob under `node` to the caller.
fn give_up(ctx: &Ctx<'_>, p: &Pack, node: usize, why: &str) {
    let mut left = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        left.extend(p.nodes[n].work);
        stack.extend(&p.nodes[n].children);
    }
    if let Ok(mut w) = ctx.warnings.lock() {
        w.push(format!(
            "pack entry at {} unreadable ({why}); read through the object database instead",
            p.nodes[node].offset
        ));
    }
    if let Ok(mut all) = ctx.left.lock() {
        all.extend(left);
    }
}

/// The inflated data of the pack entry at `offset` (a delta's
/// instructions, or a full object's bytes).
fn inflate_entry(
    p: &Pack,
    offset: u64,
    inflate: &mut gix::zlib::Inflate,
) -> Result<Vec<u8>, String> {
    let entry = p.data.entry(offset).map_err(|e| e.to_string())?;
    let size = usize::try_from(entry.decompressed_size).map_err(|e| e.to_string())?;
    let mut out = vec![0u8; size];
    p.data
        .decompress_entry(&entry, inflate, &mut out)
        .map_err(|e| e.to_string())?;
    Ok(out)
}

/// Reads one of a delta's size varints at `*at`.
fn delta_size(delta: &[u8], at: &mut usize) -> Result<usize, String> {
    let mut size = 0usize;
    let mut shift = 0u32;
    loop {
        let b = *delta.get(*at).ok_or("truncated delta header")?;
        *at += 1;
        if shift >= usize::BITS - 7 {
            return Err("delta size too large".into());
        }
        size |= usize::from(b & 0x7f) << shift;
        shift += 7;
        if b & 0x80 == 0 {
            return Ok(size);
        }
    }
}

/// Applies a git delta to `base`: the new bytes, and the runs they copy
/// from `base`, in order.
pub(crate) fn apply_delta(base: &[u8], delta: &[u8]) -> Result<(Vec<u8>, Vec<CopiedRun>), String> {
    let mut at = 0;
    let base_size = delta_size(delta, &mut at)?;
    let size = delta_size(delta, &mut at)?;
    if base_size != base.len() {
        return Err("delta base size mismatch".into());
    }
    let mut out: Vec<u8> = Vec::with_capacity(size.min(1 << 30));
    let mut runs = Vec::new();
    while let Some(&op) = delta.get(at) {
        at += 1;
        if op & 0x80 != 0 {
            // Copy: up to four offset bytes and three size bytes follow,
            // one per set flag bit.
            let mut fields = [0usize; 2];
            for (bit, shift, field) in [
                (0x01, 0, 0),
                (0x02, 8, 0),
                (0x04, 16, 0),
                (0x08, 24, 0),
                (0x10, 0, 1),
                (0x20, 8, 1),
                (0x40, 16, 1),
            ] {
                if op & bit != 0 {
                    let b = *delta.get(at).ok_or("truncated copy")?;
                    at += 1;
                    fields[field] |= usize::from(b) << shift;
                }
            }
            let [offset, mut len] = fields;
            if len == 0 {
                len = 0x10000;
            }
            let end = offset
                .checked_add(len)
                .filter(|&e| e <= base.len())
                .ok_or("delta copy out of range")?;
            runs.push(CopiedRun {
                target: out.len(),
                source: offset,
                len,
            });
            out.extend_from_slice(&base[offset..end]);
        } else if op != 0 {
            let end = at + usize::from(op);
            let bytes = delta.get(at..end).ok_or("truncated insert")?;
            out.extend_from_slice(bytes);
            at = end;
        } else {
            return Err("reserved delta opcode 0".into());
        }
        if out.len() > size {
            return Err("delta result larger than announced".into());
        }
    }
    if out.len() != size {
        return Err("delta result size mismatch".into());
    }
    Ok((out, runs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apply_delta_copies_and_inserts_and_reports_runs() {
        let base = b"0123456789abcdef";
        // base 16, result 11; copy 4 bytes at 2; insert "XY"; copy 5 at 10.
        let delta = [16, 11, 0x91, 2, 4, 2, b'X', b'Y', 0x91, 10, 5];
        let (out, runs) = apply_delta(base, &delta).expect("valid delta");
        assert_eq!(out, b"2345XYabcde");
        assert_eq!(
            runs,
            vec![
                CopiedRun {
                    target: 0,
                    source: 2,
                    len: 4
                },
                CopiedRun {
                    target: 6,
                    source: 10,
                    len: 5
                },
            ]
        );
    }

    #[test]
    fn apply_delta_rejects_broken_deltas() {
        let base = b"0123456789";
        assert!(apply_delta(base, &[9, 1, 1, b'x']).is_err()); // wrong base size
        assert!(apply_delta(base, &[10, 5, 0x91, 8, 5]).is_err()); // copy past the end
        assert!(apply_delta(base, &[10, 2, 3, b'x']).is_err()); // truncated insert
        assert!(apply_delta(base, &[10, 1, 0]).is_err()); // reserved opcode
        assert!(apply_delta(base, &[10, 3, 1, b'x']).is_err()); // short result
        assert!(apply_delta(base, &[0x80]).is_err()); // truncated header
    }
}
