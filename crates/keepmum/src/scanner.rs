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

mod incremental;
pub use incremental::{CopiedRun, DeltaScanner, ScanMemo};

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
    high_entropy_anywhere: bool,
    metadata_emails: bool,
    pii_in_tests_and_docs: bool,
    sample_values: bool,
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
            high_entropy_anywhere: false,
            metadata_emails: false,
            pii_in_tests_and_docs: false,
            sample_values: false,
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

    /// Whether `high-entropy-string` reports random-looking strings
    /// anywhere. The default is `false`: it reports one only with credential
    /// context, a credential word on its line (`auth`, `credential`, `key`,
    /// `session`, …) or a credential file (`.env`, `credentials`,
    /// `secrets.*`, …); digests, signatures and ETags in ordinary code stay
    /// quiet. To turn the rule off, disable `high-entropy-string`.
    pub fn high_entropy_anywhere(&mut self, yes: bool) -> &mut ScannerBuilder {
        self.high_entropy_anywhere = yes;
        self
    }

    /// Whether email addresses and phone numbers are reported in project
    /// metadata, license files and lockfiles (`AUTHORS`, `MAINTAINERS`,
    /// `CODEOWNERS`, `LICENSE*`, `COPYRIGHT`, `CONTRIBUTING*`, `CITATION.cff`,
    /// `package.json`, `pyproject.toml`, `Cargo.toml`, `*.gemspec`,
    /// `setup.py`/`setup.cfg`, `PKG-INFO`, lockfiles, `.github/`, …; see
    /// [`is_project_metadata`]). The default is `false`: maintainers' public
    /// contact addresses are not leaks.
    pub fn metadata_emails(&mut self, yes: bool) -> &mut ScannerBuilder {
        self.metadata_emails = yes;
        self
    }

    /// Whether PII (emails, card, phone and id numbers) is reported in
    /// test, fixture, example and documentation files (`tests/`, `test_*`,
    /// `*_test.*`, `*.spec.*`, `fixtures/`, `docs/`, `examples/`, `*.md`,
    /// `*.rst`, `README*`, recorded HTTP sessions, …). The default is `false`: there it is sample data or
    /// published contact details. Secrets are reported there as everywhere.
    pub fn pii_in_tests_and_docs(&mut self, yes: bool) -> &mut ScannerBuilder {
        self.pii_in_tests_and_docs = yes;
        self
    }

    /// Whether obvious sample values are reported. The default is `false`:
    /// the generic `password`/`secret`/`token`/`api_key` rules drop values
    /// that are a test word in leetspeak (`s3cret`, `P@ssw0rd`), a phrase of
    /// words as a password (`pass+word`, `CircleOfLife`), a keyboard mash
    /// (`sdf0o9823sjdfsdf`), the key's own name, base64 of such a value
    /// (`cGFzc3dvcmQ=`), a password hash (`$2y$…`, `$argon2id$…`), or a
    /// password in a hash test-vector file; `jwt` drops the jwt.io sample
    /// token; password-hash rules drop hashes in tests and documents (test
    /// vectors). Real-shaped random values are reported as always.
    pub fn sample_values(&mut self, yes: bool) -> &mut ScannerBuilder {
        self.sample_values = yes;
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
            high_entropy_anywhere: self.high_entropy_anywhere,
            metadata_emails: self.metadata_emails,
            pii_in_tests_and_docs: self.pii_in_tests_and_docs,
            sample_values: self.sample_values,
        };
        let engine = Engine::new(&rules, filters);
        // Compiles only rules that are not built in (see `Engine::check`).
        engine.check()?;
        Ok(Scanner {
            inner: Arc::new(Inner {
                builder: self.clone(),
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
    /// The configuration this scanner was built from (for
    /// [`Scanner::with_config_of`]).
    builder: ScannerBuilder,
    engine: Engine,
    rules: RuleSet,
    path_regexes: Vec<regex_automata::meta::Regex>,
    max_file_size: u64,
    skip_binary: bool,
    archives: bool,
}

/// Whether `path` is project metadata or a lockfile: files whose email
/// addresses are the maintainers' public contacts (see
/// [`ScannerBuilder::metadata_emails`]).
pub fn is_project_metadata(path: &std::path::Path) -> bool {
    crate::validators::paths::project_metadata(path)
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

    /// Scans a stream in bounded memory: `reader` is read in windows of
    /// 4 MiB, each overlapping the previous one by 256 KiB, so a finding
    /// that straddles two reads is found once, whole, and reported at its
    /// position in the stream (spans, lines and columns as if the stream had
    /// been one buffer). Memory is the window plus the findings returned.
    /// `path`, when given, is reported in findings and selects path-specific
    /// rules and allowlists, as with [`Scanner::scan_bytes_at`].
    ///
    /// The result equals [`Scanner::scan_bytes`] on the whole stream for
    /// every finding whose match and line context fit in 128 KiB (a property
    /// test checks it on random inputs and chunkings). Beyond that, one line
    /// longer than 128 KiB around a boundary may lose context, and the cap of
    /// findings per rule applies per window, not per stream. Binary content
    /// is not skipped and archives are not expanded (use
    /// [`Scanner::scan_content`] for files).
    ///
    /// ```
    /// use keepmum::Scanner;
    /// // Any `Read` works: a socket, a child's stdout, a decompressor.
    /// let token = format!("ghp_{}", "A1b2C3d4E5f6".repeat(3)); // synthetic
    /// let log = format!("{}auth {token}\n", "noise\n".repeat(500_000));
    /// let found = Scanner::new().scan_reader(log.as_bytes(), None)?;
    /// assert_eq!(found.len(), 1);
    /// assert_eq!((found[0].line(), found[0].column()), (500_001, 6));
    /// assert_eq!(found[0].span().start, 3_000_005);
    /// # Ok::<(), keepmum::Error>(())
    /// ```
    ///
    /// # Errors
    /// Only read errors from `reader` (findings before the error are lost;
    /// read again from a known offset if that matters).
    pub fn scan_reader<R: Read>(&self, reader: R, path: Option<&Path>) -> Result<Vec<Finding>> {
        self.scan_reader_windowed(reader, path, READER_WINDOW, READER_OVERLAP)
    }

    /// [`Scanner::scan_reader`] with a chosen window and overlap (bytes;
    /// the window is raised to at least twice the overlap). Not a stable
    /// API: it exists so tests can cross many boundaries with small inputs.
    #[doc(hidden)]
    pub fn scan_reader_windowed<R: Read>(
        &self,
        mut reader: R,
        path: Option<&Path>,
        window: usize,
        overlap: usize,
    ) -> Result<Vec<Finding>> {
        let overlap = overlap.max(2);
        let window = window.max(2 * overlap);
        let mut findings = Vec::new();
        if path.is_some_and(|p| self.is_path_allowlisted(p)) {
            return Ok(findings);
        }
        let mut buf = vec![0u8; window];
        let mut len = 0;
        // Stream offset of `buf[0]`; line breaks before it; bytes between
        // the last of them and `buf[0]`.
        let (mut base, mut lines_before, mut column_before) = (0usize, 0usize, 0usize);
        // Findings starting before this stream offset are already decided.
        let mut decided = 0usize;
        loop {
            let mut eof = false;
            while len < window {
                match reader.read(&mut buf[len..]) {
                    Ok(0) => {
                        eof = true;
                        break;
                    }
                    Ok(n) => len += n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(Error::io(path, e)),
                }
            }
            let hay = &buf[..len];
            // Findings starting before `cut` are complete in this window
            // (they end within half an overlap); later ones wait for the next.
            let cut = if eof { len } else { len - overlap / 2 };
            for mut f in self.inner.engine.scan(hay, path) {
                let start = base + f.span.start;
                if start < decided || f.span.start >= cut {
                    continue;
                }
                shift_finding(&mut f, base, lines_before, column_before);
                findings.push(f);
            }
            if eof {
                return Ok(findings);
            }
            decided = base + cut;
            // Keep at least half an overlap of context before `cut`,
            // starting at a line start when there is one.
            let floor = len - overlap;
            let keep_from = match memchr::memchr(b'\n', &hay[floor..cut]) {
                Some(i) => floor + i + 1,
                None => floor,
            };
            let dropped = &hay[..keep_from];
            let breaks = bytecount::count(dropped, b'\n');
            if breaks > 0 {
                lines_before += breaks;
                column_before = keep_from - memchr::memrchr(b'\n', dropped).map_or(0, |i| i + 1);
            } else {
                column_before += keep_from;
            }
            base += keep_from;
            buf.copy_within(keep_from..len, 0);
            len -= keep_from;
        }
    }

    /// Work a scan of `input` would do, as (candidate windows, bytes of those
    /// windows that regexes search). Not a stable API: it exists so tests can
    /// prove linear behaviour by counting work instead of timing it.
    #[doc(hidden)]
    pub fn work_units(&self, input: &[u8]) -> (usize, usize) {
        self.inner.engine.work(input)
    }

    /// The prefilter kernel scans run on (`avx512`, `avx2`, `avx2-nibble`,
    /// `neon` or `portable`; see `KEEPMUM_KERNEL`). Not a stable API: benchmarks
    /// print it next to their figures.
    #[doc(hidden)]
    pub fn kernel_name(&self) -> &'static str {
        self.inner.engine.kernel_name()
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

    /// This scanner's configuration with `dir/.keepmum.toml` applied on
    /// top, built; `None` when `dir` has no such file.
    pub(crate) fn with_config_of(&self, dir: &Path) -> Result<Option<Scanner>> {
        let Some(config) = crate::config::Config::discover(dir)? else {
            return Ok(None);
        };
        let mut builder = self.inner.builder.clone();
        config.apply(&mut builder)?;
        let path = dir.join(crate::config::CONFIG_FILE);
        builder
            .build()
            .map(Some)
            .map_err(|e| Error::config(Some(&path), e.to_string()))
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

/// Window of [`Scanner::scan_reader`]: bytes held at once.
const READER_WINDOW: usize = 4 << 20;

/// Bytes of each window [`Scanner::scan_reader`] keeps for the next one.
/// Half of it must hold the longest match plus its context: the engine's
/// windows reach 16 KiB (multi-line rules) and encoded runs 64 KiB.
const READER_OVERLAP: usize = 256 << 10;

/// Moves a finding from window coordinates to stream coordinates.
fn shift_finding(f: &mut Finding, base: usize, lines_before: usize, column_before: usize) {
    f.span = f.span.start + base..f.span.end + base;
    f.match_span = f.match_span.start + base..f.match_span.end + base;
    if f.line == 1 {
        f.column += column_before;
    }
    if f.end_line == 1 {
        f.end_column += column_before;
    }
    f.line += lines_before;
    f.end_line += lines_before;
}

/// Openings of binary formats that can go 8 KiB without a NUL byte:
/// PDF (and Illustrator files, which are PDF), PostScript and EPS, images,
/// fonts, compressed streams and archives, executables.
const BINARY_MAGIC: &[&[u8]] = &[
    b"%PDF-",
    b"%!PS",
    b"\xc5\xd0\xd3\xc6", // EPS with a binary preview header
    b"%FDF-",
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"II*\0",
    b"MM\0*",
    b"wOFF",
    b"wOF2",
    b"OTTO\0",
    b"\x1f\x8b",
    b"BZh",
    b"\xfd7zXZ\0",
    b"\x28\xb5\x2f\xfd",
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!\x1a\x07",
    b"PK\x03\x04",
    b"\x7fELF",
    b"\xca\xfe\xba\xbe",
    b"\xcf\xfa\xed\xfe",
    b"\0asm",
    b"SQLite format 3\0",
];

/// True when `bytes` looks binary: a NUL in its first 8 KiB, or the opening
/// of a binary format (PDF, PostScript, images, fonts, archives, …) that may
/// have none there. A `bzip2` opening counts only with its block magic.
pub fn is_binary(bytes: &[u8]) -> bool {
    if memchr::memchr(0, &bytes[..bytes.len().min(BINARY_SNIFF_LEN)]).is_some() {
        return true;
    }
    BINARY_MAGIC.iter().any(|m| {
        bytes.starts_with(m)
            && (*m != b"BZh"
                || bytes.get(3).is_some_and(|d| (b'1'..=b'9').contains(d))
                    && bytes.get(4..10) == Some(b"1AY&SY"))
    })
}
