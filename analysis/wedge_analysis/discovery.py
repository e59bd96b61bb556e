"""Reader and figures for wedge discovery files (``wedge discover``; layout in
docs/output-format.md, section 20; the method in docs/discovery.md).

    >>> from wedge_analysis.discovery import open_discovery
    >>> d = open_discovery("discovery.h5")
    >>> d.trajectory          # coverage, density, mass, restricted inputs per peeling step
    >>> d.limits(1)           # box 1's limits, quasi-p-values and stability per input
"""
from __future__ import annotations

import os
from dataclasses import dataclass

import h5py
import numpy as np
import pandas as pd

FILETYPE = "wedge-discovery"
SUPPORTED_FORMAT_VERSIONS = (1,)
_OPEN_END = 1e299



def _limit(x: float) -> str:
    """A box limit as text; wedge writes an unbounded prior's open end as +-1e300."""
    return "-inf" if x <= -1e299 else "inf" if x >= 1e299 else f"{x:.3g}"

def _strings(ds) -> list[str]:
    return [x.decode() if isinstance(x, bytes) else str(x) for x in ds[...]]


def _attr(f, name):
    v = f.attrs[name]
    return v.decode() if isinstance(v, bytes) else v


@dataclass
class Discovery:
    """A discovery file read into pandas: ``trajectory`` (one row per peeling step of every
    box), ``boxes`` (one row per box of the covering, indexed 1, 2, ...), ``inputs`` (prior
    range per input) and the per-box, per-input tables behind ``limits(box)``."""

    path: str
    condition: str
    condition_words: str
    source: str
    runs: int
    hits: int
    attrs: dict
    inputs: pd.DataFrame
    trajectory: pd.DataFrame
    boxes: pd.DataFrame
    _per_input: dict

    def limits(self, box: int = 1) -> pd.DataFrame:
        """Box ``box``'s limits (in the inputs' units), whether each input is restricted, its
        quasi-p-value (NaN: unrestricted) and its stability over half-samples."""
        i = box - 1
        cols = {name: v[i] for name, v in self._per_input.items()}
        df = pd.DataFrame(cols, index=self.inputs.index)
        df["restricted"] = df["restricted"].astype(bool)
        return df.join(self.inputs[["prior_lower", "prior_upper"]])


def open_discovery(path: str) -> Discovery:
    """Reads a discovery file; raises ValueError for a file that is not one."""
    with h5py.File(path, "r") as f:
        if f.attrs.get("filetype", b"") not in (FILETYPE, FILETYPE.encode()):
            raise ValueError(f"{path}: not a wedge discovery file (attribute filetype)")
        version = int(f.attrs["format_version"])
        if version not in SUPPORTED_FORMAT_VERSIONS:
            raise ValueError(f"{path}: discovery format {version} is not supported")
        names = _strings(f["input"])
        edges = f["bin_edges"][...]
        inputs = pd.DataFrame({
            "long_name": _strings(f["input_long_name"]),
            "units": _strings(f["input_units"]),
            "peelable": f["input_peelable"][...].astype(bool),
            "prior_lower": f["prior_lower"][...],
            "prior_upper": f["prior_upper"][...],
            # finite ends for plots: an unbounded prior's open end (wedge writes +-1e300) is
            # replaced by its first or last inner bin edge (the 1/1024 quantiles)
            "plot_lower": np.where(np.abs(edges[:, 0]) < _OPEN_END, edges[:, 0], edges[:, 1]),
            "plot_upper": np.where(np.abs(edges[:, -1]) < _OPEN_END, edges[:, -1], edges[:, -2]),
        }, index=pd.Index(names, name="input"))
        trajectory = pd.DataFrame({
            "box": f["step_box"][...], "step": f["step_index"][...],
            "coverage": f["step_coverage"][...], "density": f["step_density"][...],
            "mass": f["step_mass"][...], "restricted": f["step_restricted"][...],
            "runs": f["step_runs"][...], "hits": f["step_hits"][...],
        })
        boxes = pd.DataFrame({
            "step": f["box_step"][...], "paste_steps": f["box_paste_steps"][...],
            "coverage": f["box_coverage"][...], "density": f["box_density"][...],
            "mass": f["box_mass"][...], "runs": f["box_runs"][...], "hits": f["box_hits"][...],
        }, index=pd.Index(f["box"][...], name="box"))
        per_input = {
            "lower": f["box_lower"][...], "upper": f["box_upper"][...],
            "restricted": f["box_restricted"][...], "p_value": f["box_p_value"][...],
            "stability": f["box_stability"][...],
        }
        attrs = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in f.attrs.items()}
        return Discovery(str(path), _attr(f, "condition"), _attr(f, "condition_words"),
                         _attr(f, "source"), int(f.attrs["runs"]), int(f.attrs["hits"]), attrs,
                         inputs, trajectory, boxes, per_input)


