"""Screening benchmark (issue 13): every development collection, side by side with ASReview.

Runs each task folder in bench/tasks whose kind is screen (Kitchenham: 1,704
papers with title and abstract; Radjenovic: 6,025 papers as 50 term counts)
over 20 seeds. Start: 1 random relevant + 1 random irrelevant row per seed
(the priors, counted as screened); random order runs on the same seeds and
priors. With ``--query``, no priors: each collection starts from its review's
research question (bench/queries.py, the ``query`` task key). Prints, per
collection and overall: labels to 95 % recall (mean ± sd, worst seed), recall
after 100/200 labels, WSS@95, where the stopping advice fired (labels, recall,
share of seeds stopped before the target, labels over the labels truly
needed), wall time per run and per retrain, and the retrain time on a
generated 10,000-row set early, midway and late in a screen (303, 1,530 and
4,080 labels). With an ASReview LAB environment (``--asreview PATH`` or
``asreview`` on PATH) it also runs ``asreview simulate`` with its default
model on every text collection, on the first ``--asreview-seeds`` seeds
(default: alearn's ``--seeds``) with the same priors, after alearn's runs.

    .venv/bin/python bench/screening.py                      # 20 seeds, 2 processes
    .venv/bin/python bench/screening.py --asreview /work/bench-venv/bin/asreview
    .venv/bin/python bench/screening.py --tasks kitchenham --seeds 5 --set lsa=0
    .venv/bin/python bench/screening.py --query --no-retrain   # from the research questions
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import time
import tomllib
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from queries import QUERIES  # beside this script

from alearn.engine.strategies import STRATEGIES
from alearn.kinds.screen import simulate as screening
from alearn.spec import TaskSpec
from alearn.tasks import load_task, make_task, revise

TASKS = Path(__file__).resolve().parent / "tasks"
GOAL_STOP_SAFE = 0.95  # share of seeds whose advice fires at or past the target
GOAL_STOP_COST = 1.3  # labels at the advice over the labels truly needed
GOAL_KITCHENHAM = 340
# With the research question (--query) and no labeled priors (issue 25).
GOAL_KITCHENHAM_QUERY = 330
GOAL_KITCHENHAM_QUERY_R100 = 0.60
GOAL_WSS = 0.75
GOAL_RETRAIN_MS = 100


def screen_tasks(names: list[str] | None) -> list[Path]:
    """The screen task folders under bench/tasks (all, or those named)."""
    folders = []
    for folder in sorted(p for p in TASKS.iterdir() if (p / "task.toml").is_file()):
        kind = tomllib.loads((folder / "task.toml").read_text(encoding="utf-8")).get("kind")
        if kind == "screen" and (not names or folder.name in names):
            folders.append(folder)
    return folders


def one_run(task: screening.ScreenTask, strategy: str, seed: int) -> dict[str, object]:
    """Screen one seed with one strategy; metrics and timings."""
    fits: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        fits.append(now - last[0])
        last[0] = now

    t0 = time.perf_counter()
    last[0] = t0
    order, _ = screening.screen_order(task, strategy, seed, on_fit=tick)
    wall = time.perf_counter() - t0
    m = screening.order_metrics(task.relevant[order], task.labels.size, task.spec.budgets,
                                task.spec.recall_target, STRATEGIES[strategy].stopping)
    # Time between retrains includes suggesting the next rows; the fit dominates.
    return {"strategy": strategy, "seed": seed, "r@100": m["recall"][100],  # type: ignore[index]
            "r@200": m["recall"][200],  # type: ignore[index]
            **{k: m[k] for k in screening.PER_RUN}, "run_s": wall, "fits": len(fits),
            "ms_fit": 1000 * float(np.mean(fits)) if fits else 0.0}


def with_overrides(spec: TaskSpec, sets: list[str], strategies: list[str] | None,
                   seeds: int) -> TaskSpec:
    """The task with ``--set`` keys, ``--strategy`` and ``--seeds`` applied."""
    spec = revise(spec, seeds=seeds, budgets=(100, 200))
    if sets:
        raw = tomllib.loads("\n".join(sets))
        if "text_weights" in raw:
            raw["text_weights"] = tuple(raw["text_weights"].items())
        spec = revise(spec, **raw)
    if strategies:
        spec = revise(spec, strategies=tuple(strategies))
    return spec


def print_block(name: str, block: pd.DataFrame) -> None:
    """One strategy's lines for one collection."""
    fired = block["stop_at"] < block["rows"]
    print(f"  {name}")
    print(f"    labels to 95 %: {block['n95'].mean():.1f} ± {block['n95'].std(ddof=1):.1f} "
          f"(worst seed {block['n95'].max()})   recall after 100 / 200: "
          f"{block['r@100'].mean():.3f} / {block['r@200'].mean():.3f}   "
          f"WSS@95: {block['wss95'].mean():.3f}")
    print(f"    stopping advice: at {block['stop_at'].mean():.0f} labels, recall "
          f"{block['stop_recall'].mean():.3f} (min {block['stop_recall'].min():.3f}); "
          f"before the target on {int((block['stop_at'] < block['n_target']).sum())} of "
          f"{len(block)} seeds; labels / needed {block['stop_ratio'].mean():.2f} "
          f"(max {block['stop_ratio'].max():.2f}); fired before the last row on "
          f"{int(fired.sum())} seeds")
    print(f"    wall time per run {block['run_s'].mean():.2f} s (max {block['run_s'].max():.2f});"
          f" {block['fits'].mean():.0f} retrains per run, {block['ms_fit'].mean():.0f} ms each")


