"""Report figures for studies with lever sweeps: a heat map of an outcome over two swept levers,
the Pareto frontier with Monte Carlo intervals, and the regret ranking. Read from the result
file's /strategies and /robust groups (docs/output-format.md section 8.1)."""
from __future__ import annotations

import html
import os

import h5py
import matplotlib.pyplot as plt
import numpy as np

Z = 1.959963984540054
MANY = 10  #: above this many strategies the main report shows the named strategies only


def _strings(ds) -> list[str]:
    return [x.decode() if isinstance(x, bytes) else str(x) for x in ds[()]]


def named_strategies(path: str) -> list[str] | None:
    """The named (not swept) strategies when the study has more than MANY strategies, else None."""
    with h5py.File(path, "r") as f:
        if "strategies" not in f:
            return None
        names = _strings(f["strategies/strategy"])
        gen = f["strategies/generated"][()]
        if len(names) <= MANY:
            return None
        return [n for n, g in zip(names, gen) if not g]


def _heatmap(f, outdir: str):
    """Mean of the first objective's outcome over the two swept levers with most values."""
    gen = f["strategies/generated"][()].astype(bool)
    if gen.sum() < 4:
        return None
    levers = _strings(f["strategies/lever"])
    L = f["strategies/levers"][()][gen]
    varied = [j for j in range(L.shape[1]) if len(np.unique(L[:, j])) > 1]
    if len(varied) < 2:
        return None
    varied.sort(key=lambda j: -len(np.unique(L[:, j])))
    jx, jy = varied[0], varied[1]
    r = f["robust"]
    objective = _strings(r["objective"])[0]
    value = r["value"][()][gen, 0]
    xs, ys = np.unique(L[:, jx]), np.unique(L[:, jy])
    if len(xs) * len(ys) > 4 * len(value):  # a scattered (Latin hypercube, Sobol') sample
        return None
    grid = np.full((len(ys), len(xs)), np.nan)
    for (x, y), v in zip(L[:, [jx, jy]], value):
        i, k = np.searchsorted(ys, y), np.searchsorted(xs, x)
        grid[i, k] = v if np.isnan(grid[i, k]) else (grid[i, k] + v) / 2
    fig, ax = plt.subplots(figsize=(7.5, 6))
    im = ax.imshow(grid, origin="lower", aspect="auto", cmap="viridis",
                   extent=[xs[0], xs[-1], ys[0], ys[-1]] if len(xs) > 1 and len(ys) > 1 else None)
    fig.colorbar(im, ax=ax, label=objective.split(":", 1)[1] + " (mean)")
    ax.set_xlabel(levers[jx])
    ax.set_ylabel(levers[jy])
    ax.set_title(f"{objective} over {levers[jx]} and {levers[jy]}")
    name = "sweep_heatmap.png"
    fig.savefig(os.path.join(outdir, name), dpi=110, bbox_inches="tight")
    plt.close(fig)
    other = len(varied) > 2
    return (name, f"{objective.split(':', 1)[1]} over two swept levers",
            f"Mean of {objective.split(':', 1)[1]} for each swept strategy, by its values of {levers[jx]} "
            f"and {levers[jy]}" + (" (strategies that also differ in other levers are averaged)" if other else "")
            + ".")


def _frontier(f, outdir: str):
    r = f["robust"]
    objectives = _strings(r["objective"])
    if len(objectives) < 2:
        return None
    v, se = r["value"][()], r["se"][()]
    on, near = r["on_frontier"][()].astype(bool), r["near_frontier"][()].astype(bool)
    fig, ax = plt.subplots(figsize=(8, 6))
    rest = ~near
    ax.scatter(v[rest, 0], v[rest, 1], s=12, color="0.7", label="dominated beyond MC error")
    band = near & ~on
    ax.errorbar(v[band, 0], v[band, 1], xerr=Z * se[band, 0], yerr=Z * se[band, 1], fmt="o", ms=4,
                color="tab:orange", alpha=0.7, label="not distinguishable from the frontier")
    ax.errorbar(v[on, 0], v[on, 1], xerr=Z * se[on, 0], yerr=Z * se[on, 1], fmt="D", ms=6,
                color="tab:blue", label="Pareto frontier (means)")
    ax.set_xlabel(objectives[0])
    ax.set_ylabel(objectives[1])
    ax.legend(fontsize=8.5)
    ax.grid(alpha=0.3)
    name = "sweep_frontier.png"
    fig.savefig(os.path.join(outdir, name), dpi=110, bbox_inches="tight")
    plt.close(fig)
    return (name, "Pareto frontier",
            f"Each strategy's means of {objectives[0]} and {objectives[1]}"
            + (f" (frontier taken over {', '.join(objectives)})" if len(objectives) > 2 else "")
            + "; bars: 95% Monte Carlo intervals of the frontier points and of the strategies that the MC error "
              "cannot rule off the frontier (paired differences, docs/output-format.md section 8.1).")


def _regret(f, outdir: str, top: int = 20):
    c = f["comparison"]
    names = _strings(f["strategy"])
    mean, p90 = c["regret_mean"][()], c["regret_p90"][()]
    order = np.argsort(mean, kind="stable")[:top]
    fig, ax = plt.subplots(figsize=(9, 0.32 * len(order) + 1.2))
    y = np.arange(len(order))[::-1]
    ax.barh(y, mean[order], color="tab:blue", label="mean regret")
    ax.scatter(p90[order], y, marker="|", s=120, color="k", label="90th percentile")
    ax.set_yticks(y)
    ax.set_yticklabels([names[i] for i in order], fontsize=7.5)
    ax.set_xlabel("regret (best payoff of the run minus the strategy's payoff)")
    ax.legend(fontsize=8.5)
    name = "sweep_regret.png"
    fig.savefig(os.path.join(outdir, name), dpi=110, bbox_inches="tight")
    plt.close(fig)
    return (name, "Regret ranking", f"The {len(order)} strategies with the lowest mean regret of {len(names)}.")


def figures(path: str, outdir: str) -> list[tuple[str, str, str]]:
    """The sweep figures of a study with more than MANY strategies: (file, title, caption)."""
    if named_strategies(path) is None:
        return []
    with h5py.File(path, "r") as f:
        if "robust" not in f:
            return []
        return [fig for fig in (_heatmap(f, outdir), _frontier(f, outdir), _regret(f, outdir)) if fig]


def section(figs: list[tuple[str, str, str]]) -> str:
    if not figs:
        return ""
    parts = ["<h2>Swept strategies</h2><p>The strategies generated by the configuration's "
             "<code>[[sweep]]</code>; the tables above show the named strategies only.</p>"]
    for name, title, cap in figs:
        parts.append(f"<figure><h3>{html.escape(title)}</h3><img src=\"{html.escape(name)}\" "
                     f"alt=\"{html.escape(title)}\"><figcaption>{html.escape(cap)}</figcaption></figure>")
    return "".join(parts)
