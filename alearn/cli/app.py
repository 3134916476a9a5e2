"""The ``alearn`` typer application: its name, help, ``--version`` and ``--debug``, and
the help texts the commands share, made from the registries (a new strategy, kind,
model or file format shows up in them).
"""

from __future__ import annotations

from typing import Annotated

import typer

from alearn import __version__
from alearn.data.formats import FORMATS
from alearn.kinds import KINDS

# Help texts come from the registries, so a new strategy or kind shows up here.
READ = ", ".join(s for f in FORMATS.values() for s in f.suffixes)
WRITTEN = FORMATS.subset([f.name for f in FORMATS.values() if f.write is not None]).choices()
STRATEGY_HELP = "; ".join(f"{k.name} tasks: {k.strategies.choices()}" for k in KINDS.values())
TEXT_FEATURES_HELP = ("How text columns become features: tfidf (word terms), embed (sentence "
                      "embeddings; needs pip install 'alearn[embed]') or both")

app = typer.Typer(
    name="alearn",
    help="Active-learning labeling in the terminal: choose the few rows worth labeling, "
    "train compact explainable models, and measure learning curves.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"alearn {_version()}")
        raise typer.Exit()


def _version() -> str:
    """The installed package's version (its metadata), else the source tree's."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("alearn")
    except PackageNotFoundError:  # run from a source tree that is not installed
        return __version__


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show full tracebacks on errors.")] = False,
    show_version: Annotated[bool, typer.Option(
        "--version", help="Show alearn's version and exit.", is_eager=True,
        callback=_show_version)] = False,
) -> None:
    """Active-learning labeling in the terminal."""
