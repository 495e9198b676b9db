//! detect-secrets' plugin names, secret types and the exact value each plugin
//! hashes.
//!
//! A detect-secrets baseline identifies a secret by the SHA-1 of whatever its
//! plugin's regex captured, which is not always the secret itself: the GitHub
//! plugin captures only the `ghp` prefix, the JWT plugin drops the signature,
//! the private-key plugin captures the `BEGIN … PRIVATE KEY` marker, and so
//! on. [`hashed_value`] reproduces those quirks from a keepmum finding (the
//! secret's byte range in the scanned input), so existing team baselines keep
//! suppressing the same secrets. Verified against detect-secrets 1.5.0.

use std::ops::Range;

/// `(secret type, plugin class name)` for every plugin detect-secrets 1.5
/// ships, sorted by type.
pub(crate) const TYPES: &[(&str, &str)] = &[
    ("AWS Access Key", "AWSKeyDetector"),
    ("Artifactory Credentials", "ArtifactoryDetector"),
    (
        "Azure Storage Account access key",
        "AzureStorageKeyDetector",
    ),
    ("Base64 High Entropy String", "Base64HighEntropyString"),
    ("Basic Auth Credentials", "BasicAuthDetector"),
    ("Cloudant Credentials", "CloudantDetector"),
    ("Discord Bot Token", "DiscordBotTokenDetector"),
    ("GitHub Token", "GitHubTokenDetector"),
    ("GitLab Token", "GitLabTokenDetector"),
    ("Hex High Entropy String", "HexHighEntropyString"),
    ("IBM COS HMAC Credentials", "IbmCosHmacDetector"),
    ("IBM Cloud IAM Key", "IbmCloudIamDetector"),
    ("JSON Web Token", "JwtTokenDetector"),
    ("Mailchimp Access Key", "MailchimpDetector"),
    ("NPM tokens", "NpmDetector"),
    ("OpenAI Token", "OpenAIDetector"),
    ("Private Key", "PrivateKeyDetector"),
    ("Public IP (ipv4)", "IPPublicDetector"),
    ("PyPI Token", "PypiTokenDetector"),
    ("Secret Keyword", "KeywordDetector"),
    ("SendGrid API Key", "SendGridDetector"),
    ("Slack Token", "SlackDetector"),
    ("SoftLayer Credentials", "SoftlayerDetector"),
    ("Square OAuth Secret", "SquareOAuthDetector"),
    ("Stripe Access Key", "StripeDetector"),
    ("Telegram Bot Token", "TelegramBotTokenDetector"),
    ("Twilio API Key", "TwilioKeyDetector"),
];

/// The plugin class that reports `secret_type`, if detect-secrets has one.
pub fn plugin_for_type(secret_type: &str) -> Option<&'static str> {
    TYPES
        .iter()
        .find(|(t, _)| *t == secret_type)
        .map(|(_, p)| *p)
}

/// True when `secret_type` is one detect-secrets 1.5 knows (so its tools,
/// e.g. `detect-secrets audit`, can handle an entry of that type).
pub fn is_detect_secrets_type(secret_type: &str) -> bool {
    plugin_for_type(secret_type).is_some()
}

/// Markers detect-secrets' `PrivateKeyDetector` looks for; the marker itself
/// is what it hashes.
const PRIVATE_KEY_MARKERS: &[&str] = &[
    "BEGIN DSA PRIVATE KEY",
    "BEGIN EC PRIVATE KEY",
    "BEGIN OPENSSH PRIVATE KEY",
    "BEGIN PGP PRIVATE KEY BLOCK",
    "BEGIN PRIVATE KEY",
    "BEGIN RSA PRIVATE KEY",
    "BEGIN SSH2 ENCRYPTED PRIVATE KEY",
    "PuTTY-User-Key-File-2",
];

