//! Unit tests for `validators::placeholder` (kept in a `tests/` folder so the
//! repository's self-scan can skip their synthetic secrets).

use super::*;

#[test]
fn placeholders_are_recognised() {
    for v in [
        "changeme",
        "CHANGEME",
        "<your-key>",
        "<YOUR_API_KEY>",
        "your_api_key_here",
        "${DB_PASSWORD}",
        "{{ db_password }}",
        "{{.Values.token}}",
        "%(password)s",
        "$PASSWORD",
        "$env:TOKEN",
        "%APPDATA%",
        "__SECRET__",
        "os.environ['X']",
        "os.getenv(\"X\")",
        "process.env.API_KEY",
        "ENV['TOKEN']",
        "ENV.fetch('TOKEN')",
        "config.get('token')",
        "xxxxxxxx",
        "sk-xxxxxxxxxxxxxxxx",
        "********",
        "........",
        "null",
        "None",
        "undefined",
        "true",
        "False",
        "password",
        "secret",
        "",
        "\"\"",
        "aaaaaaaaaaaa",
        "[REDACTED]",
        "AKIAIOSFODNN7EXAMPLE",
        "%s",
    ] {
        assert!(is_placeholder(v.as_bytes()), "{v:?}");
    }
}

#[test]
fn random_tokens_are_not_placeholders() {
    for v in [
        "ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8",
        "Zq8Lw2Nx5Rt7Vy3Pb6Hd9Kf4",
        "sk_test_Ab12Cd34Ef56Gh78Ij90Kl12",
        "9fT2qLw8ZxV3nR6pB1mK",
        "p4ssW0rd-Tr1cky!",
    ] {
        assert!(!is_placeholder(v.as_bytes()), "{v:?}");
    }
}

#[test]
fn test_values_are_recognised() {
    for v in [
        "test",
        "test123",
        "dummy",
        "foo",
        "foobar",
        "abc123",
        "123456",
        "qwerty",
        "qwerty123",
        "abcdef",
        "654321",
        "abababab",
        "121212",
        "fake-token",
        "mock_key",
        "sample",
        "mysecretpassword",
        "testpass",
    ] {
        assert!(is_test_value(v.as_bytes()), "{v:?}");
    }
    for v in ["Zq8Lw2Nx5Rt7", "h7Gk2pQ9", "s3cReT-Vx81q"] {
        assert!(!is_test_value(v.as_bytes()), "{v:?}");
    }
}

#[test]
fn code_is_recognised() {
    for v in [
        "get_password()",
        "self.password",
        "config.db.password",
        "args[0]",
        "Foo::bar",
        "/etc/passwd",
        "./secrets.txt",
        "C:\\keys",
        "https://vault.local/x",
    ] {
        assert!(looks_like_code(v.as_bytes()), "{v:?}");
    }
    for v in ["Zq8Lw2Nx5Rt7", "abc.Def-123!x", "hunter2x"] {
        assert!(!looks_like_code(v.as_bytes()), "{v:?}");
    }
}

proptest::proptest! {
    #[test]
    fn never_panics(v in proptest::collection::vec(proptest::num::u8::ANY, 0..64)) {
        let _ = is_placeholder(&v);
        let _ = is_test_value(&v);
        let _ = looks_like_code(&v);
    }
}

#[test]
fn templates_and_masks_are_told_from_regular_values() {
    for v in [
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "${CALENDARIFIC_KEY}",
        "{{ api_key }}",
        "<your-api-key>",
        "your_api_key_here",
        "changeme",
        "00000000000000000000000000000000",
        "00aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "0bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb0",
    ] {
        assert!(is_template_or_mask(v.as_bytes()), "{v}");
    }
    // Sequential and repeated-alphabet values are regular, not masks: a
    // provider rule reports them when the provider's name introduces them.
    for v in [
        "fedcbafedcbafedcbafedcbafedcba98",
        "123456123456123456123456123456",
        "abcd1234abcd1234abcd1234abcd1234",
        "7c1e5a9d3b2f80469e1c5a7d3b9f2e6084",
    ] {
        assert!(!is_template_or_mask(v.as_bytes()), "{v}");
    }
}

/// `is_placeholder` compares with ASCII case ignored, which decides as
/// lowercasing the value only while every list entry is lowercase.
#[test]
fn placeholder_lists_are_lowercase() {
    for list in [
        PLACEHOLDER_VALUES,
        PLACEHOLDER_SUBSTRINGS,
        TEMPLATE_MARKERS,
        LOOKUP_MARKERS,
    ] {
        for s in list {
            assert_eq!(*s, s.to_ascii_lowercase(), "{s}");
        }
    }
}

proptest::proptest! {
    /// One automaton over the marker lists finds what a search of the
    /// lowercased value for each entry finds.
    #[test]
    fn markers_decide_as_a_search_per_entry(
        v in proptest::collection::vec(
            proptest::sample::select(b"xXeEaAmMpPlL${}}%(<yYoOuUrR_-.\xe2\x80\xa2 ".to_vec()),
            0..24,
        )
    ) {
        let lower = String::from_utf8_lossy(&v).to_ascii_lowercase();
        let reference = PLACEHOLDER_SUBSTRINGS
            .iter()
            .chain(TEMPLATE_MARKERS)
            .chain(LOOKUP_MARKERS)
            .any(|s| lower.contains(s));
        proptest::prop_assert_eq!(placeholder_marker(&v), reference);
    }
}
