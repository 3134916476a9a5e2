"""Named registries: the one place a kind, strategy, model or start method is listed.

Each entry is an object with a ``name`` and a one-line ``help``. Task
validation, ``--help`` texts, docs tables and "expected one of ..." messages
are derived from the registry, so a name is declared once, next to its code.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Generic, Protocol, TypeVar

from alearn.errors import ConfigError


class Named(Protocol):
    """What a registry holds: a unique name and a one-line description."""

    @property
    def name(self) -> str: ...

    @property
    def help(self) -> str: ...


T = TypeVar("T", bound=Named)


class Registry(Mapping[str, T], Generic[T]):
    """An ordered, immutable mapping from names to entries (iterating gives the names).

    Parameters
    ----------
    what : str
        What the entries are, as an error message names them ("model").
    entries : iterable
        Objects with ``name`` and ``help``; the order is the order shown.
    """

    def __init__(self, what: str, entries: Iterable[T]) -> None:
        self.what = what
        self._entries: dict[str, T] = {}
        for entry in entries:
            if entry.name in self._entries:
                raise ValueError(f"{what} {entry.name!r} is registered twice")
            self._entries[entry.name] = entry

    @property
    def names(self) -> tuple[str, ...]:
        """Every registered name, in order."""
        return tuple(self._entries)

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __getitem__(self, name: str) -> T:
        return self._entries[name]

    def expected(self) -> str:
        """``"a, b, c"``: the names, for "expected one of ..." messages."""
        return ", ".join(self._entries)

    def choices(self) -> str:
        """``"a, b or c"``: the names, for help texts."""
        names = list(self._entries)
        return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"

    def get(self, name: str, *, where: str = "", key: str | None = None) -> T:
        """The entry called ``name``.

        Parameters
        ----------
        name : str
        where : str
            Prefix naming the file or task (``"tasks/x/task.toml: "``).
        key : str, optional
            How the user gave the name (``"--strategy"``, ``"model ="``); default
            the registry's ``what``.

        Raises
        ------
        ConfigError
            No entry has that name; the message lists the ones that do.
        """
        try:
            return self._entries[name]
        except (KeyError, TypeError):
            shown = key if key is not None else self.what
            raise ConfigError(f"{where}{shown} {name!r} is not known; expected one of "
                              f"{self.expected()}") from None

    def subset(self, names: Iterable[str], what: str | None = None) -> Registry[T]:
        """A registry of the named entries only, in the order given."""
        return Registry(what or self.what, [self._entries[n] for n in names])
