"""Fixtures: small result files made by the real wedge binary.

The binary is $WEDGE_BIN (default build/release/wedge of this checkout); the configuration is $WEDGE_CONFIG (default configs/baseline.toml). Tests fail,
never skip, when the binary is missing.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ANALYSIS = Path(__file__).resolve().parents[1]
REPO = ANALYSIS.parent
sys.path.insert(0, str(ANALYSIS))

DEFAULT_BIN = str(REPO / "build" / "release" / "wedge")
RUNS = 20_000        # per study; keep <= 20000
SMALL_RUNS = 2_000


def wedge_bin() -> str:
    path = os.environ.get("WEDGE_BIN", DEFAULT_BIN)
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        pytest.fail(f"wedge binary not found or not executable: {path!r}. Build it "
                    f"(cmake --preset release && cmake --build --preset release) or set WEDGE_BIN "
                    f"to the path of a built 'wedge'.", pytrace=False)
    return path


def config_path() -> str:
    path = os.environ.get("WEDGE_CONFIG", str(REPO / "configs" / "baseline.toml"))
    if not os.path.isfile(path):
        pytest.fail(f"configuration not found: {path!r} (set WEDGE_CONFIG)", pytrace=False)
    return path


def run_wedge(out: Path, runs: int, records: str, config: str | None = None) -> Path:
    cmd = [wedge_bin(), "run", config or config_path(), "-n", str(runs), "--threads", "1", "-o", str(out), "-q",
           "--records", records]
    env = dict(os.environ, OMP_NUM_THREADS="1")
    p = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    if p.returncode != 0 or not out.exists():
        pytest.fail(f"'{' '.join(cmd)}' failed (exit {p.returncode}):\n{p.stdout}\n{p.stderr}", pytrace=False)
    return out


@pytest.fixture(scope="session")
def wedge() -> str:
    return wedge_bin()


@pytest.fixture(scope="session")
def records_file(tmp_path_factory) -> Path:
    """A study of RUNS runs with per-run records."""
    return run_wedge(tmp_path_factory.mktemp("wedge") / "records.h5", RUNS, "all")


#: the outcomes the compact fixture records, in this order
COMPACT_OUTCOMES = ["us_payoff", "split"]


@pytest.fixture(scope="session")
def compact_file(tmp_path_factory) -> Path:
    """The study of records_file with compact records of COMPACT_OUTCOMES."""
    d = tmp_path_factory.mktemp("wedge")
    text = Path(config_path()).read_text()
    named = ", ".join(f'"{o}"' for o in COMPACT_OUTCOMES)
    text = re.sub(r'(?m)^records = .*$', f'records = "compact"\nrecord_outcomes = [{named}]', text, count=1)
    (d / "compact.toml").write_text(text)
    return run_wedge(d / "compact.h5", RUNS, "compact", str(d / "compact.toml"))


@pytest.fixture(scope="session")
def plain_file(tmp_path_factory) -> Path:
    """A small study without records."""
    return run_wedge(tmp_path_factory.mktemp("wedge") / "plain.h5", SMALL_RUNS, "none")
