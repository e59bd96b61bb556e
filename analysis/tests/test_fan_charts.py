"""Fan charts for chosen strategies ([output] fan_charts) and by group (/paths/by_group), read
back by the toolkit and drawn by the report, on a real file."""
from __future__ import annotations

import subprocess

import h5py
import numpy as np
import pytest

from conftest import REPO, SMALL_RUNS, wedge_bin
from wedge_analysis.report import build_report
from wedge_analysis.results import open_results

CHOSEN = ["dual_containment", "engagement_with_deterrence"]


@pytest.fixture(scope="module")
def chosen_file(tmp_path_factory):
    d = tmp_path_factory.mktemp("fan")
    text = (REPO / "configs" / "baseline.toml").read_text()
    assert "\npath_sample = 8 " in text
    text = text.replace("\npath_sample = 8 ", "\nfan_charts = [" + ", ".join(f'"{s}"' for s in CHOSEN)
                        + "]\npath_sample = 8 ", 1)
    (d / "fan.toml").write_text(text)
    out = d / "fan.h5"
    subprocess.run([wedge_bin(), "run", str(d / "fan.toml"), "-n", str(SMALL_RUNS), "--threads", "1", "-q",
                    "-o", str(out)], check=True, capture_output=True, timeout=300)
    return out


def test_reader_sees_only_the_chosen_fan_charts(chosen_file):
    r = open_results(chosen_file)
    assert r.strategies == ["dual_containment", "conciliation", "engagement_with_deterrence"]
    assert r.fan_chart_strategies == CHOSEN
    assert r.fan_chart("conciliation") is None
    fc = r.fan_chart("engagement_with_deterrence")
    assert fc["quantiles"].dims == ("state", "quarter", "quantile")
    p = r.paths()
    assert p["mean"].dims == ("fan_chart_strategy", "state", "quarter")
    assert p["event_probability"].sizes["strategy"] == 3  # event timing for every strategy
    g = r.path_groups()
    assert [str(s) for s in g["strategy"].to_numpy()] == ["engagement_with_deterrence"]
    assert int(g["runs"].sum()) == r.runs
    # the mixture's mean is the runs-weighted mean of the two groups
    with h5py.File(chosen_file, "r") as f:
        mix = f["paths/mean"][1]
        n = f["paths/by_group/runs"][0].astype(float)
        m = f["paths/by_group/mean"][0]
    np.testing.assert_allclose(mix, (n[0] * m[0] + n[1] * m[1]) / n.sum(), rtol=0, atol=1e-12)


def test_report_draws_the_chosen_fan_charts(chosen_file, tmp_path):
    rep = build_report(str(chosen_file), str(tmp_path / "rep"))
    index = (tmp_path / "rep" / "index.html").read_text(encoding="utf-8")
    assert "Fan charts are kept for 2 of the 3 strategies" in index
    assert "the runs that kept the strategy and those that switched to the fallback" in index
    assert (tmp_path / "rep" / "fan_alignment.png").stat().st_size > 10_000
    assert any(f.file == "fan_alignment.png" for f in rep.figures)
