"""Screen sessions: what a retrain costs through a real labeling session (issue 12, item 6).

Opens a real screen session (SQLite store on disk) on a generated collection
of ``--rows`` text rows (1 % relevant; the same generator as
``bench/screening.py``'s retrain timing: a 5,000-word Zipf vocabulary, 120
words a row) and, when the development data is there, on Kitchenham (1,704
rows). It plays the human with the known labels for ``--labels`` labels and
reports, for the keystrokes that retrain, the median and maximum time of
``session.label`` (the event synced, the model refitted on every row and the
pool rescored; no accuracy estimate runs in a screen session) and of the
whole keystroke (also ``session.current``: the stopping estimate, the next
row and why it was chosen). It also checks that the "retrain in N" counter
predicted every retrain.

    .venv/bin/python bench/screen_session.py [--rows 10000] [--labels 300]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from alearn.session.opening.classes import open_session

ROOT = Path(__file__).resolve().parents[1]
KITCHENHAM = ROOT.parent / "shared" / "moot" / "text_mining" / "Kitchenham.csv"
GOAL_MS = 200


def generated(rows: int, seed: int = 0) -> pd.DataFrame:
    """A generated text collection with 1 % relevant rows (``truth``); bench/screening.py
    times its retrains on it too."""
    rng = np.random.default_rng(seed)
    vocabulary = np.array([f"w{i}" for i in range(5000)])
    weights = 1.0 / np.arange(1, vocabulary.size + 1)
    weights /= weights.sum()
    relevant = rng.random(rows) < 0.01
    docs = [" ".join(rng.choice(vocabulary, size=120, p=weights))
            + (" topic alpha" if hit else "") for hit in relevant]
    return pd.DataFrame({"title": [d[:60] for d in docs], "abstract": docs,
                         "truth": np.where(relevant, "yes", "no")})


def task_folder(folder: Path, frame: pd.DataFrame, text: list[str], extra: str = "") -> Path:
    """A screen task over ``frame`` whose target holds one relevant and one other row."""
    truth = frame["truth"].to_numpy()
    decision = np.full(len(frame), None, dtype=object)
    for value in ("yes", "no"):
        first = int(np.flatnonzero(truth == value)[0])
        decision[first] = value
    frame = frame.assign(decision=decision)
    folder.mkdir(parents=True, exist_ok=True)
    frame.to_csv(folder / "d.csv", index=False)
    columns = ", ".join(f'"{c}"' for c in text)
    (folder / "task.toml").write_text(
        f'name = "bench"\ndata = "d.csv"\nkind = "screen"\npositive = "yes"\n'
        f'target = "decision"\ntext = [{columns}]\n{extra}'
        'features = { exclude = ["truth"] }\n', encoding="utf-8")
    return folder


def play(folder: Path, store: Path, labels: int) -> dict[str, object]:
    """Label ``labels`` rows with the truth; time the keystrokes that retrain."""
    started = time.perf_counter()
    with threadpool_limits(1), open_session(folder, store=store, annotator="bench") as session:
        opened = time.perf_counter() - started
        truth = pd.read_csv(folder / "d.csv")["truth"].to_numpy()
        position = {str(i): k for k, i in enumerate(session.ids)}
        label_ms, key_ms, wrong = [], [], 0
        view = session.current()
        for _ in range(labels):
            if view.done:
                break
            counter = view.progress
            t0 = time.perf_counter()
            step = session.label(str(truth[position[str(view.row_id)]]))
            t1 = time.perf_counter()
            view = session.current()
            t2 = time.perf_counter()
            if counter.model_waits is None:
                wrong += step.retrained != (counter.until_retrain == 1)
            if step.retrained:
                label_ms.append(1000 * (t1 - t0))
                key_ms.append(1000 * (t2 - t0))
        return {"rows": len(session.ids), "columns": int(session.X.shape[1]), "open_s": opened,
                "retrains": len(label_ms), "label_ms": label_ms, "key_ms": key_ms,
                "counter_wrong": wrong, "advice": view.advice}


def show(name: str, result: dict[str, object]) -> None:
    label_ms, key_ms = result["label_ms"], result["key_ms"]
    print(f"{name}: {result['rows']:,} rows x {result['columns']:,} feature columns, "
          f"opened in {result['open_s']:.1f} s, {result['retrains']} retrains")
    if label_ms:
        print(f"  retrain keystroke (label: sync, refit, rescore): median "
              f"{statistics.median(label_ms):6.1f} ms, max {max(label_ms):6.1f} ms"
              f"  (goal <= {GOAL_MS} ms)")
        print(f"  whole keystroke (+ stopping estimate, next row):   median "
              f"{statistics.median(key_ms):6.1f} ms, max {max(key_ms):6.1f} ms")
    print(f"  'retrain in N' wrong on {result['counter_wrong']} keystrokes; last advice: "
          f"{result['advice']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--labels", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = task_folder(Path(tmp) / "gen", generated(args.rows), ["title", "abstract"])
        show("generated", play(folder, Path(tmp) / "gen.db", args.labels))
        if KITCHENHAM.is_file():
            frame = pd.read_csv(KITCHENHAM)
            frame = frame.assign(truth=frame["label"])[["document_title", "abstract", "truth"]]
            folder = task_folder(Path(tmp) / "k", frame, ["document_title", "abstract"],
                                 "text_weights = { document_title = 3 }\n")
            show("Kitchenham", play(folder, Path(tmp) / "k.db", args.labels))
        else:
            print(f"Kitchenham skipped: {KITCHENHAM} not found")


if __name__ == "__main__":
    main()
