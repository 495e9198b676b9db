#!/usr/bin/env bash
# benches/run.sh — the full benchmark run, by hand (not part of CI).
#
# Builds release binaries, generates the synthetic corpus, runs the criterion
# benches, measures single-core scan_bytes throughput (by wall and CPU time),
# scores recall/false positives on the corpus, and times a whole-tree
# `keepmum scan` with 1 and 2 threads. Results go to
# benches/runs/YYYY-MM-DD-<host>/ and a summary is printed.
#
# Environment:
#   CORPUS_SIZE=50MB        size of the generated tree
#   CORPUS_SEED=1           its seed
#   SKIP_CRITERION=1        skip `cargo bench` (the slowest step)
#   RUNS=5                  whole-tree CLI runs per thread count (median kept)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
size=${CORPUS_SIZE:-50MB}
seed=${CORPUS_SEED:-1}
runs=${RUNS:-5}
host=$(hostname -s 2>/dev/null || echo host)
out="benches/runs/$(date -u +%F)-$host"
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

say() { printf '== %s\n' "$*" >&2; }

# Prints "id  median-time  median-throughput" for each criterion benchmark in
# a saved `cargo bench` output (first estimate only, not the change lines).
criterion_summary() {
    awk '
        /^[a-zA-Z_]+\/[^ ]+/ { name = $1 }
        {
            for (i = 1; i <= NF; i++) {
                if ($i == "time:" && name != "" && !(name in t)) { t[name] = $(i + 3) " " $(i + 4); order[++n] = name }
                if ($i == "thrpt:" && name != "" && !(name in r)) { r[name] = $(i + 3) " " $(i + 4) }
            }
        }
        END { for (k = 1; k <= n; k++) printf "  %-42s %-12s %s\n", order[k], t[order[k]], r[order[k]] }
    ' "$1"
}

say "machine"
{
    echo "date: $(date -u +%FT%TZ)"
    echo "host: $host"
    echo "nproc: $(nproc)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "kernel: $(uname -sr)"
    echo "rustc: $(rustc --version)"
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    if [ -d .git ] && command -v git >/dev/null; then
        echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    fi
} | tee "$out/machine.txt"

say "building release binaries"
bins=(-p keepmum-corpus -p keepmum-benches)
has_cli=0
if cargo metadata --no-deps --format-version 1 2>/dev/null | grep -q '"name":"keepmum-cli"'; then
    bins+=(-p keepmum-cli)
    has_cli=1
fi
cargo build --release --bins "${bins[@]}"
bin=target/release

say "generating the corpus ($size, seed $seed)"
tree="$work/corpus"
"$bin/keepmum-corpus" generate --out "$tree" --size "$size" --seed "$seed" | tee "$out/corpus.txt"

say "single-core scan_bytes throughput"
: > "$out/throughput.txt"
for args in "--input clean" "--input clean --no-pii" "--input dense" \
    "--input assign --size 3MB" "--input digits --size 10MB" "--input line --size 1MB"; do
    # shellcheck disable=SC2086
    timeout 300 "$bin/keepmum-throughput" $args --secs 5 | tee -a "$out/throughput.txt" \
        || echo "input: $args timed out or failed" | tee -a "$out/throughput.txt"
done

say "recall / false positives on the corpus"
"$bin/keepmum-eval" --tree "$tree" --threads 2 | tee "$out/eval.txt"

tree_line=""
if [ "$has_cli" = 1 ] && [ -x "$bin/keepmum" ]; then
    say "whole-tree keepmum scan ($runs runs each)"
    : > "$out/cli.txt"
    for t in 1 2; do
        times=()
        for _ in $(seq "$runs"); do
            s=$(date +%s.%N)
            "$bin/keepmum" scan "$tree" --threads "$t" --format json > "$work/scan.json" 2>/dev/null || true
            e=$(date +%s.%N)
            times+=("$(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f", e - s }')")
        done
        med=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
        echo "threads=$t median_s=$med runs=${times[*]}" | tee -a "$out/cli.txt"
        tree_line+="  keepmum scan (--threads $t): ${med} s"$'\n'
    done
else
    say "keepmum CLI not built: skipping the whole-tree CLI timing"
fi

if [ "${SKIP_CRITERION:-0}" != 1 ]; then
    say "criterion benches (build, scan_bytes, tree)"
    cargo bench -p keepmum-benches --bench scan -- 'build|scan_bytes|tree' 2>&1 | tee "$out/criterion.txt"
fi

say "summary"
{
    echo "# keepmum benchmark run $(date -u +%F) on $host"
    echo
    cat "$out/machine.txt"
    echo
    echo "single-core scan_bytes (GB/s by wall / by CPU time):"
    awk '{for(i=1;i<=NF;i++){split($i,kv,"="); v[kv[1]]=kv[2]} printf "  %-8s pii=%-5s %6s / %6s GB/s  build %s ms  findings %s\n", v["input"], v["pii"], v["wall_gbps"], v["cpu_gbps"], v["build_ms"], v["findings"]}' \
        "$out/throughput.txt" 2>/dev/null || true
    if [ -f "$out/criterion.txt" ]; then
        echo "criterion (median time, throughput):"
        criterion_summary "$out/criterion.txt"
    fi
    if [ -n "$tree_line" ]; then
        echo "whole tree ($(grep -o 'wrote [0-9]* files, [0-9]* bytes' "$out/corpus.txt")):"
        printf '%s' "$tree_line"
    fi
    echo "recall:"
    grep -E 'TOTAL|decoys reported|false positives' "$out/eval.txt" | sed 's/^/  /'
} | tee "$out/summary.md"
echo "results in $out" >&2
