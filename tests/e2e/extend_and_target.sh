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
# An interrupted extension resumes with the same command and --restart, and ends equal to the
# single run with one (seed, 0, N) range (so it can be extended again).
"$BIN" run "$cfg" -n 3000 -o "$WORK/k.h5" -q > /dev/null
set +e
"$BIN" run --extend "$WORK/k.h5" -n 1500000 --threads 1 --checkpoint-every 1 --restart -q > /dev/null 2>&1 &
pid=$!
for _ in $(seq 100); do [[ -e "$WORK/k.h5.checkpoint" ]] && break; sleep 0.1; done
kill -TERM $pid; wait $pid; rc=$?
set -e
cp "$WORK/k.h5.checkpoint" "$WORK/stale.checkpoint"
"$BIN" run --extend "$WORK/k.h5" -n 1500000 --restart -q > /dev/null
"$BIN" run "$cfg" -n 1503000 -o "$WORK/k_whole.h5" -q > /dev/null
if [[ $rc -eq 75 ]] && same_datasets "$WORK/k_whole.h5" "$WORK/k.h5" \
    && h5dump -a /run_ranges "$WORK/k.h5" | grep -q "(0): 20250301, 0, 1503000"; then
  ok "an interrupted extension, restarted, equals the single run"
else
  bad "interrupted extension (exit $rc)"
fi
# A checkpoint left by an extension that finished in place (stopped between the rename and the
# removal) means "complete": the same command does nothing and removes it.
cp "$WORK/stale.checkpoint" "$WORK/k.h5.checkpoint"
md5=$(md5sum < "$WORK/k.h5")
"$BIN" run --extend "$WORK/k.h5" -n 1500000 --restart > /dev/null 2> "$WORK/stale.log"
if grep -q "is complete; nothing to do" "$WORK/stale.log" && [[ $(md5sum < "$WORK/k.h5") == "$md5" && ! -e "$WORK/k.h5.checkpoint" ]]; then
  ok "a finished in-place extension is not extended again by its stale checkpoint"
else
  cat "$WORK/stale.log"; bad "stale extension checkpoint"
fi
# A leftover checkpoint of another extension is refused, on every rank (no rank left waiting),
# and so is a restart whose --target-se differs from the checkpointed run's.
"$BIN" run "$cfg" -n 3000 -o "$WORK/a.h5" -q > /dev/null
set +e
"$BIN" run --extend "$WORK/a.h5" -n 1500000 -o "$WORK/b.h5" --threads 1 --checkpoint-every 1 -q > /dev/null 2>&1 &
pid=$!
for _ in $(seq 100); do [[ -e "$WORK/b.h5.checkpoint" ]] && break; sleep 0.1; done
kill -TERM $pid; wait $pid
timeout 60 mpirun -np 2 "$BIN" run --extend "$WORK/a.h5" -n 1000 -o "$WORK/b.h5" --restart -q > /dev/null 2> "$WORK/err"; rc1=$?
timeout 60 mpirun -np 2 "$BIN" run --extend "$WORK/a.h5" -n 1500000 -o "$WORK/b.h5" --restart --target-se split=0.01 -q > /dev/null 2> "$WORK/err2"; rc2=$?
set -e
if [[ $rc1 -eq 2 ]] && grep -q "the checkpoint is of runs 3000..1503000, but this extension of .* is of runs 3000..4000" "$WORK/err" \
    && [[ ! -e "$WORK/b.h5" ]]; then
  ok "a checkpoint of another extension is refused (2 ranks, exit 2)"
else
  cat "$WORK/err"; bad "foreign extension checkpoint (exit $rc1)"
fi
if [[ $rc2 -eq 2 ]] && grep -q "the checkpointed run had no --target-se; restart it without" "$WORK/err2"; then
  ok "a restart with other --target-se is refused (2 ranks, exit 2)"
else
  cat "$WORK/err2"; bad "restart with other targets (exit $rc2)"
