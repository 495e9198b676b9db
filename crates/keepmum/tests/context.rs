//! Provider rules that find a value by the provider's name before it
//! (`calendarific SECRET=…`): the name decides, not how random the value
//! looks or whether it is exactly the length the rule expects. Masks and
//! templates stay quiet. All values are synthetic.

use keepmum::Scanner;

fn rules_found(text: &str) -> Vec<String> {
    Scanner::new()
        .scan_bytes(text.as_bytes())
        .iter()
        .map(|f| f.rule_id().to_string())
        .collect()
}

#[test]
fn sample_like_values_named_by_their_provider_are_reported() {
    for (text, rule) in [
        // Repeated alphabets and digit runs fall under the rules' entropy
        // floors; the provider's name in front of them decides.
        (
            "calendarific SECRET=abcdefabcdefabcdefabcdefabcdef12",
            "calendarific-api-key",
        ),
        (
            "centralstationcrmSECRET=123456123456123456123456123456",
            "central-station-crm-api-key",
        ),
        (
            "scrapingantKEY=abcd1234abcd1234abcd1234abcd1234",
            "scrapingant-api-key",
        ),
    ] {
        let found = rules_found(text);
        assert!(found.iter().any(|r| r == rule), "{text}: {found:?}");
    }
}

#[test]
fn masks_and_templates_named_by_their_provider_stay_quiet() {
    for text in [
        "calendarific SECRET=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "CALENDARIFIC_API_KEY = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"",
        // One character makes up most of the value.
        "calendarific SECRET=0aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1",
        "scrapingantKEY=your_api_key_here_abcdabcdabcdabcd",
    ] {
        let found = rules_found(text);
        assert!(found.is_empty(), "{text}: {found:?}");
    }
}

#[test]
fn a_url_scheme_is_not_a_provider_name() {
    // `https://` wakes the URL rule, but it names no provider: a weak
    // password in a sample URL stays under the rule's entropy floor.
    let found = rules_found("fetch(\"http://user:pass@complex.url.com/path?query=yes\")");
    assert!(!found.iter().any(|r| r == "basic-auth-url"), "{found:?}");
}

/// Every provider rule whose value follows the provider's name and whose
/// regex accepts a longer run (the widest shape among the rules of that
/// name) finds its own examples with more token characters appended, and
/// reports the whole run, so nothing of it is left unredacted.
#[test]
fn longer_values_after_the_provider_name_are_found_whole() {
    let scanner = Scanner::new();
    let mut checked = 0;
    let mut failures = Vec::new();
    for rule in scanner.rules() {
        if !rule
            .regex()
            .ends_with("[A-Za-z0-9_-]*)(?:[^A-Za-z0-9_-]|(?m:$))")
        {
            continue;
        }
        let Some(example) = rule.examples().first() else {
            continue;
        };
        let found = scanner.scan_bytes(example.as_bytes());
        let Some(f) = found.iter().find(|f| f.rule_id() == rule.id()) else {
            failures.push(format!("{}: own example not found", rule.id()));
            continue;
        };
        let end = f.span().end;
        let longer = format!("{}Zq9x{}", &example[..end], &example[end..]);
        let again = scanner.scan_bytes(longer.as_bytes());
        match again.iter().find(|g| g.rule_id() == rule.id()) {
            Some(g) if g.span() == (f.span().start..end + 4) => {}
            Some(g) => failures.push(format!("{}: span {:?} in {longer:?}", rule.id(), g.span())),
            None => failures.push(format!(
                "{}: not found in {longer:?} (got {:?})",
                rule.id(),
                again.iter().map(|g| g.rule_id()).collect::<Vec<_>>()
            )),
        }
        checked += 1;
    }
    assert!(checked > 200, "only {checked} rules checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
