//! The shortcuts `Engine::confirm` takes on keyword-dense input are exact:
//! on random input made of keywords, separators, quotes and values, with
//! real-shaped (synthetic) secrets planted among them, a scan reports the
//! same findings as the plain path, which captures and checks every match
//! (kept in a `tests/` folder so the repository's self-scan can skip their
//! synthetic secrets).

use crate::engine::oracle::both_paths;

/// Pieces the inputs are made of: assignment names, separators, quotes,
/// short and long values, secrets, spaces and line breaks.
const PIECES: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "token",
    "auth_token",
    "access_token",
    "secret",
    "client_secret",
    "api_key",
    "apikey",
    "ACCESS_KEY",
    "credentials",
    "PASSWORD",
    "=",
    ": ",
    " = ",
    ":=",
    "=>",
    "\"",
    "'",
    "`",
    ",",
    " ",
    "\n",
    "x",
    "tok1",
    "test",
    "(",
    "]",
    "Zq8Lw2Nx5Rt7Vy3Pb6Hd9Kf4",
    "Tr0ub4dor&3x",
    "q2W9eR4tY7uI1oP3aS6d",
    "h7Gk2pQ9x",
    "9fT2qLw8ZxV3nR6pB1mK",
    "AKIA",
    "ghp_",
    "AKIAZ2Q8LW2NX5RT7VY3",
    "ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8",
    // Addresses and URL credentials, plain and not (see `engine::email`).
    "@",
    ".",
    "-",
    "_",
    "jane.roe",
    "acme-corp",
    "northwind",
    ".com",
    ".io",
    ".co.uk",
    "x@y.io ",
    "k.lee@startup.io",
    "https://user:pass@host.invalid/",
    "https://bob:Zq8Lw2Nx5Rt7@db.northwind.com/x",
];

#[test]
fn a_secret_among_short_values_on_one_line_is_found_on_both_paths() {
    let hay = format!(
        "{}AUTH_TOKEN=9fT2qLw8ZxV3nR6pB1mK {}",
        "token: ".repeat(300),
        "token: ".repeat(300)
    );
    let (fast, plain) = both_paths(hay.as_bytes());
    assert_eq!(fast, plain);
    assert!(fast.iter().any(|f| f.0 == "generic-token"), "{fast:?}");
}

#[test]
fn a_key_planted_in_a_long_line_of_its_prefix_is_found_on_both_paths() {
    // Windows of the prefix's rule overlap every 2 KiB and hold no match
    // until the key: the searches that skip what an earlier window searched
    // must still find it, wherever it is.
    let keys: [(&str, &str, &str); 2] = [
        ("AKIA", " AKIAZ2Q8LW2NX5RT7VY3 ", "aws-access-key-id"),
        (
            "ghp_",
            " ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8 ",
            "github-pat",
        ),
    ];
    for (prefix, key, rule) in keys {
        for at in [0, 2047, 3000, 4096, 4101, 6150, 9001, 15_000, 19_990] {
            let mut hay = prefix.repeat(5000).into_bytes();
            hay.splice(at..at, key.bytes());
            let (fast, plain) = both_paths(&hay);
            assert_eq!(fast, plain, "{rule} at {at}");
            assert!(fast.iter().any(|f| f.0 == rule), "{rule} at {at}: {fast:?}");
        }
    }
}

#[test]
fn repeated_lines_get_the_findings_of_the_plain_path() {
    // The same line over and over: a keyword rule's answer for a line is
    // taken from the last equal line, for lines with and without a secret,
    // after a different line, at the input's ends, with a line before
    // that differs (inline allow comments).
    let lines = [
        "password=x\n",
        "AUTH_TOKEN=9fT2qLw8ZxV3nR6pB1mK\n",
        // Same length as the line above, no secret.
        "AUTH_TOKEN=xxxxxxxxxxxxxxxxxxxx\n",
        "AUTH_TOKEN(xxxxxxxxxxxxxxxxxxxx\n",
        "\"access_token\": \"tok1\",\n",
        "# pragma: allowlist secret\n",
        "db_password = \"Tr0ub4dor&3x\"\n",
        "url = https://user:Zq8Lw2Nx5R@host.invalid/\n",
    ];
    for (i, a) in lines.iter().enumerate() {
        for b in &lines[i..] {
            for hay in [
                format!("{}{}{}", a.repeat(3), b.repeat(4), a.repeat(2)),
                format!("{}{}", b, a.repeat(5)).trim_end().to_string(),
                format!("{a}{b}").repeat(4),
            ] {
                let (fast, plain) = both_paths(hay.as_bytes());
                assert_eq!(fast, plain, "{hay:?}");
            }
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(96))]

    #[test]
    fn dense_input_gets_the_findings_of_the_plain_path(
        picks in proptest::collection::vec(0usize..PIECES.len(), 0..400),
        repeat in 1usize..4,
    ) {
        let unit: String = picks.iter().map(|&i| PIECES[i]).collect();
        let hay = unit.repeat(repeat);
        let (fast, plain) = both_paths(hay.as_bytes());
        proptest::prop_assert_eq!(fast, plain);
    }
}

