//! Scanning content that repeats most of the bytes of content already
//! scanned, such as a git blob stored as a delta over another version of the
//! same file: only the lines around the bytes that differ are scanned, and
//! the findings on the lines the two share are carried over.
//!
//! **Why this is exact.** Every finding of a rule that is not multi-line
//! depends only on the bytes of the line(s) its match touches, plus a few
//! bytes either side (an email's or a digit run's window, a token run's
//! padding). Call that its *reach*: from [`SLACK`] bytes before the start of
//! its first line to [`SLACK`] bytes after the end of its last line. If a
//! finding's reach lies inside one run of bytes copied unchanged from the old
//! content, the old content has the same finding there, and the other way
//! round: the finding is carried over. Every other finding has a reach that
//! touches an inserted byte, a seam between two copied runs, or an edge of
//! the content that the old content does not share; the slices scanned
//! around those places hold the whole reach of every such finding, so the
//! scan of the slice finds it exactly as a scan of the whole content would.
//!
//! Multi-line rules (private keys, `key:` then a value lines later) read
//! up to 16 KiB after their keyword, and a window's placement depends on
//! the previous keyword of its rule: their keywords are clustered, and each
//! cluster's *zone* (the windows, the chain distance either side, and whole
//! lines around) must be copied whole, in the new content and in the old;
//! a finding that meets a zone depends on all of it.
//!
//! A zone that an edit breaks is not lost: if no multi-line rule with a
//! keyword in it has a match anywhere in it (a *dead* zone, by far the most
//! common kind: `nomad`, `-role` or `machine` in code that holds no
//! credential), the engine finds nothing with those rules there, so the
//! zone is dropped and the content is read as plain lines; so is a dead
//! zone that a slice would otherwise have to take in whole. Zones are kept
//! per rule, since a rule's windows depend only on its own keywords. A
//! slice that reaches into a dropped zone must not wake those rules either
//! (its edges are not the content's), which is checked on the slice itself.
//!
//! What does not fit that model falls back to a full scan (the caller is
//! told with `None`): a ruleset with rules that read whole files, a zone
//! that is not copied whole, content over [`MAX_DERIVED`] (the decoded-text
//! budget is per input), rules near their per-input finding cap, archives,
//! and paths the scanner treats differently.

use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

use regex_automata::meta::Regex;
use regex_syntax::hir::{Hir, HirKind};

use super::{shift_finding, FileScan, Scanner, Skip};
use crate::engine::prefilter::KeywordIndex;
use crate::finding::Finding;
use crate::rules::Prefilter;

/// Bytes a finding's reach extends beyond its lines (see the module docs):
/// the widest cross-line window of a line rule is an email's 192 bytes.
const SLACK: usize = 256;

/// Largest content (old or new) scanned incrementally.
const MAX_DERIVED: usize = 512 << 10;

/// A rule with this many findings in one input is near the engine's cap per
/// input, which is not local: scan such content in full.
const MANY_FINDINGS: usize = 500;

/// A run of bytes the new content copies from the old one:
/// `new[target..target + len] == old[source..source + len]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CopiedRun {
    /// Where the run starts in the new content.
    pub target: usize,
    /// Where it starts in the old content.
    pub source: usize,
    /// Its length in bytes.
    pub len: usize,
}

/// What a scan leaves behind for scanning content derived from the same
/// bytes: its findings and where keywords of multi-line rules start.
#[derive(Clone, Debug)]
pub struct ScanMemo {
    findings: Vec<Finding>,
    anchors: Vec<Anchor>,
    /// The path the content was scanned at.
    path: std::sync::Arc<Path>,
}

/// Where a keyword of a multi-line rule starts, and that rule (its index in
/// the engine).
type Anchor = (usize, u32);

