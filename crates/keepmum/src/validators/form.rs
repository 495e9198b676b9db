//! Values whose form says they are not a secret, whatever rule found them:
//! a value cut short in a document (`ops_eyJzaWduSW5BZGRyZXNz...`), and for
//! the generic rules a URL-escaped sample (`foo(b%5Dc`), a UUID no generator
//! makes and a web form's anti-forgery token (sent to every visitor in the
//! page).
//!
//! Left out on purpose: alphabet walks, digit runs and repeated blocks
//! inside a provider's shape (`…-klmnopqrstuvwx-…`, `xoxc-8888…`) and
//! odd-length hex. Gitleaks lists such values as negatives, but Kingfisher
//! and Nosey Parker list as many as their rules' positive examples, so
//! dropping them costs recall on one peer set for every false positive it
//! saves on the other (see the peer-eval notes in the precision commits).

/// True when a value, or the text right after it, says it was cut short:
/// it ends in `...` or `…`, or holds them where a part was left out
/// (`99ae8af...snip...ec0f262ac`): no token or key holds three dots.
pub(crate) fn elided(value: &[u8], after: &[u8]) -> bool {
    let cut = |s: &[u8]| s.starts_with(b"...") || s.starts_with("\u{2026}".as_bytes());
    memchr::memmem::find(value, b"...").is_some()
        || memchr::memmem::find(value, "\u{2026}".as_bytes()).is_some()
        || cut(after)
}

/// True when a generic rule's value is, by its form or its line, not a
/// secret: a malformed UUID (or one a digit short or long), a URL query of
/// plain settings, a form's anti-forgery token or a URN.
pub(crate) fn generic_misfit(v: &[u8], line: &[u8]) -> bool {
    malformed_uuid(v) || query_without_secret(v) || anti_forgery(line) || urn(v)
}

/// A uniform resource name (`urn:uuid:a515cfa4-…`, a WebDAV lock token):
/// a name for a thing, not a credential to it.
fn urn(v: &[u8]) -> bool {
    v.len() > 4 && v[..4].eq_ignore_ascii_case(b"urn:")
}

/// True when a value's `%XX` escapes decode to a control byte (`%01`,
/// `%1F`, `%7F`): URL-escaping tests build such userinfo on purpose
/// (`http://a%3A%01…:c%3A%01%40…@host`); no password or token holds one.
pub(crate) fn escaped_control(v: &[u8]) -> bool {
    v.windows(3).any(|w| {
        w[0] == b'%'
            && matches!(
                (w[1], w[2].to_ascii_uppercase()),
                (b'0' | b'1', b'0'..=b'9' | b'A'..=b'F') | (b'7', b'F')
            )
    })
}

/// True when a value is binary data written with C-style escapes, as
/// generated protobuf descriptors hold it (`\a\x82\xb5\x18\x033.0`): two
/// or more backslash escapes, one of them a control byte other than a
/// line break or tab (`\a`, `\b`, `\v`, `\f`, `\0`, `\x01`…`\x1f`,
/// `\x7f`). A password or token is typed, not escaped byte by byte.
pub(crate) fn escaped_binary(v: &[u8]) -> bool {
    let (mut escapes, mut control) = (0, false);
    let mut i = 0;
    while i + 1 < v.len() {
        if v[i] != b'\\' {
            i += 1;
            continue;
        }
        let next = v[i + 1];
        match next {
            b'a' | b'b' | b'v' | b'f' | b'0'..=b'7' => {
                escapes += 1;
                control = true;
            }
            b'n' | b'r' | b't' | b'e' => escapes += 1,
            b'x' => {
                let hex = v
                    .get(i + 2..i + 4)
                    .filter(|h| h.iter().all(u8::is_ascii_hexdigit));
                if let Some(h) = hex {
                    escapes += 1;
                    let byte = (hex_value(h[0]) << 4) | hex_value(h[1]);
                    if (byte < 0x20 && !matches!(byte, b'\n' | b'\r' | b'\t')) || byte == 0x7f {
                        control = true;
                    }
                }
            }
            _ => {}
        }
        i += 2;
    }
    escapes >= 2 && control
}

fn hex_value(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        b'A'..=b'F' => b - b'A' + 10,
        _ => 0,
    }
}

