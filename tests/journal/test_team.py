"""check_same_study: several annotators' stores of one study, or one line saying why not."""

from pathlib import Path

import pytest

from alearn.errors import ConfigError, StoreError
from alearn.journal.events import StoreMeta
from alearn.journal.team import check_same_study, first_difference, member_names

SETTINGS = {"target": "label", "classes": ["no", "yes"], "seed": 0, "audit": 4,
            "task": {"id": "item", "exclude": []}}


def meta(fingerprint: str = "f" * 64, source: str = "/d/pool.csv", **changes: object
         ) -> StoreMeta:
    return StoreMeta(fingerprint=fingerprint, source=source,
                     settings={**SETTINGS, **changes}, created="2026-01-01")


def test_same_data_and_settings_pass_whatever_the_data_path() -> None:
    check_same_study([(Path("a.db"), meta()), (Path("b.db"), meta(source="/e/pool.csv")),
                      (Path("c.db"), meta())])


def test_one_store_is_refused_naming_it() -> None:
    with pytest.raises(ConfigError, match=r"one store given \(a.db\); give the stores of two"):
        check_same_study([(Path("a.db"), meta())])


def test_the_same_store_twice_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="the same store is named twice"):
        check_same_study([(tmp_path / "a.db", meta()), (tmp_path / "." / "a.db", meta())])


def test_other_data_names_both_stores_and_fingerprints() -> None:
    with pytest.raises(StoreError, match=r"b.db: made for other data than a.db \(/d/x.csv, "
                       r"fingerprint eeeeeeeeeeee; a.db has /d/pool.csv, fingerprint ffff"):
        check_same_study([(Path("a.db"), meta()),
                          (Path("b.db"), meta(fingerprint="e" * 64, source="/d/x.csv"))])


def test_other_settings_name_the_nested_key() -> None:
    other = meta(task={"id": "item", "exclude": ["colour"]})
    with pytest.raises(StoreError, match=r"b.db: made with other settings than a.db: "
                       r"task.exclude is colour here and \(none\) there"):
        check_same_study([(Path("a.db"), meta()), (Path("b.db"), other)])


def test_an_optimize_store_is_refused() -> None:
    with pytest.raises(StoreError, match=r"c\.db: an optimize session's store holds measured"):
        check_same_study([(Path("a.db"), meta()), (Path("c.db"), meta(kind="optimize"))])


def test_first_difference_is_none_for_equal_settings() -> None:
    assert first_difference(SETTINGS, dict(SETTINGS)) is None
    assert first_difference({"a": 1}, {"a": 1, "b": 2}) == ("b", None, 2)


def test_member_names_use_file_stems_only_where_names_clash() -> None:
    assert member_names([("ann",), ("bob",)], ["a", "b"]) == ["ann", "bob"]
    assert member_names([("me",), ("me",), ("bob",)], ["a", "b", "c"]) == ["a", "b", "bob"]
    assert member_names([("me",), ("me",)], ["x", "x"]) == ["x-1", "x-2"]
    assert member_names([("ann", "anne"), ()], ["a", "b"]) == ["ann+anne", "b"]
