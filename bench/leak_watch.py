"""How often the session's leak question (alearn.estimates.leaks) is raised, and when.

Drives real labeling sessions (the library's ClassSession, default settings) with
the true labels as the person, up to --labels labels, on:

* every classify task of ../shared/moot/classify and the bundled tasks/: none of
  them has a leaking column, so any question raised there is a false alarm;
* the same tasks with a copy of the class column under another name and other
  values (``closed_as``): the question should come early;
* Kitchenham (../shared/moot/text_mining) as a screen task with its ``abs`` column
  (an earlier screening decision) left in: the question should name ``abs``.

Prints, per task, the labels at which a question was first raised and the column
it named. Usage: python bench/leak_watch.py [--labels 64] [--tasks a,b]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from alearn.session.opening.classes import open_session

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "moot"


def drive(data: Path, truth: np.ndarray, target: str, labels: int, store: Path,
          **options: object) -> tuple[int | None, str]:
    """Label with the truth until a leak question appears or ``labels`` are in."""
    with open_session(data, target=target, store=store, annotator="bench",
                      **options) as session:
        position = {str(i): k for k, i in enumerate(session.ids)}
        for _ in range(labels):
            view = session.current()
            if view.done:
                break
            if view.leak:
                return session.n_labeled, view.leak.rsplit("--exclude ", 1)[1]
            session.label(str(truth[position[str(view.row_id)]]))
        view = session.current()
        if view.leak:
            return session.n_labeled, view.leak.rsplit("--exclude ", 1)[1]
    return None, ""


def classify_cases(names: set[str] | None) -> list[tuple[str, pd.DataFrame, str]]:
    cases = []
    files = sorted((SHARED / "classify").glob("*.csv"))
    for path in files:
        if names and path.stem not in names:
            continue
        try:
            frame = pd.read_csv(path, dtype=str, na_values=["?"])
        except Exception as exc:
            print(f"skipped {path.name}: {exc}", file=sys.stderr)
            continue
        target = next((c for c in frame.columns if c.strip().endswith("!")), None)
        if target is None or frame.columns.duplicated().any():
            print(f"skipped {path.name}: no class column, or repeated column names",
                  file=sys.stderr)
            continue
        cases.append((path.stem, frame, target))
    from sklearn import datasets

    for name in ("iris", "wine", "breast_cancer"):
        if names and name not in names:
            continue
        bunch = getattr(datasets, f"load_{name}")(as_frame=True)
        frame = bunch.frame.astype({"target": str})
        frame["target"] = np.asarray(bunch.target_names)[bunch.target.to_numpy()]
        cases.append((f"sklearn-{name}", frame, "target"))
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=int, default=64)
    parser.add_argument("--tasks", default=None, help="comma-separated task names")
    args = parser.parse_args()
    names = set(args.tasks.split(",")) if args.tasks else None
    rows = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, frame, target in classify_cases(names):
            # Class names as a person would type them ("1" is a key, not a name).
            truth = np.array([f"c{t}" for t in frame[target]], dtype=object)
            for variant in ("as is", "copied class"):
                work = frame.copy()
                work[target] = None
                if variant == "copied class":
                    codes = {c: f"v{k}" for k, c in enumerate(sorted(set(map(str, truth))))}
                    work["closed_as"] = [codes[str(t)] for t in truth]
                data = folder / f"{name}-{variant.replace(' ', '_')}.csv"
                work.to_csv(data, index=False)
                store = folder / f"{data.stem}.db"
                at, column = drive(data, truth, target, args.labels, store)
                rows.append((name, variant, at, column))
                print(f"{name:24s} {variant:13s} "
                      f"{'-' if at is None else at:>4} {column}", flush=True)
        kitchen = SHARED / "text_mining" / "Kitchenham.csv"
        if kitchen.is_file() and (names is None or "kitchenham" in names):
            frame = pd.read_csv(kitchen)
            truth = frame["label"].to_numpy(dtype=object)
            work = frame.drop(columns=["link", "authors", "source"]).assign(label=None)
            task = folder / "kitchenham"
            task.mkdir()
            work.to_csv(task / "data.csv", index=False)
            (task / "task.toml").write_text(
                'name = "kitchenham"\ndata = "data.csv"\nkind = "screen"\ntarget = "label"\n'
                'positive = "yes"\ntext = ["document_title", "abstract"]\n')
            at, column = drive(task, truth, "label", max(args.labels, 200),
                               folder / "k.db")
            rows.append(("kitchenham", "abs kept", at, column))
            print(f"{'kitchenham':24s} {'abs kept':13s} {'-' if at is None else at:>4} "
                  f"{column}", flush=True)
    plain = [r for r in rows if r[1] == "as is"]
    copied = [r for r in rows if r[1] == "copied class"]
    false = [r for r in plain if r[2] is not None]
    found = [r for r in copied if r[3] == "closed_as"]
    print(f"\nfalse alarms (a question on a task without a leak, within {args.labels} "
          f"labels): {len(false)} of {len(plain)} tasks"
          + (f" ({', '.join(f'{r[0]}: {r[3]} at {r[2]}' for r in false)})" if false else ""))
    if copied:
        at = [r[2] for r in found]
        print(f"copied class column named: {len(found)} of {len(copied)} tasks"
              + (f", at {np.median(at):.0f} labels (median), {max(at)} at most" if at else ""))
    print(f"wall {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
