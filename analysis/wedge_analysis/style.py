"""Colours shared by every figure of the report.

Green and red mean one thing only: better and worse for the US (as the US payoff counts it).
Strategies are therefore told apart by colours that are neither green nor red.
"""
from __future__ import annotations

from matplotlib.colors import LinearSegmentedColormap

BETTER = "#1b7837"   #: better for the US
WORSE = "#b2182b"    #: worse for the US
UNCLEAR = "0.55"     #: the 95% interval includes zero
NEUTRAL = "#3b6ea8"  #: a clear difference that is neither better nor worse (ceasefire)

#: worse (red) -> no change (white) -> better (green), for heat maps
BETTER_WORSE_CMAP = LinearSegmentedColormap.from_list("worse_better", [WORSE, "#f7f7f7", BETTER])

#: strategy colours: blue, orange, purple, brown, pink, grey, olive, cyan (no green, no red)
STRATEGY_COLORS = ["#1f77b4", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]

#: +1 if a higher value is better for the US (the US payoff's reading), -1 if worse, 0 if neutral
GOOD_DIRECTION = {"split": 1, "entrenched": -1, "nato_fracture": -1, "military_action": -1,
                  "us_payoff": 1, "russia_pivot": -1, "ceasefire": 0, "europe_autonomous": 0,
                  "alignment_final": -1, "nato_cohesion_final": 1, "ukraine_strength_final": 1,
                  "hybrid_attacks": -1}


def strategy_color(i: int) -> str:
    return STRATEGY_COLORS[i % len(STRATEGY_COLORS)]


def verdict_color(outcome: str, low: float, high: float) -> str:
    """Colour of a difference with 95% interval [low, high] in `outcome`."""
    sign = 1 if low > 0 else -1 if high < 0 else 0
    good = GOOD_DIRECTION.get(outcome, 0)
    if sign == 0:
        return UNCLEAR
    if good == 0:
        return NEUTRAL
    return BETTER if sign == good else WORSE


def verdict_key(neutral: bool = True):
    """(handles, labels) of the colour key for figures of differences."""
    from matplotlib.lines import Line2D

    items = [(BETTER, "better for the US"), (WORSE, "worse for the US"),
             (UNCLEAR, "no clear difference (95% interval includes 0)")]
    if neutral:
        items.append((NEUTRAL, "clear difference, neither better nor worse"))
    return ([Line2D([], [], marker="o", ls="-", color=c, ms=6) for c, _ in items], [t for _, t in items])
