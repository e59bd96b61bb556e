#!/usr/bin/env bash
# Quick start, command 2 (and CI): install what is missing, build everything, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release > /dev/null
cmake --build --preset release
# The libFuzzer harnesses (clang, ASan + UBSan; docs/failures.md): built and run first, 60 s
# each on both cores, then the suite.
cmake --preset fuzz > /dev/null
cmake --build --preset fuzz
ctest --preset fuzz -j 2
ctest --preset release -j 2 "$@"
