#!/usr/bin/env bash
# Runs every test of the project, as the README says and as .ci/run does:
#   1. the Swift test suites (Swift Testing), built once with code coverage;
#   2. the coverage gate: 100 % line coverage of CounterFire's business logic (scripts/coverage-gated.txt);
#   3. the black-box protocol suite and the browser suite (pytest + Playwright + Debian Chromium).
# Everything it needs it installs itself (apt: chromium; pip: a venv in .venv-e2e).
set -euo pipefail
cd "$(dirname "$0")/.."

scratch=.build-ci
echo "==> swift test (coverage build in $scratch)"
# A target that imports a module its dependencies in Package.swift do not bring is an error.
swift build --build-tests --enable-code-coverage --scratch-path "$scratch" --explicit-target-dependency-import-check=error
# The reliability suite (kill -9 bursts, 32 MiB messages, stuck TCP readers) loads a 2-core
# machine on its own: it runs after the others rather than beside them. A hang fails the run
# (timeout) instead of using up the CI budget. Both runs add to the same coverage profile.
# Each `swift test` starts its profile afresh, so the first one's is kept aside for the gate.
profiles="$scratch/coverage-profiles"
rm -rf "$profiles" && mkdir -p "$profiles"
timeout 1200 swift test --skip-build --enable-code-coverage --scratch-path "$scratch" --parallel --num-workers 2 --skip ReliabilityTests
cp "$scratch/debug/codecov/default.profdata" "$profiles/suites.profdata"
timeout 1200 swift test --skip-build --enable-code-coverage --scratch-path "$scratch" --filter ReliabilityTests
cp "$scratch/debug/codecov/default.profdata" "$profiles/reliability.profdata"

echo "==> coverage gate"
scripts/coverage-gate.sh "$scratch" "$profiles"
scripts/init-check.sh --scratch-path "$scratch" --enable-code-coverage

echo "==> end-to-end suites"
E2E_SCRATCH="$scratch" scripts/e2e.sh
