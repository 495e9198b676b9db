//! The library's one error type.
//!
//! Every fallible operation in `keepmum` returns [`Error`]. It wraps a
//! boxed, `#[non_exhaustive]` [`ErrorKind`] so new failure modes can be added
//! without breaking callers. `Display` renders only this layer; the underlying
//! cause (an I/O error, a TOML error) is reachable through `source()`.
//! Messages never contain secret material.

use std::fmt;
use std::path::{Path, PathBuf};

/// An error from building a scanner, loading rules, reading input or parsing a
/// baseline.
#[derive(Debug)]
pub struct Error {
    kind: Box<ErrorKind>,
}

/// What went wrong. New variants may be added in minor releases.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Reading or writing a file failed.
    Io {
        /// The file involved, when known.
        path: Option<PathBuf>,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A rule definition is invalid (bad regex, missing field, duplicate id).
    Rule {
        /// The rule's id, when known.
        rule_id: Option<String>,
        /// What is wrong with it.
        message: String,
    },
    /// A configuration or rules file could not be parsed.
    Config {
        /// The file involved, when known.
        path: Option<PathBuf>,
        /// What is wrong with it.
        message: String,
    },
    /// A baseline (`.secrets.baseline`) or ignore file could not be parsed.
    Baseline {
        /// The file involved, when known.
        path: Option<PathBuf>,
        /// What is wrong with it.
        message: String,
    },
    /// A git repository or object could not be read.
    Git {
        /// What is wrong.
        message: String,
    },
    /// Input exceeded a configured limit.
    Limit {
        /// Which limit, in words.
        message: String,
    },
}

impl Error {
    /// Returns what went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// Returns the path this error is about, if any.
    pub fn path(&self) -> Option<&Path> {
        match &*self.kind {
            ErrorKind::Io { path, .. }
            | ErrorKind::Config { path, .. }
            | ErrorKind::Baseline { path, .. } => path.as_deref(),
            _ => None,
        }
    }

    /// Returns the id of the rule this error is about, if any.
    pub fn rule_id(&self) -> Option<&str> {
        match &*self.kind {
            ErrorKind::Rule { rule_id, .. } => rule_id.as_deref(),
            _ => None,
        }
    }

    /// Returns true when this is an I/O error.
    pub fn is_io(&self) -> bool {
        matches!(&*self.kind, ErrorKind::Io { .. })
    }

    pub(crate) fn io(path: Option<&Path>, source: std::io::Error) -> Error {
        ErrorKind::Io {
            path: path.map(Path::to_path_buf),
            source,
        }
        .into()
    }

    pub(crate) fn rule(rule_id: Option<&str>, message: impl Into<String>) -> Error {
        ErrorKind::Rule {
            rule_id: rule_id.map(str::to_string),
            message: message.into(),
        }
        .into()
    }

    pub(crate) fn config(path: Option<&Path>, message: impl Into<String>) -> Error {
        ErrorKind::Config {
            path: path.map(Path::to_path_buf),
            message: message.into(),
        }
        .into()
    }

    pub(crate) fn baseline(path: Option<&Path>, message: impl Into<String>) -> Error {
        ErrorKind::Baseline {
            path: path.map(Path::to_path_buf),
            message: message.into(),
        }
        .into()
    }

    pub(crate) fn git(message: impl Into<String>) -> Error {
        ErrorKind::Git {
            message: message.into(),
        }
        .into()
    }

    /// Attaches a path to an error that has none.
    pub(crate) fn with_path(mut self, p: &Path) -> Error {
        match &mut *self.kind {
            ErrorKind::Io { path, .. }
            | ErrorKind::Config { path, .. }
            | ErrorKind::Baseline { path, .. }
                if path.is_none() =>
            {
                *path = Some(p.to_path_buf());
            }
            _ => {}
        }
        self
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Error {
        Error {
            kind: Box::new(kind),
        }
    }
}

fn with_path(f: &mut fmt::Formatter<'_>, path: &Option<PathBuf>, what: &str) -> fmt::Result {
    match path {
        Some(p) => write!(f, "{what} {}", p.display()),
        None => write!(f, "{what}"),
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.kind {
            ErrorKind::Io { path, .. } => with_path(f, path, "failed to access"),
            ErrorKind::Rule { rule_id, message } => match rule_id {
                Some(id) => write!(f, "rule \"{id}\": {message}"),
                None => write!(f, "invalid rule: {message}"),
            },
            ErrorKind::Config { path, message } => {
                with_path(f, path, "invalid configuration")?;
                write!(f, ": {message}")
            }
            ErrorKind::Baseline { path, message } => {
                with_path(f, path, "invalid baseline")?;
                write!(f, ": {message}")
            }
            ErrorKind::Git { message } => write!(f, "git: {message}"),
            ErrorKind::Limit { message } => write!(f, "limit exceeded: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &*self.kind {
            ErrorKind::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// A `Result` whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
