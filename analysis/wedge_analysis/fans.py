"""Fan charts of the report: one panel per strategy with fan charts; for a strategy that may switch
to its fallback, the runs that kept it and those that switched as two fans from the switch on
(/paths/by_group), so that neither median falls in the valley between the two groups."""
from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np

from . import labels as L

LEVELS = (0.05, 0.25, 0.5, 0.75, 0.95)


def applies(results) -> bool:
    """True for files that keep fan charts by group or for chosen strategies (the layout this
    module draws); files without either are drawn by Report.fig_fans as before."""
    return results.path_groups() is not None or results.fan_chart_strategies != results.strategies


def _series(da, levels) -> dict:
    """quantiles(quarter, quantile) -> {level: values over quarters}."""
    return {lvl: da.sel(quantile=levels[int(np.argmin(np.abs(np.array(levels) - lvl)))]).to_numpy()
            for lvl in LEVELS}


def _fan(ax, x, s: dict, color: str, label: str | None = None, alpha: float = 1.0) -> None:
    ax.fill_between(x, s[0.05], s[0.95], color=color, alpha=0.16 * alpha, lw=0)
    ax.fill_between(x, s[0.25], s[0.75], color=color, alpha=0.38 * alpha, lw=0)
    ax.plot(x, s[0.5], color=color, lw=2, label=label)


def fig_fans(rep) -> None:
    r = rep.results
    p = r.paths()
    groups = r.path_groups()
    years = p["year"].to_numpy()
    levels = list(p["quantile"].to_numpy())
    init = r.config.get("states", {})
    shown = r.fan_chart_strategies
    grouped = [str(s) for s in groups["strategy"].to_numpy()] if groups is not None else []
    left_out = [s for s in r.strategies if s not in shown]
    if left_out:
        rep.notes.append(f"Fan charts are kept for {len(shown)} of the {len(r.strategies)} strategies "
                         "([output] fan_charts in the configuration); the others have none.")
    if not shown:
        return
    xs = rep.start_year + int(rep.switch_quarter) * rep.dt if grouped else None
    for state in [str(x) for x in p["state"].to_numpy()]:
        k = len(shown)
        fig, axes = plt.subplots(1, k, figsize=(4.4 * k, 4.2), sharey=True, squeeze=False)
        start = init.get(state, {}).get("initial")
        for ax, s in zip(axes[0], shown):
            x = years
            mix = _series(r.fan_chart(s)["quantiles"].sel(state=state), levels)
            if start is not None:
                x = np.concatenate([[rep.start_year], years])
                mix = {lvl: np.concatenate([[start], v]) for lvl, v in mix.items()}
            c = rep.colors[s]
            if s in grouped:
                # the mixture up to the switch, then the two groups apart
                before = x <= xs + 1e-9
                _fan(ax, x[before], {lvl: v[before] for lvl, v in mix.items()}, c)
                after = x >= xs - 1e-9
                fb = rep.fallback_of(s)
                colors = {"kept": c, "switched": rep.colors.get(fb, "0.35")}
                runs = groups["runs"].sel(strategy=s)
                total = max(1, int(runs.sum()))
                for g in ("kept", "switched"):
                    gs = _series(groups["quantiles"].sel(strategy=s, group=g, state=state), levels)
                    if start is not None:
                        gs = {lvl: np.concatenate([[start], v]) for lvl, v in gs.items()}
                    share = 100 * int(runs.sel(group=g)) / total
                    name = (f"kept {L.strategy_label(s)}" if g == "kept"
                            else f"switched to {L.strategy_label(fb)}")
                    _fan(ax, x[after], {lvl: v[after] for lvl, v in gs.items()}, colors[g],
                         label=textwrap.fill(f"{name} ({share:.0f}% of runs)", 34))
                ax.legend(loc="best", fontsize=7.5, frameon=True, framealpha=0.85)
                rep.switch_line(ax)
                title = (rep.slabel(s, 34) + f"\n(may switch to {L.strategy_label(fb)} in {xs:g})")
            else:
                _fan(ax, x, mix, c)
                title = rep.slabel(s, 34) + "\n"
            ax.set_title(title, fontsize=10)
            ax.set_xlim(rep.start_year - 0.3, rep.horizon + 0.3)
            ax.set_xlabel("Year")
            ax.set_ylim(0, 1)
            ax.grid(alpha=0.25)
        axes[0][0].set_ylabel(f"{textwrap.fill(L.state_label(state), 30)}\n"
                              f"({L.STATES.get(state, ('', 'level'))[1]})")
        handles = [plt.Rectangle((0, 0), 1, 1, color="0.4", alpha=0.25),
                   plt.Rectangle((0, 0), 1, 1, color="0.4", alpha=0.55),
                   plt.Line2D([], [], color="0.3", lw=2)]
        names = ["90% of runs (5th-95th percentile)", "50% of runs (25th-75th percentile)", "median"]
        if grouped:
            handles.append(plt.Line2D([], [], color="0.4", lw=0.8, ls=":"))
            names.append("possible policy switch (2028 election)")
        fig.legend(handles, names, loc="upper center", ncol=min(len(names), 4), frameon=True,
                   fontsize=8.5, bbox_to_anchor=(0.5, 0.0))
        fig.suptitle(f"{L.state_label(state)} over time ({rep.n_text})", fontsize=12.5)
        fig.tight_layout()
        cap = (f"Fan chart of the state '{L.state_label(state, with_scale=True)}' per US strategy: the line "
               f"is the median run, the dark band holds the middle 50% of runs and the light band 90%. "
               f"Values at the end of each quarter, starting from the initial level. Percentiles "
               f"come from fixed-bin histograms and are accurate to one bin. ")
        if grouped:
            cap += ("For a strategy that may switch to its fallback after the 2028 election, the fan splits at "
                    "the dotted line into the runs that kept the strategy and those that switched to the "
                    "fallback (in the fallback's colour; the share of runs of each group in the key): the "
                    "median of the two together would fall between them, where few runs are. ")
        rep.save(fig, f"fan_{state}.png", f"{L.state_label(state)} over time", cap + f"{rep.n_text}.")
