//! Parameter expansions with operators (`${v:1}`, `${v:0:3}`, `${v#x}`,
//! `${v%%.*}`, `${v/x/y}`, `${v,,}`, `${X:-.env}`, `${!name}`): what the
//! shell computes from a variable's value, evaluated without running
//! anything, so a name or a token built by cutting and replacing pieces of a
//! value is seen as the command will use it.
//!
//! Only the operators of bash and POSIX sh are read; an expansion whose
//! operator or operand cannot be evaluated (arithmetic with variables, an
//! unknown form) is left alone, as an unknown variable is.

/// How one `${…}` expansion turns a value into its result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Op {
    /// `${v}`.
    Plain,
    /// `${v:-w}`, `${v-w}`, `${v:=w}`, `${v=w}`: the value, or `w` when the
    /// variable is not known here (it may well be unset).
    Default(String),
    /// `${v:+w}`, `${v+w}`: `w` when the variable is set.
    Alternative(String),
    /// `${v:off}`, `${v:off:len}` (negative offsets count from the end, a
    /// negative length stops that far from the end).
    Substring(i64, Option<i64>),
    /// `${v#p}` (`longest` for `##`): `p` cut from the start.
    TrimStart { pat: String, longest: bool },
    /// `${v%p}` (`longest` for `%%`): `p` cut from the end.
    TrimEnd { pat: String, longest: bool },
    /// `${v/p/r}`, `${v//p/r}` (`all`), `${v/#p/r}`, `${v/%p/r}`.
    Replace {
        pat: String,
        with: String,
        all: bool,
        anchor: Anchor,
    },
    /// `${v^}`, `${v^^}`, `${v,}`, `${v,,}`, `${v~}`, `${v~~}`, `${v@U}`,
    /// `${v@L}`, `${v@u}` (a pattern after the operator is ignored: every
    /// letter may change).
    Case { how: CaseHow, all: bool },
    /// `${!v}`: the value of the variable `v` names.
    Indirect,
}

/// Where a `${v/p/r}` pattern must match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Anchor {
    Anywhere,
    Start,
    End,
}

/// Which way a case operator turns letters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum CaseHow {
    Upper,
    Lower,
    Toggle,
}

/// Splits the inside of `${…}` into the variable's name and its operator;
/// `None` for forms this does not evaluate (`${#v}`, arithmetic offsets).
pub(super) fn parse(inner: &str) -> Option<(&str, Op)> {
    if let Some(rest) = inner.strip_prefix('!') {
        return is_name(rest).then_some((rest, Op::Indirect));
    }
    let name_len = inner
        .bytes()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
        .count();
    if name_len == 0 {
        return None;
    }
    // An array element, `${a[1]}`, `${a[@]}`: the subscript is part of the
    // name (elements are stored as `a[0]`, `a[@]`, … by the assignment).
    let name_len = match inner[name_len..].strip_prefix('[') {
        Some(rest) => match rest.find(']') {
            Some(close) if close > 0 => name_len + close + 2,
            _ => return None,
        },
        None => name_len,
    };
    let (name, op) = inner.split_at(name_len);
    let op = match op.as_bytes() {
        [] => Op::Plain,
        [b':', b'-' | b'=', ..] | [b'-' | b'=', ..] => {
            Op::Default(op.trim_start_matches(':')[1..].to_string())
        }
        [b':', b'+', ..] | [b'+', ..] => {
            Op::Alternative(op.trim_start_matches(':')[1..].to_string())
        }
        [b':', b'?', ..] | [b'?', ..] => Op::Plain,
        [b':', ..] => {
            let mut parts = op[1..].splitn(2, ':');
            let off = number(parts.next()?)?;
            let len = match parts.next() {
                Some(l) => Some(number(l)?),
                None => None,
            };
            Op::Substring(off, len)
        }
        [b'#', b'#', ..] => Op::TrimStart {
            pat: op[2..].to_string(),
            longest: true,
        },
        [b'#', ..] => Op::TrimStart {
            pat: op[1..].to_string(),
            longest: false,
        },
        [b'%', b'%', ..] => Op::TrimEnd {
            pat: op[2..].to_string(),
            longest: true,
        },
        [b'%', ..] => Op::TrimEnd {
            pat: op[1..].to_string(),
            longest: false,
        },
        [b'/', ..] => {
            let (all, anchor, body) = match op.as_bytes().get(1) {
                Some(b'/') => (true, Anchor::Anywhere, &op[2..]),
                Some(b'#') => (false, Anchor::Start, &op[2..]),
                Some(b'%') => (false, Anchor::End, &op[2..]),
                _ => (false, Anchor::Anywhere, &op[1..]),
            };
            let (pat, with) = split_unescaped(body);
            Op::Replace {
                pat: pat.to_string(),
                with: with.to_string(),
                all,
                anchor,
            }
        }
        [b'^', rest @ ..] => Op::Case {
            how: CaseHow::Upper,
            all: rest.first() == Some(&b'^'),
        },
        [b',', rest @ ..] => Op::Case {
            how: CaseHow::Lower,
            all: rest.first() == Some(&b','),
        },
        [b'~', rest @ ..] => Op::Case {
            how: CaseHow::Toggle,
            all: rest.first() == Some(&b'~'),
        },
        b"@U" => Op::Case {
            how: CaseHow::Upper,
            all: true,
        },
        b"@L" => Op::Case {
            how: CaseHow::Lower,
            all: true,
        },
        b"@u" => Op::Case {
            how: CaseHow::Upper,
            all: false,
        },
        b"@Q" | b"@E" | b"@P" | b"@A" | b"@K" | b"@a" => Op::Plain,
        _ => return None,
    };
    Some((name, op))
}

