#!/usr/bin/env bash
# The PyPI wheel, end to end, as a user without Rust gets it (issue 15):
#   1. builds the `keepmum` wheel with maturin (crates/keepmum-pypi);
#   2. installs it into a fresh virtual environment whose PATH has no cargo
#      and runs the three binaries from there;
#   3. runs the real pre-commit (from PyPI) on a sample repository with the
#      `language: python` hook `keepmum` of this checkout: pre-commit runs
#      `pip install .` on the hook repository (the placeholder package in
#      pyproject.toml), and pip must take `keepmum==<version>` from the wheel
#      built in step 1 (PIP_NO_INDEX + PIP_FIND_LINKS: no index at all, so no
#      other copy can be picked); a clean commit passes, a commit adding a
#      (fake) token is blocked.
#
# Usage: scripts/wheel-test.sh     Env: KEEP_TMP=1 keeps the scratch directory.
# Prints PASS/FAIL per check and the time of each phase; exits non-zero if a
# check fails. Needs python3 (venv) and the network to PyPI.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/km-wheel.XXXXXX")"
cleanup() { if [ -z "${KEEP_TMP:-}" ]; then rm -rf "$TMP"; else echo "kept $TMP"; fi; }
trap cleanup EXIT

FAILS=0
PASSES=0
pass() { echo "PASS: $*"; PASSES=$((PASSES + 1)); }
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
t0=$(date +%s)
step() { echo "---- [$(( $(date +%s) - t0 ))s] $*"; }

export GIT_AUTHOR_NAME=wheel GIT_AUTHOR_EMAIL=wheel@example.com
export GIT_COMMITTER_NAME=wheel GIT_COMMITTER_EMAIL=wheel@example.com
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL="$TMP/gitconfig"
git config --global init.defaultBranch main
git config --global commit.gpgsign false
git config --global protocol.file.allow always

# Synthetic, format-valid, obviously fake token (assembled, never stored whole).
tok() { printf 'gh%s_%s%s' "p" "Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i" "$1"; }  # keepmum:allow (synthetic)

VERSION="$(sed -n 's/^version = "\(.*\)"$/\1/p' "$ROOT/Cargo.toml" | head -1)"
step "workspace version $VERSION"
if grep -q "^dependencies = \[\"keepmum==$VERSION\"\]" "$ROOT/pyproject.toml" \
   && grep -q "^version = \"$VERSION\"" "$ROOT/pyproject.toml"; then
  pass "pyproject.toml (pre-commit placeholder) pins keepmum==$VERSION"
else
  fail "pyproject.toml must pin keepmum==$VERSION (the workspace version)"
fi

# ---------------------------------------------------------------------------
step "building the wheel with maturin"
python3 -m venv "$TMP/build-venv" || { fail "python3 -m venv"; exit 1; }
"$TMP/build-venv/bin/pip" install -q --disable-pip-version-check 'maturin>=1.9,<2' \
  || { fail "pip install maturin"; exit 1; }
WHEELS="$TMP/wheels"
( cd "$ROOT" && "$TMP/build-venv/bin/maturin" build --release --locked \
    -m crates/keepmum-pypi/Cargo.toml --out "$WHEELS" ) >"$TMP/maturin.log" 2>&1 \
  || { tail -40 "$TMP/maturin.log"; fail "maturin build"; exit 1; }
WHEEL="$(ls "$WHEELS"/keepmum-"$VERSION"-*.whl 2>/dev/null | head -1)"
if [ -n "$WHEEL" ]; then
  pass "built $(basename "$WHEEL") ($(du -k "$WHEEL" | cut -f1) KiB)"
else
  fail "no keepmum-$VERSION wheel in $WHEELS"; ls "$WHEELS"; exit 1
fi
LISTING="$(python3 -m zipfile -l "$WHEEL")"
for bin in keepmum keepmum-hook keepmum-precommit; do
  if grep -q "keepmum-$VERSION.data/scripts/$bin " <<<"$LISTING"; then
    pass "wheel carries $bin"
  else
    fail "wheel lacks $bin"
  fi
done
# The placeholder package's build backend, for the offline pip below.
"$TMP/build-venv/bin/pip" download -q --disable-pip-version-check -d "$WHEELS" 'setuptools>=61' \
  || { fail "pip download setuptools"; exit 1; }

# ---------------------------------------------------------------------------
step "fresh venv without cargo on PATH"
python3 -m venv "$TMP/venv" || { fail "python3 -m venv"; exit 1; }
"$TMP/venv/bin/pip" install -q --disable-pip-version-check pre-commit \
  || { fail "pip install pre-commit"; exit 1; }
# Only the venv and the system directories; nothing that holds cargo/rustc.
CLEAN_PATH="$TMP/venv/bin"
for d in /usr/local/sbin /usr/local/bin /usr/sbin /usr/bin /sbin /bin; do
  if [ -d "$d" ] && [ ! -e "$d/cargo" ] && [ ! -e "$d/rustc" ]; then CLEAN_PATH="$CLEAN_PATH:$d"; fi
