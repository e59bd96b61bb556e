"""The report's section comparing studies (``report.py A.h5 B.h5 ...``): a figure and a table of
each shared strategy's key differences from study A with 95% intervals, and the configuration
differences as a unified diff. Numbers from :mod:`wedge_analysis.compare`."""
from __future__ import annotations

import html
import os
import textwrap

import matplotlib.pyplot as plt
import numpy as np

from . import labels as L
from .compare import compare_studies, config_diff, missing_strategies, study_letters
from .results import WedgeResults
from .style import GOOD_DIRECTION, verdict_color, verdict_key

#: outcomes of the study comparison (probabilities in percentage points, then the payoff)
OUTCOMES = ["split", "entrenched", "nato_fracture", "military_action", "ceasefire", "us_payoff"]
DPI = 130


def _scale(o: str) -> float:
    return 1.0 if o == "us_payoff" else 100.0


def _cell(o: str, d: float, lo: float, hi: float) -> str:
    """'+d [+lo, +hi]': the payoff to 3 decimals, probabilities in pp to 1 (2 below 1 pp)."""
    sc = _scale(o)
    nd = 3 if sc == 1.0 else 2 if max(abs(lo), abs(hi)) * sc < 1 else 1
    return f"{sc * d:+.{nd}f} [{sc * lo:+.{nd}f}, {sc * hi:+.{nd}f}]"


def figure(studies: list[WedgeResults], outdir: str, name: str = "study_comparison.png") -> str:
    """One panel per outcome; one row per shared strategy; one marker per later study."""
    df = compare_studies(studies, OUTCOMES)
    letters = list(dict.fromkeys(df.index.get_level_values("study")))
    strategies = list(dict.fromkeys(df.index.get_level_values("strategy")))
    outs = list(dict.fromkeys(df.index.get_level_values("outcome")))
    ncol = 3
    nrow = (len(outs) + ncol - 1) // ncol
    fig, axes = plt.subplots(nrow, ncol, figsize=(14, (0.6 * len(strategies) * len(letters) + 1.7) * nrow),
                             squeeze=False, sharey=True)
    y = np.arange(len(strategies))[::-1].astype(float)
    markers = "osD^v"
    for ax, o in zip(axes.flat, outs):
        sc = _scale(o)
        sub = df.xs(o, level="outcome")
        lim = float(np.nanmax(np.abs(sub[["ci_low", "ci_high"]].to_numpy()))) * sc
        lim = lim * 1.3 if lim > 0 else 1.0
        for j, letter in enumerate(letters):
            yy = y + (len(letters) - 1) / 2 * 0.25 - j * 0.25
            for k, s in enumerate(strategies):
                r = sub.loc[(letter, s)]
                c = verdict_color(o, r["ci_low"], r["ci_high"])
                m, lo, hi = r["difference"] * sc, r["ci_low"] * sc, r["ci_high"] * sc
                ax.errorbar(m, yy[k], xerr=[[m - lo], [hi - m]], fmt=markers[j % 5], color=c, ms=5, capsize=3)
                frac = (m + lim) / (2 * lim)
                ha = "left" if frac < 0.35 else "right" if frac > 0.65 else "center"
                ax.annotate(f"{letter}: {_cell(o, r['difference'], r['ci_low'], r['ci_high'])}", (m, yy[k]),
                            xytext=(0, 5), textcoords="offset points", ha=ha, va="bottom", fontsize=7, color=c)
        ax.axvline(0, color="0.3", lw=0.8)
        ax.set_xlim(-lim, lim)
        ax.set_ylim(-0.7, len(strategies) - 0.3)
        good = GOOD_DIRECTION.get(o, 0)
        better = {1: "higher is better for the US", -1: "lower is better for the US"}.get(good, "")
        ax.set_title(textwrap.fill(L.outcome_label(o), 40) + (f"\n({better})" if better else ""), fontsize=10)
        ax.set_xlabel("difference from study A (" + ("payoff units" if sc == 1.0 else "percentage points") + ")",
                      fontsize=9)
        ax.grid(axis="x", alpha=0.25)
    for ax in axes.flat[len(outs):]:
        ax.set_visible(False)
    for row in axes:
        row[0].set_yticks(y)
        row[0].set_yticklabels([textwrap.fill(L.strategy_label(s), 22) for s in strategies], fontsize=9)
    fig.suptitle("How the studies differ from study A, per US strategy, with 95% intervals", fontsize=12.5)
    fig.tight_layout()
    handles, names = verdict_key()
    fig.legend(handles, [f"study minus A: {n}" if i < 2 else n for i, n in enumerate(names)], loc="upper center",
               ncol=len(names), fontsize=9, frameon=True, bbox_to_anchor=(0.5, 0.0))
    fig.savefig(os.path.join(outdir, name), dpi=DPI, bbox_inches="tight")
    plt.close(fig)
    return name


