#!/usr/bin/env bash
# Compatibility checks against the real tools (issue 4):
#   (a) real pre-commit: a temporary repository whose .pre-commit-config.yaml
#       points at this repository (hook id `keepmum-rust`, language: rust);
#       a clean commit passes, a staged fake token blocks the commit with its
#       file and line, an allow comment or a baseline entry lets it through;
#   (b) real detect-secrets 1.5.0: a baseline it writes suppresses our
#       findings; a baseline we write passes `detect-secrets audit --report`.
#
# Installs what it needs itself (python3 -m venv + pip from PyPI, cargo).
# Prints PASS/FAIL per check; exits non-zero if any check fails.
#
# Usage: scripts/compat-test.sh            (from anywhere in the checkout)
# Env:   KEEP_TMP=1 keeps the scratch directory for inspection.
#
# pre-commit clones the hook repository at a *commit*. When the checkout has
# uncommitted changes, this script snapshots the working tree into a scratch
# clone and commits there (never in the checkout itself).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/sg-compat.XXXXXX")"
cleanup() { if [ -z "${KEEP_TMP:-}" ]; then rm -rf "$TMP"; else echo "kept $TMP"; fi; }
trap cleanup EXIT

FAILS=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
step() { echo "---- $*"; }

export GIT_AUTHOR_NAME=compat GIT_AUTHOR_EMAIL=compat@example.com
export GIT_COMMITTER_NAME=compat GIT_COMMITTER_EMAIL=compat@example.com
# Isolated git configuration (HOME is left alone: rustup and cargo need it).
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL="$TMP/gitconfig"
git config --global init.defaultBranch main
git config --global commit.gpgsign false
git config --global protocol.file.allow always

# Synthetic, format-valid, obviously fake tokens (assembled, never stored whole).
tok() { printf 'gh%s_%s%s' "p" "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r" "$1"; }  # keepmum:allow (synthetic)

step "installing pre-commit and detect-secrets==1.5.0 into a venv"
python3 -m venv "$TMP/venv" || { fail "python3 -m venv"; exit 1; }
"$TMP/venv/bin/pip" install -q --disable-pip-version-check pre-commit 'detect-secrets==1.5.0' \
  || { fail "pip install"; exit 1; }
export PATH="$TMP/venv/bin:$PATH"

step "building keepmum binaries"
( cd "$ROOT" && cargo build -q -p keepmum-cli -p keepmum-precommit ) >"$TMP/build.log" 2>&1 \
  || { cat "$TMP/build.log"; fail "cargo build"; exit 1; }
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
SG="$TARGET/debug/keepmum"
SGP="$TARGET/debug/keepmum-precommit"

# ---------------------------------------------------------------------------
# The hook repository pre-commit clones: HEAD, or a snapshot of the tree.
HOOK_REPO="$ROOT"
if [ -n "$(git -C "$ROOT" status --porcelain 2>/dev/null)" ]; then
  step "working tree is dirty: snapshotting it into a scratch clone"
  HOOK_REPO="$TMP/hook-repo"
  git clone -q "$ROOT" "$HOOK_REPO" || { fail "git clone"; exit 1; }
  ( cd "$ROOT" && git ls-files -z -co --exclude-standard ) \
    | ( cd "$ROOT" && xargs -0 tar cf - --no-recursion 2>/dev/null ) \
    | ( cd "$HOOK_REPO" && tar xf - )
  ( cd "$HOOK_REPO" && git add -A && git commit -qm "compat-test snapshot" ) \
    || { fail "snapshot commit"; exit 1; }
fi
REV="$(git -C "$HOOK_REPO" rev-parse HEAD)"

# ---------------------------------------------------------------------------
step "(a) real pre-commit, hook id 'keepmum-rust' (language: rust) at $REV"
U="$TMP/user"
mkdir -p "$U" && cd "$U" && git init -q .
cat > .pre-commit-config.yaml <<EOF
repos:
  - repo: $HOOK_REPO
    rev: $REV
    hooks:
      - id: keepmum-rust
        args: [--baseline, .secrets.baseline]
