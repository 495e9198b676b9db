//! `keepmum-corpus generate --out DIR --size 50MB [--seed N] [--density sparse|dense]`:
//! writes a deterministic synthetic tree and its `labels.json`.

use std::path::PathBuf;
use std::process::ExitCode;

use keepmum_corpus::{generate_tree, parse_size, Config, Density};

const USAGE: &str =
    "usage: keepmum-corpus generate --out DIR [--size 50MB] [--seed N] [--density sparse|dense]";

fn run(args: &[String]) -> Result<(), String> {
    let mut it = args.iter();
    match it.next().map(String::as_str) {
        Some("generate") => {}
        Some("-h" | "--help") | None => {
            println!("{USAGE}");
            return Ok(());
        }
        Some(other) => return Err(format!("unknown command {other:?}\n{USAGE}")),
    }
    let mut cfg = Config::default();
    let mut out: Option<PathBuf> = None;
    while let Some(a) = it.next() {
        let mut val = || it.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--out" => out = Some(PathBuf::from(val()?)),
            "--size" => {
                let v = val()?;
                cfg.size = parse_size(v).ok_or_else(|| format!("bad size {v:?} (try 50MB)"))?;
            }
            "--seed" => {
                let v = val()?;
                cfg.seed = v.parse().map_err(|_| format!("bad seed {v:?}"))?;
            }
            "--density" => {
                let v = val()?;
                cfg.density = Density::parse(v)
                    .ok_or_else(|| format!("bad density {v:?} (sparse or dense)"))?;
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unknown option {other:?}\n{USAGE}")),
        }
    }
    let out = out.ok_or_else(|| format!("--out is required\n{USAGE}"))?;
    let labels = generate_tree(&out, &cfg).map_err(|e| format!("{}: {e}", out.display()))?;
    let count = |k: &str| labels.items.iter().filter(|l| l.kind == k).count();
    println!(
        "wrote {} files, {} bytes to {} (seed {}, {}): {} secrets, {} pii, {} decoys labelled",
        labels.files,
        labels.bytes,
        out.display(),
        cfg.seed,
        cfg.density.as_str(),
        count("secret"),
        count("pii"),
        count("decoy")
    );
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("keepmum-corpus: {e}");
            ExitCode::from(2)
        }
    }
}
