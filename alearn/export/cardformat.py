"""What marks a ``card.json`` as alearn's: its file name, format tag, version and
alearn's version, and reading one.

Kept apart from :mod:`alearn.export.card` (which builds cards) so that reading
a card (``alearn predict``, ``alearn explain``) needs nothing of building one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import alearn
from alearn.errors import ModelFileError

CARD_FILE = "card.json"
CARD_FORMAT = "alearn-model-card"
CARD_VERSION = 1


def alearn_version() -> str:
    """alearn's version (from the package, else from the installed metadata)."""
    version = getattr(alearn, "__version__", None)
    if version is None:
        from importlib.metadata import PackageNotFoundError
        from importlib.metadata import version as dist_version

        try:
            version = dist_version("alearn")
        except PackageNotFoundError:
            version = "unknown"
    return str(version)


def read_card(folder: str | Path) -> dict[str, Any]:
    """Parse an export folder's ``card.json``.

    Raises
    ------
    ModelFileError
        Not an export folder, or the card is not one alearn wrote.
    """
    path = Path(folder) / CARD_FILE
    if not path.is_file():
        raise ModelFileError(f"{folder}: no {CARD_FILE}; expected a folder written by "
                             "`alearn export --out`")
    try:
        card = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError) as exc:
        raise ModelFileError(f"{path}: not a readable model card ({exc})") from None
    if not isinstance(card, dict) or card.get("format") != CARD_FORMAT:
        raise ModelFileError(f"{path}: not an alearn model card")
    return card
