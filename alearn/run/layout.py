"""Where a run's output folder keeps its results: file names, and finding them.

Light on purpose (no pandas): `alearn report` on a folder without results
answers at once.
"""

from __future__ import annotations

from pathlib import Path

from alearn.errors import DataError

RESULTS_FILE = "results.csv"
SUMMARY_FILE = "summary.json"


def results_file(out: Path) -> Path:
    """The results file of the run written to ``out`` (a folder, or the file itself).

    Raises
    ------
    DataError
        There is none.
    """
    path = Path(out) / RESULTS_FILE if Path(out).is_dir() else Path(out)
    if not path.is_file():
        raise DataError(f"{path}: no results file; run `alearn run ... --out {out}` first")
    return path
