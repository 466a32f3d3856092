#!/usr/bin/env bash
# End-to-end suites: the protocol suite (aiohttp, no browser) and the browser suite (Playwright +
# Debian's Chromium). Installs what they need, builds `edge` (or uses $EDGE_BIN, or the build in
# $E2E_SCRATCH made with --enable-code-coverage), runs pytest on Tests/e2e.
#   scripts/e2e.sh                      # everything
#   scripts/e2e.sh -k protocol          # extra arguments go to pytest
#   COUNTERFIRE_BASE_URL=http://127.0.0.1:8787 scripts/e2e.sh Tests/e2e/test_protocol.py
# Never runs `playwright install`: Debian's chromium package is the browser.
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM="${CHROMIUM_PATH:-/usr/lib/chromium/chromium}"
VENV="${E2E_VENV:-.venv-e2e}"
REQUIREMENTS=Tests/e2e/requirements.txt
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

if [ ! -x "$CHROMIUM" ]; then
  echo "e2e: installing Debian's chromium"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium fonts-dejavu-core
fi

if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
stamp="$VENV/.requirements.sha256"
want="$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
  "$VENV/bin/pip" install --disable-pip-version-check -q -r "$REQUIREMENTS"
  echo "$want" > "$stamp"
fi

if [ -z "${EDGE_BIN:-}" ] && [ -n "${E2E_SCRATCH:-}" ]; then
  # scripts/test.sh: the `edge` its coverage build already made (no second build of everything).
  swift build --product edge --enable-code-coverage --scratch-path "$E2E_SCRATCH"
  EDGE_BIN="$(swift build --enable-code-coverage --scratch-path "$E2E_SCRATCH" --show-bin-path)/edge"
  export EDGE_BIN
  export LLVM_PROFILE_FILE="${TMPDIR:-/tmp}/edge-e2e-%m.profraw"  # not default.profraw in the cwd
elif [ -z "${EDGE_BIN:-}" ]; then
  swift build --product edge
fi

mkdir -p test-artifacts
rm -f test-artifacts/negative-controls.txt
set +e
"$VENV/bin/python" -m pytest Tests/e2e -q -o faulthandler_timeout=600 "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "e2e: pytest collected no tests (exit 5): treating that as a failure" >&2
  exit 1
fi
exit "$rc"
