#!/usr/bin/env bash
# Fails unless every line of CounterFire's business logic ran in the Swift tests: sequencing
# (Store/), snapshot and replay (Store/TicketFold.swift, Hub/), transitions and validation
# (Domain/). The list of files is the README's; keep both in step.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=${1:-.build-ci}
files=(
  Sources/CounterFire/Domain/OrderStatus.swift
  Sources/CounterFire/Domain/CreateOrderInput.swift
  Sources/CounterFire/Domain/JSONValue.swift
  Sources/CounterFire/Store/TicketFold.swift
  Sources/CounterFire/Store/OrderStore.swift
  Sources/CounterFire/Store/OrderStore+Create.swift
  Sources/CounterFire/Store/OrderStore+Status.swift
  Sources/CounterFire/Hub/OrderHub.swift
  Sources/CounterFire/Hub/OrderHub+Streams.swift
)
# The toolchain's llvm-cov: a system one may not read this compiler's profile format.
toolchain=$(dirname "$(readlink -f "$(command -v swift)")")
llvm_cov="$toolchain/llvm-cov"
[ -x "$llvm_cov" ] || llvm_cov=llvm-cov
profdata=$(find -L "$scratch/debug" -name default.profdata -path '*codecov*' | head -n 1)
binary=$(find -L "$scratch/debug" -maxdepth 1 -name '*PackageTests.xctest' | head -n 1)
[ -n "$profdata" ] && [ -n "$binary" ] || { echo "coverage data not found under $scratch (run swift test --enable-code-coverage first)"; exit 1; }
report=$("$llvm_cov" report "$binary" -instr-profile "$profdata" "${files[@]}")
echo "$report"
missed=$("$llvm_cov" report "$binary" -instr-profile "$profdata" "${files[@]}" | awk '/^TOTAL/ { print $9 }')
if [ "$missed" != "0" ]; then
  echo "coverage gate: $missed line(s) of CounterFire's business logic never ran. Uncovered lines:"
  "$llvm_cov" show "$binary" -instr-profile "$profdata" "${files[@]}" -show-line-counts-or-regions \
    | grep -E '^ +[0-9]+\| +0\|' | head -n 60 || true
  exit 1
fi
echo "coverage gate: 100 % of the lines of ${#files[@]} files ran"
