//! Decisions from a file's path alone: project metadata and lockfiles (where
//! emails are maintainers' public contacts) and credential files (where any
//! random-looking string may be a secret).

use std::path::{Component, Path};

/// Exact file names (ASCII case-insensitive) of project metadata and
/// lockfiles.
const METADATA_NAMES: &[&str] = &[
    "codeowners",
    "citation.cff",
    "owners",
    ".mailmap",
    "pyproject.toml",
    "package.json",
    "bower.json",
    "composer.json",
    "cargo.toml",
    "setup.py",
    "setup.cfg",
    "pkg-info",
    "metadata",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
    "gemfile",
    "go.mod",
    "go.sum",
    "cargo.lock",
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lock",
    "poetry.lock",
    "pipfile.lock",
    "pdm.lock",
    "uv.lock",
    "gemfile.lock",
    "composer.lock",
    "podfile.lock",
    "flake.lock",
    "mix.lock",
    "pubspec.yaml",
    "pubspec.lock",
    "description",
    // Helm charts and Ansible collections: their maintainers and authors.
    "chart.yaml",
    "galaxy.yml",
    // autoconf scripts: the bug-report address of the GNU project.
    "config.guess",
    "config.sub",
    // CI settings: the addresses build notifications go to.
    ".travis.yml",
];

/// File name stems (before any extension, case-insensitive) of project
/// metadata: `AUTHORS.md`, `MAINTAINERS.txt`, `CONTRIBUTORS`, …
const METADATA_STEMS: &[&str] = &[
    "pyproject",
    "authors",
    "maintainers",
    "contributors",
    "credits",
    "thanks",
    "changelog",
    "changes",
    "history",
    "news",
    "code_of_conduct",
    "code-of-conduct",
    "security",
    "copying",
    "license",
    "licence",
    "notice",
    "funding",
    "copyright",
    "contributing",
    // Bundled third-party license texts (`open_source_licenses.txt`).
    "open_source_licenses",
    "third_party_notices",
    "thirdpartynotices",
];

/// File name endings of project metadata (package specs).
const METADATA_SUFFIXES: &[&str] = &[".gemspec", ".nuspec", ".podspec", ".cabal", ".lock"];

/// Directories whose files are project metadata.
const METADATA_DIRS: &[&str] = &[".github", ".gitlab", ".dist-info", ".egg-info"];

fn name_of(path: &Path) -> Option<String> {
    Some(path.file_name()?.to_str()?.to_ascii_lowercase())
}

/// Project metadata or a lockfile (see [`crate::ScannerBuilder::metadata_emails`]).
pub(crate) fn project_metadata(path: &Path) -> bool {
    let Some(name) = name_of(path) else {
        return false;
    };
    if METADATA_NAMES.contains(&name.as_str())
        || METADATA_SUFFIXES.iter().any(|s| name.ends_with(s))
    {
        return true;
    }
    // `LICENSE`, `LICENSE.txt`, and per-component `LICENSE_STIX` / `COPYING-fonts`.
    let stem = name.split('.').next().unwrap_or("");
    if METADATA_STEMS.iter().any(|m| {
        stem.strip_prefix(m)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['_', '-']))
    }) {
        return true;
    }
    // ASCII case ignored without a lowercase copy of each part (the
    // engine asks this of files before their first email is validated).
    path.components().any(|c| match c {
        Component::Normal(part) => part.to_str().is_some_and(|p| {
            let p = p.as_bytes();
            METADATA_DIRS.iter().any(|d| {
                let d = d.as_bytes();
                p.eq_ignore_ascii_case(d)
                    || (d.starts_with(b".")
                        && p.len() >= d.len()
                        && p[p.len() - d.len()..].eq_ignore_ascii_case(d))
            })
        }),
        _ => false,
    })
}

/// Directory names (ASCII case-insensitive) of tests, fixtures, examples,
/// documentation and benchmarks.
const TEST_OR_DOC_DIRS: &[&str] = &[
    "test",
    "tests",
    "testing",
    "testdata",
    "test_data",
    "__tests__",
    "integration-test",
    "integration-tests",
    "integrationtest",
    "testfixtures",
    "spec",
    "specs",
    "fixtures",
    "fixture",
    "doc",
    "docs",
    "documentation",
    "examples",
    "example",
    "samples",
    "sample",
    "benches",
    "bench",
    // Recorded HTTP sessions replayed by tests (VCR, Betamax).
    "cassettes",
];

