"""Sobol' indices of the test models against their exact values.

  exact_indices.py within FILE...    every exact index lies in its 95% interval (one file each)
  exact_indices.py coverage FILE...  over many seeds the intervals cover at about 95%

The files are Saltelli studies of configs/ishigami.toml (a = 7, b = 0.1, any noise_sd) or
configs/sobol_g.toml, read through h5py. With noise sd s the Ishigami variance is V + s^2 and the
`intrinsic` factor's first- and total-order indices are both s^2 / (V + s^2).
"""
import math
import re
import sys

import h5py
import numpy as np


def ishigami(a, b, sd):
    pi4 = math.pi ** 4
    v1 = 0.5 * (1 + b * pi4 / 5) ** 2
    v2 = a * a / 8
    v13 = b * b * pi4 * pi4 * 8 / 225
    v = v1 + v2 + v13 + sd * sd
    first = {"x1": v1 / v, "x2": v2 / v, "x3": 0.0, "intrinsic": sd * sd / v}
    total = {"x1": (v1 + v13) / v, "x2": v2 / v, "x3": v13 / v, "intrinsic": sd * sd / v}
    return first, total


def sobol_g(avec):
    vi = [1.0 / (3 * (1 + ai) ** 2) for ai in avec]
    v = np.prod([1 + x for x in vi]) - 1
    first = {f"x{i + 1}": vi[i] / v for i in range(len(vi))}
    total = {f"x{i + 1}": vi[i] * np.prod([1 + vi[j] for j in range(len(vi)) if j != i]) / v
             for i in range(len(vi))}
    first["intrinsic"] = total["intrinsic"] = 0.0
    return first, total


def exact(f):
    text = f.attrs["config"]
    text = text.decode() if isinstance(text, bytes) else text
    model = f.attrs["model"]
    model = model.decode() if isinstance(model, bytes) else model
    if model.startswith("ishigami"):
        num = {k: float(re.search(rf"^{k}\s*=\s*([-0-9.e]+)", text, re.M).group(1))
               for k in ("a", "b", "noise_sd")}
        return ishigami(num["a"], num["b"], num["noise_sd"])
    avec = [float(x) for x in re.search(r"^a\s*=\s*\[([^\]]*)\]", text, re.M).group(1).split(",")]
    return sobol_g(avec)


def cells(path):
    """(name, kind, exact, low, high) of every index of the file's (only) strategy."""
    with h5py.File(path, "r") as f:
        first, total = exact(f)
        g = f["sensitivity"]
        names = [x.decode() for x in g["input"][:]]
        for kind, ref in (("first_order", first), ("total_order", total)):
            lo, hi = g[kind + "_low"][0, 0, :], g[kind + "_high"][0, 0, :]
            for j, name in enumerate(names):
                yield name, kind, ref[name], lo[j], hi[j]


def within(paths):
    for p in paths:
        n = 0
        for name, kind, ref, lo, hi in cells(p):
            if not lo - 1e-12 <= ref <= hi + 1e-12:
                sys.exit(f"{p}: {kind} of {name}: exact {ref:.6f} outside [{lo:.6f}, {hi:.6f}]")
            n += 1
        print(f"{p}: all {n} exact indices inside their 95% intervals")


def coverage(paths):
    hit = tot = 0
    for p in paths:
        for name, kind, ref, lo, hi in cells(p):
            if ref == 0.0 and lo == hi:  # no variance to attribute: a point, not an interval
                continue
            tot += 1
            hit += lo <= ref <= hi
    rate = hit / tot
    print(f"coverage {hit}/{tot} = {rate:.3f} over {len(paths)} seeds")
    if not 0.90 <= rate <= 0.99:
        sys.exit(f"coverage {rate:.3f} is not near the nominal 0.95")


if __name__ == "__main__":
    {"within": within, "coverage": coverage}[sys.argv[1]](sys.argv[2:])
