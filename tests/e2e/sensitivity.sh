#!/usr/bin/env bash
# The Saltelli design end to end: /sensitivity bitwise equal (h5diff) for 1x1, 2x2 and 3x1 ranks x
# threads, across a checkpointed restart, an extension and `wedge merge` of two run ranges; the
# ordinary statistics equal a plain Monte Carlo study's; the design rows (--records all, SALib's
# order) read into OpenTURNS give the same indices and intervals to 1e-9; the exact indices of
# the test models lie in the intervals; bad input is refused with exit 2 and nothing written.
source "$(dirname "$0")/common.sh"
PY=/usr/bin/python3
CHECK="$SRC/tests/sensitivity"
saltelli() {  # saltelli CONFIG OUT [sed expressions]: the configuration as a Saltelli design
  local src=$1 out=$2
  shift 2
  sed -e 's/^design = .*/design = "saltelli"/' -e 's/^batch_size = .*/batch_size = 1024/' "$@" \
    "$src" > "$out"
}
saltelli "$SRC/configs/ishigami.toml" "$WORK/ishigami.toml" -e 's/^noise_sd = 0.0 /noise_sd = 0.5 /'
saltelli "$SRC/configs/baseline.toml" "$WORK/triangle.toml"
saltelli "$SRC/configs/sobol_g.toml" "$WORK/sobol_g.toml"

for model in ishigami triangle; do
  cfg="$WORK/$model.toml"
  n=3072
  [[ $model == ishigami ]] && n=12288
  one="$WORK/$model.1x1.h5"
  "$BIN" run "$cfg" -n $n --threads 1 -o "$one" -q
  mpirun -np 2 "$BIN" run "$cfg" -n $n --threads 2 -o "$WORK/$model.2x2.h5" -q
  mpirun -np 3 "$BIN" run "$cfg" -n $n --threads 1 -o "$WORK/$model.3x1.h5" -q
  for d in 2x2 3x1; do
    same_datasets "$one" "$WORK/$model.$d.h5" && ok "$model: 1x1 = $d" || bad "$model: 1x1 != $d"
  done
  set +e
  "$BIN" run "$cfg" -n $n --threads 1 -o "$WORK/$model.ck.h5" -q --checkpoint-every 1 --walltime 0.001
  rc=$?
  set -e
  [[ $rc -eq 75 ]] && ok "$model: stopped with a checkpoint (exit 75)" || bad "$model: walltime exit $rc"
  "$BIN" run "$cfg" -n $n --threads 2 -o "$WORK/$model.ck.h5" -q --restart
  same_datasets "$one" "$WORK/$model.ck.h5" && ok "$model: restarted = one run" || bad "$model: restart differs"
  "$BIN" run "$cfg" -n 1024 -o "$WORK/$model.ext.h5" -q
  "$BIN" run --extend "$WORK/$model.ext.h5" -n $((n - 1024)) -q
  same_datasets "$one" "$WORK/$model.ext.h5" && ok "$model: extended = one run" || bad "$model: extension differs"
  "$BIN" run "$cfg" -n 1024 -o "$WORK/$model.a.h5" -q
  "$BIN" run "$cfg" --first-run 1024 -n $((n - 1024)) -o "$WORK/$model.b.h5" -q
  "$BIN" merge "$WORK/$model.m.h5" "$WORK/$model.b.h5" "$WORK/$model.a.h5" > /dev/null
  same_datasets "$one" "$WORK/$model.m.h5" && ok "$model: merged = one run" || bad "$model: merge differs"
  h5ls "$one/sensitivity/total_order" > /dev/null && ok "$model: /sensitivity written" || bad "$model: no /sensitivity"
done

# The A rows are the Monte Carlo study: every dataset but the statistics' words (which carry the
# Sobol' sums after the Monte Carlo ones) is the same, and those words begin alike.
sed -e 's/^design = .*/design = "monte_carlo"/' "$WORK/triangle.toml" > "$WORK/mc.toml"
"$BIN" run "$WORK/mc.toml" -n 3072 -o "$WORK/mc.h5" -q
diffs=0
while read -r ds; do
  [[ $ds == /state/word* ]] && continue
  h5diff -q "$WORK/mc.h5" "$WORK/triangle.1x1.h5" "$ds" "$ds" > /dev/null 2>&1 || { echo "  $ds differs"; diffs=$((diffs + 1)); }
done < <(h5ls -r "$WORK/mc.h5" | awk '$2 == "Dataset" {print $1}')
$PY - "$WORK/mc.h5" "$WORK/triangle.1x1.h5" <<'PY' || diffs=$((diffs + 1))
import sys, h5py, numpy as np
a = h5py.File(sys.argv[1])["state/words"][:]
b = h5py.File(sys.argv[2])["state/words"][:]
assert len(b) > len(a) and np.array_equal(a, b[: len(a)]), "Monte Carlo words differ"
PY
[[ $diffs -eq 0 ]] && ok "Saltelli A rows = Monte Carlo study (bitwise)" || bad "Saltelli statistics differ from Monte Carlo"

# Records in SALib's order, the same from 1 and 2 ranks, and OpenTURNS agrees on them.
"$BIN" run "$WORK/triangle.toml" -n 512 --threads 2 --records all -o "$WORK/tri.rec1.h5" -q
mpirun -np 2 "$BIN" run "$WORK/triangle.toml" -n 512 --threads 1 --records all -o "$WORK/tri.rec2.h5" -q
same_datasets "$WORK/tri.rec1.h5" "$WORK/tri.rec2.h5" && ok "records: 1 rank = 2 ranks" || bad "records differ"
sed -e 's/^batch_size = .*/batch_size = 128/' "$WORK/triangle.toml" > "$WORK/tri128.toml"
set +e
"$BIN" run "$WORK/tri128.toml" -n 512 --records all -o "$WORK/tri.rec3.h5" -q --checkpoint-every 1 --walltime 0.001 \
  2> /dev/null
