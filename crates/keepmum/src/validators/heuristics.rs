//! Heuristics for the generic detectors (`keyword = value` assignments and
//! standalone high-entropy strings) and the JWT shape check.
//!
//! The generic detectors have no format to anchor on, so these checks carry
//! the burden of staying quiet on real code: they reject placeholders,
//! variable references, identifiers, hashes, UUIDs, integrity values, paths
//! and encoded file data, and require a value that looks random.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use super::{entropy, placeholder, Context, Verdict};

/// Token prefixes owned by provider-specific rules: the generic detectors
/// leave those values to them, so one secret gives one finding.
const PROVIDER_PREFIXES: &[&str] = &[
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "glpat-",
    "gldt-",
    "glrt-",
    "glptt-",
    "glsoat-",
    "gloas-",
    "xoxb-",
    "xoxp-",
    "xoxa-",
    "xoxr-",
    "xoxs-",
    "xoxe",
    "xapp-",
    "sk_live_",
    "sk_test_",
    "rk_live_",
    "rk_test_",
    "pk_live_",
    "pk_test_",
    "whsec_",
    "akia",
    "asia",
    "aiza",
    "ya29.",
    "sk-ant-",
    "sk-proj-",
    "sk-",
    "hf_",
    "npm_",
    "pypi-",
    "sg.",
    "shpat_",
    "shpss_",
    "shpca_",
    "shppa_",
    "dop_v1_",
    "doo_v1_",
    "dor_v1_",
    "glsa_",
    "glc_",
    "xkeysib-",
    "sq0atp-",
    "sq0csp-",
    "eaaa",
    "dp.pt.",
    "dp.st.",
    "dp.ct.",
    "pul-",
    "hvs.",
    "hvb.",
    "lin_api_",
    "ntn_",
    "secret_",
    "pat",
    "atatt",
    "nrak-",
    "fly",
    "vercel_",
    "nfp_",
    "dapi",
    "rubygems_",
    "oy2",
    "eyj",
    "-----begin",
    "age-secret-key-",
    "figd_",
    "pscale_",
    "doppler",
    "dt0",
    "sntrys_",
    "sntryu_",
    "gsk_",
    "r8_",
    "xai-",
    "aws",
    "ak_",
];

/// True when `v` starts with a prefix that a provider rule owns.
fn provider_prefixed(v: &[u8]) -> bool {
    let Some(&first) = v.first() else {
        return PROVIDER_PREFIXES.iter().any(|p| p.is_empty());
    };
    // Only the entries sharing the value's first byte (case aside): a
    // pass over all of them was a tenth of the high-entropy checks' cost
    // on token-dense input.
    let mut set = PREFIXES_BY_FIRST[usize::from(first.to_ascii_lowercase())];
    while set != 0 {
        let p = PROVIDER_PREFIXES[set.trailing_zeros() as usize].as_bytes();
        if v.len() >= p.len() && v[..p.len()].eq_ignore_ascii_case(p) {
            return true;
        }
        set &= set - 1;
    }
    false
}

const _: () = assert!(PROVIDER_PREFIXES.len() <= 128);

/// Per byte: which entries of [`PROVIDER_PREFIXES`] start with it,
/// lowercased (bit `i`: entry `i`; an empty entry under every byte).
static PREFIXES_BY_FIRST: [u128; 256] = {
    let mut table = [0u128; 256];
    let mut i = 0;
    while i < PROVIDER_PREFIXES.len() {
        let p = PROVIDER_PREFIXES[i].as_bytes();
        if p.is_empty() {
            let mut b = 0;
            while b < 256 {
                table[b] |= 1 << i;
                b += 1;
            }
        } else {
            table[p[0].to_ascii_lowercase() as usize] |= 1 << i;
        }
        i += 1;
    }
    table
};

/// Character classes present: (lower, upper, digit, symbol other than `_-.`).
fn classes(v: &[u8]) -> (bool, bool, bool, bool) {
    let c = class_bits(v);
    (c & 1 != 0, c & 2 != 0, c & 4 != 0, c & 8 != 0)
}

/// Per byte: 1 lower, 2 upper, 4 digit, 8 other (not `_-.`).
static CLASS_BITS: [u8; 256] = {
    let mut t = [8u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c.is_ascii_lowercase() {
            1
        } else if c.is_ascii_uppercase() {
            2
        } else if c.is_ascii_digit() {
            4
        } else if matches!(c, b'_' | b'-' | b'.') {
            0
        } else {
            8
        };
        b += 1;
    }
    t
};

/// The classes of [`classes`] OR-ed together, without a branch per byte
/// (tokens mix classes at random, which defeats branch prediction).
fn class_bits(v: &[u8]) -> u8 {
    v.iter().fold(0, |acc, &b| acc | CLASS_BITS[usize::from(b)])
}

/// Number of ASCII digits in `v`, without a branch per byte.
fn digit_count(v: &[u8]) -> usize {
    v.iter()
        .map(|&b| usize::from(b.wrapping_sub(b'0') < 10))
        .sum()
}

fn class_count(v: &[u8]) -> usize {
    let (a, b, c, d) = classes(v);
    [a, b, c, d].iter().filter(|&&x| x).count()
}

/// Coarse character class: 0 lower, 1 upper, 2 digit, 3 other.
fn class_of(b: u8) -> u8 {
    match b {
        b'a'..=b'z' => 0,
        b'A'..=b'Z' => 1,
        b'0'..=b'9' => 2,
        _ => 3,
    }
}

/// Fraction of adjacent alphanumeric pairs (inside `_-+/`-separated parts)
/// that change character class. Random base62 text changes class about 60%
/// of the time, identifiers far less.
fn transition_ratio(v: &[u8]) -> f32 {
    let (mut pairs, mut changes) = (0usize, 0usize);
    for part in v.split(|b| !b.is_ascii_alphanumeric()) {
        for w in part.windows(2) {
            pairs += 1;
            if class_of(w[0]) != class_of(w[1]) {
                changes += 1;
            }
        }
    }
    if pairs == 0 {
        return 0.0;
    }
    changes as f32 / pairs as f32
}

/// Splits `v` into segments at non-letters and camelCase humps
/// (`getHTTPResponse2` → `get`, `HTTP`, `Response`).
fn letter_segments(v: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    each_letter_segment(v, |seg| out.push(seg));
    out
}

/// Calls `f` with each segment of [`letter_segments`], in order, without
/// collecting them (the token-run gate asks this of thousands of tokens).
fn each_letter_segment<'a>(v: &'a [u8], mut f: impl FnMut(&'a [u8])) {
    let mut start: Option<usize> = None;
    for i in 0..v.len() {
        let b = v[i];
        if !b.is_ascii_alphabetic() {
            if let Some(s) = start.take() {
                f(&v[s..i]);
            }
            continue;
        }
        match start {
            None => start = Some(i),
            Some(s) => {
                let prev = v[i - 1];
                let hump = prev.is_ascii_lowercase() && b.is_ascii_uppercase();
                // `HTTPResponse`: split before the last capital of a run.
                let acronym_end = prev.is_ascii_uppercase()
                    && b.is_ascii_uppercase()
                    && v.get(i + 1).is_some_and(u8::is_ascii_lowercase);
                if hump || acronym_end {
                    f(&v[s..i]);
                    start = Some(i);
                }
            }
        }
    }
    if let Some(s) = start {
        f(&v[s..]);
    }
}

/// True for a segment that reads like a word: 3+ letters, a plausible share
/// of vowels and no long consonant cluster.
fn word_like(seg: &[u8]) -> bool {
    if seg.len() < 3 {
        return false;
    }
    let vowel = |b: &u8| {
        matches!(
            b.to_ascii_lowercase(),
            b'a' | b'e' | b'i' | b'o' | b'u' | b'y'
        )
    };
    let vowels = seg.iter().filter(|b| vowel(b)).count();
    if vowels == 0 || vowels * 8 < seg.len() || vowels * 10 > seg.len() * 7 {
        return false;
    }
    let mut cluster = 0;
    for b in seg {
        cluster = if vowel(b) { 0 } else { cluster + 1 };
        if cluster >= 5 {
            return false;
        }
    }
    true
}

