//! Archive expansion: zip (and its family: jar, war, whl, apk, docx, xlsx…),
//! tar, gzip and tar.gz, nested to a bounded depth.
//!
//! Expanded content is untrusted and can be hostile (zip bombs, lying size
//! headers, endless nesting), so every expansion is bounded: nesting depth,
//! entry count, total expanded bytes per outermost archive, size of one
//! entry, and compression ratio. Hitting a limit stops that part of the
//! expansion with a warning; it never exhausts memory and never panics.
//! Entries are read through a `take` guard, so a header that lies about its
//! size cannot make us read more than the limit.

use std::io::{Cursor, Read};

/// Limits for one outermost archive.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// Archives inside archives, counting the outermost as 1.
    pub(crate) max_depth: usize,
    /// Entries visited, in total.
    pub(crate) max_entries: usize,
    /// Bytes expanded, in total.
    pub(crate) max_total: u64,
    /// Bytes of one entry.
    pub(crate) max_entry: u64,
    /// Expanded size over compressed size, for entries over 1 MiB.
    pub(crate) max_ratio: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_depth: 3,
            max_entries: 10_000,
            max_total: 256 << 20,
            max_entry: 50 << 20,
            max_ratio: 100,
        }
    }
}

/// What kind of archive a buffer holds, by magic bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Zip,
    Gzip,
    Tar,
}

/// Recognises an archive by its first bytes.
pub(crate) fn sniff(bytes: &[u8]) -> Option<Kind> {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        Some(Kind::Zip)
    } else if bytes.starts_with(&[0x1f, 0x8b]) {
        Some(Kind::Gzip)
    } else if bytes.len() >= 262 && &bytes[257..262] == b"ustar" {
        Some(Kind::Tar)
    } else {
        None
    }
}

/// Running totals shared by every level of one expansion.
struct Budget {
    entries: usize,
    total: u64,
    stopped: bool,
}

/// Expands `bytes` (an archive named `name`) and calls `visit(path,
/// content)` for every regular file inside that is not itself an archive,
/// with `path` of the form `name!inner/path` (`!` again per nesting level).
pub(crate) fn expand(
    bytes: &[u8],
    name: &str,
    limits: &Limits,
    visit: &mut dyn FnMut(&str, &[u8]),
    warnings: &mut Vec<String>,
) {
    let mut budget = Budget {
        entries: 0,
        total: 0,
        stopped: false,
    };
    expand_at(bytes, name, 1, limits, &mut budget, visit, warnings);
}

fn expand_at(
    bytes: &[u8],
    name: &str,
    depth: usize,
    limits: &Limits,
    budget: &mut Budget,
    visit: &mut dyn FnMut(&str, &[u8]),
    warnings: &mut Vec<String>,
) {
    let Some(kind) = sniff(bytes) else {
        visit(name, bytes);
        return;
    };
    if depth > limits.max_depth {
        warnings.push(format!(
            "{name}: archive nested deeper than {} levels, not expanded",
            limits.max_depth
        ));
        return;
    }
    let mut entry =
        |inner: &str, content: &[u8], budget: &mut Budget, warnings: &mut Vec<String>| {
            let path = format!("{name}!{inner}");
            if sniff(content).is_some() {
                expand_at(content, &path, depth + 1, limits, budget, visit, warnings);
            } else {
                visit(&path, content);
            }
        };
    match kind {
        Kind::Zip => zip_entries(bytes, name, limits, budget, warnings, &mut entry),
        Kind::Tar => tar_entries(bytes, name, limits, budget, warnings, &mut entry),
        Kind::Gzip => {
            let mut out = Vec::new();
            let cap = entry_cap(limits, budget);
            let mut dec = flate2::read::MultiGzDecoder::new(bytes).take(cap + 1);
            match dec.read_to_end(&mut out) {
                Ok(_) if out.len() as u64 > cap => {
                    stop(
                        budget,
                        warnings,
                        format!("{name}: expands beyond the size limit"),
                    );
                }
                Ok(_) => {
                    if ratio_exceeded(out.len() as u64, bytes.len() as u64, limits) {
                        stop(
                            budget,
                            warnings,
                            format!(
                                "{name}: compression ratio over {}:1 (possible bomb), not scanned",
                                limits.max_ratio
                            ),
                        );
                        return;
                    }
                    budget.total += out.len() as u64;
                    let inner = name
                        .rsplit(['/', '!'])
                        .next()
                        .unwrap_or(name)
                        .trim_end_matches(".gz")
                        .trim_end_matches(".tgz")
                        .to_string();
                    let inner = if inner.is_empty() {
                        "data".to_string()
                    } else {
                        inner
                    };
                    entry(&inner, &out, budget, warnings);
                }
                Err(e) => warnings.push(format!("{name}: corrupt gzip data: {e}")),
            }
        }
    }
}

