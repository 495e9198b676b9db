//! The digit rules' windows skipped by `digits` lose no finding: on random
//! digit-heavy input (runs of digits with spaces, dashes, dots, brackets and
//! line breaks, planted valid cards, IBANs, NHS numbers, phone numbers and
//! SSNs, with and without their context words), a scan reports the same
//! findings as the plain path, which searches every window with the
//! rule's regex (kept in a `tests/` folder so the repository's self-scan
//! can skip their synthetic numbers).

use super::digits::{long_line_rules, DigitRule, REGEXES};
use crate::engine::oracle::{both_paths, some_range};

/// Pieces the inputs are made of.
const PIECES: &[&str] = &[
    // digits and their glue
    "0",
    "1",
    "2",
    "4",
    "5",
    "7",
    "9",
    "12",
    "415",
    "273",
    "0132",
    "4111",
    "1111",
    "5500",
    "0000",
    "123",
    "4567",
    "1700000000",
    "4857773457",
    "2147483648",
    "123456789",
    " ",
    " ",
    "-",
    ".",
    "(",
    ")",
    "+",
    ",",
    "=",
    "\n",
    "\n",
    ": ",
    "x",
    "_",
    "v",
    "DE",
    "GB",
    "ZZ",
    "WEST",
    // context words, comments
    "phone",
    "Phone ",
    "tel:",
    "mobile",
    "call ",
    "contact",
    "nhs ",
    "NHS number ",
    "ssn ",
    "social security ",
    "card ",
    "iban ",
    "// ",
    "# ",
    "id ",
    // planted numbers
    "4532015112830366",
    "5520 3498 1726 3545",
    "3714-496353-98423",
    "4111 1111 1111 1111",
    "6011-4738-2910-5645",
    "DE44500105175407324931",
    "FR76 3000 6000 0112 3456 7890 189",
    "GB82 WEST 1234 5698 7654 32",
    "401 023 2137",
    "4857773457",
    "612-345-6784",
    "+44 20 7946 0958",
    "(415) 273-0132",
    "415.273.0132",
    "+1 415-273-0132",
    "1 (415) 273-0132",
    "4152730132",
    "536-22-1234",
    "536221234",
    "423 71 9055",
];

#[test]
fn every_builtin_digit_rule_is_known_by_its_regex() {
    let rules = crate::rules::RuleSet::builtin();
    let known: Vec<_> = rules
        .iter()
        .filter(|r| r.spec.prefilter == Some(crate::rules::Prefilter::Digits))
        .map(|r| {
            let spec = &r.spec;
            DigitRule::of(r.builtin, &spec.regex, spec.validator, spec.secret_group)
        })
        .collect();
    assert_eq!(known.len(), 5);
    assert!(known.iter().all(Option::is_some), "{known:?}");
    // Not a user rule with the same regex, nor one with another validator.
    let card = rules.iter().find(|r| r.spec.id == "credit-card").unwrap();
    let spec = &card.spec;
    assert_eq!(
        DigitRule::of(false, &spec.regex, spec.validator, None),
        None
    );
    assert_eq!(DigitRule::of(true, &spec.regex, None, None), None);
    assert_eq!(
        DigitRule::of(true, &spec.regex, spec.validator, Some(1)),
        None
    );
}

#[test]
fn planted_numbers_are_found_on_both_paths() {
    let hay = "card 4532015112830366\niban: DE44500105175407324931\n\
               NHS number: 401 023 2137 and nhs 4857773457\nphone: (415) 273-0132\n\
               SSN: 536-22-1234\nid 1700000000 4857773457 2147483648\n";
    let (fast, plain) = both_paths(hay.as_bytes());
    assert_eq!(fast, plain);
    let rules: Vec<&str> = fast.iter().map(|f| f.0.as_str()).collect();
    for rule in [
        "credit-card",
        "iban",
        "uk-nhs-number",
        "phone-number",
        "us-ssn",
    ] {
        assert!(rules.contains(&rule), "{rule} missing: {fast:?}");
    }
}

#[test]
fn a_window_of_many_lines_of_numbers_keeps_the_line_with_a_finding() {
    // Ids on short lines merge into one window; one line holds an NHS
    // number with its word, another a phone number with its word.
    let mut hay = String::new();
    for i in 0..400u64 {
        hay.push_str(&format!("{},\n", 2_000_000_000 + i * 7_919));
        if i == 150 {
            hay.push_str("nhs 4857773457,\n");
        }
        if i == 300 {
            hay.push_str("tel 415.273.0132\n");
        }
    }
    let (fast, plain) = both_paths(hay.as_bytes());
    assert_eq!(fast, plain);
    assert_eq!(fast.len(), 2, "{fast:?}");
}

