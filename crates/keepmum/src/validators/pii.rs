//! PII validators: payment cards (IIN ranges, lengths, Luhn), US SSNs (area,
//! group and serial ranges), IBANs (country length, mod-97), UK NHS numbers
//! (mod-11), phone numbers (international and NANP shapes plus a context
//! word) and email addresses (reserved domains and non-email `@` uses).
//!
//! Every function is pure, total and linear in its input.

use super::{Context, Verdict};
use crate::finding::Confidence;

// ---------------------------------------------------------------- helpers

/// The ASCII digits of `s`, as values 0–9.
fn digits_of(s: &[u8]) -> Vec<u8> {
    // Sized up front: a filtered iterator has no size hint, and growing
    // cost more than the digits (a row of card-like groups asks per match).
    let mut out = Vec::with_capacity(s.len());
    out.extend(s.iter().filter(|b| b.is_ascii_digit()).map(|b| b - b'0'));
    out
}

/// The separator bytes (anything not a digit) of `s`.
fn separators(s: &[u8]) -> impl Iterator<Item = u8> + '_ {
    s.iter().copied().filter(|b| !b.is_ascii_digit())
}

/// Lengths of the digit groups of `s` split at non-digits.
fn group_lengths(s: &[u8]) -> Vec<usize> {
    let mut out = Vec::with_capacity(8);
    out.extend(s.split(|b| !b.is_ascii_digit()).map(<[u8]>::len));
    out
}

/// True when all separators in `s` are the same byte and it is one of `allowed`.
fn consistent_separators(s: &[u8], allowed: &[u8]) -> bool {
    let mut seps = separators(s);
    match seps.next() {
        None => true,
        Some(first) => allowed.contains(&first) && seps.all(|b| b == first),
    }
}

/// The bytes just before and after the candidate inside its line.
fn neighbours(cx: &Context<'_>, len: usize) -> (Option<u8>, Option<u8>, Option<u8>) {
    let start = cx.secret_start.min(cx.line.len());
    let end = start.saturating_add(len).min(cx.line.len());
    let before = start.checked_sub(1).and_then(|i| cx.line.get(i)).copied();
    let after = cx.line.get(end).copied();
    let after2 = cx.line.get(end + 1).copied();
    (before, after, after2)
}

/// True when the candidate is glued to a longer number, version, decimal or
/// identifier (`1.4111…`, `x4111…`, `…1111-2`).
pub(super) fn glued(cx: &Context<'_>, len: usize) -> bool {
    let (before, after, after2) = neighbours(cx, len);
    let bad_before = matches!(before, Some(b) if b.is_ascii_alphanumeric()
        || matches!(b, b'.' | b'-' | b'_' | b'/' | b'+' | b'$' | b'#' | b'='));
    let bad_after = match after {
        Some(b) if b.is_ascii_alphanumeric() || b == b'_' => true,
        Some(b'.' | b'-' | b'/') => matches!(after2, Some(c) if c.is_ascii_digit()),
        _ => false,
    };
    // `=` before is fine for `x=4111...` assignments.
    let bad_before = bad_before && before != Some(b'=');
    bad_before || bad_after
}

/// [`glued`] for a candidate at `span` of `hay`, whatever line window the
/// engine gives the validator: it reads at most the byte before the span
/// and two after it, which lie in the span's line, and a line break or the
/// input's edge in their place glues nothing.
pub(crate) fn glued_at(hay: &[u8], span: std::ops::Range<usize>) -> bool {
    let cx = Context {
        line: hay,
        secret_start: span.start,
        ..Context::default()
    };
    glued(&cx, span.len())
}

/// The bit set of the lengths (below 64) of `wanted`.
fn word_lengths(wanted: &[&str]) -> u64 {
    wanted
        .iter()
        .filter(|x| x.len() < 64)
        .fold(0u64, |acc, x| acc | 1 << x.len())
}

/// True when `word` lowercased is `x`.
fn lowered_is(word: &[u8], x: &[u8]) -> bool {
    word.len() == x.len()
        && word
            .iter()
            .zip(x)
            .all(|(a, b)| a.to_ascii_lowercase() == *b)
}

/// True when `word` lowercased is one of `wanted` (`lengths`: their
/// [`word_lengths`], so most words are never compared).
fn is_wanted(word: &[u8], wanted: &[&str], lengths: u64) -> bool {
    word.len() < 64
        && lengths & (1 << word.len()) != 0
        && wanted.iter().any(|x| lowered_is(word, x.as_bytes()))
}

/// The lengths and first letters of a word list's words: bit `c - b'a'` of
/// entry `n` is set when a word of `n` bytes starting with letter `c` is
/// wanted. Most words of a line differ from every wanted one in these, so
/// they are never compared (the phone list has words of 2 to 9 letters,
/// which most words of code are).
#[derive(Clone, Copy, Debug)]
struct WordFilter([u32; 64]);

impl WordFilter {
    fn of(wanted: &[&str]) -> WordFilter {
        let mut table = [0u32; 64];
        for w in wanted {
            if let (Some(slot), Some(&c)) = (table.get_mut(w.len()), w.as_bytes().first()) {
                if c.is_ascii_lowercase() {
                    *slot |= 1 << (c - b'a');
                }
            }
        }
        WordFilter(table)
    }

    /// False when `word` (letters) lowercased is surely not wanted: a
    /// wanted word that does not start with a lowercase letter equals no
    /// word of letters lowercased.
    fn may_want(&self, word: &[u8]) -> bool {
        match (self.0.get(word.len()), word.first()) {
            (Some(bits), Some(&c)) if c.is_ascii_alphabetic() => {
                bits >> (c.to_ascii_lowercase() - b'a') & 1 != 0
            }
            _ => false,
        }
    }
}

/// Calls `f` with the start and end of every word of `line` (see
/// [`has_word`]) in order, until it returns true; true if it did.
fn any_word(line: &[u8], mut f: impl FnMut(usize, usize) -> bool) -> bool {
    // Words are found a run of letters at a time: the bytes between them
    // skipped in a tight loop, each run split at its humps.
    let mut i = 0;
    while i < line.len() {
        if !line[i].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let mut start = i;
        let mut prev_lower = line[i].is_ascii_lowercase();
        i += 1;
        while let Some(&b) = line.get(i).filter(|b| b.is_ascii_alphabetic()) {
            if b.is_ascii_uppercase() && prev_lower {
                if f(start, i) {
                    return true;
                }
                start = i;
            }
            prev_lower = b.is_ascii_lowercase();
            i += 1;
        }
        if f(start, i) {
            return true;
        }
    }
    false
}

/// True when one of `wanted` (lowercase) is a word of `line`: a run of
/// ASCII letters, also split at camelCase humps (`phoneNumber` → `phone`,
/// `number`), compared lowercased. Streams over `line` without allocating
/// (validators call it with lines of up to 5 KiB). The reference of
/// [`WordMemo`].
pub(super) fn has_word(line: &[u8], wanted: &[&str]) -> bool {
    let lengths = word_lengths(wanted);
    any_word(line, |a, b| is_wanted(&line[a..b], wanted, lengths))
}

/// The word lists a [`WordMemo`] remembers, one slot each.
#[derive(Clone, Copy, Debug)]
enum WordList {
    Card,
    Ssn,
    Nhs,
    Phone,
    StrongPhone,
}

/// What a [`WordMemo`] knows of one word list.
#[derive(Debug, Default)]
struct WordSlot {
    /// `hay[from..to]` was split into words (`to` at the end of a run of
    /// letters, so no word straddles it; the first word may be cut at
    /// `from`)...
    from: usize,
    to: usize,
    /// ... and these are those of them that are wanted, in order.
    hits: Vec<(usize, usize)>,
}

