//! Unit tests for `rules::gitleaks` (kept in a `tests/` folder so the
//! repository's self-scan can skip their synthetic secrets).

use super::*;
use crate::Scanner;

fn tr(s: &str) -> String {
    translate_regex(s).unwrap().pattern
}

fn scanner(cfg: &str) -> Scanner {
    let (rules, allow) = RuleSet::from_gitleaks_toml(cfg).unwrap();
    Scanner::builder()
        .rules(rules)
        .allowlist(allow)
        .build()
        .unwrap()
}

fn ids(s: &Scanner, text: &str) -> Vec<String> {
    s.scan_bytes(text.as_bytes())
        .iter()
        .map(|f| f.rule_id().to_string())
        .collect()
}

/// A synthetic 32-char lowercase alphanumeric value.
fn fake32() -> String {
    "a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6".to_string()
}

#[test]
fn go_syntax_is_translated() {
    assert_eq!(tr(r"^\$(?:\d+|{\d+})$"), r"^\$(?:\d+|\{\d+\})$");
    assert_eq!(tr(r"a{2,3}b{4}c{5,}"), r"a{2,3}b{4}c{5,}");
    assert_eq!(tr(r"\Qa.b\E+"), r"a\.b+");
    assert_eq!(tr(r"\101\0"), r"\x{41}\x{0}");
    assert_eq!(tr(r"[[a]"), r"[\[a]");
    assert_eq!(tr(r"[]a]"), r"[\]a]");
    assert_eq!(tr(r"[^]a]"), r"[^\]a]");
    assert_eq!(tr(r"[a&&b~~c]"), r"[a\&\&b\~\~c]");
    assert_eq!(tr(r"[[:alpha:]_]"), r"[[:alpha:]_]");
    assert_eq!(tr(r"(?i)x(?-i:Y)"), r"(?i)x(?-i:Y)");
    for bad in [r"\pL", r"a(?=b)", r"(?<!x)y", r"\1", r"[abc", r"x\"] {
        assert!(translate_regex(bad).is_err(), "{bad}");
    }
    // Every translated regex parses.
    for ok in [
        r"^\$(?:\d+|{\d+})$",
        r"[\w .-/]+",
        r"^\{\{[ \t]*[\w ().|]+[ \t]*}}$",
    ] {
        parse_hir(&tr(ok)).unwrap();
    }
}

#[test]
fn newline_detection() {
    assert!(translate_regex(r"a\nb").unwrap().newline);
    assert!(translate_regex(r"(?s)a.b").unwrap().newline);
    assert!(translate_regex(r"(?is:a.b)").unwrap().newline);
    assert!(!translate_regex(r"a\\nb").unwrap().newline);
    assert!(!translate_regex(r"(?i)a\sb").unwrap().newline);
    assert!(!translate_regex(r"(?-s:a.b)").unwrap().newline);
}

#[test]
fn required_literals_are_derived() {
    let h = |s: &str| parse_hir(&tr(s)).unwrap();
    assert_eq!(
        required_literals(&h(r"\bxoxb-[0-9]{10}")),
        Some(vec!["xoxb-".into()])
    );
    assert_eq!(
        required_literals(&h(r"(sk|pk)_(live|test)_[a-z0-9]{24}")),
        Some(vec![
            "pk_live_".into(),
            "pk_test_".into(),
            "sk_live_".into(),
            "sk_test_".into()
        ])
    );
    // Case-insensitive: many case variants collapse to lowercase ones.
    let ci = required_literals(&h(r"(?i)(sk|pk)_(live|test)_[a-z0-9]{24}")).unwrap();
    assert!(
        ci.iter().all(|k| k.len() >= 3 && k == &k.to_lowercase()),
        "{ci:?}"
    );
    assert_eq!(
        required_literals(&h(r"[a-z]{3,}_token=([a-z0-9]{32})")),
        Some(vec!["_token=".into()])
    );
    assert_eq!(required_literals(&h(r"[a-z0-9]{32}")), None);
    assert_eq!(required_literals(&h(r"ab\w+")), None);
}

#[test]
fn entropy_is_strictly_greater() {
    let t = entropy_threshold(3.0).unwrap();
    assert!(t > 3.0 && t < 3.0001);
    assert_eq!(entropy_threshold(0.0), None);
    assert_eq!(entropy_threshold(-1.0), None);
    assert_eq!(entropy_threshold(f64::NAN), None);
}

