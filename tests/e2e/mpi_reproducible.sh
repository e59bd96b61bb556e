#!/usr/bin/env bash
# Every dataset is bitwise identical for 1 or 2 threads and 1, 2 or 3 MPI ranks (real mpirun,
# parallel HDF5 with per-run records written collectively), compared with h5diff.
source "$(dirname "$0")/common.sh"
cfg=$(small_config)
N=30000
"$BIN" run "$cfg" -n $N --threads 1 --records all -o "$WORK/ref.h5" -q > /dev/null
for ranks in 1 2 3; do
  for threads in 1 2; do
    out="$WORK/r${ranks}t${threads}.h5"
    if mpirun -np $ranks "$BIN" run "$cfg" -n $N --threads $threads --records all -o "$out" -q > "$WORK/log" 2>&1 \
        && same_datasets "$WORK/ref.h5" "$out"; then
      ok "$ranks ranks x $threads threads equals one process"
    else
      cat "$WORK/log"; bad "$ranks ranks x $threads threads"
    fi
  done
done
# The provenance says how it was run.
if h5dump -a /ranks_x_threads "$WORK/r3t2.h5" | grep -q '"3x2"'; then ok "ranks x threads recorded"; else bad "ranks x threads attribute"; fi
# No temporary file is left behind.
if ls "$WORK"/*.partial > /dev/null 2>&1; then bad "temporary file left behind"; else ok "no .partial files"; fi
finish