#[test]
fn long_lines_of_digit_groups_get_the_findings_of_the_plain_path() {
    // Lines over `LINE_MAX`: card-like, IBAN-like and NHS-like groups
    // back to back, numbers with their words in the middle.
    for unit in [
        "4111 1111 1111 1111 5500-0000-0000-0004 ",
        "GB82 WEST 1234 5698 7654 32 DE89 3704 0044 0532 0130 00 ",
        "401 023 2137 415.273.0132 536 22 1234 ",
    ] {
        let mut hay = unit.repeat(120);
        hay.push_str("card 4532015112830366 nhs 4857773457 tel (415) 273-0132 ssn 536221234 ");
        hay.push_str("iban DE44500105175407324931 ");
        hay.push_str(&unit.repeat(120));
        let (fast, plain) = both_paths(hay.as_bytes());
        assert_eq!(fast, plain);
        assert!(fast.len() >= 4, "{unit:?}: {fast:?}");
    }
}

/// Panics unless every rule whose regex matches in `hay[from..end]` is one
/// of `long_line_rules`.
fn long_line_rules_hold(
    res: &[(DigitRule, regex_automata::meta::Regex)],
    hay: &[u8],
    from: usize,
    end: usize,
) {
    let rules = long_line_rules(hay, &(from..end));
    for (rule, re) in res {
        let input = regex_automata::Input::new(hay).range(from..end);
        if let Some(m) = re.search(&input) {
            assert!(
                rules & rule.bit() != 0,
                "{rule:?} matches {:?} in {:?}",
                m.range(),
                String::from_utf8_lossy(&hay[from..end])
            );
        }
    }
}

fn digit_regexes() -> Vec<(DigitRule, regex_automata::meta::Regex)> {
    REGEXES
        .iter()
        .map(|&(rule, _, re)| (rule, super::compile_regex(re).unwrap()))
        .collect()
}

#[test]
fn long_line_rules_name_every_rule_that_matches_the_planted_numbers() {
    let res = digit_regexes();
    for &piece in PIECES {
        for hay in [
            piece.to_string(),
            format!("x {piece} y"),
            format!("({piece})"),
        ] {
            let hay = hay.as_bytes();
            for from in 0..=hay.len() {
                for end in from..=hay.len() {
                    long_line_rules_hold(&res, hay, from, end);
                }
            }
        }
    }
    // Rows of card-like groups hold no start of an NHS number, SSN, phone
    // number or IBAN; rows of IBAN-like groups none of the first three.
    let cards = "4111 1111 1111 1111 5500-0000-0000-0004 ".repeat(200);
    let rules = long_line_rules(cards.as_bytes(), &(0..cards.len()));
    assert_eq!(rules, DigitRule::Card.bit());
    let ibans = "GB82 WEST 1234 5698 7654 32 DE89 3704 0044 0532 0130 00 ".repeat(100);
    let rules = long_line_rules(ibans.as_bytes(), &(0..ibans.len()));
    assert_eq!(rules, DigitRule::Card.bit() | DigitRule::Iban.bit());
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    #[test]
    fn long_line_rules_name_every_rule_that_matches(
        picks in proptest::collection::vec(0usize..PIECES.len(), 0..120),
        cut in 0usize..10_000,
        tail in 0usize..10_000,
    ) {
        let res = digit_regexes();
        let hay: String = picks.iter().map(|&i| PIECES[i]).collect();
        let (from, end) = some_range(hay.len(), cut, tail);
        long_line_rules_hold(&res, hay.as_bytes(), from, end);
        long_line_rules_hold(&res, hay.as_bytes(), 0, hay.len());
    }

    #[test]
    fn digit_heavy_input_gets_the_findings_of_the_plain_path(
        picks in proptest::collection::vec(0usize..PIECES.len(), 0..300),
    ) {
        let hay: String = picks.iter().map(|&i| PIECES[i]).collect();
        let (fast, plain) = both_paths(hay.as_bytes());
        proptest::prop_assert_eq!(fast, plain);
    }
}
