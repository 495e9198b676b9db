//! Generic findings whose key names a provider with an exact token format
//! the value does not have: `GITEA_TOKEN=<32 hex>` (Gitea tokens are 40),
//! `wandb_api_key = <32 hex>` (W&B keys are 40), `mistral_token = <28
//! characters>` (Mistral keys are 32). Such a value is a hand-typed or cut
//! example, or another kind of value under a provider's name; a value of the
//! provider's shape under the same key is its credential and stays reported
//! (by the provider's rule or, where that rule is narrower, by the generic
//! one).
//!
//! Only providers whose every credential has one documented form are listed,
//! each with all the forms the peers' rules and the provider's documentation
//! accept (a form left out here would silence a real key). Providers whose
//! name also labels compatible services (an `OPENAI_API_KEY` may hold an
//! Azure key) or free-form values (passwords, webhook secrets) are not.

use std::sync::OnceLock;

use regex_automata::meta::Regex;

/// One provider: the words that name it in a key and the shapes of its
/// credentials.
struct Format {
    /// Words naming the provider, lowercase. Names under five letters must
    /// be a whole word of the key (`aws` in `awsSecretKey`, not in `laws`);
    /// longer ones may be part of one (`mistral` in `MISTRALAI_TOKEN`).
    names: &'static [&'static str],
    /// Words the key must also hold, lowercase, anywhere in it: the key
    /// names this one credential of the provider (`aws` + `secret`).
    with: &'static [&'static str],
    /// Every form the credential takes: a regex the whole value must match.
    shape: &'static str,
}

/// The providers with exact formats. Sources: the providers' documentation
/// and the token formats in the public rules of gitleaks, betterleaks,
/// Kingfisher and Nosey Parker.
const FORMATS: &[Format] = &[
    // Amplitude API and secret keys: 32 hex digits.
    Format {
        names: &["amplitude"],
        with: &[],
        shape: r"[0-9a-fA-F]{32}",
    },
    // Authress service client keys: `sc_<client>.<key id>.acc_<account>.<private key>`.
    Format {
        names: &["authress"],
        with: &[],
        shape: r"(?i)(?:sc|ext|scauth|authress)_[a-z0-9]{5,30}\.[a-z0-9]{4,6}\.acc[_-][a-z0-9-]{10,32}\.[a-z0-9+/_=-]{30,120}",
    },
    // AWS secret access keys: 40 characters of base64.
    Format {
        names: &["aws"],
        with: &["secret"],
        shape: r"[A-Za-z0-9/+]{40}",
    },
    // Bitly access tokens: 40 characters (hex in practice).
    Format {
        names: &["bitly"],
        with: &[],
        shape: r"[A-Za-z0-9]{40}",
    },
    // Brave Search API keys: `BSA` and 24 to 40 more.
    Format {
        names: &["brave"],
        with: &[],
        shape: r"BSA[A-Za-z0-9_-]{24,40}",
    },
    // Canva Connect client ids (`OC-…`) and secrets (`cnvca` + 51).
    Format {
        names: &["canva"],
        with: &["client"],
        shape: r"OC-[A-Za-z0-9_-]{8,16}|cnvca[A-Za-z0-9_-]{51}",
    },
    // Deepgram API keys: 40 hex digits.
    Format {
        names: &["deepgram"],
        with: &[],
        shape: r"[0-9a-fA-F]{40}",
    },
    // Gitea access tokens: 40 hex digits; runner registration tokens: 40
    // alphanumerics. (Its other secrets, `SECRET_KEY`, `JWT_SECRET`, have
    // other forms and no `token` in their names.)
    Format {
        names: &["gitea"],
        with: &["token"],
        shape: r"[A-Za-z0-9]{40}",
    },
    // Greptile API keys: 48 characters of base64.
    Format {
        names: &["greptile"],
        with: &[],
        shape: r"[A-Za-z0-9+/]{48}",
    },
    // Infomaniak API tokens: 60 to 100 characters of base64url.
    Format {
        names: &["infomaniak"],
        with: &[],
        shape: r"[A-Za-z0-9_-]{60,100}",
    },
    // Mapbox access tokens: `pk.`, `sk.` or `tk.`, the payload, `.`, 22 more.
    Format {
        names: &["mapbox"],
        with: &[],
        shape: r"[pst]k\.[A-Za-z0-9_-]{60,}\.[A-Za-z0-9_-]{22}",
    },
    // Cisco Meraki Dashboard API keys: 40 lowercase hex digits.
    Format {
        names: &["meraki"],
        with: &[],
        shape: r"[0-9a-f]{40}",
    },
    // Mistral API keys: 32 alphanumerics.
    Format {
        names: &["mistral"],
        with: &[],
        shape: r"[A-Za-z0-9]{32}",
    },
    // Ollama API keys: 32 hex digits, a dot, 24 characters of base64url.
    Format {
        names: &["ollama"],
        with: &[],
        shape: r"[0-9a-f]{32}\.[A-Za-z0-9_-]{24}",
    },
    // OpenWeather API keys: 32 hex digits.
    Format {
        names: &["openweather"],
        with: &[],
        shape: r"[0-9a-fA-F]{32}",
    },
    // Salesforce access tokens (session ids): `00` + org id, `!`, the token.
    Format {
        names: &["salesforce"],
        with: &["access", "token"],
        shape: r"00[A-Za-z0-9]{13}![A-Za-z0-9._-]{80,260}",
    },
    // SendGrid API keys: `SG.` + 22 + `.` + 43.
    Format {
        names: &["sendgrid"],
        with: &[],
        shape: r"SG\.[A-Za-z0-9_-]{20,24}\.[A-Za-z0-9_-]{39,47}",
    },
    // Unkey root keys (`unkey_` + 20 to 32) and the API keys it issues: a
    // prefix the owner picks, `_`, 16 random bytes or more in base58.
    Format {
        names: &["unkey"],
        with: &[],
        shape: r"unkey_[A-Za-z0-9]{20,32}|[A-Za-z0-9]{1,16}_[1-9A-HJ-NP-Za-km-z]{16,}",
    },
    // Weights & Biases API keys: 40 hex digits (`local-` on a self-hosted
    // server), or the newer `wandb_v1_` keys.
    Format {
        names: &["wandb", "weightsandbiases"],
        with: &[],
        shape: r"(?:local-)?[0-9a-f]{40}|wandb_v[0-9]_[A-Za-z0-9_]{77,}",
    },
];

