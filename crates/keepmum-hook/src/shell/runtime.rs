//! What a command line computes at run time that decides which file a reader
//! opens: shell variables assigned earlier on the line (`F=.env; cat "$F"`,
//! `for f in .env; do cat $f; done`), ANSI-C strings (`$'\x2eenv'`) and short
//! producing pipelines inside command substitutions (`$(printf '\056env')`,
//! `$(echo LmVudg== | base64 -d)`, `$(echo vne. | rev)`, `$(ls -a | grep env)`).
//!
//! Only what can be evaluated without running anything is evaluated. A
//! substitution that decodes or transforms text we cannot follow is
//! reported as [`SubValue::Opaque`]: a reader whose file name is decoded at
//! run time cannot be checked, so the hook refuses it. Work is bounded:
//! inputs over [`MAX_TEXT`] bytes are not evaluated and variable expansion
//! makes at most [`MAX_VARIANTS`] variants of a command.

use super::{lex, params, Tok, Word};

/// Longest text (substitution, word, decoded value) evaluated.
pub(super) const MAX_TEXT: usize = 4096;

/// Most variants one command expands to (one per combination of the values
/// a loop variable takes).
pub(super) const MAX_VARIANTS: usize = 16;

/// What a command substitution prints, as far as it can be known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum SubValue {
    /// The exact text it prints.
    Known(String),
    /// Names matching one of these globs (`ls DIR | grep PAT` is
    /// `DIR/*PAT*` and `DIR/.*PAT*`); `recursive` when the listing descends
    /// (`find`).
    Glob {
        patterns: Vec<String>,
        recursive: bool,
    },
    /// It decodes or transforms text in a way that is not evaluated here
    /// (`base64 -d` of a variable, `openssl`, an interpreter, `tr` with
    /// classes): the result cannot be known.
    Opaque,
    /// An ordinary command whose output is not a decoded name
    /// (`git rev-parse --show-toplevel`).
    Unknown,
}

