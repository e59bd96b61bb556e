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
h5ls "$WORK/ref.h5/paths/by_group" 2> /dev/null | grep -q quantiles \
  && ok "the fan charts of kept and switched runs (/paths/by_group) were among the datasets compared" \
  || bad "no /paths/by_group in the reference file"

# Fan charts for two strategies only ([output] fan_charts), one of them with groups: bitwise the
# same for 1x1, 2x2 and 3x1 ranks x threads, after a restart, and merged from two run ranges.
sed 's/^path_sample = 8 /fan_charts = ["dual_containment", "engagement_with_deterrence"]\npath_sample = 8 /' \
  "$cfg" > "$WORK/fan.toml"
NF=12000
"$BIN" run "$WORK/fan.toml" -n $NF --threads 1 -o "$WORK/fan_ref.h5" -q > /dev/null
fan=$(h5dump -d /paths/fan_chart_strategy "$WORK/fan_ref.h5" 2> /dev/null | grep -o '"dual_containment"\|"engagement_with_deterrence"' | wc -l)
grouped=$(h5ls "$WORK/fan_ref.h5/paths/by_group/strategy" 2> /dev/null)
if [[ $fan -eq 2 ]] && grep -q "{1}" <<< "$grouped" && h5ls "$WORK/fan_ref.h5/paths/mean" | grep -q "{2, 5, 40}"; then
  ok "fan charts for the two listed strategies, groups for the one with a fallback"
else
  bad "fan_charts layout: fan_chart_strategy entries $fan, by_group/strategy '$grouped'"
fi
for rt in 2x2 3x1; do
  if mpirun -np "${rt%x*}" "$BIN" run "$WORK/fan.toml" -n $NF --threads "${rt#*x}" -o "$WORK/fan_$rt.h5" -q > "$WORK/log" 2>&1 \
      && same_datasets "$WORK/fan_ref.h5" "$WORK/fan_$rt.h5"; then
    ok "fan_charts: $rt ranks x threads equals one process"
  else
    cat "$WORK/log"; bad "fan_charts: $rt ranks x threads"
  fi
done
set +e
"$BIN" run "$WORK/fan.toml" -n $NF --threads 1 -o "$WORK/fan_restart.h5" -q --checkpoint-every 1 --walltime 0:00:01 > /dev/null 2>&1
rc=$?
set -e
"$BIN" run "$WORK/fan.toml" -n $NF --threads 2 -o "$WORK/fan_restart.h5" -q --restart > /dev/null
if [[ $rc -eq 75 || $rc -eq 0 ]] && same_datasets "$WORK/fan_ref.h5" "$WORK/fan_restart.h5"; then
  ok "fan_charts: stopped (exit $rc) and restarted, equals one process"
else
  bad "fan_charts: restart (first exit $rc)"
fi
"$BIN" run "$WORK/fan.toml" -n 4096 -o "$WORK/fan_a.h5" -q > /dev/null
mpirun -np 2 "$BIN" run "$WORK/fan.toml" --first-run 4096 -n $((NF - 4096)) -o "$WORK/fan_b.h5" -q > /dev/null
"$BIN" merge "$WORK/fan_merged.h5" "$WORK/fan_b.h5" "$WORK/fan_a.h5" > /dev/null
if same_datasets "$WORK/fan_ref.h5" "$WORK/fan_merged.h5"; then ok "fan_charts: merge of two run ranges equals one process"; else bad "fan_charts: merge"; fi

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
