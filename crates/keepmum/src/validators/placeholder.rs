//! Recognises values that are obviously not real secrets: placeholders,
//! template and environment references, masks and test values.
//!
//! Two levels: [`is_placeholder`] is safe to apply to any token-shaped
//! candidate (it never rejects a random token by accident), while
//! [`is_test_value`] and [`looks_like_code`] are stricter and meant for the
//! generic `keyword = value` detectors, whose values are free-form.

/// Whole values (lowercased, trimmed) that are never real secrets.
const PLACEHOLDER_VALUES: &[&str] = &[
    "changeme",
    "change_me",
    "change-me",
    "changeit",
    "replaceme",
    "replace_me",
    "replace-me",
    "placeholder",
    "redacted",
    "removed",
    "hidden",
    "masked",
    "secret",
    "secrets",
    "password",
    "passwd",
    "passphrase",
    "token",
    "apikey",
    "api_key",
    "api-key",
    "none",
    "null",
    "nil",
    "undefined",
    "true",
    "false",
    "yes",
    "no",
    "on",
    "off",
    "empty",
    "default",
    "required",
    "optional",
    "unknown",
    "unset",
    "n/a",
    "tbd",
    "todo",
    "fixme",
    "string",
    "str",
    "value",
    "hunter2",
    // Oracle's `scott/tiger` sample account, in every database tutorial.
    "tiger",
    "mypass",
    "mypassword",
];

/// Substrings (lowercase) whose presence marks a value as a placeholder.
/// Each is long or distinctive enough not to occur in a random token.
const PLACEHOLDER_SUBSTRINGS: &[&str] = &[
    "changeme",
    "change_me",
    "change-me",
    "replace_me",
    "replaceme",
    "replace-me",
    "replace_with",
    "placeholder",
    "redacted",
    "example",
    "dummy",
    "your_",
    "your-",
    "yourapi",
    "yourkey",
    "yoursecret",
    "yourtoken",
    "yourpassword",
    "_here",
    "-here",
    "insert_",
    "insert-",
    "xxxx",
    "****",
    "....",
    "####",
    "••••",
    "<your",
    "notarealsecret",
    "not_a_real",
    "not-a-real",
];

/// Markers of a template, interpolation or variable reference anywhere in
/// the value.
const TEMPLATE_MARKERS: &[&str] = &[
    "${", "{{", "}}", "{%", "%}", "<%", "%>", "%(", "#{", "$(", "{0}", "{}",
];

/// Environment and configuration lookups (lowercase).
const LOOKUP_MARKERS: &[&str] = &[
    "os.environ",
    "os.getenv",
    "getenv(",
    "process.env",
    "import.meta.env",
    "env[",
    "env.fetch",
    "env(",
    "env::var",
    "environ[",
    "environ.get",
    "config.get",
    "config[",
    "settings.",
    "secrets.",
    "vault:",
    "!vault",
    "ref+",
    "keyring.",
    "system.getenv",
    "getproperty(",
];

/// True when `v` holds one of [`PLACEHOLDER_SUBSTRINGS`],
/// [`TEMPLATE_MARKERS`] or [`LOOKUP_MARKERS`], ASCII case ignored: one pass
/// of one automaton (built once per process) for all of them.
fn placeholder_marker(v: &[u8]) -> bool {
    static MARKERS: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> =
        std::sync::OnceLock::new();
    let lists = || {
        PLACEHOLDER_SUBSTRINGS
            .iter()
            .chain(TEMPLATE_MARKERS)
            .chain(LOOKUP_MARKERS)
    };
    let ac = MARKERS.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(lists())
            .ok()
    });
    match ac {
        Some(ac) => ac.is_match(v),
        // Fixed lists cannot fail to build; if they did, search each.
        None => {
            let lower = v.to_ascii_lowercase();
            lists().any(|s| memchr::memmem::find(&lower, s.as_bytes()).is_some())
        }
    }
}

