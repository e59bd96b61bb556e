"""A lever sweep (15 strategies: the three named ones and a 4 x 3 grid, compared against the
sweep's base) against direct computation from its per-run records: regret, best share,
satisficing and the paired differences as for three strategies, then the swept lever values,
the Pareto frontier, the gaps to the best and their standard errors (exact against the
baseline, an upper bound otherwise)."""
from __future__ import annotations

import itertools
import math
import subprocess
import tomllib

import h5py
import numpy as np
import pytest

from conftest import REPO, wedge_bin
from test_statistics_vs_records import test_best_share_regret_and_satisficing as check_robustness
from test_statistics_vs_records import test_paired_differences as check_pairs

Z = 1.959963984540054
SWEEP = """
[[sweep]]
base = "engagement_with_deterrence"
design = "grid"
steps = { sanctions_relief = 4, conditionality = 3 }
[sweep.levers]
sanctions_relief = [0.0, 0.9]
conditionality = [0.5, 1.0]
"""
OBJECTIVES = ["max:us_payoff", "min:nato_fracture", "min:military_action"]


@pytest.fixture(scope="module")
def sweep_file(tmp_path_factory):
    d = tmp_path_factory.mktemp("sweep")
    text = (REPO / "configs" / "baseline.toml").read_text()
    text = text.replace('baseline = "all_pairs"', "objectives = " + str(OBJECTIVES).replace("'", '"'))
    cfg = d / "sweep.toml"
    cfg.write_text(text + SWEEP)
    out = d / "sweep.h5"
    cmd = [wedge_bin(), "run", str(cfg), "-n", "4000", "--threads", "2", "--records", "all", "-o", str(out), "-q"]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    return out


@pytest.fixture(scope="module")
def f(sweep_file):
    with h5py.File(sweep_file, "r") as h:
        yield h


@pytest.fixture(scope="module")
def data(f):
    X = f["records/outcomes"][()]
    return dict(X=X, n=X.shape[0], outcomes=list(f["outcome"].asstr()[:]),
                strategies=list(f["strategy"].asstr()[:]), cfg=tomllib.loads(f.attrs["config"]))


def test_names_and_lever_values(f, data):
    names = data["strategies"]
    assert len(names) == 15
    levers = list(f["strategies/lever"].asstr()[:])
    L = f["strategies/levers"][()]
    base = data["cfg"]["strategy"][2]
    grid = list(itertools.product([0.0, 0.3, 0.6, 0.9], [0.5, 0.75, 1.0]))
    for k, (relief, cond) in enumerate(grid):
        s = 3 + k
        assert names[s] == f"engagement_with_deterrence+sanctions_relief={relief:.2f}+conditionality={cond:.2f}"
        assert f["strategies/generated"][s] == 1
        want = [base[lever] for lever in levers]
        want[levers.index("sanctions_relief")], want[levers.index("conditionality")] = relief, cond
        np.testing.assert_array_equal(L[s], want)
        assert f["strategies/fallback"].asstr()[s] == "dual_containment"


def test_comparisons_against_the_base(f, data):
    c = f["comparison"]
    assert f["strategies"].attrs["baseline"] == "engagement_with_deterrence"
    assert set(c["second"].asstr()[:]) == {"engagement_with_deterrence"} and len(c["first"]) == 14
    check_pairs(f, data)


def test_regret_best_share_satisficing(f, data):
    check_robustness(f, data)


def test_frontier_and_gaps(f, data):
    X, n, names = data["X"], data["n"], data["strategies"]
    r = f["robust"]
    assert list(r["objective"].asstr()[:]) == OBJECTIVES
    cols = [data["outcomes"].index(o.split(":")[1]) for o in OBJECTIVES]
    sign = np.array([1.0 if o.startswith("max") else -1.0 for o in OBJECTIVES])
    mean = X[:, :, cols].mean(0)  # (strategy, objective)
    np.testing.assert_allclose(r["value"][()], mean, rtol=0, atol=2.0**-31)
    v = mean * sign  # higher is better
    S = len(names)
    on = [not any(np.all(v[t] >= v[k]) and np.any(v[t] > v[k]) for t in range(S) if t != k) for k in range(S)]
    np.testing.assert_array_equal(r["on_frontier"][()].astype(bool), on)
    assert any(on)
    base = names.index("engagement_with_deterrence")
    for j, col in enumerate(cols):
        best = int(np.argmax(v[:, j]))  # the first of ties, as wedge
        assert r["best"].asstr()[j] == names[best]
        np.testing.assert_allclose(r["gap"][:, j], v[best, j] - v[:, j], rtol=0, atol=2.0**-30)
        for k in range(S):
            d = X[:, k, col] - X[:, best, col]
            exact = d.std(ddof=1) / math.sqrt(n) if k != best else 0.0
            se = r["gap_se"][k, j]
            if k == best:
                assert se == 0.0
            elif base in (k, best):  # compared directly: exact
                assert se == pytest.approx(exact, rel=1e-6, abs=1e-9)
            else:  # the Cauchy-Schwarz bound is never below the exact standard error
                assert se >= exact * (1 - 1e-6) - 1e-12
                to_base = [(X[:, s, col] - X[:, base, col]).std(ddof=1) / math.sqrt(n) for s in (k, best)]
                marg = [X[:, s, col].std(ddof=1) / math.sqrt(n) for s in (k, best)]
                assert se == pytest.approx(min(sum(to_base), sum(marg)), rel=1e-6, abs=1e-9)
            assert r["within_error"][k, j] == (r["gap"][k, j] <= Z * se)
    near = r["near_frontier"][()].astype(bool)
    assert np.all(near[np.array(on)])  # the frontier is near itself


def test_report_of_a_sweep(sweep_file, tmp_path):
    from wedge_analysis.report import build_report
    rep = build_report(str(sweep_file), str(tmp_path))
    files = {fig.file for fig in rep.figures}
    assert {"sweep_heatmap.png", "sweep_frontier.png", "sweep_regret.png"} <= files
    page = (tmp_path / "index.html").read_text()
    assert "Swept strategies" in page
    # the main tables keep to the three named strategies
    assert rep.strategies == ["dual_containment", "conciliation", "engagement_with_deterrence"]
