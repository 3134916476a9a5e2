"""The options of ``alearn label``, as one plain value handed to a kind's session."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path

from alearn.errors import MAX_BATCH, MAX_BUDGET, ConfigError, check_range
from alearn.kinds.classify import RECHECKS
from alearn.progress import Report


@dataclass(frozen=True)
class LabelOptions:
    """What the user gave ``alearn label`` (``None``: not given).

    Which of them a session reads depends on its kind; one given to a kind that
    does not read it is an error naming the option (:meth:`given`).
    """

    target: str | None = None
    classes: str | None = None
    batch: int | None = None
    strategy: str | None = None
    model: str | None = None
    store: str | Path | None = None
    gold: str | None = None
    budget: int | None = None
    annotator: str | None = None
    text: str | None = None
    text_features: str | None = None
    evaluate: str | None = None
    timeout: float | None = None
    parallel: int | None = None  # --parallel: optimize evaluations run at once
    id: str | None = None  # --id: the column naming each row
    hide: tuple[str, ...] | None = None  # --hide: columns never shown on the screen
    exclude: tuple[str, ...] | None = None  # --exclude: columns never used by the model
    new_target: bool | None = None  # --new-target: --target starts a column, like-named or not
    start: str | None = None  # no CLI option: for scripts and tests
    audit: int | None = None
    recall_target: float | None = None  # screen sessions: what the stopping advice aims for
    recheck: str | None = None  # classify sessions: "auto" shows likely mistakes again
    query: str | None = None  # screen sessions: the research question ranking the first rows
    prior_ids: tuple[str, ...] | None = None  # screen sessions: records known to be relevant
    describe: tuple[str, ...] | None = None  # classify: 'class=description', each class's words
    # Not an option: told the phases of opening (a big file takes a while).
    progress: Report | None = field(default=None, compare=False, metadata={"option": False})

    def __post_init__(self) -> None:
        check_range("--batch", self.batch, 1, MAX_BATCH)
        check_range("--budget", self.budget, 1, MAX_BUDGET)
        check_range("--audit", self.audit, 0, MAX_BATCH)
        check_range("--parallel", self.parallel, 1, MAX_BATCH)
        if self.recheck is not None and self.recheck not in RECHECKS:
            raise ConfigError(f"--recheck {self.recheck!r} is not known; expected one of "
                              f"{', '.join(RECHECKS)}")
        if self.recall_target is not None and not 0 < self.recall_target <= 1:
            raise ConfigError(f"--recall-target must be a recall in (0, 1], such as 0.95, "
                              f"got {self.recall_target:g}")

    def store_path(self, task_name: str) -> Path:
        """``--store``, else ``<task name>.labels.db`` here."""
        return Path(self.store) if self.store is not None else Path(f"{task_name}.labels.db")

    def given(self) -> list[str]:
        """The options given, as the command's ``--name`` flags, in declaration order."""
        return [f"--{f.name.replace('_', '-')}" for f in fields(self)
                if getattr(self, f.name) is not None and f.metadata.get("option", True)]
