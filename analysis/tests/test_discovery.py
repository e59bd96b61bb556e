"""`wedge discover` against an independent NumPy implementation of the same peeling (full sorts,
same bins), and the toolkit's loader and figures of a discovery file."""
from __future__ import annotations

import subprocess
from pathlib import Path

import h5py
import numpy as np
import pytest
from scipy import stats

from conftest import REPO, wedge_bin
import prim_numpy
from wedge_analysis.discovery import open_discovery, plot_limits, plot_tradeoff


def discover(results: Path, where: str, out: Path, *extra: str) -> Path:
    cmd = [wedge_bin(), "discover", str(results), "--where", where, "-o", str(out), "-q",
           "--threads", "1", *extra]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    return out


def names(ds) -> list[str]:
    return [x.decode() if isinstance(x, bytes) else x for x in ds[...]]


@pytest.fixture(scope="module")
def box_records(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("box") / "box.h5"
    subprocess.run([wedge_bin(), "run", str(REPO / "configs" / "box.toml"), "-n", "20000",
                    "--threads", "1", "--records", "all", "-o", str(out), "-q"], check=True)
    return out


def trajectory_of(path: Path):
    with h5py.File(path) as f:
        first = f["step_box"][...] == 1
        return (f["step_lower_bin"][first], f["step_upper_bin"][first],
                f["step_runs"][first], f["step_hits"][first], f["bin_edges"][...])


def check_same_trajectory(records: Path, disc: Path, strategy: str, outcome: str, edges_ref):
    lower, upper, runs, hits, edges = trajectory_of(disc)
    np.testing.assert_allclose(edges[:, 1:-1], edges_ref[:, 1:-1], rtol=1e-12, atol=1e-15)
    with h5py.File(records) as f:
        r = f["records"]
        s = names(r["strategy"]).index(strategy)
        o = names(r["outcome"]).index(outcome)
        values = r["parameters"][...]
        hit = r["outcomes"][:, s, o] != 0
    # The same bins as wedge's edges (edges checked above against SciPy's quantiles).
    steps = prim_numpy.peel(prim_numpy.bins_of(values, edges), hit)
    assert len(steps) == len(runs), (len(steps), len(runs))
    for t, (lo, hi, n, h) in enumerate(steps):
        assert (n, h) == (runs[t], hits[t]), t
        np.testing.assert_array_equal(lo, lower[t])
        np.testing.assert_array_equal(hi, upper[t])


def test_box_model_trajectory_matches_numpy(box_records, tmp_path):
    disc = discover(box_records, "hit@model", tmp_path / "d.h5", "--boxes", "1", "--resamples", "0")
    uniform_edges = np.tile(np.arange(prim_numpy.BINS + 1) / prim_numpy.BINS, (5, 1))
    check_same_trajectory(box_records, disc, "model", "hit", uniform_edges)


def test_baseline_trajectory_matches_numpy(records_file, tmp_path):
    """The strategic triangle: beta, normal and lognormal priors, 11 inputs."""
    disc = discover(records_file, "split@conciliation", tmp_path / "d.h5", "--boxes", "1",
                    "--resamples", "0")
    u = np.arange(1, prim_numpy.BINS) / prim_numpy.BINS
    priors = [stats.beta(2, 5), stats.beta(5, 2), stats.norm(0.04, 0.02), stats.beta(3, 3),
              stats.beta(3, 4), stats.beta(4, 2), stats.beta(2, 3), stats.beta(4, 3),
              stats.beta(5, 2), stats.beta(3, 2), stats.lognorm(0.3)]
    edges = np.zeros((len(priors), prim_numpy.BINS + 1))
    for k, p in enumerate(priors):
        edges[k, 1:-1] = p.ppf(u)
    check_same_trajectory(records_file, disc, "conciliation", "split", edges)


def test_loader_and_figures(box_records, tmp_path):
    disc = discover(box_records, "hit@model", tmp_path / "d.h5", "--boxes", "2", "--resamples", "2")
    d = open_discovery(disc)
    assert d.condition == "hit@model"
    assert list(d.trajectory.columns[:4]) == ["box", "step", "coverage", "density"]
    assert d.boxes.loc[1, "density"] > 0.8
    lim = d.limits(1)
    assert lim.loc["x1", "restricted"] and not lim.loc["x3", "restricted"]
    assert abs(lim.loc["x1", "lower"] - 0.2) < 0.02 and abs(lim.loc["x2", "upper"] - 0.9) < 0.02
    import matplotlib
    matplotlib.use("Agg")
    for fn, name in ((plot_tradeoff, "tradeoff.png"), (plot_limits, "limits.png")):
        fig = fn(d)
        fig.savefig(tmp_path / name)
        assert (tmp_path / name).stat().st_size > 5000


def test_report_with_discovery(records_file, tmp_path):
    from wedge_analysis.report import main

    disc = discover(records_file, "split@conciliation", tmp_path / "d.h5", "--boxes", "2",
                    "--resamples", "2")
    out = tmp_path / "report"
    assert main([str(records_file), "-o", str(out), "--discovery", str(disc)]) == 0
    page = (out / "index.html").read_text()
    assert "Scenario discovery (PRIM)" in page and "split under conciliation holds in" in page
    for name in ("discovery1_tradeoff.png", "discovery1_limits.png"):
        assert (out / name).stat().st_size > 5000
    assert main([str(records_file), "-o", str(out), "--discovery", str(records_file)]) == 2


@pytest.mark.parametrize("where, expected", [
    ("us_payoff@engagement_with_deterrence > us_payoff@dual_containment",
     lambda pay, s: pay[:, s("engagement_with_deterrence")] > pay[:, s("dual_containment")]),
    ("regret@conciliation > 0.1",
     lambda pay, s: pay.max(axis=1) - pay[:, s("conciliation")] > 0.1),
    ("us_payoff@dual_containment < 0.2", lambda pay, s: pay[:, s("dual_containment")] < 0.2),
])
def test_conditions_select_the_runs_numpy_selects(records_file, tmp_path, where, expected):
    disc = discover(records_file, where, tmp_path / "d.h5", "--boxes", "1", "--resamples", "0")
    with h5py.File(records_file) as f:
        r = f["records"]
        strategies = names(r["strategy"])
        pay = r["outcomes"][:, :, names(r["outcome"]).index("us_payoff")]
    hits = int(expected(pay, strategies.index).sum())
    with h5py.File(disc) as f:
        assert int(f.attrs["hits"]) == hits and int(f.attrs["runs"]) == len(pay)
        assert f["step_hits"][0] == hits
