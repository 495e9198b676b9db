//! Protected paths: a small glob matcher and the default list of files an
//! agent must never read (`.env`, private keys, cloud credentials, …).
//!
//! # Pattern syntax
//!
//! - `*` matches any run of characters inside one path component, `?` one
//!   character, `[abc]`/`[a-z]`/`[!x]` a character class, `{a,b}` either
//!   alternative;
//! - `**` as a whole component matches any number of components (also none);
//! - a pattern without `/` matches the file name (last component) anywhere;
//! - a pattern with `/` matches a trailing run of components anywhere, so
//!   `.aws/credentials` matches `/home/u/.aws/credentials`;
//! - a leading `!` excludes: a path is protected when some positive pattern
//!   matches it and no `!` pattern does.
//!
//! Matching is done on the path as given *and* on its canonical form
//! (symlinks resolved, `..` folded), so a symlink `notes.txt -> .env` is still
//! protected.

use std::path::{Component, Path, PathBuf};

/// `s` with look-alike characters replaced by the ASCII letters they
/// imitate (Cyrillic and Greek homoglyphs, full-width forms) and invisible
/// format characters (zero-width spaces and joiners, soft hyphens, BOMs)
/// removed; `None` when `s` has none of them.
pub fn lookalike_ascii(s: &str) -> Option<String> {
    if s.is_ascii() {
        return None;
    }
    let mut changed = false;
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let m = match c {
            '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{ad}' => None,
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0),
            '\u{2024}' => Some('.'),
            'а' | 'α' => Some('a'),
            'с' | 'ϲ' => Some('c'),
            'ԁ' => Some('d'),
            'е' | 'ε' => Some('e'),
            'һ' => Some('h'),
            'і' | 'ι' => Some('i'),
            'ј' => Some('j'),
            'κ' => Some('k'),
            'ν' => Some('v'),
            'о' | 'ο' => Some('o'),
            'р' | 'ρ' => Some('p'),
            'ѕ' => Some('s'),
            'х' | 'χ' => Some('x'),
            'у' | 'γ' => Some('y'),
            'А' | 'Α' => Some('A'),
            'В' | 'Β' => Some('B'),
            'С' => Some('C'),
            'Е' | 'Ε' => Some('E'),
            'Н' | 'Η' => Some('H'),
            'І' | 'Ι' => Some('I'),
            'Ј' => Some('J'),
            'К' | 'Κ' => Some('K'),
            'М' | 'Μ' => Some('M'),
            'Ν' => Some('N'),
            'О' | 'Ο' => Some('O'),
            'Р' | 'Ρ' => Some('P'),
            'Ѕ' => Some('S'),
            'Т' | 'Τ' => Some('T'),
            'Х' | 'Χ' => Some('X'),
            'Υ' | 'Ү' => Some('Y'),
            'Ζ' => Some('Z'),
            _ => Some(c),
        };
        if m != Some(c) {
            changed = true;
        }
        if let Some(m) = m {
            out.push(m);
        }
    }
    changed.then_some(out)
}

/// The default protected-path globs.
pub const DEFAULT_PROTECTED: &[&str] = &[
    ".env",
    ".env.*",
    ".env~",
    "!.env.example",
    "!.env.sample",
    "!.env.template",
    "!.env.dist",
    ".envrc",
    "**/secrets/**",
    "*.pem",
    "*.key",
    "id_rsa*",
    "id_dsa*",
    "id_ecdsa*",
    "id_ed25519*",
    "!id_*.pub",
    "*.p12",
    "*.pfx",
    "*.jks",
    "*.keystore",
    // Terraform state (`terraform.tfstate`, `prod.tfstate`, backups).
    "terraform.tfstate*",
    "*.tfstate",
    "*.tfstate.backup",
    "*.tfvars",
    "*.tfvars.json",
    // Cloudflare Wrangler's local secrets and its sign-in token.
    ".dev.vars*",
    "!.dev.vars.example",
    ".wrangler/config/default.toml",
    // Google Cloud service-account keys under their usual names.
    "service?account*.json",
    "*-service-account.json",
    "*-sa-key.json",
    // Firebase Admin SDK keys: the console's download name and the name
    // its setup guide tells users to give it.
    "*-firebase-adminsdk-*.json",
    "serviceAccountKey*.json",
    "**/credentials.json",
    ".aws/credentials",
    ".aws/sso/cache/*",
    ".aws/cli/cache/*",
    ".config/gcloud/credentials.db",
    ".config/gcloud/access_tokens.db",
    ".config/gcloud/application_default_credentials.json",
    ".config/gcloud/legacy_credentials/**",
    ".azure/accessTokens.json",
    ".azure/msal_token_cache.*",
    ".azure/service_principal_entries.json",
    ".config/gh/hosts.yml",
    ".config/hub",
    ".terraform.d/credentials.tfrc.json",
    ".vault-token",
    ".netrc",
    "_netrc",
    ".netrc.*",
    "!.netrc.example",
    ".pgpass",
    ".my.cnf",
    ".mylogin.cnf",
    ".s3cfg",
    ".boto",
    ".databrickscfg",
    ".htpasswd",
    ".npmrc",
    ".pypirc",
    ".gem/credentials",
    ".cargo/credentials",
    ".cargo/credentials.toml",
    ".composer/auth.json",
    ".git-credentials",
    ".docker/config.json",
    // Docker's registry credentials before `config.json`.
    ".dockercfg",
    ".kube/config",
    "kubeconfig",
    "*.kubeconfig",
    ".ssh/*",
    "!.ssh/*.pub",
    "!.ssh/known_hosts*",
    "!.ssh/config",
    "!.ssh/authorized_keys",
    ".gnupg/private-keys-v1.d/**",
    ".gnupg/secring.gpg",
    ".config/rclone/rclone.conf",
    "proc/*/environ",
    // Shell and REPL histories: commands typed with tokens in them
    // (`export TOKEN=…`, `psql postgres://u:pw@…`).
    ".bash_history",
    ".zsh_history",
    ".zhistory",
    ".sh_history",
    ".history",
    ".local/share/fish/fish_history",
    ".python_history",
    ".node_repl_history",
    ".psql_history",
    ".mysql_history",
    ".sqlite_history",
    ".rediscli_history",
    ".irb_history",
    // The agents' own sign-in tokens.
    ".claude/.credentials.json",
    ".codex/auth.json",
    ".config/github-copilot/hosts.json",
    ".config/github-copilot/apps.json",
    // Other CLIs' token stores.
    ".cache/huggingface/token",
    ".huggingface/token",
    ".kaggle/kaggle.json",
    ".config/sops/age/keys.txt",
    ".config/doctl/config.yaml",
    ".fly/config.yml",
    ".supabase/access-token",
    ".config/configstore/firebase-tools.json",
    ".oci/config",
    ".config/ngrok/ngrok.yml",
    ".local/share/com.vercel.cli/auth.json",
    ".config/git/credentials",
    ".m2/settings-security.xml",
    ".gradle/gradle.properties",
    ".password-store/**",
    ".local/share/keyrings/**",
    "Library/Keychains/**",
    // Browsers' saved passwords and cookies.
    ".mozilla/firefox/*/logins.json",
    ".mozilla/firefox/*/key4.db",
    ".mozilla/firefox/*/cookies.sqlite",
    ".config/google-chrome/*/Login Data",
    ".config/google-chrome/*/Cookies",
    ".config/chromium/*/Login Data",
    ".config/chromium/*/Cookies",
];

