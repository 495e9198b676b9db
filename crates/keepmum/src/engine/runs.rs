//! The run gate: a run of bytes of one class that every match of a regex
//! contains, read off its syntax tree (`[a-z0-9]{32}` in a provider rule:
//! 32 bytes in a row, each a lowercase letter or a digit). A window without
//! such a run holds no match, and checking it costs a pass over the
//! window's bytes, while the first search of a rule's regex costs building
//! it (a real tree's keyword windows woke ~140 rules, and compiling their
//! regexes was a third of its scan, for ~15 rules with a match).

use regex_syntax::hir::{Class, Hir, HirKind};

/// Runs shorter than this are not worth a pass over the window.
const MIN_RUN: usize = 6;

/// A set of bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Bytes([u64; 4]);

impl Bytes {
    fn add(&mut self, b: u8) {
        self.0[usize::from(b >> 6)] |= 1 << (b & 63);
    }

    fn add_range(&mut self, lo: u8, hi: u8) {
        for b in lo..=hi {
            self.add(b);
        }
    }

    fn union(self, other: Bytes) -> Bytes {
        let mut out = self;
        for (o, x) in out.0.iter_mut().zip(other.0) {
            *o |= x;
        }
        out
    }

    fn len(self) -> u32 {
        self.0.iter().map(|w| w.count_ones()).sum()
    }
}

/// A run every match contains: at least `len` consecutive bytes, each in
/// `class`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Run {
    class: [bool; 256],
    len: usize,
}

impl Run {
    /// True when `window` holds `len` consecutive bytes of the class.
    ///
    /// Reads the last byte a run starting at `start` would need, then back
    /// from there: a byte outside the class rules out every run that
    /// starts at or before it, so most of a window (16 KiB for a multi-line
    /// rule) is never read, and no byte is read more than twice.
    pub(crate) fn holds(&self, window: &[u8]) -> bool {
        let inside = |i: usize| self.class[usize::from(window[i])];
        let mut start = 0;
        while start + self.len <= window.len() {
            let last = start + self.len - 1;
            match (start..=last).rev().find(|&i| !inside(i)) {
                None => return true,
                Some(outside) => start = outside + 1,
            }
        }
        false
    }

    /// The run of `len` bytes of the class whose set bits `bits` holds
    /// (byte `b` is bit `b % 64` of word `b / 64`; see [`Run::bits`]).
    pub(crate) fn from_bits(bits: [u64; 4], len: usize) -> Run {
        let mut class = [false; 256];
        for (b, slot) in class.iter_mut().enumerate() {
            *slot = bits[b >> 6] & (1 << (b & 63)) != 0;
        }
        Run { class, len }
    }

    /// The class as a 256-bit set (see [`Run::from_bits`]).
    #[cfg_attr(not(test), allow(dead_code))] // the build script's and tests'
    pub(crate) fn bits(&self) -> [u64; 4] {
        let mut bits = [0u64; 4];
        for (b, &inside) in self.class.iter().enumerate() {
            if inside {
                bits[b >> 6] |= 1 << (b & 63);
            }
        }
        bits
    }

    /// How many bytes in a row the run is.
    #[cfg_attr(not(test), allow(dead_code))] // the build script's and tests'
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// [`Run::holds`] read byte by byte (for tests).
    #[cfg(test)]
    fn holds_plainly(&self, window: &[u8]) -> bool {
        window
            .split(|&b| !self.class[usize::from(b)])
            .any(|run| run.len() >= self.len)
    }

    /// The run's length and its class's size (for tests).
    #[cfg(test)]
    fn describe(&self) -> (usize, usize) {
        (self.len, self.class.iter().filter(|&&c| c).count())
    }
}

/// What a subexpression says about runs.
#[derive(Clone, Copy, Debug, Default)]
struct Shape {
    /// Every byte the subexpression consumes is in this set, and it
    /// consumes at least `min` of them (`None`: some byte may be outside
    /// any set we track, e.g. a Unicode class).
    all: Option<(Bytes, usize)>,
    /// The best run every match of the subexpression contains.
    best: Option<(Bytes, usize)>,
}

/// The more selective of two runs: one long enough to check, then one
/// without a space (most lines have runs of anything but spaces), then the
/// longer.
fn better(a: Option<(Bytes, usize)>, b: Option<(Bytes, usize)>) -> Option<(Bytes, usize)> {
    let score = |r: &(Bytes, usize)| {
        let spaced = r.0 .0[0] & (1 << b' ') != 0;
        // Fewer bytes in the class break ties.
        (r.1 >= MIN_RUN, !spaced, r.1, std::cmp::Reverse(r.0.len()))
    };
    match (a, b) {
        (Some(x), Some(y)) => Some(if score(&y) > score(&x) { y } else { x }),
        (x, None) => x,
        (None, y) => y,
    }
}

