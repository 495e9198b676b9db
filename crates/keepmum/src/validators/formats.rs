//! Format checks for provider rules whose regex alone lets other things
//! through: a Grafana legacy API key is base64 of a JSON object with the
//! key, its name and its organisation (`{"k":…,"n":…,"id":…}`), so a
//! readable `eyJrIjoi…` object with other fields is something else (Power BI
//! report links share the opening); a LinkedIn
//! client id mixes lowercase letters and digits, where English words
//! (`authentication`) have no digit.

use super::Verdict;

/// A Grafana legacy API key: base64 of `{"k":"…","n":"…","id":…}`. A
/// payload that reads as a JSON object must have those fields; one that does
/// not read (the key bytes of most samples) is given the benefit of the
/// doubt.
pub(crate) fn grafana_legacy_key(secret: &[u8]) -> Verdict {
    let Some(json) = super::heuristics::base64url_decode(secret).filter(|j| !j.is_empty()) else {
        return Verdict::Reject;
    };
    let has = |field: &[u8]| memchr::memmem::find(&json, field).is_some();
    let readable = json.iter().all(|b| b.is_ascii_graphic() || *b == b' ') && has(b"\",\"");
    if !readable || (has(b"\"n\":\"") && has(b"\"id\":")) {
        Verdict::Accept
    } else {
        Verdict::Reject
    }
}

/// A LinkedIn client id: lowercase letters and digits, at least one of
/// each (a word, or a camel-case name, is not one).
pub(crate) fn linkedin_client_id(secret: &[u8]) -> Verdict {
    let shape = secret
        .iter()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if shape && secret.iter().any(u8::is_ascii_digit) && secret.iter().any(u8::is_ascii_lowercase) {
        Verdict::Accept
    } else {
        Verdict::Reject
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grafana_legacy_keys_decode_to_their_json() {
        // {"k":"Qx7R…","n":"ci-deploy","id":1}
        // Built from pieces: the repository scans itself clean.
        let key = concat!(
            "eyJrIjoiUXg3UnYybVhuOVR6TDRiWWM4SGRKM3NQZkE2ZVV3RzEi",
            "LCJuIjoiY2ktZGVwbG95IiwiaWQiOjF9"
        );
        assert_eq!(grafana_legacy_key(key.as_bytes()), Verdict::Accept);
        // {"k":"…","t":"…","c":5}: a Power BI report link's parameter.
        let report = b"eyJrIjoiYjdlMmM5MWQtNWEzZi00YzhlLTlkMTAtNmYyYThiNGMwZTdkIiwidCI6IjNmOWExYzdlLTJiOGQtNGU2Zi1hMGM1LTlkN2IxZTNmNWEyYyIsImMiOjV9";
        assert_eq!(grafana_legacy_key(report), Verdict::Reject);
        // Bytes that do not read as JSON: kept.
        assert_eq!(
            grafana_legacy_key(b"eyJrIjoiebYswWh2ADb+Q/D6ldb0BXqumIycTrokkbKS56Pln"),
            Verdict::Accept
        );
        assert_eq!(grafana_legacy_key(b"eyJrIjoi!!"), Verdict::Reject);
        assert_eq!(grafana_legacy_key(b""), Verdict::Reject);
    }

    #[test]
    fn linkedin_client_ids_mix_letters_and_digits() {
        assert_eq!(linkedin_client_id(b"86yfz3r2q7y4lf"), Verdict::Accept);
        assert_eq!(linkedin_client_id(b"authentication"), Verdict::Reject);
        assert_eq!(linkedin_client_id(b"OAuth2Session"), Verdict::Reject);
        assert_eq!(linkedin_client_id(b"123456789012"), Verdict::Reject);
        assert_eq!(linkedin_client_id(b""), Verdict::Reject);
    }
}
