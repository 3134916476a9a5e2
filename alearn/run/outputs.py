"""Writing and reading run results: atomic files, byte-identical for the same run."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from alearn.errors import DataError
from alearn.files import write_all_atomic
from alearn.kinds import KINDS
from alearn.run.runner import RESULT_COLUMNS, RunResult

RESULTS_FILE = "results.csv"
SUMMARY_FILE = "summary.json"


def summary_document(result: RunResult) -> dict:
    """The JSON summary: settings, notices and each kind's summary under its key."""
    document = {
        "tasks": [{"name": t.name, "data": t.data, "model": t.model, "seeds": t.seeds,
                   "strategies": list(t.strategies), "budgets": list(t.budgets),
                   "start": t.start, "start_size": t.start_size, "batch": t.batch,
                   "test_size": t.test_size} for t in result.tasks],
        "budgets": result.budgets,
        "notices": result.notices,
    }
    for kind in KINDS.values():
        document[kind.summary_key] = kind.summary_document(result.results, result.budgets)
    return document


def write_run(result: RunResult, out: Path) -> list[Path]:
    """Write ``results.csv`` and ``summary.json`` into ``out``.

    Everything is computed before the first file is written, and each file is
    replaced atomically.

    Returns
    -------
    list of Path
        The files written.
    """
    document = json.dumps(summary_document(result), indent=2, sort_keys=True) + "\n"
    csv = result.results.to_csv(index=False, lineterminator="\n")
    written = [out / RESULTS_FILE, out / SUMMARY_FILE]
    # Both files or neither: a summary never describes other results.
    write_all_atomic({written[0]: lambda tmp: tmp.write_text(csv, encoding="utf-8"),
                      written[1]: lambda tmp: tmp.write_text(document, encoding="utf-8")})
    return written


def read_budgets(out: Path) -> list[int] | None:
    """The budgets a finished run reported (from ``summary.json``), if recorded."""
    path = Path(out) / SUMMARY_FILE
    try:
        budgets = json.loads(path.read_text(encoding="utf-8")).get("budgets")
    except (OSError, ValueError, AttributeError):
        return None
    return [int(b) for b in budgets] if isinstance(budgets, list) and budgets else None


def read_results(out: Path) -> pd.DataFrame:
    """Read the tidy results of a finished run from its output folder.

    Raises
    ------
    DataError
        The folder holds no results file or it has the wrong columns.
    """
    path = Path(out) / RESULTS_FILE if Path(out).is_dir() else Path(out)
    if not path.is_file():
        raise DataError(f"{path}: no results file; run `alearn run ... --out {out}` first")
    try:
        frame = pd.read_csv(path)
    except (ValueError, OSError) as exc:
        raise DataError(f"{path}: cannot read results ({exc})") from None
    if list(frame.columns) != RESULT_COLUMNS:
        raise DataError(f"{path}: expected columns {', '.join(RESULT_COLUMNS)}, "
                        f"found {', '.join(map(str, frame.columns))}")
    return frame
