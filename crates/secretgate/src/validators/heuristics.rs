//! Heuristics for the generic detectors: assignment values and high-entropy
//! strings that are not hashes, UUIDs or identifiers.

use super::{entropy, placeholder, Context, Verdict};

/// `keyword = value` candidates.
pub(crate) fn assignment(secret: &[u8], _cx: &Context<'_>) -> Verdict {
    if placeholder::is_placeholder(secret) || entropy::shannon(secret) < 3.0 {
        Verdict::Reject
    } else {
        Verdict::Accept
    }
}

/// Standalone high-entropy strings.
pub(crate) fn high_entropy(secret: &[u8], _cx: &Context<'_>) -> Verdict {
    if entropy::shannon(secret) < 4.5 {
        Verdict::Reject
    } else {
        Verdict::Accept
    }
}

/// JSON Web Tokens.
pub(crate) fn jwt(_secret: &[u8]) -> Verdict {
    Verdict::Accept
}
