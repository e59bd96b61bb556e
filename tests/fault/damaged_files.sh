#!/usr/bin/env bash
# Damaged result files and checkpoints (wrong attribute types, missing attributes, corrupt or
# bit-flipped statistics, truncations): `wedge info`, `--extend`, `merge` and `--restart` refuse
# them with exit 2 naming the file and the attribute or dataset; never a crash, never a result.
source "$(dirname "$0")/../e2e/common.sh"
PY=/usr/bin/python3
cfg=$(small_config)
"$BIN" run "$cfg" -n 3000 -o "$WORK/good.h5" -q > /dev/null
expect_refusal() {  # $1 label, $2 file, $3 pattern the message must contain; rest: the command
  local label=$1 file=$2 pattern=$3 rc
  shift 3
  set +e
  "$@" > /dev/null 2> "$WORK/err"
  rc=$?
  set -e
  if [[ $rc -eq 2 ]] && grep -q "$file" "$WORK/err" && grep -qE "$pattern" "$WORK/err"; then
    ok "$label: exit 2 naming the file and '$pattern'"
  else
    bad "$label: exit $rc"; sed 's/^/    /' "$WORK/err" | head -5
  fi
}
# Re-adds wedge's file checksum (docs/failures.md), so that damage made before the seal (which
# the seal cannot see) reaches the checks of the attributes and datasets behind it.
reseal() {
  $PY - "$1" <<'PYEOF'
import sys, struct, zlib
path = sys.argv[1]
data = open(path, "rb").read()
if data[-24:-16] == b"WEDGESUM" and struct.unpack("<Q", data[-16:-8])[0] == len(data) - 24:
    data = data[:-24]
open(path, "wb").write(data + b"WEDGESUM" + struct.pack("<QQ", len(data), zlib.crc32(data)))
PYEOF
}
damage() {  # $1 output name, $2 python statements on the h5py File f (opened r+)
  cp "$WORK/good.h5" "$WORK/$1"
  $PY - "$WORK/$1" <<PYEOF
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r+")
$2
f.close()
PYEOF
  reseal "$WORK/$1"
}
damage runs_string.h5 'a = f.attrs["runs"]; del f.attrs["runs"]; f.attrs["runs"] = str(a)'
expect_refusal "runs stored as a string" runs_string.h5 "runs" "$BIN" info "$WORK/runs_string.h5"
damage no_kinds.h5 'del f["state"].attrs["segment_kinds"]'
expect_refusal "segment_kinds missing" no_kinds.h5 "segment_kinds" "$BIN" info "$WORK/no_kinds.h5"
damage ranges_string.h5 'del f.attrs["run_ranges"]; f.attrs["run_ranges"] = "0 0 3000"'
expect_refusal "run_ranges stored as a string" ranges_string.h5 "run_ranges" "$BIN" info "$WORK/ranges_string.h5"
# Bytes of the stored (compressed) words: flip one bit, or overwrite a run of bytes.
flip() {  # $1 output name, $2 byte index within the first chunk, $3 xor mask, $4 length
  cp "$WORK/good.h5" "$WORK/$1"
  $PY - "$WORK/$1" "$2" "$3" "$4" <<'PYEOF'
import sys, h5py
path, at, mask, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
with h5py.File(path, "r") as f:
    info = f["state/words"].id.get_chunk_info(0)
    off, size = info.byte_offset, info.size
with open(path, "r+b") as g:
    for i in range(n):
        pos = off + (at + i) % size
        g.seek(pos); b = g.read(1)[0]; g.seek(pos); g.write(bytes([b ^ mask]))
PYEOF
  [[ ${5:-} == raw ]] || reseal "$WORK/$1"
}
flip words_raw.h5 100 4 1 raw
expect_refusal "one bit flipped, file checksum" words_raw.h5 "checksum" "$BIN" info "$WORK/words_raw.h5"
damage unsealed.h5 'pass'
head -c -24 "$WORK/unsealed.h5" > "$WORK/unsealed2.h5"
expect_refusal "no checksum trailer" unsealed2.h5 "no wedge checksum" "$BIN" info "$WORK/unsealed2.h5"
flip words_bit.h5 100 4 1
expect_refusal "one bit flipped in state/words" words_bit.h5 "state/words" "$BIN" info "$WORK/words_bit.h5"
flip words_last.h5 -5 128 1
expect_refusal "a bit of the words' checksum flipped" words_last.h5 "state/words" "$BIN" info "$WORK/words_last.h5"
flip words_junk.h5 10 255 64
expect_refusal "corrupt compressed state/words" words_junk.h5 "state/words" "$BIN" info "$WORK/words_junk.h5"
expect_refusal "extend a damaged file" words_bit.h5 "state/words" "$BIN" run --extend "$WORK/words_bit.h5" -n 100 -o "$WORK/ext.h5"
expect_refusal "merge a damaged file" words_bit.h5 "state/words" "$BIN" merge "$WORK/m.h5" "$WORK/good.h5" "$WORK/words_bit.h5"
[[ ! -e "$WORK/ext.h5" && ! -e "$WORK/m.h5" ]] && ok "nothing written from damaged inputs" || bad "a file was written from damaged input"
head -c 20000 "$WORK/good.h5" > "$WORK/trunc.h5"
expect_refusal "truncated file" trunc.h5 "HDF5|damaged" "$BIN" info "$WORK/trunc.h5"
finish
