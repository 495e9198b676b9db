//! Unit tests for `validators::pii` (kept in a `tests/` folder so the
//! repository's self-scan can skip their synthetic secrets).

use super::*;
use proptest::prelude::*;

fn cx(line: &[u8], secret: &[u8]) -> (usize, Vec<u8>) {
    let start = memchr::memmem::find(line, secret).unwrap_or(0);
    (start, line.to_vec())
}

/// Runs `f` on `secret` as found inside `line`.
fn run(f: fn(&[u8], &Context<'_>) -> Verdict, line: &str, secret: &str) -> Verdict {
    let (start, line) = cx(line.as_bytes(), secret.as_bytes());
    let c = Context {
        line: &line,
        secret_start: start,
        matched: secret.as_bytes(),
        ..Default::default()
    };
    f(secret.as_bytes(), &c)
}

fn alone(f: fn(&[u8], &Context<'_>) -> Verdict, s: &str) -> Verdict {
    run(f, s, s)
}

/// `s` inside a neutral line of text.
fn in_line(f: fn(&[u8], &Context<'_>) -> Verdict, s: &str) -> Verdict {
    run(f, &format!("ref {s} ok"), s)
}

/// Appends the Luhn check digit to `body`.
fn with_luhn(body: &str) -> String {
    for c in 0..10u8 {
        let s = format!("{body}{c}");
        if luhn_valid(&digits_of(s.as_bytes())) {
            return s;
        }
    }
    unreachable!()
}

#[test]
fn luhn_known_values() {
    assert!(luhn_valid(&digits_of(b"79927398713")));
    assert!(!luhn_valid(&digits_of(b"79927398710")));
    assert!(!luhn_valid(&[]));
}

#[test]
fn cards_accept_valid_brands() {
    for body in [
        "453201511283036", // Visa
        "552034981726354", // Mastercard
        "222174839201736", // Mastercard 2-series
        "601147382910564", // Discover
        "353048291047382", // JCB
        "621483920174635", // UnionPay
    ] {
        let n = with_luhn(body);
        assert_eq!(in_line(card, &n), Verdict::Accept, "{n}");
    }
    let amex = with_luhn("37829163548201");
    assert_eq!(in_line(card, &amex), Verdict::Accept);
    let diners = with_luhn("3056193847261");
    assert_eq!(in_line(card, &diners), Verdict::Accept);
}

#[test]
fn cards_with_separators() {
    let n = with_luhn("453201511283036");
    let spaced = format!("{} {} {} {}", &n[..4], &n[4..8], &n[8..12], &n[12..]);
    let dashed = spaced.replace(' ', "-");
    assert_eq!(in_line(card, &spaced), Verdict::Accept);
    assert_eq!(in_line(card, &dashed), Verdict::Accept);
    let mixed = format!("{} {}-{} {}", &n[..4], &n[4..8], &n[8..12], &n[12..]);
    assert_eq!(in_line(card, &mixed), Verdict::Reject);
    let odd = format!("{} {} {}", &n[..2], &n[2..9], &n[9..]);
    assert_eq!(in_line(card, &odd), Verdict::Reject);
    let amex = with_luhn("37829163548201");
    let amex_g = format!("{} {} {}", &amex[..4], &amex[4..10], &amex[10..]);
    assert_eq!(in_line(card, &amex_g), Verdict::Accept);
}

#[test]
fn cards_reject_bad_numbers() {
    let n = with_luhn("453201511283036");
    let mut bad = n.clone().into_bytes();
    bad[15] = if bad[15] == b'9' { b'0' } else { bad[15] + 1 };
    assert_eq!(
        card(
            &bad,
            &Context {
                line: &bad,
                secret_start: 0,
                matched: &bad,
                ..Default::default()
            }
        ),
        Verdict::Reject
    );
    // Unknown IIN (starts with 9), wrong brand length (Amex with 16).
    assert_eq!(
        in_line(card, &with_luhn("912345678901234")),
        Verdict::Reject
    );
    assert_eq!(
        in_line(card, &with_luhn("371449635398431")),
        Verdict::Reject
    );
    // Bare numbers in a numeric table or alone on a line.
    assert_eq!(run(card, &format!("  {n},"), &n), Verdict::Reject);
    assert_eq!(
        run(card, &format!("f({n}, 767, 1234567)"), &n),
        Verdict::Reject
    );
    assert_eq!(run(card, &format!("card: {n}"), &n), Verdict::Accept);
    // Glued to a decimal or identifier.
    assert_eq!(run(card, &format!("0.{n}"), &n), Verdict::Reject);
    assert_eq!(run(card, &format!("id_{n}"), &n), Verdict::Reject);
}

#[test]
fn test_cards_are_low_confidence() {
    for n in [
        "4111111111111111",
        "4242424242424242",
        "5555555555554444",
        "378282246310005",
        "4111 1111 1111 1111",
    ] {
        assert_eq!(
            in_line(card, n),
            Verdict::AcceptWith(Confidence::Low),
            "{n}"
        );
    }
}

#[test]
fn ssn_rules() {
    assert_eq!(alone(ssn, "536-22-1234"), Verdict::Accept);
    assert_eq!(run(ssn, "ssn: 536221234", "536221234"), Verdict::Accept);
    assert_eq!(
        run(ssn, "Social Security 536 22 1234", "536 22 1234"),
        Verdict::Accept
    );
    assert_eq!(run(ssn, "order 536221234", "536221234"), Verdict::Reject);
    assert_eq!(run(ssn, "x 536 22 1234", "536 22 1234"), Verdict::Reject);
    for bad in [
        "000-22-1234",
        "666-22-1234",
        "900-22-1234",
        "999-22-1234",
        "536-00-1234",
        "536-22-0000",
        "078-05-1120",
        "219-09-9999",
        "123-45-6789",
        "111-11-1111",
        "111-22-3333",
        "536-221-234",
    ] {
        assert_eq!(alone(ssn, bad), Verdict::Reject, "{bad}");
    }
    assert_eq!(run(ssn, "v1-536-22-1234", "536-22-1234"), Verdict::Reject);
}

/// Builds a valid IBAN from a country and BBAN by computing check digits.
fn make_iban(country: &str, bban: &str) -> String {
    let probe = format!("{country}00{bban}");
    let r = iban_mod97(probe.as_bytes()).unwrap_or(0);
    format!("{country}{:02}{bban}", 98 - r)
}

#[test]
fn iban_rules() {
    let de = make_iban("DE", "370400440532013000");
    assert_eq!(alone(iban, &de), Verdict::Accept);
    let gb = make_iban("GB", "WEST12345698765432");
    assert_eq!(alone(iban, &gb), Verdict::Accept);
    let grouped: Vec<String> = gb
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    assert_eq!(alone(iban, &grouped.join(" ")), Verdict::Accept);
    // In a source comment: a documented format, not an account.
    let spaced = grouped.join(" ");
    assert_eq!(
        run(iban, &format!("        // e.g. {spaced}"), &spaced),
        Verdict::Reject
    );
    assert_eq!(
        run(iban, &format!("payout_iban = \"{spaced}\""), &spaced),
        Verdict::Accept
    );
    // Wrong check digits, wrong length, unknown country, bad grouping.
    let mut bad = de.clone().into_bytes();
    bad[2] = if bad[2] == b'9' { b'0' } else { bad[2] + 1 };
    assert_eq!(
        iban(
            &bad,
            &Context {
                line: &bad,
                secret_start: 0,
                matched: &bad,
                ..Default::default()
            }
        ),
        Verdict::Reject
    );
    assert_eq!(
        alone(iban, &make_iban("DE", "3704004405320130001")),
        Verdict::Reject
    );
    assert_eq!(
        alone(iban, &make_iban("ZZ", "370400440532013000")),
        Verdict::Reject
    );
    assert_eq!(
        alone(iban, &format!("{} {}", &de[..6], &de[6..])),
        Verdict::Reject
    );
    assert_eq!(
        alone(iban, &make_iban("DE", "000000000000000000")),
        Verdict::Reject
    );
}

#[test]
fn nhs_rules() {
    assert!(nhs_check_valid(&digits_of(b"9434765919")));
    assert!(!nhs_check_valid(&digits_of(b"9434765918")));
    assert_eq!(alone(nhs, "943 476 5919"), Verdict::Accept);
    assert_eq!(
        run(nhs, "NHS number: 9434765919", "9434765919"),
        Verdict::Accept
    );
    assert_eq!(
        run(nhs, "nhs_no=943-476-5919", "943-476-5919"),
        Verdict::Accept
    );
    assert_eq!(
        alone(nhs, "943-476-5919"),
        Verdict::AcceptWith(Confidence::Low)
    );
    assert_eq!(run(nhs, "id 9434765919", "9434765919"), Verdict::Reject);
    assert_eq!(
        run(nhs, "phone: 943-476-5919", "943-476-5919"),
        Verdict::Reject
    );
    assert_eq!(alone(nhs, "943 476 5918"), Verdict::Reject);
    assert_eq!(alone(nhs, "943 476-5919"), Verdict::Reject);
}

#[test]
fn phone_rules() {
    // A subscriber number counted up or down is sample data.
    for (line, number) in [
        ("telephoneNumber: +46 555-123456", "+46 555-123456"),
        ("telephoneNumber: +46 555-654321", "+46 555-654321"),
    ] {
        assert_eq!(run(phone, line, number), Verdict::Reject, "{line}");
    }
    assert_eq!(
        run(phone, "telephoneNumber: +46 555-123465", "+46 555-123465"),
        Verdict::Accept
    );
    assert_eq!(
        run(phone, "phone: +44 20 7946 0958", "+44 20 7946 0958"),
        Verdict::Accept
    );
    assert_eq!(
        run(phone, "Tel (415) 273-0132", "(415) 273-0132"),
        Verdict::Accept
    );
    assert_eq!(
        run(phone, "mobile=415.273.0132", "415.273.0132"),
        Verdict::Accept
    );
    assert_eq!(
        run(phone, "cellNo 4152730132", "4152730132"),
        Verdict::Accept
    );
    assert_eq!(
        run(phone, "ND_IOCTL_CALL: u32 = 3221508353", "3221508353"),
        Verdict::Reject
    );
    assert_eq!(
        run(phone, "x,+1 415 273 0132,y", "+1 415 273 0132"),
        Verdict::AcceptWith(Confidence::Low)
    );
    // No context, a date, an IP, a version, a long id, N11.
    assert_eq!(
        run(phone, "total 415-273-0132", "415-273-0132"),
        Verdict::Reject
    );
    assert_eq!(
        run(phone, "call at 2024-01-15", "2024-01-15"),
        Verdict::Reject
    );
    assert_eq!(
        run(phone, "contact 192.168.100.200", "192.168.100.200"),
        Verdict::Reject
    );
    assert_eq!(
        run(phone, "phone id 41555501321234", "41555501321234"),
        Verdict::Reject
    );
    assert_eq!(
        run(phone, "phone 411-555-0132", "411-555-0132"),
        Verdict::Reject
    );
    assert_eq!(
        run(phone, "phone v1.415.555.0132", "415.555.0132"),
        Verdict::Reject
    ); // The fictional 555 exchange, in any form; numbers in source comments.
    for (line, number) in [
        ("phone: (608) 555-1023", "(608) 555-1023"),
        ("'Madison', '6085551023'); -- phone", "6085551023"),
        ("such as tel:+14155550123 or", "+14155550123"),
        ("phone +1.650.555.1212", "+1.650.555.1212"),
    ] {
        assert_eq!(run(phone, line, number), Verdict::Reject, "{line}");
    }
    assert_eq!(
        run(
            phone,
            "//  as \"+1 (650) 253-0000 ext. 123\"",
            "+1 (650) 253-0000"
        ),
        Verdict::Reject
    );
    assert_eq!(
        run(phone, "phone: (608) 273-1023", "(608) 273-1023"),
        Verdict::Accept
    );
}

#[test]
fn email_rules() {
    for ok in [
        "jane.roe@acme-corp.com",
        "r.smith+news@mail.co.uk",
        "k_lee@startup.io",
        "m.weber@acmecorp.de",
    ] {
        assert_eq!(alone(email, ok), Verdict::Accept, "{ok}");
    }
    for bad in [
        "src@gmail.com",
        "recipient@mail.co.uk",
        "someone@example.com",
        "a.b@mail.example.org",
        "dev@example.net",
        "jane@acme.example",
        "jane@host.test",
        "jane@host.invalid",
        "jane@box.localhost",
        "jane@localhost",
        "icon@2x.png",
        "logo@3x.webp",
        "noreply@acme-corp.com",
        "user@gmail.com",
        "x@bundle.js",
        "12345678901@acme-corp.com",
        "support@acme-corp.com",
        "security+reports@acme-corp.com",
        "a@b.com",
        "my-project-id@appspot.gserviceaccount.com",
        "svc@proj-1.iam.gserviceaccount.com",
        "your-client@provider.com",
        "keepalive@terraform.io",
        "one@one.org",
        "Test@test.io",
    ] {
        assert_eq!(alone(email, bad), Verdict::Reject, "{bad}");
    }
    // Package metadata and git identities written in code.
    for (line, addr) in [
        ("__email__ = \"k.lee@startup.io\"", "k.lee@startup.io"),
        ("__contact__ = 'k.lee@startup.io'", "k.lee@startup.io"),
        ("setup(author_email='k.lee@startup.io')", "k.lee@startup.io"),
        (
            "[\"git\", \"config\", \"user.email\", \"k.lee@startup.io\"],",
            "k.lee@startup.io",
        ),
    ] {
        assert_eq!(run(email, line, addr), Verdict::Reject, "{line}");
    }
    assert_eq!(
        run(email, "git@github.com:org/repo.git", "git@github.com"),
        Verdict::Reject
    );
    assert_eq!(
        run(
            email,
            "deploy@build.acme-corp.com:/srv",
            "deploy@build.acme-corp.com"
        ),
        Verdict::Reject
    );
    assert_eq!(
        run(
            email,
            "https://bob:pw@db.acme-corp.com/x",
            "pw@db.acme-corp.com"
        ),
        Verdict::Reject
    );
    assert_eq!(
        run(email, "mailto:bob@acme-corp.com", "bob@acme-corp.com"),
        Verdict::Accept
    );
    assert_eq!(
        run(email, "Contact: bob@acme-corp.com.", "bob@acme-corp.com"),
        Verdict::Accept
    );
    // Attribution is public; email headers are not.
    for line in [
        "authors = [\"Bob Li <bob@acme-corp.com>\"]",
        "Copyright 2020 bob@acme-corp.com",
        "  Bob Li (bob@acme-corp.com)",
        " -- Bob Li <bob@acme-corp.com>  Mon, 01 Jan 2024",
    ] {
        assert_eq!(
            run(email, line, "bob@acme-corp.com"),
            Verdict::Reject,
            "{line}"
        );
    }
    assert_eq!(
        run(
            email,
            "From: Bob Li <bob@acme-corp.com>",
            "bob@acme-corp.com"
        ),
        Verdict::Accept
    );
}

proptest! {
    #[test]
    fn luhn_single_digit_change_is_invalid(body in "[0-9]{12,18}", pos in 0usize..19, delta in 1u8..10) {
        let n = with_luhn(&body);
        let mut d = digits_of(n.as_bytes());
        prop_assert!(luhn_valid(&d));
        let i = pos % d.len();
        d[i] = (d[i] + delta) % 10;
        prop_assert!(!luhn_valid(&d));
    }

    #[test]
    fn built_ibans_validate_and_swaps_do_not(bban in "[0-9]{18}", i in 0usize..17) {
        let s = make_iban("DE", &bban);
        prop_assert_eq!(iban_mod97(s.as_bytes()), Some(1));
        let mut b = s.clone().into_bytes();
        let j = 4 + i;
        prop_assume!(b[j] != b[j + 1]);
        b.swap(j, j + 1);
        prop_assert_ne!(iban_mod97(&b), Some(1));
    }

    #[test]
    fn nhs_single_digit_change_is_invalid(body in "[0-9]{9}", pos in 0usize..10, delta in 1u8..10) {
        let mut d = digits_of(body.as_bytes());
        let sum: u32 = d.iter().enumerate().map(|(i, &x)| u32::from(x) * (10 - i as u32)).sum();
        let check = (11 - sum % 11) % 11;
        prop_assume!(check != 10);
        d.push(check as u8);
        prop_assert!(nhs_check_valid(&d));
        d[pos] = (d[pos] + delta) % 10;
        prop_assert!(!nhs_check_valid(&d));
    }

    #[test]
    fn validators_never_panic(s in proptest::collection::vec(any::<u8>(), 0..64),
                              line in proptest::collection::vec(any::<u8>(), 0..96),
                              start in 0usize..200) {
        let c = Context { line: &line, secret_start: start, matched: &s, ..Default::default() };
        for f in [card, ssn, iban, nhs, phone, email] {
            let _ = f(&s, &c);
        }
    }
}

#[test]
fn contains_ci_matches_the_naive_search() {
    let naive = |hay: &[u8], needle: &[u8]| {
        needle.is_empty()
            || hay
                .windows(needle.len())
                .any(|w| w.eq_ignore_ascii_case(needle))
    };
    let hays: [&[u8]; 6] = [
        b"",
        b"c",
        b"Copyright (C) 2020 Jane",
        b"xx AUTHOR: a@b.example",
        b"\xc2\xa9 2021",
        b"ccccopyrigh",
    ];
    let needles: [&[u8]; 6] = [b"", b"c", b"copyright", b"(c)", b"\xc2\xa9", b"author"];
    for hay in hays {
        for needle in needles {
            assert_eq!(
                contains_ci(hay, needle),
                naive(hay, needle),
                "{hay:?} {needle:?}"
            );
        }
    }
}

/// The word list `has_word` matched against before it streamed: every
/// lowercase word, split at non-letters and camelCase humps.
fn words_reference(line: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut cur: Vec<u8> = Vec::new();
    let mut prev_lower = false;
    for &b in line {
        if b.is_ascii_alphabetic() {
            if b.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = b.is_ascii_lowercase();
            cur.push(b.to_ascii_lowercase());
        } else {
            prev_lower = false;
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[test]
fn has_word_splits_at_humps_and_non_letters() {
    for (line, want) in [
        ("call me", true),
        ("recall me", false),
        ("myPhoneNumber", true),
        ("MYPHONE", false),
        ("PHONE: 1", true),
        ("phone_number", true),
        ("telephones", false),
        ("Cell", true),
        ("xCell", true),
        ("cc_number", false),
    ] {
        let got = has_word(line.as_bytes(), &["phone", "call", "cell", "cc_number"]);
        assert_eq!(got, want, "{line}");
    }
}

proptest! {
    #[test]
    fn has_word_decides_as_the_word_list(
        line in proptest::collection::vec(
            prop_oneof![
                Just(b'a'), Just(b'L'), Just(b'l'), Just(b'C'), Just(b'c'), Just(b'e'),
                Just(b'E'), Just(b' '), Just(b'_'), Just(b'1'), Just(0xc3u8),
            ],
            0..40,
        )
    ) {
        let wanted = ["call", "cell", "cc", "a", "lace", "ell"];
        let reference = words_reference(&line)
            .iter()
            .any(|w| wanted.iter().any(|x| w.as_slice() == x.as_bytes()));
        prop_assert_eq!(has_word(&line, &wanted), reference);
    }
}

/// `phone` as it was before its shape checks stopped allocating (the
/// reference of the property below).
fn phone_reference(s: &[u8], cx: &Context<'_>) -> Verdict {
    if glued(cx, s.len()) {
        return Verdict::Reject;
    }
    // Counted first, then kept on the stack: most digit runs are not
    // phone-sized.
    let n = s.iter().filter(|b| b.is_ascii_digit()).count();
    if !(8..=15).contains(&n) {
        return Verdict::Reject;
    }
    let mut kept = [0u8; 15];
    for (d, b) in kept.iter_mut().zip(s.iter().filter(|b| b.is_ascii_digit())) {
        *d = b - b'0';
    }
    let digits = &kept[..n];
    if digits.iter().all(|&d| d == digits[0]) {
        return Verdict::Reject;
    }
    let tail = &digits[n - 6..];
    if tail.windows(2).all(|w| w[1] == w[0] + 1) || tail.windows(2).all(|w| w[0] == w[1] + 1) {
        return Verdict::Reject;
    }
    let intl = s.first() == Some(&b'+');
    let body: Vec<u8> = s
        .iter()
        .copied()
        .filter(|b| !matches!(b, b'(' | b')' | b'+'))
        .collect();
    // Separators between digit groups: space, dot or dash, one kind.
    let seps: Vec<u8> = body
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_digit())
        .collect();
    if body
        .windows(2)
        .any(|w| !w[0].is_ascii_digit() && !w[1].is_ascii_digit())
    {
        return Verdict::Reject;
    }
    let kinds = {
        let mut k: Vec<u8> = seps.clone();
        k.sort_unstable();
        k.dedup();
        k
    };
    if kinds.len() > 1
        && !(kinds.len() == 2 && kinds.contains(&b' ') && (intl || s.contains(&b'(')))
    {
        return Verdict::Reject;
    }
    let groups = group_lengths(&body);
    // Dotted quads and versions: `192.168.1.10`, `1.2.3.4567`.
    if kinds == [b'.'] && groups.len() >= 4 && groups.iter().all(|&g| g <= 3) {
        return Verdict::Reject;
    }
    // Dates: a group that reads as a year next to month/day-sized groups.
    let looks_like_date = groups.len() == 3
        && !kinds.contains(&b' ')
        && ((groups[0] == 4 && groups[1] <= 2 && groups[2] <= 2)
            || (groups[0] <= 2 && groups[1] <= 2 && groups[2] == 4));
    if looks_like_date {
        return Verdict::Reject;
    }
    if intl {
        if digits[0] == 0 {
            return Verdict::Reject;
        }
        // `+1 555 …`: North American numbers in the fictional 555 exchange.
        if n == 11 && digits[0] == 1 && digits[4..7] == [5, 5, 5] {
            return Verdict::Reject;
        }
    } else {
        // NANP: [1] NXX NXX XXXX.
        let d: &[u8] = if n == 11 && digits[0] == 1 {
            &digits[1..]
        } else {
            digits
        };
        if d.len() != 10 || d[0] < 2 || d[3] < 2 {
            return Verdict::Reject;
        }
        // N11 service codes are not area codes.
        if d[1] == 1 && d[2] == 1 {
            return Verdict::Reject;
        }
        // The 555 exchange is for fiction and documentation.
        if d[3..6] == [5, 5, 5] {
            return Verdict::Reject;
        }
        // A bare ten-digit run is an id more often than a phone number.
        if groups.len() == 1 && !s.contains(&b'(') && !has_word(cx.line, STRONG_PHONE_WORDS) {
            return Verdict::Reject;
        }
    }
    // Numbers in source comments are documentation (format examples,
    // a vendor's published switchboard).
    if source_comment(cx.line) {
        return Verdict::Reject;
    }
    if has_word(cx.line, PHONE_WORDS) || contains_ci(cx.line, b"tel:") {
        return Verdict::Accept;
    }
    if intl && groups.len() >= 3 && (10..=15).contains(&n) {
        return Verdict::AcceptWith(Confidence::Low);
    }
    Verdict::Reject
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn phone_decides_as_its_allocating_reference(
        s in proptest::collection::vec(
            prop_oneof![
                8 => b'0'..=b'9',
                1 => Just(b' '),
                1 => Just(b'.'),
                1 => Just(b'-'),
                1 => Just(b'('),
                1 => Just(b')'),
                1 => Just(b'+'),
                1 => Just(b'/'),
                1 => Just(b'x'),
            ],
            0..24,
        ),
        before in "(phone|call|// |ref|tel:)? ?",
        after in " ?(mobile|ok)?",
    ) {
        let line = [before.as_bytes(), &s, after.as_bytes()].concat();
        let c = Context { line: &line, secret_start: before.len(), matched: &s, ..Default::default() };
        prop_assert_eq!(phone(&s, &c), phone_reference(&s, &c));
    }
}

proptest! {
    /// The engine's word memo answers as `has_word` on each window, over
    /// windows that slide along a line, jump back and jump ahead, whatever
    /// the words they cut at either end.
    #[test]
    fn word_memo_decides_as_has_word(
        hay in proptest::collection::vec(
            prop_oneof![
                Just(b'a'), Just(b'L'), Just(b'l'), Just(b'C'), Just(b'c'), Just(b'e'),
                Just(b'E'), Just(b' '), Just(b'_'), Just(b'1'), Just(b'\n'), Just(0xc3u8),
            ],
            0..200,
        ),
        windows in proptest::collection::vec((0usize..220, 0usize..80, any::<bool>()), 1..40),
    ) {
        let wanted = ["call", "cell", "cc", "a", "lace", "ell"];
        let memo = WordMemo::new(&hay);
        let mut last = 0usize;
        for (at, len, slide) in windows {
            // Mostly windows that start at or after the last one.
            let a = if slide { last + at % 16 } else { at }.min(hay.len());
            let b = (a + len).min(hay.len());
            last = a;
            let line = &hay[a..b];
            let cx = Context { line, words: Some(&memo), line_start: a, ..Default::default() };
            for (list, words) in [(WordList::Phone, &wanted[..]), (WordList::Card, &wanted[1..3])] {
                prop_assert_eq!(
                    cx_has_word(&cx, list, words),
                    has_word(line, words),
                    "{:?} {}..{}", String::from_utf8_lossy(&hay), a, b
                );
            }
        }
    }
}

proptest! {
    /// The same over long runs of letters (words cut at 64 bytes).
    #[test]
    fn word_memo_decides_as_has_word_on_long_runs(
        hay in proptest::collection::vec(
            prop_oneof![
                20 => Just(b'l'), 20 => Just(b'c'), 20 => Just(b'a'), 10 => Just(b'C'),
                10 => Just(b'e'), 1 => Just(b' '),
            ],
            0..400,
        ),
        windows in proptest::collection::vec((0usize..420, 0usize..200, any::<bool>()), 1..20),
    ) {
        let wanted = ["call", "cc", "lace", "ell"];
        let memo = WordMemo::new(&hay);
        let mut last = 0usize;
        for (at, len, slide) in windows {
            let a = if slide { last + at % 64 } else { at }.min(hay.len());
            let b = (a + len).min(hay.len());
            last = a;
            let line = &hay[a..b];
            let cx = Context { line, words: Some(&memo), line_start: a, ..Default::default() };
            prop_assert_eq!(
                cx_has_word(&cx, WordList::Phone, &wanted),
                has_word(line, &wanted),
                "{:?} {}..{}", String::from_utf8_lossy(&hay), a, b
            );
        }
    }
}

/// `tld_ok` as it was: a linear search of the lowercase ending.
fn tld_ok_reference(tld: &[u8]) -> bool {
    let Ok(tld) = std::str::from_utf8(tld) else {
        // (`email` rejects text that is not UTF-8 before asking.)
        return tld.len() >= 4 && tld[..4].eq_ignore_ascii_case(b"xn--");
    };
    let tld = tld.to_ascii_lowercase();
    if tld.starts_with("xn--") {
        return true;
    }
    if !tld.bytes().all(|b| b.is_ascii_lowercase()) {
        return false;
    }
    if tld.len() == 2 {
        return !NOT_CCTLDS.contains(&tld.as_str());
    }
    GTLDS.contains(&tld.as_str())
}

#[test]
fn tld_ok_knows_every_listed_ending_in_any_case() {
    for &t in GTLDS.iter().chain(NOT_CCTLDS) {
        assert_eq!(tld_ok(t.as_bytes()), tld_ok_reference(t.as_bytes()), "{t}");
        let upper = t.to_ascii_uppercase();
        assert_eq!(
            tld_ok(upper.as_bytes()),
            tld_ok_reference(t.as_bytes()),
            "{upper}"
        );
    }
    for t in ["com", "IO", "Org", "xn--p1ai", "XN--P1AI", "de"] {
        assert!(tld_ok(t.as_bytes()), "{t}");
    }
    for t in ["invalid", "test", "js", "", "c0m", "toolongtobeanytld"] {
        assert!(!tld_ok(t.as_bytes()), "{t}");
    }
    // An unknown ending is rejected before anything else is looked at.
    assert_eq!(alone(email, "jane.roe@acme-corp.invalid"), Verdict::Reject);
    assert_eq!(alone(email, "jane.roe@ACME-CORP.COM"), Verdict::Accept);
}

proptest! {
    /// The binary search answers as the linear one did, on endings made of
    /// listed names' letters in any case, and on any bytes.
    #[test]
    fn tld_ok_answers_as_the_linear_search(
        letters in "[a-zA-Z-]{0,12}",
        listed in 0usize..200,
        upper in any::<bool>(),
        bytes in proptest::collection::vec(any::<u8>(), 0..20),
    ) {
        prop_assert_eq!(tld_ok(letters.as_bytes()), tld_ok_reference(letters.as_bytes()));
        prop_assert_eq!(tld_ok(&bytes), tld_ok_reference(&bytes));
        if let Some(t) = GTLDS.get(listed) {
            let t = if upper { t.to_ascii_uppercase() } else { t.to_string() };
            prop_assert!(tld_ok(t.as_bytes()));
        }
    }
}

/// `card_number` as it was written before its one-pass form: the
/// separators checked first, the digits and groups gathered, then each
/// prefix, the brand's lengths and Luhn computed on their own.
fn card_number_reference(s: &[u8]) -> Option<(Vec<u8>, usize)> {
    if !consistent_separators(s, b" -") {
        return None;
    }
    let digits = digits_of(s);
    let groups = group_lengths(s);
    if digits.len() > 19 || groups.len() > 8 {
        return None;
    }
    if groups.len() > 1 {
        let fours = groups.len() >= 4
            && groups[..groups.len() - 1].iter().all(|&g| g == 4)
            && (1..=4).contains(&groups[groups.len() - 1]);
        let amex_like =
            groups.len() == 3 && groups[0] == 4 && groups[1] == 6 && (4..=5).contains(&groups[2]);
        if !(fours || amex_like) {
            return None;
        }
    }
    let prefix = |n: usize| {
        digits
            .iter()
            .take(n)
            .fold(0u32, |acc, &d| acc * 10 + u32::from(d))
    };
    let (p1, p2, p3, p4, p6) = (prefix(1), prefix(2), prefix(3), prefix(4), prefix(6));
    let lengths: &[usize] = if p1 == 4 {
        &[13, 16, 19]
    } else if (51..=55).contains(&p2) || (2221..=2720).contains(&p4) {
        &[16]
    } else if p2 == 34 || p2 == 37 {
        &[15]
    } else if p4 == 6011
        || (644..=649).contains(&p3)
        || p2 == 65
        || (622_126..=622_925).contains(&p6)
        || (3528..=3589).contains(&p4)
    {
        // Discover, JCB
        &[16, 17, 18, 19]
    } else if (300..=305).contains(&p3) || p2 == 36 || p2 == 38 || p2 == 39 || p4 == 3095 {
        &[14, 15, 16, 17, 18, 19]
    } else if p2 == 62 || p2 == 81 {
        &[16, 17, 18, 19]
    } else if matches!(
        p4,
        5018 | 5020 | 5038 | 5893 | 6304 | 6759 | 6761 | 6762 | 6763
    ) {
        &[13, 14, 15, 16, 17, 18, 19]
    } else {
        return None;
    };
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d) * if i % 2 == 1 { 2 } else { 1 };
            if d > 9 {
                d - 9
            } else {
                d
            }
        })
        .sum();
    if digits.is_empty() || !lengths.contains(&digits.len()) || !sum.is_multiple_of(10) {
        return None;
    }
    Some((digits, groups.len()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn card_number_answers_as_its_reference(
        // Card-like: a brand's first digits, groups of digits, separators
        // (sometimes mixed or other bytes), a Luhn digit made to fit half
        // the time.
        head in "(4|5[1-5]|2[2-7][0-9]{2}|3[4-9]|30[0-5]|6011|6[2-5]|81|5018|6759|[0-9])",
        body in "([0-9]{1,6}[ -]?){0,6}[0-9]{0,4}",
        noise in "[ x.-]?",
        fit in proptest::bool::ANY,
    ) {
        let mut s = format!("{head}{body}{noise}");
        if fit {
            let digits: String = s.chars().filter(char::is_ascii_digit).collect();
            if let Some(last) = (0..10).find(|d| luhn_valid(&digits_of(format!("{digits}{d}").as_bytes()))) {
                s.push_str(&last.to_string());
            }
        }
        let got = card_number(s.as_bytes()).map(|n| (n.digits[..n.len].to_vec(), n.groups));
        prop_assert_eq!(got, card_number_reference(s.as_bytes()), "{:?}", s);
    }
}

#[test]
fn card_number_answers_as_its_reference_on_shapes() {
    for s in [
        "4111 1111 1111 1111",
        "5500-0000-0000-0004",
        "3714 496353 98431",
        "4111-1111 1111-1111",
        "4111111111111111",
        "411111111111111111111",
        "4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1",
        "",
        "-",
        "4222222222222",
        "6011 1111 1111 1117",
    ] {
        let got = card_number(s.as_bytes()).map(|n| (n.digits[..n.len].to_vec(), n.groups));
        assert_eq!(got, card_number_reference(s.as_bytes()), "{s:?}");
    }
}

#[test]
fn nineteen_digit_integers_are_cards_only_with_a_card_word() {
    let n = with_luhn("460453186133766963");
    assert_eq!(n.len(), 19);
    assert_eq!(run(card, &format!("const OFF2 = {n}"), &n), Verdict::Reject);
    assert_eq!(run(card, &format!("card_number: {n}"), &n), Verdict::Accept);
    // Sixteen digits in code stay a card.
    let v = with_luhn("453201511283036");
    assert_eq!(run(card, &format!("const X = {v}"), &v), Verdict::Accept);
}
