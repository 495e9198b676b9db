//! National identifier validators: Brazil CPF (two mod-11 check digits),
//! India Aadhaar (Verhoeff), Canada SIN (Luhn), UK National Insurance
//! number (allocated prefix letters, suffix A–D), Netherlands BSN (the
//! "11-proof") and Spain DNI/NIE (mod-23 check letter).
//!
//! Each validator checks the number's shape and checksum first, then needs
//! a context word on the line (`cpf`, `aadhaar`, `sin`, `nino`, `bsn`,
//! `dni`…): digit strings of these lengths are everywhere in code, and a
//! checksum alone lets through one in ten or one in eleven of them.
//! Samples (one digit repeated, `123456…` runs) are rejected. Every
//! function is pure, total and linear in its input.

use super::pii::{glued, has_word};
use super::{Context, Verdict};

/// The digit values of `s` (bytes that are not ASCII digits skipped).
fn digit_values(s: &[u8]) -> Vec<u8> {
    s.iter()
        .filter(|b| b.is_ascii_digit())
        .map(|b| b - b'0')
        .collect()
}

/// Lengths of the digit groups of `s` split at non-digits.
fn groups(s: &[u8]) -> Vec<usize> {
    s.split(|b| !b.is_ascii_digit()).map(<[u8]>::len).collect()
}

/// True when every separator (non-digit byte) of `s` is `sep`.
fn separators_are(s: &[u8], sep: &[u8]) -> bool {
    s.iter()
        .filter(|b| !b.is_ascii_digit())
        .all(|b| sep.contains(b))
}

/// True for a sample value: one digit repeated, or an ascending or
/// descending run (`123456789…`, `987654…`, wrapping past 9).
fn sample_digits(d: &[u8]) -> bool {
    let Some(&first) = d.first() else {
        return true;
    };
    let same = d.iter().all(|&x| x == first);
    let up = d.windows(2).all(|w| w[1] == (w[0] + 1) % 10);
    let down = d.windows(2).all(|w| w[0] == (w[1] + 1) % 10);
    same || up || down
}

/// True when `line` holds one of the phrases (lowercase) case-insensitively,
/// with its words joined by a space, `_`, `-` or nothing.
fn has_phrase(line: &[u8], first: &str, second: &str) -> bool {
    [" ", "_", "-", ""].iter().any(|sep| {
        let phrase = format!("{first}{sep}{second}");
        super::pii::contains_ci(line, phrase.as_bytes())
    })
}

/// Shared tail of the digit validators: not glued to a longer token, and
/// the context test holds.
fn verdict(s: &[u8], cx: &Context<'_>, ok: bool, context: impl FnOnce() -> bool) -> Verdict {
    if ok && !glued(cx, s.len()) && context() {
        Verdict::Accept
    } else {
        Verdict::Reject
    }
}

// -------------------------------------------------------------------- CPF

/// The Brazil CPF check: eleven digits whose last two are the mod-11 check
/// digits of the first nine and ten (weights 10..2, then 11..2).
pub(crate) fn cpf_check_valid(d: &[u8]) -> bool {
    if d.len() != 11 || d.iter().any(|&x| x > 9) {
        return false;
    }
    let check = |n: usize| {
        let sum: u32 = d[..n]
            .iter()
            .enumerate()
            .map(|(i, &x)| u32::from(x) * (n as u32 + 1 - i as u32))
            .sum();
        let r = (sum * 10) % 11;
        if r == 10 {
            0
        } else {
            r
        }
    };
    check(9) == u32::from(d[9]) && check(10) == u32::from(d[10])
}

