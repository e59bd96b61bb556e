#!/usr/bin/env bash
# Lever sweeps (issue 12): a swept strategy equal to a named one has the same statistics bit for
# bit; 1x1, 2x2 and 3x1 ranks x threads and a restart give identical files; --target-se
# diff:OUTCOME and settled:max:OUTCOME stop on whole batches, reproducibly; bad sweeps are
# refused with file, line and key, exit 2.
source "$(dirname "$0")/common.sh"
PY=/usr/bin/python3

# base config: the baseline, small batches, and a [[sweep]] block appended (TOML: arrays of
# tables may follow any table).
sweep_config() {  # name, sweep body, [analysis extras]
  sed -e 's/^batch_size = 65536/batch_size = 4096/' "$SRC/configs/baseline.toml" > "$WORK/$1.toml"
  printf '\n%s\n' "$2" >> "$WORK/$1.toml"
  echo "$WORK/$1.toml"
}

# 1. Equal levers, equal statistics: engagement_with_deterrence has sanctions_relief 0.5 and
# conditionality 0.9; the sweep makes 0.3 and 0.5 at conditionality 0.9.
cfg=$(sweep_config equal '[[sweep]]
base = "engagement_with_deterrence"
design = "grid"
steps = { sanctions_relief = 2, conditionality = 1 }
[sweep.levers]
sanctions_relief = [0.3, 0.5]
conditionality = [0.9, 0.9]')
"$BIN" run "$cfg" -n 5000 --threads 2 -o "$WORK/equal.h5" -q
if $PY - "$WORK/equal.h5" <<'PYEOF'
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
names = [n.decode() for n in f["strategy"][:]]
a = names.index("engagement_with_deterrence")
b = names.index("engagement_with_deterrence+sanctions_relief=0.50+conditionality=0.90")
assert f["strategies/generated"][b] == 1 and f["strategies/generated"][a] == 0
# By default fan charts are kept for the named strategies only ([output] fan_charts).
fans = [n.decode() for n in f["paths/fan_chart_strategy"][:]]
assert names[a] in fans and names[b] not in fans, fans
# Ties of the best strategy go to the first of equal payoffs; the flags and names differ.
skip = {"/comparison/best_share", "/strategies/generated"}
checked = 0
def visit(name, obj):
    global checked
    if not isinstance(obj, h5py.Dataset) or "/" + name in skip or obj.dtype.kind in "SO":
        return
    for axis, dim in enumerate(obj.dims):
        if len(dim) and dim[0].name.endswith("strategy") and dim[0].name != "/" + name:
            # Each axis by its own coordinate: fan charts list only the named strategies.
            axis_names = [n.decode() for n in dim[0][()]]
            if names[a] not in axis_names or names[b] not in axis_names:
                continue
            ia, ib = axis_names.index(names[a]), axis_names.index(names[b])
            x, y = np.take(obj[()], ia, axis=axis), np.take(obj[()], ib, axis=axis)
            assert x.tobytes() == y.tobytes(), name
            checked += 1
f.visititems(visit)
assert checked >= 20, checked
print(f"  {checked} per-strategy datasets identical")
PYEOF
then ok "a swept strategy equal to a named one has bitwise the same statistics"; else bad "equal levers"; fi

# 2. Ranks x threads and a restart, with more strategies than the all-pairs default (19: the
# comparisons are against the sweep's base).
cfg=$(sweep_config many '[[sweep]]
base = "engagement_with_deterrence"
design = "grid"
steps = 4
[sweep.levers]
sanctions_relief = [0.0, 1.0]
conditionality = [0.4, 1.0]')
sed -i '/^baseline = "all_pairs"/d' "$cfg"  # the default rule decides
N=20480
"$BIN" run "$cfg" -n $N --threads 1 -o "$WORK/ref.h5" -q
if h5dump -a /strategies/baseline "$WORK/ref.h5" | grep -q '"engagement_with_deterrence"' \
    && [[ $($PY -c "import h5py; print(h5py.File('$WORK/ref.h5')['comparison/pair'].shape[0])") == 18 ]]; then
  ok "19 strategies: 18 comparisons against the sweep's base"
else bad "baseline default"; fi
for rt in "2 2" "3 1"; do
  set -- $rt
  if mpirun -np "$1" "$BIN" run "$cfg" -n $N --threads "$2" -o "$WORK/r$1t$2.h5" -q > "$WORK/log" 2>&1 \
      && same_datasets "$WORK/ref.h5" "$WORK/r$1t$2.h5"; then
    ok "$1 ranks x $2 threads equals 1 x 1"
  else cat "$WORK/log"; bad "$1 ranks x $2 threads"; fi
done
out="$WORK/restart.h5"
set +e
"$BIN" run "$cfg" -n $N --threads 1 -o "$out" -q --checkpoint-every 1 &
pid=$!
for _ in $(seq 200); do [[ -e "$out.checkpoint" ]] && break; sleep 0.1; done
kill -USR1 $pid
wait $pid
rc=$?
set -e
"$BIN" run "$cfg" -n $N --threads 2 -o "$out" -q --restart
if [[ $rc -eq 75 ]] && same_datasets "$WORK/ref.h5" "$out"; then
  ok "interrupted (exit 75) and restarted: equals the direct run"
else bad "restart (first exit $rc)"; fi

# 3. The stopping rule on paired differences stops at a whole batch.
"$BIN" run "$cfg" -n 200000 --target-se diff:us_payoff=0.01 -o "$WORK/target.h5" -q
runs=$(h5dump -a /runs "$WORK/target.h5" | awk '/\(0\)/ {print $2}')
if [[ $runs -lt 200000 && $((runs % 4096)) -eq 0 ]] \
    && h5dump -a /target_se "$WORK/target.h5" | grep -q '"diff:us_payoff=0.01"'; then
  ok "--target-se diff:us_payoff stopped after $runs runs (whole batches)"
else bad "--target-se diff: runs $runs"; fi

# 3b. The ranking stop (--target-se settled:): the best of 19 on the payoff ahead of every other
# (most pairs not compared: the bounded standard error). The same run count and bitwise the same
# file for 2 ranks x 2 threads and 1 x 1; a confidence closer to 1 runs longer.
settled="settled:max:us_payoff"
"$BIN" run "$cfg" -n 400000 --threads 1 --target-se "$settled=0.95" -o "$WORK/s1.h5" > /dev/null 2> "$WORK/s1.log"
mpirun -np 2 "$BIN" run "$cfg" -n 400000 --threads 2 --target-se "$settled=0.95" -o "$WORK/s22.h5" -q > /dev/null
"$BIN" run "$cfg" -n 400000 --threads 2 --target-se "$settled=0.999" -o "$WORK/s999.h5" -q > /dev/null
runs=$(h5dump -a /runs "$WORK/s1.h5" | awk '/\(0\)/ {print $2}')
runs22=$(h5dump -a /runs "$WORK/s22.h5" | awk '/\(0\)/ {print $2}')
runs999=$(h5dump -a /runs "$WORK/s999.h5" | awk '/\(0\)/ {print $2}')
if [[ $runs -lt 400000 && $((runs % 4096)) -eq 0 && $runs22 -eq $runs ]] && same_datasets "$WORK/s1.h5" "$WORK/s22.h5" \
    && h5dump -a /target_se "$WORK/s22.h5" | grep -q "\"$settled=0.95\"" \
    && h5dump -a /target_se_reached "$WORK/s22.h5" | grep -q "(0): 1"; then
  ok "--target-se $settled=0.95 stopped after $runs runs, 2 x 2 bitwise equal to 1 x 1"
else cat "$WORK/s1.log"; bad "--target-se settled: runs $runs"; fi
# The same stop for 3 ranks x 1 thread, and for a run stopped after its first batch and restarted.
mpirun --oversubscribe -np 3 "$BIN" run "$cfg" -n 400000 --threads 1 --target-se "$settled=0.95" -o "$WORK/s31.h5" -q > /dev/null
set +e
"$BIN" run "$cfg" -n 400000 --threads 1 --target-se "$settled=0.95" --checkpoint-every 1 --walltime 0.001 \
  -o "$WORK/sr.h5" -q > /dev/null 2>&1; rc=$?
set -e
"$BIN" run "$cfg" -n 400000 --threads 2 --target-se "$settled=0.95" --restart -o "$WORK/sr.h5" -q > /dev/null
if [[ $rc -eq 75 ]] && same_datasets "$WORK/s1.h5" "$WORK/s31.h5" && same_datasets "$WORK/s1.h5" "$WORK/sr.h5"; then
  ok "--target-se $settled=0.95: 3 x 1 and a restarted run stop at the same run, bitwise equal to 1 x 1"
else bad "settled stop for 3 x 1 or across a restart (exit $rc)"; fi
if [[ $runs999 -gt $runs && $runs999 -lt 400000 ]]; then
  ok "confidence 0.999 runs longer: $runs999 runs"
else bad "confidence 0.999: $runs999 runs, 0.95: $runs"; fi
# Why it stopped: the run and wedge info name the leader, its closest rival and the lead.
"$BIN" info "$WORK/s1.h5" > "$WORK/s1.info"
lead="ranking on max:us_payoff: engagement_with_deterrence+[^ ]* leads [^ ]*, the closest of 18 rivals, by [0-9.]+ standard errors"
if grep -qE "^$lead" "$WORK/s1.log" && grep -q "precision target reached after $runs runs" "$WORK/s1.log" \
    && grep -q "^target_se $settled=0.95: reached after $runs runs" "$WORK/s1.info" \
    && grep -qE "^  $lead.*needed for confidence 0.95" "$WORK/s1.info"; then
  ok "the run and wedge info say which strategy leads which, by how much"
else cat "$WORK/s1.log" "$WORK/s1.info"; bad "settled ranking report"; fi

# 4. Bad sweeps: a clear message naming file, line and key; exit 2; nothing written.
refuse() {  # what, expected message, sweep body
  local c
  c=$(sweep_config bad "$3")
  set +e
  "$BIN" run "$c" -n 100 -o "$WORK/bad.h5" -q 2> "$WORK/err"
  local rc=$?
  set -e
  if [[ $rc -eq 2 && ! -e "$WORK/bad.h5" ]] && grep -qE "bad.toml:[0-9]+: key '[^']+'" "$WORK/err" \
      && grep -q "$2" "$WORK/err"; then
    ok "refused: $1"
  else cat "$WORK/err"; bad "$1 (exit $rc)"; fi
}
refuse "a lever range outside [0, 1]" "sweep\[0\].levers.sanctions_relief.*must lie in \[0, 1\]" '[[sweep]]
base = "conciliation"
design = "grid"
steps = 3
[sweep.levers]
sanctions_relief = [0.0, 1.5]'
refuse "a sweep over an unknown lever" "sweep\[0\].levers.tariffs" '[[sweep]]
base = "conciliation"
design = "grid"
steps = 3
[sweep.levers]
tariffs = [0.0, 1.0]'
refuse "more strategies than the limit" "above the limit of 1000" '[[sweep]]
base = "conciliation"
design = "latin_hypercube"
size = 998
[sweep.levers]
sanctions_relief = [0.0, 1.0]'
refuse "duplicate generated names" "two strategies would be named" '[[sweep]]
base = "conciliation"
design = "grid"
steps = 3
[sweep.levers]
sanctions_relief = [0.0, 1.0]
[[sweep]]
base = "conciliation"
design = "grid"
steps = 2
[sweep.levers]
sanctions_relief = [0.0, 1.0]'
refuse "an unknown base strategy" "sweep\[0\].base" '[[sweep]]
base = "appeasement"
design = "sobol"
size = 8
[sweep.levers]
sanctions_relief = [0.0, 1.0]'
# An objective on an unknown outcome (in [analysis], with its own line).
cfg=$(sweep_config objective "")
sed -i 's/^baseline = "all_pairs".*/&\nobjectives = ["max:us_payoff", "min:tariff_war"]/' "$cfg"
line=$(grep -n '^objectives' "$cfg" | cut -d: -f1)
set +e
"$BIN" run "$cfg" -n 100 -o "$WORK/bad.h5" -q 2> "$WORK/err"
rc=$?
set -e
if [[ $rc -eq 2 && ! -e "$WORK/bad.h5" ]] && grep -q "objective.toml:$line: key 'analysis.objectives': \"tariff_war\" names no outcome" "$WORK/err"; then
  ok "refused: an objective on an unknown outcome"
else cat "$WORK/err"; bad "unknown objective (exit $rc)"; fi
finish