def plot_tradeoff(d: Discovery):
    """Coverage against density along each box's peeling trajectory, coloured by the number of
    restricted inputs; the chosen (and pasted) boxes marked."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 4.8))
    sc = None
    for b, traj in d.trajectory.groupby("box"):
        ax.plot(traj["coverage"], traj["density"], color="0.75", lw=0.8, zorder=1)
        sc = ax.scatter(traj["coverage"], traj["density"], c=traj["restricted"], cmap="viridis",
                        s=14, zorder=2, vmin=0, vmax=max(1, d.trajectory["restricted"].max()))
        row = d.boxes.loc[b]
        ax.scatter([row["coverage"]], [row["density"]], marker="*", s=160, color="tab:red",
                   edgecolor="k", zorder=3)
        ax.annotate(f"box {b}", (row["coverage"], row["density"]), xytext=(6, 4),
                    textcoords="offset points", fontsize=9)
    if sc is not None:
        fig.colorbar(sc, ax=ax, label="restricted inputs")
    ax.set_xlabel("coverage (share of the runs of interest in the box)")
    ax.set_ylabel("density (share of the box's runs that are of interest)")
    ax.set_title(f"PRIM trade-off: {d.condition}", fontsize=10)
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def plot_limits(d: Discovery, box: int = 1):
    """Box ``box``'s limits against each restricted input's prior range (scaled to [0, 1]),
    with the quasi-p-value and stability written beside each bar."""
    import matplotlib.pyplot as plt

    lim = d.limits(box)
    shown = lim[lim["restricted"]] if lim["restricted"].any() else lim
    fig, ax = plt.subplots(figsize=(7.0, 0.6 * len(shown) + 1.6))
    for i, (name, row) in enumerate(shown.iterrows()):
        lo_p, hi_p = d.inputs.loc[name, "plot_lower"], d.inputs.loc[name, "plot_upper"]
        span = hi_p - lo_p if hi_p > lo_p else 1.0
        lo = (np.clip(row["lower"], lo_p, hi_p) - lo_p) / span
        hi = (np.clip(row["upper"], lo_p, hi_p) - lo_p) / span
        ax.barh(i, 1.0, left=0.0, color="0.9", edgecolor="0.6")
        ax.barh(i, hi - lo, left=lo, color="tab:blue", alpha=0.8)
        ax.text(0.0, i + 0.38, f"{lo_p:.3g}", fontsize=7, ha="left", va="bottom", color="0.4")
        ax.text(1.0, i + 0.38, f"{hi_p:.3g}", fontsize=7, ha="right", va="bottom", color="0.4")
        ax.text(1.03, i, f"[{_limit(row['lower'])}, {_limit(row['upper'])})  p={row['p_value']:.2g}  "
                f"stable {100 * row['stability']:.0f}%", fontsize=8, va="center")
    ax.set_yticks(range(len(shown)))
    ax.set_yticklabels(shown.index)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("position within the prior range (grey), box limits (blue)")
    b = d.boxes.loc[box]
    ax.set_title(f"box {box}: density {b['density']:.0%}, coverage {b['coverage']:.0%}, "
                 f"mass {b['mass']:.0%}", fontsize=10)
    fig.tight_layout()
    fig.subplots_adjust(right=0.62)
    return fig


def box_sentence(d: Discovery, box: int = 1) -> str:
    """Box ``box`` in words, as ``wedge discover`` prints it."""
    lim = d.limits(box)
    parts = []
    for name, row in lim[lim["restricted"]].iterrows():
        has_lo = row["lower"] > d.inputs.loc[name, "prior_lower"]
        has_hi = row["upper"] < d.inputs.loc[name, "prior_upper"]
        if has_lo and has_hi:
            parts.append(f"{name} between {row['lower']:.3g} and {row['upper']:.3g}")
        elif has_lo:
            parts.append(f"{name} above {row['lower']:.3g}")
        else:
            parts.append(f"{name} below {row['upper']:.3g}")
    if not parts:
        return f"box {box}: nothing to restrict"
    where = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    b = d.boxes.loc[box]
    return (f"{d.condition_words} holds in {b['density']:.0%} of the runs with {where}; these runs "
            f"are {b['mass']:.0%} of all and hold {b['coverage']:.0%} of the runs where it holds.")


def report_section(paths: list[str], outdir: str) -> tuple[str, list[str]]:
    """HTML for the report (report.py --discovery): per discovery file, each box in words, the
    coverage-density trade-off and box 1's limits against the priors. Returns (html, figure
    file names)."""
    import html

    import matplotlib.pyplot as plt

    out, names = ["<h2>Scenario discovery (PRIM)</h2>"], []
    for i, path in enumerate(paths, 1):
        d = open_discovery(path)
        out.append(f"<h3>{html.escape(d.condition)}</h3><ul>")
        out += [f"<li>Box {b}: {html.escape(box_sentence(d, b))}</li>" for b in d.boxes.index]
        out.append("</ul>")
        for kind, fn in (("tradeoff", plot_tradeoff), ("limits", plot_limits)):
            name = f"discovery{i}_{kind}.png"
            fig = fn(d)
            fig.savefig(os.path.join(outdir, name), dpi=110)
            plt.close(fig)
            names.append(name)
            out.append(f'<img src="{name}" alt="{kind}" style="max-width:48%">')
    return "\n".join(out), names
