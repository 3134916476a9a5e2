"""``alearn merge``, ``alearn label TEAM.db --adjudicate`` and ``alearn labels`` of a
merged store, through the CLI; dual screening end to end."""

import hashlib
import io
import json

import numpy as np
import pandas as pd
import pytest
from conftest import team_pool

from alearn.journal.merged import team_state
from alearn.journal.store import read_store
from alearn.kinds.screen.stopping import advise
from alearn.session.opening.classes import open_session


def _label(data, store, annotator, answer, n, **options):
    """``n`` answers in a store of its own, ``answer(row_id, truth)`` giving each."""
    with open_session(data, store=store, annotator=annotator, **options) as session:
        truth = session.data.table["truth"].astype(str).to_numpy()
        for _ in range(n):
            view = session.current()
            if view.done:
                break
            row = int(np.flatnonzero(session.ids == view.row_id)[0])
            session.label(answer(view.row_id, truth[row]))


@pytest.fixture
def pool(tmp_path):
    return team_pool(tmp_path)


FLIP = {"no": "yes", "yes": "no"}


@pytest.fixture
def stores(pool, tmp_path):
    options = {"target": "label", "classes": "no,yes", "id": "item", "hide": ("truth",),
               "exclude": ("truth",)}
    ann, bob = tmp_path / "ann.db", tmp_path / "bob.db"
    _label(pool, ann, "ann", lambda i, t: t, 12, **options)
    # bob answers the other way on every third row id
    _label(pool, bob, "bob", lambda i, t: FLIP[t] if int(i[1:]) % 3 == 0 else t, 12, **options)
    return ann, bob


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_merge_lists_the_conflicts_and_labels_has_a_column_per_annotator(stores, tmp_path,
                                                                          cli):
    ann, bob = stores
    before = [_digest(ann), _digest(bob)]
    team = tmp_path / "team.db"
    done = cli("merge", ann, bob, "--out", team)
    assert done.code == 0, done.err
    assert [_digest(ann), _digest(bob)] == before  # the members' stores are only read
    assert "rule unanimous" in done.out and f"wrote {team}" in done.err
    meta, events = read_store(team)
    state = team_state(meta, events)
    conflicts = [r.row_id for r in state.conflicts()]
    assert conflicts and all(int(i[1:]) % 3 == 0 for i in conflicts)
    listed = done.out.split("conflicts (")[1]
    assert all(f"{i} " in listed for i in conflicts)
    assert f"next: alearn label {team} --adjudicate" in done.out
    # every event copied with who gave it
    assert sorted(e.annotator for e in events) == ["ann"] * 12 + ["bob"] * 12

    got = cli("labels", team)
    frame = pd.read_csv(io.StringIO(got.out), dtype=str, keep_default_na=False)
    assert list(frame.columns) == ["id", "label", "annotator", "time", "ann", "bob", "status",
                                   "note"]
    both = frame[(frame["ann"] != "") & (frame["bob"] != "")]
    assert set(both["status"]) <= {"agreed", "conflict"} and len(both) >= 8
    agreed = both[both["status"] == "agreed"]
    assert (agreed["label"] == agreed["ann"]).all() and (agreed["ann"] == agreed["bob"]).all()
    assert (frame.loc[frame["status"] == "conflict", "label"] == "").all()
    alone = frame[frame["status"] == "single"]
    assert (alone["label"] == alone["ann"] + alone["bob"]).all()

    history = pd.read_csv(io.StringIO(cli("labels", team, "--history").out))
    assert len(history) == 24 and history["replaced"].isna().all()  # nobody replaces another


def test_majority_of_three_settles_what_two_left_open(pool, stores, tmp_path, cli):
    ann, bob = stores
    cat = tmp_path / "cat.db"
    _label(pool, cat, "cat", lambda i, t: t, 12, target="label", classes="no,yes", id="item",
           hide=("truth",), exclude=("truth",))
    done = cli("merge", ann, bob, cat, "--out", tmp_path / "team.db", "--rule", "majority")
    assert done.code == 0, done.err
    assert "by majority" in done.out and "0 conflicts" in done.out


def test_adjudication_decides_undoes_and_resumes_on_the_open_conflict(stores, tmp_path, cli):
    ann, bob = stores
    team = tmp_path / "team.db"
    cli("merge", ann, bob, "--out", team)
    meta, events = read_store(team)
    first, second, *_ = [r.row_id for r in team_state(meta, events).conflicts()]
    # decide the first (key 2 = yes), skip the second, undo, decide again by name, quit
    done = cli("label", team, "--adjudicate", "--annotator", "carol",
               stdin="2\ns\nu\nNo\nq\n")
    assert done.code == 0, done.err
    assert f"row {first}: yes (decided)" in done.out
    assert f"skipped row {second}: it stays a conflict" in done.out
    assert f"undid decision yes of row {first}" in done.out
    assert f"row {first}: no (decided)" in done.out
    assert "saved 2 decisions and 1 undo in" in done.out
    frame = pd.read_csv(io.StringIO(cli("labels", team).out), dtype=str,
                        keep_default_na=False).set_index("id")
    assert tuple(frame.loc[first, ["label", "annotator", "status"]]) == ("no", "carol",
                                                                         "decided")
    # a new session opens on the conflict still open (the skip was not kept)
    again = cli("label", team, "--adjudicate", stdin="q\n")
    assert again.out.split("row ")[1].startswith(second)
    assert "resumed: 1 conflict decided before" in again.out
    _, events = read_store(team)
    assert [(e.action, e.value, e.annotator) for e in events[24:]] == [
        ("decide", "yes", "carol"), ("undo", "decide", "carol"), ("decide", "no", "carol")]


