"""(b) The report builds every figure from a small run."""
from __future__ import annotations

import re
import subprocess
import sys

from conftest import ANALYSIS

STATES = ["alignment", "rapprochement", "nato_cohesion", "european_autonomy", "ukraine_strength"]
EXPECTED = (["outcome_probabilities.png", "outcome_distributions.png"]
            + [f"fan_{s}.png" for s in STATES]
            + ["events_over_time.png", "comparison.png", "drivers_overview.png"]
            + [f"drivers_{o}.png" for o in ("split", "nato_fracture", "military_action", "us_payoff")])
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def run_report(results, outdir):
    return subprocess.run([sys.executable, str(ANALYSIS / "report.py"), str(results), "-o", str(outdir)],
                          capture_output=True, text=True, timeout=600)


def test_report_builds_every_figure(plain_file, tmp_path):
    out = tmp_path / "report"
    p = run_report(plain_file, out)
    assert p.returncode == 0, p.stdout + p.stderr
    index = (out / "index.html").read_text(encoding="utf-8")
    for name in EXPECTED:
        f = out / name
        assert f.is_file(), f"{name} was not written"
        data = f.read_bytes()
        assert len(data) > 1000 and data.startswith(PNG_MAGIC), f"{name} is not a PNG"
        assert f'src="{name}"' in index, f"index.html does not show {name}"
    for src in re.findall(r'<img src="([^"]+)"', index):
        assert (out / src).is_file(), f"index.html refers to missing {src}"
    # key content a reader needs
    assert "N = 2,000 runs" in index
    assert "Regret" in index and "<table" in index
    assert "Sino-Russian split" in index


def test_report_refuses_non_wedge_file(tmp_path):
    bad = tmp_path / "not_results.h5"
    bad.write_text("this is not HDF5\n")
    p = run_report(bad, tmp_path / "out")
    assert p.returncode != 0
    assert "not a wedge result file" in p.stderr and str(bad) in p.stderr
