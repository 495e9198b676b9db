//! Loads gitleaks-format configuration files into rules and an allowlist.

use crate::error::{Error, Result};
use crate::{Allowlist, RuleSet};

pub(super) fn parse(_text: &str) -> Result<(RuleSet, Allowlist)> {
    Err(Error::config(None, "gitleaks configuration files are not supported yet"))
}
