"""(e) Per-run records: shape and run count with --records all; a clear error without."""
from __future__ import annotations

import numpy as np
import pytest

from conftest import RUNS
from wedge_analysis import WedgeRecordsMissingError, open_results


def test_records_shape(records_file):
    r = open_results(records_file)
    assert r.has_records
    rec = r.records()
    n_params = len(r.drivers().index.get_level_values("parameter").unique())
    assert rec.parameters.shape == (RUNS, n_params) == (r.runs, 11)
    assert list(rec.parameters.index) == list(range(RUNS))
    assert rec.parameters.index.name == "run"
    assert rec.outcomes.shape == (RUNS, len(r.strategies) * len(r.outcomes))
    long = r.records(layout="long").outcomes
    assert long.shape == (RUNS * len(r.strategies), len(r.outcomes))
    assert list(long.columns) == r.outcomes


def test_records_agree_with_summary(records_file):
    r = open_results(records_file)
    rec = r.records()
    s = r.summary()
    for strat in r.strategies:
        m = rec.outcomes[strat].mean()
        np.testing.assert_allclose(m.to_numpy(), s.loc[strat, "mean"].loc[m.index].to_numpy(), rtol=1e-6, atol=1e-6)


def test_records_slice(records_file):
    rec = open_results(records_file).records(runs=slice(100, 110))
    assert list(rec.parameters.index) == list(range(100, 110))


def test_no_records_is_a_clear_error(plain_file):
    r = open_results(plain_file)
    assert not r.has_records
    with pytest.raises(WedgeRecordsMissingError) as e:
        r.records()
    assert str(plain_file) in str(e.value) and "--records all" in str(e.value)
