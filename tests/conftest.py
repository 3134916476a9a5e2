"""Shared fixtures: small data files and a way to run the CLI in-process."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

# Tests run with one BLAS thread: faster on small data and no oversubscription.
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

SHARED = Path(__file__).resolve().parents[2] / "shared" / "moot"


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run ``alearn`` in-process: ``cli("run", "tasks/iris")``."""
    from alearn.cli import main

    def invoke(*args: str) -> CliResult:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return CliResult(code=code, out=captured.out, err=captured.err)

    return invoke


def blobs_frame(n: int = 120, seed: int = 0, classes: int = 2) -> pd.DataFrame:
    """A small, learnable table in MOOT style: numeric, symbolic, missing values, a class."""
    rng = np.random.default_rng(seed)
    y = rng.integers(classes, size=n)
    return pd.DataFrame({
        "Size": rng.normal(size=n) + 2.0 * y,
        "Weight": rng.normal(size=n) - y,
        "colour": np.where(rng.random(n) < 0.8, np.array(["red", "blue", "green"])[y % 3],
                           "grey"),
        "class!": np.array(["no", "yes", "maybe"])[y],
    })


@pytest.fixture
def blobs_csv(tmp_path: Path) -> Path:
    """A MOOT-style CSV with a `?` missing value."""
    frame = blobs_frame()
    frame = frame.astype(object)
    frame.loc[3, "Size"] = "?"
    path = tmp_path / "blobs.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.fixture
def task_dir(tmp_path: Path, blobs_csv: Path) -> Callable[..., Path]:
    """Make a task folder around the blobs data: ``task_dir(seeds=2, budgets=[4, 8])``."""

    def make(name: str = "blobs", **keys: object) -> Path:
        folder = tmp_path / "tasks" / name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "data.csv").write_bytes(blobs_csv.read_bytes())
        lines = [f'name = "{name}"', 'data = "data.csv"']
        for key, value in keys.items():
            lines.append(f"{key} = {toml_value(value)}")
        (folder / "task.toml").write_text("\n".join(lines) + "\n")
        return folder

    return make


def toml_value(value: object) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return str(value)
