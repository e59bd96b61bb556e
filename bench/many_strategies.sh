#!/usr/bin/env bash
# Memory of a study with many hand-written strategies: the baseline with N strategies in all
# (each a copy of the baseline's with levers shifted, half with a fallback), `[analysis]
# baseline` set (comparisons against one strategy, not all pairs), and fan charts for FAN of
# them (`[output] fan_charts`; "all" for every strategy). Prints the peak RSS of
# `wedge run -n RUNS --records none`.
# Usage: bash bench/many_strategies.sh [WEDGE] [N] [FAN] [RUNS] [THREADS]
# e.g.   bash bench/many_strategies.sh build/release/wedge 1000 3 2000 1
set -euo pipefail
wedge=${1:-build/release/wedge} n=${2:-1000} fan=${3:-3} runs=${4:-2000} threads=${5:-1}
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cfg=$out/many.toml
python3 - "$root/configs/baseline.toml" "$cfg" "$n" "$fan" <<'PY'
import re, sys
src, dst, n, fan = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
text = open(src).read()
levers = ["sanctions_relief", "conditionality", "ukraine_aid", "nato_commitment",
          "forward_presence", "allied_consultation", "burden_sharing_pressure", "limited_cooperation"]
extra = []
for i in range(n - 3):
    vals = [((i * 37 + 11 * k) % 101) / 100 for k in range(len(levers))]
    lines = ["[[strategy]]", f'name = "s{i:04d}"']
    lines += [f"{lv} = {v}" for lv, v in zip(levers, vals)]
    if i % 2:
        lines.append('fallback = "dual_containment"')
    extra.append("\n".join(lines) + "\n")
text = text.replace("# States (section 4)", "\n".join(extra) + "\n# States (section 4)", 1)
text = text.replace('baseline = "all_pairs"', 'baseline = "dual_containment"', 1)
if fan != "all":
    names = ["dual_containment", "conciliation", "engagement_with_deterrence"][: int(fan)]
    names += [f"s{i:04d}" for i in range(int(fan) - 3)]
    text = text.replace("path_sample = 8 ", "fan_charts = [" + ", ".join(f'"{s}"' for s in names)
                        + "]\npath_sample = 8 ", 1)
open(dst, "w").write(text)
PY
/usr/bin/time -v "$wedge" run "$cfg" -n "$runs" --threads "$threads" --records none -q \
  -o "$out/many.h5" 2> "$out/time.txt"
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$out/time.txt")
wall=$(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$out/time.txt")
size=$(stat -c %s "$out/many.h5")
echo "strategies $n, fan charts $fan, runs $runs, threads $threads: peak RSS $((rss / 1024)) MiB, wall $wall, file $((size / 1024 / 1024)) MiB"