def test_a_store_with_no_conflicts_says_so(pool, tmp_path, cli):
    options = {"target": "label", "classes": "no,yes", "id": "item", "hide": ("truth",)}
    for name in ("ann", "bob"):
        _label(pool, tmp_path / f"{name}.db", name, lambda i, t: t, 6, **options)
    cli("merge", tmp_path / "ann.db", tmp_path / "bob.db", "--out", tmp_path / "t.db")
    done = cli("label", tmp_path / "t.db", "--adjudicate", stdin="")
    assert done.code == 0 and "nothing to decide: no conflicts" in done.out


def test_the_same_annotator_name_twice_is_told_apart_by_file(pool, tmp_path, cli):
    options = {"target": "label", "classes": "no,yes", "id": "item", "hide": ("truth",)}
    for name in ("mon", "tue"):
        _label(pool, tmp_path / f"{name}.db", "ann", lambda i, t: t, 4, **options)
    done = cli("merge", tmp_path / "mon.db", tmp_path / "tue.db", "--out", tmp_path / "t.db")
    assert done.code == 0
    assert "named by their file: ann as mon, ann as tue" in done.err
    columns = cli("labels", tmp_path / "t.db").out.splitlines()[0]
    assert columns == "id,label,annotator,time,mon,tue,status,note"


# -- dual screening end to end ------------------------------------------------------------
@pytest.fixture
def review(tmp_path):
    rng = np.random.default_rng(3)
    words = np.array(["model", "testing", "defect", "survey", "metric", "code", "fault", "tool"])
    n = 80
    relevant = rng.random(n) < 0.25
    titles = [" ".join(rng.choice(words, 6)) + (" systematic mapping" if r else "") + f" t{k}"
              for k, r in enumerate(relevant)]
    folder = tmp_path / "review"
    folder.mkdir()
    pd.DataFrame({"pid": [f"p{k:02d}" for k in range(n)], "title": titles, "label": None,
                  "truth": np.where(relevant, "yes", "no")}).to_csv(folder / "papers.csv",
                                                                    index=False)
    (folder / "task.toml").write_text(
        'kind = "screen"\ndata = "papers.csv"\ntarget = "label"\npositive = "yes"\n'
        'text = ["title"]\nid = "pid"\n[features]\nexclude = ["truth"]\n')
    return folder


def test_dual_screening_merged_adjudicated_and_advised(review, tmp_path, cli):
    ann, bob = tmp_path / "ann.db", tmp_path / "bob.db"
    _label(review, ann, "ann", lambda i, t: t, 30, hide=("truth",))
    # bob misses some relevant papers: a conflict on each he meets
    _label(review, bob, "bob", lambda i, t: "no" if int(i[1:]) % 4 == 0 else t, 30,
           hide=("truth",))
    team = tmp_path / "team.db"
    merged = cli("merge", ann, bob, "--out", team)
    assert merged.code == 0, merged.err
    labels = pd.read_csv(io.StringIO(cli("labels", team).out), dtype=str,
                         keep_default_na=False)
    conflicts = labels[labels["status"] == "conflict"]
    assert len(conflicts) >= 1 and set(conflicts["ann"]) == {"yes"}
    # the advice reads the merged decisions in the team's order; an open conflict
    # counts as relevant
    total = 80
    hits = (labels["label"] == "yes") | (labels["status"] == "conflict")
    expected = advise(hits.to_numpy(), total).message()
    assert f"stopping (the merged decisions): {expected}" in " ".join(merged.out.split())
    # adjudicate every conflict as not relevant: the advice then counts fewer relevant
    done = cli("label", team, "--adjudicate", stdin="2\n" * len(conflicts))
    assert done.code == 0, done.err
    assert "nothing more to decide: every conflict is decided" in done.out
    after = pd.read_csv(io.StringIO(cli("labels", team).out), dtype=str,
                        keep_default_na=False)
    assert set(after.loc[after["id"].isin(conflicts["id"]), "status"]) == {"decided"}
    decided = advise((after["label"] == "yes").to_numpy(), total).message()
    assert decided != expected
    assert f"stopping (the merged decisions): {decided}" in " ".join(done.out.split())


def test_a_merged_store_exports_a_model_of_the_labels_in_force(stores, tmp_path, cli):
    ann, bob = stores
    team = tmp_path / "team.db"
    cli("merge", ann, bob, "--out", team)
    meta, events = read_store(team)
    state = team_state(meta, events)
    done = cli("export", team, "--out", tmp_path / "model")
    assert done.code == 0, done.err
    card = json.loads((tmp_path / "model" / "card.json").read_text())
    settled = [r for r in state.rows.values() if r.label is not None]
    assert card["source"]["store_labels"] == len(settled) < len(state.rows)


def test_a_merge_stopped_half_way_leaves_nothing(stores, tmp_path, cli, monkeypatch):
    from alearn.journal.store import Store

    ann, bob = stores
    before = sorted(p.name for p in tmp_path.iterdir())

    def stopped(self, events):
        raise KeyboardInterrupt  # as Ctrl-C while the events are copied

    monkeypatch.setattr(Store, "copy_events", stopped)
    done = cli("merge", ann, bob, "--out", tmp_path / "team.db")
    assert done.code == 130
    assert sorted(p.name for p in tmp_path.iterdir()) == before
