#!/usr/bin/env bash
# Tests the GitHub Action's scripts (action/install.sh, action/run.sh) with a
# faked GITHUB_* environment and the locally built binary:
#   - install.sh installs from a fake release (file://) only when the
#     archive's SHA-256 matches SHA256SUMS and action/checksums.txt;
#   - run.sh scans the pushed range, the pull-request range, a new branch's
#     history and the checkout, honours the baseline and the config, writes
#     SARIF, a redacted job summary and the step outputs; `gate` fails on
#     new findings and passes without them; no raw secret anywhere.
#
# Usage: scripts/action-test.sh [path/to/keepmum]
#        (default: $CARGO_TARGET_DIR or target, release then debug build)
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
BIN="${1:-}"
if [ -z "$BIN" ]; then
  for b in "$TARGET/release/keepmum" "$TARGET/debug/keepmum"; do
    if [ -x "$b" ]; then BIN="$b"; break; fi
  done
fi
[ -x "${BIN:-}" ] || { echo "FAIL: no keepmum binary (build keepmum-cli first)"; exit 1; }
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/km-action.XXXXXX")"
cleanup() { if [ -z "${KEEP_TMP:-}" ]; then rm -rf "$TMP"; else echo "kept $TMP"; fi; }
trap cleanup EXIT
PASSES=0
FAILS=0
pass() { echo "PASS: $*"; PASSES=$((PASSES + 1)); }
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
check() { if eval "$2"; then pass "$1"; else fail "$1"; fi; }

export GIT_AUTHOR_NAME=action GIT_AUTHOR_EMAIL=action@example.com
export GIT_COMMITTER_NAME=action GIT_COMMITTER_EMAIL=action@example.com
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL="$TMP/gitconfig"
git config --global init.defaultBranch main
git config --global commit.gpgsign false

# Synthetic, format-valid, obviously fake token (assembled, never stored whole).
TOKEN="$(printf 'gh%s_%s' "p" "Q1w2E3r4T5y6U7i8O9p0A1s2D3f4G5h6J7k8")"  # keepmum:allow (synthetic)
VERSION="$(sed -n 's/^version = "\(.*\)"$/\1/p' "$ROOT/Cargo.toml" | head -1)"

# ---------------------------------------------------------------------------
echo "---- install.sh against a fake release"
REL="$TMP/release/v$VERSION"
NAME="keepmum-v$VERSION-x86_64-unknown-linux-musl"
mkdir -p "$REL" "$TMP/pkg/$NAME"
cp "$BIN" "$TMP/pkg/$NAME/keepmum"
tar -czf "$REL/$NAME.tar.gz" -C "$TMP/pkg" "$NAME"
( cd "$REL" && sha256sum "$NAME.tar.gz" > SHA256SUMS )
install_with() {  # $1: action dir; prints exit code
  local rc=0
  env -i PATH="$PATH" HOME="$TMP" KEEPMUM_VERSION="$VERSION" RUNNER_OS=Linux RUNNER_ARCH=X64 \
    RUNNER_TEMP="$2" GITHUB_PATH="$2/path" GITHUB_OUTPUT="$2/out" \
    KEEPMUM_RELEASE_URL="file://$TMP/release" bash "$1/install.sh" >"$2/log" 2>&1 || rc=$?
  echo "$rc"
}
mkdir -p "$TMP/i1" "$TMP/i2" "$TMP/i3" "$TMP/act-pinned"
rc="$(install_with "$ROOT/action" "$TMP/i1")"
check "install.sh installs a release whose checksum matches (exit $rc)" \
  '[ "$rc" = 0 ] && [ -x "$(cat "$TMP/i1/path")/keepmum" ] && grep -q "^bin=" "$TMP/i1/out"'
cp "$ROOT/action/install.sh" "$TMP/act-pinned/"
echo "$(printf '0%.0s' {1..64})  $NAME.tar.gz" > "$TMP/act-pinned/checksums.txt"
rc="$(install_with "$TMP/act-pinned" "$TMP/i2")"
check "install.sh refuses an archive that differs from action/checksums.txt (exit $rc)" \
  '[ "$rc" = 2 ] && grep -q "checksums.txt pins" "$TMP/i2/log" && [ ! -s "$TMP/i2/path" ]'
( cd "$REL" && echo "ff$(cut -c3- SHA256SUMS)" > SHA256SUMS )
rc="$(install_with "$ROOT/action" "$TMP/i3")"
check "install.sh refuses an archive that differs from SHA256SUMS (exit $rc)" \
  '[ "$rc" = 2 ] && grep -q "checksum mismatch" "$TMP/i3/log" && [ ! -s "$TMP/i3/path" ]'

# ---------------------------------------------------------------------------
echo "---- run.sh with a faked GITHUB_* environment"
W="$TMP/ws"
mkdir -p "$W" && cd "$W" && git init -q .
echo "print('hello')" > app.py && git add -A && git commit -qm one
C1="$(git rev-parse HEAD)"
printf 'import os\n\nTOKEN = "%s"\n' "$TOKEN" > leak.py && git add -A && git commit -qm two
C2="$(git rev-parse HEAD)"
echo "print('bye')" >> app.py && git add -A && git commit -qm three
C3="$(git rev-parse HEAD)"
ZERO="0000000000000000000000000000000000000000"

