//! The built-in digit rules' windows settled without their regexes: a
//! window none of whose matches the rule's validator could accept is
//! skipped before the regex searches it.
//!
//! Most digit runs of real code are ids, timestamps and hashes' digits
//! (`1700000000`, `1234567890`): the NHS rule's `[0-9]{10}` and the bare
//! phone form match them, and each short regex search cost ~1,000
//! instructions before its validator rejected the match. The shape of
//! these rules' matches is known (whole runs of digits joined by one or
//! two separator bytes, an IBAN from its country code), so a byte loop
//! over the window's digit runs finds every digit string a match could
//! read, and the validators' context-free checks (Luhn, mod 11, mod 97,
//! SSN ranges, NANP digits) turn away almost all of them. Exact: a window
//! is skipped only when every match the regex could find in it is
//! rejected by the validator (the rest of `Engine::accept` only rejects
//! more), and a skipped window moves no rule's search position that a
//! later window of the rule depends on (a digit rule's windows do not
//! overlap). A property test compares the findings with the plain path's.

use std::ops::Range;

use crate::rules::ValidatorKind;
use crate::validators::pii;

/// A built-in digit rule whose matches this module knows the shape of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DigitRule {
    Card,
    Iban,
    Nhs,
    Ssn,
    Phone,
}

/// The built-in rules' regexes (`rules/pii.toml`), whose match shapes the
/// checks below rely on: a rule with any other regex is searched as usual
/// (a test fails when the TOML changes them).
pub(super) const REGEXES: &[(DigitRule, ValidatorKind, &str)] = &[
    (DigitRule::Card, ValidatorKind::Card, super::card::PATTERN),
    (
        DigitRule::Iban,
        ValidatorKind::Iban,
        r"\b([A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?)\b",
    ),
    (
        DigitRule::Nhs,
        ValidatorKind::Nhs,
        r"\b([0-9]{3}[ -][0-9]{3}[ -][0-9]{4}|[0-9]{10})\b",
    ),
    (
        DigitRule::Ssn,
        ValidatorKind::Ssn,
        r"\b([0-9]{3}-[0-9]{2}-[0-9]{4}|[0-9]{3} [0-9]{2} [0-9]{4}|[0-9]{9})\b",
    ),
    (
        DigitRule::Phone,
        ValidatorKind::Phone,
        r"(?:(\+[1-9][0-9]{0,2}[ .-]?(?:\([0-9]{1,4}\)[ .-]?)?[0-9]{1,8}(?:[ .-][0-9]{1,8}){1,5}|\+[1-9][0-9]{7,14})|((?:\b1[ .-]?)?(?:\([2-9][0-9]{2}\) ?|\b[2-9][0-9]{2}[ .-]?)[2-9][0-9]{2}[ .-]?[0-9]{4}))\b",
    ),
];

/// Lines of a window longer than this are not split into digit runs (kept
/// in a list, and lines of real digit runs are a few dozen bytes, where a
/// line of card-like groups may be many MB): each rule whose match could
/// start there at all (see `long_line_rules`) searches the whole line.
const LINE_MAX: usize = 4096;

impl DigitRule {
    /// The digit rule a rule is: its regex and validator are a built-in
    /// digit rule's, and it has no secret group (the secret is the match).
    pub(crate) fn of(
        builtin: bool,
        regex: &str,
        validator: Option<ValidatorKind>,
        secret_group: Option<usize>,
    ) -> Option<DigitRule> {
        if !builtin || secret_group.is_some() {
            return None;
        }
        REGEXES
            .iter()
            .find(|(_, kind, re)| Some(*kind) == validator && *re == regex)
            .map(|&(rule, _, _)| rule)
    }

