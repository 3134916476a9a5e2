"""What more labels buy: how good is the session's forecast? (issue 23, item 4)

Simulates labeling sessions on the development classify tasks (every CSV in
../shared/moot/classify/): per task and seed the pool/test split of
``alearn run``, the session's learner (the task's model, k-means start,
margin sampling, one label per retrain) with every 4th label an audit row,
and the known labels playing the human. At each of ``--at`` labels it asks
:func:`alearn.estimates.forecast.signals` what the session's own labels say
and records the *true gain*: the change of the model's accuracy on the
held-out test rows over the next 16 labels of the same session.

It prints, at 16 and 32 labels, overall and per task: how often the
forecast's 80 % interval holds the true gain (coverage), the forecast's mean
absolute error, the mean interval width, and how often "more labels are
unlikely to help" was said when the true gain was >= 0.02 (a false stop).
Twice: with the coefficients in ``alearn/estimates/forecast.py`` (fitted on
these tasks), and with each task's forecast refitted on the other tasks only
(leave one task out: the honest number). ``--fit`` prints the coefficients
to paste into the module (fitted on every ``--at``); ``--alternatives`` also
measures other signals, leave one task out.

    .venv/bin/python bench/forecast.py                     # 27 tasks, 12 seeds, 2 jobs
    .venv/bin/python bench/forecast.py --seeds 2 --tasks iris glass --at 16 32
"""

from __future__ import annotations

import argparse
import os
import time
import warnings
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
import pandas as pd
from devtasks import classify_parser, classify_tasks, data_missing
from joblib import Parallel, delayed
from threadpoolctl import threadpool_limits

from alearn.engine.learner import Learner
from alearn.engine.scoring import predict_now
from alearn.estimates import forecast as fc
from alearn.estimates.accuracy import learner_audit_estimate
from alearn.estimates.audit import AUDIT_EVERY, audit_keys, next_row
from alearn.kinds.classify.simulate import SimTask, seed_split
from alearn.models import fit_quietly, make_model
from alearn.seeds import Stream, stream

AT = (12, 16, 24, 32, 48, 64)
REPORT = (16, 32)
FALSE_STOP = 0.02
GOAL_COVERAGE, GOAL_WIDTH = 0.80, 0.10
FEATURES = ["one", "unsure", "changed", "noise"]