/// True when most letters of `v` sit in word-like segments: identifiers,
/// constants, kebab-case names, sentences without spaces.
fn is_wordy(v: &[u8]) -> bool {
    let (mut segs, mut letters, mut in_words) = (0usize, 0usize, 0usize);
    each_letter_segment(v, |seg| {
        segs += 1;
        letters += seg.len();
        if word_like(seg) {
            in_words += seg.len();
        }
    });
    if letters == 0 {
        return false;
    }
    in_words * 2 >= letters || (segs >= 2 && letters >= 8 && letters >= 4 * segs)
}

/// True for `snake_case`, `SCREAMING_CASE` and `kebab-case` names: three or
/// more parts, most of them a single run of one class (`POSIX`, `V7`, `bf16`).
fn is_separated_identifier(v: &[u8]) -> bool {
    let parts: Vec<&[u8]> = v
        .split(|b| matches!(b, b'_' | b'-'))
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() < 3 {
        return false;
    }
    let simple = parts
        .iter()
        .filter(|p| {
            p.iter().all(u8::is_ascii_hexdigit)
                || p.windows(2)
                    .filter(|w| class_of(w[0]) != class_of(w[1]))
                    .count()
                    <= 1
        })
        .count();
    simple * 4 >= parts.len() * 3
}

/// True for hex numbers and digests, also with `0x`, `_` groups, a type
/// suffix (`0x5851_F42D_4C95_7F2Du64`, `0xCF1BBCDCB7A56463ULL`) or a word
/// prefix (`csr-id-<sha>`).
fn is_hex_number(v: &[u8]) -> bool {
    let body = v
        .strip_prefix(b"0x")
        .or_else(|| v.strip_prefix(b"0X"))
        .unwrap_or(v);
    let mut end = body.len();
    for suffix in [
        &b"u128"[..],
        b"u64",
        b"u32",
        b"i64",
        b"i128",
        b"ULL",
        b"ull",
        b"UL",
        b"ul",
        b"LL",
        b"ll",
        b"U",
        b"L",
    ] {
        if body.len() > suffix.len() && body.ends_with(suffix) {
            end = body.len() - suffix.len();
            break;
        }
    }
    let body = &body[..end];
    if body.len() >= 16
        && body
            .iter()
            .all(|b| b.is_ascii_hexdigit() || *b == b'_' || *b == b'-')
    {
        return true;
    }
    // The longest `-`/`_` part is a digest.
    v.split(|b| matches!(b, b'_' | b'-'))
        .max_by_key(|p| p.len())
        .is_some_and(|p| p.len() >= 16 && p.iter().all(u8::is_ascii_hexdigit))
}

/// `8-4-4-4-12` dash groups, whatever the characters.
fn is_uuid_shaped(v: &[u8]) -> bool {
    let lens: Vec<usize> = v.split(|&b| b == b'-').map(<[u8]>::len).collect();
    lens == [8, 4, 4, 4, 12]
}

/// True when `v` is base64 of text or of a counting sequence (test vectors,
/// encoded documents): a random key decodes to random bytes.
fn decodes_to_structure(v: &[u8]) -> bool {
    let Some(bytes) = base64url_decode(v) else {
        return false;
    };
    if bytes.len() < 12 {
        return false;
    }
    let printable = bytes
        .iter()
        .filter(|b| b.is_ascii_graphic() || **b == b' ' || **b == b'\n')
        .count();
    let counting = bytes
        .windows(2)
        .filter(|w| w[1] == w[0].wrapping_add(1) || w[1] == w[0])
        .count();
    printable * 10 >= bytes.len() * 9 || counting * 2 >= bytes.len()
}

/// Entropy a random-looking string of length `n` should reach (bits/byte).
fn entropy_threshold(n: usize) -> f32 {
    ((n as f32).log2() * 0.75).clamp(3.0, 4.5)
}

/// True when every byte is a hex digit or a dash (hashes, UUIDs, ids).
fn is_hex_like(v: &[u8]) -> bool {
    v.iter().all(|b| b.is_ascii_hexdigit() || *b == b'-')
}

/// The keyword classes of the assignment rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum KeyKind {
    Password,
    Other,
}

/// Keywords recognised at the start of an assignment match, longest first,
/// with the suffixes (after `_`/`-`) that keep the name a secret's name.
const KEYWORDS: &[(&str, KeyKind)] = &[
    ("client_secret", KeyKind::Other),
    ("client-secret", KeyKind::Other),
    ("clientsecret", KeyKind::Other),
    ("private_key", KeyKind::Other),
    ("private-key", KeyKind::Other),
    ("privatekey", KeyKind::Other),
    ("access_key", KeyKind::Other),
    ("access-key", KeyKind::Other),
    ("accesskey", KeyKind::Other),
    ("auth_token", KeyKind::Other),
    ("authtoken", KeyKind::Other),
    ("credentials", KeyKind::Other),
    ("credential", KeyKind::Other),
    ("passphrase", KeyKind::Password),
    ("password", KeyKind::Password),
    ("passwd", KeyKind::Password),
    ("api_key", KeyKind::Other),
    ("api-key", KeyKind::Other),
    ("apikey", KeyKind::Other),
    ("secret", KeyKind::Other),
    ("token", KeyKind::Other),
    ("pwd", KeyKind::Password),
];

const ALLOWED_SUFFIXES: &[&str] = &[
    "",
    "value",
    "str",
    "string",
    "plain",
    "plaintext",
    "raw",
    "key",
    "1",
    "2",
    "b64",
    "base64",
];

/// Name prefixes (just before the keyword) that make the value a cursor or
/// a non-secret.
const DENIED_PREFIXES: &[&str] = &[
    "page",
    "next",
    "prev",
    "previous",
    "continuation",
    "pagination",
    "cursor",
    "sync",
    "csrf",
    "xsrf",
    "public",
    "publishable",
    "is",
    "has",
    "use",
    "show",
    "hide",
    "no",
    "min",
    "max",
    "num",
    "count",
    "default",
    "sample",
    "example",
    "test",
    "dummy",
    "fake",
    "mock",
    // Values a test expects to be refused.
    "invalid",
    "wrong",
    "bad",
    "bogus",
    "malformed",
    "nonmatching",
    "mismatched",
];

/// The assigned name, lowercase: the identifier at the start of an
/// assignment rule's match (`DB_PASSWORD` in `DB_PASSWORD=…`).
fn assigned_name(cx: &Context<'_>) -> Vec<u8> {
    assigned_name_of(cx.matched)
}

/// [`assigned_name`] of a match.
fn assigned_name_of(matched: &[u8]) -> Vec<u8> {
    matched[..name_len(matched)].to_ascii_lowercase()
}

/// The length of the name a match starts with: its run of letters, digits,
/// `_` and `-`.
pub(crate) fn name_len(matched: &[u8]) -> usize {
    matched
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-')))
        .unwrap_or(matched.len())
}

/// The keyword an assigned name (lowercase) is judged by: the keyword it
/// starts with or, failing that, the first one in it; with its position.
fn name_keyword(name: &[u8]) -> Option<(usize, &'static str, KeyKind)> {
    KEYWORDS
        .iter()
        .find(|(k, _)| name.starts_with(k.as_bytes()))
        .map(|&(k, kind)| (0, k, kind))
        .or_else(|| {
            KEYWORDS
                .iter()
                .filter_map(|&(k, kind)| {
                    memchr::memmem::find(name, k.as_bytes()).map(|at| (at, k, kind))
                })
                .min_by_key(|&(at, k, _)| (at, usize::MAX - k.len()))
        })
}

/// The shortest value [`assignment`] accepts for a name of `kind`.
fn shortest_value(kind: KeyKind) -> usize {
    match kind {
        KeyKind::Password => 6,
        KeyKind::Other => 12,
    }
}

