#!/usr/bin/env bash
# Installs a pinned keepmum release for the GitHub Action (action.yml):
# downloads the archive for this runner, verifies its SHA-256 and puts the
# binaries in a directory on GITHUB_PATH.
#
# Verification: the archive must match the release's SHA256SUMS and, when
# action/checksums.txt (committed in this repository, so pinned by the
# action's ref) lists the archive, that entry too. A mismatch or a missing
# checksum is an error; nothing unverified is ever run.
#
# Env: KEEPMUM_VERSION (e.g. 0.2.0), RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP,
#      GITHUB_PATH (set by GitHub); KEEPMUM_RELEASE_URL overrides the
#      download base (tests point it at a local directory with file://).
set -euo pipefail

die() { echo "::error title=keepmum::$*" >&2; exit 2; }

version="${KEEPMUM_VERSION#v}"
[ -n "$version" ] || die "no version given"
case "$version" in
  *[!0-9A-Za-z.+-]*) die "invalid version '$version'" ;;
esac

case "${RUNNER_OS:-$(uname -s)}/${RUNNER_ARCH:-$(uname -m)}" in
  Linux/X64 | Linux/x86_64) target=x86_64-unknown-linux-musl ;;
  Linux/ARM64 | Linux/aarch64) target=aarch64-unknown-linux-musl ;;
  macOS/X64 | Darwin/x86_64) target=x86_64-apple-darwin ;;
  macOS/ARM64 | Darwin/arm64) target=aarch64-apple-darwin ;;
  Windows/X64) target=x86_64-pc-windows-msvc ;;
  *) die "no keepmum release for ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}" ;;
esac

base="${KEEPMUM_RELEASE_URL:-https://github.com/keepmum/keepmum/releases/download}/v$version"
name="keepmum-v$version-$target"
case "$target" in *windows*) archive="$name.zip" ;; *) archive="$name.tar.gz" ;; esac

work="$(mktemp -d "${RUNNER_TEMP:-/tmp}/keepmum-install.XXXXXX")"
fetch() { curl --proto '=https,file' --tlsv1.2 -fsSL --retry 3 -o "$2" "$1"; }
fetch "$base/$archive" "$work/$archive" || die "cannot download $base/$archive"
fetch "$base/SHA256SUMS" "$work/SHA256SUMS" || die "cannot download $base/SHA256SUMS"

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  else shasum -a 256 "$1" | cut -d' ' -f1; fi
}
# "<64 hex>  <name>" lines; the name may carry a leading '*' (binary mode).
expected_in() { awk -v n="$archive" '{ f = $2; sub(/^\*/, "", f); if (f == n) print tolower($1) }' "$1" | head -1; }

actual="$(sha256 "$work/$archive")"
released="$(expected_in "$work/SHA256SUMS")"
[ -n "$released" ] || die "$archive is not listed in the release's SHA256SUMS"
[ "$actual" = "$released" ] || die "checksum mismatch for $archive: got $actual, SHA256SUMS says $released"
pinned_file="$(dirname "${BASH_SOURCE[0]}")/checksums.txt"
if [ -f "$pinned_file" ]; then
  pinned="$(expected_in "$pinned_file")"
  if [ -n "$pinned" ] && [ "$actual" != "$pinned" ]; then
    die "checksum mismatch for $archive: got $actual, action/checksums.txt pins $pinned"
  fi
fi
echo "keepmum: $archive sha256 $actual verified"

dest="${RUNNER_TEMP:-/tmp}/keepmum-$version"
mkdir -p "$dest"
case "$archive" in
  *.zip) unzip -q -o "$work/$archive" -d "$work/x" ;;
  *) mkdir -p "$work/x" && tar -xzf "$work/$archive" -C "$work/x" ;;
esac
for bin in keepmum keepmum-hook keepmum-precommit; do
  for ext in "" .exe; do
    if [ -f "$work/x/$name/$bin$ext" ]; then
      cp "$work/x/$name/$bin$ext" "$dest/" && chmod +x "$dest/$bin$ext"
    fi
  done
done
[ -x "$dest/keepmum" ] || [ -x "$dest/keepmum.exe" ] || die "the archive holds no keepmum binary"
rm -rf "$work"
if [ -n "${GITHUB_PATH:-}" ]; then echo "$dest" >> "$GITHUB_PATH"; fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "bin=$dest/keepmum" >> "$GITHUB_OUTPUT"; fi
echo "keepmum: installed $("$dest/keepmum" --version) in $dest"
