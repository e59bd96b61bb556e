#!/usr/bin/env bash
# The error of a study's mean against the exact value, plain Monte Carlo against the Sobol'
# design, over SEEDS seeds per run count: docs/qmc-and-given-data.md's table.
#   bash bench/qmc_error.sh [WEDGE_BIN] [SEEDS]
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
BIN=${1:-$SRC/build/release/wedge}
SEEDS=${2:-10}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
for model in ishigami sobol_g; do
  for design in monte_carlo sobol; do
    sed -e "s/^design = .*/design = \"$design\"/" "$SRC/configs/$model.toml" > "$WORK/$model.$design.toml"
    for n in 1024 4096 16384 65536 262144; do
      for seed in $(seq 1 "$SEEDS"); do
        "$BIN" run "$WORK/$model.$design.toml" -n $n --seed "$seed" --threads 1 -q \
          -o "$WORK/$model.$design.$n.$seed.h5"
      done
    done
  done
done
/usr/bin/python3 - "$WORK" "$SEEDS" <<'PY'
import sys, h5py, numpy as np
work, seeds = sys.argv[1], int(sys.argv[2])
exact = {"ishigami": 3.5, "sobol_g": 1.0}  # E[y]: a / 2 and 1
print("| model | runs | MC rms error | Sobol' rms error | MC / Sobol' | Sobol' mean s.e. (file) |")
print("|---|---:|---:|---:|---:|---:|")
for model, m in exact.items():
    for n in (1024, 4096, 16384, 65536, 262144):
        err, se = {}, []
        for design in ("monte_carlo", "sobol"):
            e = []
            for s in range(1, seeds + 1):
                with h5py.File(f"{work}/{model}.{design}.{n}.{s}.h5") as f:
                    e.append(f["mean"][0, 0] - m)
                    if design == "sobol":
                        se.append(f["qmc/se"][0, 0])
            err[design] = np.sqrt(np.mean(np.square(e)))
        print(f"| {model} | {n:,} | {err['monte_carlo']:.2e} | {err['sobol']:.2e} | "
              f"{err['monte_carlo'] / err['sobol']:.0f} | {np.sqrt(np.mean(np.square(se))):.2e} |")
PY
