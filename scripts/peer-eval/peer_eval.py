#!/usr/bin/env python3
"""Labelled recall/false-positive sets from the peers' public rule tests.

`extract` reads fetched peer snapshots (bare git dirs or work trees) and writes
one labelled set per source kind under the output directory:

  yaml/  Kingfisher and Nosey Parker YAML rules: `examples` are positives,
         `negative_examples` / `non_examples` are negatives.
  go/    gitleaks and betterleaks Go rule definitions: literal `tps` / `fps`
         strings, and positives generated from a regex
         (`secrets.NewSecret(...)`) by sampling it with a fixed seed.
  th/    TruffleHog detector pattern tests (`pkg/detectors/*/*_test.go`):
         each `tests` table case, a positive when it expects a secret, a
         negative when it expects none.

Each set holds positive/<provider>__<n>.txt, negative/<provider>__<n>.txt and
labels.jsonl (one object per file: path, label, source, rule).

`run` scans every set with keepmum (`scan --format json`) and, when they are
on PATH or in the venv, betterleaks (gitleaks' successor) and Kingfisher
(`--no-validate`), and prints per set and per tool: positives, recall,
provider-only recall, negatives and false positives. keepmum's missed
positives go to <set>/keepmum-misses.txt, counted per provider.

Nothing this script reads or writes belongs in the repository.
"""

from __future__ import annotations

import argparse
import collections
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DEFAULT_OUT = Path("/work/data/peer-eval")
SEED = 16

# ---------------------------------------------------------------- sources


def list_files(src: Path, prefix: str, suffixes: tuple[str, ...]) -> list[tuple[str, str]]:
    """(path, text) of files under `prefix` in a bare git dir or a directory."""
    out = []
    if (src / "HEAD").exists() and (src / "objects").exists():
        names = subprocess.run(
            ["git", f"--git-dir={src}", "ls-tree", "-r", "--name-only", "HEAD", "--", prefix],
            check=True, capture_output=True, text=True,
        ).stdout.split("\n")
        for name in names:
            if name.endswith(suffixes):
                text = subprocess.run(
                    ["git", f"--git-dir={src}", "show", f"HEAD:{name}"],
                    check=True, capture_output=True,
                ).stdout.decode("utf-8", "replace")
                out.append((name, text))
    else:
        base = src / prefix
        for p in sorted(base.rglob("*")):
            if p.is_file() and p.name.endswith(suffixes):
                out.append((str(p.relative_to(src)), p.read_text("utf-8", "replace")))
    return out


def has_files(src: Path, prefix: str, suffixes: tuple[str, ...]) -> bool:
    """Whether a bare git dir or a directory holds a file under `prefix`
    ending in one of `suffixes` (names only, nothing read)."""
    if (src / "HEAD").exists() and (src / "objects").exists():
        names = subprocess.run(
            ["git", f"--git-dir={src}", "ls-tree", "-r", "--name-only", "HEAD", "--", prefix],
            check=True, capture_output=True, text=True,
        ).stdout.split("\n")
        return any(name.endswith(suffixes) for name in names)
    base = src / prefix
    return base.is_dir() and any(p.name.endswith(suffixes) for p in base.rglob("*"))


def detect_kind(src: Path) -> tuple[str, str] | None:
    """Which peer a snapshot is: (kind, rules directory)."""
    probes = [
        ("kingfisher", "data/rules", (".yml", ".yaml")),
        ("noseyparker", "crates/noseyparker/data/default/builtin/rules", (".yml", ".yaml")),
        ("gitleaks", "cmd/generate/config/rules", (".go",)),
        ("trufflehog", "pkg/detectors", ("_test.go",)),
    ]
    for kind, prefix, suffixes in probes:
        if has_files(src, prefix, suffixes):
            return kind, prefix
    return None


# ---------------------------------------------------------------- YAML rules


def yaml_cases(src: Path, prefix: str, peer: str):
    import yaml  # noqa: PLC0415 (venv-only dependency)

    for name, text in list_files(src, prefix, (".yml", ".yaml")):
        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError:
            continue
        if not isinstance(doc, dict):
            continue
        for rule in doc.get("rules") or []:
            if not isinstance(rule, dict):
                continue
            rid = str(rule.get("id") or rule.get("name") or Path(name).stem)
            for ex in rule.get("examples") or []:
                if isinstance(ex, str):
                    yield "positive", peer, rid, ex
            for key in ("negative_examples", "non_examples"):
                for ex in rule.get(key) or []:
                    if isinstance(ex, str):
                        yield "negative", peer, rid, ex