/// Scans content derived from content already scanned (see the module docs).
#[derive(Clone, Debug)]
pub struct DeltaScanner {
    scanner: Scanner,
    /// Keywords of multi-line rules, found as the engine finds them (any
    /// case); `None` when there are none.
    anchors: Option<std::sync::Arc<KeywordIndex>>,
    longest_anchor: usize,
    /// Some rule has a path regex or path allowlist of its own.
    path_rules: bool,
    /// Per engine rule, the regex a zone's liveness is tested with (see
    /// [`liveness_hir`]), built on first use.
    live_regexes: std::sync::Arc<[OnceLock<Option<Regex>>]>,
}

impl DeltaScanner {
    /// A delta scanner for `scanner`'s rules, or `None` when some rule reads
    /// whole files (a path-only rule, a file-keyword rule, or a multi-line
    /// rule that is not woken by keywords), so only full scans are exact.
    pub fn new(scanner: &Scanner) -> Option<DeltaScanner> {
        let mut keywords: Vec<(String, u32)> = Vec::new();
        let mut path_rules = false;
        // The engine's own rules, so an anchor names the rule whose regex
        // tells a dead zone.
        for (index, rule) in scanner.inner.engine.rules.iter().enumerate() {
            let spec = &rule.spec;
            path_rules |= spec.path.is_some() || !spec.allowlist.paths.is_empty();
            match spec.prefilter.unwrap_or(Prefilter::Keywords) {
                Prefilter::Keywords if spec.keywords.is_empty() => return None,
                Prefilter::FileKeywords => return None,
                Prefilter::Keywords => {}
                _ if spec.multiline => return None,
                _ => {}
            }
            if spec.multiline {
                let index = index as u32;
                keywords.extend(
                    spec.keywords
                        .iter()
                        .map(|k| (k.to_ascii_lowercase(), index)),
                );
            }
        }
        keywords.sort();
        keywords.dedup();
        let longest_anchor = keywords.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
        let anchors = if keywords.is_empty() {
            None
        } else {
            Some(std::sync::Arc::new(KeywordIndex::new(&keywords)))
        };
        let rules = scanner.inner.engine.rules.len();
        Some(DeltaScanner {
            scanner: scanner.clone(),
            anchors,
            longest_anchor,
            path_rules,
            live_regexes: (0..rules).map(|_| OnceLock::new()).collect(),
        })
    }

    /// The scanner this delta scanner scans with.
    pub fn scanner(&self) -> &Scanner {
        &self.scanner
    }

    /// [`Scanner::scan_content_warn`], plus (when `memo` is true and the
    /// content was scanned as plain content) what a derived scan needs.
    pub fn scan_full(
        &self,
        bytes: &[u8],
        path: &Path,
        memo: bool,
    ) -> (FileScan, Vec<String>, Option<ScanMemo>) {
        let (scan, warnings) = self.scanner.scan_content_warn(bytes, path);
        let plain = !(self.scanner.inner.archives && crate::archive::sniff(bytes).is_some());
        let memo = match &scan {
            FileScan::Scanned { findings, .. } if memo && plain => Some(ScanMemo {
                findings: findings.clone(),
                anchors: self.find_anchors(bytes),
                path: path.into(),
            }),
            _ => None,
        };
        (scan, warnings, memo)
    }

