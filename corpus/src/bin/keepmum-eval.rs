//! `keepmum-eval --tree DIR [--threads N] [--no-pii] [--findings FILE]`:
//! scans a generated tree with the keepmum library (or reads another
//! tool's findings as `path<TAB>line[<TAB>rule[<TAB>confidence]]` lines) and scores the
//! result against the tree's `labels.json`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Instant;

use keepmum::{Confidence, FileScan, Scanner, WalkEvent, Walker};
use keepmum_corpus::eval::{score, Hit};
use keepmum_corpus::{Labels, LABELS_FILE};

const USAGE: &str = "usage: keepmum-eval --tree DIR [--threads N] [--no-pii] [--findings FILE]";

fn rel(root: &Path, p: &Path) -> String {
    p.strip_prefix(root)
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

fn scan(root: &Path, threads: usize, pii: bool) -> Result<(Vec<Hit>, u64, f64), String> {
    let t0 = Instant::now();
    let scanner = Scanner::builder()
        .pii(pii)
        .build()
        .map_err(|e| e.to_string())?;
    let build_ms = t0.elapsed().as_secs_f64() * 1000.0;
    let hits = Mutex::new(Vec::new());
    let bytes = Mutex::new(0u64);
    let mut walker = Walker::new();
    walker.threads(threads);
    let t1 = Instant::now();
    walker.run(&[root], &scanner, |ev| match ev {
        WalkEvent::File {
            path,
            scan: FileScan::Scanned { findings, bytes: n },
        } => {
            let r = rel(root, &path);
            if r == LABELS_FILE {
                return;
            }
            if let Ok(mut b) = bytes.lock() {
                *b += n;
            }
            let mut local: Vec<Hit> = findings
                .iter()
                .map(|f| Hit {
                    path: r.clone(),
                    line: f.line(),
                    end_line: f.end_line(),
                    rule: f.rule_id().to_string(),
                    tags: f.tags().to_vec(),
                    low_confidence: f.confidence() == Confidence::Low,
                })
                .collect();
            if let Ok(mut h) = hits.lock() {
                h.append(&mut local);
            }
        }
        WalkEvent::Error { error, .. } => eprintln!("keepmum-eval: warning: {error}"),
        _ => {}
    });
    let secs = t1.elapsed().as_secs_f64();
    let hits = hits.into_inner().map_err(|e| e.to_string())?;
    let bytes = bytes.into_inner().map_err(|e| e.to_string())?;
    println!(
        "engine build {build_ms:.1} ms; scanned {:.1} MB in {secs:.3} s ({:.0} MB/s, {} thread(s))",
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / secs.max(1e-9),
        if threads == 0 {
            "all".to_string()
        } else {
            threads.to_string()
        }
    );
    Ok((hits, bytes, secs))
}

fn read_findings(file: &Path) -> Result<Vec<Hit>, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let mut out = Vec::new();
    for (i, l) in text.lines().enumerate() {
        if l.trim().is_empty() {
            continue;
        }
        let mut parts = l.split('\t');
        let path = parts
            .next()
            .unwrap_or("")
            .trim_start_matches("./")
            .to_string();
        let line: usize = parts
            .next()
            .and_then(|s| s.trim().parse().ok())
            .ok_or_else(|| format!("{}:{}: expected path<TAB>line", file.display(), i + 1))?;
        let rule = parts.next().unwrap_or("?").to_string();
        out.push(Hit {
            path,
            line,
            end_line: line,
            rule,
            tags: vec![],
            low_confidence: false,
        });
    }
    Ok(out)
}

fn run(args: &[String]) -> Result<(), String> {
    let mut tree: Option<PathBuf> = None;
    let mut findings: Option<PathBuf> = None;
    let mut threads = 0usize;
    let mut pii = true;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut val = || it.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--tree" => tree = Some(PathBuf::from(val()?)),
            "--findings" => findings = Some(PathBuf::from(val()?)),
            "--threads" => {
                let v = val()?;
                threads = v.parse().map_err(|_| format!("bad thread count {v:?}"))?;
            }
            "--no-pii" => pii = false,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unknown option {other:?}\n{USAGE}")),
        }
    }
    let tree = tree.ok_or_else(|| format!("--tree is required\n{USAGE}"))?;
    let labels =
        Labels::read(&tree).map_err(|e| format!("{}/{LABELS_FILE}: {e}", tree.display()))?;
    let hits = match findings {
        Some(f) => read_findings(&f)?,
        None => scan(&tree, threads, pii)?.0,
    };
    let hits: Vec<Hit> = hits.into_iter().filter(|h| h.path != LABELS_FILE).collect();
    let s = score(&labels, &hits);
    print!("{}", s.table());
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("keepmum-eval: {e}");
            ExitCode::from(2)
        }
    }
}
