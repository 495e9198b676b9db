//! Offline checks that a regex candidate must pass before it becomes a
//! finding: entropy, checksums (Luhn, mod-97, mod-11), number ranges, and
//! placeholder/identifier filters.
//!
//! **Invariant:** no I/O, no network, deterministic, and linear in the
//! candidate's length. Each function takes the candidate bytes and returns a
//! verdict; none panics on any input.

pub(crate) mod entropy;
pub(crate) mod form;
pub(crate) mod formats;
pub(crate) mod gov_id;
pub(crate) mod heuristics;
pub(crate) mod known_public;
pub(crate) mod named;
pub(crate) mod paths;
pub(crate) mod pii;
pub(crate) mod placeholder;

use crate::finding::Confidence;
use crate::rules::ValidatorKind;

/// What a validator decided about a candidate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Not a real secret or PII value: drop it.
    Reject,
    /// Keep it, with the rule's confidence.
    Accept,
    /// Keep it, but with this confidence instead (e.g. a test card number).
    AcceptWith(Confidence),
}

/// The text around a candidate that validators may look at.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Context<'a> {
    /// The whole line (or window) containing the candidate.
    pub(crate) line: &'a [u8],
    /// Where the secret starts inside `line`.
    pub(crate) secret_start: usize,
    /// The whole regex match (secret plus its context).
    pub(crate) matched: &'a [u8],
    /// The engine's word memo of the haystack `line` is a window of
    /// (`None`: validators read `line` alone)...
    pub(crate) words: Option<&'a pii::WordMemo<'a>>,
    /// ... and where `line` starts in that haystack.
    pub(crate) line_start: usize,
}

/// The fewest ASCII digits a value accepted by `kind` holds (0: no bound).
/// The engine skips digit runs with fewer digits for such rules: the
/// validator would reject every match inside them anyway.
pub(crate) fn min_digits(kind: ValidatorKind) -> usize {
    match kind {
        ValidatorKind::Card => 13, // the shortest length `pii::card_lengths` allows
        ValidatorKind::Nhs => 10,
        ValidatorKind::Ssn => 9,
        _ => 0,
    }
}

/// True when `kind` rejects `token` (a whole token, `=` padding removed)
/// whatever its context. The engine uses it to drop token runs before any
/// regex runs on them.
pub(crate) fn rejects_token(kind: ValidatorKind, token: &[u8]) -> bool {
    match kind {
        ValidatorKind::HighEntropy => heuristics::high_entropy_token(token).is_err(),
        _ => false,
    }
}

/// [`rejects_token`] for every `=`-separated part of a token run, decided
/// from the run's length and character classes alone (`classes` holds the
/// prefilter's `HAS_UPPER`, `HAS_LOWER`, `HAS_DIGIT` and `HAS_NONHEX` bits).
/// `false` when the parts must be looked at.
pub(crate) fn rejects_token_classes(kind: ValidatorKind, len: usize, classes: u8) -> bool {
    use crate::engine::prefilter::{HAS_DIGIT, HAS_LOWER, HAS_NONHEX, HAS_UPPER};
    match kind {
        ValidatorKind::HighEntropy => heuristics::high_entropy_classes_reject(
            len,
            heuristics::TokenClasses {
                upper: classes & HAS_UPPER != 0,
                lower: classes & HAS_LOWER != 0,
                digit: classes & HAS_DIGIT != 0,
                nonhex: classes & HAS_NONHEX != 0,
            },
        ),
        _ => false,
    }
}

/// Runs validator `kind` on `secret`.
pub(crate) fn validate(kind: ValidatorKind, secret: &[u8], cx: &Context<'_>) -> Verdict {
    match kind {
        ValidatorKind::Card => pii::card(secret, cx),
        ValidatorKind::Ssn => pii::ssn(secret, cx),
        ValidatorKind::Iban => pii::iban(secret, cx),
        ValidatorKind::Nhs => pii::nhs(secret, cx),
        ValidatorKind::BrCpf => gov_id::br_cpf(secret, cx),
        ValidatorKind::InAadhaar => gov_id::in_aadhaar(secret, cx),
        ValidatorKind::CaSin => gov_id::ca_sin(secret, cx),
        ValidatorKind::UkNino => gov_id::uk_nino(secret, cx),
        ValidatorKind::NlBsn => gov_id::nl_bsn(secret, cx),
        ValidatorKind::EsDni => gov_id::es_dni(secret, cx),
        ValidatorKind::Phone => pii::phone(secret, cx),
        ValidatorKind::Email => pii::email(secret, cx),
        ValidatorKind::Assignment => heuristics::assignment(secret, cx),
        ValidatorKind::HighEntropy => heuristics::high_entropy(secret, cx),
        ValidatorKind::Jwt => heuristics::jwt(secret),
        ValidatorKind::JwtShaped => match heuristics::jwt(secret) {
            Verdict::Accept => Verdict::Reject,
            _ => Verdict::Accept,
        },
        ValidatorKind::BasicAuth => heuristics::basic_auth(secret),
        ValidatorKind::GrafanaLegacyKey => formats::grafana_legacy_key(secret),
        ValidatorKind::LinkedinClientId => formats::linkedin_client_id(secret),
        ValidatorKind::NotPlaceholder => {
            if placeholder::is_placeholder(secret) {
                Verdict::Reject
            } else {
                Verdict::Accept
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Every validator is total: arbitrary bytes, any offsets.
        #[test]
        fn validate_never_panics(s in proptest::collection::vec(any::<u8>(), 0..96),
                                 line in proptest::collection::vec(any::<u8>(), 0..160),
                                 start in 0usize..256) {
            let cx = Context { line: &line, secret_start: start, matched: &s, ..Default::default() };
            for kind in [
                ValidatorKind::Card, ValidatorKind::Ssn, ValidatorKind::Iban, ValidatorKind::Nhs,
                ValidatorKind::Phone, ValidatorKind::Email, ValidatorKind::Assignment,
                ValidatorKind::HighEntropy, ValidatorKind::Jwt, ValidatorKind::JwtShaped, ValidatorKind::NotPlaceholder, ValidatorKind::BasicAuth,
                ValidatorKind::GrafanaLegacyKey, ValidatorKind::LinkedinClientId,
                ValidatorKind::BrCpf, ValidatorKind::InAadhaar, ValidatorKind::CaSin,
                ValidatorKind::UkNino, ValidatorKind::NlBsn, ValidatorKind::EsDni,
            ] {
                let _ = validate(kind, &s, &cx);
            }
        }
    }
}
