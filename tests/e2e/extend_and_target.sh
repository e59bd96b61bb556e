#!/usr/bin/env bash
# An extended study equals one run of the total size; the precision stop is reproducible.
source "$(dirname "$0")/common.sh"
cfg=$(small_config)
"$BIN" run "$cfg" -n 10000 --threads 2 -o "$WORK/part.h5" -q > /dev/null
"$BIN" run --extend "$WORK/part.h5" -n 15000 -o "$WORK/extended.h5" -q > /dev/null
mpirun -np 2 "$BIN" run --extend "$WORK/extended.h5" -n 5000 -q > /dev/null   # in place
"$BIN" run "$cfg" -n 30000 --threads 1 -o "$WORK/whole.h5" -q > /dev/null
if same_datasets "$WORK/whole.h5" "$WORK/extended.h5"; then ok "extension equals the single run"; else bad "extension differs"; fi
if h5dump -a /runs "$WORK/extended.h5" | grep -q "30000"; then ok "extended file holds 30000 runs"; else bad "run count after extension"; fi
# The history keeps every invocation: the run and both extensions, oldest first.
"$BIN" info "$WORK/extended.h5" > "$WORK/info.txt"
if grep -A3 '^history:' "$WORK/info.txt" | awk 'NR==2 && /run .*runs 0\.\.10000,/ {a=1} NR==3 && /extend .*runs 10000\.\.25000,/ {b=1}
     NR==4 && /extend .*runs 25000\.\.30000, 2x/ {c=1} END {exit !(a && b && c)}'; then
  ok "history lists the run and both extensions"
else
  cat "$WORK/info.txt"; bad "history after extension"
fi
# --target-se: stops on a batch boundary, same answer every time and for any threads.
"$BIN" run "$cfg" -n 1000000 --target-se split=0.003 us_payoff=0.01 --threads 2 -o "$WORK/t1.h5" 2> "$WORK/t1.log" > /dev/null
mpirun -np 2 "$BIN" run "$cfg" -n 1000000 --target-se split=0.003 us_payoff=0.01 --threads 1 -o "$WORK/t2.h5" -q > /dev/null
runs=$(h5dump -a /runs "$WORK/t1.h5" | awk '/\(0\)/ {print $2}')
if grep -q "precision target reached" "$WORK/t1.log" && (( runs % 4096 == 0 && runs < 1000000 )); then
  ok "precision target reached after $runs runs (whole batches)"
else
  cat "$WORK/t1.log"; bad "precision stop ($runs runs)"
fi
if same_datasets "$WORK/t1.h5" "$WORK/t2.h5"; then ok "precision stop reproducible across ranks"; else bad "precision stop differs"; fi
finish