/// [`has_word`] over the engine's windows of one haystack, which overlap
/// (up to ~5 KiB each around every match of a long line): each slot
/// remembers the words already found in the bytes scanned for its list,
/// so a window sliding along a line reads only its new bytes, plus at
/// most 64 bytes at each of its ends (the words cut there). Same answers
/// as `has_word` on the window (a property test holds it to that).
#[derive(Debug)]
pub(crate) struct WordMemo<'h> {
    hay: &'h [u8],
    slots: std::cell::RefCell<[WordSlot; 5]>,
    /// Each list's [`WordFilter`], made on first use.
    filters: [std::cell::OnceCell<WordFilter>; 5],
}

impl<'h> WordMemo<'h> {
    /// A memo for windows of `hay`.
    pub(crate) fn new(hay: &'h [u8]) -> Self {
        WordMemo {
            hay,
            slots: Default::default(),
            filters: Default::default(),
        }
    }

    /// `has_word(&hay[a..b], wanted)`, `list` naming `wanted`.
    fn has_word(&self, list: WordList, wanted: &[&str], a: usize, b: usize) -> bool {
        let hay = self.hay;
        let b = b.min(hay.len());
        let a = a.min(b);
        // Made when a word is first compared: most scans need none.
        let filter = self.filters[list as usize].get_or_init(|| WordFilter::of(wanted));
        let is = |s: usize, e: usize| {
            let word = &hay[s..e];
            filter.may_want(word) && wanted.iter().any(|x| lowered_is(word, x.as_bytes()))
        };
        let hump = |i: usize| hay[i].is_ascii_uppercase() && hay[i - 1].is_ascii_lowercase();
        let alpha = |i: usize| hay[i].is_ascii_alphabetic();
        // The window's first word, cut at `a` (or at `b`) as the window
        // cuts it; no match when it runs to 64 bytes.
        if a < b && alpha(a) {
            let mut e = a + 1;
            while e < b && e - a < 64 && alpha(e) && !hump(e) {
                e += 1;
            }
            if is(a, e) {
                return true;
            }
        }
        // Its last word, cut at `b`.
        if a < b && alpha(b - 1) {
            let mut s = b - 1;
            while s > a && b - s < 64 && alpha(s - 1) && !hump(s) {
                s -= 1;
            }
            if is(s, b) {
                return true;
            }
        }
        // The words between: scan what the slot has not seen yet.
        let mut slots = self.slots.borrow_mut();
        let slot = &mut slots[list as usize];
        if a < slot.from || a > slot.to {
            slot.hits.clear();
            slot.from = a;
            slot.to = a;
        }
        if b > slot.to {
            let mut q = b;
            while q < hay.len() && alpha(q) {
                q += 1;
            }
            // Stretches with no letter (rows of digit groups) skipped a
            // block at a time: no word starts there.
            let mut p = slot.to;
            while q - p >= 32
                && !hay[p..p + 32]
                    .iter()
                    .fold(false, |any, b| any | b.is_ascii_alphabetic())
            {
                p += 32;
            }
            // The rest, shorter than a block, skipped too when it has no
            // letter (a match's new bytes on a row of digit groups).
            if !hay[p..q]
                .iter()
                .fold(false, |any, b| any | b.is_ascii_alphabetic())
            {
                p = q;
            }
            let hits = &mut slot.hits;
            any_word(&hay[p..q], |s, e| {
                if is(p + s, p + e) {
                    hits.push((p + s, p + e));
                }
                false
            });
            slot.to = q;
        }
        let first = slot.hits.partition_point(|&(s, _)| s < a);
        slot.hits.get(first).is_some_and(|&(_, e)| e <= b)
    }
}

/// `has_word(cx.line, wanted)`, through the engine's memo when it has one.
fn cx_has_word(cx: &Context<'_>, list: WordList, wanted: &[&str]) -> bool {
    match cx.words {
        Some(memo) => {
            debug_assert!(std::ptr::eq(
                memo.hay[cx.line_start..].as_ptr(),
                cx.line.as_ptr()
            ));
            memo.has_word(list, wanted, cx.line_start, cx.line_start + cx.line.len())
        }
        None => has_word(cx.line, wanted),
    }
}

/// True when `needle` (lowercase ASCII) occurs in `hay` case-insensitively.
pub(crate) fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let Some(last) = hay.len().checked_sub(needle.len()) else {
        return false;
    };
    // Only where the first byte matches (memchr), not at every position:
    // validators call this for each finding with its whole line (up to
    // 5 KiB), once per context word.
    let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    memchr::memchr2_iter(lower, upper, &hay[..=last])
        .any(|i| hay[i + 1..i + needle.len()].eq_ignore_ascii_case(rest))
}

// ------------------------------------------------------------------ cards

/// Luhn checksum over digit values.
pub(crate) fn luhn_valid(digits: &[u8]) -> bool {
    if digits.is_empty() || digits.iter().any(|&d| d > 9) {
        return false;
    }
    // A doubled digit's digit sum, by the digit.
    const DOUBLED: [u8; 10] = [0, 2, 4, 6, 8, 1, 3, 5, 7, 9];
    let mut sum = 0u32;
    for (i, &d) in digits.iter().rev().enumerate() {
        sum += u32::from(if i % 2 == 1 {
            DOUBLED[usize::from(d)]
        } else {
            d
        });
    }
    sum.is_multiple_of(10)
}

/// The number formed by the first `n` digits.
fn prefix(digits: &[u8], n: usize) -> u32 {
    digits
        .iter()
        .take(n)
        .fold(0u32, |acc, &d| acc * 10 + u32::from(d))
}

/// The card brand's valid lengths, if `digits` starts with a known IIN.
fn card_lengths(digits: &[u8]) -> Option<&'static [usize]> {
    // The IIN's first 6 digits once, the shorter prefixes from them (as
    // `prefix` reads them when there are fewer digits).
    let p6 = prefix(digits, 6);
    const POW10: [u32; 7] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];
    let shorter = |n: usize| p6 / POW10[digits.len().min(6).saturating_sub(n)];
    let (p1, p2, p3, p4) = (shorter(1), shorter(2), shorter(3), shorter(4));
    if p1 == 4 {
        return Some(&[13, 16, 19]); // Visa
    }
    if (51..=55).contains(&p2) || (2221..=2720).contains(&p4) {
        return Some(&[16]); // Mastercard
    }
    if p2 == 34 || p2 == 37 {
        return Some(&[15]); // American Express
    }
    if p4 == 6011 || (644..=649).contains(&p3) || p2 == 65 || (622_126..=622_925).contains(&p6) {
        return Some(&[16, 17, 18, 19]); // Discover
    }
    if (3528..=3589).contains(&p4) {
        return Some(&[16, 17, 18, 19]); // JCB
    }
    if (300..=305).contains(&p3) || p2 == 36 || p2 == 38 || p2 == 39 || p4 == 3095 {
        return Some(&[14, 15, 16, 17, 18, 19]); // Diners Club
    }
    if p2 == 62 || p2 == 81 {
        return Some(&[16, 17, 18, 19]); // UnionPay
    }
    if matches!(
        p4,
        5018 | 5020 | 5038 | 5893 | 6304 | 6759 | 6761 | 6762 | 6763
    ) {
        return Some(&[13, 14, 15, 16, 17, 18, 19]); // Maestro
    }
    None
}

