"""``alearn export``: fit a compact model on collected labels and write it out.

Two sources of labels: a task folder with a budget (one seed of the simulated
run replayed, :func:`alearn.export.replay.from_task`) or a label store made by
``alearn label`` (:func:`alearn.export.storelabels.from_store`). The output folder
holds the model file (skops by default), ``rules.md``, ``card.json`` and
``card.md``; all four are built first, then each is written atomically, the
card last.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alearn.errors import MAX_BUDGET, ConfigError, check_range
from alearn.export.modelfile import FORMATS, SUFFIX
from alearn.files import check_output_dir, write_all_atomic
from alearn.tasks import TASK_FILE

if TYPE_CHECKING:
    from alearn.export.training import TrainingData

# The fitting, replay and card code (scikit-learn, pandas) is imported once the
# source and options are checked: a wrong path or option is refused at once.

RULES_FILE, CARD_JSON, CARD_MD = "rules.md", "card.json", "card.md"


@dataclass
class ExportResult:
    """What ``alearn export`` wrote.

    Attributes
    ----------
    card : dict
        The model card (as in ``card.json``).
    written : list of Path
    notes : list of str
        What the person should know (a store's data changed since labeling).
    """

    card: dict[str, Any]
    written: list[Path]
    notes: list[str] = field(default_factory=list)


def _is_store(path: Path) -> bool:
    if not path.is_file():
        return False
    with path.open("rb") as fh:
        return fh.read(16) == b"SQLite format 3\x00"


def load_training(source: str | Path, *, budget: int | None = None, seed: int = 0,
                  strategy: str | None = None, model: str | None = None,
                  data: str | Path | None = None) -> TrainingData:
    """The labels to export from: a label store file, or a task with ``budget``."""
    path = Path(source)
    if data is not None and not _is_store(path):
        raise ConfigError(f"{path}: --data applies to a label store (its data file); a task "
                          "folder names its own data")
    if _is_store(path):
        if budget is not None or strategy is not None:
            raise ConfigError(f"{path}: --budget and --strategy apply to task folders; a label "
                              "store exports all its labels")
        from alearn.export.storelabels import from_store

        return from_store(path, model=model, data=data)
    if not path.exists():
        raise ConfigError(f"{path}: no such task folder or label store")
    if path.is_dir() and not (path / TASK_FILE).is_file():
        raise ConfigError(f"{path}: no {TASK_FILE} here; SOURCE is a task folder or a label "
                          "store")
    if budget is None:
        raise ConfigError(f"{path}: exporting from a task needs --budget N (the labels the "
                          "model is fitted on, e.g. --budget 32)")
    from alearn.export.replay import from_task

    return from_task(path, budget, seed=seed, strategy=strategy, model=model)


def export_model(source: str | Path, out: str | Path, *, budget: int | None = None,
                 seed: int = 0, strategy: str | None = None, model: str | None = None,
                 fmt: str = "skops", data: str | Path | None = None) -> ExportResult:
    """Fit and write a model, its rules and its card.

    Parameters
    ----------
    source : str or Path
        A label store file or a task folder.
    out : str or Path
        Output folder.
    budget, seed, strategy : optional
        For a task: labels to fit on, the run's seed and strategy.
    model : str, optional
        Override the model (a name in :data:`alearn.models.MODELS`).
    fmt : {"skops", "joblib"}
        Model file format; joblib files need ``--trust`` to load.
    data : str or Path, optional
        A store's data file, when it is no longer where it was labeled.

    Returns
    -------
    ExportResult
    """
    if fmt not in FORMATS:
        raise ConfigError(f"--format {fmt!r} is not known; expected one of {', '.join(FORMATS)}")
    check_range("--budget", budget, 1, MAX_BUDGET)
    check_range("--seed", seed, 0, 2**32 - 1)
    out = check_output_dir(out, "--out")
    train = load_training(source, budget=budget, seed=seed, strategy=strategy, model=model,
                          data=data)
    from alearn.export.card import build_card, card_markdown
    from alearn.export.describe import rules_markdown
    from alearn.export.training import fit_pipeline

    pipeline = fit_pipeline(train)
    # Everything is built before the first file is written, so a failure leaves
    # the folder as it was; the card goes last, so it never names a model file
    # other than the one it describes.
    rules = rules_markdown(pipeline, train.data, train.model, n_labels=int(train.labels.size),
                           describe=train.spec.describe if train.spec is not None else ())
    blob = model_bytes(pipeline, fmt)
    path = out / f"model{SUFFIX[fmt]}"
    card = build_card(train, pipeline, model_file=path.name, fmt=fmt,
                      sha256=hashlib.sha256(blob).hexdigest())
    card_json = json.dumps(card, indent=2, sort_keys=False) + "\n"
    card_md = card_markdown(card)
    # All four or none (the card last among the renames).
    write_all_atomic({path: lambda tmp: tmp.write_bytes(blob),
                      out / RULES_FILE: lambda tmp: tmp.write_text(rules, encoding="utf-8"),
                      out / CARD_MD: lambda tmp: tmp.write_text(card_md, encoding="utf-8"),
                      out / CARD_JSON: lambda tmp: tmp.write_text(card_json, encoding="utf-8")})
    for other in FORMATS:  # another format's model file from an earlier export
        if other != fmt:
            (out / f"model{SUFFIX[other]}").unlink(missing_ok=True)
    return ExportResult(card=card, written=[path, out / RULES_FILE, out / CARD_JSON,
                                            out / CARD_MD], notes=train.notes)


def model_bytes(pipeline: object, fmt: str) -> bytes:
    """A fitted pipeline as the bytes of a ``model.skops`` or ``model.joblib`` file."""
    if fmt == "skops":
        import skops.io as sio

        return sio.dumps(pipeline)
    import joblib

    buffer = io.BytesIO()
    joblib.dump(pipeline, buffer)
    return buffer.getvalue()
