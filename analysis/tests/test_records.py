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


def test_compact_records_are_the_named_columns(records_file, compact_file):
    from conftest import COMPACT_OUTCOMES
    full, compact = open_results(records_file), open_results(compact_file)
    assert (full.records_mode, compact.records_mode) == ("all", "compact")
    a, c = full.records(), compact.records()
    pd_cols = list(c.outcomes.columns.get_level_values("outcome").unique())
    assert pd_cols == COMPACT_OUTCOMES
    assert c.outcomes.dtypes.unique().tolist() == [np.float64]
    np.testing.assert_array_equal(c.parameters.to_numpy(), a.parameters.to_numpy())
    for strat in full.strategies:
        for o in COMPACT_OUTCOMES:
            np.testing.assert_array_equal(c.outcomes[(strat, o)].to_numpy(), a.outcomes[(strat, o)].to_numpy())
    long = compact.records(layout="long").outcomes
    assert list(long.columns) == COMPACT_OUTCOMES and long.shape == (RUNS * len(full.strategies), 2)
    cols = compact.record_columns(full.strategies[1], ["split"])
    np.testing.assert_array_equal(cols["split"].to_numpy(), a.outcomes[(full.strategies[1], "split")].to_numpy())


def test_compact_records_name_what_they_lack(compact_file):
    with pytest.raises(WedgeRecordsMissingError) as e:
        open_results(compact_file).record_columns("conciliation", ["nato_fracture"])
    assert "nato_fracture" in str(e.value) and "record_outcomes" in str(e.value)


def test_compact_records_are_unfiltered_and_exact(compact_file):
    import h5py
    with h5py.File(compact_file, "r") as f:
        g = f["records"]
        assert g.attrs["records_mode"] == "compact"
        assert g["outcomes"].dtype == np.float64  # us_payoff is continuous: kept exact
        assert g["outcomes"].compression is None and not g["outcomes"].shuffle
