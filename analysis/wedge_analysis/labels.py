"""Plain-language labels for the names used in wedge result files.

The result file stores short machine names (``split``, ``nato_cohesion``, ...). Figures and
tables for policy readers use the labels below. Every lookup falls back to a tidied version
of the name, so an outcome or parameter added on the C++ side never breaks a report.
"""
from __future__ import annotations

#: outcome name -> (label, unit / scale description)
OUTCOMES: dict[str, tuple[str, str]] = {
    "alignment_final": ("Sino-Russian alignment at the horizon", "0 = split, 1 = alliance"),
    "rapprochement_final": ("US-Russia relations at the horizon", "0 = confrontation, 1 = normal relations"),
    "nato_cohesion_final": ("NATO (transatlantic) cohesion at the horizon", "0 = none, 1 = full cohesion"),
    "european_autonomy_final": ("European hedging toward own security arrangements at the horizon",
                                "0 = none, 1 = fully autonomous"),
    "ukraine_strength_final": ("Ukraine's military and political position at the horizon", "0 = collapse, 1 = strong"),
    "nato_cohesion_min": ("Lowest NATO cohesion over the period", "0 = none, 1 = full cohesion"),
    "hybrid_attacks": ("Russian hybrid attacks over the period", "number of attacks, at most one per quarter"),
    "first_hybrid_attack_quarter": ("Quarter of the first Russian hybrid attack", "quarter index, -1 = none"),
    "military_action_quarter": ("Quarter of Russian military action against NATO", "quarter index, -1 = none"),
    "ceasefire_quarter": ("Quarter of a ceasefire in Ukraine", "quarter index, -1 = none"),
    "military_action": ("Russian military action against NATO territory", "probability"),
    "ceasefire": ("Ceasefire in Ukraine", "probability"),
    "split": ("Sino-Russian split", "probability"),
    "entrenched": ("Entrenched Sino-Russian alliance", "probability"),
    "nato_fracture": ("NATO fracture", "probability"),
    "europe_autonomous": ("Europe turns to its own security arrangements", "probability"),
    "policy_switched": ("US strategy replaced after the 2028 election", "probability"),
    "relief_received": ("Sanctions relief Russia actually received", "average share of sanctions lifted, 0 to 1"),
    "russia_pivot": ("Russia pockets the relief but keeps its China ties", "probability"),
    "us_payoff": ("US payoff", "score; higher is better for the US"),
}

#: state name -> (label, scale)
STATES: dict[str, tuple[str, str]] = {
    "alignment": ("Sino-Russian alignment", "0 = split, 1 = alliance"),
    "rapprochement": ("US-Russia relations", "0 = confrontation, 1 = normal"),
    "nato_cohesion": ("NATO (transatlantic) cohesion", "0 = none, 1 = full"),
    "european_autonomy": ("European hedging toward own security", "0 = none, 1 = fully autonomous"),
    "ukraine_strength": ("Ukraine's position", "0 = collapse, 1 = strong"),
}

#: event name -> label
EVENTS: dict[str, str] = {
    "hybrid_attack": "First Russian hybrid attack",
    "military_action": "Russian military action against NATO",
    "ceasefire": "Ceasefire in Ukraine",
}

#: parameter name -> label (what a high value means)
PARAMETERS: dict[str, str] = {
    "russia_receptiveness": "Moscow's receptiveness to US offers",
    "partnership_resilience": "Strength of the Sino-Russian partnership",
    "china_leverage_growth": "Growth of China's leverage over Russia (per year)",
    "european_hedging": "Europe's tendency to hedge",
    "russia_opportunism": "Russian opportunism",
    "deterrence_effectiveness": "Effectiveness of NATO deterrence",
    "russia_compliance": "Russian compliance with conditions",
    "ukraine_resilience": "Ukraine's own resilience",
    "nato_inertia": "NATO's institutional inertia",
    "policy_persistence": "Chance the strategy survives the 2028 election",
    "volatility": "Overall volatility (shock multiplier)",
}


def _tidy(name: str) -> str:
    s = str(name).replace("_", " ").strip()
    return s[:1].upper() + s[1:]


def outcome_label(name: str, with_scale: bool = False) -> str:
    label, scale = OUTCOMES.get(name, (_tidy(name), ""))
    return f"{label} ({scale})" if with_scale and scale else label


def outcome_scale(name: str) -> str:
    return OUTCOMES.get(name, ("", ""))[1]


def state_label(name: str, with_scale: bool = False) -> str:
    label, scale = STATES.get(name, (_tidy(name), ""))
    return f"{label} ({scale})" if with_scale and scale else label


def event_label(name: str) -> str:
    return EVENTS.get(name, _tidy(name))


def parameter_label(name: str) -> str:
    return PARAMETERS.get(name, _tidy(name))


def strategy_label(name: str) -> str:
    """``engagement_with_deterrence`` -> ``Engagement with deterrence``."""
    return _tidy(name)
