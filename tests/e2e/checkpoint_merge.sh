#!/usr/bin/env bash
# Checkpoint and restart (SIGUSR1, SIGTERM, --walltime; repeated restarts; MPI ranks) end in a
# file bitwise equal to an uninterrupted run; `wedge merge` of run ranges equals the single run
# and refuses what cannot be merged.
source "$(dirname "$0")/common.sh"
cfg=$(small_config)
N=1500000
"$BIN" run "$cfg" -n $N --threads 2 --records all -o "$WORK/direct.h5" -q > /dev/null

# Interrupt with a signal, twice, then restart to the end (2 MPI ranks).
out="$WORK/ck.h5"
for sig in USR1 TERM; do
  set +e
  mpirun -np 2 "$BIN" run "$cfg" -n $N --threads 1 --records all -o "$out" -q --restart --checkpoint-interval 0.3 &
  pid=$!
  sleep 2
  pkill -"$sig" -P $pid -f "wedge run" || true   # the ranks, children of mpirun
  wait $pid
  rc=$?
  set -e
  if [[ $rc -eq 75 && -e "$out.checkpoint" && -e "$out.partial" ]]; then ok "SIG$sig: checkpoint written, exit 75"; else bad "SIG$sig: exit $rc"; fi
done
set +e
"$BIN" run "$cfg" -n $N --threads 2 --records all -o "$out" -q --walltime 2 --restart > /dev/null 2>&1
rc=$?
set -e
if [[ $rc -eq 75 || $rc -eq 0 ]]; then ok "--walltime stops in time (exit $rc)"; else bad "--walltime exit $rc"; fi
"$BIN" run "$cfg" -n $N --threads 2 --records all -o "$out" -q --restart > /dev/null
if same_datasets "$WORK/direct.h5" "$out"; then ok "interrupted three times, the final file equals the direct run"; else bad "restarted file differs"; fi
[[ ! -e "$out.checkpoint" && ! -e "$out.partial" ]] && ok "checkpoint and partial files removed" || bad "leftover files"
# The history has one line per invocation: the first run and the restarts, the last one complete.
"$BIN" info "$out" | sed -n '/^history:/,/^$/p' > "$WORK/hist.txt"
if [[ $(grep -c '(checkpoint)$' "$WORK/hist.txt") -ge 3 ]] && tail -2 "$WORK/hist.txt" | grep -q "restart .*\.\.$N, 1x2 "; then
  ok "history records the interrupted invocations and the final restart"
else
  cat "$WORK/hist.txt"; bad "history after restarts"
fi
"$BIN" run "$cfg" -n $N --records all -o "$out" --restart > /dev/null 2> "$WORK/again.log"
grep -q "complete; nothing to do" "$WORK/again.log" && ok "--restart of a complete study is a no-op" || bad "repeat restart"
# A checkpoint signal during the start (50 ms in: MPI and the configuration are not ready yet, as
# for a job whose --signal time has already come) is answered, not fatal: nothing to do on a
# complete study (exit 0), a checkpoint at the first batch of a new one (exit 75).
sum=$(md5sum < "$out")
set +e
"$BIN" run "$cfg" -n $N --records all -o "$out" --restart -q > /dev/null 2>&1 &
pid=$!; sleep 0.05; kill -USR1 $pid; wait $pid; rc=$?
set -e
[[ $rc -eq 0 && $(md5sum < "$out") == "$sum" ]] && ok "an early SIGUSR1 on a complete study: exit 0, file unchanged" \
  || bad "early SIGUSR1 on a complete study: exit $rc"
set +e
"$BIN" run "$cfg" -n $N -o "$WORK/early.h5" -q > /dev/null 2>&1 &
pid=$!; sleep 0.05; kill -USR1 $pid; wait $pid; rc=$?
set -e
[[ $rc -eq 75 && -e "$WORK/early.h5.checkpoint" ]] && ok "an early SIGUSR1 on a new study: checkpoint, exit 75" \
  || bad "early SIGUSR1 on a new study: exit $rc"

