"""Atomic writes and output-location checks (alearn/files.py)."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from alearn.errors import ConfigError, WriteError
from alearn.files import (
    check_output_dir,
    check_output_file,
    write_all_atomic,
    write_atomic,
    write_text_atomic,
)


def _disk_full(tmp: Path) -> None:
    tmp.write_bytes(b"half a fi")  # some bytes land before the disk fills up
    raise OSError(errno.ENOSPC, "No space left on device")


def test_full_disk_keeps_the_previous_file_and_removes_the_temporary(tmp_path):
    target = tmp_path / "results.csv"
    target.write_text("previous\n")
    with pytest.raises(WriteError) as caught:
        write_atomic(target, _disk_full)
    assert target.read_text() == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.csv"]
    assert str(target) in caught.value.message
    assert "no space left" in caught.value.message and "\n" not in caught.value.message
    assert "previous file is unchanged" in caught.value.message


def test_full_disk_on_a_new_file_leaves_nothing(tmp_path):
    with pytest.raises(WriteError, match="nothing was written"):
        write_atomic(tmp_path / "new.csv", _disk_full)
    assert list(tmp_path.iterdir()) == []


def test_several_files_are_replaced_together_or_not_at_all(tmp_path):
    first, second = tmp_path / "results.csv", tmp_path / "summary.json"
    write_all_atomic({first: lambda t: t.write_text("r1"), second: lambda t: t.write_text("s1")})
    with pytest.raises(WriteError):
        write_all_atomic({first: lambda t: t.write_text("r2"), second: _disk_full})
    assert (first.read_text(), second.read_text()) == ("r1", "s1")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.csv", "summary.json"]


def test_an_interrupted_write_leaves_no_temporary(tmp_path):
    def interrupted(tmp: Path) -> None:
        tmp.write_text("par")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_text_atomic(tmp_path / "a.txt", "x")  # works
        write_atomic(tmp_path / "a.txt", interrupted)
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]
    assert (tmp_path / "a.txt").read_text() == "x"


def test_output_folder_checks(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("x")
    with pytest.raises(ConfigError, match="--out names a file; expected a folder"):
        check_output_dir(afile, "--out")
    with pytest.raises(ConfigError, match=f"{afile} is a file, not a folder"):
        check_output_dir(afile / "deeper" / "out", "--out")
    assert check_output_dir(tmp_path / "new" / "out", "--out") == tmp_path / "new" / "out"
    assert not (tmp_path / "new").exists()  # nothing is created by a check
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


def test_output_file_checks(tmp_path):
    with pytest.raises(ConfigError, match="--plot names a folder; expected a file name"):
        check_output_file(tmp_path, "--plot")
    afile = tmp_path / "afile"
    afile.write_text("x")
    with pytest.raises(ConfigError, match="is a file, not a folder"):
        check_output_file(afile / "p.png", "--plot")
    assert check_output_file(tmp_path / "sub" / "p.png", "--plot") == tmp_path / "sub" / "p.png"


def test_read_only_folder_is_refused(tmp_path, monkeypatch):
    import alearn.files as files

    # Root ignores permission bits, so the probe write is what fails here.
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(files.tempfile, "mkstemp", refuse)
    with pytest.raises(ConfigError, match="read-only or not yours"):
        check_output_dir(tmp_path / "out", "--out")
    with pytest.raises(ConfigError, match="read-only or not yours"):
        check_output_file(tmp_path / "p.csv", "--out")
