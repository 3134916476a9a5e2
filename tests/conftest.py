"""Shared fixtures: small data files and a way to run the CLI in-process."""

from __future__ import annotations

import io
import os
import sys
import warnings
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
def cli(capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> Callable[..., CliResult]:
    """Run ``alearn`` in-process: ``cli("run", "tasks/iris")``; the exit code is what
    ``main`` returns, which ``python -m alearn.cli`` exits with.

    ``cwd`` runs it from that folder (relative paths and defaults such as ``./<task>.labels.db``
    resolve there) and ``stdin`` is the text it reads as its standard input. What ``main``
    changes for its process (warning filters, ``PYTHONWARNINGS``) is put back afterwards,
    so one call cannot quiet or change the next test.
    """
    from alearn.cli import main

    def invoke(*args: object, cwd: Path | None = None, stdin: str | None = None) -> CliResult:
        with monkeypatch.context() as patch, warnings.catch_warnings():
            if cwd is not None:
                patch.chdir(cwd)
            if stdin is not None:
                patch.setattr(sys, "stdin", io.StringIO(stdin))
            # main sets PYTHONWARNINGS for its worker processes: put back what was there.
            before = os.environ.get("PYTHONWARNINGS")
            try:
                code = main([str(a) for a in args])
            finally:
                if before is None:
                    os.environ.pop("PYTHONWARNINGS", None)
                else:
                    os.environ["PYTHONWARNINGS"] = before
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


def team_pool(folder: Path) -> Path:
    """``folder/pool.csv`` for annotators' stores: 60 rows with ids ``i00``.., the true
    class in ``truth`` (hidden from the screen by the tests) and an empty ``label``."""
    frame = blobs_frame(n=60, classes=2)
    frame.insert(0, "item", [f"i{k:02d}" for k in range(len(frame))])
    frame["truth"] = frame.pop("class!")
    frame["label"] = None
    path = folder / "pool.csv"
    frame.to_csv(path, index=False)
    return path


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
