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
const UPPER: &str = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const LOWER: &str = "abcdefghjkmnpqrstuvwxyz23456789";

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

/// `(key, value of the provider's form)` for providers whose tokens carry a
/// fixed prefix or length: each value is kept under its key, and the same
/// value one character short (the usual hand-cut example) is misnamed.
fn prefixed_forms() -> Vec<(&'static str, String)> {
    vec![
        (
            "AWS_ACCESS_KEY_ID",
            format!("AKIA{}", run("ABCDEFGHJKLMNPQR", 16)),
        ),
        (
            "CIRCLECI_TOKEN",
            format!("CCIPAT_{}_{}", run(ALNUM, 22), run(HEX, 40)),
        ),
        ("CLOUDFLARE_GLOBAL_API_KEY", run(HEX, 37)),
        ("DATABRICKS_TOKEN", format!("dapi{}", run(HEX, 32))),
        (
            "DIGITALOCEAN_ACCESS_TOKEN",
            format!("dop_v1_{}", run(HEX, 64)),
        ),
        ("DOPPLER_TOKEN", format!("dp.st.{}", run(ALNUM, 40))),
        ("EASYPOST_API_KEY", format!("EZAK{}", run(ALNUM, 54))),
        ("ELEVENLABS_API_KEY", format!("sk_{}", run(HEX, 48))),
        ("GITHUB_TOKEN", format!("ghp_{}", run(ALNUM, 36))),
        ("GITLAB_TOKEN", format!("glpat-{}", run(ALNUM, 20))),
        ("GROQ_API_KEY", format!("gsk_{}", run(ALNUM, 52))),
        ("HF_TOKEN", format!("hf_{}", run(ALNUM, 30))),
        ("MAILGUN_API_KEY", format!("key-{}", run(HEX, 32))),
        ("NPM_TOKEN", format!("npm_{}", run(ALNUM, 36))),
        ("okta_api_token", format!("00{}", run(ALNUM, 40))),
        ("OPENSHIFT_TOKEN", format!("sha256~{}", run(ALNUM, 43))),
        (
            "POSTMAN_API_KEY",
            format!("PMAK-{}-{}", run(HEX, 24), run(HEX, 34)),
        ),
        ("PYPI_API_TOKEN", format!("pypi-{}", run(ALNUM, 50))),
        ("SUPABASE_ACCESS_TOKEN", format!("sbp_{}", run(HEX, 40))),
        (
            "TELEGRAM_BOT_TOKEN",
            format!("123456789:{}", run(ALNUM, 35)),
        ),
        (
            "TFE_TOKEN",
            format!("{}.atlasv1.{}", run(ALNUM, 14), run(ALNUM, 60)),
        ),
        ("TWILIO_API_KEY", format!("SK{}", run(HEX, 32))),
        (
            "ONEPASSWORD_SECRET_KEY",
            format!(
                "A3-{}-{}-{}-{}-{}",
                run(UPPER, 6),
                run(UPPER, 11),
                run(UPPER, 5),
                run(UPPER, 5),
                run(UPPER, 5)
            ),
        ),
        ("ATLASSIAN_API_TOKEN", run(ALNUM, 24)),
        ("CONTENTFUL_DELIVERY_TOKEN", run(ALNUM, 43)),
        ("DD_API_KEY", run(HEX, 32)),
        ("DEEPSEEK_API_KEY", format!("sk-{}", run(HEX, 32))),
        ("FASTLY_API_TOKEN", run(ALNUM, 32)),
        (
            "HEROKU_API_KEY",
            "0f1e2d3c-4b5a-4697-8a8b-9c0d1e2f3a4b".to_string(),
        ),
        (
            "LANGCHAIN_API_KEY",
            format!("lsv2_pt_{}_{}", run(HEX, 32), run(HEX, 10)),
        ),
        (
            "LAUNCHDARKLY_SDK_KEY",
            "sdk-0f1e2d3c-4b5a-4697-8a8b-9c0d1e2f3a4b".to_string(),
        ),
        ("MAILCHIMP_API_KEY", format!("{}-us6", run(HEX, 32))),
        ("mailchimp_token", format!("md-{}", run(ALNUM, 22))),
        ("NETLIFY_AUTH_TOKEN", format!("nfp_{}", run(ALNUM, 36))),
        ("NEW_RELIC_LICENSE_KEY", run(HEX, 40)),
        ("PERPLEXITY_API_KEY", format!("pplx-{}", run(ALNUM, 48))),
        ("PINECONE_API_KEY", format!("pcsk_{}", run(ALNUM, 40))),
        ("PLAID_SECRET", run(HEX, 30)),
        (
            "PLANETSCALE_TOKEN",
            format!("pscale_tkn_{}", run(ALNUM, 32)),
        ),
        ("REPLICATE_API_TOKEN", format!("r8_{}", run(ALNUM, 37))),
        ("SENTRY_AUTH_TOKEN", run(HEX, 64)),
        ("SHOPIFY_ACCESS_TOKEN", format!("shpat_{}", run(HEX, 32))),
        (
            "BUNDLE_GEMS__CONTRIBSYS__COM",
            format!("{}:{}", run(HEX, 8), run(HEX, 8)),
        ),
        ("SLACK_VERIFICATION_TOKEN", run(ALNUM, 24)),
        ("STRIPE_SECRET_KEY", format!("sk_live_{}", run(ALNUM, 10))),
        ("SUMO_ACCESS_ID", format!("su{}", run(ALNUM, 12))),
        ("TRELLO_API_KEY", run(HEX, 32)),
        ("VERCEL_TOKEN", run(ALNUM, 24)),
        ("XAI_API_KEY", format!("xai-{}", run(ALNUM, 80))),
        ("ASSEMBLYAI_API_KEY", run(HEX, 32)),
        ("BEAMER_API_KEY", format!("b_{}", run(ALNUM, 44))),
        ("CLICKHOUSE_KEY_SECRET", format!("4b1d{}", run(ALNUM, 38))),
        ("CLOUDFLARE_API_TOKEN", run(ALNUM, 40)),
        ("CONFLUENT_API_KEY", run(UPPER, 16)),
        ("FINICITY_APP_KEY", run(HEX, 32)),
        ("FLICKR_API_KEY", run(HEX, 32)),
        (
            "GOCARDLESS_ACCESS_TOKEN",
            format!("live_{}", run(ALNUM, 40)),
        ),
        ("GITTER_TOKEN", run(HEX, 40)),
        ("JFROG_API_KEY", format!("AKCp{}", run(ALNUM, 69))),
        ("JIRA_API_TOKEN", run(ALNUM, 24)),
        ("LOOKER_CLIENT_SECRET", run(ALNUM, 24)),
        ("MATTERMOST_TOKEN", run(LOWER, 26)),
        ("MAXMIND_LICENSE_KEY", run(ALNUM, 16)),
        ("MESSAGEBIRD_ACCESS_KEY", run(ALNUM, 25)),
        ("message_bird_token", run(ALNUM, 25)),
        ("NYTIMES_API_KEY", run(ALNUM, 32)),
        ("SENDBIRD_API_TOKEN", run(HEX, 40)),
        ("ZENDESK_API_TOKEN", run(ALNUM, 40)),
        ("DATADOG_CLIENT_TOKEN", format!("pub{}", run(HEX, 32))),
        ("ADOBE_CLIENT_ID", run(HEX, 32)),
        ("DISCORD_CLIENT_SECRET", run(ALNUM, 32)),
        ("UPSTAGE_API_KEY", format!("up_{}", run(ALNUM, 29))),
        (
            "ONEPASSWORD_TOKEN",
            format!(
                "A3-{}-{}-{}-{}-{}",
                run(UPPER, 6),
                run(UPPER, 11),
                run(UPPER, 5),
                run(UPPER, 5),
                run(UPPER, 5)
            ),
        ),
        ("ALGOLIA_API_KEY", run(HEX, 32)),
        ("CODECLIMATE_REPO_TOKEN", run(HEX, 64)),
        ("COHERE_API_KEY", run(ALNUM, 40)),
        ("ETSY_API_KEY", run(LOWER, 24)),
        ("EXOSCALE_API_KEY", format!("EXO{}", run(HEX, 24))),
        ("FACEBOOK_APP_SECRET", run(HEX, 32)),
        ("LINEAR_API_KEY", format!("lin_api_{}", run(ALNUM, 40))),
        ("LINKEDIN_CLIENT_SECRET", run(ALNUM, 16)),
        ("OVH_APPLICATION_KEY", run(ALNUM, 16)),
        ("VERCEL_API_KEY", run(ALNUM, 24)),
    ]
}