/// The shortest value [`assignment`] accepts in a match that starts with
/// the assigned name (`matched`, as `Context::matched`); `usize::MAX` when
/// it accepts none (the name holds no keyword). Lets a scan turn away a
/// match too short to hold such a value before capturing its groups.
pub(crate) fn assignment_shortest_value(matched: &[u8]) -> usize {
    // Asked for every match of keyword-dense input: a name that fits is
    // lowercased on the stack (most are a few bytes long).
    let name = &matched[..name_len(matched)];
    let mut short = [0u8; 64];
    let keyword = match short.get_mut(..name.len()) {
        Some(lower) => {
            lower.copy_from_slice(name);
            lower.make_ascii_lowercase();
            name_keyword(lower)
        }
        None => name_keyword(&assigned_name_of(matched)),
    };
    keyword.map_or(usize::MAX, |(_, _, kind)| shortest_value(kind))
}

/// `keyword = value` candidates: the name must be a secret's name and the
/// value a literal that is not a placeholder, reference, test value or code.
pub(crate) fn assignment(secret: &[u8], cx: &Context<'_>) -> Verdict {
    let v = secret;
    if v.len() < 6 || v.len() > 512 {
        return Verdict::Reject;
    }
    let name = assigned_name(cx);
    let Some((kw_at, kw, kind)) = name_keyword(&name) else {
        return Verdict::Reject;
    };
    // Checked first: every verdict below is a rejection for a shorter value,
    // and keyword-dense input (`token: token: …`) is mostly short values.
    if v.len() < shortest_value(kind) {
        return Verdict::Reject;
    }
    let suffix: Vec<u8> = name[kw_at + kw.len()..]
        .iter()
        .copied()
        .skip_while(|b| matches!(b, b'_' | b'-'))
        .collect();
    // `token_secret`, `secret_access_key` (the last keyword's rule reports
    // it) and any other suffix outside the list. No allowed suffix holds a
    // keyword (a test checks it), so this one comparison also rejects every
    // suffix with a keyword in it, which took ~20 substring searches a
    // match (most of the cost of `password="password="…`).
    if !ALLOWED_SUFFIXES
        .iter()
        .any(|s| s.as_bytes() == suffix.as_slice())
    {
        return Verdict::Reject;
    }
    // The rest of the name, before the keyword (`db_` in `db_password`).
    let start = cx.secret_start.min(cx.line.len());
    if let Some(pos) = memchr::memmem::rfind(&cx.line[..start], &cx.matched[..name.len()]) {
        let before = &cx.line[..pos];
        let pre_start = before
            .iter()
            .rposition(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-')))
            .map_or(0, |i| i + 1);
        let pre = before[pre_start..].to_ascii_lowercase();
        let last_word = pre
            .split(|b| matches!(b, b'_' | b'-'))
            .rfind(|w| !w.is_empty())
            .unwrap_or(b"");
        // `nextPageToken`: the last word of a camelCase prefix too.
        let camel = camel_last_word(&before[pre_start..]).to_ascii_lowercase();
        if DENIED_PREFIXES
            .iter()
            .any(|d| d.as_bytes() == last_word || d.as_bytes() == camel.as_slice())
        {
            return Verdict::Reject;
        }
        // A regular expression literal (`/password: postgres/`) matches
        // text; it holds no value.
        if before.ends_with(b"/") && v.ends_with(b"/") {
            return Verdict::Reject;
        }
        // What a password encoder stored: a hash (`encodedPassword` in
        // Spring, `hashed_password`), not the password. An encoded secret
        // key (`ENCODED_SECRET_KEY`, base64 of the key) is still the key.
        if kind == KeyKind::Password && matches!(last_word, b"encoded" | b"hashed") {
            return Verdict::Reject;
        }
    }
    // Before the placeholder and test-value checks, which cost ~100 times
    // more: a file of percent-escaped values (`password=%41%42…`, one per
    // line) spent half its scan in them.
    if percent_escapes(v) >= 2 {
        return Verdict::Reject;
    }
    // Escaped binary bytes (a protobuf descriptor), a printf slot
    // (`%s%n%n…`) and a Makefile's or Compose file's escaped variable
    // reference (`$$literal`, `$${PASSWORD}`).
    if super::form::escaped_binary(v) || super::form::printf_led(v) || dollar_escaped_name(v) {
        return Verdict::Reject;
    }
    if assignment_value_refused(v) {
        return Verdict::Reject;
    }
    // A quoted password may hold spaces (`"Tr0ub4dor 3-horse"`); prose may
    // not pass for one: some word must mix letters and digits.
    if v.iter().any(u8::is_ascii_whitespace)
        && !v
            .split(u8::is_ascii_whitespace)
            .any(|w| w.iter().any(u8::is_ascii_digit) && w.iter().any(u8::is_ascii_alphabetic))
    {
        return Verdict::Reject;
    }
    // Email addresses and file names are not secrets.
    if (v.contains(&b'@') && v.contains(&b'.')) || has_file_extension(v) {
        return Verdict::Reject;
    }
    if escaped_word(v) || braced_name(v) || constant_name(v) {
        return Verdict::Reject;
    }
    let quoted = start > 0 && matches!(cx.line.get(start - 1), Some(b'"' | b'\'' | b'`'));
    if is_numeric_literal(v) || is_version_range(v) {
        return Verdict::Reject;
    }
    let (lower, upper, digit, symbol) = classes(v);
    let n_classes = class_count(v);
    let h = entropy::shannon(v);
    if !quoted {
        // `put(Name='…/Password', Value='…')`: the next keyword argument;
        // `credentialsId: 'gpg-passphrase', variable: 'X'`: the next key.
        if let Some(stem) = v.strip_suffix(b"=").or_else(|| v.strip_suffix(b":")) {
            if placeholder::is_identifier(stem) && is_wordy(stem) {
                return Verdict::Reject;
            }
        }
        // `description+"…"`: a name concatenated to a string;
        // `exclude_password: false|`: a default closing a block's parameters.
        if let Some(stem) = v.strip_suffix(b"+") {
            if placeholder::is_identifier(stem)
                && (!stem.iter().any(u8::is_ascii_digit) || is_wordy(stem))
            {
                return Verdict::Reject;
            }
        }
        if keyword_then_closer(v) {
            return Verdict::Reject;
        }
        let rest = cx.line.get(start + v.len()..).unwrap_or_default();
        if closes_statement(v) || ends_code_line(v, rest) {
            return Verdict::Reject;
        }
        // Bare values in code are expressions; in env/YAML files, literals.
        if placeholder::is_identifier(v) && (!digit || is_wordy(v)) {
            return Verdict::Reject;
        }
        if type_annotation(v, &cx.line[..start]) || symbol_or_member(v) {
            return Verdict::Reject;
        }
        // A bracket is code, unless it is a lone one whose partner is not
        // further on the line (`random_string(20, n)` is cut at the space).
        let code_bracket = v.iter().any(|b| b"<>(){}[]".contains(b))
            && (!placeholder::lone_inner_bracket(v) || closes_later(v, rest));
        if n_classes < 2 || code_bracket {
            return Verdict::Reject;
        }
    }
    match kind {
        KeyKind::Password => {
            if n_classes >= 2 || (v.len() >= 12 && h >= 3.0) {
                Verdict::Accept
            } else {
                Verdict::Reject
            }
        }
        KeyKind::Other => {
            if v.len() < 12 || v.iter().all(u8::is_ascii_digit) {
                return Verdict::Reject;
            }
            let random_enough = h >= entropy_threshold(v.len()).min(3.5);
            let mixed = (digit && (lower || upper)) || (lower && upper && symbol);
            if random_enough && mixed && (is_hex_like(v) || !is_wordy(v)) {
                Verdict::Accept
            } else {
                Verdict::Reject
            }
        }
    }
}

/// A declared type after a colon, closing a statement or marked nullable
/// (`password: string;` in TypeScript, `var password: String? = null` in
/// Kotlin): a type name with no digit, then `;`, `?`, `!` or `,`. The bare
/// name (`password: string`) is already refused as an identifier; after
/// `=` (PHP's `$password = word;`) the word stays a value.
fn type_annotation(v: &[u8], before: &[u8]) -> bool {
    let name_end = v
        .iter()
        .rposition(|b| !matches!(b, b';' | b'?' | b'!' | b','))
        .map_or(0, |i| i + 1);
    let name = &v[..name_end];
    name_end < v.len()
        && placeholder::is_identifier(name)
        && !name.iter().any(u8::is_ascii_digit)
        && before.trim_ascii_end().ends_with(b":")
}

/// A Ruby symbol or the member of a path read as a value
/// (`password: :digest_secret`, `libc::passwd::pw_gecos` cut after
/// `passwd:`, PHP's `RequirePassword::class.':…'` cut after
/// `RequirePassword:`): a colon, then a name with no digit, perhaps joined
/// to what follows by `.`. Code, not a secret.
fn symbol_or_member(v: &[u8]) -> bool {
    v.strip_prefix(b":").is_some_and(|name| {
        let name = name.strip_suffix(b".").unwrap_or(name);
        placeholder::is_identifier(name) && !name.iter().any(u8::is_ascii_digit)
    })
}

/// A bare value that ends a statement or a call: a literal keyword before
/// `;` (`enableUpdatePassword = false;`) or a name before `)` or `);`
/// (`new Token("key", "Password", ROLES_12);`). A password closed by `;`
/// in a connection string (`Password=` mixed letters and digits `;`) stays
/// a value.
fn closes_statement(v: &[u8]) -> bool {
    if let Some(core) = v.strip_suffix(b";") {
        let core = core.strip_suffix(b")").unwrap_or(core);
        let keyword = ["true", "false", "null", "nil", "none", "undefined"]
            .iter()
            .any(|k| core.eq_ignore_ascii_case(k.as_bytes()));
        if keyword || (core.len() < v.len() - 1 && placeholder::is_identifier(core)) {
            return true;
        }
    }
    v.strip_suffix(b")")
        .is_some_and(|core| !core.contains(&b'(') && placeholder::is_identifier(core))
}

/// A literal keyword closed by punctuation (`false|`, `nil)`, `true]`):
/// a default value in code, not a password.
fn keyword_then_closer(v: &[u8]) -> bool {
    let core_len = v
        .iter()
        .rposition(|b| !matches!(b, b'|' | b',' | b')' | b']' | b'}'))
        .map_or(0, |i| i + 1);
    core_len < v.len()
        && ["true", "false", "null", "nil", "none", "undefined"]
            .iter()
            .any(|k| v[..core_len].eq_ignore_ascii_case(k.as_bytes()))
}

/// `$$name` or `$${name}`: Make and Compose write a literal `$` as `$$`, so
/// this is a reference to a shell or container variable.
fn dollar_escaped_name(v: &[u8]) -> bool {
    v.strip_prefix(b"$$").is_some_and(|rest| {
        let rest = rest
            .strip_prefix(b"{")
            .and_then(|r| r.strip_suffix(b"}"))
            .unwrap_or(rest);
        placeholder::is_identifier(rest) && !rest.contains(&b'$')
    })
}

/// The last word of a camelCase name (`Page` of `nextPage`); the whole
/// name when it has no lower-to-upper step.
fn camel_last_word(name: &[u8]) -> &[u8] {
    let at = name
        .windows(2)
        .rposition(|w| {
            (w[0].is_ascii_lowercase() || w[0].is_ascii_digit()) && w[1].is_ascii_uppercase()
        })
        .map_or(0, |i| i + 1);
    &name[at..]
}

/// A bare name followed by nothing but a comma to the end of its line: a
/// struct or object literal's field set from a variable (a Go `Password:`
/// field given `b64Pwd,`), not a literal.
fn ends_code_line(v: &[u8], rest: &[u8]) -> bool {
    placeholder::is_identifier(v) && rest.trim_ascii() == b","
}

/// A name in braces (`{bcrypt}`, `{unmapped}`): a template's placeholder
/// or the id prefix of an encoded password, joined to the value elsewhere.
fn braced_name(v: &[u8]) -> bool {
    v.strip_prefix(b"{")
        .and_then(|r| r.strip_suffix(b"}"))
        .is_some_and(|name| {
            placeholder::is_identifier(name)
                && (!name.iter().any(u8::is_ascii_digit) || is_wordy(name))
        })
}

/// A constant's or role's name in capitals (`ROLE_1`, `ADMIN_ROLE`,
/// `DB_PASSWORD_FILE`): capital letters in words, digits and `_`, with at
/// least one `_`. Code passes such names around; no generated password
/// looks like one.
fn constant_name(v: &[u8]) -> bool {
    v.first().is_some_and(u8::is_ascii_uppercase)
        && v.contains(&b'_')
        && v.iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_')
        && v.split(|&b| b == b'_')
            .all(|part| part.iter().all(u8::is_ascii_digit) || (part.len() >= 2 && word_like(part)))
}

/// A word of a message written with `\uXXXX` escapes, as Java
/// `.properties` bundles hold translations
/// (`emptyPassword=Ung\u00FCltige Anmeldedaten`): every character a letter,
/// some beyond ASCII. No password is written this way.
fn escaped_word(v: &[u8]) -> bool {
    if memchr::memmem::find(v, b"\\u").is_none() {
        return false;
    }
    let mut i = 0;
    let mut beyond_ascii = false;
    while i < v.len() {
        if v[i] == b'\\' {
            let hex = v.get(i + 2..i + 6).filter(|_| v.get(i + 1) == Some(&b'u'));
            let Some(c) = hex
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .and_then(char::from_u32)
            else {
                return false;
            };
            if !c.is_alphabetic() {
                return false;
            }
            beyond_ascii |= !c.is_ascii();
            i += 6;
        } else if v[i].is_ascii_alphabetic() {
            i += 1;
        } else {
            return false;
        }
    }
    beyond_ascii
}

/// A package version or version range (`^1.0.0`, `~2.1`, `>=3.4.5`,
/// `1.2.3-beta.1`), the value of a dependency whose name holds a keyword
/// (`"parse-passwd": "^1.0.0"` in a lockfile): no secret has this form.
/// Without an operator it needs three numbers, so `1.5` stays a value.
fn is_version_range(v: &[u8]) -> bool {
    let (op, rest) = match v {
        [b'>' | b'<', b'=', rest @ ..] => (true, rest),
        [b'^' | b'~' | b'>' | b'<' | b'=', rest @ ..] => (true, rest),
        _ => (false, v),
    };
    let rest = rest.strip_prefix(b"v").unwrap_or(rest);
    let core_end = rest
        .iter()
        .position(|b| matches!(b, b'-' | b'+'))
        .unwrap_or(rest.len());
    let (core, tail) = rest.split_at(core_end);
    let numbers = core.split(|&b| b == b'.');
    let parts = core.split(|&b| b == b'.').count();
    let numeric = numbers
        .clone()
        .all(|n| !n.is_empty() && n.len() <= 6 && n.iter().all(u8::is_ascii_digit));
    let tail_ok = tail.is_empty()
        || (tail.len() > 1
            && tail[1..]
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-')));
    numeric && tail_ok && (2..=4).contains(&parts) && (op || parts >= 3)
}

/// True when [`assignment`] refuses `v` whatever its name and line: a
/// placeholder, a test value, code, or a provider's prefixed token (a scan
/// asks it once for a value repeated match after match).
pub(crate) fn assignment_value_refused(v: &[u8]) -> bool {
    placeholder::is_placeholder(v)
        || placeholder::is_test_value(v)
        || placeholder::looks_like_code(v)
        || provider_prefixed(v)
}

/// True when the opening bracket in `v` is closed in `rest` (the line after
/// the value), as the arguments of a call cut at a space are.
fn closes_later(v: &[u8], rest: &[u8]) -> bool {
    let pairs = [(b'(', b')'), (b'[', b']'), (b'{', b'}'), (b'<', b'>')];
    pairs
        .iter()
        .any(|&(open, close)| v.contains(&open) && rest.contains(&close))
}

/// Obvious sample values for the generic assignment rules, dropped unless
/// the user asks for them (`ScannerBuilder::sample_values`): a test word in
/// leetspeak (`s3cret`, `P@ssw0rd`), a password made of words (`pass+word`,
/// `CircleOfLife`) or of a digit sequence (`1,2,3,4,5`), a keyboard mash
/// (`sdf0o9823sjdfsdf`), an alphabet walk or a self-repeating value (see
/// [`fixture_pattern`]), the key's own name (`my-api-key-1`), a password
/// hash (`$2y$05$…`), and base64 of any of these (`cGFzc3dvcmQ=`).
/// Random-looking values never match.
pub(crate) fn sample_value(secret: &[u8], cx: &Context<'_>) -> bool {
    let v = secret;
    let name = assigned_name(cx);
    let password = placeholder::contains(&name, b"pass") || placeholder::contains(&name, b"pwd");
    is_password_hash(v)
        || keyboard_mash(v)
        || fixture_pattern(v)
        || sample_text(v, password)
        || without_accents(v).is_some_and(|plain| {
            placeholder::is_placeholder(&plain)
                || placeholder::is_test_value(&plain)
                || sample_text(&plain, password)
        })
        || {
            match base64_text(v) {
                Some(text) => {
                    let text = text.trim_ascii();
                    placeholder::is_placeholder(text)
                        || placeholder::is_test_value(text)
                        || (placeholder::is_identifier(text) && is_wordy(text))
                        || sample_text(text, true)
                }
                None => false,
            }
        }
}

/// The checks of [`sample_value`] on a value's own text; `password` is true
/// for the values of password keys, where words alone do not make a secret.
fn sample_text(v: &[u8], password: bool) -> bool {
    if v.len() <= 32 {
        let plain = unleet(v);
        if plain != v.to_ascii_lowercase()
            && (placeholder::is_test_value(&plain) || placeholder::is_placeholder(&plain))
        {
            return true;
        }
    }
    // `my-api-key-1`, `test_token_value`: the value names the key.
    let squeezed: Vec<u8> = v
        .iter()
        .filter(|b| b.is_ascii_alphanumeric())
        .map(u8::to_ascii_lowercase)
        .collect();
    const NAMES: &[&[u8]] = &[
        b"apikey",
        b"accesskey",
        b"privatekey",
        b"token",
        b"credential",
        b"password",
        b"passwd",
        b"passphrase",
        b"secret",
    ];
    if NAMES.iter().any(|n| placeholder::contains(&squeezed, n)) {
        return true;
    }
    let digits = digit_count(v);
    let letters = v.iter().filter(|b| b.is_ascii_alphabetic()).count();
    // Two or more words (`pass+word`, `CircleOfLife`); one word with a
    // symbol (`Prestigitariu$`) may be a real, weak password.
    if password && digits <= 1 && word_phrase(v) {
        return true;
    }
    // `1,2,3,4,5`, `1-2-3-4`: a digit sequence with separators.
    if letters == 0 && digits >= 4 && digits < v.len() {
        let only: Vec<u8> = v.iter().copied().filter(u8::is_ascii_digit).collect();
        if placeholder::is_test_value(&only) {
            return true;
        }
    }
    false
}

/// Fixture values written by hand: letters that walk the alphabet
/// (`AbCdEfGh…`, `aB1cD2eF3…`, `a1b2c3d4-e5f6-…`), or a value that repeats
/// its own opening (`R7mQ2vN9xK4p…R7mQ2vN9xK4p…`). Random tokens do
/// neither: about one letter pair in thirteen is successive by chance.
pub(crate) fn fixture_pattern(v: &[u8]) -> bool {
    let letters: Vec<u8> = v
        .iter()
        .filter(|b| b.is_ascii_alphabetic())
        .map(u8::to_ascii_lowercase)
        .collect();
    let digits: Vec<u8> = v.iter().copied().filter(u8::is_ascii_digit).collect();
    let walks = |s: &[u8], least: usize| {
        s.len() >= least
            && s.windows(2)
                .filter(|w| w[1] == w[0] || w[1] == w[0].wrapping_add(1))
                .count()
                * 10
                >= (s.len() - 1) * 6
    };
    // Hex has six letters, so a third of its letter pairs walk by chance:
    // there the digits must walk too (`0123…cdef`, `a1b2c3d4-e5f6-…`).
    let hex = v.iter().all(|b| b.is_ascii_hexdigit() || *b == b'-');
    if if hex {
        walks(&letters, 4) && walks(&digits, 4)
    } else {
        walks(&letters, 8)
    } {
        return true;
    }
    repeats_its_opening(v)
}

/// True when `v`, 24 bytes or longer, holds its first 12 bytes again
/// further on (`R7mQ2vN9xK4p…R7mQ2vN9xK4p…`): one of the forms of
/// [`fixture_pattern`], and the cheapest to test (a scan can turn such a
/// value away before the other checks; keyword-dense input repeats
/// itself).
pub(crate) fn repeats_its_opening(v: &[u8]) -> bool {
    v.len() >= 24
        && v.get(..12)
            .is_some_and(|head| memchr::memmem::find(&v[1..], head).is_some())
}

/// Two or more words, one of four or more letters, and at least half the
/// letters in words (`pass+word`, `CircleOfLife`, `in-tree-value`);
/// keyboard walks (`1qay@WXS`), one word with a symbol (`un!techwhooah`)
/// and random text are not.
fn word_phrase(v: &[u8]) -> bool {
    let segs = letter_segments(v);
    let letters: usize = segs.iter().map(|s| s.len()).sum();
    let words: Vec<&&[u8]> = segs.iter().filter(|s| word_like(s)).collect();
    let in_words: usize = words.iter().map(|s| s.len()).sum();
    words.len() >= 2 && words.iter().any(|s| s.len() >= 4) && in_words * 2 >= letters
}

/// Lowercase with common leetspeak digits and symbols read as letters
/// (`P@ssw0rd` → `password`, `s3cr3t` → `secret`).
/// `v` with the accented Latin letters of UTF-8 (U+00C0–U+00FF) written
/// as their base letter (`pässwörd` → `password`, `ß` → `ss`), or `None`
/// when it has none: a test word dressed in accents, as Unicode tests of
/// password handling write, is still a test word.
fn without_accents(v: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(v.len());
    let mut folded = false;
    let mut i = 0;
    while i < v.len() {
        if v[i] == 0xC3 {
            if let Some(&next) = v.get(i + 1) {
                // U+00C0..U+00FF is 0xC3 0x80..0xBF; the letters' base, by
                // code point from U+00C0 (upper) and U+00E0 (lower).
                const BASE: &[u8; 32] = b"aaaaaaaceeeeiiiidnooooo*ouuuuyts";
                if (0x80..=0xBF).contains(&next) {
                    let base = BASE[usize::from(next & 0x1F)];
                    if base != b'*' {
                        match next {
                            0x9F => out.extend_from_slice(b"ss"),
                            0xBF => out.push(b'y'),
                            _ => out.push(base),
                        }
                        folded = true;
                        i += 2;
                        continue;
                    }
                }
            }
        }
        out.push(v[i]);
        i += 1;
    }
    folded.then_some(out)
}

fn unleet(v: &[u8]) -> Vec<u8> {
    v.iter()
        .map(|&b| match b {
            b'0' => b'o',
            b'1' | b'!' => b'i',
            b'3' => b'e',
            b'4' | b'@' => b'a',
            b'5' | b'$' => b's',
            b'7' => b't',
            _ => b.to_ascii_lowercase(),
        })
        .collect()
}

/// Lowercase letters struck mostly on the home row (`asdfghjkl`), as in
/// `sdf0o9823sjdfsdf` or `kkk9d7dh3k39sjv7`: random text has about a third
/// of its letters there.
fn keyboard_mash(v: &[u8]) -> bool {
    if v.iter().any(u8::is_ascii_uppercase) {
        return false;
    }
    let letters = v.iter().filter(|b| b.is_ascii_lowercase()).count();
    let home = v.iter().filter(|b| b"asdfghjkl".contains(b)).count();
    // Hex digits: half of `a-f` is on the home row.
    let beyond_hex = v.iter().any(|b| matches!(b, b'g'..=b'z'));
    beyond_hex && letters >= 6 && home * 10 >= letters * 7
}

/// Password hashes in crypt(3), PHC and LDAP forms: what a server stores
/// to check a password (`$2y$05$…`, `$argon2id$v=19$…`, `{SSHA}…`).
fn is_password_hash(v: &[u8]) -> bool {
    const PREFIXES: &[&[u8]] = &[
        b"$2a$",
        b"$2b$",
        b"$2x$",
        b"$2y$",
        b"$argon2",
        b"$scrypt$",
        b"$pbkdf2",
        b"$1$",
        b"$5$",
        b"$6$",
        b"$y$",
        b"$7$",
        b"$apr1$",
        b"{ssha}",
        b"{sha}",
        b"{ssha256}",
        b"{ssha512}",
        b"{crypt}",
        b"{bcrypt}",
        // Spring Security's `DelegatingPasswordEncoder` ids (`{noop}` is
        // a plain password, so not here).
        b"{md4}",
        b"{md5}",
        b"{sha-1}",
        b"{sha-256}",
        b"{sha256}",
        b"{ldap}",
        b"{pbkdf2}",
        b"{pbkdf2@",
        b"{scrypt}",
        b"{scrypt@",
        b"{argon2}",
        b"{argon2@",
        b"{bcrypt@",
        b"pbkdf2_sha256$",
        b"argon2$",
        b"bcrypt_sha256$",
    ];
    PREFIXES
        .iter()
        .any(|p| v.len() > p.len() + 8 && v[..p.len()].eq_ignore_ascii_case(p))
}

/// The text a standard-base64 value decodes to, when it is printable ASCII
/// (sample values are often written encoded, as in Kubernetes `Secret`
/// data); `None` for anything else, such as random key bytes.
fn base64_text(v: &[u8]) -> Option<Vec<u8>> {
    if v.len() < 8 || !v.len().is_multiple_of(4) || v.contains(&b'-') || v.contains(&b'_') {
        return None;
    }
    let body = v
        .strip_suffix(b"==")
        .or_else(|| v.strip_suffix(b"="))
        .unwrap_or(v);
    if !body
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/'))
    {
        return None;
    }
    let bytes = base64url_decode(body)?;
    let printable = bytes
        .iter()
        .all(|b| b.is_ascii_graphic() || matches!(b, b' ' | b'\r' | b'\n' | b'\t'));
    (printable && !bytes.is_empty()).then_some(bytes)
}

/// A single word or a few run together (`documentation`, `OAuth2Session`)
/// rather than a token: an identifier, at most one digit, vowels and rare
/// letters at the rates of words and no run of four consonants. About 2%
/// of random lowercase strings pass; with digits in the alphabet, far fewer.
pub(crate) fn word_not_token(v: &[u8]) -> bool {
    // The longest alphanumeric run: `s.makeKubeConfigController` is a
    // one-letter prefix and a name.
    let whole = v.len();
    let v = v
        .split(|b| !b.is_ascii_alphanumeric())
        .max_by_key(|run| run.len())
        .unwrap_or(v);
    if v.len() < 8
        || v.len() * 4 < whole * 3
        || !placeholder::is_identifier(v)
        || digit_count(v) > 1
        || fixture_pattern(v)
    {
        return false;
    }
    let vowel = |b: &u8| matches!(b.to_ascii_lowercase(), b'a' | b'e' | b'i' | b'o' | b'u');
    let letters = v.iter().filter(|b| b.is_ascii_alphabetic()).count();
    let vowels = v.iter().filter(|b| vowel(b)).count();
    if letters * 5 < v.len() * 4 || vowels * 4 < letters || vowels * 20 > letters * 13 {
        return false;
    }
    // `j q x z v k w` make up a quarter of random letters, a few percent
    // of English.
    let rare = v
        .iter()
        .filter(|b| b"jqxzvkw".contains(&b.to_ascii_lowercase()))
        .count();
    if rare * 10 > letters {
        return false;
    }
    let mut cluster = 0;
    for b in v {
        cluster = if b.is_ascii_alphabetic() && !vowel(b) && !matches!(b, b'y' | b'Y') {
            cluster + 1
        } else {
            0
        };
        if cluster >= 4 {
            return false;
        }
    }
    true
}

/// `Basic` credentials whose password is a sample (`example:example`,
/// `john:secret`, `hello:world`), for [`sample_value`]'s switch.
pub(crate) fn basic_auth_sample(secret: &[u8]) -> bool {
    let Some(decoded) = base64_text(secret) else {
        return false;
    };
    let Some(colon) = decoded.iter().position(|&b| b == b':') else {
        return false;
    };
    let password = &decoded[colon + 1..];
    // RFC 7617's own example, `Aladdin:open sesame`.
    let spaceless: Vec<u8> = password.iter().copied().filter(|&b| b != b' ').collect();
    if decoded[..colon].eq_ignore_ascii_case(b"aladdin")
        && spaceless.eq_ignore_ascii_case(b"opensesame")
    {
        return true;
    }
    placeholder::is_placeholder(password)
        || placeholder::is_test_value(password)
        || sample_text(password, true)
}

/// The jwt.io sample token (`{"sub":"1234567890","name":"John Doe",…}`),
/// printed in countless tutorials; signed with a published key.
pub(crate) fn jwt_sample(secret: &[u8]) -> bool {
    let Some(payload) = secret.split(|&b| b == b'.').nth(1) else {
        return false;
    };
    let Some(json) = base64url_decode(payload) else {
        return false;
    };
    match serde_json::from_slice::<serde_json::Value>(&json) {
        Ok(serde_json::Value::Object(map)) => {
            map.get("sub").and_then(|v| v.as_str()) == Some("1234567890")
                && map.get("name").and_then(|v| v.as_str()) == Some("John Doe")
        }
        _ => false,
    }
}

/// Integer and float literals, with optional sign, `0x`/`0b`/`0o`, `_`
/// separators and a type suffix (`131072u32`, `-21i32`, `0xC00002DF_u32`).
fn is_numeric_literal(v: &[u8]) -> bool {
    let v = v.strip_prefix(b"-").unwrap_or(v);
    let lower = v.to_ascii_lowercase();
    let (body, hex) = match lower.get(..2) {
        Some(b"0x") => (&lower[2..], true),
        Some(b"0b") | Some(b"0o") => (&lower[2..], false),
        _ => (&lower[..], false),
    };
    let digits_end = body
        .iter()
        .position(|&b| {
            !(b.is_ascii_digit() || b == b'_' || b == b'.' || (hex && b.is_ascii_hexdigit()))
        })
        .unwrap_or(body.len());
    if digits_end == 0 {
        return false;
    }
    let suffix = body[digits_end..]
        .strip_prefix(b"_")
        .unwrap_or(&body[digits_end..]);
    const SUFFIXES: &[&[u8]] = &[
        b"", b"u8", b"u16", b"u32", b"u64", b"u128", b"usize", b"i8", b"i16", b"i32", b"i64",
        b"i128", b"isize", b"f32", b"f64", b"l", b"u", b"ul", b"ll", b"ull", b"f", b"d", b"n",
    ];
    SUFFIXES.contains(&suffix)
}

/// Number of `%XX` escapes in `v`.
fn percent_escapes(v: &[u8]) -> usize {
    v.windows(3)
        .filter(|w| w[0] == b'%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit())
        .count()
}

/// True for `name.ext` with a common file extension.
fn has_file_extension(v: &[u8]) -> bool {
    const EXT: &[&str] = &[
        "pem", "key", "crt", "cer", "der", "p12", "pfx", "jks", "json", "yaml", "yml", "toml",
        "txt", "env", "ini", "cfg", "conf", "xml", "gpg", "asc", "pub", "enc", "bin", "dat", "db",
    ];
    match v.iter().rposition(|&b| b == b'.') {
        Some(i) if i > 0 => {
            let ext = v[i + 1..].to_ascii_lowercase();
            EXT.iter().any(|e| e.as_bytes() == ext.as_slice())
        }
        _ => false,
    }
}

/// True when the token at `start..end` of `line` is a literal value: the
/// whole content of a quoted string, the value of `=`/`:` (env, YAML,
/// properties, query strings), XML text, or follows `Bearer`/`Basic`/`token`.
/// Bare words in code (identifiers, constants) are not.
fn literal_context(line: &[u8], start: usize, end: usize) -> bool {
    let before = start.checked_sub(1).and_then(|i| line.get(i)).copied();
    let after = line.get(end).copied();
    let closes = |b: Option<u8>| {
        matches!(
            b,
            None | Some(
                b' ' | b'\t'
                    | b'\r'
                    | b','
                    | b';'
                    | b'&'
                    | b'#'
                    | b'"'
                    | b'\''
                    | b'`'
                    | b')'
                    | b'}'
                    | b']'
            )
        )
    };
    match before {
        Some(q @ (b'"' | b'\'' | b'`')) => after == Some(q),
        Some(b'=' | b':') => closes(after),
        Some(b'>') => after == Some(b'<'),
        Some(b' ' | b'\t') => {
            let head = line[..start].trim_ascii_end();
            let lower = head.to_ascii_lowercase();
            (head.ends_with(b"=") || head.ends_with(b":")) && closes(after)
                || [&b"bearer"[..], b"basic", b"token"]
                    .iter()
                    .any(|w| lower.ends_with(w))
        }
        _ => false,
    }
}

/// Keywords of the generic assignment rules (lowercase).
const ASSIGNMENT_KEYWORDS: &[&[u8]] = &[
    b"password",
    b"passwd",
    b"passphrase",
    b"secret",
    b"token",
    b"api_key",
    b"api-key",
    b"apikey",
    b"access_key",
    b"access-key",
    b"accesskey",
    b"private_key",
    b"private-key",
    b"privatekey",
    b"credential",
];

/// Line words that mark a hash, checksum or encoded file data.
const HASH_CONTEXT: &[&[u8]] = &[
    b"integrity",
    b"checksum",
    b"sha1",
    b"sha256",
    b"sha384",
    b"sha512",
    b"sha-",
    b"md5",
    b"digest",
    b"hash",
    b"fingerprint",
    b"etag",
    b"\"mappings\"",
    b";base64,",
    b"nonce",
    b"commit",
    b"revision",
    b"\"rev\"",
    b"rev =",
    b"uuid",
    b"guid",
    b"signaturevalue",
    b"ciphervalue",
    b"x509certificate",
    b"pubkey",
    b"public_key",
    b"publickey",
    b"public-key",
    b"pin-sha",
];

/// Base64 openings of common binary file formats (PNG, JPEG, GIF, SVG, ZIP,
/// PDF, gzip, PE, zero runs).
const FILE_MAGIC_B64: &[&[u8]] = &[
    b"iVBORw0KGgo",
    b"/9j/",
    b"R0lGOD",
    b"PHN2Zy",
    b"PD94bWw",
    b"UEsDB",
    b"JVBERi",
    b"H4sI",
    b"TVqQ",
    b"AAAA",
    b"d09GR",
    b"AGFzbQ",
    // OpenPGP signature packets (armored `.sig`/`.asc` bodies).
    b"iQEz",
    b"iQIz",
    b"iQEc",
    b"iQIc",
    b"iHUE",
];

/// Standalone high-entropy strings that are not hashes, UUIDs, integrity
/// values, identifiers, paths or encoded files, with mixed character classes
/// and a length-dependent entropy floor.
pub(crate) fn high_entropy(secret: &[u8], cx: &Context<'_>) -> Verdict {
    match high_entropy_check(secret, cx) {
        Ok(()) => Verdict::Accept,
        Err(_) => Verdict::Reject,
    }
}

/// Which kinds of bytes a token (or a run of them) contains.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct TokenClasses {
    pub(crate) upper: bool,
    pub(crate) lower: bool,
    pub(crate) digit: bool,
    /// A byte other than a hex digit or `-`.
    pub(crate) nonhex: bool,
}

/// True when [`high_entropy_token`] rejects every token of at most `len`
/// bytes made only of the classes present in `c`: no digit, no letter, a
/// single letter case in fewer than 32 bytes, or only hex digits and `-`
/// (hashes, UUIDs).
pub(crate) fn high_entropy_classes_reject(len: usize, c: TokenClasses) -> bool {
    !c.digit || (!c.lower && !c.upper) || (!(c.lower && c.upper) && len < 32) || !c.nonhex
}

/// The checks of [`high_entropy`] that look at the token alone (`v`, without
/// trailing `=` padding): the engine runs them on a token run before any
/// regex, and skips runs that no context could rescue.
pub(crate) fn high_entropy_token(v: &[u8]) -> Result<(), u8> {
    // Cheapest checks first: most tokens that reach here are ids and hashes.
    let n = v.len();
    if !(20..=256).contains(&n) {
        return Err(1);
    }
    let (lower, upper, digit, _) = classes(v);
    let digits = digit_count(v);
    if !digit || digits * 10 > n * 6 {
        return Err(11);
    }
    if !(lower && upper) && n < 32 {
        return Err(12);
    }
    if !lower && !upper {
        return Err(13);
    }
    if is_hex_like(v)
        || is_hex_number(v)
        || is_uuid_shaped(v)
        || v.starts_with(b"_Z")
        || v.starts_with(b"__Z")
        || v.starts_with(b"_RN")
    {
        return Err(9);
    }
    for p in [&b"sha1-"[..], b"sha256-", b"sha384-", b"sha512-", b"md5-"] {
        if v.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p)) {
            return Err(6);
        }
    }
    if FILE_MAGIC_B64.iter().any(|m| v.starts_with(m)) {
        return Err(7);
    }
    if transition_ratio(v) < 0.3 || is_wordy(v) {
        return Err(14);
    }
    // No long runs of one class: `abcdefghij1`, `ID_0000000000`.
    if longest_class_run(v) > n / 2 + 2 {
        return Err(15);
    }
    // The floor depends on the alphabet in use: 36 symbols for one case and
    // digits, 62+ for mixed case.
    let alphabet = 26 * usize::from(lower)
        + 26 * usize::from(upper)
        + 10
        + 2 * usize::from(v.iter().any(|b| matches!(b, b'+' | b'/' | b'_' | b'-')));
    let floor = ((n.min(alphabet) as f32).log2() * 0.82).clamp(3.0, 4.7);
    if entropy::shannon(v) < floor {
        return Err(16);
    }
    if provider_prefixed(v)
        || placeholder::is_placeholder(v)
        || is_separated_identifier(v)
        || decodes_to_structure(v)
    {
        return Err(9);
    }
    // Paths: two or more `/`-separated parts with word-like names.
    if v.contains(&b'/') {
        let wordy_parts = v
            .split(|&b| b == b'/')
            .filter(|p| p.len() >= 3 && is_wordy(p))
            .count();
        if wordy_parts >= 2 || (wordy_parts == 1 && v.starts_with(b"/")) {
            return Err(10);
        }
    }
    Ok(())
}

