#!/usr/bin/env python3
"""Writes a deterministic synthetic git history as a `git fast-import` stream.

usage: make_history.py N_COMMITS > stream

A tree of ~2,000 source-like files evolves over N commits (each commit edits
a few files). Every 997th commit plants a fake, format-valid token that a
later commit removes, so a history scan has something to find. All values
are generated; none is a real credential.
"""
import random
import sys

WORDS = ("config value handler request response buffer index result error token_count "
         "user_id session cache client server retry timeout payload schema record "
         "parse render build deploy module import export return async await struct").split()


def line(rng):
    k = rng.randrange(6)
    w = lambda: rng.choice(WORDS)
    if k == 0:
        return f"def {w()}_{w()}({w()}, {w()}={rng.randrange(1000)}):"
    if k == 1:
        return f"    {w()} = {w()}.{w()}({w()}, \"{w()} {w()}\")"
    if k == 2:
        return f"    # {w()} the {w()} before {w()} ({rng.randrange(10**6)})"
    if k == 3:
        return f"const {w().upper()}_{w().upper()} = {rng.randrange(1 << 20)};"
    if k == 4:
        return f"  {w()}: {w()}-{rng.randrange(100)}"
    return f"    if {w()} is not None and {w()} > {rng.randrange(50)}: return {w()}"


def fake_token(rng):
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return "gh" + "p_" + "".join(rng.choice(alphabet) for _ in range(36))


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    rng = random.Random(1234)
    files = {f"src/{rng.choice(WORDS)}/{i:04d}_{rng.choice(WORDS)}.py": [line(rng) for _ in range(rng.randrange(40, 400))]
             for i in range(2000)}
    names = sorted(files)
    out = sys.stdout.buffer
    t = 1_600_000_000
    planted = {}
    for c in range(n):
        touched = set(rng.sample(names, 3))
        if c % 997 == 0:
            victim = rng.choice(names)
            files[victim].insert(rng.randrange(len(files[victim])), f"API_TOKEN = \"{fake_token(rng)}\"")
            planted[victim] = c
            touched.add(victim)
        for v, when in list(planted.items()):
            if c - when == 50:
                files[v] = [l for l in files[v] if "API_TOKEN" not in l]
                del planted[v]
                touched.add(v)
        for name in touched:
            body = files[name]
            for _ in range(rng.randrange(1, 6)):
                body.insert(rng.randrange(len(body) + 1), line(rng))
        t += rng.randrange(60, 3600)
        msg = f"change {c}: {rng.choice(WORDS)} {rng.choice(WORDS)}\n".encode()
        out.write(b"commit refs/heads/main\n")
        out.write(f"author Bench Author <bench@dev.invalid> {t} +0000\n".encode())
        out.write(f"committer Bench Author <bench@dev.invalid> {t} +0000\n".encode())
        out.write(b"data %d\n" % len(msg) + msg)
        if c == 0:
            touched = set(names)
        for name in sorted(touched):
            data = ("\n".join(files[name]) + "\n").encode()
            out.write(f"M 100644 inline {name}\n".encode())
            out.write(b"data %d\n" % len(data) + data)
        out.write(b"\n")


if __name__ == "__main__":
    main()