    /// Scans `new`, the content of `path`, given that `old` (whose scan left
    /// `memo`) shares the `runs` with it. Returns what
    /// [`Scanner::scan_content`] would on `new`, and a memo for content
    /// derived from `new`; `None` when only a full scan is exact (see the
    /// module docs), e.g. when the scanner treats `path` and the path `old`
    /// was scanned at differently. `runs` must be in increasing `target`
    /// order.
    pub fn scan_derived(
        &self,
        old: &[u8],
        memo: &ScanMemo,
        new: &[u8],
        runs: &[CopiedRun],
        path: &Path,
    ) -> Option<(FileScan, Option<ScanMemo>)> {
        let inner = &self.scanner.inner;
        // The same whole-content checks as `scan_content_warn`, in order.
        if self.scanner.is_path_allowlisted(path) {
            return Some((FileScan::Skipped(Skip::Allowlisted), None));
        }
        if new.len() as u64 > inner.max_file_size {
            return Some((FileScan::Skipped(Skip::TooLarge), None));
        }
        if crate::baseline::looks_like_baseline(new) {
            return Some((FileScan::Skipped(Skip::Baseline), None));
        }
        if inner.archives && crate::archive::sniff(new).is_some() {
            return None;
        }
        if inner.skip_binary && super::is_binary(new) {
            return Some((FileScan::Skipped(Skip::Binary), None));
        }
        if new.len() > MAX_DERIVED || old.len() > MAX_DERIVED || too_many(&memo.findings) {
            return None;
        }
        if !self.same_treatment(&memo.path, path) {
            return None;
        }
        let new_path: std::sync::Arc<Path> = path.into();
        let segments = merge_runs(runs, old.len(), new.len());
        let dirty = dirty_places(&segments, old.len(), new.len());
        // Multi-line rules: each cluster of their keywords, with the bytes
        // its windows and their neighbours read, must be copied whole, in
        // the new content and in the old (see `zones`).
        let anchors = self.derived_anchors(memo, old.len(), new, &segments, &dirty);
        let fit = Fit {
            segments: &segments,
            old_len: old.len(),
            new_len: new.len(),
        };
        // Each rule's zones: one not copied whole is dropped when dead, in
        // either content, and leaves the content to a full scan when live;
        // one that a slice would take in whole is dropped when dead (it
        // would make the slice as large as the zone).
        let rule_zones_new = rule_zones(new, &anchors, self.longest_anchor);
        let around = slices(new, &dirty, &[]);
        let near = |z: &Reach| around.iter().any(|s| z.lo < s.end && s.start < z.hi);
        let mut kept: Vec<Reach> = Vec::new();
        for (z, rule, windows) in &rule_zones_new {
            let intact = fit.segment(z).is_some();
            if intact && !near(z) {
                kept.push(z.clone());
            } else if self.live(new, windows.clone(), &[*rule]) {
                if !intact {
                    return None;
                }
                kept.push(z.clone());
            }
        }
        let new_zones = merge_zones(kept);
        if rule_zones(old, &memo.anchors, self.longest_anchor)
            .iter()
            .any(|(z, rule, windows)| {
                !fit.holds_old(z) && self.live(old, windows.clone(), &[*rule])
            })
        {
            return None;
        }
        let dep = |f: &Finding| depends_on(reach(new, f), &new_zones);

        let mut findings = Vec::new();
        // Findings on shared lines, carried over.
        let mut old_lines = LineIndex::new(old);
        let mut new_lines = LineIndex::new(new);
        for f in &memo.findings {
            let (lo, hi) = extent(f);
            for s in &segments {
                if lo < s.source || hi > s.source + s.len {
                    continue;
                }
                let mut g = f.clone();
                g.path = Some(new_path.clone());
                let shift =
                    |r: &Range<usize>| r.start - s.source + s.target..r.end - s.source + s.target;
                g.span = shift(&f.span);
                g.match_span = shift(&f.match_span);
                if fit.segment(&dep(&g)) != Some(s.target) {
                    continue;
                }
                let before_old = old_lines.breaks_before(s.source);
                let before_new = new_lines.breaks_before(s.target);
                g.line = g.line - before_old + before_new;
                g.end_line = g.end_line - before_old + before_new;
                findings.push(g);
            }
        }
        // Findings whose reach touches a changed place, from slices around them.
        let mut breaks = 0usize;
        let mut counted_to = 0usize;
        for slice in slices(new, &dirty, &new_zones) {
            // The slice's edges are not the content's: a multi-line rule
            // with a keyword in it whose zone it does not hold whole (a
            // dropped one) must find nothing in it.
            let from = anchors.partition_point(|a| a.0 < slice.start);
            let mut rules: Vec<u32> = anchors[from..]
                .iter()
                .take_while(|a| a.0 < slice.end)
                .filter(|&&(at, rule)| {
                    !rule_zones_new.iter().any(|(z, r, _)| {
                        *r == rule
                            && z.lo <= at
                            && at < z.hi
                            && slice.start <= z.lo
                            && z.hi <= slice.end
                    })
                })
                .map(|a| a.1)
                .collect();
            rules.sort_unstable();
            rules.dedup();
            let part = &new[slice.clone()];
            if self.live(part, 0..part.len(), &rules) {
                return None;
            }
            breaks += bytecount::count(&new[counted_to..slice.start], b'\n');
            counted_to = slice.start;
            let line_start = memchr::memrchr(b'\n', &new[..slice.start]).map_or(0, |i| i + 1);
            let column_before = slice.start - line_start;
            for mut f in inner.engine.scan(&new[slice.clone()], Some(path)) {
                shift_finding(&mut f, slice.start, breaks, column_before);
                let r = dep(&f);
                if r.lo >= slice.start && r.hi <= slice.end && fit.segment(&r).is_none() {
                    findings.push(f);
                }
            }
        }
        if too_many(&findings) {
            return None;
        }
        findings.sort_by(|a, b| (a.span.start, a.rule_id()).cmp(&(b.span.start, b.rule_id())));
        let memo = ScanMemo {
            findings: findings.clone(),
            anchors,
            path: new_path,
        };
        let bytes = new.len() as u64;
        Some((FileScan::Scanned { findings, bytes }, Some(memo)))
    }