fi
# An extension never adds per-run records, even if the embedded configuration asks for them.
sed -e 's/^records = .*/records = "all"/' "$cfg" > "$WORK/rec.toml"
"$BIN" run "$WORK/rec.toml" --records none -n 3000 -o "$WORK/r.h5" -q > /dev/null
"$BIN" run --extend "$WORK/r.h5" -n 2000 -q > /dev/null
if ! h5ls "$WORK/r.h5" | grep -q records; then ok "extension of a study without records adds none"; else bad "extension wrote records"; fi
# Refusals: nothing written, exit 2, the message names the file.
echo "not hdf5" > "$WORK/text.h5"
for args in "--extend $WORK/text.h5 -n 10" "--extend $WORK/missing.h5 -n 10" "--extend $WORK/part.h5 -n 10 --seed 3" \
    "--extend $WORK/part.h5" "$cfg --extend $WORK/part.h5 -n 10"; do
  set +e
  # shellcheck disable=SC2086
  "$BIN" run $args -o "$WORK/refused.h5" -q > /dev/null 2> "$WORK/err"; rc=$?
  set -e
  if [[ $rc -eq 2 && ! -e "$WORK/refused.h5" && ! -e "$WORK/refused.h5.partial" && -s "$WORK/err" ]]; then
    ok "refused: run $args ($(head -c 90 "$WORK/err"))"
  else
    bad "run $args: exit $rc"
  fi
done
# --target-se that the run cap cuts short: said even with -q, and recorded in the file.
"$BIN" run "$cfg" -n 4096 --target-se us_payoff=0.0001 -o "$WORK/cap.h5" -q > /dev/null 2> "$WORK/cap.log"
if grep -q "run cap reached before the precision target" "$WORK/cap.log" \
    && h5dump -a /target_se_reached "$WORK/cap.h5" | grep -q "(0): 0" \
    && h5dump -a /target_se "$WORK/cap.h5" | grep -q '"us_payoff=0.0001"'; then
  ok "a missed precision target is reported and recorded"
else
  cat "$WORK/cap.log"; bad "missed target"
fi
# -q is quiet: nothing on stdout, and on stderr only the missed-target warning.
"$BIN" run "$cfg" -n 4096 --target-se us_payoff=0.0001 -o "$WORK/capq.h5" -q > "$WORK/capq.out" 2> "$WORK/capq.err"
"$BIN" run "$cfg" -n 3000 -o "$WORK/q.h5" -q > "$WORK/q.out" 2> "$WORK/q.err"
if [[ ! -s "$WORK/capq.out" && $(wc -l < "$WORK/capq.err") -eq 1 && ! -s "$WORK/q.out" && ! -s "$WORK/q.err" && -f "$WORK/q.h5" ]] \
    && grep -q "run cap reached before the precision target" "$WORK/capq.err"; then
  ok "run -q prints nothing but the missed-target warning"
else
  head -5 "$WORK/q.out" "$WORK/capq.err"; bad "run -q is not quiet"
fi
"$BIN" info "$WORK/cap.h5" > "$WORK/cap.info"
"$BIN" info "$WORK/q.h5" > "$WORK/q.info"
if grep -q "^target_se us_payoff=0.0001: not reached (the run cap came first)" "$WORK/cap.info" \
    && ! grep -q "target_se" "$WORK/q.info"; then
  ok "info shows target_se and that it was not reached"
else
  head -8 "$WORK/cap.info"; bad "info without target_se"
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
h5dump -a /target_se_reached "$WORK/t1.h5" | grep -q "(0): 1" && ok "target_se_reached = 1 recorded" || bad "target_se_reached"
"$BIN" info "$WORK/t1.h5" | grep -q "^target_se split=0.003 us_payoff=0.01: reached after $runs runs" \
  && ok "info shows a reached target_se" || bad "info: reached target_se"
finish
