#!/usr/bin/env bash
# A lint with a baseline against the same lint without one, side by side in one hyperfine run, on
# 1 000 generated registers (the default mix: about 1 700 findings, all of them in the baseline).
# Target (issue 15): a baseline run costs <= 1.2x a plain run. Human output (where the baseline run
# prints only the summary) and JSON (where it still writes every finding, flagged `baselined`).
#
# Usage: scripts/bench/baseline.sh       RUNS_1K=10
# Results: $BENCH_DATA/results/baseline-1000.json (hyperfine export) and a summary on stdout.

source "$(dirname "$0")/common.sh"

RUNS_1K=${RUNS_1K:-10}

need hyperfine hyperfine
need jq jq

build
generate 1000
R=$DATA/results
BASELINE=$DATA/baseline-1000.json
# The registers' findings, recorded (exit 0: every finding is in the baseline).
"$BIN" lint --write-baseline "$BASELINE" "$DATA/1000" >/dev/null

echo "== 1 000 files, plain against baseline" >&2
hyperfine -N -i --warmup 1 --runs "$RUNS_1K" --export-json "$R/baseline-1000.json" \
    -n "plain, human" "$BIN lint $DATA/1000" \
    -n "baseline, human" "$BIN lint --baseline $BASELINE $DATA/1000" \
    -n "plain, json" "$BIN lint --format json $DATA/1000" \
    -n "baseline, json" "$BIN lint --format json --baseline $BASELINE $DATA/1000"

machine
jq -r '.results[] | "\(.command): \(.mean * 1000 | floor) ms ± \(.stddev * 1000 | floor) (min \(.min * 1000 | floor))"' \
    "$R/baseline-1000.json"
