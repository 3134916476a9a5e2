"""The one exception tree of alearn.

Every error a user can cause is an :class:`AlearnError` carrying a one-line,
user-facing message and an exit code. The CLI maps them to exit codes in one
place (:func:`alearn.cli.main`); the library never prints or exits.
"""

from __future__ import annotations


class AlearnError(Exception):
    """Base class: a problem the user can fix, with a one-line message.

    Parameters
    ----------
    message : str
        What went wrong, naming the file, column or key and what was expected.
    """

    exit_code: int = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ConfigError(AlearnError):
    """A task file, option or setting is wrong (unknown key, bad value)."""


class DataError(AlearnError):
    """A data file is missing, unreadable, empty or has unusable columns."""


class StoreError(AlearnError):
    """A label store cannot be used (other data, unwritable path, corrupt)."""


class StoreBusyError(StoreError):
    """Another process holds the label store."""

    exit_code = 3


class ModelFileError(AlearnError):
    """An exported model file is missing, altered or untrusted."""


class EvaluateError(AlearnError):
    """An external evaluation command failed, timed out or printed garbage."""


class WriteError(AlearnError):
    """A file could not be written (disk full, quota, I/O error); the previous one is intact."""

    exit_code = 1


# Sane ranges for counts a user types: a typo such as ``--seeds 100000000`` is
# refused at once instead of starting a run that would never end.
MAX_SEEDS = 1000
MAX_JOBS = 256
MAX_BUDGET = 1_000_000
MAX_BATCH = 10_000


def check_range(name: str, value: int | None, low: int, high: int) -> None:
    """Refuse a count outside ``low .. high`` with one line naming the option.

    Parameters
    ----------
    name : str
        The option or key, as the user wrote it (``"--seeds"``).
    value : int or None
        ``None`` (not given) is accepted.
    low, high : int
        The allowed range, inclusive.

    Raises
    ------
    ConfigError
    """
    if value is not None and not low <= value <= high:
        raise ConfigError(f"{name} must be a whole number from {low} to {high}, got {value}")
