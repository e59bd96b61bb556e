"""A study weighted by evidence (configs/since-2025.toml), read with h5py and the toolkit: the
records' weights reproduce every weighted statistic of the file, the report has its evidence
section, and R-free readers see the effective sample size."""
from __future__ import annotations

import os

import h5py
import numpy as np
import pytest

from conftest import REPO, run_wedge
from wedge_analysis import report_evidence
from wedge_analysis.report import build_report
from wedge_analysis.results import open_results


@pytest.fixture(scope="module")
def weighted(tmp_path_factory):
    return run_wedge(tmp_path_factory.mktemp("ev") / "since.h5", 20_000, "all",
                     config=str(REPO / "configs" / "since-2025.toml"))


def test_records_weights_reproduce_the_weighted_statistics(weighted):
    with h5py.File(weighted, "r") as f:
        w = f["records/weight"][()]
        o = f["records/outcomes"][()].astype(float)
        rec_outcomes = list(f["records/outcome"].asstr()[()])
        outcomes = list(f["outcome"].asstr()[()])
        mean, wl, wh = f["mean"][()], f["wilson_low"][()], f["wilson_high"][()]
        ess = f["evidence"].attrs["effective_sample_size"]
        before = f["evidence/mean_before"][()]
        regret = f["comparison/regret_mean"][()]
        best = f["comparison/best_share"][()]
    assert w.shape == (20_000,) and (w >= 0).all() and (w <= 1).all() and w.max() > 0
    assert ess == pytest.approx(w.sum() ** 2 / (w ** 2).sum(), rel=1e-9)
    for k, name in enumerate(rec_outcomes):
        o_index = outcomes.index(name)
        for s in range(o.shape[1]):
            x = o[:, s, k]
            assert mean[s, o_index] == pytest.approx((w * x).sum() / w.sum(), abs=1e-8), name
            assert before[s, o_index] == pytest.approx(x.mean(), abs=1e-8), name
    pay = o[:, :, rec_outcomes.index("us_payoff")]
    reg = pay.max(axis=1, keepdims=True) - pay
    assert regret == pytest.approx((w[:, None] * reg).sum(axis=0) / w.sum(), abs=1e-7)
    is_best = pay == pay.max(axis=1, keepdims=True)
    first_best = np.zeros_like(is_best)
    first_best[np.arange(len(pay)), is_best.argmax(axis=1)] = True
    assert best == pytest.approx((w[:, None] * first_best).sum(axis=0) / w.sum(), abs=1e-12)
    # Intervals rest on the effective sample size: wider than the runs' count would give.
    k = outcomes.index("nato_fracture")
    p = mean[0, k]
    assert wh[0, k] - wl[0, k] > 2 * 1.96 * np.sqrt(p * (1 - p) / 20_000)


def test_toolkit_reads_the_effective_sample_size(weighted):
    r = open_results(str(weighted))
    assert r.runs == 20_000
    assert 0 < r.effective_runs < r.runs


def test_report_has_the_evidence_section(weighted, tmp_path):
    rep = build_report(str(weighted), str(tmp_path / "report"))
    page = open(os.path.join(tmp_path / "report", "index.html"), encoding="utf-8").read()
    assert "What has been observed since the start" in page
    assert "effective sample size" in page
    for name in ("evidence_inputs.png", "evidence_forecast.png"):
        assert os.path.getsize(tmp_path / "report" / name) > 10_000
    assert report_evidence.departure(report_evidence._read(str(weighted))).max() > 0.02
    assert rep is not None