done
export PATH="$CLEAN_PATH"
unset CARGO_HOME RUSTUP_HOME CARGO_TARGET_DIR RUSTUP_TOOLCHAIN
export HOME="$TMP/home"; mkdir -p "$HOME"   # no ~/.cargo/bin either
if command -v cargo >/dev/null 2>&1 || command -v rustc >/dev/null 2>&1; then
  fail "cargo or rustc still on PATH ($(command -v cargo rustc))"
else
  pass "no cargo and no rustc on PATH"
fi
export PIP_DISABLE_PIP_VERSION_CHECK=1

s=$(date +%s)
if pip install -q --no-index --find-links "$WHEELS" "keepmum==$VERSION"; then
  pass "pip install keepmum==$VERSION from the wheel ($(( $(date +%s) - s ))s)"
else
  fail "pip install of the wheel"
fi
for bin in keepmum keepmum-hook keepmum-precommit; do
  if OUT="$("$bin" --version 2>&1)" && grep -q "$VERSION" <<<"$OUT"; then
    pass "$bin --version from the venv: $OUT"
  else
    fail "$bin --version: $OUT"
  fi
done
S="$TMP/scan"; mkdir -p "$S"
printf 'TOKEN = "%s"\n' "$(tok 0)" > "$S/leak.py"
OUT="$(keepmum scan "$S" 2>&1)"; rc=$?
if [ "$rc" = 1 ] && grep -q "leak.py" <<<"$OUT" && ! grep -q "$(tok 0)" <<<"$OUT"; then
  pass "keepmum scan from the wheel finds the token (exit 1), redacted"
else
  fail "keepmum scan from the wheel: exit $rc"; echo "$OUT" | tail -5
fi

# ---------------------------------------------------------------------------
step "hook repository: a snapshot of this checkout, tagged v$VERSION"
HOOK_REPO="$TMP/hook-repo"
mkdir -p "$HOOK_REPO"
( cd "$ROOT" && git ls-files -z -co --exclude-standard ) \
  | ( cd "$ROOT" && xargs -0 tar cf - --no-recursion 2>/dev/null ) \
  | ( cd "$HOOK_REPO" && tar xf - )
( cd "$HOOK_REPO" && git init -q . && git add -A && git commit -qm snapshot && git tag "v$VERSION" ) \
  || { fail "hook repository snapshot"; exit 1; }

step "real pre-commit, hook id 'keepmum' (language: python)"
U="$TMP/user"
mkdir -p "$U" && cd "$U" && git init -q .
cat > .pre-commit-config.yaml <<EOF
repos:
  - repo: $HOOK_REPO
    rev: v$VERSION
    hooks:
      - id: keepmum
EOF
export PRE_COMMIT_HOME="$TMP/pre-commit-home"
# pip inside pre-commit: our wheel directory only, no index.
export PIP_NO_INDEX=1 PIP_FIND_LINKS="$WHEELS"
pre-commit install >/dev/null || fail "pre-commit install"
s=$(date +%s)
if OUT="$(pre-commit install-hooks 2>&1)"; then
  pass "pre-commit install-hooks without cargo ($(( $(date +%s) - s ))s)"
else
  fail "pre-commit install-hooks:"; echo "$OUT" | tail -20
fi
ENV_BIN="$(ls -d "$PRE_COMMIT_HOME"/repo*/py_env-*/bin 2>/dev/null | head -1)"
SHOW="$("$ENV_BIN/python" -m pip show keepmum 2>/dev/null)"
if [ -n "$ENV_BIN" ] && [ -x "$ENV_BIN/keepmum-precommit" ] && grep -q "^Version: $VERSION$" <<<"$SHOW"; then
  pass "the hook environment runs keepmum $VERSION from the wheel"
else
  fail "no keepmum $VERSION in the hook environment ($ENV_BIN)"
fi

echo "print('hello')" > app.py
git add -A
if OUT="$(git commit -qm clean 2>&1)"; then
  pass "a clean commit passes"
else
  fail "a clean commit was blocked:"; echo "$OUT" | tail -20
fi
printf 'import os\n\nTOKEN = "%s"\n' "$(tok 1)" > leak.py
git add leak.py
if OUT="$(git commit -qm leak 2>&1)"; then
  fail "a commit adding a fake token was NOT blocked"
else
  if grep -q "leak.py:3" <<<"$OUT"; then
    pass "a commit adding a fake token is blocked, output names leak.py:3"
  else
    fail "commit blocked but leak.py:3 missing from the output:"; echo "$OUT" | tail -20
  fi
  if grep -q "$(tok 1)" <<<"$OUT"; then fail "raw secret printed in hook output"; fi
fi

echo "$PASSES passed, $FAILS failed"
[ "$FAILS" = 0 ]
