"""Read the scores file `wedge score` writes (docs/scoring.md).

    >>> from wedge_analysis.scores import open_scores
    >>> s = open_scores("scores.h5")
    >>> s.table.loc[("hybrid_attack_by_2026Q2", "conciliation"), "brier"]
"""
from __future__ import annotations

import os
from dataclasses import dataclass

import h5py
import numpy as np
import pandas as pd

from .results import WedgeFormatError

FILETYPE = "wedge-scores"
SUPPORTED_FORMAT_VERSIONS = (1,)
_SCORES = ("probability", "brier", "log_score", "crps", "pit", "median")


def _strings(ds: h5py.Dataset) -> list[str]:
    return [v.decode() if isinstance(v, bytes) else str(v) for v in ds[()]]


@dataclass
class WedgeScores:
    path: str
    questions: pd.DataFrame  # one row per question: kind, subject, quarter, observed, ...
    table: pd.DataFrame      # (question, strategy) -> probability, brier, log_score, crps, pit, median
    means: pd.DataFrame      # strategy -> mean_brier, mean_log_score, mean_crps
    attrs: dict


def open_scores(path: str | os.PathLike) -> WedgeScores:
    with h5py.File(path, "r") as f:
        ftype = f.attrs.get("filetype")
        ftype = ftype.decode() if isinstance(ftype, bytes) else ftype
        if ftype != FILETYPE:
            raise WedgeFormatError(f"{path}: not a wedge scores file (filetype {ftype!r})")
        version = int(f.attrs.get("format_version", -1))
        if version not in SUPPORTED_FORMAT_VERSIONS:
            raise WedgeFormatError(f"{path}: scores format {version} is not supported "
                                   f"(this reader knows {SUPPORTED_FORMAT_VERSIONS})")
        q = _strings(f["question"])
        s = _strings(f["strategy"])
        questions = pd.DataFrame({k: _strings(f[k]) for k in ("kind", "subject", "quarter",
                                                             "description", "source")}, index=q)
        questions["observed"] = f["observed"][()]
        idx = pd.MultiIndex.from_product([q, s], names=["question", "strategy"])
        table = pd.DataFrame({k: np.asarray(f[k][()]).reshape(-1) for k in _SCORES}, index=idx)
        means = pd.DataFrame({k: f[k][()] for k in ("mean_brier", "mean_log_score", "mean_crps")},
                             index=pd.Index(s, name="strategy"))
        attrs = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in f.attrs.items()}
    return WedgeScores(str(path), questions, table, means, attrs)
