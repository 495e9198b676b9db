//! Synthetic secrets, PII and decoys in the formats of real providers.
//!
//! Every value is built at run time from the PRNG, and every fixed prefix is
//! assembled from parts, so this source file holds nothing a secret scanner
//! (ours included) would report.

use crate::rng::{alpha, Rng};
use crate::words;

/// What a planted item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A credential a scanner must report.
    Secret,
    /// Personal data a scanner must report.
    Pii,
    /// Something that looks like a secret or PII but must not be reported.
    Decoy,
}

impl Kind {
    /// The lowercase name used in `labels.json`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Secret => "secret",
            Kind::Pii => "pii",
            Kind::Decoy => "decoy",
        }
    }

    /// Parses [`Kind::as_str`]'s output.
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "secret" => Some(Kind::Secret),
            "pii" => Some(Kind::Pii),
            "decoy" => Some(Kind::Decoy),
            _ => None,
        }
    }
}

/// One planted item: a value and the variable name it is assigned to.
#[derive(Clone, Debug)]
pub struct Plant {
    /// Secret, PII or decoy.
    pub kind: Kind,
    /// The expected rule family (`github`, `aws`, `card`, …); for decoys, the
    /// family that might wrongly fire.
    pub family: &'static str,
    /// A finer name (`github-pat`, `test-card`, `placeholder`, …).
    pub name: &'static str,
    /// The variable / key name, in `UPPER_SNAKE` form.
    pub key: String,
    /// The value. May span lines (PEM blocks).
    pub value: String,
    /// Render the value as code (no quotes), e.g. `os.environ["X"]`.
    pub raw: bool,
}

impl Plant {
    fn new(
        kind: Kind,
        family: &'static str,
        name: &'static str,
        key: &str,
        value: String,
    ) -> Plant {
        Plant {
            kind,
            family,
            name,
            key: key.to_string(),
            value,
            raw: false,
        }
    }
}

/// Joins parts; used so that no fixed token prefix appears whole in source.
fn cat(parts: &[&str]) -> String {
    parts.concat()
}

/// CRC-32 (IEEE), bitwise.
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