const CUSTOM: &str = r#"
title = "team config"
minVersion = "v8.25.0"

[[rules]]
id = "acme-api-key"
description = "ACME API key"
regex = '''(?i)acme[\w.-]{0,20}\s*[:=]\s*['"]?([a-z0-9]{32})['"]?'''
secretGroup = 1
entropy = 3
keywords = ["acme"]
tags = ["acme", "custom"]
  [[rules.allowlists]]
  regexes = ['''^0+$''']
  stopwords = ["example"]
  [[rules.allowlists]]
  paths = ['''(?:^|/)testdata/''']

[[rules]]
id = "widget-token"
description = "Widget token"
regex = '''\b(wgt_[A-Za-z0-9]{20})\b'''

[allowlist]
description = "global"
regexes = ['''^\${[A-Z_]+}$''']
paths = ['''(?:^|/)vendor/''']
"#;

#[test]
fn custom_rules_find_and_skip() {
    let s = scanner(CUSTOM);
    let key = fake32();
    assert_eq!(
        ids(&s, &format!("ACME_KEY = \"{key}\"\n")),
        ["acme-api-key"]
    );
    // Low entropy: all zeros is rejected by entropy and by the allowlist.
    assert!(ids(&s, &format!("acme_key = \"{}\"\n", "0".repeat(32))).is_empty());
    // Stopword.
    assert!(ids(&s, "acme_key = \"example0a1b2c3d4e5f6g7h8i9j0k1l2m3\"\n").is_empty());
    // Keyword absent.
    assert!(ids(&s, &format!("other = \"{key}\"\n")).is_empty());
    // A keyword-less rule gets its keyword from the regex literal.
    let tok = format!("wgt_{}", "Ab12Cd34Ef56Gh78Ij90");
    assert_eq!(ids(&s, &format!("x: {tok}\n")), ["widget-token"]);
    assert!(ids(&s, "x: wgt_short\n").is_empty());
    let w = s.rules().get("widget-token").unwrap();
    assert_eq!(w.keywords(), ["wgt_"]);
    let a = s.rules().get("acme-api-key").unwrap();
    assert_eq!(a.tags(), ["acme", "custom"]);
}

#[test]
fn rule_and_global_path_allowlists() {
    let s = scanner(CUSTOM);
    let text = format!("acme_key = \"{}\"\n", fake32());
    let at = |p: &str| {
        s.scan_bytes_at(text.as_bytes(), std::path::Path::new(p))
            .len()
    };
    assert_eq!(at("src/app.py"), 1);
    assert_eq!(at("pkg/testdata/app.py"), 0);
    assert_eq!(at("vendor/lib/app.py"), 0);
}

#[test]
fn global_allowlist_regex_is_translated() {
    let (_, allow) = RuleSet::from_gitleaks_toml(CUSTOM).unwrap();
    assert_eq!(allow.secret_regexes, [r"^\$\{[A-Z_]+\}$"]);
}

#[test]
fn use_default_adds_builtin_rules_and_disables() {
    let builtin = RuleSet::builtin();
    let first = builtin.iter().next().unwrap().id().to_string();
    let cfg = format!(
        "[extend]\nuseDefault = true\ndisabledRules = [\"{first}\"]\n{}",
        &CUSTOM[CUSTOM.find("[[rules]]").unwrap()..]
    );
    let (rules, _) = RuleSet::from_gitleaks_toml(&cfg).unwrap();
    assert!(rules.get(&first).is_none());
    assert!(rules.get("acme-api-key").is_some());
    assert_eq!(rules.len(), builtin.len() - 1 + 2);
}

#[test]
fn same_id_replaces_and_regexless_rule_extends() {
    let cfg = r#"
[extend]
useDefault = true
[[rules]]
id = "github-pat"
description = "replaced"
regex = '''ghp_[A-Za-z0-9]{36}'''
keywords = ["ghp_"]
"#;
    let (rules, _) = RuleSet::from_gitleaks_toml(cfg).unwrap();
    assert_eq!(rules.get("github-pat").unwrap().description(), "replaced");
    assert_eq!(rules.len(), RuleSet::builtin().len());

    let cfg = r#"
[extend]
useDefault = true
[[rules]]
id = "github-pat"
  [[rules.allowlists]]
  stopwords = ["a1b2c3"]
"#;
    let s = scanner(cfg);
    let tok = format!("ghp_{}", "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8");
    assert!(ids(&s, &format!("t = \"{tok}\"\n")).is_empty());
    assert!(!ids(&Scanner::new(), &format!("t = \"{tok}\"\n")).is_empty());
}

