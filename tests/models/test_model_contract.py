"""The contract every registered model keeps (in the spirit of scikit-learn's check_estimator).

Each model in :data:`alearn.models.MODELS` is fitted through alearn's own
preprocessing on small generated data, numeric and categorical with missing
cells, and text, then exported, predicted and explained. A new model file that
passes these tests works with every command.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import blobs_frame

from alearn.data.tables import read_table
from alearn.engine.features import make_preprocessor
from alearn.export.export import export_model
from alearn.export.predict import predict_file
from alearn.export.prediction import check_features, explain_row, load_export
from alearn.export.replay import from_task
from alearn.export.training import fit_pipeline
from alearn.models import MODELS, make_model, model_name, needs_dense, needs_nonnegative

BUDGET = 24
VARIANTS = ("columns", "text")
SPORT = ["match", "goal", "team", "coach", "league", "season", "striker", "keeper"]
TECH = ["software", "compiler", "server", "database", "kernel", "network", "python", "cloud"]
FILLER = ["the", "a", "report", "about", "new", "today", "with", "after"]


def columns_frame() -> pd.DataFrame:
    """Three classes; numeric and categorical columns, each with missing cells; an id."""
    frame = blobs_frame(n=120, seed=4, classes=3).astype(object)
    frame.loc[[2, 17, 40], "Size"] = np.nan
    frame.loc[[5, 33], "colour"] = np.nan
    frame.insert(0, "item", [f"r{i:03d}" for i in range(len(frame))])
    return frame


def text_frame(n: int = 120, seed: int = 5) -> pd.DataFrame:
    """Two topics told apart by their words, a numeric column, missing cells, an id."""
    rng = np.random.default_rng(seed)
    y = rng.integers(2, size=n)
    words = [SPORT, TECH]

    def sentence(k: int, topic: int) -> str:
        return " ".join(rng.choice(words[topic]) if rng.random() < 0.5 else rng.choice(FILLER)
                        for _ in range(k))

    frame = pd.DataFrame({
        "item": [f"d{i:03d}" for i in range(n)],
        "title": [sentence(5, t) for t in y],
        "body": [sentence(15, t) for t in y],
        "Length": rng.normal(size=n) + y,
        "label": np.array(["sport", "tech"])[y],
    }).astype(object)
    frame.loc[[3, 9], "body"] = np.nan
    frame.loc[[4], "Length"] = np.nan
    return frame


TOML = {"columns": 'data = "data.csv"\nid = "item"\n',
        "text": 'data = "data.csv"\nid = "item"\ntarget = "label"\ntext = ["title", "body"]\n'}
COLUMNS = {"columns": ("Size", "Weight", "colour"), "text": ("title", "body", "Length")}


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory):
    """``exported(model, variant)``: (task folder, data file, export folder), made once each."""
    made: dict[tuple[str, str], tuple[Path, Path, Path]] = {}

    def get(model: str, variant: str) -> tuple[Path, Path, Path]:
        if (model, variant) not in made:
            root = tmp_path_factory.mktemp(f"{model}-{variant}")
            task = root / "task"
            task.mkdir()
            frame = columns_frame() if variant == "columns" else text_frame()
            frame.to_csv(task / "data.csv", index=False)
            (task / "task.toml").write_text(TOML[variant])
            export_model(task, root / "model", budget=BUDGET, model=model, seed=1)
            made[model, variant] = task, task / "data.csv", root / "model"
        return made[model, variant]

    return get


each_model = pytest.mark.parametrize("name", MODELS.names)
each_variant = pytest.mark.parametrize("variant", VARIANTS)


@each_model
def test_registered_with_a_help_a_title_and_its_own_estimators(name):
    spec = MODELS[name]
    assert spec.name == name and spec.help and spec.title
    for text in (False, True):
        for screen in (False, True):
            estimator = make_model(name, 3, text=text, screen=screen)
            assert model_name(estimator) == name
            assert type(estimator).__name__ in spec.estimators
            assert not hasattr(estimator, "classes_")  # unfitted


@each_model
@each_variant
def test_fits_through_alearn_preprocessing(name, variant, exported):
    task, _, _ = exported(name, variant)
    train = from_task(task, BUDGET, model=name, seed=1)
    pipeline = fit_pipeline(train)
    features = train.data.features
    proba = pipeline.predict_proba(features)
    classes = [str(c) for c in pipeline.classes_]
    assert classes == sorted(set(train.labels.astype(str)))
    assert proba.shape == (len(features), len(classes))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert (pipeline.predict(features).astype(str)
            == np.asarray(classes)[proba.argmax(axis=1)]).all()
    # The preprocessing gives the matrix the model asks for.
    text = variant == "text"
    data = train.data
    pre = make_preprocessor(name, data.numeric, data.categorical,
                            [data.text_feature] if data.text_feature else [])
    X = pre.fit_transform(features)
    if needs_dense(name, text):
        assert not hasattr(X, "toarray")
    if needs_nonnegative(name, text):
        assert (X.min() if not hasattr(X, "toarray") else X.toarray().min()) >= 0


@each_model
@each_variant
def test_export_then_predict_gives_the_fitted_models_predictions(name, variant, exported):
    task, data, folder = exported(name, variant)
    memory = fit_pipeline(from_task(task, BUDGET, model=name, seed=1))
    loaded = load_export(folder)
    assert model_name(loaded.pipeline[-1]) == name
    assert loaded.card["model"]["name"] == name
    assert loaded.card["model"]["title"] == MODELS[name].title
    predicted = predict_file(folder, data)
    features = from_task(task, BUDGET, model=name, seed=1).data.features
    assert list(predicted["item"]) == list(pd.read_csv(data)["item"])
    assert (predicted["prediction"].to_numpy() == memory.predict(features).astype(str)).all()
    proba = memory.predict_proba(features)
    for k, c in enumerate(memory.classes_):
        np.testing.assert_array_equal(predicted[f"p_{c}"].to_numpy(), proba[:, k])


@each_model
@each_variant
def test_rules_name_the_original_columns(name, variant, exported):
    _, _, folder = exported(name, variant)
    rules = (folder / "rules.md").read_text(encoding="utf-8")
    body = rules.split("## Missing values")[0]
    assert f"A {MODELS[name].title} fitted on {BUDGET} labels" in body
    assert len(body.strip().splitlines()) > 4
    assert any(f"`{c}" in body or f"{c}`" in body for c in COLUMNS[variant]), body


@each_model
@each_variant
def test_explain_row_works_and_adds_up(name, variant, exported, cli):
    _, data, folder = exported(name, variant)
    predicted = predict_file(folder, data).set_index("item")
    model = load_export(folder)
    features = check_features(read_table(data), model.card, "data").set_index(
        pd.read_csv(data)["item"])
    for row in ("r002", "r005") if variant == "columns" else ("d003", "d010"):
        e = explain_row(folder, row, data)
        assert e.prediction == predicted.loc[row, "prediction"]
        assert e.kind in ("path", "contributions", "neighbours")
        if e.kind == "path":
            assert e.rule is not None and e.rule >= 1
        elif e.kind == "neighbours":
            # The neighbours are labeled rows of the training data, nearest first, and
            # their classes are the prediction's reason: the nearest one's class is the
            # prediction when it decides alone (an identical row), else it votes.
            near = e.neighbours
            assert near and len(near) == model.pipeline[-1].n_neighbors
            training = pd.read_csv(data)
            for number, at, cls, _, _ in near:
                assert 1 <= at <= len(training) and number >= 1
                assert cls in model.classes
            values = [v for *_, v, _ in near]
            assert values == sorted(values, reverse=e.nearness == "similarity")
            assert e.prediction in {cls for _, _, cls, _, _ in near}
        else:
            c = e.contributions
            # The pushes are exact: base plus columns is the model's log-odds (taken
            # in log space, as a class's probability can underflow to 0).
            log_proba = model.pipeline.predict_log_proba(features.loc[[row]])[0]
            k, r = model.classes.index(c.label), model.classes.index(c.against)
            log_odds = log_proba[k] - log_proba[r]
            assert c.label == e.prediction
            np.testing.assert_allclose(c.base + sum(c.by_column.values()), log_odds, atol=1e-6)
        result = cli("explain", folder, "--row", row, "--data", data)
        assert result.code == 0, result.err
        assert e.prediction in result.out


@each_model
def test_named_in_the_help_texts(name, cli):
    for command in ("export", "label"):
        result = cli(command, "--help")
        assert result.code == 0, result.err
        assert name in result.out.split("--model", 1)[1], command
