//! Tests that the generic assignment rules' lean capture program (see
//! `CompiledRule::captures`) gives exactly the captures of their regexes.

use super::{lean_pattern, CaptureScratch, Engine, Filters};
use crate::RuleSet;
use regex_automata::{Anchored, Input};

/// Pieces the inputs are made of: the rules' keywords and name parts,
/// every operator and annotation shape, quotes, separators, and values
/// around the 512-byte bound.
fn pieces() -> Vec<String> {
    let mut p: Vec<String> = [
        "password",
        "PASSWD",
        "pwd",
        "passphrase",
        "secret",
        "credentials",
        "private_key",
        "api_key",
        "AccessKey",
        "token",
        "=",
        " = ",
        ":=",
        "::=",
        "?=",
        ".=",
        "=>",
        ": ",
        ":",
        "\" ,",
        "\": ",
        "'] = ",
        "\" value=",
        ": str = ",
        ": Optional[str] = ",
        " string =",
        ": x | None =",
        "=\"",
        ": '",
        " = `",
        "= ",
        "=\t",
        "_db",
        "-x",
        "\"",
        "'",
        "`",
        "]",
        "[",
        ",",
        " ",
        "\t",
        "\n",
        "#",
        ";",
        "&",
        "Zq8Lw2Nx",
        "Tr0ub4dor 3",
        "a,b",
        "x=y",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for n in [500, 509, 510, 511, 512, 513, 514, 600] {
        p.push("k".repeat(n));
        p.push(format!("\"{}\"", "q".repeat(n)));
        p.push(format!("'{}'", "v w".repeat(n / 3)));
        p.push(format!("{},", "b".repeat(n)));
    }
    p
}

/// How many of [`pieces`] are keywords, then operators.
const KEYWORDS: usize = 10;
const OPERATORS: usize = 22;

/// A deterministic sequence of inputs built from [`pieces`].
fn inputs(count: usize) -> Vec<Vec<u8>> {
    let pieces = pieces();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |n: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % n as u64) as usize
    };
    (0..count)
        .map(|_| {
            // Mostly a keyword, an operator, then anything.
            let mut s = String::new();
            for _ in 0..1 + next(3) {
                s.push_str(&pieces[next(KEYWORDS)]);
                for _ in 0..next(3) {
                    s.push_str(&pieces[next(pieces.len())]);
                }
                s.push_str(&pieces[KEYWORDS + next(OPERATORS)]);
                for _ in 0..1 + next(4) {
                    s.push_str(&pieces[next(pieces.len())]);
                }
            }
            s.into_bytes()
        })
        .collect()
}

#[test]
fn only_the_generic_assignment_rules_have_a_lean_form() {
    let ids: Vec<String> = RuleSet::builtin()
        .iter()
        .filter(|r| lean_pattern(&r.spec.regex).is_some())
        .map(|r| r.spec.id.to_string())
        .collect();
    // A new rule here needs its bounded repetitions checked to sit inside
    // a capture group of at most `LEAN_VALUE_MAX` bytes, as these do.
    assert_eq!(
        ids,
        [
            "generic-password",
            "generic-secret",
            "generic-api-key",
            "generic-token"
        ]
    );
}

#[test]
fn lean_captures_equal_the_regex_captures() {
    let engine = Engine::new(&RuleSet::builtin(), Filters::default());
    let mut compared = 0;
    let mut long_values = 0;
    let mut served = 0;
    for rule in engine.rules.iter().filter(|r| r.lean().is_some()) {
        let re = rule.regex().expect("built-in regexes compile");
        let mut exact = re.create_captures();
        let mut scratch = CaptureScratch::default();
        for hay in inputs(3000) {
            let mut at = 0;
            while let Some(m) = re.search(&Input::new(&hay).range(at..)) {
                re.search_captures(
                    &Input::new(&hay).range(m.range()).anchored(Anchored::Yes),
                    &mut exact,
                );
                if rule.lean_captures(&hay, m.range(), &mut scratch) {
                    served += 1;
                }
                let lean = rule.captures(re, &hay, m.range(), &mut scratch);
                let spans = |c: &regex_automata::util::captures::Captures| {
                    (0..c.group_len())
                        .map(|g| c.get_group(g).map(|s| s.range()))
                        .collect::<Vec<_>>()
                };
                assert_eq!(
                    spans(lean),
                    spans(&exact),
                    "{} on {:?}",
                    rule.spec.id,
                    String::from_utf8_lossy(&hay)
                );
                compared += 1;
                if m.len() > 512 {
                    long_values += 1;
                }
                at = if m.is_empty() { m.end() + 1 } else { m.end() };
                if at > hay.len() {
                    break;
                }
            }
        }
    }
    // The inputs reach the bound: the comparison covers values cut at 512
    // bytes, not only short ones. And the lean program served them all
    // (falling back to the regex would be right, but slow).
    assert!(
        compared > 2000 && long_values > 200,
        "{compared} {long_values}"
    );
    assert_eq!(served, compared);
}

/// The secret span the regex's own captures give for `m` (the rule's
/// secret group, or the first group that took part, or the match).
fn captured_secret(
    rule: &super::CompiledRule,
    re: &regex_automata::meta::Regex,
    hay: &[u8],
    m: std::ops::Range<usize>,
) -> Option<std::ops::Range<usize>> {
    let mut caps = re.create_captures();
    re.search_captures(&Input::new(hay).range(m).anchored(Anchored::Yes), &mut caps);
    super::secret_in(rule.spec.secret_group, &caps)
}

