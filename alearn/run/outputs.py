"""Writing and reading run results: atomic files, byte-identical for the same run."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from alearn.counting import counted
from alearn.errors import DataError
from alearn.files import write_all_atomic
from alearn.kinds import KINDS
from alearn.run.layout import RESULTS_FILE, SUMMARY_FILE, results_file
from alearn.run.runner import RESULT_COLUMNS, Failure, RunResult


def summary_document(result: RunResult) -> dict:
    """The JSON summary: settings, notices and each kind's summary under its key."""
    document = {
        "tasks": [{"name": t.name, "data": t.data, "model": t.model, "seeds": t.seeds,
                   "strategies": list(t.strategies), "budgets": list(t.budgets),
                   "start": t.start, "start_size": t.start_size, "batch": t.batch,
                   "test_size": t.test_size,
                   # Only when set: the summaries of other tasks keep their bytes.
                   **({"parallel": t.parallel} if t.parallel != 1 else {})}
                  for t in result.tasks],
        "budgets": result.budgets,
        "notices": result.notices,
    }
    if result.failed:
        # Only when something failed: a clean run's summary keeps its bytes.
        document["failed"] = [{"task": f.task, "path": f.path, "message": f.message}
                              for f in result.failed]
    for kind in KINDS.values():
        document[kind.summary_key] = kind.summary_document(result.results, result.task_budgets)
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


def read_task_budgets(out: Path) -> dict[str, tuple[int, ...]] | None:
    """Each task's budgets by name, as a finished run recorded them in ``summary.json``
    (``None`` when it holds none)."""
    tasks = _summary(out).get("tasks") if Path(out).is_dir() else None
    if not isinstance(tasks, list):
        return None
    found = {}
    for task in tasks:
        budgets = task.get("budgets") if isinstance(task, dict) else None
        if isinstance(budgets, list) and all(isinstance(b, int) for b in budgets):
            found[str(task.get("name"))] = tuple(budgets)
    return found or None


def _summary(out: Path) -> dict:
    try:
        document = json.loads((Path(out) / SUMMARY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return document if isinstance(document, dict) else {}


def read_failed(out: Path) -> list[Failure]:
    """The tasks a finished run could not run (its ``summary.json`` ``failed`` list)."""
    failed = _summary(out).get("failed") if Path(out).is_dir() else None
    if not isinstance(failed, list):
        return []
    return [Failure(str(f.get("task", "?")), str(f.get("path", "?")), str(f.get("message", "")))
            for f in failed if isinstance(f, dict)]


def study_tasks(out: Path) -> set[str] | None:
    """Names of the tasks (run or failed) whose results ``out`` holds; ``None`` when it
    holds no finished run."""
    if not (Path(out) / RESULTS_FILE).is_file():
        return None
    document = _summary(out)
    if not isinstance(document.get("tasks"), list):
        return None
    names = [t.get("name") for t in document.get("tasks", []) if isinstance(t, dict)]
    names += [f.task for f in read_failed(out)]
    return {str(n) for n in names}


def read_results(out: Path) -> pd.DataFrame:
    """Read the tidy results of a finished run from its output folder.

    Raises
    ------
    DataError
        The folder holds no results file, it has the wrong columns, or it is
        incomplete (cut off, empty cells, a seed or strategy missing).
    """
    path = results_file(out)
    try:
        with path.open("rb") as fh:
            fh.seek(0, 2)
            size = fh.tell()
            fh.seek(max(size - 1, 0))
            ends_whole = fh.read(1) == b"\n"
        frame = pd.read_csv(path)
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DataError(f"{path}: cannot read results ({first})") from None
    if list(frame.columns) != RESULT_COLUMNS:
        raise DataError(f"{path}: expected columns {', '.join(RESULT_COLUMNS)}, "
                        f"found {', '.join(map(str, frame.columns))}")
    problem = _incomplete(frame, ends_whole, _expected_tasks(path.parent / SUMMARY_FILE))
    if problem:
        raise DataError(f"{path}: the results are incomplete ({problem}); run `alearn run` "
                        "again to rewrite them")
    return frame


def _expected_tasks(summary: Path) -> dict[str, dict]:
    """Task name -> its seeds and strategies, from the run's ``summary.json`` (if any)."""
    try:
        tasks = json.loads(summary.read_text(encoding="utf-8")).get("tasks") or []
        return {str(t["name"]): t for t in tasks if isinstance(t, dict)}
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        return {}


def _incomplete(frame: pd.DataFrame, ends_whole: bool, expected: dict[str, dict]) -> str | None:
    """What is wrong with a results table a run would not have written, or ``None``."""
    if frame.empty:
        return "no result rows"
    if not ends_whole:
        return "the last line is cut off"
    empty = frame.isna().any(axis=1)
    if empty.any():
        return f"row {int(empty.to_numpy().argmax()) + 2} has empty cells"
    for column in ("seed", "budget", "value"):
        if not pd.api.types.is_numeric_dtype(frame[column]):
            return f"column {column!r} holds text"
    for task, rows in frame.groupby("task", sort=False):
        # Every strategy of a task is run on every seed.
        seeds = rows.groupby("strategy")["seed"].apply(frozenset)
        if seeds.nunique() > 1:
            short = seeds[seeds.map(len) < max(map(len, seeds))].index[0]
            return f"task {task!r}: strategy {short!r} lacks seeds the others have"
        want = expected.get(str(task))
        if want is None:
            continue
        have = set(rows["seed"])
        if have != set(range(int(want.get("seeds", len(have))))):
            return f"task {task!r}: {len(have)} of {counted(want.get('seeds'), 'seed')}"
        missing = [s for s in want.get("strategies") or [] if s not in set(rows["strategy"])]
        if missing:
            return f"task {task!r}: no rows for strategy {missing[0]!r}"
    if expected and (gone := [t for t in expected if t not in set(frame["task"])]):
        return f"no rows for task {gone[0]!r}"
    return None
