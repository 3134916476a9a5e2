import numpy as np
import pytest

from alearn.engine.scoring import classification_scores


def test_scores_match_sklearn():
    from sklearn.metrics import accuracy_score, f1_score

    rng = np.random.default_rng(0)
    labels = np.array(["a", "b", "c", "d"])
    for _ in range(50):
        t, p = rng.choice(labels[:3], 40), rng.choice(labels, 40)
        got = classification_scores(t, p, labels)
        assert got["accuracy"] == pytest.approx(accuracy_score(t, p))
        assert got["macro_f1"] == pytest.approx(
            f1_score(t, p, labels=labels, average="macro", zero_division=0))