#[cfg(test)]
thread_local! {
    /// Tests set this to answer with every glob tried (no prefilter), to
    /// compare whole code paths against the reference matcher.
    pub(crate) static REFERENCE_MATCHER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Names a certificate can have; such a file holding only certificates (no
/// private key) is not protected, whatever the globs say.
const CERT_EXTENSIONS: &[&str] = &[".pem", ".crt", ".cer"];

/// Largest file read to tell a certificate from a key.
const MAX_CERT_PROBE: u64 = 1 << 20;

/// Most alternatives one pattern may expand to through `{a,b}` groups.
const MAX_EXPANSIONS: usize = 64;

/// A list of protected-path globs, compiled on first use: most events (a
/// prompt, a plain command) never ask, and compiling the default list costs
/// a third of a million instructions per hook process.
#[derive(Clone, Debug)]
pub struct Protected {
    /// The patterns as given (trimmed, blanks dropped), to merge policies.
    patterns: Vec<String>,
    /// The include and `!`-exclude globs, made from `patterns` on first use.
    compiled: std::sync::OnceLock<CompiledGlobs>,
}

/// The globs of a [`Protected`] list. Each include glob carries a cheap
/// necessary condition (its [`GlobKey`]): most paths asked about (every
/// line of a tool's output is one) fail all of them, and are then ruled
/// out without lowercasing, splitting or matching any glob.
#[derive(Clone, Debug)]
struct CompiledGlobs {
    include: Vec<Glob>,
    exclude: Vec<Glob>,
    /// The include globs keyed by an exact last component, sorted by it.
    by_last_name: Vec<usize>,
    /// The include globs keyed by a component anywhere.
    by_component: Vec<usize>,
    /// The other include globs, each tested with [`Glob::may_match`].
    rest: Vec<usize>,
}

/// Longest last component looked up among the exact names (longer ones
/// cannot equal any of them).
const MAX_NAME_KEY: usize = 64;

impl CompiledGlobs {
    /// Compiles the include and `!`-exclude patterns.
    fn new(patterns: &[String]) -> CompiledGlobs {
        let mut include = Vec::new();
        let mut exclude = Vec::new();
        for pat in patterns {
            if let Some(neg) = pat.strip_prefix('!') {
                exclude.extend(Glob::new(neg));
            } else {
                include.extend(Glob::new(pat));
            }
        }
        let (mut by_last_name, mut by_component, mut rest) = (Vec::new(), Vec::new(), Vec::new());
        for (i, g) in include.iter().enumerate() {
            match g.key {
                GlobKey::Last(p) if p + 1 == g.parts.len() && g.parts[p].len() <= MAX_NAME_KEY => {
                    by_last_name.push(i)
                }
                GlobKey::Component(_) => by_component.push(i),
                _ => rest.push(i),
            }
        }
        let mut c = CompiledGlobs {
            include,
            exclude,
            by_last_name,
            by_component,
            rest,
        };
        let mut by_last_name = std::mem::take(&mut c.by_last_name);
        by_last_name.sort_by(|a, b| c.key_part(*a).cmp(c.key_part(*b)));
        c.by_last_name = by_last_name;
        c
    }

    /// The part include glob `i`'s key names.
    fn key_part(&self, i: usize) -> &[u8] {
        let Some(g) = self.include.get(i) else {
            return &[];
        };
        let p = match g.key {
            GlobKey::Last(p)
            | GlobKey::LastPrefix(p, _)
            | GlobKey::LastSuffix(p)
            | GlobKey::Component(p) => p,
            GlobKey::None => return &[],
        };
        g.parts.get(p).map_or(&[][..], Vec::as_slice)
    }

    /// True when some include glob matches `path` and no exclude glob does.
    /// `path` uses `/` separators; case is ignored (ASCII).
    fn matches(&self, path: &str) -> bool {
        let tail = Tail::new(path);
        let mut candidates: Vec<usize> = Vec::new();
        if let Some(last) = tail.last[0].filter(|l| l.len() <= MAX_NAME_KEY) {
            let mut buf = [0u8; MAX_NAME_KEY];
            let name = &mut buf[..last.len()];
            name.copy_from_slice(last);
            name.make_ascii_lowercase();
            let name = &*name;
            let from = self
                .by_last_name
                .partition_point(|i| self.key_part(*i) < name);
            candidates.extend(
                self.by_last_name[from..]
                    .iter()
                    .take_while(|i| self.key_part(**i) == name),
            );
        }
        if !self.by_component.is_empty() {
            for c in path.split('/') {
                for i in &self.by_component {
                    let want = self.key_part(*i);
                    if c.len() == want.len() && c.as_bytes().eq_ignore_ascii_case(want) {
                        candidates.push(*i);
                    }
                }
            }
        }
        candidates.extend(
            self.rest
                .iter()
                .filter(|i| self.include.get(**i).is_some_and(|g| g.may_match(&tail))),
        );
        if candidates.is_empty() {
            return false;
        }
        let lower;
        let path = if path.bytes().any(|b| b.is_ascii_uppercase()) {
            lower = path.to_ascii_lowercase();
            lower.as_str()
        } else {
            path
        };
        let comps = components(path);
        candidates.iter().any(|i| {
            self.include
                .get(*i)
                .is_some_and(|g| g.matches_comps(&comps))
        }) && !self.exclude.iter().any(|g| g.matches_comps(&comps))
    }

    /// The reference answer of [`CompiledGlobs::matches`]: every glob tried
    /// on the path, no prefilter.
    #[cfg(test)]
    fn matches_every_glob(&self, path: &str) -> bool {
        let path = path.to_ascii_lowercase();
        self.include.iter().any(|g| g.matches_path(&path))
            && !self.exclude.iter().any(|g| g.matches_path(&path))
    }
}

impl Default for Protected {
    fn default() -> Self {
        Protected::new(DEFAULT_PROTECTED.iter().copied())
    }
}

impl Protected {
    /// Compiles a list of patterns (see the module docs).
    pub fn new<'a>(patterns: impl IntoIterator<Item = &'a str>) -> Protected {
        Protected {
            patterns: patterns
                .into_iter()
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(String::from)
                .collect(),
            compiled: std::sync::OnceLock::new(),
        }
    }

    /// The compiled globs (made on the first call).
    fn globs(&self) -> &CompiledGlobs {
        self.compiled
            .get_or_init(|| CompiledGlobs::new(&self.patterns))
    }

    /// This list plus the positive patterns of `other` (its `!` exclusions
    /// are dropped: they could only loosen).
    pub fn with_includes_of(&self, other: &Protected) -> Protected {
        let extra: Vec<&str> = other
            .patterns
            .iter()
            .filter(|p| !p.starts_with('!') && !self.patterns.contains(p))
            .map(String::as_str)
            .collect();
        if extra.is_empty() {
            return self.clone();
        }
        Protected::new(self.patterns.iter().map(String::as_str).chain(extra))
    }

    /// True when `path` (as given) or its canonical form is protected.
    /// Relative paths are taken relative to `cwd`.
    pub fn is_protected(&self, path: &str, cwd: Option<&Path>) -> bool {
        self.protected_form(path, cwd).is_some()
    }

    /// Like [`Protected::is_protected`] but returns which form matched (the
    /// given path or the canonical one), for messages. `cwd` is also the
    /// project root (see [`Protected::protected_form_in`]).
    pub fn protected_form(&self, path: &str, cwd: Option<&Path>) -> Option<String> {
        self.protected_form_in(path, cwd, cwd)
    }

    /// Like [`Protected::protected_form`], with relative paths resolved
    /// against `cwd` and patterns matched on the part of an absolute path
    /// below the project `root` (so a checkout that itself lives under a
    /// directory named `secrets` is not protected as a whole). Paths outside
    /// the root (`~/.aws/credentials`) are matched whole.
    pub fn protected_form_in(
        &self,
        path: &str,
        cwd: Option<&Path>,
        root: Option<&Path>,
    ) -> Option<String> {
        let hit = self.protected_form_raw(path, cwd, root)?;
        let abs = match cwd {
            Some(c) if !Path::new(path).is_absolute() => c.join(path),
            _ => PathBuf::from(path),
        };
        if is_certificate_only(&abs) {
            return None;
        }
        Some(hit)
    }

    fn protected_form_raw(
        &self,
        path: &str,
        cwd: Option<&Path>,
        root: Option<&Path>,
    ) -> Option<String> {
        if path.is_empty() {
            return None;
        }
        // `.еnv` (Cyrillic e), `.ｅnv`, `.e\u{200b}nv`: a name that reads as a
        // protected one is judged as that name.
        if let Some(plain) = lookalike_ascii(path) {
            if let Some(hit) = self.protected_form_raw(&plain, cwd, root) {
                return Some(hit);
            }
        }
        let given = path.replace('\\', "/");
        if !Path::new(path).is_absolute() && self.matches_one(&given) {
            return Some(given);
        }
        let abs = match cwd {
            Some(c) if !Path::new(path).is_absolute() => c.join(path),
            _ => PathBuf::from(path),
        };
        let root_s = root.map(|r| fold(r).to_string_lossy().replace('\\', "/"));
        let folded_s = fold(&abs).to_string_lossy().replace('\\', "/");
        if root_s.as_deref().map(|r| r.trim_end_matches('/'))
            == Some(folded_s.trim_end_matches('/'))
        {
            // The workspace root itself: patterns apply below it.
            return None;
        }
        if self.matches_one(under_root(&folded_s, root_s.as_deref())) {
            return Some(folded_s);
        }
        if let Ok(canon) = std::fs::canonicalize(&abs) {
            let canon_s = canon.to_string_lossy().replace('\\', "/");
            let canon_root = root
                .and_then(|r| std::fs::canonicalize(r).ok())
                .map(|r| r.to_string_lossy().replace('\\', "/"));
            if self.matches_one(under_root(&canon_s, canon_root.as_deref())) {
                return Some(canon_s);
            }
        }
        None
    }

    /// True when a search glob (the `glob` of Grep, the `pattern` of Glob, a
    /// shell glob word) can *only* reach protected files: every concrete
    /// name it matches is protected. `**/*.pem`, `*.key`, `.env` and
    /// `**/secrets/**` are; `**/*.json`, `**/.*`, `.env*` (also matches
    /// `.env.example`) and `*` are not, since they also reach ordinary files.
    pub fn glob_only_protected(&self, glob: &str) -> bool {
        let glob = glob.trim();
        if glob.is_empty() {
            return false;
        }
        if !glob.contains(['*', '?', '[', '{']) {
            return self.matches_one(glob);
        }
        let globs = Glob::new(glob);
        let mut any = false;
        for g in &globs {
            for fill in ["", "zq", "zq.zq"] {
                let Some(name) = g.instance(fill) else {
                    continue;
                };
                if !g.matches_path(&name) {
                    continue;
                }
                any = true;
                if !self.matches_one(&name) {
                    return false;
                }
            }
        }
        any
    }

    /// Kept for callers of the older name: see [`Protected::glob_only_protected`].
    pub fn glob_targets_protected(&self, glob: &str) -> bool {
        self.glob_only_protected(glob)
    }

    /// Whether the globs match `path` (one form of it). Case-insensitive
    /// always: `.ENV` is `.env` on macOS and Windows, and a differently
    /// cased credential file is still one.
    fn matches_one(&self, path: &str) -> bool {
        #[cfg(test)]
        if REFERENCE_MATCHER.with(std::cell::Cell::get) {
            return self.globs().matches_every_glob(path);
        }
        self.globs().matches(path)
    }
}

/// Whether the glob `pattern` (the protected-path syntax: no `/` matches
/// the last component) matches `path` or one of its parent directories,
/// case-insensitively, as an ignore-file line does.
pub(crate) fn ignore_line_matches(pattern: &str, path: &str) -> bool {
    let globs = Glob::new(pattern);
    let path = path.to_ascii_lowercase();
    let mut end = 0;
    let comps: Vec<&str> = path.split('/').collect();
    for c in &comps {
        end += c.len();
        let prefix = &path[..end];
        if globs.iter().any(|g| g.matches_path(prefix)) {
            return true;
        }
        end += 1;
    }
    false
}

/// True when `path` has a certificate's name and holds certificates but no
/// private key (`openssl x509 -in cert.pem` is honest work).
fn is_certificate_only(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if !CERT_EXTENSIONS.iter().any(|e| name.ends_with(e)) {
        return false;
    }
    let Ok(f) = std::fs::File::open(path) else {
        return false;
    };
    let mut buf = Vec::new();
    use std::io::Read;
    if f.take(MAX_CERT_PROBE).read_to_end(&mut buf).is_err() {
        return false;
    }
    let has = |needle: &[u8]| buf.windows(needle.len()).any(|w| w == needle);
    has(b"-----BEGIN CERTIFICATE-----") && !has(b"PRIVATE KEY") && !has(b"-----BEGIN ENCRYPTED")
}

/// Another name for a protected file: when `path` is a regular file with
/// more than one hard link, the protected file below `root` (or among the
/// home directory's credential files) with the same device and inode.
/// Directories named `.git`, `node_modules` and `target` are not walked.
/// Returns `Err(())` when the walk reached its cap of `max_entries`, so the
/// caller can fail closed.
#[cfg(unix)]
#[allow(clippy::result_unit_err)]
pub fn hard_link_to_protected(
    prot: &Protected,
    path: &Path,
    root: Option<&Path>,
    home: Option<&Path>,
    max_entries: usize,
) -> Result<Option<String>, ()> {
    use std::os::unix::fs::MetadataExt;
    let Ok(md) = std::fs::metadata(path) else {
        return Ok(None);
    };
    if !md.is_file() || md.nlink() < 2 {
        return Ok(None);
    }
    let id = (md.dev(), md.ino());
    let same = |p: &Path| {
        std::fs::metadata(p)
            .map(|m| (m.dev(), m.ino()) == id)
            .unwrap_or(false)
    };
    if let Some(h) = home {
        for rel in [
            ".aws/credentials",
            ".netrc",
            ".pgpass",
            ".git-credentials",
            ".docker/config.json",
            // Docker's registry credentials before `config.json`.
            ".dockercfg",
            ".kube/config",
            ".npmrc",
            ".pypirc",
            ".ssh/id_rsa",
            ".ssh/id_ed25519",
            ".ssh/id_ecdsa",
            ".vault-token",
        ] {
            let c = h.join(rel);
            if same(&c) {
                return Ok(Some(c.display().to_string()));
            }
        }
    }
    let Some(root) = root else {
        return Ok(None);
    };
    let mut stack = vec![root.to_path_buf()];
    let mut seen = 0usize;
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            seen += 1;
            if seen > max_entries {
                return Err(());
            }
            let Ok(ft) = e.file_type() else {
                continue;
            };
            let p = e.path();
            if ft.is_dir() {
                let n = e.file_name();
                if n != ".git" && n != "node_modules" && n != "target" {
                    stack.push(p);
                }
            } else if ft.is_file() && p != path && same(&p) {
                let s = p.to_string_lossy().into_owned();
                if prot.protected_form_raw(&s, None, Some(root)).is_some() {
                    return Ok(Some(s));
                }
            }
        }
    }
    Ok(None)
}

