#!/usr/bin/env bash
# Runs every test of the project, as the README says and as .ci/run does:
#   1. the Swift test suites (Swift Testing), built once with code coverage;
#   2. the coverage gate: 100 % line coverage of CounterFire's business logic;
#   3. the black-box protocol suite and the browser suite (pytest + Playwright + Debian Chromium).
# Everything it needs it installs itself (apt: chromium; pip: a venv in .venv-e2e).
set -euo pipefail
cd "$(dirname "$0")/.."

scratch=.build-ci
echo "==> swift test (coverage build in $scratch)"
swift build --build-tests --enable-code-coverage --scratch-path "$scratch"
swift test --skip-build --enable-code-coverage --scratch-path "$scratch" --parallel --num-workers 2

echo "==> coverage gate"
scripts/coverage-gate.sh "$scratch"

echo "==> end-to-end suites"
scripts/e2e.sh