#[test]
fn values_found_without_captures_equal_the_regex_captures() {
    // A generic match ending in a quote takes its value between the quotes,
    // any other its value by the head program: the same span as the
    // regex's captures, always (values around the 512-byte bound too).
    let engine = Engine::new(&RuleSet::builtin(), Filters::default());
    let (mut quoted, mut by_head) = (0, 0);
    for rule in engine.rules.iter().filter(|r| r.lean().is_some()) {
        let re = rule.regex().expect("built-in regexes compile");
        // Each generic rule has a head program: a rule whose value no
        // longer ends its regex the same way must be looked at again.
        assert!(rule.head().is_some(), "{}", rule.spec.id);
        let mut scratch = CaptureScratch::default();
        for hay in inputs(3000) {
            let mut at = 0;
            while let Some(m) = re.search(&Input::new(&hay).range(at..)) {
                let exact = captured_secret(rule, re, &hay, m.range());
                if super::quoted_value(&hay, &m.range()).is_some() {
                    quoted += 1;
                } else if rule.value_by_head(&hay, m.range(), &mut scratch).is_some() {
                    by_head += 1;
                }
                let got = rule.secret_span(re, &hay, m.range(), &mut scratch);
                assert_eq!(
                    got,
                    exact,
                    "{} on {:?}",
                    rule.spec.id,
                    String::from_utf8_lossy(&hay)
                );
                at = if m.is_empty() { m.end() + 1 } else { m.end() };
                if at > hay.len() {
                    break;
                }
            }
        }
    }
    assert!(quoted > 200 && by_head > 2000, "{quoted} {by_head}");
}

#[test]
fn a_secret_that_is_the_whole_match_equals_the_regex_captures() {
    // Every built-in rule whose secret is its whole match, on its own
    // examples (positive and negative) and on them run together: the
    // match's span is what the captures give.
    let engine = Engine::new(&RuleSet::builtin(), Filters::default());
    let rules = RuleSet::builtin();
    let mut whole = 0;
    let mut compared = 0;
    for (rule, spec) in engine.rules.iter().zip(rules.iter()) {
        if !rule.secret_is_match() {
            continue;
        }
        whole += 1;
        let Some(re) = rule.regex() else { continue };
        let mut scratch = CaptureScratch::default();
        let mut texts: Vec<String> = spec
            .examples()
            .iter()
            .chain(spec.negative_examples())
            .cloned()
            .collect();
        texts.push(texts.join(" "));
        texts.push(texts.join("x"));
        for text in texts {
            let hay = text.as_bytes();
            let mut at = 0;
            while let Some(m) = re.search(&Input::new(hay).range(at..)) {
                let exact = captured_secret(rule, re, hay, m.range());
                let got = rule.secret_span(re, hay, m.range(), &mut scratch);
                assert_eq!(got, exact, "{} on {text:?}", rule.spec.id);
                compared += 1;
                at = if m.is_empty() { m.end() + 1 } else { m.end() };
                if at > hay.len() {
                    break;
                }
            }
        }
    }
    assert!(whole >= 15 && compared > 100, "{whole} {compared}");
    let id = |id: &str| {
        engine
            .rules
            .iter()
            .find(|r| &*r.spec.id == id)
            .is_some_and(|r| r.secret_is_match())
    };
    assert!(id("email-address") && !id("generic-password"));
}

#[test]
fn values_after_a_plain_equals_sign_equal_the_regex_captures() {
    // The shapes around `name=value` that must not take the shortcut (or
    // must take it right): `=>`, `==`, spaces, quotes, a vertical tab,
    // names of every length around the 24-byte bound, and repeats.
    let engine = Engine::new(&RuleSet::builtin(), Filters::default());
    let mut texts: Vec<String> = Vec::new();
    for name in ["password", "PWD", "client_secret", "apiKey", "auth_token"] {
        for tail in [
            "=Zq8Lw2Nx5R",
            "=>Zq8Lw2Nx5R",
            "==Zq8Lw2Nx5R",
            "= Zq8Lw2Nx5R",
            "=\"Zq8Lw2Nx5R\"",
            "=\u{b}Zq8Lw2Nx5R",
            "=&Zq8",
            "=#Zq8",
            "=,Zq8",
            "=Zq8Lw2Nx5R,",
            "=Zq8=Lw2:Nx5R",
        ] {
            for pad in [0, 1, 16, 19, 20, 21, 22, 24, 25, 30] {
                texts.push(format!("{name}{}{tail}", "x".repeat(pad)));
                texts.push(format!("{name}{}{tail}", "_".repeat(pad)).repeat(3));
            }
        }
    }
    texts.push("password=".repeat(200));
    texts.push("apikey=".repeat(300));
    for rule in engine.rules.iter().filter(|r| r.head().is_some()) {
        let re = rule.regex().expect("built-in regexes compile");
        let mut scratch = CaptureScratch::default();
        for text in &texts {
            let hay = text.as_bytes();
            let mut at = 0;
            while let Some(m) = re.search(&Input::new(hay).range(at..)) {
                let exact = captured_secret(rule, re, hay, m.range());
                let got = rule.secret_span(re, hay, m.range(), &mut scratch);
                assert_eq!(got, exact, "{} on {text:?}", rule.spec.id);
                at = if m.is_empty() { m.end() + 1 } else { m.end() };
                if at > hay.len() {
                    break;
                }
            }
        }
    }
}
