//! Embeds every `rules/*.toml` file into the library, in name order.
//!
//! Each file's rules become entries of a static Rust table here, at build
//! time (`builtin_rules.rs`, see `rules/builtin.rs`): parsing the ~1,000
//! built-in rules at run time (as TOML 10–15 ms, as JSON about 12 million
//! instructions) was most of what every short-lived hook process paid to
//! start. The examples, which only tests and `rules list` read, stay JSON.
//! A file that is not valid TOML, or a rule with an unknown field or a
//! value of the wrong type, fails the build with its name and the reason.
//!
//! It also builds the vector kernels' keyword-bucket tables for the built-in
//! keywords (`src/engine/buckets.rs`, included here), exact ones and the
//! `avx2-nibble` kernel's nibble-split ones, milliseconds of work that every process
//! scanning anything would otherwise pay once.
//!
//! And it parses every built-in rule's regex once, for what the engine reads
//! off its syntax tree before building it (`src/engine/facts.rs`, included
//! here with the gates it uses): a scan then parses only the regexes it
//! builds.

use std::fs;
use std::path::Path;

#[allow(dead_code)] // the build uses the table builder only
#[path = "src/engine/buckets.rs"]
mod buckets;
#[allow(dead_code)] // the build reads syntax facts only
#[path = "src/engine/facts.rs"]
mod facts;
#[allow(dead_code)]
#[path = "src/engine/gate.rs"]
mod gate;
#[allow(dead_code)] // the build plans the built-in keywords' index only
#[path = "src/engine/keyword_plan.rs"]
mod keyword_plan;
#[allow(dead_code)]
#[path = "src/engine/runs.rs"]
mod runs;

fn main() {
    let dir = Path::new("rules");
    println!("cargo:rerun-if-changed=rules");
    for included in ["facts", "gate", "keyword_plan", "runs"] {
        println!("cargo:rerun-if-changed=src/engine/{included}.rs");
    }
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("rules directory")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    names.sort();
    let out_dir = std::env::var("OUT_DIR").expect("OUT_DIR");
    let mut keywords: Vec<String> = Vec::new();
    let mut table = String::from("[\n");
    let mut rule_keywords: Vec<(String, u32)> = Vec::new();
    let mut next_index = 0u32;
    let mut index = String::from("[\n");
    let mut facts_table = String::from("[\n");
    let mut strings = Strings::default();
    for n in &names {
        println!("cargo:rerun-if-changed=rules/{n}");
        let text = fs::read_to_string(dir.join(n)).expect("readable rule file");
        let value: toml::Value = match toml::from_str(&text) {
            Ok(v) => v,
            Err(e) => panic!("rules/{n} is not valid TOML: {e}"),
        };
        keywords.extend(prefilter_keywords(&value));
        let mut value = value;
        let examples = take_examples(&mut value);
        let stem = n.trim_end_matches(".toml");
        if let Err(e) = rule_table_entries(stem, &value, &mut strings, &mut table) {
            panic!("rules/{n}: {e}");
        }
        rule_keywords_into(&value, &mut next_index, &mut rule_keywords);
        for rule in value
            .get("rule")
            .and_then(|r| r.as_array())
            .into_iter()
            .flatten()
        {
            facts_table.push_str(&format!("    {},\n", syntax_facts(rule).source()));
        }
        let examples_name = format!("{stem}.examples.json");
        let examples = serde_json::to_string(&examples).expect("examples serialise as JSON");
        fs::write(Path::new(&out_dir).join(&examples_name), examples).expect("write");
        index.push_str(&format!(
            "    ({n:?}, include_str!(concat!(env!(\"OUT_DIR\"), \"/{examples_name}\"))),\n"
        ));
    }
    table.push(']');
    index.push(']');
    fs::write(Path::new(&out_dir).join("builtin_rules.rs"), table).expect("write");
    facts_table.push(']');
    fs::write(Path::new(&out_dir).join("builtin_facts.rs"), facts_table).expect("write");
    rule_keywords.sort();
    let mut sorted = String::from("[\n");
    for (k, i) in &rule_keywords {
        sorted.push_str(&format!("    ({}, {i}),\n", strings.put(k)));
    }
    sorted.push(']');
    fs::write(Path::new(&out_dir).join("builtin_keywords.rs"), sorted).expect("write");
    let plan = keyword_plan::plan(&rule_keywords);
    fs::write(
        Path::new(&out_dir).join("builtin_keyword_plan.rs"),
        keyword_plan_source(&plan, &mut strings),
    )
    .expect("write");
    let words = format!("[\n{}]", strings.words.join(""));
    fs::write(Path::new(&out_dir).join("builtin_words.rs"), words).expect("write");
    fs::write(
        Path::new(&out_dir).join("builtin_strings.txt"),
        &strings.text,
    )
    .expect("write");
    fs::write(Path::new(&out_dir).join("builtin_examples.rs"), index).expect("write");
    write_bucket_tables(Path::new(&out_dir), keywords);
}