/// The checks of [`high_entropy`]; `Err(n)` names the check that rejected.
fn high_entropy_check(secret: &[u8], cx: &Context<'_>) -> Result<(), u8> {
    let mut v = secret;
    while let [rest @ .., b'='] = v {
        v = rest;
    }
    let n = v.len();
    if !(20..=256).contains(&n) {
        return Err(1);
    }
    let start = cx.secret_start.min(cx.line.len());
    let end = (start + secret.len()).min(cx.line.len());
    let before = start.checked_sub(1).and_then(|i| cx.line.get(i)).copied();
    let after = cx.line.get(end).copied();
    let after2 = cx.line.get(end + 1).copied();
    // Part of a longer word, an escape, a URL-encoded or `$`/`@` construct.
    if matches!(before, Some(b) if b.is_ascii_alphanumeric()
        || matches!(b, b'.' | b'\\' | b'%' | b'&' | b'$' | b'@' | b'#' | b'~' | b'^'))
    {
        return Err(2);
    }
    // `name.ext`, `user@host`, `key.method(`, `sym@@VERSION`.
    if matches!(after, Some(b'@'))
        || (matches!(after, Some(b'.')) && matches!(after2, Some(b) if b.is_ascii_alphanumeric()))
    {
        return Err(3);
    }
    if !literal_context(cx.line, start, end) {
        return Err(17);
    }
    let head = &cx.line[..start];
    if id_field(head) {
        return Err(21);
    }
    for p in [
        &b"h1:"[..],
        b"sha256:",
        b"sha512:",
        b"sha1:",
        b"md5:",
        b"sha384:",
        b"blake2b:",
    ] {
        if head.ends_with(p) {
            return Err(4);
        }
    }
    // `Basic <value>`: the basic-auth rule owns it, and reports it only
    // when it decodes to `user:password`.
    let head_trim = head.trim_ascii_end();
    if head_trim.len() < head.len()
        && head_trim.len() >= 5
        && head_trim[head_trim.len() - 5..].eq_ignore_ascii_case(b"basic")
    {
        return Err(19);
    }
    // A base64 body line (PEM, MIME): the whole line, 64 or 76 wide.
    let trimmed_line = cx.line.trim_ascii();
    let trimmed_line = trimmed_line.strip_suffix(b"\\").unwrap_or(trimmed_line);
    if trimmed_line == secret && n >= 56 {
        return Err(8);
    }
    // The value of a `password`/`secret`/`token`/`api_key` assignment
    // belongs to the generic assignment rules (one finding per secret).
    // Asked before the token's own checks, which cost more than this
    // search of the line and which the engine already ran on the token's
    // run (they pass again here): a file of distinct `api_key = …` lines
    // spent a third of its scan judging each value a second time. Every
    // check here rejects, so their order changes no verdict.
    if has_word(&ASSIGNMENT_WORDS, ASSIGNMENT_KEYWORDS, &cx.line[..start]) {
        return Err(18);
    }
    high_entropy_token(v)?;
    // WebAuthn client data (`{"type":"webauthn.get","challenge":…}`, in
    // base64url or decoded from it): the browser's signed, public half of
    // a login and its one-time challenge, not a secret.
    if v.starts_with(b"eyJ0eXBlIjoid2ViYXV0aG4u")
        || memchr::memmem::find(cx.line, b"{\"type\":\"webauthn.").is_some()
    {
        return Err(20);
    }
    // Hash context last: it costs a search of the whole line.
    if has_word(&HASH_WORDS, HASH_CONTEXT, cx.line) {
        return Err(5);
    }
    Ok(())
}