#[test]
fn prefixed_provider_tokens_are_kept_and_cut_ones_are_not() {
    for (key, value) in prefixed_forms() {
        let line = format!("{key}={value}");
        assert_eq!(check(&line, &value), None, "{line}");
        let cut = &value[..value.len() - 1];
        let line = format!("{key}={cut}");
        assert!(check(&line, cut).is_some(), "{line}");
    }
}

#[test]
fn legacy_forms_are_kept() {
    // Forms older than the providers' prefixed tokens still name a real
    // credential: GitHub OAuth tokens, GitLab's 20-character tokens, npm's
    // UUIDs, DigitalOcean's bare 64 hex digits, OpenShift 3's tokens.
    let hex40 = run(HEX, 40);
    assert_eq!(check(&format!("GITHUB_TOKEN={hex40}"), &hex40), None);
    let v1 = format!("v1.{hex40}");
    assert_eq!(check(&format!("GITHUB_TOKEN={v1}"), &v1), None);
    let gl = run(ALNUM, 20);
    assert_eq!(check(&format!("gitlab_token: {gl}"), &gl), None);
    let uuid = "0f1e2d3c-4b5a-4697-8a8b-9c0d1e2f3a4b";
    assert_eq!(check(&format!("NPM_TOKEN=\"{uuid}\""), uuid), None);
    let hex64 = run(HEX, 64);
    assert_eq!(check(&format!("DIGITALOCEAN_TOKEN={hex64}"), &hex64), None);
    let os3 = run(ALNUM, 43);
    assert_eq!(check(&format!("openshift_token: {os3}"), &os3), None);
    // Twilio auth tokens are 32 hex digits, API secrets 32 alphanumerics.
    let tw = run(ALNUM, 32);
    assert_eq!(check(&format!("TWILIO_AUTH_TOKEN={tw}"), &tw), None);
    // Other forms a provider's key may hold beside its best-known one.
    for (key, value) in [
        ("GITLAB_OAUTH_TOKEN", run(HEX, 64)),
        (
            "LINKEDIN_CLIENT_SECRET",
            format!("WPL_AP1.{}.{}==", run(ALNUM, 16), run(ALNUM, 8)),
        ),
        (
            "STRIPE_SECRET_KEY",
            format!("sk_org_live_{}", run(ALNUM, 24)),
        ),
        ("SHOPIFY_PARTNER_TOKEN", format!("prtapi_{}", run(HEX, 32))),
        ("NEW_RELIC_BROWSER_KEY", format!("NRJS-{}", run(HEX, 19))),
        ("ARTIFACTORY_API_KEY", format!("AP{}", run(ALNUM, 50))),
        ("ADOBE_SIGN_KEY", format!("3AAABL{}", run(ALNUM, 40))),
        (
            "DISCORD_BOT_TOKEN",
            format!("{}.{}.{}", run(ALNUM, 26), run(ALNUM, 6), run(ALNUM, 38)),
        ),
    ] {
        assert_eq!(check(&format!("{key}={value}"), &value), None, "{key}");
    }
}

