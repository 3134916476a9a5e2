"""What marks a ``card.json`` as alearn's: its format tag, version and alearn's version.

Kept apart from :mod:`alearn.export.card` (which builds cards) so that reading
a card (``alearn predict``, ``alearn explain``) needs nothing of building one.
"""

from __future__ import annotations

import alearn

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
