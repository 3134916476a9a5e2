"""The light commands' modules import neither the simulator nor any kind's code.

``alearn predict``, ``alearn explain`` and ``alearn labels`` must start fast
and stay usable when the simulation code changes, so imports run one way:
from the simulation to export, never back. Each import runs in a fresh
interpreter, where ``sys.modules`` shows everything it pulled in.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LIGHT = ["alearn.export.modelfile", "alearn.export.predict", "alearn.session.labelexport"]
FORBIDDEN_PACKAGES = ("alearn.kinds", "alearn.run")
FORBIDDEN_MODULES = ("alearn.engine.learner",)

PROBE = """
import importlib, json, sys
importlib.import_module(sys.argv[1])
print(json.dumps(sorted(m for m in sys.modules if m == "alearn" or m.startswith("alearn."))))
"""


def imported_by(module: str) -> list[str]:
    """The alearn modules a fresh interpreter holds after importing ``module``."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    done = subprocess.run([sys.executable, "-c", PROBE, module], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "", done.stderr  # importing must print nothing
    return json.loads(done.stdout)


@pytest.mark.parametrize("module", LIGHT)
def test_light_modules_do_not_import_the_simulator_or_kinds(module):
    loaded = imported_by(module)
    assert module in loaded
    forbidden = [m for m in loaded
                 if m in FORBIDDEN_MODULES
                 or any(m == p or m.startswith(p + ".") for p in FORBIDDEN_PACKAGES)]
    assert forbidden == [], f"{module} imports {forbidden}"


def test_predict_does_not_import_card_building_or_rule_writing():
    loaded = imported_by("alearn.export.predict")
    assert not {"alearn.export.card", "alearn.export.describe", "alearn.export.training",
                "alearn.export.export"} & set(loaded)
