"""Several annotators' stores of one study: the check that they can be compared or merged.

Each person labels in a store of their own, made for the same data with the same
settings (docs/teams.md says why, against one shared store). ``alearn agreement``
and ``alearn merge`` both read such stores and refuse, in one line naming the store
and what differs, those that are not one study.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from alearn.errors import ConfigError, StoreError
from alearn.journal.events import StoreMeta
from alearn.journal.store import MEASURED


def check_same_study(stores: Sequence[tuple[Path, StoreMeta]]) -> None:
    """Refuse stores that are not several annotators' stores of one study.

    One study: two or more different stores of class labels (not an optimize
    session's measured goal values), made for the same data (the store's
    fingerprint: another copy of the same file is the same data) with the same
    settings (target, classes, strategy, model, seed, audit rows, the task's
    columns, id and hidden columns: every setting a store keeps). What a store
    does not keep (budget, annotator) may differ.

    Parameters
    ----------
    stores : sequence of (Path, StoreMeta)
        Each store's path (as the user named it) and meta
        (:func:`alearn.journal.store.read_store`).

    Raises
    ------
    ConfigError
        Fewer than two stores, or one named twice.
    StoreError
        A store of measured goal values, or one made for other data or with
        other settings than the first (the message names both stores and the
        first setting that differs).
    """
    if len(stores) < 2:
        named = f" ({stores[0][0]})" if stores else ""
        raise ConfigError(f"one store given{named}; give the stores of two or more "
                          "annotators, one per person, made for the same data")
    seen: dict[Path, Path] = {}
    for path, _ in stores:
        real = Path(path).resolve()
        if real in seen:
            raise ConfigError(f"{path}: the same store is named twice ({seen[real]} and "
                              f"{path}); give each annotator's own store once")
        seen[real] = path
    for path, meta in stores:
        if meta.settings.get("kind") == MEASURED:
            raise StoreError(f"{path}: an optimize session's store holds measured goal "
                             "values, not class labels; only stores of classify and screen "
                             "sessions can be compared or merged")
    first_path, first = stores[0]
    for path, meta in stores[1:]:
        if meta.fingerprint != first.fingerprint:
            raise StoreError(
                f"{path}: made for other data than {first_path} ({meta.source}, fingerprint "
                f"{meta.fingerprint[:12]}; {first_path} has {first.source}, fingerprint "
                f"{first.fingerprint[:12]}); every annotator's store must be made for the "
                "same data file")
        differs = first_difference(first.settings, meta.settings)
        if differs is not None:
            key, theirs, ours = differs
            raise StoreError(
                f"{path}: made with other settings than {first_path}: {key} is "
                f"{_shown(ours)} here and {_shown(theirs)} there; every annotator's store "
                "must be made with the same settings")


def first_difference(a: dict[str, Any], b: dict[str, Any],
                     prefix: str = "") -> tuple[str, Any, Any] | None:
    """The first key (in sorted order; nested keys dotted, ``task.exclude``) whose value
    differs between two settings dicts, with its value in ``a`` and in ``b`` (``None``
    where a dict lacks it); ``None`` when they are equal."""
    for key in sorted({*a, *b}):
        left, right = a.get(key), b.get(key)
        if isinstance(left, dict) and isinstance(right, dict):
            inner = first_difference(left, right, f"{prefix}{key}.")
            if inner is not None:
                return inner
        elif left != right:
            return f"{prefix}{key}", left, right
    return None


def _shown(value: Any) -> str:
    """A setting's value in a message: lists comma-separated, nothing as ``(none)``."""
    if value is None or value == []:
        return "(none)"
    if isinstance(value, list):
        return ",".join(map(str, value))
    return repr(value) if isinstance(value, str) else str(value)


def member_names(annotators: list[tuple[str, ...]], stems: list[str]) -> list[str]:
    """Each member's name: their annotator name (names joined with ``+`` when a store
    has several); when two members would share a name, every member so named gets
    its store's file stem instead (``a``, ``b``), numbered if the stems clash too."""
    names = ["+".join(a) if a else stem for a, stem in zip(annotators, stems, strict=True)]
    counts = Counter(names)
    names = [stem if counts[n] > 1 else n for n, stem in zip(names, stems, strict=True)]
    counts = Counter(names)
    seen: Counter[str] = Counter()
    out = []
    for n in names:
        seen[n] += 1
        out.append(f"{n}-{seen[n]}" if counts[n] > 1 else n)
    return out