#[test]
fn target_rules_restrict_global_allowlists() {
    let cfg = r#"
[[rules]]
id = "alpha-token"
regex = '''alpha_[a-z0-9]{16}'''
[[rules]]
id = "beta-token"
regex = '''beta_[a-z0-9]{16}'''
[[allowlists]]
targetRules = ["alpha-token"]
stopwords = ["zzz"]
"#;
    let s = scanner(cfg);
    assert!(ids(&s, "a = alpha_zzz0123456789abc\n").is_empty());
    assert_eq!(ids(&s, "b = beta_zzz0123456789abcd\n"), ["beta-token"]);
    assert_eq!(ids(&s, "a = alpha_yyy0123456789abc\n"), ["alpha-token"]);
}

#[test]
fn and_allowlists_and_commits() {
    let cfg = r#"
[[rules]]
id = "alpha-token"
regex = '''alpha_[a-z0-9]{16}'''
  [[rules.allowlists]]
  condition = "AND"
  paths = ['''^docs/''']
  stopwords = ["zzz"]
  [[rules.allowlists]]
  commits = ["0123456789abcdef0123456789abcdef01234567"]
"#;
    let cfg = load(cfg).unwrap();
    assert_eq!(cfg.warnings.len(), 2, "{:?}", cfg.warnings);
    let s = Scanner::builder().rules(cfg.rules).build().unwrap();
    // The AND allowlist is dropped: reported even under docs/ with zzz.
    let f = s.scan_bytes_at(b"a = alpha_zzz0123456789abc\n", "docs/x.md".as_ref());
    assert_eq!(f.len(), 1);
}

#[test]
fn path_rules() {
    let cfg = r#"
[[rules]]
id = "env-secret"
regex = '''SECRET=(\S{8,})'''
path = '''\.env$'''
[[rules]]
id = "pem-file"
path = '''\.pem$'''
"#;
    let cfg = load(cfg).unwrap();
    assert!(cfg.rules.get("pem-file").is_none());
    assert!(cfg.warnings.iter().any(|w| w.contains("pem-file")));
    let s = Scanner::builder().rules(cfg.rules).build().unwrap();
    let text = b"SECRET=Zq8vK2mX9pL4\n";
    assert_eq!(s.scan_bytes_at(text, "app/.env".as_ref()).len(), 1);
    assert!(s.scan_bytes_at(text, "app/env.txt".as_ref()).is_empty());
}

#[test]
fn keywordless_rule_without_literal_uses_token_runs() {
    let cfg = "[[rules]]\nid = \"hex-blob\"\nregex = '''\\b([a-f0-9]{40})\\b'''\n";
    let cfg = load(cfg).unwrap();
    assert_eq!(cfg.warnings.len(), 1);
    let r = cfg.rules.get("hex-blob").unwrap();
    assert_eq!(r.prefilter(), Prefilter::TokenRun);
    let s = Scanner::builder().rules(cfg.rules).build().unwrap();
    let hex = "0123456789abcdef".repeat(3);
    assert_eq!(
        s.scan_bytes(format!("sha {}\n", &hex[..40]).as_bytes())
            .len(),
        1
    );
}

#[test]
fn errors_name_the_rule() {
    let bad = [
        ("[[rules]]\nid = \"r1\"\nregex = '''(?=x)abc'''\n", "r1"),
        ("[[rules]]\nid = \"r2\"\nregex = '''\\pLabc'''\n", "r2"),
        (
            "[[rules]]\nid = \"r3\"\nregex = '''(abc)'''\nsecretGroup = 2\n",
            "r3",
        ),
        ("[[rules]]\nid = \"r4\"\nregex = '''abc('''\n", "r4"),
        ("[[rules]]\nid = \"r5\"\n", "r5"),
    ];
    for (cfg, id) in bad {
        let e = RuleSet::from_gitleaks_toml(cfg).unwrap_err();
        assert_eq!(e.rule_id(), Some(id), "{e}");
    }
    for cfg in [
        "[[rules]]\nid = \"x1\"\nregex = 'abcd'\n[[rules]]\nid = \"x1\"\nregex = 'abcd'\n",
        "[extend]\nuseDefault = true\npath = \"x.toml\"\n",
        "[[allowlists]]\ndescription = \"empty\"\n",
        "[[rules]]\nid = \"x2\"\nregex = 'abcd'\n[[rules.allowlists]]\ncondition = \"XOR\"\nregexes = ['a']\n",
        "rules = 5",
    ] {
        assert!(RuleSet::from_gitleaks_toml(cfg).is_err(), "{cfg}");
    }
}

