//! [`Scanner`] and its builder: the library's entry point.
//!
//! # Synchronization and cloning
//!
//! A `Scanner` is `Send + Sync` and cheap to clone (an `Arc` inside). Share one
//! across threads; rule regexes are compiled once, on first use, and their
//! search caches are pooled per thread by `regex-automata`.

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use crate::allow::Allowlist;
use crate::engine::{compile_regex, Engine, Filters};
use crate::error::{Error, Result};
use crate::finding::{Category, Finding};
use crate::rules::RuleSet;

/// Default size cap for one file: 50 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 50 << 20;

/// Default number of encoding layers looked through.
pub const DEFAULT_DECODE_DEPTH: usize = 2;

/// Most encoding layers [`ScannerBuilder::decode_depth`] accepts.
const MAX_DECODE_DEPTH: usize = 4;

/// Files at least this large are memory-mapped instead of read.
const MMAP_THRESHOLD: u64 = 1 << 20;

/// How many leading bytes are checked for a NUL to call a file binary.
pub const BINARY_SNIFF_LEN: usize = 8 << 10;

/// Configures and builds a [`Scanner`]. Setters take `&mut self`; one builder
/// can build many scanners.
///
/// ```
/// use keepmum::Scanner;
/// let scanner = Scanner::builder().pii(false).build()?;
/// assert!(scanner.scan_bytes(b"no secrets here").is_empty());
/// # Ok::<(), keepmum::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct ScannerBuilder {
    rules: Option<RuleSet>,
    pii: bool,
    secrets: bool,
    max_file_size: u64,
    skip_binary: bool,
    inline_allow: bool,
    allowlist: Allowlist,
    decode_depth: usize,
    archives: bool,
}

impl Default for ScannerBuilder {
    fn default() -> Self {
        ScannerBuilder::new()
    }
}

impl ScannerBuilder {
    /// A builder with the defaults: built-in rules, PII on, 50 MiB file cap,
    /// binary files skipped, inline allow comments honoured.
    pub fn new() -> ScannerBuilder {
        ScannerBuilder {
            rules: None,
            pii: true,
            secrets: true,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            skip_binary: true,
            inline_allow: true,
            allowlist: Allowlist::new(),
            decode_depth: DEFAULT_DECODE_DEPTH,
            archives: false,
        }
    }

    /// The rules to use. The default is [`RuleSet::builtin`].
    pub fn rules(&mut self, rules: RuleSet) -> &mut ScannerBuilder {
        self.rules = Some(rules);
        self
    }

    /// Whether PII rules run. The default is `true`.
    pub fn pii(&mut self, yes: bool) -> &mut ScannerBuilder {
        self.pii = yes;
        self
    }

    /// Whether secret (credential) rules run. The default is `true`; turn it
    /// off to look for PII only.
    pub fn secrets(&mut self, yes: bool) -> &mut ScannerBuilder {
        self.secrets = yes;
        self
    }

    /// Files larger than this are skipped by [`Scanner::scan_path`]. The
    /// default is 50 MiB.
    pub fn max_file_size(&mut self, bytes: u64) -> &mut ScannerBuilder {
        self.max_file_size = bytes;
        self
    }

    /// Whether files with a NUL byte in their first 8 KiB are skipped. The
    /// default is `true`.
    pub fn skip_binary(&mut self, yes: bool) -> &mut ScannerBuilder {
        self.skip_binary = yes;
        self
    }

    /// Whether inline allow comments (`pragma: allowlist secret`,
    /// `gitleaks:allow`, …) suppress findings. The default is `true`.
    pub fn inline_allow(&mut self, yes: bool) -> &mut ScannerBuilder {
        self.inline_allow = yes;
        self
    }

