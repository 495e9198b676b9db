"""Real text for the Python checks: the files of a few pinned PyPI sdists,
downloaded once (sha256-checked) into a cache directory, one string per
file. Used by check_recipes.py."""

import hashlib
import json
import os
import tarfile
import urllib.parse
import urllib.request

# name, version: small, popular, pure-Python sdists (real code, docs, tests).
SDISTS = [("requests", "2.32.3"), ("click", "8.1.7"), ("idna", "3.10")]


def _sdist(name, version, cache):
    path = os.path.join(cache, f"{name}-{version}.tar.gz")
    if not os.path.exists(path):
        with urllib.request.urlopen(f"https://pypi.org/pypi/{name}/json", timeout=60) as r:
            meta = json.load(r)
        (entry,) = [u for u in meta["releases"][version] if u["packagetype"] == "sdist"]
        url = urllib.parse.urljoin(f"https://pypi.org/pypi/{name}/json", entry["url"])
        with urllib.request.urlopen(url, timeout=120) as r:
            data = r.read()
        if hashlib.sha256(data).hexdigest() != entry["digests"]["sha256"]:
            raise SystemExit(f"{name} {version}: sha256 mismatch")
        os.makedirs(cache, exist_ok=True)
        with open(path + ".part", "wb") as f:
            f.write(data)
        os.replace(path + ".part", path)
    return path


def documents(cache, max_bytes=512 << 10):
    """[(path, text)] for every UTF-8 text file of the pinned sdists."""
    docs = []
    for name, version in SDISTS:
        with tarfile.open(_sdist(name, version, cache)) as tar:
            for member in sorted(tar.getmembers(), key=lambda m: m.name):
                if not member.isfile() or member.size == 0 or member.size > max_bytes:
                    continue
                raw = tar.extractfile(member).read()
                if b"\0" in raw:
                    continue
                try:
                    docs.append((member.name, raw.decode("utf-8")))
                except UnicodeDecodeError:
                    continue
    return docs
