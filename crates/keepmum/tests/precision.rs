//! Precision on real code: one finding per span, and the noise classes of
//! real repositories (generic entropy, project metadata, protocol ids, rows of
//! numbers, non-credential `Basic` values, binary formats) stay quiet.

use keepmum::{Scanner, Specificity};

fn rule_ids(text: &str) -> Vec<String> {
    Scanner::new()
        .scan_bytes(text.as_bytes())
        .iter()
        .map(|f| f.rule_id().to_string())
        .collect()
}

fn jwt() -> String {
    // header {"alg":"HS256","typ":"JWT"}, a fake payload and signature.
    format!(
        "{}.{}.{}",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
        "eyJzdWIiOiJzeW50aGV0aWMtdXNlciIsImlhdCI6MTcwMDAwMDAwMH0",
        "Qw3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz2Xc4Vb6Nm8Qw0E"
    )
}

#[test]
fn a_jwt_after_bearer_is_one_jwt_finding() {
    let ids = rule_ids(&format!("Authorization: Bearer {}\n", jwt()));
    assert_eq!(ids, ["jwt"]);
}

#[test]
fn a_provider_token_in_a_password_assignment_is_one_provider_finding() {
    let text = format!(
        "password = \"ghp_{}\"\n",
        "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8"
    );
    assert_eq!(rule_ids(&text), ["github-pat"]);
}

