//! Unit tests for `validators::gov_id` (kept in a `tests/` folder so the
//! repository's self-scan can skip their synthetic identifiers). Every
//! value here was built to pass its checksum; none is a real person's.

use super::*;
use proptest::prelude::*;

/// Runs `f` on `secret` as found inside `line`.
fn run(f: fn(&[u8], &Context<'_>) -> Verdict, line: &str, secret: &str) -> Verdict {
    let start = line.find(secret).unwrap_or(0);
    let c = Context {
        line: line.as_bytes(),
        secret_start: start,
        matched: secret.as_bytes(),
        ..Default::default()
    };
    f(secret.as_bytes(), &c)
}

fn dv(s: &str) -> Vec<u8> {
    digit_values(s.as_bytes())
}

/// `s` with the digits at `i` and `i + 1` swapped.
fn swapped(s: &str, i: usize) -> String {
    let mut b = s.as_bytes().to_vec();
    b.swap(i, i + 1);
    String::from_utf8(b).unwrap_or_default()
}

/// `s` with its digit at `i` moved by one.
fn off_by_one(s: &str, i: usize) -> String {
    let mut b = s.as_bytes().to_vec();
    b[i] = b'0' + (b[i] - b'0' + 1) % 10;
    String::from_utf8(b).unwrap_or_default()
}

#[test]
fn cpf_checksum() {
    assert!(cpf_check_valid(&dv("38492017597")));
    assert!(!cpf_check_valid(&dv(&off_by_one("38492017597", 4))));
    assert!(!cpf_check_valid(&dv(&swapped("38492017597", 1))));
    assert!(!cpf_check_valid(&dv("3849201759")));
    assert!(!cpf_check_valid(&dv("384920175970")));
}

#[test]
fn cpf_rule() {
    assert_eq!(
        run(br_cpf, "CPF: 384.920.175-97", "384.920.175-97"),
        Verdict::Accept
    );
    assert_eq!(
        run(br_cpf, "cliente cpf=38492017597", "38492017597"),
        Verdict::Accept
    );
    // No context word, wrong punctuation, a sample, glued.
    assert_eq!(
        run(br_cpf, "ref 384.920.175-97", "384.920.175-97"),
        Verdict::Reject
    );
    assert_eq!(
        run(br_cpf, "cpf 384-920-175-97", "384-920-175-97"),
        Verdict::Reject
    );
    assert_eq!(
        run(br_cpf, "cpf 111.111.111-11", "111.111.111-11"),
        Verdict::Reject
    );
    assert_eq!(
        run(br_cpf, "cpf v1.38492017597", "38492017597"),
        Verdict::Reject
    );
}

#[test]
fn verhoeff_checksum() {
    assert!(verhoeff_valid(&dv("2363")));
    assert!(verhoeff_valid(&dv("491837265019")));
    assert!(!verhoeff_valid(&dv(&off_by_one("491837265019", 5))));
    assert!(!verhoeff_valid(&dv(&swapped("491837265019", 2))));
    assert!(!verhoeff_valid(&[]));
}

#[test]
fn aadhaar_rule() {
    assert_eq!(
        run(in_aadhaar, "Aadhaar: 4918 3726 5019", "4918 3726 5019"),
        Verdict::Accept
    );
    assert_eq!(
        run(in_aadhaar, "aadhar_no=491837265019", "491837265019"),
        Verdict::Accept
    );
    assert_eq!(
        run(in_aadhaar, "uid 491837265019", "491837265019"),
        Verdict::Reject
    );
    assert_eq!(
        run(in_aadhaar, "aadhaar 4918 3726-5019", "4918 3726-5019"),
        Verdict::Reject
    );
    assert_eq!(
        run(in_aadhaar, "aadhaar 4918 3726 5018", "4918 3726 5018"),
        Verdict::Reject
    );
    // First digit 0 or 1 is never issued: a valid Verhoeff digit there too.
    let low = (0..10)
        .map(|k| format!("12345678901{k}"))
        .find(|s| verhoeff_valid(&dv(s)))
        .unwrap_or_default();
    assert_eq!(
        run(in_aadhaar, &format!("aadhaar {low}"), &low),
        Verdict::Reject
    );
}

#[test]
fn sin_rule() {
    assert!(crate::validators::pii::luhn_valid(&dv("464542869")));
    assert_eq!(
        run(ca_sin, "SIN: 464-542-869", "464-542-869"),
        Verdict::Accept
    );
    assert_eq!(
        run(ca_sin, "social insurance number 464 542 869", "464 542 869"),
        Verdict::Accept
    );
    assert_eq!(
        run(ca_sin, "employee sinNumber=464542869", "464542869"),
        Verdict::Accept
    );
    assert_eq!(
        run(ca_sin, "SIN: 464-542-868", "464-542-868"),
        Verdict::Reject
    );
    assert_eq!(
        run(
            ca_sin,
            &format!("SIN: {}", swapped("464542869", 3)),
            &swapped("464542869", 3)
        ),
        Verdict::Reject
    );
    assert_eq!(run(ca_sin, "using 464542869", "464542869"), Verdict::Reject);
    assert_eq!(
        run(ca_sin, "sin 464-542 869", "464-542 869"),
        Verdict::Reject
    );
    assert_eq!(run(ca_sin, "sin 46454286", "46454286"), Verdict::Reject);
}

#[test]
fn nino_rule() {
    assert!(nino_valid(b"JT482917B"));
    assert!(nino_valid(b"JT 48 29 17 B"));
    assert!(!nino_valid(b"JT 4829 17 B"));
    assert!(!nino_valid(b"QQ482917B")); // Q is never a first letter
    assert!(!nino_valid(b"JO482917B")); // O is never a second letter
    assert!(!nino_valid(b"GB482917B")); // unallocated prefix
    assert!(!nino_valid(b"JT482917E")); // suffix A-D only
    assert!(!nino_valid(b"JT123456B")); // sequential sample
    assert!(!nino_valid(b"JT48291B"));
    assert_eq!(
        run(uk_nino, "NINO: JT482917B", "JT482917B"),
        Verdict::Accept
    );
    assert_eq!(
        run(
            uk_nino,
            "National Insurance number JT 48 29 17 B",
            "JT 48 29 17 B"
        ),
        Verdict::Accept
    );
    assert_eq!(
        run(uk_nino, "NI number: JT482917B", "JT482917B"),
        Verdict::Accept
    );
    assert_eq!(run(uk_nino, "part JT482917B", "JT482917B"), Verdict::Reject);
}

#[test]
fn bsn_checksum() {
    assert!(bsn_check_valid(&dv("428175636")));
    assert!(!bsn_check_valid(&dv(&off_by_one("428175636", 0))));
    assert!(!bsn_check_valid(&dv(&swapped("428175636", 4))));
    assert!(!bsn_check_valid(&dv("42817563")));
    assert!(!bsn_check_valid(&dv("000000000")));
    assert_eq!(run(nl_bsn, "BSN: 428175636", "428175636"), Verdict::Accept);
    assert_eq!(
        run(nl_bsn, "burgerservicenummer 4281.75.636", "4281.75.636"),
        Verdict::Accept
    );
    assert_eq!(run(nl_bsn, "id 428175636", "428175636"), Verdict::Reject);
    assert_eq!(run(nl_bsn, "bsn 428175637", "428175637"), Verdict::Reject);
}

#[test]
fn dni_rule() {
    assert!(dni_valid(b"48291736Q"));
    assert!(dni_valid(b"48291736-Q"));
    assert!(dni_valid(b"X4821736Q"));
    assert!(dni_valid(b"Y3950281E"));
    assert!(!dni_valid(b"48291736R"));
    assert!(!dni_valid(b"48291763Q"));
    assert!(!dni_valid(b"4829173Q"));
    assert!(!dni_valid(b"00000000T"));
    assert_eq!(run(es_dni, "DNI: 48291736Q", "48291736Q"), Verdict::Accept);
    assert_eq!(run(es_dni, "NIE X4821736Q", "X4821736Q"), Verdict::Accept);
    assert_eq!(run(es_dni, "ref 48291736Q", "48291736Q"), Verdict::Reject);
}

proptest! {
    /// Every identifier validator is total: arbitrary bytes, any offsets.
    #[test]
    fn gov_id_never_panics(s in proptest::collection::vec(any::<u8>(), 0..40),
                           line in proptest::collection::vec(any::<u8>(), 0..80),
                           start in 0usize..128) {
        let c = Context { line: &line, secret_start: start, matched: &s, ..Default::default() };
        for f in [br_cpf, in_aadhaar, ca_sin, uk_nino, nl_bsn, es_dni] {
            let _ = f(&s, &c);
        }
        let _ = (cpf_check_valid(&s), verhoeff_valid(&s), bsn_check_valid(&s));
        let _ = (nino_valid(&s), dni_valid(&s));
    }

    /// One digit changed anywhere breaks the CPF, BSN and Verhoeff checks.
    #[test]
    fn single_digit_change_is_caught(body in "[0-9]{11}", pos in 0usize..12, delta in 1u8..10) {
        let mut d = dv(&body);
        let k = (0..10).find(|&k| { d.push(k); let v = verhoeff_valid(&d); d.pop(); v });
        prop_assume!(k.is_some());
        d.push(k.unwrap_or(0));
        d[pos] = (d[pos] + delta) % 10;
        prop_assert!(!verhoeff_valid(&d));
    }
}
