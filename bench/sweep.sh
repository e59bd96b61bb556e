#!/usr/bin/env bash
# Issue 12's figures: run-strategies per second per core for the 121-strategy sweep
# (configs/sweep.toml: 11 x 11 grid plus the three named strategies), and peak memory at 1,003
# strategies (a 10 x 10 x 10 grid) with --records none, 1 and 2 threads.
# Usage: bash bench/sweep.sh [RUNS]   (default 200000 runs for the throughput)
set -euo pipefail
cd "$(dirname "$0")/.."
B=build/release
runs=${1:-200000}
cmake --preset release > /dev/null
cmake --build --preset release --target wedge_cli bench_kernel > /dev/null
echo "== throughput, configs/sweep.toml (124 strategies), 1 thread"
"$B/bench/bench_kernel" configs/sweep.toml "$runs" 1
echo "== peak memory, 1,003 strategies, 2,000 runs, --records none"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed -e 's/^steps = 11/steps = 10/' \
    -e 's/^conditionality = \[0.0, 1.0\]/conditionality = [0.0, 1.0]\nukraine_aid = [0.0, 1.0]/' \
    -e 's/^batch_size = \(.*\)/batch_size = \1\nmax_strategies = 1100/' configs/sweep.toml > "$tmp/s1000.toml"
for t in 1 2; do
  /usr/bin/time -f "  threads=$t: %e s wall, peak RSS %M KiB" "$B/wedge" run "$tmp/s1000.toml" \
    -n 2000 --threads $t --records none -o "$tmp/out.h5" -q
done
