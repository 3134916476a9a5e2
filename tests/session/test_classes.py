"""The labeling session: a UI-free state machine rebuilt from its journal."""

import io
import re
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alearn.errors import ConfigError, DataError, StoreBusyError, StoreError
from alearn.journal.labels import current_labels
from alearn.journal.store import Store
from alearn.session.keystrokes import Command, parse_key, parse_line
from alearn.session.opening.classes import open_session


def pool_frame(n=40, seed=0):
    rng = np.random.default_rng(seed)
    truth = np.array(["a", "b", "c"])[rng.integers(3, size=n)]
    shift = {"a": 0.0, "b": 2.5, "c": -2.5}
    return pd.DataFrame({
        "x1": [rng.normal() + shift[t] for t in truth],
        "x2": rng.normal(size=n).round(3),
        "note": [f"item number {i} " + "long text " * (i % 4) for i in range(n)],
        "truth": truth,
        "label": np.nan,
    })


@pytest.fixture(scope="module")
def pool_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("pool") / "pool.csv"
    pool_frame().to_csv(path, index=False)
    return path


def answer(session, truth):
    """The true class of the row on screen (found by its content id)."""
    row = int(np.flatnonzero(session.ids == session.current().row_id)[0])
    return truth[row]


# -- parsing ------------------------------------------------------------------
def test_keys_map_to_classes_and_actions():
    classes = ["spam", "ham"]
    assert parse_key("1", classes) == Command("label", "spam")
    assert parse_key("2", classes) == Command("label", "ham")
    assert parse_key("3", classes) == Command("unknown", "3")
    assert parse_key("s", classes).action == "skip"
    assert parse_key("u", classes).action == "undo"
    assert parse_key("?", classes).action == "help"
    assert parse_key("q", classes).action == "quit"
    assert parse_key("\x03", classes).action == "quit"  # Ctrl-C behaves like q
    assert parse_key("x", classes) == Command("unknown", "x")
    assert parse_key("\x1b[D", classes).action == "unknown"  # Left: an escape sequence, one key
    assert parse_key("\x1b[6~", classes) == Command("page", "next")  # PgDn
    assert parse_key("\x1b[A", classes) == Command("page", "previous")  # Up


def test_lines_take_names_and_keys():
    assert parse_line("ham\n", ["spam", "ham"], False) == Command("label", "ham")
    assert parse_line("1", ["spam", "ham"], False) == Command("label", "spam")
    assert parse_line("s", ["spam"], False).action == "skip"
    assert parse_line("eggs", ["spam"], False) == Command("unknown", "eggs")
    assert parse_line("eggs", ["spam"], True) == Command("label", "eggs")
    assert parse_line("  ", ["spam"], True).action == "unknown"


# -- the session --------------------------------------------------------------
def test_labels_retrain_estimate_and_curve(pool_csv, tmp_path):
    truth = pd.read_csv(pool_csv)["truth"].to_numpy()
    with open_session(pool_csv, target="label", classes="a,b,c", batch=2,
                      store=tmp_path / "s.db") as session:
        view = session.current()
        assert not view.done and view.why.kind == "start"
        shown = [name for name, _, _ in view.fields]
        assert shown == ["x1", "x2", "note", "truth"]  # the target column is not shown
        assert view.progress.until_retrain == 2
        steps = [session.label(answer(session, truth)) for _ in range(8)]
        assert [s.retrained for s in steps] == [False, True] * 4
        # Labels 4 and 8 were audit rows: the estimate is measured on them.
        estimate = steps[-1].estimate
        assert estimate.method.startswith("2 audit labels drawn at random")
        assert 0 <= estimate.low <= estimate.accuracy <= estimate.high <= 1
        assert steps[-1].curve.n_labels == 8 and 0 <= steps[-1].curve.accuracy <= 1
        view = session.current()
        assert view.why.kind == "uncertain" and view.why.score is not None
        assert len(view.why.top) == 3 and abs(sum(p for _, p in view.why.top) - 1) < 1e-9
        assert sum(view.progress.class_counts.values()) == 8
    assert len(current_labels(tmp_path / "s.db")) == 8