#[test]
fn a_base64_encoded_token_is_not_also_a_high_entropy_string() {
    use std::fmt::Write as _;
    let token = format!("ghp_{}", "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8");
    // Standard base64 without padding concerns: 40 bytes -> 56 chars with '='.
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut b64 = String::new();
    for chunk in token.as_bytes().chunks(3) {
        let n = chunk.iter().fold(0u32, |n, &b| n << 8 | u32::from(b)) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            let _ = write!(b64, "{}", T[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
        b64.push_str(&"="[..usize::from(chunk.len() < 3)].repeat(3 - chunk.len()));
    }
    let ids = rule_ids(&format!("secret_token: \"{b64}\"\n"));
    assert_eq!(ids, ["github-pat"], "{b64}");
}

#[test]
fn a_percent_encoded_sas_signature_is_one_finding() {
    // The percent-decoded token is reported at its encoded run, and the
    // same rule matched the still-encoded `sig=` value inside that run:
    // one secret, one finding (the outer one, the decoded token).
    let sig = "Zq8Lw2Nx5Rt7Vy3Pb6Hd%2B%2B9Kf4Tr0Ub4Qw8Er7Ty6%2BUi5Op4As3Df%3D";
    let text = format!(
        "AZURE_BLOB_SAS_TOKEN=sp=rqx&st=2031-03-04T07:24:52Z&se=2031-04-04T15:24:52Z\
         &spr=https&sv=2022-11-02&sr=c&sig={sig}\n"
    );
    let findings = Scanner::new().scan_bytes(text.as_bytes());
    let ids: Vec<&str> = findings.iter().map(|f| f.rule_id()).collect();
    assert_eq!(ids, ["azure-sas-token"], "{findings:?}");
    assert!(!findings[0].decoders().is_empty(), "{findings:?}");
}

#[test]
fn rules_declare_their_specificity() {
    let s = Scanner::new();
    let spec = |id: &str| {
        s.rules()
            .iter()
            .find(|r| r.id() == id)
            .map(|r| r.specificity())
    };
    assert_eq!(spec("generic-password"), Some(Specificity::Generic));
    assert_eq!(spec("high-entropy-string"), Some(Specificity::Generic));
    assert_eq!(spec("http-bearer-auth-header"), Some(Specificity::Context));
    assert_eq!(spec("jwt"), Some(Specificity::Provider));
}

fn ids_at(scanner: &Scanner, text: &str, path: &str) -> Vec<String> {
    scanner
        .scan_bytes_at(text.as_bytes(), std::path::Path::new(path))
        .iter()
        .map(|f| f.rule_id().to_string())
        .collect()
}

#[test]
fn high_entropy_needs_credential_context_by_default() {
    let value = "Zq8Lw2Nx5Rt7Vy3Pb6Hd9Kf4";
    let s = Scanner::new();
    // A digest-like value in a test assertion: quiet.
    assert!(ids_at(&s, &format!("expected = \"{value}\"\n"), "tests/t.py").is_empty());
    // The same value with a credential word on the line, or in a credential file.
    assert_eq!(
        ids_at(
            &s,
            &format!("headers = {{\"X-Auth\": \"{value}\"}}\n"),
            "app.py"
        ),
        ["high-entropy-string"]
    );
    assert_eq!(
        ids_at(&s, &format!("UPSTREAM=\"{value}\"\n"), "deploy/.env"),
        ["high-entropy-string"]
    );
    // Opt back in to reports anywhere.
    let anywhere = Scanner::builder()
        .high_entropy_anywhere(true)
        .build()
        .unwrap();
    assert_eq!(
        ids_at(
            &anywhere,
            &format!("expected = \"{value}\"\n"),
            "tests/t.py"
        ),
        ["high-entropy-string"]
    );
}

#[test]
fn emails_in_project_metadata_are_quiet_unless_asked_for() {
    let line = "email = \"rosa.quint@quintlabs.net\"\n";
    let s = Scanner::new();
    for path in [
        "pyproject.toml",
        "pkg/package.json",
        "AUTHORS",
        ".github/FUNDING.yml",
        "yarn.lock",
    ] {
        assert!(ids_at(&s, line, path).is_empty(), "{path}");
    }
    let plain = "send to rosa.quint@quintlabs.net\n";
    assert_eq!(ids_at(&s, plain, "src/users.py"), ["email-address"]);
    let on = Scanner::builder().metadata_emails(true).build().unwrap();
    assert_eq!(ids_at(&on, plain, "pyproject.toml"), ["email-address"]);
}

#[test]
fn protocol_identifiers_are_not_emails() {
    for text in [
        "Ciphers chacha20-poly1305@openssh.com,aes256-gcm@openssh.com\n",
        "KexAlgorithms curve25519-sha256@libssh.org\n",
        "go get example.net/tool@v1.2.3\n",
        "git-svn-id: https://svn.acme-corp.net/repo/trunk@1234 deploy@acme-corp.net\n",
    ] {
        assert!(rule_ids(text).is_empty(), "{text}");
    }
    assert_eq!(
        rule_ids("owner: ops.lead@acme-corp.net\n"),
        ["email-address"]
    );
}

#[test]
fn spaced_numbers_in_rows_are_not_nhs_or_card_numbers() {
    // 401 023 2137 is a valid NHS check digit; 4532 0151 1283 0366 passes Luhn.
    assert_eq!(rule_ids("ref 401 023 2137\n"), ["uk-nhs-number"]);
    assert!(rule_ids("d=\"M 12 401 023 2137 88 L 9\"\n").is_empty());
    assert!(rule_ids("0.5 401 023 2137 7.25\n").is_empty());
    assert_eq!(
        rule_ids("Card: 4532 0151 1283 0366 exp 09/29\n"),
        ["credit-card"]
    );
    assert!(rule_ids("path 17.5 4532 0151 1283 0366 20.25\n").is_empty());
    assert!(rule_ids("Q 4532 0151 1283 0366\n").is_empty());
    assert!(rule_ids("<path d=\"M 4532 0151 1283 0366 z\"/>\n").is_empty());
}

#[test]
fn basic_headers_need_base64_of_user_and_password() {
    // base64("svc-bot:Qy8Er7Ty6Ui5")
    assert_eq!(
        rule_ids("Authorization: Basic c3ZjLWJvdDpReThFcjdUeTZVaTU=\n"),
        ["http-basic-auth-header"]
    );
    // Random base64 with no `user:password` inside.
    assert!(rule_ids("Authorization: Basic Zq8Lw2Nx5Rt7Vy3Pb6Hd9Kf4\n").is_empty());
}

#[test]
fn pdf_postscript_and_other_magic_openings_are_binary() {
    for head in [
        &b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"[..],
        b"%!PS-Adobe-3.0 EPSF-3.0\n",
        b"\x89PNG\r\n\x1a\n",
        b"GIF89a",
        b"wOF2",
    ] {
        assert!(keepmum::is_binary(head), "{head:?}");
    }
    assert!(!keepmum::is_binary(b"%% a comment in TeX\n"));
    assert!(!keepmum::is_binary(
        b"BZh is not bzip2 without its block magic"
    ));
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("report.pdf");
    let token = format!("ghp_{}", "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8");
    std::fs::write(&pdf, format!("%PDF-1.4\n/Title ({token})\n")).unwrap();
    assert!(Scanner::new().scan_path(&pdf).unwrap().is_empty());
    let off = Scanner::builder().skip_binary(false).build().unwrap();
    assert_eq!(off.scan_path(&pdf).unwrap().len(), 1);
}

#[test]
fn pii_in_tests_docs_and_comments_is_quiet_unless_asked_for() {
    let row = "17,Ana Lima,ana.lima@contoso-mail.net\n";
    let s = Scanner::new();
    assert_eq!(ids_at(&s, row, "data/customers.csv"), ["email-address"]);
    for path in [
        "tests/test_users.py",
        "docs/orm.rst",
        "README.md",
        "fixtures/users.csv",
    ] {
        assert!(ids_at(&s, row, path).is_empty(), "{path}");
    }
    assert!(ids_at(&s, "// Contact: ana.lima@contoso-mail.net\n", "src/agg.h").is_empty());
    assert!(ids_at(
        &s,
        "# maintained by ana.lima@contoso-mail.net\n",
        "src/app.py"
    )
    .is_empty());
    let define = "#define OWNER \"ana.lima@contoso-mail.net\"\n";
    assert_eq!(ids_at(&s, define, "src/owner.h"), ["email-address"]);
    let on = Scanner::builder()
        .pii_in_tests_and_docs(true)
        .build()
        .unwrap();
    assert_eq!(ids_at(&on, row, "tests/test_users.py"), ["email-address"]);
    // Secrets in tests are still reported.
    let token = format!("x = 'ghp_{}'\n", "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8");
    assert_eq!(ids_at(&s, &token, "tests/test_users.py"), ["github-pat"]);
}

#[test]
fn obvious_sample_values_are_quiet_unless_asked_for() {
    let s = Scanner::new();
    let on = Scanner::builder().sample_values(true).build().unwrap();
    for line in [
        "password = \"s3cret\"\n",
        "password: pass+word\n",
        "oauth_token = \"kkk9d7dh3k39sjv7\"\n",
    ] {
        assert!(ids_at(&s, line, "src/app.py").is_empty(), "{line}");
        assert_eq!(ids_at(&on, line, "src/app.py").len(), 1, "{line}");
    }
    // A crypt hash is not a generic secret value; the dedicated low-confidence
    // `password-hash-crypt` rule reports it (it can be cracked offline).
    let hash = "secret: $2y$05$D4SPFxzfWKcx1OXfVhRbvOTH/QB0Lm6AXTk8.NOmU4rPLX2t6UUuW\n";
    assert_eq!(ids_at(&s, hash, "src/app.py"), ["password-hash-crypt"]);
    // In a test or a document it is a test vector, unless asked for.
    for path in [
        "auth/basic_auth_test.go",
        "docs/apikey.md",
        "tests/shadow.txt",
    ] {
        assert!(ids_at(&s, hash, path).is_empty(), "{path}");
        assert_eq!(ids_at(&on, hash, path), ["password-hash-crypt"], "{path}");
    }
    // A password compared with a literal is an assertion in a test, and a
    // hard-coded password in code; the rule set stays delta-safe (a path
    // check, not a path allowlist).
    let cmp = "if password == \"Tz7!kq2vX\":\n";
    assert_eq!(
        ids_at(&s, cmp, "src/login.py"),
        ["password-compared-to-literal"]
    );
    for path in ["tests/test_login.py", "login_test.go"] {
        assert!(ids_at(&s, cmp, path).is_empty(), "{path}");
        assert_eq!(
            ids_at(&on, cmp, path),
            ["password-compared-to-literal"],
            "{path}"
        );
    }
    assert!(keepmum::DeltaScanner::new(&keepmum::Scanner::new()).is_some());
    // Passwords in hash test vectors.
    let vector = "    \"passwd\": \"mu3KbBv3\",\n";
    assert!(ids_at(&s, vector, "tests/data/raw_argon2id_hashes.json").is_empty());
    assert_eq!(
        ids_at(&s, vector, "tests/data/users.json"),
        ["generic-password"]
    );
    assert_eq!(
        ids_at(&on, vector, "tests/data/raw_argon2id_hashes.json"),
        ["generic-password"]
    );
    // The jwt.io sample; a fixture token is still reported.
    let sample = concat!(
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.",
        "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.",
        "Qw3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz2Xc4Vb6Nm8Qw0E\n"
    );
    assert!(ids_at(&s, sample, "docs/jwt.md").is_empty());
    assert_eq!(ids_at(&on, sample, "docs/jwt.md"), ["jwt"]);
    assert_eq!(ids_at(&s, &format!("{}\n", jwt()), "docs/jwt.md"), ["jwt"]);
}

#[test]
fn a_provider_prefixed_value_of_the_wrong_shape_is_not_a_generic_finding() {
    let s = Scanner::new();
    // `napi_` is Neon's: too short for its rule, and not a generic token.
    assert!(ids_at(&s, "NEON_TOKEN=napi_Zz9Yy8Xx7Ww6Vv5Uu4Tt3\n", "ci.env").is_empty());
    assert_eq!(
        ids_at(&s, "API_TOKEN=Zz9Yy8Xx7Ww6Vv5Uu4Tt3\n", "ci.env"),
        ["generic-token"]
    );
}

#[test]
fn contact_details_and_sample_pii_in_code_are_quiet() {
    let s = Scanner::new();
    for (line, path) in [
        ("__email__ = \"k.lee@startup.io\"\n", "pkg/__init__.py"),
        ("Phone: (718) 273-1816.\n", "LICENSE/LICENSE_STIX"),
        ("# call (608) 555-1023 for details\n", "src/app.py"),
        ("phone: (608) 555-1023\n", "src/app.py"),
        ("ssn : 111-22-3333\n", "src/app.py"),
        (
            "sa = 'my-project-id@appspot.gserviceaccount.com'\n",
            "src/app.py",
        ),
        (
            "From: Ana Lima <ana.lima@contoso-mail.net>\n",
            "patches/0001-fix.patch",
        ),
        (
            ">>> tolist=[\"one@one.org\",\"two@two.org\"]\n",
            "smtplib.pyi",
        ),
    ] {
        assert!(ids_at(&s, line, path).is_empty(), "{line}");
    }
    assert_eq!(
        ids_at(&s, "phone: (608) 273-1023\n", "src/app.py"),
        ["phone-number"]
    );
    // A mail header outside a patch keeps its address.
    assert_eq!(
        ids_at(
            &s,
            "From: Ana Lima <ana.lima@contoso-mail.net>\n",
            "mail/inbox.eml"
        ),
        ["email-address"]
    );
}

#[test]
fn a_colon_or_equals_inside_a_yaml_value_is_part_of_the_value() {
    // Not a type annotation (`password: str = …`) followed by a value: the
    // whole value is the secret, as detect-secrets hashes it.
    let s = Scanner::new();
    for line in [
        "password: Tr0ub4dor=3-horse-battery\n",
        "password: Tr0ub4dor:3-horse-battery\n",
    ] {
        let found = s.scan_bytes(line.as_bytes());
        let secrets: Vec<&[u8]> = found.iter().map(|f| f.secret().expose()).collect();
        assert_eq!(secrets, [&line.as_bytes()[10..line.len() - 1]], "{line}");
    }
    let annotated = s.scan_bytes(b"password: str = \"Zq8Lw2Nx5R\"\n");
    assert_eq!(annotated.len(), 1);
    assert_eq!(annotated[0].secret().expose(), b"Zq8Lw2Nx5R");
}

#[test]
fn keys_published_as_examples_are_quiet_unless_samples_are_asked_for() {
    // An example key from firebase-android-sdk's tests, built from pieces.
    let text = format!(
        "apiKey: \"{}{}\"\n",
        "AIzaSyAnLA7NfeLquW1tJ", "Fpx_eQCxoX-oo6YyIs"
    );
    assert!(rule_ids(&text).is_empty(), "{:?}", rule_ids(&text));
    let mut b = Scanner::builder();
    b.sample_values(true);
    let all = b.build().unwrap();
    let ids: Vec<String> = all
        .scan_bytes(text.as_bytes())
        .iter()
        .map(|f| f.rule_id().to_string())
        .collect();
    assert_eq!(ids, ["gcp-api-key"]);
    // The same shape, another key: reported.
    let other = format!(
        "apiKey: \"{}{}\"\n",
        "AIzaSyAnLA7NfeLquW1tJ", "Fpx_eQCxoX-oo6YyIt"
    );
    assert_eq!(rule_ids(&other), ["gcp-api-key"]);
}

#[test]
fn cut_short_values_and_anti_forgery_tokens_are_not_secrets() {
    assert!(
        rule_ids("export OP_SERVICE_ACCOUNT_TOKEN=ops_eyJzaWduSW5BZGRyZXNzIjoiaHR0cHM6...\n")
            .is_empty()
    );
    let form = "<input type=\"hidden\" name=\"authenticity_token\" value=\"Qx7Rv2mXn9TzL4bYc8HdJ3sPfA6eUwG1oQ\" />\n";
    assert!(rule_ids(form).is_empty(), "{:?}", rule_ids(form));
    // The same value as an API token is reported.
    let api = "API_TOKEN=\"Qx7Rv2mXn9TzL4bYc8HdJ3sPfA6eUwG1oQ\"\n";
    assert!(!rule_ids(api).is_empty());
}

#[test]
fn a_provider_named_value_without_the_providers_form_is_not_its_key() {
    // The first `n` of 40 synthetic, random-looking hex digits.
    let hex = |n: usize| "7c2e9a41f0d83b65e1a94c07d2f8b35a6e0c9d14"[..n].to_string();
    // Gitea and W&B tokens are 40 hex digits: 32 is something else.
    assert!(rule_ids(&format!("GITEA_TOKEN={}\n", hex(32))).is_empty());
    assert!(rule_ids(&format!("wandb_api_key = \"{}\"\n", hex(32))).is_empty());
    // The same 32 digits under a name that promises no format: a token.
    assert_eq!(
        rule_ids(&format!("DEPLOY_TOKEN={}\n", hex(32))),
        ["generic-token"]
    );
    // The provider's own form under its name is still reported.
    assert!(!rule_ids(&format!("GITEA_TOKEN={}\n", hex(40))).is_empty());
    assert!(!rule_ids(&format!("wandb_api_key = \"{}\"\n", hex(40))).is_empty());
    // Reported when the user asks for sample values too.
    let all = Scanner::builder().sample_values(true).build().unwrap();
    assert_eq!(
        all.scan_bytes(format!("GITEA_TOKEN={}\n", hex(32)).as_bytes())
            .len(),
        1
    );
}

#[test]
fn the_password_of_an_anonymous_login_is_not_a_secret() {
    let text = "server->user = \"anonymous\";\nserver->password = \"busybox@\";\n";
    assert!(rule_ids(text).is_empty());
    // Another user: the same password is reported.
    let text = "server->user = \"operator\";\nserver->password = \"busybox@\";\n";
    assert_eq!(rule_ids(text), ["generic-password"]);
}

/// Base64url without padding (JWT parts).
fn b64url(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().fold(0u32, |n, &b| n << 8 | u32::from(b)) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// The rule ids and secrets found in `text`.
fn found(text: &str) -> Vec<(String, String)> {
    Scanner::new()
        .scan_bytes(text.as_bytes())
        .iter()
        .map(|f| {
            (
                f.rule_id().to_string(),
                f.secret().expose_str().into_owned(),
            )
        })
        .collect()
}

#[test]
fn a_token_inside_another_rules_token_is_one_finding() {
    // together-api-key-v1 and the context rule (which took `: tgp_v1` for a
    // type annotation and captured the tail alone).
    let together = format!("tgp_v1_{}", "0Dq8Lw2Nx5Rt7Vy3Pb6Hd_Kf4Tr0Ub4Qw8Er7Ty6Ui5");
    let f = found(&format!("togetherai_token: {together}\n"));
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].1, together);
    // netlify-token-context captured `TOKEN=nfp_…` around the `nfp_` token.
    let nfp = format!("nfp_{}", "Zq8Lw2Nx5Rt7Vy3Pb6Hd9Kf4Tr0Ub4Qw8Er7");
    let f = found(&format!("NETLIFY_AUTH_TOKEN={nfp}\n"));
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].1, nfp);
    // azure-app-configuration-connection-string capped the secret at 60 of
    // its 84 characters, inside azure-identifiable-secret's match.
    let secret = format!(
        "{}JQQJ99{}",
        "80DqLw2Nx5Rt7Vy3Pb6Hd9Kf4Tr0Ub4Qw8Er7Ty6Ui5Op4As3Df5Gh", "BBAC1i4FpQkb5wAAACAAZC26dr"
    );
    let f = found(&format!(
        "Endpoint=https://shop-prod.azconfig.io;Id=u+De;Secret={secret}\n"
    ));
    assert_eq!(
        f,
        [(
            "azure-app-configuration-connection-string".to_string(),
            secret
        )]
    );
}