EOF
echo "print('hello')" > app.py
"$SG" baseline create -o .secrets.baseline >/dev/null 2>&1 || fail "keepmum baseline create (empty tree)"
export PRE_COMMIT_HOME="$TMP/pre-commit-home"
# Reuse compiled registry dependencies: pre-commit runs `cargo install` in its clone.
export CARGO_TARGET_DIR="$TMP/cargo-install-target"
# A quick release build is enough to test the hook (keeps the run short).
export CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
  CARGO_PROFILE_RELEASE_DEBUG=false CARGO_PROFILE_RELEASE_OPT_LEVEL=1
pre-commit install >/dev/null || fail "pre-commit install"
git add -A
if OUT="$(git commit -qm clean 2>&1)"; then
  pass "clean commit passes through the real pre-commit (cargo install --path . worked)"
else
  fail "clean commit was blocked:"; echo "$OUT" | tail -20
fi

printf 'import os\n\nTOKEN = "%s"\n' "$(tok 1)" > leak.py
git add leak.py
if OUT="$(git commit -qm leak 2>&1)"; then
  fail "a staged fake token was NOT blocked"
else
  if grep -q "leak.py:3" <<<"$OUT"; then
    pass "staged fake token blocks the commit, output names leak.py:3"
  else
    fail "commit blocked but file:line missing from output:"; echo "$OUT" | tail -20
  fi
  if grep -q "$(tok 1)" <<<"$OUT"; then fail "raw secret printed in hook output"; fi
fi

printf 'import os\n\nTOKEN = "%s"  # pragma: allowlist secret\n' "$(tok 1)" > leak.py
git add leak.py
if OUT="$(git commit -qm allowed 2>&1)"; then
  pass "allow comment lets the commit through"
else
  fail "allow comment did not help:"; echo "$OUT" | tail -20
fi

printf 'KEY = "%s"\n' "$(tok 2)" > second.py
git add second.py
if git commit -qm second >/dev/null 2>&1; then
  fail "second fake token was NOT blocked"
else
  "$SG" baseline update --baseline .secrets.baseline >/dev/null 2>&1 || fail "keepmum baseline update"
  git add second.py .secrets.baseline
  if OUT="$(git commit -qm baselined 2>&1)"; then
    pass "adding the token to the baseline lets the commit through"
  else
    fail "baseline entry did not help:"; echo "$OUT" | tail -20
  fi
fi

# ---------------------------------------------------------------------------
step "(b) real detect-secrets 1.5.0 baselines"
D="$TMP/ds"
mkdir -p "$D/deploy" && cd "$D" && git init -q .
printf 'import os\nTOKEN = "%s"\n' "$(tok 3)" > config.py
printf 'service:\n  token: %s\n' "$(tok 4)" > deploy/settings.yaml
printf 'nothing = "here"\n' > clean.py
git add -A
detect-secrets scan > .secrets.baseline 2>/dev/null || fail "detect-secrets scan"
git add .secrets.baseline
FILES=(config.py deploy/settings.yaml clean.py)
if grep -q '"GitHub Token"' .secrets.baseline; then
  "$SGP" "${FILES[@]}" >/dev/null 2>&1
  rc_without=$?
  OUT="$("$SGP" --baseline .secrets.baseline "${FILES[@]}" 2>&1)"
  rc_with=$?
  if [ "$rc_without" = 1 ] && [ "$rc_with" = 0 ]; then
    pass "a detect-secrets baseline suppresses our findings (exit 1 without it, 0 with it)"
  else
    fail "detect-secrets baseline: exit $rc_without without, $rc_with with (want 1, 0)"; echo "$OUT"
  fi
  if git diff --quiet -- .secrets.baseline; then
    pass "hook left the detect-secrets baseline byte-identical"
  else
    fail "hook modified the detect-secrets baseline"
  fi