def section(studies: list[WedgeResults], figure_file: str) -> str:
    """HTML of the comparison: the studies, the figure, a table per later study, the config diffs."""
    letters = study_letters(len(studies))
    df = compare_studies(studies, OUTCOMES)
    outs = list(dict.fromkeys(df.index.get_level_values("outcome")))
    items = "".join(f"<li><b>{x}</b>: {html.escape(os.path.abspath(st.path))} (study "
                    f"{html.escape(str(st.attrs.get('study', '')))}, {st.runs:,} runs, seed {st.attrs.get('seed')})</li>"
                    for x, st in zip(letters, studies))
    parts = [f"<h2>Comparing studies</h2><p>Study A is this report's study. For every US strategy that all "
             f"studies share, the difference of each key outcome from study A, with a 95% interval. The studies "
             f"are independent samples, so the standard error of a difference is sqrt(se_A² + se_B²), from the "
             f"Monte Carlo standard errors of the two means (docs/output-format.md, section 19). Probabilities in "
             f"percentage points.</p><ul>{items}</ul>"]
    for x, only in missing_strategies(studies).items():
        parts.append(f"<p class=note>Not in every study, left out: {x}: "
                     f"{html.escape(', '.join(L.strategy_label(s) for s in only))}.</p>")
    same_seed = [x for x, st in zip(letters[1:], studies[1:]) if st.attrs.get("seed") == studies[0].attrs.get("seed")]
    if same_seed:
        parts.append(f"<p class=note>Studies {', '.join(same_seed)} have study A's seed: their runs share random "
                     f"numbers, so the intervals are only approximate (usually too wide).</p>")
    parts.append(f"<figure><img src=\"{html.escape(figure_file)}\" alt=\"study comparison\"><figcaption>Difference "
                 f"of each study from study A, per US strategy, with 95% intervals. Green: better for the US, red: "
                 f"worse, grey: the interval includes zero, blue: a clear difference that is neither (as in every "
                 f"figure of this report).</figcaption></figure>")
    head = "".join(f"<th>{html.escape(L.outcome_label(o))}{'' if o == 'us_payoff' else ' (pp)'}</th>" for o in outs)
    for x in letters[1:]:
        rows = []
        sub = df.xs(x, level="study")
        for s in dict.fromkeys(sub.index.get_level_values("strategy")):
            cells = "".join(f"<td>{_cell(o, *sub.loc[(s, o), ['difference', 'ci_low', 'ci_high']])}</td>" for o in outs)
            rows.append(f"<tr><th class=row>{html.escape(L.strategy_label(s))}</th>{cells}</tr>")
        parts.append(f"<h3>Study {x} minus study A</h3><table><tr><th>US strategy</th>{head}</tr>{''.join(rows)}</table>")
        diff = config_diff(studies[0], studies[letters.index(x)], "A", x)
        parts.append(f"<p>Configuration of study {x} against study A: "
                     + ("identical.</p>" if not diff else f"unified diff of the embedded configurations.</p>"
                                                          f"<pre>{html.escape(diff)}</pre>"))
    return "".join(parts)