# ---------------------------------------------------------------- Go rules
#
# A small evaluator for the expressions the gitleaks-style rule files use to
# build their test cases: string literals, `+`, []string{...}, append(...),
# the utils pattern helpers, secrets.NewSecret(...) and the sample-line
# generators. Anything else evaluates to None and is skipped.

TOKEN_RE = re.compile(
    r"""(?P<ws>[ \t\r]+)|(?P<nl>\n)|(?P<lcom>//[^\n]*)|(?P<bcom>/\*.*?\*/)"""
    r"""|(?P<raw>`[^`]*`)|(?P<str>"(?:[^"\\\n]|\\.)*")|(?P<chr>'(?:[^'\\\n]|\\.)*')"""
    r"""|(?P<num>\d+(?:\.\d+)?)|(?P<ident>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)"""
    r"""|(?P<op>:=|\.\.\.|&&|\|\||==|!=|<=|>=|\+=|[-+*/%(){}\[\],;:=<>!&|.^])""",
    re.S,
)


def go_unquote(s: str) -> str:
    body = s[1:-1]
    out, i = [], 0
    simple = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "'": "'", "a": "\a",
              "b": "\b", "f": "\f", "v": "\v"}
    while i < len(body):
        c = body[i]
        if c != "\\" or i + 1 >= len(body):
            out.append(c)
            i += 1
            continue
        e = body[i + 1]
        if e in simple:
            out.append(simple[e])
            i += 2
        elif e == "x":
            out.append(chr(int(body[i + 2:i + 4], 16)))
            i += 4
        elif e == "u":
            out.append(chr(int(body[i + 2:i + 6], 16)))
            i += 6
        elif e == "U":
            out.append(chr(int(body[i + 2:i + 10], 16)))
            i += 10
        elif e in "01234567":
            out.append(chr(int(body[i + 1:i + 4], 8)))
            i += 4
        else:
            out.append(e)
            i += 2
    return "".join(out)


def tokenize(text: str):
    toks = []
    for m in TOKEN_RE.finditer(text):
        kind = m.lastgroup
        val = m.group()
        if kind in ("ws", "lcom"):
            continue
        if kind == "bcom":
            if "\n" in val:
                toks.append(("nl", "\n"))
            continue
        if kind == "raw":
            toks.append(("str", val[1:-1].replace("\r", "")))
        elif kind == "str":
            try:
                toks.append(("str", go_unquote(val)))
            except ValueError:
                toks.append(("str", val[1:-1]))
        else:
            toks.append((kind, val))
    return toks


class Unknown(Exception):
    pass


def entropy(s: str) -> float:
    if not s:
        return 0.0
    counts = collections.Counter(s)
    return -sum(c / len(s) * math.log2(c / len(s)) for c in counts.values())