else
  fail "detect-secrets did not report the fake GitHub tokens"
fi

"$SG" baseline create -o ours.baseline >/dev/null 2>&1 || fail "keepmum baseline create"
if REPORT="$(detect-secrets audit --report ours.baseline 2>&1)" \
   && python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if len(d["results"])>=2 else 1)' <<<"$REPORT"; then
  pass "a baseline we write passes 'detect-secrets audit --report' ($(grep -c '"filename"' <<<"$REPORT") results)"
else
  fail "detect-secrets audit --report rejected our baseline:"; echo "$REPORT" | tail -20
fi
if detect-secrets audit --stats ours.baseline >/dev/null 2>&1; then
  pass "detect-secrets audit --stats reads our baseline"
else
  fail "detect-secrets audit --stats failed on our baseline"
fi

# Hash compatibility across every rule example that declares a detect-secrets
# type: detect-secrets' baseline must suppress our finding whenever
# detect-secrets reported the same type in the same file.
M="$TMP/matrix"
mkdir -p "$M/ex" && cd "$M" && git init -q .
if python3 - "$ROOT" <<'PY'
import glob, sys
try:
    import tomllib
except ImportError:
    sys.exit(3)
root = sys.argv[1]
for f in glob.glob(f"{root}/crates/keepmum/rules/*.toml"):
    for r in tomllib.load(open(f, "rb")).get("rule", []):
        if r.get("detect_secrets"):
            for i, ex in enumerate(r.get("examples", [])):
                open(f"ex/{r['id']}__{i}.txt", "w").write(ex.replace("\\n", "\n") + "\n")
