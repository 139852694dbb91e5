#!/usr/bin/env bash
# Builds the `ccus` binary of the previous release — the commit in tools/upgrade/previous-release,
# from this repository's history — for the rolling-upgrade test, and prints its path. A binary
# built before is reused.
#
# It builds in this checkout's target folder, so the dependencies both releases share are
# compiled once. Cargo names a workspace crate's files by its path within the workspace, which
# both releases share, so the previous release's workspace is given another version first
# (its crates then get files of their own). Crates it lacks are fetched as for any build.
# It is built without debug information, as this checkout builds its dependencies (Cargo.toml),
# so that those are shared too and the target folder does not grow by a second copy.
# Cargo also leaves the previous release's binary at target/debug/ccus; this checkout's is kept
# and put back.
set -euo pipefail
cd "$(dirname "$0")/../.."
commit="$(tr -d '[:space:]' < tools/upgrade/previous-release)"
target="${CARGO_TARGET_DIR:-$PWD/target}"
out="$target/previous-release/$commit"
if [ ! -x "$out/ccus" ]; then
  if ! git cat-file -e "$commit^{commit}" 2>/dev/null; then
    echo "commit $commit (tools/upgrade/previous-release) is not in this clone's history" >&2
    exit 1
  fi
  src="$(mktemp -d)"
  trap 'rm -rf "$src"' EXIT
  git archive "$commit" | tar -x -C "$src"
  sed -i '0,/^version = ".*"$/s//version = "0.0.0-previous"/' "$src/Cargo.toml"
  grep -q '^version = "0.0.0-previous"$' "$src/Cargo.toml"
  mkdir -p "$out"
  own="$out/current.keep"
  rm -f "$own"
  if [ -f "$target/debug/ccus" ]; then cp -p "$target/debug/ccus" "$own"; fi
  (cd "$src" && CARGO_TARGET_DIR="$target" CARGO_PROFILE_DEV_DEBUG=false cargo build -p ccus --quiet)
  cp "$target/debug/ccus" "$out/ccus.tmp"
  if [ -f "$own" ]; then mv "$own" "$target/debug/ccus"; else rm -f "$target/debug/ccus"; fi
  mv "$out/ccus.tmp" "$out/ccus"
fi
echo "$out/ccus"
