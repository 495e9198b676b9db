#!/usr/bin/env bash
# Builds the pykeepmum wheel, installs it and detect-secrets (a peer, never a
# project dependency) into a scratch venv, and runs benches/python-batch.py:
# scan_batch on 1 and 2 threads vs detect-secrets' Python API vs a regex-only
# email/IP/key pipeline on the same real files, then recall on planted fakes.
#
# Usage: benches/python-batch.sh [TREE] [MB]
#   TREE  real source files (default: the noise harness corpus,
#         ${KEEPMUM_CORPUS_DIR:-/work/data/real-corpus}/tree)
#   MB    batch size in MB (default 16; detect-secrets needs minutes per 10 MB)
# Env: KM_BENCH_VENV (default target/bench-python-venv) is reused if present.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TREE="${1:-${KEEPMUM_CORPUS_DIR:-/work/data/real-corpus}/tree}"
MB="${2:-16}"
VENV="${KM_BENCH_VENV:-$ROOT/target/bench-python-venv}"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q 'maturin>=1.9.4,<2' 'detect-secrets==1.5.0'
fi
WHEELS="$(mktemp -d "${TMPDIR:-/tmp}/km-bench-wheel.XXXXXX")"
trap 'rm -rf "$WHEELS"' EXIT
( cd "$ROOT" && "$VENV/bin/maturin" build --release --locked -q \
    -m crates/keepmum-python/Cargo.toml --out "$WHEELS" ) >/dev/null
"$VENV/bin/pip" install -q --force-reinstall --no-deps "$WHEELS"/pykeepmum-*.whl
echo "host: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
"$VENV/bin/python" "$ROOT/benches/python-batch.py" --tree "$TREE" --mb "$MB"
