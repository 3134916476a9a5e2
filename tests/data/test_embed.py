"""Text embeddings (issue 15): the cache, the feature step, runs, sessions, export.

Most tests swap the embedding engine for a small deterministic one (hashed
words, so texts sharing words are near), which needs no extra and counts its
calls; the last test runs the real package and skips cleanly without it.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

from alearn.data import embed, vectors
from alearn.errors import ConfigError
from alearn.tasks import revise

DIM = 16
POSITIVE = ["great", "superb", "moving", "funny", "brilliant", "warm"]
NEGATIVE = ["dull", "awful", "boring", "clumsy", "tedious", "flat"]
FILLER = ["the", "film", "a", "story", "cast", "plot", "it", "was"]


class FakeEngine:
    """Unit vectors of hashed words; records how many texts it embedded."""

    dim = DIM

    def __init__(self) -> None:
        self.embedded = 0

    def passage(self, texts: list[str]) -> np.ndarray:
        self.embedded += len(texts)
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in text.lower().split():
                h = int(hashlib.sha256(word.encode()).hexdigest(), 16)
                out[i, h % DIM] += 1.0 if (h >> 8) % 2 else -1.0
            out[i] /= max(float(np.linalg.norm(out[i])), 1e-9)
        return out


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> FakeEngine:
    fake = FakeEngine()
    monkeypatch.setattr(embed, "installed", lambda: True)
    monkeypatch.setattr(embed, "_engine", fake)
    return fake


def reviews(n: int = 80, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    y = rng.integers(2, size=n)
    words = [NEGATIVE, POSITIVE]
    text = [" ".join(rng.choice(words[t]) if rng.random() < 0.4 else rng.choice(FILLER)
                     for _ in range(8)) for t in y]
    return pd.DataFrame({"id": [f"r{i:03d}" for i in range(n)], "text": text,
                         "label!": np.array(["rotten", "fresh"])[y]})


def task_folder(tmp_path, toml: str = "", n: int = 80):
    folder = tmp_path / "reviews"
    folder.mkdir()
    reviews(n).to_csv(folder / "data.csv", index=False)
    (folder / "task.toml").write_text(
        'name = "reviews"\ndata = "data.csv"\nid = "id"\ntext = ["text"]\n'
        'text_features = "embed"\nbudgets = [8, 16]\nseeds = 2\n' + toml)
    return folder


def test_vectors_are_computed_once_and_read_from_the_cache(engine, tmp_path):
    docs = pd.Series(["a good film", "a dull film", "a good film", None])
    first = vectors.document_vectors(docs, "f" * 64, ["text"], {}, tmp_path)
    assert engine.embedded == 3  # distinct documents only; a missing cell is ""
    files = list(tmp_path.glob("embeddings-*.npz"))
    assert len(files) == 1
    again = vectors.document_vectors(docs, "f" * 64, ["text"], {}, tmp_path)
    assert engine.embedded == 3
    np.testing.assert_array_equal(first.vectors, again.vectors)
    np.testing.assert_array_equal(again.lookup(["a dull film"]), first.vectors[[1]])


def test_the_cache_is_keyed_by_data_columns_and_model(engine, tmp_path, monkeypatch):
    docs = pd.Series(["a good film", "a dull film"])
    vectors.document_vectors(docs, "a" * 64, ["text"], {}, tmp_path)
    vectors.document_vectors(docs, "b" * 64, ["text"], {}, tmp_path)  # other data
    vectors.document_vectors(docs, "a" * 64, ["title"], {}, tmp_path)  # other columns
    monkeypatch.setattr(embed, "model_name", lambda: "other model")
    monkeypatch.setattr(vectors, "model_name", lambda: "other model")
    vectors.document_vectors(docs, "a" * 64, ["text"], {}, tmp_path)  # other model
    assert engine.embedded == 8
    assert len(list(tmp_path.glob("embeddings-*.npz"))) == 4


def test_a_damaged_or_foreign_cache_is_computed_again(engine, tmp_path):
    docs = pd.Series(["a good film", "a dull film"])
    vectors.document_vectors(docs, "a" * 64, ["text"], {}, tmp_path)
    (path,) = tmp_path.glob("embeddings-*.npz")
    path.write_bytes(b"not a zip")
    vectors.document_vectors(docs, "a" * 64, ["text"], {}, tmp_path)
    assert engine.embedded == 4
    # Same key, other documents (the data changed without a new fingerprint): recomputed.
    vectors.document_vectors(pd.Series(["x", "y"]), "a" * 64, ["text"], {}, tmp_path)
    assert engine.embedded == 6


def test_progress_is_reported_per_batch(engine, monkeypatch):
    calls: list[tuple[int, int]] = []
    monkeypatch.setattr(embed, "BATCH", 4)
    with embed.reporting(lambda done, total: calls.append((done, total))):
        embed.embed_texts([f"doc {i}" for i in range(10)])
    assert calls == [(4, 10), (8, 10), (10, 10)]
    embed.embed_texts(["outside"])
    assert len(calls) == 3


def test_features_embed_both_and_terms(engine):
    from alearn.engine.featuremap import feature_terms, group_by_column
    from alearn.engine.features import TextOptions, build_preprocessor

    frame = pd.DataFrame({"text": reviews(60)["text"], "n": np.arange(60.0)})
    known = vectors.document_vectors(frame["text"], "c" * 64, ["text"])
    for features, widths in (("embed", {"vector": DIM}), ("both", {"vector": DIM, "word": 1})):
        pre = build_preprocessor(["n"], [], text=["text"], n_rows=60,
                                 options=TextOptions(features=features, known=known))
        X = pre.fit_transform(frame)
        terms = feature_terms(pre)
        assert len(terms) == X.shape[1]
        kinds = {t.kind for t in terms}
        assert "vector" in kinds and ("word" in kinds) == (features == "both")
        assert sum(t.kind == "vector" for t in terms) == widths["vector"]
        block = np.asarray(X[:, [i for i, t in enumerate(terms) if t.kind == "vector"]]
                           .toarray() if hasattr(X, "toarray") else
                           X[:, [i for i, t in enumerate(terms) if t.kind == "vector"]])
        np.testing.assert_allclose(block, known.lookup(list(frame["text"])) * vectors.SCALE,
                                   rtol=1e-6)
        # An embedding's numbers add up to one push of the text column.
        grouped = group_by_column(terms, np.ones(len(terms)))
        assert grouped["text: embedding"] == DIM


def test_unknown_rows_are_embedded_when_transformed(engine):
    step = vectors.DocumentVectors(vectors.document_vectors(pd.Series(["seen"]), "d" * 64,
                                                            ["text"]))
    step.fit(pd.Series(["seen"]))
    before = engine.embedded
    out = step.transform(pd.Series(["seen", "new words"]))
    assert out.shape == (2, DIM) and engine.embedded == before + 1


def test_a_run_embeds_once_and_keeps_the_vectors_under_out(engine, tmp_path):
    from alearn.commands import run_tasks

    folder = task_folder(tmp_path)
    first = run_tasks([folder], out=tmp_path / "out", jobs=1)
    assert engine.embedded == 80
    assert len(list((tmp_path / "out" / "embeddings").glob("embeddings-*.npz"))) == 1
    results = (tmp_path / "out" / "results.csv").read_bytes()
    run_tasks([folder], out=tmp_path / "out", jobs=1, fresh=True)
    assert engine.embedded == 80  # the cache, not the engine
    assert (tmp_path / "out" / "results.csv").read_bytes() == results
    assert first.tables
    # --text-features overrides the task's key: TF-IDF gives other results.
    run_tasks([folder], out=tmp_path / "tfidf", jobs=1, text_features="tfidf")
    assert (tmp_path / "tfidf" / "results.csv").read_bytes() != results


def test_a_session_embeds_once_beside_its_store(engine, tmp_path):
    from alearn.session.opening.classes import open_session

    data = tmp_path / "reviews.csv"
    frame = reviews()
    truth = frame.pop("label!").to_numpy()
    frame.to_csv(data, index=False)
    store = tmp_path / "stores" / "r.labels.db"
    store.parent.mkdir()
    options = {"target": "label", "classes": "fresh,rotten", "store": store,
               "text": "text", "text_features": "embed", "model": "knn", "annotator": "t"}
    with open_session(data, **options) as session:
        for _ in range(6):
            row = int(np.flatnonzero(session.ids == session.current().row_id)[0])
            session.label(truth[row])
        suggested = session.current().row_id
    assert engine.embedded == 80
    assert len(list(store.parent.glob("embeddings-*.npz"))) == 1
    with open_session(data, **options) as session:
        assert session.current().row_id == suggested  # resumed on the cached vectors
    assert engine.embedded == 80
    # The store remembers the setting: resuming with TF-IDF is refused.
    with pytest.raises(Exception, match="text_features"):
        open_session(data, **{**options, "text_features": "tfidf"})
    # Exporting the store fits on the same cached vectors (the engine is not called).
    from alearn.export.export import export_model

    result = export_model(store, tmp_path / "model")
    assert result.card["model"]["name"] == "knn" and engine.embedded == 80


def test_knn_rules_list_the_bought_rows_and_explain_names_the_nearest(engine, tmp_path):
    from alearn.export.export import export_model
    from alearn.export.predict import predict_file
    from alearn.export.prediction import explain_row, load_export
    from alearn.export.replay import from_task

    folder = task_folder(tmp_path, 'model = "knn"\n')
    train = from_task(folder, 12, seed=1)
    export_model(folder, tmp_path / "model", budget=12, seed=1)
    rules = (tmp_path / "model" / "rules.md").read_text(encoding="utf-8")
    listed = [line for line in rules.splitlines() if line[:1].isdigit() and ". row " in line]
    assert [int(line.split(". row ")[1].split(":")[0]) for line in listed] == \
        list(train.rows + 1)
    model = load_export(tmp_path / "model")
    assert model.pipeline[0].named_transformers_["embed"].known is None  # cache not saved
    predicted = predict_file(tmp_path / "model", folder / "data.csv").set_index("id")
    e = explain_row(tmp_path / "model", "r005", folder / "data.csv")
    assert e.kind == "neighbours" and e.prediction == predicted.loc["r005", "prediction"]
    data = pd.read_csv(folder / "data.csv")
    labeled = {int(r) + 1 for r in train.rows}
    for number, at, cls, _, _ in e.neighbours:
        assert at in labeled and data.loc[at - 1, "label!"] == cls
        assert listed[number - 1].startswith(f"{number}. row {at}: {cls}")
    similarities = [s for *_, s, _ in e.neighbours]
    assert similarities == sorted(similarities, reverse=True)


def test_logreg_on_embeddings_explains_the_text_as_one_push(engine, tmp_path):
    from alearn.export.export import export_model
    from alearn.export.prediction import explain_row

    folder = task_folder(tmp_path)
    export_model(folder, tmp_path / "model", budget=12)
    e = explain_row(tmp_path / "model", "r001", folder / "data.csv")
    assert e.kind == "contributions"
    assert list(e.contributions.by_column) == ["text: embedding"]


def test_bad_values_are_refused_with_the_key(engine, tmp_path):
    from alearn.tasks import load_task

    spec = load_task(task_folder(tmp_path))
    with pytest.raises(ConfigError, match="text_features = 'bert' is not known"):
        revise(spec, text_features="bert")
    with pytest.raises(ConfigError, match="model = 'tree' cannot read"):
        revise(spec, model="tree")
    no_text = tmp_path / "plain"
    no_text.mkdir()
    pd.DataFrame({"x": np.tile([0.5, 1.5, 2.5, 3.5], 20), "label!": ["a", "b"] * 40}).to_csv(
        no_text / "data.csv", index=False)
    (no_text / "task.toml").write_text('data = "data.csv"\ntext_features = "embed"\n')
    from alearn.commands import run_tasks

    with pytest.raises(ConfigError, match="needs a text column"):
        run_tasks([no_text], out=tmp_path / "o", jobs=1)


def test_without_the_extra_one_line_says_what_to_install(monkeypatch):
    monkeypatch.setattr(embed, "installed", lambda: False)
    with pytest.raises(ConfigError, match=r"pip install 'alearn\[embed\]'"):
        embed.check_installed("task.toml")


def test_the_real_model_puts_alike_texts_near():
    pytest.importorskip(embed.PACKAGE)
    out = embed.embed_texts(["a wonderful, moving film", "a touching and beautiful movie",
                             "the invoice is overdue"])
    assert out.shape[0] == 3 and out.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, rtol=1e-3)
    assert out[0] @ out[1] > out[0] @ out[2]


def test_descriptions_are_embedded_on_the_query_side_only(engine, tmp_path):
    # A session's descriptions: e5's query side, never embedded as passages as well.
    from alearn.engine.describe import description_rows
    from alearn.kinds import get_kind
    from alearn.kinds.classify.simulate import seed_split
    from alearn.tasks import load_task

    queried: list[str] = []

    def query(texts: list[str]) -> np.ndarray:
        queried.extend(texts)
        vectors = engine.passage(texts)
        engine.embedded -= len(texts)  # counted as queries, not passages
        return vectors

    engine.query = query  # type: ignore[attr-defined]
    folder = task_folder(tmp_path, 'describe = { fresh = "a good film", rotten = "a dull film" }\n')
    task = get_kind("classify").prepare(load_task(folder), cache=tmp_path)
    split = seed_split(task, 0)
    assert split.descriptions is not None and queried == ["a good film", "a dull film"]
    queried.clear()
    # Built again from the fitted preprocessing: the rows are looked up, not embedded.
    from alearn.engine.features import preprocessor_for

    pre = preprocessor_for(task, task.spec.model, task.options, n_rows=len(split.pool))
    pre.fit(task.features.iloc[split.pool])
    embedded = engine.embedded
    again = description_rows(task.spec.describe, task, pre)
    assert engine.embedded == embedded  # no passage-side embedding of the descriptions
    assert queried == ["a good film", "a dull film"]
    assert np.allclose(np.asarray(again.rows), np.asarray(split.descriptions.rows))
