#!/usr/bin/env bash
# Fails unless every line and every region of CounterFire's business logic ran in the Swift
# tests. The gated files are listed in scripts/coverage-gated.txt (the one list; the READMEs
# point to it). A listed file that is missing, or that llvm-cov has no line data for (renamed,
# or no test ever loaded it), fails the gate too.
#
# Regions, not only lines: a line counts as covered when any code on it ran, so a one-line
# `guard ... else { throw }`, a ternary, a `??` or the right side of `&&` / `||` whose other
# side never ran passes the line rule. llvm-cov gives each of those sides a region of its own
# (Swift's coverage has no branch records: llvm-cov reports 0 branches for Swift), so 100 % of
# regions is the branch rule. What it cannot see is a condition that never came out false
# where the false side has no code (an `if` without `else`); tests name those cases.
#   scripts/coverage-gate.sh [SCRATCH [PROFILE_DIR]]
# PROFILE_DIR holds the .profdata files of this run's `swift test` invocations (scripts/test.sh
# passes the directory it emptied before its runs); without it, only the last `swift test`
# run's own profile is read, never profiles an earlier run left behind.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=${1:-.build-ci}
profiles=${2:-}
mapfile -t files < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' scripts/coverage-gated.txt | grep -v '^$')
for file in "${files[@]}"; do
  [ -f "$file" ] || { echo "coverage gate: $file is listed in scripts/coverage-gated.txt but does not exist"; exit 1; }
done
# The toolchain's llvm-cov: a system one may not read this compiler's profile format.
toolchain=$(dirname "$(readlink -f "$(command -v swift)")")
llvm_cov="$toolchain/llvm-cov"
[ -x "$llvm_cov" ] || llvm_cov=llvm-cov
# The profiles of this run's `swift test` invocations, merged; else the last run's own.
profdata=""
if [ -n "$profiles" ]; then
  compgen -G "$profiles/*.profdata" >/dev/null || { echo "coverage gate: no .profdata in $profiles"; exit 1; }
  llvm_profdata="$toolchain/llvm-profdata"
  [ -x "$llvm_profdata" ] || llvm_profdata=llvm-profdata
  profdata="$profiles/merged.profdata.all"
  "$llvm_profdata" merge -sparse "$profiles"/*.profdata -o "$profdata"
else
  profdata=$(find -L "$scratch/debug" -name default.profdata -path '*codecov*' | head -n 1)
fi
# This package's test bundle by name: the scratch directory also holds the one of the package
# scripts/init-check.sh generates.
binary=$(find -L "$scratch/debug" -maxdepth 1 -name 'edgePackageTests.xctest' | head -n 1)
[ -n "$profdata" ] && [ -n "$binary" ] || { echo "coverage data not found under $scratch (run swift test --enable-code-coverage first)"; exit 1; }
"$llvm_cov" report "$binary" -instr-profile "$profdata" "${files[@]}"
# Line coverage as lcov counts it: a line is covered when code on it ran. (llvm-cov's report also
# counts the lazily built text of an autoclosure, such as an error message on a line that ran, as
# a line of its own; those are listed above as missed functions, not gated.)
lcov=$("$llvm_cov" export "$binary" -instr-profile "$profdata" -format=lcov "${files[@]}")
# Every listed file must have line data: a file llvm-cov does not know yields no record at all.
for file in "${files[@]}"; do
  lines=$(echo "$lcov" | awk -v want="$PWD/$file" '/^SF:/ { on = (substr($0, 4) == want) } on && /^DA:/ { n++ } END { print n + 0 }')
  [ "$lines" -gt 0 ] || { echo "coverage gate: llvm-cov has no line data for $file (renamed, or never built into the tests?)"; exit 1; }
done
uncovered=$(echo "$lcov" \
  | awk -F'[:,]' -v root="$PWD/" '/^SF:/ { file = substr($0, 4); sub(root, "", file) } /^DA:/ && $3 == 0 { print file ":" $2 }')
total=$(echo "$lcov" | grep -c '^DA:')
if [ -n "$uncovered" ]; then
  echo "coverage gate: $(echo "$uncovered" | wc -l) of $total lines of CounterFire's business logic never ran:"
  echo "$uncovered" | while IFS=: read -r file line; do echo "  $file:$line: $(sed -n "${line}p" "$file" | sed 's/^ *//')"; done
  exit 1
fi
# Every region: the sides of each guard, ternary, `??`, `&&` / `||`, and the lazily built text
# of an autoclosure (such as an error message) too. A region is listed once however many
# functions llvm-cov reports it under, and counts as run when any of them ran it.
"$llvm_cov" export "$binary" -instr-profile "$profdata" -format=text "${files[@]}" \
  | python3 -c '
import json, os, sys
root, files = os.getcwd() + "/", sys.argv[1:]
runs = {}
for function in json.load(sys.stdin)["data"][0]["functions"]:
    for start_line, start_col, end_line, end_col, count, file_id, _, kind in function["regions"]:
        path = function["filenames"][file_id].removeprefix(root)
        if kind == 0 and path in files:
            key = (path, start_line, start_col, end_line, end_col)
            runs[key] = max(runs.get(key, 0), count)
missed = sorted(key for key, count in runs.items() if count == 0)
if missed:
    print(f"coverage gate: {len(missed)} of {len(runs)} regions of CounterFire\x27s business logic never ran:")
    for path, line, col, end_line, end_col in missed:
        text = open(path).read().split("\n")[line - 1]
        part = text[col - 1:end_col - 1] if end_line == line else text[col - 1:] + " ..."
        print(f"  {path}:{line}:{col}: {part.strip()[:100]}")
    sys.exit(1)
print(f"coverage gate: all {len(runs)} regions ran")
' "${files[@]}"
echo "coverage gate: all $total lines of the ${#files[@]} gated files ran"