class GoEval:
    """Evaluates a rule function body, collecting the rule id and its cases."""

    def __init__(self, toks, rng: random.Random, sample_lines):
        self.toks = toks
        self.i = 0
        self.depth = 0
        self.env: dict[str, object] = {}
        self.rng = rng
        self.sample_lines = sample_lines
        self.rule_id = None
        self.tps = None
        self.fps = None

    # token access; newlines are insignificant inside brackets
    def peek(self, k=0):
        j = self.i
        seen = 0
        while j < len(self.toks):
            t = self.toks[j]
            if t[0] == "nl" and self.depth > 0:
                j += 1
                continue
            if seen == k:
                return t
            seen += 1
            j += 1
        return ("eof", "")

    def next(self):
        while self.i < len(self.toks) and self.toks[self.i][0] == "nl" and self.depth > 0:
            self.i += 1
        t = self.toks[self.i] if self.i < len(self.toks) else ("eof", "")
        self.i += 1
        return t

    def expect(self, val):
        t = self.next()
        if t[1] != val:
            raise Unknown(f"expected {val} got {t}")

    # statements
    def run(self):
        while self.i < len(self.toks):
            start = self.i
            try:
                self.statement()
            except (Unknown, IndexError, ValueError, TypeError, RecursionError):
                self.i = start
                self.depth = 0
                self.skip_statement()

    def skip_statement(self):
        depth = 0
        while self.i < len(self.toks):
            k, v = self.toks[self.i]
            self.i += 1
            if v in "({[" and k == "op":
                depth += 1
            elif v in ")}]" and k == "op":
                depth -= 1
                if depth < 0:
                    return
            elif k == "nl" and depth <= 0:
                return

    def statement(self):
        t = self.peek()
        if t[0] == "nl" or t[1] == ";":
            self.next()
            return
        if t[0] == "ident" and t[1] == "return":
            self.next()
            self.expr()
            return
        if t[0] == "ident" and self.peek(1)[1] in (":=", "="):
            name = self.next()[1]
            self.next()
            val = self.expr()
            if name.endswith(".RuleID") and isinstance(val, str):
                self.rule_id = val
            self.env[name] = val
            if isinstance(val, dict) and "RuleID" in val:
                self.rule_id = val["RuleID"]
            return
        raise Unknown("statement")

    # expressions
    def expr(self):
        v = self.term()
        while self.peek()[1] == "+":
            self.next()
            w = self.term()
            if isinstance(v, str) and isinstance(w, str):
                v = v + w
            else:
                v = None
        return v

    def args(self):
        self.expect("(")
        self.depth += 1
        out, spread = [], False
        while self.peek()[1] != ")":
            out.append(self.expr())
            if self.peek()[1] == "...":
                self.next()
                spread = True
            if self.peek()[1] == ",":
                self.next()
        self.next()
        self.depth -= 1
        return out, spread

    def composite(self):
        """{ elem, key: elem, ... } -> (list, dict)"""
        self.expect("{")
        self.depth += 1
        items, fields = [], {}
        while self.peek()[1] != "}":
            if self.peek()[0] == "ident" and self.peek(1)[1] == ":":
                key = self.next()[1]
                self.next()
                fields[key] = self.expr()
            else:
                items.append(self.expr())
            if self.peek()[1] == ",":
                self.next()
        self.next()
        self.depth -= 1
        return items, fields

    def term(self):
        t = self.next()
        if t[0] == "str":
            return t[1]
        if t[0] == "num":
            return float(t[1]) if "." in t[1] else int(t[1])
        if t[1] == "&":
            return self.term()
        if t[1] == "{":
            self.i -= 1
            items, fields = self.composite()
            return fields if fields else items
        if t[1] == "[":
            # []T{...} or []*T{...}
            self.expect("]")
            while self.peek()[1] in ("*",) or self.peek()[0] == "ident":
                self.next()
                if self.peek()[1] == "{":
                    break
            items, _ = self.composite()
            return items
        if t[0] == "ident":
            name = t[1]
            if name == "nil":
                return None
            if self.peek()[1] == "(":
                args, spread = self.args()
                return self.call(name, args, spread)
            if self.peek()[1] == "{" and "." in name and name[0].islower():
                items, fields = self.composite()
                return fields if fields else items
            return self.env.get(name)
        if t[1] == "(":
            self.depth += 1
            v = self.expr()
            self.expect(")")
            self.depth -= 1
            return v
        raise Unknown(f"term {t}")

    def call(self, name, args, spread):
        short = name.split(".")[-1]
        patterns = {
            "Numeric": "[0-9]{%s}", "Hex": "[a-f0-9]{%s}", "AlphaNumeric": "[a-z0-9]{%s}",
            "AlphaNumericExtendedShort": "[a-z0-9_-]{%s}",
            "AlphaNumericExtended": "[a-z0-9=_\\-]{%s}",
            "AlphaNumericExtendedLong": "[a-z0-9\\/=_\\+\\-]{%s}",
        }
        if name.startswith("utils.") and short in patterns and args:
            return patterns[short] % args[0]
        if short == "Hex8_4_4_4_12":
            return "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
        if name in ("secrets.NewSecret", "secrets.NewSecretWithEntropy"):
            if not args or not isinstance(args[0], str):
                return None
            floor = args[1] if len(args) > 1 and isinstance(args[1], (int, float)) else 0
            return self.sample(args[0], floor)
        if short == "GenerateSampleSecrets" and len(args) == 2:
            ident, secret = args
            if not isinstance(ident, str) or not isinstance(secret, str):
                return None
            return [line.replace("{i}", ident).replace("{I}", ident.upper()).replace("{s}", secret)
                    for line in self.sample_lines]
        if short == "GenerateSampleSecret" and len(args) == 2:
            ident, secret = args
            if not isinstance(ident, str) or not isinstance(secret, str):
                return None
            return f'{ident}_api_token = "{secret}"'
        if name == "append" and args:
            base = list(args[0] or [])
            rest = args[1:]
            if spread and rest:
                for r in rest[:-1]:
                    base.append(r)
                base.extend(rest[-1] or [])
            else:
                base.extend(rest)
            return base
        if name == "strings.Repeat" and len(args) == 2:
            return args[0] * int(args[1]) if isinstance(args[0], str) else None
        if name == "strings.ToUpper" and args and isinstance(args[0], str):
            return args[0].upper()
        if name == "strings.ToLower" and args and isinstance(args[0], str):
            return args[0].lower()
        if name == "fmt.Sprintf" and args and isinstance(args[0], str):
            try:
                return args[0].replace("%v", "%s").replace("%q", '"%s"') % tuple(args[1:])
            except TypeError:
                return None
        if short in ("Validate", "ValidateWithPaths") and len(args) >= 3:
            self.tps, self.fps = args[1], args[2]
            return None
        return None

    def sample(self, pattern: str, floor: float):
        import rstr  # noqa: PLC0415 (venv-only dependency)

        pat = pattern.replace("(?i)", "")
        case_insensitive = "(?i)" in pattern
        gen = rstr.Rstr(self.rng)
        best = None
        for _ in range(40):
            try:
                s = gen.xeger(pat)
            except Exception:  # noqa: BLE001 (any regex Python cannot sample)
                return None
            if case_insensitive:
                s = "".join(c.upper() if c.isalpha() and self.rng.random() < 0.5 else c for c in s)
            if entropy(s) >= floor:
                return s
            best = s
        return best