/// The strings of the built-in tables, end to end (`builtin_strings.txt`),
/// each written once: the tables refer to them by range (`builtin::Str`);
/// and their word lists, end to end (`builtin_words.rs`), which the rules
/// refer to by run (`builtin::WordRun`). Ranges, not pointers: a pointer
/// in a static table is a relocation every process applies when it loads.
#[derive(Default)]
struct Strings {
    text: String,
    at: std::collections::HashMap<String, (usize, usize)>,
    /// The word lists' `Str` expressions, one line each.
    words: Vec<String>,
}

impl Strings {
    /// `s` as a `Str` expression, its text added on first use.
    fn put(&mut self, s: &str) -> String {
        let (start, end) = match self.at.get(s) {
            Some(&range) => range,
            None => {
                let range = (self.text.len(), self.text.len() + s.len());
                self.text.push_str(s);
                self.at.insert(s.to_string(), range);
                range
            }
        };
        assert!(
            end <= u32::MAX as usize,
            "built-in strings outgrow u32 offsets"
        );
        format!("Str {{ start: {start}, end: {end} }}")
    }

    /// A word list as a `WordRun` expression, its words added.
    fn put_words(&mut self, list: &[&str]) -> String {
        let start = self.words.len();
        for w in list {
            let s = self.put(w);
            self.words.push(format!("    {s},\n"));
        }
        let end = self.words.len();
        format!("WordRun {{ start: {start}, end: {end} }}")
    }
}

/// The built-in keywords' index plan as a `BuiltinPlan` expression (see
/// `rules/builtin.rs`).
fn keyword_plan_source(plan: &keyword_plan::KeywordPlan, strings: &mut Strings) -> String {
    let list = |items: Vec<String>| items.join(", ");
    let mut rules = plan.rule_lists.clone();
    rules.sort_unstable();
    rules.dedup();
    format!(
        "BuiltinPlan {{\n    patterns: &[{}],\n    rule_lists: &[{}],\n    rule_ends: &[{}],\n    \
         entries: &[{}],\n    heads: &[{}],\n    rules: {},\n}}",
        list(plan.patterns.iter().map(|p| strings.put(p)).collect()),
        list(plan.rule_lists.iter().map(u32::to_string).collect()),
        list(plan.rule_ends.iter().map(u32::to_string).collect()),
        list(
            plan.entries
                .iter()
                .map(|(x, i)| format!("({x}, {i})"))
                .collect()
        ),
        list(
            plan.heads
                .iter()
                .map(|h| format!(
                    "crate::engine::keyword_plan::Head {{ bytes: {:?}, mask: {:?} }}",
                    h.bytes, h.mask
                ))
                .collect()
        ),
        rules.len(),
    )
}