/// Without hard-link metadata nothing is found.
#[cfg(not(unix))]
#[allow(clippy::result_unit_err)]
pub fn hard_link_to_protected(
    _prot: &Protected,
    _path: &Path,
    _root: Option<&Path>,
    _home: Option<&Path>,
    _max_entries: usize,
) -> Result<Option<String>, ()> {
    Ok(None)
}

/// The part of `path` below `root`, or `path` when it is not below it.
fn under_root<'a>(path: &'a str, root: Option<&str>) -> &'a str {
    match root {
        Some(r) => path
            .strip_prefix(r.trim_end_matches('/'))
            .and_then(|rest| rest.strip_prefix('/'))
            .filter(|rest| !rest.is_empty())
            .unwrap_or(path),
        None => path,
    }
}

/// Folds `.` and `..` components lexically (no file system access).
pub fn fold(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// One glob pattern, split into components.
#[derive(Clone, Debug)]
struct Glob {
    parts: Vec<Vec<u8>>,
    /// No `/` in the pattern: match the last path component only.
    basename: bool,
    /// What every path this glob matches must have.
    key: GlobKey,
}

/// A necessary condition for a glob to match, cheap to test on the raw
/// path (ASCII case-insensitively: glob parts are lowercase).
#[derive(Clone, Debug, PartialEq)]
///
/// The parts after a glob's last `**` each match one component, counted
/// from the path's end; "its component" below is the one a part lines up
/// with (the last component for the last part and for basename globs).
enum GlobKey {
    /// Its component equals this part (`.env`, `credentials`).
    Last(usize),
    /// Its component starts with the first `len` bytes of this part
    /// (`id_rsa*`, `.env.*`).
    LastPrefix(usize, usize),
    /// Its component ends with the bytes of this part after its leading
    /// `*` (`*.pem`).
    LastSuffix(usize),
    /// Some component equals this part (`**/secrets/**`).
    Component(usize),
    /// No cheap condition: always try the glob.
    None,
}

impl Glob {
    /// Compiles `pat`, expanding `{a,b}` groups into several globs.
    fn new(pat: &str) -> Vec<Glob> {
        let mut out = Vec::new();
        for alt in expand_braces(pat) {
            let alt = alt.replace('\\', "/").to_ascii_lowercase();
            let trimmed = alt.trim_start_matches("./");
            let basename = !trimmed.trim_end_matches('/').contains('/');
            let mut parts: Vec<Vec<u8>> = trimmed
                .split('/')
                .filter(|s| !s.is_empty() && *s != ".")
                .map(|s| s.as_bytes().to_vec())
                .collect();
            if parts.is_empty() {
                continue;
            }
            if !basename && parts.first().map(|p| p.as_slice()) != Some(b"**") {
                // Unanchored: match a trailing run of components anywhere.
                parts.insert(0, b"**".to_vec());
            }
            let key = glob_key(&parts);
            out.push(Glob {
                parts,
                basename,
                key,
            });
        }
        out
    }

    fn matches_path(&self, path: &str) -> bool {
        self.matches_comps(&components(path))
    }

    /// Matches the components of a path (see [`components`]).
    fn matches_comps(&self, comps: &[&[u8]]) -> bool {
        if self.basename {
            return match (comps.last(), self.parts.first()) {
                (Some(last), Some(p)) => component_match(p, last),
                _ => false,
            };
        }
        match_components(&self.parts, comps)
    }

    /// False only when this glob cannot match the path of `tail`; see
    /// [`GlobKey`].
    fn may_match(&self, tail: &Tail) -> bool {
        let part = |i: usize| self.parts.get(i).map_or(&[][..], Vec::as_slice);
        let from_end = |i: usize| self.parts.len().saturating_sub(i + 1);
        let last = match self.key {
            GlobKey::Last(i) | GlobKey::LastPrefix(i, _) | GlobKey::LastSuffix(i) => {
                match tail.nth_from_end(from_end(i)) {
                    Some(c) => c,
                    None => return false,
                }
            }
            _ => &[],
        };
        match self.key {
            GlobKey::Last(i) => last.eq_ignore_ascii_case(part(i)),
            GlobKey::LastPrefix(i, len) => {
                let pre = &part(i)[..len.min(part(i).len())];
                last.len() >= pre.len() && last[..pre.len()].eq_ignore_ascii_case(pre)
            }
            GlobKey::LastSuffix(i) => {
                let suf = part(i).get(1..).unwrap_or_default();
                last.len() >= suf.len() && last[last.len() - suf.len()..].eq_ignore_ascii_case(suf)
            }
            GlobKey::Component(i) => {
                let want = part(i);
                tail.path
                    .split('/')
                    .any(|c| c.as_bytes().eq_ignore_ascii_case(want))
            }
            GlobKey::None => true,
        }
    }

    /// One concrete path: `*` replaced by `fill`, `**` by `fill` (or
    /// nothing when `fill` is empty), `?` and classes by one character.
    fn instance(&self, fill: &str) -> Option<String> {
        let mut comps: Vec<String> = Vec::new();
        for p in &self.parts {
            if p.as_slice() == b"**" {
                if !fill.is_empty() {
                    comps.push(fill.to_string());
                }
                continue;
            }
            let s = String::from_utf8_lossy(p);
            let mut c = String::new();
            let mut chars = s.chars();
            while let Some(ch) = chars.next() {
                match ch {
                    '*' => c.push_str(fill),
                    '?' => c.push('q'),
                    '[' => {
                        let mut first = None;
                        for ch2 in chars.by_ref() {
                            if ch2 == ']' {
                                break;
                            }
                            if first.is_none() && ch2 != '!' && ch2 != '^' {
                                first = Some(ch2);
                            }
                        }
                        c.push(first.unwrap_or('q'));
                    }
                    other => c.push(other),
                }
            }
            if c.is_empty() {
                return None;
            }
            comps.push(c);
        }
        let s = comps.join("/");
        (!s.is_empty()).then_some(s)
    }
}

/// The cheap necessary condition of a glob made of `parts` (see
/// [`Glob::new`]): a last part other than `**` must match the path's last
/// component (a basename glob has just that part), so a literal, a literal
/// then `*`s, or `*` then a literal, is tested there; a glob ending in `**`
/// needs each of its literal parts to equal some component.
fn glob_key(parts: &[Vec<u8>]) -> GlobKey {
    let is_meta = |b: &u8| matches!(b, b'*' | b'?' | b'[');
    // The parts after the last `**`, from the end: the first with a
    // usable literal gives the key.
    for (i, lp) in parts.iter().enumerate().rev() {
        if lp.as_slice() == b"**" {
            break;
        }
        let key = match lp.iter().position(is_meta) {
            None => GlobKey::Last(i),
            Some(0) if lp[0] == b'*' => {
                let rest = &lp[1..];
                if !rest.is_empty() && !rest.iter().any(is_meta) {
                    GlobKey::LastSuffix(i)
                } else {
                    GlobKey::None
                }
            }
            Some(n) if lp[n..].iter().all(|b| *b == b'*') => GlobKey::LastPrefix(i, n),
            Some(_) => GlobKey::None,
        };
        if key != GlobKey::None {
            return key;
        }
    }
    parts
        .iter()
        .position(|p| !p.is_empty() && !p.iter().any(is_meta))
        .map_or(GlobKey::None, GlobKey::Component)
}

/// A path and its last two components (see [`components`]), for
/// [`Glob::may_match`].
struct Tail<'a> {
    path: &'a str,
    last: [Option<&'a [u8]>; 2],
}

impl<'a> Tail<'a> {
    fn new(path: &'a str) -> Tail<'a> {
        let mut it = path.rsplit('/').filter(|c| !c.is_empty() && *c != ".");
        let last = [it.next().map(str::as_bytes), it.next().map(str::as_bytes)];
        Tail { path, last }
    }

    /// The component `n` places before the last one.
    fn nth_from_end(&self, n: usize) -> Option<&'a [u8]> {
        match self.last.get(n) {
            Some(c) => *c,
            None => self
                .path
                .rsplit('/')
                .filter(|c| !c.is_empty() && *c != ".")
                .nth(n)
                .map(str::as_bytes),
        }
    }
}

/// The components of a path as the globs see them: split at `/`, empty
/// and `.` components dropped.
fn components(path: &str) -> Vec<&[u8]> {
    path.split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .map(str::as_bytes)
        .collect()
}

/// Expands `{a,b}` groups (not nested), up to [`MAX_EXPANSIONS`] results.
fn expand_braces(pat: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut rest = pat;
    while let Some(open) = rest.find('{') {
        let Some(close_rel) = rest[open..].find('}') else {
            break;
        };
        let close = open + close_rel;
        let prefix = &rest[..open];
        let alts: Vec<&str> = rest[open + 1..close].split(',').collect();
        let mut next = Vec::new();
        for o in &out {
            for a in &alts {
                if next.len() >= MAX_EXPANSIONS {
                    break;
                }
                next.push(format!("{o}{prefix}{a}"));
            }
        }
        out = next;
        rest = &rest[close + 1..];
    }
    for o in &mut out {
        o.push_str(rest);
    }
    out
}

/// Matches pattern components against path components; `**` spans any
/// number of components. Dynamic programming, so time is bounded by
/// `parts * comps`.
fn match_components(parts: &[Vec<u8>], comps: &[&[u8]]) -> bool {
    let nc = comps.len();
    // dp[j] = parts[..i] matches comps[..j]
    let mut dp = vec![false; nc + 1];
    dp[0] = true;
    for part in parts {
        let mut next = vec![false; nc + 1];
        if part.as_slice() == b"**" {
            let mut any = false;
            for j in 0..=nc {
                any |= dp[j];
                next[j] = any;
            }
        } else {
            for j in 1..=nc {
                next[j] = dp[j - 1] && component_match(part, comps[j - 1]);
            }
        }
        dp = next;
    }
    dp[nc]
}

/// Matches one component against a pattern with `*`, `?` and `[...]`.
/// Linear-time two-pointer algorithm with one backtrack point.
fn component_match(pat: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pat.len() {
            match pat[p] {
                b'*' => {
                    star = Some((p, t));
                    p += 1;
                    continue;
                }
                b'?' => {
                    p += 1;
                    t += 1;
                    continue;
                }
                b'[' => {
                    if let Some((ok, len)) = class_match(&pat[p..], text[t]) {
                        if ok {
                            p += len;
                            t += 1;
                            continue;
                        }
                    } else if text[t] == b'[' {
                        p += 1;
                        t += 1;
                        continue;
                    }
                }
                c if c == text[t] => {
                    p += 1;
                    t += 1;
                    continue;
                }
                _ => {}
            }
        }
        match star {
            Some((sp, st)) => {
                p = sp + 1;
                t = st + 1;
                star = Some((sp, st + 1));
            }
            None => return false,
        }
    }
    while p < pat.len() && pat[p] == b'*' {
        p += 1;
    }
    p == pat.len()
}

