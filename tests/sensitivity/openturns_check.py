"""wedge's Sobol' indices and intervals against OpenTURNS on the design rows wedge wrote.

Usage: openturns_check.py RESULT.h5. The file holds a Saltelli study with --records all: per
base row the rows [A, AB_1..AB_k, B] (SALib's order; AB_intrinsic is AB_k). OpenTURNS gets
them as its SobolIndicesExperiment order [A; B; E_1..E_k] and computes, with the asymptotic
(delta-method) distribution, the first order of MauntzKucherenkoSensitivityAlgorithm (the
Saltelli 2010 estimator wedge uses) and the total order of JansenSensitivityAlgorithm. Every
index and interval bound of every strategy, pair and outcome must agree to 1e-9.
"""
import sys

import h5py
import numpy as np
import openturns as ot

TOL = 1e-9


def series_outputs(out, names, strategies, s):
    """The outcome rows of series s: a strategy, or a pair 'a - b' (the difference)."""
    if s < len(strategies):
        return out[:, s, :]
    a, b = names[s].split(" - ")
    return out[:, strategies.index(a), :] - out[:, strategies.index(b), :]


def main(path):
    with h5py.File(path, "r") as f:
        g = f["sensitivity"]
        names = [x.decode() for x in g["series"][:]]
        factors = [x.decode() for x in g["input"][:]]
        idx = {v: g[v][:] for v in ("first_order", "first_order_low", "first_order_high",
                                     "total_order", "total_order_low", "total_order_high")}
        out = f["records/outcomes"][:]
        strategies = [x.decode() for x in f["strategy"][:]]
    k = len(factors)
    rows = k + 2
    n = out.shape[0] // rows
    assert n * rows == out.shape[0], "records are not whole base rows"
    inputs = ot.Sample(n * rows, k)
    inputs.setDescription(factors)
    checked = worst = 0
    for s, name in enumerate(names):
        y = series_outputs(out, names, strategies, s)
        for o in range(y.shape[1]):
            col = y[:, o].reshape(n, rows)  # [base row][A, AB_1..AB_k, B]
            design = np.concatenate([col[:, 0], col[:, rows - 1]] +
                                    [col[:, 1 + j] for j in range(k)])
            if np.var(col[:, 0]) == 0.0:
                assert np.all(np.isnan(idx["first_order"][s, o])), (name, o)
                continue
            outputs = ot.Sample(design.reshape(-1, 1))
            got = {}
            for label, algo in (("first", ot.MauntzKucherenkoSensitivityAlgorithm),
                                ("total", ot.JansenSensitivityAlgorithm)):
                a = algo(inputs, outputs, n)
                a.setUseAsymptoticDistribution(True)
                if label == "first":
                    v, iv = a.getFirstOrderIndices(), a.getFirstOrderIndicesInterval()
                else:
                    v, iv = a.getTotalOrderIndices(), a.getTotalOrderIndicesInterval()
                got[label] = (np.array(v), np.array(iv.getLowerBound()),
                              np.array(iv.getUpperBound()))
            for label, var in (("first", "first_order"), ("total", "total_order")):
                ref = got[label]
                for which, arr in zip(("", "_low", "_high"), ref):
                    mine = idx[var + which][s, o]
                    d = np.max(np.abs(mine - arr))
                    worst = max(worst, d)
                    if not d <= TOL:
                        sys.exit(f"{path}: {name} outcome {o} {var}{which}: wedge {mine} "
                                 f"OpenTURNS {arr} (difference {d:.3g})")
                    checked += len(arr)
    print(f"{checked} indices and bounds agree with OpenTURNS {ot.__version__}; "
          f"largest difference {worst:.3g}")
    assert checked > 0


if __name__ == "__main__":
    main(sys.argv[1])