/// What the engine reads off a rule's regex before building it, parsed with
/// the engine's syntax settings (`syntax_config` in `src/engine/mod.rs`:
/// bytes, not Unicode; `^`/`$` at the ends); the test
/// `builtin_facts_match_the_parsed_regexes` compares them.
fn syntax_facts(rule: &toml::Value) -> facts::SyntaxFacts {
    let regex = rule.get("regex").and_then(|r| r.as_str()).unwrap_or("");
    let keywords: Vec<String> = rule
        .get("keywords")
        .and_then(|k| k.as_array())
        .into_iter()
        .flatten()
        .filter_map(|k| k.as_str())
        .map(String::from)
        .collect();
    let hir = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .multi_line(false)
        .build()
        .parse(regex)
        .ok();
    facts::SyntaxFacts::of(hir.as_ref(), &keywords)
}

/// Writes the bucket tables of the built-in keywords: `builtin_tables.rs`
/// (the AVX-512 kernel's exact lookups, `buckets::AVX512_GROUPS` groups)
/// and `builtin_nibble_tables.rs` (the `avx2-nibble` kernel's nibble
/// split; see `buckets::build_nibble_tables`).
fn write_bucket_tables(out_dir: &Path, mut keywords: Vec<String>) {
    println!("cargo:rerun-if-changed=src/engine/buckets.rs");
    keywords.sort();
    keywords.dedup();
    let prefixes: Vec<&[u8]> = keywords.iter().map(|k| k.as_bytes()).collect();
    for (name, tables) in [
        ("builtin_tables.rs", buckets::build_avx512_tables(&prefixes)),
        (
            "builtin_nibble_tables.rs",
            buckets::build_nibble_tables(&prefixes),
        ),
    ] {
        let mut text = String::from("[\n");
        for table in tables {
            text.push_str(&format!("    {table:?},\n"));
        }
        text.push(']');
        fs::write(out_dir.join(name), text).expect("write");
    }
}

/// Moves every rule's `examples` and `negative_examples` out of a rule
/// file into `{id: [examples, negative_examples]}`: only tests and
/// `rules list` read them, and parsing them cost every hook process about
/// half of the rule set's start-up.
fn take_examples(file: &mut toml::Value) -> serde_json::Map<String, serde_json::Value> {
    let mut out = serde_json::Map::new();
    let Some(rules) = file.get_mut("rule").and_then(|r| r.as_array_mut()) else {
        return out;
    };
    for rule in rules {
        let Some(table) = rule.as_table_mut() else {
            continue;
        };
        let mut take = |key: &str| {
            let list = table.remove(key).unwrap_or(toml::Value::Array(Vec::new()));
            serde_json::to_value(list).expect("TOML values serialise as JSON")
        };
        let pair = serde_json::Value::Array(vec![take("examples"), take("negative_examples")]);
        if let Some(id) = table.get("id").and_then(|v| v.as_str()) {
            out.insert(id.to_string(), pair);
        }
    }
    out
}

/// The lowercase keywords of a rule file's keyword-prefiltered rules (what
/// the engine's keyword index is built from).
fn prefilter_keywords(file: &toml::Value) -> Vec<String> {
    let rules = file.get("rule").and_then(|r| r.as_array());
    rules
        .into_iter()
        .flatten()
        .filter(|r| {
            r.get("prefilter")
                .and_then(|p| p.as_str())
                .unwrap_or("keywords")
                == "keywords"
        })
        .filter_map(|r| r.get("keywords").and_then(|k| k.as_array()))
        .flatten()
        .filter_map(|k| k.as_str())
        .map(|k| k.to_ascii_lowercase())
        .collect()
}

