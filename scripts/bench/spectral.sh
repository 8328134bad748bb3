#!/usr/bin/env bash
# seloste vs Spectral on the same generated registers, with equivalent rules.
#
#   1. installs @stoplight/spectral-cli from npm into a temporary directory;
#   2. builds a rules directory with only the seloste rules that scripts/bench/spectral/.spectral.yaml
#      mirrors (same ids) plus the pack's _base.yaml, and runs `seloste lint --no-builtin --rules`;
#   3. checks that both tools report the same (file, rule) pairs on the generated set, and prints the
#      differences if they do not (exit status 1);
#   4. times both with hyperfine and prints the speed ratio (Spectral time / seloste time).
#
# Usage: scripts/bench/spectral.sh       (see scripts/bench/common.sh for the settings)
#   SPECTRAL_COUNT=1000     generated registers to lint (the whole set is the identical-findings sample)
#   SPECTRAL_VERSION=6      npm version range of @stoplight/spectral-cli
#   RUNS_SELOSTE=10 RUNS_SPECTRAL=3
# Results: $BENCH_DATA/results/spectral-*.json and the findings of both tools.

source "$(dirname "$0")/common.sh"

COUNT=${SPECTRAL_COUNT:-1000}
RUNS_SELOSTE=${RUNS_SELOSTE:-10}
RUNS_SPECTRAL=${RUNS_SPECTRAL:-3}
RULESET=$ROOT/scripts/bench/spectral/.spectral.yaml
R=$DATA/results

need node nodejs
need npm npm
need jq jq
need hyperfine hyperfine

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

build
generate "$COUNT"
FILES=$DATA/$COUNT

echo "== npm install @stoplight/spectral-cli@${SPECTRAL_VERSION:-6} into $TMP" >&2
npm install --prefix "$TMP/npm" --no-audit --no-fund --no-save --loglevel=error \
    "@stoplight/spectral-cli@${SPECTRAL_VERSION:-6}" >&2
SPECTRAL=$TMP/npm/node_modules/.bin/spectral
SPECTRAL_V=$("$SPECTRAL" --version)

# The seloste rules the ruleset mirrors: its rule ids are `pack/slug` → rules/pack/slug.yaml.
mapfile -t IDS < <(grep -E '^  [a-z]+/[a-z0-9-]+:$' "$RULESET" | tr -d ' :')
for id in "${IDS[@]}"; do
    pack=${id%%/*}
    mkdir -p "$TMP/rules/$pack"
    cp "rules/$pack/${id#*/}.yaml" "$TMP/rules/$pack/"
    cp "rules/$pack/_base.yaml" "$TMP/rules/$pack/"
done
IDS_JSON=$(printf '%s\n' "${IDS[@]}" | jq -R . | jq -sc .)
echo "== ${#IDS[@]} equivalent rules: ${IDS[*]}" >&2

SELOSTE_CMD=("$BIN" lint --no-builtin --rules "$TMP/rules" --format json "$FILES")
SPECTRAL_CMD=("$SPECTRAL" lint --quiet --ruleset "$RULESET" --format json "$FILES/*.yaml")

echo "== findings of both tools on $COUNT files" >&2
"${SELOSTE_CMD[@]}" > "$R/spectral-seloste-findings.json" || true
"${SPECTRAL_CMD[@]}" --output "$R/spectral-spectral-findings.json" || true

# Structure findings (seloste/*) have no Spectral counterpart: only the mirrored rules are compared.
jq -r --argjson ids "$IDS_JSON" \
    '.[] | select(.rule as $r | $ids | index($r)) | "\(.file | split("/") | last)\t\(.rule)"' \
    "$R/spectral-seloste-findings.json" | sort -u > "$R/spectral-seloste.pairs"
jq -r '.[] | "\(.source | split("/") | last)\t\(.code)"' \
    "$R/spectral-spectral-findings.json" | sort -u > "$R/spectral-spectral.pairs"
