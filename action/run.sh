#!/usr/bin/env bash
# The GitHub Action's scan (action.yml), kept in a script so CI can run it
# with a faked GITHUB_* environment (scripts/action-test.sh).
#
#   run.sh scan   decides what to scan from the event, scans, writes the
#                 SARIF file, the job summary and the step outputs
#                 (findings, sarif); exits 0 whether or not it found
#                 anything, 2 on error, so the SARIF upload can still run;
#   run.sh gate   exits 1 when the scan's finding count (KEEPMUM_FINDINGS)
#                 is not zero, after the upload.
#
# What is scanned (INPUT_SCAN):
#   auto      pull_request: the PR's commits (base..head); push: the pushed
#             commits (before..after; a new branch: all of its history);
#             any other event: the checkout;
#   checkout  the files of the checkout;
#   history   every commit reachable from any ref.
# Commit ranges need the history: actions/checkout with `fetch-depth: 0`.
#
# Env: KEEPMUM_BIN (default `keepmum` on PATH), INPUT_SCAN, INPUT_CONFIG,
#      INPUT_BASELINE (default `.secrets.baseline` when present; `none`
#      turns it off), INPUT_SARIF_FILE, INPUT_PATH (directory to scan,
#      relative to the workspace); GITHUB_EVENT_NAME, GITHUB_EVENT_PATH,
#      GITHUB_WORKSPACE, GITHUB_SHA, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY,
#      RUNNER_TEMP. Never prints a raw secret: reports are redacted.
set -euo pipefail

die() { echo "::error title=keepmum::$*" >&2; exit 2; }
out() { if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "$1" >> "$GITHUB_OUTPUT"; fi; }
is_sha() { [[ "$1" =~ ^[0-9a-f]{40}([0-9a-f]{24})?$ ]]; }
is_zero() { [[ "$1" =~ ^0+$ ]]; }
have_commit() { git -C "$repo" cat-file -e "$1^{commit}" 2>/dev/null; }

# Reads one string field (dotted path) from the event payload.
event_field() {
  [ -f "${GITHUB_EVENT_PATH:-}" ] || return 0
  python3 - "$GITHUB_EVENT_PATH" "$1" <<'PY'
import json, sys
value = json.load(open(sys.argv[1], encoding="utf-8"))
for key in sys.argv[2].split("."):
    value = value.get(key) if isinstance(value, dict) else None
print(value if isinstance(value, str) else "")
PY
}

gate() {
  local n="${KEEPMUM_FINDINGS:-}"
  [[ "$n" =~ ^[0-9]+$ ]] || die "no finding count from the scan step"
  if [ "$n" != 0 ]; then
    echo "::error title=keepmum::$n new finding(s); see the job summary and the code scanning alerts"
    exit 1
  fi
  echo "keepmum: no new findings"
}

