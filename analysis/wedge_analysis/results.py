"""Reader for wedge result files (HDF5 written by ``wedge run``; layout in docs/output-format.md, writer src/io/results_write.cpp)."""
from __future__ import annotations

import os
import tomllib
from collections import namedtuple
from contextlib import contextmanager
from typing import Any, Iterator

import h5py
import numpy as np
import pandas as pd

FILETYPE = "wedge-results"
#: format versions this reader understands
SUPPORTED_FORMAT_VERSIONS = (5,)

#: root variables with dimensions (strategy, outcome), in the column order of summary()
SUMMARY_STATS = ("mean", "sd", "mcse", "min", "max", "wilson_low", "wilson_high")

#: wedge writes +-1e300 for the open end of an unbounded prior's outer decile
_OPEN_END = 1e300

Records = namedtuple("Records", ["parameters", "outcomes"])
Records.__doc__ = """Per-run records: ``parameters`` (index run, one column per parameter) and
``outcomes`` (wide: index run, columns (strategy, outcome); long: index (run, strategy),
one column per outcome), as float64 whatever the type on disk. With ``--records compact``
the outcomes are only those the study named (``[output] record_outcomes``)."""


class WedgeError(Exception):
    """Base class of the errors raised by wedge_analysis."""


class WedgeFormatError(WedgeError, ValueError):
    """The file is not a wedge result file this reader understands."""


class WedgeRecordsMissingError(WedgeError, LookupError):
    """The result file holds no per-run records (the study ran with records = "none")."""


def _text(v: Any) -> str:
    if isinstance(v, bytes):
        return v.decode("utf-8")
    if isinstance(v, np.ndarray) and v.shape == ():
        return _text(v[()])
    return str(v)


def _plain(v: Any) -> Any:
    """HDF5 attribute value -> plain Python value."""
    if isinstance(v, bytes):
        return v.decode("utf-8")
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, np.ndarray):
        return [_plain(x) for x in v.tolist()] if v.dtype.kind in "OSU" else v.tolist()
    return v


def _strings(ds: h5py.Dataset) -> list[str]:
    return [_text(x) for x in ds[()]]


def _dim_names(ds: h5py.Dataset) -> list[str | None]:
    """Names of the dimension scales attached to each axis of ``ds`` (None where none is)."""
    if h5py.h5ds.is_scale(ds.id) and ds.ndim == 1:  # a dimension scale is its own dimension
        return [ds.name.rsplit("/", 1)[-1]]
    names: list[str | None] = []
    for dim in ds.dims:
        names.append(dim[0].name.rsplit("/", 1)[-1] if len(dim) else None)
    return names