/// The bounds of the line holding byte `at` (without its newline).
fn line_bounds(input: &[u8], at: usize) -> Range<usize> {
    let at = at.min(input.len());
    let start = memchr::memrchr(b'\n', &input[..at]).map_or(0, |i| i + 1);
    let end = memchr::memchr(b'\n', &input[at..]).map_or(input.len(), |i| at + i);
    // Python's `splitlines` also drops a '\r' before the '\n'.
    let end = if end > start && input.get(end - 1) == Some(&b'\r') {
        end - 1
    } else {
        end
    };
    start..end.max(start)
}

/// Strips one pair of matching surrounding quotes.
pub(crate) fn strip_quotes(s: &[u8]) -> &[u8] {
    if s.len() >= 2 {
        let (a, b) = (s[0], s[s.len() - 1]);
        if a == b && matches!(a, b'"' | b'\'' | b'`') {
            return &s[1..s.len() - 1];
        }
    }
    s
}

/// The value detect-secrets' plugin for `secret_type` would hash, given the
/// secret's byte range `span` inside `input`. Falls back to the secret itself
/// for generic types and whenever the quirk does not apply.
pub(crate) fn hashed_value(secret_type: &str, input: &[u8], span: Range<usize>) -> Vec<u8> {
    let span =
        span.start.min(input.len())..span.end.min(input.len()).max(span.start.min(input.len()));
    let secret = &input[span.clone()];
    let line = line_bounds(input, span.start);
    match secret_type {
        "GitHub Token" => {
            if secret.len() > 4
                && secret.starts_with(b"gh")
                && matches!(secret[2], b'p' | b'o' | b'u' | b's' | b'r')
                && secret[3] == b'_'
            {
                return secret[..3].to_vec();
            }
            secret.to_vec()
        }
        "GitLab Token" => {
            for p in [&b"glpat-"[..], b"gldt-", b"glft-", b"glsoat-", b"glrt-"] {
                if secret.starts_with(p) {
                    return p[..p.len() - 1].to_vec();
                }
            }
            if let Some(rest) = secret.strip_prefix(b"glcbt-") {
                // The only group is the optional `XY_` partition id.
                if rest.len() > 3 && rest[..2].iter().all(u8::is_ascii_hexdigit) && rest[2] == b'_'
                {
                    return rest[..3].to_vec();
                }
            }
            secret.to_vec()
        }
        "JSON Web Token" => {
            // `header.payload.` — the lazy tail drops the signature.
            let mut dots = 0;
            for (i, &b) in secret.iter().enumerate() {
                if b == b'.' {
                    dots += 1;
                    if dots == 2 {
                        return secret[..=i].to_vec();
                    }
                }
            }
            secret.to_vec()
        }
        "Private Key" => {
            // The marker on the secret's first line (or inside the secret).
            let first = &input[line.start..line.end.max(span.end.min(line.end))];
            for hay in [first, secret] {
                let mut best: Option<(usize, &str)> = None;
                for m in PRIVATE_KEY_MARKERS {
                    if let Some(pos) = memchr::memmem::find(hay, m.as_bytes()) {
                        if best.is_none_or(|(p, _)| pos < p) {
                            best = Some((pos, m));
                        }
                    }
                }
                if let Some((_, m)) = best {
                    return m.as_bytes().to_vec();
                }
            }
            secret.to_vec()
        }
        "Basic Auth Credentials" => {
            // The password of `scheme://user:PASS@`.
            if let Some(pos) = memchr::memmem::find(secret, b"://") {
                let rest = &secret[pos + 3..];
                if let Some(at) = memchr::memchr(b'@', rest) {
                    let cred = &rest[..at];
                    if let Some(colon) = memchr::memchr(b':', cred) {
                        return cred[colon + 1..].to_vec();
                    }
                }
            }
            secret.to_vec()
        }
        "Artifactory Credentials" => {
            // The whole match, delimiters included.
            let mut v = Vec::with_capacity(secret.len() + 2);
            if span.start > line.start {
                let p = input[span.start - 1];
                if p.is_ascii_whitespace() || matches!(p, b'=' | b':' | b'"') {
                    v.push(p);
                }
            }
            v.extend_from_slice(secret);
            if span.end < line.end {
                let n = input[span.end];
                if n.is_ascii_whitespace() || n == b'"' {
                    v.push(n);
                }
            }
            v
        }
        "Azure Storage Account access key" => {
            const KEY: &[u8] = b"AccountKey=";
            let body = secret.strip_prefix(KEY).unwrap_or(secret);
            let mut v = KEY.to_vec();
            v.extend_from_slice(&body[..body.len().min(88)]);
            v
        }
        "NPM tokens" => {
            // `npm_.+` is greedy: the token and the rest of the line.
            if secret.starts_with(b"npm_") {
                return input[span.start..line.end.max(span.end)].to_vec();
            }
            secret.to_vec()
        }
        "Stripe Access Key" => {
            // `(?:r|s)k_live_[0-9a-zA-Z]{24}` has no end anchor.
            if secret.len() > 32 && secret[1..].starts_with(b"k_live_") {
                return secret[..32].to_vec();
            }
            secret.to_vec()
        }
        "Twilio API Key" => {
            if secret.len() > 34 && (secret.starts_with(b"AC") || secret.starts_with(b"SK")) {
                return secret[..34].to_vec();
            }
            secret.to_vec()
        }
        "Slack Token" => slack_value(secret).unwrap_or_else(|| secret.to_vec()),
        "Discord Bot Token" => {
            // `[MNO]…{23,25}\.…{6}\.…{27}` has no end anchor: the last part
            // is cut at 27 characters.
            let parts: Vec<&[u8]> = secret.splitn(3, |&b| b == b'.').collect();
            if let [a, b, c] = parts[..] {
                if c.len() > 27 {
                    let mut v = Vec::with_capacity(a.len() + b.len() + 29);
                    v.extend_from_slice(a);
                    v.push(b'.');
                    v.extend_from_slice(b);
                    v.push(b'.');
                    v.extend_from_slice(&c[..27]);
                    return v;
                }
            }
            secret.to_vec()
        }
        "Secret Keyword" | "Base64 High Entropy String" | "Hex High Entropy String" => {
            strip_quotes(secret).to_vec()
        }
        _ => secret.to_vec(),
    }
}