#[test]
fn self_repeating_values_and_a_planted_secret_get_the_plain_paths_findings() {
    // Values that repeat their own opening are turned away before the
    // generic checks run (see `Engine::sample_on_sight`), and so is a value
    // refused on sight the second time in a row (`refused_again`); a secret
    // among them, or one that repeats itself only past its first 12 bytes,
    // is still judged as on the plain path.
    for unit in [
        "password=",
        "password=\"",
        "token = 'tok1' ",
        "apikey=",
        "token=Zq8Lw2Nx5Rt7",
        "secret: Tr0ub4dor&3x",
    ] {
        for planted in [
            "",
            " db_password=Tr0ub4dor&3x ",
            " AUTH_TOKEN=9fT2qLw8ZxV3nR6pB1mKq2W9eR4tY7uI ",
            " api_key=q2W9eR4tY7uI1oP3aS6dq2W9eR4tY7uI1oP3aS6d ",
        ] {
            let hay = format!("{}{planted}{}", unit.repeat(200), unit.repeat(90));
            let (fast, plain) = both_paths(hay.as_bytes());
            assert_eq!(fast, plain, "{unit} {planted}");
            if planted.contains("Tr0ub4dor") {
                assert!(!fast.is_empty(), "{unit} {planted}");
            }
        }
    }
}

/// Lines of the generic rules' keywords, with and without a match, with
/// and without a secret (see `keyword_lines`).
const KEYWORD_LINES: &[&str] = &[
    "\"access_token\": \"tok{n}\",",
    "token = next(tokens{n})",
    "the token {n} expired",
    "AUTH_TOKEN=9fT2qLw8ZxV3nR6pB1mK",
    "\"access_token\": \"Zq8Lw2Nx5Rt7Vy3Pb6Hd9Kf4\",",
    "# pragma: allowlist secret",
    "db_password = \"Tr0ub4dor&3x\"",
    "password: {n}",
    "",
    "x = {n}",
    // Values exactly as long as their names' shortest (see
    // `CompiledRule::shortest_value`).
    "db_password = \"Zq8Lw2\"",
    "AUTH_TOKEN=\"9fT2qLw8ZxV3\"",
];

/// `picks` of [`KEYWORD_LINES`], one per line, `{n}` replaced by the
/// line's number (so no two lines are the same).
fn keyword_lines(picks: &[usize]) -> String {
    picks
        .iter()
        .enumerate()
        .map(|(n, &i)| KEYWORD_LINES[i].replace("{n}", &n.to_string()) + "\n")
        .collect()
}

#[test]
fn a_secret_on_a_line_after_a_run_of_keyword_lines_is_found_on_both_paths() {
    // A keyword line right after a run of whole lines that held a match
    // joins the run without a search of its own: it is still searched (and
    // its secret found) when the run's lines are.
    for secret in [3, 4, 6, 10, 11] {
        for before in 1..4 {
            for kind in [0, 1, 2, 7] {
                let mut picks = vec![kind; before];
                picks.push(secret);
                picks.push(0);
                let hay = keyword_lines(&picks);
                let (fast, plain) = both_paths(hay.as_bytes());
                assert_eq!(fast, plain, "{hay:?}");
                assert!(!fast.is_empty(), "{hay:?}");
            }
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(96))]

    #[test]
    fn distinct_keyword_lines_get_the_findings_of_the_plain_path(
        picks in proptest::collection::vec(0usize..KEYWORD_LINES.len(), 0..120),
    ) {
        let hay = keyword_lines(&picks);
        let (fast, plain) = both_paths(hay.as_bytes());
        proptest::prop_assert_eq!(fast, plain);
    }
}

#[test]
fn repeated_token_runs_get_the_findings_of_the_plain_path() {
    // A token run judged on sight is not judged again when the next run has
    // the same bytes (see `TokenLines::rejects`): runs rejected and runs
    // kept, back to back, alternating, on credential lines and off them,
    // split at `=`, with a different run of the same length between.
    let runs = [
        "eyJhbGciOiJIUzI1NiJ9",
        "Zq8Lw2Nx5Rt7Vy3Pb6Hd9Kf4",
        "q2W9eR4tY7uI1oP3aS6d",
        "9fT2qLw8ZxV3nR6pB1mK",
        "Zq8Lw2Nx5Rt7Vy3Pb6Hd9Kf4=q2W9eR4tY7uI1oP3aS6d",
    ];
    for (i, a) in runs.iter().enumerate() {
        for b in &runs[i..] {
            for sep in [".", " ", "\n", "\nsecret: ", " auth "] {
                for hay in [
                    format!("{a}{sep}").repeat(6),
                    format!("credential {a}{sep}{a}{sep}{b}{sep}{b}{sep}{a}"),
                    format!("{a}{sep}{b}{sep}").repeat(3),
                ] {
                    let (fast, plain) = both_paths(hay.as_bytes());
                    assert_eq!(fast, plain, "{hay:?}");
                }
            }
        }
    }
}
