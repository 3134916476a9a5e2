"""Text columns: typing, TF-IDF features, models, labeling display, explanations, bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from textdata import FILLER, SPORT, TECH, text_frame

from alearn.data.dataset import load_dataset
from alearn.data.text import join_text
from alearn.engine.features import TextOptions, build_preprocessor
from alearn.errors import ConfigError
from alearn.tasks import load_task, make_task, revise


def write_task(folder: Path, frame: pd.DataFrame, toml: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    frame.to_csv(folder / "d.csv", index=False)
    (folder / "task.toml").write_text('data = "d.csv"\n' + toml, encoding="utf-8")
    return folder


def test_declared_text_is_joined_with_weights_and_typed(tmp_path):
    folder = write_task(tmp_path / "t", text_frame(),
                        'target = "label"\ntext = ["title", "body"]\n'
                        'text_weights = { title = 2 }\n')
    data = load_dataset(load_task(folder))
    assert data.text == ["title", "body"]
    assert data.text_feature == "title + body"
    assert list(data.features.columns) == ["Length", "title + body"]
    first = data.features["title + body"].iloc[0]
    title, body = data.table["title"].iloc[0], data.table["body"].iloc[0]
    assert first == f"{title} {title} {body}"


def test_undeclared_free_text_is_used_with_a_notice(tmp_path):
    folder = write_task(tmp_path / "t", text_frame(), 'target = "label"\n')
    data = load_dataset(load_task(folder))
    assert data.text == ["title", "body"]
    notes = " ".join(data.notices())
    assert "'body' looks like free text and is used as text" in notes


def test_declared_text_leaves_other_free_text_out_with_a_notice(tmp_path):
    folder = write_task(tmp_path / "t", text_frame(), 'target = "label"\ntext = ["body"]\n')
    data = load_dataset(load_task(folder))
    assert data.text == ["body"]
    assert "title" in data.dropped and "free text" in data.dropped["title"]


def test_tfidf_terms_bigrams_stop_words_and_lsa():
    frame = pd.DataFrame({"doc": join_text(text_frame(200), ["title", "body"])})
    pre = build_preprocessor([], [], text=["doc"], options=TextOptions(2, "english", 0),
                             n_rows=200)
    X = pre.fit_transform(frame)
    vocab = pre.named_transformers_["text"].get_feature_names_out()
    assert "compiler" in vocab and "the" not in vocab  # English stop words dropped
    assert any(" " in v for v in vocab)  # bigrams
    assert X.shape == (200, vocab.size)
    lsa = build_preprocessor([], [], text=["doc"], options=TextOptions(2, "none", 10),
                             n_rows=200).fit_transform(frame)
    assert lsa.shape[1] > vocab.size + 10  # stop words kept, plus 10 LSA components


def test_classify_simulation_with_text_learns(tmp_path):
    from alearn.kinds.classify.summary import summarize
    from alearn.run import runner

    folder = write_task(tmp_path / "t", text_frame(160),
                        'target = "label"\ntext = ["title", "body"]\nseeds = 2\n'
                        'strategies = ["margin"]\nbudgets = [8, 16]\n')
    for model in ("logreg", "nb"):
        spec = revise(load_task(folder), model=model)
        result = runner.run([spec])
        summary = summarize(result.results, [8, 16])
        row = summary.per_task.query("strategy == 'margin' and budget == 16").iloc[0]
        assert row["mean"] > 0.8, model


def test_explain_rules_name_the_strongest_words(cli, tmp_path):
    folder = write_task(tmp_path / "t", text_frame(160),
                        'target = "label"\ntext = ["title", "body"]\n')
    out = tmp_path / "model"
    result = cli("export", folder, "--budget", "24", "--out", out)
    assert result.code == 0, result.err
    rules = (out / "rules.md").read_text(encoding="utf-8")
    assert "in `title + body`" in rules
    assert any(f'"{w}"' in rules for w in TECH + SPORT)
    explained = cli("explain", out)
    assert explained.code == 0
    assert "title + body" in explained.out


def test_label_session_highlights_words_that_pushed_the_prediction(tmp_path):
    from alearn.render.session_parts import fields_text
    from alearn.session.opening.classes import open_session

    frame = text_frame(60).drop(columns=["label"])
    path = tmp_path / "docs.csv"
    frame.to_csv(path, index=False)
    truth = text_frame(60)["label"].to_numpy()
    with open_session(path, target="label", classes="sport,tech", text="title,body",
                      store=tmp_path / "s.db") as session:
        for _ in range(10):
            view = session.current()
            row = int(np.flatnonzero(session.ids == view.row_id)[0])
            session.label(str(truth[row]))
        view = session.current()
        assert view.words, "a linear model on text names the words behind its prediction"
        assert set(view.words) <= set(" ".join(SPORT + TECH + FILLER).split())
        rendered = fields_text(view.fields, width=80, words=view.words)
        styles = {str(span.style) for span in rendered.spans}
        assert styles & {"bold green", "bold red"}


@pytest.mark.parametrize(("toml", "content", "needle"), [
    ('text = ["summary"]', None, "text names column 'summary', which is not in the data"),
    ('text = ["Length"]', None, "text column 'Length' holds numbers"),
    ('text = ["empty"]', None, "text column 'empty' is empty in every row"),
    ('text = ["body"]', b"title,body,label\nok,\xff\xfe broken,a\n", "not UTF-8"),
    ('text = ["body"]\ntext_weights = { title = 2 }', None, "text_weights names 'title'"),
])
def test_bad_text_input_clear_message_exit_2(cli, tmp_path, toml, content, needle):
    frame = text_frame().assign(empty="")
    folder = write_task(tmp_path / "t", frame, 'target = "label"\n' + toml + "\n")
    if content is not None:
        (folder / "d.csv").write_bytes(content)
    result = cli("run", folder, "--out", tmp_path / "o", "--seeds", "1")
    assert result.code == 2
    assert needle in result.err
    assert not (tmp_path / "o").exists()


def test_missing_text_in_some_rows_is_read_as_no_words(tmp_path):
    frame = text_frame()
    frame.loc[[1, 5], "body"] = np.nan
    folder = write_task(tmp_path / "t", frame, 'target = "label"\ntext = ["body"]\n')
    data = load_dataset(load_task(folder))
    assert data.features["body"].iloc[1] == ""
    assert any("empty in 2 of 80 rows" in n for n in data.notices())


def test_text_keys_are_checked():
    with pytest.raises(ConfigError, match="stop_words"):
        make_task(name="t", data="d.csv", stop_words="french")
    with pytest.raises(ConfigError, match="ngrams"):
        make_task(name="t", data="d.csv", ngrams=5)


def test_predict_rebuilds_the_text_document(cli, tmp_path):
    folder = write_task(tmp_path / "t", text_frame(160),
                        'target = "label"\ntext = ["title", "body"]\n'
                        'text_weights = { title = 2 }\n')
    out = tmp_path / "model"
    assert cli("export", folder, "--budget", "24", "--out", out).code == 0
    new = text_frame(20, seed=5)
    new.drop(columns=["label"]).to_csv(tmp_path / "new.csv", index=False)
    result = cli("predict", out, tmp_path / "new.csv", "--out", tmp_path / "p.csv")
    assert result.code == 0, result.err
    predicted = pd.read_csv(tmp_path / "p.csv")["prediction"].to_numpy()
    assert (predicted == new["label"].to_numpy()).mean() >= 0.8
    new.drop(columns=["body"]).to_csv(tmp_path / "nobody.csv", index=False)
    missing = cli("predict", out, tmp_path / "nobody.csv")
    assert missing.code == 2 and "'body'" in missing.err


def test_explain_row_names_the_words_that_pushed_it(cli, tmp_path):
    folder = write_task(tmp_path / "t", text_frame(160),
                        'target = "label"\ntext = ["title", "body"]\n')
    out = tmp_path / "model"
    assert cli("export", folder, "--budget", "24", "--out", out).code == 0
    text_frame(5, seed=7).drop(columns=["label"]).to_csv(tmp_path / "new.csv", index=False)
    result = cli("explain", out, "--row", "1", "--data", tmp_path / "new.csv")
    assert result.code == 0, result.err
    assert "title + body: " in result.out


def test_label_session_with_naive_bayes_on_text(tmp_path):
    # The accuracy estimate must fit the learner's own model (complement NB on
    # sparse words), not Gaussian NB, which cannot take a sparse matrix.
    from alearn.session.opening.classes import open_session

    frame = text_frame(60).drop(columns=["label"])
    path = tmp_path / "docs.csv"
    frame.to_csv(path, index=False)
    truth = text_frame(60)["label"].to_numpy()
    with open_session(path, target="label", classes="sport,tech", text="title,body",
                      model="nb", store=tmp_path / "s.db") as session:
        for _ in range(10):
            view = session.current()
            row = int(np.flatnonzero(session.ids == view.row_id)[0])
            step = session.label(str(truth[row]))
        assert step.estimate is not None and step.estimate.accuracy is not None