/// True when the text before a value ends with the key of an id field
/// (`"id":"`, `message_id=`, `requestId: '`): the value names a record
/// (`msg_013N…` of a recorded API reply), it opens nothing.
fn id_field(head: &[u8]) -> bool {
    let head = head.trim_ascii_end();
    let head = head
        .strip_suffix(b"\"")
        .or_else(|| head.strip_suffix(b"'"))
        .unwrap_or(head);
    let head = head.trim_ascii_end();
    let Some(head) = head.strip_suffix(b":").or_else(|| head.strip_suffix(b"=")) else {
        return false;
    };
    let head = head.trim_ascii_end();
    let head = head
        .strip_suffix(b"\"")
        .or_else(|| head.strip_suffix(b"'"))
        .unwrap_or(head);
    let key_start = head
        .iter()
        .rposition(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-')))
        .map_or(0, |i| i + 1);
    let key = &head[key_start..];
    key.eq_ignore_ascii_case(b"id")
        || (key.len() > 3
            && (key.ends_with(b"_id") || key.ends_with(b"-id") || key.ends_with(b"_ID"))
            || (key.ends_with(b"Id")
                && key[..key.len() - 2]
                    .last()
                    .is_some_and(u8::is_ascii_lowercase)))
}

/// Words that make a random-looking string on their line a likely
/// credential (matched case-insensitively anywhere on the line).
const CREDENTIAL_CONTEXT: &[&[u8]] = &[
    b"auth",
    b"credential",
    b"passw",
    b"passphrase",
    b"pwd",
    b"secret",
    b"token",
    b"apikey",
    b"api_key",
    b"api-key",
    b"_key",
    b"-key",
    b"\"key\"",
    b"'key'",
    b"key=",
    b"key:",
    b"key =",
    b"key :",
    b"bearer",
    b"session",
    b"signing",
    b"login",
];

/// Whether `line` holds a credential word (see `CREDENTIAL_CONTEXT`): the
/// context `high-entropy-string` needs by default.
pub(crate) fn credential_context(line: &[u8]) -> bool {
    has_word(&CREDENTIAL_WORDS, CREDENTIAL_CONTEXT, line)
}

static CREDENTIAL_WORDS: OnceLock<Option<AhoCorasick>> = OnceLock::new();
static ASSIGNMENT_WORDS: OnceLock<Option<AhoCorasick>> = OnceLock::new();
static HASH_WORDS: OnceLock<Option<AhoCorasick>> = OnceLock::new();

/// Whether any of `words` occurs in `hay`, ignoring ASCII case. The
/// automaton is built once per process; it cannot fail for these fixed
/// lists, and if it did no word would match (the checks only ever reject).
fn has_word(cell: &'static OnceLock<Option<AhoCorasick>>, words: &[&[u8]], hay: &[u8]) -> bool {
    cell.get_or_init(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(words)
            .ok()
    })
    .as_ref()
    .is_some_and(|ac| ac.is_match(hay))
}

