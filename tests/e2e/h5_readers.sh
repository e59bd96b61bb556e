#!/usr/bin/env bash
# h5dump and Debian's h5py read the file, and agree with `wedge info`.
source "$(dirname "$0")/common.sh"
"$BIN" run "$(small_config)" -n 8000 --threads 2 --records all -o "$WORK/r.h5" -q > "$WORK/summary.txt"
"$BIN" info "$WORK/r.h5" > "$WORK/info.txt"
tables() { sed -n '/^wedge summary/,$p' "$1" | grep -v "^$"; }
if [[ $(tables "$WORK/summary.txt" | wc -l) -gt 20 ]] && diff <(tables "$WORK/summary.txt") <(tables "$WORK/info.txt") > /dev/null; then
  ok "wedge info prints the same tables as the run"; else bad "wedge info differs from the run's summary"; fi
if h5dump -a /filetype "$WORK/r.h5" | grep -q '"wedge-results"'; then ok "h5dump reads the filetype stamp"; else bad "h5dump stamp"; fi
if h5dump -d /mean "$WORK/r.h5" | grep -q 'DATASPACE  SIMPLE { ( 3, 20 )'; then ok "h5dump reads /mean (3 strategies x 20 outcomes)"; else bad "h5dump /mean"; fi
if h5dump -d /records/outcomes -c "1,3,20" "$WORK/r.h5" > /dev/null; then ok "h5dump reads per-run records"; else bad "h5dump records"; fi
/usr/bin/python3 - "$WORK/r.h5" "$WORK/info.txt" <<'PY' && ok "h5py reads means, records and attributes" || bad "h5py"
import sys, h5py, numpy as np
path, info = sys.argv[1], open(sys.argv[2]).read()
with h5py.File(path, "r") as f:
    assert f.attrs["filetype"] == "wedge-results" and int(f.attrs["format_version"]) == 2
    strategies = [s.decode() if isinstance(s, bytes) else s for s in f["strategy"][:]]
    outcomes = [s.decode() if isinstance(s, bytes) else s for s in f["outcome"][:]]
    mean = f["mean"][:]
    rec = f["records/outcomes"][:]
    assert rec.shape == (8000, 3, 20), rec.shape
    # The summary mean is the mean of the per-run records.
    assert np.allclose(rec.mean(axis=0), mean, atol=1e-9), abs(rec.mean(axis=0) - mean).max()
    # and what `wedge info` printed for P(split).
    line = next(l for l in info.splitlines() if l.startswith("P(Sino-Russian split)"))
    import re
    printed = [float(v) for v in re.findall(r"([0-9.]+) \[", line)]
    assert len(printed) == len(strategies), line
    o = outcomes.index("split")
    assert np.allclose(printed, np.round(mean[:, o], 3), atol=1e-9), (printed, mean[:, o])
    assert int(f.attrs["runs"]) == 8000 and int(f.attrs["seed"]) == 20250301
    assert "russia_receptiveness" in f.attrs["config"]
PY
finish
