#!/usr/bin/env bash
# h5dump and Debian's h5py read the file, and agree with `wedge info`.
source "$(dirname "$0")/common.sh"
"$BIN" run "$(small_config)" -n 8000 --threads 2 --records all -o "$WORK/r.h5" > "$WORK/summary.txt" 2> /dev/null
"$BIN" info "$WORK/r.h5" > "$WORK/info.txt"
tables() { sed -n '/^wedge summary/,$p' "$1" | grep -v "^$"; }
if [[ $(tables "$WORK/summary.txt" | wc -l) -gt 20 ]] && diff <(tables "$WORK/summary.txt") <(tables "$WORK/info.txt") > /dev/null; then
  ok "wedge info prints the same tables as the run"; else bad "wedge info differs from the run's summary"; fi
# --all adds every outcome of every strategy, every paired difference, the fan-chart and event
# tables, and the decile tables; the medians it prints are the file's.
"$BIN" info "$WORK/r.h5" --all > "$WORK/all.txt"
/usr/bin/python3 - "$WORK/r.h5" "$WORK/all.txt" <<'PY' && ok "wedge info --all shows every outcome, pair and table" || bad "wedge info --all"
import sys, h5py
path, text = sys.argv[1], open(sys.argv[2]).read()
with h5py.File(path, "r") as f:
    outcomes = list(f["outcome"].asstr()[:]); strategies = list(f["strategy"].asstr()[:])
    pairs = list(f["comparison/pair"].asstr()[:]); q = f["quantiles"][:]
rows = [l.split() for l in text.splitlines() if l.startswith("  ") and l.split()[0] in outcomes]
# per strategy one row of 11 fields, then one row per outcome of paired differences, then nothing else
assert sum(len(r) == 11 for r in rows) == len(outcomes) * len(strategies), len(rows)
assert sum(len(r) == 1 + 3 * len(pairs) for r in rows) == len(outcomes)
for p in pairs: assert p in text
for k, s in enumerate(strategies):
    o = outcomes.index("us_payoff")
    row = [r for r in rows if r[0] == "us_payoff" and len(r) == 11][k]
    assert abs(float(row[7]) - q[k, o, 2]) < 5e-4, (row, q[k, o, 2])  # the 50% column
for title in ("states over time", "probability that the event has happened", "P(split) by decile",
              "mean us_payoff by decile", "satisficing criteria"):
    assert title in text, title
PY
if h5dump -a /filetype "$WORK/r.h5" | grep -q '"wedge-results"'; then ok "h5dump reads the filetype stamp"; else bad "h5dump stamp"; fi
if h5dump -d /mean "$WORK/r.h5" | grep -q 'DATASPACE  SIMPLE { ( 3, 20 )'; then ok "h5dump reads /mean (3 strategies x 20 outcomes)"; else bad "h5dump /mean"; fi
if h5dump -d /records/outcomes -c "1,3,20" "$WORK/r.h5" > /dev/null; then ok "h5dump reads per-run records"; else bad "h5dump records"; fi
/usr/bin/python3 - "$WORK/r.h5" "$WORK/info.txt" <<'PY' && ok "h5py reads means, records and attributes" || bad "h5py"
import sys, h5py, numpy as np
path, info = sys.argv[1], open(sys.argv[2]).read()
with h5py.File(path, "r") as f:
    assert f.attrs["filetype"] == "wedge-results" and int(f.attrs["format_version"]) == 5
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
# Compact records (a 0/1 and an integer outcome: int16 on disk) read by h5dump, h5py and xarray.
sed -e 's/^records = .*/records = "compact"\nrecord_outcomes = ["split", "hybrid_attacks"]/' "$(small_config)" > "$WORK/compact.toml"
"$BIN" run "$WORK/compact.toml" -n 3000 --threads 2 -o "$WORK/c.h5" -q > /dev/null
if h5dump -d /records/outcomes -c "1,3,2" "$WORK/c.h5" | grep -q "H5T_STD_I16LE" && h5dump -a /records/records_mode "$WORK/c.h5" | grep -q '"compact"'; then
  ok "h5dump reads compact records"; else bad "h5dump compact records"; fi
/usr/bin/python3 - "$WORK/c.h5" <<'PY' && ok "h5py and xarray read compact records" || bad "h5py/xarray compact"
import sys, h5py, numpy as np, xarray as xr
path = sys.argv[1]
with h5py.File(path, "r") as f:
    names = list(f["records/outcome"].asstr()[:])
    assert names == ["split", "hybrid_attacks"], names
    rec = f["records/outcomes"][:].astype(float)
    outcomes = list(f["outcome"].asstr()[:])
    mean = f["mean"][:][:, [outcomes.index(n) for n in names]]
    assert np.allclose(rec.mean(axis=0), mean, atol=1e-12), (rec.mean(axis=0), mean)
rec = xr.open_dataset(path, engine="h5netcdf", group="records")
assert rec["outcomes"].sizes == {"run": 3000, "strategy": 3, "outcome": 2}, rec["outcomes"].sizes
assert np.isclose(float(rec["outcomes"].sel(outcome="split").astype(float).mean()), mean[:, 0].mean())
PY
finish