    /// How many layers of encoding to look through: text that is base64,
    /// base64url, hex, percent-encoded or `\uXXXX`-escaped and decodes to
    /// printable text is scanned too, and so is text encoded twice when the
    /// depth is 2. Findings inside decoded text are reported at the encoded
    /// text's location, with [`Finding::decoders`] naming the chain. The
    /// default is 2; 0 turns decoding off.
    ///
    /// ```
    /// use keepmum::Scanner;
    /// // "GITHUB_TOKEN=ghp_…" (a synthetic token) in base64.
    /// let plain = format!("GITHUB_TOKEN={}{}", "ghp_", "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8");
    /// let b64 = keepmum_test_support_base64(plain.as_bytes());
    /// let found = Scanner::new().scan_bytes(format!("blob: {b64}\n").as_bytes());
    /// assert_eq!(found[0].decoders(), ["base64"]);
    /// # fn keepmum_test_support_base64(b: &[u8]) -> String {
    /// #     const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    /// #     let mut s = String::new();
    /// #     for c in b.chunks(3) {
    /// #         let n = (c[0] as u32) << 16 | (*c.get(1).unwrap_or(&0) as u32) << 8 | *c.get(2).unwrap_or(&0) as u32;
    /// #         for k in 0..4 { if k <= c.len() { s.push(A[(n >> (18 - 6 * k) & 63) as usize] as char) } else { s.push('=') } }
    /// #     }
    /// #     s
    /// # }
    /// ```
    pub fn decode_depth(&mut self, depth: usize) -> &mut ScannerBuilder {
        self.decode_depth = depth.min(MAX_DECODE_DEPTH);
        self
    }

    /// Whether [`Scanner::scan_file`] and [`Scanner::scan_content`] look
    /// inside zip-family (jar, whl, docx…), tar, gzip and tar.gz archives,
    /// nested up to 3 levels, within limits on entries (10,000), expanded
    /// size (256 MiB per archive) and compression ratio (100:1). Findings
    /// inside are reported at `outer.zip!inner/path`. The default is `false`
    /// (hooks and pre-commit want speed); the CLI turns it on for `scan`.
    pub fn archives(&mut self, yes: bool) -> &mut ScannerBuilder {
        self.archives = yes;
        self
    }

    /// Global allow rules. The default is empty.
    pub fn allowlist(&mut self, allowlist: Allowlist) -> &mut ScannerBuilder {
        self.allowlist = allowlist;
        self
    }

    /// Builds the scanner.
    ///
    /// # Errors
    /// Fails when a custom rule's regex or an allowlist regex is invalid. The
    /// built-in rules never fail (a test compiles all of them), and their
    /// regexes are compiled lazily, on first use, to keep this cheap.
    pub fn build(&self) -> Result<Scanner> {
        let mut rules = self.rules.clone().unwrap_or_else(RuleSet::builtin);
        if !self.pii {
            rules.retain_category(Category::Secret);
        }
        if !self.secrets {
            rules.retain_category(Category::Pii);
        }
        let secret_regexes = self
            .allowlist
            .secret_regexes
            .iter()
            .map(|r| {
                compile_regex(r).map_err(|e| Error::config(None, format!("allowlist regex: {e}")))
            })
            .collect::<Result<Vec<_>>>()?;
        let path_regexes = self
            .allowlist
            .path_regexes
            .iter()
            .map(|r| {
                compile_regex(r)
                    .map_err(|e| Error::config(None, format!("allowlist path regex: {e}")))
            })
            .collect::<Result<Vec<_>>>()?;
        let filters = Filters {
            secret_regexes,
            stopwords: self
                .allowlist
                .stopwords
                .iter()
                .map(|s| s.to_ascii_lowercase().into_bytes())
                .collect(),
            inline_allow: self.inline_allow,
            decode_depth: self.decode_depth,
        };
        let engine = Engine::new(&rules, filters);
        // Compiles only rules that are not built in (see `Engine::check`).
        engine.check()?;
        Ok(Scanner {
            inner: Arc::new(Inner {
                engine,
                rules,
                path_regexes,
                max_file_size: self.max_file_size,
                skip_binary: self.skip_binary,
                archives: self.archives,
            }),
        })
    }
}

