#!/usr/bin/env bash
# Quick start, command 1: install what is missing, build (release), run the default forecast.
# Extra arguments go to `wedge run` (e.g. -n 100000, --threads 2, --records all).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release > /dev/null
cmake --build --preset release --target wedge_cli
./build/release/wedge run configs/baseline.toml -o results/baseline.h5 "$@"
