#!/usr/bin/env bash
# Checks that every place naming the release version agrees with the
# workspace version (Cargo.toml): the pre-commit placeholder package
# (pyproject.toml), the GitHub Action's default release (action.yml), and
# that CHANGELOG.md has an entry for it. With an argument (a tag such as
# v0.2.0, as the release workflow passes), the tag must match too.
# Usage: scripts/release-check.sh [TAG]
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1
fails=0
ok() { echo "PASS: $*"; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }

version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)"
[ -n "$version" ] || { echo "FAIL: no workspace version in Cargo.toml"; exit 1; }
if [ -n "${1:-}" ]; then
  if [ "${1#v}" = "$version" ]; then ok "tag $1 = workspace version"; else bad "tag $1 != workspace version $version"; fi
fi
if grep -q "^dependencies = \[\"keepmum==$version\"\]" pyproject.toml && grep -q "^version = \"$version\"" pyproject.toml; then
  ok "pyproject.toml pins keepmum==$version"
else
  bad "pyproject.toml must pin keepmum==$version (and have version $version)"
fi
if python3 - "$version" <<'PY'
import re, sys
text = open("action.yml", encoding="utf-8").read()
m = re.search(r'^  version:\n(?:    .*\n)*?    default: "([^"]+)"', text, re.M)
sys.exit(0 if m and m.group(1) == sys.argv[1] else 1)
PY
then ok "action.yml installs release $version by default"; else bad "action.yml's version input must default to \"$version\""; fi
# The pykeepmum wheel takes the workspace version (maturin reads Cargo.toml)
# and is built for the same platforms as the keepmum wheel.
if grep -q '^version.workspace = true' crates/keepmum-python/Cargo.toml \
   && grep -q '^name = "pykeepmum"' crates/keepmum-python/pyproject.toml \
   && grep -q '^dynamic = \["version"\]' crates/keepmum-python/pyproject.toml; then
  ok "pykeepmum takes the workspace version $version"
else
  bad "crates/keepmum-python must use version.workspace and pyproject.toml dynamic = [\"version\"]"
fi
if python3 - <<'PY'
import re, sys
text = open(".github/workflows/release.yml", encoding="utf-8").read()
def platforms(job):
    m = re.search(r"^  " + job + r":\n(.*?)(?=^  \S)", text, re.M | re.S)
    return sorted(re.findall(r"^\s+- (\{ os: .*\})$", m.group(1), re.M)) if m else None
w, p = platforms("wheels"), platforms("pywheels")
sys.exit(0 if w and w == p and "crates/keepmum-python/Cargo.toml" in text else 1)
PY
then ok "release.yml builds pykeepmum wheels for the keepmum wheels' platforms"; else bad "release.yml: the pywheels job must build crates/keepmum-python for the same platforms as wheels"; fi
if bash scripts/changelog-entry.sh "$version" > /dev/null; then ok "CHANGELOG.md has an entry for $version"; else bad "CHANGELOG.md has no entry for $version"; fi
echo "release-check: $fails failed"
[ "$fails" = 0 ]