def generated_task(rows: int = 10_000, seed: int = 0) -> screening.ScreenTask:
    """A generated ``rows``-row text collection (1 % relevant), prepared with the
    screen recipe (``screen_session.generated``; its file is removed afterwards)."""
    from screen_session import generated  # beside this script

    frame = generated(rows, seed).rename(columns={"truth": "label"})
    folder = Path(os.environ.get("TMPDIR", "/tmp")) / f"alearn-bench-{os.getpid()}"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        frame.to_csv(folder / "d.csv", index=False)
        spec = make_task(name="generated", data=str(folder / "d.csv"), kind="screen",
                        target="label", positive="yes", text=("title", "abstract"))
        return screening.prepare(spec)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# Labels when the retrain is timed (relevant, irrelevant): early, midway and late in
# a screen of 10,000 rows (a screen of Kitchenham's shape stops near 40 %).
RETRAIN_AT = ((3, 300), (30, 1500), (80, 4000))


def retrain_ms(rows: int = 10_000, seed: int = 0) -> tuple[list[tuple[int, float, float]], int]:
    """Mean and max of 10 retrains on :func:`generated_task` (the screen recipe) at each
    of :data:`RETRAIN_AT`'s label counts, and the number of feature columns."""
    from threadpoolctl import threadpool_limits

    from alearn.engine.learner import Learner

    task = generated_task(rows, seed)
    out = []
    with threadpool_limits(1):
        for relevant, irrelevant in RETRAIN_AT:
            learner = Learner(task.X, model=task.spec.model, strategy="certainty",
                              start="random", start_size=0, seed=seed, text=True,
                              positive="yes")
            picks = [*np.flatnonzero(task.relevant)[:relevant],
                     *np.flatnonzero(~task.relevant)[:irrelevant]]
            learner.teach(picks, list(task.labels[picks]))
            times = []
            for _ in range(10):
                t0 = time.perf_counter()
                learner.fit()
                times.append(1000 * (time.perf_counter() - t0))
            out.append((len(picks), float(np.mean(times)), float(np.max(times))))
    return out, int(task.X.shape[1])


def find_asreview(given: str | None) -> str | None:
    """The ``asreview`` command: the one given, else the one on PATH, else ``None``."""
    if given:
        return given if Path(given).is_file() else shutil.which(given)
    return shutil.which("asreview")


def asreview_labels(project: Path) -> np.ndarray:
    """Labels (1 relevant, 0 not) of an ``asreview simulate`` project in screening order,
    the priors first (its ``results`` table holds one row per label, in order)."""
    import sqlite3
    import zipfile

    with zipfile.ZipFile(project) as archive:
        name = next(n for n in archive.namelist() if n.endswith("results.db"))
        db = project.with_suffix(".db")
        db.write_bytes(archive.read(name))
    with sqlite3.connect(db) as con:
        labels = [int(r[0]) for r in con.execute("SELECT label FROM results ORDER BY rowid")]
    db.unlink()
    return np.asarray(labels, dtype=int)


