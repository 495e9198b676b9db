//! Text that only looks binary or only looks different: UTF-16 (with or
//! without a byte-order mark) and otherwise ordinary text with a stray NUL
//! byte ([`decode_text`]), and text dressed to slip past a scanner while a
//! reader (or a model) still reads it the same way: invisible characters
//! inside a token, full-width or mathematical letters, look-alike letters
//! from other scripts, HTML character references, characters spaced out
//! ([`unobfuscate`]). Callers that see text meant for a model (the agent
//! hook, for prompts and tool output) scan these renderings as well.

/// How many leading bytes are sampled to recognise BOM-less UTF-16.
const SNIFF: usize = 4096;

/// Returns a UTF-8 rendering of `bytes` when they are UTF-16 text or text
/// with a few stray NULs, or `None` when they hold no NUL (already text) or
/// look like real binary data. Unpaired surrogates become U+FFFD; NULs in
/// otherwise textual data become spaces.
pub fn decode_text(bytes: &[u8]) -> Option<Vec<u8>> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return Some(utf16(rest, false));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return Some(utf16(rest, true));
    }
    memchr::memchr(0, bytes)?;
    let sample = &bytes[..bytes.len().min(SNIFF)];
    let pairs = sample.len() / 2;
    if pairs >= 2 {
        let even_zero = sample.iter().step_by(2).filter(|&&b| b == 0).count();
        let odd_zero = sample
            .iter()
            .skip(1)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count();
        // ASCII-heavy UTF-16: every other byte is zero.
        if odd_zero * 10 >= pairs * 4 && even_zero * 10 < pairs {
            return Some(utf16(bytes, false));
        }
        if even_zero * 10 >= pairs * 4 && odd_zero * 10 < pairs {
            return Some(utf16(bytes, true));
        }
    }
    let nuls = bytecount(bytes, 0);
    let controls = bytes
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b | 0))
        .count();
    // A handful of NULs in text: keep the text.
    if nuls * 100 <= bytes.len().max(100) && controls * 100 <= bytes.len() {
        return Some(
            bytes
                .iter()
                .map(|&b| if b == 0 { b' ' } else { b })
                .collect(),
        );
    }
    None
}

/// Shortest run of single characters separated by single spaces
/// (`g h p _ …`) that [`unobfuscate`] joins.
const MIN_SPACED_RUN: usize = 16;

/// Returns `text` as a reader sees it when it holds characters that change
/// how a scanner sees it but not how a person or a model reads it, or `None`
/// when there are none:
///
/// - invisible format characters (zero-width space and joiners, soft
///   hyphen, word joiner, bidirectional marks, byte-order mark) are removed;
/// - full-width ASCII (`ｇｈｐ＿`) and mathematical letters and digits
///   (`𝐠𝐡𝐩`) become ASCII;
/// - Cyrillic and Greek letters that look like Latin ones (`а`, `о`, `Ρ`)
///   become those;
/// - HTML character references for ASCII (`&#103;`, `&#x67;`) are decoded;
/// - a run of at least 16 single characters separated by single spaces is
///   joined;
/// - string literals joined by an operator are one literal (`"ghp_ab" +
///   "cd"`, `'x' . 'y'`, `"a" || "b"`, adjacent `"a" "b"`): how a value
///   is split to slip past a line-by-line scan.
///
/// ```
/// use keepmum::textdecode::unobfuscate;
/// assert_eq!(unobfuscate("a\u{200b}b".as_bytes()).as_deref(), Some(&b"ab"[..]));
/// assert_eq!(unobfuscate(b"plain text"), None);
/// assert_eq!(unobfuscate(b"a%5Fb").as_deref(), Some(&b"a_b"[..]));
/// assert_eq!(unobfuscate(b"50% off"), None);
/// ```
pub fn unobfuscate(bytes: &[u8]) -> Option<Vec<u8>> {
    let plain_ascii = bytes.is_ascii() && memchr::memmem::find(bytes, b"&#").is_none();
    let percent = has_token_escape(bytes);
    if plain_ascii
        && !percent
        && !has_spaced_triple(bytes)
        && !has_joined_literals(bytes)
        && memchr::memmem::find(bytes, b".join(").is_none()
    {
        return None;
    }
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c == '%' && percent {
            // URL encoding (`ghp%5F…`): an escape of a character tokens
            // are made of.
            if let Some(ch) = token_escape(text.as_bytes(), at) {
                out.push(ch);
                changed = true;
                chars.next();
                chars.next();
                continue;
            }
        }
        if c == '&' {
            if let Some((ch, len)) = char_reference(&text[at..]) {
                out.push(ch);
                changed = true;
                while chars.peek().is_some_and(|&(k, _)| k < at + len) {
                    chars.next();
                }
                continue;
            }
        }
        if (c as u32) < 0x80 {
            out.push(c);
            continue;
        }
        if is_invisible(c) {
            changed = true;
            continue;
        }
        match ascii_lookalike(c) {
            Some(a) => {
                out.push(a);
                changed = true;
            }
            None => out.push(c),
        }
    }
    if let Some(joined) = join_spaced_runs(&out) {
        out = joined;
        changed = true;
    }
    if has_joined_literals(out.as_bytes()) {
        if let Some(joined) = join_string_literals(&out, false) {
            out = unwrap_assigned_literals(&joined).unwrap_or(joined);
            changed = true;
        }
    }
    if let Some(joined) = join_calls(&out) {
        out = joined;
        changed = true;
    }
    changed.then(|| out.into_bytes())
}

/// `= ("abcd")` written `= "abcd"`: a value joined from literals continued
/// over lines in parentheses (`KEY = ("ab"\n    "cd")`) reads like a plain
/// assignment. Only a literal alone in parentheses right after `=` or `:`
/// changes; `None` when there is none.
fn unwrap_assigned_literals(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for open in memchr::memchr_iter(b'(', b) {
        if open < copied {
            continue;
        }
        let before = b[..open].iter().rposition(|c| !matches!(c, b' ' | b'\t'));
        if !before.is_some_and(|k| matches!(b[k], b'=' | b':')) {
            continue;
        }
        let skip = |mut i: usize| {
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            i
        };
        let q_at = skip(open + 1);
        let Some(&q) = b.get(q_at).filter(|c| matches!(c, b'"' | b'\'')) else {
            continue;
        };
        let mut j = q_at + 1;
        while j < b.len() && b[j] != q && b[j] != b'\n' {
            j += if b[j] == b'\\' { 2 } else { 1 };
        }
        if b.get(j) != Some(&q) {
            continue;
        }
        let close = skip(j + 1);
        if b.get(close) != Some(&b')') {
            continue;
        }
        out.push_str(&text[copied..open]);
        out.push_str(&text[q_at..=j]);
        copied = close + 1;
    }
    if copied == 0 {
        return None;
    }
    out.push_str(&text[copied..]);
    Some(out)
}