/// Brazil CPF: `ddd.ddd.ddd-dd` or eleven bare digits, valid check digits,
/// not a sample, with `cpf` as a word of the line.
pub(crate) fn br_cpf(s: &[u8], cx: &Context<'_>) -> Verdict {
    let d = digit_values(s);
    let g = groups(s);
    let formatted = g == [3, 3, 3, 2]
        && s.get(3) == Some(&b'.')
        && s.get(7) == Some(&b'.')
        && s.get(11) == Some(&b'-');
    let ok = (formatted || g == [11]) && cpf_check_valid(&d) && !sample_digits(&d);
    verdict(s, cx, ok, || has_word(cx.line, &["cpf", "cpfs"]))
}

// ---------------------------------------------------------------- Aadhaar

const VERHOEFF_D: [[u8; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];

const VERHOEFF_P: [[u8; 10]; 8] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 8, 7, 6, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/// The Verhoeff check over digit values (the last one the check digit).
pub(crate) fn verhoeff_valid(d: &[u8]) -> bool {
    if d.is_empty() || d.iter().any(|&x| x > 9) {
        return false;
    }
    let c = d.iter().rev().enumerate().fold(0u8, |c, (i, &x)| {
        VERHOEFF_D[usize::from(c)][usize::from(VERHOEFF_P[i % 8][usize::from(x)])]
    });
    c == 0
}

/// India Aadhaar: twelve digits (first 2–9), bare or `dddd dddd dddd` /
/// `dddd-dddd-dddd`, Verhoeff-valid, not a sample, with `aadhaar`,
/// `aadhar` or `uidai` as a word of the line (`uid` alone names user ids
/// far more often).
pub(crate) fn in_aadhaar(s: &[u8], cx: &Context<'_>) -> Verdict {
    let d = digit_values(s);
    let g = groups(s);
    let shaped =
        g == [12] || (g == [4, 4, 4] && (separators_are(s, b" ") || separators_are(s, b"-")));
    let ok = shaped
        && d.len() == 12
        && d[0] >= 2
        && verhoeff_valid(&d)
        && !sample_digits(&d)
        && !sample_digits(&d[..11]);
    verdict(s, cx, ok, || {
        has_word(cx.line, &["aadhaar", "aadhar", "aadhaars", "uidai"])
    })
}

// -------------------------------------------------------------------- SIN

/// Canada SIN: nine digits, bare or 3-3-3 split by one kind of space or
/// dash, Luhn-valid, first digit not 0 or 8 (never issued), not a sample,
/// with `sin` or "social insurance" on the line.
pub(crate) fn ca_sin(s: &[u8], cx: &Context<'_>) -> Verdict {
    let d = digit_values(s);
    let g = groups(s);
    let shaped =
        g == [9] || (g == [3, 3, 3] && (separators_are(s, b" ") || separators_are(s, b"-")));
    let ok = shaped
        && d.len() == 9
        && !matches!(d[0], 0 | 8)
        && super::pii::luhn_valid(&d)
        && !sample_digits(&d);
    verdict(s, cx, ok, || {
        has_word(cx.line, &["sin", "sins"]) || has_phrase(cx.line, "social", "insurance")
    })
}

// ------------------------------------------------------------------- NINO

/// Two-letter prefixes never allocated as National Insurance numbers.
const NINO_BAD_PREFIXES: &[&[u8; 2]] = &[b"BG", b"GB", b"NK", b"KN", b"TN", b"NT", b"ZZ"];

/// The letters and digits of a NINO candidate, spaces removed, when it is
/// `AA999999A` or `AA 99 99 99 A` with an allocatable prefix and suffix A–D.
pub(crate) fn nino_valid(s: &[u8]) -> bool {
    let spaces = s.iter().filter(|&&b| b == b' ').count();
    if spaces != 0 && spaces != 4 {
        return false;
    }
    if spaces == 4 && (s.len() != 13 || [2, 5, 8, 11].iter().any(|&i| s.get(i) != Some(&b' '))) {
        return false;
    }
    let c: Vec<u8> = s.iter().copied().filter(|&b| b != b' ').collect();
    if c.len() != 9 {
        return false;
    }
    let (first, second) = (c[0], c[1]);
    let letters_ok = first.is_ascii_uppercase()
        && second.is_ascii_uppercase()
        && !b"DFIQUV".contains(&first)
        && !b"DFIOQUV".contains(&second)
        && !NINO_BAD_PREFIXES.iter().any(|p| p[..] == c[..2]);
    let digits: Vec<u8> = c[2..8].to_vec();
    letters_ok
        && digits.iter().all(u8::is_ascii_digit)
        && (b'A'..=b'D').contains(&c[8])
        && !sample_digits(&digit_values(&digits))
}

/// UK National Insurance number: [`nino_valid`], with `nino`, "national
/// insurance" or `NI number` / `NI no` on the line.
pub(crate) fn uk_nino(s: &[u8], cx: &Context<'_>) -> Verdict {
    verdict(s, cx, nino_valid(s), || {
        has_word(cx.line, &["nino", "ninos", "ninumber"])
            || has_phrase(cx.line, "national", "insurance")
            || (has_word(cx.line, &["ni"]) && has_word(cx.line, &["number", "no", "num"]))
    })
}

// -------------------------------------------------------------------- BSN

/// The Dutch "11-proof": weights 9..2 on the first eight digits, minus the
/// last, is a multiple of 11 (and not zero).
pub(crate) fn bsn_check_valid(d: &[u8]) -> bool {
    if d.len() != 9 || d.iter().any(|&x| x > 9) {
        return false;
    }
    let sum: i32 = d[..8]
        .iter()
        .enumerate()
        .map(|(i, &x)| i32::from(x) * (9 - i as i32))
        .sum::<i32>()
        - i32::from(d[8]);
    sum != 0 && sum % 11 == 0
}

/// Netherlands BSN: nine bare digits or `dddd.dd.ddd`, 11-proof, not a
/// sample, with `bsn`, `burgerservicenummer` or `sofinummer` on the line.
pub(crate) fn nl_bsn(s: &[u8], cx: &Context<'_>) -> Verdict {
    let d = digit_values(s);
    let g = groups(s);
    let shaped = g == [9] || (g == [4, 2, 3] && separators_are(s, b"."));
    let ok = shaped && bsn_check_valid(&d) && !sample_digits(&d);
    verdict(s, cx, ok, || {
        has_word(
            cx.line,
            &["bsn", "burgerservicenummer", "sofinummer", "sofi"],
        )
    })
}

// -------------------------------------------------------------- DNI / NIE

const DNI_LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";

/// Spain DNI (`12345678Z`) or NIE (`X1234567L`), optionally with a dash
/// before the letter: the check letter is the number mod 23 (an NIE's
/// X/Y/Z read as 0/1/2).
pub(crate) fn dni_valid(s: &[u8]) -> bool {
    let c: Vec<u8> = s.iter().copied().filter(|&b| b != b'-').collect();
    if c.len() != 9 || s.len() - c.len() > 2 {
        return false;
    }
    let (lead, body) = match c[0] {
        b'X' => (Some(0u32), &c[1..8]),
        b'Y' => (Some(1), &c[1..8]),
        b'Z' => (Some(2), &c[1..8]),
        _ => (None, &c[..8]),
    };
    if !body.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let mut n = lead.unwrap_or(0);
    for &b in body {
        n = n * 10 + u32::from(b - b'0');
    }
    let d = digit_values(body);
    n != 0 && !sample_digits(&d) && DNI_LETTERS[(n % 23) as usize] == c[8]
}

/// Spain DNI/NIE: [`dni_valid`], with `dni`, `nie` or `nif` on the line.
pub(crate) fn es_dni(s: &[u8], cx: &Context<'_>) -> Verdict {
    verdict(s, cx, dni_valid(s), || {
        has_word(cx.line, &["dni", "nie", "nif", "dnis"])
    })
}

#[cfg(test)]
#[path = "tests/gov_id.rs"]
mod tests;