#[test]
fn skip_report_and_legacy_allowlist() {
    let cfg = r#"
[[rules]]
id = "aux"
regex = '''auxv_[0-9]{8}'''
skipReport = true
[[rules]]
id = "main-token"
regex = '''main_([0-9a-z]{12})'''
entropy = 2
  [rules.allowlist]
  regexes = ['''^0000''']
"#;
    let s = scanner(cfg);
    assert!(s.rules().get("aux").is_none());
    assert_eq!(ids(&s, "main_a1b2c3d4e5f6\n"), ["main-token"]);
    assert!(ids(&s, "main_0000c3d4e5f6\n").is_empty());
}

#[test]
fn extend_path_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.toml");
    std::fs::write(
        &base,
        "[[rules]]\nid = \"base-rule\"\nregex = 'basetok_[0-9]{6}'\n",
    )
    .unwrap();
    let cfg = format!(
        "[extend]\npath = '{}'\n[[rules]]\nid = \"top\"\nregex = 'toptok_[0-9]{{6}}'\n",
        base.display()
    );
    let (rules, _) = RuleSet::from_gitleaks_toml(&cfg).unwrap();
    assert!(rules.get("base-rule").is_some() && rules.get("top").is_some());
    let missing = "[extend]\npath = '/nonexistent/gitleaks-base.toml'\n";
    assert!(RuleSet::from_gitleaks_toml(missing).unwrap_err().is_io());
}

mod props {
    use super::super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn translate_never_panics(s in "\\PC{0,40}") {
            let _ = translate_regex(&s).map(|t| parse_hir(&t.pattern));
        }

        #[test]
        fn translate_go_ish_regexes(s in "[\\[\\]{}()?:*+\\\\a-c0-9,|^$&~-]{0,30}") {
            if let Ok(t) = translate_regex(&s) {
                if let Ok(h) = parse_hir(&t.pattern) {
                    let _ = required_literals(&h);
                }
            }
        }

        #[test]
        fn parser_never_panics(s in "\\PC{0,200}") {
            let _ = load(&s);
        }

        #[test]
        fn parser_never_panics_on_config_shapes(
            id in "[a-z-]{0,8}",
            re in "[a-z\\[\\](){}?*+\\\\0-9]{0,16}",
            kw in "[a-z_]{0,5}",
            group in -2i64..4,
            ent in -1.0f64..6.0,
        ) {
            let cfg = format!(
                "[[rules]]\nid = {id:?}\nregex = {re:?}\nkeywords = [{kw:?}]\nsecretGroup = {group}\nentropy = {ent}\n"
            );
            if let Ok(cfg) = load(&cfg) {
                let _ = crate::Scanner::builder().rules(cfg.rules).build();
            }
        }
    }
}

/// issue 17: a token that ends its line, in the middle of a file, matched
/// `(?:\s|$)` in gitleaks (where `\s` takes the newline) but not here.
#[test]
fn dollar_matches_at_a_line_end_mid_file() {
    assert_eq!(
        translate_rule_regex(r"a[$]b$").unwrap().pattern,
        r"a[$]b(?m:$)"
    );
    assert_eq!(tr(r"a$"), r"a$");
    assert_eq!(
        translate_rule_regex(r"(?:[^\w-]|\z)").unwrap().pattern,
        r"(?:[^\w-]|(?m:$))"
    );
    let cfg = r#"
[[rules]]
id = "tok"
keywords = ["tkn_"]
regex = '''\b(tkn_[a-z0-9]{32})(?:[\x60'"\s;]|\\[nr]|$)'''
"#;
    let s = scanner(cfg);
    let text = format!("# header\ntkn_{}\nmore = 1\n", fake32());
    assert_eq!(ids(&s, &text), ["tok"]);
    // Still at the very end of the text, and still not inside a word.
    assert_eq!(ids(&s, &format!("tkn_{}", fake32())), ["tok"]);
    assert!(ids(&s, &format!("tkn_{}x\n", fake32())).is_empty());
}