/// Test, fixture, example and documentation files: their PII is sample
/// data or published contact details (see
/// [`crate::ScannerBuilder::pii_in_tests_and_docs`]).
pub(crate) fn test_or_doc(path: &Path) -> bool {
    let Some(name) = name_of(path) else {
        return false;
    };
    let stem = name.split('.').next().unwrap_or("");
    if stem.starts_with("test_")
        || stem.ends_with("_test")
        || stem.ends_with("_tests")
        || stem.ends_with("_spec")
        || stem == "conftest"
        || camel_test_class(stem, path)
        || name.contains(".test.")
        || name.contains(".spec.")
        // `README`, `README.rdoc`, `.readme.tmpl`: a project's manual.
        || stem == "readme"
        || name.contains(".readme.")
        || name.starts_with("readme.")
        || [
            ".rst",
            ".rdoc",
            ".replay",
            ".md",
            ".markdown",
            ".adoc",
            ".tex",
            ".texi",
            ".man",
            ".1",
            ".3",
        ]
        .iter()
        .any(|e| name.ends_with(e))
    {
        return true;
    }
    let mut parts = path.components().filter_map(|c| match c {
        Component::Normal(p) => p.to_str(),
        _ => None,
    });
    // The directories only, not the file name itself; ASCII case ignored
    // without a lowercase copy of each part.
    let _ = parts.next_back();
    parts.any(|p| TEST_OR_DOC_DIRS.iter().any(|d| p.eq_ignore_ascii_case(d)))
}

/// A JVM or .NET test class by its name (`LdapUserDetailsManagerTests.java`,
/// `UserServiceTest.kt`): a name ending in `Test` or `Tests` after a lower
/// case letter or digit (`Contest`, `Latest` do not count).
fn camel_test_class(stem_lower: &str, path: &Path) -> bool {
    let Some(original) = path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.get(..stem_lower.len()))
    else {
        return false;
    };
    let body = original
        .strip_suffix("Tests")
        .or_else(|| original.strip_suffix("Test"));
    body.and_then(|b| b.bytes().last())
        .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// A patch or mailbox of patches (`*.patch`, `*.diff`, `*.mbox`): its
/// `From:` lines name the commits' authors.
pub(crate) fn patch_file(path: &Path) -> bool {
    name_of(path).is_some_and(|n| [".patch", ".diff", ".mbox"].iter().any(|e| n.ends_with(e)))
}

/// Test vectors of password hashing and key derivation: a data file in a
/// test folder whose name says it holds hashes or vectors
/// (`tests/data/raw_argon2id_hashes.json`, `testdata/pbkdf2_vectors.txt`).
/// The passwords in them are inputs to a hash function, not credentials.
pub(crate) fn hash_test_vectors(path: &Path) -> bool {
    let Some(name) = name_of(path) else {
        return false;
    };
    let data = [
        ".json", ".txt", ".csv", ".tsv", ".yaml", ".yml", ".toml", ".rsp", ".dat",
    ]
    .iter()
    .any(|e| name.ends_with(e));
    let vectors = name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|part| {
            part.starts_with("hash") || part.starts_with("vector") || matches!(part, "kat" | "kats")
        });
    data && vectors && test_or_doc(path)
}