fn entry_cap(limits: &Limits, budget: &Budget) -> u64 {
    limits
        .max_entry
        .min(limits.max_total.saturating_sub(budget.total))
}

fn ratio_exceeded(expanded: u64, compressed: u64, limits: &Limits) -> bool {
    expanded > (1 << 20) && expanded > compressed.max(1).saturating_mul(limits.max_ratio)
}

fn stop(budget: &mut Budget, warnings: &mut Vec<String>, message: String) {
    if !budget.stopped {
        warnings.push(message);
    }
    budget.stopped = true;
}

type EntryFn<'a> = dyn FnMut(&str, &[u8], &mut Budget, &mut Vec<String>) + 'a;

fn admit(name: &str, limits: &Limits, budget: &mut Budget, warnings: &mut Vec<String>) -> bool {
    if budget.stopped {
        return false;
    }
    budget.entries += 1;
    if budget.entries > limits.max_entries {
        stop(
            budget,
            warnings,
            format!(
                "{name}: more than {} entries, the rest not scanned",
                limits.max_entries
            ),
        );
        return false;
    }
    true
}

fn zip_entries(
    bytes: &[u8],
    name: &str,
    limits: &Limits,
    budget: &mut Budget,
    warnings: &mut Vec<String>,
    entry: &mut EntryFn<'_>,
) {
    let mut zip = match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(z) => z,
        Err(e) => {
            warnings.push(format!("{name}: corrupt zip archive: {e}"));
            return;
        }
    };
    for i in 0..zip.len() {
        if !admit(name, limits, budget, warnings) {
            return;
        }
        let mut file = match zip.by_index(i) {
            Ok(f) => f,
            Err(e) => {
                warnings.push(format!("{name}: entry {i} unreadable: {e}"));
                continue;
            }
        };
        if !file.is_file() {
            continue;
        }
        let inner = match file.name() {
            Ok(n) => n.replace('\\', "/"),
            Err(_) => format!("entry-{i}"),
        };
        let (size, compressed) = (file.size(), file.compressed_size());
        if ratio_exceeded(size, compressed, limits) {
            stop(
                budget,
                warnings,
                format!(
                    "{name}!{inner}: compression ratio over {}:1 (possible bomb), not scanned",
                    limits.max_ratio
                ),
            );
            return;
        }
        let cap = entry_cap(limits, budget);
        if size > cap {
            warnings.push(format!("{name}!{inner}: over the size limit, not scanned"));
            continue;
        }
        let mut content = Vec::with_capacity(size.min(cap) as usize);
        match (&mut file).take(cap + 1).read_to_end(&mut content) {
            Ok(_) if content.len() as u64 > cap => {
                stop(
                    budget,
                    warnings,
                    format!("{name}!{inner}: expands beyond its declared size"),
                );
                return;
            }
            Ok(_) => {
                budget.total += content.len() as u64;
                drop(file);
                entry(&inner, &content, budget, warnings);
            }
            Err(e) => warnings.push(format!("{name}!{inner}: unreadable: {e}")),
        }
    }
}