# Compact records: stopped by SIGUSR1 (2 ranks), a restart with another records mode refused,
# then restarted to the end: equal to the uninterrupted compact run.
sed -e 's/^records = .*/records = "compact"\nrecord_outcomes = ["split", "us_payoff"]/' "$cfg" > "$WORK/compact.toml"
"$BIN" run "$WORK/compact.toml" -n 600000 --threads 2 -o "$WORK/c_direct.h5" -q > /dev/null
out="$WORK/c_ck.h5"
set +e
mpirun -np 2 "$BIN" run "$WORK/compact.toml" -n 600000 --threads 1 -o "$out" -q --checkpoint-interval 0.2 &
pid=$!
for _ in $(seq 1 2000); do [[ -e "$out.checkpoint" ]] && break; sleep 0.01; done   # running: signal it
pkill -USR1 -P $pid -f "wedge run" || true
wait $pid
rc=$?
"$BIN" run "$WORK/compact.toml" -n 600000 --records all -o "$out" -q --restart 2> "$WORK/c_mode.log"
rc2=$?
set -e
if [[ $rc -eq 75 ]]; then ok "compact records: SIGUSR1 checkpointed"; else bad "compact records: exit $rc"; fi
grep -q "the checkpointed run used --records compact, this one --records all" "$WORK/c_mode.log" && [[ $rc2 -eq 2 ]] \
  && ok "a restart with another records mode is refused" || { cat "$WORK/c_mode.log"; bad "restart with another mode (exit $rc2)"; }
"$BIN" run "$WORK/compact.toml" -n 600000 --threads 2 -o "$out" -q --restart > /dev/null
if same_datasets "$WORK/c_direct.h5" "$out"; then ok "compact records: restarted file equals the direct run"; else bad "compact restart differs"; fi

# --checkpoint-every N batches: a checkpoint exists while the run is still going.
"$BIN" run "$cfg" -n 400000 --threads 2 -o "$WORK/every.h5" --checkpoint-every 20 2> "$WORK/every.log" > /dev/null
n=$(grep -c "^checkpoint: " "$WORK/every.log" || true)
[[ $n -ge 4 && ! -e "$WORK/every.h5.checkpoint" ]] && ok "--checkpoint-every 20 wrote $n checkpoints, removed at the end" || bad "--checkpoint-every ($n)"

# Merge: three run ranges (as an array job would write them) equal one run of the total.
"$BIN" run "$cfg" -n 20000 -o "$WORK/p0.h5" -q > /dev/null
"$BIN" run "$cfg" --first-run 20000 -n 25000 -o "$WORK/p1.h5" -q > /dev/null
mpirun -np 2 "$BIN" run "$cfg" --first-run 45000 -n 15000 -o "$WORK/p2.h5" -q > /dev/null
"$BIN" merge "$WORK/merged.h5" "$WORK/p2.h5" "$WORK/p0.h5" "$WORK/p1.h5" > /dev/null
"$BIN" run "$cfg" -n 60000 -o "$WORK/whole.h5" -q > /dev/null
if same_datasets "$WORK/whole.h5" "$WORK/merged.h5"; then ok "merge of three run ranges equals the single run"; else bad "merge differs"; fi
[[ $("$BIN" info "$WORK/merged.h5" | grep -c ' run .*: seed ') -eq 3 ]] && "$BIN" info "$WORK/merged.h5" | grep -q " merge: .*-> $WORK/merged.h5, 60000 runs" \
  && ok "merged history keeps the three runs and the merge" || bad "merged history"
"$BIN" run --extend "$WORK/merged.h5" -n 1000 -q > /dev/null && ok "a merged contiguous study can be extended" || bad "extend merged"
# Refusals: overlap, another configuration, another format; nothing written.
set +e
"$BIN" merge "$WORK/bad1.h5" "$WORK/p0.h5" "$WORK/p0.h5" 2> "$WORK/e1"; r1=$?
sed -e 's/^split_below = 0.4/split_below = 0.35/' "$cfg" > "$WORK/other.toml"
"$BIN" run "$WORK/other.toml" --first-run 60000 -n 1000 -o "$WORK/other.h5" -q > /dev/null
"$BIN" merge "$WORK/bad2.h5" "$WORK/p0.h5" "$WORK/other.h5" 2> "$WORK/e2"; r2=$?
set -e
grep -q "are in two of the files" "$WORK/e1" && [[ $r1 -eq 2 && ! -e "$WORK/bad1.h5" ]] && ok "overlapping runs refused" || bad "overlap"
grep -q "configuration differs" "$WORK/e2" && [[ $r2 -eq 2 && ! -e "$WORK/bad2.h5" ]] && ok "other configuration refused" || bad "other config"
finish
