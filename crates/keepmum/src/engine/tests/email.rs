//! `engine::email::find` against the email regex (kept in a `tests/`
//! folder so the repository's self-scan skips its synthetic addresses).

use super::*;
use crate::engine::oracle::{builtin_regex, differ, every_range, leftmost, some_range};

/// `find` against the regex: a match is the regex's, "nothing" is
/// nothing, and "ask from" skips no match.
fn agrees(
    re: &regex_automata::meta::Regex,
    hay: &[u8],
    from: usize,
    end: usize,
) -> Result<(), String> {
    let want = leftmost(re, hay, from, end);
    let got = find(hay, from, end);
    let ok = match &got {
        Found::Match(m) => want.as_ref() == Some(m),
        Found::Nothing => want.is_none(),
        Found::AskFrom(at) => *at >= from && leftmost(re, hay, *at, end) == want,
    };
    if ok {
        Ok(())
    } else {
        Err(differ(hay, from, end, got, want))
    }
}

#[test]
fn plain_and_other_shapes() {
    let re = builtin_regex("email-address", PATTERN);
    let hays = [
        "x@y.io x@y.io x@y.io",
        "jane.roe@acme-corp.com",
        "Contact: bob@acme.com.",
        "x@y.io. x@y.io.\nx@y.io.-",
        "x@y.io._ x@y.io.. x@y.io.a",
        "a_b@c.de_f",
        "__x@y.io",
        ".x@y.io",
        "x@y.io@z.com",
        "k.lee@startup.io:/srv",
        "https://user:pass@host.invalid/",
        "x@y.i",
        "x@y.abcdefghijklmnopqrstuvwxyz",
        "x@y..io",
        "x@.io",
        "@y.io",
        "x@y.xn--p1ai",
        "é@y.io",
        "aé@y.io",
    ];
    every_range(&hays, |hay, from, end| agrees(&re, hay, from, end));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

    #[test]
    fn find_answers_as_the_regex_on_address_dense_input(
        picks in proptest::collection::vec(0usize..26, 0..120),
        cut in 0usize..1000,
        tail in 0usize..1000,
    ) {
        const PIECES: &[&str] = &[
            "@", ".", "-", "_", " ", "\n", "x", "y", "io", "com", "co", "uk", "Zq8",
            "jane.roe", "acme-corp", "%", "+", ":", "xn--p1ai", "\u{e9}", "9",
            "x@y.io ", "k.lee@startup.io", "abcdefghijklmnopqrstuvwxyz0123456789",
            "x@y.io.", "a@b.co.uk. ",
        ];
        let re = super::super::compile_regex(PATTERN).expect("email regex");
        let hay: String = picks.iter().map(|&i| PIECES[i]).collect();
        let hay = hay.as_bytes();
        let (from, end) = some_range(hay.len(), cut, tail);
        proptest::prop_assert!(agrees(&re, hay, from, end).is_ok(), "{}", agrees(&re, hay, from, end).unwrap_err());
        proptest::prop_assert!(agrees(&re, hay, 0, hay.len()).is_ok(), "{}", agrees(&re, hay, 0, hay.len()).unwrap_err());
    }
}
