#!/usr/bin/env python3
"""wedge discover against the NumPy implementation of the same peeling (analysis/tests/prim_numpy.py,
full sorts at every step, as EMA Workbench does) on the same rows, measured in one run.
Usage: prim_numpy_bench.py WEDGE RESULTS.h5"""
import os
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "analysis", "tests"))
import prim_numpy  # noqa: E402

wedge, results = sys.argv[1], sys.argv[2]
with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "d.h5")
    t0 = time.perf_counter()
    p = subprocess.run([wedge, "discover", results, "--where", "split@conciliation", "--boxes", "1",
                        "--resamples", "0", "--threads", "1", "-o", out], capture_output=True, text=True,
                       check=True)
    t_wedge = time.perf_counter() - t0
    phase = [line for line in p.stderr.splitlines() if line.startswith("wedge discover")]
    with h5py.File(out) as f:
        edges = f["bin_edges"][...]
        steps_wedge = int((f["step_box"][...] == 1).sum())
with h5py.File(results) as f:
    r = f["records"]
    s = [x.decode() for x in r["strategy"][...]].index("conciliation")
    o = [x.decode() for x in r["outcome"][...]].index("split")
    values = r["parameters"][...]
    hit = r["outcomes"][:, s, o] != 0
t0 = time.perf_counter()
bins = prim_numpy.bins_of(values, edges)
steps = prim_numpy.peel(bins, hit)
t_numpy = time.perf_counter() - t0
assert len(steps) == steps_wedge, (len(steps), steps_wedge)
print(f"  rows {len(hit)}, inputs {values.shape[1]}, peeling steps {len(steps)} (both)")
print(f"  NumPy (binning + peeling, data in memory): {t_numpy:.2f} s")
print(f"  wedge discover, whole command (read, bin, peel, paste, test, write): {t_wedge:.2f} s")
print(f"  {phase[0] if phase else ''}")
print(f"  speed-up, whole command: {t_numpy / t_wedge:.1f}x")