/// Words of keys whose values the owner chooses whatever the provider
/// (`MERAKI_WEBHOOK_SECRET`, a signing or encryption key): never checked.
const FREE_FORM: &[&str] = &["webhook", "signing", "hmac", "jwt", "encrypt"];

/// Each format's compiled shape, built on first use (a scanner that never
/// meets a provider-named generic value never compiles one).
static SHAPES: [OnceLock<Option<Regex>>; FORMATS.len()] =
    [const { OnceLock::new() }; FORMATS.len()];

/// The provider a generic value's key names, when the value has none of
/// that provider's credential shapes (see the module docs). `line` is the
/// value's line and `start` where the value starts in it.
pub(crate) fn misnamed(value: &[u8], line: &[u8], start: usize) -> Option<&'static str> {
    let key = assigned_key(line.get(..start)?);
    if key.len() < 3 {
        return None;
    }
    let lower = key.to_ascii_lowercase();
    if FREE_FORM
        .iter()
        .any(|w| memchr::memmem::find(&lower, w.as_bytes()).is_some())
    {
        return None;
    }
    let mut named = None;
    for (i, format) in FORMATS.iter().enumerate() {
        if !names(format, key, &lower) {
            continue;
        }
        let shape = SHAPES[i].get_or_init(|| Regex::new(&format!("^(?:{})$", format.shape)).ok());
        match shape {
            Some(re) if re.is_match(value) => return None,
            // A shape that does not compile (never, for this fixed list)
            // keeps the value: the check only ever drops.
            None => return None,
            Some(_) => named = named.or(format.names.first().copied()),
        }
    }
    named
}

/// True when `key` (and its lowercase form) names `format`'s credential.
fn names(format: &Format, key: &[u8], lower: &[u8]) -> bool {
    let named = format.names.iter().any(|name| {
        if name.len() >= 5 {
            memchr::memmem::find(lower, name.as_bytes()).is_some()
        } else {
            key_words(key).any(|w| w.eq_ignore_ascii_case(name.as_bytes()))
        }
    });
    named
        && format
            .with
            .iter()
            .all(|w| memchr::memmem::find(lower, w.as_bytes()).is_some())
}

/// The key a value is assigned to: the name (words joined by `_`, `-`,
/// `.` or spaces, at most 64 bytes) right before the operator and quotes
/// that lead to the value (`AWS_SECRET_KEY` in `export AWS_SECRET_KEY="…"`,
/// `ollama key` in `ollama key = …`, `token` in `f(token: …)`).
fn assigned_key(head: &[u8]) -> &[u8] {
    let end = head
        .iter()
        .rposition(|b| !b" \t\"'`=:>,?|([{".contains(b))
        .map_or(0, |i| i + 1);
    let head = &head[..end];
    let start = head
        .iter()
        .rposition(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b' ')))
        .map_or(0, |i| i + 1)
        .max(end.saturating_sub(64));
    head[start..].trim_ascii()
}

/// The words of a key: split at every byte that is not a letter or digit
/// and where the case changes (`awsSecretKey`, `AWSSecretKey` → `aws`/`AWS`,
/// `Secret`, `Key`).
fn key_words(key: &[u8]) -> impl Iterator<Item = &[u8]> {
    key.split(|b| !b.is_ascii_alphanumeric())
        .flat_map(camel_words)
}

/// `part` split at its case changes (see [`key_words`]).
fn camel_words(part: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut start = 0;
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < part.len() {
            let cut = i > start
                && part[i].is_ascii_uppercase()
                && (!part[i - 1].is_ascii_uppercase()
                    || part.get(i + 1).is_some_and(u8::is_ascii_lowercase));
            if cut {
                let word = &part[start..i];
                start = i;
                return Some(word);
            }
            i += 1;
        }
        (start < part.len()).then(|| {
            let word = &part[start..];
            start = part.len();
            word
        })
    })
    .filter(|w| !w.is_empty())
}

#[cfg(test)]
#[path = "tests/named.rs"]
mod tests;
