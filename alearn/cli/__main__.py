"""``python -m alearn.cli``: the ``alearn`` command."""

import sys

from alearn.cli import main

sys.exit(main())