/// True when a value opens with a printf conversion (`%s`, `%d`, `%-8s`)
/// followed by nothing, another `%` or punctuation (`%s%n%nThis` read
/// after `password: ` in a message template): the slot a formatter fills.
pub(crate) fn printf_led(v: &[u8]) -> bool {
    let Some(rest) = v.strip_prefix(b"%") else {
        return false;
    };
    let flags = rest
        .iter()
        .take_while(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b' ' | b'#' | b'.'))
        .count();
    let rest = &rest[flags..];
    matches!(
        rest.first(),
        Some(b's' | b'd' | b'i' | b'u' | b'f' | b'x' | b'v' | b'q' | b'n')
    ) && rest.get(1).is_none_or(|b| !b.is_ascii_alphanumeric())
}

/// A URL query read as one value (`st=2025-03-04T07:24:52Z&se=…&sr=c`):
/// three or more `name=value` pairs joined by `&`, none of them named for
/// a secret (`sig`, `key`, `token`, …). Such a string is several settings;
/// a secret inside it is reported under its own parameter's name.
fn query_without_secret(v: &[u8]) -> bool {
    const SECRET_NAMES: &[&[u8]] = &[
        b"sig", b"key", b"token", b"secret", b"pass", b"pwd", b"auth", b"cred",
    ];
    let mut pairs = 0;
    for pair in v.split(|&b| b == b'&') {
        let Some(eq) = pair.iter().position(|&b| b == b'=') else {
            return false;
        };
        let name = &pair[..eq];
        let plain_name = !name.is_empty()
            && name.len() <= 16
            && name
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-')
            && name[0].is_ascii_alphabetic();
        if !plain_name || pair[eq + 1..].contains(&b'=') {
            return false;
        }
        let lower = name.to_ascii_lowercase();
        if SECRET_NAMES
            .iter()
            .any(|s| memchr::memmem::find(&lower, s).is_some())
        {
            return false;
        }
        pairs += 1;
    }
    pairs >= 3
}

/// True when a value under a token or API-key name (or a bare
/// high-entropy string) is in no token alphabet: it holds one of
/// ``?^$@#;,!*(){}<>|`"``, which no key or token alphabet has (hex,
/// base32, base64 and base64url, every provider's format we know): a token
/// with one inside was broken by hand (the peers' "swapped character"
/// negatives: `…D3gSD%c^`, `…qe$Hnj…`, `…wq,6TN…`) or is a URL's path and
/// query read as one value. `%`, `&`, `=`, `:`, `.`, `/`, `+`, `[`/`]` and
/// `~` stay allowed: escapes, queries, padding, ids and base64 hold them,
/// OpenShift (`sha256~`) and Entra ID client secrets (`…8Q~…`) hold `~`,
/// and the peers list tokens with `%` and `]` as positives. Not asked of the
/// generic password and secret rules: a password, and many a client
/// secret, may hold any character (`?R*l8Szi…`).
pub(crate) fn token_misfit(v: &[u8]) -> bool {
    v.iter().any(|b| b"?^$@#;,!*(){}<>|`\"".contains(b))
}

/// True when a generic assignment's value is URL-escaped (`foo(b%5Dc`)
/// and its decoded text is made of test words and single letters
/// (`foo(b]c`): the escaped form hid the sample from the word checks.
/// URL-parsing test tables are full of these.
pub(crate) fn escaped_sample(v: &[u8]) -> bool {
    let Some(decoded) = percent_decoded(v) else {
        return false;
    };
    // Single letters are left out: `b` and `c` are no words.
    let mut words = Vec::with_capacity(decoded.len());
    for (i, &b) in decoded.iter().enumerate() {
        let alpha = |j: usize| decoded.get(j).is_some_and(u8::is_ascii_alphabetic);
        let single = b.is_ascii_alphabetic() && !alpha(i + 1) && (i == 0 || !alpha(i - 1));
        words.push(if single { b' ' } else { b });
    }
    super::placeholder::is_placeholder(&decoded) || super::placeholder::is_test_value(&words)
}