BOTH=$(comm -12 "$R/spectral-seloste.pairs" "$R/spectral-spectral.pairs" | wc -l)
ONLY_SELOSTE=$(comm -23 "$R/spectral-seloste.pairs" "$R/spectral-spectral.pairs" | wc -l)
ONLY_SPECTRAL=$(comm -13 "$R/spectral-seloste.pairs" "$R/spectral-spectral.pairs" | wc -l)
RULES_HIT=$(cut -f2 "$R/spectral-seloste.pairs" | sort -u | wc -l)
FILES_HIT=$(cut -f1 "$R/spectral-seloste.pairs" | sort -u | wc -l)
if [ "$ONLY_SELOSTE" -eq 0 ] && [ "$ONLY_SPECTRAL" -eq 0 ]; then
    CHECK="identical: $BOTH (file, rule) pairs in $FILES_HIT of $COUNT files, $RULES_HIT of ${#IDS[@]} rules hit"
    SAME=1
else
    CHECK="DIFFERENT: $BOTH pairs in both, $ONLY_SELOSTE only in seloste, $ONLY_SPECTRAL only in Spectral"
    SAME=0
    echo "== only in seloste (first 20):" >&2
    comm -23 "$R/spectral-seloste.pairs" "$R/spectral-spectral.pairs" | head -20 >&2
    echo "== only in Spectral (first 20):" >&2
    comm -13 "$R/spectral-seloste.pairs" "$R/spectral-spectral.pairs" | head -20 >&2
fi
echo "== $CHECK" >&2

echo "== timing seloste" >&2
hyperfine -N -i --warmup 2 --runs "$RUNS_SELOSTE" --export-json "$R/spectral-time-seloste.json" \
    -n "seloste, ${#IDS[@]} rules" "${SELOSTE_CMD[*]}" \
    -n "seloste, ${#IDS[@]} rules, 1 thread" "env RAYON_NUM_THREADS=1 ${SELOSTE_CMD[*]}" \
    -n "seloste, all built-in rules" "$BIN lint --format json $FILES"
echo "== timing Spectral" >&2
hyperfine -N -i --warmup 0 --runs "$RUNS_SPECTRAL" --export-json "$R/spectral-time-spectral.json" \
    -n "spectral $SPECTRAL_V, ${#IDS[@]} rules" "${SPECTRAL_CMD[*]}"

mean() { jq -r --arg n "$2" '.results[] | select(.command == $n) | .mean' "$1"; }
T_SEL=$(mean "$R/spectral-time-seloste.json" "seloste, ${#IDS[@]} rules")
T_SEL1=$(mean "$R/spectral-time-seloste.json" "seloste, ${#IDS[@]} rules, 1 thread")
T_ALL=$(mean "$R/spectral-time-seloste.json" "seloste, all built-in rules")
T_SPE=$(mean "$R/spectral-time-spectral.json" "spectral $SPECTRAL_V, ${#IDS[@]} rules")

echo
echo "== summary"
machine
echo "files: $COUNT generated registers; equivalent rules: ${#IDS[@]}; Spectral $SPECTRAL_V, node $(node --version)"
echo "findings check: $CHECK"
awk -v c="$COUNT" -v sel="$T_SEL" -v sel1="$T_SEL1" -v all="$T_ALL" -v spe="$T_SPE" 'BEGIN {
    printf "seloste (same rules, 2 threads): %8.3f s  %8.0f files/s\n", sel, c / sel
    printf "seloste (same rules, 1 thread):  %8.3f s  %8.0f files/s\n", sel1, c / sel1
    printf "seloste (all built-in rules):    %8.3f s  %8.0f files/s\n", all, c / all
    printf "Spectral (same rules):           %8.3f s  %8.0f files/s\n", spe, c / spe
    printf "ratio Spectral / seloste: %.1fx (same rules); %.1fx (seloste on 1 thread)\n", spe / sel, spe / sel1
}'
[ "$SAME" -eq 1 ]