fn longest_class_run(v: &[u8]) -> usize {
    let (mut best, mut run) = (0, 0);
    let mut prev = None;
    for &b in v {
        let c = class_of(b);
        run = if Some(c) == prev { run + 1 } else { 1 };
        prev = Some(c);
        best = best.max(run);
    }
    best
}

/// Decodes unpadded or padded base64url (or standard base64).
pub(crate) fn base64url_decode(s: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4 + 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in s {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            b'=' => break,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// HTTP `Basic` credentials: the value must be base64 of printable ASCII
/// `user:password` with a non-empty password (the user may be empty, as in
/// `:token` forms). Random base64 after `Basic` is something else.
pub(crate) fn basic_auth(secret: &[u8]) -> Verdict {
    let body = secret
        .strip_suffix(b"==")
        .or_else(|| secret.strip_suffix(b"="))
        .unwrap_or(secret);
    if body.contains(&b'-') || body.contains(&b'_') {
        return Verdict::Reject;
    }
    let Some(decoded) = base64url_decode(body) else {
        return Verdict::Reject;
    };
    let printable = decoded.iter().all(|b| (0x20..0x7f).contains(b));
    match decoded.iter().position(|&b| b == b':') {
        Some(colon) if printable && colon + 1 < decoded.len() => Verdict::Accept,
        _ => Verdict::Reject,
    }
}

/// JSON Web Tokens: the header segment must decode to a JSON object with an
/// `alg` member, and there must be a payload segment.
pub(crate) fn jwt(secret: &[u8]) -> Verdict {
    let mut parts = secret.split(|&b| b == b'.');
    let (Some(header), Some(payload)) = (parts.next(), parts.next()) else {
        return Verdict::Reject;
    };
    if header.is_empty() || payload.is_empty() || header.len() > 4096 {
        return Verdict::Reject;
    }
    let Some(json) = base64url_decode(header) else {
        return Verdict::Reject;
    };
    match serde_json::from_slice::<serde_json::Value>(&json) {
        Ok(serde_json::Value::Object(map)) if map.contains_key("alg") => Verdict::Accept,
        _ => Verdict::Reject,
    }
}

#[cfg(test)]
#[path = "tests/heuristics.rs"]
mod tests;
