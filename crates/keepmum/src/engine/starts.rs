//! Where a regex's matches can start: a short set of literal openings,
//! read off its syntax tree, one of which (ASCII case ignored) every match
//! begins with (`password`, `passwd`, `passphrase`, `pwd` for the generic
//! password rule). Knowing them, a search finds a rule's leftmost match by
//! trying an anchored search at each opening in turn: the first that
//! matches is the match an unanchored search reports (leftmost first), and
//! an anchored search knows where its match starts, so the reverse pass an
//! unanchored search needs to find it is never run. On keyword-dense input
//! (`password=password=…`, each value 512 bytes) that pass read every
//! matched byte a second time.

use regex_syntax::hir::{Class, Hir, HirKind};

/// Most openings kept; a regex with more is searched the usual way.
const MOST: usize = 16;
/// Openings are cut to this many bytes (a longer one only tests more).
const LONGEST: usize = 8;
/// Openings shorter than this turn away too few positions to be worth it.
const SHORTEST: usize = 3;
/// A class of more bytes than this (ASCII case folded) ends an opening.
const CLASS_MAX: usize = 3;

/// The openings of a regex's matches (see the module's documentation).
#[derive(Debug)]
pub(crate) struct Starts {
    /// Each opening, lowercase; every match begins with one of them, ASCII
    /// case ignored.
    openings: Vec<Vec<u8>>,
    /// The openings' first bytes, in both cases.
    first: [bool; 256],
}

impl Starts {
    /// The openings of `hir`'s matches, or `None` when some match may
    /// start otherwise (or the set is too large or its openings too short
    /// to be worth testing).
    pub(crate) fn of(hir: &Hir) -> Option<Starts> {
        let (mut openings, _) = openings(hir)?;
        if openings.is_empty() || openings.iter().any(|o| o.len() < SHORTEST) {
            return None;
        }
        openings.sort();
        openings.dedup();
        let mut first = [false; 256];
        for o in &openings {
            first[usize::from(o[0])] = true;
            first[usize::from(o[0].to_ascii_uppercase())] = true;
        }
        Some(Starts { openings, first })
    }

    /// The first position in `from..end` where an opening begins (and
    /// fits before `end`).
    pub(crate) fn next(&self, hay: &[u8], from: usize, end: usize) -> Option<usize> {
        let end = end.min(hay.len());
        let mut at = from;
        while at < end {
            let i = hay[at..end]
                .iter()
                .position(|&b| self.first[usize::from(b)])?;
            at += i;
            let rest = &hay[at..end];
            if self
                .openings
                .iter()
                .any(|o| rest.len() >= o.len() && rest[..o.len()].eq_ignore_ascii_case(o))
            {
                return Some(at);
            }
            at += 1;
        }
        None
    }
}

/// The lowercase openings of `hir`'s matches, and whether they are its
/// whole matches (`true`) or only their first bytes; `None` when unknown.
fn openings(hir: &Hir) -> Option<(Vec<Vec<u8>>, bool)> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Some((vec![Vec::new()], true)),
        HirKind::Literal(lit) => Some((vec![lit.0.to_ascii_lowercase()], true)),
        HirKind::Class(class) => {
            let mut bytes: Vec<u8> = Vec::new();
            let mut add = |lo: u32, hi: u32| -> Option<()> {
                for c in lo..=hi {
                    let b = u8::try_from(c).ok().filter(u8::is_ascii)?;
                    let b = b.to_ascii_lowercase();
                    if !bytes.contains(&b) {
                        bytes.push(b);
                    }
                    if bytes.len() > CLASS_MAX {
                        return None;
                    }
                }
                Some(())
            };
            match class {
                Class::Bytes(c) => {
                    for r in c.ranges() {
                        add(u32::from(r.start()), u32::from(r.end()))?;
                    }
                }
                Class::Unicode(c) => {
                    for r in c.ranges() {
                        add(u32::from(r.start()), u32::from(r.end()))?;
                    }
                }
            }
            Some((bytes.into_iter().map(|b| vec![b]).collect(), true))
        }
        HirKind::Capture(c) => openings(&c.sub),
        HirKind::Repetition(rep) => {
            let (sub, exact) = openings(&rep.sub)?;
            match (rep.min, rep.max) {
                (0, Some(1)) => {
                    let mut out = sub;
                    out.push(Vec::new());
                    Some((out, exact))
                }
                (1, Some(1)) => Some((sub, exact)),
                // Zero or more: any match may begin with nothing of it.
                (0, _) => Some((vec![Vec::new()], false)),
                // One or more: every match begins with one of its openings.
                _ => Some((sub, false)),
            }
        }
        HirKind::Concat(parts) => {
            let mut acc: Vec<Vec<u8>> = vec![Vec::new()];
            for part in parts {
                let Some((next, exact)) = openings(part) else {
                    return Some((acc, false));
                };
                let mut joined = Vec::with_capacity(acc.len() * next.len());
                // A cut opening is no longer a whole match of the parts.
                let mut cut = false;
                for a in &acc {
                    for n in &next {
                        let mut o = a.clone();
                        o.extend_from_slice(n);
                        cut |= o.len() > LONGEST;
                        o.truncate(LONGEST);
                        joined.push(o);
                    }
                }
                joined.sort();
                joined.dedup();
                if joined.len() > MOST {
                    return Some((acc, false));
                }
                acc = joined;
                if !exact || cut {
                    return Some((acc, false));
                }
            }
            Some((acc, true))
        }
        HirKind::Alternation(alts) => {
            let mut out = Vec::new();
            let mut exact = true;
            for alt in alts {
                let (o, e) = openings(alt)?;
                out.extend(o);
                exact &= e;
                if out.len() > MOST {
                    return None;
                }
            }
            Some((out, exact))
        }
    }
}
