#!/usr/bin/env bash
# The pykeepmum wheel, end to end, as a Python user gets it (issue 18):
#   1. builds the wheel with maturin (crates/keepmum-python, abi3);
#   2. installs it into a fresh virtual environment (no index: only that
#      wheel can be picked) and runs the pytest suite against it, from outside
#      the source tree so `import pykeepmum` is the installed wheel, and
#      mypy's stubtest (the .pyi matches the module);
#   3. runs the examples/python recipes for real, in local mode: Hugging Face
#      `datasets.map(batched=True)` and Ray Data `map_batches`, on the files
#      of three pinned PyPI sdists with planted fake secrets and PII, and
#      checks the redacted output (scripts/python/check_recipes.py).
#
# Usage: scripts/python-test.sh [--no-recipes]
# Env: KM_PY_CACHE (default target/ci-python-cache) keeps pip's downloads and
# the sdists between runs; KEEP_TMP=1 keeps the scratch directory.
# Prints PASS/FAIL per check and the time of each phase. Needs python3
# (venv) and the network to PyPI.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/km-python.XXXXXX")"
cleanup() { if [ -z "${KEEP_TMP:-}" ]; then rm -rf "$TMP"; else echo "kept $TMP"; fi; }
trap cleanup EXIT
CACHE="${KM_PY_CACHE:-$ROOT/target/ci-python-cache}"
mkdir -p "$CACHE"
export PIP_CACHE_DIR="$CACHE/pip" PIP_DISABLE_PIP_VERSION_CHECK=1
RECIPES=1
[ "${1:-}" = "--no-recipes" ] && RECIPES=0

FAILS=0
PASSES=0
pass() { echo "PASS: $*"; PASSES=$((PASSES + 1)); }
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
t0=$(date +%s)
step() { echo "---- [$(( $(date +%s) - t0 ))s] $*"; }

VERSION="$(sed -n 's/^version = "\(.*\)"$/\1/p' "$ROOT/Cargo.toml" | head -1)"

step "building the pykeepmum wheel with maturin"
python3 -m venv "$TMP/build-venv" || { fail "python3 -m venv"; exit 1; }
"$TMP/build-venv/bin/pip" install -q 'maturin>=1.9.4,<2' || { fail "pip install maturin"; exit 1; }
WHEELS="$TMP/wheels"
( cd "$ROOT" && "$TMP/build-venv/bin/maturin" build --release --locked \
    -m crates/keepmum-python/Cargo.toml --out "$WHEELS" ) >"$TMP/maturin.log" 2>&1 \
  || { tail -40 "$TMP/maturin.log"; fail "maturin build"; exit 1; }
WHEEL="$(ls "$WHEELS"/pykeepmum-"$VERSION"-*.whl 2>/dev/null | head -1)"
if [ -n "$WHEEL" ] && [[ "$WHEEL" == *-abi3-* ]]; then
  pass "built $(basename "$WHEEL") ($(du -k "$WHEEL" | cut -f1) KiB)"
else
  fail "no abi3 pykeepmum-$VERSION wheel in $WHEELS"; ls "$WHEELS"; exit 1
fi
LISTING="$(python3 -m zipfile -l "$WHEEL")"
for f in pykeepmum/__init__.py pykeepmum/_keepmum.pyi pykeepmum/py.typed; do
  if grep -q "^$f " <<<"$LISTING"; then pass "wheel carries $f"; else fail "wheel lacks $f"; fi
done

step "fresh venv: the wheel (no index), pytest and pyarrow"
python3 -m venv "$TMP/venv" || { fail "python3 -m venv"; exit 1; }
PY="$TMP/venv/bin/python"
if "$PY" -m pip install -q --no-index --find-links "$WHEELS" "pykeepmum==$VERSION"; then
  pass "pip install pykeepmum==$VERSION from the wheel"
else
  fail "pip install of the wheel"; exit 1
fi
"$PY" -m pip install -q pytest pyarrow || { fail "pip install pytest pyarrow"; exit 1; }
WHERE="$(cd "$TMP" && "$PY" -c 'import pykeepmum; print(pykeepmum.__file__)')"
if [[ "$WHERE" == "$TMP/venv/"* ]]; then pass "import pykeepmum loads the installed wheel"; else fail "pykeepmum imported from $WHERE"; fi

step "pytest against the installed wheel"
mkdir -p "$TMP/pytest" && cp "$ROOT"/crates/keepmum-python/tests/test_*.py "$TMP/pytest/"
if ( cd "$TMP/pytest" && "$PY" -m pytest -q -p no:cacheprovider . ); then
  pass "pytest"
else
  fail "pytest"
fi

step "type stubs match the module (mypy stubtest)"
if "$PY" -m pip install -q mypy && ( cd "$TMP" && "$PY" -m mypy.stubtest pykeepmum ); then
  pass "stubtest: _keepmum.pyi matches the runtime module"
else
  fail "stubtest"
fi

if [ "$RECIPES" = 1 ]; then
  step "recipes for real in local mode: datasets.map and Ray Data map_batches"
  s=$(date +%s)
  if "$PY" -m pip install -q 'datasets>=3,<6' 'ray[data]>=2.40,<3'; then
    pass "pip install datasets ray[data] ($(( $(date +%s) - s ))s)"
  else
    fail "pip install datasets ray[data]"
  fi
  s=$(date +%s)
  if ( cd "$TMP" && RAY_USAGE_STATS_ENABLED=0 HF_DATASETS_OFFLINE=1 "$PY" "$ROOT/scripts/python/check_recipes.py" \
        --cache "$CACHE/sdists" --work "$TMP/recipes" datasets ray ) 2>"$TMP/recipes.log"; then
    pass "recipes: no planted value survives, clean rows unchanged ($(( $(date +%s) - s ))s)"
  else
    tail -30 "$TMP/recipes.log"; fail "recipes"
  fi
fi

step "done"
echo "$PASSES passed, $FAILS failed"
[ "$FAILS" = 0 ]
