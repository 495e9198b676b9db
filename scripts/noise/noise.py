#!/usr/bin/env python3
"""Real-code noise harness: how much keepmum says on ordinary package sources.

Subcommands:
  fetch   download the pinned packages of packages.txt (crates.io .crate files,
          PyPI sdists, npm tarballs) into the corpus cache and extract each one
          into its own tree: <corpus>/tree/<ecosystem>/<name>-<version>/.
  scan    run `keepmum scan --format json` over the extracted trees and print
          findings per rule per 100 MB, the labelled verdicts, and every
          finding not yet labelled in labels.tsv (exit 1 if any).

  repos   scan the checkouts of the public repositories pinned in repos.txt
          (one tree per repository, as a user scans it: default options)
          and compare with the hand labels of repos.tsv: findings not yet
          labelled, and labelled findings gone (exit 1 if any finding is
          unlabelled or a credential or test key is no longer found).

The corpus lives outside the repository: $KEEPMUM_CORPUS_DIR, else
~/.cache/keepmum/real-corpus. Nothing downloaded is ever committed.
Only the standard library is used; downloads go to the registries' own
HTTP endpoints, checked against the registry's sha256 where it gives one.
"""

import argparse
import concurrent.futures
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGES = HERE / "packages.txt"
LABELS = HERE / "labels.tsv"
REPOS = HERE / "repos.txt"
REPO_LABELS = HERE / "repos.tsv"
LABEL_KINDS = ("credential", "test-key", "not-credential")
USER_AGENT = "keepmum-noise-harness (pinned corpus fetch)"


def corpus_dir():
    env = os.environ.get("KEEPMUM_CORPUS_DIR")
    if env:
        return Path(env)
    return Path.home() / ".cache" / "keepmum" / "real-corpus"