/// What `hir` says about runs; with `join` false, a run never joins parts
/// of different byte sets (`eyJ[A-Za-z0-9_-]{8,}\.` is three runs, not one
/// of their union), so it names a tighter run than the joined one.
fn shape(hir: &Hir, join: bool) -> Shape {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Shape {
            all: Some((Bytes::default(), 0)),
            best: None,
        },
        HirKind::Literal(lit) => {
            let mut set = Bytes::default();
            for &b in lit.0.iter() {
                set.add(b);
            }
            let run = (set, lit.0.len());
            Shape {
                all: Some(run),
                best: Some(run),
            }
        }
        HirKind::Class(class) => {
            let mut set = Bytes::default();
            match class {
                Class::Bytes(c) => {
                    for r in c.ranges() {
                        set.add_range(r.start(), r.end());
                    }
                }
                Class::Unicode(c) => {
                    // Bytes of ASCII ranges only; anything else may be
                    // matched by bytes this set does not know.
                    for r in c.ranges() {
                        if u32::from(r.end()) > 0x7f {
                            return Shape::default();
                        }
                        set.add_range(r.start() as u8, r.end() as u8);
                    }
                }
            }
            let run = (set, 1);
            Shape {
                all: Some(run),
                best: Some(run),
            }
        }
        HirKind::Capture(c) => shape(&c.sub, join),
        HirKind::Repetition(rep) => {
            let sub = shape(&rep.sub, join);
            let min = rep.min as usize;
            if min == 0 {
                // It may consume nothing, so it requires nothing; its bytes
                // still lie in its set when it has one.
                return Shape {
                    all: sub.all.map(|(set, _)| (set, 0)),
                    best: None,
                };
            }
            let all = sub.all.map(|(set, n)| (set, n.saturating_mul(min)));
            Shape {
                all,
                best: better(sub.best, all.filter(|a| a.1 > 0)),
            }
        }
        HirKind::Concat(subs) => {
            let mut best = None;
            // The run of consecutive subexpressions whose bytes are all in
            // one set, so far.
            let mut current: Option<(Bytes, usize)> = Some((Bytes::default(), 0));
            let mut all = Some((Bytes::default(), 0));
            for sub in subs {
                let s = shape(sub, join);
                best = better(best, s.best);
                match s.all {
                    // A zero-width part (a look-around) joins nothing.
                    Some((set, 0)) if !join && set == Bytes::default() => {}
                    // A part of another set ends the run, and the whole is
                    // no run of one set.
                    Some((set, n))
                        if !join && current.is_some_and(|(cs, cn)| cn > 0 && cs != set) =>
                    {
                        best = better(best, current.filter(|c| c.1 > 0));
                        current = Some((set, n));
                        all = None;
                    }
                    Some((set, n)) => {
                        let (cs, cn) = current.unwrap_or_default();
                        current = Some((cs.union(set), cn + n));
                        all = all.map(|(a, m)| (a.union(set), m + n));
                    }
                    None => {
                        best = better(best, current.filter(|c| c.1 > 0));
                        current = None;
                        all = None;
                    }
                }
            }
            best = better(best, current.filter(|c| c.1 > 0));
            Shape { all, best }
        }
        HirKind::Alternation(subs) => {
            let shapes: Vec<Shape> = subs.iter().map(|s| shape(s, join)).collect();
            let all = shapes
                .iter()
                .try_fold((Bytes::default(), usize::MAX), |acc, s| {
                    s.all.map(|(set, n)| (acc.0.union(set), acc.1.min(n)))
                });
            // Every branch's best run, joined: a match holds one of them,
            // so a run of the shortest length in the union of the sets.
            let best = shapes
                .iter()
                .try_fold((Bytes::default(), usize::MAX), |acc, s| {
                    s.best.map(|(set, n)| (acc.0.union(set), acc.1.min(n)))
                });
            let all = all.map(|(set, n)| (set, if n == usize::MAX { 0 } else { n }));
            Shape {
                all,
                best: better(best.filter(|b| b.1 != usize::MAX), all.filter(|a| a.1 > 0)),
            }
        }
    }
}

/// The run every match of `hir` contains, when it is long enough to be
/// worth checking.
pub(crate) fn required_run(hir: &Hir) -> Option<Run> {
    run_of_shape(shape(hir, true))
}

/// A second run every match of `hir` contains, of one byte set (see
/// [`shape`]), when it is long enough to be worth checking and differs
/// from [`required_run`]'s: a JWT's 16-byte signature run, where the joined
/// run (40 bytes of `[A-Za-z0-9_.-]`) is all a line of dotted `eyJ`
/// segments is made of.
pub(crate) fn tight_run(hir: &Hir) -> Option<Run> {
    let tight = shape(hir, false).best;
    (tight != shape(hir, true).best)
        .then(|| {
            run_of_shape(Shape {
                all: None,
                best: tight,
            })
        })
        .flatten()
}

/// The run of `shape`'s best, when it is long enough.
fn run_of_shape(shape: Shape) -> Option<Run> {
    let (set, len) = shape.best?;
    if len < MIN_RUN {
        return None;
    }
    Some(Run::from_bits(set.0, len))
}

#[cfg(test)]
#[path = "tests/runs.rs"]
mod tests;
