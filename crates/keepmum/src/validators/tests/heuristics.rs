//! Unit tests for `validators::heuristics` (kept in a `tests/` folder so the
//! repository's self-scan can skip their synthetic secrets).

use super::*;
use proptest::prelude::*;

/// Runs the assignment validator on the first quoted or bare value after
/// the operator in `line` (the match starts at `name`).
fn assign(line: &str, name: &str, value: &str) -> Verdict {
    let name_at = line.find(name).unwrap_or(0);
    let value_at = line[name_at..].find(value).map_or(0, |i| i + name_at);
    let c = Context {
        line: line.as_bytes(),
        secret_start: value_at,
        matched: &line.as_bytes()[name_at..value_at + value.len()],
    };
    assignment(value.as_bytes(), &c)
}

fn he(line: &str, token: &str) -> Verdict {
    let at = line.find(token).unwrap_or(0);
    let c = Context {
        line: line.as_bytes(),
        secret_start: at,
        matched: token.as_bytes(),
    };
    high_entropy(token.as_bytes(), &c)
}

#[test]
fn assignments_with_real_looking_values_are_kept() {
    let cases = [
        ("db_password = \"Tr0ub4dor&3x\"", "password", "Tr0ub4dor&3x"),
        ("DB_PASSWORD=Zq8Lw2Nx5R", "PASSWORD", "Zq8Lw2Nx5R"),
        ("password: \"k9#Lm2$pQ\"", "password", "k9#Lm2$pQ"),
        (
            "\"client_secret\": \"Zq8Lw2Nx5Rt7Vy3Pb6Hd9Kf4\"",
            "client_secret",
            "Zq8Lw2Nx5Rt7Vy3Pb6Hd9Kf4",
        ),
        (
            "api_key := \"h7Gk2pQ9Zx4Lm1Rt8Vb3\"",
            "api_key",
            "h7Gk2pQ9Zx4Lm1Rt8Vb3",
        ),
        (
            "AUTH_TOKEN='9fT2qLw8ZxV3nR6pB1mK'",
            "AUTH_TOKEN",
            "9fT2qLw8ZxV3nR6pB1mK",
        ),
        (
            "access_token => \"3f9a1c7e5b2d8f40a6c1e9b7d3f5a2c8\"",
            "access_token",
            "3f9a1c7e5b2d8f40a6c1e9b7d3f5a2c8",
        ),
        // A lone bracket inside a bare or quoted password is a symbol of
        // it, and a quoted password may hold a space (issue 17 item 5).
        (
            "password = Tr0ub4dor(3-horse",
            "password",
            "Tr0ub4dor(3-horse",
        ),
        (
            "password=Tr0ub4dor{3-horse",
            "password",
            "Tr0ub4dor{3-horse",
        ),
        (
            "password = \"Tr0ub4dor)3-horse\"",
            "password",
            "Tr0ub4dor)3-horse",
        ),
        (
            "password = \"Tr0ub4dor 3-horse\"",
            "password",
            "Tr0ub4dor 3-horse",
        ),
    ];
    for (line, name, value) in cases {
        assert_eq!(assign(line, name, value), Verdict::Accept, "{line}");
    }
}

