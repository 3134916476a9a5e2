"""Rechecking likely mistakes against label noise (issue 23, item 3).

Simulates labeling on the development classify tasks (every CSV in
../shared/moot/classify/) with a person who answers a wrong class with
probability p (``label_noise``), per task and seed the stratified pool/test
split of ``alearn run`` and its margin learner (the task's model, k-means
start, one label per retrain). Three arms at equal effort, counting answers
(labels and rechecks alike):

* ``without``: every answer labels a new row (``recheck = "off"``);
* ``with``: ``recheck = "auto"`` (:func:`alearn.engine.recheck.choose_recheck`);
* ``cleanlab``: rechecks at exactly the answers where ``with`` rechecked on that
  task, seed and p (the same budget at the same points), the row chosen by
  cleanlab's ``find_label_issues`` (confident learning) on the same
  out-of-row probabilities and the same candidates (not yet rechecked, a class
  with another label), the issue it ranks first by self-confidence; when it
  flags none, that answer labels a new row.

At 16, 32 and 64 answers it prints, per p, each arm's mean test accuracy (in
points, over tasks x seeds), the share of wrong labels left in the training
set, the rechecks spent and the recheck precision (the share of rechecks
whose row had a wrong label), then the goals of the item.

    .venv/bin/python bench/label_noise.py                     # 27 tasks, 20 seeds, 2 jobs
    .venv/bin/python bench/label_noise.py --seeds 3 --only iris glass --margin 0.4
"""

from __future__ import annotations

import dataclasses
import time
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from devtasks import classify_parser
from joblib import Parallel, delayed
from threadpoolctl import threadpool_limits

from alearn.engine.learner import Learner
from alearn.engine.recheck import POLICY, RecheckPolicy, out_of_row_probabilities
from alearn.engine.scoring import classification_scores, predict_now
from alearn.errors import AlearnError
from alearn.kinds.classify.simulate import (
    Chooser,
    SimTask,
    answering,
    policy_chooser,
    prepare,
    seed_split,
)
from alearn.models import make_model
from alearn.tasks import make_task, revise

AT = (16, 32, 64)
NOISE = (0.0, 0.1, 0.2)
ARMS = ("without", "with", "cleanlab")


def cleanlab_chooser(task: SimTask, seed: int, when: set[int], folds: int) -> Chooser:
    """Recheck at the answers in ``when``, the row chosen by confident learning."""
    from cleanlab.filter import find_label_issues

    spec = task.spec

    def choose(learner: Learner, answers: int, rechecked: Sequence[int],
               changed: int) -> int | None:
        if answers not in when:
            return None
        y = learner.labels[learner.order].astype(str)
        classes, proba = out_of_row_probabilities(
            learner.X, learner.order, y,
            lambda: make_model(spec.model, seed, text=bool(task.text)), folds)
        counts = dict(zip(*np.unique(y, return_counts=True), strict=True))
        candidate = np.array([counts[label] >= 2 for label in y])
        candidate[list(rechecked)] = False
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            issues = find_label_issues(np.searchsorted(classes, y), proba,
                                       return_indices_ranked_by="self_confidence", n_jobs=1)
        for position in issues:
            if candidate[position]:
                return int(position)
        return None

    return choose


def run_arm(task: SimTask, seed: int, choose: Chooser | None) -> tuple[list[dict], list[int]]:
    """One arm's points at :data:`AT` and the answers at which it rechecked."""
    data = seed_split(task, seed)
    truth = data.y_pool.astype(str)
    spent: list[int] = []
    wrong_found: list[bool] = []

    def watched(learner: Learner, answers: int, rechecked: Sequence[int],
                changed: int) -> int | None:
        position = None if choose is None else choose(learner, answers, rechecked, changed)
        if position is not None:
            row = learner.order[position]
            spent.append(answers)
            wrong_found.append(learner.labels[row] != truth[row])
        return position

    points = []
    for learner, answers in answering(task, data, seed, "margin", AT[-1], watched):
        if answers in AT:
            order = np.asarray(learner.order)
            scores = classification_scores(data.y_test, predict_now(learner, data.X_test),
                                           data.labels)
            points.append({"answers": answers, "accuracy": 100 * scores["accuracy"],
                           "wrong": 100 * float(np.mean(learner.labels[order] != truth[order])),
                           "rechecks": len(spent), "found": int(sum(wrong_found))})
    return points, spent


def unit(path: Path, seed: int, policy: RecheckPolicy, cleanlab: bool) -> list[dict]:
    """Every p and arm of one task and seed (an empty list when the task does not load)."""
    try:
        base = prepare(make_task(name=path.stem, data=str(path), seeds=1, budgets=AT))
    except AlearnError:
        return []
    rows = []
    with threadpool_limits(1):
        for p in NOISE:
            task = dataclasses.replace(base, spec=revise(base.spec, label_noise=p))
            arms: dict[str, list[dict]] = {}
            arms["without"], _ = run_arm(task, seed, None)
            arms["with"], when = run_arm(task, seed, policy_chooser(task, seed, policy))
            if cleanlab:
                arms["cleanlab"], _ = run_arm(task, seed, cleanlab_chooser(task, seed, set(when),
                                                                    policy.folds))
            for arm, points in arms.items():
                rows += [{"task": path.stem, "seed": seed, "p": p, "arm": arm, **pt}
                         for pt in points]
    return rows