/// Decodes the escapes of an ANSI-C string (`$'…'`) or of `printf`'s format
/// and `echo -e`: `\n`, `\t`, `\\`, `\'`, `\"`, `\xHH`, `\NNN` / `\0NNN`
/// (octal), `\uHHHH`, `\UHHHHHHHH`. Unknown escapes are kept as written.
pub(super) fn unescape(s: &str) -> String {
    let b = s.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' || i + 1 >= b.len() {
            out.push(b[i]);
            i += 1;
            continue;
        }
        let c = b[i + 1];
        i += 2;
        match c {
            b'n' => out.push(b'\n'),
            b't' => out.push(b'\t'),
            b'r' => out.push(b'\r'),
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'e' | b'E' => out.push(27),
            b'f' => out.push(12),
            b'v' => out.push(11),
            b'\\' | b'\'' | b'"' | b'?' => out.push(c),
            b'x' => {
                let (v, n) = radix_digits(&b[i..], 16, 2);
                if n == 0 {
                    out.extend_from_slice(b"\\x");
                } else {
                    out.push(v as u8);
                    i += n;
                }
            }
            b'u' | b'U' => {
                let max = if c == b'u' { 4 } else { 8 };
                let (v, n) = radix_digits(&b[i..], 16, max);
                match char::from_u32(v).filter(|_| n > 0) {
                    Some(ch) => {
                        let mut buf = [0u8; 4];
                        out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                        i += n;
                    }
                    None => out.extend_from_slice(&[b'\\', c]),
                }
            }
            b'0'..=b'7' => {
                // `\0NNN` (echo, printf %b) and `\NNN` (printf, $'…').
                let start = if c == b'0' { i } else { i - 1 };
                let (v, n) = radix_digits(&b[start..], 8, 3);
                if c == b'0' && n == 0 {
                    out.push(0);
                } else {
                    out.push((v & 0xff) as u8);
                    i = start + n;
                }
            }
            _ => out.extend_from_slice(&[b'\\', c]),
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The value of up to `max` leading digits of `radix` in `b`, and how many
/// were read.
fn radix_digits(b: &[u8], radix: u32, max: usize) -> (u32, usize) {
    let mut v = 0u32;
    let mut n = 0;
    while n < max {
        match b.get(n).and_then(|&d| (d as char).to_digit(radix)) {
            Some(d) => {
                v = v * radix + d;
                n += 1;
            }
            None => break,
        }
    }
    (v, n)
}

/// The texts `text` expands to with the variables in `vars` (`$NAME`,
/// `${NAME}`, and the operators of [`params`]: `${NAME:1}`, `${NAME#x}`,
/// `${NAME/x/y}`, `${NAME,,}`, `${X:-default}`, …; a name assigned several
/// times, e.g. a loop variable, gives one variant per value), or `None` when
/// it names none of them. A variable not assigned on the line expands only
/// through a default (`${X:-.env}` may well be `.env`).
pub(super) fn expand_vars(text: &str, vars: &[(String, String)]) -> Option<Vec<String>> {
    if !text.contains('$') || (vars.is_empty() && !text.contains("${")) || text.len() > MAX_TEXT {
        return None;
    }
    expand_vars_at(text, vars, 0)
}

/// [`expand_vars`], with `depth` nested defaults or replacement words
/// already being expanded.
fn expand_vars_at(text: &str, vars: &[(String, String)], depth: usize) -> Option<Vec<String>> {
    let mut variants = vec![String::new()];
    let mut changed = false;
    let b = text.as_bytes();
    let mut i = 0;
    let mut lit = 0;
    while i < b.len() {
        if b[i] != b'$' {
            i += 1;
            continue;
        }
        let (values, end) = if b.get(i + 1) == Some(&b'{') {
            let Some(close) = params::closing_brace(text, i) else {
                break;
            };
            (braced(&text[i + 2..close], vars, depth), close + 1)
        } else {
            let len = b[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                .count();
            let name = &text[i + 1..i + 1 + len];
            let values: Vec<String> = vars
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .collect();
            (values, i + 1 + len)
        };
        if values.is_empty() {
            i = end.max(i + 1);
            continue;
        }
        changed = true;
        let prefix = &text[lit..i];
        let mut next = Vec::new();
        for v in &variants {
            for value in &values {
                if next.len() < MAX_VARIANTS {
                    next.push(format!("{v}{prefix}{value}"));
                }
            }
        }
        variants = next;
        i = end;
        lit = end;
    }
    if !changed {
        return None;
    }
    for v in &mut variants {
        v.push_str(&text[lit..]);
    }
    Some(variants)
}

/// The values `${inner}` takes: one per known value of the variable, with
/// the operator applied; the default word for a variable not assigned on
/// the line; none when it cannot be evaluated.
fn braced(inner: &str, vars: &[(String, String)], depth: usize) -> Vec<String> {
    let Some((name, op)) = params::parse(inner) else {
        return Vec::new();
    };
    // Words inside the operator may name variables too (`${v/x/$y}`).
    let word = |w: &str| -> String {
        if depth < 4 && w.contains('$') {
            if let Some(v) = expand_vars_at(w, vars, depth + 1) {
                return v.into_iter().next().unwrap_or_default();
            }
        }
        w.to_string()
    };
    let op = match op {
        params::Op::Default(w) => params::Op::Default(word(&w)),
        params::Op::Alternative(w) => params::Op::Alternative(word(&w)),
        params::Op::Replace {
            pat,
            with,
            all,
            anchor,
        } => params::Op::Replace {
            pat: word(&pat),
            with: word(&with),
            all,
            anchor,
        },
        params::Op::TrimStart { pat, longest } => params::Op::TrimStart {
            pat: word(&pat),
            longest,
        },
        params::Op::TrimEnd { pat, longest } => params::Op::TrimEnd {
            pat: word(&pat),
            longest,
        },
        other => other,
    };
    let lookup = |n: &str| -> Vec<&str> {
        vars.iter()
            .filter(|(k, _)| k == n)
            .map(|(_, v)| v.as_str())
            .take(MAX_VARIANTS)
            .collect()
    };
    let mut values = lookup(name);
    if op == params::Op::Indirect {
        values = values
            .into_iter()
            .flat_map(lookup)
            .take(MAX_VARIANTS)
            .collect();
    }
    if values.is_empty() {
        return match op {
            params::Op::Default(w) | params::Op::Alternative(w) => vec![w],
            _ => Vec::new(),
        };
    }
    values
        .into_iter()
        .filter_map(|v| params::apply(&op, v))
        .filter(|v| v.len() <= MAX_TEXT)
        .collect()
}

/// Expands the variables of every word of a command; `None` when no word
/// names a known variable. Each variant is the command's words after
/// expansion, re-split the way the shell splits an unquoted expansion (so
/// a value holding `$(…)` is seen as a substitution).
pub(super) fn expand_command(words: &[Word], vars: &[(String, String)]) -> Option<Vec<Vec<Word>>> {
    let mut any = false;
    let mut variants: Vec<Vec<Word>> = vec![Vec::new()];
    for w in words {
        match expand_vars(&w.text, vars) {
            None => variants.iter_mut().for_each(|v| v.push(w.clone())),
            Some(texts) => {
                any = true;
                let mut next = Vec::new();
                for v in &variants {
                    for t in &texts {
                        if next.len() >= MAX_VARIANTS {
                            break;
                        }
                        let mut v = v.clone();
                        let mut subs = Vec::new();
                        let relexed: Vec<Word> = lex(t, &mut subs)
                            .into_iter()
                            .filter_map(|tok| match tok {
                                Tok::Word(x) => Some(x),
                                _ => None,
                            })
                            .collect();
                        if relexed.is_empty() {
                            v.push(Word {
                                text: String::new(),
                                ..w.clone()
                            });
                        }
                        for mut x in relexed {
                            x.quoted |= w.quoted;
                            x.glob |= w.glob;
                            x.subs.extend(w.subs.iter().cloned());
                            v.push(x);
                        }
                        next.push(v);
                    }
                }
                variants = next;
            }
        }
    }
    any.then_some(variants)
}

/// Commands that turn text into other text in ways used to hide a name.
const DECODERS: &[&str] = &[
    "base64", "base32", "basenc", "xxd", "od", "hexdump", "rev", "tr", "openssl", "uudecode",
    "gzip", "gunzip", "zcat", "iconv", "python", "python3", "perl", "ruby", "node", "php", "awk",
    "gawk", "sed",
];

/// What the command substitution `sub` prints (see [`SubValue`]).
pub(super) fn eval_substitution(sub: &str) -> SubValue {
    if sub.len() > MAX_TEXT {
        return SubValue::Unknown;
    }
    let mut inner = Vec::new();
    let toks = lex(sub, &mut inner);
    let fallback = || opaque_or_unknown(&toks);
    let mut stages: Vec<Vec<Word>> = vec![Vec::new()];
    for tok in &toks {
        match tok {
            Tok::Word(w) => {
                if let Some(last) = stages.last_mut() {
                    last.push(w.clone());
                }
            }
            Tok::Sep | Tok::Pipe => stages.push(Vec::new()),
            _ => return fallback(),
        }
    }
    stages.retain(|s| !s.is_empty());
    if stages.is_empty() || stages.len() > 8 || !inner.is_empty() {
        return fallback();
    }
    let first = &stages[0];
    let name = first[0].text.rsplit('/').next().unwrap_or("");
    let args = &first[1..];
    let mut text = match name {
        "printf" => match printf(args) {
            Some(t) => t,
            None => return fallback(),
        },
        "echo" => echo(args),
        "ls" | "find" if stages.len() == 2 => {
            return listing_grep(name, args, &stages[1]).unwrap_or_else(fallback);
        }
        _ => return fallback(),
    };
    for stage in &stages[1..] {
        match transform(stage, &text) {
            Some(t) => text = t,
            None => return fallback(),
        }
        if text.len() > MAX_TEXT {
            return SubValue::Opaque;
        }
    }
    SubValue::Known(text.trim_end_matches('\n').to_string())
}

/// `Opaque` when a decoding command or an escape is among the
/// substitution's words (`toks`, as lexed), else `Unknown`.
fn opaque_or_unknown(toks: &[Tok]) -> SubValue {
    let words: Vec<&Word> = toks
        .iter()
        .filter_map(|t| match t {
            Tok::Word(w) => Some(w),
            _ => None,
        })
        .collect();
    let decodes = words.iter().enumerate().any(|(k, w)| {
        let n = w.text.rsplit('/').next().unwrap_or("");
        let versionless = n.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
        DECODERS.contains(&n)
            || DECODERS.contains(&versionless)
            || (matches!(n, "printf" | "echo")
                && words[k + 1..].iter().any(|a| a.text.contains('\\')))
    });
    if decodes {
        SubValue::Opaque
    } else {
        SubValue::Unknown
    }
}

/// `printf FORMAT [ARG…]` with `%s`, `%b`, `%%` and escapes; `None` for
/// other directives.
fn printf(args: &[Word]) -> Option<String> {
    let mut args = args.iter().map(|w| w.text.as_str());
    let mut fmt = args.next()?;
    if fmt == "--" {
        fmt = args.next()?;
    }
    let fmt = unescape(fmt);
    let mut out = String::new();
    let mut chars = fmt.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some('s') => out.push_str(args.next().unwrap_or("")),
            Some('b') => out.push_str(&unescape(args.next().unwrap_or(""))),
            _ => return None,
        }
    }
    Some(out)
}

