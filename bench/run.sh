#!/usr/bin/env bash
# The figures of the issues: kernel throughput (1 and 2 threads), statistics overhead (also for
# path_sample 1 and 4, against the baseline's 8), the statistics alone, MPI scaling 1 -> 2
# ranks, 20 uncertain coefficients against the default, and peak memory / time for growing run
# counts with --records none. bench/compare.sh compares two binaries (e.g. two commits).
# Usage: bash bench/run.sh [--big]   (--big adds the 1e8-run point; about 25 minutes here)
set -euo pipefail
cd "$(dirname "$0")/.."
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
B=build/release
cmake --preset release > /dev/null
cmake --build --preset release --target wedge_cli bench_kernel bench_stats > /dev/null
echo "== kernel"
"$B/bench/bench_kernel" configs/baseline.toml 1000000
echo "== statistics overhead with other fan-chart subsamples (1 thread)"
for ps in 1 4; do
  sed "s/^path_sample = .*/path_sample = $ps/" configs/baseline.toml > /tmp/wedge_bench_ps$ps.toml
  "$B/bench/bench_kernel" /tmp/wedge_bench_ps$ps.toml 1000000 1 | grep overhead | sed "s/^/  path_sample=$ps: /"
  rm -f /tmp/wedge_bench_ps$ps.toml
done
echo "== statistics alone (recorded blocks replayed)"
"$B/bench/bench_stats" configs/baseline.toml 1000000
echo "== 20 uncertain coefficients against the default (1 thread, alternating pairs)"
bash bench/compare.sh "$B/wedge" configs/baseline.toml "$B/wedge" configs/uncertain-coefficients.toml 1000000 5
echo "== MPI: 1 rank x 1 thread vs 2 ranks x 1 thread, 2e6 runs"
for np in 1 2; do
  mpirun -np $np --bind-to core "$B/wedge" run configs/baseline.toml -n 2000000 --threads 1 -o /tmp/wedge_bench.h5 2>&1 \
    | grep -E "throughput|load balance" | sed "s/^/  np=$np: /"
done
echo "== peak memory and time, --records none, 2 threads"
sizes="1000000 10000000"
[[ "${1:-}" == "--big" ]] && sizes="$sizes 100000000"
for n in $sizes; do
  /usr/bin/time -f "  n=$n: %e s wall, peak RSS %M KiB" "$B/wedge" run configs/baseline.toml -n "$n" --threads 2 \
    --records none -o /tmp/wedge_bench.h5 -q > /dev/null
done
rm -f /tmp/wedge_bench.h5
