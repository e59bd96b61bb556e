#!/usr/bin/env bash
# The figures of scenario discovery (docs/discovery.md, section "Speed and memory"):
# 1. 1e7 runs x 11 inputs (the baseline), `wedge discover` with its defaults (one box found with
#    pasting, a covering of three boxes, 10 half-samples each) under mpirun -np 2: wall time and
#    peak memory per rank (/usr/bin/time -v), and bytes per run held.
# 2. The same algorithm in NumPy (analysis/tests/prim_numpy.py, full sorts) against wedge on the
#    same 1e6 rows, one box's peeling, measured in one run (bench/prim_numpy_bench.py).
# The 1e7-run file (compact records: split and us_payoff, 1.4 GB) is made once under $TMPDIR and
# removed at the end unless KEEP=1.
# Usage: bash bench/discover.sh [RUNS]   (default 10000000)
set -euo pipefail
cd "$(dirname "$0")/.."
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
B=build/release
T=${TMPDIR:-/tmp}
RUNS=${1:-10000000}
cmake --preset release > /dev/null
cmake --build --preset release --target wedge_cli > /dev/null
BIG=$T/wedge_bench_discover_$RUNS.h5
SMALL=$T/wedge_bench_discover_1e6.h5
cleanup() { [[ ${KEEP:-0} == 1 ]] || rm -f "$BIG" "$SMALL" "$T"/wedge_bench_discover_*.d.h5 "$T/wedge_bench_discover.toml"; }
trap cleanup EXIT
# The compact records discovery needs (11 parameters, split and us_payoff x 3 strategies).
sed -e 's/^records = .*/records = "compact"\nrecord_outcomes = ["split", "us_payoff"]/' \
  configs/baseline.toml > "$T/wedge_bench_discover.toml"
[[ -f $BIG ]] || "$B/wedge" run "$T/wedge_bench_discover.toml" -n "$RUNS" --threads 2 -o "$BIG" -q
echo "== $RUNS runs, mpirun -np 2 x 1 thread, defaults (3 boxes, pasting, 10 half-samples)"
mpirun -np 2 --bind-to core /usr/bin/time -v "$B/wedge" discover "$BIG" --where split@conciliation \
  --threads 1 -o "$T/wedge_bench_discover_big.d.h5" 2> "$T/wedge_bench_discover.time" | sed -n '1,4p'
grep -E "wedge discover|Elapsed|Maximum resident" "$T/wedge_bench_discover.time" | sed 's/^\s*/  /'
awk -v n="$RUNS" '/Maximum resident/ { printf "  %.1f bytes per run held (peak RSS / (runs / 2))\n", $NF * 1024 / (n / 2) }' \
  "$T/wedge_bench_discover.time"
echo "== NumPy (full sorts) against wedge, one box's peeling on the same 1e6 rows"
[[ -f $SMALL ]] || "$B/wedge" run "$T/wedge_bench_discover.toml" -n 1000000 --threads 2 -o "$SMALL" -q
/usr/bin/python3 bench/prim_numpy_bench.py "$B/wedge" "$SMALL"