/// The result of `op` on `value`; `None` when it cannot be evaluated here.
pub(super) fn apply(op: &Op, value: &str) -> Option<String> {
    let chars: Vec<char> = value.chars().collect();
    Some(match op {
        Op::Plain | Op::Default(_) | Op::Indirect => value.to_string(),
        Op::Alternative(w) => w.clone(),
        Op::Substring(off, len) => {
            let n = chars.len() as i64;
            let start = if *off < 0 { (n + off).max(0) } else { *off }.min(n);
            let end = match len {
                None => n,
                Some(l) if *l < 0 => n + l,
                Some(l) => start.saturating_add(*l).min(n),
            };
            if end < start {
                return None;
            }
            chars[start as usize..end as usize].iter().collect()
        }
        Op::TrimStart { pat, longest } => {
            let fits = |k: &usize| glob_match(pat, &chars[..*k]);
            let cut = if *longest {
                (0..=chars.len()).rev().find(fits)
            } else {
                (0..=chars.len()).find(fits)
            };
            chars[cut.unwrap_or(0)..].iter().collect()
        }
        Op::TrimEnd { pat, longest } => {
            let fits = |k: &usize| glob_match(pat, &chars[*k..]);
            let cut = if *longest {
                (0..=chars.len()).find(fits)
            } else {
                (0..=chars.len()).rev().find(fits)
            };
            chars[..cut.unwrap_or(chars.len())].iter().collect()
        }
        Op::Replace {
            pat,
            with,
            all,
            anchor,
        } => replace(&chars, pat, with, *all, *anchor),
        Op::Case { how, all } => chars
            .iter()
            .enumerate()
            .map(|(k, c)| {
                if k > 0 && !*all {
                    return c.to_string();
                }
                match how {
                    CaseHow::Upper => c.to_uppercase().collect(),
                    CaseHow::Lower => c.to_lowercase().collect(),
                    CaseHow::Toggle if c.is_uppercase() => c.to_lowercase().collect(),
                    CaseHow::Toggle => c.to_uppercase().collect::<String>(),
                }
            })
            .collect(),
    })
}