fn tar_entries(
    bytes: &[u8],
    name: &str,
    limits: &Limits,
    budget: &mut Budget,
    warnings: &mut Vec<String>,
    entry: &mut EntryFn<'_>,
) {
    let mut archive = tar::Archive::new(Cursor::new(bytes));
    let entries = match archive.entries() {
        Ok(e) => e,
        Err(e) => {
            warnings.push(format!("{name}: corrupt tar archive: {e}"));
            return;
        }
    };
    for item in entries {
        let mut file = match item {
            Ok(f) => f,
            Err(e) => {
                warnings.push(format!("{name}: corrupt tar entry: {e}"));
                return;
            }
        };
        if file.header().entry_type() != tar::EntryType::Regular {
            continue;
        }
        if !admit(name, limits, budget, warnings) {
            return;
        }
        let inner = match file.path() {
            Ok(p) => p.to_string_lossy().replace('\\', "/"),
            Err(_) => String::from_utf8_lossy(&file.path_bytes()).into_owned(),
        };
        let cap = entry_cap(limits, budget);
        let mut content = Vec::new();
        match (&mut file).take(cap + 1).read_to_end(&mut content) {
            Ok(_) if content.len() as u64 > cap => {
                warnings.push(format!("{name}!{inner}: over the size limit, not scanned"));
            }
            Ok(_) => {
                budget.total += content.len() as u64;
                entry(&inner, &content, budget, warnings);
            }
            Err(e) => warnings.push(format!("{name}!{inner}: unreadable: {e}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        {
            let mut z = zip::ZipWriter::new(&mut buf);
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            for (n, c) in files {
                z.start_file(*n, opts).unwrap();
                z.write_all(c).unwrap();
            }
            z.finish().unwrap();
        }
        buf.into_inner()
    }

    fn gz_of(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn tar_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        for (n, c) in files {
            let mut h = tar::Header::new_gnu();
            h.set_size(c.len() as u64);
            h.set_mode(0o644);
            h.set_cksum();
            b.append_data(&mut h, n, *c).unwrap();
        }
        b.into_inner().unwrap()
    }

    fn run(bytes: &[u8], name: &str, limits: &Limits) -> (Vec<(String, Vec<u8>)>, Vec<String>) {
        let mut seen = Vec::new();
        let mut warnings = Vec::new();
        expand(
            bytes,
            name,
            limits,
            &mut |p, c| seen.push((p.to_string(), c.to_vec())),
            &mut warnings,
        );
        (seen, warnings)
    }

    #[test]
    fn nested_zip_tar_gz_paths() {
        let tar = tar_of(&[("dir/a.env", b"A=1\n")]);
        let tgz = gz_of(&tar);
        let inner = zip_of(&[("deep/x.txt", b"hello")]);
        let outer = zip_of(&[
            ("inner.jar", &inner),
            ("pkg.tar.gz", &tgz),
            ("top.txt", b"top"),
        ]);
        let (seen, warnings) = run(&outer, "outer.zip", &Limits::default());
        let paths: Vec<&str> = seen.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "outer.zip!inner.jar!deep/x.txt",
                "outer.zip!pkg.tar.gz!pkg.tar!dir/a.env",
                "outer.zip!top.txt"
            ]
        );
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn a_zip_bomb_stops_with_a_warning() {
        let zeros = vec![0u8; 8 << 20];
        let bomb = zip_of(&[("zeros.bin", &zeros)]);
        let (seen, warnings) = run(&bomb, "bomb.zip", &Limits::default());
        assert!(seen.is_empty());
        assert!(warnings[0].contains("ratio"), "{warnings:?}");
    }

    #[test]
    fn depth_and_entry_limits_hold() {
        let mut z = zip_of(&[("x.txt", b"x")]);
        for _ in 0..5 {
            z = zip_of(&[("n.zip", &z)]);
        }
        let (seen, warnings) = run(&z, "n.zip", &Limits::default());
        assert!(seen.is_empty());
        assert!(warnings[0].contains("nested"), "{warnings:?}");
        let many: Vec<(String, Vec<u8>)> = (0..20).map(|i| (format!("f{i}"), vec![b'a'])).collect();
        let refs: Vec<(&str, &[u8])> = many
            .iter()
            .map(|(n, c)| (n.as_str(), c.as_slice()))
            .collect();
        let z = zip_of(&refs);
        let limits = Limits {
            max_entries: 5,
            ..Limits::default()
        };
        let (seen, warnings) = run(&z, "m.zip", &limits);
        assert_eq!(seen.len(), 5);
        assert!(warnings[0].contains("entries"));
    }

    #[test]
    fn garbage_never_panics() {
        for bytes in [
            &b"PK\x03\x04garbage"[..],
            &[0x1f, 0x8b, 1, 2, 3][..],
            b"PK\x05\x06",
        ] {
            let (_, warnings) = run(bytes, "bad", &Limits::default());
            assert!(!warnings.is_empty() || bytes == b"PK\x05\x06");
        }
    }
}
