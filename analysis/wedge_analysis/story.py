"""The report's first paragraph: the bottom line in plain words, with its numbers and intervals.

Every number comes from the result file: the strategy with the highest mean US payoff (mean and
95% interval, mean +- 1.96 Monte Carlo s.e.), its paired difference from the next best (same
futures), the share of runs in which it is the best strategy (95% Wilson interval), and the
probabilities of the risks it carries (95% Wilson intervals from the file).
"""
from __future__ import annotations

import html
import math
from dataclasses import dataclass

from . import labels as L
from .results import WedgeResults

Z95 = 1.96
#: the risks named in the bottom line, in this order
RISKS = ["military_action", "nato_fracture", "split"]
RISK_WORDS = {"military_action": "Russian military action against NATO territory",
              "nato_fracture": "a NATO fracture", "split": "a Sino-Russian split (the aim of engaging Moscow)"}
SHORT_WORDS = {"military_action": "military action against NATO", "nato_fracture": "a NATO fracture",
               "split": "a Sino-Russian split"}


def wilson(k: float, n: int, z: float = Z95) -> tuple[float, float]:
    """95% Wilson score interval of k successes in n trials."""
    if n <= 0:
        return math.nan, math.nan
    p = k / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass
class Estimate:
    value: float
    low: float
    high: float


@dataclass
class BottomLine:
    best: str                     #: highest mean US payoff
    payoff: Estimate              #: its mean payoff
    runner_up: str | None         #: the next best on mean payoff
    lead: Estimate | None         #: best minus runner-up, paired (same futures)
    best_share: Estimate          #: share of runs in which `best` has the highest payoff
    most_often_best: str          #: strategy best in most runs
    most_often_share: float
    risks: dict[str, Estimate]    #: outcome -> probability under `best`
    worst: str | None             #: lowest mean US payoff
    worst_payoff: Estimate | None
    worst_risks: dict[str, Estimate]
    runs: int
    horizon: str


def bottom_line(r: WedgeResults, horizon: str) -> BottomLine:
    s = r.summary()
    pay = s.xs("us_payoff", level="outcome")
    order = pay["mean"].sort_values(ascending=False).index.tolist()
    best = order[0]

    def mean_ci(strategy: str) -> Estimate:
        m, se = pay.loc[strategy, "mean"], pay.loc[strategy, "mcse"]
        return Estimate(m, m - Z95 * se, m + Z95 * se)

    def prob(strategy: str, outcome: str) -> Estimate:
        row = s.loc[(strategy, outcome)]
        return Estimate(row["mean"], row["wilson_low"], row["wilson_high"])

    runner_up, lead = None, None
    if len(order) > 1:
        runner_up = order[1]
        cmp = r.comparison()
        pair, sign = (f"{best} - {runner_up}", 1.0)
        if (pair, "us_payoff") not in cmp.index:
            pair, sign = (f"{runner_up} - {best}", -1.0)
        if (pair, "us_payoff") in cmp.index:  # not compared directly when both differ from a baseline
            row = cmp.loc[(pair, "us_payoff")]
            d, se = sign * row["mean_difference"], row["se_difference"]
            lead = Estimate(d, d - Z95 * se, d + Z95 * se)
    reg = r.regret()
    share = reg.loc[best, "best_share"]
    n = r.effective_runs  # with evidence: the effective sample size (not a whole number)
    lo, hi = wilson(round(share * n) if n == r.runs else share * n, n)
    most = reg["best_share"].idxmax()
    risks = {o: prob(best, o) for o in RISKS if o in r.outcomes}
    worst = order[-1] if len(order) > 1 else None
    return BottomLine(best, mean_ci(best), runner_up, lead, Estimate(share, lo, hi), most,
                      float(reg.loc[most, "best_share"]), risks, worst,
                      mean_ci(worst) if worst else None,
                      {o: prob(worst, o) for o in RISKS if o in r.outcomes} if worst else {},
                      r.runs, horizon)


def pct(p: float) -> str:
    """A probability in percent: one decimal, two below 1%."""
    return f"{100 * p:.2f}%" if 100 * p < 1 else f"{100 * p:.1f}%"


def pct_interval(e: Estimate) -> str:
    return f"{pct(e.value)} (95% interval {pct(e.low)} to {pct(e.high)})"


def num_interval(e: Estimate, signed: bool = False) -> str:
    f = "{:+.3f}" if signed else "{:.3f}"
    return f"{f.format(e.value)} (95% interval {f.format(e.low)} to {f.format(e.high)})"


def paragraph(b: BottomLine) -> str:
    """The bottom line as HTML (one <p>)."""
    name = lambda s: f"<b>{html.escape(L.strategy_label(s))}</b>"  # noqa: E731
    parts = [f"Across {b.runs:,} simulated futures to the {html.escape(b.horizon)}, {name(b.best)} gives the "
             f"US the highest expected payoff (a score of alignment, cohesion, Ukraine and Russian attacks; higher "
             f"is better), {num_interval(b.payoff)}."]
    if b.lead is not None:
        if b.lead.low > 0:
            parts.append(f"In the same futures it beats {name(b.runner_up)}, the next best, by "
                         f"{num_interval(b.lead)}.")
        else:
            parts.append(f"It is not clearly better than {name(b.runner_up)}, the next best: the "
                         f"difference in the same futures is {num_interval(b.lead, signed=True)}, an "
                         f"interval that includes zero.")
    parts.append(f"It is the best of the strategies in {pct_interval(b.best_share)} of the futures.")
    if b.most_often_best != b.best:
        parts.append(f"{name(b.most_often_best)} is the best choice more often "
                     f"({pct(b.most_often_share)} of the futures) but does worse on average.")
    risks = [f"{RISK_WORDS[o]} in {pct_interval(e)}" for o, e in b.risks.items()]
    if risks:
        parts.append("Under it, the risks are " + ", ".join(risks[:-1]) + (", and " if len(risks) > 1 else "")
                     + risks[-1] + " of the futures.")
    if b.worst is not None and b.worst_payoff is not None:
        wr = [f"{SHORT_WORDS[o]} in {pct(e.value)}" for o, e in b.worst_risks.items()]
        parts.append(f"{name(b.worst)} does worst: a payoff of {num_interval(b.worst_payoff)}"
                     + (", with " + ", ".join(wr[:-1]) + (" and " if len(wr) > 1 else "") + wr[-1]
                        + " of the futures." if wr else "."))
    return "<p class=bottom-line>" + " ".join(parts) + "</p>"
