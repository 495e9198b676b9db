//! UTC timestamps in RFC 3339 form, without a date library: baselines'
//! `generated_at`, commit dates in history findings, the audit trail.

use std::time::{SystemTime, UNIX_EPOCH};

/// Formats seconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SSZ`.
///
/// ```
/// assert_eq!(keepmum::time::utc_rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
/// ```
pub fn utc_rfc3339(secs: i64) -> String {
    let (date, rem) = split(secs);
    format!(
        "{date}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Formats seconds and milliseconds since the Unix epoch as
/// `YYYY-MM-DDTHH:MM:SS.mmmZ`.
pub fn utc_rfc3339_millis(secs: i64, millis: u32) -> String {
    let (date, rem) = split(secs);
    format!(
        "{date}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60,
        millis.min(999)
    )
}

/// The current time as `YYYY-MM-DDTHH:MM:SSZ` (the epoch if the clock is
/// before it).
pub fn now_utc() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    utc_rfc3339(i64::try_from(secs).unwrap_or(i64::MAX))
}

/// `YYYY-MM-DD` of the day and the seconds into it.
fn split(secs: i64) -> (String, i64) {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    (format!("{y:04}-{m:02}-{d:02}"), secs.rem_euclid(86_400))
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian
/// (Howard Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z.saturating_add(719_468);
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(utc_rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc_rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(utc_rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(utc_rfc3339(-1), "1969-12-31T23:59:59Z");
        assert_eq!(utc_rfc3339_millis(0, 42), "1970-01-01T00:00:00.042Z");
    }
}
