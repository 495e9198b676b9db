//! Unit tests for `validators::named` (kept in a `tests/` folder so the
//! repository's self-scan can skip their synthetic values).

use super::*;

/// `misnamed` on the value that ends `line`.
fn check(line: &str, value: &str) -> Option<&'static str> {
    let start = line.rfind(value).unwrap_or(0);
    misnamed(value.as_bytes(), line.as_bytes(), start)
}

/// `n` characters cycling through `alphabet`: regular, obviously fake.
fn run(alphabet: &str, n: usize) -> String {
    alphabet.chars().cycle().take(n).collect()
}

const HEX: &str = "0123456789abcdef";
const ALNUM: &str = "aB3dE5gH7jK9mN1pQ2rS4tU6vW8xY0z";

#[test]
fn a_provider_key_of_the_wrong_length_is_misnamed() {
    let short = run(HEX, 32);
    assert_eq!(
        check(&format!("GITEA_TOKEN={short}"), &short),
        Some("gitea")
    );
    assert_eq!(
        check(&format!("wandb_api_key = {short}"), &short),
        Some("wandb")
    );
    let odd = run(HEX, 31);
    assert_eq!(
        check(&format!("AMPLITUDE_SECRET_KEY={odd}"), &odd),
        Some("amplitude")
    );
    let b64 = run(ALNUM, 38);
    assert_eq!(check(&format!("aws_secret_key: {b64}"), &b64), Some("aws"));
    let mistral = run(ALNUM, 28);
    assert_eq!(
        check(&format!("mistral_token = {mistral}"), &mistral),
        Some("mistral")
    );
}

#[test]
fn a_provider_key_of_the_right_shape_is_kept() {
    let hex40 = run(HEX, 40);
    assert_eq!(check(&format!("GITEA_TOKEN={hex40}"), &hex40), None);
    assert_eq!(check(&format!("wandb_api_key = {hex40}"), &hex40), None);
    let local = format!("local-{hex40}");
    assert_eq!(check(&format!("WANDB_API_KEY={local}"), &local), None);
    let hex32 = run(HEX, 32);
    assert_eq!(check(&format!("AMPLITUDE_API_KEY={hex32}"), &hex32), None);
    let aws = run(ALNUM, 40);
    assert_eq!(
        check(&format!("export AWS_SECRET_ACCESS_KEY=\"{aws}\""), &aws),
        None
    );
    let mistral = run(ALNUM, 32);
    assert_eq!(
        check(&format!("\"mistral_api_key\": \"{mistral}\""), &mistral),
        None
    );
    let ollama = format!("{}.{}", run(HEX, 32), run(ALNUM, 24));
    assert_eq!(check(&format!("ollama key = {ollama}"), &ollama), None);
    let meraki = run(HEX, 40);
    assert_eq!(check(&format!("meraki-api-key: {meraki}"), &meraki), None);
}

#[test]
fn alphabets_and_fixed_parts_count() {
    // Meraki keys are lowercase hex: an uppercase digit is not one.
    let mixed = format!("{}F{}", run(HEX, 20), run(HEX, 19));
    assert_eq!(
        check(&format!("meraki-api-key: {mixed}"), &mixed),
        Some("meraki")
    );
    // An Ollama key without its dot, a Brave key too short after `BSA`.
    let ollama = format!("{}{}", run(HEX, 32), run(ALNUM, 24));
    assert_eq!(
        check(&format!("ollama key = {ollama}"), &ollama),
        Some("ollama")
    );
    let brave = format!("BSA{}", run(ALNUM, 21));
    assert_eq!(
        check(&format!("BRAVE_SEARCH_API_KEY=\"{brave}\""), &brave),
        Some("brave")
    );
    let brave = format!("BSA{}", run(ALNUM, 28));
    assert_eq!(
        check(&format!("BRAVE_SEARCH_API_KEY=\"{brave}\""), &brave),
        None
    );
}

