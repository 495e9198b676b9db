//! Embeds every `rules/*.toml` file into the library, in name order.

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
    let mut out = String::from("[\n");
    for n in &names {
        println!("cargo:rerun-if-changed=rules/{n}");
        let abs = fs::canonicalize(dir.join(n)).expect("rule file path");
        out.push_str(&format!(
            "    ({n:?}, include_str!({:?})),\n",
            abs.to_string_lossy()
        ));
    }
    out.push(']');
    let out_dir = std::env::var("OUT_DIR").expect("OUT_DIR");
    fs::write(Path::new(&out_dir).join("builtin_rules.rs"), out).expect("write");
}
