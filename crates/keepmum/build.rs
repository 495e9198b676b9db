//! Embeds every `rules/*.toml` file into the library, in name order.
//!
//! Each file is converted from TOML to JSON here, at build time: parsing the
//! ~300 KB of built-in rules as TOML took 10–15 ms at run time, which every
//! short-lived hook process would pay; `serde_json` reads the same data in a
//! fraction of that. A file that is not valid TOML fails the build with its
//! name and the parser's message.

use std::fs;
use std::path::Path;

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
    let mut index = String::from("[\n");
    for n in &names {
        println!("cargo:rerun-if-changed=rules/{n}");
        let text = fs::read_to_string(dir.join(n)).expect("readable rule file");
        let value: toml::Value = match toml::from_str(&text) {
            Ok(v) => v,
            Err(e) => panic!("rules/{n} is not valid TOML: {e}"),
        };
        let json = serde_json::to_string(&value).expect("TOML values serialise as JSON");
        let json_name = format!("{}.json", n.trim_end_matches(".toml"));
        fs::write(Path::new(&out_dir).join(&json_name), json).expect("write");
        index.push_str(&format!(
            "    ({n:?}, include_str!(concat!(env!(\"OUT_DIR\"), \"/{json_name}\"))),\n"
        ));
    }
    index.push(']');
    fs::write(Path::new(&out_dir).join("builtin_rules.rs"), index).expect("write");
}
