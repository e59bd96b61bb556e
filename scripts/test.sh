#!/usr/bin/env bash
# Quick start, command 2 (and CI): install what is missing, build everything, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release > /dev/null
cmake --build --preset release
ctest --preset release -j 2 "$@"