/// True when a password is the conventional one of an anonymous login
/// (RFC 1635): the user is `anonymous` and the password a name or mail
/// address ending in `@` (`busybox@`, `-wget@`), which FTP clients send by
/// default. `before` is the text before the value; only its last three
/// lines are read.
pub(crate) fn anonymous_login(v: &[u8], before: &[u8]) -> bool {
    let ident = v.strip_suffix(b"@").is_some_and(|name| {
        !name.is_empty()
            && name
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
    });
    if !ident {
        return false;
    }
    let from = before
        .iter()
        .rev()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(3)
        .map_or(0, |(i, _)| before.len() - i);
    let recent = before[from.max(before.len().saturating_sub(512))..].to_ascii_lowercase();
    super::placeholder::contains(&recent, b"\"anonymous\"")
        || super::placeholder::contains(&recent, b"'anonymous'")
}

/// `v` with its `%XX` escapes decoded, or `None` when it has none.
fn percent_decoded(v: &[u8]) -> Option<Vec<u8>> {
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(v.len());
    let (mut i, mut escaped) = (0, false);
    while i < v.len() {
        if v[i] == b'%' {
            if let (Some(h), Some(l)) = (
                v.get(i + 1).and_then(|&b| hex(b)),
                v.get(i + 2).and_then(|&b| hex(b)),
            ) {
                out.push((h * 16 + l) as u8);
                escaped = true;
                i += 3;
                continue;
            }
        }
        out.push(v[i]);
        i += 1;
    }
    escaped.then_some(out)
}

/// A UUID (`8-4-4-4-12` hex) whose variant digit no generator writes:
/// RFC 9562 UUIDs have `8`–`b` there, Microsoft's GUIDs `c`–`d`; `0`–`7`
/// (the 1980s NCS layout) and `e`–`f` (reserved) mean it was typed.
fn malformed_uuid(v: &[u8]) -> bool {
    let shape = v.len() == 36
        && v.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        });
    shape && !matches!(v[19].to_ascii_lowercase(), b'8'..=b'9' | b'a'..=b'd') || near_uuid(v)
}

/// A value ending in a UUID one to two digits short or long in its last
/// group (`sk_0b9b5db6-fabc-49d0-b68f-13343bb4f70`): no UUID library writes
/// that, a hand does.
fn near_uuid(v: &[u8]) -> bool {
    let hex = |s: &[u8]| s.iter().all(u8::is_ascii_hexdigit);
    let mut groups = v.rsplitn(5, |&b| b == b'-');
    let (Some(last), Some(g4), Some(g3), Some(g2), Some(head)) = (
        groups.next(),
        groups.next(),
        groups.next(),
        groups.next(),
        groups.next(),
    ) else {
        return false;
    };
    let first = &head[head.len().saturating_sub(8)..];
    let bounded = head.len() == 8
        || head
            .get(head.len().wrapping_sub(9))
            .is_some_and(|b| !b.is_ascii_hexdigit());
    head.len() >= 8
        && bounded
        && hex(first)
        && [g2, g3, g4].iter().all(|g| g.len() == 4 && hex(g))
        && (10..=14).contains(&last.len())
        && last.len() != 12
        && hex(last)
}

