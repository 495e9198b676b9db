//! Unit tests for `engine::prefilter` (kept in a `tests/` folder so the
//! repository's self-scan can skip their synthetic secrets).

use super::*;

#[test]
fn keyword_index_finds_all_positions() {
    let kws = vec![
        ("ghp_".to_string(), 0),
        ("hf_".to_string(), 1),
        ("password".to_string(), 2),
        ("pass".to_string(), 3),
    ];
    let idx = KeywordIndex::new(&kws);
    let hay = b"x ghp_abc hf_Tok PASSWORD= pass ";
    let mut hits = Vec::new();
    idx.scan(
        hay,
        false,
        false,
        20,
        |pos, rules| hits.push((pos, rules.to_vec())),
        |_, _| {},
        |_, _| {},
    );
    assert_eq!(hits[0], (2, vec![0]));
    assert_eq!(hits[1], (10, vec![1]));
    let (pos, mut rules) = hits[2].clone();
    rules.sort();
    assert_eq!((pos, rules), (17, vec![2, 3]));
    assert_eq!(hits[3], (27, vec![3]));
    assert_eq!(hits.len(), 4);
}

fn runs(hay: &[u8]) -> (Vec<String>, Vec<String>) {
    let idx = KeywordIndex::new(&[]);
    let (mut d, mut t) = (Vec::new(), Vec::new());
    let text = |s: usize, e: usize| String::from_utf8_lossy(&hay[s..e]).into_owned();
    idx.scan(
        hay,
        true,
        true,
        20,
        |_, _| {},
        |s, e| d.push(text(s, e)),
        |s, e| t.push(text(s, e)),
    );
    (d, t)
}

#[test]
fn digit_runs_are_found_at_every_offset() {
    for pad in 0..24 {
        let mut hay = vec![b'x'; pad];
        hay.extend_from_slice(b"123-45-6789");
        hay.extend_from_slice(&[b'y'; 20]);
        assert_eq!(runs(&hay).0, vec!["123-45-6789"], "pad {pad}");
    }
}

#[test]
fn digit_runs_report_exact_runs() {
    let hay = b"call +1 (555) 010-0199 now; v1.2.3; card 4111 1111 1111 1111; 2024 1024";
    assert_eq!(runs(b"88,423-71-9055").0, vec!["423-71-9055"]);
    assert_eq!(runs(hay).0, vec!["1 (555) 010-0199", "4111 1111 1111 1111"]);
}

#[test]
fn token_runs_need_length_and_mixed_classes() {
    for pad in 0..17 {
        let mut hay = vec![b' '; pad];
        hay.extend_from_slice(b"x = \"Zk9qR2x4TmVwQ3BhN0dXcz\" some_long_identifier_name_here;;");
        assert_eq!(runs(&hay).1, vec!["Zk9qR2x4TmVwQ3BhN0dXcz"], "pad {pad}");
    }
}
