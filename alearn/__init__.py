"""alearn: active-learning labeling in the terminal.

The library is the product; the ``alearn`` command is a thin layer over it.
"""

from alearn.errors import AlearnError

__version__ = "0.1.0"
__all__ = ["AlearnError", "__version__"]