def asreview_runs(task: screening.ScreenTask, command: str | None, seeds: int,
                  alearn: pd.DataFrame | None = None) -> None:
    """``asreview simulate`` (its default model) on the task's rows, with alearn's priors
    per seed; prints labels to 95 % recall, recall after 100/200 and wall time per run,
    and alearn's labels to 95 % on the same seeds (``alearn``: its runs of the task)."""
    if command is None:
        print("  asreview: skipped (no ASReview found); to compare, install it into a "
              "bench-only environment: python3 -m venv /work/bench-venv && "
              "/work/bench-venv/bin/pip install asreview, then pass --asreview "
              "/work/bench-venv/bin/asreview")
        return
    import subprocess
    import tempfile

    from alearn.data.dataset import load_dataset

    data = load_dataset(task.spec)
    keep, _, _ = data.labeled_part()
    text = data.table[keep]
    columns = list(task.spec.text)
    records = pd.DataFrame({"record_id": np.arange(task.labels.size),
                            "title": text[columns[0]].fillna("").astype(str),
                            "abstract": (text[columns[1]].fillna("").astype(str)
                                         if len(columns) > 1 else ""),
                            "included": task.relevant.astype(int)})
    total = int(task.relevant.sum())
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "records.csv"
        records.to_csv(csv, index=False)
        version = subprocess.run([command, "--version"], capture_output=True, text=True,
                                 check=False).stdout.strip()
        for seed in range(seeds):
            priors = [str(int(p)) for p in screening.start_rows(task, seed)]
            project = Path(tmp) / f"seed{seed}.asreview"
            t0 = time.perf_counter()
            done = subprocess.run([command, "simulate", str(csv), "--prior-idx", *priors,
                                   "--seed", str(seed), "-o", str(project)],
                                  capture_output=True, text=True, check=False)
            wall = time.perf_counter() - t0
            if done.returncode != 0:
                print(f"  asreview: seed {seed} failed: {done.stderr.strip().splitlines()[-1:]}")
                return
            cum = np.cumsum(asreview_labels(project))
            n95 = int(np.argmax(cum >= math.ceil(0.95 * total - 1e-9))) + 1
            rows.append({"n95": n95, "r@100": cum[min(100, cum.size) - 1] / total,
                         "r@200": cum[min(200, cum.size) - 1] / total, "run_s": wall})
    block = pd.DataFrame(rows)
    n = task.labels.size
    print(f"  asreview simulate ({version}, default model, same priors, {seeds} seeds)")
    print(f"    labels to 95 %: {block['n95'].mean():.1f} ± {block['n95'].std(ddof=1):.1f} "
          f"(worst seed {block['n95'].max()})   recall after 100 / 200: "
          f"{block['r@100'].mean():.3f} / {block['r@200'].mean():.3f}   "
          f"WSS@95: {((n - block['n95']) / n - 0.05).mean():.3f}")
    print(f"    wall time per run {block['run_s'].mean():.1f} s (max {block['run_s'].max():.1f})")
    if alearn is not None:
        same = alearn[alearn["seed"] < seeds]
        print(f"  alearn ({same['strategy'].iloc[0]}) on the same {seeds} seeds: labels to 95 % "
              f"{same['n95'].mean():.1f}, recall after 100 / 200: {same['r@100'].mean():.3f} / "
              f"{same['r@200'].mean():.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=2, help="processes (default 2)")
    parser.add_argument("--tasks", nargs="*", help="task folder names (default: every screen "
                        "task in bench/tasks)")
    parser.add_argument("--strategy", nargs="*", help="strategies (default: the task's)")
    parser.add_argument("--set", nargs="*", default=[], metavar="KEY=VALUE",
                        help="override task keys, values in TOML: lsa=0 'stop_words=\"english\"' "
                        "'text_weights={}'")
    parser.add_argument("--query", action="store_true",
                        help="start from each collection's research question (bench/queries.py) "
                        "instead of 1 random relevant + 1 random irrelevant row per seed")
    parser.add_argument("--asreview", help="the asreview command of a bench-only environment "
                        "(default: asreview on PATH, if any)")
    parser.add_argument("--asreview-seeds", type=int,
                        help="seeds for ASReview (default: --seeds, the same seeds as "
                        "alearn's; a run took about 15 s on Kitchenham, idle, 2 cores)")
    parser.add_argument("--no-retrain", action="store_true",
                        help="skip the 10,000-row retrain timing")
    args = parser.parse_args()

    started = time.perf_counter()
    per_collection: list[pd.DataFrame] = []
    text_tasks: list[screening.ScreenTask] = []
    for folder in screen_tasks(args.tasks):
        spec = with_overrides(load_task(folder), args.set, args.strategy, args.seeds)
        if args.query:
            spec = revise(spec, query=QUERIES[folder.name][0])
        t0 = time.perf_counter()
        task = screening.prepare(spec)
        prepare_s = time.perf_counter() - t0
        strategies = list(dict.fromkeys([*spec.strategies, screening.BASELINE]))
        rows = Parallel(n_jobs=args.jobs)(
            delayed(one_run)(task, strategy, seed)
            for strategy in strategies for seed in range(spec.seeds))
        frame = pd.DataFrame(rows).assign(task=spec.name, rows=task.labels.size)
        per_collection.append(frame)
        print(f"\n{spec.name}: {task.labels.size} rows, {int(task.relevant.sum())} relevant, "
              f"{spec.seeds} seeds, {task.X.shape[1]} feature columns (built in "
              f"{prepare_s:.1f} s), target recall {spec.recall_target:g}")
        for strategy in strategies:
            print_block(strategy, frame[frame["strategy"] == strategy])
        if task.text:
            text_tasks.append(task)
    everything = pd.concat(per_collection, ignore_index=True)
    default = everything[everything["strategy"] != screening.BASELINE]
    print("\noverall (default strategy, every collection and seed)")
    safe = float((default["stop_at"] >= default["n_target"]).mean())
    cost = default["stop_ratio"]
    wss = default.groupby("task")["wss95"].mean()
    print(f"  stopping advice at or past the target: {100 * safe:.0f} % of seeds "
          f"(goal ≥ {100 * GOAL_STOP_SAFE:.0f} %); labels / needed mean {cost.mean():.2f}, "
          f"max {cost.max():.2f}, ≤ {GOAL_STOP_COST} on {100 * (cost <= GOAL_STOP_COST).mean():.0f}"
          " % of seeds")
    print(f"  WSS@95 averaged over the collections: {wss.mean():.3f} (goal ≥ {GOAL_WSS}); "
          + ", ".join(f"{t} {v:.3f}" for t, v in wss.items()))
    kitchen = default[default["task"] == "kitchenham"]
    if not kitchen.empty:
        if args.query:
            print(f"  Kitchenham from its research question, no priors: labels to 95 % "
                  f"{kitchen['n95'].mean():.1f} (goal ≤ {GOAL_KITCHENHAM_QUERY}), recall "
                  f"after 100 {kitchen['r@100'].mean():.3f} (goal ≥ "
                  f"{GOAL_KITCHENHAM_QUERY_R100:.2f})")
        else:
            print(f"  Kitchenham labels to 95 %: {kitchen['n95'].mean():.1f} "
                  f"(goal ≤ {GOAL_KITCHENHAM})")
    alearn_s = time.perf_counter() - started
    if not args.no_retrain:
        timed, columns = retrain_ms()
        print(f"  retrain at 10,000 generated rows ({columns} columns), goal ≤ "
              f"{GOAL_RETRAIN_MS} ms: " + ", ".join(
                  f"{mean:.0f} ms at {labels} labels (max {most:.0f})"
                  for labels, mean, most in timed))
    print(f"  alearn bench wall time {alearn_s:.0f} s with --jobs {args.jobs} "
          f"({math.ceil(len(everything) / max(args.jobs, 1))} runs per process)", flush=True)
    # ASReview last: its runs are slow, and alearn's numbers should not wait for them.
    command = find_asreview(args.asreview)
    for task in text_tasks:
        print(f"\n{task.spec.name}: ASReview LAB side by side")
        ours = default[default["task"] == task.spec.name]
        first = ours[ours["strategy"] == ours["strategy"].iloc[0]]
        asreview_runs(task, command, args.asreview_seeds or spec.seeds, first)


if __name__ == "__main__":
    main()
