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

# Live reload, end to end: the package's own `edge dev` watches it; a loop of requests (D1 and the
# Room Durable Object, a new connection each) runs while the worker's source is edited; the new
# response must arrive, with no failed request and the Room's messages all kept. The rebuild is
# the `swift build` that built the package, with the same flags (--build-command), so only the
# edited module compiles.
echo "==> edge dev reloads the generated package on save"
reload_start=$SECONDS
bin="$(swift build --scratch-path "$scratch" "${flags[@]}" --show-bin-path)"
LLVM_PROFILE_FILE="$work/%m.profraw" "$bin/hello-edge" dev --port 0 --persist-to "$work/state" \
  --build-command "swift build --product hello-edge --scratch-path '$scratch' ${flags[*]:-}" >"$work/dev.log" 2>&1 &
dev=$!
trap 'kill -INT $dev 2>/dev/null || true; wait $dev 2>/dev/null || true; rm -rf "$work"' EXIT
fail() { echo "init-check: $*" >&2; cat "$work/dev.log" >&2; exit 1; }
for _ in $(seq 600); do grep -q "Ready on " "$work/dev.log" && break; kill -0 $dev 2>/dev/null || fail "edge dev exited"; sleep 0.1; done
url="$(grep -o 'Ready on http://[0-9.:]*' "$work/dev.log" | head -1 | cut -d' ' -f3)"
[ -n "$url" ] || fail "edge dev did not get ready"
[ "$(curl -s "$url/api/nope")" = '{"error":"Not found"}' ] || fail "unexpected first response"

: >"$work/failures"
(
  n=0
  while [ ! -e "$work/stop" ]; do
    n=$((n + 1))
    code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$url/api/visits") || true
    [ "$code" = 200 ] || echo "POST /api/visits: $code" >>"$work/failures"
    code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$url/api/rooms/lobby/messages" -d "m$n") || true
    if [ "$code" = 201 ]; then echo "m$n" >>"$work/sent"; else echo "POST /api/rooms/lobby/messages: $code" >>"$work/failures"; fi
    sleep 0.05  # leave the cores to the rebuild
  done
) &
loop=$!

sed -i 's/"Not found"/"Not found (reloaded)"/' Sources/HelloEdge/HelloEdgeWorker.swift
for _ in $(seq 3000); do
  grep -q "Reloaded in" "$work/dev.log" && break
  grep -q "Build failed" "$work/dev.log" && fail "the rebuild failed"
  sleep 0.1
done
grep -q "Reloaded in" "$work/dev.log" || fail "no reload within 300 s"
[ "$(curl -s "$url/api/nope")" = '{"error":"Not found (reloaded)"}' ] || fail "the new build does not answer"
sleep 1  # a few more requests on the new build
touch "$work/stop"
wait $loop
[ ! -s "$work/failures" ] || fail "requests failed during the reload: $(sort | uniq -c <"$work/failures")"
# The Room's history across both builds: every message in order (its alarm keeps the newest 100).
curl -s "$url/api/rooms/lobby/messages" | grep -o '"m[0-9]*"' | tr -d '"' | tail -100 >"$work/kept"
tail -100 "$work/sent" | diff - "$work/kept" >/dev/null || fail "the Room lost messages: $(tail -100 "$work/sent" | diff - "$work/kept" | head)"
kill -INT $dev
wait $dev || fail "edge dev did not stop cleanly"
echo "init-check: $(wc -l <"$work/sent") requests across the reload, none failed; $(grep -o 'Reloaded in .*' "$work/dev.log") ($((SECONDS - reload_start)) s)"