/// `echo [-n|-e|-E] ARG…`; escapes are decoded (as `sh`'s echo does).
fn echo(args: &[Word]) -> String {
    let words: Vec<&str> = args
        .iter()
        .map(|w| w.text.as_str())
        .skip_while(|t| matches!(*t, "-n" | "-e" | "-E" | "-ne" | "-en"))
        .collect();
    let newline = !args
        .iter()
        .any(|w| w.text == "-n" || w.text == "-ne" || w.text == "-en");
    let mut s = unescape(&words.join(" "));
    if newline {
        s.push('\n');
    }
    s
}

/// One pipeline stage applied to `text`: `base64 -d`, `rev`, `xxd -r -p`,
/// `tr SET1 SET2`, `tr -d SET`, `cat`; `None` for anything else.
fn transform(stage: &[Word], text: &str) -> Option<String> {
    let name = stage[0].text.rsplit('/').next().unwrap_or("");
    let flags: Vec<&str> = stage[1..].iter().map(|w| w.text.as_str()).collect();
    match name {
        "cat" if flags.is_empty() => Some(text.to_string()),
        "base64"
            if flags
                .iter()
                .any(|f| matches!(*f, "-d" | "--decode" | "-D" | "-di" | "-id")) =>
        {
            decoded_text(keepmum::textdecode::decode_base64(text.as_bytes()))
        }
        "rev" if flags.is_empty() => Some(
            text.lines()
                .map(|l| l.chars().rev().collect::<String>())
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        "xxd"
            if flags.contains(&"-r") && flags.contains(&"-p")
                || flags.contains(&"-rp")
                || flags.contains(&"-pr") =>
        {
            decoded_text(keepmum::textdecode::decode_hex(text.as_bytes()))
        }
        "cut" => cut(&flags, text),
        "tr" => {
            let sets: Vec<&str> = flags
                .iter()
                .copied()
                .filter(|f| !f.starts_with('-'))
                .collect();
            if flags.contains(&"-d") && sets.len() == 1 {
                let del = expand_set(sets[0])?;
                Some(text.chars().filter(|c| !del.contains(c)).collect())
            } else if flags.len() == 2 && sets.len() == 2 {
                let from = expand_set(sets[0])?;
                let to = expand_set(sets[1])?;
                let last = *to.last()?;
                Some(
                    text.chars()
                        .map(|c| match from.iter().position(|f| *f == c) {
                            Some(k) => to.get(k).copied().unwrap_or(last),
                            None => c,
                        })
                        .collect(),
                )
            } else {
                None
            }
        }
        _ => None,
    }
}

/// `cut -c LIST`, `cut -b LIST` and `cut -d D -f LIST` on each line of
/// `text` (`LIST`: `N`, `N-`, `-M`, `N-M`, comma-separated); `None` for
/// other forms.
fn cut(flags: &[&str], text: &str) -> Option<String> {
    let mut list = None;
    let mut fields = false;
    let mut delim = '\t';
    let mut k = 0;
    while k < flags.len() {
        let f = flags[k];
        let (opt, inline) = if f.len() > 2 && f.starts_with('-') && !f.starts_with("--") {
            (&f[..2], Some(&f[2..]))
        } else {
            (f, None)
        };
        let value = || inline.or_else(|| flags.get(k + 1).copied());
        match opt {
            "-c" | "-b" => list = value(),
            "-f" => {
                list = value();
                fields = true;
            }
            "-d" => delim = value()?.chars().next()?,
            _ => return None,
        }
        k += if inline.is_some() { 1 } else { 2 };
    }
    let ranges: Vec<(usize, usize)> = list?
        .split(',')
        .map(|r| {
            let (a, b) = r.split_once('-').unwrap_or((r, r));
            let a = if a.is_empty() { 1 } else { a.parse().ok()? };
            let b = if b.is_empty() {
                usize::MAX
            } else {
                b.parse().ok()?
            };
            (a >= 1 && a <= b).then_some((a, b))
        })
        .collect::<Option<_>>()?;
    let picked = |n: usize| ranges.iter().any(|&(a, b)| a <= n && n <= b);
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            if fields {
                let d = delim.to_string();
                line.split(delim)
                    .enumerate()
                    .filter(|(n, _)| picked(n + 1))
                    .map(|(_, f)| f)
                    .collect::<Vec<_>>()
                    .join(&d)
            } else {
                line.chars()
                    .enumerate()
                    .filter(|(n, _)| picked(n + 1))
                    .map(|(_, c)| c)
                    .collect()
            }
        })
        .collect();
    Some(lines.join("\n"))
}

