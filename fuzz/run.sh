#!/usr/bin/env bash
# Builds every fuzz target and runs each one for a fixed time over its seed
# corpus. Exits non-zero if any target crashes, leaks, times out (an input
# taking over 10 s is a linear-time bug) or fails to build.
#
#   fuzz/run.sh [SECONDS_PER_TARGET]   (default 30)
#
# cargo-fuzz needs nightly-only rustc flags; RUSTC_BOOTSTRAP=1 enables them on
# the stable toolchain. A crashing input is saved under
# fuzz/artifacts/<target>/; add it to crates/keepmum/tests/regressions/ so
# tests/regressions.rs replays it on every test run.
set -euo pipefail

secs="${1:-30}"
cd "$(dirname "$0")"
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz: installing cargo-fuzz" >&2
    cargo install cargo-fuzz --locked
fi

t0=$(date +%s)
cargo fuzz build
t1=$(date +%s)
echo "fuzz: built all targets in $((t1 - t0)) s" >&2

failed=()
for target in $(cargo fuzz list); do
    mkdir -p "corpus/$target"
    dirs=("corpus/$target")
    [ -d "seeds/$target" ] && dirs+=("seeds/$target")
    echo "fuzz: running $target for ${secs} s" >&2
    if ! cargo fuzz run "$target" "${dirs[@]}" -- \
        -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 </dev/null; then
        failed+=("$target")
    fi
done
t2=$(date +%s)
echo "fuzz: ran all targets in $((t2 - t1)) s" >&2

if [ "${#failed[@]}" -ne 0 ]; then
    echo "fuzz: FAILED: ${failed[*]} (inputs under fuzz/artifacts/)" >&2
    exit 1
fi
echo "fuzz: ok" >&2
