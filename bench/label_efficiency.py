"""Label-efficiency benchmark on the MOOT classification tasks (issue 2).

Runs every CSV in ../shared/moot/classify/ with alearn's default settings
(model, start, strategies, 20 seeds) and prints, for each strategy and random,
the mean % of the all-labels ceiling at 8, 16 and 32 labels, the paired
win/tie/loss against random, and the wall time (and per unit: wall x jobs / units).

    .venv/bin/python bench/label_efficiency.py [--seeds 20] [--jobs 2] [--metric accuracy]
    .venv/bin/python bench/label_efficiency.py --seeds 5 --strategies margin --start random \
        --start-size 3      # compare cold starts
"""

from __future__ import annotations

import time
from pathlib import Path

from devtasks import classify_parser

from alearn.kinds.classify.summary import summarize
from alearn.run import runner
from alearn.run.outputs import write_run
from alearn.tasks import make_task


def main() -> None:
    parser = classify_parser(__doc__, seeds=20)
    parser.add_argument("--metric", default="accuracy", choices=["accuracy", "macro_f1"])
    parser.add_argument("--only", nargs="*", help="file stems to run (default: all)")
    parser.add_argument("--out", type=Path, help="also write results.csv/summary.json here")
    parser.add_argument("--per-task", action="store_true", help="print the per-task table")
    parser.add_argument("--start", help="override the start method (kmeans, random)")
    parser.add_argument("--start-size", type=int, help="override the start size")
    parser.add_argument("--strategies", nargs="*", help="override the strategies")
    args = parser.parse_args()

    files = sorted(args.data.glob("*.csv"))
    if args.only:
        files = [f for f in files if f.stem in args.only]
    extra: dict = {}
    if args.start:
        extra["start"] = args.start
    if args.start_size:
        extra["start_size"] = args.start_size
    if args.strategies:
        extra["strategies"] = tuple(args.strategies)
    tasks = [make_task(name=f.stem, data=str(f), seeds=args.seeds, **extra) for f in files]
    started = time.perf_counter()
    # A file that does not load is reported and left out, as `alearn run` does.
    result = runner.run(tasks, jobs=args.jobs, keep_going=True)
    wall = time.perf_counter() - started
    for failure in result.failed:
        print(f"left out: {failure.message}")
    left_out = {f.task for f in result.failed}
    tasks = [t for t in tasks if t.name not in left_out]
    if args.out:
        write_run(result, args.out)
    summary = summarize(result.results, [8, 16, 32], metric=args.metric)
    spec = tasks[0]
    print(f"{len(tasks)} tasks x {args.seeds} seeds; model={spec.model} start={spec.start}"
          f"({spec.start_size}) batch={spec.batch}; metric={args.metric}")
    if args.per_task:
        wide = summary.per_task.pivot_table(index=["task", "strategy"], columns="budget",
                                            values="pct")
        print(wide.round(1).to_string())
    print(f"{'strategy':<16} {'%ceil@8':>8} {'%ceil@16':>9} {'%ceil@32':>9}  "
          f"{'W/T/L@8':>11} {'W/T/L@16':>11} {'W/T/L@32':>11}  {'AULC%':>6}")
    for strategy, rows in summary.overall.groupby("strategy", sort=False):
        rows = rows.set_index("budget")
        pcts = " ".join(f"{rows.loc[b, 'pct']:>{w}.1f}" for b, w in ((8, 8), (16, 9), (32, 9)))
        wtl = " ".join(f"{rows.loc[b, 'wins']}/{rows.loc[b, 'ties']}/{rows.loc[b, 'losses']}"
                       .rjust(11) if strategy != "random" else " " * 11 for b in (8, 16, 32))
        print(f"{strategy:<16} {pcts}  {wtl}  {rows['aulc_pct'].iloc[0]:>6.1f}")
    units = len(tasks) * args.seeds
    print(f"wall time: {wall:.1f} s with --jobs {args.jobs}; per (task, seed) unit "
          f"{wall * args.jobs / max(units, 1):.2f} s (wall x jobs / {units} units)")


if __name__ == "__main__":
    main()