/// A `tr` set with `a-z` ranges and escapes; `None` for classes (`[:alpha:]`).
fn expand_set(set: &str) -> Option<Vec<char>> {
    if set.contains("[:") || set.contains("[=") {
        return None;
    }
    let chars: Vec<char> = unescape(set).chars().collect();
    let mut out = Vec::new();
    let mut k = 0;
    while k < chars.len() {
        if k + 2 < chars.len() && chars[k + 1] == '-' && chars[k] <= chars[k + 2] {
            let (lo, hi) = (chars[k] as u32, chars[k + 2] as u32);
            if hi - lo > 1024 {
                return None;
            }
            out.extend((lo..=hi).filter_map(char::from_u32));
            k += 3;
        } else {
            out.push(chars[k]);
            k += 1;
        }
    }
    Some(out)
}

/// `ls [DIR]` or `find [DIR]` piped to `grep PATTERN`: the names the
/// pattern can select, as a glob.
fn listing_grep(name: &str, args: &[Word], grep: &[Word]) -> Option<SubValue> {
    if !matches!(
        grep[0].text.rsplit('/').next(),
        Some("grep" | "egrep" | "fgrep")
    ) {
        return None;
    }
    let mut pat = None;
    for w in &grep[1..] {
        let t = w.text.as_str();
        if t.starts_with('-') {
            if t.contains('v') && !t.starts_with("--") {
                return None;
            }
            continue;
        }
        if pat.replace(t).is_some() {
            return None;
        }
    }
    let pat = pat?;
    let dir = args
        .iter()
        .map(|w| w.text.as_str())
        .find(|t| !t.starts_with('-') && !t.starts_with('('))
        .filter(|_| name == "ls" || !args.is_empty())
        .unwrap_or(".");
    let mut glob = String::new();
    let core = pat.trim_start_matches('^').trim_end_matches('$');
    if !pat.starts_with('^') {
        glob.push('*');
    }
    let mut chars = core.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => glob.push(chars.next().unwrap_or('\\')),
            '.' => glob.push('?'),
            '*' | '+' => glob.push('*'),
            '[' | ']' | '(' | ')' | '|' | '{' | '}' => glob.push('*'),
            c => glob.push(c),
        }
    }
    if !pat.ends_with('$') {
        glob.push('*');
    }
    // A listing shows hidden names too, which a leading `*` does not match.
    let mut patterns = vec![glob.clone()];
    if glob.starts_with('*') {
        patterns.push(format!(".{glob}"));
    }
    // A regex `.` matches a leading dot, which a glob's `?` does not
    // (`ls -a | grep '^.en'` selects `.env`).
    if let Some(rest) = glob.strip_prefix('?') {
        patterns.push(format!(".{rest}"));
    }
    let patterns = patterns
        .into_iter()
        .map(|g| {
            if dir == "." {
                g
            } else {
                format!("{}/{g}", dir.trim_end_matches('/'))
            }
        })
        .collect();
    Some(SubValue::Glob {
        patterns,
        recursive: name == "find",
    })
}

