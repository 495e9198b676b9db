//! The digit rules' windows skipped by `digits` lose no finding: on random
//! digit-heavy input (runs of digits with spaces, dashes, dots, brackets and
//! line breaks, planted valid cards, IBANs, NHS numbers, phone numbers and
//! SSNs, with and without their context words), a scan reports the same
//! findings as the plain path, which searches every window with the
//! rule's regex (kept in a `tests/` folder so the repository's self-scan
//! can skip their synthetic numbers).

use super::digits::DigitRule;
use crate::engine::oracle::both_paths;

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

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    #[test]
    fn digit_heavy_input_gets_the_findings_of_the_plain_path(
        picks in proptest::collection::vec(0usize..PIECES.len(), 0..300),
    ) {
        let hay: String = picks.iter().map(|&i| PIECES[i]).collect();
        let (fast, plain) = both_paths(hay.as_bytes());
        proptest::prop_assert_eq!(fast, plain);
    }
}
