"""The report's section on which uncertainty matters (a ``design = "saltelli"`` study): Sobol'
indices of one outcome with their 95% intervals, one panel per strategy and one for a paired
difference, and a sentence a policy reader understands. Numbers from ``/sensitivity``
(docs/sensitivity.md)."""
from __future__ import annotations

import html
import os

import h5py
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from . import labels as L
from .results import WedgeResults

DPI = 130
#: the outcome the section explains, in order of preference
OUTCOMES = ["split", "us_payoff"]


def _strings(ds) -> list[str]:
    return [x.decode() if isinstance(x, bytes) else str(x) for x in ds[:]]


def sobol_indices(results: WedgeResults) -> pd.DataFrame | None:
    """One row per (series, outcome, input): first/total order and their bounds; None without
    /sensitivity."""
    with h5py.File(results.path, "r") as f:
        if "sensitivity" not in f:
            return None
        g = f["sensitivity"]
        series, outcomes, inputs = (_strings(g[d]) for d in ("series", "outcome", "input"))
        kinds = _strings(g["series_kind"])
        idx = pd.MultiIndex.from_product([series, outcomes, inputs], names=["series", "outcome", "input"])
        cols = {v: g[v][:].ravel() for v in ("first_order", "first_order_low", "first_order_high",
                                               "total_order", "total_order_low", "total_order_high")}
    df = pd.DataFrame(cols, index=idx)
    df["kind"] = np.repeat(kinds, len(outcomes) * len(inputs))
    return df


def _outcome(df: pd.DataFrame) -> str:
    names = list(dict.fromkeys(df.index.get_level_values("outcome")))
    return next((o for o in OUTCOMES if o in names), names[0])


def _input_label(name: str) -> str:
    return "chance (the model's own randomness)" if name == "intrinsic" else L.parameter_label(name)


def _panels(df: pd.DataFrame, outcome: str) -> list[str]:
    """The strategies, then the first paired difference."""
    sub = df.xs(outcome, level="outcome")
    series = list(dict.fromkeys(sub.index.get_level_values("series")))
    strategies = [s for s in series if sub.loc[s, "kind"].iloc[0] == "strategy"]
    pairs = [s for s in series if s not in strategies]
    return strategies + pairs[:1]


def figure(results: WedgeResults, outdir: str, name: str = "sensitivity.png") -> str:
    df = sobol_indices(results)
    outcome = _outcome(df)
    panels = _panels(df, outcome)
    inputs = list(dict.fromkeys(df.index.get_level_values("input")))
    fig, axes = plt.subplots(1, len(panels), figsize=(4.2 * len(panels), 0.42 * len(inputs) + 1.6),
                             sharey=True, squeeze=False)
    y = np.arange(len(inputs))[::-1].astype(float)
    for ax, s in zip(axes[0], panels):
        sub = df.xs((s, outcome), level=("series", "outcome"))
        for col, off, color, label in (("total_order", 0.15, "#c0392b", "with interactions (total)"),
                                       ("first_order", -0.15, "#2c7fb8", "alone (first order)")):
            v = sub[col].to_numpy()
            lo, hi = sub[col + "_low"].to_numpy(), sub[col + "_high"].to_numpy()
            ax.errorbar(v, y + off, xerr=[v - lo, hi - v], fmt="o", color=color, ms=4, capsize=2, label=label)
        ax.axvline(0, color="#888", lw=0.8)
        title = L.strategy_label(s) if " - " not in s else "difference: " + " vs ".join(
            L.strategy_label(x) for x in s.split(" - "))
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("share of variance")
    axes[0][0].set_yticks(y)
    axes[0][0].set_yticklabels([_input_label(i) for i in inputs], fontsize=8)
    axes[0][0].legend(fontsize=7, loc="lower right")
    fig.suptitle(f"What drives {L.outcome_label(outcome)}: Sobol' indices with 95% intervals", fontsize=11)
    fig.savefig(os.path.join(outdir, name), dpi=DPI, bbox_inches="tight")
    plt.close(fig)
    return name


def sentences(results: WedgeResults) -> list[str]:
    """Per panel: the input that matters most (total order) and the share of chance."""
    df = sobol_indices(results)
    outcome = _outcome(df)
    out = []
    for s in _panels(df, outcome):
        sub = df.xs((s, outcome), level=("series", "outcome"))
        if sub["total_order"].isna().all():
            continue
        top = sub["total_order"].drop("intrinsic", errors="ignore").idxmax()
        t, f = sub.loc[top, "total_order"], sub.loc[top, "first_order"]
        chance = sub.loc["intrinsic", "total_order"] if "intrinsic" in sub.index else float("nan")
        what = (f"the choice between {L.strategy_label(s.split(' - ')[0])} and "
                f"{L.strategy_label(s.split(' - ')[1])} (the difference in {L.outcome_label(outcome)})"
                if " - " in s else f"{L.outcome_label(outcome)} under {L.strategy_label(s)}")
        out.append(f"For {what}, the most important uncertainty is {_input_label(top)}: it is involved in "
                   f"about {100 * t:.0f}% of the variation between runs ({100 * max(f, 0):.0f}% on its own); "
                   f"chance alone (events and shocks no better knowledge of the parameters could remove) "
                   f"is involved in about {100 * chance:.0f}%.")
    return out


def section(results: WedgeResults, name: str) -> str:
    items = "".join(f"<li>{html.escape(s)}</li>" for s in sentences(results))
    return (f"<h2>Which uncertainty matters</h2><p>Sobol' indices: the share of the variation of the outcome "
            f"between runs that each uncertain input explains alone (first order) or together with its "
            f"interactions (total order), with 95% intervals. Learning more about an input with a large total "
            f"share would narrow the forecast most.</p><ul>{items}</ul>"
            f'<p><img src="{html.escape(name)}" alt="Sobol indices"></p>')
