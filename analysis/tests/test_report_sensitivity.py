"""The report's sensitivity section from a real Saltelli study, and the indices it reads."""
from __future__ import annotations

import os
import subprocess
import sys

import h5py
import numpy as np

from conftest import ANALYSIS, config_path, wedge_bin

sys.path.insert(0, str(ANALYSIS))
from wedge_analysis import open_results, report_sensitivity  # noqa: E402


def saltelli_file(tmp_path):
    cfg = tmp_path / "saltelli.toml"
    text = open(config_path(), encoding="utf-8").read()
    lines = ['design = "saltelli"' if ln.startswith("design =") else ln for ln in text.splitlines()]
    cfg.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "s.h5"
    p = subprocess.run([wedge_bin(), "run", str(cfg), "-n", "1024", "--threads", "1", "-o", str(out), "-q"],
                       capture_output=True, text=True, env=dict(os.environ, OMP_NUM_THREADS="1"), timeout=600)
    assert p.returncode == 0, p.stderr
    return out


def test_indices_and_section(tmp_path):
    path = saltelli_file(tmp_path)
    r = open_results(path)
    df = report_sensitivity.sobol_indices(r)
    with h5py.File(path) as f:
        total = f["sensitivity/total_order"][:]
        inputs = [x.decode() for x in f["sensitivity/input"][:]]
    assert inputs[-1] == "intrinsic"
    np.testing.assert_array_equal(df["total_order"].to_numpy(), total.ravel())
    out = tmp_path / "report"
    p = subprocess.run([sys.executable, str(ANALYSIS / "report.py"), str(path), "-o", str(out)],
                       capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stdout + p.stderr
    index = (out / "index.html").read_text(encoding="utf-8")
    assert (out / "sensitivity.png").read_bytes().startswith(b"\x89PNG")
    assert "Which uncertainty matters" in index and 'src="sensitivity.png"' in index
    assert "the most important uncertainty is" in index and "the choice between" in index


def test_monte_carlo_study_has_no_section(plain_file):
    assert report_sensitivity.sobol_indices(open_results(plain_file)) is None