/// Files that hold credentials by purpose: any random-looking string in
/// them may be one.
pub(crate) fn credential_file(path: Option<&Path>) -> bool {
    let Some(name) = path.and_then(name_of) else {
        return false;
    };
    matches!(
        name.as_str(),
        ".env"
            | "credentials"
            | "credentials.json"
            | "credentials.yml"
            | "credentials.yaml"
            | ".credentials"
            | ".git-credentials"
            | ".npmrc"
            | ".pypirc"
            | ".netrc"
            | "_netrc"
            | ".htpasswd"
            | ".secrets"
            | ".dockercfg"
            | "terraform.tfvars"
    ) || name.starts_with(".env.")
        || name.ends_with(".env")
        || name.starts_with("secrets.")
        || name.starts_with("secret.")
        || name.ends_with(".tfvars")
        || name.ends_with(".keystore")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_and_lockfiles_are_recognised() {
        for p in [
            "AUTHORS",
            "docs/MAINTAINERS.md",
            "x/CITATION.cff",
            "pkg/package.json",
            "Cargo.toml",
            "foo.gemspec",
            "setup.cfg",
            "yarn.lock",
            "poetry.lock",
            ".github/workflows/ci.yml",
            "CODEOWNERS",
            "six-1.0.dist-info/METADATA",
            "CHANGELOG.md",
            "LICENSE/LICENSE_STIX",
            "LICENSE.external",
            "vendor/libuv/config.guess",
            "charts/prometheus/Chart.yaml",
            "galaxy.yml",
            "pathspec/pyproject.in.toml",
            "COPYRIGHT",
            "vendor/x/CONTRIBUTING.txt",
            "cli/content/legal/open_source_licenses.txt",
            "vendor/github.com/a/b/.travis.yml",
        ] {
            assert!(project_metadata(Path::new(p)), "{p}");
        }
        for p in [
            "src/licenses.rs",
            "src/lib.rs",
            "tests/test_users.py",
            "config/settings.json",
            "README.md",
            "src/copyrights.py",
            ".travis.yml.bak",
        ] {
            assert!(!project_metadata(Path::new(p)), "{p}");
        }
    }

    #[test]
    fn tests_and_docs_are_recognised() {
        for p in [
            "tests/orm/test_joins.py",
            "pkg/test_util.py",
            "src/app.spec.ts",
            "doc/build/orm/select.rst",
            "README.md",
            "go/handler_test.go",
            "fixtures/users.json",
            "ldap/src/main/java/x/LdapUserDetailsManagerTests.java",
            "core/UserServiceTest.kt",
            "config/src/integration-test/resources/users.ldif",
            "actionmailer/README.rdoc",
            "vendor/go.uber.org/zap/.readme.tmpl",
            "README",
            "vendor/cloud.google.com/go/storage/storage.replay",
            "tests/cassettes/login.json",
        ] {
            assert!(test_or_doc(Path::new(p)), "{p}");
        }
        for p in [
            "src/users.py",
            "data/customers.csv",
            "app/contest.py",
            "latest/x.rs",
            "src/Contest.java",
            "src/Latest.kt",
            "src/Test.java",
            "src/TESTS.java",
            "charts/prometheus/values.yaml",
            "src/readmes.rs",
            "app/replay.go",
        ] {
            assert!(!test_or_doc(Path::new(p)), "{p}");
        }
    }

    #[test]
    fn hash_test_vectors_are_recognised() {
        for p in [
            "tests/data/raw_argon2id_hashes.json",
            "pynacl/tests/data/modular_crypt_argon2i_hashes.json",
            "testdata/pbkdf2_vectors.txt",
        ] {
            assert!(hash_test_vectors(Path::new(p)), "{p}");
        }
        for p in [
            "config/hashes.json",
            "tests/test_hashes.py",
            "tests/fixtures/users.json",
            "tests/data/katalog.json",
        ] {
            assert!(!hash_test_vectors(Path::new(p)), "{p}");
        }
    }

    #[test]
    fn credential_files_are_recognised() {
        for p in [
            ".env",
            "app/.env.production",
            "prod.env",
            "secrets.yaml",
            "a/.npmrc",
            "x.tfvars",
        ] {
            assert!(credential_file(Some(Path::new(p))), "{p}");
        }
        for p in [
            "src/env.rs",
            "tests/test_secrets_util.py",
            "environment.yml",
        ] {
            assert!(!credential_file(Some(Path::new(p))), "{p}");
        }
        assert!(!credential_file(None));
    }

    /// The directory checks as they were, lowercasing each part.
    fn dirs_by_lowercase(path: &Path) -> (bool, bool) {
        let lower: Vec<String> = path
            .components()
            .filter_map(|c| match c {
                Component::Normal(p) => p.to_str().map(str::to_ascii_lowercase),
                _ => None,
            })
            .collect();
        let metadata = lower.iter().any(|p| {
            METADATA_DIRS
                .iter()
                .any(|d| p == d || (d.starts_with('.') && p.ends_with(d)))
        });
        let parents = &lower[..lower.len().saturating_sub(1)];
        let test_or_doc = parents
            .iter()
            .any(|p| TEST_OR_DOC_DIRS.contains(&p.as_str()));
        (metadata, test_or_doc)
    }

    proptest::proptest! {
        /// Case-insensitive comparisons decide as lowercased copies did.
        #[test]
        fn directory_checks_ignore_case_as_lowercasing_did(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "Tests", "DOCS", "spec", "Specs", "testData", "src", "a.Egg-Info",
                    ".GitHub", "x.dist-info", "dist-info", "eXamples", "benchx", "é",
                    "Doc", ".gitlab", "lib", "fixture", "SAMPLE",
                ]),
                1..5,
            ),
            name in proptest::sample::select(vec!["main.go", "Readme.MD", "notes.txt", "x"]),
        ) {
            let mut path = std::path::PathBuf::from(parts.join("/"));
            path.push(name);
            let (metadata, test_or_doc_dirs) = dirs_by_lowercase(&path);
            let name_only = Path::new(name);
            proptest::prop_assert_eq!(
                project_metadata(&path),
                metadata || project_metadata(name_only)
            );
            proptest::prop_assert_eq!(
                test_or_doc(&path),
                test_or_doc_dirs || test_or_doc(name_only)
            );
        }
    }
}