/// A form's anti-forgery token (`authenticity_token`, `csrf…`, `xsrf…`,
/// `__RequestVerificationToken`): sent to every visitor in the page, so
/// not a credential.
fn anti_forgery(line: &[u8]) -> bool {
    let lower = line.to_ascii_lowercase();
    [
        &b"csrf"[..],
        b"xsrf",
        b"authenticity_token",
        b"requestverificationtoken",
        b"antiforgery",
    ]
    .iter()
    .any(|w| memchr::memmem::find(&lower, w).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elided_values() {
        assert!(elided(b"ops_eyJzaWdu", b"...\n"));
        assert!(elided(b"ops_eyJzaWdu", "\u{2026}\"".as_bytes()));
        assert!(elided(b"ops_eyJzaWdu...", b"\n"));
        assert!(!elided(b"ops_eyJzaWdu", b".."));
        assert!(!elided(b"ops_eyJzaWdu", b"\"\n"));
        // Cut in the middle, in a README's example.
        assert!(elided(b"99ae8af...snip...ec0f262ac", b"\""));
        assert!(elided("99ae8af\u{2026}ec0f262ac".as_bytes(), b"\""));
        assert!(!elided(b"99ae8af..ec0f262ac", b"\""));
    }

    #[test]
    fn escaped_binary_and_printf_slots() {
        assert!(escaped_binary(br"\a\x82\xb5\x18\x033.0\"));
        assert!(escaped_binary(br"9\x9a\x1e4\n"));
        assert!(!escaped_binary(br"Zx9\x41Qw8\x42"));
        assert!(!escaped_binary(br"Zx9\nQw8\tEr7"));
        assert!(!escaped_binary(br"Zx9\aQw8"));
        assert!(printf_led(b"%s"));
        assert!(printf_led(b"%s%n%nThis"));
        assert!(printf_led(b"%-8d,"));
        assert!(!printf_led(b"%sk9Zq2Lw"));
        assert!(!printf_led(b"%Zx9Qw8"));
        assert!(!printf_led(b"Zx9%s"));
    }

    #[test]
    fn uniform_resource_names() {
        assert!(generic_misfit(
            b"urn:uuid:a515cfa4-5da4-22e1-f5b5-00a0451e6bf7",
            b""
        ));
        assert!(generic_misfit(b"URN:ISBN:0451450523", b""));
        assert!(!generic_misfit(b"urnQw8Er7Ty6Ui5Op4As3", b""));
        assert!(!generic_misfit(b"urn:", b""));
    }

    #[test]
    fn generic_misfits() {
        // A UUID with a variant digit of 3, and valid ones (RFC, Microsoft).
        assert!(generic_misfit(b"52acf265-3fc6-4ecd-304a-15940bd04653", b""));
        assert!(generic_misfit(b"52acf265-3fc6-4ecd-f04a-15940bd04653", b""));
        assert!(!generic_misfit(
            b"52acf265-3fc6-4ecd-b04a-15940bd04653",
            b""
        ));
        assert!(!generic_misfit(
            b"52acf265-3fc6-4ecd-d04a-15940bd04653",
            b""
        ));
        // One digit short in the last group, with or without a prefix.
        assert!(generic_misfit(
            b"sk_0b9b5db6-fabc-49d0-b68f-13343bb4f70",
            b""
        ));
        assert!(generic_misfit(b"0b9b5db6-fabc-49d0-b68f-13343bb4f70", b""));
        assert!(!generic_misfit(
            b"sk_0b9b5db6-fabc-49d0-b68f-13343bb4f70a",
            b""
        ));
        // Not UUID-like: left to the other checks.
        assert!(!generic_misfit(b"a0b9b5db6-fabc-49d0-b68f-13343bb4f7", b""));
        assert!(!generic_misfit(b"fabc-49d0-b68f-13343bb4f70", b""));
        assert!(!generic_misfit(
            b"0b9b5db6-fabc-49d0-b68f-13343bb4f70zz",
            b""
        ));
        // A `?` inside or at either end: no token alphabet has one.
        assert!(token_misfit(b"Qw8Er7Ty6Ui5?Op4As3Df2Gh1"));
        assert!(token_misfit(b"?Qw8Er7Ty6Ui5Op4As3D="));
        assert!(!token_misfit(b"Qw8Er7Ty6Ui5-Op4As3Df2Gh1"));
        // Other characters outside every token alphabet, anywhere.
        for v in [
            &b"diolccw4v0tue4lu7l7kmnnb4ao8z25ezink305l95D3gSD%c^"[..],
            b"WAgP6m4gYc1qe$HnjWAAF5HBKL%i6kwrsbD",
            b"Qh6DP6Zf7vHtm@DDsbS219qcz4d883Y9",
            b"mQ1yoFjk5JLlxbzRUzKTA6vsfR8wq,6TNc83rtNKlkD092Sj1c",
            b"#Qw8Er7Ty6Ui5Op4As3D",
            b"Qw8Er7Ty6Ui5Op4As3D;",
        ] {
            assert!(token_misfit(v), "{}", String::from_utf8_lossy(v));
        }
        // Escapes, padding, base64, queries and bracketed ids stay.
        for v in [
            &b"WAgP6m4gYc1qe%HnjWAAF5HBKL%i6kwrsbD"[..],
            b"Qw8Er7Ty6Ui5+Op4/As3Df2Gh1==",
            b"4nXYKv]mHDeom5esert30Ea7]4QEfMg6",
            b"id=Qw8Er7Ty6Ui5&key=Op4As3Df2Gh1:x.y",
            b"sha256~Qw8Er7Ty6Ui5Op4As3Df2Gh1",
            b"Qw8Er7Q~Ty6Ui5Op4As3Df2Gh1Zx9",
        ] {
            assert!(!token_misfit(v), "{}", String::from_utf8_lossy(v));
        }
        // A query of plain settings; one with a signature is left to the
        // other checks, as is a base64 value with `=` padding.
        assert!(generic_misfit(
            b"st=2026-01-04T07:24:52Z&se=2026-02-04T15:24:52Z&spr=https&sr=c",
            b""
        ));
        assert!(!generic_misfit(
            b"st=2026-01-04T07:24:52Z&se=2026-02-04T15:24:52Z&sig=Qw8Er7Ty6Ui5",
            b""
        ));
        assert!(!generic_misfit(b"a=1&b=2", b""));
        assert!(!generic_misfit(b"Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk==", b""));
        // Anti-forgery tokens in a form.
        let line =
            b"<input type=\"hidden\" name=\"authenticity_token\" value=\"kq7RvW2mXn9TzL4b\" />";
        assert!(generic_misfit(b"kq7RvW2mXn9TzL4b", line));
        assert!(generic_misfit(
            b"kq7RvW2mXn9TzL4b",
            b"CSRF_TOKEN = 'kq7RvW2mXn9TzL4b'"
        ));
        // keepmum:allow-next-line (a synthetic value in a test)
        let api = b"API_TOKEN = 'kq7RvW2mXn9TzL4b'";
        assert!(!generic_misfit(b"kq7RvW2mXn9TzL4b", api));
    }

    #[test]
    fn escaped_control_bytes() {
        assert!(escaped_control(b"c%3A%01%40%2F%5C%3F%23%25d"));
        assert!(escaped_control(b"Qw8Er%1f7Ty6"));
        assert!(escaped_control(b"Qw8Er%7F7Ty6"));
        assert!(!escaped_control(b"Qw8Er%2B7Ty6%3D"));
        assert!(!escaped_control(b"Qw8Er%7"));
        assert!(!escaped_control(b"%"));
    }

    #[test]
    fn anonymous_logins() {
        let before = b"server->user = \"anonymous\";\nserver->password = \"";
        assert!(anonymous_login(b"busybox@", before));
        assert!(anonymous_login(b"-wget@", b"user='anonymous', passwd='"));
        // Another user, or a password that is no ident: kept.
        assert!(!anonymous_login(
            b"busybox@",
            b"user = \"admin\"; password = \""
        ));
        assert!(!anonymous_login(b"Kq7!RvW2mXn9", before));
        assert!(!anonymous_login(b"Kq7RvW2@mXn9", before));
        // The user named too far up does not count.
        let far = b"user = \"anonymous\"\n\n\n\n\npassword = \"";
        assert!(!anonymous_login(b"busybox@", far));
        assert!(!anonymous_login(b"@", b""));
    }

    #[test]
    fn escaped_samples() {
        assert!(escaped_sample(b"foo(b%5Dc"));
        assert!(escaped_sample(b"foo%20bar"));
        // Not escaped: left to the other checks.
        assert!(!escaped_sample(b"foo(b]c"));
        // Escaped, but random once decoded.
        assert!(!escaped_sample(b"Kq7%21RvW2mXn9Tz"));
        // A stray `%` is no escape.
        assert!(!escaped_sample(b"foo%zz"));
        assert!(!escaped_sample(b"%"));
        assert!(!escaped_sample(b"%4"));
    }

    #[test]
    fn never_panics_on_odd_input() {
        for v in [
            &b""[..],
            b"-",
            b"\xff\xfe",
            &[0u8; 40],
            &[b'-'; 36],
            &[b'a'; 400],
        ] {
            let _ = generic_misfit(v, v);
            let _ = elided(v, v);
            let _ = escaped_sample(v);
        }
    }
}
