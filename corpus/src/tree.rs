//! Writing a whole synthetic tree and its `labels.json`.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::langs::{FileKind, WEIGHTS};
use crate::rng::Rng;
use crate::tokens::{self, Kind, Plant};
use crate::words::WORDS;

/// How many items are planted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Density {
    /// A few planted items per megabyte (a realistic repository).
    Sparse,
    /// Items every couple of kilobytes (a stress test for the validators).
    Dense,
}

impl Density {
    /// Parses `sparse` or `dense`.
    pub fn parse(s: &str) -> Option<Density> {
        match s {
            "sparse" => Some(Density::Sparse),
            "dense" => Some(Density::Dense),
            _ => None,
        }
    }

    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Density::Sparse => "sparse",
            Density::Dense => "dense",
        }
    }

    /// Expected bytes per planted (secret, PII, decoy) item.
    fn bytes_per(self) -> (f64, f64, f64) {
        match self {
            Density::Sparse => (100_000.0, 150_000.0, 70_000.0),
            Density::Dense => (2_000.0, 3_000.0, 2_000.0),
        }
    }
}

/// What to generate.
#[derive(Clone, Debug)]
pub struct Config {
    /// Approximate total size of the files, in bytes.
    pub size: u64,
    /// PRNG seed: the same seed gives a byte-identical tree.
    pub seed: u64,
    /// How many items to plant.
    pub density: Density,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            size: 50 << 20,
            seed: 1,
            density: Density::Sparse,
        }
    }
}

/// One planted item, as recorded in `labels.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    /// Path relative to the tree root, `/`-separated.
    pub path: String,
    /// First 1-based line holding the value.
    pub line: usize,
    /// Last 1-based line holding the value (same as `line` for one-liners).
    pub end_line: usize,
    /// `secret`, `pii` or `decoy`.
    pub kind: String,
    /// Expected rule family (for decoys: the family that might wrongly fire).
    pub family: String,
    /// Finer name, e.g. `github-pat`, `test-card`.
    pub name: String,
}

/// The whole `labels.json` document.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Labels {
    /// Format version (1).
    pub version: u32,
    /// Seed used.
    pub seed: u64,
    /// Density used.
    pub density: String,
    /// Number of files written (excluding `labels.json`).
    pub files: usize,
    /// Bytes written (excluding `labels.json`).
    pub bytes: u64,
    /// Every planted item, in path then line order.
    pub items: Vec<Label>,
}

/// The name of the labels file at the tree root.
pub const LABELS_FILE: &str = "labels.json";

impl Labels {
    /// Reads `DIR/labels.json`.
    ///
    /// # Errors
    /// I/O errors and malformed JSON (as `InvalidData`).
    pub fn read(dir: &Path) -> io::Result<Labels> {
        let text = fs::read(dir.join(LABELS_FILE))?;
        serde_json::from_slice(&text).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }
}

fn poisson_ish(rng: &mut Rng, mean: f64) -> usize {
    let base = mean.floor();
    base as usize + usize::from(rng.chance(mean - base))
}

fn pick_kind(rng: &mut Rng) -> FileKind {
    let total: u32 = WEIGHTS.iter().map(|w| w.1).sum();
    let mut r = rng.below(total as u64) as u32;
    for &(k, w) in WEIGHTS {
        if r < w {
            return k;
        }
        r -= w;
    }
    FileKind::Rust
}

fn file_size(rng: &mut Rng, kind: FileKind) -> usize {
    match kind {
        FileKind::PackageLock | FileKind::CargoLock | FileKind::GoSum => {
            rng.urange(20_000, 200_000)
        }
        FileKind::Csv => rng.urange(2_000, 8_000),
        FileKind::Env | FileKind::Dockerfile => rng.urange(200, 1_500),
        _ => match rng.below(100) {
            0..=59 => rng.urange(1_000, 8_000),
            60..=89 => rng.urange(8_000, 32_000),
            90..=98 => rng.urange(32_000, 128_000),
            _ => rng.urange(128_000, 1_000_000),
        },
    }
}

struct Project {
    root: &'static str,
    name: String,
}

