"""Settings of a measure (optimize) session: which tasks measure goals, options
checked against the store.

A store keeps the settings that decide which rows are suggested
(:data:`~alearn.session.settings.MEASURE_FIXED`: the kind, strategy, seed and
the goal columns with their directions), so a resumed session suggests what
the first one would have.
"""

from __future__ import annotations

from alearn.errors import ConfigError, StoreError
from alearn.journal.store import Store
from alearn.kinds.optimize.acquirers import ACQUIRERS
from alearn.session.opening.class_settings import task_settings
from alearn.session.opening.steps import check_given
from alearn.session.settings import MEASURE_FIXED
from alearn.spec import TaskSpec


def check_command(evaluate: str | None, timeout: float | None) -> None:
    """Refuse an empty ``--evaluate`` command or a ``--timeout`` that is not positive.

    Raises
    ------
    ConfigError
    """
    if timeout is not None and not timeout > 0:
        raise ConfigError(f"--timeout must be a positive number of seconds, got {timeout}")
    if evaluate is not None and not evaluate.strip():
        raise ConfigError("--evaluate is empty; give a command, e.g. --evaluate 'python run.py'")


def resume_settings(store: Store, task: TaskSpec, fixed: dict[str, object],
                    given: dict[str, object]) -> dict[str, object]:
    """The stored settings, checked against the options given and the data's goals.

    Parameters
    ----------
    store : Store
        An optimize session's store (checked by :func:`alearn.session.opening.steps.check_owner`).
    task : TaskSpec
    fixed : dict
        The settings a new store would keep (their goals are the data's).
    given : dict
        Options given that the store keeps fixed (``strategy``).
    """
    assert store.meta is not None
    stored = dict(store.meta.settings)
    check_given(store, given)
    if stored.get("goals") != fixed["goals"]:
        def names(pairs: object) -> str:
            return ", ".join(str(p[0]) for p in pairs or [])  # type: ignore[attr-defined]
        raise StoreError(f"{store.path}: made for goals {names(stored.get('goals'))}, but the "
                         f"task's goals are now {names(fixed['goals'])}; use another --store")
    if stored.get("task") not in (None, task_settings(task)):
        raise StoreError(f"{store.path}: the task's id or feature settings changed since this "
                         "label store was made; use another --store")
    if stored.get("strategy") not in ACQUIRERS:
        raise StoreError(f"{store.path}: made with strategy {stored.get('strategy')!r}, which "
                         f"this alearn does not have ({', '.join(ACQUIRERS)})")
    return {k: stored[k] for k in MEASURE_FIXED}