/// Base62 of `n`, left-padded with `0` to `width`.
fn base62(mut n: u64, width: usize) -> String {
    let mut out = Vec::new();
    while n > 0 {
        out.push(alpha::ALNUM[(n % 62) as usize]);
        n /= 62;
    }
    while out.len() < width {
        out.push(b'0');
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Standard or URL-safe base64, with or without padding.
pub fn base64(data: &[u8], url: bool, pad: bool) -> String {
    let table = if url { alpha::URLSAFE } else { alpha::B64 };
    let mut out = String::with_capacity(data.len() * 4 / 3 + 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        let chars = chunk.len() + 1;
        for i in 0..4 {
            if i < chars {
                out.push(table[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else if pad {
                out.push('=');
            }
        }
    }
    out
}

/// Lower-case hex of `n` random bytes.
pub fn hex(rng: &mut Rng, n: usize) -> String {
    rng.string(alpha::HEX, n)
}

/// A random version-4 UUID.
pub fn uuid(rng: &mut Rng) -> String {
    format!(
        "{}-{}-4{}-{}{}-{}",
        hex(rng, 8),
        hex(rng, 4),
        hex(rng, 3),
        *rng.pick(&['8', '9', 'a', 'b']),
        hex(rng, 3),
        hex(rng, 12)
    )
}

fn luhn_check_digit(digits: &[u8]) -> u8 {
    // `digits` without the check digit; double every second from the right.
    let mut sum = 0u32;
    for (i, d) in digits.iter().rev().enumerate() {
        let mut v = (d - b'0') as u32;
        if i % 2 == 0 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    b'0' + ((10 - sum % 10) % 10) as u8
}

/// True when `digits` (ASCII) passes the Luhn check.
pub fn luhn_valid(digits: &str) -> bool {
    let d: Vec<u8> = digits.bytes().filter(u8::is_ascii_digit).collect();
    match d.split_last() {
        Some((last, rest)) => luhn_check_digit(rest) == *last,
        None => false,
    }
}

/// Well-known test card numbers (built, not stored).
pub fn test_cards() -> Vec<String> {
    vec![
        format!("4{}", "1".repeat(15)),
        "42".repeat(8),
        cat(&["5555".repeat(3).as_str(), "4444"]),
        cat(&["3782", "822463", "10005"]),
    ]
}

/// A Luhn-valid card number in a real IIN range that is not a test number,
/// formatted plainly, with spaces or with dashes.
pub fn card(rng: &mut Rng) -> String {
    loop {
        let (prefix, len): (String, usize) = match rng.below(5) {
            0 | 1 => (format!("4{}", rng.range(10, 99)), 16),
            2 => (format!("5{}", rng.range(1, 5)), 16),
            3 => (format!("3{}", *rng.pick(&["4", "7"])), 15),
            _ => ("6011".to_string(), 16),
        };
        let mut digits = prefix.into_bytes();
        while digits.len() < len - 1 {
            digits.push(b'0' + rng.below(10) as u8);
        }
        let check = luhn_check_digit(&digits);
        digits.push(check);
        let plain = String::from_utf8(digits).unwrap_or_default();
        if test_cards().contains(&plain) || plain.bytes().all(|b| b == plain.as_bytes()[0]) {
            continue;
        }
        return group_card(rng, &plain);
    }
}

fn group_card(rng: &mut Rng, plain: &str) -> String {
    let sep = *rng.pick(&["", " ", "-"]);
    if sep.is_empty() {
        return plain.to_string();
    }
    let groups: &[usize] = if plain.len() == 15 {
        &[4, 6, 5]
    } else {
        &[4, 4, 4, 4]
    };
    let mut out = Vec::new();
    let mut i = 0;
    for g in groups {
        out.push(&plain[i..i + g]);
        i += g;
    }
    out.join(sep)
}

/// A card-shaped number (Visa prefix) whose Luhn check fails.
pub fn invalid_card(rng: &mut Rng) -> String {
    loop {
        let mut s = String::from("4");
        s.push_str(&rng.string(alpha::DIGITS, 15));
        if !luhn_valid(&s) {
            return group_card(rng, &s);
        }
    }
}

/// A US SSN in valid ranges (area 001–899 except 666, group 01–99, serial
/// 0001–9999), avoiding well-known sample numbers.
pub fn ssn(rng: &mut Rng) -> String {
    loop {
        let area = rng.range(1, 899);
        if area == 666 || area == 78 || area == 219 || area == 123 {
            continue;
        }
        let group = rng.range(1, 99);
        let serial = rng.range(1, 9999);
        if serial == 1234 || serial == 6789 {
            continue;
        }
        return format!("{area:03}-{group:02}-{serial:04}");
    }
}

/// An SSN-shaped number the SSA never issues (area 000, 666 or 9xx, group 00,
/// or serial 0000).
pub fn invalid_ssn(rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => format!("000-{:02}-{:04}", rng.range(1, 99), rng.range(1, 9999)),
        1 => format!("666-{:02}-{:04}", rng.range(1, 99), rng.range(1, 9999)),
        2 => format!(
            "{}-{:02}-{:04}",
            rng.range(900, 999),
            rng.range(1, 99),
            rng.range(1, 9999)
        ),
        _ => format!("{:03}-00-{:04}", rng.range(1, 665), rng.range(1, 9999)),
    }
}

fn mod97(s: &str) -> u32 {
    let mut r = 0u32;
    for c in s.bytes() {
        if c.is_ascii_digit() {
            r = (r * 10 + (c - b'0') as u32) % 97;
        } else {
            let v = (c.to_ascii_uppercase() - b'A') as u32 + 10;
            r = (r * 100 + v) % 97;
        }
    }
    r
}

/// An IBAN with correct length and mod-97 check digits (DE, GB, NL, FR, ES).
pub fn iban(rng: &mut Rng) -> String {
    let (cc, bban) = match rng.below(5) {
        0 => ("DE", rng.string(alpha::DIGITS, 18)),
        1 => (
            "GB",
            format!(
                "{}{}",
                rng.string(alpha::UPPER, 4),
                rng.string(alpha::DIGITS, 14)
            ),
        ),
        2 => (
            "NL",
            format!(
                "{}{}",
                rng.string(alpha::UPPER, 4),
                rng.string(alpha::DIGITS, 10)
            ),
        ),
        3 => ("FR", rng.string(alpha::DIGITS, 23)),
        _ => ("ES", rng.string(alpha::DIGITS, 20)),
    };
    let check = 98 - mod97(&format!("{bban}{cc}00"));
    let plain = format!("{cc}{check:02}{bban}");
    if rng.chance(0.5) {
        plain
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        plain
    }
}

/// True when `iban` (spaces allowed) passes mod-97.
pub fn iban_valid(iban: &str) -> bool {
    let s: String = iban.chars().filter(|c| !c.is_whitespace()).collect();
    s.len() > 4 && mod97(&format!("{}{}", &s[4..], &s[..4])) == 1
}

/// A NANP number in `+1 NPA-NXX-XXXX` form (no N11 codes, no 555 exchange).
pub fn phone(rng: &mut Rng) -> String {
    let npa = loop {
        let v = rng.range(201, 989);
        if v % 100 != 11 && (v / 10) % 10 != 9 && v != 555 {
            break v;
        }
    };
    let nxx = loop {
        let v = rng.range(201, 999);
        if v % 100 != 11 && v != 555 {
            break v;
        }
    };
    let line = rng.range(0, 9999);
    match rng.below(3) {
        0 => format!("+1 {npa}-{nxx}-{line:04}"),
        1 => format!("+1 ({npa}) {nxx}-{line:04}"),
        _ => format!("+1{npa}{nxx}{line:04}"),
    }
}

/// A personal email on a non-reserved domain.
pub fn email(rng: &mut Rng) -> String {
    let first = rng.pick(words::FIRST_NAMES).to_ascii_lowercase();
    let last = rng.pick(words::LAST_NAMES).to_ascii_lowercase();
    let local = match rng.below(4) {
        0 => format!("{first}.{last}"),
        1 => format!("{}{last}", &first[..1]),
        2 => format!("{first}{}", rng.range(1, 99)),
        _ => format!("{first}_{last}"),
    };
    let domain = if rng.chance(0.4) {
        rng.pick(&[
            "gmail.com",
            "outlook.com",
            "proton.me",
            "yahoo.co.uk",
            "gmx.de",
            "icloud.com",
        ])
        .to_string()
    } else {
        format!(
            "{}{}.{}",
            rng.pick(words::WORDS),
            *rng.pick(&["mail", "corp", "labs", "works", "hq"]),
            *rng.pick(&["com", "io", "net", "de", "co"])
        )
    };
    format!("{local}@{domain}")
}

fn pem(rng: &mut Rng) -> String {
    let kind = *rng.pick(&["RSA ", "EC ", "OPENSSH ", ""]);
    let head = format!("-----{} {kind}{} KEY-----", "BEGIN", "PRIVATE");
    let tail = format!("-----{} {kind}{} KEY-----", "END", "PRIVATE");
    let n = rng.urange(120, 900);
    let mut der = vec![0x30u8, 0x82];
    der.extend(rng.bytes(n));
    let body = base64(&der, false, true);
    let mut out = vec![head];
    for c in body
        .as_bytes()
        .chunks(if kind == "OPENSSH " { 70 } else { 64 })
    {
        out.push(String::from_utf8_lossy(c).into_owned());
    }
    out.push(tail);
    out.join("\n")
}

fn jwt(rng: &mut Rng) -> String {
    let alg = *rng.pick(&["HS256", "RS256", "ES256"]);
    let header = format!("{{\"alg\":\"{alg}\",\"typ\":\"JWT\"}}");
    let iat = 1_690_000_000 + rng.below(60_000_000);
    let payload = format!(
        "{{\"sub\":\"{}\",\"name\":\"{} {}\",\"iat\":{iat},\"exp\":{}}}",
        rng.range(100_000, 9_999_999),
        rng.pick(words::FIRST_NAMES),
        rng.pick(words::LAST_NAMES),
        iat + 3600
    );
    let sig_len = if alg == "HS256" { 32 } else { 64 };
    format!(
        "{}.{}.{}",
        base64(header.as_bytes(), true, false),
        base64(payload.as_bytes(), true, false),
        base64(&rng.bytes(sig_len), true, false)
    )
}

fn github_classic(rng: &mut Rng) -> String {
    let prefix = *rng.pick(&["ghp", "gho", "ghu", "ghs", "ghr"]);
    let random = rng.mixed(alpha::ALNUM, 30);
    let check = base62(crc32(random.as_bytes()) as u64, 6);
    format!("{prefix}_{random}{check}")
}

/// A strong random password-like value (mixed classes, 14–28 chars).
fn password(rng: &mut Rng) -> String {
    const SYMS: &[u8] = b"!#%*+-.:=?@^_~";
    let n = rng.urange(14, 28);
    let mut s: Vec<u8> = rng.mixed(alpha::ALNUM, n).into_bytes();
    for _ in 0..rng.urange(1, 3) {
        let i = rng.urange(0, s.len() - 1);
        s[i] = *rng.pick(SYMS);
    }
    String::from_utf8(s).unwrap_or_default()
}

/// The secret families the generator plants.
pub const SECRET_FAMILIES: &[&str] = &[
    "github",
    "github",
    "gitlab",
    "aws",
    "aws",
    "slack",
    "stripe",
    "openai",
    "anthropic",
    "google",
    "npm",
    "pypi",
    "sendgrid",
    "private-key",
    "jwt",
    "database-url",
    "generic-secret",
    "generic-secret",
];

/// One or more secrets (an AWS key id comes with its secret key).
pub fn secret(rng: &mut Rng) -> Vec<Plant> {
    let fam = *rng.pick(SECRET_FAMILIES);
    let s = Kind::Secret;
    let one = |name: &'static str, key: &str, v: String| vec![Plant::new(s, fam, name, key, v)];
    match fam {
        "github" => {
            if rng.chance(0.7) {
                let key = *rng.pick(&["GITHUB_TOKEN", "GH_TOKEN", "GITHUB_PAT", "CI_GITHUB_TOKEN"]);
                one("github-pat", key, github_classic(rng))
            } else {
                let v = format!(
                    "{}_{}_{}_{}",
                    "github",
                    "pat",
                    rng.mixed(alpha::ALNUM, 22),
                    rng.mixed(alpha::ALNUM, 59)
                );
                one("github-fine-grained-pat", "GITHUB_TOKEN", v)
            }
        }
        "gitlab" => one(
            "gitlab-pat",
            *rng.pick(&["GITLAB_TOKEN", "GL_TOKEN", "CI_JOB_PAT"]),
            format!("{}-{}", "glpat", rng.mixed(alpha::URLSAFE, 20)),
        ),
        "aws" => {
            let prefix = *rng.pick(&["AKIA", "AKIA", "ASIA"]);
            let id = format!("{prefix}{}", rng.string(alpha::B32, 16));
            let key = rng.mixed(alpha::B64, 40);
            vec![
                Plant::new(s, fam, "aws-access-key-id", "AWS_ACCESS_KEY_ID", id),
                Plant::new(
                    s,
                    fam,
                    "aws-secret-access-key",
                    "AWS_SECRET_ACCESS_KEY",
                    key,
                ),
            ]
        }
        "slack" => {
            let team = rng.range(1_000_000_000, 9_999_999_999_999);
            let user = rng.range(1_000_000_000, 9_999_999_999_999);
            let v = if rng.chance(0.6) {
                let bot = rng.mixed(alpha::ALNUM, 24);
                format!("{}-{team}-{user}-{bot}", "xoxb")
            } else {
                let id = rng.range(1_000_000_000, 9_999_999_999_999);
                let hexpart = hex(rng, 32);
                format!("{}-{team}-{user}-{id}-{hexpart}", "xoxp")
            };
            one("slack-token", "SLACK_BOT_TOKEN", v)
        }
        "stripe" => {
            let len = *rng.pick(&[24usize, 99]);
            let p = *rng.pick(&["sk", "rk"]);
            one(
                "stripe-live-key",
                "STRIPE_SECRET_KEY",
                format!("{p}_{}_{}", "live", rng.mixed(alpha::ALNUM, len)),
            )
        }
        "openai" => one(
            "openai-key",
            "OPENAI_API_KEY",
            format!(
                "{}-{}-{}{}{}",
                "sk",
                "proj",
                rng.mixed(alpha::URLSAFE, 74),
                cat(&["T3Blbk", "FJ"]),
                rng.mixed(alpha::URLSAFE, 74)
            ),
        ),
        "anthropic" => one(
            "anthropic-key",
            "ANTHROPIC_API_KEY",
            format!(
                "{}-{}-{}{}",
                "sk",
                cat(&["ant-", "api03"]),
                rng.mixed(alpha::URLSAFE, 93),
                "AA"
            ),
        ),
        "google" => one(
            "google-api-key",
            *rng.pick(&["GOOGLE_API_KEY", "MAPS_API_KEY", "FIREBASE_API_KEY"]),
            format!("{}{}", cat(&["AI", "za"]), rng.mixed(alpha::URLSAFE, 35)),
        ),
        "npm" => one(
            "npm-token",
            "NPM_TOKEN",
            format!("{}_{}", "npm", rng.mixed(alpha::ALNUM, 36)),
        ),
        "pypi" => {
            let n = rng.urange(70, 150);
            one(
                "pypi-token",
                "PYPI_API_TOKEN",
                format!(
                    "{}-{}{}",
                    "pypi",
                    cat(&["AgEIcHlw", "aS5vcmc"]),
                    rng.string(alpha::URLSAFE, n)
                ),
            )
        }
        "sendgrid" => one(
            "sendgrid-key",
            "SENDGRID_API_KEY",
            format!(
                "{}.{}.{}",
                "SG",
                rng.mixed(alpha::URLSAFE, 22),
                rng.mixed(alpha::URLSAFE, 43)
            ),
        ),
        "private-key" => one("private-key", "PRIVATE_KEY", pem(rng)),
        "jwt" => one(
            "jwt",
            *rng.pick(&["AUTH_TOKEN", "SESSION_JWT", "ACCESS_TOKEN"]),
            jwt(rng),
        ),
        "database-url" => {
            let scheme = *rng.pick(&["postgres", "postgresql", "postgres"]);
            let pw_len = rng.urange(12, 24);
            let v = format!(
                "{scheme}://{}:{}@{}-db.{}.internal:5432/{}",
                rng.pick(words::WORDS),
                rng.mixed(alpha::ALNUM, pw_len),
                rng.pick(words::WORDS),
                rng.pick(words::WORDS),
                rng.pick(words::WORDS)
            );
            one("postgres-url", "DATABASE_URL", v)
        }
        _ => {
            let key = *rng.pick(&[
                "DB_PASSWORD",
                "ADMIN_PASSWORD",
                "SMTP_PASSWORD",
                "CLIENT_SECRET",
                "API_SECRET",
                "SIGNING_SECRET",
                "REDIS_PASSWORD",
            ]);
            one("generic-password", key, password(rng))
        }
    }
}

/// The PII families the generator plants outside CSV rows.
pub const PII_FAMILIES: &[&str] = &["email", "email", "ssn", "card", "iban", "phone"];

/// One PII value with a context key.
pub fn pii(rng: &mut Rng) -> Plant {
    let fam = *rng.pick(PII_FAMILIES);
    let p = Kind::Pii;
    match fam {
        "email" => Plant::new(
            p,
            fam,
            "email",
            *rng.pick(&["EMAIL", "CONTACT_EMAIL", "OWNER"]),
            email(rng),
        ),
        "ssn" => Plant::new(p, fam, "ssn", *rng.pick(&["SSN", "CUSTOMER_SSN"]), ssn(rng)),
        "card" => Plant::new(
            p,
            fam,
            "card",
            *rng.pick(&["CARD_NUMBER", "CC_NUMBER", "PAN"]),
            card(rng),
        ),
        "iban" => Plant::new(
            p,
            fam,
            "iban",
            *rng.pick(&["IBAN", "PAYOUT_IBAN"]),
            iban(rng),
        ),
        _ => Plant::new(
            p,
            fam,
            "phone",
            *rng.pick(&["PHONE", "CONTACT_PHONE"]),
            phone(rng),
        ),
    }
}

/// A decoy: looks like a secret or PII but must not be reported.
pub fn decoy(rng: &mut Rng) -> Plant {
    let d = Kind::Decoy;
    let secret_key = *rng.pick(&[
        "API_KEY",
        "GITHUB_TOKEN",
        "DB_PASSWORD",
        "CLIENT_SECRET",
        "STRIPE_SECRET_KEY",
        "AUTH_TOKEN",
    ]);
    match rng.below(14) {
        0 => {
            let v = match rng.below(6) {
                0 => format!(
                    "<{}-{}>",
                    "your",
                    *rng.pick(&["token", "api-key", "secret", "password"])
                ),
                1 => cat(&["change", "me"]),
                2 => "x".repeat(rng.urange(16, 40)),
                3 => format!("{}-{}-{}", "your", "api-key", "here"),
                4 => cat(&["REPLACE", "_ME"]),
                _ => format!("{}{}", "***", "***"),
            };
            Plant::new(d, "generic-secret", "placeholder", secret_key, v)
        }
        1 => Plant::new(
            d,
            "generic-secret",
            "env-reference",
            secret_key,
            format!("${{{secret_key}}}"),
        ),
        2 => {
            let mut p = Plant::new(
                d,
                "generic-secret",
                "env-reference",
                secret_key,
                String::new(),
            );
            p.value = match rng.below(3) {
                0 => format!("os.environ[\"{secret_key}\"]"),
                1 => format!("process.env.{secret_key}"),
                _ => format!("os.Getenv(\"{secret_key}\")"),
            };
            p.raw = true;
            p
        }
        3 => Plant::new(
            d,
            "aws",
            "aws-docs-example",
            "AWS_ACCESS_KEY_ID",
            cat(&["AKIA", "IOSFODNN7", "EXAMPLE"]),
        ),
        4 => Plant::new(
            d,
            "card",
            "test-card",
            "CARD_NUMBER",
            rng.pick(&test_cards()).clone(),
        ),
        5 => Plant::new(d, "card", "invalid-card", "CARD_NUMBER", invalid_card(rng)),
        6 => Plant::new(d, "ssn", "invalid-ssn", "SSN", invalid_ssn(rng)),
        7 => Plant::new(
            d,
            "email",
            "reserved-email",
            "CONTACT_EMAIL",
            format!(
                "{}@{}",
                *rng.pick(&["user", "admin", "jane.doe", "noreply"]),
                *rng.pick(&[
                    "example.com",
                    "example.org",
                    "example.net",
                    "corp.test",
                    "mail.invalid"
                ])
            ),
        ),
        8 => {
            let v = match rng.below(3) {
                0 => format!("{}_{}", "ghp", rng.mixed(alpha::ALNUM, 12)),
                1 => format!("{}_{}_{}", "sk", "live", rng.string(alpha::LOWER, 6)),
                _ => format!("{}-{}", "xoxb", rng.range(100, 999)),
            };
            Plant::new(d, "generic-secret", "truncated-token", secret_key, v)
        }
        9 => Plant::new(
            d,
            "high-entropy",
            "git-sha",
            *rng.pick(&["COMMIT_SHA", "GIT_REV", "BASE_REF"]),
            hex(rng, 40),
        ),
        10 => Plant::new(
            d,
            "high-entropy",
            "uuid",
            *rng.pick(&["REQUEST_ID", "TENANT_ID", "IDEMPOTENCY_TOKEN", "CLIENT_ID"]),
            uuid(rng),
        ),
        11 => Plant::new(
            d,
            "high-entropy",
            "sha256",
            *rng.pick(&["CHECKSUM", "IMAGE_DIGEST", "TOKEN_SHA256"]),
            format!("sha256:{}", hex(rng, 64)),
        ),
        12 => Plant::new(
            d,
            "high-entropy",
            "integrity",
            "INTEGRITY",
            format!("sha512-{}", base64(&rng.bytes(64), false, true)),
        ),
        _ => Plant::new(
            d,
            "ssn",
            "sample-ssn",
            "SSN",
            rng.pick(&[cat(&["078", "-05-", "1120"]), cat(&["219", "-09-", "9999"])])
                .clone(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cards_pass_luhn_and_invalid_fail() {
        let mut r = Rng::new(3);
        for _ in 0..200 {
            let c = card(&mut r);
            assert!(luhn_valid(&c), "{c}");
            assert!(!test_cards().contains(&c.replace([' ', '-'], "")));
            assert!(!luhn_valid(&invalid_card(&mut r)));
        }
        for t in test_cards() {
            assert!(luhn_valid(&t), "{t}");
        }
    }

    #[test]
    fn ibans_pass_mod97() {
        let mut r = Rng::new(4);
        for _ in 0..200 {
            let i = iban(&mut r);
            assert!(iban_valid(&i), "{i}");
        }
        assert!(!iban_valid("DE00123456789012345678"));
    }

    #[test]
    fn ssns_in_valid_ranges() {
        let mut r = Rng::new(5);
        for _ in 0..500 {
            let s = ssn(&mut r);
            let area: u32 = s[..3].parse().unwrap();
            assert!(area != 0 && area != 666 && area < 900, "{s}");
            assert_ne!(&s[4..6], "00");
            assert_ne!(&s[7..], "0000");
            let bad = invalid_ssn(&mut r);
            let a: u32 = bad[..3].parse().unwrap();
            assert!(
                a == 0 || a == 666 || a >= 900 || &bad[4..6] == "00",
                "{bad}"
            );
        }
    }

    #[test]
    fn base64_matches_known_vectors() {
        assert_eq!(base64(b"", false, true), "");
        assert_eq!(base64(b"f", false, true), "Zg==");
        assert_eq!(base64(b"fo", false, true), "Zm8=");
        assert_eq!(base64(b"foo", false, true), "Zm9v");
        assert_eq!(base64(b"foob", true, false), "Zm9vYg");
        assert_eq!(base64(b"\xfb\xff", true, false), "-_8");
        // The PyPI macaroon prefix is base64 of a fixed header.
        assert!(base64(b"\x02\x01\x08pypi.org", false, false).starts_with("AgEIcHlwaS5vcmc"));
    }

    #[test]
    fn crc32_known_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn secrets_have_expected_shapes() {
        let mut r = Rng::new(6);
        for _ in 0..300 {
            for p in secret(&mut r) {
                assert_eq!(p.kind, Kind::Secret);
                assert!(!p.value.is_empty());
                match p.name {
                    "github-pat" => assert_eq!(p.value.len(), 40),
                    "aws-access-key-id" => assert_eq!(p.value.len(), 20),
                    "aws-secret-access-key" => assert_eq!(p.value.len(), 40),
                    "gitlab-pat" => assert_eq!(p.value.len(), 26),
                    "google-api-key" => assert_eq!(p.value.len(), 39),
                    "npm-token" => assert_eq!(p.value.len(), 40),
                    "jwt" => assert_eq!(p.value.matches('.').count(), 2),
                    "private-key" => assert!(p.value.lines().count() >= 4),
                    _ => {}
                }
            }
            assert_eq!(decoy(&mut r).kind, Kind::Decoy);
            assert_eq!(pii(&mut r).kind, Kind::Pii);
        }
    }

    #[test]
    fn phones_and_emails_look_right() {
        let mut r = Rng::new(9);
        for _ in 0..200 {
            let p = phone(&mut r);
            assert!(p.starts_with("+1"));
            assert!(!p.contains("555-"));
            let e = email(&mut r);
            assert!(!e.contains("example."), "{e}");
            assert_eq!(e.matches('@').count(), 1);
        }
    }
}