scan() {
  local bin="${KEEPMUM_BIN:-keepmum}"
  command -v "$bin" >/dev/null 2>&1 || die "keepmum binary not found ($bin)"
  repo="${GITHUB_WORKSPACE:-$PWD}"
  cd "$repo" || die "cannot enter $repo"
  local path="${INPUT_PATH:-.}"
  local tmp="${RUNNER_TEMP:-/tmp}"
  local sarif="${INPUT_SARIF_FILE:-$tmp/keepmum.sarif}"
  local json
  json="$(mktemp "$tmp/keepmum-json.XXXXXX")"

  local -a args=(scan)
  local mode="${INPUT_SCAN:-auto}" what=""
  if [ "$mode" = auto ]; then
    case "${GITHUB_EVENT_NAME:-}" in
      pull_request | pull_request_target)
        local base head
        base="$(event_field pull_request.base.sha)"
        head="$(event_field pull_request.head.sha)"
        if is_sha "$base" && is_sha "$head" && have_commit "$base" && have_commit "$head"; then
          args+=(--git --range "$base..$head"); what="pull request commits $base..$head"
        else
          echo "::warning title=keepmum::pull request commits not in the clone (use actions/checkout with fetch-depth: 0); scanning the checkout"
          mode=checkout
        fi ;;
      push)
        local before after
        before="$(event_field before)"
        after="$(event_field after)"
        is_sha "$after" || after="${GITHUB_SHA:-}"
        if is_sha "$after" && have_commit "$after"; then
          if is_sha "$before" && ! is_zero "$before" && have_commit "$before"; then
            args+=(--git --range "$before..$after"); what="pushed commits $before..$after"
          else
            args+=(--git --branch "$after"); what="the history of $after (new branch or force push)"
          fi
        else
          echo "::warning title=keepmum::pushed commit not in the clone; scanning the checkout"
          mode=checkout
        fi ;;
      *) mode=checkout ;;
    esac
  fi
  case "$mode" in
    auto) ;;
    checkout) what="the checkout ($path)" ;;
    history) args+=(--git); what="the whole git history" ;;
    *) die "unknown scan mode '$mode' (auto, checkout or history)" ;;
  esac
  args+=("$path")

  if [ -n "${INPUT_CONFIG:-}" ]; then
    [ -f "$INPUT_CONFIG" ] || die "config file $INPUT_CONFIG not found"
    args+=(--config "$INPUT_CONFIG")
  fi
  local baseline="${INPUT_BASELINE:-}"
  if [ -z "$baseline" ] && [ -f .secrets.baseline ]; then baseline=.secrets.baseline; fi
  if [ -n "$baseline" ] && [ "$baseline" != none ]; then
    [ -f "$baseline" ] || die "baseline $baseline not found"
    args+=(--baseline "$baseline")
  fi

  echo "keepmum: scanning $what"
  echo "keepmum: $bin ${args[*]}"
  local rc=0
  "$bin" "${args[@]}" --format json --output "$json" || rc=$?
  [ "$rc" -le 1 ] || die "keepmum failed (exit $rc)"
  rc=0
  "$bin" "${args[@]}" --format sarif --output "$sarif" || rc=$?
  [ "$rc" -le 1 ] || die "keepmum failed writing SARIF (exit $rc)"

  local count
  count="$(python3 - "$json" "$what" "${GITHUB_STEP_SUMMARY:-/dev/null}" <<'PY'
import collections, json, sys
report = json.load(open(sys.argv[1], encoding="utf-8"))
findings = report.get("findings", [])
by_rule = collections.Counter((f.get("rule_id", "?"), f.get("category", "?")) for f in findings)
def cell(v):
    return str(v).replace("|", "\\|").replace("\n", " ")
lines = ["## keepmum", "", f"Scanned {sys.argv[2]}.", ""]
if not findings:
    lines.append("No new findings.")
else:
    lines += [f"**{len(findings)} new finding(s)** (values redacted).", "",
              "| rule | category | count |", "|---|---|---:|"]
    lines += [f"| `{cell(r)}` | {cell(c)} | {n} |" for (r, c), n in sorted(by_rule.items())]
    lines += ["", "| location | rule | redacted |", "|---|---|---|"]
    for f in findings[:50]:
        where = f"{f.get('path') or '-'}:{f.get('line', '?')}"
        commit = (f.get("commit") or {}).get("sha", "")
        if commit:
            where += f" ({commit[:12]})"
        lines.append(f"| {cell(where)} | `{cell(f.get('rule_id', '?'))}` | `{cell(f.get('redacted', ''))}` |")
    if len(findings) > 50:
        lines.append(f"| … {len(findings) - 50} more | | |")
with open(sys.argv[3], "a", encoding="utf-8") as summary:
    summary.write("\n".join(lines) + "\n")
print(len(findings))
PY
)" || die "cannot read keepmum's JSON report"
  rm -f "$json"
  echo "keepmum: $count new finding(s); SARIF written to $sarif"
  out "findings=$count"
  out "sarif=$sarif"
}

case "${1:-}" in
  scan) scan ;;
  gate) gate ;;
  *) echo "usage: run.sh scan|gate" >&2; exit 2 ;;
esac
