"""Labels from a label store made by ``alearn label``, as the session saw them.

The store keeps the data's fingerprint and source and the session settings;
the data is loaded the way the session loaded it, the labeled rows are found
by their ids, and labels already in the data's target column come first, as
in the session's learner, so the model fitted here is the session's own.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from alearn.counting import counted
from alearn.data.datachange import compare_data, with_store_ids
from alearn.data.dataset import Dataset, load_dataset
from alearn.data.header import peek_columns
from alearn.engine.features import text_options
from alearn.engine.learner import Learner
from alearn.errors import StoreError
from alearn.estimates.accuracy import (
    LEVEL,
    PRIOR_LABELS,
    cv_estimate,
    gold_estimate,
    learner_audit_estimate,
)
from alearn.estimates.forecast import forecast_gain
from alearn.estimates.gold import GOLD_MAX_ROWS, gold_labels, gold_sample
from alearn.export.training import CURVE_BUDGETS, TrainingData, check_model, fit_preprocessor
from alearn.journal.events import Event, StoreMeta, active_events
from alearn.journal.merged import team_state
from alearn.journal.state import JournalState, RowLabel, journal_state
from alearn.journal.store import MEASURED, read_store
from alearn.journal.storedata import locate_data
from alearn.kinds import KINDS
from alearn.spec import TaskSpec
from alearn.tasks import DEFAULT_KIND, load_task, make_task, revise


@dataclass
class StoreLabels:
    """A label store's labels, tied to the data they belong to.

    Attributes
    ----------
    data : Dataset
        The data as the session loaded it.
    rows : ndarray of int
        Labeled rows of ``data.features`` in the order the session learned
        them: labels already in the data's target column first, then the
        store's current labels in labeling order.
    labels : ndarray of str
    seeded : int
        How many of them came from the data's target column.
    annotators : dict
        Annotator -> number of store labels.
    settings : dict
        The session settings recorded in the store.
    spec : TaskSpec or None
        The task as the session loaded it (its text options shape the text
        features).
    audit : ndarray of bool
        Per row of ``rows``: an audit row (marked in the journal).
    skipped : ndarray of int
        Rows of ``data.features`` skipped in the session (still in force).
    notes : list of str
        How the data changed since the store last used it
        (:meth:`alearn.data.datachange.DataChange.notes`).
    """

    data: Dataset
    rows: np.ndarray
    labels: np.ndarray
    seeded: int
    annotators: dict[str, int]
    settings: dict[str, Any]
    spec: TaskSpec | None = None
    audit: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    skipped: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    notes: list[str] = field(default_factory=list)


def _store_task(path: Path, source: str, settings: dict[str, Any],
                data: str | Path | None = None) -> tuple[TaskSpec, bool]:
    """The task the session loaded its data with, and whether seed labels were used."""
    found = locate_data(path, source, data)
    if found is None:
        spec = make_task(name=source.split(":", 1)[1], data=source, source=source)
    else:
        spec = load_task(found)
    task = settings.get("task") or {}
    changes: dict[str, Any] = {k: tuple(task[k]) for k in
                               ("include", "exclude", "numeric", "categorical", "text")
                               if task.get(k)}
    if task.get("id"):
        changes["id"] = task["id"]
    # The text options the session used; a store made before they were recorded
    # keeps the defaults its export always had.
    if task.get("text_weights"):
        changes["text_weights"] = tuple((str(c), int(w)) for c, w in
                                        dict(task["text_weights"]).items())
    changes.update({k: task[k] for k in ("ngrams", "stop_words", "lsa", "text_features")
                    if k in task})
    if task.get("describe"):  # the session's class descriptions fit beside its labels
        changes["describe"] = tuple((str(c), str(t)) for c, t in
                                    dict(task["describe"]).items())
    if spec.measures_goals:
        # A bare file with goal columns, labeled with --target: the session made
        # it a classification task.
        changes.update(kind="classify", strategies=())
    spec = revise(spec, **changes) if changes else spec
    # As the session does: a target absent from the data is one being filled in,
    # and a gold column is never a feature.
    columns = peek_columns(spec.data_path)
    target, gold = settings.get("target"), settings.get("gold")
    if target is not None and columns is not None and target not in columns:
        target = None
    gold_column = gold if gold is not None and not Path(gold).is_file() else None
    updates: dict[str, Any] = {"target": target}
    if gold_column is not None and gold_column != target:
        updates["exclude"] = (*spec.exclude, gold_column)
    gold_is_target = gold_column is not None and gold_column == target
    return revise(spec, **updates), not gold_is_target


@dataclass
class LoadedStoreData:
    """A store's data, loaded as its session loaded it (so its row ids are the
    journal's).

    Attributes
    ----------
    data : Dataset
    spec : TaskSpec
        The task it was loaded with.
    use_seeds : bool
        Whether labels already in the data's target column were used.
    notes : list of str
        How the data changed since the store last used it (nothing when it did not).
    """

    data: Dataset
    spec: TaskSpec
    use_seeds: bool
    notes: list[str]


def store_data(path: Path, meta: StoreMeta, events: list[Event],
               data: str | Path | None = None) -> LoadedStoreData:
    """The data of a store, loaded as its session loaded it, compared with what the
    store recorded (:func:`alearn.data.datachange.compare_data`).

    Raises
    ------
    StoreError
        The data is gone, is another file, or holds none of the answered rows.
    """
    spec, use_seeds = _store_task(path, meta.source, dict(meta.settings), data)
    loaded = with_store_ids(load_dataset(spec, require_target=False), meta, spec.id)
    change = compare_data(path, meta, events, loaded)
    return LoadedStoreData(loaded, spec, use_seeds, change.notes() if change else [])


def labels_from_store(path: str | Path, data: str | Path | None = None) -> StoreLabels:
    """Read a label store and find its labeled rows in the data it was made for.

    Parameters
    ----------
    path : str or Path
    data : str or Path, optional
        The data file, when it is no longer where it was labeled
        (:func:`alearn.journal.storedata.locate_data`).

    Raises
    ------
    StoreError
        Not a store, its data is gone or another file, or holds none of its rows.
    """
    path = Path(path)
    meta, events = read_store(path)
    if meta.settings.get("kind") == MEASURED:
        raise StoreError(f"{path}: an optimize session's store holds measured goal values, "
                         "not class labels (export supports classification tasks and stores "
                         "only); export them with `alearn labels`")
    kind = _store_kind(dict(meta.settings))
    if not KINDS[kind].exportable:
        raise StoreError(f"{path}: a {kind} session's store cannot be exported (export "
                         "supports classification tasks and stores only); get its labels "
                         "with `alearn labels`")
    loaded = store_data(path, meta, events, data)
    found = loaded.data
    position = {str(i): k for k, i in enumerate(found.ids)}
    # Rows no longer in the data keep their labels in the store; no model learns them
    # (the notes say so), as in the session.
    state = journal_state(e for e in active_events(events) if e.row_id in position)
    # Each row's label in force, in labeling order (a relabel keeps the row's place;
    # its audit flag is how the row was first chosen), as the session's learner has it.
    given = list(state.labels.values())
    if meta.team:
        # A merged store: the label in force by its rule, in the team's order; an open
        # conflict has none, and no one person's skips are the team's.
        team = team_state(meta, events, path)
        given = [RowLabel(r.given, r.given) for r in team.rows.values()
                 if r.given is not None and r.row_id in position]
        state = JournalState()
    seeds = np.flatnonzero(found.labeled) if loaded.use_seeds else np.empty(0, dtype=int)
    rows = np.concatenate([seeds, [position[h.first.row_id] for h in given]]).astype(int)
    labels = np.concatenate([found.labels[seeds].astype(str) if seeds.size else [],
                             [h.value for h in given]]).astype(str)
    audit = np.concatenate([np.zeros(seeds.size, dtype=bool),
                            [h.first.audit for h in given]]).astype(bool)
    skipped = np.array([position[i] for i in (*state.skipped, *state.unsure)], dtype=int)
    return StoreLabels(data=found, rows=rows, labels=labels, seeded=int(seeds.size),
                       annotators=dict(Counter(h.last.annotator for h in given)),
                       settings=dict(meta.settings), spec=loaded.spec, audit=audit,
                       skipped=skipped, notes=loaded.notes)


def _store_kind(settings: dict[str, Any]) -> str:
    """The kind of a class session's store: recorded in newer stores; in older ones,
    the one kind that accepts its strategy (else classification)."""
    recorded = (settings.get("task") or {}).get("kind")
    if recorded in KINDS:
        return str(recorded)
    owners = [k.name for k in KINDS.values() if settings.get("strategy") in k.strategies]
    return owners[0] if len(owners) == 1 else DEFAULT_KIND


def from_store(path: str | Path, *, model: str | None = None,
               data: str | Path | None = None) -> TrainingData:
    """Fit on a label store's labels (model and seed from the session settings).

    The preprocessing is fitted on every row of the data, as in the session,
    so without ``model`` the exported model is the session's own. The
    learning curve is the session's own estimate at 8, 16, 32 and all labels
    (:func:`curve_points`): on the gold rows for a ``--gold`` session, else on
    the audit rows, else (stores without audit rows) 5-fold CV.
    """
    check_model(model)
    got = labels_from_store(path, data)
    name = model or str(got.settings.get("model", "logreg"))
    check_model(name)
    seed = int(got.settings.get("seed", 0))
    n = got.labels.size
    pool = np.arange(len(got.data.features))
    train = TrainingData(data=got.data, pool=pool, rows=got.rows, labels=got.labels,
                         model=name, seed=seed, source={}, spec=got.spec,
                         # The session's embeddings, from the cache beside the store.
                         options=text_options(got.spec, got.data, Path(path).parent))
    X = fit_preprocessor(train).transform(got.data.features)
    with threadpool_limits(1):
        train.curve, train.curve_method = curve_points(got, X, name, seed)
        ahead = forecast_gain(X, got.rows, got.labels, name, seed, text=bool(got.data.text),
                              excluded=np.isin(np.arange(X.shape[0]), got.skipped))
    if ahead is not None:
        # What the next labels would buy, as the session said it (estimates/forecast.py).
        train.curve_method += (f" Forecast from these labels: {ahead.words()} (an 80 % "
                               "interval).")
    train.notes = got.notes
    train.source = {"kind": "store", "path": str(path), "labels": int(n),
                    "seeded_from_data": got.seeded, "store_labels": int(n - got.seeded),
                    "annotators": got.annotators, "settings": got.settings}
    return train


def curve_points(got: StoreLabels, X: Any, model: str, seed: int
                 ) -> tuple[list[dict[str, Any]], str]:
    """The session's estimates on the first k labels, and how they were made.

    Parameters
    ----------
    got : StoreLabels
    X : array or sparse matrix
        Every row of the data, preprocessed as in the session.
    model : str
    seed : int

    Returns
    -------
    (list of dict, str)
        Points ``labels, accuracy, low, high, macro_f1, n_eval, exported,
        estimate`` (what it was measured on), and the paragraph for the card.
    """
    n = got.labels.size
    settings, text = got.settings, bool(got.data.text)
    gold = settings.get("gold")
    kind = "gold" if gold else "audit" if int(settings.get("audit") or 0) else "cv"
    learner = Learner(X, model=model, seed=seed, text=text)
    learner.replay([("teach", got.rows, got.labels), ("skip", got.skipped, None)])
    truth = gold_rows = None
    if kind == "gold":
        column = gold if gold in got.data.table.columns else None
        assert got.spec is not None  # labels_from_store always sets it
        truth = gold_labels(got.data, str(gold), column, got.spec)
        gold_rows = gold_sample(truth, seed, GOLD_MAX_ROWS)
    points = []
    for k in sorted({*CURVE_BUDGETS, n}):
        y = got.labels[:k]
        if k > n or len(set(y)) < 2:
            continue
        if kind == "gold":
            est = gold_estimate(learner.fit_detached(k), X, got.rows[:k], y, gold_rows, truth)
        elif kind == "audit":
            est = learner_audit_estimate(learner, X, got.audit, seed, k)
        else:
            est = cv_estimate(X, got.rows[:k], y, model, seed, text=text)
        points.append({"labels": k, "accuracy": est.accuracy, "low": est.low,
                       "high": est.high, "macro_f1": None, "n_eval": est.scored or k,
                       "exported": k == n, "estimate": est.method,
                       "majority": est.majority, "majority_class": est.majority_class})
    level = f"{100 * LEVEL:.0f} %"
    method = {
        "gold": f"Measured on the gold labels (`--gold {gold}`) of rows not labeled, for a "
                f"{model} fitted on the first k labels, with the Wilson {level} interval.",
        "audit": "A labeling session has no held-out test set. Every "
                 f"{settings.get('audit')}th label it asked for was an audit row, drawn at "
                 "random from the rows not yet labeled (marked in the store); each point is "
                 "the accuracy on the audit rows among the first k labels, each predicted by "
                 f"a {model} fitted without it, combined with the model's mean confidence on "
                 f"the unlabeled rows counted as {PRIOR_LABELS} labels, with the central {level} "
                 "interval "
                 "of that Beta posterior. These are the numbers the session showed.",
        "cv": "This store has no audit rows (it was made before them, or with --audit 0): "
              "each point is 5-fold cross-validation (folds seeded as in `alearn label`) on "
              "the first k labels, with a binomial interval that does not hold: rows chosen "
              "by active learning are no random sample, and on the development tasks these "
              "numbers were 0.14-0.18 too low on average (bench/session_estimates.py).",
    }[kind]
    return points, method + f" The exported model uses all {counted(n, 'label')}."

