#!/usr/bin/env bash
# Throughput of two wedge binaries (or two configurations) side by side, in alternating pairs,
# 1 thread: the median per-core throughput of each and the median of the paired ratios B / A.
# This machine's speed drifts; alternating pairs see the same drift.
# Usage: bash bench/compare.sh BIN_A CONFIG_A BIN_B CONFIG_B [RUNS] [PAIRS]
# e.g.   bash bench/compare.sh /tmp/old/wedge configs/baseline.toml build/release/wedge configs/baseline.toml
set -euo pipefail
a_bin=$1 a_cfg=$2 b_bin=$3 b_cfg=$4 runs=${5:-1000000} pairs=${6:-7}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
rate() {  # per-core run-strategies/s of one run (a fresh output: binaries may differ in format)
  rm -f "$out/r.h5"
  "$1" run "$2" -n "$runs" --threads 1 -o "$out/r.h5" 2>&1 >/dev/null |
    sed -n 's/.*(\([0-9]*\) per core).*/\1/p'
}
ra=() rb=() ratio=()
for ((i = 0; i < pairs; ++i)); do
  x=$(rate "$a_bin" "$a_cfg"); y=$(rate "$b_bin" "$b_cfg")
  ra+=("$x") rb+=("$y") ratio+=("$(awk -v a="$x" -v b="$y" 'BEGIN { printf "%.4f", b / a }')")
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
echo "A: $a_bin $a_cfg: median $(median "${ra[@]}") run-strategies/s per core (${ra[*]})"
echo "B: $b_bin $b_cfg: median $(median "${rb[@]}") run-strategies/s per core (${rb[*]})"
echo "B / A: median of $pairs paired ratios $(median "${ratio[@]}") (${ratio[*]})"
