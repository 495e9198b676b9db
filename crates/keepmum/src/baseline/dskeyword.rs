//! The value detect-secrets' `KeywordDetector` (type `Secret Keyword`)
//! captures on a line, so keepmum's generic findings hash exactly as a
//! detect-secrets baseline records them.
//!
//! Facts about detect-secrets 1.5 this reproduces (written from its
//! behaviour, checked against the real tool by `scripts/compat-test.sh`):
//!
//! - The shapes tried depend on the file's extension: Go; C, C#, Objective-C;
//!   C++; "config" (`.yaml`, `.yml`, `.eyaml`, `.ini`, `.cfg`, `.cnf`,
//!   `.conf`, `.cf`, `.properties`, `.toml`); everything else requires
//!   quotes. Every shape that matches yields its value.
//! - A keyword is one of its sixteen secret words (`password`, `api_key`,
//!   `secret`, …; `_` optional where it joins two words), then any word
//!   characters. Most shapes ignore case; the C++ `secret("…")` shape and
//!   the reversed comparison (`"v" == password`) do not.
//! - The value starts with a word character, runs up to the first `'` or
//!   `"` (backticks and spaces included) and may not end in `,` or a
//!   backtick; when it opened with a quote it must close with the same one.
//!   This is why an unquoted password with a space in a YAML file hashes
//!   with its space and what follows it.
//! - For files of no known type (`.env`, `.txt`, no extension…) that give
//!   nothing line by line, detect-secrets reads the file again as an INI
//!   file (with a `[global]` header) and scans `key = "value"` lines it
//!   builds, with `"` in the value escaped as `\"`; a `%` that is not
//!   `%%` makes that reading fail (INI interpolation).

use std::ops::Range;

/// How detect-secrets classifies a file for this plugin.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Go,
    CFamily,
    CPlusPlus,
    Config,
    QuotesRequired,
    /// Not a known extension: quotes required, and the INI re-reading.
    Other,
}

fn kind_of(filename: &str) -> Kind {
    let name = filename.rsplit('/').next().unwrap_or(filename);
    // `os.path.splitext`: a leading dot is not an extension.
    let ext = match name.trim_start_matches('.').rfind('.') {
        Some(_) => name.rsplit('.').next().unwrap_or(""),
        None => "",
    };
    match ext {
        "go" => Kind::Go,
        "c" | "cs" | "m" => Kind::CFamily,
        "cpp" => Kind::CPlusPlus,
        "yaml" | "yml" | "eyaml" | "cnf" | "conf" | "cfg" | "cf" | "ini" | "properties"
        | "toml" => Kind::Config,
        "cls" | "java" | "js" | "py" | "pyi" | "swift" | "tf" => Kind::QuotesRequired,
        // `.example` and `.php` are known types with no table of their own.
        "example" | "php" => Kind::QuotesRequired,
        _ => Kind::Other,
    }
}

/// The words, lowercase; `_?` marks where an underscore is optional.
const WORDS: &[&str] = &[
    "api_?key",
    "auth_?key",
    "service_?key",
    "account_?key",
    "db_?key",
    "database_?key",
    "priv_?key",
    "private_?key",
    "client_?key",
    "db_?pass",
    "database_?pass",
    "key_?pass",
    "password",
    "passwd",
    "pwd",
    "secret",
    "contraseña",
    "contrasena",
];

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn is_quote(c: char) -> bool {
    matches!(c, '\'' | '"' | '`')
}

/// Length in chars of a secret word starting at `at`, if one does.
fn word_at(line: &[char], at: usize, ignore_case: bool) -> Option<usize> {
    'words: for w in WORDS {
        let mut i = at;
        let mut chars = w.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '_' && chars.peek() == Some(&'?') {
                chars.next();
                if line.get(i) == Some(&'_') {
                    i += 1;
                }
                continue;
            }
            let Some(&got) = line.get(i) else {
                continue 'words;
            };
            let same = if ignore_case {
                got.to_lowercase().eq(c.to_lowercase())
            } else {
                got == c
            };
            if !same {
                continue 'words;
            }
            i += 1;
        }
        return Some(i - at);
    }
    None
}

/// End of a keyword (secret word, then word characters) starting at `at`.
fn keyword_at(line: &[char], at: usize, ignore_case: bool) -> Option<usize> {
    let len = word_at(line, at, ignore_case)?;
    let mut i = at + len;
    while line.get(i).copied().is_some_and(is_word) {
        i += 1;
    }
    Some(i)
}

fn skip_ws(line: &[char], mut i: usize) -> usize {
    while line.get(i).is_some_and(|c| c.is_whitespace()) {
        i += 1;
    }
    i
}