class WedgeResults:
    """One wedge result file. Create with :func:`open_results`.

    The file is opened only while a method reads it, so a ``WedgeResults`` object holds no
    file handle and can be kept around freely.
    """

    def __init__(self, path: str | os.PathLike):
        self.path = os.fspath(path)
        if not os.path.exists(self.path):
            raise FileNotFoundError(f"{self.path}: no such wedge result file")
        try:
            f = h5py.File(self.path, "r")
        except OSError as e:
            raise WedgeFormatError(f"{self.path}: not a wedge result file: it cannot be opened as HDF5 ({e})") from e
        with f:
            self._check_stamp(f)
            self.attrs: dict[str, Any] = {k: _plain(v) for k, v in f.attrs.items() if k != "config"}
            self.config_text: str = _text(f.attrs["config"]) if "config" in f.attrs else ""
            for name in ("strategy", "outcome", "quantile", "mean", "quantiles"):
                if name not in f:
                    raise WedgeFormatError(f"{self.path}: incomplete wedge result file: the root variable "
                                           f"'{name}' is missing")
            self.strategies: list[str] = _strings(f["strategy"])
            self.outcomes: list[str] = _strings(f["outcome"])
            self.quantile_levels: list[float] = [float(x) for x in f["quantile"][()]]
            self.has_records: bool = "records" in f
            # "all", "compact" (only the outcomes named in record_outcomes) or "none"; files
            # written before the compact mode have no records_mode and hold every outcome.
            self.records_mode: str = (_text(f["records"].attrs.get("records_mode", "all"))
                                      if self.has_records else "none")
            # The model the study ran and its version (docs/models.md): "strategic-triangle-v1",
            # "ishigami-v1", ...
            self.model: str = _text(f.attrs["model"]) if "model" in f.attrs else "?"
        self._config: dict | None = None

    # ---- checks and low-level access ------------------------------------------------------

    def _check_stamp(self, f: h5py.File) -> None:
        if "filetype" not in f.attrs:
            raise WedgeFormatError(
                f"{self.path}: not a wedge result file: the root attribute 'filetype' is missing "
                f"(expected '{FILETYPE}'; an unfinished run leaves a '.partial' file without it)")
        ft = _text(f.attrs["filetype"])
        if ft != FILETYPE:
            raise WedgeFormatError(f"{self.path}: not a wedge result file: the root attribute 'filetype' is "
                                   f"'{ft}', expected '{FILETYPE}'")
        if "format_version" not in f.attrs:
            raise WedgeFormatError(f"{self.path}: the root attribute 'format_version' is missing")
        raw = f.attrs["format_version"]
        try:
            version = int(np.asarray(raw).item())
            if version != np.asarray(raw).item():
                raise ValueError
        except (TypeError, ValueError):
            raise WedgeFormatError(f"{self.path}: the root attribute 'format_version' is {raw!r}, "
                                   f"not an integer") from None
        if version not in SUPPORTED_FORMAT_VERSIONS:
            newest = max(SUPPORTED_FORMAT_VERSIONS)
            why = ("newer than this reader; update wedge_analysis" if version > newest
                   else "older than any format this reader knows")
            raise WedgeFormatError(
                f"{self.path}: unsupported format_version {version} ({why}); this reader understands "
                f"format_version {', '.join(map(str, SUPPORTED_FORMAT_VERSIONS))}")
        self.format_version = version

    @contextmanager
    def _h5(self) -> Iterator[h5py.File]:
        with h5py.File(self.path, "r") as f:
            yield f

    def _var(self, f: h5py.File, name: str, dims: tuple[str, ...], sel: Any = ()) -> np.ndarray:
        """Read variable ``name`` and check that its dimensions are ``dims``, in that order."""
        if name not in f:
            raise WedgeFormatError(f"{self.path}: the variable '/{name.lstrip('/')}' is missing")
        ds = f[name]
        found = _dim_names(ds)
        if tuple(found) != dims:
            raise WedgeFormatError(f"{self.path}: the variable '/{name.lstrip('/')}' has dimensions "
                                   f"{tuple(found)}, expected {dims}")
        return ds[sel]

    def _group(self, f: h5py.File, name: str) -> h5py.Group:
        if name not in f:
            raise WedgeFormatError(f"{self.path}: the group '/{name}' is missing")
        return f[name]

    # ---- provenance and configuration --------------------------------------------------------

    @property
    def runs(self) -> int:
        """Number of runs in the study (per strategy)."""
        return int(self.attrs["runs"])

    @property
    def effective_runs(self) -> float:
        """The number of runs an interval rests on: the runs, or for a study weighted by evidence
        Kish's effective sample size (/evidence, attribute effective_sample_size)."""
        with self._h5() as f:
            if "evidence" in f:
                return float(f["evidence"].attrs["effective_sample_size"])
        return float(self.runs)

    @property
    def config(self) -> dict:
        """The embedded configuration, parsed from TOML."""
        if self._config is None:
            try:
                self._config = tomllib.loads(self.config_text)
            except tomllib.TOMLDecodeError as e:
                raise WedgeFormatError(f"{self.path}: the embedded configuration is not valid TOML: {e}") from e
        return self._config

    def strategy_descriptions(self) -> dict[str, str]:
        """Strategy name -> description, from the embedded configuration."""
        out = {s: "" for s in self.strategies}
        for st in self.config.get("strategy", []):
            if st.get("name") in out:
                out[st["name"]] = st.get("description", "")
        return out

    def outcome_info(self) -> pd.DataFrame:
        """Per outcome: long_name, units and kind (continuous, integer or binary)."""
        with self._h5() as f:
            mean = f["mean"]
            long_names = [_text(x) for x in mean.attrs.get("outcome_long_names", [""] * len(self.outcomes))]
            units = [_text(x) for x in mean.attrs.get("outcome_units", [""] * len(self.outcomes))]
            kinds = []
            h = f.get("histograms")
            for o in self.outcomes:
                kind = ""
                if h is not None and f"{o}_bin" in h:
                    b = h[f"{o}_bin"]
                    if _text(b.attrs.get("long_name", "")).startswith("lower edge"):
                        kind = "continuous"
                    elif b.shape == (2,) and list(b[()]) == [0.0, 1.0]:
                        kind = "binary"
                    else:
                        kind = "integer"
                kinds.append(kind)
        return pd.DataFrame({"long_name": long_names, "units": units, "kind": kinds},
                            index=pd.Index(self.outcomes, name="outcome"))

    # ---- statistics ----------------------------------------------------------------------

    def summary(self) -> pd.DataFrame:
        """Root summary: index (strategy, outcome); columns mean, sd, mcse, min, max,
        wilson_low, wilson_high (NaN for outcomes that are not 0/1) and one column per
        quantile level (q05, q25, q50, q75, q95)."""
        so = ("strategy", "outcome")
        with self._h5() as f:
            cols = {v: self._var(f, v, so).reshape(-1) for v in SUMMARY_STATS}
            q = self._var(f, "quantiles", so + ("quantile",))
        for k, lvl in enumerate(self.quantile_levels):
            cols[f"q{round(lvl * 100):02d}"] = q[:, :, k].reshape(-1)
        index = pd.MultiIndex.from_product([self.strategies, self.outcomes], names=list(so))
        return pd.DataFrame(cols, index=index)

    def histogram(self, outcome: str) -> pd.DataFrame:
        """Histogram of one outcome: index = bin (lower edge, or the value for integer and
        0/1 outcomes), one column of run counts per strategy. ``df.attrs`` holds bin_width,
        long_name and units."""
        with self._h5() as f:
            g = self._group(f, "histograms")
            bin_dim = f"{outcome}_bin"
            if outcome not in g:
                raise KeyError(f"{self.path}: no histogram of '{outcome}' (outcomes: {', '.join(self.outcomes)})")
            counts = self._var(g, outcome, ("strategy", bin_dim))
            bins = g[bin_dim][()]
            strategies = _strings(g["strategy"])
            ds = g[outcome]
            attrs = {"bin_width": float(ds.attrs.get("bin_width", np.nan)),
                     "long_name": _text(ds.attrs.get("long_name", "")),
                     "units": _text(g[bin_dim].attrs.get("units", "")),
                     "bin_meaning": _text(g[bin_dim].attrs.get("long_name", ""))}
        df = pd.DataFrame(counts.T.astype(np.int64), index=pd.Index(bins, name=bin_dim), columns=strategies)
        df.columns.name = "strategy"
        df.attrs.update(attrs)
        return df

    def dataset(self, group: str | None = None):
        """Any group of the file (None = root) as an xarray.Dataset, loaded into memory."""
        import xarray as xr

        with xr.open_dataset(self.path, engine="h5netcdf", group=group) as ds:
            return ds.load()

    def paths(self):
        """/paths as an xarray.Dataset: mean(strategy, state, quarter),
        quantiles(strategy, state, quarter, quantile), event_probability(strategy, event,
        quarter); ``year`` (time at the end of each quarter) is a coordinate on quarter.
        When ``[output] fan_charts`` left some strategy out, mean and quantiles run over
        ``fan_chart_strategy`` instead (see fan_chart_strategies)."""
        ds = self.dataset("paths")
        if "year" in ds.data_vars:
            ds = ds.set_coords("year")
        return ds

    @property
    def fan_chart_strategies(self) -> list[str]:
        """The strategies with fan charts (/paths/mean and quantiles), in configuration order."""
        with self._h5() as f:
            g = self._group(f, "paths")
            return _strings(g["fan_chart_strategy"]) if "fan_chart_strategy" in g else self.strategies

    def fan_chart(self, strategy: str):
        """quantiles(state, quarter, quantile) and mean(state, quarter) of one strategy's fan chart
        (an xarray.Dataset with ``year``), or None if it has none."""
        p = self.paths()
        dim = "fan_chart_strategy" if "fan_chart_strategy" in p["mean"].dims else "strategy"
        if strategy not in [str(s) for s in p[dim].to_numpy()]:
            return None
        return p[["mean", "quantiles"]].sel({dim: strategy})

    def path_groups(self):
        """/paths/by_group as an xarray.Dataset, or None when no strategy has groups: for each
        strategy with fan charts that may switch to its fallback, runs(strategy, group),
        mean(strategy, group, state, quarter) and quantiles(strategy, group, state, quarter,
        quantile) of the runs that kept it (group "kept") and of those that switched
        ("switched"); ``year`` is a coordinate on quarter."""
        with self._h5() as f:
            if "by_group" not in self._group(f, "paths"):
                return None
        ds = self.dataset("paths/by_group")
        if "year" in ds.data_vars:
            ds = ds.set_coords("year")
        return ds

    def comparison(self) -> pd.DataFrame:
        """Paired differences A - B (common random numbers): index (pair, outcome); columns
        first (A), second (B), mean_difference, se_difference, ci_low, ci_high (95%, +-1.96 s.e.).
        Empty when the study has a single strategy."""
        cols = ["first", "second", "mean_difference", "se_difference", "ci_low", "ci_high"]
        with self._h5() as f:
            g = self._group(f, "comparison")
            if "pair" not in g:
                return pd.DataFrame(columns=cols, index=pd.MultiIndex.from_tuples([], names=["pair", "outcome"]))
            pairs = _strings(g["pair"])
            outcomes = _strings(g["outcome"])
            first = _strings(g["first"])
            second = _strings(g["second"])
            md = self._var(g, "mean_difference", ("pair", "outcome"))
            se = self._var(g, "se_difference", ("pair", "outcome"))
        index = pd.MultiIndex.from_product([pairs, outcomes], names=["pair", "outcome"])
        n_o = len(outcomes)
        df = pd.DataFrame({"first": np.repeat(first, n_o), "second": np.repeat(second, n_o),
                           "mean_difference": md.reshape(-1), "se_difference": se.reshape(-1)}, index=index)
        df["ci_low"] = df["mean_difference"] - 1.96 * df["se_difference"]
        df["ci_high"] = df["mean_difference"] + 1.96 * df["se_difference"]
        return df[cols]

    def criteria(self) -> dict[str, str]:
        """Satisficing criterion name -> description."""
        with self._h5() as f:
            g = self._group(f, "comparison")
            if "criterion" not in g:
                return {}
            return dict(zip(_strings(g["criterion"]), _strings(g["criterion_description"])))

    def regret(self) -> pd.DataFrame:
        """Robustness per strategy (on the US payoff): index strategy; columns best_share,
        regret_mean, regret_p90 and one 'satisficing_<criterion>' column per criterion."""
        with self._h5() as f:
            g = self._group(f, "comparison")
            df = pd.DataFrame({v: self._var(g, v, ("strategy",)) for v in ("best_share", "regret_mean", "regret_p90")},
                              index=pd.Index(_strings(g["strategy"]), name="strategy"))
            if "criterion" in g:
                sat = self._var(g, "satisficing", ("strategy", "criterion"))
                for k, c in enumerate(_strings(g["criterion"])):
                    df[f"satisficing_{c}"] = sat[:, k]
        return df

    def drivers(self) -> pd.DataFrame:
        """Mean outcome by decile of each parameter: index (strategy, parameter, decile,
        outcome); columns mean (a probability for 0/1 outcomes), count (runs in the decile),
        decile_lower, decile_upper (parameter values; +-inf for the open end of an unbounded
        prior, stored as +-1e300 in the file)."""
        with self._h5() as f:
            g = self._group(f, "drivers")
            strategies, params = _strings(g["strategy"]), _strings(g["parameter"])
            deciles, outcomes = [int(x) for x in g["decile"][()]], _strings(g["outcome"])
            mean = self._var(g, "mean", ("strategy", "parameter", "decile", "outcome"))
            count = self._var(g, "count", ("parameter", "decile"))
            lower = self._var(g, "decile_lower", ("parameter", "decile"))
            upper = self._var(g, "decile_upper", ("parameter", "decile"))
        lower = np.where(lower <= -_OPEN_END, -np.inf, lower)
        upper = np.where(upper >= _OPEN_END, np.inf, upper)
        shape = mean.shape
        index = pd.MultiIndex.from_product([strategies, params, deciles, outcomes],
                                           names=["strategy", "parameter", "decile", "outcome"])

        def spread(a: np.ndarray) -> np.ndarray:
            return np.broadcast_to(a[None, :, :, None], shape).reshape(-1)

        return pd.DataFrame({"mean": mean.reshape(-1), "count": spread(count.astype(np.int64)),
                             "decile_lower": spread(lower), "decile_upper": spread(upper)}, index=index)

    def first_order(self) -> pd.Series:
        """First-order sensitivity indices from the decile bins of the ordinary runs (share of
        an outcome's variance explained by one input alone; docs/qmc-and-given-data.md):
        index (strategy, parameter, outcome); NaN for a fixed input, an outcome that did not
        vary or too few runs. Files written before these indices existed give an empty Series."""
        with self._h5() as f:
            g = self._group(f, "drivers")
            strategies, params, outcomes = (_strings(g["strategy"]), _strings(g["parameter"]),
                                            _strings(g["outcome"]))
            if "first_order" not in g:
                return pd.Series(dtype=float, name="first_order")
            v = self._var(g, "first_order", ("strategy", "parameter", "outcome"))
        index = pd.MultiIndex.from_product([strategies, params, outcomes],
                                           names=["strategy", "parameter", "outcome"])
        return pd.Series(v.reshape(-1), index=index, name="first_order")

    def qmc(self) -> pd.DataFrame:
        """A Sobol'-design study's means with their randomised-QMC standard errors (the spread
        of its 8 digitally shifted replicates): index (strategy, outcome); columns mean, se and
        replicate_0 ... replicate_7 (each replicate's mean). Empty for the other designs."""
        with self._h5() as f:
            if "qmc" not in f:
                return pd.DataFrame(columns=["mean", "se"])
            g = f["qmc"]
            strategies, outcomes = _strings(g["strategy"]), _strings(g["outcome"])
            mean = self._var(g, "mean", ("strategy", "outcome"))
            se = self._var(g, "se", ("strategy", "outcome"))
            rep = self._var(g, "replicate_mean", ("replicate", "strategy", "outcome"))
        index = pd.MultiIndex.from_product([strategies, outcomes], names=["strategy", "outcome"])
        df = pd.DataFrame({"mean": mean.reshape(-1), "se": se.reshape(-1)}, index=index)
        for r in range(rep.shape[0]):
            df[f"replicate_{r}"] = rep[r].reshape(-1)
        return df

    def records(self, layout: str = "wide", runs: slice | None = None) -> Records:
        """Per-run records, if the study wrote them (``--records all`` or ``compact``).

        Returns ``Records(parameters, outcomes)``. ``parameters``: index run, one column per
        parameter. ``outcomes``: with ``layout="wide"`` index run and columns (strategy,
        outcome); with ``layout="long"`` index (run, strategy) and one column per outcome.
        ``runs`` selects a slice of the stored rows (records can be large)."""
        if layout not in ("wide", "long"):
            raise ValueError(f"layout must be 'wide' or 'long', not {layout!r}")
        sel = runs if runs is not None else slice(None)
        with self._h5() as f:
            if "records" not in f:
                raise WedgeRecordsMissingError(
                    f"{self.path}: no per-run records in this file (the study ran with records = \"none\"); "
                    f"rerun with 'wedge run CONFIG --records all' to keep each run's parameters and outcomes "
                    f"(or --records compact for the parameters and the outcomes of [output] record_outcomes)")
            g = f["records"]
            run = self._var(g, "run", ("run",), sel)
            params = g["parameters"]
            if tuple(_dim_names(params)) != ("run", "parameter"):
                raise WedgeFormatError(f"{self.path}: /records/parameters has dimensions {tuple(_dim_names(params))}, "
                                       f"expected ('run', 'parameter')")
            outs = g["outcomes"]
            if tuple(_dim_names(outs)) != ("run", "strategy", "outcome"):
                raise WedgeFormatError(f"{self.path}: /records/outcomes has dimensions {tuple(_dim_names(outs))}, "
                                       f"expected ('run', 'strategy', 'outcome')")
            # Narrow types on disk (uint8 for 0/1 outcomes, int16 for whole numbers): floats here.
            p = params[sel].astype(np.float64)
            o = outs[sel].astype(np.float64)
            pnames, snames, onames = _strings(g["parameter"]), _strings(g["strategy"]), _strings(g["outcome"])
        run_index = pd.Index(run.astype(np.int64), name="run")
        parameters = pd.DataFrame(p, index=run_index, columns=pd.Index(pnames, name="parameter"))
        if layout == "wide":
            cols = pd.MultiIndex.from_product([snames, onames], names=["strategy", "outcome"])
            outcomes = pd.DataFrame(o.reshape(len(run), -1), index=run_index, columns=cols)
        else:
            idx = pd.MultiIndex.from_product([run_index, snames], names=["run", "strategy"])
            outcomes = pd.DataFrame(o.reshape(-1, len(onames)), index=idx, columns=pd.Index(onames, name="outcome"))
        return Records(parameters, outcomes)

    def record_columns(self, strategy: str, outcomes: list[str]) -> pd.DataFrame:
        """Per-run values of a few outcomes of one strategy (index run), read without loading
        the other records. Raises WedgeRecordsMissingError when the file has no records."""
        with self._h5() as f:
            if "records" not in f:
                raise WedgeRecordsMissingError(f"{self.path}: no per-run records in this file")
            g = f["records"]
            snames, onames = _strings(g["strategy"]), _strings(g["outcome"])
            k = snames.index(strategy)
            missing = [o for o in outcomes if o not in onames]
            if missing:
                raise WedgeRecordsMissingError(
                    f"{self.path}: the records ({self.records_mode}) hold the outcomes {onames}, not {missing}; "
                    f"rerun with --records all, or name them in [output] record_outcomes")
            run = g["run"][()]
            cols = {o: g["outcomes"][:, k, onames.index(o)].astype(np.float64) for o in outcomes}
        return pd.DataFrame(cols, index=pd.Index(run.astype(np.int64), name="run"))

    def __repr__(self) -> str:
        return (f"<WedgeResults {self.path!r}: {self.runs} runs x {len(self.strategies)} strategies, "
                f"format {self.format_version}, records {self.records_mode}>")


def open_results(path: str | os.PathLike) -> WedgeResults:
    """Open a wedge result file, checking its filetype stamp and format version.

    Raises FileNotFoundError if there is no such file and WedgeFormatError if it is not a
    wedge result file this reader understands."""
    return WedgeResults(path)
