"""Studies side by side: the Python twin of ``wedge info A.h5 B.h5 ...``.

The first study is the reference A. For every strategy that every study has (matched by name),
each outcome's mean in every study and its difference from A with a 95% interval. The studies
are independent samples, so the standard error of a difference is sqrt(se_A^2 + se_X^2), se the
Monte Carlo standard error of each mean (``/mcse``); a probability is the mean of a 0/1 outcome.
Layout and caveats: docs/output-format.md, section 19.
"""
from __future__ import annotations

import difflib
import string

import numpy as np
import pandas as pd

from .results import WedgeError, WedgeResults

#: the outcomes of wedge's summary table, in its order: key probabilities, then key means
KEY_OUTCOMES = ["split", "entrenched", "russia_pivot", "nato_fracture", "europe_autonomous",
                "military_action", "ceasefire", "policy_switched",
                "alignment_final", "nato_cohesion_final", "ukraine_strength_final", "hybrid_attacks",
                "relief_received", "us_payoff"]
Z95 = 1.96


def study_letters(n: int) -> list[str]:
    """A, B, ..., Z, then S27, S28, ... (as wedge info names them)."""
    return [string.ascii_uppercase[i] if i < 26 else f"S{i + 1}" for i in range(n)]


def shared_strategies(studies: list[WedgeResults]) -> list[str]:
    """Strategies of the first study that every study has, in the first study's order."""
    return [s for s in studies[0].strategies if all(s in st.strategies for st in studies)]


def missing_strategies(studies: list[WedgeResults]) -> dict[str, list[str]]:
    """Study letter -> its strategies that are not in every study (left out of the comparison)."""
    shared = set(shared_strategies(studies))
    out = {}
    for letter, st in zip(study_letters(len(studies)), studies):
        only = [s for s in st.strategies if s not in shared]
        if only:
            out[letter] = only
    return out


def compare_studies(studies: list[WedgeResults], outcomes: list[str] | None = None) -> pd.DataFrame:
    """Differences of each shared strategy's outcome means from the first study.

    Index (study, strategy, outcome) for the studies after the first (letters B, C, ...);
    columns mean_a, se_a (study A), mean, se (this study), difference (mean - mean_a), se_difference,
    ci_low, ci_high (95%). ``outcomes`` defaults to the key outcomes. Raises WedgeError when no
    strategy is in every study."""
    if len(studies) < 2:
        raise ValueError("compare_studies needs at least two studies")
    strategies = shared_strategies(studies)
    if not strategies:
        raise WedgeError(f"{studies[-1].path}: no strategy (by name) is in every study compared with "
                         f"{studies[0].path}: nothing to compare")
    outcomes = [o for o in (outcomes or KEY_OUTCOMES) if o in studies[0].outcomes]
    summaries = [st.summary() for st in studies]
    rows = []
    letters = study_letters(len(studies))
    for letter, summ in zip(letters[1:], summaries[1:]):
        for s in strategies:
            for o in outcomes:
                ma, sa = summaries[0].loc[(s, o), ["mean", "mcse"]]
                mb, sb = summ.loc[(s, o), ["mean", "mcse"]]
                se = float(np.hypot(sa, sb))
                d = mb - ma
                rows.append((letter, s, o, ma, sa, mb, sb, d, se, d - Z95 * se, d + Z95 * se))
    df = pd.DataFrame(rows, columns=["study", "strategy", "outcome", "mean_a", "se_a", "mean", "se",
                                     "difference", "se_difference", "ci_low", "ci_high"])
    return df.set_index(["study", "strategy", "outcome"])


def config_diff(a: WedgeResults, b: WedgeResults, name_a: str = "A", name_b: str = "B") -> str:
    """Unified diff (3 lines of context) of the embedded configuration texts; '' when equal."""
    if a.config_text == b.config_text:
        return ""
    lines = difflib.unified_diff(a.config_text.splitlines(), b.config_text.splitlines(),
                                 f"{name_a}: {a.path} (embedded configuration)",
                                 f"{name_b}: {b.path} (embedded configuration)", n=3, lineterm="")
    return "\n".join(lines) + "\n"
