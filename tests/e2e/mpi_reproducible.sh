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
# Compact records (a count and a 0/1 outcome: int16 on disk, converted while written): the
# same for any ranks x threads, and the columns of the full records.
sed -e 's/^records = .*/records = "compact"\nrecord_outcomes = ["hybrid_attacks", "split"]/' "$cfg" > "$WORK/compact.toml"
"$BIN" run "$WORK/compact.toml" -n $N --threads 1 -o "$WORK/c_ref.h5" -q > /dev/null
for rt in "2 2" "3 1"; do
  read -r ranks threads <<< "$rt"
  out="$WORK/c${ranks}t${threads}.h5"
  if mpirun -np $ranks "$BIN" run "$WORK/compact.toml" -n $N --threads $threads -o "$out" -q > "$WORK/log" 2>&1 \
      && same_datasets "$WORK/c_ref.h5" "$out"; then
    ok "compact records: $ranks ranks x $threads threads equals one process"
  else
    cat "$WORK/log"; bad "compact records: $ranks ranks x $threads threads"
  fi
done
/usr/bin/python3 - "$WORK/ref.h5" "$WORK/c_ref.h5" <<'PY' && ok "compact records are the named columns of the full records" || bad "compact columns"
import sys, h5py, numpy as np
with h5py.File(sys.argv[1], "r") as a, h5py.File(sys.argv[2], "r") as c:
    assert c["records"].attrs["records_mode"] == "compact" and a["records"].attrs["records_mode"] == "all"
    names = list(c["records/outcome"].asstr()[:])
    assert names == ["hybrid_attacks", "split"], names
    assert c["records/outcomes"].dtype == "int16"  # written with a type conversion under MPI
    full = list(a["records/outcome"].asstr()[:])
    assert np.array_equal(c["records/parameters"][:], a["records/parameters"][:])
    assert np.array_equal(c["records/run"][:], a["records/run"][:])
    for k, n in enumerate(names):
        assert np.array_equal(c["records/outcomes"][:, :, k], a["records/outcomes"][:, :, full.index(n)]), n
    assert c["records/outcomes"].attrs["outcome_units"].tolist() == [
        a["records/outcomes"].attrs["outcome_units"][full.index(n)] for n in names]
PY
# The provenance says how it was run.
if h5dump -a /ranks_x_threads "$WORK/r3t2.h5" | grep -q '"3x2"'; then ok "ranks x threads recorded"; else bad "ranks x threads attribute"; fi
# No temporary file is left behind.
if ls "$WORK"/*.partial > /dev/null 2>&1; then bad "temporary file left behind"; else ok "no .partial files"; fi
finish