/// Matches a `[...]` class at the start of `pat` against `c`. Returns
/// `(matched, class length)`, or `None` when the class is not closed.
fn class_match(pat: &[u8], c: u8) -> Option<(bool, usize)> {
    let mut i = 1;
    let negate = matches!(pat.get(1), Some(b'!') | Some(b'^'));
    if negate {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    while i < pat.len() {
        let lo = pat[i];
        if lo == b']' && !first {
            return Some((matched != negate, i + 1));
        }
        first = false;
        if i + 2 < pat.len() && pat[i + 1] == b'-' && pat[i + 2] != b']' {
            if lo <= c && c <= pat[i + 2] {
                matched = true;
            }
            i += 3;
        } else {
            if lo == c {
                matched = true;
            }
            i += 1;
        }
    }
    None
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn prot(p: &str) -> bool {
        Protected::default().is_protected(p, None)
    }

    #[test]
    fn defaults_protect_the_usual_suspects() {
        for p in [
            ".env",
            "/repo/.env",
            "/repo/.env.local",
            "/repo/.env.production",
            "/repo/secrets/db.txt",
            "/repo/config/secrets/a/b.yaml",
            "server.pem",
            "tls.key",
            "/home/u/.ssh/id_rsa",
            "/home/u/.ssh/id_ed25519",
            "cert.p12",
            "cert.pfx",
            "infra/terraform.tfstate",
            "infra/terraform.tfstate.backup",
            "/app/credentials.json",
            "/home/u/.aws/credentials",
            "/home/u/.netrc",
            ".npmrc",
            ".pypirc",
            "/home/u/.git-credentials",
            "/home/u/.docker/config.json",
            "/home/u/.kube/config",
            "kubeconfig",
            "repo/./sub/../.env",
        ] {
            assert!(prot(p), "{p} should be protected");
        }
    }

    #[test]
    fn defaults_leave_ordinary_files_alone() {
        for p in [
            "/repo/.env.example",
            "/repo/.env.sample",
            "/repo/.env.template",
            "/repo/src/main.rs",
            "/repo/environment.ts",
            "/home/u/.ssh/id_rsa.pub",
            "/home/u/.ssh/id_ed25519.pub",
            "/repo/config.json",
            "/repo/secrets.md",
            "/repo/docs/keyboard.md",
            "/repo/.kube/other",
            "",
        ] {
            assert!(!prot(p), "{p} should not be protected");
        }
    }

    #[test]
    fn patterns_match_below_the_project_root() {
        let p = Protected::default();
        let root = Some(Path::new("/work/secrets/app"));
        let check = |path: &str| p.protected_form_in(path, root, root).is_some();
        assert!(!check("/work/secrets/app/src/main.rs"));
        assert!(!check("src/main.rs"));
        assert!(check("/work/secrets/app/secrets/x"));
        assert!(check("/work/secrets/app/.env"));
        assert!(check("/home/u/.aws/credentials"));
        assert!(check("/elsewhere/secrets/x"));
        // Without a root, absolute paths are matched whole.
        assert!(p.is_protected("/work/secrets/app/src/main.rs", None));
    }

    #[test]
    fn parent_components_are_folded() {
        assert!(prot("/repo/src/../.env"));
        assert!(!prot("/repo/.env/../src/main.rs"));
    }

    #[test]
    fn relative_paths_resolve_against_cwd() {
        let p = Protected::default();
        assert!(p.is_protected("../secrets/x", Some(Path::new("/repo/src"))));
        assert!(!p.is_protected("../src/x", Some(Path::new("/repo/secrets"))));
    }

    #[test]
    fn custom_patterns_and_negation() {
        let p = Protected::new(["*.secret", "config/prod/**", "!config/prod/README.md"]);
        assert!(p.is_protected("/r/a.secret", None));
        assert!(p.is_protected("/r/config/prod/db.yml", None));
        assert!(!p.is_protected("/r/config/prod/README.md", None));
        assert!(!p.is_protected("/r/.env", None));
    }

    #[test]
    fn component_globs() {
        assert!(component_match(b"*.pem", b"a.pem"));
        assert!(!component_match(b"*.pem", b"a.pem.txt"));
        assert!(component_match(b"id_rsa*", b"id_rsa"));
        assert!(component_match(b"a?c", b"abc"));
        assert!(component_match(b"[ab]x", b"bx"));
        assert!(!component_match(b"[!ab]x", b"bx"));
        assert!(component_match(b"[a-c]x", b"cx"));
        assert!(component_match(b"*a*b*c*", b"xxaxxbxxcxx"));
        assert!(!component_match(b"*a*b*c*", b"xxaxxcxxbxx"));
        assert!(component_match(b"[", b"["));
    }

    #[test]
    fn braces_expand() {
        assert_eq!(expand_braces("*.{pem,key}"), vec!["*.pem", "*.key"]);
        assert_eq!(expand_braces("a{b"), vec!["a{b"]);
    }

    #[test]
    fn search_globs() {
        let p = Protected::default();
        for g in ["**/*.pem", "*.{pem,key}", "**/secrets/**", ".env", "id_rsa"] {
            assert!(p.glob_targets_protected(g), "{g}");
        }
        for g in [
            "*",
            "**/*",
            "*.rs",
            "src/**/*.ts",
            "",
            "*.md",
            ".env*",
            "**/*.json",
            "**/.*",
            "**/.*rc",
            "**/config.json",
            "*.json",
        ] {
            assert!(!p.glob_targets_protected(g), "{g}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn symlink_to_protected_file_is_protected() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".env"), "A=1\n").unwrap();
        std::os::unix::fs::symlink(dir.path().join(".env"), dir.path().join("notes.txt")).unwrap();
        let p = Protected::default();
        assert!(p.is_protected("notes.txt", Some(dir.path())));
        assert!(p.is_protected(&dir.path().join("notes.txt").to_string_lossy(), None));
    }

    #[test]
    fn look_alike_names_are_judged_as_the_name_they_imitate() {
        let p = Protected::default();
        // Cyrillic e, full-width e, a zero-width space, Greek omicron.
        assert!(p.is_protected(".\u{435}nv", None));
        assert!(p.is_protected(".\u{ff45}nv", None));
        assert!(p.is_protected(".e\u{200b}nv", None));
        assert!(p.is_protected("/h/.ssh/id_rsa", None));
        assert!(p.is_protected("/h/.aws/cred\u{435}ntials", None));
        assert!(!p.is_protected("src/m\u{430}in.rs", None));
        assert!(!p.is_protected("docs/\u{43f}\u{440}\u{438}\u{432}\u{435}\u{442}.md", None));
        assert_eq!(lookalike_ascii("plain.txt"), None);
        assert_eq!(lookalike_ascii(".\u{435}nv").as_deref(), Some(".env"));
    }

    #[test]
    fn firebase_and_docker_credential_names() {
        let p = Protected::default();
        assert!(p.is_protected("app-firebase-adminsdk-ab12c-0123456789.json", None));
        assert!(p.is_protected("serviceAccountKey.json", None));
        assert!(p.is_protected("/h/.dockercfg", None));
        assert!(!p.is_protected("firebase.json", None));
        assert!(!p.is_protected("firebase-adminsdk.md", None));
    }

    #[test]
    fn glob_keys() {
        let key = |p: &str| Glob::new(p)[0].key.clone();
        assert_eq!(key(".env"), GlobKey::Last(0));
        assert_eq!(key("*.pem"), GlobKey::LastSuffix(0));
        assert_eq!(key("id_rsa*"), GlobKey::LastPrefix(0, 6));
        assert_eq!(key(".aws/credentials"), GlobKey::Last(2));
        assert_eq!(key(".aws/sso/cache/*"), GlobKey::Last(3));
        assert_eq!(key(".ssh/*"), GlobKey::Last(1));
        assert_eq!(key("proc/*/environ"), GlobKey::Last(3));
        assert_eq!(key("**/secrets/**"), GlobKey::Component(1));
        assert_eq!(key("a/*/**"), GlobKey::Component(1));
        assert_eq!(key("*/**"), GlobKey::None);
        assert_eq!(key("*/*"), GlobKey::None);
        assert_eq!(key("*"), GlobKey::None);
        assert_eq!(key("**"), GlobKey::None);
        assert_eq!(key("*.p[e]m"), GlobKey::None);
        assert_eq!(key("[-]"), GlobKey::None);
        assert_eq!(key("?.pem"), GlobKey::None);
        assert_eq!(key("id_*_x"), GlobKey::None);
    }

    #[test]
    fn prefilter_keeps_unfiltered_globs() {
        let p = Protected::new(["*", "!*.rs"]);
        assert!(p.is_protected("/r/notes.txt", None));
        assert!(!p.is_protected("/r/main.rs", None));
        let p = Protected::new(["*.PEM", "[ab]*"]);
        assert!(p.is_protected("/r/X.pem", None));
        assert!(p.is_protected("/r/Bob", None));
        assert!(!p.is_protected("/r/cob", None));
    }

    /// Pieces of the default patterns, shuffled into paths and lines
    /// (mostly near-misses of protected names).
    const PATH_PIECES: &[&str] = &[
        ".env",
        ".env.local",
        ".env.example",
        ".ENV",
        "env",
        ".envrc",
        "secrets",
        "Secrets",
        "secret",
        "id_rsa",
        "id_rsa.pub",
        "id_ed25519",
        ".ssh",
        "known_hosts",
        "config",
        ".aws",
        "credentials",
        "credentials.json",
        ".config",
        "gcloud",
        "legacy_credentials",
        "a.pem",
        "b.key",
        "keys.txt",
        "terraform.tfstate.backup",
        "x.tfvars",
        ".netrc",
        ".netrc.example",
        "_netrc",
        ".kube",
        "kubeconfig",
        "prod.kubeconfig",
        "proc",
        "1",
        "environ",
        ".bash_history",
        "fish",
        "share",
        ".local",
        "fish_history",
        ".mozilla",
        "firefox",
        "p.default",
        "logins.json",
        "google-chrome",
        "Default",
        "Login Data",
        "Cookies",
        "Library",
        "Keychains",
        ".password-store",
        ".gnupg",
        "private-keys-v1.d",
        "src",
        "main.rs",
        "docs",
        ".",
        "..",
        "",
        "a:b",
        "now: Instant",
        "é",
        "[x]",
        "*",
        "sso",
        "cache",
        "ab",
    ];

    fn pieces_path() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let piece = prop_oneof![
            4 => proptest::sample::select(PATH_PIECES).prop_map(String::from),
            1 => "[a-zA-Z0-9._:~ -]{0,8}",
        ];
        (proptest::bool::ANY, proptest::collection::vec(piece, 0..6)).prop_map(|(abs, parts)| {
            let p = parts.join("/");
            if abs {
                format!("/{p}")
            } else {
                p
            }
        })
    }

    /// The default list compiled, and each default pattern compiled on its
    /// own (with an exclusion, to exercise that path too).
    fn compiled_defaults() -> &'static (CompiledGlobs, Vec<CompiledGlobs>) {
        static C: std::sync::OnceLock<(CompiledGlobs, Vec<CompiledGlobs>)> =
            std::sync::OnceLock::new();
        C.get_or_init(|| {
            let strings = |ps: &[&str]| ps.iter().map(|p| p.to_string()).collect::<Vec<_>>();
            let all = CompiledGlobs::new(&strings(DEFAULT_PROTECTED));
            let each = DEFAULT_PROTECTED
                .iter()
                .map(|p| CompiledGlobs::new(&strings(&[p, "!.env.example"])))
                .collect();
            (all, each)
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]
        /// The prefiltered matcher answers as trying every glob does, for
        /// the default list and for each default pattern on its own.
        #[test]
        fn prefilter_is_exact(path in pieces_path(), which in 0usize..DEFAULT_PROTECTED.len()) {
            let (all, each) = compiled_defaults();
            proptest::prop_assert_eq!(all.matches(&path), all.matches_every_glob(&path), "{}", path);
            let one = &each[which];
            proptest::prop_assert_eq!(
                one.matches(&path), one.matches_every_glob(&path), "{} {}", DEFAULT_PROTECTED[which], path
            );
        }

        /// Also for arbitrary small globs (classes, `?`, `**`, stray `[`).
        #[test]
        fn prefilter_is_exact_for_any_glob(
            pats in proptest::collection::vec("!?[aB*?./\\[\\]!-]{1,9}", 1..4),
            path in "[aAb*./\\[-]{0,14}",
        ) {
            let globs = CompiledGlobs::new(&pats);
            proptest::prop_assert_eq!(globs.matches(&path), globs.matches_every_glob(&path));
        }

        #[test]
        fn prefilter_is_exact_on_any_text(path in "\\PC{0,60}") {
            let (all, _) = compiled_defaults();
            proptest::prop_assert_eq!(all.matches(&path), all.matches_every_glob(&path));
        }

        #[test]
        fn matching_never_panics(pat in "\\PC{0,40}", path in "\\PC{0,60}") {
            let p = Protected::new([pat.as_str()]);
            let _ = p.is_protected(&path, None);
            let _ = p.glob_targets_protected(&path);
        }
    }
}
