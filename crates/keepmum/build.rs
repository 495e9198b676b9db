//! Embeds every `rules/*.toml` file into the library, in name order.
//!
//! Each file is converted from TOML to JSON here, at build time: parsing the
//! ~300 KB of built-in rules as TOML took 10–15 ms at run time, which every
//! short-lived hook process would pay; `serde_json` reads the same data in a
//! fraction of that. A file that is not valid TOML fails the build with its
//! name and the parser's message.
//!
//! It also builds the vector kernels' keyword-bucket tables for the built-in
//! keywords (`src/engine/buckets.rs`, included here), exact ones and the
//! AVX2 kernel's nibble-split ones, milliseconds of work that every process
//! scanning anything would otherwise pay once.

use std::fs;
use std::path::Path;

#[allow(dead_code)] // the build uses the table builder only
#[path = "src/engine/buckets.rs"]
mod buckets;

fn main() {
    let dir = Path::new("rules");
    println!("cargo:rerun-if-changed=rules");
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("rules directory")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    names.sort();
    let out_dir = std::env::var("OUT_DIR").expect("OUT_DIR");
    let mut keywords: Vec<String> = Vec::new();
    let mut index = String::from("[\n");
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
        let json = serde_json::to_string(&value).expect("TOML values serialise as JSON");
        let json_name = format!("{stem}.json");
        fs::write(Path::new(&out_dir).join(&json_name), json).expect("write");
        let examples_name = format!("{stem}.examples.json");
        let examples = serde_json::to_string(&examples).expect("examples serialise as JSON");
        fs::write(Path::new(&out_dir).join(&examples_name), examples).expect("write");
        index.push_str(&format!(
            "    ({n:?}, include_str!(concat!(env!(\"OUT_DIR\"), \"/{json_name}\")), \
             include_str!(concat!(env!(\"OUT_DIR\"), \"/{examples_name}\"))),\n"
        ));
    }
    index.push(']');
    fs::write(Path::new(&out_dir).join("builtin_rules.rs"), index).expect("write");
    write_bucket_tables(Path::new(&out_dir), keywords);
}

/// Writes the bucket tables of the built-in keywords: `builtin_tables.rs`
/// (exact lookups: AVX-512, NEON) and `builtin_nibble_tables.rs` (the AVX2
/// kernel's nibble split; see `buckets::build_nibble_tables`).
fn write_bucket_tables(out_dir: &Path, mut keywords: Vec<String>) {
    println!("cargo:rerun-if-changed=src/engine/buckets.rs");
    keywords.sort();
    keywords.dedup();
    let prefixes: Vec<&[u8]> = keywords.iter().map(|k| k.as_bytes()).collect();
    for (name, tables) in [
        ("builtin_tables.rs", buckets::build_tables(&prefixes)),
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
