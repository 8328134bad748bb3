# Shared by the bench scripts: paths, tools, the release build and the generated registers.
# Sourced, not run. Settings (environment):
#   BENCH_DATA     where generated registers and results go (default target/bench-data)
#   BENCH_SEED     generator seed (default 1)
#   SELOSTE_TODAY  the date rules see (default 2026-11-01, so generated findings are reproducible)
#   SELOSTE_BIN    a seloste binary to measure instead of building target/release/seloste

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
DATA=${BENCH_DATA:-$ROOT/target/bench-data}
SEED=${BENCH_SEED:-1}
export SELOSTE_TODAY=${SELOSTE_TODAY:-2026-11-01}
mkdir -p "$DATA/results"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

# need COMMAND DEBIAN_PACKAGE: installs the package when the command is missing.
need() {
    if ! command -v "$1" >/dev/null 2>&1; then
        echo "== $1 missing: installing the Debian package $2" >&2
        if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
            echo "error: install $2 (e.g. apt-get install -y $2) and run again" >&2
            exit 2
        fi
        apt-get update -qq && apt-get install -y -qq "$2" >/dev/null
    fi
}

# Builds the release binary and the generator (once per script run).
build() {
    if [ -n "${SELOSTE_BIN:-}" ]; then
        BIN=$SELOSTE_BIN
    else
        echo "== cargo build --release" >&2
        cargo build --release --quiet
        BIN=$ROOT/target/release/seloste
    fi
    cargo build --release --quiet --example gen_registers
    GEN=$ROOT/target/release/examples/gen_registers
}

# generate COUNT [EXTRA GENERATOR ARGS...]: registers in $DATA/COUNT (regenerated every time; the
# output is deterministic, so this only guards against a stale directory).
generate() {
    local count=$1
    shift
    "$GEN" --count "$count" --seed "$SEED" --out "$DATA/$count" "$@" >&2
}

machine() {
    echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'),"\
        "$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM"
    echo "rustc: $(rustc --version)"
    echo "load average (1, 5, 15 min): $LOAD_START at start, $(cut -d' ' -f1-3 /proc/loadavg) at end (the machine is shared)"
    echo "seloste: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (dirty)'), SELOSTE_TODAY=$SELOSTE_TODAY, seed $SEED"
}
