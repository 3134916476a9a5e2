"""Saving and loading fitted pipelines without running untrusted code.

The default format is skops: loading it builds only objects of types on an
allow-list (scikit-learn's own estimators and the few extra types our
pipelines use), and a file naming any other type is refused before anything
is built. joblib (pickle) files run code when loaded, so loading one needs an
explicit ``trust=True``. Either way the file's SHA-256 is checked against the
one recorded at export before a single byte is parsed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from alearn.errors import ModelFileError
from alearn.files import write_atomic

FORMATS = ("skops", "joblib")
SUFFIX = {"skops": ".skops", "joblib": ".joblib"}
# Types a skops file of an alearn pipeline may hold beyond those skops trusts
# by default (scikit-learn estimators, builtins, numpy arrays).
ALLOWED_TYPES = frozenset({
    "numpy.dtype",
    "sklearn.tree._tree.Tree",
    # The feature step of text embeddings and the nearest-neighbour model.
    "alearn.data.vectors.DocumentVectors",
    "alearn.models.knn.NearestLabeled",
    # knn on TF-IDF terms keeps its labeled rows as a sparse matrix (plain arrays).
    "scipy.sparse._csr.csr_matrix",
})


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def save_model(pipeline: object, folder: Path, fmt: str = "skops") -> tuple[Path, str]:
    """Write a fitted pipeline into ``folder`` atomically.

    Parameters
    ----------
    pipeline : sklearn Pipeline
    folder : Path
    fmt : {"skops", "joblib"}

    Returns
    -------
    path : Path
        ``model.skops`` or ``model.joblib``.
    sha256 : str
        Of the file written.
    """
    if fmt not in FORMATS:
        raise ModelFileError(f"model format {fmt!r} is not known; expected one of "
                             f"{', '.join(FORMATS)}")
    path = Path(folder) / f"model{SUFFIX[fmt]}"
    if fmt == "skops":
        import skops.io as sio

        write_atomic(path, lambda tmp: sio.dump(pipeline, tmp))
    else:
        import joblib

        write_atomic(path, lambda tmp: joblib.dump(pipeline, tmp))
    return path, sha256_file(path)


def load_model(path: Path, sha256: str, fmt: str, trust: bool = False) -> object:
    """Load a pipeline saved by :func:`save_model`, refusing altered or unsafe files.

    Parameters
    ----------
    path : Path
        The model file.
    sha256 : str
        The digest recorded when it was written.
    fmt : {"skops", "joblib"}
    trust : bool
        Allow loading a joblib (pickle) file, which can run arbitrary code.

    Returns
    -------
    object
        The fitted pipeline.

    Raises
    ------
    ModelFileError
        The file is missing, its bytes changed, it is joblib without ``trust``,
        or it holds types outside :data:`ALLOWED_TYPES`.
    """
    path = Path(path)
    if fmt not in FORMATS:
        raise ModelFileError(f"{path}: model format {fmt!r} is not known; expected one of "
                             f"{', '.join(FORMATS)}")
    if not path.is_file():
        raise ModelFileError(f"{path}: no such model file")
    # Read once and check the very bytes that get parsed, so a file swapped
    # between the check and the load is never used.
    data = path.read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    if actual != sha256:
        raise ModelFileError(f"{path}: the file changed since it was exported (SHA-256 "
                             f"{actual[:12]}…, card says {sha256[:12]}…); refusing to load it")
    if fmt == "joblib":
        if not trust:
            raise ModelFileError(f"{path}: a joblib file runs code when loaded; pass --trust "
                                 "only if you made it yourself, or export with --format skops")
        import io

        import joblib

        return joblib.load(io.BytesIO(data))
    import skops.io as sio

    try:
        untrusted = sio.get_untrusted_types(data=data)
    except Exception as exc:  # a damaged zip or schema: never try to load it
        raise ModelFileError(f"{path}: not a readable skops model file ({exc})") from None
    unknown = sorted(set(untrusted) - ALLOWED_TYPES)
    if unknown:
        raise ModelFileError(f"{path}: holds types alearn does not load: {', '.join(unknown)}; "
                             "refusing to load it")
    try:
        return sio.loads(data, trusted=list(untrusted))
    except Exception as exc:
        raise ModelFileError(f"{path}: cannot load the model ({exc})") from None