/// Appends one `(family, RuleSpec { … })` entry per rule of a rule file to
/// `out`, as Rust source: the static table of `rules/builtin.rs`. Mirrors
/// `RuleSpec`'s serde shape (defaults, kebab-case enum names, unknown fields
/// rejected); the test `builtin_rules_match_their_files` compares the table
/// with what the run-time TOML parser makes of the same files.
fn rule_table_entries(
    family: &str,
    file: &toml::Value,
    strings: &mut Strings,
    out: &mut String,
) -> Result<(), String> {
    let Some(top) = file.as_table() else {
        return Err("not a table".into());
    };
    if let Some(key) = top.keys().find(|k| *k != "rule") {
        return Err(format!("unknown top-level key `{key}`"));
    }
    let rules = match top.get("rule") {
        None => return Ok(()),
        Some(toml::Value::Array(rules)) => rules,
        Some(_) => return Err("`rule` is not an array of tables".into()),
    };
    for rule in rules {
        let Some(rule) = rule.as_table() else {
            return Err("a `rule` entry is not a table".into());
        };
        let id = rule.get("id").and_then(|v| v.as_str()).unwrap_or("?");
        let entry = rule_spec_source(rule, strings).map_err(|e| format!("rule {id:?}: {e}"))?;
        let family = strings.put(family);
        out.push_str(&format!("    ({family}, {entry}),\n"));
    }
    Ok(())
}

/// Appends (lowercase keyword, index in the built-in table) for every
/// keyword of a rule file's keyword-prefiltered rules; `next_index` is the
/// table index of the file's first rule, and is moved past its last.
fn rule_keywords_into(file: &toml::Value, next_index: &mut u32, out: &mut Vec<(String, u32)>) {
    let rules = file.get("rule").and_then(|r| r.as_array());
    for rule in rules.into_iter().flatten() {
        let index = *next_index;
        *next_index += 1;
        let prefilter = rule.get("prefilter").and_then(|p| p.as_str());
        if prefilter.unwrap_or("keywords") != "keywords" {
            continue;
        }
        let keywords = rule.get("keywords").and_then(|k| k.as_array());
        for k in keywords.into_iter().flatten().filter_map(|k| k.as_str()) {
            out.push((k.to_ascii_lowercase(), index));
        }
    }
}

