#!/usr/bin/env bash
# Runs the engine's tests (every kernel against the portable loops, the
# NEON kernel included) for aarch64 under qemu-user, on an x86-64 Debian or
# Ubuntu host. The whole `engine` filter takes 6-7 minutes on a 2-core
# machine (4 to cross-compile, 2 to run under emulation); .ci/run runs the
# prefilter's part (`-- engine::prefilter`: every kernel, NEON included,
# against the portable loops and a byte-by-byte reference).
#
#   scripts/aarch64-test.sh            # installs what it needs (apt, rustup)
#   scripts/aarch64-test.sh -- FILTER  # another test filter than `engine`
set -euo pipefail
cd "$(dirname "$0")/.."
filter=engine
if [ "${1:-}" = "--" ] && [ -n "${2:-}" ]; then filter=$2; fi
if ! command -v qemu-aarch64-static >/dev/null || ! command -v aarch64-linux-gnu-gcc >/dev/null; then
    SUDO=""
    if [ "$(id -u)" != 0 ]; then SUDO="sudo -n"; fi
    $SUDO apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq qemu-user-static gcc-aarch64-linux-gnu libc6-dev-arm64-cross >/dev/null
fi
rustup target add aarch64-unknown-linux-gnu >/dev/null
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER="qemu-aarch64-static -L /usr/aarch64-linux-gnu"
cargo test --locked --target aarch64-unknown-linux-gnu -p keepmum --lib "$filter"
