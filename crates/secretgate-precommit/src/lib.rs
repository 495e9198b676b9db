//! The `secretgate-precommit` entrypoint: a drop-in replacement for
//! detect-secrets' `detect-secrets-hook`.