def cv_step(X: object, rows: np.ndarray, labels: np.ndarray, model: str, seed: int,
            text: bool) -> float:
    """The learning curve of the labels in hand: 5-fold CV, each fold predicted by a
    model on the other folds' rows among the first half of the labels and on all of
    them; the accuracy difference (what the second half bought)."""
    n = rows.size
    perm = stream(seed, Stream.CV, n).permutation(n)
    gain = 0
    for fold in np.array_split(perm, 5):
        train = np.setdiff1d(perm, fold)
        for part, sign in ((train, 1), (train[train < n // 2], -1)):
            seen = np.unique(labels[part])
            if seen.size < 2:
                guess = np.full(fold.size, seen[0] if seen.size else "", dtype=object)
            else:
                fitted = fit_quietly(make_model(model, seed, text=text), X[rows[part]],
                                     labels[part])
                guess = fitted.predict(X[rows[fold]]).astype(str)
            gain += sign * int(np.sum(guess == labels[fold]))
    return gain / n


def one_seed(task: SimTask, seed: int, at: tuple[int, ...],
             alternatives: bool) -> list[dict[str, object]]:
    """One simulated session to ``max(at) + K`` labels; a record per ``at``."""
    spec = task.spec
    text = bool(task.text)
    records: list[dict[str, object]] = []
    with threadpool_limits(1):
        data = seed_split(task, seed)
        keys = audit_keys(seed, len(data.pool))
        top = min(max(at) + fc.K, len(data.pool))
        learner = Learner(data.X_pool, model=spec.model, strategy=spec.strategies[0],
                          start=spec.start, start_size=spec.start_size, batch=1, seed=seed,
                          start_rows=data.start, text=text)
        marks: list[bool] = []
        truth: dict[int, float] = {}
        found: dict[int, dict[str, object]] = {}
        while learner.n_labeled < top:
            row, is_audit = next_row(learner, learner.n_labeled, AUDIT_EVERY, keys)
            if row is None:
                break
            learner.teach([row], [data.y_pool[row]])
            marks.append(is_audit)
            n = learner.n_labeled
            if n in at or n - fc.K in at:
                truth[n] = float(np.mean(predict_now(learner, data.X_test) == data.y_test))
            if n not in at:
                continue
            rows = np.asarray(learner.order, dtype=int)
            labels = learner.labels[rows].astype(str)
            started = time.perf_counter()
            sig = fc.signals(data.X_pool, rows, labels, spec.model, seed, text=text,
                             excluded=learner.excluded)
            cost = time.perf_counter() - started
            if sig is None:
                continue
            rec: dict[str, object] = dict(zip(FEATURES, sig.features(), strict=True))
            rec.update(cost=cost, classes=len(set(labels)))
            if alternatives:
                est = learner_audit_estimate(learner, data.X_pool, np.asarray(marks), seed)
                rec.update(cv_step=cv_step(data.X_pool, rows, labels, spec.model, seed, text),
                           audit_unsure=None if est.accuracy is None else 1 - est.accuracy)
            found[n] = rec
        for n, rec in found.items():
            if n + fc.K in truth:
                records.append({"task": spec.name, "seed": seed, "n": n,
                                "gain": truth[n + fc.K] - truth[n], **rec})
    return records


def quantile_fit(frame: pd.DataFrame, columns: list[str]) -> dict[float, np.ndarray]:
    """Linear quantile regressions of the gain at the forecast's quantiles."""
    from sklearn.linear_model import QuantileRegressor

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {q: QuantileRegressor(quantile=q, alpha=0.0, solver="highs", fit_intercept=False)
                .fit(frame[columns].to_numpy(float), frame["gain"]).coef_
                for q in (fc.LOW, 0.5, fc.HIGH)}


def predict(frame: pd.DataFrame, columns: list[str],
            coefs: dict[float, np.ndarray]) -> pd.DataFrame:
    """``frame`` with the forecast's gain, low and high (quantiles kept in order)."""
    x = frame[columns].to_numpy(float)
    q = np.sort(np.column_stack([x @ coefs[k] for k in (fc.LOW, 0.5, fc.HIGH)]), axis=1)
    return frame.assign(low=q[:, 0], point=q[:, 1], high=q[:, 2])


def left_out(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Each task's forecasts from coefficients fitted on the other tasks."""
    parts = [predict(frame[frame["task"] == task], columns,
                     quantile_fit(frame[frame["task"] != task], columns))
             for task in frame["task"].unique()]
    return pd.concat(parts)


def shipped(frame: pd.DataFrame) -> pd.DataFrame:
    """The forecasts with the module's own coefficients."""
    coefs = {q: np.asarray(c) for q, c in fc.QUANTILES.items()}
    return predict(frame, FEATURES, coefs)


def scores(frame: pd.DataFrame) -> pd.DataFrame:
    """Coverage, MAE, width and false stops per budget of forecast rows."""
    frame = frame.assign(
        covered=(frame["low"] <= frame["gain"]) & (frame["gain"] <= frame["high"]),
        error=(frame["point"] - frame["gain"]).abs(), width=frame["high"] - frame["low"],
        stop=frame["high"].map(fc.unlikely_to_help), helped=frame["gain"] >= FALSE_STOP)
    frame["false_stop"] = frame["stop"] & frame["helped"]
    return frame


def summary_line(rows: pd.DataFrame) -> str:
    """One table line: coverage, MAE, width, stops said and false stops."""
    return (f"{rows['covered'].mean():6.1%} {rows['error'].mean():6.3f} "
            f"{rows['width'].mean():6.3f} {rows['stop'].mean():6.1%} "
            f"{int(rows['false_stop'].sum()):>4}/{int(rows['helped'].sum()):<4} {len(rows):>5}")


def report(frame: pd.DataFrame, title: str, per_task: bool) -> None:
    """Print the overall (and per-task) table of one way of fitting."""
    frame = scores(frame[frame["n"].isin(REPORT)])
    print(f"\n{title}")
    head = (f"{'cover':>6} {'MAE':>6} {'width':>6} {'stops':>6} {'false':>9} {'n':>5}")
    print(f"{'labels':>6} {'task':<18} {head}")
    for n, rows in frame.groupby("n"):
        print(f"{n:>6} {'all':<18} {summary_line(rows)}")
    if per_task:
        for (task, n), rows in frame.groupby(["task", "n"]):
            print(f"{n:>6} {task:<18} {summary_line(rows)}")


def alternatives(frame: pd.DataFrame) -> None:
    """Leave-one-task-out scores of other signal sets, at the report budgets."""
    frame = frame.assign(audit_unsure=frame["audit_unsure"].fillna(frame["unsure"]),
                         log_classes=np.log(frame["classes"]))
    sets = {"no signal (the tasks' quantiles)": ["one"],
            "own curve: paired CV of the labels in hand": ["one", "cv_step"],
            "audit estimate (1 - accuracy)": ["one", "audit_unsure"],
            "unsure": ["one", "unsure"],
            "changed": ["one", "changed"],
            "unsure + changed": ["one", "unsure", "changed"],
            "unsure + changed + noise (shipped)": FEATURES,
            "shipped + log classes": [*FEATURES, "log_classes"],
            "shipped + own curve": [*FEATURES, "cv_step"]}
    print("\nalternatives, each task left out of the fit "
          f"(cover / MAE / width at {' and '.join(map(str, REPORT))} labels)")
    for name, columns in sets.items():
        got = scores(left_out(frame, columns))
        got = got[got["n"].isin(REPORT)]
        cells = "   ".join(f"{r['covered'].mean():5.1%} {r['error'].mean():.3f} "
                           f"{r['width'].mean():.3f}" for _, r in got.groupby("n"))
        print(f"  {name:<45} {cells}")


def load_tasks(args: argparse.Namespace) -> list[SimTask]:
    """The classify development tasks that load."""
    return classify_tasks(args.data, args.tasks)


def main() -> None:
    parser = classify_parser(__doc__, seeds=12)
    parser.add_argument("--tasks", nargs="*", help="task names to run (default: all)")
    parser.add_argument("--at", type=int, nargs="*", default=list(AT),
                        help="label counts to forecast at (the fit uses all of them)")
    parser.add_argument("--per-task", action="store_true", help="print the per-task rows")
    parser.add_argument("--fit", action="store_true", help="print coefficients for the module")
    parser.add_argument("--alternatives", action="store_true", help="measure other signals")
    parser.add_argument("--out", type=Path, help="write every forecast record as CSV here")
    parser.add_argument("--records", type=Path, help="read the records of an earlier --out")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.records:
        frame = pd.read_csv(args.records)
    else:
        if data_missing(args.data):
            return
        tasks = load_tasks(args)
        chunks = Parallel(n_jobs=args.jobs)(
            delayed(one_seed)(task, seed, tuple(args.at), args.alternatives)
            for task in tasks for seed in range(args.seeds))
        frame = pd.DataFrame([r for chunk in chunks for r in chunk])
    if args.out:
        frame.to_csv(args.out, index=False)
    print(f"{frame['task'].nunique()} tasks x {frame['seed'].nunique()} seeds; margin sampling, "
          f"k-means start, audit every {AUDIT_EVERY}; true gain over the next {fc.K} labels; "
          f"{fc.HIGH - fc.LOW:.0%} intervals (goal: coverage >= {GOAL_COVERAGE:.0%}, width <= "
          f"{GOAL_WIDTH}); a false stop: 'unlikely to help' said and gain >= {FALSE_STOP}")
    cost = frame.groupby("n")["cost"].agg(["mean", "max"])
    print("cost per call (s): " + ", ".join(f"{n} labels {r['mean']:.3f} (max {r['max']:.3f})"
                                            for n, r in cost.iterrows()))
    if args.fit:
        coefs = quantile_fit(frame, FEATURES)
        print("QUANTILES = {")
        for q, name in ((fc.LOW, "LOW"), (0.5, "0.5"), (fc.HIGH, "HIGH")):
            print(f"    {name}: ({', '.join(f'{c:.4f}' for c in coefs[q])}),")
        print("}")
    report(shipped(frame), "with the module's coefficients (fitted on these tasks)",
           args.per_task)
    if frame["task"].nunique() > 1:
        report(left_out(frame, FEATURES), "each task left out of the fit (honest)",
               args.per_task)
    else:  # leaving the one task out leaves nothing to fit on
        print("each task left out of the fit: needs two tasks or more")
    if args.alternatives and "cv_step" in frame:
        alternatives(frame)
    print(f"wall time: {time.perf_counter() - started:.1f} s with --jobs {args.jobs}")


if __name__ == "__main__":
    main()
