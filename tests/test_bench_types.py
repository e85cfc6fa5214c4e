"""The benchmark and build scripts (tests/bench: `make judge`, `make cities`, `make eval`...)
type-check as bot/ does, under `make test` too: when this was written `make lint` ran mypy on
bot/ only, and a script calling a function whose signature changed failed only when someone
rebuilt a model (fit_cross_floor.py still called the cross-encoder step without the Copies
reader it takes since 3eaa064)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_the_bench_scripts_type_check() -> None:
    pytest.importorskip("mypy")
    done = subprocess.run([sys.executable, "-m", "mypy", "tests/bench"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-1000:]
