"""Would a float32 pool keep the suggestions? (issue 27: "float32 where every row it
suggests stays as today")

Runs the MOOT classification tasks twice on the same seeds, in one process
(``--jobs 1``, so the change reaches every unit): as alearn does (the pool's
model matrix in float64), then with the pool's matrix stored as float32 (half
the memory; the model still fits in float64). Prints how many result rows
(task, strategy, seed, budget) differ, on which tasks, and the % of the
all-labels ceiling at 8, 16 and 32 labels side by side. Any differing row
means some suggested row changed.

    .venv/bin/python bench/float32_pool.py [--seeds 3]
"""

from __future__ import annotations

import numpy as np
from devtasks import classify_parser, data_missing

import alearn.kinds.classify.simulate as simulate
from alearn.kinds.classify.summary import summarize
from alearn.run import runner
from alearn.tasks import make_task


class Float32Pool:
    """A fitted preprocessor whose pool matrix comes back as float32 (later rows, such
    as the test split, are transformed as before)."""

    def __init__(self, pre: object) -> None:
        self._pre = pre

    def fit_transform(self, X, y=None):  # type: ignore[no-untyped-def]
        out = self._pre.fit_transform(X, y)  # type: ignore[attr-defined]
        return out.astype(np.float32) if isinstance(out, np.ndarray) else out

    def __getattr__(self, name: str) -> object:
        return getattr(self._pre, name)


def main() -> None:
    parser = classify_parser(__doc__, seeds=3)
    args = parser.parse_args()
    if data_missing(args.data):
        return
    tasks = [make_task(name=f.stem, data=str(f), seeds=args.seeds)
             for f in sorted(args.data.glob("*.csv"))]
    plain = runner.run(tasks, jobs=1, keep_going=True).results
    made = simulate.preprocessor_for
    simulate.preprocessor_for = lambda *a, **k: Float32Pool(made(*a, **k))
    try:
        halved = runner.run(tasks, jobs=1, keep_going=True).results
    finally:
        simulate.preprocessor_for = made
    keys = ["task", "strategy", "seed", "budget", "metric"]
    joined = plain.merge(halved, on=keys, suffixes=("", "_f32"))
    differ = joined[joined["value"] != joined["value_f32"]]
    print(f"{len(tasks)} tasks x {args.seeds} seeds: {len(differ)} of {len(joined)} result "
          f"rows differ, on {differ['task'].nunique()} tasks "
          f"({', '.join(sorted(differ['task'].unique()))})")
    for name, results in (("float64 pool", plain), ("float32 pool", halved)):
        overall = summarize(results, [8, 16, 32]).overall
        for strategy, rows in overall.groupby("strategy", sort=False):
            pct = rows.set_index("budget")["pct"]
            print(f"{name:<13} {strategy:<16} %ceil@8 {pct[8]:5.1f}  @16 {pct[16]:5.1f}  "
                  f"@32 {pct[32]:5.1f}")


if __name__ == "__main__":
    main()
