"""(b) The report builds every figure from a small run."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

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


def _pct(p):
    return f"{100 * p:.2f}%" if 100 * p < 1 else f"{100 * p:.1f}%"


def _strings(ds):
    return [x.decode() if isinstance(x, bytes) else str(x) for x in ds[()]]


@pytest.fixture(scope="module")
def records_report(records_file, tmp_path_factory):
    """The report of the study with records, built once."""
    out = tmp_path_factory.mktemp("report")
    p = run_report(records_file, out)
    assert p.returncode == 0, p.stdout + p.stderr
    return out / "index.html"


def test_bottom_line_numbers_come_from_the_file(records_file, records_report):
    """The first paragraph names the best strategy on payoff, its payoff, its lead, how often it is
    best and its risks, each with the interval computed here from the file with h5py."""
    import html as h
    import math

    import h5py
    import numpy as np

    index = records_report.read_text(encoding="utf-8")
    m = re.search(r"<h1>.*?</h1>\s*<p class=bottom-line>(.*?)</p>", index, re.S)
    assert m, "the bottom line is not the first paragraph"
    text = h.unescape(re.sub(r"<[^>]+>", "", m.group(1)))
    with h5py.File(records_file, "r") as f:
        strategies, outcomes = _strings(f["strategy"]), _strings(f["outcome"])
        mean, mcse = f["mean"][()], f["mcse"][()]
        wl, wh = f["wilson_low"][()], f["wilson_high"][()]
        share = f["comparison/best_share"][()]
        pairs = _strings(f["comparison/pair"])
        md, sd = f["comparison/mean_difference"][()], f["comparison/se_difference"][()]
        n = int(f.attrs["runs"])
    pay = outcomes.index("us_payoff")
    order = np.argsort(-mean[:, pay])
    best, second = strategies[order[0]], strategies[order[1]]
    b = order[0]
    label = lambda s: s.replace("_", " ").capitalize()  # noqa: E731
    assert text.startswith(f"Across {n:,} simulated futures")
    assert f"{label(best)} gives the US the highest expected payoff" in text
    lo, hi = mean[b, pay] - 1.96 * mcse[b, pay], mean[b, pay] + 1.96 * mcse[b, pay]
    assert f"{mean[b, pay]:.3f} (95% interval {lo:.3f} to {hi:.3f})" in text
    k = pairs.index(f"{best} - {second}") if f"{best} - {second}" in pairs else pairs.index(f"{second} - {best}")
    sign = 1 if pairs[k].startswith(best) else -1
    d, se = sign * md[k, pay], sd[k, pay]
    assert d > 0
    if d - 1.96 * se > 0:
        assert f"beats {label(second)}, the next best, by {d:.3f} (95% interval {d - 1.96 * se:.3f} to {d + 1.96 * se:.3f})" in text
    else:
        assert f"not clearly better than {label(second)}" in text
    # share of runs in which it is best, with a Wilson interval computed here
    ph, z = share[b], 1.96
    den = 1 + z * z / n
    c = (ph + z * z / (2 * n)) / den
    w = z * math.sqrt(ph * (1 - ph) / n + z * z / (4 * n * n)) / den
    assert f"best of the strategies in {_pct(ph)} (95% interval {_pct(c - w)} to {_pct(c + w)})" in text
    for o, words in (("military_action", "Russian military action against NATO territory"),
                     ("nato_fracture", "a NATO fracture"), ("split", "a Sino-Russian split")):
        j = outcomes.index(o)
        assert f"{words}" in text
        assert f"{_pct(mean[b, j])} (95% interval {_pct(wl[b, j])} to {_pct(wh[b, j])})" in text, o
    worst = strategies[order[-1]]
    assert f"{label(worst)} does worst" in text


def test_timing_outcomes_are_never_shown_as_means(records_report):
    """The *_quarter outcomes are codes (-1: never): the report shows event timing instead."""
    index = records_report.read_text(encoding="utf-8")
    for name in ("Quarter of the first Russian hybrid attack", "Quarter of Russian military action",
                 "Quarter of a ceasefire", "_quarter"):
        assert name not in index.split("<h2>Provenance</h2>")[0], name
    assert 'src="events_over_time.png"' in index
    # with records, the fan charts of strategies with a fallback show kept and switched runs
    assert "the runs that kept the strategy and those that switched to the fallback" in index


def test_report_refuses_another_model(tmp_path):
    """A study of a test model: a clear refusal (exit 2), no traceback, nothing half-written."""
    from conftest import REPO, wedge_bin
    results = tmp_path / "ishigami.h5"
    subprocess.run([wedge_bin(), "run", str(REPO / "configs" / "ishigami.toml"), "-n", "2000", "-q",
                    "-o", str(results)], check=True, capture_output=True, timeout=300)
    import h5py
    with h5py.File(results, "r") as f:
        assert f.attrs["model"] in (b"ishigami-v1", "ishigami-v1")
    p = run_report(results, tmp_path / "report")
    assert p.returncode == 2, p.stdout + p.stderr
    assert "the model 'ishigami-v1'" in p.stderr and "Traceback" not in p.stderr, p.stderr
    assert not (tmp_path / "report" / "index.html").exists()