/// Up to two closing characters after a key (`]`, `'`, `"`).
fn skip_closing(line: &[char], mut i: usize) -> usize {
    for _ in 0..2 {
        if line.get(i).is_some_and(|c| matches!(c, ']' | '\'' | '"')) {
            i += 1;
        }
    }
    i
}

/// The value at `at`: `quote` (if any) opened it and must close it, and
/// `then` must follow. Returns the value's range.
fn value_at(line: &[char], at: usize, quote: Option<char>, then: &str) -> Option<Range<usize>> {
    if !line.get(at).copied().is_some_and(is_word) {
        return None;
    }
    let stop = (at..line.len())
        .find(|&i| matches!(line[i], '\u{b}' | '\'' | '"'))
        .unwrap_or(line.len());
    let then: Vec<char> = then.chars().collect();
    for end in (at + 1..=stop).rev() {
        if matches!(line[end - 1], ',' | '`') {
            continue;
        }
        let mut j = end;
        if let Some(q) = quote {
            if line.get(j) != Some(&q) {
                continue;
            }
            j += 1;
        }
        if line.get(j..j + then.len()) == Some(&then[..]) {
            return Some(at..end);
        }
    }
    None
}

/// An optional opening quote at `at`: the quote and where the value starts.
fn open_quote(
    line: &[char],
    at: usize,
    required: bool,
    quotes: &[char],
) -> Option<(Option<char>, usize)> {
    match line.get(at) {
        Some(&q) if quotes.contains(&q) => Some((Some(q), at + 1)),
        _ if required => None,
        _ => Some((None, at)),
    }
}

const ANY_QUOTE: &[char] = &['\'', '"', '`'];

/// The shapes, by what follows the keyword.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// `key := v` (Go).
    ColonEquals,
    /// `key: v`, quotes optional.
    Colon,
    /// `key: "v"`.
    ColonQuoted,
    /// `key[25] = @"v"` (C family), double quotes only.
    CEquals,
    /// `key("v")`, `key.assign("v")` (C++), case-sensitive.
    Assign,
    /// `key = v`, `==`, `===`, `!=`, `!==`, quotes optional.
    Equals,
    /// The same, quotes required.
    EqualsQuoted,
    /// `"v" == key` (case-sensitive).
    Reversed,
    /// `key… "v";`.
    Semicolon,
    /// `key => "v"`, `key = "v"`.
    Arrow,
}

fn shapes(kind: Kind) -> &'static [Shape] {
    use Shape::*;
    match kind {
        Kind::Go => &[ColonEquals, Reversed, Equals, Semicolon],
        Kind::CFamily => &[CEquals],
        Kind::CPlusPlus => &[Assign, EqualsQuoted],
        Kind::Config => &[Colon, Reversed, Equals, Semicolon],
        Kind::QuotesRequired | Kind::Other => {
            &[ColonQuoted, Reversed, EqualsQuoted, Semicolon, Arrow]
        }
    }
}

/// The first match of `shape` in `line` (leftmost start), as detect-secrets'
/// regex search finds it.
fn find(line: &[char], shape: Shape) -> Option<Range<usize>> {
    (0..line.len()).find_map(|at| match_at(line, at, shape))
}

