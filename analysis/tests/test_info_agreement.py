"""(a) Numbers read by wedge_analysis equal those printed by `wedge info`."""
from __future__ import annotations

import math
import re
import subprocess

import pytest

from wedge_analysis import open_results

# labels of print_summary (src/summary.cpp) -> outcome
PROB_ROWS = {
    "P(Sino-Russian split)": "split", "P(entrenched alliance)": "entrenched",
    "P(Russia pockets relief)": "russia_pivot", "P(NATO fracture)": "nato_fracture",
    "P(Europe autonomous)": "europe_autonomous", "P(military action vs NATO)": "military_action",
    "P(ceasefire in Ukraine)": "ceasefire", "P(policy switched in 2029)": "policy_switched",
}
MEAN_ROWS = {
    "alignment 2034 (mean)": "alignment_final", "NATO cohesion 2034 (mean)": "nato_cohesion_final",
    "Ukraine strength 2034 (mean)": "ukraine_strength_final", "hybrid attacks (mean)": "hybrid_attacks",
    "relief received (mean)": "relief_received", "US payoff (mean)": "us_payoff",
}
NUM = r"(-|-?\d+\.\d+)"


def fmt(v: float, prec: int = 3) -> str:
    """The C++ fmt(): fixed precision, '-' for NaN."""
    return "-" if math.isnan(v) else f"{v:.{prec}f}"


@pytest.fixture(scope="module")
def info(wedge, records_file):
    p = subprocess.run([wedge, "info", str(records_file)], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    return p.stdout


@pytest.fixture(scope="module")
def res(records_file):
    return open_results(records_file)


def row(info: str, label: str) -> str:
    for line in info.splitlines():
        if line.startswith(label):
            return line[len(label):]
    raise AssertionError(f"row {label!r} not in `wedge info` output:\n{info}")


def test_header(info, res):
    m = re.search(r"wedge summary: (\d+) runs x (\d+) strategies", info)
    assert m, info
    assert int(m.group(1)) == res.runs == res.attrs["runs"]
    assert int(m.group(2)) == len(res.strategies)
    lines = info.splitlines()
    i = next(k for k, line in enumerate(lines) if line.startswith("wedge summary:"))
    assert lines[i + 1].split() == res.strategies


@pytest.mark.parametrize("label,outcome", PROB_ROWS.items())
def test_probability_rows(info, res, label, outcome):
    cells = re.findall(NUM + r" \[" + NUM + "," + NUM + r"\]", row(info, label))
    assert len(cells) == len(res.strategies), row(info, label)
    s = res.summary()
    for strategy, (mean, lo, hi) in zip(res.strategies, cells):
        r = s.loc[(strategy, outcome)]
        assert (fmt(r["mean"]), fmt(r["wilson_low"]), fmt(r["wilson_high"])) == (mean, lo, hi), (strategy, outcome)


@pytest.mark.parametrize("label,outcome", MEAN_ROWS.items())
def test_mean_rows(info, res, label, outcome):
    cells = re.findall(NUM + r" \+- " + NUM, row(info, label))
    assert len(cells) == len(res.strategies), row(info, label)
    s = res.summary()
    for strategy, (mean, se) in zip(res.strategies, cells):
        r = s.loc[(strategy, outcome)]
        assert (fmt(r["mean"]), fmt(r["mcse"], 4)) == (mean, se), (strategy, outcome)


def test_regret_rows(info, res):
    reg = res.regret()
    best = re.findall(NUM, row(info, "share of runs best (payoff)"))
    assert best == [fmt(reg.loc[s, "best_share"]) for s in res.strategies]
    pairs = re.findall(NUM + " / " + NUM, row(info, "regret mean / p90"))
    assert pairs == [(fmt(reg.loc[s, "regret_mean"]), fmt(reg.loc[s, "regret_p90"])) for s in res.strategies]
    for c in res.criteria():
        sat = re.findall(NUM, row(info, f"satisficing '{c}'"))
        assert sat == [fmt(reg.loc[s, f"satisficing_{c}"]) for s in res.strategies]


def test_paired_differences(info, res):
    cmp = res.comparison()
    lines = info.splitlines()
    start = next(k for k, line in enumerate(lines) if line.startswith("paired differences"))
    keys = lines[start + 1].split()[1:]
    assert keys == ["split", "nato_fracture", "military_action", "us_payoff"]
    pairs = list(dict.fromkeys(cmp.index.get_level_values("pair")))
    assert pairs, "no pairs in the file"
    for p in pairs:
        cells = re.findall(NUM + r" \+- " + NUM, row(info, p))
        assert cells == [(fmt(cmp.loc[(p, k), "mean_difference"], 4), fmt(cmp.loc[(p, k), "se_difference"], 4))
                         for k in keys], p


def test_first_order_table(wedge, records_file, res):
    """`wedge info --drivers` prints the same first-order indices as first_order() reads."""
    p = subprocess.run([wedge, "info", str(records_file), "--drivers-of", "split", "us_payoff"],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    fo = res.first_order()
    seen = 0
    for outcome in ("split", "us_payoff"):
        lines = p.stdout.split(f"first-order sensitivity index of {outcome} ")[1].splitlines()[2:]
        for line in lines:
            if not line.strip():
                break
            name, *cells = line.split()
            assert cells == [fmt(fo[(s, name, outcome)]) for s in res.strategies], line
            seen += 1
    assert seen >= 10
    # Shares of variance: each in [0, 1] up to noise, and the inputs' first-order shares add up
    # to at most about 1 (the rest is interactions and the model's own randomness).
    assert fo.dropna().between(-0.02, 1.0).all()
    assert (fo.dropna().groupby(level=["strategy", "outcome"]).sum() < 1.05).all()
