"""Build an HTML report with figures from one wedge result file.

    /usr/bin/python3 analysis/report.py RESULTS.h5 -o DIR

writes DIR/index.html and the PNG figures it shows.
"""
from __future__ import annotations

import argparse
import html
import os
import sys
import textwrap
from dataclasses import dataclass, field

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from . import labels as L  # noqa: E402
from . import (discovery, fans, report_compare, report_evidence, report_sensitivity,  # noqa: E402
               report_sweep, story)
from .results import WedgeError, WedgeResults, open_results  # noqa: E402
from .style import (BETTER_WORSE_CMAP, GOOD_DIRECTION, strategy_color, verdict_color,  # noqa: E402
                    verdict_key)

#: continuous or count outcomes whose distributions are shown
DISTRIBUTION_OUTCOMES = ["alignment_final", "nato_cohesion_final", "ukraine_strength_final",
                         "us_payoff", "european_autonomy_final", "hybrid_attacks"]
#: 0/1 outcomes shown as probabilities
PROBABILITY_OUTCOMES = ["split", "entrenched", "russia_pivot", "nato_fracture", "europe_autonomous",
                        "military_action", "ceasefire"]
#: outcomes of the paired comparison
COMPARISON_OUTCOMES = ["split", "entrenched", "nato_fracture", "military_action", "ceasefire", "us_payoff"]
#: outcomes whose drivers are shown, one figure each
DRIVER_OUTCOMES = ["split", "nato_fracture", "military_action", "us_payoff"]
#: mean outcomes in the key-results table
MEAN_OUTCOMES = ["alignment_final", "nato_cohesion_final", "ukraine_strength_final", "hybrid_attacks",
                 "relief_received", "us_payoff"]

DPI = 130
#: state -> the outcome that is its value at the horizon
STATE_FINAL = {"alignment": "alignment_final", "rapprochement": "rapprochement_final",
               "nato_cohesion": "nato_cohesion_final", "european_autonomy": "european_autonomy_final",
               "ukraine_strength": "ukraine_strength_final"}


@dataclass
class Figure:
    file: str
    title: str
    caption: str


