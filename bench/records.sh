#!/usr/bin/env bash
# The records figures of issue 15: wall time of `wedge run` (2 threads, one process) without
# records, with the compact records discovery needs (11 parameters, split and us_payoff x 3
# strategies) and with --records all, in alternating rounds (the machine's speed drifts; each
# round sees the same drift), as medians and as medians of the per-round ratios none / mode.
# With OLD_BIN (a wedge before this change, e.g. built from `git archive main`) it adds that
# binary's --records all (shuffle + deflate-1 on the writing path) to each round.
# Then what each filter would cost and save on the same data: h5repack of the records written
# (serial, one core), for no filter, deflate-1, shuffle + deflate-1 and szip.
# Usage: bash bench/records.sh [RUNS] [ROUNDS] [OLD_BIN]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1000000} rounds=${2:-5} old=${3:-}
B=build/release/wedge
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
sed -e 's/^records = .*/records = "compact"\nrecord_outcomes = ["split", "us_payoff"]/' \
  configs/baseline.toml > "$out/compact.toml"
modes=(none compact all)
[[ -n $old ]] && modes+=(old_all)
wall() {  # seconds of one run of mode $1
  local bin=$B cfg=configs/baseline.toml rec=$1
  [[ $1 == compact ]] && cfg=$out/compact.toml
  [[ $1 == old_all ]] && bin=$old rec=all
  rm -f "$out/r.h5"
  local t0=$(date +%s%N)
  "$bin" run "$cfg" -n "$runs" --threads 2 --records "$rec" -o "$out/r.h5" -q > /dev/null
  local t1=$(date +%s%N)
  [[ $1 != none ]] && cp "$out/r.h5" "$out/$1.h5"
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'
}
declare -A times ratios
for ((i = 0; i < rounds; ++i)); do
  declare -A t=()
  for m in "${modes[@]}"; do t[$m]=$(wall "$m"); times[$m]+="${t[$m]} "; done
  for m in "${modes[@]}"; do
    ratios[$m]+="$(awk -v a="${t[none]}" -v b="${t[$m]}" 'BEGIN { printf "%.3f", a / b }') "
  done
done
median() { printf '%s\n' $@ | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
echo "== $runs runs x 3 strategies, 2 threads, $rounds alternating rounds (wall seconds; speed = none / mode)"
for m in "${modes[@]}"; do
  size=$(stat -c %s "$out/$m.h5" 2> /dev/null || echo 0)
  printf '%-8s median %6.2f s  speed %5.3f  (%s| %s)  %s bytes per run\n' "$m" \
    "$(median ${times[$m]})" "$(median ${ratios[$m]})" "${times[$m]}" "${ratios[$m]}" \
    "$(awk -v s="$size" -v n="$runs" 'BEGIN { printf "%.1f", s / n }')"
done
echo "== filters on the records of --records all and compact (h5repack, 1 core)"
for m in all compact; do
  for f in NONE GZIP=1 "SHUF GZIP=1" SZIP=8,NN; do
    args=()
    for x in $f; do args+=(-f "/records/outcomes:$x" -f "/records/parameters:$x" -f "/records/run:$x"); done
    t0=$(date +%s%N)
    if h5repack "${args[@]}" "$out/$m.h5" "$out/p.h5" 2> /dev/null; then
      t1=$(date +%s%N)
      printf '%-8s %-12s %6.2f s  %7.1f bytes per run\n' "$m" "$f" \
        "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print (b - a) / 1e9 }')" \
        "$(awk -v s="$(stat -c %s "$out/p.h5")" -v n="$runs" 'BEGIN { print s / n }')"
    else
      printf '%-8s %-12s not available\n' "$m" "$f"
    fi
  done
done