FUNC_RE = re.compile(r"^func\s+(\w+)\s*\([^)]*\)\s*\*config\.Rule\s*\{", re.M)


def go_sample_lines(src: Path) -> list[str]:
    """The identifier/secret line templates of utils.GenerateSampleSecrets."""
    files = list_files(src, "cmd/generate/config/utils", (".go",))
    for _, text in files:
        m = re.search(r"func GenerateSampleSecrets\(.*?\n\}", text, re.S)
        if not m:
            continue
        body = m.group()
        block = re.search(r"map\[string\]string\{(.*?)\n\t\}", body, re.S)
        if not block:
            continue
        toks = tokenize(block.group(1))
        lines, expect_value = [], False
        for k, v in toks:
            if k == "op" and v == ":":
                expect_value = True
            elif k == "str" and expect_value:
                lines.append(v)
                expect_value = False
            elif k == "op" and v == ",":
                expect_value = False
        if lines:
            return lines
    return ['{i}_token = "{s}"']


def go_cases(src: Path, prefix: str, peer: str, rng: random.Random):
    lines = go_sample_lines(src)
    for name, text in list_files(src, prefix, (".go",)):
        if name.endswith("_test.go"):
            continue
        starts = [m for m in FUNC_RE.finditer(text)]
        for n, m in enumerate(starts):
            end = starts[n + 1].start() if n + 1 < len(starts) else len(text)
            body = text[m.end():end]
            ev = GoEval(tokenize(body), rng, lines)
            ev.run()
            rid = ev.rule_id or m.group(1)
            for label, cases in (("positive", ev.tps), ("negative", ev.fps)):
                for case in cases or []:
                    if isinstance(case, str) and case.strip():
                        yield label, peer, rid, case


# ---------------------------------------------------------------- TruffleHog tests
#
# TruffleHog's detectors (`pkg/detectors/<name>/[vN/]<name>_test.go`) test
# their patterns with a table `tests := []struct{ name, input string; want
# []string }`, the inputs often built from package-level strings
# (`validPattern`, `invalidPattern`, a keyword) and `fmt.Sprintf`. The same
# evaluator reads them, strictly: a name it cannot resolve drops the case
# instead of guessing. A case whose `want` lists a secret is a positive; one
# whose `want` is nil or empty (the detector finds nothing) a negative.


class StrictGoEval(GoEval):
    """GoEval where an unknown identifier is an error, not None."""

    def term(self):
        t = self.peek()
        if t[0] == "ident" and self.peek(1)[1] not in ("(", "{"):
            self.next()
            if t[1] == "nil":
                return None
            if t[1] in ("true", "false"):
                return t[1] == "true"
            if t[1] in self.env:
                return self.env[t[1]]
            raise Unknown(f"name {t[1]}")
        return super().term()


def matching_close(toks, i: int) -> int:
    """Index of the bracket closing the one at toks[i]."""
    depth = 0
    for j in range(i, len(toks)):
        k, v = toks[j]
        if k == "op" and v in "({[":
            depth += 1
        elif k == "op" and v in ")}]":
            depth -= 1
            if depth == 0:
                return j
    return len(toks) - 1