fn dir_for(rng: &mut Rng, kind: FileKind, p: &Project) -> String {
    let base = format!("{}/{}", p.root, p.name);
    let w = |rng: &mut Rng| rng.pick(WORDS).to_string();
    let nest = |rng: &mut Rng| {
        let depth = rng.urange(0, 3);
        (0..depth)
            .map(|_| rng.pick(WORDS).to_string())
            .collect::<Vec<_>>()
            .join("/")
    };
    let join = |a: String, b: String| if b.is_empty() { a } else { format!("{a}/{b}") };
    match kind {
        FileKind::Rust | FileKind::C => join(format!("{base}/src"), nest(rng)),
        FileKind::Python => join(format!("{base}/{}", p.name.replace('-', "_")), nest(rng)),
        FileKind::JavaScript | FileKind::TypeScript => join(format!("{base}/src"), nest(rng)),
        FileKind::Go => join(format!("{base}/internal"), nest(rng)),
        FileKind::Java => format!(
            "{base}/src/main/java/com/{}/{}",
            p.name.replace('-', ""),
            w(rng)
        ),
        FileKind::Shell => {
            if rng.chance(0.5) {
                "scripts".to_string()
            } else {
                format!("{base}/scripts")
            }
        }
        FileKind::Yaml => match rng.below(3) {
            0 => format!("deploy/k8s/{}", p.name),
            1 => format!("{base}/config"),
            _ => ".github/workflows".to_string(),
        },
        FileKind::Json => format!("{base}/{}", *rng.pick(&["config", "fixtures", "data"])),
        FileKind::Toml => format!("{base}/config"),
        FileKind::Env
        | FileKind::Dockerfile
        | FileKind::PackageLock
        | FileKind::CargoLock
        | FileKind::GoSum => base,
        FileKind::Properties => format!("{base}/src/main/resources"),
        FileKind::Terraform => format!("infra/terraform/{}", w(rng)),
        FileKind::Sql => "db/migrations".to_string(),
        FileKind::Markdown => {
            if rng.chance(0.5) {
                format!("docs/{}", w(rng))
            } else {
                format!("{base}/docs")
            }
        }
        FileKind::Csv => "data/exports".to_string(),
        FileKind::Log => format!("logs/{}", w(rng)),
        FileKind::Css => format!("{base}/static/css"),
    }
}

/// The plants for one file of `kind` and about `size` bytes.
fn plants_for(rng: &mut Rng, kind: FileKind, size: usize, density: Density) -> Vec<Plant> {
    let mut plants = Vec::new();
    if !kind.plantable() {
        return plants;
    }
    let (bs, bp, bd) = density.bytes_per();
    let size = size as f64;
    if kind == FileKind::Csv {
        // Customer exports: most rows carry an email or a phone number.
        let rows = (size / 90.0) as usize;
        for _ in 0..rows {
            match rng.below(20) {
                0..=12 => plants.push(Plant {
                    kind: Kind::Pii,
                    family: "email",
                    name: "email",
                    key: "EMAIL".into(),
                    value: tokens::email(rng),
                    raw: false,
                }),
                13..=15 => plants.push(Plant {
                    kind: Kind::Pii,
                    family: "phone",
                    name: "phone",
                    key: "PHONE".into(),
                    value: tokens::phone(rng),
                    raw: false,
                }),
                16 => plants.push(Plant {
                    kind: Kind::Decoy,
                    family: "email",
                    name: "reserved-email",
                    key: "EMAIL".into(),
                    value: format!("{}@example.com", rng.pick(WORDS)),
                    raw: false,
                }),
                _ => {}
            }
        }
        for _ in 0..poisson_ish(rng, size / bp) {
            plants.push(tokens::pii(rng));
        }
        return plants;
    }
    for _ in 0..poisson_ish(rng, size / bs) {
        plants.extend(tokens::secret(rng));
    }
    let pii_mean = if kind == FileKind::Log {
        size / 3_000.0
    } else {
        size / bp
    };
    for _ in 0..poisson_ish(rng, pii_mean) {
        if kind == FileKind::Log && rng.chance(0.7) {
            plants.push(Plant {
                kind: Kind::Pii,
                family: "email",
                name: "email",
                key: "EMAIL".into(),
                value: tokens::email(rng),
                raw: false,
            });
        } else {
            plants.push(tokens::pii(rng));
        }
    }
    for _ in 0..poisson_ish(rng, size / bd) {
        plants.push(tokens::decoy(rng));
    }
    plants
}

/// Generates a tree under `out` (created if needed) and writes
/// `out/labels.json`. Returns the labels.
///
/// # Errors
/// I/O errors while creating directories or writing files.
pub fn generate_tree(out: &Path, cfg: &Config) -> io::Result<Labels> {
    fs::create_dir_all(out)?;
    let mut rng = Rng::new(cfg.seed);
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut items = Vec::new();
    let n_projects = ((cfg.size >> 20) as usize).clamp(3, 400);
    let projects: Vec<Project> = (0..n_projects)
        .map(|_| Project {
            root: *rng.pick(&["services", "services", "libs", "tools", "apps"]),
            name: format!("{}-{}", rng.pick(WORDS), rng.pick(WORDS)),
        })
        .collect();
    let gitignore = "node_modules/\n/build/\n__pycache__/\n*.pyc\n.DS_Store\n";
    fs::write(out.join(".gitignore"), gitignore)?;
    let mut bytes = gitignore.len() as u64;
    let mut files = 1usize;
    while bytes < cfg.size {
        let mut frng = rng.fork();
        let kind = pick_kind(&mut frng);
        let project = frng.pick(&projects);
        let dir = dir_for(&mut frng, kind, project);
        let name = kind.file_name(&mut frng);
        let mut rel = format!("{dir}/{name}");
        let mut n = 2;
        while used.contains(&rel) {
            rel = format!("{dir}/v{n}/{name}");
            n += 1;
        }
        used.insert(rel.clone());
        let remaining = (cfg.size - bytes) as usize;
        let size = file_size(&mut frng, kind).min(remaining.max(200));
        let plants = plants_for(&mut frng, kind, size, cfg.density);
        let (text, spans) = kind.generate(&mut frng, size, &plants);
        for (p, (a, b)) in plants.iter().zip(spans) {
            items.push(Label {
                path: rel.clone(),
                line: a,
                end_line: b,
                kind: p.kind.as_str().to_string(),
                family: p.family.to_string(),
                name: p.name.to_string(),
            });
        }
        let path: PathBuf = out.join(&rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, text.as_bytes())?;
        bytes += text.len() as u64;
        files += 1;
    }
    items.sort_by(|a, b| (&a.path, a.line, &a.name).cmp(&(&b.path, b.line, &b.name)));
    let labels = Labels {
        version: 1,
        seed: cfg.seed,
        density: cfg.density.as_str().to_string(),
        files,
        bytes,
        items,
    };
    let json = serde_json::to_string_pretty(&labels).map_err(io::Error::other)?;
    fs::write(out.join(LABELS_FILE), json + "\n")?;
    Ok(labels)
}

