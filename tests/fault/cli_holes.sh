#!/usr/bin/env bash
# Outputs that are not results, and command-line holes: each refused with exit 2 and a message,
# before anything is written (issue 13, items 6, 7, 9 and 10).
source "$(dirname "$0")/../e2e/common.sh"
cfg=$(small_config)
expect2() {  # $1 label, $2 pattern of the message; rest: the command
  local label=$1 pattern=$2 rc
  shift 2
  set +e
  timeout 60 "$@" > /dev/null 2> "$WORK/err"
  rc=$?
  set -e
  if [[ $rc -eq 2 ]] && grep -qE -- "$pattern" "$WORK/err"; then ok "$label"; else bad "$label: exit $rc"; sed 's/^/    /' "$WORK/err" | head -3; fi
}
mkfifo "$WORK/fifo"
expect2 "-o onto a FIFO refused without opening it" "not a regular file" "$BIN" run "$cfg" -n 100 -o "$WORK/fifo" -q
[[ -p "$WORK/fifo" ]] && ok "the FIFO is untouched" || bad "the FIFO was replaced"
cp "$cfg" "$WORK/study.toml"; cp "$cfg" "$WORK/study.copy"
expect2 "-o onto the configuration refused" "not a wedge result file" "$BIN" run "$WORK/study.toml" -n 100 -o "$WORK/study.toml" -q
cmp -s "$WORK/study.toml" "$WORK/study.copy" && ok "the configuration is untouched" || bad "configuration overwritten"
"$BIN" run "$cfg" -n 1000 -o "$WORK/r.h5" -q > /dev/null
expect2 "merge onto the configuration refused" "not a wedge result file" "$BIN" merge "$WORK/study.toml" "$WORK/r.h5"
expect2 "--extend onto the configuration refused" "not a wedge result file" "$BIN" run --extend "$WORK/r.h5" -n 100 -o "$WORK/study.toml" -q
cmp -s "$WORK/study.toml" "$WORK/study.copy" && ok "still untouched after merge and --extend" || bad "configuration overwritten"
/usr/bin/python3 -c "import h5py; h5py.File('$WORK/foreign.h5', 'w').attrs['x'] = 1"
expect2 "-o onto another HDF5 file refused" "not a wedge result file" "$BIN" run "$cfg" -n 100 -o "$WORK/foreign.h5" -q
: > "$WORK/empty.h5"
expect2 "-o onto an empty file refused" "not a wedge result file" "$BIN" run "$cfg" -n 100 -o "$WORK/empty.h5" -q
"$BIN" run "$cfg" -n 100 -o "$WORK/r.h5" -q > /dev/null && ok "-o onto an earlier result replaces it" || bad "rerun onto a result"
mkdir "$WORK/dir"
expect2 "merge into a directory" "directory" "$BIN" merge "$WORK/dir" "$WORK/r.h5"
expect2 "--walltime 1:-1" "walltime" "$BIN" run "$cfg" -n 100 --walltime 1:-1 -o "$WORK/w.h5" -q
expect2 "--walltime nan" "walltime" "$BIN" run "$cfg" -n 100 --walltime nan -o "$WORK/w.h5" -q
expect2 "--walltime 1-nan:00" "walltime" "$BIN" run "$cfg" -n 100 --walltime 1-nan:00 -o "$WORK/w.h5" -q
expect2 "--checkpoint-interval nan" "finite" "$BIN" run "$cfg" -n 100 --checkpoint-interval nan -o "$WORK/w.h5" -q
expect2 "--extend with --first-run" "first-run" "$BIN" run --extend "$WORK/r.h5" -n 100 --first-run 5 -o "$WORK/e.h5" -q
expect2 "--threads 4096" "threads" "$BIN" run "$cfg" -n 100 --threads 4096 -o "$WORK/w.h5" -q
expect2 "a configuration of /dev/zero" "16 MiB" "$BIN" validate /dev/zero
head -c $((17 << 20)) /dev/zero | tr '\0' '#' > "$WORK/huge.toml"
expect2 "a 17 MiB configuration" "16 MiB" "$BIN" validate "$WORK/huge.toml"
# --restart -n other than the checkpoint's, and a checkpoint whose range disagrees with its statistics
"$BIN" run "$cfg" -n 40960 -o "$WORK/ck.h5" -q --checkpoint-every 2 > /dev/null 2>&1 &
pid=$!
for _ in $(seq 200); do [[ -e "$WORK/ck.h5.checkpoint" ]] && break; sleep 0.02; done
kill -9 $pid; wait $pid 2> /dev/null || true
if [[ -e "$WORK/ck.h5.checkpoint" ]]; then
  expect2 "--restart -n other than the checkpoint's" "-n" "$BIN" run "$cfg" -n 81920 -o "$WORK/ck.h5" -q --restart
  cp "$WORK/ck.h5.checkpoint" "$WORK/saved.checkpoint"
  /usr/bin/python3 - "$WORK/ck.h5.checkpoint" <<'PY'
import sys, struct, zlib, h5py, numpy as np
p = sys.argv[1]
with h5py.File(p, "r+") as f:
    f.attrs["checkpoint_run_next"] = np.uint64(int(f.attrs["checkpoint_run_next"]) + 1)
d = open(p, "rb").read()
open(p, "wb").write(d + b"WEDGESUM" + struct.pack("<QQ", len(d), zlib.crc32(d)))
PY
  rm -f "$WORK/ck.h5.checkpoint.prev"
  expect2 "checkpoint_run_next edited (and resealed)" "damaged checkpoint" "$BIN" run "$cfg" -n 40960 -o "$WORK/ck.h5" -q --restart
  cp "$WORK/saved.checkpoint" "$WORK/ck.h5.checkpoint"
  "$BIN" run "$cfg" -n 40960 -o "$WORK/ck.h5" -q --restart > /dev/null && ok "the good checkpoint restarts" || bad "good checkpoint"
else
  bad "no checkpoint to test with"
fi
finish