/// Card numbers published by payment processors for testing.
const TEST_CARDS: &[&str] = &[
    "4111111111111111",
    "4242424242424242",
    "4012888888881881",
    "4222222222222",
    "4000056655665556",
    "4000002500003155",
    "4000000000003220",
    "4000000000009995",
    "4000000000000002",
    "4000000000000077",
    "4000000000000341",
    "4444333322221111",
    "4917610000000000",
    "4035501000000008",
    "5555555555554444",
    "5105105105105100",
    "5200828282828210",
    "5454545454545454",
    "2223003122003222",
    "2221000000000009",
    "378282246310005",
    "371449635398431",
    "378734493671000",
    "6011111111111117",
    "6011000990139424",
    "6011000000000004",
    "3530111333300000",
    "3566002020360505",
    "30569309025904",
    "38520000023237",
    "36227206271667",
    "3056930009020004",
    "6200000000000005",
    "6759649826438453",
];

fn is_test_card(digits: &[u8]) -> bool {
    let s: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
    if TEST_CARDS.contains(&s.as_str()) {
        return true;
    }
    // Processor test numbers are mostly one digit repeated (4000 0000 …).
    let mut counts = [0usize; 10];
    for &d in digits {
        if let Some(c) = counts.get_mut(usize::from(d)) {
            *c += 1;
        }
    }
    counts.iter().any(|&c| c * 3 >= digits.len() * 2)
}

/// The digits and digit groups of a card-number candidate.
pub(crate) struct CardNumber {
    digits: [u8; 19],
    len: usize,
    groups: usize,
}

/// `s` read as a payment card number, whatever its context: separators
/// (spaces or dashes, used consistently, in 4-4-4-4(-3) or 4-6-5/4-6-4
/// groups), a known IIN, the brand's length and Luhn. `None` when `card`
/// rejects `s` wherever it stands.
pub(crate) fn card_number(s: &[u8]) -> Option<CardNumber> {
    // One pass, on the stack: a row of card-like groups asks per match.
    // More than 19 digits or 8 groups is rejected below whatever else
    // holds (no brand is longer; grouped shapes have at most 4 groups of at
    // most 4 digits).
    let (mut digit_buf, mut group_buf) = ([0u8; 19], [0u8; 8]);
    let (mut nd, mut ng) = (0, 1);
    let mut separator = None;
    for &b in s {
        let d = b.wrapping_sub(b'0');
        if d < 10 {
            *digit_buf.get_mut(nd)? = d;
            nd += 1;
            group_buf[ng - 1] += 1;
        } else {
            // Separators: spaces or dashes, one kind throughout.
            if *separator.get_or_insert(b) != b || !matches!(b, b' ' | b'-') {
                return None;
            }
            if ng == group_buf.len() {
                return None;
            }
            ng += 1;
        }
    }
    let (digits, groups) = (&digit_buf[..nd], &group_buf[..ng]);
    if groups.len() > 1 {
        let fours = groups.len() >= 4
            && groups[..groups.len() - 1].iter().all(|&g| g == 4)
            && (1..=4).contains(&groups[groups.len() - 1]);
        let amex_like =
            groups.len() == 3 && groups[0] == 4 && groups[1] == 6 && (4..=5).contains(&groups[2]);
        if !(fours || amex_like) {
            return None;
        }
    }
    // Every brand's numbers have 13 digits or more (and its IIN's 6 are
    // read whole).
    if nd < 13 {
        return None;
    }
    let lengths = card_lengths(digits)?;
    if !lengths.contains(&digits.len()) || !luhn_valid(digits) {
        return None;
    }
    Some(CardNumber {
        digits: digit_buf,
        len: nd,
        groups: ng,
    })
}

/// Payment card numbers: a [`card_number`] not glued to a longer number,
/// and not one of a table or row of numbers unless a card word says so.
/// Published test numbers are kept at low confidence.
pub(crate) fn card(s: &[u8], cx: &Context<'_>) -> Verdict {
    if glued(cx, s.len()) {
        return Verdict::Reject;
    }
    let Some(number) = card_number(s) else {
        return Verdict::Reject;
    };
    if number.groups == 1 && !card_context(cx) && in_number_table(cx, s.len()) {
        return Verdict::Reject;
    }
    if number.groups > 1 && in_number_row(cx, s.len()) && !card_context(cx) {
        return Verdict::Reject;
    }
    // Nineteen digits in one run is the width of a 64-bit integer (float
    // bit patterns, snowflake ids, hashes); no card is written so without
    // a card word nearby.
    if number.groups == 1 && number.len == 19 && !card_context(cx) {
        return Verdict::Reject;
    }
    if is_test_card(&number.digits[..number.len]) {
        return Verdict::AcceptWith(Confidence::Low);
    }
    Verdict::Accept
}

fn card_context(cx: &Context<'_>) -> bool {
    cx_has_word(
        cx,
        WordList::Card,
        &[
            "card",
            "cards",
            "cc",
            "ccn",
            "cc_number",
            "credit",
            "debit",
            "pan",
            "visa",
            "mastercard",
            "amex",
            "discover",
            "jcb",
            "maestro",
            "unionpay",
            "payment",
            "cvv",
            "cvc",
            "expiry",
        ],
    )
}

/// True when a digit-grouped candidate is really a stretch of a row of
/// space-separated numbers (SVG path data, PostScript, numeric dumps): a
/// number stands right before or right after it with only blanks between.
pub(crate) fn in_number_row(cx: &Context<'_>, len: usize) -> bool {
    let start = cx.secret_start.min(cx.line.len());
    let end = start.saturating_add(len).min(cx.line.len());
    let blank = |b: &&u8| matches!(**b, b' ' | b'\t');
    let before = &cx.line[..start];
    let gap_before = before.iter().rev().take_while(blank).count();
    let prev = before.len().checked_sub(gap_before + 1).map(|i| before[i]);
    let after = &cx.line[end..];
    let gap_after = after.iter().take_while(blank).count();
    let next = after.get(gap_after).copied();
    let next2 = after.get(gap_after + 1).copied();
    let number_before =
        gap_before > 0 && matches!(prev, Some(b) if b.is_ascii_digit() || b == b'.');
    let number_after = gap_after > 0
        && match next {
            Some(b) if b.is_ascii_digit() => true,
            Some(b'-' | b'.') => matches!(next2, Some(b) if b.is_ascii_digit()),
            _ => false,
        };
    // SVG and PostScript path data: `Q 3559 1806 3559 1356`, `… 12 l`.
    let command_before = gap_before > 0
        && matches!(prev, Some(b) if b.is_ascii_alphabetic())
        && (before.len() == gap_before + 1
            || !before[before.len() - gap_before - 2].is_ascii_alphanumeric());
    let command_after = gap_after > 0
        && matches!(next, Some(b) if b.is_ascii_alphabetic())
        && !matches!(next2, Some(b) if b.is_ascii_alphanumeric());
    number_before || number_after || command_before || command_after
}