def th_detector(name: str) -> str | None:
    """`pkg/detectors/<name>/[vN/]x_test.go` -> `<name>` or `<name>-vN`."""
    parts = name.split("/")
    if len(parts) < 4 or parts[:2] != ["pkg", "detectors"]:
        return None
    det = parts[2]
    if len(parts) > 4 and re.fullmatch(r"v\d+", parts[3]):
        det += "-" + parts[3]
    return det


def th_file_cases(toks, rng: random.Random):
    """(label, input) of the pattern-test tables of one test file."""
    ev = StrictGoEval(toks, rng, [])
    # Declarations anywhere (package-level var/const blocks, `x := ...` in
    # the test function), in order; the ones that do not evaluate are left out.
    for j in range(len(toks) - 2):
        k, v = toks[j]
        prev = toks[j - 1] if j else ("nl", "")
        if k != "ident" or toks[j + 1][1] not in ("=", ":="):
            continue
        if not (prev[0] == "nl" or prev[1] in ("(", "var", "const")):
            continue
        ev.i, ev.depth = j + 2, 0
        try:
            val = ev.expr()
        except (Unknown, IndexError, ValueError, TypeError, RecursionError):
            continue
        if isinstance(val, (str, list)):
            ev.env[v] = val
    for j in range(len(toks) - 5):
        if not (toks[j][0] == "ident" and toks[j + 1][1] == ":=" and toks[j + 2][1] == "["
                and toks[j + 3][1] == "]" and toks[j + 4][1] == "struct" and toks[j + 5][1] == "{"):
            continue
        end_type = matching_close(toks, j + 5)
        fields = [v for k, v in toks[j + 6:end_type] if k == "ident"]
        if "input" not in fields or "want" not in fields:
            continue
        want_at = fields.index("want")
        if fields[want_at + 1:want_at + 2] != ["string"]:
            continue
        start = end_type + 1
        while start < len(toks) and toks[start][0] == "nl":
            start += 1
        if start >= len(toks) or toks[start][1] != "{":
            continue
        end_table = matching_close(toks, start)
        i = start + 1
        while i < end_table:
            if toks[i][1] != "{":
                i += 1
                continue
            close = matching_close(toks, i)
            ev.i, ev.depth = i, 0
            try:
                _, item = ev.composite()
            except (Unknown, IndexError, ValueError, TypeError, RecursionError):
                item = None
            i = close + 1
            if not isinstance(item, dict) or not isinstance(item.get("input"), str):
                continue
            want = item.get("want")
            if isinstance(want, list) and want:
                yield "positive", item["input"]
            elif not want:
                yield "negative", item["input"]


def th_cases(src: Path, prefix: str, peer: str, rng: random.Random):
    for name, text in list_files(src, prefix, ("_test.go",)):
        det = th_detector(name)
        if det is None or name.endswith("_integration_test.go"):
            continue
        for label, case in th_file_cases(tokenize(text), rng):
            if case.strip():
                yield label, peer, det, case


# ---------------------------------------------------------------- extract