/// Most string pieces one `join` call is read with.
const MAX_JOIN_PIECES: usize = 64;

/// String lists joined by a call, written as the one literal they make:
/// `''.join(['ab', 'cd'])` (Python) and `['ab', 'cd'].join('')`
/// (JavaScript) become `'abcd'`. Only calls whose separator and list
/// items are all string literals are rewritten; `None` when there is none.
/// A value split into list items reads whole to a model (and to the
/// program), so a secret assigned that way is found like any other.
///
/// ```
/// use keepmum::textdecode::join_calls;
/// assert_eq!(join_calls("p = ''.join(['ab', \"cd\"])").as_deref(), Some("p = 'abcd'"));
/// assert_eq!(join_calls("p = ['ab', 'cd'].join('')").as_deref(), Some("p = 'abcd'"));
/// assert_eq!(join_calls("p = ['a', 'b'].join()").as_deref(), Some("p = 'a,b'"));
/// assert_eq!(join_calls("p = ''.join(parts)"), None);
/// ```
pub fn join_calls(text: &str) -> Option<String> {
    memchr::memmem::find(text.as_bytes(), b".join(")?;
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut from = 0;
    while let Some(k) = memchr::memmem::find(&b[from..], b".join(") {
        let dot = from + k;
        let args = dot + ".join(".len();
        from = args;
        let hit = if dot > 0 && b[dot - 1] == b']' {
            // `[LIST].join(SEP)`.
            list_before(b, dot).and_then(|(open, items)| {
                let (sep, close) = match literals_until(b, args, b')', 1)? {
                    (mut l, close) if l.len() <= 1 => {
                        (l.pop().unwrap_or_else(|| ",".into()), close)
                    }
                    _ => return None,
                };
                Some((open, close, items.join(&sep)))
            })
        } else if dot > 0 && matches!(b[dot - 1], b'\'' | b'"') {
            // `SEP.join([LIST])`, `SEP.join((…))`.
            let q = b[dot - 1];
            let start = b[..dot - 1].iter().rposition(|&c| c == q)?;
            let sep = &text[start + 1..dot - 1];
            let open = args
                + b[args..]
                    .iter()
                    .take_while(|c| c.is_ascii_whitespace())
                    .count();
            match b.get(open) {
                Some(b'[' | b'(') => literals_until(
                    b,
                    open + 1,
                    if b[open] == b'[' { b']' } else { b')' },
                    MAX_JOIN_PIECES,
                )
                .and_then(|(items, end)| {
                    let close = end
                        + 1
                        + b[end + 1..]
                            .iter()
                            .take_while(|c| c.is_ascii_whitespace())
                            .count();
                    (b.get(close) == Some(&b')')).then(|| (start, close, items.join(sep)))
                }),
                _ => None,
            }
        } else {
            None
        };
        if let Some((start, close, joined)) = hit {
            if start >= copied {
                out.push_str(&text[copied..start]);
                out.push('\'');
                out.push_str(&joined);
                out.push('\'');
                copied = close + 1;
                from = copied;
            }
        }
    }
    if copied == 0 {
        return None;
    }
    out.push_str(&text[copied..]);
    Some(out)
}

/// The `[…]` list of string literals that ends just before `dot` (at
/// `dot - 1`): where it opens and its items.
fn list_before(b: &[u8], dot: usize) -> Option<(usize, Vec<String>)> {
    let close = dot - 1;
    let open = b[..close].iter().rposition(|&c| c == b'[')?;
    if close - open > 4096 {
        return None;
    }
    let (items, end) = literals_until(b, open + 1, b']', MAX_JOIN_PIECES)?;
    (end == close).then_some((open, items))
}

/// String literals separated by commas and blanks from `at` up to the
/// byte `close`: their contents (escapes kept as written) and where
/// `close` is; `None` when anything else stands between them or there are
/// more than `max`.
fn literals_until(b: &[u8], mut at: usize, close: u8, max: usize) -> Option<(Vec<String>, usize)> {
    let mut items = Vec::new();
    loop {
        while at < b.len() && (b[at].is_ascii_whitespace() || b[at] == b',') {
            at += 1;
        }
        match *b.get(at)? {
            c if c == close => return Some((items, at)),
            q @ (b'\'' | b'"') => {
                let mut j = at + 1;
                while j < b.len() && b[j] != q && b[j] != b'\n' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                if b.get(j) != Some(&q) || items.len() >= max {
                    return None;
                }
                items.push(String::from_utf8_lossy(&b[at + 1..j]).into_owned());
                at = j + 1;
            }
            _ => return None,
        }
    }
}

/// The character a `%XX` escape at `at` stands for, when it is one that
/// tokens and credentials are made of (letters, digits, `_-.~+/=:@`).
fn token_escape(b: &[u8], at: usize) -> Option<char> {
    let hex = |c: u8| (c as char).to_digit(16);
    let hi = hex(*b.get(at + 1)?)?;
    let lo = hex(*b.get(at + 2)?)?;
    let c = char::from((hi * 16 + lo) as u8);
    (c.is_ascii_alphanumeric() || "_-.~+/=:@".contains(c)).then_some(c)
}

/// Whether `bytes` holds a `%XX` escape [`token_escape`] decodes.
fn has_token_escape(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b'%', bytes).any(|i| token_escape(bytes, i).is_some())
}

/// Bytes that may stand between two string literals that make one value
/// (and `,` when list items count as pieces of one value).
fn is_literal_joiner(b: u8, commas: bool) -> bool {
    matches!(
        b,
        b' ' | b'\t' | b'\r' | b'\n' | b'+' | b'.' | b'|' | b'&' | b'\\'
    ) || (commas && b == b',')
}

/// Whether `bytes` has a quote, joiners with an operator, and a quote of
/// the same kind (`" + "`), the only shape [`join_string_literals`] changes.
fn has_joined_literals(bytes: &[u8]) -> bool {
    let mut i = 0;
    while let Some(k) = memchr::memchr2(b'"', b'\'', &bytes[i..]) {
        let q = i + k;
        let mut j = q + 1;
        let mut operator = false;
        while j < bytes.len() && is_literal_joiner(bytes[j], false) && j - q < 64 {
            // An operator, or a line break: literals continued on the next
            // line are one value (`("ab"\n "cd")` in Python and C).
            operator |= !bytes[j].is_ascii_whitespace() || bytes[j] == b'\n';
            j += 1;
        }
        if operator && bytes.get(j) == Some(&bytes[q]) {
            return true;
        }
        i = q + 1;
    }
    false
}