/// Source-like text (several languages and formats) with nothing planted:
/// the "no findings" input for throughput benchmarks.
pub fn source_text(seed: u64, len: usize) -> Vec<u8> {
    mixed_text(seed, len, 0)
}

/// Source-like text with a planted secret, PII value or decoy about every
/// `every` bytes.
pub fn dense_text(seed: u64, len: usize, every: usize) -> Vec<u8> {
    mixed_text(seed, len, every.max(1))
}

fn mixed_text(seed: u64, len: usize, every: usize) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(len + 4096);
    let mut since = 0usize;
    while out.len() < len {
        let kind = *rng.pick(crate::langs::SOURCE_KINDS);
        for _ in 0..rng.urange(4, 16) {
            for l in kind.block(&mut rng) {
                out.push_str(&l);
                out.push('\n');
                since += l.len() + 1;
            }
            if every > 0 && since >= every {
                since = 0;
                let plants = match rng.below(3) {
                    0 => tokens::secret(&mut rng),
                    1 => vec![tokens::pii(&mut rng)],
                    _ => vec![tokens::decoy(&mut rng)],
                };
                for p in &plants {
                    for l in kind.render(&mut rng, p) {
                        out.push_str(&l);
                        out.push('\n');
                    }
                }
            }
        }
    }
    out.truncate(len);
    // Never end mid-way through a multi-byte char: the text is ASCII.
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("sg-corpus-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        d
    }

    fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                    out.push((rel, fs::read(&p).unwrap()));
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn same_seed_gives_identical_tree() {
        let (a, b, c) = (tmp("a"), tmp("b"), tmp("c"));
        let cfg = Config {
            size: 400_000,
            seed: 42,
            density: Density::Sparse,
        };
        generate_tree(&a, &cfg).unwrap();
        generate_tree(&b, &cfg).unwrap();
        generate_tree(
            &c,
            &Config {
                seed: 43,
                ..cfg.clone()
            },
        )
        .unwrap();
        let (sa, sb, sc) = (snapshot(&a), snapshot(&b), snapshot(&c));
        assert!(sa.len() > 10);
        assert_eq!(sa, sb);
        assert_ne!(sa, sc);
        for d in [a, b, c] {
            fs::remove_dir_all(d).unwrap();
        }
    }

    #[test]
    fn labels_point_at_planted_lines() {
        let dir = tmp("labels");
        let cfg = Config {
            size: 600_000,
            seed: 7,
            density: Density::Dense,
        };
        let labels = generate_tree(&dir, &cfg).unwrap();
        let total: u64 = snapshot(&dir)
            .iter()
            .filter(|(p, _)| p != LABELS_FILE)
            .map(|(_, b)| b.len() as u64)
            .sum();
        assert_eq!(total, labels.bytes);
        assert!(labels.bytes >= cfg.size);
        for kind in ["secret", "pii", "decoy"] {
            assert!(labels.items.iter().any(|l| l.kind == kind), "no {kind}");
        }
        let reread = Labels::read(&dir).unwrap();
        assert_eq!(reread.items, labels.items);
        for l in &labels.items {
            let text = fs::read_to_string(dir.join(&l.path)).unwrap();
            let n = text.lines().count();
            assert!(
                l.line >= 1 && l.line <= l.end_line && l.end_line <= n,
                "{l:?}"
            );
        }
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn texts_have_requested_length() {
        let a = source_text(1, 100_000);
        assert_eq!(a.len(), 100_000);
        assert_eq!(a, source_text(1, 100_000));
        let d = dense_text(1, 100_000, 1000);
        assert_eq!(d.len(), 100_000);
        assert_ne!(a, d);
    }
}
