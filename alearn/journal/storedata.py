"""A label store's data: finding it (also after the folder moved), and the error for other data.

``alearn label``, ``alearn labels`` and ``alearn export`` all use these, so the
same change to the data gets the same message everywhere.
"""

from __future__ import annotations

from pathlib import Path

from alearn.errors import ConfigError, StoreError


def other_data_error(store: str | Path, made_for: str, made_fingerprint: str, source: str,
                     fingerprint: str) -> StoreError:
    """The error for data other than (or changed since) the data a store was made for."""
    if Path(made_for).resolve() == Path(source).resolve():
        return StoreError(
            f"{store}: the data {source} changed since this label store was made for it "
            f"(fingerprint {made_fingerprint[:12]}, now {fingerprint[:12]}); restore the "
            "file, or start a new store with --store")
    return StoreError(
        f"{store}: this label store was made for other data ({made_for}, fingerprint "
        f"{made_fingerprint[:12]}), not {source} (fingerprint {fingerprint[:12]}); use the "
        "store made for this data, or another --store")


def locate_data(store: str | Path, source: str, data: str | Path | None = None) -> Path | None:
    """The data file of a store: ``data`` if given, else where it was labeled, else a file
    of the same name next to the store (a folder moved with its store and data).

    Parameters
    ----------
    store : str or Path
    source : str
        The data file the store records (``sklearn:`` names have no file).
    data : str or Path, optional
        A file the user named (``--data``).

    Returns
    -------
    Path or None
        ``None`` for ``sklearn:`` data.

    Raises
    ------
    ConfigError
        ``data`` is not a file.
    StoreError
        The recorded file is gone and none of that name is next to the store.
    """
    if data is not None:
        if not Path(data).is_file():
            raise ConfigError(f"{data}: --data names no such file")
        return Path(data)
    if source.startswith("sklearn:"):
        return None
    recorded = Path(source)
    if recorded.is_file():
        return recorded
    beside = Path(store).resolve().parent / recorded.name
    if beside.is_file():
        return beside
    raise StoreError(f"{store}: its data {source} is not there any more (nor a "
                     f"{recorded.name} next to the store); name it with --data FILE")