def test_undo_across_retrains_restores_the_earlier_state(pool_csv, tmp_path):
    truth = pd.read_csv(pool_csv)["truth"].to_numpy()
    with open_session(pool_csv, target="label", classes="a,b,c", batch=3,
                      store=tmp_path / "s.db") as session:
        states = [session.state()]
        for i in range(7):
            if i == 2:
                session.skip()
            else:
                session.label(answer(session, truth))
            states.append(session.state())
        for expected in reversed(states[:-1]):
            step = session.undo()
            assert step.action == "undo"
            assert session.state() == expected
        assert session.undo().action == "none"
    assert current_labels(tmp_path / "s.db").empty


def test_new_class_names_get_the_next_key(pool_csv, tmp_path):
    with open_session(pool_csv, target="label", store=tmp_path / "s.db") as session:
        assert session.current().classes == [] and session.current().open_classes
        step = session.label("dog")
        assert step.new_class == "dog" and "key 1" in step.message
        assert session.label("cat").new_class == "cat"
        assert session.label("dog").new_class is None
        assert session.current().classes == ["dog", "cat"]
    with open_session(pool_csv, store=tmp_path / "s.db") as session:
        assert session.current().classes == ["dog", "cat"]  # restored from the journal


def test_class_names_are_trimmed_matched_by_case_and_freed_when_undone(pool_csv, tmp_path):
    store = tmp_path / "s.db"
    with open_session(pool_csv, target="label", store=store) as session:
        session.label("good")
        step = session.label(" Good ")  # trimmed, and the same class whatever its case
        assert step.value == "good" and step.new_class is None
        assert "typed 'Good': the existing class" in step.message
        assert session.label("Good", distinct=True).new_class == "Good"  # asked, and said so
        assert session.current().classes == ["good", "Good"]
        step = session.undo()  # the mistake: its class has no label left, its key is free
        assert "class 'Good' has no label left (key 2 is free)" in step.message
        assert session.current().classes == ["good"]
        assert session.label("bad").message.endswith("(new class, key 2)")
        session.label("oops")
        session.undo()
        assert session.current().classes == ["good", "bad"]
    with open_session(pool_csv, store=store) as session:  # replayed: the same keys
        assert session.current().classes == ["good", "bad"]
        assert list(current_labels(store)["label"]) == ["good", "good", "bad"]


def test_given_classes_stay_without_labels(pool_csv, tmp_path):
    with open_session(pool_csv, target="label", classes="a,b", store=tmp_path / "s.db") as s:
        s.label("B")  # a closed class, whatever its case
        s.undo()
        assert s.current().classes == ["a", "b"] and s.n_labeled == 0


def test_closed_classes_refuse_unknown_names(pool_csv, tmp_path):
    with open_session(pool_csv, target="label", classes="a,b", store=tmp_path / "s.db") as s:
        step = s.label("zebra")
        assert step.action == "none" and "unknown class 'zebra'" in step.message
        assert s.n_labeled == 0


def test_existing_labels_seed_the_start(tmp_path):
    frame = pool_frame()
    frame["label"] = np.where(np.arange(len(frame)) < 10, frame["truth"], None)
    path = tmp_path / "seeded.csv"
    frame.to_csv(path, index=False)
    with open_session(path, target="label", store=tmp_path / "s.db") as session:
        view = session.current()
        assert view.progress.seeded == 10 and view.progress.labeled == 0
        assert set(view.classes) == set(frame.loc[:9, "truth"])
        assert session.learner.model is not None and view.why.kind == "uncertain"
        assert view.progress.remaining == 30


def test_target_means_exactly_that_column(tmp_path):
    """--target naming a new column never falls back to the file's class column."""
    frame = pool_frame()
    frame["kind!"] = frame["truth"]
    path = tmp_path / "marked.csv"
    frame.drop(columns=["truth"]).to_csv(path, index=False)
    with open_session(path, target="mood", classes="happy,sad",
                      store=tmp_path / "s.db") as session:
        view = session.current()
        assert view.progress.seeded == 0 and view.classes == ["happy", "sad"]
        assert "kind!" not in [name for name, _, _ in view.fields]
        assert "kind!" not in session.data.features.columns
        assert any("kind!" in note and "--target 'mood'" in note
                   for note in session.data.notices())
    with open_session(path, store=tmp_path / "t.db") as session:  # no --target: kind!
        # Every row carries a label in kind!: a practice session, measured on them.
        assert session.settings.gold == "kind!" and session.current().progress.seeded == 0


