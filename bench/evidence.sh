#!/usr/bin/env bash
# The cost of weighted statistics (issue: forecasting from today): configs/since-2025.toml with
# its [[evidence]] (every statistic weighted, docs/evidence.md) against the same study without
# them (the same history, unweighted), side by side in alternating pairs (bench/compare.sh),
# 1 thread. The target: weighted at least 0.90 of the unweighted throughput. Then, when
# bench_stats was built beside BIN, the statistics alone in the same alternation (one process).
# Usage: bash bench/evidence.sh [BIN] [RUNS] [PAIRS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../build/release/wedge} runs=${2:-400000} pairs=${3:-5}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp "$here/../configs/since-2025.toml" "$dir/weighted.toml"
# The same text without its [[evidence]] tables and [weighting] table.
/usr/bin/python3 - "$dir/weighted.toml" "$dir/unweighted.toml" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
out, skip = [], False
for line in text.splitlines(keepends=True):
    head = re.match(r"\s*\[\[?([A-Za-z_.]+)\]?\]", line)
    if head:
        skip = head.group(1) in ("evidence", "weighting")
    if not skip:
        out.append(line)
open(sys.argv[2], "w").write("".join(out))
PY
grep -q '^\[\[evidence\]\]' "$dir/weighted.toml"
! grep -q '^\[\[evidence\]\]' "$dir/unweighted.toml"
"$bin" validate "$dir/weighted.toml"
"$bin" validate "$dir/unweighted.toml"
bash "$here/compare.sh" "$bin" "$dir/unweighted.toml" "$bin" "$dir/weighted.toml" "$runs" "$pairs"
stats_bench=$(dirname "$bin")/bench/bench_stats
if [ -x "$stats_bench" ]; then
  echo "statistics alone (bench_stats, replayed blocks):"
  "$stats_bench" "$dir/weighted.toml" "$runs"
fi