/// Shortest token-character run [`reversed_runs`] turns around: shorter
/// than any provider token it could hide.
const MIN_REVERSED_RUN: usize = 20;

/// Bytes [`reversed_runs`] counts as token characters: letters, digits and
/// `_-+/=.`.
const REVERSED_TOKEN_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'+' | b'/' | b'=' | b'.');
        b += 1;
    }
    t
};

/// The runs of token characters (letters, digits, `_-+/=.`) of at least
/// 20 bytes in `text`, each written backwards, one per line; `None` when
/// there are none. A token typed backwards (`rev`-style, "un-reverse
/// this") reads the same to a model; scanning these runs finds it without
/// rescanning the whole text. One table lookup per byte.
pub fn reversed_runs(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_run = false;
    for (i, &b) in text.iter().enumerate() {
        let token = REVERSED_TOKEN_BYTE[usize::from(b)];
        if token && !in_run {
            start = i;
        } else if !token && in_run && i - start >= MIN_REVERSED_RUN {
            push_reversed(&text[start..i], &mut out);
        }
        in_run = token;
    }
    if in_run && text.len() - start >= MIN_REVERSED_RUN {
        push_reversed(&text[start..], &mut out);
    }
    (!out.is_empty()).then_some(out)
}

/// Appends `run` backwards and a line break, without its trailing dots
/// (sentence punctuation, not part of a token).
fn push_reversed(run: &[u8], out: &mut Vec<u8>) {
    let mut end = run.len();
    while end > 0 && run[end - 1] == b'.' {
        end -= 1;
    }
    if end >= MIN_REVERSED_RUN {
        out.extend(run[..end].iter().rev());
        out.push(b'\n');
    }
}

/// `text` with string literals that an operator (or only whitespace)
/// joins made into one literal, or `None` when there are none; with
/// `commas`, list items (`['.', 'env']`) join too. Quotes are paired left
/// to right; a backslash escapes the next character inside a literal; a
/// literal does not span lines.
///
/// ```
/// use keepmum::textdecode::join_string_literals;
/// let j = join_string_literals("k = 'ab' + 'cd'", false);
/// assert_eq!(j.as_deref(), Some("k = 'abcd'"));
/// let j = join_string_literals("''.join(['.', 'env'])", true);
/// assert_eq!(j.as_deref(), Some("''.join(['.env'])"));
/// ```
pub fn join_string_literals(text: &str, commas: bool) -> Option<String> {
    let b = text.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut quote: Option<u8> = None;
    let mut changed = false;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match quote {
            None => {
                if matches!(c, b'"' | b'\'') {
                    quote = Some(c);
                }
                out.push(c);
                i += 1;
            }
            Some(_) if c == b'\\' && i + 1 < b.len() => {
                out.extend_from_slice(&b[i..i + 2]);
                i += 2;
            }
            Some(_) if c == b'\n' => {
                // Literals do not span lines: an unpaired quote ends here.
                quote = None;
                out.push(c);
                i += 1;
            }
            Some(q) if c == q => {
                let mut j = i + 1;
                while j < b.len() && is_literal_joiner(b[j], commas) && j - i < 64 {
                    j += 1;
                }
                if j > i + 1 && b.get(j) == Some(&q) {
                    changed = true;
                    i = j + 1;
                } else {
                    out.push(c);
                    quote = None;
                    i += 1;
                }
            }
            Some(_) => {
                out.push(c);
                i += 1;
            }
        }
    }
    if changed {
        Some(String::from_utf8_lossy(&out).into_owned())
    } else {
        None
    }
}

/// Whether `bytes` has three single characters separated by single spaces
/// (`a b c`), without which there is no spaced-out run to join.
fn has_spaced_triple(bytes: &[u8]) -> bool {
    bytes.windows(7).any(|w| {
        w[1] == b' '
            && w[3] == b' '
            && w[5] == b' '
            && w[0] != b' '
            && w[2] != b' '
            && w[4] != b' '
            && w[6] != b' '
    })
}

/// Format characters that render as nothing.
fn is_invisible(c: char) -> bool {
    matches!(c as u32,
        0xAD | 0x34F | 0x61C | 0x115F | 0x1160 | 0x17B4 | 0x17B5 | 0x180B..=0x180F
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F
        | 0x3164 | 0xFE00..=0xFE0F | 0xFEFF | 0xFFA0 | 0xE0000..=0xE007F)
}

/// The ASCII character `c` is drawn like, for full-width forms,
/// mathematical alphanumerics and Cyrillic/Greek look-alikes.
fn ascii_lookalike(c: char) -> Option<char> {
    let u = c as u32;
    let ascii = |v: u32| char::from_u32(v);
    match u {
        0xFF01..=0xFF5E => ascii(u - 0xFEE0),
        0x3000 => Some(' '),
        // Mathematical bold, italic, script, fraktur, double-struck,
        // sans-serif and monospace letters: 13 alphabets of 52.
        0x1D400..=0x1D6A3 => {
            let k = (u - 0x1D400) % 52;
            if k < 26 {
                ascii(u32::from(b'A') + k)
            } else {
                ascii(u32::from(b'a') + k - 26)
            }
        }
        0x1D7CE..=0x1D7FF => ascii(u32::from(b'0') + (u - 0x1D7CE) % 10),
        _ => {
            let a = match c {
                'А' | 'Α' => 'A',
                'В' | 'Β' => 'B',
                'С' | 'Ϲ' => 'C',
                'Е' | 'Ε' => 'E',
                'Н' | 'Η' => 'H',
                'І' | 'Ι' => 'I',
                'Ј' => 'J',
                'К' | 'Κ' => 'K',
                'М' | 'Μ' => 'M',
                'Ν' => 'N',
                'О' | 'Ο' => 'O',
                'Р' | 'Ρ' => 'P',
                'Ѕ' => 'S',
                'Т' | 'Τ' => 'T',
                'Х' | 'Χ' => 'X',
                'У' | 'Υ' => 'Y',
                'Ζ' => 'Z',
                'а' => 'a',
                'с' | 'ϲ' => 'c',
                'е' => 'e',
                'һ' => 'h',
                'і' => 'i',
                'ј' => 'j',
                'ο' | 'о' => 'o',
                'р' | 'ρ' => 'p',
                'ѕ' => 's',
                'ν' => 'v',
                'х' => 'x',
                'у' => 'y',
                _ => return None,
            };
            Some(a)
        }
    }
}

