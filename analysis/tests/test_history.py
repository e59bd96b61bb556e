"""[history]: the quarters before the decision quarter follow one policy for every strategy, and a
strategy whose levers are the history's gives bitwise the statistics it has without a history."""
from __future__ import annotations

import subprocess

import h5py
import numpy as np
import pytest

from conftest import REPO

RUNS = 6000
HISTORY = '\n[history]\nstrategy = "conciliation"\ndecision_quarter = "2026Q4"\n'


def run(wedge, cfg, out):
    p = subprocess.run([wedge, "run", str(cfg), "-n", str(RUNS), "--threads", "1", "-o", str(out), "-q"],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    return h5py.File(out, "r")


@pytest.fixture(scope="module")
def pair(wedge, tmp_path_factory):
    d = tmp_path_factory.mktemp("history")
    base = (REPO / "configs" / "baseline.toml").read_text()
    (d / "plain.toml").write_text(base)
    (d / "hist.toml").write_text(base + HISTORY)
    with run(wedge, d / "plain.toml", d / "plain.h5") as a, run(wedge, d / "hist.toml", d / "hist.h5") as b:
        yield a, b


def per_strategy_datasets(f):
    """(name, strategy axis) of every float dataset with a strategy dimension."""
    out = []
    def visit(name, obj):
        if isinstance(obj, h5py.Dataset) and obj.dtype.kind == "f" and obj.ndim:
            dims = [d[0].name.rsplit("/", 1)[-1] if len(d) else None for d in obj.dims]
            if "strategy" in dims:  # a group's own strategy axis (paths/by_group) lists fewer
                ax = dims.index("strategy")
                out.append((name, ax, [s.decode() for s in obj.dims[ax][0][()]]))
    f.visititems(visit)
    return out


def test_the_history_strategy_is_unchanged_and_the_others_are_not(pair):
    a, b = pair
    names = [s.decode() for s in a["strategy"][()]]
    c = names.index("conciliation")
    checked = 0
    for name, ax, axis in per_strategy_datasets(a):
        if name.startswith("comparison/") and name.split("/")[-1] in ("best_share", "regret_mean", "regret_p90"):
            continue  # measured against the other strategies, which changed
        if name.startswith("robust/") and name.split("/")[-1] in ("gap", "gap_se"):
            continue  # against the best strategy, which may be another one
        if "conciliation" not in axis:
            continue
        c = axis.index("conciliation")
        x, y = a[name][()], b[name][()]
        assert np.array_equal(np.take(x, c, axis=ax), np.take(y, c, axis=ax), equal_nan=True), name
        checked += 1
    assert checked >= 10
    # Dual containment differs: it starts in 2026Q4 from where conciliation left the world.
    d = names.index("dual_containment")
    assert not np.array_equal(a["mean"][d], b["mean"][d])


def test_every_strategy_shares_the_history_quarters(pair):
    _, b = pair
    q, m = b["paths/quantiles"][()], b["paths/mean"][()]   # (strategy, state, quarter, ...)
    decision = 7  # 2026Q4
    for s in range(1, q.shape[0]):
        assert np.array_equal(q[0, :, :decision], q[s, :, :decision])
        assert np.array_equal(m[0, :, :decision], m[s, :, :decision])
        assert not np.array_equal(m[0, :, decision:], m[s, :, decision:])
    ev = b["paths/event_probability"][()]  # (strategy, event, quarter)
    for s in range(1, ev.shape[0]):
        assert np.array_equal(ev[0, :, :decision], ev[s, :, :decision])


def test_the_file_says_what_the_history_was(pair, wedge):
    a, b = pair
    assert b.attrs["decision_quarter"] == "2026Q4" and b.attrs["history_strategy"] == "conciliation"
    assert "decision_quarter" not in a.attrs
    info = subprocess.run([wedge, "info", b.filename], capture_output=True, text=True, timeout=60).stdout
    assert "policy in force: conciliation from 2025Q1 to 2026Q3 ([history]); each strategy from 2026Q4" in info
