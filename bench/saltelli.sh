#!/usr/bin/env bash
# Issue 10's figures: throughput of the Saltelli design (run-strategies per second per core,
# every A, B and AB row counted) against plain Monte Carlo on the same number of model runs, and
# peak memory at 1e6 base rows x 14 rows x 3 strategies with --records none (target: <= 512 MiB).
# Usage: bash bench/saltelli.sh [BASE_ROWS_FOR_MEMORY]   (default 1000000; about 3 minutes here)
set -euo pipefail
cd "$(dirname "$0")/.."
B=build/release
cmake --build --preset release --target wedge_cli > /dev/null
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
sed -e 's/^design = .*/design = "saltelli"/' configs/baseline.toml > "$T/s.toml"
rows=$(( $("$B/wedge" run "$T/s.toml" -n 64 -o "$T/probe.h5" -q && h5dump -a /sensitivity/rows_per_base_row "$T/probe.h5" | awk '/\(0\)/ {print $2}') ))
echo "== throughput, 2 threads, alternating ($rows rows per base row)"
for i in 1 2 3; do
  "$B/wedge" run configs/baseline.toml -n $((20000 * rows)) --threads 2 -o "$T/m.h5" 2>&1 | grep throughput | sed 's/^/  monte_carlo: /'
  "$B/wedge" run "$T/s.toml" -n 20000 --threads 2 -o "$T/s.h5" 2>&1 | grep throughput | sed 's/^/  saltelli:    /'
done
n=${1:-1000000}
echo "== peak memory, $n base rows, --records none, 2 threads"
/usr/bin/time -f "  %e s wall, peak RSS %M KiB" "$B/wedge" run "$T/s.toml" -n "$n" --threads 2 --records none \
  -o "$T/big.h5" -q