/// True when `value` is a placeholder such as `changeme`, `<your-key>`,
/// `${VAR}`, `{{ var }}`, `$VAR`, `process.env.X` or `xxxx`.
///
/// Safe for any token-shaped candidate: every check is a whole-value match or
/// a substring too distinctive to occur in a random token.
pub(crate) fn is_placeholder(value: &[u8]) -> bool {
    let v = trim(value);
    if v.is_empty() {
        return true;
    }
    // The lists are lowercase ASCII (and `•`): comparing bytes with ASCII
    // case ignored decides as comparing the lowercased text would, without
    // a copy of the value or a search per list entry.
    if PLACEHOLDER_VALUES
        .iter()
        .any(|p| v.eq_ignore_ascii_case(p.as_bytes()))
    {
        return true;
    }
    if placeholder_marker(v) {
        return true;
    }
    let first = v[0];
    let last = v[v.len() - 1];
    // `<your-key>`, `[REDACTED]`, `(secret)`.
    if matches!((first, last), (b'<', b'>') | (b'[', b']') | (b'(', b')')) {
        return true;
    }
    // `$VAR`, `$env:VAR`, `%VAR%`, `__VAR__`, `@VAR@`.
    if first == b'$'
        && v.get(1)
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
    {
        return true;
    }
    if v.len() >= 3 && ((first == b'%' && last == b'%') || (first == b'@' && last == b'@')) {
        return true;
    }
    if v.len() >= 5 && v.starts_with(b"__") && v.ends_with(b"__") {
        return true;
    }
    // printf-style `%s`, `%d`.
    if v.len() <= 4 && first == b'%' {
        return true;
    }
    if v.iter().all(|&b| b == v[0]) {
        return true;
    }
    // Masks: any byte repeated five times in a row.
    if longest_repeat(v) >= 5 {
        return true;
    }
    false
}

/// True when `value` is an obvious template or mask rather than a value
/// someone pasted: a placeholder ([`is_placeholder`]: `<…>`, `${…}`,
/// `{{…}}`, `xxxx`, `your_…_here`, `changeme`, one character repeated) or a
/// value where one character makes up half or more (`00aaaaaaaaaaaa`).
///
/// Provider rules apply it, instead of their entropy floor, to a value the
/// provider's own name introduces (`calendarific SECRET=abcdefabcdef…`):
/// sequential or repeated-alphabet values there are reported, masks are not.
pub(crate) fn is_template_or_mask(value: &[u8]) -> bool {
    let v = trim(value);
    if is_placeholder(v) {
        return true;
    }
    let mut counts = [0usize; 256];
    for &b in v {
        counts[b.to_ascii_lowercase() as usize] += 1;
    }
    counts.iter().any(|&n| 2 * n >= v.len())
}

/// Obvious test or sample values (`test`, `dummy`, `foo`, `abc123`, a
/// keyboard or alphabet sequence, a short unit repeated), for the generic
/// assignment detectors only: a random provider token could contain one of
/// these words by chance, a free-form assigned value that does is a test.
pub(crate) fn is_test_value(value: &[u8]) -> bool {
    let v = trim(value);
    let lower = v.to_ascii_lowercase();
    let words: Vec<&[u8]> = lower
        .split(|b| !b.is_ascii_alphabetic())
        .filter(|w| !w.is_empty())
        .collect();
    const TEST_WORDS: &[&[u8]] = &[
        b"test",
        b"tests",
        b"testing",
        b"dummy",
        b"example",
        b"sample",
        b"fake",
        b"mock",
        b"foo",
        b"bar",
        b"baz",
        b"qux",
        b"foobar",
        b"demo",
        b"temp",
        b"tmp",
        b"abc",
        b"xyz",
        b"qwerty",
        b"letmein",
        b"admin",
        b"root",
        b"user",
        b"username",
        b"pass",
        b"passw",
        b"pwd",
        b"secret",
        b"password",
        b"passwd",
        b"mysecret",
        b"mypassword",
        b"mypass",
        b"mytoken",
        b"mykey",
        b"some",
        b"random",
        b"invalid",
        b"wrong",
        b"bad",
        b"good",
        b"correct",
        b"incorrect",
        b"hello",
        b"world",
        b"asdf",
        b"test_password",
        b"s",
        b"cr",
        b"t",
    ];
    // A value whose letters are all test words (digits and symbols aside).
    if !words.is_empty() && words.iter().all(|w| TEST_WORDS.contains(w)) {
        return true;
    }
    for sub in [
        &b"test"[..],
        b"dummy",
        b"fake",
        b"sample",
        b"mock",
        b"passw",
        b"secret",
    ] {
        if memchr::memmem::find(&lower, sub).is_some() {
            return true;
        }
    }
    is_sequence(&lower) || is_repeated_unit(&lower)
}

