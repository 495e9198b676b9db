//! Unit tests for `baseline::dstypes` (kept in a `tests/` folder so the
//! repository's self-scan can skip their synthetic secrets).

use super::*;
use crate::finding::sha1_hex;

fn hv(t: &str, line: &str, secret: &str) -> String {
    let start = line.find(secret).unwrap();
    String::from_utf8(hashed_value(
        t,
        line.as_bytes(),
        start..start + secret.len(),
    ))
    .unwrap()
}

#[test]
fn github_and_gitlab_hash_only_the_prefix() {
    let tok = format!("ghp_{}", "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8");
    assert_eq!(hv("GitHub Token", &format!("t = {tok}"), &tok), "ghp");
    let tok = format!("glpat-{}", "x1y2z3".repeat(4));
    assert_eq!(hv("GitLab Token", &format!("t = {tok}"), &tok), "glpat");
    let tok = format!("glimt-{}", "q".repeat(25));
    assert_eq!(hv("GitLab Token", &tok, &tok), tok);
    // Other types hash the whole secret.
    assert_eq!(hv("Slack Token", "xoxb-1-abc", "xoxb-1-abc"), "xoxb-1-abc");
}

#[test]
fn jwt_drops_the_signature() {
    let t = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl";
    assert_eq!(
        hv("JSON Web Token", t, t),
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0."
    );
}

#[test]
fn private_key_hashes_the_marker() {
    let text = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow==\n-----END RSA PRIVATE KEY-----\n";
    let v = hashed_value("Private Key", text.as_bytes(), 0..text.len() - 1);
    assert_eq!(v, b"BEGIN RSA PRIVATE KEY");
    assert_eq!(
        sha1_hex(&v),
        sha1_hex(b"BEGIN RSA PRIVATE KEY"),
        "hash of the marker"
    );
}

#[test]
fn artifactory_keeps_delimiters() {
    let tok = format!("AKC{}", "p5abcdefghij");
    assert_eq!(
        hv("Artifactory Credentials", &format!("k: \"{tok}\""), &tok),
        format!("\"{tok}\"")
    );
    assert_eq!(
        hv("Artifactory Credentials", &format!("k={tok}"), &tok),
        format!("={tok}")
    );
    assert_eq!(hv("Artifactory Credentials", &tok, &tok), tok);
}

#[test]
fn slack_and_discord() {
    let t = format!("xoxe.xoxp-1-{}", "Ab1".repeat(40));
    assert_eq!(hv("Slack Token", &t, &t), t[5..]);
    assert_eq!(
        hv("Slack Token", "xoxb-12-34-abC9-x", "xoxb-12-34-abC9-x"),
        "xoxb-12-34-abC9"
    );
    let url = "hooks.slack.com/services/TA1/B2/c3";
    assert_eq!(
        hv("Slack Token", &format!("u = https://{url}"), url),
        format!("https://{url}")
    );
    let d = format!("M{}.{}.{}", "a".repeat(25), "b".repeat(6), "c".repeat(38));
    assert_eq!(hv("Discord Bot Token", &d, &d), d[..26 + 1 + 6 + 1 + 27]);
}

#[test]
fn other_quirks() {
    assert_eq!(
        hv(
            "Basic Auth Credentials",
            "u = https://me:pw1234@h",
            "https://me:pw1234@h"
        ),
        "pw1234"
    );
    let key = "a".repeat(88);
    assert_eq!(
        hv(
            "Azure Storage Account access key",
            &format!("AccountKey={key};x"),
            &key
        ),
        format!("AccountKey={key}")
    );
    let npm = format!("npm_{}", "b".repeat(36));
    assert_eq!(
        hv("NPM tokens", &format!("//r/:_authToken={npm} # c"), &npm),
        format!("{npm} # c")
    );
    let sk = format!("sk_live_{}", "0".repeat(30));
    assert_eq!(hv("Stripe Access Key", &sk, &sk), sk[..32]);
    assert_eq!(
        hv("Secret Keyword", "p = 'hunter2'", "'hunter2'"),
        "hunter2"
    );
    // Out-of-range spans are clamped, never a panic.
    assert_eq!(hashed_value("Private Key", b"abc", 2..10), b"c");
}