@dataclass
class Report:
    results: WedgeResults
    outdir: str
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    others: list[WedgeResults] = field(default_factory=list)  #: further studies to compare with
    discoveries: list[str] = field(default_factory=list)  #: discovery files (wedge discover)

    # ---- shared helpers -------------------------------------------------------------------

    def __post_init__(self) -> None:
        r = self.results
        self.n = r.runs
        self.n_text = f"N = {self.n:,} runs per strategy"
        # With a sweep, the figures and tables of the named strategies; the swept ones: report_sweep.
        self.strategies = report_sweep.named_strategies(r.path) or r.strategies
        self.colors = {s: strategy_color(i) for i, s in enumerate(self.strategies)}
        # line styles and markers keep overlapping lines of different strategies distinguishable
        self.ls = {s: ["-", "--", "-.", ":"][i % 4] for i, s in enumerate(self.strategies)}
        self.marker = {s: "osD^v<>p*h"[i % 10] for i, s in enumerate(self.strategies)}
        self.summary = r.summary()
        cfg = r.config
        t = cfg.get("time", {})
        self.start_year = float(t.get("start_year", 2025))
        self.dt = float(t.get("dt", 0.25))
        self.quarters = int(t.get("quarters", 40))
        self.switch_quarter = t.get("switch_quarter")
        self.horizon = self.start_year + self.quarters * self.dt
        self.horizon_text = (f"end of {int(self.horizon) - 1}" if float(self.horizon).is_integer()
                             else f"year {self.horizon:.2f}")
        self.has_fallback = any("fallback" in s for s in cfg.get("strategy", []))
        self.thresholds = cfg.get("outcomes", {})
        self._groups: dict = {}

    def slabel(self, s: str, width: int = 28) -> str:
        return textwrap.fill(L.strategy_label(s), width)

    def save(self, fig, name: str, title: str, caption: str) -> None:
        path = os.path.join(self.outdir, name)
        fig.savefig(path, dpi=DPI, bbox_inches="tight")
        plt.close(fig)
        self.figures.append(Figure(name, title, caption))

    def has(self, outcome: str) -> bool:
        return outcome in self.results.outcomes

    def switch_line(self, ax) -> None:
        if self.has_fallback and self.switch_quarter is not None and int(self.switch_quarter) < self.quarters:
            x = self.start_year + int(self.switch_quarter) * self.dt
            ax.axvline(x, color="0.4", lw=0.8, ls=":")

    # ---- figures --------------------------------------------------------------------------

    def fig_distributions(self) -> None:
        outs = [o for o in DISTRIBUTION_OUTCOMES if self.has(o)]
        if not outs:
            return
        ncol = 2
        nrow = (len(outs) + 1) // ncol
        fig, axes = plt.subplots(nrow, ncol, figsize=(12, 3.6 * nrow), squeeze=False)
        for ax, o in zip(axes.flat, outs):
            h = self.results.histogram(o)
            bins = h.index.to_numpy(dtype=float)
            width = h.attrs["bin_width"]
            continuous = h.attrs["bin_meaning"].startswith("lower edge")
            if continuous:
                factor = max(1, len(bins) // 50)
                starts = np.arange(0, len(bins), factor)
                edges = np.append(bins[starts], bins[-1] + width)
                w = width * factor
                for s in self.strategies:
                    c = np.add.reduceat(h[s].to_numpy(dtype=float), starts)
                    share = 100.0 * c / max(c.sum(), 1)
                    ax.stairs(share, edges, color=self.colors[s], lw=1.6, label=L.strategy_label(s))
                    ax.stairs(share, edges, color=self.colors[s], alpha=0.12, fill=True)
                nz = np.nonzero(h.to_numpy().sum(axis=1))[0]
                if len(nz):
                    lo, hi = bins[nz[0]], bins[nz[-1]] + width
                    pad = 0.03 * (hi - lo)
                    ax.set_xlim(lo - pad, hi + pad)
                ax.set_ylabel(f"% of runs per bin\n(bin width {w:g})")
            else:
                k = len(self.strategies)
                bw = 0.8 / k
                for i, s in enumerate(self.strategies):
                    c = h[s].to_numpy(dtype=float)
                    ax.bar(bins + (i - (k - 1) / 2) * bw, 100.0 * c / max(c.sum(), 1), width=bw,
                           color=self.colors[s], label=L.strategy_label(s))
                nz = np.nonzero(h.to_numpy().sum(axis=1))[0]
                if len(nz):
                    ax.set_xlim(bins[nz[0]] - 0.7, bins[nz[-1]] + 0.7)
                ax.set_ylabel("% of runs")
            if o == "alignment_final":
                for key, text in (("split_below", "split below"), ("entrenched_above", "entrenched above")):
                    if key in self.thresholds:
                        x = float(self.thresholds[key])
                        ax.axvline(x, color="0.3", ls="--", lw=0.9)
                        ax.annotate(f"{text} {x:g}", (x, 1.0), xycoords=("data", "axes fraction"),
                                    xytext=(0, 2), textcoords="offset points",
                                    ha="center", va="bottom", fontsize=7.5, color="0.2")
            title = L.outcome_label(o).replace(" at the horizon", f", {self.horizon_text}")
            ax.set_title(title, fontsize=11, pad=14 if o == "alignment_final" else 6)
            short = L.outcome_label(o).replace(" at the horizon", "").replace(" over the period", "")
            ax.set_xlabel(textwrap.fill(f"{short} ({L.outcome_scale(o)})", 70))
            ax.set_ylim(bottom=0)
            ax.grid(alpha=0.25)
        for ax in axes.flat[len(outs):]:
            ax.set_visible(False)
        handles, lab = axes.flat[0].get_legend_handles_labels()
        fig.legend(handles[: len(self.strategies)], lab[: len(self.strategies)], loc="upper center",
                   ncol=len(self.strategies), frameon=False, bbox_to_anchor=(0.5, 1.0))
        fig.suptitle(f"Distribution of outcomes by US strategy ({self.n_text})", y=1.03, fontsize=13)
        fig.tight_layout()
        self.save(fig, "outcome_distributions.png", "How outcomes are distributed",
                  f"Share of simulated futures in each range of the outcome, per US strategy, "
                  f"{self.horizon_text}. {self.n_text}; every strategy faces the same sampled futures. "
                  f"Dashed lines on the alignment panel mark the thresholds that define a split and an "
                  f"entrenched alliance. The US payoff combines alignment, cohesion, Ukraine's position, "
                  f"military action and hybrid attacks (weights in the configuration).")

    def fig_probabilities(self) -> None:
        outs = [o for o in PROBABILITY_OUTCOMES if self.has(o)]
        if not outs:
            return
        s_df = self.summary
        k = len(self.strategies)
        fig, ax = plt.subplots(figsize=(10, 0.55 * len(outs) * k / 1.5 + 1.6))
        y0 = np.arange(len(outs))[::-1].astype(float)
        bh = 0.8 / k
        for i, s in enumerate(self.strategies):
            m = np.array([s_df.loc[(s, o), "mean"] for o in outs]) * 100
            lo = np.array([s_df.loc[(s, o), "wilson_low"] for o in outs]) * 100
            hi = np.array([s_df.loc[(s, o), "wilson_high"] for o in outs]) * 100
            y = y0 + (k - 1) / 2 * bh - i * bh
            ax.barh(y, m, height=bh, color=self.colors[s], label=L.strategy_label(s))
            ax.errorbar(m, y, xerr=[np.clip(m - lo, 0, None), np.clip(hi - m, 0, None)], fmt="none",
                        ecolor="0.15", lw=0.9, capsize=2)
            for yy, mm in zip(y, m):
                ax.annotate(f"{mm:.1f}%", (mm, yy), xytext=(4, 0), textcoords="offset points",
                            va="center", fontsize=7.5, color="0.2")
        ax.set_yticks(y0)
        word = {1: "good for the US", -1: "bad for the US"}
        ax.set_yticklabels([textwrap.fill(L.outcome_label(o), 30)
                            + (f"\n({word[GOOD_DIRECTION[o]]})" if GOOD_DIRECTION.get(o) else "") for o in outs])
        for lab, o in zip(ax.get_yticklabels(), outs):
            lab.set_color(verdict_color(o, 1.0, 1.0) if GOOD_DIRECTION.get(o) else "0.1")
        ax.set_xlabel(f"Probability by {self.horizon_text} (% of runs; bars: 95% Wilson interval)")
        ax.set_xlim(0, 105)
        ax.grid(axis="x", alpha=0.25)
        ax.legend(loc="lower right", fontsize=9)
        ax.set_title(f"Probability of key outcomes by US strategy ({self.n_text})")
        fig.tight_layout()
        self.save(fig, "outcome_probabilities.png", "Probabilities of key outcomes",
                  f"Probability of each event by {self.horizon_text}, per US strategy, with 95% Wilson "
                  f"intervals for the Monte Carlo error. A split means final Sino-Russian alignment below "
                  f"{self.thresholds.get('split_below', '?')}; NATO fracture means cohesion fell below "
                  f"{self.thresholds.get('fracture_below', '?')} at some point. {self.n_text}.")

    def fallback_of(self, s: str) -> str | None:
        for st in self.results.config.get("strategy", []):
            if st.get("name") == s:
                return st.get("fallback")
        return None

    def switch_groups(self, s: str):
        """Final states and policy_switched of every run of strategy s, or None without records."""
        if not self.results.has_records:
            return None
        if s not in self._groups:
            self._groups[s] = self.results.record_columns(s, list(STATE_FINAL.values()) + ["policy_switched"])
        return self._groups[s]

    def horizon_bars(self, ax, s: str, state: str, x0: float) -> None:
        """At the horizon, the runs that kept strategy s and those that switched to its fallback, as
        two bars (5-95% thin, 25-75% thick, median tick): the fan after the switch mixes them."""
        g = self.switch_groups(s)
        final = STATE_FINAL.get(state)
        if g is None or final not in g:
            return
        switched = g["policy_switched"].to_numpy() > 0.5
        groups = [("kept", ~switched, self.colors[s]),
                  ("switched", switched, self.colors.get(self.fallback_of(s), "0.4"))]
        ticks, names = [], []
        for i, (name, mask, color) in enumerate(groups):
            v = g[final].to_numpy()[mask]
            if len(v) == 0:
                continue
            x = x0 + 0.7 + 0.9 * i
            q05, q25, q50, q75, q95 = np.quantile(v, [0.05, 0.25, 0.5, 0.75, 0.95])
            ax.vlines(x, q05, q95, color=color, lw=1.5)
            ax.vlines(x, q25, q75, color=color, lw=7, alpha=0.8)
            ax.hlines(q50, x - 0.25, x + 0.25, color="k", lw=1.5)
            ticks.append(x)
            names.append(f"{name} {100 * mask.mean():.0f}%")
        ax.axvspan(x0 + 0.2, x0 + 2.1, color="0.94", lw=0, zorder=0)
        # the bars are labelled on the x axis, below the years
        year_ticks = [t for t in ax.get_xticks() if self.start_year <= t <= x0]
        ax.set_xticks(year_ticks + ticks)
        ax.set_xticklabels([f"{t:g}" for t in year_ticks] + names)
        for lab in ax.get_xticklabels()[len(year_ticks):]:
            lab.set_rotation(90)
            lab.set_fontsize(7.5)

    def fig_fans(self) -> None:
        if fans.applies(self.results):  # fan charts by group, or for chosen strategies
            return fans.fig_fans(self)
        p = self.results.paths()
        years = p["year"].to_numpy()
        init = self.results.config.get("states", {})
        levels = list(p["quantile"].to_numpy())
        switching = [s for s in self.strategies if self.fallback_of(s) and self.switch_quarter is not None
                     and int(self.switch_quarter) < self.quarters]
        split_runs = bool(switching) and self.results.has_records
        if switching and not split_runs:
            self.notes.append(
                "This file has no per-run records, so the fan charts of strategies that may switch in 2029 ("
                + ", ".join(L.strategy_label(s) for s in switching) + ") show the mixture of the runs that kept "
                "the strategy and those that switched to its fallback; after the switch their median can fall "
                "between the two groups (drawn dashed). Run the study with --records all to see the two groups "
                "at the horizon.")

        def q(da, lvl):
            return da.sel(quantile=levels[int(np.argmin(np.abs(np.array(levels) - lvl)))]).to_numpy()

        for state in [str(x) for x in p["state"].to_numpy()]:
            k = len(self.strategies)
            fig, axes = plt.subplots(1, k, figsize=(4.4 * k, 4.0), sharey=True, squeeze=False)
            for ax, s in zip(axes[0], self.strategies):
                da = p["quantiles"].sel(strategy=s, state=state)
                x = years
                series = {lvl: q(da, lvl) for lvl in (0.05, 0.25, 0.5, 0.75, 0.95)}
                if state in init and "initial" in init[state]:
                    x = np.concatenate([[self.start_year], years])
                    series = {lvl: np.concatenate([[init[state]["initial"]], v]) for lvl, v in series.items()}
                c = self.colors[s]
                ax.fill_between(x, series[0.05], series[0.95], color=c, alpha=0.18, lw=0)
                ax.fill_between(x, series[0.25], series[0.75], color=c, alpha=0.40, lw=0)
                if s in switching:
                    # after the switch the median of a two-group mixture: dashed
                    xs = self.start_year + int(self.switch_quarter) * self.dt
                    before = x <= xs + 1e-9
                    ax.plot(x[before], series[0.5][before], color=c, lw=2)
                    ax.plot(x[x >= xs - 1e-9], series[0.5][x >= xs - 1e-9], color=c, lw=2, ls="--")
                else:
                    ax.plot(x, series[0.5], color=c, lw=2)
                ax.set_xlim(self.start_year - 0.3, self.horizon + (2.1 if split_runs else 0.3))
                if split_runs and s in switching:
                    self.horizon_bars(ax, s, state, self.horizon)
                else:
                    ax.set_xticks([t for t in ax.get_xticks() if self.start_year <= t <= self.horizon])
                self.switch_line(ax)
                ax.set_title(self.slabel(s, 34) + ("\n(may switch to " + L.strategy_label(self.fallback_of(s))
                                                   + " in " + f"{self.start_year + int(self.switch_quarter) * self.dt:g})"
                                                   if s in switching else "\n"), fontsize=10)
                ax.set_xlabel("Year")
                ax.set_ylim(0, 1)
                ax.grid(alpha=0.25)
            axes[0][0].set_ylabel(f"{textwrap.fill(L.state_label(state), 30)}\n({L.STATES.get(state, ('', 'level'))[1]})")
            handles = [plt.Rectangle((0, 0), 1, 1, color="0.4", alpha=0.25),
                       plt.Rectangle((0, 0), 1, 1, color="0.4", alpha=0.55),
                       plt.Line2D([], [], color="0.3", lw=2)]
            names = ["90% of runs (5th-95th percentile)", "50% of runs (25th-75th percentile)", "median"]
            if switching:
                handles += [plt.Line2D([], [], color="0.3", lw=2, ls="--"), plt.Line2D([], [], color="0.4", lw=0.8, ls=":")]
                names += ["median of the mixture after the switch", "possible policy switch (2028 election)"]
            if split_runs:
                handles.append(plt.Line2D([], [], color="0.3", lw=6, alpha=0.8))
                names.append("end of horizon: runs that kept / switched the strategy")
            ncol = min(len(names), 3)
            fig.legend(handles, names, loc="upper center", ncol=ncol, frameon=True, fontsize=8.5,
                       bbox_to_anchor=(0.5, 0.0))
            fig.suptitle(f"{L.state_label(state)} over time ({self.n_text})", fontsize=12.5)
            fig.tight_layout()
            cap = (f"Fan chart of the state '{L.state_label(state, with_scale=True)}' per US strategy: the line "
                   f"is the median run, the dark band holds the middle 50% of runs and the light band 90%. "
                   f"Values at the end of each quarter, starting from the initial level. Percentiles "
                   f"come from fixed-bin histograms and are accurate to one bin. ")
            if switching:
                cap += ("For a strategy that may switch to its fallback after the 2028 election, the fan after the "
                        "dotted line mixes the runs that kept it and those that switched (the file stores the fan "
                        "of the mixture only); its median, dashed, can fall between the two groups. ")
                if split_runs:
                    cap += ("The two bars at the right show, from the per-run records, the state at the end of the "
                            "horizon in the runs that kept the strategy and in those that switched (share of runs "
                            "under each bar; thin: 5th-95th percentile, thick: 25th-75th, black tick: median). ")
            self.save(fig, f"fan_{state}.png", f"{L.state_label(state)} over time", cap + f"{self.n_text}.")

    def fig_events(self) -> None:
        p = self.results.paths()
        years = np.concatenate([[self.start_year], p["year"].to_numpy()])
        events = [str(e) for e in p["event"].to_numpy()]
        order = [e for e in ("military_action", "ceasefire", "hybrid_attack") if e in events]
        order += [e for e in events if e not in order]
        fig, axes = plt.subplots(1, len(order), figsize=(4.6 * len(order), 4.0), squeeze=False)
        for ax, e in zip(axes[0], order):
            for s in self.strategies:
                y = np.concatenate([[0.0], p["event_probability"].sel(strategy=s, event=e).to_numpy()]) * 100
                ax.plot(years, y, color=self.colors[s], ls=self.ls[s], lw=2, label=L.strategy_label(s))
            self.switch_line(ax)
            ax.set_title(textwrap.fill(L.event_label(e), 34), fontsize=11)
            ax.set_xlabel("Year")
            ax.set_ylim(0, 100)
            ax.grid(alpha=0.25)
        axes[0][0].set_ylabel("Probability it has happened (% of runs)")
        handles, lab = axes[0][0].get_legend_handles_labels()
        fig.legend(handles, lab, loc="lower center", ncol=len(lab), frameon=False, bbox_to_anchor=(0.5, -0.08))
        fig.suptitle(f"Cumulative probability of events over time ({self.n_text})", fontsize=12.5)
        fig.tight_layout()
        self.save(fig, "events_over_time.png", "When events happen",
                  f"Probability that the event has happened by each date (cumulative share of runs), per "
                  f"US strategy. {'The dotted line marks the possible policy switch after the 2028 election. ' if self.has_fallback else ''}"
                  f"{self.n_text}.")

    def shown_pairs(self, cmp) -> list[str]:
        """The pairs whose first strategy is shown (all of them without a sweep)."""
        pairs = dict.fromkeys(cmp.index.get_level_values("pair"))
        return [p for p in pairs if str(p).split(" - ")[0] in self.strategies]

    def fig_comparison(self) -> None:
        cmp = self.results.comparison()
        if cmp.empty:
            self.notes.append("The study has a single strategy, so there is no paired comparison.")
            return
        outs = [o for o in COMPARISON_OUTCOMES if o in cmp.index.get_level_values("outcome")]
        pairs = self.shown_pairs(cmp)
        kinds = self.results.outcome_info()["kind"]
        ncol = 3
        nrow = (len(outs) + ncol - 1) // ncol
        fig, axes = plt.subplots(nrow, ncol, figsize=(14, 0.55 * len(pairs) * nrow + 1.6 * nrow),
                                 squeeze=False, sharey=True)
        y = np.arange(len(pairs))[::-1]
        for ax, o in zip(axes.flat, outs):
            d = cmp.xs(o, level="outcome").loc[pairs]
            scale = 100.0 if kinds.get(o) == "binary" else 1.0
            m = d["mean_difference"].to_numpy() * scale
            half = 1.96 * d["se_difference"].to_numpy() * scale
            good = GOOD_DIRECTION.get(o, 0)
            colors = [verdict_color(o, mm - hh, mm + hh) for mm, hh in zip(m, half)]
            ax.axvline(0, color="0.3", lw=0.8)
            fmt = "{:+.1f}" if scale == 100.0 else "{:+.3f}"
            lim = np.nanmax(np.abs(np.concatenate([m - half, m + half]))) if len(m) else 1
            lim = lim * 1.25 if lim > 0 else 1.0
            for yy, mm, hh, cc in zip(y, m, half, colors):
                ax.errorbar(mm, yy, xerr=hh, fmt="o", color=cc, ms=5, capsize=4, lw=1.5)
                # anchored so that the label runs toward the middle and stays inside the frame
                frac = (mm + lim) / (2 * lim)
                ha = "left" if frac < 0.35 else "right" if frac > 0.65 else "center"
                ax.annotate(f"{fmt.format(mm)} [{fmt.format(mm - hh)}, {fmt.format(mm + hh)}]", (mm, yy),
                            xytext=(0, 7), textcoords="offset points", ha=ha, va="bottom",
                            fontsize=7.5, color=cc)
            unit = "percentage points" if scale == 100.0 else "payoff units"
            better = {1: "higher is better for the US", -1: "lower is better for the US"}.get(good, "")
            ax.set_title(textwrap.fill(L.outcome_label(o), 40) + (f"\n({better})" if better else ""), fontsize=10.5)
            ax.set_xlabel(f"Difference A minus B ({unit})")
            ax.set_xlim(-lim, lim)
            ax.set_ylim(-0.6, len(pairs) - 0.4)
            ax.grid(axis="x", alpha=0.25)
        for ax in axes.flat[len(outs):]:
            ax.set_visible(False)
        first = cmp.groupby(level="pair", sort=False)["first"].first()
        second = cmp.groupby(level="pair", sort=False)["second"].first()
        ylabels = [f"A: {L.strategy_label(first[p])}\nB: {L.strategy_label(second[p])}" for p in pairs]
        for row in axes:
            row[0].set_yticks(y)
            row[0].set_yticklabels(ylabels, fontsize=9)
        fig.suptitle(f"Paired differences between strategies, with 95% intervals ({self.n_text})", fontsize=12.5)
        fig.tight_layout()
        handles, names = verdict_key()
        fig.legend(handles, [f"A minus B: {n}" if i < 2 else n for i, n in enumerate(names)], loc="upper center",
                   ncol=len(names), fontsize=9, frameon=True, bbox_to_anchor=(0.5, 0.0))
        self.save(fig, "comparison.png", "Paired comparison of strategies",
                  f"Difference between two strategies (A minus B) in the same simulated futures (common random "
                  f"numbers), with 95% intervals (mean difference ± 1.96 standard errors). Probabilities are "
                  f"in percentage points. The colours mean the same in every figure of this report. Green: A does better for the US than B (as the US payoff counts it: "
                  f"a split and a higher payoff are better; an entrenched alliance, NATO fracture and military "
                  f"action are worse); red: B does better; blue: a clear difference with no better/worse "
                  f"reading (ceasefire); grey: the interval includes zero. {self.n_text}.")

    def fig_drivers(self) -> None:
        d = self.results.drivers()
        kinds = self.results.outcome_info()["kind"]
        params = list(dict.fromkeys(d.index.get_level_values("parameter")))
        for o in [o for o in DRIVER_OUTCOMES if self.has(o)]:
            sub = d.xs(o, level="outcome").sort_index()
            binary = kinds.get(o) == "binary"
            scale = 100.0 if binary else 1.0
            ncol = 4
            nrow = (len(params) + 1 + ncol - 1) // ncol
            fig, axes = plt.subplots(nrow, ncol, figsize=(14, 3.0 * nrow), sharey=True, squeeze=False)
            for ax, prm in zip(axes.flat, params):
                for s in self.strategies:
                    v = sub.loc[(s, prm)]
                    ax.plot(v.index, v["mean"] * scale, marker=self.marker[s], ls=self.ls[s], ms=3.5, lw=1.6,
                            color=self.colors[s], label=L.strategy_label(s))
                ax.set_title(textwrap.fill(L.parameter_label(prm), 34), fontsize=9.5)
                self.decile_axis(ax, sub.loc[(self.strategies[0], prm)])
                ax.grid(alpha=0.25)
            for ax in axes[:, 0]:
                ax.set_ylabel("Probability (% of runs)" if binary else f"Mean {L.outcome_label(o)}\n({L.outcome_scale(o)})",
                              fontsize=9)
            for ax in axes.flat[: len(params)]:
                ax.set_xlabel("parameter value (decile edges)", fontsize=8)
            for ax in axes.flat[len(params):]:
                ax.set_axis_off()
            handles, lab = axes.flat[0].get_legend_handles_labels()
            axes.flat[len(params)].legend(handles, lab, loc="center", frameon=False, title="US strategy")
            for ax in axes.flat[: len(params)]:
                ax.tick_params(labelleft=True)
            what = "Probability" if binary else "Mean"
            fig.suptitle(f"What drives the outcome \u201c{L.outcome_label(o)}\u201d?\n{what} by tenth (decile) of "
                         f"each uncertain parameter, plotted at its values; "
                         f"{self.n_text}, about {self.n // 10:,} per decile", fontsize=12)
            fig.tight_layout()
            self.save(fig, f"drivers_{o}.png", f"What drives: {L.outcome_label(o)}",
                      f"{'Probability' if binary else 'Mean'} of the outcome '{L.outcome_label(o)}' "
                      f"{'' if binary else '(' + L.outcome_scale(o) + ') '}among runs whose uncertain parameter fell in each tenth of "
                      f"its prior distribution; the x axis gives the parameter's values at the edges between tenths "
                      f"(each tenth holds the same share of runs, so the spacing is by probability, not by value). A steep line means the outcome depends strongly on that "
                      f"parameter; a flat line means it does not matter. {self.n_text}.")

    @staticmethod
    def decile_axis(ax, deciles) -> None:
        """Deciles at 1..10, with the x axis labelled by the parameter's own values: the edges
        between deciles (every second one), from the prior's decile edges stored in the file."""
        lower = deciles["decile_lower"].to_numpy(dtype=float)
        upper = deciles["decile_upper"].to_numpy(dtype=float)
        edges = np.append(lower[:1], upper)
        pos = np.arange(len(edges)) + 0.5
        keep = [i for i in range(len(edges)) if i % 2 == 0 and np.isfinite(edges[i])]
        ax.set_xticks(pos[keep])
        ax.set_xticklabels([f"{edges[i]:.2g}" for i in keep], fontsize=8)
        ax.set_xlim(0.3, len(edges) - 0.3)

    def fig_drivers_overview(self) -> None:
        d = self.results.drivers()
        outs = [o for o in DRIVER_OUTCOMES if self.has(o) and o != "us_payoff"]
        if not outs:
            return
        params = list(dict.fromkeys(d.index.get_level_values("parameter")))
        cols, mat = [], []
        for o in outs:
            for s in self.strategies:
                sub = d.xs((s, o), level=("strategy", "outcome"))["mean"]
                lo = sub.xs(1, level="decile").reindex(params)
                hi = sub.xs(10, level="decile").reindex(params)
                mat.append(((hi - lo) * 100).to_numpy())
                cols.append((o, s))
        m = np.array(mat).T
        # colour by what the change means for the US: green better, red worse
        good = np.array([GOOD_DIRECTION.get(o, 0) for o, _ in cols], dtype=float)
        shade = m * good[None, :]
        lim = max(np.nanmax(np.abs(m)) if np.isfinite(m).any() else 0.0, 1e-9)
        k = len(self.strategies)
        cell_w = 1.15 if k >= 2 else 2.2
        wrap = int(cell_w * k * 11)
        heads = [textwrap.fill(L.outcome_label(o), wrap) for o in outs]
        nlines = max(h.count("\n") + 1 for h in heads)
        fig, ax = plt.subplots(figsize=(cell_w * len(cols) + 4.5, 0.45 * len(params) + 2.8))
        im = ax.imshow(shade, cmap=BETTER_WORSE_CMAP, vmin=-lim, vmax=lim, aspect="auto")
        for i in range(m.shape[0]):
            for j in range(m.shape[1]):
                v = round(float(m[i, j])) if np.isfinite(m[i, j]) else None
                ax.text(j, i, "n/a" if v is None else f"{v:+d}" if v else "0", ha="center", va="center", fontsize=8,
                        color="white" if abs(m[i, j]) > 0.6 * lim else "0.1")
        ax.set_yticks(range(len(params)))
        ax.set_yticklabels([L.parameter_label(p) for p in params], fontsize=9)
        ax.set_xticks(range(len(cols)))
        ax.set_xticklabels([textwrap.fill(L.strategy_label(s), 14) for _, s in cols], fontsize=8, rotation=0)
        for j in range(len(outs)):
            x0 = j * k
            ax.text(x0 + (k - 1) / 2, -0.8, heads[j], ha="center", va="bottom", fontsize=10, fontweight="bold")
            if j:
                ax.axvline(x0 - 0.5, color="k", lw=1.5)
        cb = fig.colorbar(im, ax=ax, shrink=0.8)
        cb.set_ticks([-lim, 0, lim])
        cb.set_ticklabels([f"worse for\nthe US\n({lim:.0f} pp)", "no change", f"better for\nthe US\n({lim:.0f} pp)"])
        cb.set_label("Numbers: change in probability from the lowest to the highest\ndecile of the parameter "
                     "(percentage points); colour: what that change means for the US")
        ax.set_title(f"Which uncertainties matter most ({self.n_text})", pad=16 + 13 * nlines)
        fig.tight_layout()
        self.save(fig, "drivers_overview.png", "Which uncertainties matter most",
                  "Change in the probability of each outcome between runs in the highest and in the lowest "
                  "tenth of each uncertain parameter (percentage points; + the outcome becomes more likely "
                  "as the parameter rises). Green: the rise is better for the US, red: worse (as in every figure "
                  "of this report). {self.n_text}.")

    # ---- HTML -----------------------------------------------------------------------------

    def table_key_results(self) -> str:
        s_df = self.summary
        rows = []
        for o in [o for o in PROBABILITY_OUTCOMES + ["policy_switched"] if self.has(o)]:
            cells = [f"{100 * s_df.loc[(s, o), 'mean']:.1f}% "
                     f"<span class=ci>[{100 * s_df.loc[(s, o), 'wilson_low']:.1f}, "
                     f"{100 * s_df.loc[(s, o), 'wilson_high']:.1f}]</span>" for s in self.strategies]
            rows.append((f"P({L.outcome_label(o)})", cells))
        for o in [o for o in MEAN_OUTCOMES if self.has(o)]:
            cells = [f"{s_df.loc[(s, o), 'mean']:.3f} <span class=ci>± {s_df.loc[(s, o), 'mcse']:.4f}</span>"
                     for s in self.strategies]
            rows.append((f"{L.outcome_label(o)} (mean; {L.outcome_scale(o)})", cells))
        head = "".join(f"<th>{html.escape(L.strategy_label(s))}</th>" for s in self.strategies)
        body = "".join(f"<tr><th class=row>{html.escape(lab)}</th>{''.join(f'<td>{c}</td>' for c in cells)}</tr>"
                       for lab, cells in rows)
        return f"<table><tr><th></th>{head}</tr>{body}</table>"

    def table_regret(self) -> str:
        reg = self.results.regret()
        crit = self.results.criteria()
        s_df = self.summary
        head = ["US strategy", "Mean US payoff", "Share of runs in which it is the best strategy",
                "Mean regret", "Regret, 90th percentile"]
        head += [f"Share of runs meeting '{c}' ({d})" for c, d in crit.items()]
        rows = []
        best_regret = reg["regret_mean"].idxmin()
        for s in [s for s in reg.index if s in self.strategies]:
            cells = [L.strategy_label(s),
                     f"{s_df.loc[(s, 'us_payoff'), 'mean']:.3f}" if self.has("us_payoff") else "-",
                     f"{100 * reg.loc[s, 'best_share']:.1f}%",
                     f"{reg.loc[s, 'regret_mean']:.3f}",
                     f"{reg.loc[s, 'regret_p90']:.3f}"]
            cells += [f"{100 * reg.loc[s, f'satisficing_{c}']:.1f}%" for c in crit]
            cls = " class=best" if s == best_regret else ""
            rows.append(f"<tr{cls}>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
        return ("<table><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in head) + "</tr>"
                + "".join(rows) + "</table>")

    def table_pairs(self) -> str:
        cmp = self.results.comparison()
        if cmp.empty:
            return "<p>No paired comparison (one strategy).</p>"
        kinds = self.results.outcome_info()["kind"]
        outs = [o for o in COMPARISON_OUTCOMES if o in cmp.index.get_level_values("outcome")]
        head = "".join(f"<th>{html.escape(L.outcome_label(o))}"
                       f"{' (pp)' if kinds.get(o) == 'binary' else ''}</th>" for o in outs)
        rows = []
        for p in self.shown_pairs(cmp):
            a, b = cmp.loc[(p, outs[0]), "first"], cmp.loc[(p, outs[0]), "second"]
            cells = []
            for o in outs:
                sc = 100.0 if kinds.get(o) == "binary" else 1.0
                r = cmp.loc[(p, o)]
                nd = 2 if sc == 100.0 else 3
                cells.append(f"{sc * r['mean_difference']:+.{nd}f} <span class=ci>[{sc * r['ci_low']:+.{nd}f}, "
                             f"{sc * r['ci_high']:+.{nd}f}]</span>")
            lab = f"{L.strategy_label(a)} minus {L.strategy_label(b)}"
            rows.append(f"<tr><th class=row>{html.escape(lab)}</th>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        return f"<table><tr><th>A minus B</th>{head}</tr>{''.join(rows)}</table>"

    def write_html(self) -> str:
        r = self.results
        a = r.attrs
        prov = [("Result file", os.path.abspath(r.path)), ("Runs per strategy", f"{self.n:,}"),
                ("Seed", a.get("seed")), ("Design", a.get("design")), ("Model", a.get("model")),
                ("Engine", f"{a.get('engine', '')} {a.get('engine_version', '')} (git {a.get('git_sha', '?')})"),
                ("Created", a.get("created")), ("Configuration", a.get("config_path")),
                ("Processes x threads", a.get("ranks_x_threads")),
                ("Wall time", f"{a.get('wall_seconds', float('nan')):.1f} s"),
                ("File format", f"{a.get('filetype')} version {a.get('format_version')}")]
        prov_html = "".join(f"<tr><th class=row>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>"
                            for k, v in prov)
        desc = r.strategy_descriptions()
        strat_html = "".join(f"<tr><th class=row>{html.escape(L.strategy_label(s))}</th>"
                             f"<td>{html.escape(desc.get(s, ''))}</td></tr>" for s in self.strategies)

        def fig_html(f: Figure) -> str:
            return (f"<figure><h3>{html.escape(f.title)}</h3><img src=\"{html.escape(f.file)}\" "
                    f"alt=\"{html.escape(f.title)}\"><figcaption>{html.escape(f.caption)}</figcaption></figure>")

        by = {f.file: f for f in self.figures}
        sections = [
            ("Outcomes by strategy", ["outcome_probabilities.png", "outcome_distributions.png"]),
            ("Paths over time", [f.file for f in self.figures if f.file.startswith("fan_")] + ["events_over_time.png"]),
            ("Comparing strategies", ["comparison.png"]),
            ("What drives the outcomes", ["drivers_overview.png"] + [f.file for f in self.figures
                                                                     if f.file.startswith("drivers_") and f.file != "drivers_overview.png"]),
        ]
        parts = []
        for title, files in sections:
            figs = [by[f] for f in files if f in by]
            if not figs:
                continue
            parts.append(f"<h2>{html.escape(title)}</h2>")
            if title == "Comparing strategies":
                parts.append("<p>Mean difference A minus B with 95% interval, same simulated futures; "
                             "probabilities in percentage points (pp).</p>" + self.table_pairs())
            parts.extend(fig_html(f) for f in figs)
        notes = "".join(f"<p class=note>{html.escape(n)}</p>" for n in self.notes)
        css = """body{font-family:sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:0.92em}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}
th{background:#f2f2f2}th.row{text-align:left;font-weight:normal;background:#fafafa}td:first-child{text-align:left}
.ci{color:#777;font-size:0.9em}.bottom-line{font-size:1.08em;line-height:1.5;background:#f4f7fb;padding:0.8em 1em;border-left:4px solid #3b6ea8}tr.best td{font-weight:bold}img{max-width:100%;border:1px solid #eee}
figure{margin:1.5em 0}figcaption{color:#444;font-size:0.92em;max-width:950px}.note{color:#a00}
pre{background:#f7f7f7;padding:1em;overflow:auto;font-size:0.85em}"""
        page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>wedge report: {html.escape(os.path.basename(r.path))}</title>
<style>{css}</style></head><body>
<h1>US strategy toward Russia: Monte Carlo forecast to {html.escape(self.horizon_text)}</h1>
{story.paragraph(story.bottom_line(r, self.horizon_text))}
<p>{html.escape(self.n_text)}, {len(self.strategies)} strategies. Each run draws the uncertain parameters once
and plays every strategy against the same random future, so differences between strategies reflect
policy, not luck. Probabilities are shares of runs, with 95% intervals for the Monte Carlo error only
(not for model uncertainty).</p>
{notes}
<h2>US strategies compared</h2><table>{strat_html}</table>
<h2>Key results</h2>
<p>Probabilities by {html.escape(self.horizon_text)} with 95% Wilson intervals; means with their Monte Carlo
standard error.</p>
{self.table_key_results()}
<h2>Regret: how robust is each strategy?</h2>
<p>In each run the best strategy is the one with the highest US payoff. A strategy's regret in a run is the
best payoff of that run minus its own payoff (0 when it is best). Low mean and 90th-percentile regret mean
the strategy rarely does much worse than the best available choice. The row in bold has the lowest mean
regret. {html.escape(self.n_text)}.</p>
{self.table_regret()}
{''.join(parts)}
{self.evidence_html}
{self.sweep_html}
{self.sensitivity_html}
{self.comparison_html}
{self.discovery_html}
<h2>Provenance</h2><table>{prov_html}</table>
<details><summary>Embedded configuration</summary><pre>{html.escape(r.config_text)}</pre></details>
</body></html>
"""
        path = os.path.join(self.outdir, "index.html")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(page)
        return path

    def build(self) -> str:
        os.makedirs(self.outdir, exist_ok=True)
        self.fig_probabilities()
        self.fig_distributions()
        self.fig_fans()
        self.fig_events()
        self.fig_comparison()
        self.fig_drivers_overview()
        self.fig_drivers()
        self.comparison_html = self.sensitivity_html = ""
        sweep = report_sweep.figures(self.results.path, self.outdir)
        self.figures += [Figure(*fig) for fig in sweep]
        self.sweep_html = report_sweep.section(sweep)
        evidence = report_evidence.figures(self.results.path, self.outdir)
        self.figures += [Figure(*fig) for fig in evidence]
        self.evidence_html = report_evidence.section(self.results.path, evidence)
        if report_sensitivity.sobol_indices(self.results) is not None:  # design = "saltelli"
            name = report_sensitivity.figure(self.results, self.outdir)
            self.figures.append(Figure(name, "Which uncertainty matters", ""))
            self.sensitivity_html = report_sensitivity.section(self.results, name)
        if self.others:
            name = report_compare.figure([self.results] + self.others, self.outdir)
            self.figures.append(Figure(name, "Comparing studies", ""))
            self.comparison_html = report_compare.section([self.results] + self.others, name)
        self.discovery_html = ""
        if self.discoveries:
            self.discovery_html, _ = discovery.report_section(self.discoveries, self.outdir)
        return self.write_html()


def build_report(results_path: str, outdir: str, others: list[str] | None = None,
                 discoveries: list[str] | None = None) -> Report:
    """The report of one study; with `others`, a section comparing them with it."""
    results = [open_results(p) for p in [results_path, *(others or [])]]
    for r in results:
        if not r.model.startswith("strategic-triangle"):
            raise WedgeError(f"{r.path}: the report is written for the strategic-triangle model, but "
                             f"this study ran the model '{r.model}'; read it with wedge_analysis "
                             f"(open_results) or 'wedge info'")
    rep = Report(results[0], outdir, others=results[1:])
    rep.discoveries = list(discoveries or [])
    rep.build()
    return rep


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="report.py",
                                 description="Write PNG figures and index.html for a wedge result file; "
                                             "with several, the first one's report and a comparison of the studies.")
    ap.add_argument("results", metavar="RESULTS.h5", nargs="+",
                    help="result file written by 'wedge run'; more files: studies compared with the first")
    ap.add_argument("-o", "--output", metavar="DIR", required=True, help="directory for index.html and the figures")
    ap.add_argument("--discovery", metavar="DISCOVERY.h5", nargs="+", default=[],
                    help="discovery files written by 'wedge discover': each box in words and its figures")
    args = ap.parse_args(argv)
    try:
        rep = build_report(args.results[0], args.output, args.results[1:], args.discovery)
    except (WedgeError, FileNotFoundError, ValueError) as e:
        print(f"report.py: error: {e}", file=sys.stderr)
        return 2
    print(f"wrote {len(rep.figures)} figures and {os.path.join(args.output, 'index.html')}")
    return 0
