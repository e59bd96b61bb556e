#!/usr/bin/env bash
# Two writers of one output: the second is refused at once (exit 2, naming the first's pid), the
# first finishes with a correct file; a lock left by a killed run does not block the next one.
source "$(dirname "$0")/../e2e/common.sh"
cfg=$(small_config)
# The first writer must still hold the lock when the second has started (an MPI start takes
# about half a second): 3e6 runs keep it busy for seconds. (2e5 raced on a fast machine: the
# first had finished before the second looked.)
N=3000000
"$BIN" run "$cfg" -n $N --seed 1 -o "$WORK/direct.h5" -q > /dev/null
for second in "run $cfg -n $N --seed 2" "run $cfg -n 1000 --records all"; do
  rm -f "$WORK/out.h5"*
  "$BIN" run "$cfg" -n $N --seed 1 -o "$WORK/out.h5" -q > /dev/null 2> "$WORK/first.log" &
  first=$!
  for _ in $(seq 100); do [[ -e "$WORK/out.h5.lock" ]] && break; sleep 0.05; done
  set +e
  # shellcheck disable=SC2086
  timeout 20 "$BIN" $second -o "$WORK/out.h5" -q > /dev/null 2> "$WORK/second.log"
  r2=$?
  wait $first
  r1=$?
  set -e
  if [[ $r2 -eq 2 ]] && grep -q "another wedge is writing.*pid $first" "$WORK/second.log"; then
    ok "second writer ($second) refused, naming the first"
  else
    bad "second writer: exit $r2"; cat "$WORK/second.log"
  fi
  if [[ $r1 -eq 0 ]] && same_datasets "$WORK/direct.h5" "$WORK/out.h5" > /dev/null && [[ ! -e "$WORK/out.h5.lock" ]]; then
    ok "the first writer finished with a correct file and released the lock"
  else
    bad "first writer: exit $r1"; cat "$WORK/first.log"
  fi
done
# A killed writer's lock file does not block the next run.
"$BIN" run "$cfg" -n $N -o "$WORK/stale.h5" -q > /dev/null 2>&1 &
pid=$!
for _ in $(seq 100); do [[ -e "$WORK/stale.h5.lock" ]] && break; sleep 0.05; done
kill -9 $pid; wait $pid 2> /dev/null || true
[[ -e "$WORK/stale.h5.lock" ]] || echo "  (the killed run left no lock file)"
"$BIN" run "$cfg" -n 1000 -o "$WORK/stale.h5" -q > /dev/null && [[ -e "$WORK/stale.h5" ]] \
  && ok "a lock left by kill -9 is taken over" || bad "stale lock blocks"
# merge into an output being written is refused too.
"$BIN" run "$cfg" -n 1000 -o "$WORK/m1.h5" -q > /dev/null
"$BIN" run "$cfg" -n $N -o "$WORK/busy.h5" -q > /dev/null 2>&1 &
pid=$!
for _ in $(seq 100); do [[ -e "$WORK/busy.h5.lock" ]] && break; sleep 0.05; done
set +e
"$BIN" merge "$WORK/busy.h5" "$WORK/m1.h5" > /dev/null 2> "$WORK/merge.log"
rm=$?
wait $pid
r1=$?
set -e
[[ $rm -eq 2 && $r1 -eq 0 ]] && grep -q "pid $pid" "$WORK/merge.log" && ok "merge into a busy output refused" || bad "merge into busy output: exit $rm / $r1"
finish
