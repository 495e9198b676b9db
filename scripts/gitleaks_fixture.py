#!/usr/bin/env python3
"""Writes a synthetic fixture tree for the gitleaks compatibility suite.

For every `[[rules]]` entry of a gitleaks configuration, a few strings are
*generated from the rule's own regex* (random characters drawn from each
class, so the values are synthetic yet real-shaped) and written one per
file, next to a comment line naming the rule's keywords. Rules with a
`path` get a file name generated from that regex too. Nothing here knows
any token format: the configuration given on the command line is the only
source of shapes.

Usage: gitleaks_fixture.py CONFIG.toml OUT_DIR [SAMPLES_PER_RULE]
"""

import random
import re
import sys
import tomllib

try:
    import re._parser as sre  # Python >= 3.11
    from re._constants import MAXREPEAT
except ImportError:  # pragma: no cover
    import sre_parse as sre
    from sre_constants import MAXREPEAT

ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
CATEGORY = {
    "CATEGORY_DIGIT": "0123456789",
    "CATEGORY_WORD": ALNUM + "_",
    "CATEGORY_SPACE": " ",
    "CATEGORY_NOT_DIGIT": "abcdefXYZ",
    "CATEGORY_NOT_WORD": "-.:",
    "CATEGORY_NOT_SPACE": ALNUM,
}


def class_members(items):
    """Characters an IN node may produce (a printable subset)."""
    negate = False
    chars = []
    for op, av in items:
        name = str(op)
        if name == "NEGATE":
            negate = True
        elif name == "LITERAL":
            chars.append(chr(av))
        elif name == "RANGE":
            lo, hi = av
            chars.extend(chr(c) for c in range(lo, min(hi, lo + 94) + 1))
        elif name == "CATEGORY":
            chars.extend(CATEGORY.get(str(av), ALNUM))
    if negate:
        banned = set(chars)
        return [c for c in ALNUM if c not in banned] or ["~"]
    # Prefer printable characters that are not line breaks.
    printable = [c for c in chars if c.isprintable() and c not in "\r\n"]
    return printable or chars or ["a"]


def gen(node, rng, groups):
    out = []
    for op, av in node:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(av))
        elif name == "NOT_LITERAL":
            out.append("a" if chr(av) != "a" else "b")
        elif name == "ANY":
            out.append(rng.choice(ALNUM))
        elif name == "IN":
            out.append(rng.choice(class_members(av)))
        elif name == "BRANCH":
            out.append(gen(rng.choice(av[1]), rng, groups))
        elif name == "SUBPATTERN":
            group, _add, _del, sub = av
            text = gen(sub, rng, groups)
            if group is not None:
                groups[group] = text
            out.append(text)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            lo, hi, sub = av
            if hi == MAXREPEAT:
                hi = lo + 24
            # Delimiter runs stay short; value runs get some length.
            n = lo if lo > 0 else rng.choice([0, 0, 1])
            n = min(max(n, rng.randint(lo, min(hi, lo + 6))), hi)
            out.append("".join(gen(sub, rng, groups) for _ in range(n)))
        elif name == "GROUPREF":
            out.append(groups.get(av, ""))
        elif name in ("AT", "ASSERT", "ASSERT_NOT"):
            pass
        elif name == "ATOMIC_GROUP":
            out.append(gen(av, rng, groups))
        elif name == "GROUPREF_EXISTS":
            out.append(gen(av[1], rng, groups))
    return "".join(out)


def to_python(go_regex):
    """Enough of Go's RE2 syntax for Python's parser: inline flags anywhere."""
    flags = set()

    def lift(m):
        flags.update(m.group(1))
        return ""

    body = re.sub(r"\(\?([imsU]+)\)", lift, go_regex)
    body = body.replace(r"\z", r"\Z")
    flags.discard("U")
    return ("(?" + "".join(sorted(flags)) + ")" if flags else "") + body


def sample(go_regex, rng):
    try:
        tree = sre.parse(to_python(go_regex))
    except Exception:  # noqa: BLE001 - an unparsable rule just gets no sample
        return None
    return gen(tree, rng, {})


def safe_path(p):
    p = p.replace("\\", "/").replace("\n", "").replace("\r", "")
    parts = [s for s in p.split("/") if s not in ("", ".", "..")]
    parts = [re.sub(r"[^A-Za-z0-9._-]", "_", s) for s in parts]
    return "/".join(parts) or "file.txt"


def main():
    config, out_dir = sys.argv[1], sys.argv[2]
    per_rule = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    with open(config, "rb") as f:
        cfg = tomllib.load(f)
    import os

    written = 0
    for rule in cfg.get("rules", []):
        rid = rule.get("id", "rule")
        regex = rule.get("regex")
        if not regex:
            continue
        keywords = " ".join(rule.get("keywords", []))
        for n in range(per_rule):
            rng = random.Random(f"{rid}/{n}")
            text = sample(regex, rng)
            if text is None:
                continue
            name = f"sample{n}.txt"
            if rule.get("path"):
                name = safe_path(sample(rule["path"], rng) or name)
            path = os.path.join(out_dir, rid, str(n), name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8", errors="replace") as f:
                f.write(f"# {keywords}\n{text}\n")
            written += 1
    print(f"wrote {written} sample files", file=sys.stderr)


if __name__ == "__main__":
    main()