#[derive(Debug)]
struct Inner {
    engine: Engine,
    rules: RuleSet,
    path_regexes: Vec<regex_automata::meta::Regex>,
    max_file_size: u64,
    skip_binary: bool,
    archives: bool,
}

/// Why [`Scanner::scan_path`] did not scan a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Skip {
    /// Larger than the configured cap.
    TooLarge,
    /// A NUL byte in the first 8 KiB.
    Binary,
    /// Its path matches a global allowlist path regex.
    Allowlisted,
    /// A detect-secrets baseline (see [`crate::baseline::looks_like_baseline`]):
    /// hashes only, never scanned.
    Baseline,
    /// Listed in the repository's `.keepmumignore` (see [`crate::RootIgnore`]).
    Ignored,
}

/// The result of scanning one file.
#[derive(Debug)]
#[non_exhaustive]
pub enum FileScan {
    /// The file was scanned; these are its findings (possibly none).
    Scanned {
        /// Findings, in input order.
        findings: Vec<Finding>,
        /// Bytes scanned.
        bytes: u64,
    },
    /// The file was deliberately not scanned.
    Skipped(Skip),
}

/// A compiled scanner. See the crate docs for an overview.
#[derive(Clone, Debug)]
pub struct Scanner {
    inner: Arc<Inner>,
}

impl Scanner {
    /// A builder with the default configuration.
    pub fn builder() -> ScannerBuilder {
        ScannerBuilder::new()
    }

    /// A scanner with the built-in rules and default settings.
    pub fn new() -> Scanner {
        match ScannerBuilder::new().build() {
            Ok(s) => s,
            // The default configuration has no user input; a test proves it builds.
            Err(e) => unreachable!("default scanner failed to build: {e}"),
        }
    }

    /// The rules this scanner runs.
    pub fn rules(&self) -> &RuleSet {
        &self.inner.rules
    }

    /// Scans a byte buffer. Never fails and never panics; time is linear in
    /// the input's length. Findings are in input order.
    pub fn scan_bytes(&self, input: &[u8]) -> Vec<Finding> {
        self.inner.engine.scan(input, None)
    }

    /// Scans a byte buffer that is the content of `path` (the path is reported
    /// in findings and enables path-restricted rules and path allowlists; the
    /// file is not read).
    pub fn scan_bytes_at(&self, input: &[u8], path: &Path) -> Vec<Finding> {
        if self.is_path_allowlisted(path) || crate::baseline::looks_like_baseline(input) {
            return Vec::new();
        }
        self.inner.engine.scan(input, Some(path))
    }

    /// Work a scan of `input` would do, as (candidate windows, bytes of those
    /// windows that regexes search). Not a stable API: it exists so tests can
    /// prove linear behaviour by counting work instead of timing it.
    #[doc(hidden)]
    pub fn work_units(&self, input: &[u8]) -> (usize, usize) {
        self.inner.engine.work(input)
    }

    /// True when `input` holds at least one finding. A cheap yes/no for hooks.
    pub fn has_findings(&self, input: &[u8]) -> bool {
        !self.scan_bytes(input).is_empty()
    }

    /// True when a global allowlist path regex matches `path`.
    pub fn is_path_allowlisted(&self, path: &Path) -> bool {
        if self.inner.path_regexes.is_empty() {
            return false;
        }
        let p = crate::allow::path_for_regexes(path);
        self.inner
            .path_regexes
            .iter()
            .any(|re| re.is_match(p.as_bytes()))
    }