/// True when a bare number sits among other long numbers or alone on its
/// line: a numeric table or constant list in code, not a record.
fn in_number_table(cx: &Context<'_>, len: usize) -> bool {
    let start = cx.secret_start.min(cx.line.len());
    let end = start.saturating_add(len).min(cx.line.len());
    let rest: Vec<u8> = cx.line[..start]
        .iter()
        .chain(&cx.line[end..])
        .copied()
        .collect();
    // Other standalone numbers of 6+ digits (not parts of ids like `DE44…`).
    let other_long = rest
        .split(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
        .any(|tok| tok.len() >= 6 && tok.iter().all(u8::is_ascii_digit));
    let alone = rest
        .iter()
        .all(|b| b.is_ascii_whitespace() || matches!(b, b',' | b';' | b'"' | b'\'' | b'[' | b']'));
    other_long || alone
}

// -------------------------------------------------------------------- SSN

/// SSNs printed in documentation and advertising, or trivially sequential.
const SAMPLE_SSNS: &[&str] = &[
    "078051120",
    "219099999",
    "123456789",
    "987654321",
    "457555462",
];

/// `s` read as a US social security number, whatever its context: nine
/// digits, bare or in 3-2-4 groups split by one kind of separator, in the
/// assigned area, group and serial ranges, not a published or sequential
/// sample. `Some(true)` for the dashed form, which needs no context word;
/// `None` when `ssn` rejects `s` wherever it stands.
pub(crate) fn ssn_number(s: &[u8]) -> Option<bool> {
    let digits = digits_of(s);
    if digits.len() != 9 {
        return None;
    }
    let groups = group_lengths(s);
    let dashed = groups == [3, 2, 4] && consistent_separators(s, b"-");
    let spaced = groups == [3, 2, 4] && consistent_separators(s, b" ");
    let bare = groups == [9];
    if !(dashed || spaced || bare) {
        return None;
    }
    if !ssn_ranges(&digits) {
        return None;
    }
    let text: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
    if SAMPLE_SSNS.contains(&text.as_str()) || digits.iter().all(|&d| d == digits[0]) {
        return None;
    }
    // `111-22-3333`: every group one repeated digit, a sample value.
    let repeated = |g: &[u8]| g.iter().all(|&d| d == g[0]);
    if repeated(&digits[..3]) && repeated(&digits[3..5]) && repeated(&digits[5..]) {
        return None;
    }
    Some(dashed)
}

/// True when nine digits (values 0–9) are in the assigned area, group and
/// serial ranges of a US social security number.
pub(crate) fn ssn_ranges(digits: &[u8]) -> bool {
    let area = prefix(digits, 3);
    let group = prefix(digits.get(3..).unwrap_or_default(), 2);
    let serial = prefix(digits.get(5..).unwrap_or_default(), 4);
    digits.len() == 9 && area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
}

/// US social security numbers: an [`ssn_number`] not glued to a longer
/// number. The dashed form stands alone; the spaced and bare forms need
/// `ssn` or `social security` in the line.
pub(crate) fn ssn(s: &[u8], cx: &Context<'_>) -> Verdict {
    if glued(cx, s.len()) {
        return Verdict::Reject;
    }
    match ssn_number(s) {
        Some(dashed) if dashed || ssn_context(cx) => Verdict::Accept,
        _ => Verdict::Reject,
    }
}

fn ssn_context(cx: &Context<'_>) -> bool {
    let line = cx.line;
    cx_has_word(cx, WordList::Ssn, &["ssn", "ssns", "ssa"])
        || contains_ci(line, b"social security")
        || contains_ci(line, b"social_security")
        || contains_ci(line, b"socialsecurity")
        || contains_ci(line, b"social-security")
}

// ------------------------------------------------------------------- IBAN

/// IBAN lengths per country (SWIFT IBAN registry).
const IBAN_LENGTHS: &[(&[u8; 2], usize)] = &[
    (b"AD", 24),
    (b"AE", 23),
    (b"AL", 28),
    (b"AT", 20),
    (b"AZ", 28),
    (b"BA", 20),
    (b"BE", 16),
    (b"BG", 22),
    (b"BH", 22),
    (b"BI", 27),
    (b"BR", 29),
    (b"BY", 28),
    (b"CH", 21),
    (b"CR", 22),
    (b"CY", 28),
    (b"CZ", 24),
    (b"DE", 22),
    (b"DJ", 27),
    (b"DK", 18),
    (b"DO", 28),
    (b"EE", 20),
    (b"EG", 29),
    (b"ES", 24),
    (b"FI", 18),
    (b"FK", 18),
    (b"FO", 18),
    (b"FR", 27),
    (b"GB", 22),
    (b"GE", 22),
    (b"GI", 23),
    (b"GL", 18),
    (b"GR", 27),
    (b"GT", 28),
    (b"HN", 28),
    (b"HR", 21),
    (b"HU", 28),
    (b"IE", 22),
    (b"IL", 23),
    (b"IQ", 23),
    (b"IS", 26),
    (b"IT", 27),
    (b"JO", 30),
    (b"KW", 30),
    (b"KZ", 20),
    (b"LB", 28),
    (b"LC", 32),
    (b"LI", 21),
    (b"LT", 20),
    (b"LU", 20),
    (b"LV", 21),
    (b"LY", 25),
    (b"MC", 27),
    (b"MD", 24),
    (b"ME", 22),
    (b"MK", 19),
    (b"MN", 20),
    (b"MR", 27),
    (b"MT", 31),
    (b"MU", 30),
    (b"NI", 28),
    (b"NL", 18),
    (b"NO", 15),
    (b"OM", 23),
    (b"PK", 24),
    (b"PL", 28),
    (b"PS", 29),
    (b"PT", 25),
    (b"QA", 29),
    (b"RO", 24),
    (b"RS", 22),
    (b"RU", 33),
    (b"SA", 24),
    (b"SC", 31),
    (b"SD", 18),
    (b"SE", 24),
    (b"SI", 19),
    (b"SK", 24),
    (b"SM", 27),
    (b"SO", 23),
    (b"ST", 25),
    (b"SV", 28),
    (b"TL", 23),
    (b"TN", 24),
    (b"TR", 26),
    (b"UA", 29),
    (b"VA", 22),
    (b"VG", 24),
    (b"XK", 20),
    (b"YE", 30),
];

/// The registered IBAN length for a country code.
pub(crate) fn iban_length(country: &[u8]) -> Option<usize> {
    IBAN_LENGTHS
        .iter()
        .find(|(c, _)| c.as_slice() == country)
        .map(|&(_, n)| n)
}

/// ISO 7064 mod 97-10 of an IBAN (country and check digits moved to the
/// end, letters as 10–35). A valid IBAN gives 1.
pub(crate) fn iban_mod97(compact: &[u8]) -> Option<u32> {
    if compact.len() < 5 {
        return None;
    }
    let (head, tail) = compact.split_at(4);
    let mut r: u32 = 0;
    for &b in tail.iter().chain(head) {
        let v = match b {
            b'0'..=b'9' => u32::from(b - b'0'),
            b'A'..=b'Z' => u32::from(b - b'A') + 10,
            _ => return None,
        };
        r = if v >= 10 {
            (r * 100 + v) % 97
        } else {
            (r * 10 + v) % 97
        };
    }
    Some(r)
}

/// True when `compact` (an IBAN candidate without its spaces) is an IBAN:
/// letters and digits only, a registered country and its length, check
/// digits, an account part not all zeros, mod-97 = 1.
pub(crate) fn iban_compact(compact: &[u8]) -> bool {
    if compact.len() < 15 || !compact.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    let Some(want) = iban_length(&compact[..2]) else {
        return false;
    };
    if compact.len() != want || !compact[2].is_ascii_digit() || !compact[3].is_ascii_digit() {
        return false;
    }
    // An all-zero account part is a template, not an account.
    if compact[4..].iter().all(|&b| b == b'0') {
        return false;
    }
    iban_mod97(compact) == Some(1)
}

/// IBANs: an [`iban_compact`] with spaces only between groups of four.
pub(crate) fn iban(s: &[u8], cx: &Context<'_>) -> Verdict {
    if glued(cx, s.len()) {
        return Verdict::Reject;
    }
    if s.contains(&b' ') {
        let groups: Vec<&[u8]> = s.split(|&b| b == b' ').collect();
        let n = groups.len();
        if groups[..n - 1].iter().any(|g| g.len() != 4)
            || groups[n - 1].is_empty()
            || groups[n - 1].len() > 4
        {
            return Verdict::Reject;
        }
    }
    // As for phone numbers: an IBAN in a source comment documents a format
    // (`// e.g. CH93 0076 2011 6238 5295 7`, the bank's published sample).
    if source_comment(cx.line) {
        return Verdict::Reject;
    }
    let compact: Vec<u8> = s.iter().copied().filter(|&b| b != b' ').collect();
    if iban_compact(&compact) {
        Verdict::Accept
    } else {
        Verdict::Reject
    }
}

// -------------------------------------------------------------------- NHS

/// The NHS mod-11 check: weights 10..2 on the first nine digits.
pub(crate) fn nhs_check_valid(digits: &[u8]) -> bool {
    if digits.len() != 10 || digits.iter().any(|&d| d > 9) {
        return false;
    }
    let sum: u32 = digits[..9]
        .iter()
        .enumerate()
        .map(|(i, &d)| u32::from(d) * (10 - i as u32))
        .sum();
    let check = 11 - sum % 11;
    let check = if check == 11 { 0 } else { check };
    check != 10 && check == u32::from(digits[9])
}

/// Context words strong enough for a bare ten-digit number.
const STRONG_PHONE_WORDS: &[&str] = &[
    "phone",
    "phones",
    "telephone",
    "tel",
    "mobile",
    "mob",
    "cell",
    "cellphone",
    "fax",
    "sms",
    "whatsapp",
    "landline",
];

const PHONE_WORDS: &[&str] = &[
    "phone",
    "phones",
    "telephone",
    "tel",
    "mobile",
    "mob",
    "cell",
    "cellphone",
    "fax",
    "contact",
    "call",
    "sms",
    "whatsapp",
    "ph",
    "landline",
    "dial",
];

/// `s` read as a UK NHS number, whatever its context: ten digits, bare or
/// in 3-3-4 groups split by one kind of separator (space or dash), with a
/// valid mod-11 check digit, not one digit repeated. `Some(true)` for the
/// grouped form, which needs no context word; `None` when `nhs` rejects
/// `s` wherever it stands.
pub(crate) fn nhs_number(s: &[u8]) -> Option<bool> {
    let shape = |groups: &[usize]| {
        s.split(|b| !b.is_ascii_digit())
            .map(<[u8]>::len)
            .eq(groups.iter().copied())
    };
    let grouped = shape(&[3, 3, 4]) && consistent_separators(s, b" -");
    if !(grouped || shape(&[10])) {
        return None;
    }
    // Either shape holds exactly ten digits.
    let mut digits = [0u8; 10];
    for (d, b) in digits
        .iter_mut()
        .zip(s.iter().filter(|b| b.is_ascii_digit()))
    {
        *d = b - b'0';
    }
    if !nhs_check_valid(&digits) || digits.iter().all(|&d| d == digits[0]) {
        return None;
    }
    Some(grouped)
}

/// UK NHS numbers: an [`nhs_number`] not glued to a longer number, bare
/// with `nhs` in the line, grouped unless it is part of a row of numbers or
/// a phone number.
pub(crate) fn nhs(s: &[u8], cx: &Context<'_>) -> Verdict {
    if glued(cx, s.len()) {
        return Verdict::Reject;
    }
    // The shape and the check digit first: they turn away most digit runs
    // (ten-digit timestamps and ids) before the line is searched for a
    // context word, and without allocating.
    let Some(grouped) = nhs_number(s) else {
        return Verdict::Reject;
    };
    let context = cx_has_word(cx, WordList::Nhs, &["nhs"]);
    if !grouped && !context {
        return Verdict::Reject;
    }
    if context {
        return Verdict::Accept;
    }
    // `… 401 023 2137 88 …`: three numbers of a row of them, not one id.
    if in_number_row(cx, s.len()) {
        return Verdict::Reject;
    }
    // A 3-3-4 digit group next to a phone word is a US phone number far
    // more often than an NHS number.
    if cx_has_word(cx, WordList::Phone, PHONE_WORDS) {
        return Verdict::Reject;
    }
    if s.contains(&b'-') {
        Verdict::AcceptWith(Confidence::Low)
    } else {
        Verdict::Accept
    }
}

// ------------------------------------------------------------------ phone

/// A set of bytes (the separators of a phone number).
#[derive(Clone, Copy, Default)]
struct ByteSet([u64; 4]);

impl ByteSet {
    fn add(&mut self, b: u8) {
        self.0[usize::from(b >> 6)] |= 1 << (b & 63);
    }

    fn has(&self, b: u8) -> bool {
        self.0[usize::from(b >> 6)] & (1 << (b & 63)) != 0
    }

    fn count(&self) -> u32 {
        self.0.iter().map(|w| w.count_ones()).sum()
    }
}

/// What `phone` reads of a candidate's body (the candidate without `(`,
/// `)` and `+`), made in one pass without allocating: phone matches are
/// most of a real tree's digit-run matches, and each made four vectors.
struct PhoneShape {
    /// The separator bytes (anything not a digit).
    kinds: ByteSet,
    /// The number of digit groups split at separators (empty ones too).
    groups: usize,
    /// The first three groups' lengths (0 past the last group).
    first: [usize; 3],
    /// Every group is at most three digits long.
    groups_up_to_3: bool,
}

impl PhoneShape {
    /// `None` when two separators are adjacent in the body.
    fn of(s: &[u8]) -> Option<PhoneShape> {
        let mut shape = PhoneShape {
            kinds: ByteSet::default(),
            groups: 1,
            first: [0; 3],
            groups_up_to_3: true,
        };
        let mut len = 0;
        let mut after_separator = false;
        for b in s
            .iter()
            .copied()
            .filter(|b| !matches!(b, b'(' | b')' | b'+'))
        {
            if b.is_ascii_digit() {
                len += 1;
                after_separator = false;
                continue;
            }
            if after_separator {
                return None;
            }
            after_separator = true;
            shape.kinds.add(b);
            shape.close_group(len);
            shape.groups += 1;
            len = 0;
        }
        shape.close_group(len);
        Some(shape)
    }

    /// Records the length of group number `self.groups`.
    fn close_group(&mut self, len: usize) {
        if let Some(slot) = self.first.get_mut(self.groups - 1) {
            *slot = len;
        }
        self.groups_up_to_3 &= len <= 3;
    }
}

/// Phone numbers: `+CC …` international or NANP forms. A context word
/// (phone, tel, mobile, cell, fax, contact, call…) in the line is required,
/// except for a well-formed international number, which is kept at low
/// confidence without one. Dates, versions, IPs and long ids are rejected.
pub(crate) fn phone(s: &[u8], cx: &Context<'_>) -> Verdict {
    if glued(cx, s.len()) {
        return Verdict::Reject;
    }
    // Counted first, then kept on the stack: most digit runs are not
    // phone-sized.
    let n = s.iter().filter(|b| b.is_ascii_digit()).count();
    if !(8..=15).contains(&n) {
        return Verdict::Reject;
    }
    let mut kept = [0u8; 15];
    for (d, b) in kept.iter_mut().zip(s.iter().filter(|b| b.is_ascii_digit())) {
        *d = b - b'0';
    }
    let digits = &kept[..n];
    if digits.iter().all(|&d| d == digits[0]) {
        return Verdict::Reject;
    }
    // `+46 555-123456`: a subscriber number counted up or down, a sample.
    let tail = &digits[n - 6..];
    if tail.windows(2).all(|w| w[1] == w[0] + 1) || tail.windows(2).all(|w| w[0] == w[1] + 1) {
        return Verdict::Reject;
    }
    let intl = s.first() == Some(&b'+');
    let Some(shape) = PhoneShape::of(s) else {
        return Verdict::Reject;
    };
    let kinds = shape.kinds.count();
    if kinds > 1 && !(kinds == 2 && shape.kinds.has(b' ') && (intl || s.contains(&b'('))) {
        return Verdict::Reject;
    }
    let groups = shape.groups;
    // Dotted quads and versions: `192.168.1.10`, `1.2.3.4567`.
    if kinds == 1 && shape.kinds.has(b'.') && groups >= 4 && shape.groups_up_to_3 {
        return Verdict::Reject;
    }
    // Dates: a group that reads as a year next to month/day-sized groups.
    let [g0, g1, g2] = shape.first;
    let looks_like_date = groups == 3
        && !shape.kinds.has(b' ')
        && ((g0 == 4 && g1 <= 2 && g2 <= 2) || (g0 <= 2 && g1 <= 2 && g2 == 4));
    if looks_like_date {
        return Verdict::Reject;
    }
    if intl {
        if digits[0] == 0 {
            return Verdict::Reject;
        }
        // `+1 555 …`: North American numbers in the fictional 555 exchange.
        if n == 11 && digits[0] == 1 && digits[4..7] == [5, 5, 5] {
            return Verdict::Reject;
        }
    } else {
        if !nanp_number(digits) {
            return Verdict::Reject;
        }
        // A bare ten-digit run is an id more often than a phone number.
        if groups == 1
            && !s.contains(&b'(')
            && !cx_has_word(cx, WordList::StrongPhone, STRONG_PHONE_WORDS)
        {
            return Verdict::Reject;
        }
    }
    // Numbers in source comments are documentation (format examples,
    // a vendor's published switchboard).
    if source_comment(cx.line) {
        return Verdict::Reject;
    }
    if phone_context(cx) {
        return Verdict::Accept;
    }
    if intl && groups >= 3 && (10..=15).contains(&n) {
        return Verdict::AcceptWith(Confidence::Low);
    }
    Verdict::Reject
}

/// True when the digits of a candidate without a `+` (`digits`, values
/// 0–9) can be a North American number: [1] NXX NXX XXXX, not an N11
/// service code, not the fictional 555 exchange, not one digit repeated.
/// `phone` rejects every such candidate whose digits are not.
pub(crate) fn nanp_number(digits: &[u8]) -> bool {
    let d: &[u8] = match digits {
        [1, rest @ ..] if digits.len() == 11 => rest,
        _ => digits,
    };
    d.len() == 10
        && d[0] >= 2
        && d[3] >= 2
        // N11 service codes are not area codes.
        && !(d[1] == 1 && d[2] == 1)
        // The 555 exchange is for fiction and documentation.
        && d[3..6] != [5, 5, 5]
        && digits.iter().any(|&x| x != digits[0])
}

/// True when the line of a phone candidate (`cx.line`) can accept one
/// without a `+`: not a source comment, and a phone word or `tel:` in it.
/// `phone` rejects every such candidate whose line is not.
pub(crate) fn phone_line(cx: &Context<'_>) -> bool {
    !source_comment(cx.line) && phone_context(cx)
}

/// A phone word or `tel:` in the line.
fn phone_context(cx: &Context<'_>) -> bool {
    cx_has_word(cx, WordList::Phone, PHONE_WORDS) || contains_ci(cx.line, b"tel:")
}

// ------------------------------------------------------------------ email

/// Generic TLDs accepted in addresses. Two-letter country codes are
/// accepted unless they are common file extensions that are not ccTLDs.
const GTLDS: &[&str] = &[
    "com",
    "net",
    "org",
    "edu",
    "gov",
    "mil",
    "int",
    "info",
    "biz",
    "name",
    "pro",
    "aero",
    "asia",
    "cat",
    "coop",
    "jobs",
    "mobi",
    "museum",
    "tel",
    "travel",
    "app",
    "dev",
    "cloud",
    "tech",
    "online",
    "site",
    "xyz",
    "top",
    "club",
    "shop",
    "store",
    "blog",
    "email",
    "live",
    "life",
    "world",
    "today",
    "news",
    "media",
    "digital",
    "network",
    "systems",
    "solutions",
    "services",
    "software",
    "company",
    "agency",
    "studio",
    "design",
    "art",
    "space",
    "website",
    "page",
    "one",
    "link",
    "global",
    "group",
    "team",
    "works",
    "zone",
    "center",
    "academy",
    "consulting",
    "engineering",
    "energy",
    "finance",
    "financial",
    "capital",
    "ventures",
    "partners",
    "fund",
    "money",
    "bank",
    "insurance",
    "health",
    "care",
    "clinic",
    "law",
    "legal",
    "city",
    "london",
    "nyc",
    "berlin",
    "paris",
    "tokyo",
    "amsterdam",
    "wien",
    "ovh",
    "google",
    "run",
    "host",
    "hosting",
    "codes",
    "computer",
    "science",
    "institute",
    "foundation",
    "church",
    "family",
    "house",
    "land",
    "social",
    "chat",
    "mail",
    "post",
    "inc",
    "llc",
    "ltd",
    "gmbh",
    "expert",
    "guru",
    "ninja",
    "rocks",
    "cool",
    "fun",
    "games",
    "school",
    "university",
    "college",
    "education",
    "events",
    "marketing",
    "photography",
    "restaurant",
    "hospital",
    "dental",
    "realty",
    "properties",
    "estate",
    "bio",
    "eco",
    "green",
    "earth",
    "africa",
    "nz",
    "swiss",
    "scot",
    "wales",
    "eus",
    "bzh",
    "quebec",
    "nrw",
    "bayern",
    "hamburg",
    "koeln",
    "tirol",
    "vegas",
    "miami",
    "boston",
    "africa",
    "work",
    "plus",
    "love",
    "lol",
    "wtf",
    "moe",
    "ooo",
    "gay",
    "film",
    "music",
    "band",
    "radio",
    "press",
    "report",
    "review",
    "reviews",
    "support",
    "tools",
    "technology",
    "industries",
    "management",
    "training",
    "ai",
    "io",
    "co",
    "me",
    "tv",
];

/// Two-letter endings that are file extensions and not country codes.
const NOT_CCTLDS: &[&str] = &[
    "js", "ts", "go", "rb", "cs", "hs", "el", "ex", "fs", "hh", "db", "gz", "xz", "jl", "kt", "vb",
    "lo", "oo", "ui", "qt", "xx", "zz", "aa", "bb", "cc", "dd", "ii", "jj", "kk", "ll", "mm", "nn",
    "pp", "qq", "rr", "ss", "tt", "uu", "vv", "ww", "yy",
];

/// True when `tld`, ASCII case ignored, may end an address: an IDN
/// (`xn--…`), a two-letter code other than a file extension, or one of
/// `GTLDS`. Read off the bytes with a binary search: a run of addresses
/// under an unknown ending (`user:pass@host.invalid`) compared each one
/// with all 177 names (a fifth of the scan).
fn tld_ok(tld: &[u8]) -> bool {
    static SORTED: std::sync::OnceLock<Vec<&'static [u8]>> = std::sync::OnceLock::new();
    if tld.len() >= 4 && tld[..4].eq_ignore_ascii_case(b"xn--") {
        return true;
    }
    let mut lower = [0u8; 16];
    if tld.len() > lower.len() || !tld.iter().all(u8::is_ascii_alphabetic) {
        // (No listed name is that long.)
        return false;
    }
    let lower = &mut lower[..tld.len()];
    lower.copy_from_slice(tld);
    lower.make_ascii_lowercase();
    if lower.len() == 2 {
        return !NOT_CCTLDS.iter().any(|&t| t.as_bytes() == &*lower);
    }
    SORTED
        .get_or_init(|| {
            let mut sorted: Vec<&[u8]> = GTLDS.iter().map(|t| t.as_bytes()).collect();
            sorted.sort_unstable();
            sorted
        })
        .binary_search(&&*lower)
        .is_ok()
}

/// Domains that are reserved or universally used as placeholders.
fn domain_reserved(domain: &str) -> bool {
    const RESERVED_SUFFIX: &[&str] = &[
        "example.com",
        "example.org",
        "example.net",
        "example.edu",
        "users.noreply.github.com",
        "noreply.github.com",
        // Google Cloud service accounts: machine identities, not people.
        "gserviceaccount.com",
    ];
    const RESERVED_TLD: &[&str] = &[
        "example",
        "test",
        "invalid",
        "localhost",
        "local",
        "internal",
        "lan",
        "localdomain",
        "home",
        "corp",
        "intranet",
    ];
    const PLACEHOLDER_DOMAINS: &[&str] = &[
        "domain.com",
        "yourdomain.com",
        "mydomain.com",
        "yourcompany.com",
        "mycompany.com",
        "company.com",
        "email.com",
        "test.com",
        "testing.com",
        "foo.com",
        "bar.com",
        "foobar.com",
        "foo.bar",
        "sample.com",
        "somewhere.com",
        "someplace.com",
        "somedomain.com",
        "website.com",
        "mysite.com",
        "yoursite.com",
        "server.com",
        "host.com",
        "acme.example",
        "abc.com",
        "xyz.com",
        "dummy.com",
        "fake.com",
        "invalid.com",
        "nowhere.com",
        "none.com",
        "null.com",
    ];
    if domain == "localhost" {
        return true;
    }
    // Mailing-list hosts.
    if domain.starts_with("lists.") || domain.starts_with("list.") || domain == "googlegroups.com" {
        return true;
    }
    if RESERVED_SUFFIX
        .iter()
        .chain(PLACEHOLDER_DOMAINS)
        .any(|s| domain == *s || domain.ends_with(&format!(".{s}")))
    {
        return true;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if let Some(tld) = labels.last() {
        if RESERVED_TLD.contains(tld) {
            return true;
        }
    }
    // `example.co.uk`, `example.de`: the `example` label anywhere but the TLD.
    labels.iter().rev().skip(1).any(|l| *l == "example")
}

/// Local parts that are placeholders or not a person.
fn local_rejected(local: &str) -> bool {
    const LOCALS: &[&str] = &[
        "user",
        "username",
        "name",
        "yourname",
        "your.name",
        "your_name",
        "your-name",
        "youremail",
        "your.email",
        "your_email",
        "email",
        "mail",
        "someone",
        "somebody",
        "anyone",
        "nobody",
        "foo",
        "bar",
        "foobar",
        "test",
        "tester",
        "testing",
        "dummy",
        "fake",
        "sample",
        "noreply",
        "no-reply",
        "no_reply",
        "donotreply",
        "do-not-reply",
        "do_not_reply",
        "mailer-daemon",
        "postmaster",
        "hostmaster",
        "git",
        "xxx",
        "me",
        "you",
        "john.doe",
        "jane.doe",
        "johndoe",
        "janedoe",
        "john",
        "jane",
        // The two ends of a mail in examples (`--mail-from src@…`).
        "sender",
        "recipient",
        "receiver",
        "src",
        "dst",
        "from",
        "to",
    ];
    let l = local.to_ascii_lowercase();
    let base = l.split('+').next().unwrap_or("");
    if LOCALS.contains(&l.as_str()) || ROLE_LOCALS.contains(&base) {
        return true;
    }
    // `your-client@`, `your.app@`: documentation placeholders.
    if ["your-", "your_", "your."].iter().any(|p| l.starts_with(p)) {
        return true;
    }
    // Mailing lists and trackers: `bug-grep@`, `foo-devel@`, `x-request@`.
    const LIST_PREFIXES: &[&str] = &["bug-", "bugs-", "info-", "help-"];
    const LIST_SUFFIXES: &[&str] = &[
        "-devel",
        "-dev",
        "-users",
        "-user",
        "-discuss",
        "-announce",
        "-help",
        "-bugs",
        "-request",
        "-list",
        "-owner",
        "-maintainers",
        "-team",
        "-commits",
        "-general",
    ];
    if LIST_PREFIXES.iter().any(|p| base.starts_with(p))
        || LIST_SUFFIXES.iter().any(|x| base.ends_with(x))
    {
        return true;
    }
    // Message ids and hashes: mostly digits or hex.
    let digits = l.bytes().filter(u8::is_ascii_digit).count();
    let letters = l.bytes().filter(u8::is_ascii_alphabetic).count();
    l.len() >= 10 && digits > letters
}

/// Role mailboxes: an organisation's address, not a person's.
const ROLE_LOCALS: &[&str] = &[
    "info",
    "contact",
    "support",
    "help",
    "admin",
    "administrator",
    "sales",
    "team",
    "hello",
    "press",
    "media",
    "legal",
    "privacy",
    "security",
    "abuse",
    "webmaster",
    "office",
    "enquiries",
    "inquiries",
    "feedback",
    "jobs",
    "careers",
    "conduct",
    "coc",
    "community",
    "opensource",
    "oss",
    "dev",
    "devs",
    "developers",
    "maintainers",
    "root",
    "list",
    "lists",
    "announce",
    "notifications",
    "notification",
    "bugs",
    "bug",
    "issues",
    "licensing",
    "license",
    "ops",
    "it",
    "hr",
    "marketing",
    "newsletter",
    "billing",
    "accounts",
    "service",
    "services",
];

/// True for public attribution: `Name <addr>` / `Name (addr)` in author
/// lists, copyright notices, changelog trailers and git trailers. Email
/// headers (`From:`, `To:`…) keep their addresses.
fn attribution(cx: &Context<'_>, len: usize, before: Option<u8>, after: Option<u8>) -> bool {
    let line = cx.line.trim_ascii_start();
    const HEADERS: &[&[u8]] = &[b"from:", b"to:", b"cc:", b"bcc:", b"reply-to:", b"sender:"];
    if HEADERS
        .iter()
        .any(|h| line.len() >= h.len() && line[..h.len()].eq_ignore_ascii_case(h))
    {
        return false;
    }
    const WORDS: &[&[u8]] = &[
        b"copyright",
        b"(c)",
        b"\xc2\xa9",
        b"author",
        b"maintainer",
        b"uploader",
        b"signed-off-by",
        b"co-authored-by",
        b"reviewed-by",
        b"acked-by",
        b"tested-by",
        b"reported-by",
        b"suggested-by",
        b"who =",
        b"contributor",
        b"written by",
        b"thanks to",
        b"upstream-contact",
        b"mailing list",
        // Package metadata in code (`__email__ = …`, `author_email=…`) and
        // git identities (`git config user.email …`).
        b"__email__",
        b"__contact__",
        b"author_email",
        b"maintainer_email",
        b"user.email",
    ];
    // One pass over the line for all the words (it may be 5 KiB long).
    static WORDS_AC: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> =
        std::sync::OnceLock::new();
    let words = WORDS_AC.get_or_init(|| {
        // A DFA: about one table lookup per byte of a long line.
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(WORDS)
            .ok()
    });
    // The list is fixed, so building cannot fail; if it did, each word is
    // searched on its own.
    let has_word = match words {
        Some(ac) => ac.is_match(cx.line),
        None => WORDS.iter().any(|w| contains_ci(cx.line, w)),
    };
    if has_word || line.starts_with(b"-- ") {
        return true;
    }
    // A source comment (`// Contact: …`, `#   …`, ` * …`): authors' and
    // maintainers' published addresses.
    if source_comment(cx.line) {
        return true;
    }
    let _ = len;
    matches!(
        (before, after),
        (Some(b'<'), Some(b'>')) | (Some(b'('), Some(b')'))
    )
}

/// True when `line` is a source comment (`// …`, `# …`, ` * …`, `-- …`).
/// `#define`, `#include` and `#!` are code, not comments.
fn source_comment(line: &[u8]) -> bool {
    const COMMENTS: &[&[u8]] = &[
        b"//", b"# ", b"#\t", b"##", b"* ", b"/*", b"--", b";;", b"% ", b"<!--",
    ];
    let line = line.trim_ascii_start();
    COMMENTS.iter().any(|c| line.starts_with(c))
}

/// Domains whose `name@domain` strings are protocol names (SSH algorithm,
/// extension and cipher names), not mailboxes.
const PROTOCOL_DOMAINS: &[&str] = &[
    "openssh.com",
    "libssh.org",
    "putty.projects.tartarus.org",
    "tartarus.org",
    "ssh.com",
    "lysator.liu.se",
];

/// True for identifiers that only look like addresses: SSH algorithm names
/// (`chacha20-poly1305@openssh.com`), git-svn ids, and module or package
/// versions (`pkg@v1.2.3`).
fn protocol_identifier(local: &str, domain: &str, line: &[u8]) -> bool {
    if PROTOCOL_DOMAINS
        .iter()
        .any(|d| domain == *d || domain.strip_suffix(d).is_some_and(|h| h.ends_with('.')))
    {
        return true;
    }
    // SSH request and extension names are `name@domain` (RFC 4251 §6), and
    // projects mint their own (`keepalive@golang.org`).
    const SSH_NAMES: &[&str] = &[
        "keepalive",
        "no-more-sessions",
        "hostkeys-00",
        "hostkeys-prove-00",
        "server-sig-algs",
        "ext-info-c",
        "ext-info-s",
        "session-bind",
        "publickey-hostbound",
        "kex-strict-c-v00",
        "kex-strict-s-v00",
    ];
    if SSH_NAMES.iter().any(|n| local.eq_ignore_ascii_case(n)) {
        return true;
    }
    // `module@v1.2.3`, `name@1.2.3-rc.1.tgz`.
    let version = domain.strip_prefix('v').unwrap_or(domain);
    if version
        .split('.')
        .next()
        .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return true;
    }
    contains_ci(line, b"git-svn-id") || (local.contains('/') && domain.contains('/'))
}

/// Email addresses outside reserved and placeholder domains, excluding
/// non-email uses of `@`: SSH remotes (`git@host:path`), retina image names
/// (`icon@2x.png`), package specs, credentials inside URLs.
pub(crate) fn email(s: &[u8], cx: &Context<'_>) -> Verdict {
    // `a@b.io`, read off the bytes before anything is allocated: a dense
    // run of such addresses (a hostile hook payload) paid ~4,000
    // instructions for each. The same rejection as below.
    if let Some(at) = memchr::memrchr(b'@', s) {
        let mut labels = s[at + 1..].rsplit(|&b| b == b'.');
        let _tld = labels.next();
        if at == 1 && labels.next().is_some_and(|l| l.len() == 1) && s.is_ascii() {
            return Verdict::Reject;
        }
    }
    // The ending first, before the text is copied: most addresses in a
    // hostile run end in a name that is no TLD. Exact: every check before
    // the one it replaces (`tld_ok` below, on the last label of the
    // lowercase domain) rejects too, so their order does not matter.
    let domain = memchr::memrchr(b'@', s).map_or(&s[..0], |at| &s[at + 1..]);
    let Some(dot) = memchr::memrchr(b'.', domain) else {
        // No `@` or fewer than two labels.
        return Verdict::Reject;
    };
    if !tld_ok(&domain[dot + 1..]) {
        return Verdict::Reject;
    }
    let Ok(text) = std::str::from_utf8(s) else {
        return Verdict::Reject;
    };
    let Some(at) = text.rfind('@') else {
        return Verdict::Reject;
    };
    let (local, domain) = (&text[..at], &text[at + 1..]);
    if local.is_empty()
        || local.len() > 64
        || local.starts_with('.')
        || local.ends_with('.')
        || local.contains("..")
        || domain.len() > 253
    {
        return Verdict::Reject;
    }
    let domain = domain.to_ascii_lowercase();
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2
        || labels
            .iter()
            .any(|l| l.is_empty() || l.starts_with('-') || l.ends_with('-'))
    {
        return Verdict::Reject;
    }
    let tld = labels[labels.len() - 1];
    // `a@b.com`: one-letter names are test data.
    if labels[labels.len() - 2].len() == 1 && local.len() == 1 {
        return Verdict::Reject;
    }
    if !tld_ok(tld.as_bytes()) || domain_reserved(&domain) || local_rejected(local) {
        return Verdict::Reject;
    }
    // `one@one.org`, `test@test.com`: the name repeats the domain, a sample.
    if local.eq_ignore_ascii_case(labels[labels.len() - 2]) {
        return Verdict::Reject;
    }
    if protocol_identifier(local, &domain, cx.line) {
        return Verdict::Reject;
    }
    // `icon@2x.png`, `sprite@3x`.
    let first = labels[0];
    if first.len() >= 2
        && first.ends_with('x')
        && first[..first.len() - 1].bytes().all(|b| b.is_ascii_digit())
    {
        return Verdict::Reject;
    }
    let (before, after, after2) = neighbours(cx, s.len());
    // `deploy@host.net:/srv/app` (scp/SSH remote); `a@b.com@c` chains.
    if after == Some(b':') && matches!(after2, Some(b) if !b.is_ascii_whitespace()) {
        return Verdict::Reject;
    }
    // A cut-off local part (`et@` of `bret@`) or a chained `@`.
    let local_byte =
        |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-');
    if matches!(before, Some(b) if local_byte(b)) {
        return Verdict::Reject;
    }
    if matches!(after, Some(b'@')) || matches!(before, Some(b'@' | b'/' | b'\\')) {
        return Verdict::Reject;
    }
    if attribution(cx, s.len(), before, after) {
        return Verdict::Reject;
    }
    // Userinfo of a URL (`https://user:pw@host`): other rules own those.
    let start = cx.secret_start.min(cx.line.len());
    let head = &cx.line[..start];
    let token_start = head
        .iter()
        .rposition(|b| {
            b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'<' | b'(' | b'`' | b',')
        })
        .map_or(0, |i| i + 1);
    let token = &head[token_start..];
    if let Some(i) = memchr::memmem::find(token, b"://") {
        let rest = &token[i + 3..];
        if !rest.iter().any(|b| matches!(b, b'/' | b'?' | b'#')) {
            return Verdict::Reject;
        }
    }
    Verdict::Accept
}

#[cfg(test)]
#[path = "tests/pii.rs"]
mod tests;