def read_packages():
    packages = []
    for number, line in enumerate(PACKAGES.read_text().splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 3 or parts[0] not in ("crates", "pypi", "npm"):
            sys.exit(f"{PACKAGES}:{number}: want '<crates|pypi|npm> <name> <version>'")
        packages.append(tuple(parts))
    return packages


def tree_name(name, version):
    return f"{name.replace('/', '__').lstrip('@')}-{version}"


def http_get(url, accept=None):
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    if accept:
        request.add_header("Accept", accept)
    with urllib.request.urlopen(request, timeout=120) as response:
        return response.read()


def locate(ecosystem, name, version):
    """Returns (download url, file name, expected sha256 or None)."""
    if ecosystem == "crates":
        file = f"{name}-{version}.crate"
        return f"https://static.crates.io/crates/{name}/{file}", file, None
    if ecosystem == "npm":
        meta = json.loads(http_get(f"https://registry.npmjs.org/{name}/{version}"))
        url = meta["dist"]["tarball"]
        return url, url.rsplit("/", 1)[1], None
    # PyPI: the simple index (JSON form) lists every file with its sha256.
    index = json.loads(
        http_get(f"https://pypi.org/simple/{name}/", "application/vnd.pypi.simple.v1+json")
    )
    normal = name.lower().replace("-", "_").replace(".", "_")
    for entry in index["files"]:
        file = entry["filename"]
        stem = file.lower().replace("-", "_").replace(".", "_")
        if file.endswith((".tar.gz", ".zip")) and stem.startswith(f"{normal}_{version.replace('.', '_')}_"):
            return entry["url"], file, entry.get("hashes", {}).get("sha256")
    raise LookupError(f"no sdist of {name}=={version} on PyPI")


def safe_extract(archive, destination):
    destination.mkdir(parents=True, exist_ok=True)
    if archive.name.endswith(".zip"):
        import zipfile

        with zipfile.ZipFile(archive) as zipped:
            for member in zipped.infolist():
                target = (destination / member.filename).resolve()
                if destination.resolve() not in target.parents and target != destination.resolve():
                    raise ValueError(f"unsafe path in {archive.name}: {member.filename}")
            zipped.extractall(destination)
        return
    with tarfile.open(archive) as tar:
        tar.extractall(destination, filter="data")


def fetch_one(root, ecosystem, name, version):
    tree = root / "tree" / ecosystem / tree_name(name, version)
    if tree.is_dir():
        return "cached"
    downloads = root / "downloads" / ecosystem
    downloads.mkdir(parents=True, exist_ok=True)
    url, file, sha256 = locate(ecosystem, name, version)
    archive = downloads / file.replace("/", "__")
    if not archive.is_file():
        data = http_get(url)
        if sha256 and hashlib.sha256(data).hexdigest() != sha256:
            raise ValueError(f"sha256 mismatch for {file}")
        partial = archive.with_suffix(archive.suffix + ".part")
        partial.write_bytes(data)
        partial.replace(archive)
    staging = tree.with_name(tree.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    safe_extract(archive, staging)
    staging.replace(tree)
    return "fetched"


def cmd_fetch(args):
    root = corpus_dir()
    packages = read_packages()
    failures = []
    counts = {"cached": 0, "fetched": 0}
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        jobs = {pool.submit(fetch_one, root, *p): p for p in packages}
        for job in concurrent.futures.as_completed(jobs):
            ecosystem, name, version = jobs[job]
            try:
                counts[job.result()] += 1
            except Exception as error:  # report every failure, keep going
                failures.append(f"{ecosystem} {name} {version}: {error}")
    for failure in sorted(failures):
        print(f"fetch failed: {failure}", file=sys.stderr)
    print(
        f"{len(packages)} packages: {counts['fetched']} fetched, {counts['cached']} cached, "
        f"{len(failures)} failed; corpus at {root}"
    )
    return 1 if len(failures) > len(packages) // 10 else 0


def read_labels():
    labels = {}
    if not LABELS.is_file():
        return labels
    for number, line in enumerate(LABELS.read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 5 or fields[3] not in LABEL_KINDS:
            sys.exit(f"{LABELS}:{number}: want fingerprint, rule, path, label ({'|'.join(LABEL_KINDS)}), why")
        labels[fields[0]] = (fields[3], fields[4])
    return labels


def run_scan(keepmum, tree, extra):
    if os.sep in keepmum:
        keepmum = str(Path(keepmum).resolve())
    command = [keepmum, "scan", "--format", "json", "--no-ignore", *extra, "."]
    done = subprocess.run(command, cwd=tree, capture_output=True)
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.decode(errors='replace')}")
    return json.loads(done.stdout)


def cmd_scan(args):
    tree = corpus_dir() / "tree"
    if not tree.is_dir():
        sys.exit(f"no corpus at {tree}: run `{sys.argv[0]} fetch` first")
    report = run_scan(args.keepmum, tree, args.scan_arg or [])
    findings = report["findings"]
    megabytes = report["stats"]["bytes"] / 1e6
    per100 = 100.0 / megabytes if megabytes else 0.0
    labels = read_labels()

    by_rule = {}
    noise_by_rule = {}
    verdicts = {kind: 0 for kind in LABEL_KINDS}
    unlabelled = []
    for finding in findings:
        by_rule[finding["rule_id"]] = by_rule.get(finding["rule_id"], 0) + 1
        label = labels.get(finding["fingerprint"])
        if label:
            verdicts[label[0]] += 1
            if label[0] == "not-credential":
                noise_by_rule[finding["rule_id"]] = noise_by_rule.get(finding["rule_id"], 0) + 1
        else:
            unlabelled.append(finding)

    if args.json:
        json.dump(
            {
                "files": report["stats"]["files"],
                "bytes": report["stats"]["bytes"],
                "findings": len(findings),
                "by_rule": by_rule,
                "per_100mb": {rule: round(n * per100, 2) for rule, n in by_rule.items()},
                "not_credential_per_100mb": {
                    rule: round(n * per100, 2) for rule, n in noise_by_rule.items()
                },
                "verdicts": verdicts,
                "unlabelled": len(unlabelled),
            },
            sys.stdout,
            indent=1,
            sort_keys=True,
        )
        print()
    else:
        print(f"scanned {report['stats']['files']} files, {megabytes:.1f} MB; {len(findings)} findings "
              f"({len(findings) * per100:.2f} per 100 MB)")
        print(f"  {'rule':40} {'all':>6}  {'per 100 MB':>10}  {'not-credential':>14}  {'per 100 MB':>10}")
        for rule, n in sorted(by_rule.items(), key=lambda item: (-item[1], item[0])):
            noise = noise_by_rule.get(rule, 0)
            print(f"  {rule:40} {n:6}  {n * per100:10.2f}  {noise:14}  {noise * per100:10.2f}")
        print("labelled: " + ", ".join(f"{kind} {n}" for kind, n in verdicts.items())
              + f"; non-credential per 100 MB: {verdicts['not-credential'] * per100:.2f}")
        if unlabelled:
            print(f"{len(unlabelled)} findings not yet labelled (add them to {LABELS.name}):")
            for f in unlabelled:
                print(f"  {f['fingerprint']}\t{f['rule_id']}\t{f['path']}:{f['line']}\t{f['redacted']}")
    stale = set(labels) - {f["fingerprint"] for f in findings}
    if stale and not args.json:
        print(f"{len(stale)} labels match no finding any more (fixed noise, or a lost detection)")
    return 1 if unlabelled else 0


def read_repos():
    """[(owner/name, commit)] of repos.txt."""
    repos = []
    for number, line in enumerate(REPOS.read_text().splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 2 or "/" not in parts[0] or len(parts[1]) != 40:
            sys.exit(f"{REPOS}:{number}: want '<owner/name> <40-hex commit>'")
        repos.append((parts[0], parts[1]))
    return repos


def read_repo_labels():
    """{fingerprint: (repo, label, why)} of repos.tsv."""
    labels = {}
    for number, line in enumerate(REPO_LABELS.read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 4 or fields[2] not in LABEL_KINDS:
            sys.exit(f"{REPO_LABELS}:{number}: want repo, fingerprint, label ({'|'.join(LABEL_KINDS)}), why")
        labels[fields[1]] = (fields[0], fields[2], fields[3])
    return labels


def checkout(src, repo, commit):
    """A shallow checkout of `repo` at `commit` in src/<name> (network)."""
    tree = src / repo.split("/", 1)[1]
    tree.mkdir(parents=True, exist_ok=True)
    for command in (
        ["git", "init", "-q"],
        ["git", "fetch", "-q", "--depth", "1", f"https://github.com/{repo}", commit],
        ["git", "checkout", "-q", "FETCH_HEAD"],
    ):
        subprocess.run(command, cwd=tree, check=True)


def cmd_repos(args):
    src = Path(args.src or os.environ.get("KEEPMUM_REPOS_DIR") or corpus_dir() / "repos").resolve()
    keepmum = str(Path(args.keepmum).resolve()) if os.sep in args.keepmum else args.keepmum
    labels = read_repo_labels()
    status = 0
    totals = {kind: 0 for kind in (*LABEL_KINDS, "unlabelled")}
    seen = set()
    for repo, commit in read_repos():
        name = repo.split("/", 1)[1]
        if not (src / name).is_dir():
            if not args.checkout:
                sys.exit(f"no checkout of {repo} at {src / name}: run with --checkout (needs network) "
                         f"or check out {commit} there")
            checkout(src, repo, commit)
        # Paths in fingerprints start with the repository's name: scanned
        # from the parent directory, as `keepmum scan <name>`.
        command = [keepmum, "scan", "--format", "json", *(args.scan_arg or []), name]
        done = subprocess.run(command, cwd=src, capture_output=True)
        if done.returncode not in (0, 1):
            sys.exit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.decode(errors='replace')}")
        findings = json.loads(done.stdout)["findings"]
        counts = {kind: 0 for kind in totals}
        unlabelled = []
        for f in findings:
            seen.add(f["fingerprint"])
            label = labels.get(f["fingerprint"])
            if label:
                counts[label[1]] += 1
            else:
                counts["unlabelled"] += 1
                unlabelled.append(f)
        gone = sorted(fp for fp, (r, _, _) in labels.items()
                      if r == repo and fp not in {f["fingerprint"] for f in findings})
        print(f"{repo} {commit[:12]}: {len(findings)} findings; "
              + ", ".join(f"{kind} {n}" for kind, n in counts.items()))
        for f in unlabelled:
            print(f"  unlabelled\t{f['fingerprint']}\t{f['path']}:{f['line']}\t{f['redacted']}")
        for fp in gone:
            kind = labels[fp][1]
            print(f"  gone ({kind})\t{fp}")
            if kind != "not-credential":
                status = 1
        if unlabelled:
            status = 1
        for kind, n in counts.items():
            totals[kind] += n
    print("all: " + ", ".join(f"{kind} {n}" for kind, n in totals.items()))
    return status


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    fetch = sub.add_parser("fetch", help="download and extract the pinned packages")
    fetch.add_argument("--jobs", type=int, default=8, help="parallel downloads (default 8)")
    scan = sub.add_parser("scan", help="scan the corpus and report findings per rule per 100 MB")
    scan.add_argument("--keepmum", default="keepmum", help="the keepmum binary to run")
    scan.add_argument("--json", action="store_true", help="print a machine-readable summary")
    scan.add_argument("--scan-arg", action="append", help="extra argument for `keepmum scan` (repeatable)")
    repos = sub.add_parser("repos", help="scan the pinned repositories and compare with repos.tsv")
    repos.add_argument("--keepmum", default="keepmum", help="the keepmum binary to run")
    repos.add_argument("--src", help="directory of the checkouts, one per repository name "
                       "(default $KEEPMUM_REPOS_DIR, else <corpus>/repos)")
    repos.add_argument("--checkout", action="store_true", help="fetch missing checkouts from GitHub")
    repos.add_argument("--scan-arg", action="append", help="extra argument for `keepmum scan` (repeatable)")
    args = parser.parse_args()
    if args.command == "repos":
        return cmd_repos(args)
    return cmd_fetch(args) if args.command == "fetch" else cmd_scan(args)


if __name__ == "__main__":
    sys.exit(main())
