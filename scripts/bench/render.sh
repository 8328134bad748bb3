#!/usr/bin/env bash
# `seloste render` against `seloste lint`, side by side in one hyperfine run, and against the lint
# of a previous commit (PREV, default the main before render, f9d1e4f), built in a worktree:
#   1. one file: fixtures/valid/authority.yaml (a real-size register, 6 KB), lint vs render HTML
#      vs render Markdown; the previous commit's lint of the same file;
#   2. 1 000 generated registers without defects (so every one is rendered), lint vs render into
#      an output directory (HTML and Markdown), and the previous commit's lint.
# Targets (issue 13): one register rendered in <= 2x its one-file lint; 1 000 in <= 2x the lint.
#
# Usage: scripts/bench/render.sh          RUNS_1=30 RUNS_1K=10 PREV=<commit>
# Results: $BENCH_DATA/results/render-*.json (hyperfine exports) and a summary on stdout.

source "$(dirname "$0")/common.sh"

RUNS_1=${RUNS_1:-30}
RUNS_1K=${RUNS_1K:-10}
PREV=${PREV:-f9d1e4f}

need hyperfine hyperfine
need jq jq

build
"$GEN" --count 1000 --seed "$SEED" --defective 0 --out "$DATA/render-1000" >&2
R=$DATA/results

PREV_DIR=$DATA/prev-$PREV
if [ ! -x "$PREV_DIR/target/release/seloste" ]; then
    echo "== building $PREV in $PREV_DIR" >&2
    rm -rf "$PREV_DIR"
    git -C "$ROOT" worktree add --force --detach "$PREV_DIR" "$PREV" >&2
    (cd "$PREV_DIR" && CARGO_TARGET_DIR="$PREV_DIR/target" cargo build --release --quiet)
fi
OLD=$PREV_DIR/target/release/seloste
OUT=$DATA/render-out
FILE=fixtures/valid/authority.yaml

echo "== 1 file" >&2
# Every command must succeed (render exits 0 only when it wrote the notice); lint exits 0 too here.
hyperfine -N --warmup 3 --runs "$RUNS_1" --export-json "$R/render-1.json" \
    -n "lint ($PREV)" "$OLD lint $FILE" \
    -n "lint" "$BIN lint $FILE" \
    -n "render html" "$BIN render $FILE" \
    -n "render markdown" "$BIN render --format markdown $FILE"

# Each render writes into a new directory: removing the previous run's 1 195 files just before
# (hyperfine --prepare) made the file system's deferred work part of the next measurement.
echo "== 1 000 registers" >&2
rm -rf "$OUT"
mkdir -p "$OUT"
hyperfine --warmup 1 --runs "$RUNS_1K" --export-json "$R/render-1000.json" \
    -n "lint ($PREV)" "$OLD lint --format json $DATA/render-1000 > /dev/null || [ \$? = 1 ]" \
    -n "lint" "$BIN lint --format json $DATA/render-1000 > /dev/null || [ \$? = 1 ]" \
    -n "render html" "$BIN render $DATA/render-1000 --out-dir \$(mktemp -d -p $OUT)" \
    -n "render markdown" "$BIN render --format markdown $DATA/render-1000 --out-dir \$(mktemp -d -p $OUT)"
rm -rf "$OUT"

machine
for f in "$R/render-1.json" "$R/render-1000.json"; do
    jq -r '.results[] | "\(.command): \(.mean * 1000 | . * 100 | round / 100) ms ± \(.stddev * 1000 | . * 100 | round / 100) (min \(.min * 1000 | . * 100 | round / 100))"' "$f"
done
