#!/usr/bin/env bash
# CLI benchmarks of `seloste lint` with hyperfine, and peak memory with GNU time:
#   1. one file, cold process (what pre-commit runs): fixtures/valid/authority.yaml and one generated
#      defective register; and the fixture with no rules at all, to separate start-up costs;
#   2. 1 000 and 10 000 generated registers (seed $BENCH_SEED, default mix), human and JSON output;
#   3. maximum resident set size at 1 000 vs 10 000 files (`/usr/bin/time -v`, median of 3).
#
# Usage: scripts/bench/cli.sh            (see scripts/bench/common.sh for the settings)
#   RUNS_1=30 RUNS_1K=10 RUNS_10K=3       hyperfine runs per command
#   COLD_CACHE=1                          also drop the page cache before each 1-file run (root;
#                                         affects everything else on the machine)
# Results: $BENCH_DATA/results/cli-*.json (hyperfine exports) and a summary on stdout.
# Exit status 1 of `seloste lint` (error-level findings) is expected and ignored.

source "$(dirname "$0")/common.sh"

RUNS_1=${RUNS_1:-30}
RUNS_1K=${RUNS_1K:-10}
RUNS_10K=${RUNS_10K:-3}

need hyperfine hyperfine
need jq jq
[ -x /usr/bin/time ] || need /usr/bin/time time

build
generate 1000
generate 10000
ONE_GEN=$DATA/1000/reg-000001.yaml
R=$DATA/results

prepare=()
if [ "${COLD_CACHE:-0}" = 1 ]; then
    prepare=(--prepare 'sync; echo 3 > /proc/sys/vm/drop_caches')
fi

# No rules at all (an empty custom rules directory): process start, reading, parsing, the structure
# check and the report, without rule compilation and evaluation.
NO_RULES=$DATA/no-rules
mkdir -p "$NO_RULES"

echo "== 1 file" >&2
hyperfine -N -i --warmup 3 --runs "$RUNS_1" "${prepare[@]}" --export-json "$R/cli-1.json" \
    -n "1 file: fixtures/valid/authority.yaml" "$BIN lint fixtures/valid/authority.yaml" \
    -n "1 file: generated reg-000001.yaml" "$BIN lint $ONE_GEN" \
    -n "1 file, no rules: fixtures/valid/authority.yaml" \
    "$BIN lint --no-builtin --rules $NO_RULES fixtures/valid/authority.yaml"

echo "== 1 000 files" >&2
hyperfine -N -i --warmup 1 --runs "$RUNS_1K" --export-json "$R/cli-1000.json" \
    -n "1000 files, human" "$BIN lint $DATA/1000" \
    -n "1000 files, json" "$BIN lint --format json $DATA/1000"

echo "== 10 000 files" >&2
hyperfine -N -i --warmup 1 --runs "$RUNS_10K" --export-json "$R/cli-10000.json" \
    -n "10000 files, human" "$BIN lint $DATA/10000" \
    -n "10000 files, json" "$BIN lint --format json $DATA/10000"

# peak_rss DIR: median of 3 maximum resident set sizes, in KiB.
peak_rss() {
    local out
    for _ in 1 2 3; do
        # Exit status 1 (findings) is expected: read the report, not the status.
        out=$(/usr/bin/time -v "$BIN" lint --format json "$1" 2>&1 >/dev/null || true)
        awk -F': ' '/Maximum resident set size/ {print $2}' <<<"$out"
    done | sort -n | sed -n 2p
}
echo "== peak RSS" >&2
RSS_1K=$(peak_rss "$DATA/1000")
RSS_10K=$(peak_rss "$DATA/10000")

# rate FILE NAME COUNT: mean, stddev and files/s of one hyperfine command.
rate() {
    jq -r --arg n "$2" --argjson c "$3" '.results[] | select(.command == $n) |
        "\(.command): mean \(.mean * 1000 | . * 100 | round / 100) ms ± \(.stddev * 1000 | . * 100 | round / 100) ms" +
        (if $c > 1 then ", \($c / .mean | round) files/s" else "" end)' "$1"
}

echo
echo "== summary"
machine
rate "$R/cli-1.json" "1 file: fixtures/valid/authority.yaml" 1
rate "$R/cli-1.json" "1 file: generated reg-000001.yaml" 1
rate "$R/cli-1.json" "1 file, no rules: fixtures/valid/authority.yaml" 1
rate "$R/cli-1000.json" "1000 files, human" 1000
rate "$R/cli-1000.json" "1000 files, json" 1000
rate "$R/cli-10000.json" "10000 files, human" 10000
rate "$R/cli-10000.json" "10000 files, json" 10000
echo "peak RSS (json output): 1000 files $((RSS_1K / 1024)) MiB, 10000 files $((RSS_10K / 1024)) MiB"
