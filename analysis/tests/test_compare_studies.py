"""Comparing studies: `wedge info A.h5 B.h5` and `report.py A.h5 B.h5` against numbers computed
here from each file's per-run records with h5py and numpy, and against GNU `diff -u`."""
from __future__ import annotations

import re
import subprocess
import sys

import h5py
import numpy as np
import pytest

from conftest import ANALYSIS, config_path, wedge_bin

RUNS = 20_000
#: wedge's row labels of the key outcomes (its summary table)
LABELS = {"P(Sino-Russian split)": "split", "P(entrenched alliance)": "entrenched",
          "P(Russia pockets relief)": "russia_pivot", "P(NATO fracture)": "nato_fracture",
          "P(Europe autonomous)": "europe_autonomous", "P(military action vs NATO)": "military_action",
          "P(ceasefire in Ukraine)": "ceasefire", "P(policy switched in 2029)": "policy_switched",
          "alignment 2034 (mean)": "alignment_final", "NATO cohesion 2034 (mean)": "nato_cohesion_final",
          "Ukraine strength 2034 (mean)": "ukraine_strength_final", "hybrid attacks (mean)": "hybrid_attacks",
          "relief received (mean)": "relief_received", "US payoff (mean)": "us_payoff"}
RECEPTIVE = 'russia_receptiveness     = { dist = "beta", alpha = 5.0, beta = 2.0 }'


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, timeout=600, **kw)


def make_study(config, out, *extra):
    p = run([wedge_bin(), "run", str(config), "-n", str(RUNS), "--threads", "1", "-o", str(out), "-q",
             "--records", "all", *extra])
    assert p.returncode == 0, p.stderr
    return out


@pytest.fixture(scope="module")
def studies(tmp_path_factory):
    """The baseline and a copy with a more receptive Moscow (another prior, another seed), and a
    third config with several scattered edits (for the diff)."""
    d = tmp_path_factory.mktemp("compare")
    base = open(config_path(), encoding="utf-8").read()
    assert base.count("russia_receptiveness     = {") == 1
    receptive = re.sub(r"^russia_receptiveness .*$", RECEPTIVE, base, flags=re.M)
    (d / "receptive.toml").write_text(receptive, encoding="utf-8")
    edited = receptive.replace("# Reference: docs/configuration.md", "# (edited) Reference: docs/configuration.md")
    edited = re.sub(r"^path_bins = 200", "path_bins = 100", edited, flags=re.M)
    edited = edited.rstrip("\n") + "\n# one more line at the end\n"
    (d / "edited.toml").write_text(edited, encoding="utf-8")
    a = make_study(config_path(), d / "a.h5")
    b = make_study(d / "receptive.toml", d / "b.h5", "--seed", "7")
    c = make_study(d / "edited.toml", d / "c.h5", "--seed", "11")
    return a, b, c


def from_records(path):
    """strategy -> outcome -> (mean, standard error of the mean), straight from /records."""
    with h5py.File(path, "r") as f:
        g = f["records"]
        outs = g["outcomes"][()]
        strategies = [s.decode() if isinstance(s, bytes) else s for s in g["strategy"][()]]
        outcomes = [s.decode() if isinstance(s, bytes) else s for s in g["outcome"][()]]
    n = outs.shape[0]
    assert n == RUNS
    res = {}
    for k, s in enumerate(strategies):
        res[s] = {}
        for j, o in enumerate(outcomes):
            x = outs[:, k, j]
            res[s][o] = (x.mean(), x.std(ddof=1) / np.sqrt(n))
    return res


def parse_info(text):
    """strategy -> outcome -> (A, B, d, lo, hi) from `wedge info A B`."""
    out, current = {}, None
    num = r"([+-]?\d+\.\d+)"
    for line in text.splitlines():
        if re.fullmatch(r"[a-z_]+", line):
            current = out.setdefault(line, {})
            continue
        m = re.fullmatch(rf"  (.+?)\s+{num}\s+{num}\s+{num} \[{num}, {num}\]", line)
        if m and current is not None:
            current[LABELS[m.group(1)]] = tuple(float(x) for x in m.groups()[1:])
    return out


def expected(a, b, strategy, outcome):
    (ma, sa), (mb, sb) = a[strategy][outcome], b[strategy][outcome]
    d, half = mb - ma, 1.96 * np.hypot(sa, sb)
    return ma, mb, d, d - half, d + half


def test_info_differences_match_the_records(studies):
    a, b, _ = studies
    p = run([wedge_bin(), "info", str(a), str(b)])
    assert p.returncode == 0, p.stderr
    printed = parse_info(p.stdout)
    ra, rb = from_records(a), from_records(b)
    assert sorted(printed) == sorted(ra)
    for s, rows in printed.items():
        assert sorted(rows) == sorted(LABELS.values()), f"{s}: rows {sorted(rows)}"
        for o, got in rows.items():
            want = expected(ra, rb, s, o)
            # printed to 4 decimals
            assert np.allclose(got, want, atol=5.1e-5, rtol=0), f"{s} {o}: printed {got}, records give {want}"
    # the change is visible where the model says it should be: a more receptive Moscow splits more often
    assert printed["conciliation"]["split"][3] > 0.1
    assert "independent studies: difference +- 1.96 sqrt(se_A^2 + se_X^2)" in p.stdout
    assert "has A's seed" not in p.stdout


