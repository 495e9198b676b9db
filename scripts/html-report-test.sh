#!/usr/bin/env bash
# Loads keepmum's HTML report (`scan --format html`) in a real headless
# browser (Debian's `chromium`) and checks that it works as a page, not
# just as text:
#   - the page's script runs to the end (`data-ready` on <body>) and the
#     browser logs no console message at all (errors, CSP violations);
#   - the totals, the table rows, the chart bars and the --git timeline
#     show the numbers the JSON report gives for the same tree;
#   - file names, commit messages and author names made of markup
#     (`<script>…</script>`, `<img onerror=…>`) stay inert text;
#   - the table sorts by a column, both ways (`report.html#sort=-line`);
#   - the page loads with the network off (`unshare -rn`, where allowed);
#   - a tampered page is rejected (the checks can fail);
# and, on the same tree, that the JUnit XML parses and counts every finding
# and the CSV has one row per finding.
#
# Installs chromium with apt-get when it is missing and we are root; skips
# (exit 0, with a clear message) only where it cannot be installed.
#
# Usage: scripts/html-report-test.sh
# Env:   KEEPMUM=path/to/keepmum (default: builds the release binary),
#        KEEP_TMP=1 keeps the scratch directory.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/keepmum-html.XXXXXX")"
cleanup() { if [ -z "${KEEP_TMP:-}" ]; then rm -rf "$TMP"; else echo "kept $TMP"; fi; }
trap cleanup EXIT

FAILS=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }

find_browser() {
    local b
    for b in chromium chromium-browser google-chrome; do
        if command -v "$b" >/dev/null 2>&1; then
            command -v "$b"
            return 0
        fi
    done
    return 1
}

BROWSER="$(find_browser || true)"
if [ -z "$BROWSER" ] && command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    if [ "$(id -u)" != 0 ]; then SUDO="sudo -n"; fi
    if $SUDO true 2>/dev/null; then
        echo "installing chromium with apt-get…"
        $SUDO apt-get update -qq >/dev/null 2>&1 || true
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null 2>&1 || true
        BROWSER="$(find_browser || true)"
    fi
fi
if [ -z "$BROWSER" ]; then
    echo "SKIP: no chromium, and it cannot be installed here (needs apt-get as root or passwordless sudo)"
    exit 0
fi

if [ -n "${KEEPMUM:-}" ]; then
    BIN="$KEEPMUM"
else
    (cd "$ROOT" && cargo build --release --locked -q -p keepmum-cli)
    BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/keepmum"
fi
echo "browser: $BROWSER; keepmum: $BIN"

# Loads $1 (with URL fragment $2, if any) in the browser: DOM to $1$2.dom,
# browser log to $1$2.log.
load() {
    local page="$1" frag="${2:-}" net=()
    if unshare -rn true 2>/dev/null; then net=(unshare -rn); fi
    "${net[@]}" timeout 120 "$BROWSER" --headless --no-sandbox --disable-gpu \
        --disable-background-networking --disable-component-update --disable-sync \
        --no-first-run --user-data-dir="$TMP/profile-$(basename "$page")$frag" \
        --enable-logging=stderr --v=0 --dump-dom "file://$page$frag" \
        >"$page$frag.dom" 2>"$page$frag.log" || true
}

# Checks the loaded page $1 against the JSON report $2; $3 = history|tree|
# clean; $4 = the `#sort=` key the table must be sorted by, if any.
check() {
    python3 - "$1.dom" "$1.log" "$2" "$3" "${4:-}" <<'PY'
import json, sys
from html.parser import HTMLParser

dom_path, log_path, json_path, mode, sort = sys.argv[1:]
expected = len(json.load(open(json_path))["findings"])
problems = []

class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.stack, self.text, self.cells = [], [], {}, []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a, list(self.stack)))
        if tag == "tr" and any(t == "tbody" for t, _ in self.stack):
            self.cells.append([])
        if tag == "td" and self.cells:
            self.cells[-1].append("")
        if tag not in ("meta", "input", "br", "img", "link", "rect", "line"):
            self.stack.append((tag, a))
    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break
    def handle_data(self, data):
        for _, a in self.stack:
            if "id" in a:
                self.text[a["id"]] = self.text.get(a["id"], "") + data
        if self.stack and self.stack[-1][0] == "td" and self.cells and self.cells[-1]:
            self.cells[-1][-1] += data

