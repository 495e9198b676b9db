//! `engine::card::find` against the card regex (kept in a `tests/` folder
//! so the repository's self-scan skips its synthetic numbers).

use super::*;
use crate::engine::oracle::{builtin_regex, differ, every_range, leftmost, some_range};

/// `find` and the regex give the same leftmost match in `hay[from..end]`.
fn agrees(
    re: &regex_automata::meta::Regex,
    hay: &[u8],
    from: usize,
    end: usize,
) -> Result<(), String> {
    let (got, want) = (find(hay, from, end), leftmost(re, hay, from, end));
    if got == want {
        Ok(())
    } else {
        Err(differ(hay, from, end, got, want))
    }
}

#[test]
fn every_range_of_card_shapes() {
    let re = builtin_regex("credit-card", PATTERN);
    let hays = [
        "4111 1111 1111 1111 5500-0000-0000-0004 ",
        "4111111111111111",
        "4111-1111-1111-1111-123",
        "4111 1111 1111 11112",
        "3782 822463 10005",
        "378282246310005",
        "3782-822463-1000",
        "x4111111111111111 _4111111111111111 4111111111111111x",
        "-4111-1111-1111-1111- 1234 5678 9012",
        "6011 0009 9013 9424 1",
        "2221000000000009123456",
        "7111 1111 1111 1111",
        "4111  1111 1111 1111",
    ];
    every_range(&hays, |hay, from, end| agrees(&re, hay, from, end));
}

#[test]
fn a_wrong_choice_order_would_be_caught() {
    // The greedy optional group must be tried before its absence: here
    // the regex ends the match after `123`, not after `1111`.
    let hay = b"4111 1111 1111 1111 123 x";
    assert_eq!(find(hay, 0, hay.len()), Some(0..23));
    // The first form before the second: both could start at `3`.
    let hay = b"3782 8224 6310 005";
    let re = super::super::compile_regex(PATTERN).expect("card regex");
    agrees(&re, hay, 0, hay.len()).unwrap();
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1024))]

    #[test]
    fn find_answers_as_the_regex_on_card_dense_input(
        picks in proptest::collection::vec(0usize..16, 0..80),
        cut in 0usize..1000,
        tail in 0usize..1000,
    ) {
        const PIECES: &[&str] = &[
            " ", "-", "  ", "\n", "_", "x", "7", "1", "3", "4111", "1111", "5500", "0000",
            "378282", "12345", "\u{e9}",
        ];
        let re = super::super::compile_regex(PATTERN).expect("card regex");
        let hay: String = picks.iter().map(|&i| PIECES[i]).collect();
        let hay = hay.as_bytes();
        let (from, end) = some_range(hay.len(), cut, tail);
        proptest::prop_assert!(agrees(&re, hay, from, end).is_ok(), "{}", agrees(&re, hay, from, end).unwrap_err());
        proptest::prop_assert!(agrees(&re, hay, 0, hay.len()).is_ok(), "{}", agrees(&re, hay, 0, hay.len()).unwrap_err());
    }
}