def gnu_diff(a, b):
    with h5py.File(a, "r") as fa, h5py.File(b, "r") as fb:
        ta, tb = fa.attrs["config"], fb.attrs["config"]
    ta, tb = (t.decode() if isinstance(t, bytes) else t for t in (ta, tb))
    pa, pb = str(a) + ".toml", str(b) + ".toml"
    open(pa, "w").write(ta)
    open(pb, "w").write(tb)
    out = run(["diff", "-u", pa, pb]).stdout
    return out.splitlines()[2:]  # without the two file-name lines


@pytest.mark.parametrize("which", [1, 2])
def test_info_config_diff_equals_diff_u(studies, which):
    a, other = studies[0], studies[which]
    p = run([wedge_bin(), "info", str(a), str(other)])
    assert p.returncode == 0, p.stderr
    tail = p.stdout.split("unified diff of the embedded configurations\n", 1)[1].splitlines()
    assert tail[0] == f"--- A: {a} (embedded configuration)"
    assert tail[1] == f"+++ B: {other} (embedded configuration)"
    want = gnu_diff(a, other)
    assert tail[2:] == want
    assert sum(line.startswith("@@") for line in want) == (1 if which == 1 else 4)


def test_info_three_studies_and_identical_config(studies, tmp_path):
    a, b, c = studies
    p = run([wedge_bin(), "info", str(a), str(b), str(c), str(a)])
    assert p.returncode == 0, p.stderr
    assert "B - A [95% interval]" in p.stdout and "D - A [95% interval]" in p.stdout
    assert "configuration of D against A: identical" in p.stdout
    assert "note: D has A's seed" in p.stdout


def test_info_strategies_that_differ(studies, tmp_path):
    a = studies[0]
    base = open(config_path(), encoding="utf-8").read()
    # conciliation renamed: compared on the two others, and the missing ones listed
    renamed = base.replace('name = "conciliation"', 'name = "appeasement"')
    (tmp_path / "renamed.toml").write_text(renamed)
    r = make_study(tmp_path / "renamed.toml", tmp_path / "r.h5")
    p = run([wedge_bin(), "info", str(a), str(r)])
    assert p.returncode == 0, p.stderr
    assert "not in every study, left out: A: conciliation" in p.stdout
    assert "not in every study, left out: B: appeasement" in p.stdout
    assert "\nconciliation\n" not in p.stdout and "\nengagement_with_deterrence\n" in p.stdout
    # nothing in common: refused, exit 2, nothing on stdout
    none = base
    for old in ("dual_containment", "conciliation", "engagement_with_deterrence"):
        none = none.replace(f'"{old}"', f'"x_{old}"')
    (tmp_path / "none.toml").write_text(none)
    n = make_study(tmp_path / "none.toml", tmp_path / "n.h5")
    p = run([wedge_bin(), "info", str(a), str(n)])
    assert p.returncode == 2 and p.stdout == ""
    assert "no strategy (by name) is in every study" in p.stderr and str(n) in p.stderr
    p = run([wedge_bin(), "info", str(a), str(n), "--paths"])
    assert p.returncode == 2 and "applies to one result file" in p.stderr


def test_python_compare_matches_the_records(studies):
    from wedge_analysis import open_results
    from wedge_analysis.compare import compare_studies, config_diff

    a, b, _ = studies
    df = compare_studies([open_results(a), open_results(b)])
    ra, rb = from_records(a), from_records(b)
    for (study, s, o), row in df.iterrows():
        assert study == "B"
        want = expected(ra, rb, s, o)
        got = (row["mean_a"], row["mean"], row["difference"], row["ci_low"], row["ci_high"])
        assert np.allclose(got, want, atol=1e-9, rtol=0), (s, o, got, want)
    assert config_diff(open_results(a), open_results(b)).splitlines()[2:] == gnu_diff(a, b)


def test_report_of_two_studies(studies, tmp_path):
    a, b, _ = studies
    out = tmp_path / "rep"
    p = run([sys.executable, str(ANALYSIS / "report.py"), str(a), str(b), "-o", str(out)])
    assert p.returncode == 0, p.stdout + p.stderr
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'src="study_comparison.png"' in index and (out / "study_comparison.png").stat().st_size > 1000
    ra, rb = from_records(a), from_records(b)
    _, _, d, lo, hi = expected(ra, rb, "conciliation", "split")
    assert f"{100 * d:+.1f} [{100 * lo:+.1f}, {100 * hi:+.1f}]" in index
    _, _, d, lo, hi = expected(ra, rb, "conciliation", "us_payoff")
    assert f"{d:+.3f} [{lo:+.3f}, {hi:+.3f}]" in index
    assert "-russia_receptiveness     = { dist = &quot;beta&quot;, alpha = 2.0, beta = 5.0 }" in index
    assert "sqrt(se_A² + se_B²)" in index
