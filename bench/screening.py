"""Screening benchmark on Kitchenham (issue 6): alearn's default vs random order.

Runs bench/tasks/kitchenham (1,704 papers, 45 relevant; `abs` excluded as it
leaks the label) with 20 seeds. Start: 1 random relevant + 1 random irrelevant
record per seed (priors, counted as screened). Prints recall after 8, 16, 32,
100 and 200 labels, labels to 95 % / 100 % recall, WSS@95, where the stopping
advice fired, and the wall time per run and per retrain. One process, one
thread, so the timings are per core.

    .venv/bin/python bench/screening.py [--seeds 20] [--strategy certainty uncertainty]
    .venv/bin/python bench/screening.py --set lsa=0 'stop_words="english"'   # a variant
"""

from __future__ import annotations

import argparse
import os
import time
import tomllib
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
import pandas as pd

from alearn.kinds.screen import simulate as screening
from alearn.tasks import load_task

TASK = Path(__file__).resolve().parent / "tasks" / "kitchenham"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--strategy", nargs="*", help="strategies (default: the task's)")
    parser.add_argument("--set", nargs="*", default=[], metavar="KEY=VALUE",
                        help="override task keys, values in TOML: lsa=0 'stop_words=\"english\"' "
                        "'text_weights={}'")
    args = parser.parse_args()

    spec = load_task(TASK).replace(seeds=args.seeds)
    if args.set:
        raw = tomllib.loads("\n".join(args.set))
        if "text_weights" in raw:
            raw["text_weights"] = tuple(raw["text_weights"].items())
        spec = spec.replace(**raw)
    if args.strategy:
        spec = spec.replace(strategies=tuple(args.strategy))
    started = time.perf_counter()
    task = screening.prepare(spec)
    prepare_s = time.perf_counter() - started
    rows, timing = [], []
    for strategy in dict.fromkeys([*spec.strategies, screening.BASELINE]):
        for seed in range(spec.seeds):
            fits: list[float] = []
            last = [time.perf_counter()]

            def tick(fits: list[float] = fits, last: list[float] = last) -> None:
                now = time.perf_counter()
                fits.append(now - last[0])
                last[0] = now

            t0 = time.perf_counter()
            last[0] = t0
            order, _ = screening.screen_order(task, strategy, seed, on_fit=tick)
            wall = time.perf_counter() - t0
            m = screening.order_metrics(task.relevant[order], task.labels.size, spec.budgets)
            rows.append({"strategy": strategy, "seed": seed,
                         **{f"r@{b}": v for b, v in m["recall"].items()},  # type: ignore[attr-defined]
                         **{k: m[k] for k in screening.PER_RUN}})
            # Time between retrains includes suggesting the next rows; the fit dominates.
            timing.append({"strategy": strategy, "run_s": wall, "fits": len(fits),
                           "ms_fit": 1000 * float(np.mean(fits)) if fits else 0.0,
                           "ms_fit_max": 1000 * float(np.max(fits)) if fits else 0.0})
    frame = pd.DataFrame(rows)
    times = pd.DataFrame(timing).groupby("strategy", sort=False).agg(
        run_s=("run_s", "mean"), run_s_max=("run_s", "max"), fits=("fits", "mean"),
        ms_fit=("ms_fit", "mean"), ms_fit_max=("ms_fit_max", "max"))
    print(f"{spec.name}: {task.labels.size} rows, {int(task.relevant.sum())} relevant, "
          f"{spec.seeds} seeds, features {task.X.shape[1]} columns (built in {prepare_s:.1f} s)")
    for strategy, block in frame.groupby("strategy", sort=False):
        t = times.loc[strategy]
        recall = "  ".join(f"r@{b} {block[f'r@{b}'].mean():.2f}" for b in spec.budgets)
        print(f"\n{strategy}")
        print(f"  {recall}")
        print(f"  labels to 95 %: {block['n95'].mean():.1f} ± {block['n95'].std(ddof=1):.1f} "
              f"(min {block['n95'].min()}, max {block['n95'].max()})   labels to 100 %: "
              f"{block['n100'].mean():.1f}   WSS@95: {block['wss95'].mean():.3f}")
        print(f"  stopping advice at {block['stop_at'].mean():.0f} labels, recall there "
              f"{block['stop_recall'].mean():.3f} (min {block['stop_recall'].min():.3f}); "
              f"stopped before 95 %: {int((block['stop_recall'] < 0.95).sum())} of "
              f"{len(block)} seeds")
        print(f"  wall time per run {t['run_s']:.2f} s (max {t['run_s_max']:.2f}); "
              f"{t['fits']:.0f} retrains per run, {t['ms_fit']:.0f} ms each "
              f"(max {t['ms_fit_max']:.0f})")


if __name__ == "__main__":
    main()