def table(results: pd.DataFrame) -> str:
    """The printed table: one row per p and arm, the measures at each budget."""
    mean = results.groupby(["p", "arm", "answers"]).agg(
        accuracy=("accuracy", "mean"), wrong=("wrong", "mean"), rechecks=("rechecks", "mean"),
        rechecks_sum=("rechecks", "sum"), found_sum=("found", "sum"))
    mean["precision"] = 100 * mean["found_sum"] / mean["rechecks_sum"].where(
        mean["rechecks_sum"] > 0)
    head = (f"{'p':>4} {'arm':<9}" + "".join(f" | acc@{a:<3} wrong% rechk prec%" for a in AT))
    lines = [head, "-" * len(head)]
    for (p, arm), rows in mean.groupby(level=[0, 1], sort=False):
        cells = []
        for a in AT:
            r = rows.loc[(p, arm, a)]
            prec = "    -" if np.isnan(r["precision"]) else f"{r['precision']:>5.1f}"
            cells.append(f" | {r['accuracy']:>7.1f} {r['wrong']:>6.1f} {r['rechecks']:>5.1f} "
                         f"{prec}")
        lines.append(f"{p:>4} {arm:<9}" + "".join(cells))
    return "\n".join(lines)


def goals(results: pd.DataFrame) -> list[str]:
    """The item's goals, each with its numbers."""
    acc = results.groupby(["p", "arm", "answers"])["accuracy"].mean()
    out = []
    for a in (32, 64):
        lost = acc[(0.0, "without", a)] - acc[(0.2, "without", a)]
        got = acc[(0.2, "with", a)] - acc[(0.2, "without", a)]
        share = got / lost if lost > 0 else float("nan")
        out.append(f"p=0.2 @{a}: noise costs {lost:.2f} points, recheck recovers {got:+.2f} "
                   f"({100 * share:.0f}%; goal >= 50%)")
    for a in AT:
        cost = acc[(0.0, "without", a)] - acc[(0.0, "with", a)]
        out.append(f"p=0 @{a}: recheck costs {cost:+.2f} points (goal <= 0.5)")
    for p in NOISE[1:]:
        sub = results[(results["p"] == p) & (results["arm"] == "with")
                      & (results["answers"] == AT[-1])]
        if sub["rechecks"].sum():
            prec = sub["found"].sum() / sub["rechecks"].sum()
            out.append(f"p={p} @{AT[-1]}: recheck precision {100 * prec:.1f}% "
                       f"(goal >= {200 * p:.0f}%)")
    if "cleanlab" in set(results["arm"]):
        for p in NOISE[1:]:
            for a in AT:
                gap = acc[(p, "with", a)] - acc[(p, "cleanlab", a)]
                out.append(f"p={p} @{a}: with - cleanlab = {gap:+.2f} points (goal > 0)")
    return out


def main() -> None:
    parser = classify_parser(__doc__, seeds=20)
    parser.add_argument("--only", nargs="*", help="file stems to run (default: all)")
    parser.add_argument("--first", type=int, default=POLICY.first)
    parser.add_argument("--every", type=int, default=POLICY.every)
    parser.add_argument("--margin", type=float, default=POLICY.margin)
    parser.add_argument("--folds", type=int, default=POLICY.folds)
    parser.add_argument("--free", type=int, default=POLICY.free)
    parser.add_argument("--per-change", type=int, default=POLICY.per_change)
    parser.add_argument("--no-cleanlab", action="store_true", help="leave the peer out")
    parser.add_argument("--per-task", action="store_true",
                        help="also print accuracy at 64 answers per task, p and arm")
    parser.add_argument("--csv", type=Path, help="write every point here")
    args = parser.parse_args()

    files = sorted(args.data.glob("*.csv"))
    if args.only:
        files = [f for f in files if f.stem in args.only]
    policy = RecheckPolicy(first=args.first, every=args.every, margin=args.margin,
                           free=args.free, per_change=args.per_change, folds=args.folds)
    started = time.perf_counter()
    units = Parallel(n_jobs=args.jobs)(
        delayed(unit)(f, s, policy, not args.no_cleanlab) for f in files for s in range(args.seeds))
    wall = time.perf_counter() - started
    results = pd.DataFrame([row for rows in units for row in rows])
    if args.csv:
        results.to_csv(args.csv, index=False)
    ran = results["task"].nunique()
    print(f"{ran} tasks x {args.seeds} seeds; margin learner, logreg, k-means start; "
          f"policy {policy}")
    print("acc: mean test accuracy (points); wrong%: wrong labels in the training set; "
          "rechk: rechecks spent; prec%: rechecks that found a wrong label")
    print(table(results))
    if args.per_task:
        wide = results[results["answers"] == AT[-1]].pivot_table(
            index="task", columns=["p", "arm"], values="accuracy")
        print(wide.round(1).to_string())
    for line in goals(results):
        print(line)
    print(f"wall time: {wall:.1f} s with --jobs {args.jobs}")


if __name__ == "__main__":
    main()