#[test]
fn assignments_that_are_not_secrets_are_dropped() {
    let cases = [
        ("password = \"changeme\"", "password", "changeme"),
        ("password = password", "password", "password"),
        ("password = get_password()", "password", "get_password()"),
        ("password = self.password", "password", "self.password"),
        ("password: ${DB_PASSWORD}", "password", "${DB_PASSWORD}"),
        ("password = \"test1234\"", "password", "test1234"),
        ("password = \"abc123\"", "password", "abc123"),
        ("password = None", "password", "None"),
        ("password = userPassword", "password", "userPassword"),
        ("password = currentValue", "password", "currentValue"),
        (
            "password_label = \"Enter:Pass1\"",
            "password_label",
            "Enter:Pass1",
        ),
        ("password_min_length = 12", "password_min_length", "12"),
        ("token = \"short1A\"", "token", "short1A"),
        (
            "token_type = \"Bearer9Xyz1234\"",
            "token_type",
            "Bearer9Xyz1234",
        ),
        (
            "next_token = \"Zq8Lw2Nx5Rt7Vy3Pb6Hd9Kf4\"",
            "token",
            "Zq8Lw2Nx5Rt7Vy3Pb6Hd9Kf4",
        ),
        (
            "secret_name = \"prod-db-credentials\"",
            "secret_name",
            "prod-db-credentials",
        ),
        (
            "api_key = \"your_api_key_here\"",
            "api_key",
            "your_api_key_here",
        ),
        (
            "api_key = process.env.API_KEY",
            "api_key",
            "process.env.API_KEY",
        ),
        (
            "token = \"ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8\"",
            "token",
            "ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8",
        ),
        (
            "private_key = \"keys/server.pem\"",
            "private_key",
            "keys/server.pem",
        ),
        (
            "secret = \"AnotherSimpleIdentifierName\"",
            "secret",
            "AnotherSimpleIdentifierName",
        ),
        ("pwd = \"/home/user/src\"", "pwd", "/home/user/src"),
        (
            "pub const USER_PASSWORD: u32 = 131072u32;",
            "PASSWORD",
            "131072u32",
        ),
        (
            "pub const STATUS_PASSWORD: NTSTATUS = 0xC00002DF_u32 as _;",
            "PASSWORD",
            "0xC00002DF_u32",
        ),
        (
            "const E_CREDENTIALS: WBEMSTATUS = -2147217308i32;",
            "CREDENTIALS",
            "-2147217308i32",
        ),
        ("password = Option<unsafe", "password", "Option<unsafe"),
        ("password = getpass(", "password", "getpass("),
        (
            "password = random_string(20, self.CHARS)",
            "password",
            "random_string(20",
        ),
        ("password = cfg[0]", "password", "cfg[0]"),
        ("\"password\": \"%3A%40c%F0\",", "password", "%3A%40c%F0"),
    ];
    for (line, name, value) in cases {
        assert_eq!(assign(line, name, value), Verdict::Reject, "{line}");
    }
}

#[test]
fn high_entropy_keeps_random_tokens() {
    for t in [
        "Zq8Lw2Nx5Rt7Vy3Pb6Hd9Kf4",
        "q2W9eR4tY7uI1oP3aS6dF8gH0jK5lZ",
        "aB3+xQ9/zT7kLm2nP5rS8vW1yC4eF6hJ",
    ] {
        assert_eq!(he(&format!("key \"{t}\""), t), Verdict::Accept, "{t}");
    }
}

