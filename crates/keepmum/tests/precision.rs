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