#[test]
fn other_credentials_of_a_listed_provider_are_not_checked() {
    // Only the credential the `with` words name has a form here.
    let v = run(ALNUM, 27);
    assert_eq!(check(&format!("GITHUB_CLIENT_SECRET={v}"), &v), None);
    assert_eq!(check(&format!("CLOUDFLARE_R2_SECRET={v}"), &v), None);
    assert_eq!(check(&format!("DIGITALOCEAN_SPACES_SECRET={v}"), &v), None);
    assert_eq!(check(&format!("OKTA_CLIENT_SECRET={v}"), &v), None);
    assert_eq!(check(&format!("SUPABASE_JWT_SECRET={v}"), &v), None);
    assert_eq!(check(&format!("TELEGRAM_API_HASH={v}"), &v), None);
    // Passwords and SMTP logins are free-form whatever the provider.
    assert_eq!(check(&format!("MAILGUN_SMTP_PASSWORD={v}"), &v), None);
    assert_eq!(check(&format!("JFROG_PASS={v}"), &v), None);
    assert_eq!(check(&format!("MAILGUN_API_KEY={v}"), &v), Some("mailgun"));
    // A JWT under a Supabase, JFrog, Okta or Adobe key is one of their forms.
    let jwt = format!(
        "eyJ{}.eyJ{}.{}",
        run(ALNUM, 30),
        run(ALNUM, 40),
        run(ALNUM, 43)
    );
    for key in [
        "SUPABASE_ANON_KEY",
        "JFROG_ACCESS_TOKEN",
        "OKTA_ACCESS_TOKEN",
        "ADOBE_ACCESS_TOKEN",
    ] {
        assert_eq!(check(&format!("{key}={jwt}"), &jwt), None, "{key}");
    }
    // `npm`, `hf`, `tfe` are words of the key, not parts of one.
    let cut = run(ALNUM, 30);
    assert_eq!(check(&format!("snpm_token={cut}"), &cut), None);
    assert_eq!(check(&format!("HF_TOKEN={cut}"), &cut), Some("huggingface"));
}
