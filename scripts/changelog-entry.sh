#!/usr/bin/env bash
# Prints the CHANGELOG.md entry of one version (the lines under its
# "## [VERSION]" heading, up to the next "## " heading): the release notes.
# Exits 1 when the version has no entry, so a release cannot go out without one.
# Usage: scripts/changelog-entry.sh 0.2.0
set -euo pipefail
version="${1#v}"
changelog="$(dirname "${BASH_SOURCE[0]}")/../CHANGELOG.md"
awk -v v="$version" '
  /^## / { if (found) exit; if (index($0, "## [" v "]") == 1) { found = 1; next } }
  found { print }
  END { if (!found) exit 1 }
' "$changelog" | sed -e '/./,$!d' || { echo "CHANGELOG.md has no entry for $version" >&2; exit 1; }