/// An HTML character reference for a printable ASCII character at the
/// start of `s` (`&#103;`, `&#x67;`), and its length.
fn char_reference(s: &str) -> Option<(char, usize)> {
    let rest = s.strip_prefix("&#")?;
    let (radix, digits) = match rest.strip_prefix(['x', 'X']) {
        Some(hex) => (16, hex),
        None => (10, rest),
    };
    let n = digits
        .bytes()
        .take(8)
        .take_while(|b| (*b as char).is_digit(radix))
        .count();
    if n == 0 || digits.as_bytes().get(n) != Some(&b';') {
        return None;
    }
    let v = u32::from_str_radix(&digits[..n], radix).ok()?;
    let c = char::from_u32(v).filter(|c| c.is_ascii_graphic() || *c == ' ')?;
    Some((c, s.len() - digits.len() + n + 1))
}

/// `text` with every run of at least [`MIN_SPACED_RUN`] single
/// non-space characters separated by single spaces joined, or `None`.
fn join_spaced_runs(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut i = 0;
    while i < chars.len() {
        // A run starts at a non-space character that stands alone.
        let starts = !chars[i].is_whitespace() && (i == 0 || chars[i - 1].is_whitespace());
        if starts {
            let mut j = i;
            let mut count = 0;
            while j < chars.len()
                && !chars[j].is_whitespace()
                && chars.get(j + 1).is_none_or(|c| *c == ' ')
            {
                count += 1;
                if chars.get(j + 1) == Some(&' ')
                    && chars.get(j + 2).is_some_and(|c| !c.is_whitespace())
                {
                    j += 2;
                } else {
                    j += 1;
                    break;
                }
            }
            if count >= MIN_SPACED_RUN {
                let end = j.min(chars.len());
                out.extend(chars[i..end].iter().filter(|c| **c != ' '));
                changed = true;
                i = end;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    changed.then_some(out)
}

/// Shortest chain of joined fragments [`joined_fragments`] keeps: shorter
/// than any provider token it could hide.
const MIN_JOINED: usize = 20;

/// Longest run of joining bytes between two fragments of one value.
const MAX_JOINER: usize = 24;

/// Token fragments of `text` put back together, and where they were cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinedFragments {
    /// One joined chain per line.
    pub text: Vec<u8>,
    /// Offsets in `text` where one fragment ends and the next begins.
    pub seams: Vec<usize>,
}

impl JoinedFragments {
    /// Whether the byte range `span` of [`JoinedFragments::text`] runs
    /// across a seam (starts in one fragment and ends in another): a value
    /// that only exists once the pieces are joined.
    pub fn crosses(&self, span: std::ops::Range<usize>) -> bool {
        let i = self.seams.partition_point(|&s| s <= span.start);
        self.seams.get(i).is_some_and(|&s| s < span.end)
    }
}

/// Byte classes for [`joined_fragments`]: fragment bytes (letters,
/// digits, `_`, `-`) with their kind, and joiners.
const FRAGMENT: u8 = 1;
const DIGIT: u8 = 2;
const UPPER: u8 = 4;
const LOWER: u8 = 8;
/// Whitespace and line breaks, quotes, concatenation operators (`+`, `.`,
/// `||`, `&`), list punctuation (`,`, brackets, parentheses), a backslash
/// line continuation, and `:`/`;` after labels (`part 2: …`).
const JOINER: u8 = 16;

const FRAGMENT_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c.is_ascii_digit() {
            FRAGMENT | DIGIT
        } else if c.is_ascii_uppercase() {
            FRAGMENT | UPPER
        } else if c.is_ascii_lowercase() {
            FRAGMENT | LOWER
        } else if c == b'_' || c == b'-' {
            FRAGMENT
        } else if matches!(
            c,
            b' ' | b'\t'
                | b'\r'
                | b'\n'
                | b'\''
                | b'"'
                | b'`'
                | b'+'
                | b'.'
                | b','
                | b'|'
                | b'&'
                | b'('
                | b')'
                | b'['
                | b']'
                | b'\\'
                | b':'
                | b';'
        ) {
            JOINER
        } else {
            0
        };
        b += 1;
    }
    t
};

/// Whether a fragment could be a piece of a token: at least 3 bytes and a
/// digit, both letter cases, or a trailing `_`/`-` (a provider prefix such
/// as `ghp_` or `sk-`). Prose words are not, so sentences do not chain.
fn is_dense_fragment(f: &[u8], kinds: u8) -> bool {
    f.len() >= 3
        && (matches!(f[f.len() - 1], b'_' | b'-')
            || kinds & DIGIT != 0
            || kinds & (UPPER | LOWER) == UPPER | LOWER)
}

/// Token-like fragments of `text` that only joiners separate (line
/// breaks, spaces, quotes and `+`/`.` concatenation, list commas, string
/// joins in code), each chain joined into one line; `None` when there is
/// no chain of two or more fragments of at least 20 bytes in all. A
/// credential split over lines or into string pieces reads whole to a
/// model; scanning the chains finds it. A chain joins anything token-like
/// (two UUIDs on two lines make one chain), so callers keep only findings
/// that [`JoinedFragments::crosses`] a seam and that a provider's own token
/// shape produced, which UUIDs and hashes never form.
///
/// ```
/// use keepmum::textdecode::joined_fragments;
/// let j = joined_fragments(b"key: abcd1234\nEFGH5678ijkl90").unwrap();
/// assert_eq!(j.text, b"abcd1234EFGH5678ijkl90\n".to_vec());
/// assert!(j.crosses(2..12) && !j.crosses(0..8));
/// assert_eq!(joined_fragments(b"just some ordinary words here"), None);
/// ```
pub fn joined_fragments(text: &[u8]) -> Option<JoinedFragments> {
    let mut out = JoinedFragments {
        text: Vec::new(),
        seams: Vec::new(),
    };
    // The chain being built: where it starts in `out.text`, how many
    // fragments it holds, and how many seams it added.
    let mut chain_start = 0;
    let mut chain_len = 0usize;
    let mut chain_seams = 0usize;
    let close = |out: &mut JoinedFragments, start: usize, len: usize, seams: usize| {
        if len == 0 {
            return;
        }
        if len >= 2 && out.text.len() - start >= MIN_JOINED {
            out.text.push(b'\n');
        } else {
            out.text.truncate(start);
            out.seams.truncate(out.seams.len() - seams);
        }
    };
    // Bytes since the last fragment, and whether all were joiners.
    let mut gap = 0usize;
    let mut gap_joins = false;
    let mut i = 0;
    while i < text.len() {
        let class = FRAGMENT_CLASS[usize::from(text[i])];
        if class & FRAGMENT == 0 {
            gap_joins &= class & JOINER != 0;
            gap += 1;
            i += 1;
            continue;
        }
        let start = i;
        let mut kinds = 0;
        while i < text.len() {
            let c = FRAGMENT_CLASS[usize::from(text[i])];
            if c & FRAGMENT == 0 {
                break;
            }
            kinds |= c;
            i += 1;
        }
        let frag = &text[start..i];
        let joined_to_previous = chain_len > 0 && gap_joins && gap <= MAX_JOINER;
        gap = 0;
        gap_joins = true;
        // `part 2: …` (words, then a colon and a space): a label before a
        // piece neither joins nor ends the chain.
        let label_at = |e: usize| {
            text.get(e) == Some(&b':') && text.get(e + 1).is_some_and(u8::is_ascii_whitespace)
        };
        if label_at(i) {
            i += 1;
            continue;
        }
        let dense = is_dense_fragment(frag, kinds);
        if !dense && chain_len > 0 {
            let end = text[i..]
                .iter()
                .take(16)
                .position(|&b| FRAGMENT_CLASS[usize::from(b)] & FRAGMENT == 0 && b != b' ')
                .map(|k| i + k);
            if let Some(e) = end.filter(|&e| label_at(e)) {
                i = e + 1;
                continue;
            }
        }
        if !dense {
            close(&mut out, chain_start, chain_len, chain_seams);
            chain_len = 0;
            chain_seams = 0;
            continue;
        }
        if joined_to_previous {
            out.seams.push(out.text.len());
            chain_seams += 1;
        } else {
            close(&mut out, chain_start, chain_len, chain_seams);
            chain_start = out.text.len();
            chain_len = 0;
            chain_seams = 0;
        }
        out.text.extend_from_slice(frag);
        chain_len += 1;
    }
    close(&mut out, chain_start, chain_len, chain_seams);
    (!out.text.is_empty()).then_some(out)
}