#[test]
fn only_the_named_credential_is_checked() {
    // AWS: only the secret access key has an exact form here; a session
    // token is longer.
    let long = run(ALNUM, 120);
    assert_eq!(check(&format!("AWS_SESSION_TOKEN={long}"), &long), None);
    // Canva: client ids and secrets, not access tokens.
    assert_eq!(check(&format!("CANVA_ACCESS_TOKEN={long}"), &long), None);
    let short = run(ALNUM, 30);
    assert_eq!(
        check(&format!("CANVA_CLIENT_SECRET={short}"), &short),
        Some("canva")
    );
    // Salesforce: access tokens only (refresh tokens have another form).
    assert_eq!(
        check(&format!("SALESFORCE_REFRESH_TOKEN={short}"), &short),
        None
    );
}

#[test]
fn values_their_owner_chooses_are_not_checked() {
    // A webhook or signing secret under a provider's name is free-form.
    let v = run(ALNUM, 24);
    assert_eq!(check(&format!("MERAKI_WEBHOOK_SECRET={v}"), &v), None);
    assert_eq!(check(&format!("meraki_signing_key = {v}"), &v), None);
    assert_eq!(check(&format!("MERAKI_API_KEY={v}"), &v), Some("meraki"));
    // Gitea: its tokens have a form, its other secrets do not.
    assert_eq!(check(&format!("GITEA__security__SECRET_KEY={v}"), &v), None);
    assert_eq!(check(&format!("GITEA_TOKEN={v}"), &v), Some("gitea"));
    // Unkey: the keys it issues carry their owner's prefix.
    let issued = format!("acme_{}", "3ZfVr8qLmN2pXw7Ks9TbYc4H");
    assert_eq!(check(&format!("UNKEY_API_KEY={issued}"), &issued), None);
    let short = "key_KH1V87o2X2GW";
    assert_eq!(
        check(&format!("UNKEY_API_KEY={short}"), short),
        Some("unkey")
    );
}

#[test]
fn short_names_are_whole_words() {
    let v = run(ALNUM, 20);
    // `aws` as a word, also in camel case.
    assert_eq!(check(&format!("awsSecretKey = \"{v}\""), &v), Some("aws"));
    assert_eq!(check(&format!("AWSSecretKey = \"{v}\""), &v), Some("aws"));
    // Not inside another word.
    assert_eq!(check(&format!("laws_secret = \"{v}\""), &v), None);
    assert_eq!(check(&format!("drawsSecret = \"{v}\""), &v), None);
}

#[test]
fn the_key_is_the_name_next_to_the_value() {
    let v = run(HEX, 32);
    // Another provider earlier on the line does not name this value.
    assert_eq!(
        check(
            &format!("url = \"https://api.mistral.ai\"; token = {v}"),
            &v
        ),
        None
    );
    // A call's argument name is the key.
    assert_eq!(check(&format!("Gitea.connect(token: {v})"), &v), None);
    // No key at all.
    assert_eq!(check(&v, &v), None);
}

#[test]
fn key_words_split_at_case_changes() {
    let words: Vec<&[u8]> = key_words(b"AWSSecretKey").collect();
    assert_eq!(words, [&b"AWS"[..], b"Secret", b"Key"]);
    let words: Vec<&[u8]> = key_words(b"my_awsKey2").collect();
    assert_eq!(words, [&b"my"[..], b"aws", b"Key2"]);
    assert_eq!(key_words(b"").count(), 0);
    assert_eq!(key_words(b"__").count(), 0);
}

#[test]
fn every_shape_compiles() {
    for f in FORMATS {
        assert!(
            Regex::new(&format!("^(?:{})$", f.shape)).is_ok(),
            "{}",
            f.shape
        );
        assert!(!f.names.is_empty());
    }
}

#[test]
fn never_panics_on_odd_input() {
    for (line, start) in [
        (&b""[..], 0),
        (b"=", 5),
        (b"\xff\xfe=\xff", 3),
        (b"AWS_SECRET=", 11),
        (b"                                                                                aws_secret=x", 91),
    ] {
        let _ = misnamed(b"x", line, start);
        let _ = misnamed(line, line, start);
    }
}
