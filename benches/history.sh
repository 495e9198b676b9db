#!/usr/bin/env bash
# Full-history scan benchmark: keepmum vs Kingfisher on the same repository.
#
#   benches/history.sh [REPO]            # scan REPO's full history
#   benches/history.sh                   # build a synthetic repository first
#
# Without REPO, a deterministic synthetic history is built with
# `git fast-import` (SG_BENCH_COMMITS commits, default 20000, touching a
# tree of source-like files; a few fake tokens planted and later removed),
# a few hundred MB of blob content. Kingfisher is installed from PyPI
# (kingfisher-bin) into a temporary venv and run with --no-validate and the
# network off when `unshare -n` works. Not part of CI (it downloads).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${SG_BENCH_DIR:-/tmp/keepmum-history-bench}"
mkdir -p "$work"
repo="${1:-}"

if [ -z "$repo" ]; then
    repo="$work/repo"
    if [ ! -d "$repo/.git" ]; then
        echo "building a synthetic history in $repo ..." >&2
        rm -rf "$repo"; git init -q "$repo"
        python3 "$root/benches/make_history.py" "${SG_BENCH_COMMITS:-20000}" | (cd "$repo" && git fast-import --quiet)
        (cd "$repo" && git reset -q --hard main 2>/dev/null || true)
    fi
fi

echo "building keepmum (release) ..." >&2
(cd "$root" && cargo build --release -q -p keepmum-cli)
sg="$root/target/release/keepmum"

if [ ! -x "$work/venv/bin/kingfisher" ]; then
    echo "installing kingfisher-bin into $work/venv ..." >&2
    python3 -m venv "$work/venv"
    "$work/venv/bin/pip" install -q kingfisher-bin || echo "kingfisher-bin unavailable" >&2
fi

netoff=()
if unshare -n true 2>/dev/null; then netoff=(unshare -n); fi
timer=()
if [ -x /usr/bin/time ]; then timer=(/usr/bin/time -v); fi

measure() { # name, command...
    local name="$1"; shift
    local log="$work/$name.time"
    local start end
    start=$(date +%s.%N)
    "${timer[@]}" "${netoff[@]}" "$@" >"$work/$name.out" 2>"$log" || true
    end=$(date +%s.%N)
    local rss
    rss=$(awk -F: '/Maximum resident set size/ {gsub(/ /,"",$2); print $2}' "$log" 2>/dev/null)
    printf '%-12s %8.2f s  peak RSS %8s KiB\n' "$name" "$(echo "$end - $start" | bc)" "${rss:-?}"
}

size=$(du -sh "$repo/.git" | cut -f1)
objects=$(git -C "$repo" count-objects -v | awk '/^(count|in-pack):/ {n+=$2} END {print n}')
echo "repository: $repo (.git $size, $objects objects, $(git -C "$repo" rev-list --all --count) commits)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
measure keepmum "$sg" scan --git "$repo" --format json --output "$work/keepmum.json"
if [ -x "$work/venv/bin/kingfisher" ]; then
    measure kingfisher "$work/venv/bin/kingfisher" scan "$repo" --no-validate --format json --output "$work/kingfisher.json"
fi
echo "findings: keepmum $(python3 -c "import json;print(len(json.load(open('$work/keepmum.json'))['findings']))" 2>/dev/null || echo ?)"