def test_budget_ends_the_session(pool_csv, tmp_path):
    with open_session(pool_csv, target="label", classes="a,b", budget=2,
                      store=tmp_path / "s.db") as session:
        session.label("a")
        session.label("b")
        view = session.current()
        assert view.done and "budget of 2 labels" in view.reason
        assert session.label("a").action == "none"
    # A bigger budget on resume continues.
    with open_session(pool_csv, budget=3, store=tmp_path / "s.db") as session:
        assert not session.current().done


def test_gold_column_is_measured_and_never_a_feature(pool_csv, tmp_path):
    truth = pd.read_csv(pool_csv)["truth"].to_numpy()
    with open_session(pool_csv, target="label", classes="a,b,c", gold="truth",
                      store=tmp_path / "s.db") as session:
        assert "truth" not in session.data.features.columns
        assert "truth" not in [name for name, _, _ in session.current().fields]
        steps = [session.label(answer(session, truth)) for _ in range(6)]
        last = steps[-1].estimate
        assert last.method == "measured on 34 gold rows" and last.change is not None


def test_gold_file_matched_by_row_content(pool_csv, tmp_path):
    frame = pd.read_csv(pool_csv, dtype=str)
    gold = frame.assign(label=frame["truth"])
    gold_path = tmp_path / "gold.csv"
    gold.to_csv(gold_path, index=False)
    with open_session(pool_csv, target="label", classes="a,b,c", gold=str(gold_path),
                      store=tmp_path / "s.db") as session:
        truth = session.policy.gold
        assert all(isinstance(v, str) for v in truth)
        assert list(truth) == frame["truth"].tolist()


def test_everything_labeled_says_so(tmp_path, cli, monkeypatch):
    frame = pool_frame(n=10)
    frame["label"] = frame["truth"]
    path = tmp_path / "done.csv"
    frame.to_csv(path, index=False)
    # With a --gold of its own, a file whose every row is labeled has nothing to label.
    with open_session(path, target="label", gold="truth", store=tmp_path / "s.db") as session:
        view = session.current()
        assert view.done and "already carry a label" in view.reason
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    result = cli("label", path, "--target", "label", "--gold", "truth",
                 "--store", tmp_path / "t.db")
    assert result.code == 0 and "nothing to label" in result.out
    # Nothing was labeled, so no store is left behind (and no lock or WAL file).
    assert sorted(p.name for p in tmp_path.iterdir()) == ["done.csv"]


def test_everything_labeled_opens_a_practice_session_measured_on_those_labels(tmp_path, cli):
    frame = pool_frame(n=60)
    frame["label"] = frame["truth"]
    path = tmp_path / "done.csv"
    frame.drop(columns=["truth"]).to_csv(path, index=False)
    result = cli("label", path, "--target", "label", stdin="1\n2\n3\n1\n2\n3\nq\n",
                 cwd=tmp_path)
    assert result.code == 0, result.err
    flat = " ".join(result.out.split())  # the screen wraps long lines
    assert "a practice session, with those labels hidden and used as gold" in flat
    assert "[1] a (0) [2] b (0) [3] c (0)" in flat  # keys from the first row
    assert "saved 6 labels" in flat and "from the data" not in flat
    assert re.search(r"accuracy \d\.\d\d \[[^]]+\], majority class \d\.\d\d", flat)
    assert "gold rows; 90 % interval" in flat
    # The labels are never shown (the target column is hidden) and the store keeps gold.
    assert "label " not in result.out.split("why:")[0]
    with open_session(path, store=tmp_path / "done.labels.db") as session:
        assert session.settings.gold == "label" and session.settings.classes == ("a", "b", "c")


def test_a_store_with_rows_to_label_is_kept_even_unused(pool_csv, tmp_path):
    with open_session(pool_csv, target="label", classes="a,b", store=tmp_path / "s.db"):
        pass  # quit at once: the store keeps its settings (--classes) for the resume
    with open_session(pool_csv, target="label", store=tmp_path / "s.db") as session:
        assert session.settings.classes == ("a", "b")