def safe_name(s: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", s).strip("-")[:80] or "rule"


def cmd_extract(args):
    rng = random.Random(SEED)
    sets: dict[str, list] = {"yaml": [], "go": [], "th": []}
    for src in args.sources:
        src = Path(src)
        found = detect_kind(src)
        if not found:
            print(f"skip {src}: no peer rules found", file=sys.stderr)
            continue
        kind, prefix = found
        peer = kind
        if kind == "gitleaks" and "betterleaks" in str(src):
            peer = "betterleaks"
        if kind == "gitleaks":
            cases = list(go_cases(src, prefix, peer, rng))
            sets["go"].extend(cases)
        elif kind == "trufflehog":
            cases = list(th_cases(src, prefix, peer, rng))
            sets["th"].extend(cases)
        else:
            cases = list(yaml_cases(src, prefix, peer))
            sets["yaml"].extend(cases)
        print(f"{src}: {peer}: {sum(c[0] == 'positive' for c in cases)} positive, "
              f"{sum(c[0] == 'negative' for c in cases)} negative", file=sys.stderr)
    for set_name, cases in sets.items():
        if not cases:
            continue
        root = Path(args.out) / set_name
        if root.exists():
            shutil.rmtree(root)
        seen = set()
        counters = collections.Counter()
        with_labels = []
        for label, peer, rid, text in cases:
            key = (label, text)
            if key in seen:
                continue
            seen.add(key)
            provider = safe_name(rid)
            counters[(label, provider)] += 1
            rel = Path(label) / f"{provider}__{counters[(label, provider)]}.txt"
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
            with_labels.append({"path": str(rel), "label": label, "source": peer, "rule": rid})
        with open(root / "labels.jsonl", "w", encoding="utf-8") as f:
            for row in with_labels:
                f.write(json.dumps(row) + "\n")
        pos = sum(r["label"] == "positive" for r in with_labels)
        print(f"set {set_name}: {pos} positive, {len(with_labels) - pos} negative -> {root}")


# ---------------------------------------------------------------- run

PEER_GENERIC = re.compile(r"(^|[.-])(generic|high-entropy|entropy|password|secret-assignment)", re.I)


def is_generic_peer_rule(rid: str) -> bool:
    return bool(PEER_GENERIC.search(rid)) or rid in ("generic-api-key",)


def keepmum_generic_ids(repo: Path) -> set[str]:
    ids = {"high-entropy-string"}
    generic = repo / "crates/keepmum/rules/generic.toml"
    if generic.exists():
        ids |= set(re.findall(r'^id\s*=\s*"([^"]+)"', generic.read_text(), re.M))
    return ids


def is_generic_keepmum_rule(rid: str, generic_ids: set[str]) -> bool:
    return rid in generic_ids or rid.startswith("generic-")


def rel_to(path: str, root: Path) -> str | None:
    try:
        return str(Path(os.path.realpath(path)).relative_to(os.path.realpath(root)))
    except ValueError:
        return None


def scan_keepmum(binary: str, root: Path, config: str | None = None) -> dict[str, set[str]]:
    extra = ["--config", config] if config else []
    proc = subprocess.run([binary, "scan", "--format", "json", *extra, str(root)],
                          capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"keepmum failed ({proc.returncode}): {proc.stderr.strip()[:400]}")
    doc = json.loads(proc.stdout)
    hits: dict[str, set[str]] = collections.defaultdict(set)
    for f in doc.get("findings", []):
        path = f.get("path") or f.get("file") or ""
        rel = rel_to(path if os.path.isabs(path) else os.path.join(os.getcwd(), path), root)
        if rel is None:
            rel = rel_to(os.path.join(root, path), root)
        if rel:
            hits[rel].add(f.get("rule_id") or f.get("rule") or "?")
    return hits


def offline(cmd: list[str]) -> list[str]:
    if shutil.which("unshare") and subprocess.run(["unshare", "-n", "true"],
                                                  capture_output=True).returncode == 0:
        return ["unshare", "-n", *cmd]
    return cmd


def scan_betterleaks(binary: str, root: Path) -> dict[str, set[str]]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run(offline([binary, "fs", str(root), "--no-banner", "--exit-code", "0",
                                "-l", "error", "-o", str(report)]),
                       capture_output=True, text=True)
        data = json.loads(report.read_text() or "[]") if report.exists() else []
    rows = data.get("findings", []) if isinstance(data, dict) else data
    hits: dict[str, set[str]] = collections.defaultdict(set)
    for f in rows or []:
        path = f.get("File") or (f.get("location") or {}).get("path", "")
        rel = rel_to(path, root)
        if rel:
            hits[rel].add(f.get("RuleID") or f.get("rule_id") or "?")
    return hits


def kingfisher_rules(src: Path, out: Path) -> Path:
    """Kingfisher's own rules (`data/rules/*.yml` of a checkout) for the
    installed release: the PyPI build loads only its Betterleaks and Veles
    rules (488), none of `data/rules`, and its parser rejects the newer
    files' validation blocks, which `--no-validate` never uses anyway; they
    are dropped in a copy under `out`."""
    import yaml
    dest = out / "kingfisher-rules"
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for path in sorted(src.glob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(doc, dict) or not isinstance(doc.get("rules"), list):
            continue
        for rule in doc["rules"]:
            for key in ("validation", "revocation", "depends_on_rule", "tls_mode"):
                rule.pop(key, None)
        (dest / path.name).write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return dest


def scan_kingfisher(binary: str, root: Path, rules: Path | None = None) -> dict[str, set[str]]:
    extra = ["--rules-path", str(rules)] if rules else []
    proc = subprocess.run(offline([binary, "scan", str(root), "--no-validate", "--no-dedup", "--format", "json",
                                   "--no-update-check", *extra]), capture_output=True, text=True)
    if not proc.stdout.strip():
        proc = subprocess.run(offline([binary, "scan", str(root), "--no-validate", "--format",
                                       "json"]), capture_output=True, text=True)
    hits: dict[str, set[str]] = collections.defaultdict(set)
    text = proc.stdout.strip()
    start = text.find("{")
    try:
        data, _ = json.JSONDecoder().raw_decode(text[start:]) if start >= 0 else ({}, 0)
    except json.JSONDecodeError:
        data = {}
    rows = data if isinstance(data, list) else data.get("findings", [])
    for row in rows:
        rule = row.get("rule", {}) if isinstance(row.get("rule"), dict) else {}
        fnd = row.get("finding", row)
        path = fnd.get("path") or row.get("path") or ""
        rel = rel_to(path, root)
        if rel:
            hits[rel].add(rule.get("id") or rule.get("name") or "?")
    return hits


def find_tool(name: str, venv: Path) -> str | None:
    cand = venv / "bin" / name
    if cand.exists():
        return str(cand)
    return shutil.which(name)


def cmd_run(args):
    repo = Path(__file__).resolve().parents[2]
    generic_ids = keepmum_generic_ids(repo)
    venv = Path(args.out) / "venv"
    tools = {"keepmum": lambda root: scan_keepmum(args.keepmum, root, args.config)}
    if not args.keepmum_only:
        bl = find_tool("betterleaks", venv)
        if bl:
            tools["betterleaks"] = lambda root, bl=bl: scan_betterleaks(bl, root)
        kf = find_tool("kingfisher", venv)
        if kf:
            tools["kingfisher"] = lambda root, kf=kf: scan_kingfisher(kf, root)
            if args.kingfisher_rules:
                rules = kingfisher_rules(Path(args.kingfisher_rules), Path(args.out))
                tools["kingfisher+own"] = lambda root, kf=kf, rules=rules: scan_kingfisher(kf, root, rules)
    generic_of = {
        "keepmum": lambda r: is_generic_keepmum_rule(r, generic_ids),
        "betterleaks": is_generic_peer_rule,
        "kingfisher": is_generic_peer_rule,
        "kingfisher+own": is_generic_peer_rule,
    }
    for set_name in args.sets:
        root = Path(args.out) / set_name
        labels_file = root / "labels.jsonl"
        if not labels_file.exists():
            print(f"{set_name}: no labels (run extract first)")
            continue
        labels = [json.loads(line) for line in labels_file.open()]
        pos = [r for r in labels if r["label"] == "positive"]
        neg = [r for r in labels if r["label"] == "negative"]
        prov = [r for r in pos if not is_generic_peer_rule(r["rule"])]
        # A negative of one peer rule whose text is, byte for byte, a positive
        # of another (Nosey Parker lists its Slack user tokens as negatives of
        # its bot-token rule): no tool can be right on both, so these are
        # counted apart (`conflicts`) and left out of `FP*`.
        pos_texts = {(root / r["path"]).read_bytes().strip() for r in pos}
        conflicts = {r["path"] for r in neg
                     if (root / r["path"]).read_bytes().strip() in pos_texts}
        print(f"\nset {set_name}: {len(pos)} positive ({len(prov)} from provider rules), "
              f"{len(neg)} negative ({len(conflicts)} also a positive)")
        print(f"  {'tool':<15} {'recall':>7} {'provider-only':>14} {'FP':>5} {'FP rate':>8} {'FP*':>5}")
        for tool, scan in tools.items():
            hits = scan(root)
            generic = generic_of[tool]
            found = sum(1 for r in pos if hits.get(r["path"]))
            prov_found = sum(1 for r in prov
                             if any(not generic(x) for x in hits.get(r["path"], ())))
            fps = sum(1 for r in neg if hits.get(r["path"]))
            fps_clean = sum(1 for r in neg if hits.get(r["path"]) and r["path"] not in conflicts)
            print(f"  {tool:<15} {found / max(len(pos), 1):>7.3f} "
                  f"{prov_found / max(len(prov), 1):>14.3f} {fps:>5} "
                  f"{fps / max(len(neg), 1):>8.3f} {fps_clean:>5}")
            if tool == "keepmum":
                misses = collections.Counter()
                examples = {}
                for r in prov:
                    if not any(not generic(x) for x in hits.get(r["path"], ())):
                        misses[r["rule"]] += 1
                        examples.setdefault(r["rule"], r["path"])
                fp_rules = collections.Counter()
                fp_files = []
                for r in neg:
                    for x in hits.get(r["path"], ()):
                        fp_rules[x] += 1
                    if hits.get(r["path"]):
                        mark = "  (also a positive)" if r["path"] in conflicts else ""
                        fp_files.append(f"{r['path']}  {' '.join(sorted(hits[r['path']]))}{mark}")
                with open(root / "keepmum-misses.txt", "w", encoding="utf-8") as f:
                    f.write("# provider-rule positives keepmum found with no provider rule\n")
                    f.write("# count  peer-rule  example-file\n")
                    for rule, n in misses.most_common():
                        f.write(f"{n:5d}  {rule}  {examples[rule]}\n")
                    f.write("\n# keepmum rules firing on negatives\n")
                    for rule, n in fp_rules.most_common():
                        f.write(f"{n:5d}  {rule}\n")
                    f.write("\n# negative files with a finding\n")
                    for line in fp_files:
                        f.write(line + "\n")


def cmd_cut(args):
    """Wrong-length variants of the positives, the peers' most common kind of
    negative (`<provider>_token = <a positive cut by a character>`): every
    value a keepmum provider rule finds in a positive file is cut by one or
    three characters or lengthened by one, in a copy of the file under
    `<set>/cut/`, and keepmum scans the copies. Printed: how many variants
    still draw a generic finding (`generic-*`, `high-entropy-string`), per
    kind, and the peer rules with the most. Not labels: a provider whose
    tokens vary in length keeps some variants as real shapes."""
    repo = Path(__file__).resolve().parents[2]
    generic_ids = keepmum_generic_ids(repo)
    for set_name in args.sets:
        root = Path(args.out) / set_name
        out = root / "cut"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        doc = json.loads(subprocess.run(
            [args.keepmum, "scan", "--format", "json", "--show-secrets", str(root / "positive")],
            capture_output=True, text=True).stdout)
        made = collections.Counter()
        for f in doc.get("findings", []):
            if is_generic_keepmum_rule(f["rule_id"], generic_ids):
                continue
            path = Path(f["path"])
            text = path.read_bytes()
            start, end = f["start_offset"], f["end_offset"]
            value = text[start:end]
            if len(value) < 12:
                continue
            for kind, new in (("cut1", value[:-1]), ("cut3", value[:-3]), ("add1", value + value[-2:-1])):
                name = f"{path.stem}__{f['rule_id']}__{start}__{kind}.txt"
                (out / name).write_bytes(text[:start] + new + text[end:])
                made[kind] += 1
        hits = scan_keepmum(args.keepmum, out)
        flagged = collections.Counter()
        peers = collections.Counter()
        for rel, rules in hits.items():
            if any(is_generic_keepmum_rule(r, generic_ids) for r in rules):
                kind = rel.rsplit("__", 1)[-1].removesuffix(".txt")
                flagged[kind] += 1
                peers[rel.split("__", 1)[0]] += 1
        print(f"\nset {set_name}: variants with a generic finding")
        for kind in ("cut1", "cut3", "add1"):
            print(f"  {kind}  {flagged[kind]:6d} of {made[kind]}")
        for peer, n in peers.most_common(args.top):
            print(f"  {n:5d}  {peer}")
        if not args.keep:
            shutil.rmtree(out, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(DEFAULT_OUT), help="data directory (default %(default)s)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    ex = sub.add_parser("extract", help="write labelled sets from peer snapshots")
    ex.add_argument("sources", nargs="+", help="bare git dirs or checkouts of the peers")
    ex.set_defaults(func=cmd_extract)
    rn = sub.add_parser("run", help="scan the sets and print recall and false positives")
    rn.add_argument("--keepmum", default="target/release/keepmum", help="keepmum binary")
    rn.add_argument("--keepmum-only", action="store_true", help="skip the peers")
    rn.add_argument("--config", help="keepmum configuration (e.g. candidate custom rules)")
    rn.add_argument("--kingfisher-rules", metavar="DIR",
                    help="Kingfisher's data/rules from a checkout: adds a `kingfisher+own` column "
                         "with them loaded (the PyPI release loads none of its own rules)")
    rn.add_argument("sets", nargs="*", default=["yaml", "go"])
    rn.set_defaults(func=cmd_run)
    ct = sub.add_parser("cut", help="count generic findings on wrong-length variants of the positives")
    ct.add_argument("--keepmum", default="target/release/keepmum", help="keepmum binary")
    ct.add_argument("--top", type=int, default=15, help="peer rules to list (default %(default)s)")
    ct.add_argument("--keep", action="store_true", help="keep the variants under <set>/cut/")
    ct.add_argument("sets", nargs="*", default=["yaml", "go"])
    ct.set_defaults(func=cmd_cut)
    args = ap.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