/// True for values that are code rather than literals: function calls,
/// attribute and index accesses, paths, shell substitutions.
pub(crate) fn looks_like_code(value: &[u8]) -> bool {
    let v = trim(value);
    if v.is_empty() {
        return true;
    }
    if ((v.contains(&b'(') || v.contains(&b')')) && !lone_inner_bracket(v))
        || contains(v, b"::")
        || contains(v, b"->")
    {
        return true;
    }
    if (v.contains(&b'[') && v.contains(&b']')) || (v.contains(&b'<') && v.contains(&b'>')) {
        return true;
    }
    // References and pointers: `&str`, `*ptr`.
    if matches!(v[0], b'&' | b'*') {
        return true;
    }
    // `a.b.c` where every part is an identifier word: attribute access.
    if v.contains(&b'.') && v.split(|&b| b == b'.').all(is_identifier) {
        return true;
    }
    // Paths and URLs without credentials.
    if v.starts_with(b"/") || v.starts_with(b"./") || v.starts_with(b"../") || v.starts_with(b"~/")
    {
        return true;
    }
    if v.len() > 2 && v[1] == b':' && (v[2] == b'\\' || v[2] == b'/') {
        return true;
    }
    if contains(v, b"://") {
        return true;
    }
    false
}

/// True when `v` holds a digit and exactly one bracket (`()[]{}<>`),
/// neither first nor last: `Tr0ub4dor(3-horse` is a password with a symbol
/// in it, while code pairs its brackets (`f(x)`, `a[0]`, `${X}`), ends in
/// one (`getpass(`) or is words (`Option<unsafe`, cut at a space).
pub(crate) fn lone_inner_bracket(v: &[u8]) -> bool {
    if !v.iter().any(u8::is_ascii_digit) {
        return false;
    }
    let mut at = v
        .iter()
        .enumerate()
        .filter(|(_, b)| b"()[]{}<>".contains(b))
        .map(|(i, _)| i);
    match (at.next(), at.next()) {
        (Some(i), None) => i > 0 && i + 1 < v.len(),
        _ => false,
    }
}

/// True for `[A-Za-z_$][A-Za-z0-9_$]*`.
pub(crate) fn is_identifier(s: &[u8]) -> bool {
    match s.first() {
        Some(b) if b.is_ascii_alphabetic() || *b == b'_' || *b == b'$' => {}
        _ => return false,
    }
    s.iter()
        .all(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'$')
}

/// Strips surrounding whitespace and quotes.
fn trim(v: &[u8]) -> &[u8] {
    let mut s = v;
    while let [first, rest @ ..] = s {
        if first.is_ascii_whitespace() || matches!(first, b'"' | b'\'' | b'`') {
            s = rest;
        } else {
            break;
        }
    }
    while let [rest @ .., last] = s {
        if last.is_ascii_whitespace() || matches!(last, b'"' | b'\'' | b'`') {
            s = rest;
        } else {
            break;
        }
    }
    s
}

/// True when `needle` occurs in `hay` (bytes, case as given).
pub(crate) fn contains(hay: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(hay, needle).is_some()
}

/// Length of the longest run of one repeated byte.
fn longest_repeat(v: &[u8]) -> usize {
    let (mut best, mut run) = (0, 0);
    let mut prev = None;
    for &b in v {
        run = if Some(b) == prev { run + 1 } else { 1 };
        prev = Some(b);
        best = best.max(run);
    }
    best
}

/// The whole value is a run of consecutive characters (`123456`, `abcdef`,
/// `654321`) or a keyboard row (`qwerty`, `asdfgh`).
fn is_sequence(lower: &[u8]) -> bool {
    if lower.len() < 3 {
        return false;
    }
    let up = lower.windows(2).all(|w| w[1] == w[0].wrapping_add(1));
    let down = lower.windows(2).all(|w| w[0] == w[1].wrapping_add(1));
    if up || down {
        return true;
    }
    const ROWS: &[&[u8]] = &[
        b"qwertyuiop",
        b"asdfghjkl",
        b"zxcvbnm",
        b"1234567890",
        b"0123456789",
        b"abcdefghijklmnopqrstuvwxyz",
    ];
    ROWS.iter().any(|row| lower.len() >= 4 && contains(row, lower))
        // A sequence padded with a few more digits: `abc123`, `qwerty123`.
        || (lower.len() >= 6 && {
            let letters: Vec<u8> = lower.iter().copied().filter(u8::is_ascii_alphabetic).collect();
            let digits: Vec<u8> = lower.iter().copied().filter(u8::is_ascii_digit).collect();
            letters.len() + digits.len() == lower.len()
                && letters.len() >= 3
                && digits.len() >= 3
                && ROWS.iter().any(|row| contains(row, &letters))
                && ROWS.iter().any(|row| contains(row, &digits))
        })
}

/// The whole value is one unit of 1–4 bytes repeated (`abab`, `123123`).
fn is_repeated_unit(v: &[u8]) -> bool {
    (1..=4)
        .any(|u| v.len() >= 2 * u && v.len().is_multiple_of(u) && v.chunks(u).all(|c| c == &v[..u]))
}

#[cfg(test)]
#[path = "tests/placeholder.rs"]
mod tests;
