"""Class descriptions (issue 28): the ``describe`` task key and ``alearn label --describe``.

On TF-IDF text (no extra needed): three kinds of ticket, each with its own words;
the descriptions use some of those words. Before any label the descriptions'
model pre-labels most rows right; the start asks the most typical row of each
class; the store keeps the descriptions, so a resumed session and an export give
the same predictions.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from alearn.engine.learner import Learner
from alearn.kinds.classify import simulate
from alearn.tasks import load_task

WORDS = {"bug": ["crash", "error", "broken", "fails", "exception", "freeze"],
         "feature": ["please", "add", "support", "would", "option", "wish"],
         "question": ["how", "what", "where", "why", "explain", "documentation"]}
FILLER = ["the", "app", "today", "screen", "user", "page", "button", "login", "file"]
DESCRIBE = (("bug", "something crashes with an error"),
            ("feature", "please add support for an option"),
            ("question", "how do I, where is the documentation"))


def tickets(n: int = 240, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    classes = np.array(list(WORDS))[np.arange(n) % 3]
    text = [" ".join([*rng.choice(WORDS[c], 2), *rng.choice(FILLER, 4)]) for c in classes]
    return pd.DataFrame({"id": [f"t{i:03d}" for i in range(n)], "text": text,
                         "label!": classes})


def write_task(folder: Path, extra: str = "", frame: pd.DataFrame | None = None) -> Path:
    folder.mkdir(parents=True)
    (frame if frame is not None else tickets()).to_csv(folder / "data.csv", index=False)
    (folder / "task.toml").write_text('data = "data.csv"\nid = "id"\ntext = ["text"]\n'
                                      'budgets = [8, 16]\nseeds = 2\n' + extra)
    return folder


def describe_toml() -> str:
    return "describe = { " + ", ".join(f'{c} = "{t}"' for c, t in DESCRIBE) + " }\n"


def test_descriptions_pre_label_rows_before_any_label(tmp_path):
    task = simulate.prepare(load_task(write_task(tmp_path / "d", describe_toml())))
    data = simulate.seed_split(task, 0)
    assert data.descriptions is not None and data.start is None
    learner = Learner(data.X_pool, seed=0, text=True, describe=data.descriptions)
    assert learner.model is not None and learner.n_labeled == 0
    zero_shot = (learner.predict(data.X_test) == data.y_test).mean()
    assert zero_shot > 0.6  # chance is 1/3 (a row may share no word with its description)
    start = learner.start_rows()  # the most typical row of each described class
    assert list(data.y_pool[start]) == ["bug", "feature", "question"]
    for row, cls in zip(start, ("bug", "feature", "question"), strict=True):
        similarity = data.descriptions.similarity(data.X_pool[row:row + 1])
        assert data.descriptions.classes[int(np.argmax(similarity))] == cls
        assert np.all((similarity >= 0) & (similarity <= 1 + 1e-9))
    assert learner.model.description_share_ == 1.0  # type: ignore[attr-defined]
    wrong = np.flatnonzero(learner.predict(data.X_pool) != data.y_pool)
    learner.teach(wrong[:1], data.y_pool[wrong[:1]])  # one class labeled: still a model
    assert learner.model.description_share_ < 1.0  # type: ignore[attr-defined]


def test_a_described_task_runs_ahead_of_the_plain_one(cli, tmp_path):
    for name, extra in (("plain", ""), ("described", describe_toml())):
        result = cli("run", write_task(tmp_path / name, extra), "--out", tmp_path / f"o{name}")
        assert result.code == 0, result.err
    accuracy = {}
    for name in ("plain", "described"):
        rows = pd.read_csv(tmp_path / f"o{name}" / "results.csv")
        at8 = rows[(rows["metric"] == "accuracy") & (rows["budget"] == 8)
                   & (rows["strategy"] == "margin")]
        accuracy[name] = at8["value"].mean()
    assert accuracy["described"] > accuracy["plain"] + 0.05


def _label(cli, folder: Path, answers: str, *extra: object):
    return cli("label", folder / "data.csv", "--target", "label", "--text", "text",
               "--store", folder / "s.db", *extra, stdin=answers)


def test_label_shows_the_descriptions_guess_and_keeps_them(cli, tmp_path):
    frame = tickets(90).drop(columns=["label!"])
    folder = tmp_path / "l"
    folder.mkdir()
    frame.to_csv(folder / "data.csv", index=False)
    given = [f"--describe={c}={t}" for c, t in DESCRIBE]
    first = _label(cli, folder, "1\nq\n", "--classes", "bug,feature,question", *given)
    assert first.code == 0, first.err
    assert "the most typical of a class's description" in first.out
    assert "model: bug" in first.out  # the first row is bug's most typical: a confirmation
    # Beside the model, how alike the row is to each description, most alike first.
    alike = " ".join(first.out.split()).split("like the descriptions: ", 1)[1]
    assert re.match(r"bug \d\.\d\d · (feature|question) \d\.\d\d · (feature|question) ", alike)
    settings = json.loads(json.dumps(_store_settings(folder / "s.db")))
    assert settings["task"]["describe"] == dict(DESCRIBE)
    # Resumed without --describe: the store's descriptions, the same next row.
    again = _label(cli, folder, "q\n")
    assert again.code == 0, again.err
    assert "model: feature" in again.out
    out = tmp_path / "model"
    assert cli("export", folder / "s.db", "--out", out).code == 0
    card = json.loads((out / "card.json").read_text())
    assert card["descriptions"]["classes"] == dict(DESCRIBE)
    assert 0 < card["descriptions"]["weight"] <= 1
    assert "Class descriptions" in (out / "card.md").read_text()
    assert "Fitted with the class descriptions" in cli("explain", out).out
    # predict gives the session's model's answers (one label and the descriptions).
    assert cli("predict", out, folder / "data.csv", "--out", tmp_path / "p.csv").code == 0
    predicted = pd.read_csv(tmp_path / "p.csv")["prediction"]
    from alearn.session.opening.classes import open_session

    with open_session(folder / "data.csv", store=folder / "s.db", text="text") as session:
        learner = session.learner
        assert list(predicted) == list(learner.predict(session.X))


def _store_settings(path: Path) -> dict:
    from alearn.journal.store import Store

    with Store.open(path) as store:
        assert store.meta is not None
        return dict(store.meta.settings)


@pytest.mark.parametrize("toml", ['describe = { bug = "x" }\nmodel = "knn"\n'])
def test_other_models_fit_the_descriptions_as_rows(tmp_path, toml):
    task = simulate.prepare(load_task(write_task(tmp_path / "k", toml)))
    data = simulate.seed_split(task, 0)
    learner = Learner(data.X_pool, model="knn", seed=0, text=True, describe=data.descriptions)
    assert learner.model is None  # one class described, nothing labeled: no model yet
    learner.teach([0], [str(data.y_pool[0]) if data.y_pool[0] != "bug" else "feature"])
    assert learner.model is not None