    /// True when the scanner treats content at `a` and at `b` the same way:
    /// the same global allowlist verdict and the same path-dependent checks
    /// (credential files, project metadata, tests and docs), and no rule
    /// with path regexes of its own.
    fn same_treatment(&self, a: &Path, b: &Path) -> bool {
        use crate::validators::paths;
        a == b
            || !self.path_rules
                && self.scanner.is_path_allowlisted(a) == self.scanner.is_path_allowlisted(b)
                && paths::credential_file(Some(a)) == paths::credential_file(Some(b))
                && paths::project_metadata(a) == paths::project_metadata(b)
                && paths::test_or_doc(a) == paths::test_or_doc(b)
    }

    /// Where keywords of multi-line rules start in `bytes`, with their
    /// rules: where the engine's keyword pass would wake a multi-line rule.
    fn find_anchors(&self, bytes: &[u8]) -> Vec<Anchor> {
        let mut found = Vec::new();
        if let Some(index) = &self.anchors {
            index.scan(
                bytes,
                false,
                false,
                usize::MAX,
                &mut crate::engine::prefilter::Marks::new(bytes.len()),
                |pos, rules, _| found.extend(rules.iter().map(|&r| (pos, r))),
                |_, _, _| {},
                |_, _, _| {},
            );
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    /// True unless none of `rules` has a match of its regex anywhere in
    /// `range` of `hay` (then the engine, whose windows for their anchors
    /// in a zone lie inside the zone, finds nothing with them there).
    fn live(&self, hay: &[u8], range: Range<usize>, rules: &[u32]) -> bool {
        rules.iter().any(|&r| {
            self.live_regex(r)
                .is_some_and(|re| re.is_match(regex_automata::Input::new(hay).range(range.clone())))
        })
    }

    /// The regex rule `r`'s zones are tested with: one that matches
    /// wherever the rule's regex does (see [`liveness_hir`]), with a
    /// literal prefilter; the rule's own regex when that cannot be built.
    fn live_regex(&self, r: u32) -> Option<&Regex> {
        let rule = self.scanner.inner.engine.rules.get(r as usize)?;
        let Some(cell) = self.live_regexes.get(r as usize) else {
            return rule.regex();
        };
        cell.get_or_init(|| {
            use regex_automata::util::prefilter::Prefilter;
            let (hir, literals) = liveness_hir(rule.hir()?);
            let pre =
                literals.and_then(|l| Prefilter::new(regex_automata::MatchKind::LeftmostFirst, &l));
            let config = match pre {
                Some(pre) => crate::engine::regex_config(false).prefilter(Some(pre)),
                None => crate::engine::regex_config(true),
            };
            Regex::builder().configure(config).build_from_hir(&hir).ok()
        })
        .as_ref()
        .or_else(|| rule.regex())
    }

    /// Where keywords of multi-line rules start in `new`: those of `old`
    /// copied whole, and those found around the changed places (any other
    /// one overlaps a changed place; a three-byte keyword also needs the
    /// byte after it, or the end of both contents).
    fn derived_anchors(
        &self,
        memo: &ScanMemo,
        old_len: usize,
        new: &[u8],
        segments: &[CopiedRun],
        dirty: &[Range<usize>],
    ) -> Vec<Anchor> {
        if self.anchors.is_none() {
            return Vec::new();
        }
        let pad = self.longest_anchor + 1;
        let mut out = Vec::new();
        for &(a, rule) in &memo.anchors {
            for s in segments {
                // The byte after is copied too, or both contents end there.
                let ends = s.source + s.len == old_len && s.target + s.len == new.len();
                if a >= s.source && (a + pad <= s.source + s.len || ends && a < s.source + s.len) {
                    out.push((a - s.source + s.target, rule));
                }
            }
        }
        // One keyword pass per cluster of changed places, not one per place:
        // a delta's seams come every few lines, and each pass has a fixed
        // cost (its last block padded and classified) far above that of
        // the few bytes between two places. Keywords found between them
        // are copied ones too: duplicates, removed below.
        let mut spans: Vec<Range<usize>> = Vec::new();
        for d in dirty {
            let lo = d.start.saturating_sub(pad);
            let hi = (d.end + pad).min(new.len()).max(lo);
            match spans.last_mut() {
                Some(last) if lo <= last.end + ANCHOR_SPAN_GAP => last.end = last.end.max(hi),
                _ => spans.push(lo..hi),
            }
        }
        for span in spans {
            out.extend(
                self.find_anchors(&new[span.clone()])
                    .into_iter()
                    .map(|(p, rule)| (span.start + p, rule)),
            );
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// A pattern that matches wherever `hir` does, for telling dead zones fast,
/// and the literals every one of its matches starts with (`None`: no small
/// set of them).
///
/// Many multi-line rules start with a one-byte boundary such as
/// `(?:(?m:^)|[^A-Za-z])` before the provider's name: no literal prefix can
/// be taken from it, so the regex would run its automaton over every byte of
/// a 37 KiB zone (about a fifth of a history scan's time). Past the boundary
/// the name gives a literal prefix (in any case). Every match of a
/// concatenation holds a match of its tail that ends at the same place,
/// inside the same range and with the same bytes around it, so the tail
/// matches somewhere in a range whenever the whole does: a tail that finds
/// nothing proves the zone dead, exactly as the rule's regex would. Leading
/// items at most one byte wide (boundaries, look-arounds) are dropped, also
/// in each branch of a leading alternation.
fn liveness_hir(hir: &Hir) -> (Hir, Option<Vec<Vec<u8>>>) {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let tail = without_boundary(hir);
    let mut seq = Extractor::new()
        .kind(ExtractKind::Prefix)
        .limit_total(4096)
        .extract(&tail);
    // Few literals keep the prefilter a vector search (Teddy): shorten them
    // (still a prefix of every match) until there are few.
    let mut keep = 8;
    while seq.len().is_some_and(|n| n > 48) && keep > 3 {
        keep -= 1;
        seq.keep_first_bytes(keep);
        seq.dedup();
    }
    let literals = seq.literals().and_then(|lits| {
        let ok = !lits.is_empty() && lits.len() <= 48 && lits.iter().all(|l| l.len() >= 3);
        ok.then(|| lits.iter().map(|l| l.as_bytes().to_vec()).collect())
    });
    (tail, literals)
}

/// `hir` without leading items at most one byte wide (see
/// [`liveness_hir`]).
fn without_boundary(hir: &Hir) -> Hir {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    match hir.kind() {
        HirKind::Capture(c) => without_boundary(&c.sub),
        HirKind::Alternation(branches) => {
            Hir::alternation(branches.iter().map(without_boundary).collect())
        }
        HirKind::Concat(items) => {
            // A look-around, or one byte of a wide class (a boundary); not
            // one byte of a few (`[Dd]` of a name in any case).
            let narrow = |h: &Hir| match h.properties().maximum_len() {
                Some(0) => true,
                Some(1) => Extractor::new()
                    .kind(ExtractKind::Prefix)
                    .extract(h)
                    .len()
                    .is_none_or(|n| n > 4),
                _ => false,
            };
            let from = items.iter().position(|h| !narrow(h)).unwrap_or(0);
            let mut rest = items[from..].to_vec();
            if let Some(first) = rest.first_mut() {
                *first = without_boundary(first);
            }
            Hir::concat(rest)
        }
        _ => hir.clone(),
    }
}

/// Changed places this close are searched for keywords in one pass (see
/// `derived_anchors`).
const ANCHOR_SPAN_GAP: usize = 512;

/// True when some rule has close to the engine's cap of findings.
fn too_many(findings: &[Finding]) -> bool {
    if findings.len() < MANY_FINDINGS {
        return false;
    }
    let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    findings.iter().any(|f| {
        let c = counts.entry(f.rule_id()).or_default();
        *c += 1;
        *c >= MANY_FINDINGS
    })
}

/// The bytes a finding's match and secret cover.
fn extent(f: &Finding) -> (usize, usize) {
    (
        f.span.start.min(f.match_span.start),
        f.span.end.max(f.match_span.end),
    )
}

/// A finding's reach in `hay` (see the module docs), clipped to `hay`;
/// `at_start`/`at_end` tell that the clip cut it.
#[derive(Clone, Debug)]
struct Reach {
    lo: usize,
    hi: usize,
    at_start: bool,
    at_end: bool,
}

fn reach(hay: &[u8], f: &Finding) -> Reach {
    let (lo, hi) = extent(f);
    let (lo, hi) = (lo.min(hay.len()), hi.min(hay.len()).max(lo.min(hay.len())));
    let line_start = memchr::memrchr(b'\n', &hay[..lo]).map_or(0, |i| i + 1);
    let line_end = memchr::memchr(b'\n', &hay[hi..]).map_or(hay.len(), |i| hi + i + 1);
    Reach {
        lo: line_start.saturating_sub(SLACK),
        hi: (line_end + SLACK).min(hay.len()),
        at_start: line_start < SLACK,
        at_end: line_end + SLACK > hay.len(),
    }
}

/// The copied runs of one content, merged, for placing reaches.
struct Fit<'a> {
    segments: &'a [CopiedRun],
    old_len: usize,
    new_len: usize,
}

impl Fit<'_> {
    /// The target start of the one copied run holding all of `r`, with the
    /// same content edges when `r` was clipped by one; `None` when there is
    /// no such run.
    fn segment(&self, r: &Reach) -> Option<usize> {
        let i = self.segments.partition_point(|s| s.target + s.len <= r.lo);
        let s = self.segments.get(i)?;
        let inside = s.target <= r.lo && r.hi <= s.target + s.len;
        let start_ok = !r.at_start || (s.target == 0 && s.source == 0);
        let end_ok =
            !r.at_end || (s.target + s.len == self.new_len && s.source + s.len == self.old_len);
        (inside && start_ok && end_ok).then_some(s.target)
    }
}

impl Fit<'_> {
    /// True when the old-content range `r` lies inside the source of every
    /// copied run it meets (with the same content edges when clipped).
    fn holds_old(&self, r: &Reach) -> bool {
        self.segments.iter().all(|s| {
            let (lo, hi) = (s.source, s.source + s.len);
            if r.hi <= lo || r.lo >= hi {
                return true; // apart
            }
            lo <= r.lo
                && r.hi <= hi
                && (!r.at_start || (s.source == 0 && s.target == 0))
                && (!r.at_end || (hi == self.old_len && s.target + s.len == self.new_len))
        })
    }
}

/// How far apart keywords of multi-line rules may be for one's window to
/// depend on another's (a window reaches 16 KiB after its keyword).
const CHAIN: usize = 17 << 10;
/// What a cluster of such keywords depends on, before its first and after
/// its last: the chain distance, and after it the window plus a line
/// window (4 KiB) past a match.
const ZONE_BEFORE: usize = CHAIN;
const ZONE_AFTER: usize = 16 * 1024 + 4096 + 1024;

/// The zones of `hay` that multi-line rules read: keywords of theirs no
/// more than [`CHAIN`] apart form a cluster; its zone runs from
/// [`ZONE_BEFORE`] before the first to [`ZONE_AFTER`] after the last,
/// widened to whole lines and [`SLACK`] (so every line finding that may
/// overlap a multi-line match is inside). Overlapping zones are merged.
fn zones(hay: &[u8], anchors: &[Anchor], longest: usize) -> Vec<Reach> {
    let line_start = |x: usize| memchr::memrchr(b'\n', &hay[..x]).map_or(0, |i| i + 1);
    let line_end = |x: usize| memchr::memchr(b'\n', &hay[x..]).map_or(hay.len(), |i| x + i + 1);
    let mut out: Vec<Reach> = Vec::new();
    let mut i = 0;
    while i < anchors.len() {
        let first = anchors[i].0;
        let mut last = first;
        while i + 1 < anchors.len() && anchors[i + 1].0 - last <= CHAIN {
            i += 1;
            last = anchors[i].0;
        }
        i += 1;
        let before = first.checked_sub(ZONE_BEFORE + longest + 1);
        let after = last + ZONE_AFTER + longest + 1;
        let ls = before.map_or(0, |b| line_start(b.min(hay.len())));
        let le = if after >= hay.len() {
            hay.len()
        } else {
            line_end(after)
        };
        let z = Reach {
            lo: ls.saturating_sub(SLACK),
            hi: (le + SLACK).min(hay.len()),
            at_start: before.is_none() || ls < SLACK,
            at_end: after >= hay.len() || le + SLACK > hay.len(),
        };
        match out.last_mut() {
            Some(prev) if z.lo <= prev.hi => {
                prev.hi = prev.hi.max(z.hi);
                prev.at_end = z.at_end;
            }
            _ => out.push(z),
        }
    }
    out
}

/// One multi-line rule's zone, the rule, and the bytes its windows there
/// can cover (where a match of its regex must lie for the zone to be live).
type RuleZone = (Reach, u32, Range<usize>);

/// The zones of each multi-line rule on its own (see [`zones`]): a rule's
/// windows depend only on its own keywords.
fn rule_zones(hay: &[u8], anchors: &[Anchor], longest: usize) -> Vec<RuleZone> {
    use crate::engine::{MULTILINE_AFTER, MULTILINE_BEFORE};
    let mut by_rule: Vec<Anchor> = anchors.to_vec();
    by_rule.sort_unstable_by_key(|&(pos, rule)| (rule, pos));
    let mut out = Vec::new();
    for group in by_rule.chunk_by(|a, b| a.1 == b.1) {
        let rule = group[0].1;
        for z in zones(hay, group, longest) {
            let from = group.partition_point(|a| a.0 < z.lo);
            let to = group.partition_point(|a| a.0 < z.hi);
            let last = to.checked_sub(1).and_then(|i| group.get(i));
            let windows = match (group.get(from), last) {
                (Some(first), Some(last)) => {
                    let lo = first
                        .0
                        .saturating_sub(MULTILINE_BEFORE + longest + 1)
                        .max(z.lo);
                    let hi = (last.0 + MULTILINE_AFTER + longest + 1).min(z.hi);
                    lo..hi.max(lo)
                }
                _ => z.lo..z.hi,
            };
            out.push((z, rule, windows));
        }
    }
    out
}

/// Zones of several rules, sorted and merged where they overlap.
fn merge_zones(mut zones: Vec<Reach>) -> Vec<Reach> {
    zones.sort_by_key(|z| z.lo);
    let mut out: Vec<Reach> = Vec::with_capacity(zones.len());
    for z in zones {
        match out.last_mut() {
            Some(prev) if z.lo <= prev.hi => {
                if z.hi >= prev.hi {
                    prev.hi = z.hi;
                    prev.at_end = z.at_end;
                }
            }
            _ => out.push(z),
        }
    }
    out
}

/// A finding's reach, widened to every zone it meets.
fn depends_on(mut r: Reach, zones: &[Reach]) -> Reach {
    for z in zones {
        if z.lo < r.hi && r.lo < z.hi {
            if z.lo < r.lo {
                r.lo = z.lo;
                r.at_start = z.at_start;
            }
            if z.hi > r.hi {
                r.hi = z.hi;
                r.at_end = z.at_end;
            }
        }
    }
    r
}

/// `runs` without empty ones, neighbours that continue each other in both
/// contents joined, and runs that do not fit either content dropped.
fn merge_runs(runs: &[CopiedRun], old_len: usize, new_len: usize) -> Vec<CopiedRun> {
    let mut out: Vec<CopiedRun> = Vec::with_capacity(runs.len());
    for r in runs {
        let fits = r.source.checked_add(r.len).is_some_and(|e| e <= old_len)
            && r.target.checked_add(r.len).is_some_and(|e| e <= new_len);
        if r.len == 0 || !fits {
            continue;
        }
        if let Some(last) = out.last_mut() {
            if r.target < last.target + last.len {
                continue; // out of order: treated as not copied
            }
            if last.target + last.len == r.target && last.source + last.len == r.source {
                last.len += r.len;
                continue;
            }
        }
        out.push(*r);
    }
    out
}

/// The places of `new` a copied run does not explain: inserted bytes,
/// seams between runs, and content edges the old content does not share
/// (empty ranges for seams and edges).
fn dirty_places(segments: &[CopiedRun], old_len: usize, new_len: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut at = 0usize;
    for (i, s) in segments.iter().enumerate() {
        if s.target > at {
            out.push(at..s.target);
        } else if i > 0 || s.source != 0 {
            out.push(at..at); // a seam, or a start the old content lacks
        }
        at = s.target + s.len;
    }
    match segments.last() {
        _ if at < new_len => out.push(at..new_len),
        Some(s) if s.source + s.len != old_len => out.push(new_len..new_len),
        None => out.push(0..0),
        _ => {}
    }
    out
}

/// Slices of `hay` that hold the whole reach of every finding whose reach
/// touches one of the `dirty` places, and every zone they meet, merged and
/// in order.
fn slices(hay: &[u8], dirty: &[Range<usize>], zones: &[Reach]) -> Vec<Range<usize>> {
    let line_start = |x: usize| memchr::memrchr(b'\n', &hay[..x]).map_or(0, |i| i + 1);
    let line_end = |x: usize| memchr::memchr(b'\n', &hay[x..]).map_or(hay.len(), |i| x + i + 1);
    let mut out: Vec<Range<usize>> = Vec::new();
    for d in dirty {
        let mut lo = line_start(d.start.saturating_sub(SLACK)).saturating_sub(SLACK);
        let mut hi = (line_end((d.end + SLACK).min(hay.len())) + SLACK).min(hay.len());
        for z in zones {
            if z.lo < hi && lo < z.hi {
                lo = lo.min(z.lo);
                hi = hi.max(z.hi);
            }
        }
        out.push(lo..hi);
    }
    out.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<usize>> = Vec::new();
    for r in out {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

/// Line breaks before an offset, for offsets asked in any order (cached
/// from the last answer).
struct LineIndex<'a> {
    hay: &'a [u8],
    at: usize,
    breaks: usize,
}

impl<'a> LineIndex<'a> {
    fn new(hay: &'a [u8]) -> LineIndex<'a> {
        LineIndex {
            hay,
            at: 0,
            breaks: 0,
        }
    }

    fn breaks_before(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.hay.len());
        if offset >= self.at {
            self.breaks += bytecount::count(&self.hay[self.at..offset], b'\n');
        } else {
            self.breaks -= bytecount::count(&self.hay[offset..self.at], b'\n');
        }
        self.at = offset;
        self.breaks
    }
}

#[cfg(test)]
mod tests;