/// Fewest digits a decoded number must hold for [`encoded_numbers`] to put
/// it back (a card, an account or a national id number).
const MIN_ENCODED_DIGITS: usize = 9;

/// `text` with every hex or base64 run that decodes to a number (digits,
/// with spaces or dashes between groups) replaced by that number in place,
/// or `None` when there is none. Card numbers, IBAN digits and national
/// ids carry no letters, so the decoded-text scan of the engine (which
/// needs a text-looking head) never sees them encoded; put back where they
/// stood, the words around them (`card:`) still give them their context.
///
/// ```
/// use keepmum::textdecode::encoded_numbers;
/// let t = encoded_numbers(b"card: 34313131313131313131313131313131").unwrap();
/// assert_eq!(t, b"card: 4111111111111111".to_vec()); // keepmum:allow
/// assert_eq!(encoded_numbers(b"sha 9f86d081884c7d659a2feaa0c55ad015"), None);
/// ```
pub fn encoded_numbers(text: &[u8]) -> Option<Vec<u8>> {
    // `=` only as padding at a run's end: `card=NDEx…` is a name and a value.
    const RUN_BYTE: [bool; 256] = {
        let mut t = [false; 256];
        let mut b = 0;
        while b < 256 {
            let c = b as u8;
            t[b] = c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'_' | b'-');
            b += 1;
        }
        t
    };
    let is_run_byte = |b: u8| RUN_BYTE[usize::from(b)];
    let mut out: Vec<u8> = Vec::new();
    let mut copied = 0;
    let mut i = 0;
    while i < text.len() {
        if !is_run_byte(text[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < text.len() && is_run_byte(text[i]) {
            i += 1;
        }
        let mut pad = 0;
        while pad < 2 && text.get(i) == Some(&b'=') {
            i += 1;
            pad += 1;
        }
        let run = &text[start..i];
        // Shortest encodings of nine digits: 18 hex digits, 12 base64.
        // A number's first byte (a digit, 0x30-0x39) is `3` in hex and
        // `M`, `N` or `O` in base64: anything else is rejected before decoding.
        if run.len() < 12 || !matches!(run[0], b'3' | b'M' | b'N' | b'O') {
            continue;
        }
        let hex = run[0] == b'3'
            && run.len() >= 2 * MIN_ENCODED_DIGITS
            && run.len().is_multiple_of(2)
            && run.iter().all(u8::is_ascii_hexdigit);
        let decoded = if hex {
            crate::engine::decode::hex(run)
        } else {
            crate::engine::decode::base64(run)
        };
        let Some(number) = decoded.filter(|d| is_number(d)) else {
            continue;
        };
        out.extend_from_slice(&text[copied..start]);
        out.extend_from_slice(&number);
        copied = i;
    }
    if copied == 0 {
        return None;
    }
    out.extend_from_slice(&text[copied..]);
    Some(out)
}

/// Whether `d` is a number as people write card, account and id numbers:
/// digits, single spaces or dashes between groups, at least
/// [`MIN_ENCODED_DIGITS`] digits.
fn is_number(d: &[u8]) -> bool {
    let digits = d.iter().filter(|b| b.is_ascii_digit()).count();
    digits >= MIN_ENCODED_DIGITS
        && d.first().is_some_and(u8::is_ascii_digit)
        && d.last().is_some_and(u8::is_ascii_digit)
        && d.iter()
            .all(|&b| b.is_ascii_digit() || b == b' ' || b == b'-')
}

/// Decodes standard or URL-safe base64 as `base64 -d` reads it: padding
/// optional, ASCII whitespace (line breaks) ignored; `None` when it is not
/// base64. The decoder the engine uses for encoded secrets.
///
/// ```
/// assert_eq!(keepmum::textdecode::decode_base64(b"LmVu\ndg==").as_deref(), Some(&b".env"[..]));
/// assert_eq!(keepmum::textdecode::decode_base64(b"not base64!"), None);
/// ```
pub fn decode_base64(text: &[u8]) -> Option<Vec<u8>> {
    crate::engine::decode::base64(&without_whitespace(text))
}

/// `text` without its ASCII whitespace (line breaks and spaces that `base64
/// -d` and `xxd -r -p` skip).
fn without_whitespace(text: &[u8]) -> Vec<u8> {
    text.iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect()
}

/// Decodes plain hex as `xxd -r -p` reads it (ASCII whitespace ignored);
/// `None` for an odd number of digits or a non-hex byte.
///
/// ```
/// assert_eq!(keepmum::textdecode::decode_hex(b"2e65 6e76\n").as_deref(), Some(&b".env"[..]));
/// assert_eq!(keepmum::textdecode::decode_hex(b"2e6"), None);
/// ```
pub fn decode_hex(text: &[u8]) -> Option<Vec<u8>> {
    crate::engine::decode::hex(&without_whitespace(text))
}

fn bytecount(bytes: &[u8], needle: u8) -> usize {
    memchr::memchr_iter(needle, bytes).count()
}

fn utf16(bytes: &[u8], big_endian: bool) -> Vec<u8> {
    let units = bytes.chunks_exact(2).map(|c| {
        if big_endian {
            u16::from_be_bytes([c[0], c[1]])
        } else {
            u16::from_le_bytes([c[0], c[1]])
        }
    });
    let text: String = char::decode_utf16(units)
        .map(|r| r.unwrap_or('\u{fffd}'))
        .map(|c| if c == '\0' { ' ' } else { c })
        .collect();
    text.into_bytes()
}

/// Most string assignments [`joined_variables`] remembers.
const MAX_PIECE_VARS: usize = 256;

/// Longest value [`joined_variables`] builds.
const MAX_JOINED_VALUE: usize = 512;

/// Values built from variables that each hold a string literal, written as
/// the one assignment they make: after `a = "Tr0u"` and `b = 'b4dor'`,
/// `password = a + b` (also `.` and `..`), `` `${a}${b}` ``, `f"{a}{b}"`
/// and `"$a$b"` read as `password` assigned the one literal the pieces
/// make. Returns those lines only,
/// each on its own line number (every other line is left empty), or `None`
/// when there is none. A value
/// split into separate variables reads whole to a model and to the
/// program; scanning the joined lines finds a generic password kept that
/// way, whose pieces alone look like nothing.
///
/// ```
/// use keepmum::textdecode::joined_variables;
/// let t = "a = \"Tr0u\"\nb = 'b4dor'\npassword = a + b\n";
/// assert_eq!(joined_variables(t).as_deref(), Some("\n\npassword = \"Tr0ub4dor\""));
/// assert_eq!(joined_variables("url = base + path\n"), None);
/// ```
pub fn joined_variables(text: &str) -> Option<String> {
    // Without a join there is nothing to do: most text is skipped here.
    const JOINS: [&str; 7] = [" + ", " . ", " .. ", "${", "f\"", "f'", "\"$"];
    if !JOINS
        .iter()
        .any(|j| memchr::memmem::find(text.as_bytes(), j.as_bytes()).is_some())
    {
        return None;
    }
    let mut vars: Vec<(&str, &str)> = Vec::new();
    let mut out = String::new();
    let mut joined_any = false;
    for (n, line) in text.lines().enumerate() {
        // Every line of `text` stands for one line of the answer, so a
        // finding's line number is the joined assignment's own.
        if n > 0 {
            out.push('\n');
        }
        let Some((name, value)) = assignment(line) else {
            continue;
        };
        if let Some(lit) = sole_literal(value) {
            if vars.len() < MAX_PIECE_VARS {
                vars.push((name.trim_start_matches('$'), lit));
            }
            continue;
        }
        if vars.is_empty() {
            continue;
        }
        let lookup = |n: &str| -> Option<&str> {
            let n = n
                .trim_start_matches("self.")
                .trim_start_matches("this.")
                .trim_start_matches('$');
            vars.iter().rev().find(|(k, _)| *k == n).map(|(_, v)| *v)
        };
        let joined = concatenation(value, &lookup).or_else(|| template(value, &lookup));
        if let Some(j) = joined.filter(|j| j.len() <= MAX_JOINED_VALUE) {
            joined_any = true;
            out.push_str(name);
            out.push_str(" = \"");
            out.push_str(&j);
            out.push('"');
        }
    }
    joined_any.then_some(out)
}

/// A line's assigned name and value: `NAME = value`, `NAME := value`,
/// `NAME: value`, after keywords such as `const` or `export`; trailing `;`
/// and `,` dropped.
fn assignment(line: &str) -> Option<(&str, &str)> {
    let b = line.as_bytes();
    let at = b
        .iter()
        .position(|&c| matches!(c, b'=' | b':' | b'"' | b'\'' | b'`'))?;
    let (name_end, value_start) = match b[at] {
        b'=' if b.get(at + 1) != Some(&b'=') && at > 0 && !b"!<>=+-*/".contains(&b[at - 1]) => {
            (at, at + 1)
        }
        b'=' if at > 0 && b[at - 1] == b'+' => return None,
        b':' if b.get(at + 1) == Some(&b'=') => (at, at + 2),
        b':' if b.get(at + 1).is_none_or(|c| *c == b' ' || *c == b'\t') => (at, at + 1),
        _ => return None,
    };
    let name = line[..name_end].trim_end();
    let name = name.rsplit([' ', '\t']).next().unwrap_or(name);
    let name = name.trim_matches(['"', '\'']);
    if name.is_empty()
        || name.len() > 64
        || !name
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'$' | b'-'))
    {
        return None;
    }
    let value = line[value_start..]
        .trim()
        .trim_end_matches([';', ','])
        .trim_end();
    Some((name, value))
}

