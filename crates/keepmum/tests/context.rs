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

/// The shared context of keyword-context rules: the provider's name, a
/// credential word, then anything short on the line (or a line break) before
/// the value; or the provider's name as a whole word assigned the value
/// directly. Values are any case and may run longer than the rule's length.
#[test]
fn provider_context_shapes_beyond_name_word_equals() {
    let mixed32 = "Q7wE3rT9yU1iO5pA2sD8fG4hJ6kL0zXc";
    let hex40 = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c";
    for (text, rule) in [
        // A second word between the credential word and the value.
        (
            format!("toggl SECRET token {mixed32}"),
            "toggl-track-api-key",
        ),
        // The credential word glued to the name, a separator and a
        // value longer than the rule's 32 characters.
        (format!("togglKEY-{mixed32}Zq9"), "toggl-track-api-key"),
        // Quotes and a type annotation in between.
        (
            format!("let toggl_token: &str = \"{mixed32}\";"),
            "toggl-track-api-key",
        ),
        // The value on the next line.
        (
            format!("<togglToken>\n    {mixed32}\n</togglToken>"),
            "toggl-track-api-key",
        ),
        // No credential word: the name as a word, then the value.
        (format!("wandb {hex40}"), "wandb-api-key"),
        (format!("pepipost={mixed32}"), "pepipost-api-key"),
        // An upper-case value where the rule's class was lower-case only.
        (
            format!("wandb_api_key = {}", hex40.to_uppercase()),
            "wandb-api-key",
        ),
    ] {
        let found = rules_found(&text);
        assert!(found.iter().any(|r| r == rule), "{text}: {found:?}");
    }
}

#[test]
fn provider_context_stays_quiet_without_the_name_as_a_word() {
    let mixed32 = "Q7wE3rT9yU1iO5pA2sD8fG4hJ6kL0zXc";
    for (text, rule) in [
        // The name glued into a longer identifier, no credential word.
        (
            format!("twitter_session={mixed32}Ab12"),
            "twitter-consumer-key",
        ),
        (format!("pepipostal = {mixed32}"), "pepipost-api-key"),
        // A rule with its own credential words (insert/query key) takes no
        // bare-name shortcut.
        (
            format!("newrelic-pixie.apiKey=px-api-{mixed32}"),
            "newrelic-insert-key-context",
        ),
        // Hex keys do not run on into letters: a hex run with a tail is
        // something else.
        (
            "meraki_token = 0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3cR21".to_string(),
            "cisco-meraki-api-key",
        ),
        // No credential word and the name in prose.
        ("Adobe AFM specification".to_string(), "adobe-io-product-id"),
    ] {
        let found = rules_found(&text);
        assert!(!found.iter().any(|r| r == rule), "{text}: {found:?}");
    }
}

/// The shared context since round 5: a quoted value on the line after its
/// name (YAML, HCL), and the bare-name branch for rules whose value is a
/// UUID or another structured token, not one run of a class.
#[test]
fn provider_context_quoted_next_line_and_structured_values() {
    let mixed32 = "Q7wE3rT9yU1iO5pA2sD8fG4hJ6kL0zXc";
    let uuid = "3f6c9a2e-7b1d-4e8a-9c5f-2d7e1b4a6c8f";
    let mapbox =
        "pk.Qm5Wc3Rk8Lp2Zx7Yv4Tn6Jh1Gf9Ds3Ka0MbZk3Xy8Wv2Ut5Sr9Qp1On4M.Zq7Wm3Xk9Rt2Vb6Np4Lc8H";
    for (text, rule) in [
        (
            format!("mapboxApiKey:\n  '{mapbox}'"),
            "mapbox-public-token",
        ),
        (
            format!("togglToken:\n  \"{mixed32}\""),
            "toggl-track-api-key",
        ),
        (format!("postmark: \"{uuid}\","), "postmark-server-token"),
        (format!("refiner-{uuid}"), "refiner-api-key"),
    ] {
        let found = rules_found(&text);
        assert!(found.iter().any(|r| r == rule), "{text}: {found:?}");
    }
}
