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
        ..Default::default()
    };
    assignment(value.as_bytes(), &c)
}

fn he(line: &str, token: &str) -> Verdict {
    let at = line.find(token).unwrap_or(0);
    let c = Context {
        line: line.as_bytes(),
        secret_start: at,
        matched: token.as_bytes(),
        ..Default::default()
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
        ("put(Name='/app/Password', Value='x')", "Password", "Value="),
    ];
    for (line, name, value) in cases {
        assert_eq!(assign(line, name, value), Verdict::Reject, "{line}");
    }
}

#[test]
fn declared_types_and_package_versions_are_not_passwords() {
    // A type after a colon, closing a statement or nullable.
    let refused = [
        ("  password: string;", "password", "string;"),
        ("  var password: String? = null", "password", "String?"),
        // A dependency named with a keyword, in a lockfile.
        ("    \"parse-passwd\": \"^1.0.0\"", "passwd", "^1.0.0"),
        ("    \"password-hash\": \"~2.14.0\",", "password", "~2.14.0"),
        ("pwd_lib = \">=3.4.5-beta.1\"", "pwd", ">=3.4.5-beta.1"),
        ("password = \"1.12.3\"", "password", "1.12.3"),
        // A symbol, or a path's member after `::`.
        ("  password: :digest_secret", "password", ":digest_secret"),
        (
            "`libc::passwd::pw_gecos` are supported",
            "passwd",
            ":pw_gecos",
        ),
        (
            "->middleware([RequirePassword::class.':my-password.confirm']);",
            "Password",
            ":class.",
        ),
    ];
    for (line, name, value) in refused {
        assert_eq!(assign(line, name, value), Verdict::Reject, "{line}");
    }
    // After `=` a bare word with `;` is a (weak) value, not a type; a
    // value with digits or a version-like prefix of a longer value stays.
    let kept = [
        ("$password = goodspec;", "password", "goodspec;"),
        ("  password: Zx9Qw8Er;", "password", "Zx9Qw8Er;"),
        ("password = \"^1.0.0x7Qz\"", "password", "^1.0.0x7Qz"),
        ("password = \"v1.2Qw8Er7\"", "password", "v1.2Qw8Er7"),
    ];
    for (line, name, value) in kept {
        assert_eq!(assign(line, name, value), Verdict::Accept, "{line}");
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
        let c = Context { line: &line, secret_start: start, matched: &s, ..Default::default() };
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
                ..Default::default()
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

/// `sample_value` on the value of `line`, the match starting at `name`.
fn sample(line: &str, name: &str, value: &str) -> bool {
    let name_at = line.find(name).unwrap_or(0);
    let value_at = line[name_at..].find(value).map_or(0, |i| i + name_at);
    let c = Context {
        line: line.as_bytes(),
        secret_start: value_at,
        matched: &line.as_bytes()[name_at..value_at + value.len()],
        ..Default::default()
    };
    sample_value(value.as_bytes(), &c)
}

#[test]
fn obvious_sample_values_are_recognised() {
    let cases = [
        // leetspeak test words
        ("password = \"s3cret\"", "password", "s3cret"),
        ("password=\"P4$$word\"", "password", "P4$$word"),
        ("admin_password: P@ssw0rd", "admin_password", "P@ssw0rd"),
        // passwords made of words, or of a digit sequence
        ("password = \"pass+word\"", "password", "pass+word"),
        ("password='CircleOfLife'", "password", "CircleOfLife"),
        ("password = \"geheim$parole\"", "password", "geheim$parole"),
        ("password = \"1,2,3,4,5\"", "password", "1,2,3,4,5"),
        // keyboard mashes
        ("token = \"kkk9d7dh3k39sjv7\"", "token", "kkk9d7dh3k39sjv7"),
        (
            "oauth_token = \"sdf0o9823sjdfsdf\"",
            "oauth_token",
            "sdf0o9823sjdfsdf",
        ),
        // the key's own name
        (
            "api_key = \"my-api-key-12345\"",
            "api_key",
            "my-api-key-12345",
        ),
        // hand-written fixtures: alphabet walks, a value repeating itself
        (
            "ACCESS_TOKEN=AbCdEfGhIjKlMnOpQrStUvWxYz1234567890",
            "ACCESS_TOKEN",
            "AbCdEfGhIjKlMnOpQrStUvWxYz1234567890",
        ),
        (
            "api_secret = 'aB1cD2eF3gH4iJ5kL6mN7oP8qR9sT0u'",
            "api_secret",
            "aB1cD2eF3gH4iJ5kL6mN7oP8qR9sT0u",
        ),
        (
            "API_KEY=a1b2c3d4-e5f6-7890-abcd-ef1234567890",
            "API_KEY",
            "a1b2c3d4-e5f6-7890-abcd-ef1234567890",
        ),
        (
            "TOKEN=R7mQ2vN9xK4pT8cW1zL6gH3sR7mQ2vN9xK4pT8cW1zL6gH3s",
            "TOKEN",
            "R7mQ2vN9xK4pT8cW1zL6gH3sR7mQ2vN9xK4pT8cW1zL6gH3s",
        ),
        // base64 of a sample or a name
        ("password: cGFzc3dvcmQ=", "password", "cGFzc3dvcmQ="),
        (
            "\"access_key\": \"QUNDRVNTX0tFWQ0K\",",
            "access_key",
            "QUNDRVNTX0tFWQ0K",
        ),
        (
            "password: c2VjdXJlLXBhc3N3b3Jk",
            "password",
            "c2VjdXJlLXBhc3N3b3Jk",
        ),
        // password hashes
        (
            "secret: $2y$05$D4SPFxzfWKcx1OXfVhRbvOTH/QB0Lm6AXTk8.NOmU4rPLX2t6UUuW",
            "secret",
            "$2y$05$D4SPFxzfWKcx1OXfVhRbvOTH/QB0Lm6AXTk8.NOmU4rPLX2t6UUuW",
        ),
    ];
    for (line, name, value) in cases {
        assert!(sample(line, name, value), "{line}");
    }
}

#[test]
fn real_shaped_values_are_not_samples() {
    let cases = [
        ("db_password = \"Tr0ub4dor&3x\"", "password", "Tr0ub4dor&3x"),
        ("DB_PASSWORD=Zq8Lw2Nx5R", "PASSWORD", "Zq8Lw2Nx5R"),
        (
            "password = Tr0ub4dor&3-horse;battery",
            "password",
            "Tr0ub4dor&3-horse;battery",
        ),
        ("password: \"k9#Lm2$pQ\"", "password", "k9#Lm2$pQ"),
        (
            "AUTH_TOKEN='9fT2qLw8ZxV3nR6pB1mK'",
            "AUTH_TOKEN",
            "9fT2qLw8ZxV3nR6pB1mK",
        ),
        (
            "SECRET_KEY = '192b9bdd22ab9ed4d12e236c78afcb9a393ec15f71bbf5dc987d54727823bcbf'",
            "SECRET_KEY",
            "192b9bdd22ab9ed4d12e236c78afcb9a393ec15f71bbf5dc987d54727823bcbf",
        ),
        // base64 of random bytes
        (
            "password: Zq8Lw2Nx5Rt7Vy3Pb6Hd9Kf4",
            "password",
            "Zq8Lw2Nx5Rt7Vy3Pb6Hd9Kf4",
        ),
        (
            "token = \"h7gk2pq9zx4lm1rt8vb3\"",
            "token",
            "h7gk2pq9zx4lm1rt8vb3",
        ),
        // one word and a symbol; hex (half its letters are on the home row)
        (
            "$mail->Password = 'un!techwhooah';",
            "Password",
            "un!techwhooah",
        ),
        (
            "fbApiKey: \"171e84fd57f430fc59afa8fad3dbda2a\",",
            "ApiKey",
            "171e84fd57f430fc59afa8fad3dbda2a",
        ),
        // a keyboard walk: a real, weak password
        ("password='1qay@WXS????'", "password", "1qay@WXS????"),
        // one word and a symbol: maybe a real, weak password
        (
            "<add key=\"FromEmailPassword\" value=\"Prestigitariu$\"/>",
            "Password",
            "Prestigitariu$",
        ),
    ];
    for (line, name, value) in cases {
        assert!(!sample(line, name, value), "{line}");
    }
}

#[test]
fn words_are_not_provider_tokens() {
    for w in [
        "documentation",
        "authorization",
        "OAuth2Session",
        "configuration",
        "s.makeKubeConfigController",
        "s.AcceptanceTimeoutSeconds",
    ] {
        assert!(word_not_token(w.as_bytes()), "{w}");
    }
    for t in [
        "supernotes_sk-abcdefghijABCDEFGHIJabcdefghijABCDEFGHIJ",
        "1a2b3c4d5e6f",
        "3c4d5e6f7g8h",
        "AKIAZ4QHG7RDLMXP3K2N",
        "h7Gk2pQ9Zx4Lm1Rt8Vb3",
        "qwrtzpsdfghk",
    ] {
        assert!(!word_not_token(t.as_bytes()), "{t}");
    }
    // Random letters-only tokens (the worst case): rarely words.
    let mut seed = 7u64;
    let mut words = 0;
    for _ in 0..2000 {
        let t: Vec<u8> = (0..13)
            .map(|_| b"abcdefghijklmnopqrstuvwxyz"[(rng(&mut seed) % 26) as usize])
            .collect();
        words += usize::from(word_not_token(&t));
    }
    assert!(words < 60, "{words} of 2000 random tokens read as words");
}

#[test]
fn the_jwt_io_sample_is_recognised() {
    // {"alg":"HS256","typ":"JWT"} . {"sub":"1234567890","name":"John Doe","iat":1516239022}
    let sample = concat!(
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.",
        "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.",
        "c2lnbmF0dXJlLWJ5dGVzLWZvci10aGUtdGVzdA"
    );
    assert!(jwt_sample(sample.as_bytes()));
    // {"sub":"foo"}: a fixture token, still reported.
    let fixture = concat!(
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.",
        "eyJzdWIiOiJmb28ifQ.",
        "c2lnbmF0dXJlLWJ5dGVzLWZvci10aGUtdGVzdA"
    );
    assert!(!jwt_sample(fixture.as_bytes()));
}

#[test]
fn basic_credentials_with_a_sample_password_are_recognised() {
    // example:example, john:secret, hello:world
    for b in [
        "ZXhhbXBsZTpleGFtcGxl",
        "am9objpzZWNyZXQ=",
        "aGVsbG86d29ybGQ=",
    ] {
        assert!(basic_auth_sample(b.as_bytes()), "{b}");
    }
    // svc-bot:Qy8Er7Ty6Ui5, deploy:ZX9Qw8Er7Ty6
    for b in [
        "c3ZjLWJvdDpReThFcjdUeTZVaTU=",
        "ZGVwbG95OlpYOVF3OEVyN1R5Ng==",
    ] {
        assert!(!basic_auth_sample(b.as_bytes()), "{b}");
    }
}

#[test]
fn random_tokens_are_not_fixture_patterns() {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut seed = 11u64;
    let mut fixtures = 0;
    for i in 0..2000 {
        let len = 16 + i % 32;
        let t: Vec<u8> = (0..len)
            .map(|_| ALPHABET[(rng(&mut seed) % 62) as usize])
            .collect();
        fixtures += usize::from(fixture_pattern(&t));
    }
    assert!(
        fixtures <= 2,
        "{fixtures} of 2000 random tokens read as fixtures"
    );
    // Hex digests and UUIDs: six letters, many walking pairs by chance.
    let mut hex_fixtures = 0;
    for i in 0..2000 {
        let len = 32 + i % 32;
        let t: Vec<u8> = (0..len)
            .map(|_| b"0123456789abcdef"[(rng(&mut seed) % 16) as usize])
            .collect();
        hex_fixtures += usize::from(fixture_pattern(&t));
    }
    assert!(
        hex_fixtures <= 2,
        "{hex_fixtures} of 2000 random hex values read as fixtures"
    );
    assert!(!fixture_pattern(
        b"38bb7b318cc6898c80317decb34525844bc9db55"
    ));
    assert!(fixture_pattern(b"1234567890abcdef1234567890abcdef"));
}

#[test]
fn no_allowed_name_suffix_holds_a_keyword() {
    // `assignment` rejects a suffix holding a keyword (`token_secret`) by
    // the allowed-suffix list alone: none of them may hold one.
    for suffix in ALLOWED_SUFFIXES {
        for (k, _) in KEYWORDS {
            assert!(!suffix.contains(k), "{suffix:?} holds {k:?}");
        }
    }
    let cx = |line: &'static str, matched: &'static str| Context {
        line: line.as_bytes(),
        secret_start: line.len() - 12,
        matched: matched.as_bytes(),
        ..Default::default()
    };
    let value = b"Zq8Lw2Nx5Rt7";
    for line in ["token_secret=Zq8Lw2Nx5Rt7", "tokenpassword=Zq8Lw2Nx5Rt7"] {
        assert_eq!(
            assignment(value, &cx(line, line)),
            Verdict::Reject,
            "{line}"
        );
    }
}

#[test]
fn accented_test_words_are_samples() {
    assert_eq!(
        without_accents("pässwörd".as_bytes()).as_deref(),
        Some(&b"password"[..])
    );
    assert_eq!(
        without_accents("Straße".as_bytes()).as_deref(),
        Some(&b"Strasse"[..])
    );
    assert_eq!(without_accents(b"password"), None);
    // A lone lead byte or a sign of the block (U+00D7 `×`) stays as it is.
    assert_eq!(without_accents(b"ab\xC3"), None);
    assert_eq!(without_accents("a×b".as_bytes()), None);
    assert!(sample("password = \"pässwörd\"", "password", "pässwörd"));
    assert!(!sample(
        "password = \"Zx9Qw8Ër7Ty6\"",
        "password",
        "Zx9Qw8Ër7Ty6"
    ));
}

#[test]
fn code_around_a_bare_value_is_not_a_password() {
    let refused = [
        // A literal keyword ending a statement, a name closing a call.
        (
            "private boolean enableUpdatePassword = false;",
            "Password",
            "false;",
        ),
        ("    \"Password\", ROLES_12);", "Password", "ROLES_12);"),
        (
            "new Token(\"key\", \"Password\", ROLES_12)",
            "Password",
            "ROLES_12)",
        ),
        // A field of a struct literal set from a variable.
        ("\t\tPassword: b64Pwd,", "Password", "b64Pwd"),
        // The next key of an argument list.
        (
            "withCredentials([string(credentialsId: 'spring-gpg-passphrase', variable: 'X')])",
            "passphrase",
            "variable:",
        ),
    ];
    for (line, name, value) in refused {
        assert_eq!(assign(line, name, value), Verdict::Reject, "{line}");
    }
    // Values with the same endings that stay passwords.
    let kept = [
        (
            "Server=db;User Id=sa;Password=Zx9Qw8Er;",
            "Password",
            "Zx9Qw8Er;",
        ),
        ("password: Zx9Qw8Er7,", "password", "Zx9Qw8Er7,"),
        ("{password: Zx9Qw8Er7, user: x}", "password", "Zx9Qw8Er7"),
    ];
    for (line, name, value) in kept {
        assert_eq!(assign(line, name, value), Verdict::Accept, "{line}");
    }
}

#[test]
fn escaped_words_of_a_message_bundle_are_not_passwords() {
    for (line, value) in [
        (
            "BindAuthenticator.emptyPassword=Ung\\u00FCltige Anmeldedaten",
            "Ung\\u00FCltige",
        ),
        (
            "BindAuthenticator.emptyPassword=\\u7528\\u6237\\u540d\\u6216\\u5bc6\\u7801",
            "\\u7528\\u6237\\u540d\\u6216\\u5bc6\\u7801",
        ),
        (
            "emptyPassword = \\ube44\\ubc00\\ubc88\\ud638 \\ud56d\\ubaa9",
            "\\ube44\\ubc00\\ubc88\\ud638",
        ),
    ] {
        assert_eq!(assign(line, "Password", value), Verdict::Reject, "{line}");
    }
    // An escape of a symbol or digit, a malformed escape, or escapes of
    // ASCII letters alone: left to the other checks.
    for v in [
        "Zx9\\u0021Qw8Er",
        "Qw\\u00FC8Er7",
        "Ung\\u00Fltige",
        "Zx\\u0041Qw",
    ] {
        assert!(!escaped_word(v.as_bytes()), "{v}");
    }
}

#[test]
fn spring_encoded_passwords_are_hashes() {
    for v in [
        "{pbkdf2}5d923b44a6d129f3ddf3e3c8d29412723dcbde72445e8ef6bf3b508fbf17fa4ed4d6b99ca763d8dc",
        "{MD5}{aRYR+Yp2xSqtgF+vtjH6jNda6M083iEbP+zCFjLt9IA=}905e382a25eed53e22224223b3581",
        "{scrypt@SpringSecurity_v5_8}$e0801$vSriIassJwvdNBF1vpSoCenqBxvpT4e",
        "{sha256}97cde38028ad898ebc02e690819fa220e88c62e0699403e94fff291cfffaf8410849f276",
    ] {
        assert!(is_password_hash(v.as_bytes()), "{v}");
    }
    // `{noop}` holds the password itself.
    assert!(!is_password_hash(b"{noop}Zx9Qw8Er7Ty6"));
}

#[test]
fn the_rfc_basic_auth_example_is_a_sample() {
    // Aladdin:open sesame, aladdin:opensesame
    for b in ["QWxhZGRpbjpvcGVuIHNlc2FtZQ==", "YWxhZGRpbjpvcGVuc2VzYW1l"] {
        assert!(basic_auth_sample(b.as_bytes()), "{b}");
    }
    // aladdin:Qy8Er7Ty6Ui5
    assert!(!basic_auth_sample(b"YWxhZGRpbjpReThFcjdUeTZVaTU="));
}

#[test]
fn webauthn_client_data_is_not_a_secret() {
    // {"type":"webauthn.get","challenge":"Qw8Er7Ty6Ui5","origin":"https://a.example"}
    let data = "eyJ0eXBlIjoid2ViYXV0aG4uZ2V0IiwiY2hhbGxlbmdlIjoiUXc4RXI3VHk2VWk1Iiwib3JpZ2luIjoiaHR0cHM6Ly9hLmV4YW1wbGUifQ";
    let line = format!("clientDataJSON \"{data}\"");
    assert_eq!(he(&line, data), Verdict::Reject);
    // Its challenge, read in the decoded text.
    let decoded =
        r#"{"type":"webauthn.get","challenge":"Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk","origin":"x"}"#;
    assert_eq!(he(decoded, "Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk"), Verdict::Reject);
    let other = r#"{"type":"session","challenge":"Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk","origin":"x"}"#;
    assert_eq!(he(other, "Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk"), Verdict::Accept);
    // The same length of random base64url on that line stays.
    let random =
        "Zq8Lw2Nx5Rt7Vy3Pb6Hd9Kf4q2W9eR4tY7uI1oP3aS6dF8gH0jK5lZaB3xQ9zT7kLm2nP5rS8vW1yC4eF6hJ";
    let line = format!("clientDataJSON \"{random}\"");
    assert_eq!(he(&line, random), Verdict::Accept);
}

#[test]
fn names_in_braces_and_capitals_are_not_passwords() {
    for (line, name, value) in [
        (
            "String encodedPassword = \"{bcrypt}\" + encoded;",
            "Password",
            "{bcrypt}",
        ),
        (
            "new Token(\"somebody\", \"password\", \"ROLE_1\", \"ROLE_2\")",
            "password",
            "ROLE_1",
        ),
        (
            "os.getenv(\"password\", \"DB_PASSWORD_FILE\")",
            "password",
            "DB_PASSWORD_FILE",
        ),
    ] {
        assert_eq!(assign(line, name, value), Verdict::Reject, "{line}");
    }
    // Random capitals, a brace that is part of the value: kept.
    for (line, value) in [
        ("password = \"QWZX_PLMK_9843\"", "QWZX_PLMK_9843"),
        ("password = \"{Zx9Qw8Er7}\"", "{Zx9Qw8Er7}"),
        ("password = \"{x}Zx9Qw8Er7\"", "{x}Zx9Qw8Er7"),
    ] {
        assert_eq!(assign(line, "password", value), Verdict::Accept, "{line}");
    }
}

#[test]
fn an_encoded_or_hashed_password_is_a_hash() {
    for (line, name) in [
        (
            "String encodedPassword = \"ab1146a8458d4ce4e65789e5a3f60e42\";",
            "Password",
        ),
        (
            "hashed_password = \"ab1146a8458d4ce4e65789e5a3f60e42\"",
            "password",
        ),
    ] {
        assert_eq!(
            assign(line, name, "ab1146a8458d4ce4e65789e5a3f60e42"),
            Verdict::Reject,
            "{line}"
        );
    }
    assert_eq!(
        assign(
            "db_password = \"ab1146a8458d4ce4e65789e5a3f60e42\"",
            "password",
            "ab1146a8458d4ce4e65789e5a3f60e42"
        ),
        Verdict::Accept
    );
    // An encoded secret key is the key.
    assert_eq!(
        assign(
            "static final String DEFAULT_ENCODED_SECRET_KEY = \"bCzY/M48bbkwBEWjmNSIEPfwApcvXOnkCxORBEbPr+4=\";",
            "SECRET_KEY",
            "bCzY/M48bbkwBEWjmNSIEPfwApcvXOnkCxORBEbPr+4="
        ),
        Verdict::Accept
    );
}

/// `provider_prefixed` as it was before its first-byte table: every entry
/// compared in turn.
fn provider_prefixed_plain(v: &[u8]) -> bool {
    PROVIDER_PREFIXES.iter().any(|p| {
        let p = p.as_bytes();
        v.len() >= p.len() && v[..p.len()].eq_ignore_ascii_case(p)
    })
}

#[test]
fn provider_prefixed_table_matches_every_entry() {
    for p in PROVIDER_PREFIXES {
        let upper = p.to_ascii_uppercase();
        for v in [p.to_string(), format!("{p}Zq8Lw2Nx"), format!("{upper}x")] {
            assert!(provider_prefixed(v.as_bytes()), "{v}");
        }
        // One byte short of the prefix never matches it (another, shorter
        // entry may still).
        let short = &p.as_bytes()[..p.len() - 1];
        assert_eq!(provider_prefixed(short), provider_prefixed_plain(short));
    }
    assert!(!provider_prefixed(b""));
    assert!(!provider_prefixed(b"Zq8Lw2Nx5Rt7Vy3P"));
}

proptest! {
    #[test]
    fn provider_prefixed_same_as_plain(
        p in proptest::sample::select(PROVIDER_PREFIXES),
        cut in 0usize..16,
        tail in "[A-Za-z0-9_.-]{0,12}",
        flip in any::<bool>(),
    ) {
        let head = &p[..p.len().saturating_sub(cut % 3)];
        let head = if flip { head.to_ascii_uppercase() } else { head.to_string() };
        let v = format!("{head}{tail}");
        prop_assert_eq!(provider_prefixed(v.as_bytes()), provider_prefixed_plain(v.as_bytes()));
        prop_assert_eq!(provider_prefixed(tail.as_bytes()), provider_prefixed_plain(tail.as_bytes()));
    }
}

#[test]
fn code_shapes_of_new_repositories_are_not_passwords() {
    let refused = [
        // Binary bytes of a generated protobuf descriptor.
        (
            r#""\x0ehashedPassword:\a\x82\xb5\x18\x033.0\"1\n" +"#,
            "Password",
            r"\a\x82\xb5\x18\x033.0\",
        ),
        (r#""\x06secret:9\x9a\x1e4\n" +"#, "secret", r"9\x9a\x1e4\n"),
        // A printf slot read as the value of a message.
        (
            "\"Using generated security password: %s%n%nThis generated\"",
            "password",
            "%s%n%nThis",
        ),
        // Compose's and Make's escaped variable reference.
        (
            "MYSQL_ROOT_PASSWORD: \"$$literal\"",
            "PASSWORD",
            "$$literal",
        ),
        ("DB_PASSWORD=$${DB_PASS}", "PASSWORD", "$${DB_PASS}"),
        // A name concatenated to a string.
        (
            "f.Var(&cfg.Password, prefix+\"redis.password\", description+\"Password to use\")",
            "password",
            "description+",
        ),
        // A default closing a Ruby block's parameters.
        (
            "lambda do |connection, exclude_user_password: false|",
            "password",
            "false|",
        ),
        // A regular expression literal.
        (
            "assert_match(/password: postgres/, db_config)",
            "password",
            "postgres/",
        ),
    ];
    for (line, name, value) in refused {
        assert_eq!(assign(line, name, value), Verdict::Reject, "{line}");
    }
    let kept = [
        // One escape, or escapes of printable bytes: typed values.
        (
            r#"password = "Zx9\x41Qw8Er7""#,
            "password",
            r"Zx9\x41Qw8Er7",
        ),
        (
            r#"password = "Zx9\nQw8\tEr7""#,
            "password",
            r"Zx9\nQw8\tEr7",
        ),
        // A percent sign that opens no conversion.
        ("password = \"%sk9Zq2Lw\"", "password", "%sk9Zq2Lw"),
        ("password = \"%Zx9Qw8Er7\"", "password", "%Zx9Qw8Er7"),
        ("password: Zx9Qw8Er7+", "password", "Zx9Qw8Er7+"),
        ("password: falsetto9Q|", "password", "falsetto9Q|"),
        ("password = Zx9Qw8Er7/", "password", "Zx9Qw8Er7/"),
    ];
    for (line, name, value) in kept {
        assert_eq!(assign(line, name, value), Verdict::Accept, "{line}");
    }
}

#[test]
fn camel_case_paging_tokens_are_not_credentials() {
    assert_eq!(
        assign(
            r#"{"nextPageToken":"ChBvYmovd2l0aC9zbGFzaGVzZ2dnZ2c1"}"#,
            "Token",
            "ChBvYmovd2l0aC9zbGFzaGVzZ2dnZ2c1"
        ),
        Verdict::Reject
    );
    assert_eq!(
        assign(
            r#"{"sessionToken":"ChBvYmovd2l0aC9zbGFzaGVzZ2dnZ2c1"}"#,
            "Token",
            "ChBvYmovd2l0aC9zbGFzaGVzZ2dnZ2c1"
        ),
        Verdict::Accept
    );
    assert_eq!(camel_last_word(b"nextPage"), b"Page");
    assert_eq!(camel_last_word(b"NEXT_PAGE"), b"NEXT_PAGE");
    assert_eq!(camel_last_word(b"page"), b"page");
}

#[test]
fn values_of_id_fields_are_not_high_entropy_secrets() {
    let token = "msg_013NVLwA2ypoPDJAxqC3G7wg";
    for line in [
        format!(r#"{{"message":{{"id":"{token}","usage":{{"input_tokens":15}}}}}}"#),
        format!("message_id = '{token}' # token"),
        format!(r#"requestId: "{token}" token"#),
    ] {
        assert!(matches!(he(&line, token), Verdict::Reject), "{line}");
    }
    assert!(id_field(br#"{"id":""#));
    assert!(!id_field(br#"{"session":""#));
    assert!(!id_field(br#"{"paid":""#));
    assert!(!id_field(b"key = "));
}
