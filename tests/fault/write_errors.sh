#!/usr/bin/env bash
# Write errors (ENOSPC, EIO) injected with strace at many points of a records-all run with a
# checkpoint per batch, and a full tmpfs: every failure ends in exit 1 with a message (no crash),
# no complete-looking output is wrong, and --restart (or a rerun) finishes bitwise equal to an
# uninterrupted run. Usage: write_errors.sh WEDGE SRC [POINTS]
source "$(dirname "$0")/../e2e/common.sh"
POINTS=${3:-8}
cfg=$(small_config)
N=20000
"$BIN" run "$cfg" -n $N --records all -o "$WORK/direct.h5" -q > /dev/null
# The pwrite64 calls of one run: inject from call k on, k spread over the whole run.
total=$(strace -f -qq -c -e trace=pwrite64 -o "$WORK/count" "$BIN" run "$cfg" -n $N --records all \
  --checkpoint-every 1 -o "$WORK/count.h5" -q > /dev/null; awk '$NF == "pwrite64" {print $4}' "$WORK/count")
[[ $total -gt 50 ]] || { bad "could not count the writes ($total)"; finish; }
check_failure() {  # $1 label, $2 log, $3 rc, $4 output
  local label=$1 log=$2 rc=$3 out=$4
  if grep -qE "Segmentation|signal|core dumped" "$log" || [[ $rc -ne 1 && $rc -ne 0 ]]; then
    bad "$label: exit $rc"; sed 's/^/    /' "$log" | head -20; return
  fi
  if [[ $rc -eq 1 ]] && ! grep -q "wedge: error" "$log"; then bad "$label: no message"; return; fi
  # A complete-looking output must be right; otherwise --restart must finish it.
  if [[ -e $out ]] && ! same_datasets "$WORK/direct.h5" "$out" > /dev/null; then bad "$label: wrong $out"; return; fi
  if ! "$BIN" run "$cfg" -n $N --records all -o "$out" -q --restart > /dev/null 2> "$WORK/restart.log"; then
    bad "$label: --restart failed"; sed 's/^/    /' "$WORK/restart.log" | head; return
  fi
  if same_datasets "$WORK/direct.h5" "$out" > /dev/null; then ok "$label: exit $rc, restart equals the direct run"; else bad "$label: restarted file differs"; fi
}
for i in $(seq 1 "$POINTS"); do
  k=$((1 + (total - 1) * i / (POINTS + 1) + RANDOM % 7))
  for err in ENOSPC EIO; do
    out="$WORK/inj_${i}_$err.h5"
    set +e
    strace -f -qq -o /dev/null -e trace=pwrite64 -e inject=pwrite64:error=$err:when=$k+ \
      "$BIN" run "$cfg" -n $N --records all --checkpoint-every 1 -o "$out" -q > /dev/null 2> "$WORK/log"
    rc=$?
    set -e
    check_failure "$err from write $k of $total" "$WORK/log" $rc "$out"
  done
done
# A complete earlier result survives a failed rerun into the same path.
"$BIN" run "$cfg" -n 2000 -o "$WORK/keep.h5" -q > /dev/null
cp "$WORK/keep.h5" "$WORK/keep.copy"
set +e
strace -f -qq -o /dev/null -e trace=pwrite64 -e inject=pwrite64:error=ENOSPC:when=20+ \
  "$BIN" run "$cfg" -n $N --records all -o "$WORK/keep.h5" -q > /dev/null 2> "$WORK/log"
rc=$?
set -e
cmp -s "$WORK/keep.h5" "$WORK/keep.copy" && [[ $rc -eq 1 && ! -e "$WORK/keep.h5.partial" ]] \
  && ok "a failed rerun keeps the earlier complete result" || bad "earlier result (exit $rc)"
# A full file system (tmpfs; needs root). Records of 60000 runs take 34.6 MB (576 bytes per
# run, not compressed): with 20 MiB of 48 filled they are refused before anything is written
# (exit 2); otherwise the disk fills while the run writes (a filler waits for OUT.partial, so
# the check has passed): the same promises as above.
if [[ $(id -u) -eq 0 ]] && mkdir -p "$WORK/tfs" && mount -t tmpfs -o size=48m tmpfs "$WORK/tfs" 2> /dev/null; then
  trap 'umount "$WORK/tfs" 2> /dev/null || true; rm -rf "$WORK"' EXIT
  "$BIN" run "$cfg" -n 60000 --records all -o "$WORK/direct.h5" -q > /dev/null
  dd if=/dev/zero of="$WORK/tfs/fill" bs=1M count=20 2> /dev/null
  set +e
  "$BIN" run "$cfg" -n 60000 --records all -o "$WORK/tfs/out.h5" -q > /dev/null 2> "$WORK/log"
  rc=$?
  set -e
  rm -f "$WORK/tfs/fill"
  [[ $rc -eq 2 && -z $(ls -A "$WORK/tfs") ]] && grep -q "key '--records': records all of 60000 runs need .* free" "$WORK/log" \
    && ok "records larger than the free space refused up front, nothing written" || { cat "$WORK/log"; bad "free-space check (exit $rc)"; }
  for fill in 30 14; do
    set +e
    "$BIN" run "$cfg" -n 60000 --records all --checkpoint-every 1 -o "$WORK/tfs/out.h5" -q > /dev/null 2> "$WORK/log" &
    pid=$!
    for _ in $(seq 1 500); do [[ -e "$WORK/tfs/out.h5.partial" ]] && break; sleep 0.01; done
    dd if=/dev/zero of="$WORK/tfs/fill" bs=1M count=$fill 2> /dev/null
    wait $pid
    rc=$?
    set -e
    rm -f "$WORK/tfs/fill"
    N=60000 check_failure "tmpfs filled by ${fill} MiB during the run" "$WORK/log" $rc "$WORK/tfs/out.h5"
    rm -f "$WORK/tfs/"*
  done
  umount "$WORK/tfs"
else
  echo "skip: tmpfs part (needs root and mount)"
fi
finish
