#!/usr/bin/env bash
# --restart trusts only a sealed, undamaged result of this very study (configuration, seed, run
# range, records) and never deletes a complete one: anything else at -o is refused with exit 2
# and left as it was; a complete output with a stale checkpoint wins; a run killed (or failing)
# at its final rename is finished by --restart, bitwise equal to an uninterrupted run.
# Usage: restart_safety.sh WEDGE SRC
source "$(dirname "$0")/../e2e/common.sh"
cfg=$(small_config)
N=12000
run() { "$BIN" run "$cfg" -n $N -q "$@"; }
run -o "$WORK/direct.h5" > /dev/null
run --records all -o "$WORK/direct_all.h5" > /dev/null

# refused LABEL WHY OUT [ARGS]: --restart exits 2 naming OUT and WHY, and leaves OUT as it was.
refused() {
  local label=$1 why=$2 out=$3 rc
  shift 3
  cp "$out" "$WORK/before"
  set +e
  run -o "$out" --restart "$@" > /dev/null 2> "$WORK/log"
  rc=$?
  set -e
  if [[ $rc -eq 2 ]] && grep -qF "$out" "$WORK/log" && grep -qF "$why" "$WORK/log" &&
    cmp -s "$out" "$WORK/before"; then
    ok "$label: refused, exit 2, file kept ($(head -c 160 "$WORK/log"))"
  else
    bad "$label: exit $rc, want 2 and '$why'"
    sed 's/^/    /' "$WORK/log" | head -5
  fi
}
out=$WORK/out.h5
: > "$out"
refused "zero-byte output" "not a wedge result" "$out"
head -c 100000 /dev/urandom > "$out"
refused "random bytes" "not a wedge result" "$out"
# Random bytes that end like a seal pass the cheap check of -o; the full check must refuse them.
{ head -c 100000 /dev/urandom; printf 'WEDGESUM'; head -c 16 /dev/urandom; } > "$out"
refused "random bytes with a forged seal" "not a complete result of this study" "$out"
cp "$WORK/direct.h5" "$out"
printf '\xff\xfe' | dd of="$out" bs=1 seek=5000 conv=notrunc 2> /dev/null
refused "a damaged result of this study" "checksum" "$out"
sed -e '0,/^name = /s/^name = .*/name = "other"/' "$cfg" > "$WORK/other.toml"
[[ $(grep -c '^name = "other"' "$WORK/other.toml") -eq 1 ]] || bad "could not make another configuration"
"$BIN" run "$WORK/other.toml" -n $N -q -o "$out" > /dev/null
refused "a result of another configuration" "(another configuration)" "$out"
run --seed 7 -o "$out" > /dev/null
refused "the same configuration, another seed" "seed 7" "$out"
"$BIN" run "$cfg" -n 8192 -q -o "$out" > /dev/null
refused "the same configuration, another run count" "runs 0..8192" "$out"
run --records all -o "$out" > /dev/null
refused "the same study with records, restarted without" "records" "$out"
cp "$WORK/direct.h5" "$out"
set +e
"$BIN" run "$cfg" -n $N -o "$out" --restart 2> "$WORK/log" > /dev/null
rc=$?
set -e
[[ $rc -eq 0 ]] && grep -q "complete; nothing to do" "$WORK/log" && cmp -s "$out" "$WORK/direct.h5" &&
  ok "a complete result of this study: nothing to do" || bad "complete result: exit $rc"

# Killed by SIGKILL at (or failing with EIO at) the final rename, i.e. the last rename of the run
# (checkpoints are renamed too): --restart finishes the study; nothing complete is deleted.
# On x86-64 glibc renames with rename(2); the other two are listed for other platforms.
RN=rename,renameat,renameat2
final_rename() {  # $1 label, $2 direct result, $3 inject action, ARGS
  local label=$1 direct=$2 action=$3 k o=$WORK/k.h5 rc
  shift 3
  rm -f "$o"*
  k=$(strace -f -qq -c -e trace=$RN -o "$WORK/count" "$BIN" run "$cfg" -n $N -q "$@" -o "$WORK/count.h5" \
    > /dev/null; awk '$NF ~ /^rename/ {s += $4} END {print s + 0}' "$WORK/count")
  rm -f "$WORK/count.h5"
  set +e
  strace -f -qq -o /dev/null -e trace=$RN -e inject=$RN:$action:when=$k \
    "$BIN" run "$cfg" -n $N -q "$@" -o "$o" > /dev/null 2> "$WORK/log"
  rc=$?
  set -e
  if [[ -e $o || ! -e $o.partial ]]; then
    bad "$label: not stopped at the final rename (rename $k, exit $rc)"; ls "$WORK" | sed 's/^/    /'; return
  fi
  cp "$o.partial" "$WORK/partial.copy"
  [[ -e $o.checkpoint ]] && cp "$o.checkpoint" "$WORK/stale.checkpoint"
  if ! run -o "$o" --restart "$@" > /dev/null 2> "$WORK/restart.log"; then
    bad "$label: --restart failed"; sed 's/^/    /' "$WORK/restart.log" | head -5; return
  fi
  if same_datasets "$direct" "$o" > /dev/null && [[ ! -e $o.partial && ! -e $o.checkpoint ]] &&
    cmp -s "$o" "$WORK/partial.copy"; then
    ok "$label (exit $rc): --restart renamed the complete partial file, equal to the direct run"
  else
    bad "$label: after --restart the file differs or leftovers"; ls "$WORK" | sed 's/^/    /'
  fi
}
final_rename "records none, no checkpoint, killed at the final rename" "$WORK/direct.h5" signal=SIGKILL
final_rename "records all, checkpoints, killed at the final rename" "$WORK/direct_all.h5" signal=SIGKILL \
  --records all --checkpoint-every 1
[[ -e $WORK/stale.checkpoint ]] || bad "the killed run left no checkpoint"
final_rename "records none, checkpoints, EIO at the final rename" "$WORK/direct.h5" error=EIO \
  --checkpoint-every 1
grep -q "is complete: the same command with --restart renames it" "$WORK/log" && ok "the failed rename is reported, the partial file kept" || bad "no message for the failed rename"

# Stopped after the rename, before the checkpoint was removed: the output wins, the stale
# checkpoint goes, exit 0, said on stderr.
cp "$WORK/direct_all.h5" "$out"
cp "$WORK/stale.checkpoint" "$out.checkpoint"
set +e
run --records all --checkpoint-every 1 -o "$out" --restart > /dev/null 2> "$WORK/log"
rc=$?
set -e
if [[ $rc -eq 0 && ! -e $out.checkpoint ]] && grep -q "stale checkpoint" "$WORK/log" &&
  cmp -s "$out" "$WORK/direct_all.h5"; then
  ok "a complete result with a stale checkpoint: kept, checkpoint removed ($(head -c 160 "$WORK/log"))"
else
  bad "complete result with a stale checkpoint: exit $rc"; sed 's/^/    /' "$WORK/log" | head -5
fi
# A stale checkpoint next to an output that is not this study's: refused, both kept.
"$BIN" run "$WORK/other.toml" -n $N -q --records all -o "$out" > /dev/null
cp "$WORK/stale.checkpoint" "$out.checkpoint"
refused "another configuration's result with this study's checkpoint" "(another configuration)" \
  "$out" --records all
[[ -e $out.checkpoint ]] && ok "the checkpoint is kept" || bad "the checkpoint was removed"
finish
