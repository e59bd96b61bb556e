"""A straightforward NumPy implementation of wedge's PRIM peeling (docs/discovery.md), written
independently of the C++ one to check it: full sorts of the runs in the box at every step, as
EMA Workbench does, on the same bins (each input binned at its prior's 1/1024 quantiles)."""
from __future__ import annotations

import math

import numpy as np

BINS = 1024


def bins_of(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Bin j of input k holds edges[k, j] <= x < edges[k, j + 1] (values: runs x inputs)."""
    out = np.empty(values.shape, dtype=np.int64)
    for k in range(values.shape[1]):
        out[:, k] = np.searchsorted(edges[k, 1:-1], values[:, k], side="right")
    return out


def _objective(kind: str, n0: int, h0: int, n1: int, h1: int, total: int) -> float:
    m0, m1 = h0 / n0, h1 / n1
    change = float(abs(n0 - n1))
    if kind == "original":
        return m1 - m0
    if kind == "lenient2":
        return (m1 - m0) * float(n1) / change
    return (m1 - m0) / (change / float(total))


def peel(bins: np.ndarray, hit: np.ndarray, alpha: float = 0.05, mass_min: float = 0.05,
         objective: str = "lenient1", peelable: np.ndarray | None = None):
    """The peeling trajectory: a list of (lower bins, upper bins, runs, hits) per step."""
    total, inputs = bins.shape
    peelable = np.ones(inputs, bool) if peelable is None else peelable
    hit = hit.astype(bool)
    inbox = np.ones(total, bool)
    lo, hi = np.zeros(inputs, np.int64), np.full(inputs, BINS, np.int64)
    n, h = total, int(hit.sum())
    steps = [(lo.copy(), hi.copy(), n, h)]
    while True:
        best, best_score = None, -math.inf
        quota = alpha * n
        m = math.ceil(quota)  # the fewest runs a peel removes
        for k in range(inputs):
            if not peelable[k]:
                continue
            col = bins[inbox, k]
            sorted_bins = np.sort(col)
            for side in ("lower", "upper"):
                if side == "lower":
                    cut = int(sorted_bins[m - 1]) + 1
                    if cut >= hi[k]:
                        continue
                    gone = col < cut
                    new = (k, cut, int(hi[k]))
                else:
                    cut = int(sorted_bins[n - m])
                    if cut <= lo[k]:
                        continue
                    gone = col >= cut
                    new = (k, int(lo[k]), cut)
                n1 = n - int(gone.sum())
                h1 = h - int(hit[inbox][gone].sum())
                if n1 == 0 or n1 < mass_min * total or not h1 * n > h * n1:
                    continue
                score = _objective(objective, n, h, n1, h1, total)
                if score > best_score:
                    best, best_score = (new, n1, h1), score
        if best is None:
            return steps
        (k, new_lo, new_hi), n, h = best
        lo[k], hi[k] = new_lo, new_hi
        inbox &= (bins[:, k] >= new_lo) & (bins[:, k] < new_hi)
        steps.append((lo.copy(), hi.copy(), n, h))