#[test]
fn high_entropy_ignores_hashes_ids_and_names() {
    let cases = [
        (
            "commit 3f9a1c7e5b2d8f40a6c1e9b7d3f5a2c8e1d4b6a9",
            "3f9a1c7e5b2d8f40a6c1e9b7d3f5a2c8e1d4b6a9",
        ),
        (
            "id: 3f9a1c7e5b2d8f40a6c1e9b7d3f5a2c8e1d4b6a9",
            "3f9a1c7e5b2d8f40a6c1e9b7d3f5a2c8e1d4b6a9",
        ),
        (
            "x = \"123e4567-e89b-12d3-a456-426614174000\"",
            "123e4567-e89b-12d3-a456-426614174000",
        ),
        (
            "\"integrity\": \"sha512-Zq8Lw2Nx5Rt7Vy3Pb6Hd9Kf4Zq8Lw2Nx5Rt7Vy3Pb6Hd9Kf4==\"",
            "sha512-Zq8Lw2Nx5Rt7Vy3Pb6Hd9Kf4Zq8Lw2Nx5Rt7Vy3Pb6Hd9Kf4==",
        ),
        (
            "  sha1-Zq8Lw2Nx5Rt7Vy3Pb6Hd9Kf4=",
            "sha1-Zq8Lw2Nx5Rt7Vy3Pb6Hd9Kf4=",
        ),
        (
            "checksum = \"9fT2qLw8ZxV3nR6pB1mK9fT2qLw8ZxV3nR6pB1mK\"",
            "9fT2qLw8ZxV3nR6pB1mK9fT2qLw8ZxV3nR6pB1mK",
        ),
        (
            "getHttpResponseCodeForRequest2",
            "getHttpResponseCodeForRequest2",
        ),
        ("MAX_CONNECTIONS_PER_HOST_V2", "MAX_CONNECTIONS_PER_HOST_V2"),
        ("my-very-long-kebab-name-2", "my-very-long-kebab-name-2"),
        (
            "/usr/lib/x86_64-linux-gnu/libssl3",
            "/usr/lib/x86_64-linux-gnu/libssl3",
        ),
        (
            "src: url(data:font/woff2;base64,d09GMgABAAAAAAq8AA0AAAAAFPQAAApk)",
            "d09GMgABAAAAAAq8AA0AAAAAFPQAAApk",
        ),
        (
            "golang.org/x/text v0.3.0 h1:g61tztE5qeGQ89tm6NTjjM9VWWvpu8inE0IS8dxV5ZE=",
            "g61tztE5qeGQ89tm6NTjjM9VWWvpu8inE0IS8dxV5ZE=",
        ),
        ("color: #A1B2C3D4E5F6A7B8C9D0", "A1B2C3D4E5F6A7B8C9D0"),
        (
            "token \"ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8\"",
            "ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8",
        ),
        (
            "x = \"abcdefghijklmnopqrstuvwxyz0\"",
            "abcdefghijklmnopqrstuvwxyz0",
        ),
        (
            "pub const _CS_POSIX_V7_ILP32_OFF32_LINTFLAGS: c_int = 1143;",
            "_CS_POSIX_V7_ILP32_OFF32_LINTFLAGS",
        ),
        (
            "    fn qc_roundtrip_bf16_f64_is_identity(f: bf16) -> bool {",
            "qc_roundtrip_bf16_f64_is_identity",
        ),
        (
            "fn RtlIpv4AddressToStringA(addr)",
            "RtlIpv4AddressToStringA",
        ),
        (
            "pub const MsV1_0GenericPassthrough: u32 = 7;",
            "MsV1_0GenericPassthrough",
        ),
        (
            "const MUL: u64 = 0x5851_F42D_4C95_7F2D;",
            "0x5851_F42D_4C95_7F2D",
        ),
        (
            "static const U64 prime8bytes = 0xCF1BBCDCB7A56463ULL;",
            "0xCF1BBCDCB7A56463ULL",
        ),
        (
            "<csr-id-373b6b1d0a95cff3085bda46ab629728d4fd6e43/>",
            "csr-id-373b6b1d0a95cff3085bda46ab629728d4fd6e43",
        ),
        (
            "  \"Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5eg==\",",
            "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5eg==",
        ),
        (
            "  \"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUm\"",
            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUm",
        ),
        (
            "pub const WHvX64RegisterFpMmx0: WHV_REGISTER_NAME = 4112i32;",
            "WHvX64RegisterFpMmx0",
        ),
        (
            "fn D3DKMTSubmitCommandToHwQueue(param0 : *const D3DKMT_SUBMITCOMMAND)",
            "D3DKMTSubmitCommandToHwQueue",
        ),
        (
            "mEWnCEsP15HKSTms54RNj7oJ+A==",
            "mEWnCEsP15HKSTms54RNj7oJ+A==",
        ),
        (
            "FUNC:_ZNKSt7__cxx118messagesIwE6do_getEiiiRKNS_12basic@@GLIBCXX_3.4",
            "_ZNKSt7__cxx118messagesIwE6do_getEiiiRKNS_12basic",
        ),
        (
            "<CipherValue>t6JVBMihIgRyiK8AS8AX5NcXTfkdXPTK</CipherValue>",
            "t6JVBMihIgRyiK8AS8AX5NcXTfkdXPTK",
        ),
        (
            "\"F9168C5E-CEB2-4faa-BGBF-329BF39FA1E4\",",
            "F9168C5E-CEB2-4faa-BGBF-329BF39FA1E4",
        ),
        (
            "w!(\"MS_PCP_KSP_RSA_SEAL_KEY_3BD1C4BF-004E-4E2F-8A4D-0BFC\")",
            "MS_PCP_KSP_RSA_SEAL_KEY_3BD1C4BF-004E-4E2F-8A4D-0BFC",
        ),
    ];
    for (line, t) in cases {
        assert_eq!(he(line, t), Verdict::Reject, "{line}");
    }
}

#[test]
fn jwt_header_must_be_json_with_alg() {
    let header = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"; // {"alg":"HS256","typ":"JWT"}
    let good = format!("{header}.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl");
    assert_eq!(jwt(good.as_bytes()), Verdict::Accept);
    // {"typ":"JWT"} has no alg.
    assert_eq!(
        jwt(b"eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiIxIn0.c2ln"),
        Verdict::Reject
    );
    assert_eq!(jwt(b"eyJhbGciOi.eyJzdWIiOiIxIn0.c2ln"), Verdict::Reject);
    assert_eq!(jwt(b"not-a-jwt"), Verdict::Reject);
    assert_eq!(jwt(b""), Verdict::Reject);
}