PY
then
  git add -A && detect-secrets scan > .secrets.baseline 2>/dev/null && git add -A
  "$SGP" --json ex/* > ours.json 2>/dev/null
  "$SGP" --json --baseline .secrets.baseline ex/* > left.json 2>/dev/null
  if SUMMARY="$(python3 - <<'PY'
import json
def load(p):
    t = open(p).read().strip()
    return json.loads(t)["results"] if t else {}
ds, ours, left = load(".secrets.baseline"), load("ours.json"), load("left.json")
ok = bad = 0
for f, es in ours.items():
    for e in es:
        if e["type"] not in {x["type"] for x in ds.get(f, [])}:
            continue
        if any(x["hashed_secret"] == e["hashed_secret"] and x["type"] == e["type"] for x in left.get(f, [])):
            bad += 1
        else:
            ok += 1
print(f"{ok}/{ok + bad}")
raise SystemExit(0 if ok + bad and ok / (ok + bad) >= 0.9 else 1)
PY
)"; then
    pass "detect-secrets baseline suppresses our same-type findings on rule examples ($SUMMARY)"
  else
    fail "hash compatibility on rule examples too low ($SUMMARY)"
  fi
else
  echo "SKIP: python3 without tomllib; rule-example hash matrix not run"
fi

# ---------------------------------------------------------------------------
step "(c) a mixed team: passwords with metacharacters, 11 file types, both tools' baselines"
# 30 shell/URL/quoting metacharacters inside a password, in the assignment
# shapes of 11 file types. Every Secret Keyword hash keepmum records must be
# the one detect-secrets records; each tool's hook must leave the other's
# baseline byte for byte; and `keepmum baseline update` must not change
# detect-secrets' results.
MC="$TMP/meta"
mkdir -p "$MC" && cd "$MC" && git init -q .
python3 - <<'PY'
meta = "&\\\"' *?[]#~|=%!{},^@:/;+<>()$`"
shapes = {
    "c{}.yaml": "password = {}\n", "y{}.yml": "password: {}\n",
    "e{}.env": "password={}\n", "q{}.py": 'password = "{}"\n',
    "j{}.json": '{{"password": "{}"}}\n', "s{}.js": "const password = '{}';\n",
    "g{}.go": 'password := "{}"\n', "i{}.ini": "[db]\npassword = {}\n",
    "t{}.toml": 'password = "{}"\n', "p{}.properties": "db.password={}\n",
    "h{}.sh": 'PASSWORD="{}"\n',
}
for i, c in enumerate(meta, 1):
    for name, body in shapes.items():
        # A synthetic password, the metacharacter in its middle.
        open(name.format(i), "w").write(body.format("Tr0ub4dor" + c + "3-horse-battery"))
PY
git add -A
FILES=$(git ls-files)
detect-secrets scan > "$TMP/meta-ds.json" 2>/dev/null || fail "detect-secrets scan (metacharacters)"
"$SG" baseline create -o "$TMP/meta-km.json" . >/dev/null 2>&1
if SUMMARY="$(python3 - "$TMP/meta-ds.json" "$TMP/meta-km.json" $FILES <<'PY'
import json, sys
ds = json.load(open(sys.argv[1]))["results"]
km = json.load(open(sys.argv[2]))["results"]
files = sys.argv[3:]
bad = [f for f in files
       if {e["hashed_secret"] for e in ds.get(f, []) if e["type"] == "Secret Keyword"}
       != {e["hashed_secret"] for e in km.get(f, []) if e["type"] == "Secret Keyword"}]
print(f"{len(bad)} of {len(files)} files differ" + (": " + " ".join(bad[:12]) if bad else ""))
raise SystemExit(1 if bad else 0)
PY
)"; then
  pass "Secret Keyword hashes equal detect-secrets' ($SUMMARY)"
else
  fail "Secret Keyword hashes differ from detect-secrets' ($SUMMARY)"
fi
cp "$TMP/meta-ds.json" "$TMP/ds.baseline"; cp "$TMP/meta-ds.json" "$TMP/ds.orig"
OUT="$("$SGP" --baseline "$TMP/ds.baseline" $FILES 2>&1)"; rc=$?
if cmp -s "$TMP/ds.baseline" "$TMP/ds.orig"; then
  # What it still reports must be findings detect-secrets does not make.
  if python3 - "$TMP/meta-ds.json" <<PY
import json, re, sys
ds = json.load(open(sys.argv[1]))["results"]
hits = re.findall(r"^(\S+):\d+\s", """$OUT""", re.M)
both = [f for f in hits if any(e["type"] == "Secret Keyword" for e in ds.get(f, []))]
raise SystemExit(1 if both else 0)
PY
  then pass "keepmum's hook leaves detect-secrets' baseline untouched (exit $rc; any findings are ones detect-secrets does not make)"
  else fail "keepmum's hook reports secrets detect-secrets' baseline holds:"; echo "$OUT" | head -20
  fi
else
  fail "keepmum's hook rewrote detect-secrets' baseline"
fi
cp "$TMP/meta-km.json" "$TMP/km.baseline"
OUT="$(detect-secrets-hook --baseline "$TMP/km.baseline" $FILES 2>&1)"; rc=$?
if [ "$rc" -eq 0 ] && cmp -s "$TMP/km.baseline" "$TMP/meta-km.json"; then
  pass "detect-secrets' hook passes with keepmum's baseline and leaves it untouched"
else
  fail "detect-secrets' hook on keepmum's baseline: exit $rc (want 0), or it rewrote it"; echo "$OUT" | head -20
fi
"$SG" baseline update --baseline "$TMP/ds.baseline" . >/dev/null 2>&1
if python3 - "$TMP/ds.baseline" "$TMP/ds.orig" <<'PY'
import json, sys
a, b = (json.load(open(p))["results"] for p in sys.argv[1:3])
raise SystemExit(0 if a == b else 1)
PY
then pass "keepmum baseline update keeps every detect-secrets result"
else fail "keepmum baseline update changed detect-secrets' results"
fi
cd "$ROOT"

echo
if [ "$FAILS" -eq 0 ]; then echo "compat-test: all checks passed"; exit 0; fi
echo "compat-test: $FAILS check(s) failed"; exit 1