rc=$?
set -e
"$BIN" run "$WORK/tri128.toml" -n 512 --records all -o "$WORK/tri.rec3.h5" -q --restart
[[ $rc -eq 75 ]] && same_datasets "$WORK/tri.rec1.h5" "$WORK/tri.rec3.h5" && ok "records across a restart" ||
  bad "records across a restart (exit $rc)"
"$BIN" run "$WORK/ishigami.toml" -n 2048 --records all -o "$WORK/ish.rec.h5" -q
for f in tri.rec1 ish.rec; do
  $PY "$CHECK/openturns_check.py" "$WORK/$f.h5" && ok "$f: OpenTURNS agrees to 1e-9" || bad "$f: OpenTURNS differs"
done

# Exact indices of the G-function and of Ishigami with noise inside the intervals.
"$BIN" run "$WORK/sobol_g.toml" -n 20000 -o "$WORK/g.h5" -q
$PY "$CHECK/exact_indices.py" within "$WORK/g.h5" "$WORK/ishigami.1x1.h5" && ok "exact indices inside intervals" || bad "exact indices outside"

# Stopping at an index precision: on whole batches, the same stop for any ranks x threads.
"$BIN" run "$WORK/ishigami.toml" -n 100000 --threads 1 --target-se total_order:y=0.03 -o "$WORK/t1.h5" -q
mpirun -np 2 "$BIN" run "$WORK/ishigami.toml" -n 100000 --threads 2 --target-se total_order:y=0.03 -o "$WORK/t2.h5" -q
runs=$(h5dump -a /runs "$WORK/t1.h5" | awk '/\(0\)/ {print $2}')
same_datasets "$WORK/t1.h5" "$WORK/t2.h5" && [[ $runs -gt 1024 && $runs -lt 100000 && $((runs % 1024)) -eq 0 ]] &&
  ok "total_order target: stopped at $runs runs, 1x1 = 2x2" || bad "total_order target: $runs runs"
$PY - "$WORK/t1.h5" <<'PY' && ok "target met: every total-order half width below 0.03" || bad "target not met"
import sys, h5py, numpy as np
g = h5py.File(sys.argv[1])["sensitivity"]
assert np.nanmax(g["total_order_high"][0] - g["total_order"][0]) < 0.03
PY

# wedge info --sensitivity prints every factor of every strategy and pair.
out=$("$BIN" info "$WORK/triangle.1x1.h5" --sensitivity --drivers-of split)
rows=$(grep -c '^  intrinsic ' <<< "$out" || true)
[[ $rows -eq 6 ]] && ok "info --sensitivity: 3 strategies + 3 pairs" || bad "info --sensitivity: $rows intrinsic rows"
"$BIN" info "$WORK/mc.h5" --sensitivity | grep -q "no Sobol' indices" && ok "info --sensitivity of a Monte Carlo study says so" || bad "info --sensitivity of MC"

# Bad input: exit 2, a message naming the key, nothing written.
refuse() {  # refuse WHAT EXPECTED-TEXT COMMAND...
  local what=$1 says=$2 rc=0
  shift 2
  rm -f "$WORK/bad.h5"
  "$@" -o "$WORK/bad.h5" -q > "$WORK/err.txt" 2>&1 || rc=$?
  if [[ $rc -eq 2 ]] && grep -q -- "$says" "$WORK/err.txt" && [[ ! -e $WORK/bad.h5 ]]; then
    ok "refused: $what"
  else
    bad "$what: exit $rc: $(cat "$WORK/err.txt")"
  fi
}
cp "$WORK/ishigami.toml" "$WORK/g0.toml"
printf '[[sensitivity.group]]\nname = "g"\ninputs = []\n' >> "$WORK/g0.toml"
refuse "group of no input" "sensitivity.group\[0\].inputs" "$BIN" run "$WORK/g0.toml" -n 64
cp "$WORK/ishigami.toml" "$WORK/g2.toml"
printf '[[sensitivity.group]]\nname = "g"\ninputs = ["x1", "x1"]\n' >> "$WORK/g2.toml"
refuse "input named twice" "named twice" "$BIN" run "$WORK/g2.toml" -n 64
refuse "index target on an unknown outcome" "'zz' names no outcome" \
  "$BIN" run "$WORK/ishigami.toml" -n 64 --target-se total_order:zz=0.1
refuse "index target without a Saltelli design" "index targets need" \
  "$BIN" run "$WORK/mc.toml" -n 64 --target-se first_order:split=0.1
refuse "records larger than the free disk space" "bytes per run) but .* free" \
  "$BIN" run "$WORK/triangle.toml" -n 100000000000 --records all
# An index target on extending a Monte Carlo study (its design has no indices): refused, the
# extended file untouched.
before=$(md5sum < "$WORK/mc.h5")
rc=0
"$BIN" run --extend "$WORK/mc.h5" -n 1024 --target-se total_order:split=0.1 -q 2> "$WORK/err.txt" || rc=$?
[[ $rc -eq 2 && $(md5sum < "$WORK/mc.h5") == "$before" ]] && grep -q "index targets need" "$WORK/err.txt" &&
  ok "refused: index target on --extend of a Monte Carlo study" || bad "extend with index target: exit $rc"
sed -e 's/^runs = .*/runs = 1000/' "$SRC/configs/correlated.toml" > "$WORK/corr.toml"
sed -i 's/^design = .*/design = "saltelli"/' "$WORK/corr.toml"
refuse "Saltelli design with correlated inputs" "needs independent inputs" "$BIN" run "$WORK/corr.toml" -n 64
finish
