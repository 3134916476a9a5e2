"""Files written whole or not at all, output-location checks, compressed files and
content digests.

The bottom layer: only :mod:`alearn.errors` is imported.
"""

from __future__ import annotations

import bz2
import errno
import gzip
import hashlib
import lzma
import os
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import BinaryIO

from alearn.errors import ConfigError, DataError, WriteError

Writer = Callable[[Path], None]


def _nearest_existing(path: Path) -> Path:
    """``path`` or its closest ancestor that exists (``.`` for a bare relative name)."""
    probe = path
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    return probe


def _writable_folder(folder: Path) -> bool:
    """Whether a file can be created in ``folder``: a real probe, since ``os.access``
    says yes to root even on a read-only file system."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".alearn-probe.", dir=folder)
    except OSError:
        return False
    os.close(fd)
    os.unlink(tmp)
    return True


def _check_parents(path: Path, what: str) -> None:
    """The folder ``path`` goes in exists or can be made, and is writable."""
    base = _nearest_existing(path.parent if path.parent != path else path)
    if not base.is_dir():
        raise ConfigError(f"{path}: {what} cannot go there, {base} is a file, not a folder")
    if not _writable_folder(base):
        raise ConfigError(f"{path}: {what} cannot be written, the folder {base} is read-only "
                          "or not yours; choose another location")


def check_output_dir(path: str | Path, what: str) -> Path:
    """Refuse an output folder that cannot be written, before any work is done.

    Nothing is created: a missing folder is made when the first file is written.

    Parameters
    ----------
    path : str or Path
        The folder the command will write into.
    what : str
        The option that named it (``"--out"``), for the message.

    Returns
    -------
    Path

    Raises
    ------
    ConfigError
        ``path`` is a file, lies under a file, or is in (or is) a read-only folder.
    """
    path = Path(path)
    if path.exists():
        if not path.is_dir():
            raise ConfigError(f"{path}: {what} names a file; expected a folder (the command "
                              "writes several files into it)")
        if not _writable_folder(path):
            raise ConfigError(f"{path}: {what} folder is read-only or not yours; choose "
                              "another location")
        return path
    _check_parents(path, what)
    return path


def check_output_file(path: str | Path, what: str) -> Path:
    """Refuse an output file that cannot be written, before any work is done.

    Parameters
    ----------
    path : str or Path
        The file the command will write.
    what : str
        The option that named it (``"--plot"``), for the message.

    Returns
    -------
    Path

    Raises
    ------
    ConfigError
        ``path`` is a folder, lies under a file, or its folder is read-only.
    """
    path = Path(path)
    if path.is_dir():
        raise ConfigError(f"{path}: {what} names a folder; expected a file name")
    if path.exists() and not path.is_file():
        raise ConfigError(f"{path}: {what} names something that is not a regular file")
    _check_parents(path, what)
    return path


def _message(path: Path, exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        reason = "no space left on the device"
    else:
        reason = exc.strerror or str(exc)
    kept = "the previous file is unchanged" if path.exists() else "nothing was written"
    return f"{path}: cannot write ({reason}); {kept}"


def _temp_sibling(path: Path) -> Path:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    # mkstemp makes the file private; results should get the usual permissions.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    return Path(tmp)


def write_all_atomic(files: Mapping[Path, Writer]) -> None:
    """Write several files so that either all are replaced or none is.

    Every file is written to a temporary sibling first; only when all of them
    are complete are they renamed into place (renames do not need disk space).

    Parameters
    ----------
    files : mapping of Path to callable
        Final location -> writer called with the temporary path.

    Raises
    ------
    WriteError
        A write failed (disk full, permission, I/O); the temporary files are
        removed and the previous files are intact.
    """
    temps: dict[Path, Path] = {}
    current = Path(".")
    try:
        for path, write in files.items():
            current = Path(path)
            current.parent.mkdir(parents=True, exist_ok=True)
            temps[current] = _temp_sibling(current)
            write(temps[current])
        for path, tmp in temps.items():
            current = path
            os.replace(tmp, path)
    except OSError as exc:
        _remove(temps.values())
        raise WriteError(_message(current, exc)) from None
    except BaseException:
        _remove(temps.values())
        raise


def _remove(paths: Iterable[Path]) -> None:
    for tmp in paths:
        Path(tmp).unlink(missing_ok=True)


def write_atomic(path: Path, write: Writer) -> None:
    """Write a file via a temporary sibling and a rename, so readers never see half of it.

    Parameters
    ----------
    path : Path
        Final location.
    write : callable
        Called with the temporary path; must create the file there.

    Raises
    ------
    WriteError
        The write failed (e.g. the disk is full); the previous file is intact
        and the temporary file is removed.
    """
    write_all_atomic({Path(path): write})


def write_text_atomic(path: Path, text: str) -> None:
    """Write text to ``path`` atomically (UTF-8)."""
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# A compression suffix after a file's own suffix (``data.csv.gz``): pandas' names.
COMPRESSIONS = {".gz": "gzip", ".bz2": "bz2", ".zip": "zip", ".xz": "xz"}
# What a broken compressed file raises while it is decoded.
DECODE_ERRORS = (OSError, EOFError, zlib.error, lzma.LZMAError, zipfile.BadZipFile)


def compression_of(path: Path) -> str | None:
    """``"gzip"``, ``"bz2"``, ``"zip"`` or ``"xz"`` by the last suffix, else ``None``."""
    return COMPRESSIONS.get(path.suffix.lower())


def open_decoded(path: Path) -> BinaryIO:
    """A file's bytes as written before compression (the file itself when not compressed).

    A zip archive must hold exactly one file, as pandas reads it.

    Raises
    ------
    DataError
        A zip archive holding no file or several.
    OSError, EOFError, zlib.error, lzma.LZMAError, zipfile.BadZipFile
        The file is not what its suffix says (see :data:`DECODE_ERRORS`).
    """
    compression = compression_of(path)
    if compression == "gzip":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    if compression == "bz2":
        return bz2.open(path, "rb")  # type: ignore[return-value]
    if compression == "xz":
        return lzma.open(path, "rb")  # type: ignore[return-value]
    if compression == "zip":
        archive = zipfile.ZipFile(path)
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) != 1:
            archive.close()
            raise DataError(f"{path}: the zip archive holds {len(members)} files; expected "
                            "exactly one data file")
        return archive.open(members[0])  # type: ignore[return-value]
    return path.open("rb")


def data_digest(path: Path) -> str:
    """SHA-256 of a data file's content: its bytes, or for a compressed file the bytes it
    decodes to, so re-compressing it (another level, another time stamp) keeps it the
    same data.

    Raises
    ------
    DataError
        A compressed file that cannot be decoded.
    """
    if compression_of(path) is None:
        return file_digest(path)
    digest = hashlib.sha256()
    try:
        with open_decoded(path) as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    except DECODE_ERRORS as exc:
        raise DataError(f"{path}: cannot decompress ({exc}); the file is damaged or not "
                        f"{compression_of(path)}-compressed") from None
    return digest.hexdigest()