p = Page()
p.feed(open(dom_path, encoding="utf-8").read())
body = [a for t, a, _ in p.tags if t == "body"]
if not body:
    problems.append("no <body> in the DOM dump")
else:
    if body[0].get("data-ready") != "1":
        problems.append("the page's script did not finish (no data-ready)")
    if "data-error" in body[0]:
        problems.append("script error: " + body[0]["data-error"])
for t, a, _ in p.tags:
    if any(k.startswith("data-pwned") for k in a):
        problems.append("markup from the report data ran (data-pwned set)")
    if t == "img" or t == "iframe":
        problems.append(f"an <{t}> element came from the report data")
scripts = [t for t, _, _ in p.tags if t == "script"]
if len(scripts) != 2:
    problems.append(f"{len(scripts)} <script> elements, expected the page's 2")
shown = p.text.get("total-findings", "").strip()
if shown != str(expected):
    problems.append(f"total-findings shows {shown!r}, the JSON report has {expected}")
rows = [1 for t, _, st in p.tags if t == "tr" and any(s[0] == "tbody" for s in st)]
if len(rows) != expected:
    problems.append(f"{len(rows)} table rows, expected {expected}")
def bar_sum(cls, within):
    return sum(int(a["data-count"]) for t, a, st in p.tags
               if t == "g" and a.get("class") == cls and any(s[1].get("id") == within for s in st))
if expected and bar_sum("row", "by-rule") != expected:
    problems.append(f"rule chart bars add up to {bar_sum('row', 'by-rule')}, expected {expected}")
if expected and bar_sum("row", "by-category") != expected:
    problems.append("category chart bars do not add up")
if mode == "history" and bar_sum("bucket", "timeline") != expected:
    problems.append(f"timeline adds up to {bar_sum('bucket', 'timeline')}, expected {expected}")
if mode == "clean" and "clean" not in p.text:
    problems.append("a clean scan does not say so")
if sort:
    keys = [a.get("data-key") for t, a, _ in p.tags if t == "th"]
    key = sort.lstrip("-")
    col = [row[keys.index(key)] for row in p.cells]
    if key in ("line", "column"):
        col = [int(c) for c in col]
    want = sorted(col, reverse=sort.startswith("-"))
    if col != want:
        problems.append(f"#sort={sort}: column {key} is not sorted: {col}")
    th = [a for t, a, _ in p.tags if t == "th" and a.get("data-key") == key]
    want_aria = "descending" if sort.startswith("-") else "ascending"
    if not th or th[0].get("aria-sort") != want_aria:
        problems.append(f"#sort={sort}: header not marked {want_aria}")
console = [l for l in open(log_path, errors="replace") if ":CONSOLE" in l]
if console:
    problems.append("console: " + " | ".join(l.strip() for l in console[:3]))
for msg in problems:
    print("   ", msg)
print(f"    ({expected} findings)")
sys.exit(1 if problems else 0)
PY
}

export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL="$TMP/gitconfig"
git config --global init.defaultBranch main
git config --global commit.gpgsign false

# Synthetic, format-valid, obviously fake tokens from a repeating alphabet
# (assembled at run time, never stored whole).
ALPHA="$(printf 'A1b2C3d4E5%.0s' 1 2 3 4 5 6)"
tok() { printf 'gh%s_%s' "p" "${ALPHA:$1:36}"; }
REPO="$TMP/repo"
mkdir -p "$REPO"
cd "$REPO"
git init -q
commit() { # date, author, message
    git add -A
    GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1" GIT_AUTHOR_NAME="$2" GIT_AUTHOR_EMAIL=dev@example.invalid \
        GIT_COMMITTER_NAME=ci GIT_COMMITTER_EMAIL=ci@example.invalid git commit -q -m "$3"
}
mkdir -p config
printf 'TOKEN = "%s"\n' "$(tok 0)" >config/settings.py
commit 2026-01-05T10:00:00Z "Ada" "add settings"
EVIL_DIR="evil/<script>document.body.setAttribute('data-pwned','1')<"
mkdir -p "$EVIL_DIR"
printf 'GH_TOKEN=%s\n' "$(tok 2)" >"$EVIL_DIR/script>.env"
commit 2026-02-10T09:00:00Z "</script><script>document.body.setAttribute('data-pwned','3')</script>" \
    "<img src=x onerror=document.body.setAttribute('data-pwned','4')>"