/// Decoded bytes as text, the way a terminal would show them.
fn decoded_text(bytes: Option<Vec<u8>>) -> Option<String> {
    bytes.map(|b| String::from_utf8_lossy(&b).into_owned())
}

/// The texts of an interpreter's one-liner to look for file names in: as
/// written, then (when short enough) with escapes decoded and adjacent
/// string literals joined (`'.' + 'env'`, `"." "env"`, perl's `'.' . 'env'`,
/// `''.join(['.', 'env'])`).
pub(super) fn program_texts(code: &str) -> Vec<String> {
    let mut out = vec![code.to_string()];
    if code.len() > MAX_TEXT {
        return out;
    }
    let decoded = char_codes(&unescape(code));
    let joined = keepmum::textdecode::join_string_literals(&decoded, true)
        .unwrap_or_else(|| decoded.clone());
    for t in [decoded, joined] {
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// `code` with character-code calls for printable ASCII (`chr(46)` in
/// Python, Perl and PHP, `String.fromCharCode(46, 101)` in JavaScript)
/// written as the string literals they return, quoted like the next
/// literal, so a joined name (`chr(46) + 'env'`) reads as `'.env'`.
fn char_codes(code: &str) -> String {
    const CALLS: [&str; 2] = ["chr(", "String.fromCharCode("];
    if !CALLS.iter().any(|c| code.contains(c)) {
        return code.to_string();
    }
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some((at, call)) = CALLS
        .iter()
        .filter_map(|c| rest.find(c).map(|i| (i, *c)))
        .min_by_key(|&(i, _)| i)
    {
        out.push_str(&rest[..at]);
        let args_start = at + call.len();
        let Some(close) = rest[args_start..].find(')') else {
            out.push_str(&rest[at..]);
            return out;
        };
        let args = &rest[args_start..args_start + close];
        let chars: Option<String> = args
            .split(',')
            .map(|a| {
                let n: u32 = a.trim().parse().ok()?;
                char::from_u32(n).filter(|c| c.is_ascii_graphic())
            })
            .collect();
        let after = &rest[args_start + close + 1..];
        match chars {
            Some(text) if !text.is_empty() => {
                let quote = after
                    .chars()
                    .find(|c| matches!(c, '\'' | '"'))
                    .unwrap_or('\'');
                out.push(quote);
                out.push_str(&text);
                out.push(quote);
            }
            _ => out.push_str(&rest[at..args_start + close + 1]),
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(sub: &str) -> String {
        match eval_substitution(sub) {
            SubValue::Known(s) => s,
            other => panic!("{sub}: {other:?}"),
        }
    }

    #[test]
    fn char_codes_become_literals() {
        assert_eq!(char_codes("open(chr(46)+'env')"), "open('.'+'env')");
        assert_eq!(
            char_codes("fs.readFileSync(String.fromCharCode(46,101,110,118))"),
            "fs.readFileSync('.env')"
        );
        assert_eq!(char_codes("print(chr(x))"), "print(chr(x))");
        assert_eq!(char_codes("no calls"), "no calls");
    }

    #[test]
    fn cut_picks_characters_and_fields() {
        assert_eq!(known("echo x.env | cut -c2-"), ".env");
        assert_eq!(known("echo x.envx | cut -c 2-5"), ".env");
        assert_eq!(known("echo a/.env | cut -d/ -f2"), ".env");
        assert_eq!(known("echo a:b:.env | cut -d : -f 3-"), ".env");
        assert_eq!(
            eval_substitution("echo abc | cut --complement -c1"),
            SubValue::Unknown
        );
    }

    #[test]
    fn escapes_decode() {
        assert_eq!(unescape(r"\056env"), ".env");
        assert_eq!(unescape(r"\x2eenv"), ".env");
        assert_eq!(unescape(r"\0056env"), ".env");
        assert_eq!(unescape(r"\u002eenv"), ".env");
        assert_eq!(unescape(r"a\qb\"), r"a\qb\");
    }

    #[test]
    fn producing_pipelines_evaluate() {
        assert_eq!(known(r"printf '\056env'"), ".env");
        assert_eq!(known("printf '%s%s' .e nv"), ".env");
        assert_eq!(known("echo LmVudg== | base64 -d"), ".env");
        assert_eq!(known("echo -n vne. | rev"), ".env");
        assert_eq!(known("echo 2e656e76 | xxd -r -p"), ".env");
        assert_eq!(known("echo .rai | tr a-z n-za-m"), ".env");
        assert_eq!(known("echo .eXnv | tr -d X"), ".env");
    }

    #[test]
    fn listings_become_globs() {
        assert_eq!(
            eval_substitution("ls -a | grep env"),
            SubValue::Glob {
                patterns: vec!["*env*".into(), ".*env*".into()],
                recursive: false
            }
        );
        assert_eq!(eval_substitution("ls -a | grep -v env"), SubValue::Unknown);
        assert_eq!(
            eval_substitution("ls -a | grep '^.en'"),
            SubValue::Glob {
                patterns: vec!["?en*".into(), ".en*".into()],
                recursive: false
            }
        );
    }

    #[test]
    fn decoders_we_cannot_follow_are_opaque() {
        assert_eq!(eval_substitution("echo $X | base64 -d"), SubValue::Opaque);
        assert_eq!(
            eval_substitution("openssl enc -d -a <<< TGVudg=="),
            SubValue::Opaque
        );
        assert_eq!(
            eval_substitution("python3 -c 'print(chr(46)+\"env\")'"),
            SubValue::Opaque
        );
        assert_eq!(
            eval_substitution("git rev-parse --show-toplevel"),
            SubValue::Unknown
        );
        assert_eq!(eval_substitution("pwd"), SubValue::Unknown);
    }

    #[test]
    fn program_literals_join() {
        let has = |code: &str| {
            program_texts(code)
                .iter()
                .any(|t| t.contains("'.env'") || t.contains("\".env\""))
        };
        assert!(has("print(open('.' + 'env').read())"));
        assert!(has("print(open(\".\" \"env\").read())"));
        assert!(has("print open('.' . 'env')"));
        assert!(has("open(''.join(['.', 'env']))"));
        assert!(has("open('\\x2eenv')"));
        assert!(!has("open('README.md')"));
    }

    #[test]
    fn variables_expand_with_every_value() {
        let vars = vec![
            ("F".to_string(), ".env".to_string()),
            ("f".to_string(), "a".to_string()),
            ("f".to_string(), "b".to_string()),
        ];
        assert_eq!(expand_vars("$F", &vars), Some(vec![".env".to_string()]));
        assert_eq!(
            expand_vars("x/${f}.txt", &vars),
            Some(vec!["x/a.txt".to_string(), "x/b.txt".to_string()])
        );
        assert_eq!(expand_vars("$HOME/x", &vars), None);
        assert_eq!(expand_vars("no vars", &vars), None);
    }

    proptest::proptest! {
        #[test]
        fn evaluation_never_panics(s in "[ a-zA-Z0-9.\\\\'\"$|%-]{0,80}") {
            let _ = eval_substitution(&s);
            let _ = unescape(&s);
            let _ = expand_vars(&s, &[("a".into(), "$a$a".into())]);
        }
    }
}