/// issue 17: gitleaks' private-key regex spans lines with `[\s\S-]`.
#[test]
fn private_key_blocks_span_lines() {
    assert!(translate_regex(r"a[\s\S-]{4,}?b").unwrap().newline);
    assert!(translate_regex(r"a[\W\w]+b").unwrap().newline);
    assert!(!translate_regex(r"a[\s\w]+b").unwrap().newline);
    let cfg = r#"
[[rules]]
id = "pk"
keywords = ["-----begin"]
regex = '''(?i)-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----[\s\S-]{64,}?KEY(?: BLOCK)?-----'''
"#;
    let s = scanner(cfg);
    let body = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo".repeat(2);
    let text = format!(
        "-----BEGIN RSA PRIVATE KEY-----\n{body}\n{body}\n{body}\n-----END RSA PRIVATE KEY-----\n"
    );
    assert_eq!(ids(&s, &text), ["pk"]);
}

/// issue 17: a rule whose only keyword is two bytes long (`"zz"`) must
/// still run (gitleaks gates on keywords of any length).
#[test]
fn short_keywords_still_gate_the_rule() {
    let cfg = r#"
[[rules]]
id = "zz-key"
keywords = ["zz"]
regex = '''\b(zz[0-9a-f]{24})\b'''
"#;
    let s = scanner(cfg);
    assert_eq!(ids(&s, "k = zz0123456789abcdef01234567\n"), ["zz-key"]);
    assert!(ids(&s, "k = ZZ0123456789abcdef01234567\n").is_empty());
    let cfg = r#"
[[rules]]
id = "zz-ci"
keywords = ["zz"]
regex = '''(?i)\b(zz[0-9a-f]{24})\b'''
"#;
    let s = scanner(cfg);
    assert_eq!(ids(&s, "k = Zz0123456789abcdef01234567\n"), ["zz-ci"]);
}

/// issue 17: gitleaks gates a rule on a keyword anywhere in the file and
/// then runs the regex over the whole file. A short token with a two-byte
/// keyword, or a match that holds no keyword, is still found.
#[test]
fn keywords_gate_the_whole_file_like_gitleaks() {
    let cfg = r#"
[[rules]]
id = "zz-short"
keywords = ["zz"]
regex = '''\b(zz[0-9]{6})\b'''

[[rules]]
id = "fb-like"
keywords = ["facebook"]
regex = '''\b(\d{15}\|[0-9a-z]{27})\b'''
"#;
    let loaded = load(cfg).unwrap();
    for id in ["zz-short", "fb-like"] {
        assert_eq!(
            loaded.rules.get(id).unwrap().prefilter(),
            Prefilter::FileKeywords,
            "{id}"
        );
    }
    let s = scanner(cfg);
    assert_eq!(ids(&s, "x = zz123456\n"), ["zz-short"]);
    assert!(ids(&s, "x = yy123456\n").is_empty());
    let fb = "123456789012345|abcdefghijklmnopqrstuvwxyz1";
    assert_eq!(
        ids(&s, &format!("# Facebook app\n\nid = {fb}\n")),
        ["fb-like"]
    );
    assert!(ids(&s, &format!("# app\n\nid = {fb}\n")).is_empty());
}

#[test]
fn a_provider_rule_wins_the_span_over_gitleaks_generic_rule() {
    // gitleaks' `generic-api-key` also matches a keyword-context provider
    // token, from the same first byte (its regex takes the whole identifier);
    // the provider rule must be the one reported, whatever the order.
    let value = fake32();
    for order in [[0, 1], [1, 0]] {
        let rules = [
            "[[rules]]\nid = \"generic-api-key\"\nregex = '''(?i)[\\w.-]{0,50}?(?:key|token)[\\w.-]{0,20}\\s*=\\s*\"([a-z0-9]{32})\"'''\nkeywords = [\"key\", \"token\"]\n",
            "[[rules]]\nid = \"cohere-api-token\"\nregex = '''(?i)cohere[\\w.-]{0,20}\\s*=\\s*\"([a-z0-9]{32})\"'''\nkeywords = [\"cohere\"]\n",
        ];
        let cfg = format!("{}\n{}", rules[order[0]], rules[order[1]]);
        let s = scanner(&cfg);
        let found = ids(&s, &format!("cohere_api_token = \"{value}\""));
        assert_eq!(found, ["cohere-api-token"], "order {order:?}");
    }
}