printf 'owner: %s@%s\ntoken: %s\n' "alice.smith" "acme-corp.com" "$(tok 4)" \
    >"<img src=x onerror=document.body.setAttribute('data-pwned','2')>.txt"
commit 2026-02-11T12:00:00Z "Bob" "notes"

expect_exit() { # code, command…
    local want="$1" got=0
    shift
    "$@" || got=$?
    if [ "$got" != "$want" ]; then fail "exit $got (expected $want): $*"; fi
}

cd "$TMP"
expect_exit 1 "$BIN" scan --git -f json -o hist.json repo
expect_exit 1 "$BIN" scan --git -f html -o hist.html repo
expect_exit 1 "$BIN" scan -f json -o tree.json repo
expect_exit 1 "$BIN" scan -f html -o tree.html repo
mkdir -p clean && echo "nothing here" >clean/readme.txt
expect_exit 0 "$BIN" scan -f json -o clean.json clean
expect_exit 0 "$BIN" scan -f html -o clean.html clean

for page in hist:history tree:tree clean:clean; do
    name="${page%%:*}" mode="${page##*:}"
    load "$TMP/$name.html"
    if check "$TMP/$name.html" "$TMP/$name.json" "$mode"; then
        pass "$name.html loads in $(basename "$BROWSER") with no console message and shows the counts"
    else
        fail "$name.html in $(basename "$BROWSER")"
    fi
done

# The table sorts (the same code a header click runs), ascending and
# descending, as asked by the URL fragment.
for sort in -rule line; do
    load "$TMP/hist.html" "#sort=$sort"
    if check "$TMP/hist.html#sort=$sort" "$TMP/hist.json" history "$sort"; then
        pass "hist.html#sort=$sort sorts the table"
    else
        fail "hist.html#sort=$sort"
    fi
done

# The checks can fail: a page whose script was altered (its CSP hash no
# longer matches, so the browser refuses it) must be rejected.
sed 's/data-ready/data-readz/' hist.html >tampered.html
load "$TMP/tampered.html"
if check "$TMP/tampered.html" "$TMP/hist.json" history >/dev/null; then
    fail "a tampered page passed the checks"
else
    pass "a tampered page is rejected"
fi

# JUnit XML parses and counts every finding; CSV has one row per finding.
expect_exit 1 "$BIN" scan --git -f junit -o hist.xml repo
expect_exit 1 "$BIN" scan --git -f csv -o hist.csv repo
if python3 - hist.xml hist.csv hist.json <<'PY'; then
import csv, json, sys
import xml.etree.ElementTree as ET
xml_path, csv_path, json_path = sys.argv[1:]
n = len(json.load(open(json_path))["findings"])
suite = ET.parse(xml_path).getroot().find("testsuite")
cases = suite.findall("testcase")
assert suite.get("tests") == suite.get("failures") == str(n), (suite.attrib, n)
assert len(cases) == n and all(c.find("failure") is not None for c in cases)
assert any("<script>" in c.get("file") for c in cases), "markup path lost or mangled"
rows = list(csv.DictReader(open(csv_path, newline="")))
assert len(rows) == n, (len(rows), n)
assert all(len(r["Commit"]) == 40 for r in rows)
PY
    pass "JUnit XML parses with one failed case per finding; CSV has one row per finding"
else
    fail "JUnit/CSV reports"
fi

if [ "$FAILS" -gt 0 ]; then
    echo "$FAILS check(s) failed"
    exit 1
fi
echo "all HTML report checks passed"