    pub(super) fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// The pieces of the last window where each digit rule could yield a
/// finding: a digit run wakes every digit rule with the same window, and
/// its lines are read once for all of them.
#[derive(Debug, Default)]
pub(crate) struct DigitWindows {
    window: Option<Range<usize>>,
    /// The pieces of `window` where some rule could yield, and the bit set
    /// of those rules (see `DigitRule::bit`).
    pieces: Vec<(Range<usize>, u8)>,
    /// The digit runs of the piece being read, and where its runs after
    /// two capitals start (see `runs_of`).
    runs: Vec<(usize, usize)>,
    lettered: Vec<usize>,
}

impl DigitWindows {
    /// The pieces of `window` (its lines: no digit rule's match holds a
    /// line break) where a match of `rule`'s regex could pass its
    /// validator, into `out`. `phone_line(span)` answers `pii::phone_line`
    /// for a phone match at `span` (the line the engine would give the
    /// validator).
    ///
    /// Searching these pieces alone finds the same matches there as
    /// searching the whole window: no match crosses a line break, so each
    /// search of the whole window that finds a match in a piece starts
    /// before it or at its start, and finds the piece's leftmost one.
    pub(crate) fn pieces(
        &mut self,
        rule: DigitRule,
        hay: &[u8],
        window: &Range<usize>,
        mut phone_line: impl FnMut(Range<usize>) -> bool,
        out: &mut Vec<Range<usize>>,
    ) {
        let window = window.start..window.end.min(hay.len());
        if self.window.as_ref() != Some(&window) {
            self.window = Some(window.clone());
            self.pieces.clear();
            let mut start = window.start;
            while start < window.end {
                let end = memchr::memchr(b'\n', &hay[start..window.end])
                    .map_or(window.end, |i| start + i);
                let piece = start..end;
                let yields = self.could_yield(hay, &piece, &mut phone_line);
                if yields != 0 {
                    self.pieces.push((piece, yields));
                }
                start = end + 1;
            }
        }
        out.extend(
            self.pieces
                .iter()
                .filter(|(_, yields)| yields & rule.bit() != 0)
                .map(|(piece, _)| piece.clone()),
        );
    }

