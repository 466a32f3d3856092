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
  Sources/CounterFire/Domain/JSONReader.swift
  Sources/CounterFire/Store/TicketFold.swift
  Sources/CounterFire/Store/OrderStore.swift
  Sources/CounterFire/Store/OrderStore+Create.swift
  Sources/CounterFire/Store/OrderStore+Status.swift
  Sources/CounterFire/Hub/OrderHub.swift
  Sources/CounterFire/Hub/OrderHub+Streams.swift
  Sources/CounterFire/Hub/RecentEvents.swift
)
# The toolchain's llvm-cov: a system one may not read this compiler's profile format.
toolchain=$(dirname "$(readlink -f "$(command -v swift)")")
llvm_cov="$toolchain/llvm-cov"
[ -x "$llvm_cov" ] || llvm_cov=llvm-cov
# The profiles scripts/test.sh kept of its runs, merged; else the last `swift test` run's.
profdata=""
if compgen -G "$scratch/coverage-profiles/*.profdata" >/dev/null; then
  llvm_profdata="$toolchain/llvm-profdata"
  [ -x "$llvm_profdata" ] || llvm_profdata=llvm-profdata
  profdata="$scratch/coverage-profiles/merged.profdata.all"
  "$llvm_profdata" merge -sparse "$scratch"/coverage-profiles/*.profdata -o "$profdata"
else
  profdata=$(find -L "$scratch/debug" -name default.profdata -path '*codecov*' | head -n 1)
fi
binary=$(find -L "$scratch/debug" -maxdepth 1 -name '*PackageTests.xctest' | head -n 1)
[ -n "$profdata" ] && [ -n "$binary" ] || { echo "coverage data not found under $scratch (run swift test --enable-code-coverage first)"; exit 1; }
"$llvm_cov" report "$binary" -instr-profile "$profdata" "${files[@]}"
# Line coverage as lcov counts it: a line is covered when code on it ran. (llvm-cov's report also
# counts the lazily built text of an autoclosure, such as an error message on a line that ran, as
# a line of its own; those are listed above as missed functions, not gated.)
uncovered=$("$llvm_cov" export "$binary" -instr-profile "$profdata" -format=lcov "${files[@]}" \
  | awk -F'[:,]' -v root="$PWD/" '/^SF:/ { file = substr($0, 4); sub(root, "", file) } /^DA:/ && $3 == 0 { print file ":" $2 }')
total=$("$llvm_cov" export "$binary" -instr-profile "$profdata" -format=lcov "${files[@]}" | grep -c '^DA:')
if [ -n "$uncovered" ]; then
  echo "coverage gate: $(echo "$uncovered" | wc -l) of $total lines of CounterFire's business logic never ran:"
  echo "$uncovered" | while IFS=: read -r file line; do echo "  $file:$line: $(sed -n "${line}p" "$file" | sed 's/^ *//')"; done
  exit 1
fi
echo "coverage gate: all $total lines of the ${#files[@]} gated files ran"