/// One rule table as a `RuleSpec` expression (see [`rule_table_entries`]).
fn rule_spec_source(
    rule: &toml::map::Map<String, toml::Value>,
    strings: &mut Strings,
) -> Result<String, String> {
    const FIELDS: &[&str] = &[
        "id",
        "description",
        "category",
        "regex",
        "secret_group",
        "keywords",
        "prefilter",
        "min_entropy",
        "confidence",
        "tags",
        "validator",
        "multiline",
        "detect_secrets",
        "specificity",
        "allowlist",
        "path",
    ];
    if let Some(key) = rule.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(format!("unknown field `{key}`"));
    }
    let text = |key: &str| -> Result<Option<&str>, String> {
        match rule.get(key) {
            None => Ok(None),
            Some(toml::Value::String(s)) => Ok(Some(s.as_str())),
            Some(_) => Err(format!("`{key}` is not a string")),
        }
    };
    let required = |key: &str| text(key)?.ok_or_else(|| format!("missing field `{key}`"));
    let option = |v: Option<String>| v.map_or("None".to_string(), |v| format!("Some({v})"));
    let variant = |key: &str, ty: &str| -> Result<Option<String>, String> {
        match rule.get(key) {
            None => Ok(None),
            Some(toml::Value::String(s)) => Ok(Some(format!("{ty}::{}", camel(s)?))),
            Some(_) => Err(format!("`{key}` is not a string")),
        }
    };
    let secret_group = match rule.get("secret_group") {
        None => "None".to_string(),
        Some(toml::Value::Integer(g)) if *g >= 0 => format!("Some({g})"),
        Some(_) => return Err("`secret_group` is not a non-negative integer".into()),
    };
    let min_entropy = match rule.get("min_entropy") {
        None => "None".to_string(),
        Some(toml::Value::Float(f)) => format!("Some({:?}f32)", *f as f32),
        Some(toml::Value::Integer(i)) => format!("Some({:?}f32)", *i as f32),
        Some(_) => return Err("`min_entropy` is not a number".into()),
    };
    let multiline = match rule.get("multiline") {
        None => false,
        Some(toml::Value::Boolean(b)) => *b,
        Some(_) => return Err("`multiline` is not a boolean".into()),
    };
    let allowlist = match rule.get("allowlist") {
        None => format!(
            "crate::rules::RuleAllowlist {{ regexes: {none}, stopwords: {none}, paths: {none} }}",
            none = words(None, "allowlist", strings)?
        ),
        Some(toml::Value::Table(t)) => {
            if let Some(key) = t
                .keys()
                .find(|k| !["regexes", "stopwords", "paths"].contains(&k.as_str()))
            {
                return Err(format!("unknown allowlist field `{key}`"));
            }
            format!(
                "crate::rules::RuleAllowlist {{ regexes: {}, stopwords: {}, paths: {} }}",
                words(t.get("regexes"), "allowlist.regexes", strings)?,
                words(t.get("stopwords"), "allowlist.stopwords", strings)?,
                words(t.get("paths"), "allowlist.paths", strings)?,
            )
        }
        Some(_) => return Err("`allowlist` is not a table".into()),
    };
    let id = text_source(required("id")?, strings);
    let description = text_source(required("description")?, strings);
    let regex = text_source(required("regex")?, strings);
    let detect_secrets = text("detect_secrets")?.map(|s| text_source(s, strings));
    let path = text("path")?.map(|s| text_source(s, strings));
    let keywords = words(rule.get("keywords"), "keywords", strings)?;
    let tags = words(rule.get("tags"), "tags", strings)?;
    Ok(format!(
        "crate::rules::RuleSpec {{ id: {id}, description: {description}, category: {category}, \
         regex: {regex}, secret_group: {secret_group}, keywords: {keywords}, prefilter: {prefilter}, \
         min_entropy: {min_entropy}, confidence: {confidence}, tags: {tags}, validator: {validator}, \
         multiline: {multiline}, detect_secrets: {detect_secrets}, specificity: {specificity}, \
         allowlist: {allowlist}, examples: Vec::new(), negative_examples: Vec::new(), path: {path} }}",
        category = variant("category", "crate::finding::Category")?
            .unwrap_or_else(|| "crate::finding::Category::Secret".into()),
        prefilter = option(variant("prefilter", "crate::rules::Prefilter")?),
        confidence = variant("confidence", "crate::finding::Confidence")?
            .unwrap_or_else(|| "crate::finding::Confidence::Medium".into()),
        validator = option(variant("validator", "crate::rules::ValidatorKind")?),
        detect_secrets = option(detect_secrets),
        specificity = option(variant("specificity", "crate::rules::Specificity")?),
        path = option(path),
    ))
}

/// A string of a rule as a `Text::Builtin` expression.
fn text_source(s: &str, strings: &mut Strings) -> String {
    format!("crate::rules::Text::Builtin({})", strings.put(s))
}

/// A list of strings as a `Words::Builtin` expression.
fn words(value: Option<&toml::Value>, key: &str, strings: &mut Strings) -> Result<String, String> {
    let items = match value {
        None => return Ok("crate::rules::Words::Builtin(WordRun::EMPTY)".into()),
        Some(toml::Value::Array(items)) => items,
        Some(_) => return Err(format!("`{key}` is not an array")),
    };
    let mut list = Vec::new();
    for item in items {
        let Some(s) = item.as_str() else {
            return Err(format!("`{key}` holds a value that is not a string"));
        };
        list.push(s);
    }
    Ok(format!(
        "crate::rules::Words::Builtin({})",
        strings.put_words(&list)
    ))
}

/// A kebab-case or lowercase enum name (`token-run`) as its Rust variant
/// name (`TokenRun`); an unknown name then fails to compile, naming it.
fn camel(name: &str) -> Result<String, String> {
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-') {
        return Err(format!("`{name}` is not a known name"));
    }
    Ok(name
        .split('-')
        .map(|part| {
            let mut c = part.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect())
}