    /// The rules some match of whose regex in `hay[piece]` (one line or
    /// part of one) could pass their validator.
    fn could_yield(
        &mut self,
        hay: &[u8],
        piece: &Range<usize>,
        phone_line: &mut impl FnMut(Range<usize>) -> bool,
    ) -> u8 {
        if piece.is_empty() {
            return 0;
        }
        if piece.len() > LINE_MAX {
            return long_line_rules(hay, piece);
        }
        runs_of(hay, piece, &mut self.runs, &mut self.lettered);
        if self.runs.is_empty() && self.lettered.is_empty() {
            return 0;
        }
        let runs = &self.runs;
        // The digits' checksums and ranges first, in registers; the
        // validators' own context-free checks only for the few they pass.
        let card = chains(hay, runs, 1, b" -", |a, b, digits| {
            (13..=19).contains(&digits.len())
                && pii::luhn_valid(digits)
                && pii::card_number(&hay[a..b]).is_some()
        });
        let nhs = chains(hay, runs, 1, b" -", |a, b, digits| {
            digits.len() == 10
                && pii::nhs_check_valid(digits)
                && pii::nhs_number(&hay[a..b]).is_some()
        });
        let ssn = chains(hay, runs, 1, b" -", |a, b, digits| {
            digits.len() == 9 && pii::ssn_ranges(digits) && pii::ssn_number(&hay[a..b]).is_some()
        });
        let iban = iban(hay, piece, &self.lettered);
        let phone = phone(hay, piece, runs, phone_line);
        [
            (DigitRule::Card, card),
            (DigitRule::Nhs, nhs),
            (DigitRule::Ssn, ssn),
            (DigitRule::Iban, iban),
            (DigitRule::Phone, phone),
        ]
        .iter()
        .filter(|(_, yields)| *yields)
        .fold(0, |set, (rule, _)| set | rule.bit())
    }
}

/// The rules of which some match could start in `hay[piece]`, a line too
/// long to list its digit runs (see `LINE_MAX`), read in one pass without
/// a list. Each rule's regex shape names what a match's first bytes must
/// be (so a rule without them matches nowhere in the line, and its
/// regex's search of it is skipped):
///
/// - a card number: a digit run after a word boundary whose first digit is
///   2–6 and which has 4 digits or more;
/// - an NHS number: a run of 3 or 10 digits between word boundaries
///   (its first group, or all of it); an SSN: one of 3 or 9;
/// - a phone number: a `+` before a digit 1–9, or a run between word
///   boundaries that is a leading `1` alone (no `\b` lies between it and
///   a glued area code), or 3, 6 or 10 digits whose first is 2–9 (the area
///   code, alone, with the exchange, or with all the rest);
/// - an IBAN: two capitals then a digit.
pub(super) fn long_line_rules(hay: &[u8], piece: &Range<usize>) -> u8 {
    let all = DigitRule::Card.bit()
        | DigitRule::Iban.bit()
        | DigitRule::Nhs.bit()
        | DigitRule::Ssn.bit()
        | DigitRule::Phone.bit();
    let text = &hay[piece.clone()];
    let mut rules = 0;
    // `+` and capitals first, by themselves: most long lines of digits
    // have neither.
    if memchr::memchr_iter(b'+', text)
        .any(|i| text.get(i + 1).is_some_and(|c| (b'1'..=b'9').contains(c)))
    {
        rules |= DigitRule::Phone.bit();
    }
    let capitals = text.chunks(64).any(|block| {
        block
            .iter()
            .fold(false, |any, b| any | b.is_ascii_uppercase())
    });
    if capitals
        && text.windows(3).any(|w| {
            w[0].is_ascii_uppercase() && w[1].is_ascii_uppercase() && w[2].is_ascii_digit()
        })
    {
        rules |= DigitRule::Iban.bit();
    }
    let mut i = 0;
    while i < text.len() && rules != all {
        if !text[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < text.len() && text[i].is_ascii_digit() {
            i += 1;
        }
        let at = piece.start + start;
        if at.checked_sub(1).is_some_and(|p| word(hay[p])) {
            continue;
        }
        let (len, lead) = (i - start, text[start]);
        if (b'2'..=b'6').contains(&lead) && len >= 4 {
            rules |= DigitRule::Card.bit();
        }
        if hay.get(piece.start + i).is_none_or(|&c| !word(c)) {
            if matches!(len, 3 | 10) {
                rules |= DigitRule::Nhs.bit();
            }
            if matches!(len, 3 | 9) {
                rules |= DigitRule::Ssn.bit();
            }
            if (len == 1 && lead == b'1') || (matches!(len, 3 | 6 | 10) && lead >= b'2') {
                rules |= DigitRule::Phone.bit();
            }
        }
    }
    rules
}

/// True for the bytes of words: `\b` holds between one and another byte.
fn word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The digit runs inside `window` a card, NHS, SSN or NANP phone match
/// can hold, into `out`: whole runs of `hay` between word boundaries (a
/// match starts and ends with digits at word boundaries, and its digit
/// runs are joined by separators, so a run glued to a letter or cut by the
/// window is none of its runs). The starts of the other runs after two
/// capitals (where an IBAN's digits start) into `lettered`.
fn runs_of(
    hay: &[u8],
    window: &Range<usize>,
    out: &mut Vec<(usize, usize)>,
    lettered: &mut Vec<usize>,
) {
    out.clear();
    lettered.clear();
    let mut i = window.start;
    while i < window.end {
        if !hay[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < window.end && hay[i].is_ascii_digit() {
            i += 1;
        }
        let bounded = start.checked_sub(1).is_none_or(|p| !word(hay[p]))
            && hay.get(i).is_none_or(|&b| !word(b));
        if bounded {
            out.push((start, i));
        } else if start >= window.start + 2
            && hay[start - 2..start].iter().all(u8::is_ascii_uppercase)
        {
            // An IBAN's check digits after its country code.
            lettered.push(start);
        }
    }
}

/// The most digits a chain is read for: a card number's.
const CHAIN_DIGITS: usize = 19;

/// True when `f(start, end, digits)` holds for a chain of consecutive
/// `runs` joined by 1 to `max_joint` bytes of `joints` each, holding at
/// most 19 digits (`start..end`: from the first run's start to the last
/// one's end; `digits`: their values 0–9). The matches of the card, NHS,
/// SSN and NANP phone forms are such chains.
fn chains(
    hay: &[u8],
    runs: &[(usize, usize)],
    max_joint: usize,
    joints: &[u8],
    mut f: impl FnMut(usize, usize, &[u8]) -> bool,
) -> bool {
    let mut digits = [0u8; CHAIN_DIGITS];
    for (i, &(start, _)) in runs.iter().enumerate() {
        let mut n = 0;
        for (j, &(a, b)) in runs.iter().enumerate().skip(i) {
            if j > i {
                let joint = &hay[runs[j - 1].1..a];
                if joint.len() > max_joint || !joint.iter().all(|b| joints.contains(b)) {
                    break;
                }
            }
            if n + (b - a) > CHAIN_DIGITS {
                break;
            }
            for (d, &x) in digits[n..].iter_mut().zip(&hay[a..b]) {
                *d = x - b'0';
            }
            n += b - a;
            if f(start, b, &digits[..n]) {
                return true;
            }
        }
    }
    false
}

/// True when an IBAN match could pass its validator: a country code after
/// a word boundary, two digits (a run's start), then the country's length
/// of letters and digits with single spaces between (the first ones those
/// of any match from there), valid by `pii::iban_compact`.
fn iban(hay: &[u8], window: &Range<usize>, starts: &[usize]) -> bool {
    starts.iter().any(|&a| {
        let Some(p) = a.checked_sub(2).filter(|&p| p >= window.start) else {
            return false;
        };
        if !(hay[p].is_ascii_uppercase() && hay[p + 1].is_ascii_uppercase())
            || p.checked_sub(1).is_some_and(|q| word(hay[q]))
        {
            return false;
        }
        let Some(want) = pii::iban_length(&hay[p..p + 2]) else {
            return false;
        };
        let mut compact = [0u8; 34];
        let mut n = 0;
        let mut q = p;
        let body = |b: u8| b.is_ascii_uppercase() || b.is_ascii_digit();
        while n < want && q < window.end {
            let b = hay[q];
            if body(b) {
                compact[n] = b;
                n += 1;
                q += 1;
            } else if b == b' ' && n >= 4 && q + 1 < window.end && body(hay[q + 1]) {
                q += 1;
            } else {
                break;
            }
        }
        n == want && pii::iban_compact(&compact[..n])
    })
}

/// True when a phone match could pass its validator: a `+` before a digit
/// 1–9 (an international form: searched as usual), or a North American
/// form, a chain of up to 11 digits in runs joined by up to two of
/// ` .()-`, whose digits pass `pii::nanp_number`, not glued to a longer
/// number, whose line passes `phone_line` (the match starts at the chain,
/// or at a `(` just before it).
fn phone(
    hay: &[u8],
    window: &Range<usize>,
    runs: &[(usize, usize)],
    phone_line: &mut impl FnMut(Range<usize>) -> bool,
) -> bool {
    let text = &hay[window.clone()];
    if memchr::memchr_iter(b'+', text)
        .any(|i| text.get(i + 1).is_some_and(|b| (b'1'..=b'9').contains(b)))
    {
        return true;
    }
    chains(hay, runs, 2, b" .()-", |start, end, digits| {
        if !(10..=11).contains(&digits.len()) || !pii::nanp_number(digits) {
            return false;
        }
        // The candidate's neighbours first: a byte loop of their own.
        let paren = start > window.start && hay[start - 1] == b'(';
        let could = |span: Range<usize>, phone_line: &mut dyn FnMut(Range<usize>) -> bool| {
            !pii::glued_at(hay, span.clone()) && phone_line(span)
        };
        could(start..end, phone_line) || (paren && could(start - 1..end, phone_line))
    })
}