/// What detect-secrets' `SlackDetector` captures: the whole
/// `https://hooks.slack.com/…` URL, or `xox[abposr]-(\d+-)+[a-z0-9]+`
/// (case-insensitive) found anywhere in the secret.
fn slack_value(secret: &[u8]) -> Option<Vec<u8>> {
    if let Some(pos) = memchr::memmem::find(secret, b"hooks.slack.com/") {
        let url = &secret[pos..];
        let has_scheme = pos >= 8 && &secret[pos - 8..pos] == b"https://";
        let mut v = Vec::with_capacity(url.len() + 8);
        if has_scheme {
            v.extend_from_slice(&secret[pos - 8..]);
        } else {
            v.extend_from_slice(b"https://");
            v.extend_from_slice(url);
        }
        return Some(v);
    }
    let lower = secret.to_ascii_lowercase();
    let start = (0..lower.len().saturating_sub(4)).find(|&i| {
        lower[i..].starts_with(b"xox")
            && matches!(lower[i + 3], b'a' | b'b' | b'p' | b'o' | b's' | b'r')
            && lower[i + 4] == b'-'
    })?;
    let s = &secret[start..];
    let mut i = 5;
    // (\d+-)+ : digit groups each followed by '-'.
    let mut groups = 0;
    loop {
        let d = s[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        if d > 0 && s.get(i + d) == Some(&b'-') {
            i += d + 1;
            groups += 1;
        } else {
            break;
        }
    }
    if groups == 0 {
        return None;
    }
    let tail = s[i..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if tail == 0 {
        // Backtrack: the last digit group is the [a-z0-9]+ part.
        return None;
    }
    Some(s[..i + tail].to_vec())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
#[path = "tests/dstypes.rs"]
mod tests;