#[test]
fn a_key_inside_a_service_account_or_a_jwt_is_one_finding() {
    let key = format!(
        "-----BEGIN PRIVATE KEY-----\\n{}\\n-----END PRIVATE KEY-----\\n",
        "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDZq8Lw2Nx5Rt7Vy3Pb6Hd9Kf4Tr0Ub4Qw8Er7=",
    );
    let json = format!(
        "{{\n  \"type\": \"service_account\",\n  \"project_id\": \"synthetic-123456\",\n  \
         \"private_key\": \"{key}\",\n  \"client_email\": \"svc@synthetic-123456.iam.gserviceaccount.com\"\n}}\n"
    );
    let ids = rule_ids(&json);
    assert_eq!(ids, ["gcp-service-account-key"]);
    // A JWT under a Kontent key name: the Kontent rule took the header alone.
    let jwt = jwt();
    let f = found(&format!("kontent_personal_api_key = {jwt}\n"));
    assert_eq!(f, [("kontent-api-key".to_string(), jwt)]);
    // An email address decoded from a JWT's payload is part of the token.
    let token = format!(
        "{}.{}.{}",
        b64url(br#"{"alg":"RS256","typ":"JWT"}"#),
        b64url(br#"{"iss":"issuer-7@mesh-control.io","sub":"svc-1","exp":4734125453}"#),
        "SO4qjRJPYItkpGGpCDfEhaUfdthO8L9b_aawao4dJKyqqXN0uYdsJau_JZzyPQ1emAmJP7Vy"
    );
    assert_eq!(rule_ids(&format!("TokenIssuer = \"{token}\"\n")), ["jwt"]);
}

#[test]
fn a_token_after_a_urls_escaped_part_is_reported_at_its_own_bytes() {
    // The percent-decoded run holds the token unchanged: one finding, at
    // the token, not a second one (or a replacement) over the whole URL.
    let token = format!("ghp_{}", "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8");
    let text = format!(
        "callback = \"https://sso.example.com/login?service=https%3A%2F%2Fapp.example.com\
         %2Fhome&token={token}\"\n"
    );
    let findings = Scanner::new().scan_bytes(text.as_bytes());
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].rule_id(), "github-pat");
    let at = text.find("ghp_").unwrap_or(0);
    assert_eq!(findings[0].span(), at..at + token.len());
    assert_eq!((findings[0].line(), findings[0].column()), (1, at + 1));
    assert_eq!(findings[0].end_column(), at + token.len() + 1);
    // On a later line of a run that spans lines (JSON with escaped text).
    let text = format!("a = 1\n{text}");
    let findings = Scanner::new().scan_bytes(text.as_bytes());
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!((findings[0].line(), findings[0].column()), (2, at + 1));
}
