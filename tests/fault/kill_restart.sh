#!/usr/bin/env bash
# kill -9 at random instants of a run with a checkpoint per batch, then --restart (repeated until
# it completes): the result is bitwise equal to an uninterrupted run, for records none and all.
# Usage: kill_restart.sh WEDGE SRC [POINTS per records mode]
source "$(dirname "$0")/../e2e/common.sh"
POINTS=${3:-3}
cfg=$(small_config)
N=40000
for rec in none all; do
  "$BIN" run "$cfg" -n $N --records $rec -o "$WORK/direct_$rec.h5" -q > /dev/null
  start=$(date +%s%N)
  "$BIN" run "$cfg" -n $N --records $rec --checkpoint-every 1 -o "$WORK/timed.h5" -q > /dev/null 2>&1
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  rm -f "$WORK/timed.h5"
  for i in $(seq 1 "$POINTS"); do
    out="$WORK/k_${rec}_$i.h5"
    # First kill at a random instant of the run; later restarts killed again half the time.
    tries=0
    while :; do
      tries=$((tries + 1))
      "$BIN" run "$cfg" -n $N --records $rec --checkpoint-every 1 -o "$out" -q --restart > /dev/null 2> "$WORK/log" &
      pid=$!
      delay=$((RANDOM % (ms + 50)))
      if [[ $tries -eq 1 || ( $tries -lt 4 && $((RANDOM % 2)) -eq 0 ) ]]; then
        sleep "$(printf '0.%03d' "$delay")" 2> /dev/null || sleep 0.1
        [[ $delay -ge 1000 ]] && sleep $((delay / 1000))
        kill -9 $pid 2> /dev/null || true
      fi
      set +e
      wait $pid
      rc=$?
      set -e
      [[ $rc -eq 0 ]] && break
      [[ $rc -eq 137 ]] && continue
      break
    done
    if [[ $rc -ne 0 ]]; then
      bad "records $rec, point $i: restart exit $rc"; sed 's/^/    /' "$WORK/log" | head
    elif same_datasets "$WORK/direct_$rec.h5" "$out" > /dev/null && [[ ! -e $out.partial && ! -e $out.checkpoint ]]; then
      ok "records $rec, point $i ($tries invocations): equal to the uninterrupted run"
    else
      bad "records $rec, point $i: the restarted file differs or leftovers"
    fi
    rm -f "$out"*
  done
done
finish