    /// Reads and scans one file: small files are read, large ones
    /// memory-mapped; binary and oversized files are skipped.
    ///
    /// # Errors
    /// Only I/O errors (the file cannot be opened or read).
    pub fn scan_file(&self, path: &Path) -> Result<FileScan> {
        if self.is_path_allowlisted(path) {
            return Ok(FileScan::Skipped(Skip::Allowlisted));
        }
        let mut file = File::open(path).map_err(|e| Error::io(Some(path), e))?;
        let len = file.metadata().map_err(|e| Error::io(Some(path), e))?.len();
        if len > self.inner.max_file_size {
            return Ok(FileScan::Skipped(Skip::TooLarge));
        }
        if len >= MMAP_THRESHOLD {
            if let Some(map) = crate::walk::map_file(&file) {
                return Ok(self.scan_content_warn(&map, path).0);
            }
        }
        let mut buf = Vec::with_capacity(len as usize + 1);
        file.read_to_end(&mut buf)
            .map_err(|e| Error::io(Some(path), e))?;
        // A file that grew since `metadata` is capped by `scan_content_warn`.
        Ok(self.scan_content_warn(&buf, path).0)
    }

    /// Scans `bytes`, the content of the file `path` (read from somewhere
    /// else, e.g. a git blob): oversized and binary content is skipped, and
    /// archives are expanded when [`ScannerBuilder::archives`] is on.
    pub fn scan_content(&self, bytes: &[u8], path: &Path) -> FileScan {
        self.scan_content_warn(bytes, path).0
    }

    /// Like [`Scanner::scan_content`], also returning warnings about archive
    /// content that was not scanned (limits hit, corrupt entries).
    pub fn scan_content_warn(&self, bytes: &[u8], path: &Path) -> (FileScan, Vec<String>) {
        let mut warnings = Vec::new();
        // History scans reach content through here, never through
        // `scan_file`: the path allowlist must apply here too.
        if self.is_path_allowlisted(path) {
            return (FileScan::Skipped(Skip::Allowlisted), warnings);
        }
        if bytes.len() as u64 > self.inner.max_file_size {
            return (FileScan::Skipped(Skip::TooLarge), warnings);
        }
        if crate::baseline::looks_like_baseline(bytes) {
            return (FileScan::Skipped(Skip::Baseline), warnings);
        }
        if self.inner.archives && crate::archive::sniff(bytes).is_some() {
            let mut findings = Vec::new();
            let mut total = 0u64;
            let limits = crate::archive::Limits {
                max_entry: self.inner.max_file_size,
                ..Default::default()
            };
            let name = path.to_string_lossy().replace('\\', "/");
            crate::archive::expand(
                bytes,
                &name,
                &limits,
                &mut |inner, content| {
                    if self.inner.skip_binary && is_binary(content) {
                        return;
                    }
                    total += content.len() as u64;
                    findings.extend(self.inner.engine.scan(content, Some(Path::new(inner))));
                },
                &mut warnings,
            );
            return (
                FileScan::Scanned {
                    findings,
                    bytes: total,
                },
                warnings,
            );
        }
        if self.inner.skip_binary && is_binary(bytes) {
            return (FileScan::Skipped(Skip::Binary), warnings);
        }
        let scan = FileScan::Scanned {
            findings: self.inner.engine.scan(bytes, Some(path)),
            bytes: bytes.len() as u64,
        };
        (scan, warnings)
    }

    /// Reads and scans one file, returning its findings (empty when skipped).
    ///
    /// # Errors
    /// Only I/O errors.
    pub fn scan_path(&self, path: &Path) -> Result<Vec<Finding>> {
        match self.scan_file(path)? {
            FileScan::Scanned { findings, .. } => Ok(findings),
            FileScan::Skipped(_) => Ok(Vec::new()),
        }
    }

    pub(crate) fn max_file_size(&self) -> u64 {
        self.inner.max_file_size
    }
}

impl Default for Scanner {
    fn default() -> Self {
        Scanner::new()
    }
}

/// True when `bytes` has a NUL in its first 8 KiB.
pub fn is_binary(bytes: &[u8]) -> bool {
    memchr::memchr(0, &bytes[..bytes.len().min(BINARY_SNIFF_LEN)]).is_some()
}
