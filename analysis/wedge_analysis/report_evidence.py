"""Report section for studies conditioned on evidence ([[evidence]]): what the evidence taught.
Each uncertain input's prior and posterior in prior-CDF space (flat for the prior, by
construction), and each strategy's forecast before and after the evidence. Read from the result
file's /evidence group (docs/output-format.md section 22)."""
from __future__ import annotations

import html
import os

import h5py
import matplotlib.pyplot as plt
import numpy as np

KEY = ["split", "nato_fracture", "military_action", "ceasefire", "us_payoff"]
MAX_PANELS = 12


def _strings(ds) -> list[str]:
    return [x.decode() if isinstance(x, bytes) else str(x) for x in ds[()]]


def has_evidence(path: str) -> bool:
    with h5py.File(path, "r") as f:
        return "evidence" in f


def _read(path: str) -> dict:
    with h5py.File(path, "r") as f:
        g = f["evidence"]
        d = {k: g[k][()] for k in ("prior_share", "posterior_share", "prior_mean", "posterior_mean",
                                   "prior_low", "prior_high", "posterior_low", "posterior_high",
                                   "mean_before")}
        d["input"] = _strings(g["input"])
        d["strategy"] = _strings(g["strategy"])
        d["outcome"] = _strings(g["outcome"])
        d["item"] = _strings(g["item"])
        d["observation"] = _strings(g["observation"])
        d["description"] = _strings(g["description"])
        d["ess"] = float(g.attrs["effective_sample_size"])
        d["runs"] = int(g.attrs["runs"])
        d["mean_after"] = f["mean"][()]
    return d


def departure(d: dict) -> np.ndarray:
    """Total-variation distance between each input's posterior and prior shares (0: untouched)."""
    return 0.5 * np.nansum(np.abs(d["posterior_share"] - d["prior_share"]), axis=1)


def _fig_inputs(d: dict, outdir: str) -> str:
    tv = departure(d)
    order = np.argsort(-tv)[:MAX_PANELS]
    n = len(order)
    cols = 4 if n > 6 else 3
    rows = int(np.ceil(n / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(3.6 * cols, 2.8 * rows), squeeze=False)
    edges = np.linspace(0, 1, d["prior_share"].shape[1] + 1)
    for ax, i in zip(axes.flat, order):
        width = np.diff(edges)
        ax.stairs(d["prior_share"][i] / width, edges, color="0.6", label="prior", baseline=None)
        ax.stairs(d["posterior_share"][i] / width, edges, color="C3", label="posterior",
                  baseline=None, linewidth=1.4)
        ax.set_title(f"{d['input'][i]}  (TV {tv[i]:.2f})\n"
                     f"mean {d['prior_mean'][i]:.3g} -> {d['posterior_mean'][i]:.3g}, "
                     f"90% [{d['posterior_low'][i]:.3g}, {d['posterior_high'][i]:.3g}]", fontsize=8)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, max(1.5, 1.1 * float(np.nanmax(d["posterior_share"][i] / width))))
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    axes.flat[0].legend(fontsize=7, loc="upper right")
    fig.supxlabel("prior CDF of the input (0.5: its prior median)", fontsize=9)
    fig.supylabel("density in prior-CDF space", fontsize=9)
    fig.tight_layout()
    name = "evidence_inputs.png"
    fig.savefig(os.path.join(outdir, name), dpi=110)
    plt.close(fig)
    return name


def _fig_forecast(d: dict, outdir: str) -> str:
    keys = [k for k in KEY if k in d["outcome"] and k != "us_payoff"]
    S = len(d["strategy"])
    fig, axes = plt.subplots(1, len(keys), figsize=(3.2 * len(keys), 0.5 * S + 1.6), squeeze=False)
    for ax, k in zip(axes.flat, keys):
        o = d["outcome"].index(k)
        before, after = d["mean_before"][:, o], d["mean_after"][:, o]
        y = np.arange(S)
        ax.hlines(y, np.minimum(before, after), np.maximum(before, after), color="0.7")
        ax.plot(before, y, "o", color="0.55", label="before")
        ax.plot(after, y, "o", color="C3", label="after")
        ax.set_yticks(y, d["strategy"] if ax is axes.flat[0] else [""] * S, fontsize=8)
        ax.set_title(f"P({k})", fontsize=9)
        ax.set_xlim(0, max(0.05, 1.15 * float(np.nanmax(np.r_[before, after]))))
        ax.tick_params(labelsize=7)
    axes.flat[0].legend(fontsize=7)
    fig.tight_layout()
    name = "evidence_forecast.png"
    fig.savefig(os.path.join(outdir, name), dpi=110)
    plt.close(fig)
    return name


def figures(path: str, outdir: str) -> list[tuple[str, str, str]]:
    """(file, title, caption) of the evidence figures; empty without evidence."""
    if not has_evidence(path):
        return []
    d = _read(path)
    return [
        (_fig_inputs(d, outdir), "What the evidence says about the uncertain inputs",
         "Each input's share of the runs (grey: prior, as sampled) and of the weight (red: posterior) "
         "over the percentiles of its prior. A flat red line: the evidence says nothing about the "
         "input; mass moved to one side: the evidence favours low or high values. Inputs ordered by "
         "the total-variation distance between posterior and prior; mean and 90% interval in the "
         "input's units."),
        (_fig_forecast(d, outdir), "Forecast before and after the evidence",
         "Each strategy's probability of the key outcomes over all runs (grey) and weighted by the "
         "evidence (red)."),
    ]


def section(path: str, figs: list[tuple[str, str, str]]) -> str:
    if not figs:
        return ""
    d = _read(path)
    items = "".join(f"<tr><th class=row>{html.escape(n)}</th><td>{html.escape(o)}</td>"
                    f"<td>{html.escape(desc)}</td></tr>"
                    for n, o, desc in zip(d["item"], d["observation"], d["description"]))
    keys = [k for k in KEY if k in d["outcome"]]
    head = "".join(f"<th>{html.escape(k)}</th>" for k in keys)
    rows = []
    for s, name in enumerate(d["strategy"]):
        cells = []
        for k in keys:
            o = d["outcome"].index(k)
            b, a = d["mean_before"][s, o], d["mean_after"][s, o]
            cells.append(f"{b:.3f} &rarr; {a:.3f}")
        rows.append(f"<tr><th class=row>{html.escape(name)}</th>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    share = 100.0 * d["ess"] / max(1, d["runs"])
    figs_html = "".join(
        f"<figure><h3>{html.escape(t)}</h3><img src=\"{html.escape(f)}\" alt=\"{html.escape(t)}\">"
        f"<figcaption>{html.escape(c)}</figcaption></figure>" for f, t, c in figs)
    return (f"<h2>What has been observed since the start</h2>"
            f"<p>The runs are weighted by how well their history matches these observations "
            f"(effective sample size {d['ess']:,.0f} of {d['runs']:,} runs, {share:.1f}%). Every "
            f"statistic of this report is the weighted one.</p>"
            f"<table><tr><th>item</th><th>observed</th><th>description</th></tr>{items}</table>"
            f"<p>Forecast before &rarr; after the evidence (means; probabilities for 0/1 outcomes):</p>"
            f"<table><tr><th>strategy</th>{head}</tr>{''.join(rows)}</table>{figs_html}")