N=0
# run_action EVENT PAYLOAD [VAR=VALUE...]: runs `run.sh scan` then `run.sh
# gate`; sets D (run directory), SCAN_RC, GATE_RC, FOUND.
run_action() {
  N=$((N + 1)); D="$TMP/run$N"; mkdir -p "$D"
  printf '%s\n' "$2" > "$D/event.json"
  local event="$1"; shift 2
  SCAN_RC=0
  env -i PATH="$PATH" HOME="$TMP" GITHUB_EVENT_NAME="$event" GITHUB_EVENT_PATH="$D/event.json" \
    GITHUB_WORKSPACE="$W" GITHUB_SHA="$C3" GITHUB_OUTPUT="$D/output" GITHUB_STEP_SUMMARY="$D/summary" \
    RUNNER_TEMP="$D" KEEPMUM_BIN="$BIN" INPUT_SARIF_FILE="$D/keepmum.sarif" \
    GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL="$GIT_CONFIG_GLOBAL" "$@" \
    bash "$ROOT/action/run.sh" scan >"$D/log" 2>&1 || SCAN_RC=$?
  FOUND="$(sed -n 's/^findings=//p' "$D/output" 2>/dev/null | tail -1)"
  GATE_RC=0
  # shellcheck disable=SC2034  # GATE_RC is read by the check expressions
  env -i PATH="$PATH" KEEPMUM_FINDINGS="$FOUND" bash "$ROOT/action/run.sh" gate >>"$D/log" 2>&1 || GATE_RC=$?
  if grep -rqF -- "$TOKEN" "$D"; then fail "run $N: raw secret in the action's output"; fi
}
sarif_results() {
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["version"]=="2.1.0"; print(len(d["runs"][0]["results"]))' "$1" 2>/dev/null
}

run_action push "{\"before\":\"$C1\",\"after\":\"$C3\"}"
check "push $C1..$C3 (adds the token): findings=$FOUND, gate fails" \
  '[ "$SCAN_RC" = 0 ] && [ "${FOUND:-0}" -ge 1 ] && [ "$GATE_RC" = 1 ]'
check "push: the range was scanned as git commits" 'grep -q -- "--range $C1..$C3" "$D/log"'
check "push: SARIF 2.1.0 with the finding" '[ "$(sarif_results "$D/keepmum.sarif")" -ge 1 ] && grep -q "sarif=$D/keepmum.sarif" "$D/output"'
check "push: job summary counts github-pat, names leak.py:3, redacted" \
  'grep -q "| \`github-pat\` | secret | 1 |" "$D/summary" && grep -q "leak.py:3" "$D/summary"'

run_action push "{\"before\":\"$C2\",\"after\":\"$C3\"}"
check "push $C2..$C3 (no new token): findings=$FOUND, gate passes" \
  '[ "$SCAN_RC" = 0 ] && [ "$FOUND" = 0 ] && [ "$GATE_RC" = 0 ] && grep -q "No new findings" "$D/summary" && [ "$(sarif_results "$D/keepmum.sarif")" = 0 ]'

run_action push "{\"before\":\"$ZERO\",\"after\":\"$C3\"}"
check "push of a new branch scans its history: findings=$FOUND" \
  '[ "$SCAN_RC" = 0 ] && [ "${FOUND:-0}" -ge 1 ] && grep -q -- "--branch $C3" "$D/log"'

run_action pull_request "{\"pull_request\":{\"base\":{\"sha\":\"$C1\"},\"head\":{\"sha\":\"$C3\"}}}"
check "pull_request $C1..$C3: findings=$FOUND, gate fails" \
  '[ "$SCAN_RC" = 0 ] && [ "${FOUND:-0}" -ge 1 ] && [ "$GATE_RC" = 1 ] && grep -q -- "--range $C1..$C3" "$D/log"'

run_action pull_request "{\"pull_request\":{\"base\":{\"sha\":\"$C2\"},\"head\":{\"sha\":\"$C3\"}}}"
check "pull_request $C2..$C3: findings=$FOUND, gate passes" '[ "$SCAN_RC" = 0 ] && [ "$FOUND" = 0 ] && [ "$GATE_RC" = 0 ]'

run_action workflow_dispatch '{}'
check "workflow_dispatch scans the checkout: findings=$FOUND" \
  '[ "$SCAN_RC" = 0 ] && [ "${FOUND:-0}" -ge 1 ] && grep -q "scanning the checkout" "$D/log"'

# The baseline: accepted findings are not new.
"$BIN" baseline create -o "$W/.secrets.baseline" "$W" >/dev/null 2>&1 \
  || ( cd "$W" && "$BIN" baseline create -o .secrets.baseline >/dev/null 2>&1 )
run_action push "{\"before\":\"$C1\",\"after\":\"$C3\"}"
check "the workspace's .secrets.baseline is honoured: findings=$FOUND, gate passes" \
  '[ "$SCAN_RC" = 0 ] && [ "$FOUND" = 0 ] && [ "$GATE_RC" = 0 ] && grep -q -- "--baseline .secrets.baseline" "$D/log"'
run_action push "{\"before\":\"$C1\",\"after\":\"$C3\"}" INPUT_BASELINE=none
check "baseline: none ignores it: findings=$FOUND" '[ "${FOUND:-0}" -ge 1 ]'
rm -f "$W/.secrets.baseline"

# The config: a file that allowlists leak.py.
printf "[allowlist]\npaths = ['(^|/)leak\\\\.py\$']\n" > "$TMP/allow.toml"
run_action workflow_dispatch '{}' INPUT_CONFIG="$TMP/allow.toml"
check "the config input is honoured (leak.py allowlisted): findings=$FOUND" \
  '[ "$SCAN_RC" = 0 ] && [ "$FOUND" = 0 ] && [ "$GATE_RC" = 0 ]'
run_action workflow_dispatch '{}' INPUT_CONFIG="$TMP/missing.toml"
check "a missing config file is an error (exit $SCAN_RC), not a pass" '[ "$SCAN_RC" = 2 ] && [ -z "$FOUND" ] && [ "$GATE_RC" = 2 ]'

echo "$PASSES passed, $FAILS failed"
[ "$FAILS" = 0 ]
