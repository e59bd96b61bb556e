"""`wedge score` against the same runs' records: event probabilities (Brier, log score) exactly,
the CRPS and PIT of a state's path histogram against the sample formulas within a bin width,
the scores file read back, and bad resolved-questions files refused with nothing written."""
from __future__ import annotations

import subprocess
import tomllib

import h5py
import numpy as np
import pytest

from wedge_analysis.scores import open_scores

LAST = "2034Q4"  # the baseline's last quarter: the path there is the outcome at the horizon
RESOLVED = f"""
[resolved]
strategy = "conciliation"
[[question]]
name = "hybrid_by_2027Q2"
event = "hybrid_attack"
by = "2027Q2"
happened = true
[[question]]
name = "military_by_2026Q4"
event = "military_action"
by = "2026Q4"
happened = false
[[question]]
name = "cohesion_at_horizon"
state = "nato_cohesion"
at = "{LAST}"
value = 0.62
[[question]]
name = "alignment_at_horizon"
state = "alignment"
at = "{LAST}"
value = 0.35
"""


def sample_crps(x: np.ndarray, y: float) -> float:
    """E|X - y| - E|X - X'| / 2 over the sample (Gneiting and Raftery 2007), sorted in O(n log n)."""
    xs = np.sort(x)
    n = len(xs)
    pair = 2.0 * np.sum((2 * np.arange(1, n + 1) - n - 1) * xs) / (n * n)
    return float(np.mean(np.abs(xs - y)) - 0.5 * pair)


@pytest.fixture(scope="module")
def scored(records_file, wedge, tmp_path_factory):
    d = tmp_path_factory.mktemp("score")
    (d / "resolved.toml").write_text(RESOLVED)
    out = d / "scores.h5"
    p = subprocess.run([wedge, "score", str(records_file), str(d / "resolved.toml"), "-o", str(out)],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert "(the policy in force)" in p.stdout and "cohesion_at_horizon" in p.stdout
    return open_scores(out)


@pytest.fixture(scope="module")
def rec(records_file):
    with h5py.File(records_file, "r") as f:
        outcomes = [v.decode() for v in f["records/outcome"][()]]
        strategies = [v.decode() for v in f["records/strategy"][()]]
        cfg = f.attrs["config"]
        cfg = cfg.decode() if isinstance(cfg, bytes) else cfg
        sample = tomllib.loads(cfg)["output"].get("path_sample", 1)
        return dict(X=f["records/outcomes"][()], o=outcomes, s=strategies,
                    fan=(f["records/run"][()] % 64) < 64 // sample)


def test_event_scores_equal_the_records(scored, rec):
    X, o = rec["X"], rec["o"]
    for si, s in enumerate(rec["s"]):
        for q, col, t, happened in (("hybrid_by_2027Q2", "first_hybrid_attack_quarter", 9, True),
                                    ("military_by_2026Q4", "military_action_quarter", 7, False)):
            quarters = X[:, si, o.index(col)]
            n = len(quarters)
            count = np.count_nonzero((quarters >= 0) & (quarters <= t))
            p = count / n
            row = scored.table.loc[(q, s)]
            assert row["probability"] == p
            y = 1.0 if happened else 0.0
            assert row["brier"] == pytest.approx((p - y) ** 2, abs=1e-15)
            ps = (count + 0.5) / (n + 1)
            assert row["log_score"] == pytest.approx(-np.log(ps if happened else 1 - ps), rel=1e-12)
            assert np.isnan(row["crps"])


def test_state_scores_match_the_sample_formulas(scored, rec):
    X, o = rec["X"], rec["o"]
    width = 1.0 / 200  # the default path bins
    for si, s in enumerate(rec["s"]):
        for q, col, y in (("cohesion_at_horizon", "nato_cohesion_final", 0.62),
                          ("alignment_at_horizon", "alignment_final", 0.35)):
            # The fan-chart histograms count the runs path_sample selects (docs/configuration.md).
            x = X[rec["fan"], si, o.index(col)]
            row = scored.table.loc[(q, s)]
            assert abs(row["crps"] - sample_crps(x, y)) < width, (q, s)
            # PIT: the share at or below y, up to the mass of y's bin.
            lo, hi = np.mean(x < np.floor(y / width) * width), np.mean(x < (np.floor(y / width) + 1) * width)
            assert lo - 1e-12 <= row["pit"] <= hi + 1e-12, (q, s)
            assert np.isnan(row["brier"])


def test_scores_file(scored):
    assert scored.attrs["strategy_in_force"] == "conciliation"
    assert list(scored.questions.index) == ["hybrid_by_2027Q2", "military_by_2026Q4",
                                            "cohesion_at_horizon", "alignment_at_horizon"]
    assert scored.questions.loc["cohesion_at_horizon", "observed"] == 0.62
    assert scored.questions.loc["hybrid_by_2027Q2", "quarter"] == "2027Q2"
    for s in scored.means.index:
        t = scored.table.xs(s, level="strategy")
        assert scored.means.loc[s, "mean_brier"] == pytest.approx(t["brier"].mean())
        assert scored.means.loc[s, "mean_crps"] == pytest.approx(t["crps"].mean())


@pytest.mark.parametrize("text,needle", [
    ('[[question]]\nname = "q"\nevent = "coup"\nby = 3\nhappened = true\n', "not an event of the study"),
    ('[[question]]\nname = "q"\nevent = "ceasefire"\nby = "2036Q1"\nhappened = true\n', "outside the study"),
    ('[[question]]\nname = "q"\nstate = "nato_cohesion"\nat = 3\nvalue = 2\n', "question[0].value"),
])
def test_bad_questions_are_refused_and_nothing_is_written(records_file, wedge, tmp_path, text, needle):
    (tmp_path / "r.toml").write_text(text)
    out = tmp_path / "s.h5"
    p = subprocess.run([wedge, "score", str(records_file), str(tmp_path / "r.toml"), "-o", str(out)],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and needle in p.stderr and "r.toml" in p.stderr, p.stderr
    assert not out.exists() and not (tmp_path / "s.h5.partial").exists()


def test_the_result_file_is_never_overwritten(records_file, wedge, tmp_path):
    (tmp_path / "r.toml").write_text(RESOLVED)
    before = records_file.read_bytes()
    p = subprocess.run([wedge, "score", str(records_file), str(tmp_path / "r.toml"), "-o", str(records_file)],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and "-o" in p.stderr, p.stderr
    assert records_file.read_bytes() == before
