"""Run-test fixtures: a small study of real MOOT files (and one shaped like MOOT's
credit.g.csv), with a broken task among them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

SHARED = Path(__file__).resolve().parents[3] / "shared" / "moot"

# The header of MOOT's classify/credit.g.csv: PROPERTY_MAGNITUDE is upper-case
# (numeric by the convention) but holds words such as "real estate".
CREDIT_G = {
    "checking_status": ["<0", "0<=X<200", "no checking", ">=200"],
    "DURATION": [6, 12, 24, 36, 48],
    "credit_history": ["existing paid", "critical/other existing credit", "delayed previously"],
    "CREDIT_AMOUNT": [1169, 5951, 2096, 7882, 4870],
    "PROPERTY_MAGNITUDE": ["real estate", "car", "life insurance", "no known property"],
    "AGE": [22, 35, 49, 67],
    "housing": ["own", "rent", "for free"],
}
MOOT_FILES = ("iris.csv", "bridges.version1.csv", "glass.csv")
SETTINGS = 'seeds = 2\nbudgets = [4, 8]\nstrategies = ["margin"]\n'


def credit_g(path: Path, rows: int = 120) -> Path:
    """Write a credit.g-shaped CSV whose class depends on DURATION and checking_status."""
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({c: rng.choice(np.array(v, dtype=object), rows)
                          for c, v in CREDIT_G.items()})
    good = (frame["DURATION"] < 30) ^ (frame["checking_status"] == "<0")
    frame["class!"] = np.where(good, "good", "bad")
    frame.to_csv(path, index=False)
    return path


def study(root: Path, broken: bool = True) -> Path:
    """A folder of task folders over MOOT files, the credit.g-shaped one, and (with
    ``broken``) one folder whose task.toml has an unknown model."""
    tasks = root / "tasks"
    for name in MOOT_FILES:
        folder = tasks / name.removesuffix(".csv").replace(".", "_")
        folder.mkdir(parents=True)
        (folder / "task.toml").write_text(f'data = "{SHARED / "classify" / name}"\n{SETTINGS}')
    folder = tasks / "credit_g"
    folder.mkdir()
    credit_g(folder / "credit.g.csv")
    (folder / "task.toml").write_text(f'data = "credit.g.csv"\n{SETTINGS}')
    if broken:
        folder = tasks / "broken"
        folder.mkdir()
        (folder / "task.toml").write_text(f'data = "{SHARED / "classify" / "iris.csv"}"\n'
                                          f'model = "forest"\n{SETTINGS}')
    return tasks


@pytest.fixture
def moot_study(tmp_path: Path):
    """``moot_study(broken=True)`` makes the study folder under tmp_path and returns it."""
    if not (SHARED / "classify").is_dir():
        pytest.skip(f"{SHARED} is not here")
    return lambda broken=True: study(tmp_path, broken)
