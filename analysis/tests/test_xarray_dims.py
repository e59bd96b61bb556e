"""(d) xarray opens the root and every group with named dimensions (no phony_dim_*)."""
from __future__ import annotations

import h5py
import pytest
import xarray as xr

from wedge_analysis import open_results

EXPECTED_DIMS = {
    None: {"mean": ("strategy", "outcome"), "sd": ("strategy", "outcome"), "mcse": ("strategy", "outcome"),
           "min": ("strategy", "outcome"), "max": ("strategy", "outcome"),
           "wilson_low": ("strategy", "outcome"), "wilson_high": ("strategy", "outcome"),
           "quantiles": ("strategy", "outcome", "quantile")},
    "paths": {"mean": ("strategy", "state", "quarter"), "quantiles": ("strategy", "state", "quarter", "quantile"),
              "event_probability": ("strategy", "event", "quarter"), "year": ("quarter",)},
    "comparison": {"mean_difference": ("pair", "outcome"), "se_difference": ("pair", "outcome"),
                   "first": ("pair",), "second": ("pair",), "best_share": ("strategy",),
                   "regret_mean": ("strategy",), "regret_p90": ("strategy",),
                   "satisficing": ("strategy", "criterion"), "criterion_description": ("criterion",)},
    "drivers": {"mean": ("strategy", "parameter", "decile", "outcome"), "count": ("parameter", "decile"),
                "decile_lower": ("parameter", "decile"), "decile_upper": ("parameter", "decile")},
    "records": {"parameters": ("run", "parameter"), "outcomes": ("run", "strategy", "outcome")},
    "state": {"words": ("word",)},
    "strategies": {"levers": ("strategy", "lever"), "generated": ("strategy",), "fallback": ("strategy",)},
    "robust": {"value": ("strategy", "objective"), "se": ("strategy", "objective"), "gap": ("strategy", "objective"),
               "gap_se": ("strategy", "objective"), "within_error": ("strategy", "objective"),
               "on_frontier": ("strategy",), "near_frontier": ("strategy",), "best": ("objective",)},
}


def groups_in(path):
    with h5py.File(path, "r") as f:
        return [None] + sorted(k for k, v in f.items() if isinstance(v, h5py.Group))


def test_every_group_is_covered(records_file):
    """A group added on the C++ side must be added here (and so get checked); histograms has its own test."""
    assert set(groups_in(records_file)) == set(EXPECTED_DIMS) | {"histograms"}, groups_in(records_file)


@pytest.mark.parametrize("group", list(EXPECTED_DIMS), ids=lambda g: g or "root")
def test_named_dimensions(records_file, group):
    with xr.open_dataset(records_file, engine="h5netcdf", group=group) as ds:
        phony = [d for d in ds.dims if str(d).startswith("phony_dim")]
        assert not phony, f"group {group or '/'} has unnamed dimensions {phony}"
        for name, dims in EXPECTED_DIMS[group].items():
            assert name in ds.variables, f"{group or '/'}/{name} missing"
            assert ds[name].dims == dims, f"{group or '/'}/{name}: {ds[name].dims} != {dims}"
        for v in ds.variables.values():
            assert all(not str(d).startswith("phony_dim") for d in v.dims)


def test_histogram_dimensions(records_file):
    r = open_results(records_file)
    with xr.open_dataset(records_file, engine="h5netcdf", group="histograms") as ds:
        assert not [d for d in ds.dims if str(d).startswith("phony_dim")]
        for o in r.outcomes:
            assert ds[o].dims == ("strategy", f"{o}_bin")
            assert int(ds[o].sum()) == r.runs * len(r.strategies)


def test_coordinates_carry_names(records_file):
    r = open_results(records_file)
    root = r.dataset()
    assert list(root["strategy"].values) == r.strategies
    assert list(root["outcome"].values) == r.outcomes
    p = r.paths()
    assert "year" in p.coords and p["year"].dims == ("quarter",)
    assert list(p["state"].values) == ["alignment", "rapprochement", "nato_cohesion", "european_autonomy",
                                       "ukraine_strength"]
    assert float(p["year"][-1]) > float(p["year"][0])


def _walk_datasets(path):
    with h5py.File(path, "r") as f:
        found = []
        f.visititems(lambda name, obj: found.append((name, dict(obj.attrs))) if isinstance(obj, h5py.Dataset) else None)
    return found


def _text(x):
    return x.decode() if isinstance(x, bytes) else str(x)


def test_units_are_real_or_listed_per_element(records_file):
    """No placeholder units: a variable along an outcome or parameter axis lists one unit per element."""
    with h5py.File(records_file, "r") as f:
        n_out, n_par = len(f["outcome"]), len(f["drivers/parameter"])
    for name, attrs in _walk_datasets(records_file):
        units = _text(attrs.get("units", ""))
        assert "outcome units" not in units and "parameter units" not in units, name
        if "outcome_units" in attrs:
            assert "units" not in attrs and "units differ" in _text(attrs["comment"]), name
            assert len(attrs["outcome_units"]) == n_out and len(attrs["outcome_long_names"]) == n_out, name
        if "parameter_units" in attrs:
            assert "units" not in attrs and len(attrs["parameter_units"]) == n_par, name
    with h5py.File(records_file, "r") as f:
        for group in ("drivers", "records"):
            units = [_text(u) for u in f[group]["parameter_units"][:]]
            names = [_text(n) for n in f[group]["parameter"][:]]
            assert dict(zip(names, units))["china_leverage_growth"] == "1/year"
            assert all(len(_text(s)) > 10 for s in f[group]["parameter_long_name"][:])
        for var in ("mean", "sd", "quantiles", "comparison/mean_difference", "drivers/mean", "records/outcomes"):
            assert "outcome_units" in f[var].attrs, var