/// The body of `value` when it is one string literal and nothing else.
fn sole_literal(value: &str) -> Option<&str> {
    let q = *value.as_bytes().first()?;
    if !matches!(q, b'"' | b'\'' | b'`') || value.len() < 2 || value.len() > 130 {
        return None;
    }
    let body = value[1..].strip_suffix(q as char)?;
    if body.is_empty() || body.contains(q as char) || body.contains('\\') || body.contains('$') {
        return None;
    }
    Some(body)
}

/// `a + b`, `a . "x" . b`, `a .. b`: every operand a remembered variable
/// or a literal, at least one variable and two operands.
fn concatenation<'a>(value: &str, lookup: &dyn Fn(&str) -> Option<&'a str>) -> Option<String> {
    let op = [" + ", " .. ", " . "]
        .into_iter()
        .find(|op| value.contains(op))?;
    let mut joined = String::new();
    let mut names = 0;
    let mut parts = 0;
    for part in value.split(op) {
        let part = part.trim().trim_matches(['(', ')']);
        parts += 1;
        if let Some(lit) = sole_literal(part) {
            joined.push_str(lit);
        } else {
            joined.push_str(lookup(part)?);
            names += 1;
        }
        if parts > 16 {
            return None;
        }
    }
    (names > 0 && parts > 1).then_some(joined)
}