# -- the command, piped ---------------------------------------------------------
def test_piped_session_and_export(pool_csv, tmp_path, cli, monkeypatch):
    store = tmp_path / "s.db"
    monkeypatch.setattr("sys.stdin", io.StringIO("1\n2\nb\n9\nbogus\ns\nu\nc\nq\n"))
    result = cli("label", pool_csv, "--target", "label", "--classes", "a,b,c",
                 "--store", store, "--batch", "2", "--annotator", "ann")
    assert result.code == 0, result.err
    assert "unknown key '9'" in result.out and "unknown key 'bogus'" in result.out
    assert "saved 4 labels (0 skipped)" in result.out
    exported = cli("labels", store)
    assert exported.code == 0
    lines = exported.out.strip().splitlines()
    assert lines[0] == "id,label,annotator,time"
    assert [line.split(",")[1] for line in lines[1:]] == ["a", "b", "b", "c"]
    assert all(line.split(",")[2] == "ann" for line in lines[1:])


def test_bad_input_is_one_clear_line(pool_csv, tmp_path, cli, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("q\n"))
    store = tmp_path / "s.db"
    assert cli("label", pool_csv, "--target", "label", "--store", store).code == 0
    # A store for other data.
    other = tmp_path / "other.csv"
    pool_frame(seed=1).to_csv(other, index=False)
    result = cli("label", other, "--target", "label", "--store", store)
    assert result.code == 2 and "made for other data" in result.err
    assert len(result.err.strip().splitlines()) == 1
    # Settings that would change the suggestions.
    result = cli("label", pool_csv, "--strategy", "entropy", "--store", store)
    assert result.code == 2 and "made with --strategy margin" in result.err
    # A locked store.
    with Store.open(store):
        result = cli("label", pool_csv, "--store", store)
    assert result.code == 3 and "in use" in result.err
    # An unwritable store path; nothing is left behind.
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = cli("label", pool_csv, "--store", blocker / "s.db")
    assert result.code == 2 and "cannot write the label store" in result.err
    # Unknown options.
    result = cli("label", pool_csv, "--model", "forest", "--store", tmp_path / "n.db")
    assert result.code == 2 and "--model 'forest' is not known" in result.err
    assert not (tmp_path / "n.db").exists()
    result = cli("label", pool_csv, "--gold", "nope", "--store", tmp_path / "n.db")
    assert result.code == 2 and "neither a file nor a column" in result.err
    result = cli("labels", tmp_path / "missing.db")
    assert result.code == 2 and "no such label store" in result.err


def test_one_row_data_is_a_clear_error(tmp_path, cli):
    path = tmp_path / "one.csv"
    pool_frame(n=1).to_csv(path, index=False)
    result = cli("label", path, "--store", tmp_path / "s.db")
    assert result.code == 2 and "only one data row" in result.err
    assert not (tmp_path / "s.db").exists()


def test_busy_store_refused_by_open_session(pool_csv, tmp_path):
    with open_session(pool_csv, target="label", store=tmp_path / "s.db"), \
            pytest.raises(StoreBusyError):
        open_session(pool_csv, target="label", store=tmp_path / "s.db")


def test_errors_are_alearn_errors(pool_csv, tmp_path):
    with pytest.raises(ConfigError, match="--batch must be a whole number from 1 to"):
        open_session(pool_csv, batch=0, store=tmp_path / "s.db")
    with pytest.raises(ConfigError, match="--classes repeats a"):
        open_session(pool_csv, classes="a,b,a", store=tmp_path / "s.db")
    with pytest.raises(ConfigError):
        open_session(tmp_path / "missing.csv", store=tmp_path / "s.db")
    assert issubclass(StoreBusyError, StoreError) and not issubclass(DataError, StoreError)


# -- the property: replaying the journal gives the same state -------------------
OPS = st.lists(st.one_of(
    st.tuples(st.just("label"), st.sampled_from(["a", "b", "c", " C"])),
    st.tuples(st.just("skip"), st.none()),
    st.tuples(st.just("undo"), st.none()),
    st.tuples(st.just("quit"), st.none()),
), max_size=24)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=OPS, batch=st.sampled_from([1, 3]), strategy=st.sampled_from(["margin", "random"]),
       open_classes=st.booleans())
