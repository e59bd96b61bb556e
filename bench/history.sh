#!/usr/bin/env bash
# A history is computed once per run, not once per strategy: the throughput of 10 strategies
# with and without a history of 8 quarters (2025Q1-2026Q4), side by side (bench/compare.sh).
# Without a history each strategy steps all 40 quarters; with it the 8 history quarters are
# stepped once and shared, so the kernel does 8 + 10 x 32 strategy-quarters instead of 10 x 40.
# Usage: bash bench/history.sh [BIN] [RUNS] [PAIRS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../build/release/wedge} runs=${2:-400000} pairs=${3:-5}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# Ten strategies: the baseline's three and seven variants of them (other names, other relief).
/usr/bin/python3 - "$here/../configs/baseline.toml" "$dir" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
blocks = re.findall(r"\[\[strategy\]\]\n(?:[^\[\n].*\n|\n)*?(?=\n\[|\n#)", text)
extra = []
for i in range(7):
    b = blocks[i % 3]
    b = re.sub(r'name = "(\w+)"', lambda m: f'name = "{m.group(1)}_v{i}"', b, count=1)
    b = re.sub(r"sanctions_relief = [0-9.]+", f"sanctions_relief = {0.1 * (i + 1):.1f}", b)
    extra.append(b)
ten = text.replace(blocks[-1], blocks[-1] + "\n" + "\n".join(extra))
open(f"{sys.argv[2]}/ten.toml", "w").write(ten)
open(f"{sys.argv[2]}/ten-history.toml", "w").write(
    ten + '\n[history]\nstrategy = "conciliation"\ndecision_quarter = "2027Q1"\n')
PY
"$bin" validate "$dir/ten.toml"
"$bin" validate "$dir/ten-history.toml"
bash "$here/compare.sh" "$bin" "$dir/ten.toml" "$bin" "$dir/ten-history.toml" "$runs" "$pairs"