#[test]
fn base64url_round_trip() {
    assert_eq!(base64url_decode(b"aGVsbG8").as_deref(), Some(&b"hello"[..]));
    assert_eq!(
        base64url_decode(b"aGVsbG8=").as_deref(),
        Some(&b"hello"[..])
    );
    assert_eq!(
        base64url_decode(b"-_-_").as_deref(),
        Some(&[0xfb, 0xff, 0xbf][..])
    );
    assert!(base64url_decode(b"a b").is_none());
}

proptest! {
    #[test]
    fn never_panic(s in proptest::collection::vec(any::<u8>(), 0..80),
                   line in proptest::collection::vec(any::<u8>(), 0..120),
                   start in 0usize..200) {
        let c = Context { line: &line, secret_start: start, matched: &s };
        let _ = assignment(&s, &c);
        let _ = high_entropy(&s, &c);
        let _ = jwt(&s);
    }

    /// The class-only shortcut never rejects a token the full check would
    /// keep: whenever it says "reject", `high_entropy_token` does too, for
    /// the whole run and for any shorter part of it.
    #[test]
    fn class_shortcut_agrees_with_the_token_check(
        classes in 0u8..64,
        picks in proptest::collection::vec(0usize..1000, 20..80),
        cut in 0usize..60,
    ) {
        // `-` always, then the byte groups this case may use.
        let mut alphabet = b"-".to_vec();
        let groups: [(u8, &[u8]); 6] = [
            (1, b"ABCDEF"),
            (2, b"abcdef"),
            (4, b"0123456789"),
            (8, b"GHIJKLMNOPQRSTUVWXYZ"),
            (16, b"ghijklmnopqrstuvwxyz"),
            (32, b"+/_"),
        ];
        for (bit, group) in groups {
            if classes & bit != 0 {
                alphabet.extend_from_slice(group);
            }
        }
        let run: Vec<u8> = picks.iter().map(|&i| alphabet[i % alphabet.len()]).collect();
        let has = |f: &dyn Fn(u8) -> bool| run.iter().any(|&b| f(b));
        let reject = high_entropy_classes_reject(
            run.len(),
            TokenClasses {
                upper: has(&|b| b.is_ascii_uppercase()),
                lower: has(&|b| b.is_ascii_lowercase()),
                digit: has(&|b| b.is_ascii_digit()),
                nonhex: has(&|b| !b.is_ascii_hexdigit() && b != b'-'),
            },
        );
        if reject {
            prop_assert!(high_entropy_token(&run).is_err());
            let part = &run[cut.min(run.len() - 20)..];
            prop_assert!(high_entropy_token(part).is_err());
        }
    }
}

/// A tiny deterministic PRNG (xorshift64*) for reproducible samples.
fn rng(seed: &mut u64) -> u64 {
    *seed ^= *seed >> 12;
    *seed ^= *seed << 25;
    *seed ^= *seed >> 27;
    seed.wrapping_mul(0x2545_F491_4F6C_DD1D)
}

#[test]
fn random_tokens_mostly_pass() {
    const B62: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut seed = 0x1234_5678_9abc_def1u64;
    for (alphabet, min_rate) in [(B62, 90), (B64, 85)] {
        let mut kept = 0;
        let mut reasons = std::collections::BTreeMap::new();
        for i in 0..400 {
            let len = 24 + i % 41;
            let tok: String = (0..len)
                .map(|_| char::from(alphabet[(rng(&mut seed) % alphabet.len() as u64) as usize]))
                .collect();
            let line = format!("key = \"{tok}\"");
            let c = Context {
                line: line.as_bytes(),
                secret_start: 7,
                matched: tok.as_bytes(),
            };
            match high_entropy_check(tok.as_bytes(), &c) {
                Ok(()) => kept += 1,
                Err(n) => *reasons.entry(n).or_insert(0) += 1,
            }
        }
        assert!(
            kept * 100 >= 400 * min_rate,
            "kept {kept}/400, rejected by {reasons:?}"
        );
    }
}