fn match_at(line: &[char], at: usize, shape: Shape) -> Option<Range<usize>> {
    if shape == Shape::Reversed {
        let (q, start) = open_quote(line, at, true, ANY_QUOTE)?;
        let v = value_at(line, start, q, "")?;
        let mut i = skip_ws(line, v.end + 1);
        let ops = line[i..]
            .iter()
            .take(3)
            .take_while(|c| matches!(c, '!' | '='))
            .count();
        if ops < 2 {
            return None;
        }
        i = skip_ws(line, i + ops);
        // `\w*` before the word: the word may start anywhere in this run.
        let mut j = i;
        loop {
            if word_at(line, j, false).is_some() {
                return Some(v);
            }
            if !line.get(j).copied().is_some_and(is_word) {
                return None;
            }
            j += 1;
        }
    }
    let ignore_case = shape != Shape::Assign;
    let key_end = keyword_at(line, at, ignore_case)?;
    let value = |i: usize, required: bool, quotes: &[char], then: &str| {
        let (q, start) = open_quote(line, i, required, quotes)?;
        value_at(line, start, q, then)
    };
    match shape {
        Shape::ColonEquals => {
            let i = skip_ws(line, skip_closing(line, key_end));
            if line.get(i..i + 2) != Some(&[':', '='][..]) {
                return None;
            }
            value(skip_ws(line, i + 2), false, ANY_QUOTE, "")
        }
        Shape::Colon | Shape::ColonQuoted => {
            let i = skip_closing(line, key_end);
            if line.get(i) != Some(&':') {
                return None;
            }
            value(
                skip_ws(line, i + 1),
                shape == Shape::ColonQuoted,
                ANY_QUOTE,
                "",
            )
        }
        Shape::CEquals => {
            let mut i = key_end;
            if line.get(i) == Some(&'[') {
                let digits = line[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .count();
                if line.get(i + 1 + digits) == Some(&']') {
                    i += digits + 2;
                }
            }
            i = skip_ws(line, i);
            let ops = line[i..]
                .iter()
                .take(2)
                .take_while(|c| matches!(c, '!' | '='))
                .count();
            if ops == 0 {
                return None;
            }
            i = skip_ws(line, i + ops);
            if line.get(i) == Some(&'@') {
                i += 1;
            }
            value(i, true, &['"'], "")
        }
        Shape::Assign => {
            let mut i = key_end;
            if line
                .get(i + 1..i + 7)
                .is_some_and(|s| s.iter().copied().eq("assign".chars()))
            {
                i += 7;
            }
            if line.get(i) != Some(&'(') {
                return None;
            }
            value(i + 1, true, &['"'], "")
        }
        Shape::Equals | Shape::EqualsQuoted => {
            let mut i = skip_ws(line, skip_closing(line, key_end));
            let eq = line[i..].iter().take(3).take_while(|c| **c == '=').count();
            if eq > 0 {
                i += eq;
            } else if line.get(i) == Some(&'!') && line.get(i + 1) == Some(&'=') {
                i += if line.get(i + 2) == Some(&'=') { 3 } else { 2 };
            } else {
                return None;
            }
            value(
                skip_ws(line, i),
                shape == Shape::EqualsQuoted,
                ANY_QUOTE,
                "",
            )
        }
        Shape::Semicolon => {
            // Up to 50 more non-space characters, fewest first.
            let run = line[key_end..]
                .iter()
                .take_while(|c| !c.is_whitespace())
                .count();
            (0..=run.min(50)).find_map(|extra| {
                let i = skip_ws(line, key_end + extra);
                value(i, true, ANY_QUOTE, ";").filter(|_| is_quote(line[i]))
            })
        }
        Shape::Arrow => {
            let mut i = skip_ws(line, skip_closing(line, key_end));
            if line.get(i) != Some(&'=') {
                return None;
            }
            i += 1;
            if line.get(i) == Some(&'>') {
                i += 1;
            }
            value(skip_ws(line, i), true, ANY_QUOTE, "")
        }
        Shape::Reversed => None,
    }
}

/// The values detect-secrets' keyword plugin captures on `line` of a file
/// named `filename`, as byte ranges of `line` (the line without its line
/// break). Empty when it captures nothing here.
pub(crate) fn values_in_line(filename: &str, line: &[u8]) -> Vec<Range<usize>> {
    let Ok(text) = std::str::from_utf8(line) else {
        return Vec::new(); // detect-secrets skips files that are not UTF-8
    };
    // detect-secrets strips trailing whitespace from each line.
    let text = text.trim_end();
    let chars: Vec<char> = text.chars().collect();
    let offsets: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    let mut out: Vec<Range<usize>> = Vec::new();
    for &shape in shapes(kind_of(filename)) {
        if let Some(r) = find(&chars, shape) {
            let bytes = offsets[r.start]..offsets[r.end];
            if !out.contains(&bytes) {
                out.push(bytes);
            }
        }
    }
    out
}

/// The value detect-secrets finds when it reads `line` as an INI
/// `key = value` line, with the byte offset in `line` where that value
/// starts: for a file that parses as INI (sections), always; for a file of
/// no known type (`eager`), when the plain reading found nothing. `None`
/// when the line is not one, or the reading fails (a lone `%`), or nothing
/// is captured.
pub(crate) fn ini_value(filename: &str, line: &[u8], eager: bool) -> Option<(Vec<u8>, usize)> {
    if eager && kind_of(filename) != Kind::Other {
        return None;
    }
    let text = std::str::from_utf8(line).ok()?;
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed.starts_with(['#', ';', '[']) {
        return None;
    }
    let delim = text.find(['=', ':'])?;
    let key = text[..delim].trim();
    if key.is_empty() {
        return None;
    }
    let raw_start = delim + 1 + (text[delim + 1..].len() - text[delim + 1..].trim_start().len());
    let mut value = text[delim + 1..].trim().to_string();
    let mut value_start = raw_start;
    // INI interpolation: `%%` is `%`; any other `%` fails the whole file.
    if value.contains('%') {
        let unescaped = value.replace("%%", "");
        if unescaped.contains('%') {
            return None;
        }
        value = value.replace("%%", "%");
    }
    if value.is_empty() {
        return None;
    }
    let first = value.chars().next()?;
    if matches!(first, '\'' | '"') && value.len() >= 2 && value.ends_with(first) {
        value = value[1..value.len() - 1].to_string();
        value_start += 1;
    }
    let built = format!("{key} = \"{}\"", value.replace('"', "\\\""));
    let found = values_in_line(if eager { "" } else { filename }, built.as_bytes());
    let r = found.first()?;
    Some((built.as_bytes()[r.clone()].to_vec(), value_start))
}

/// For a YAML file, the value detect-secrets finds on a `key: value` line:
/// it parses the file and scans `key: "value"` lines it builds (the value
/// as YAML reads it, `"` escaped as `\"`, the comment kept). `None` when
/// the line is not a mapping entry; `Some(None)` when nothing is captured.
pub(crate) fn yaml_value(filename: &str, line: &[u8]) -> Option<Option<(Vec<u8>, usize)>> {
    let name = filename.rsplit('/').next().unwrap_or(filename);
    if !(name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".eyaml")) {
        return None;
    }
    let text = std::str::from_utf8(line).ok()?;
    let body = text.trim_start().trim_start_matches("- ");
    let indent = text.len() - body.len();
    let colon = body.find(": ")?;
    let key = body[..colon].trim().trim_matches(['"', '\'']);
    if key.is_empty() || key.contains(['#', '{', '[']) {
        return None;
    }
    let after = &body[colon + 1..];
    let value_start = indent + colon + 1 + (after.len() - after.trim_start().len());
    let after = after.trim_start();
    let (value, comment) = match after.chars().next()? {
        q @ ('"' | '\'') => {
            let close = after[1..].find(q)? + 1;
            (
                after[1..close].to_string(),
                after[close + 1..].trim().to_string(),
            )
        }
        '|' | '>' | '&' | '*' | '!' | '{' | '[' => return None,
        _ => match after.find(" #") {
            Some(c) => (
                after[..c].trim_end().to_string(),
                after[c..].trim().to_string(),
            ),
            None => (after.trim_end().to_string(), String::new()),
        },
    };
    if value.is_empty() {
        return None;
    }
    let comment = if comment.is_empty() {
        comment
    } else {
        format!(" {comment}")
    };
    let built = format!("{key}: \"{}\"{comment}", value.replace('"', "\\\""));
    let found = values_in_line(filename, built.as_bytes());
    Some(
        found
            .first()
            .map(|r| (built.as_bytes()[r.clone()].to_vec(), value_start)),
    )
}

