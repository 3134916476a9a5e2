"""Row identity (``--id``, a detected id column), hidden columns (``--hide``), the
fields a wide row shows first, and ``alearn labels --fields``."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from alearn.data.rowid import detect_id
from alearn.errors import ConfigError, DataError, StoreError
from alearn.journal.labels import current_labels
from alearn.journal.store import read_store
from alearn.session.opening import columns as session_columns
from alearn.session.opening.classes import open_session


def tickets(n: int = 40, seed: int = 0) -> pd.DataFrame:
    """A plain file whose `ticket` column is unique; `leak` gives the answer away."""
    rng = np.random.default_rng(seed)
    y = rng.integers(2, size=n)
    return pd.DataFrame({
        "ticket": [f"T-{9000 - 7 * k}" for k in range(n)],
        "Size": rng.normal(size=n) + 2.5 * y, "Weight": rng.normal(size=n),
        "leak": np.where(y == 1, "yes!", "no!"), "label": None})


@pytest.fixture
def pool(tmp_path):
    path = tmp_path / "tickets.csv"
    tickets().to_csv(path, index=False)
    return path


def _label_some(session, k: int) -> list[str]:
    labeled = []
    for i in range(k):
        view = session.current()
        session.label("a" if i % 2 else "b")
        labeled.append(view.row_id)
    return labeled


# -- detection ---------------------------------------------------------------------
def test_a_unique_id_column_is_offered_kept_in_the_store_and_never_a_feature(pool, tmp_path):
    store = tmp_path / "s.db"
    frame = pd.read_csv(pool)
    with open_session(pool, target="label", classes="a,b", store=store) as session:
        assert list(session.ids) == list(frame["ticket"])
        assert "ticket" not in session.data.features.columns
        assert any("using column 'ticket' as the row id" in n and "--id" in n
                   for n in session.data.notices())
        assert "ticket" not in [name for name, _, _ in session.current().fields]
        labeled = _label_some(session, 5)
        following = session.current().row_id
    meta, _ = read_store(store)
    assert meta.settings["task"]["id"] == "ticket"
    # Resuming without --id finds the same rows by the stored id column.
    with open_session(pool, target="label", store=store) as session:
        assert session.resumed and session.current().row_id == following
        assert list(current_labels(store)["id"]) == labeled


def test_an_id_that_is_given_must_match_the_store(pool, tmp_path):
    store = tmp_path / "s.db"
    with open_session(pool, target="label", classes="a,b", store=store, id="ticket") as s:
        _label_some(s, 2)
        following = s.current().row_id
    with open_session(pool, target="label", store=store, id="ticket") as s:
        assert s.current().row_id == following
    with pytest.raises(StoreError, match="made with --id ticket; leave the option out"):
        open_session(pool, target="label", store=store, id="leak")


def test_a_store_made_without_an_id_keeps_its_content_hashes(pool, tmp_path, monkeypatch):
    store = tmp_path / "s.db"
    # As a store made before ids were detected: rows named by their content.
    monkeypatch.setattr(session_columns, "detect_id", lambda *a, **k: None)
    with open_session(pool, target="label", classes="a,b", store=store) as session:
        hashes = list(session.ids)
        labeled = _label_some(session, 3)
        following = session.current().row_id
    assert all(len(h) == 16 for h in hashes) and "T-9000" not in hashes
    monkeypatch.undo()
    with open_session(pool, target="label", store=store) as session:
        assert list(session.ids) == hashes and session.current().row_id == following
    assert list(current_labels(store)["id"]) == labeled
    with pytest.raises(StoreError, match=r"made with --id \(none: rows named by a hash"):
        open_session(pool, target="label", store=store, id="ticket")


@pytest.mark.parametrize(("values", "name", "found"), [
    ([f"{v:.4f}" for v in np.linspace(0.1, 9.9, 40)], "reading", False),  # unique floats
    ([str(3 * k + 11) for k in range(40)], "count", False),  # unique integers, not a counter
    ([str(3 * k + 11) for k in range(40)], "case_id", True),  # ... named as an id
    ([str(40 - k) for k in range(40)], "n", True),  # a row counter
    ([f"word {k} and more words" for k in range(40)], "note", False),  # text
    ([f"k{k}" for k in range(39)] + ["k0"], "key", False),  # a repeat
    ([f"k{k}" for k in range(39)] + [None], "key", False),  # a missing value
    ([f"k{k}" for k in range(5)], "code", False),  # too few rows to tell
    ([f"k{k}" for k in range(5)], "RowId", True),  # ... unless named so
])
def test_detection_is_conservative(values, name, found):
    table = pd.DataFrame({name: values, "x": [f"{0.5 * k:.2f}" for k in range(len(values))]})
    assert (detect_id(table) == name) is found


def test_an_id_named_column_wins_and_excluded_columns_are_never_ids():
    n = 30
    table = pd.DataFrame({"email": [f"u{k}@x.org" for k in range(n)],
                          "userId": [str(100 + 3 * k) for k in range(n)]})
    assert detect_id(table) == "userId"
    assert detect_id(table, exclude={"userId"}) == "email"


# -- bad ids --------------------------------------------------------------------------
def test_bad_ids_are_refused_with_the_column_named(tmp_path):
    frame = tickets()
    path = tmp_path / "t.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(ConfigError, match=r"--id 'nope' is not a column of .*t.csv"):
        open_session(path, target="label", store=tmp_path / "a.db", id="nope")
    with pytest.raises(DataError, match="'leak' repeats the value"):
        open_session(path, target="label", store=tmp_path / "b.db", id="leak")
    frame.loc[4, "ticket"] = None
    frame.to_csv(path, index=False)
    with pytest.raises(DataError, match="'ticket' is empty in row 5"):
        open_session(path, target="label", store=tmp_path / "c.db", id="ticket")
    assert not list(tmp_path.glob("*.db"))


# -- hidden columns ---------------------------------------------------------------------
def test_a_hidden_column_is_never_shown_is_kept_in_the_store_and_still_a_feature(pool,
                                                                                  tmp_path):
    store = tmp_path / "s.db"
    with open_session(pool, target="label", classes="a,b", store=store, hide=("leak",)) as s:
        assert "leak" in s.data.features.columns  # the model still has it
        for _ in range(4):
            assert "leak" not in [name for name, _, _ in s.current().fields]
            s.label("a")
    assert read_store(store)[0].settings["hide"] == ["leak"]
    # Resumed without --hide: still hidden; another column can be hidden as well.
    with open_session(pool, target="label", store=store, hide=("Weight",)) as s:
        shown = [name for name, _, _ in s.current().fields]
        assert "leak" not in shown and "Weight" not in shown and "Size" in shown
    assert read_store(store)[0].settings["hide"] == ["leak", "Weight"]


def test_bad_hides_are_refused(pool, tmp_path):
    with pytest.raises(ConfigError, match="--hide 'nope' is not a column of"):
        open_session(pool, target="label", store=tmp_path / "a.db", hide=("nope",))
    with pytest.raises(ConfigError, match="--hide 'ticket' is the row id column"):
        open_session(pool, target="label", store=tmp_path / "b.db", hide=("ticket",),
                     id="ticket")
    assert not list(tmp_path.glob("*.db"))


def test_a_hidden_column_is_not_offered_as_the_id(pool, tmp_path):
    with open_session(pool, target="label", store=tmp_path / "s.db",
                      hide=("ticket",)) as session:
        assert "T-9000" not in set(session.ids)
        assert "ticket" not in [name for name, _, _ in session.current().fields]


def test_a_task_folder_sets_id_and_hide(tmp_path):
    folder = tmp_path / "task"
    folder.mkdir()
    tickets().to_csv(folder / "data.csv", index=False)
    (folder / "task.toml").write_text('data = "data.csv"\ntarget = "label"\nid = "ticket"\n'
                                      'hide = ["leak"]\n')
    with open_session(folder, classes="a,b", store=tmp_path / "s.db") as session:
        assert session.ids[0] == "T-9000"
        assert "leak" not in [name for name, _, _ in session.current().fields]
        assert not any("as the row id" in n for n in session.data.notices())


# -- wide rows: the model's strongest columns first ---------------------------------------
def test_a_model_ranks_the_columns_it_leans_on(tmp_path):
    rng = np.random.default_rng(3)
    n, p = 80, 12
    X = rng.normal(size=(n, p))
    frame = pd.DataFrame(X, columns=[f"c{j}" for j in range(p)])
    frame["label"] = np.where(X[:, 7] > 0, "pos", "neg")
    frame.loc[20:, "label"] = None
    path = tmp_path / "w.csv"
    frame.to_csv(path, index=False)
    for model in ("logreg", "tree", "nb"):
        with open_session(path, target="label", store=tmp_path / f"{model}.db",
                          model=model) as session:
            ranked = session.current().ranked
            assert ranked[0] == "c7", (model, ranked)
            assert set(ranked) <= set(frame.columns)
    # Before any model there is no ranking: file order.
    frame["label"] = None
    frame.to_csv(tmp_path / "u.csv", index=False)
    with open_session(tmp_path / "u.csv", target="label", store=tmp_path / "u.db") as session:
        assert session.current().ranked == ()


# -- alearn labels --fields ----------------------------------------------------------------
def test_labels_exports_chosen_fields_joined_by_id(pool, tmp_path, cli):
    store = tmp_path / "s.db"
    with open_session(pool, target="label", classes="a,b", store=store) as session:
        labeled = _label_some(session, 4)
    result = cli("labels", store, "--fields", "ticket,Size", "--fields", "leak")
    assert result.code == 0, result.err
    got = pd.read_csv(io.StringIO(result.out), dtype=str)
    assert list(got.columns) == ["id", "label", "annotator", "time", "ticket", "Size", "leak"]
    frame = pd.read_csv(pool, dtype=str).set_index("ticket", drop=False)
    assert list(got["id"]) == labeled == list(got["ticket"])
    assert list(got["Size"]) == list(frame.loc[labeled, "Size"])
    assert list(got["leak"]) == list(frame.loc[labeled, "leak"])
    out = tmp_path / "l.parquet"
    assert cli("labels", store, "--fields", "Size", "--out", out).code == 0
    assert list(pd.read_parquet(out).columns)[-1] == "Size"


def test_labels_fields_join_content_hash_ids_too(tmp_path, cli, monkeypatch):
    path = tmp_path / "t.csv"
    tickets().drop(columns=["ticket"]).to_csv(path, index=False)
    store = tmp_path / "s.db"
    with open_session(path, target="label", classes="a,b", store=store) as session:
        labeled = _label_some(session, 3)
        rows = [int(np.flatnonzero(session.ids == r)[0]) for r in labeled]
    result = cli("labels", store, "--fields", "Weight")
    got = pd.read_csv(io.StringIO(result.out), dtype=str)
    assert list(got["Weight"]) == list(pd.read_csv(path, dtype=str)["Weight"].iloc[rows])


def test_labels_fields_refusals(pool, tmp_path, cli):
    store = tmp_path / "s.db"
    with open_session(pool, target="label", classes="a,b", store=store) as session:
        _label_some(session, 2)
    result = cli("labels", store, "--fields", "nope")
    assert result.code == 2 and "--fields 'nope' is not a column of" in result.err
    result = cli("labels", store, "--fields", "label")
    assert result.code == 2 and "--fields 'label' has the name of a column" in result.err
    moved = tmp_path / "moved"
    moved.mkdir()
    pool.rename(moved / "elsewhere.csv")
    result = cli("labels", store, "--fields", "Size")
    assert result.code == 2 and "--data FILE" in result.err
    result = cli("labels", store, "--fields", "Size", "--data", moved / "elsewhere.csv")
    assert result.code == 0 and "Size" in result.out.splitlines()[0]


def test_e_and_f_are_keys_and_never_class_names():
    from alearn.session.keystrokes import Command, name_problem, parse_key, parse_line
    from alearn.session.measure_views import parse_answer
    from alearn.session.opening.class_settings import parse_classes

    assert parse_key("e", ["a"]) == Command("expand")
    assert parse_line("f", ["a"], open_classes=True) == Command("fields")
    assert "is a key" in (name_problem("e", ["a"], open_classes=True) or "")
    with pytest.raises(ConfigError, match="'f', which is a key"):
        parse_classes("a,f")
    assert parse_answer("e", 2).action == "expand" and parse_answer("F", 2).action == "fields"
