#!/usr/bin/env bash
# A long fuzzing session: the property tests of tests/fuzz.rs and the evaluator's differential
# test against the cel interpreter (src/rules/lang/oracle.rs) with many more cases.
# (cargo-fuzz needs a nightly toolchain, which this project's machines do not have.)
# Usage: scripts/fuzz.sh [CASES]   (default 200000 per property)
set -euo pipefail
cd "$(dirname "$0")/.."
cases="${1:-200000}"
start=$(date +%s)
PROPTEST_CASES="$cases" cargo test --release --test fuzz -- --nocapture
PROPTEST_CASES="$cases" cargo test --release --lib rules::lang::oracle -- --nocapture
echo "fuzz: 4 properties x $cases cases in $(( $(date +%s) - start )) s, no failure"
