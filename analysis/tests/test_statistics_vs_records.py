"""Every streamed statistic in the file against an independent numpy computation from the
per-run records of the same file, to the accuracy docs/output-format.md section 12 states."""
from __future__ import annotations

import math
import tomllib

import h5py
import numpy as np
import pytest

Z = 1.959963984540054
LEVELS = [0.05, 0.25, 0.5, 0.75, 0.95]


@pytest.fixture(scope="module")
def f(records_file):
    with h5py.File(records_file, "r") as h:
        yield h


@pytest.fixture(scope="module")
def data(f):
    X = f["records/outcomes"][()]  # (run, strategy, outcome)
    return dict(X=X, P=f["records/parameters"][()], n=X.shape[0],
                outcomes=list(f["outcome"].asstr()[:]), strategies=list(f["strategy"].asstr()[:]),
                kind=list(f["outcome_kind"].asstr()[:]), cfg=tomllib.loads(f.attrs["config"]))


def exact_quantile(x, q):
    """The sample quantile the docs promise for integer data: the ceil(q n)-th smallest value."""
    xs = np.sort(x)
    return xs[max(0, math.ceil(q * len(xs)) - 1)]


def test_moments(f, data):
    X, n = data["X"], data["n"]
    np.testing.assert_allclose(f["mean"][()], X.mean(0), rtol=0, atol=2.0**-32)
    sd = X.std(0, ddof=1)
    np.testing.assert_allclose(f["sd"][()], sd, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(f["mcse"][()], sd / math.sqrt(n), rtol=1e-6, atol=1e-9)
    np.testing.assert_array_equal(f["min"][()], X.min(0))
    np.testing.assert_array_equal(f["max"][()], X.max(0))


def test_wilson_intervals_of_binary_outcomes(f, data):
    X, n = data["X"], data["n"]
    for o, kind in enumerate(data["kind"]):
        for s in range(X.shape[1]):
            if kind != "binary":
                assert np.isnan(f["wilson_low"][s, o]) and np.isnan(f["wilson_high"][s, o])
                continue
            p = X[:, s, o].sum() / n
            centre, den = p + Z * Z / (2 * n), 1 + Z * Z / n
            half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
            assert f["wilson_low"][s, o] == pytest.approx(max(0.0, (centre - half) / den), abs=1e-12)
            assert f["wilson_high"][s, o] == pytest.approx(min(1.0, (centre + half) / den), abs=1e-12)


def test_quantiles_within_one_bin_and_exact_for_integers(f, data):
    X, Q = data["X"], f["quantiles"][()]
    for o, name in enumerate(data["outcomes"]):
        width = f["histograms/" + name].attrs["bin_width"]
        for s in range(X.shape[1]):
            for j, q in enumerate(LEVELS):
                exact = exact_quantile(X[:, s, o], q)
                if data["kind"][o] == "continuous":
                    assert abs(Q[s, o, j] - exact) < width, (name, s, q)
                else:
                    assert Q[s, o, j] == exact, (name, s, q)


def test_paired_differences(f, data):
    X, n, strategies = data["X"], data["n"], data["strategies"]
    c = f["comparison"]
    for p, (a, b) in enumerate(zip(c["first"].asstr()[:], c["second"].asstr()[:])):
        d = X[:, strategies.index(a), :] - X[:, strategies.index(b), :]
        np.testing.assert_allclose(c["mean_difference"][p], d.mean(0), rtol=0, atol=2.0**-31)
        np.testing.assert_allclose(c["se_difference"][p], d.std(0, ddof=1) / math.sqrt(n), rtol=1e-6, atol=1e-9)


def test_best_share_regret_and_satisficing(f, data):
    X, n, cfg = data["X"], data["n"], data["cfg"]
    c = f["comparison"]
    pay = X[:, :, data["outcomes"].index("us_payoff")]
    S = pay.shape[1]
    np.testing.assert_array_equal(c["best_share"][()], np.bincount(pay.argmax(1), minlength=S) / n)
    regret = pay.max(1, keepdims=True) - pay
    np.testing.assert_allclose(c["regret_mean"][()], regret.mean(0), rtol=0, atol=2.0**-31)
    w = cfg["payoff"]
    width = (w["alignment"] + w["cohesion"] + w["ukraine"] + w["military_action"] + w["hybrid_attack"] * w["hybrid_cap"])
    bin_width = width / cfg["output"]["histogram_bins"]
    for s in range(S):
        exact = exact_quantile(regret[:, s], 0.9)
        assert abs(c["regret_p90"][s] - exact) < bin_width, (s, c["regret_p90"][s], exact)
        if exact == 0:
            assert c["regret_p90"][s] == 0
    for k, crit in enumerate(cfg["analysis"].get("satisficing", [])):
        ok = np.ones(pay.shape, bool)
        for cond in crit["conditions"]:
            x = X[:, :, data["outcomes"].index(cond["outcome"])]
            ok &= (x >= cond.get("min", -np.inf)) & (x <= cond.get("max", np.inf))
        np.testing.assert_array_equal(c["satisficing"][:, k], ok.mean(0))


def test_event_probabilities_by_quarter(f, data):
    X, ep = data["X"], f["paths/event_probability"][()]
    names = list(f["paths/event"].asstr()[:])
    column = {"hybrid_attack": "first_hybrid_attack_quarter", "military_action": "military_action_quarter",
              "ceasefire": "ceasefire_quarter"}
    for e, name in enumerate(names):
        q = X[:, :, data["outcomes"].index(column[name])]
        for t in range(ep.shape[2]):
            np.testing.assert_array_equal(ep[:, e, t], ((q >= 0) & (q <= t)).mean(0))


def test_final_path_mean_is_the_final_state_mean(f, data):
    X, pm = data["X"], f["paths/mean"][()]
    for k, state in enumerate(f["paths/state"].asstr()[:]):
        np.testing.assert_allclose(pm[:, k, -1], X[:, :, data["outcomes"].index(state + "_final")].mean(0),
                                   rtol=0, atol=2.0**-32)


def test_drivers(f, data):
    X, P, d = data["X"], data["P"], f["drivers"]
    lo, up, count, mean = d["decile_lower"][()], d["decile_upper"][()], d["count"][()], d["mean"][()]
    exact_outcome = np.array([k != "continuous" for k in data["kind"]])
    for p in range(P.shape[1]):
        for k in range(10):
            sel = (P[:, p] >= lo[p, k]) & ((P[:, p] < up[p, k]) if k < 9 else (P[:, p] <= up[p, k]))
            assert count[p, k] == sel.sum(), (p, k)
            if not sel.any():
                assert np.isnan(mean[:, p, k, :]).all()
                continue
            err = mean[:, p, k, :] - X[sel].mean(0)
            # 0/1 and whole-number outcomes exact; the others low by less than their resolution
            # 2^(e - 20), at most 2^-18 for the payoff (section 12).
            np.testing.assert_allclose(err[:, exact_outcome], 0, atol=1e-12)
            assert (err <= 1e-12).all() and (err > -2.0**-18).all(), (p, k, err.min())


def test_fan_charts_of_kept_and_switched_runs(f, data):
    """/paths/by_group at the horizon against the final states of the runs that kept each strategy
    and of those that switched (policy_switched): run counts exact, means to the fixed-point
    resolution, quantiles of the fan-chart subsample within one bin."""
    X, cfg, strategies = data["X"], data["cfg"], data["strategies"]
    g = f["paths/by_group"]
    grouped = list(g["strategy"].asstr()[:])
    with_fallback = [s["name"] for s in cfg["strategy"] if "fallback" in s]
    assert grouped == with_fallback and grouped  # a strategy without fallback has no groups
    assert list(g["group"].asstr()[:]) == ["kept", "switched"]
    run = f["records/run"][()]
    sample = run % 64 < 64 // cfg["output"]["path_sample"]
    width = 1.0 / cfg["output"]["path_bins"]
    switched_col = data["outcomes"].index("policy_switched")
    runs, mean, quant = g["runs"][()], g["mean"][()], g["quantiles"][()]
    levels = list(g["quantile"][()])
    for i, name in enumerate(grouped):
        s = strategies.index(name)
        switched = X[:, s, switched_col] == 1
        assert runs[i].tolist() == [int((~switched).sum()), int(switched.sum())]
        assert 0 < switched.sum() < len(switched)
        for k, state in enumerate(g["state"].asstr()[:]):
            final = X[:, s, data["outcomes"].index(state + "_final")]
            for j, members in enumerate((~switched, switched)):
                np.testing.assert_allclose(mean[i, j, k, -1], final[members].mean(), rtol=0, atol=2.0**-31)
                x = np.sort(final[members & sample])
                for m, q in enumerate(levels):
                    want = x[max(0, math.ceil(q * len(x)) - 1)]
                    assert abs(quant[i, j, k, -1, m] - want) <= width + 1e-12, (name, state, j, q)
            # the mixture is the two groups together
            mix = f["paths/mean"][s, k, -1]
            both = (runs[i, 0] * mean[i, 0, k, -1] + runs[i, 1] * mean[i, 1, k, -1]) / runs[i].sum()
            assert mix == pytest.approx(both, abs=1e-12)