/// `` `${a}${b}` ``, `f"{a}{b}"`, `"$a$b"`, `"${a}-${b}"`: a template whose
/// every placeholder is a remembered variable, at least two of them.
fn template<'a>(value: &str, lookup: &dyn Fn(&str) -> Option<&'a str>) -> Option<String> {
    let (python, rest) = match value.strip_prefix(['f', 'F']) {
        Some(r) => (true, r),
        None => (false, value),
    };
    let q = rest.chars().next()?;
    if !matches!(q, '"' | '\'' | '`') {
        return None;
    }
    let body = rest[1..].strip_suffix(q)?;
    let b = body.as_bytes();
    let mut joined = String::new();
    let mut names = 0;
    let mut i = 0;
    while i < b.len() {
        let (open, close) = match (b[i], b.get(i + 1)) {
            (b'$', Some(b'{')) if !python => (i + 2, body[i + 2..].find('}').map(|k| i + 2 + k)?),
            (b'{', _) if python => (i + 1, body[i + 1..].find('}').map(|k| i + 1 + k)?),
            (b'$', Some(c)) if !python && (c.is_ascii_alphabetic() || *c == b'_') => {
                let len = b[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                    .count();
                joined.push_str(lookup(&body[i + 1..i + 1 + len])?);
                names += 1;
                i += 1 + len;
                continue;
            }
            _ => {
                let ch = body[i..].chars().next()?;
                joined.push(ch);
                i += ch.len_utf8();
                continue;
            }
        };
        joined.push_str(lookup(body[open..close].trim())?);
        names += 1;
        i = close + 1;
    }
    (names >= 2).then_some(joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generic_values_split_into_literals_are_joined() {
        let u = |s: &str| unobfuscate(s.as_bytes()).map(|b| String::from_utf8(b).unwrap());
        assert_eq!(
            u("PASSWORD = (\"A1b2C3d4\"\n    \"E5f6G7h8\")\n").as_deref(),
            Some("PASSWORD = \"A1b2C3d4E5f6G7h8\"\n")
        );
        assert_eq!(
            u("PASSWORD = ''.join(['A1b2C3d4', 'E5f6G7h8'])").as_deref(),
            Some("PASSWORD = 'A1b2C3d4E5f6G7h8'")
        );
        assert_eq!(
            u("const p = ['A1b2', 'QZ'].join('-');").as_deref(),
            Some("const p = 'A1b2-QZ';")
        );
        // Calls with anything but literals, and literals in a call's
        // parentheses, stay as written.
        assert_eq!(u("x = ''.join(parts)"), None);
        assert_eq!(u("x = ', '.join(['a', name])"), None);
        assert_eq!(u("f(\"ab\"\n  \"cd\")").as_deref(), Some("f(\"abcd\")"));
        assert_eq!(
            unwrap_assigned_literals("x = ( 'a' )"),
            Some("x = 'a'".into())
        );
        assert_eq!(unwrap_assigned_literals("x = f('a')"), None);
    }

    /// The first `reversed_runs` (a scan with a closure per byte), kept as
    /// the reference the table-driven one must equal.
    fn reversed_runs_reference(text: &[u8]) -> Option<Vec<u8>> {
        let is_token = |b: u8| {
            b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'+' | b'/' | b'=' | b'.')
        };
        let mut out = Vec::new();
        let mut i = 0;
        while i < text.len() {
            if !is_token(text[i]) {
                i += 1;
                continue;
            }
            let start = i;
            while i < text.len() && is_token(text[i]) {
                i += 1;
            }
            // Trailing sentence punctuation is not part of the token.
            let mut end = i;
            while end > start && text[end - 1] == b'.' {
                end -= 1;
            }
            if end - start >= MIN_REVERSED_RUN {
                out.extend(text[start..end].iter().rev());
                out.push(b'\n');
            }
        }
        (!out.is_empty()).then_some(out)
    }

    proptest::proptest! {
        #[test]
        fn reversed_runs_match_the_reference(text in proptest::collection::vec(
            proptest::prop_oneof![proptest::strategy::Just(b'a'), proptest::strategy::Just(b'Z'), proptest::strategy::Just(b'7'), proptest::strategy::Just(b'.'), proptest::strategy::Just(b' '), proptest::strategy::Just(b'_'), proptest::strategy::Just(b'\n'), proptest::strategy::Just(0xC3u8)],
            0..200,
        )) {
            proptest::prop_assert_eq!(reversed_runs(&text), reversed_runs_reference(&text));
        }
    }

    #[test]
    fn reversed_runs_turn_long_runs_around() {
        let t = b"see zyxwvutsrqponmlkjihgfedcba. short run ok";
        assert_eq!(
            reversed_runs(t).unwrap(),
            b"abcdefghijklmnopqrstuvwxyz\n".to_vec()
        );
        assert_eq!(reversed_runs(b"nothing long here, only words"), None);
        assert_eq!(reversed_runs(b""), None);
    }

    #[test]
    fn joined_fragments_put_split_values_back_together() {
        let t = b"use xyz_A1b2C3d4E5f6\nG7h8I9j0K1l2 + 'M3n4O5p6Q7r8' please";
        let j = joined_fragments(t).unwrap();
        assert_eq!(
            j.text,
            b"xyz_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8\n".to_vec()
        );
        assert_eq!(j.seams, vec![16, 28]);
        assert!(j.crosses(0..40) && j.crosses(17..29) && !j.crosses(16..28));
        // Labels before the pieces are skipped; list items join.
        let j = joined_fragments(b"part1: ab12cd34ef\npart2: GH56ij78kl").unwrap();
        assert_eq!(j.text, b"ab12cd34efGH56ij78kl\n".to_vec());
        let j = joined_fragments(b"part 1: ab12cd34ef\npart 2: GH56ij78kl").unwrap();
        assert_eq!(j.text, b"ab12cd34efGH56ij78kl\n".to_vec());
        let j = joined_fragments(b"x = ['abc_', 'Def456ghi', 'Jkl789mno'].join('')").unwrap();
        assert_eq!(j.text, b"abc_Def456ghiJkl789mno\n".to_vec());
        // Two chains, a prose word between them ends the first.
        let j = joined_fragments(b"a1b2c3d4e5 f6g7h8i9j0 then k1l2m3n4o5 p6q7r8s9t0").unwrap();
        assert_eq!(
            j.text,
            b"a1b2c3d4e5f6g7h8i9j0\nk1l2m3n4o5p6q7r8s9t0\n".to_vec()
        );
        assert_eq!(j.seams, vec![10, 31]);
    }

    #[test]
    fn joined_fragments_leave_prose_and_lone_values() {
        assert_eq!(
            joined_fragments(b"Please refactor the session handling now."),
            None
        );
        // One fragment alone is not a chain; short chains are dropped.
        assert_eq!(
            joined_fragments(b"id 550e8400e29b41d4a716446655440000 ok"),
            None
        );
        assert_eq!(joined_fragments(b"ab12 cd34"), None);
        // Anything other than joiners between fragments separates them.
        assert_eq!(
            joined_fragments(b"abc123def456 = ghi789jkl012 { mno345pqr678 }"),
            None
        );
    }

    #[test]
    fn encoded_numbers_put_digits_back_in_place() {
        // A test card number as base64 and hex; a name=value run splits at `=`.
        assert_eq!(
            encoded_numbers(b"card=NDExMTExMTExMTExMTExMQ== ok").unwrap(),
            b"card=4111111111111111 ok".to_vec() // keepmum:allow
        );
        assert_eq!(
            encoded_numbers(b"ssn 3037382d30352d31313230.").unwrap(),
            b"ssn 078-05-1120.".to_vec()
        );
        // Text, binary and short numbers stay as they are.
        assert_eq!(encoded_numbers(b"aGVsbG8gd29ybGQgaGVsbG8="), None);
        assert_eq!(encoded_numbers(b"e3b0c44298fc1c149afbf4c8996fb924"), None);
        assert_eq!(encoded_numbers(b"MTIzNDU2"), None);
        assert_eq!(encoded_numbers(b""), None);
    }

    fn le(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    #[test]
    fn url_escapes_of_token_characters() {
        assert_eq!(
            unobfuscate(b"k=ghp%5FAbC%2dx").as_deref(),
            Some(&b"k=ghp_AbC-x"[..])
        );
        // Escapes of spaces, quotes and `%` itself stay; a lone `%` is text.
        assert_eq!(unobfuscate(b"a%20b %22 100%"), None);
        assert_eq!(unobfuscate(b"%4"), None);
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let mut bom = vec![0xFF, 0xFE];
        bom.extend(le("key = value\n"));
        assert_eq!(decode_text(&bom).as_deref(), Some(&b"key = value\n"[..]));
        assert_eq!(
            decode_text(&le("key = value\n")).as_deref(),
            Some(&b"key = value\n"[..])
        );
        let be: Vec<u8> = "ab".encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode_text(&be).as_deref(), Some(&b"ab"[..]));
    }

    #[test]
    fn stray_nul_in_text() {
        let mut t = b"\0".to_vec();
        t.extend(b"token = something long enough to be text\n".repeat(3));
        let d = decode_text(&t).unwrap_or_default();
        assert!(d.starts_with(b" token"));
    }

    fn plain(s: &str) -> String {
        String::from_utf8(unobfuscate(s.as_bytes()).unwrap_or_default()).unwrap_or_default()
    }

    #[test]
    fn unobfuscate_sees_through_disguises() {
        assert_eq!(plain("ghp_\u{200b}abc\u{2060}def"), "ghp_abcdef");
        assert_eq!(plain("ｇｈｐ＿ａｂｃ１２３"), "ghp_abc123");
        assert_eq!(plain("\u{1d420}\u{1d421}\u{1d429}"), "ghp");
        assert_eq!(plain("\u{1d7d1}\u{1d7ce}"), "30");
        assert_eq!(plain("АKIА"), "AKIA");
        assert_eq!(plain("&#103;&#x68;&#112;_x"), "ghp_x");
        assert_eq!(
            plain("token: g h p _ a b c d e f g h i j k l m n o p"),
            "token: ghp_abcdefghijklmnop"
        );
        assert_eq!(
            plain("k = \"ghp_ab\" + \"cd\" + \"ef\";"),
            "k = \"ghp_abcdef\";"
        );
        assert_eq!(plain("$k = 'ab' . 'cd';"), "$k = 'abcd';");
        assert_eq!(
            plain("k = (\"ab\"\n     \"cd\")\nx = \"ab\" +\n  \"cd\""),
            "k = \"abcd\"\nx = \"abcd\""
        );
    }

    #[test]
    fn joined_variables_reads_pieces_whole() {
        let j = |t: &str| joined_variables(t).map(|s| s.trim_start().to_string());
        let py = "a = 'Tr0u'\nb = \"b4dor\"\npassword = a + b\n";
        assert_eq!(joined_variables(py).map(|s| s.lines().count()), Some(3));
        assert_eq!(j(py).as_deref(), Some("password = \"Tr0ub4dor\""));
        let js = "const a = 'Tr0u';\nconst b = 'b4dor';\nconst password = `${a}${b}`;\n";
        assert_eq!(j(js).as_deref(), Some("password = \"Tr0ub4dor\""));
        let fs = "a = 'Tr0u'\nb = 'b4dor'\ndb_pass = f\"{a}{b}\"\n";
        assert_eq!(j(fs).as_deref(), Some("db_pass = \"Tr0ub4dor\""));
        let sh = "A='Tr0u'\nB='b4dor'\nPASSWORD=\"$A$B\"\n";
        assert_eq!(j(sh).as_deref(), Some("PASSWORD = \"Tr0ub4dor\""));
        let php = "$a = 'Tr0u';\n$b = 'b4dor';\n$pw = $a . 'x' . $b;\n";
        assert_eq!(j(php).as_deref(), Some("$pw = \"Tr0uxb4dor\""));
        let go = "a := \"Tr0u\"\nb := \"b4dor\"\npw := a + b\n";
        assert_eq!(j(go).as_deref(), Some("pw = \"Tr0ub4dor\""));
        // Unknown operands, one-variable templates, comparisons: nothing.
        assert_eq!(j("a = 'x'\nurl = a + path\n"), None);
        assert_eq!(j("a = 'x'\nmsg = f\"hello {a}\"\n"), None);
        assert_eq!(j("a = 'x'\nb = 'y'\nif a == b + c:\n"), None);
        assert_eq!(j("a = 'x'\ncount += a + a\n"), None);
        assert_eq!(j("plain prose, no assignments at all"), None);
    }

    #[test]
    fn unobfuscate_leaves_ordinary_text() {
        assert_eq!(unobfuscate(b"let x = a + b; // a b c d e"), None);
        assert_eq!(
            unobfuscate("caf\u{e9} \u{2014} na\u{ef}ve".as_bytes()),
            None
        );
        assert_eq!(unobfuscate(b"AT&T &#; &#xZZ; &amp;"), None);
        // Fifteen spaced letters are text, not a token.
        assert_eq!(unobfuscate(b"a b c d e f g h i j k l m n o"), None);
        // Literals side by side without an operator, or in different lines
        // of prose, stay apart.
        assert_eq!(unobfuscate(b"f(\"a\", \"b\") and it's 'x' or 'y'"), None);
    }

    proptest::proptest! {
        #[test]
        fn unobfuscate_never_panics_and_never_grows(s in "\\PC{0,200}") {
            if let Some(out) = unobfuscate(s.as_bytes()) {
                proptest::prop_assert!(out.len() <= s.len() + 3);
            }
        }
    }

    #[test]
    fn plain_text_and_binary_are_left_alone() {
        assert_eq!(decode_text(b"plain text"), None);
        let bin: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
        assert_eq!(decode_text(&bin), None);
    }
}
