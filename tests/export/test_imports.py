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
LIGHT = ["alearn.export.modelfile", "alearn.export.predict", "alearn.export.prediction",
         "alearn.export.labels", "alearn.export.merge"]
FORBIDDEN_PACKAGES = ("alearn.kinds", "alearn.run")
FORBIDDEN_MODULES = ("alearn.engine.learner",)

PROBE = """
import importlib, json, sys
importlib.import_module(sys.argv[1])
print(json.dumps(sorted(m for m in sys.modules if m == "alearn" or m.startswith("alearn."))))
"""


def python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter that imports this tree's alearn."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=120, check=False)


def imported_by(module: str) -> list[str]:
    """The alearn modules a fresh interpreter holds after importing ``module``."""
    done = python(PROBE, module)
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


@pytest.mark.parametrize("module", ["alearn.export.predict", "alearn.export.prediction"])
def test_predict_does_not_import_card_building_or_rule_writing(module):
    loaded = imported_by(module)
    assert not {"alearn.export.card", "alearn.export.describe", "alearn.export.training",
                "alearn.export.export"} & set(loaded)


def test_explain_options_go_together(tmp_path):
    from alearn.errors import ConfigError
    from alearn.export.predict import explain

    with pytest.raises(ConfigError, match="--data is only used with --row ID"):
        explain(tmp_path, data=tmp_path / "d.csv")
    with pytest.raises(ConfigError, match="--row needs --data FILE"):
        explain(tmp_path, row="3")


# What a command may not load: the simulation, the GP, the learner, the runner.
HEAVY = ("alearn.run", "alearn.kinds.classify.simulate", "alearn.kinds.screen.simulate",
         "alearn.kinds.optimize.simulate", "alearn.kinds.optimize.gp", "alearn.engine.learner",
         "alearn.commands")

CLI_PROBE = """
import json, sys
from alearn.cli import main
code = main(sys.argv[1:])
print(json.dumps([code, sorted(m for m in sys.modules if m.startswith("alearn"))]))
"""


def test_light_commands_load_no_simulation(tmp_path, blobs_csv):
    from alearn.files import file_digest
    from alearn.journal.store import Store

    with Store.open(tmp_path / "s.db") as store:
        # The real fingerprint: `alearn labels` refuses a store whose data changed.
        store.initialise(file_digest(blobs_csv), str(blobs_csv), {"target": "class!"})
        store.append("label", "r1", "yes", "me")
    for args in (["labels", str(tmp_path / "s.db")], ["--help"],
                 ["explain", str(tmp_path / "no-model")]):
        done = python(CLI_PROBE, *args)
        code, loaded = json.loads(done.stdout.strip().splitlines()[-1])
        heavy = [m for m in loaded if any(m == h or m.startswith(h + ".") for h in HEAVY)]
        assert heavy == [], f"alearn {' '.join(args)} loads {heavy}"
        assert code == (2 if args[0] == "explain" else 0), done.stderr


def test_starting_the_cli_loads_no_scientific_library():
    """Help texts come from the registries; reading them must not import scikit-learn
    (or modAL, which imports torch when it is installed): every command pays for it."""
    probe = ("import json, sys; import alearn.cli; print(json.dumps(sorted(m for m in "
             "('sklearn', 'modAL', 'pandas', 'scipy', 'torch', 'numpy') if m in sys.modules)))")
    done = python(probe)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


# Reading stores and model files: no simulator and no Gaussian process.
STORE_READERS = ["alearn.export.storelabels", "alearn.export.modelfile", "alearn.export.predict",
                 "alearn.export.prediction",
                 "alearn.export.labels", "alearn.journal.store", "alearn.journal.labels"]
SIMULATION = ("alearn.kinds.classify.simulate", "alearn.kinds.screen.simulate",
              "alearn.kinds.optimize.simulate", "alearn.kinds.optimize.gp", "alearn.run")


@pytest.mark.parametrize("module", STORE_READERS)
def test_store_and_model_readers_load_no_simulation_or_gp(module):
    loaded = imported_by(module)
    found = [m for m in loaded if any(m == s or m.startswith(s + ".") for s in SIMULATION)]
    assert found == [], f"{module} imports {found}"


ERROR_EXITS = [["run", "{tmp}/nowhere"], ["report", "{tmp}/nowhere"],
               ["label", "{tmp}/nowhere.csv"], ["labels", "{tmp}/nowhere.db"],
               ["export", "{tmp}/nowhere", "--out", "{tmp}/m"],
               ["predict", "{tmp}", "{tmp}/x.csv"],
               ["explain", "{tmp}"], ["agreement", "{tmp}/a.db", "{tmp}/b.db"]]


@pytest.mark.parametrize("args", ERROR_EXITS, ids=lambda a: a[0])
def test_an_error_exit_loads_no_pandas_or_scikit_learn(tmp_path, args):
    """Each command refuses a wrong path with one line before pandas (or scikit-learn)
    loads: that is what keeps an error exit at about 0.2 s (bench/error_exits.py)."""
    argv = [a.format(tmp=tmp_path) for a in args]
    probe = ("import json, sys\nfrom alearn.cli import main\n"
             f"code = main({argv!r})\n"
             "print(json.dumps([code, sorted(m for m in ('sklearn', 'pandas', 'joblib', "
             "'numpy') if m in sys.modules)]))")
    done = python(probe)
    code, heavy = json.loads(done.stdout.strip().splitlines()[-1])
    assert (code, heavy) == (2, []), done.stderr
    assert done.stderr.count("error:") == 1, done.stderr


def test_the_commands_module_and_an_error_exit_load_no_scikit_learn():
    """``import alearn.commands`` and ``alearn run /nonexistent`` load neither scikit-learn
    nor pandas: an error exit is one line, at once."""
    probe = ("import json, sys\nfrom alearn.cli import main\nimport alearn.commands\n"
             "heavy = lambda: sorted(m for m in ('sklearn', 'pandas', 'joblib') "
             "if m in sys.modules)\nafter_import = heavy()\n"
             "code = main(['run', '/nonexistent/task'])\n"
             "print(json.dumps([code, after_import, heavy()]))")
    done = python(probe)
    code, after_import, after_error = json.loads(done.stdout.strip().splitlines()[-1])
    assert (code, after_import, after_error) == (2, [], []), done.stderr


def test_a_busy_store_is_refused_before_the_session_machinery_loads(tmp_path, blobs_csv):
    """A second terminal on a store in use hears so at once (exit 3), not after the
    seconds scikit-learn and the data take to load."""
    store = tmp_path / "s.db"
    probe = ("import json, sys\nfrom alearn.cli import main\n"
             "from alearn.journal.store import Store\n"
             f"held = Store.open({str(store)!r})\n"
             f"code = main(['label', {str(blobs_csv)!r}, '--store', {str(store)!r}])\n"
             "print(json.dumps([code, sorted(m for m in ('sklearn', 'scipy') "
             "if m in sys.modules)]))")
    done = python(probe)
    code, heavy = json.loads(done.stdout.strip().splitlines()[-1])
    assert (code, heavy) == (3, []), done.stderr
    assert "in use by another alearn process" in done.stderr
