"""The Sobol' design's /qmc group and the first-order indices, read by wedge_analysis."""
from __future__ import annotations

import math
import re
import subprocess

import numpy as np
import pytest

from conftest import REPO
from wedge_analysis import open_results


@pytest.fixture(scope="module")
def sobol_file(wedge, tmp_path_factory):
    d = tmp_path_factory.mktemp("qmc")
    text = (REPO / "configs" / "ishigami.toml").read_text()
    cfg = d / "ishigami-sobol.toml"
    cfg.write_text(re.sub(r'(?m)^design = .*$', 'design = "sobol"', text))
    out = d / "q.h5"
    p = subprocess.run([wedge, "run", str(cfg), "-n", "8192", "--threads", "1", "-o", str(out), "-q"],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    return out


def test_qmc_means_and_standard_errors(sobol_file):
    res = open_results(sobol_file)
    q = res.qmc()
    assert list(q.index) == [("model", "y")]
    reps = q[[f"replicate_{r}" for r in range(8)]].to_numpy()[0]
    # Equal shares of runs: the overall mean is the replicates' average; the s.e. is their spread.
    assert q["mean"].iloc[0] == pytest.approx(reps.mean(), abs=1e-12)
    assert q["mean"].iloc[0] == pytest.approx(res.summary().loc[("model", "y"), "mean"], abs=1e-12)
    assert q["se"].iloc[0] == pytest.approx(reps.std(ddof=1) / math.sqrt(8), rel=1e-9)
    # Far below the Monte Carlo error of 8,192 runs (sd 3.7 / sqrt(8192) = 0.041), and honest.
    assert 0 < q["se"].iloc[0] < 0.041 / 20
    assert abs(q["mean"].iloc[0] - 3.5) < 6 * q["se"].iloc[0]


def test_first_order_from_sobol_points(sobol_file):
    fo = open_results(sobol_file).first_order()
    got = fo.xs(("model", "y"), level=["strategy", "outcome"]).to_numpy()
    assert np.all(np.abs(got - np.array([0.3139, 0.4424, 0.0])) < 0.03), got


def test_qmc_is_empty_for_monte_carlo(records_file):
    assert open_results(records_file).qmc().empty
