"""Export, predict and explain: round trips, rules fidelity, safe loading, cards."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from alearn.data.dataset import load_dataset
from alearn.data.tables import read_table
from alearn.errors import ModelFileError
from alearn.export.export import export_model
from alearn.export.predict import predict_file
from alearn.export.prediction import explain_row, load_export
from alearn.export.replay import from_task
from alearn.export.training import fit_pipeline
from alearn.kinds.classify.simulate import prepare, simulate_seed
from alearn.models.rules import apply_rules, parse_rules
from alearn.tasks import load_task


def one_line_error(result, needle):
    assert result.code == 2, result.err
    assert needle in result.err, result.err
    assert "Traceback" not in result.err and len(result.err.strip().splitlines()) == 1


@pytest.fixture
def blobs_task(task_dir):
    return task_dir(strategies=["margin"], budgets=[8, 16, 32])


def features_of(folder: Path) -> pd.DataFrame:
    return load_dataset(load_task(folder)).features


# -- round trip ---------------------------------------------------------------
@pytest.mark.parametrize("model", ["tree", "logreg", "nb"])
def test_round_trip_predictions_and_probabilities_equal(blobs_task, tmp_path, model):
    out = tmp_path / "model"
    export_model(blobs_task, out, budget=24, model=model, seed=1)
    memory = fit_pipeline(from_task(blobs_task, 24, model=model, seed=1))
    loaded = load_export(out).pipeline
    X = features_of(blobs_task)
    assert (loaded.predict(X) == memory.predict(X)).all()
    np.testing.assert_array_equal(loaded.predict_proba(X), memory.predict_proba(X))
    assert sorted(p.name for p in out.iterdir()) == ["card.json", "card.md", "model.skops",
                                                     "rules.md"]


def test_predict_cli_keeps_id_column_and_writes_probabilities(tmp_path, cli):
    rng = np.random.default_rng(3)
    n = 90
    y = rng.integers(2, size=n)
    frame = pd.DataFrame({"ticket": [f"T{i:03d}" for i in range(n)],
                          "Hours": rng.normal(size=n) + 2 * y,
                          "team": np.where(y == 1, "core", "web"),
                          "kind!": np.array(["bug", "feature"])[y]})
    folder = tmp_path / "task"
    folder.mkdir()
    frame.to_csv(folder / "data.csv", index=False)
    (folder / "task.toml").write_text('data = "data.csv"\nid = "ticket"\nmodel = "logreg"\n')
    assert cli("export", folder, "--budget", 16, "--out", tmp_path / "m").code == 0
    card = json.loads((tmp_path / "m" / "card.json").read_text())
    assert card["data"]["id_column"] == "ticket"
    new = frame.drop(columns="kind!").iloc[::-1]
    new.to_csv(tmp_path / "new.csv", index=False)
    result = cli("predict", tmp_path / "m", tmp_path / "new.csv")
    assert result.code == 0, result.err
    lines = result.out.strip().splitlines()
    assert lines[0] == "ticket,prediction,p_bug,p_feature"
    assert lines[1].startswith("T089,") and len(lines) == n + 1
    written = tmp_path / "pred.csv"
    assert cli("predict", tmp_path / "m", tmp_path / "new.csv", "--out", written).code == 0
    pred = pd.read_csv(written)
    assert list(pred["ticket"]) == list(new["ticket"])
    np.testing.assert_allclose(pred[["p_bug", "p_feature"]].sum(axis=1), 1.0, atol=2e-4)
    # Probabilities to 4 decimals, on stdout as in the file.
    probabilities = [v for line in lines[1:] for v in line.split(",")[2:]]
    assert max(len(v.split(".")[-1]) for v in probabilities) <= 4
    assert not any(v.startswith("-") for v in probabilities)
    assert written.read_text() == result.out


# -- rules --------------------------------------------------------------------
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_tree_rules_as_written_reproduce_predictions(blobs_task, tmp_path, seed):
    out = tmp_path / "model"
    export_model(blobs_task, out, budget=32, model="tree", seed=seed, strategy="random")
    text = (out / "rules.md").read_text()
    assert "`colour`" in text or "`Size`" in text  # original names, not x3 or one-hot indices
    assert "onehot" not in text and "x0" not in text
    X = features_of(blobs_task)  # includes a missing Size value
    assert X.isna().any().any()
    pipeline = load_export(out).pipeline
    assert (apply_rules(text, X) == pipeline.predict(X)).all()


def test_rules_with_pooled_rare_categories(tmp_path):
    rng = np.random.default_rng(0)
    common = [f"c{i}" for i in range(19) for _ in range(8)]
    rare = [f"r{i}" for i in range(8) for _ in range(2)]
    city = np.array(common + rare, dtype=object)
    n = city.size
    size = rng.normal(size=n)
    y = np.where(np.char.startswith(city.astype(str), "r") | (size > 1.0), "yes", "no")
    frame = pd.DataFrame({"city": city, "Size": size, "label!": y})
    folder = tmp_path / "task"
    folder.mkdir()
    frame.to_csv(folder / "data.csv", index=False)
    (folder / "task.toml").write_text('data = "data.csv"\nmodel = "tree"\ntest_size = 0.2\n')
    out = tmp_path / "model"
    export_model(folder, out, budget=120, strategy="random")
    text = (out / "rules.md").read_text()
    assert "`city` in [" in text or "`city` not in [" in text
    X = features_of(folder)
    X.loc[0, "city"] = "never seen"
    assert (apply_rules(text, X) == load_export(out).pipeline.predict(X)).all()


def test_logreg_and_nb_rules_name_original_terms(blobs_task, tmp_path):
    export_model(blobs_task, tmp_path / "lr", budget=24, model="logreg")
    text = (tmp_path / "lr" / "rules.md").read_text()
    assert "## Strongest weights per class" in text and "### no" in text
    assert "per unit of `Size`" in text and "when `colour` ==" in text
    export_model(blobs_task, tmp_path / "nb", budget=24, model="nb")
    text = (tmp_path / "nb" / "rules.md").read_text()
    assert "## Class priors" in text and "`Size`: " in text and " ± " in text
    _, fills = parse_rules(text)
    assert set(fills) == {"Size", "Weight", "colour"}


def test_explain_row_tree_path_and_logreg_contributions(blobs_task, tmp_path, cli):
    data = tmp_path / "tasks" / "blobs" / "data.csv"
    export_model(blobs_task, tmp_path / "tree", budget=32, model="tree")
    e = explain_row(tmp_path / "tree", "5", data)
    rules, _ = parse_rules((tmp_path / "tree" / "rules.md").read_text())
    assert e.kind == "path" and [c.text() for c in rules[e.rule - 1][0]] == [c for c, _ in e.path]
    assert rules[e.rule - 1][1] == e.prediction
    export_model(blobs_task, tmp_path / "lr", budget=32, model="logreg")
    e = explain_row(tmp_path / "lr", "5", data)
    c = e.contributions
    ratio = np.log(e.proba[c.label] / e.proba[c.against])
    assert c.base + sum(c.by_column.values()) == pytest.approx(ratio)
    assert set(c.by_column) == {"Size", "Weight", "colour"}
    result = cli("explain", tmp_path / "tree", "--row", "5", "--data", data)
    assert result.code == 0 and "rule" in result.out and "predicted" in result.out
    result = cli("explain", tmp_path / "lr")
    assert result.code == 0 and "Strongest weights" in result.out


def test_explain_row_says_what_a_missing_value_counts_as(tmp_path, cli):
    rng = np.random.default_rng(5)
    n = 81  # one missing: the median of the other 80 is the mean of two values
    y = rng.integers(2, size=n)
    # Two decimals, so the median of an even count is a float sum (e.g. 4.970000000000001).
    pulse = np.round(rng.normal(60, 10, n) + 15 * y, 2)
    frame = pd.DataFrame({"pid": [f"p{i}" for i in range(n)], "PULSE": pulse,
                          "colour": np.where(y == 1, "red", "blue"),
                          "Class!": np.array(["healthy", "sick"])[y]})
    frame.loc[3, "PULSE"] = np.nan
    frame.loc[5, "colour"] = None
    data = tmp_path / "pulse.csv"
    frame.to_csv(data, index=False)
    assert cli("export", data, "--budget", "16", "--model", "logreg",
               "--out", tmp_path / "m", cwd=tmp_path).code == 0
    result = cli("explain", tmp_path / "m", "--row", "p3", "--data", data, "--id", "pid")
    assert result.code == 0, result.err
    pre = load_export(tmp_path / "m").pipeline[0]
    median = pre.named_transformers_["num"][0].statistics_[0]
    frequent = pre.named_transformers_["cat"][0].statistics_[0]
    shown = f"{median:.15g}"  # the median at the data's precision, never float noise
    assert shown != repr(median)  # the data makes float noise (guards the test itself)
    assert f"missing, counts as {shown} (the median)" in " ".join(result.out.split())
    result = cli("explain", tmp_path / "m", "--row", "p5", "--data", data, "--id", "pid")
    assert f'missing, counts as "{frequent}" (the most frequent)' in " ".join(result.out.split())
    rules = (tmp_path / "m" / "rules.md").read_text()
    assert f"- `PULSE` counts as {shown}\n" in rules


# -- safe loading ------------------------------------------------------------
class Boom:
    """Creates a marker file when unpickled (stands for arbitrary code)."""

    marker: Path

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_changed_model_file_is_refused_and_never_run(blobs_task, tmp_path, cli):
    out = tmp_path / "m"
    export_model(blobs_task, out, budget=16, fmt="joblib")
    marker = tmp_path / "ran"
    import joblib

    joblib.dump(Boom(marker), out / "model.joblib")  # same name, different bytes
    data = tmp_path / "tasks" / "blobs" / "data.csv"
    result = cli("predict", out, data, "--trust")
    one_line_error(result, "changed since it was exported")
    assert not marker.exists()
    with pytest.raises(ModelFileError, match="refusing to load"):
        load_export(out, trust=True)
    assert not marker.exists()


def test_skops_file_with_unknown_types_is_refused(blobs_task, tmp_path):
    import skops.io as sio

    out = tmp_path / "m"
    export_model(blobs_task, out, budget=16)
    marker = tmp_path / "ran"
    sio.dump({"model": Boom(marker)}, out / "model.skops")
    # Even with a card rewritten to match, the file's types are checked first.
    card = json.loads((out / "card.json").read_text())
    from alearn.export.modelfile import sha256_file

    card["model_file"]["sha256"] = sha256_file(out / "model.skops")
    (out / "card.json").write_text(json.dumps(card))
    with pytest.raises(ModelFileError, match="holds types alearn does not load"):
        load_export(out)
    assert not marker.exists()


def test_joblib_loads_only_with_trust(blobs_task, tmp_path, cli):
    export_model(blobs_task, tmp_path / "j", budget=16, fmt="joblib", seed=2)
    export_model(blobs_task, tmp_path / "s", budget=16, seed=2)
    data = tmp_path / "tasks" / "blobs" / "data.csv"
    one_line_error(cli("predict", tmp_path / "j", data), "pass --trust")
    trusted = cli("predict", tmp_path / "j", data, "--trust")
    assert trusted.code == 0
    assert trusted.out == cli("predict", tmp_path / "s", data).out


# -- cards --------------------------------------------------------------------
def test_task_card_matches_the_run(blobs_task, tmp_path):
    out = tmp_path / "m"
    result = export_model(blobs_task, out, budget=20, model="logreg", seed=1)
    card = json.loads((out / "card.json").read_text())
    assert card == result.card
    rows = pd.DataFrame(simulate_seed(prepare(load_task(blobs_task)), 1),
                        columns=["task", "strategy", "seed", "budget", "metric", "value"])
    run = rows[rows.strategy == "margin"].set_index(["budget", "metric"])["value"]
    points = {p["labels"]: p for p in card["learning_curve"]["points"]}
    assert sorted(points) == [8, 16, 20, 32] and points[20]["exported"]
    for budget, point in points.items():
        assert point["accuracy"] == run[(budget, "accuracy")]
        assert point["macro_f1"] == run[(budget, "macro_f1")]
    assert card["labels"]["count"] == 20 and sum(card["labels"]["per_class"].values()) == 20
    assert card["source"]["seed"] == 1 and card["source"]["strategy"] == "margin"
    data = load_dataset(load_task(blobs_task))
    assert card["data"]["fingerprint"] == data.fingerprint
    from alearn.export.modelfile import sha256_file

    assert card["model_file"]["sha256"] == sha256_file(out / "model.skops")
    import sklearn

    assert card["versions"]["scikit-learn"] == sklearn.__version__
    export_model(blobs_task, tmp_path / "t", budget=20, model="tree")
    tree_card = json.loads((tmp_path / "t" / "card.json").read_text())
    assert tree_card["model"]["settings"]["max_depth"] == 4
    text = (tmp_path / "t" / "card.md").read_text()
    assert "max_depth=4" in text and "How estimated" in text and "| 8 |" in text


@pytest.mark.parametrize("seeded", [0, 10])
def test_store_export_is_the_sessions_model(tmp_path, cli, seeded):
    from conftest import blobs_frame

    from alearn.journal.labels import current_labels
    from alearn.session.opening.classes import open_session

    frame = blobs_frame()
    truth = frame["class!"].to_numpy()
    frame = frame.drop(columns="class!")
    # Labels already in the target column start the session (and the export).
    frame["label"] = np.where(np.arange(len(frame)) < seeded, truth, None)
    data = tmp_path / "pool.csv"
    frame.to_csv(data, index=False)
    store = tmp_path / "s.db"
    with open_session(data, target="label", classes="no,yes", store=store,
                      annotator="ann") as session:
        for _ in range(18):
            row = int(np.flatnonzero(session.ids == session.current().row_id)[0])
            session.label(truth[row])
        session_proba = session.learner.model.predict_proba(session.X)
        counts = session.learner.class_counts()
        curve = {b: e.accuracy for b, e in session.curve.items()}
    out = tmp_path / "m"
    result = cli("export", store, "--out", out)
    assert result.code == 0, result.err
    card = json.loads((out / "card.json").read_text())
    labels = current_labels(store)
    assert len(labels) == 18 and card["source"]["store_labels"] == 18
    assert card["source"]["seeded_from_data"] == seeded
    assert card["labels"]["count"] == 18 + seeded and card["labels"]["per_class"] == counts
    assert card["source"]["annotators"] == {"ann": 18}
    points = {p["labels"]: p["accuracy"] for p in card["learning_curve"]["points"]}
    assert curve and all(points[b] == curve[b] for b in curve)
    np.testing.assert_array_equal(load_export(out).pipeline.predict_proba(read_table(data)),
                                  session_proba)
    one_line_error(cli("export", store, "--budget", 8, "--out", out),
                   "--budget and --strategy apply to task folders")


# -- bad input ----------------------------------------------------------------
def test_predict_names_missing_and_wrong_typed_columns(blobs_task, tmp_path, cli):
    export_model(blobs_task, tmp_path / "m", budget=16)
    bad = read_table(tmp_path / "tasks" / "blobs" / "data.csv").drop(columns=["colour"])
    bad["Weight"] = "heavy"
    bad.to_csv(tmp_path / "bad.csv", index=False)
    result = cli("predict", tmp_path / "m", tmp_path / "bad.csv")
    one_line_error(result, "missing column 'colour'")
    assert "'Weight' (row 1 holds 'heavy')" in result.err


@pytest.mark.parametrize("args, needle", [
    (["export", "{task}", "--out", "{tmp}/m"], "needs --budget N"),
    (["export", "{task}", "--budget", "16", "--model", "forest", "--out", "{tmp}/m"],
     "--model 'forest' is not known"),
    (["export", "{task}", "--budget", "16", "--format", "pickle", "--out", "{tmp}/m"],
     "--format 'pickle' is not known"),
    (["export", "{tmp}/nowhere", "--budget", "16", "--out", "{tmp}/m"], "no such task folder"),
    (["predict", "{tmp}", "{task}/data.csv"], "no card.json"),
    (["explain", "{tmp}", "--row", "3"], "--row needs --data FILE"),
])
def test_bad_arguments_one_line_exit_2(blobs_task, tmp_path, cli, args, needle):
    filled = [a.format(task=blobs_task, tmp=tmp_path) for a in args]
    one_line_error(cli(*filled), needle)
    assert not (tmp_path / "m").exists()


def test_explain_unknown_row(blobs_task, tmp_path, cli):
    export_model(blobs_task, tmp_path / "m", budget=16)
    data = tmp_path / "tasks" / "blobs" / "data.csv"
    one_line_error(cli("explain", tmp_path / "m", "--row", "9999", "--data", data),
                   "no row '9999'")


def test_predict_file_library_call(blobs_task, tmp_path):
    export_model(blobs_task, tmp_path / "m", budget=16, model="nb")
    frame = predict_file(tmp_path / "m", tmp_path / "tasks" / "blobs" / "data.csv")
    assert list(frame.columns[:2]) == ["row", "prediction"] and len(frame) == 120


def test_readable_threshold_splits_like_the_model():
    from alearn.models.rules import readable_threshold

    rng = np.random.default_rng(0)
    for _ in range(200):
        values = np.sort(rng.normal(size=20) * 10.0 ** rng.integers(-3, 4))
        cut = int(rng.integers(1, 19))
        threshold = (values[cut - 1] + values[cut]) / 2
        shown = readable_threshold(threshold, values[:cut], values[cut:])
        assert values[cut - 1] <= float(shown) < values[cut]
        assert "e" not in shown or abs(threshold) < 1e-4


# -- what export supports -------------------------------------------------------
def test_optimize_task_export_is_refused_in_one_line(tmp_path, task_dir, cli):
    folder = task_dir("opt", kind="optimize", maximize=["Size"])
    one_line_error(cli("export", folder, "--budget", "16", "--out", tmp_path / "m"),
                   "an optimize task cannot be exported (export supports classification "
                   "tasks and stores only)")
    goals = tmp_path / "goals.csv"
    pd.DataFrame({"x": np.arange(30.0), "y+": np.arange(30.0) % 7}).to_csv(goals, index=False)
    one_line_error(cli("export", goals, "--budget", "16", "--out", tmp_path / "m"),
                   "an optimize task cannot be exported")
    assert not (tmp_path / "m").exists()


def test_text_store_export_uses_the_sessions_text_settings(tmp_path, cli):
    from textdata import text_frame

    from alearn.session.opening.classes import open_session

    frame = text_frame(60)
    truth = frame["label"].to_numpy()
    folder = tmp_path / "t"
    folder.mkdir()
    frame.assign(label=None).to_csv(folder / "d.csv", index=False)
    (folder / "task.toml").write_text(
        'data = "d.csv"\ntarget = "label"\ntext = ["title", "body"]\n'
        'text_weights = { title = 3 }\nngrams = 1\nstop_words = "none"\nlsa = 4\n',
        encoding="utf-8")
    store = tmp_path / "s.db"
    with open_session(folder, classes="sport,tech", store=store) as session:
        for _ in range(12):
            row = int(np.flatnonzero(session.ids == session.current().row_id)[0])
            session.label(str(truth[row]))
        features = session.data.features
        session_X = session.X
        session_proba = session.learner.model.predict_proba(session.X)
    out = tmp_path / "m"
    result = cli("export", store, "--out", out)
    assert result.code == 0, result.err
    pipeline = load_export(out).pipeline
    exported_X = pipeline["pre"].transform(features)
    np.testing.assert_allclose(np.asarray(exported_X.todense() if hasattr(exported_X, "todense")
                                          else exported_X),
                               np.asarray(session_X.todense() if hasattr(session_X, "todense")
                                          else session_X))
    # LSA's SVD may differ in the last bit between fits; the model is the same.
    np.testing.assert_allclose(pipeline.predict_proba(features), session_proba, atol=1e-12)
    card = json.loads((out / "card.json").read_text())
    assert card["data"]["text_weights"] == {"title": 3}
    assert "n-grams up to 1, stop words: none, LSA components: 4" in \
        card["model"]["preprocessing"]
    text = (out / "card.md").read_text()
    assert "- **Text columns**: title, body\n" in text


def test_card_leaves_out_placeholder_settings(blobs_task, tmp_path, cli):
    assert cli("export", blobs_task, "--budget", "16", "--model", "logreg",
               "--out", tmp_path / "m").code == 0
    card = json.loads((tmp_path / "m" / "card.json").read_text())
    text = (tmp_path / "m" / "card.md").read_text()
    assert "deprecated" not in text and "=warn" not in text
    assert "deprecated" not in card["model"]["settings"].values()
    assert "C=1.0" in text and "l1_ratio=0.0" in text  # the settings in effect stay


# -- writing --------------------------------------------------------------------
def test_failed_export_leaves_the_earlier_one_whole(blobs_task, tmp_path, monkeypatch):
    import alearn.export.card
    from alearn.export.modelfile import sha256_file

    out = tmp_path / "m"
    export_model(blobs_task, out, budget=16)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(*args, **kwargs):
        raise RuntimeError("card failed")

    monkeypatch.setattr(alearn.export.card, "build_card", broken)
    with pytest.raises(RuntimeError):
        export_model(blobs_task, out, budget=24, model="tree")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    card = json.loads((out / "card.json").read_text())
    assert card["model_file"]["sha256"] == sha256_file(out / "model.skops")


def test_switching_format_leaves_one_model_file(blobs_task, tmp_path):
    from alearn.export.modelfile import sha256_file

    out = tmp_path / "m"
    export_model(blobs_task, out, budget=16)
    export_model(blobs_task, out, budget=16, fmt="joblib")
    assert sorted(p.name for p in out.iterdir()) == ["card.json", "card.md", "model.joblib",
                                                     "rules.md"]
    card = json.loads((out / "card.json").read_text())
    assert card["model_file"]["sha256"] == sha256_file(out / "model.joblib")
    export_model(blobs_task, out, budget=16)
    assert sorted(p.name for p in out.iterdir()) == ["card.json", "card.md", "model.skops",
                                                     "rules.md"]
    assert load_export(out).card["model_file"]["file"] == "model.skops"