/// Whether reading a file as INI fails on interpolation: a `%` that is not
/// `%%` or `%(`.
pub(crate) fn ini_interpolation_fails(input: &[u8]) -> bool {
    let mut i = 0;
    while let Some(p) = memchr::memchr(b'%', &input[i..]) {
        let at = i + p;
        match input.get(at + 1) {
            Some(b'%' | b'(') => i = at + 2,
            _ => return true,
        }
    }
    false
}

/// The widest value detect-secrets' keyword plugin could take, in a file of
/// any type, that holds byte `at` of `line`: what `redact` hides, so no part
/// of a value detect-secrets would call the secret is left in the clear
/// (an unquoted password with a space in it). `None` when no such value
/// holds `at`.
pub(crate) fn widest_value_at(line: &[u8], at: usize) -> Option<Range<usize>> {
    let mut best: Option<Range<usize>> = None;
    let mut consider = |r: Range<usize>| {
        if r.start <= at && at < r.end && best.as_ref().is_none_or(|b| r.len() > b.len()) {
            best = Some(r);
        }
    };
    for name in ["x.yaml", "x.py"] {
        for r in values_in_line(name, line) {
            consider(r);
        }
    }
    if let Some(r) = ini_raw_range(line) {
        consider(r);
    }
    best
}

/// The byte range of an INI line's value as written: after the first `=`
/// or `:`, trimmed, without one pair of surrounding quotes.
fn ini_raw_range(line: &[u8]) -> Option<Range<usize>> {
    let text = std::str::from_utf8(line).ok()?;
    let delim = text.find(['=', ':'])?;
    if text[..delim].trim().is_empty() {
        return None;
    }
    let rest = &text[delim + 1..];
    let mut start = delim + 1 + (rest.len() - rest.trim_start().len());
    let mut end = delim + 1 + rest.trim_end().len();
    let v = line.get(start..end)?;
    if v.len() >= 2 && matches!(v[0], b'\'' | b'"') && v[v.len() - 1] == v[0] {
        start += 1;
        end -= 1;
    }
    (start < end).then_some(start..end)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
#[path = "tests/dskeyword.rs"]
mod tests;