/// `${v/p/r}` on `chars`: each match is the longest one at its start, as
/// bash does.
fn replace(chars: &[char], pat: &str, with: &str, all: bool, anchor: Anchor) -> String {
    if pat.is_empty() {
        return chars.iter().collect();
    }
    let n = chars.len();
    match anchor {
        Anchor::Start => match (0..=n).rev().find(|&k| glob_match(pat, &chars[..k])) {
            Some(k) => format!("{with}{}", chars[k..].iter().collect::<String>()),
            None => chars.iter().collect(),
        },
        Anchor::End => match (0..=n).find(|&k| glob_match(pat, &chars[k..])) {
            Some(k) => format!("{}{with}", chars[..k].iter().collect::<String>()),
            None => chars.iter().collect(),
        },
        Anchor::Anywhere => {
            let mut out = String::new();
            let mut i = 0;
            let mut done = false;
            while i < n {
                let hit = if done {
                    None
                } else {
                    (i + 1..=n).rev().find(|&e| glob_match(pat, &chars[i..e]))
                };
                match hit {
                    Some(e) => {
                        out.push_str(with);
                        i = e;
                        done = !all;
                    }
                    None => {
                        out.push(chars[i]);
                        i += 1;
                    }
                }
            }
            out
        }
    }
}

/// True when the shell pattern `pat` (`*`, `?`, `[…]`, `\x`) matches all of
/// `s`.
pub(super) fn glob_match(pat: &str, s: &[char]) -> bool {
    let p: Vec<char> = pat.chars().collect();
    // Iterative matcher with one backtrack point for the last `*`.
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        let step = match p.get(pi) {
            Some('*') => {
                star = Some((pi, si));
                pi += 1;
                continue;
            }
            Some('?') => Some(pi + 1),
            Some('[') => match class(&p, pi, s[si]) {
                Some((true, next)) => Some(next),
                Some((false, _)) => None,
                None => (s[si] == '[').then_some(pi + 1),
            },
            Some('\\') if pi + 1 < p.len() => (p[pi + 1] == s[si]).then_some(pi + 2),
            Some(c) => (*c == s[si]).then_some(pi + 1),
            None => None,
        };
        match step {
            Some(next) => {
                pi = next;
                si += 1;
            }
            None => match star {
                Some((sp, ss)) => {
                    pi = sp + 1;
                    si = ss + 1;
                    star = Some((sp, ss + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// Whether the bracket expression at `p[open]` matches `c`, and the index
/// after it; `None` when it is not closed (a literal `[`).
fn class(p: &[char], open: usize, c: char) -> Option<(bool, usize)> {
    let mut i = open + 1;
    let negate = matches!(p.get(i), Some('!' | '^'));
    if negate {
        i += 1;
    }
    let mut hit = false;
    let mut first = true;
    while i < p.len() {
        if p[i] == ']' && !first {
            return Some((hit != negate, i + 1));
        }
        first = false;
        if i + 2 < p.len() && p[i + 1] == '-' && p[i + 2] != ']' {
            hit |= p[i] <= c && c <= p[i + 2];
            i += 3;
        } else {
            hit |= p[i] == c;
            i += 1;
        }
    }
    None
}

/// An offset or length of `${v:off:len}`: an integer, possibly in
/// parentheses or after spaces (`${v: -3}`, `${v:(-3)}`).
fn number(s: &str) -> Option<i64> {
    let t = s.trim();
    let t = t
        .strip_prefix('(')
        .and_then(|x| x.strip_suffix(')'))
        .unwrap_or(t)
        .trim();
    if t.is_empty() {
        return Some(0);
    }
    t.parse::<i64>().ok().filter(|v| v.unsigned_abs() < 1 << 20)
}

/// `p/r` split at the first `/` not escaped by a backslash.
fn split_unescaped(body: &str) -> (&str, &str) {
    let b = body.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'/' => return (&body[..i], &body[i + 1..]),
            _ => i += 1,
        }
    }
    (body, "")
}

fn is_name(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
}

/// Where the `${` at `open` closes (the index of its `}`), counting nested
/// `${…}`; `None` when it does not.
pub(super) fn closing_brace(text: &str, open: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    let mut i = open;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'$' if b.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 1;
            }
            b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(inner: &str, value: &str) -> Option<String> {
        let (_, op) = parse(inner)?;
        apply(&op, value)
    }

    #[test]
    fn substrings() {
        assert_eq!(eval("v:1", "x.env").as_deref(), Some(".env"));
        assert_eq!(eval("v:0:4", ".envrc").as_deref(), Some(".env"));
        assert_eq!(eval("v: -4", "abc.env").as_deref(), Some(".env"));
        assert_eq!(eval("v:(-4):2", "abc.env").as_deref(), Some(".e"));
        assert_eq!(eval("v:1:-1", "x.envx").as_deref(), Some(".env"));
        assert_eq!(eval("v:9", "abc").as_deref(), Some(""));
        assert_eq!(eval("v:1:-9", "abc"), None);
        assert_eq!(eval("v:$n", "abc"), None);
    }

    #[test]
    fn array_subscripts_are_part_of_the_name() {
        assert_eq!(parse("a[1]").map(|(n, _)| n), Some("a[1]"));
        assert_eq!(parse("a[@]").map(|(n, _)| n), Some("a[@]"));
        assert_eq!(parse("a[0]:1").map(|(n, _)| n), Some("a[0]"));
        assert_eq!(eval("a[0]:1", "x.env").as_deref(), Some(".env"));
        assert_eq!(parse("a[]"), None);
        assert_eq!(parse("a[1"), None);
    }

    #[test]
    fn trims() {
        assert_eq!(eval("v#X", "X.env").as_deref(), Some(".env"));
        assert_eq!(eval("v##*/", "a/b/.env").as_deref(), Some(".env"));
        assert_eq!(eval("v#*/", "a/b/.env").as_deref(), Some("b/.env"));
        assert_eq!(eval("v%X", ".envX").as_deref(), Some(".env"));
        assert_eq!(eval("v%%.bak*", ".env.bak.old").as_deref(), Some(".env"));
        assert_eq!(eval("v%.*", ".env.bak.old").as_deref(), Some(".env.bak"));
        assert_eq!(eval("v#[A-Z]", "Q.env").as_deref(), Some(".env"));
        assert_eq!(eval("v#nomatch", ".env").as_deref(), Some(".env"));
    }

    #[test]
    fn replacements() {
        assert_eq!(eval("v/X/.", "XenvX").as_deref(), Some(".envX"));
        assert_eq!(eval("v//_/.", "_env_x").as_deref(), Some(".env.x"));
        assert_eq!(eval("v/#_/.", "_env_").as_deref(), Some(".env_"));
        assert_eq!(eval("v/%_/", ".env_").as_deref(), Some(".env"));
        assert_eq!(eval("v/x*/", ".envxyz").as_deref(), Some(".env"));
        assert_eq!(eval("v/\\//.", "/env").as_deref(), Some(".env"));
    }

    #[test]
    fn cases_defaults_and_others() {
        assert_eq!(eval("v,,", ".ENV").as_deref(), Some(".env"));
        assert_eq!(eval("v^^", "abc").as_deref(), Some("ABC"));
        assert_eq!(eval("v^", "abc").as_deref(), Some("Abc"));
        assert_eq!(eval("v~~", "aBc").as_deref(), Some("AbC"));
        assert_eq!(eval("v@L", ".ENV").as_deref(), Some(".env"));
        assert_eq!(eval("v:-.env", "x").as_deref(), Some("x"));
        assert_eq!(eval("v:+.env", "x").as_deref(), Some(".env"));
        assert_eq!(parse("#v"), None);
        assert_eq!(parse("!v"), Some(("v", Op::Indirect)));
    }

    #[test]
    fn globs() {
        let m = |p: &str, s: &str| glob_match(p, &s.chars().collect::<Vec<_>>());
        assert!(m("*", ""));
        assert!(m("a*c", "abbc"));
        assert!(m("a?c", "abc"));
        assert!(!m("a?c", "ac"));
        assert!(m("[!x]b", "ab"));
        assert!(!m("[!a]b", "ab"));
        assert!(m("\\*", "*"));
        assert!(m("[a", "[a"));
    }

    #[test]
    fn braces_close_at_their_depth() {
        assert_eq!(closing_brace("${a:-${b}}x", 0), Some(9));
        assert_eq!(closing_brace("${a", 0), None);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(inner in "[a-z]{1,3}[:#%/^,~@!+=?(). 0-9*a-z_\\-\\[\\]\\\\]{0,12}", value in "\\PC{0,16}") {
            if let Some((_, op)) = parse(&inner) {
                let _ = apply(&op, &value);
            }
        }
    }
}
