#!/usr/bin/env bash
# benches/adversarial.sh — what a hostile input costs: every adversarial shape
# of `keepmum-throughput --shapes` (dense keywords on one line and on many,
# `token:`, `apikey=`, `Bearer`, `AKIA`, `ghp_`, `://user:`, `eyJ`, `@`,
# digit runs, PEM headers (long and short), `Basic` lines, `://u:p@` and
# dotted `eyJ` runs, base64, hex, escapes, one huge line, `secret:` YAML and
# `Bearer` lines, 2 KiB base64 after `api_key=`, card and IBAN groups,
# addresses ending sentences, percent-escaped passwords, generic API keys
# and `Basic` values on every line, JWT headers back to back, empty
# `Basic` headers, CRLF `token:` lines), three ways:
#
# 1. the library (`scan_bytes`), one thread, throughput by CPU time, once per
#    kernel in $KERNELS (default: the one the CPU picks);
# 2. `keepmum scan FILE` of $SIZE of the shape: CPU seconds and peak RSS
#    (target: at most twice the input);
# 3. `keepmum-hook claude` on a UserPromptSubmit event whose prompt is
#    $PROMPT_SIZE of the shape: CPU seconds, peak RSS and the decision
#    (exit code: 0 allow, 2 deny).
#
#   benches/adversarial.sh                     # 32MB scans, 1MB prompts
#   SIZE=8MB SHAPES="kw-line token-line" NO_BUILD=1 benches/adversarial.sh
#
# Target (issue 19): every shape >= 100 MB/s per core, peak RSS <= 2x input.
# By hand, not in CI (CI runs the criterion `pathological` group in test mode).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
size=${SIZE:-32MB}
prompt_size=${PROMPT_SIZE:-1MB}
kernels=${KERNELS:-auto}
if [ -z "${NO_BUILD:-}" ]; then
    (cd "$root" && cargo build --release --locked -p keepmum-cli -p keepmum-hook -p keepmum-benches \
        --bin keepmum --bin keepmum-hook --bin keepmum-throughput >&2)
fi
bin=${BIN_DIR:-$root/target/release}
tp="$bin/keepmum-throughput"
km="$bin/keepmum"
hook="$bin/keepmum-hook"
shapes=${SHAPES:-$("$tp" --shapes)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unset CLAUDE_PROJECT_DIR CURSOR_PROJECT_DIR

# cpu_rss CMD...: "cpu_s rss_mb exit" of one run (stdin from $input).
cpu_rss() {
    local code=0
    /usr/bin/time -f '%U %S %M' -o "$work/t" "$@" <"${input:-/dev/null}" >/dev/null 2>&1 || code=$?
    tail -n1 "$work/t" | awk -v c="$code" '{ printf "%.3f %.1f %d\n", $1 + $2, $3 / 1024, c }'
}

printf '%-16s %-9s %9s %9s | %9s %8s %8s | %9s %8s %5s\n' shape kernel lib_MB/s findings \
    scan_cpu_s scan_rss scan_MB/s hook_cpu_s hook_rss exit
for shape in $shapes; do
    "$tp" --input "$shape" --size "$size" --write "$work/in.txt"
    bytes=$(stat -c %s "$work/in.txt")
    read -r scan_cpu scan_rss _ < <(input=/dev/null cpu_rss "$km" scan "$work/in.txt")
    "$tp" --input "$shape" --size "$prompt_size" --write "$work/prompt.txt"
    python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
prompt = open(f"{work}/prompt.txt", "rb").read().decode("utf-8", "replace")
ev = {"session_id": "bench", "transcript_path": "/tmp/t.jsonl", "cwd": work,
      "permission_mode": "default", "hook_event_name": "UserPromptSubmit", "prompt": prompt}
open(f"{work}/prompt.json", "w").write(json.dumps(ev))
PY
    read -r hook_cpu hook_rss hook_exit < <(input="$work/prompt.json" cpu_rss "$hook" claude)
    for k in $kernels; do
        if [ "$k" = auto ]; then env=(); else env=(KEEPMUM_KERNEL="$k"); fi
        env "${env[@]}" "$tp" --input "$shape" --size "$size" --secs "${SECS:-2}" | awk \
            -v s="$shape" -v sc="$scan_cpu" -v sr="$scan_rss" -v b="$bytes" -v hc="$hook_cpu" -v hr="$hook_rss" -v he="$hook_exit" '
            { for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] } }
            END { printf "%-16s %-9s %9.1f %9s | %9s %8s %8.1f | %9s %8s %5s\n", s, f["kernel"],
                  f["cpu_gbps"] * 1000, f["findings"], sc, sr, (sc > 0 ? b / 1e6 / sc : 0), hc, hr, he }'
    done
    rm -f "$work/in.txt" "$work/prompt.txt" "$work/prompt.json"
done
echo "input ${size} per shape (scan), prompts ${prompt_size}; rss in MB; load $(cut -d' ' -f1-3 /proc/loadavg)"
