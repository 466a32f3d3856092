#!/usr/bin/env bash
# Generates a package with `edge init` into a temporary directory, depending on this checkout
# (--edge-path), builds it and runs its tests: the template can never rot. scripts/test.sh runs it.
#   scripts/init-check.sh                                              # shares .build with `swift build`
#   scripts/init-check.sh --scratch-path .build-ci --enable-code-coverage   # as scripts/test.sh does
# The generated package builds in the checkout's own scratch directory, with the same flags and
# the checkout's Package.resolved, so Edge and its dependencies are already compiled there: only
# the new package's three modules compile (and Hummingbird when SwiftPM happens to order its trait
# defines differently, which any two builds may do). About 100 s here, against 12 min in a fresh
# scratch directory. Its tests write no coverage profile into the scratch.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

scratch=.build
flags=(--explicit-target-dependency-import-check=error)  # imports match each target's dependencies
while [ $# -gt 0 ]; do
  case "$1" in
    --scratch-path) scratch="$2"; shift 2 ;;
    --enable-code-coverage) flags+=(--enable-code-coverage); shift ;;
    *) echo "init-check: unknown argument $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$scratch"
scratch="$(cd "$scratch" && pwd)"

echo "==> edge init: a generated package, built and tested"
start=$SECONDS
swift build --product edge --scratch-path "$scratch" "${flags[@]}"
edge="$(swift build --scratch-path "$scratch" "${flags[@]}" --show-bin-path)/edge"

work="$(mktemp -d "${TMPDIR:-/tmp}/edge-init-check.XXXXXX")"
trap 'rm -rf "$work"' EXIT
package="$work/hello-edge"
"$edge" init "$package" --edge-path "$root"
# The checkout's pins: the shared checkouts stay at the versions the checkout was built with.
[ ! -f Package.resolved ] || cp Package.resolved "$package/"

cd "$package"
swift build --build-tests --scratch-path "$scratch" "${flags[@]}"
LLVM_PROFILE_FILE="$work/%m.profraw" timeout 600 swift test --skip-build --scratch-path "$scratch"
echo "init-check: the generated package built and passed its tests in $((SECONDS - start)) s"