def test_replayed_journal_gives_the_same_state_and_next_row(pool_csv, ops, batch, strategy,
                                                            open_classes):
    """With open classes, a class is made by its first label and dropped when its last is
    undone ("C" is "c"): the replayed keys are the live ones."""
    with tempfile.TemporaryDirectory() as tmp:
        interrupted, straight = Path(tmp) / "a.db", Path(tmp) / "b.db"
        options = {"target": "label", "classes": None if open_classes else "a,b,c",
                   "batch": batch, "strategy": strategy, "start": "random"}
        a = open_session(pool_csv, store=interrupted, **options)
        b = open_session(pool_csv, store=straight, **options)
        try:
            for op, value in ops:
                if op == "quit":
                    a.close()
                    a = open_session(pool_csv, store=interrupted)
                    continue
                for session in (a, b):
                    if op == "label":
                        session.label(value)
                    else:
                        getattr(session, op)()
            live = a.state()
            assert live == b.state()  # quitting and resuming changes nothing
        finally:
            a.close()
            b.close()
        with open_session(pool_csv, store=interrupted) as replayed:
            assert replayed.state() == live


# -- task settings that change suggestions are fixed by the store ------------------
def text_task(folder, extra=""):
    folder.mkdir(parents=True, exist_ok=True)
    pool_frame().to_csv(folder / "pool.csv", index=False)
    (folder / "task.toml").write_text('data = "pool.csv"\ntarget = "label"\ntext = ["note"]\n'
                                      'features = { exclude = ["truth"] }\n' + extra,
                                      encoding="utf-8")
    return folder


@pytest.mark.parametrize("change", [
    "ngrams = 1", 'stop_words = "none"', "lsa = 3", "text_weights = { note = 2 }",
])
def test_changed_text_settings_are_refused_on_resume(tmp_path, change):
    folder = text_task(tmp_path / "t")
    store = tmp_path / "s.db"
    truth = pool_frame()["truth"].to_numpy()
    with open_session(folder, classes="a,b,c", store=store) as session:
        session.label(answer(session, truth))
    with open_session(folder, store=store) as again:  # unchanged: resumes
        assert again.resumed
    toml = folder / "task.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + change + "\n", encoding="utf-8")
    key = change.split()[0]
    with pytest.raises(StoreError, match=f"settings changed since this label store was made "
                                         f"\\({key}\\)"):
        open_session(folder, store=store)


def test_store_without_recorded_text_settings_still_resumes(tmp_path):
    import json
    import sqlite3

    folder = text_task(tmp_path / "t", "lsa = 3\n")
    store = tmp_path / "s.db"
    truth = pool_frame()["truth"].to_numpy()
    with open_session(folder, classes="a,b,c", store=store) as session:
        session.label(answer(session, truth))
        expected = session.state()
    # A store written before these keys were recorded.
    with sqlite3.connect(store) as conn:
        settings = json.loads(conn.execute("SELECT value FROM meta WHERE key = 'settings'")
                              .fetchone()[0])
        for key in ("text_weights", "ngrams", "stop_words", "lsa", "kind", "positive",
                    "batch_growth"):
            del settings["task"][key]
        conn.execute("UPDATE meta SET value = ? WHERE key = 'settings'",
                     (json.dumps(settings, sort_keys=True),))
    conn.close()
    with open_session(folder, store=store) as again:
        assert again.resumed and again.state() == expected
        assert again.settings.batch_growth == 0.0


def test_help_explains_margin_accuracy_and_majority(pool_csv, tmp_path, cli):
    result = cli("label", pool_csv, "--target", "label", "--classes", "a,b,c",
                 "--store", tmp_path / "s.db", stdin="?\nq\n")
    flat = " ".join(result.out.split())
    assert "margin: gap between the two likeliest classes (small: unsure" in flat
    assert "accuracy [a, b]: right answers on random audit rows (or --gold)" in flat
    assert "majority class: what always answering the commonest class scores" in flat
