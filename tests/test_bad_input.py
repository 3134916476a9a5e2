"""The bad-input catalogue: the ``alearn`` command on every bad input a user has met.

Each case asserts the exit code, exactly one ``error:`` line that names the file,
column, key or path at fault, no traceback, and no new or changed file in the
output location. A new bad input found in use goes here (and into docs/errors.md).

The cases run the command in this process (``alearn.cli.main``, as the ``cli``
fixture does, from the case's folder, with ``COLUMNS=200`` and the case's stdin):
a fresh interpreter spends most of a case importing. A few cases also run as the
real command in a subprocess and must give the same exit code and the same output
(:func:`test_in_process_runs_match_the_command`); what only a process has (Ctrl-C
reaching the process group) runs only as one.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import CliResult, blobs_frame

from alearn.journal.labels import current_labels

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(
    [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]),
    "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "COLUMNS": "200"}


def alearn(*args: object, cwd: Path, stdin: str | None = None,
           timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the command as a user would (``python -m alearn.cli``)."""
    return subprocess.run([sys.executable, "-m", "alearn.cli", *map(str, args)],
                          capture_output=True, text=True, env=ENV, cwd=cwd, input=stdin,
                          timeout=timeout, check=False)


@dataclass
class Done:
    """What a run of the command gave (the fields of a ``CompletedProcess`` used here)."""

    returncode: int
    stdout: str
    stderr: str


Here = Callable[..., Done]


@pytest.fixture
def here(cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch) -> Here:
    """Run the command in this process as :func:`alearn` runs it in a new one: from
    ``cwd``, with ``stdin`` as its input (empty when None) and a 200-column console.
    The exit code is what ``main`` returns, which the process exits with."""

    def invoke(*args: object, cwd: Path, stdin: str | None = None) -> Done:
        monkeypatch.setenv("COLUMNS", ENV["COLUMNS"])  # rich reads it when it prints
        done = cli(*args, cwd=cwd, stdin="" if stdin is None else stdin)
        return Done(done.code, done.out, done.err)

    return invoke


@dataclass
class Kit:
    """Inputs built once for the whole catalogue (copied into each case's folder)."""

    root: Path
    pool: Path  # a CSV with a mostly empty `label` column
    store: Path  # a label store with four labels of `pool`
    model: Path  # an export folder (tree, fitted on the store)


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Kit:
    from alearn.export.export import export_model
    from alearn.session.opening.classes import open_session

    root = tmp_path_factory.mktemp("kit")
    frame = blobs_frame()
    truth = frame.pop("class!").to_numpy()
    frame.insert(0, "item", [f"i{k:03d}" for k in range(len(frame))])
    frame["label"] = np.where(np.arange(len(frame)) < 6, truth, None)
    pool = root / "pool.csv"
    frame.to_csv(pool, index=False)
    store = root / "pool.labels.db"
    with open_session(pool, target="label", classes="no,yes,maybe", store=store,
                      annotator="test") as session:
        for _ in range(4):
            row = int(np.flatnonzero(session.ids == session.current().row_id)[0])
            session.label(truth[row])
    export_model(store, root / "model", model="tree")
    return Kit(root=root, pool=pool, store=store, model=root / "model")


def snapshot(path: Path) -> dict[str, str]:
    """Every file under ``path`` (or ``path`` itself) -> its SHA-256.

    A store's ``.lock`` file is not output: ``alearn label`` takes the OS lock on it
    before it reads the store, and it is never removed (removing a lock file races).
    Nor are SQLite's ``-wal``/``-shm`` files, which reading a WAL-mode store creates.
    """
    if path.is_file():
        return {".": hashlib.sha256(path.read_bytes()).hexdigest()}
    if not path.exists():
        return {}
    return {str(p.relative_to(path)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file()
            else "dir" for p in sorted(path.rglob("*"))
            if not p.name.endswith((".db.lock", ".db-wal", ".db-shm"))}


@dataclass
class Setup:
    """A case, ready to run: its arguments, what the error must name, what must not change."""

    args: list[object]
    needle: str
    watch: Path
    code: int = 2
    stdin: str | None = None


def _csv(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def _labeled(folder: Path, name: str = "data.csv", **changes: object) -> Path:
    frame = blobs_frame()
    for column, value in changes.items():
        frame[column] = value
    path = folder / name
    frame.to_csv(path, index=False)
    return path


def _task(folder: Path, toml: str, data: Path | None = None) -> Path:
    task = folder / "task"
    task.mkdir()
    (task / "data.csv").write_bytes((data or _labeled(folder)).read_bytes())
    (task / "task.toml").write_text('name = "t"\ndata = "data.csv"\n' + toml)
    return task


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody may write to: chmod for users; for root (who ignores modes), a
    read-only tmpfs when the system allows mounting one."""
    folder = tmp_path / "readonly"
    folder.mkdir()
    folder.chmod(0o555)
    mounted = False
    try:
        probe = folder / "probe"
        try:
            probe.write_text("x")
            probe.unlink()
            writable = True
        except OSError:
            writable = False
        if writable:
            done = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs",
                                   str(folder)], capture_output=True, check=False)
            if done.returncode != 0:
                pytest.skip("cannot make a read-only folder as this user")
            mounted = True
        yield folder
    finally:
        if mounted:
            subprocess.run(["umount", str(folder)], check=False)
        folder.chmod(0o755)


# Each case: (tmp folder, kit, read-only folder) -> Setup. The run happens in the tmp folder.
CaseFn = Callable[[Path, Kit, Path], Setup]
CASES: dict[str, CaseFn] = {}


def case(fn: CaseFn) -> CaseFn:
    CASES[fn.__name__] = fn
    return fn


# -- data files (the list at the top of issue 11) -----------------------------------
@case
def missing_file(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["run", t / "nope.csv", "--out", t / "o"], "nope.csv", t)


@case
def empty_file(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["run", _csv(t, "empty.csv", ""), "--out", t / "o"], "empty.csv", t)


@case
def header_only(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["run", _csv(t, "head.csv", "Size,class!\n"), "--out", t / "o"], "head.csv", t)


@case
def ragged_rows(t: Path, k: Kit, ro: Path) -> Setup:
    data = _csv(t, "ragged.csv", "Size,class!\n1,a\n2,b,extra,more\n3,a\n")
    return Setup(["run", data, "--out", t / "o"], "ragged.csv", t)


@case
def not_utf8_names_the_line(t: Path, k: Kit, ro: Path) -> Setup:
    data = _csv(t, "latin1.csv", "Size,colour,class!\n1,red,a\n2,caf\xe9,b\n".encode("latin-1"))
    return Setup(["run", data, "--out", t / "o"], "latin1.csv: not UTF-8 text (line 3", t)


@case
def binary_file(t: Path, k: Kit, ro: Path) -> Setup:
    data = _csv(t, "blob.csv", bytes(range(256)) * 8)
    return Setup(["run", data, "--out", t / "o"], "blob.csv", t)


@case
def truncated_parquet(t: Path, k: Kit, ro: Path) -> Setup:
    whole = t / "whole.parquet"
    blobs_frame().to_parquet(whole)
    data = _csv(t, "cut.parquet", whole.read_bytes()[:200])
    return Setup(["run", data, "--out", t / "o"], "cut.parquet", t)


@case
def infinite_number(t: Path, k: Kit, ro: Path) -> Setup:
    frame = blobs_frame()
    frame.loc[4, "Size"] = np.inf  # Parquet keeps it; CSV would read "inf" the same
    data = t / "inf.parquet"
    frame.to_parquet(data)
    return Setup(["run", data, "--out", t / "o"],
                 "column 'Size' holds an infinite number in row 5", t)


@case
def broken_jsonl(t: Path, k: Kit, ro: Path) -> Setup:
    data = _csv(t, "broken.jsonl", '{"Size": 1, "class!": "a"}\n{"Size": 2, "class!"\n')
    return Setup(["run", data, "--out", t / "o"], "broken.jsonl", t)


@case
def unknown_suffix(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["label", _csv(t, "data.xyz", "Size,class!\n1,a\n")],
                 "data.xyz: unknown file type '.xyz'; expected .csv", t)


@case
def run_unknown_suffix(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["run", _csv(t, "data.gz", "x"), "--out", t / "o"],
                 "data.gz: unknown file type '.gz'", t)


@case
def undetectable_separator(t: Path, k: Kit, ro: Path) -> Setup:
    data = _csv(t, "odd.csv", "Size;class!\n1;2;3;4\n5\n6;7;8\n")
    return Setup(["label", data], "odd.csv: cannot tell what separates the columns", t)


@case
def corrupt_gzip(t: Path, k: Kit, ro: Path) -> Setup:
    whole = gzip.compress(blobs_frame().to_csv(index=False).encode())
    data = _csv(t, "cut.csv.gz", whole[:len(whole) // 2])
    return Setup(["run", data, "--out", t / "o"],
                 "cut.csv.gz: cannot read as gzip-compressed csv", t)


@case
def corrupt_xlsx(t: Path, k: Kit, ro: Path) -> Setup:
    whole = t / "whole.xlsx"
    blobs_frame().to_excel(whole, index=False)
    data = _csv(t, "cut.xlsx", whole.read_bytes()[:400])
    return Setup(["label", data], "cut.xlsx: cannot read as xlsx (not an Excel workbook", t)


@case
def ris_broken_record(t: Path, k: Kit, ro: Path) -> Setup:
    # The second record lost its ER line: rispy would merge it into the third.
    data = _csv(t, "refs.ris", "TY  - JOUR\nTI  - One\nER  - \n\nTY  - JOUR\nTI  - Two\n"
                "\nTY  - JOUR\nTI  - Three\nER  - \n")
    return Setup(["label", data, "--target", "decision"],
                 "refs.ris: line 8: record 2 (from line 5) has no 'ER  - ' line", t)


@case
def bibtex_duplicate_key(t: Path, k: Kit, ro: Path) -> Setup:
    data = _csv(t, "refs.bib", "@article{smith20, title={One}, year=2020}\n"
                "@article{doe21, title={Two}, year=2021}\n@article{smith20, title={Three}}\n")
    return Setup(["label", data, "--target", "decision"],
                 "refs.bib: line 3: the key 'smith20' is used again (first on line 1)", t)


@case
def labels_unknown_output_suffix(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["labels", k.store, "--out", t / "labels.txt"],
                 "labels.txt: --out has an unknown file type '.txt'", t)


@case
def predict_unknown_output_suffix(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["predict", k.model, k.pool, "--out", t / "p.xls"],
                 "p.xls: --out has an unknown file type '.xls'", t)


@case
def no_class_column(t: Path, k: Kit, ro: Path) -> Setup:
    data = t / "noclass.csv"
    blobs_frame().drop(columns="class!").to_csv(data, index=False)
    return Setup(["run", data, "--out", t / "o"], "noclass.csv", t)


@case
def two_class_columns(t: Path, k: Kit, ro: Path) -> Setup:
    data = _labeled(t, "two.csv", **{"other!": "x"})
    return Setup(["run", data, "--out", t / "o"], "class!", t)


@case
def one_class(t: Path, k: Kit, ro: Path) -> Setup:
    data = _labeled(t, "one.csv", **{"class!": "same"})
    return Setup(["run", data, "--out", t / "o"], "one.csv", t)


@case
def declared_numeric_holds_words(t: Path, k: Kit, ro: Path) -> Setup:
    # A column declared numeric (independent of the MOOT header convention).
    task = _task(t, '[features]\nnumeric = ["colour"]\n')
    return Setup(["run", task, "--out", t / "o"], "features.numeric", t)


@case
def text_column_without_usable_terms(t: Path, k: Kit, ro: Path) -> Setup:
    n = 200
    cells = [f"alpha beta gamma delta epsilon zeta eta theta {1000 + i}" for i in range(n)]
    data = t / "words.csv"
    pd.DataFrame({"notes": cells, "class!": np.array(["a", "b"])[np.arange(n) % 2]}).to_csv(
        data, index=False)
    return Setup(["run", data, "--out", t / "o"], "'notes', text with no usable words", t)


def _screen_text_task(t: Path, toml: str) -> Path:
    """A screen task over 60 short abstracts (6 relevant), with ``toml`` added."""
    words = [["active", "learning", "review"], ["protein", "galaxy", "river"]]
    cells = [" ".join(words[k % 10 != 0][(k + i) % 3] for i in range(8)) + f" paper{k % 7}"
             for k in range(60)]
    frame = pd.DataFrame({"item": [f"r{k}" for k in range(60)], "abstract": cells,
                          "decision": np.where(np.arange(60) % 10 == 0, "yes", "no")})
    data = _csv(t, "records.csv", frame.to_csv(index=False))
    return _task(t, 'kind = "screen"\ntarget = "decision"\npositive = "yes"\n'
                    'text = ["abstract"]\nid = "item"\nbudgets = [8]\nlsa = 0\n' + toml, data)


@case
def screen_query_empty(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["run", _screen_text_task(t, 'query = " ? "\n'), "--out", t / "o"],
                 "task.toml: the query is empty", t)


@case
def screen_query_option_empty(t: Path, k: Kit, ro: Path) -> Setup:
    task = _screen_text_task(t, "")
    return Setup(["label", task, "--query", "", "--store", t / "s.db"],
                 "--query '': the query is empty", t, stdin="q\n")


@case
def screen_query_without_a_word_of_the_data(t: Path, k: Kit, ro: Path) -> Setup:
    task = _screen_text_task(t, 'query = "quantum chromodynamics"\n')
    return Setup(["run", task, "--out", t / "o"],
                 "no word of the query 'quantum chromodynamics' is in the vocabulary of text "
                 "column(s) abstract", t)


@case
def screen_label_query_without_a_word_of_the_data(t: Path, k: Kit, ro: Path) -> Setup:
    task = _screen_text_task(t, "")
    return Setup(["label", task, "--query", "quantum chromodynamics", "--store", t / "s.db"],
                 "no word of the query", t, stdin="q\n")


@case
def screen_priors_naming_no_record(t: Path, k: Kit, ro: Path) -> Setup:
    task = _screen_text_task(t, 'priors = ["r0", "r999"]\n')
    return Setup(["run", task, "--out", t / "o"],
                 "priors name rows not in the labeled data: 'r999' (priors are id column "
                 "'item')", t)


# -- task files and options -------------------------------------------------------------
@case
def task_unknown_key(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["run", _task(t, "colour_scheme = 3\n"), "--out", t / "o"], "colour_scheme", t)


@case
def task_bad_toml(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["run", _task(t, "seeds = [\n"), "--out", t / "o"], "task.toml", t)


@case
def task_seeds_huge(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["run", _task(t, "seeds = 100000000\n"), "--out", t / "o"], "seeds", t)


@case
def seeds_huge(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["run", _labeled(t), "--seeds", 100000000, "--out", t / "o"], "--seeds", t)


@case
def parallel_zero(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["label", _goals_csv(t), "--evaluate", "true", "--parallel", 0,
                  "--store", t / "s.db"], "--parallel", t)


@case
def parallel_more_than_the_pool(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["label", _goals_csv(t), "--evaluate", "true", "--parallel", 41,
                  "--store", t / "s.db"], "--parallel 41 is more than the 40 rows of", t)


@case
def parallel_key_zero(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["run", _task(t, 'kind = "optimize"\nparallel = 0\n', _goals_csv(t)),
                  "--out", t / "o"], "parallel must be at least 1", t)


@case
def parallel_key_more_than_the_pool(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["run", _task(t, 'kind = "optimize"\nparallel = 50\nbudgets = [8]\n',
                               _goals_csv(t)), "--out", t / "o"],
                 "parallel = 50 is more than the 40 rows", t)


@case
def parallel_on_a_classification_task(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["label", _labeled(t), "--parallel", 2, "--store", t / "s.db"],
                 "--parallel is for optimize tasks (goal columns ending in + or -)", t)


def _goals_csv(folder: Path) -> Path:
    """40 rows, two features, two goals (an optimize task)."""
    rng = np.random.default_rng(0)
    a, b = rng.random(40).round(3), rng.random(40).round(3)
    path = folder / "goals.csv"
    pd.DataFrame({"A": a, "B": b, "Speed+": a + b, "Cost-": a * b}).to_csv(path, index=False)
    return path


@case
def seeds_zero(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["run", _labeled(t), "--seeds", 0, "--out", t / "o"], "--seeds", t)


@case
def jobs_zero(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["run", _labeled(t), "--jobs", 0, "--out", t / "o"], "--jobs", t)


@case
def jobs_huge(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["run", _labeled(t), "--jobs", 100000, "--out", t / "o"], "--jobs", t)


@case
def unknown_metric(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["run", _labeled(t), "--metric", "auc", "--out", t / "o"], "--metric", t)


@case
def label_noise_of_one(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["run", _task(t, "label_noise = 1.0\n"), "--out", t / "o"],
                 "label_noise must be a share in [0, 1)", t)


@case
def label_noise_negative(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["run", _task(t, "label_noise = -0.1\n"), "--out", t / "o"],
                 "label_noise must be a share in [0, 1)", t)


@case
def label_noise_on_optimize(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["run", _task(t, 'kind = "optimize"\nlabel_noise = 0.1\n'), "--out", t / "o"],
                 "key 'label_noise' is not read by optimize tasks", t)


@case
def recheck_on_optimize(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["run", _task(t, 'kind = "optimize"\nrecheck = "auto"\n'), "--out", t / "o"],
                 "key 'recheck' is not read by optimize tasks", t)


@case
def recheck_unknown(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["run", _task(t, 'recheck = "always"\n'), "--out", t / "o"],
                 "recheck = 'always' is not known; expected one of auto, off", t)


@case
def label_batch_zero(t: Path, k: Kit, ro: Path) -> Setup:
    pool = shutil.copy(k.pool, t)
    return Setup(["label", pool, "--target", "label", "--batch", 0, "--store", t / "s.db"],
                 "--batch", t, stdin="q\n")


@case
def label_budget_negative(t: Path, k: Kit, ro: Path) -> Setup:
    pool = shutil.copy(k.pool, t)
    return Setup(["label", pool, "--target", "label", "--budget", -3, "--store", t / "s.db"],
                 "--budget", t, stdin="q\n")


@case
def label_id_not_a_column(t: Path, k: Kit, ro: Path) -> Setup:
    pool = shutil.copy(k.pool, t)
    return Setup(["label", pool, "--target", "label", "--id", "ticket", "--store", t / "s.db"],
                 "--id 'ticket' is not a column of", t, stdin="q\n")


@case
def label_id_repeats(t: Path, k: Kit, ro: Path) -> Setup:
    pool = shutil.copy(k.pool, t)
    return Setup(["label", pool, "--target", "label", "--id", "colour", "--store", t / "s.db"],
                 "id column 'colour' repeats the value", t, stdin="q\n")


@case
def label_id_empty_cell(t: Path, k: Kit, ro: Path) -> Setup:
    frame = pd.read_csv(k.pool)
    frame.loc[6, "item"] = None
    frame.to_csv(t / "pool.csv", index=False)
    return Setup(["label", t / "pool.csv", "--target", "label", "--id", "item", "--store",
                  t / "s.db"], "'item' is empty in row 7", t, stdin="q\n")


@case
def label_id_changed_on_resume(t: Path, k: Kit, ro: Path) -> Setup:
    store = shutil.copy(k.store, t)
    return Setup(["label", k.pool, "--target", "label", "--id", "Size", "--store", store],
                 "made with --id item; leave the option out", t, stdin="q\n")


@case
def label_hide_not_a_column(t: Path, k: Kit, ro: Path) -> Setup:
    pool = shutil.copy(k.pool, t)
    return Setup(["label", pool, "--target", "label", "--hide", "answer", "--store",
                  t / "s.db"], "--hide 'answer' is not a column of", t, stdin="q\n")


@case
def label_exclude_not_a_column(t: Path, k: Kit, ro: Path) -> Setup:
    pool = shutil.copy(k.pool, t)
    return Setup(["label", pool, "--target", "label", "--exclude", "Size,answer", "--store",
                  t / "s.db"], "--exclude 'answer' is not a column of", t, stdin="q\n")


@case
def label_target_typo(t: Path, k: Kit, ro: Path) -> Setup:
    pool = shutil.copy(k.pool, t)
    return Setup(["label", pool, "--target", "lable", "--store", t / "s.db"],
                 "--target 'lable' is not a column of", t, stdin="q\n")


@case
def labels_fields_not_a_column(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["labels", k.store, "--fields", "Size,title"],
                 "--fields 'title' is not a column of", t)


@case
def label_audit_negative(t: Path, k: Kit, ro: Path) -> Setup:
    pool = shutil.copy(k.pool, t)
    return Setup(["label", pool, "--target", "label", "--audit", -1, "--store", t / "s.db"],
                 "--audit", t, stdin="q\n")


@case
def label_recall_target_differs_from_the_store(t: Path, k: Kit, ro: Path) -> Setup:
    from alearn.session.opening.classes import open_session

    task = _task(t, 'kind = "screen"\ntarget = "label"\npositive = "yes"\n', data=k.pool)
    with open_session(task, store=t / "s.db", recall_target=0.8) as session:
        session.label("no")  # the store keeps the target it was made with
    return Setup(["label", task, "--recall-target", 0.9, "--store", t / "s.db"],
                 "keeps the recall target 0.8", t, stdin="q\n")


@case
def stopping_on_a_store_that_is_not_a_screen(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["stopping", _labeled_store(t, k)[-1]], "not a screening store", t)


@case
def label_classes_differ_only_by_case(t: Path, k: Kit, ro: Path) -> Setup:
    pool = shutil.copy(k.pool, t)
    return Setup(["label", pool, "--target", "label", "--classes", "good,bad,Good", "--store",
                  t / "s.db"], "'good' and 'Good'", t, stdin="q\n")


def _labeled_store(t: Path, k: Kit) -> list[object]:
    """``alearn label`` on a copy of the pool and of the kit's store (four labels)."""
    pool, store = shutil.copy(k.pool, t), shutil.copy(k.store, t)
    return ["label", pool, "--target", "label", "--id", "item", "--store", store]


@case
def label_relabel_to_a_key(t: Path, k: Kit, ro: Path) -> Setup:
    # Piped input is a script's: a refused revision ends it with the line's number.
    answered = str(current_labels(k.store)["id"].iloc[0])
    return Setup(_labeled_store(t, k), "input line 1: 's' is a key", t,
                 stdin=f":relabel {answered} s\n")


@case
def label_note_on_a_missing_row(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(_labeled_store(t, k), "input line 2: no row 'nope'", t,
                 stdin=":history\n:note nope looks odd\n")


@case
def label_recheck_unknown(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup([*_labeled_store(t, k), "--recheck", "sometimes"], "--recheck 'sometimes'", t,
                 stdin="q\n")


@case
def label_recheck_on_a_screen_task(t: Path, k: Kit, ro: Path) -> Setup:
    task = _task(t, 'kind = "screen"\npositive = "a"\n')
    return Setup(["label", task, "--recheck", "auto", "--store", t / "s.db"],
                 "rechecks are for classify", t, stdin="q\n")


@case
def label_prior_ids_naming_no_record(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["label", _screen_text_task(t, ""), "--prior-ids", "r1,nope", "--store",
                  t / "s.db"], "priors name no record: 'nope'", t, stdin="q\n")


@case
def label_prior_ids_on_a_classify_task(t: Path, k: Kit, ro: Path) -> Setup:
    pool = shutil.copy(k.pool, t)
    return Setup(["label", pool, "--target", "label", "--prior-ids", "i001", "--store",
                  t / "s.db"], "--prior-ids: only a screen session", t, stdin="q\n")


@case
def export_budget_zero(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["export", _task(t, ""), "--budget", 0, "--out", t / "m"], "--budget", t)


@case
def unknown_model(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["export", _task(t, ""), "--budget", 16, "--model", "forest", "--out",
                  t / "m"], "forest", t)


@case
def unknown_export_format(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["export", _task(t, ""), "--budget", 16, "--format", "onnx", "--out", t / "m"],
                 "--format", t)


# -- output locations -------------------------------------------------------------------
@case
def run_out_read_only(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["run", _labeled(t), "--out", ro / "results"], str(ro), t)


@case
def run_out_is_a_file(t: Path, k: Kit, ro: Path) -> Setup:
    target = _csv(t, "results", "keep me")
    return Setup(["run", _labeled(t), "--out", target], str(target), t)


@case
def run_out_under_a_file(t: Path, k: Kit, ro: Path) -> Setup:
    blocker = _csv(t, "afile", "keep me")
    return Setup(["run", _labeled(t), "--out", blocker / "results"], str(blocker), t)


@case
def run_plot_read_only(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["run", _labeled(t), "--out", t / "o", "--plot", ro / "c.png"], str(ro), t)


@case
def run_plot_is_a_folder(t: Path, k: Kit, ro: Path) -> Setup:
    (t / "pics").mkdir()
    return Setup(["run", _labeled(t), "--out", t / "o", "--plot", t / "pics"], "pics", t)


@case
def export_out_under_a_file(t: Path, k: Kit, ro: Path) -> Setup:
    blocker = _csv(t, "afile", "keep me")
    return Setup(["export", shutil.copy(k.store, t), "--out", blocker / "m"], str(blocker), t)


@case
def export_out_is_a_file(t: Path, k: Kit, ro: Path) -> Setup:
    target = _csv(t, "m", "keep me")
    return Setup(["export", _task(t, ""), "--budget", 16, "--out", target], str(target), t)


@case
def export_out_read_only(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["export", _task(t, ""), "--budget", 16, "--out", ro / "m"], str(ro), t)


@case
def predict_out_is_a_folder(t: Path, k: Kit, ro: Path) -> Setup:
    (t / "preds").mkdir()
    return Setup(["predict", k.model, k.pool, "--out", t / "preds"], "preds", t)


@case
def predict_out_read_only(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["predict", k.model, k.pool, "--out", ro / "p.csv"], str(ro), t)


@case
def labels_out_is_a_folder(t: Path, k: Kit, ro: Path) -> Setup:
    (t / "labels").mkdir()
    return Setup(["labels", k.store, "--out", t / "labels"], "labels", t)


# -- results -----------------------------------------------------------------------------
@case
def report_no_results(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["report", t], "results.csv", t)


@case
def report_truncated_results(t: Path, k: Kit, ro: Path) -> Setup:
    text = ("task,strategy,seed,budget,metric,value\n"
            "t,all-labels,0,90,accuracy,0.9\nt,all-labels,0,90,macro_f1,0.9\nt,marg")
    (t / "o").mkdir()
    _csv(t / "o", "results.csv", text)
    return Setup(["report", t / "o"], "results are incomplete", t)


@case
def report_results_missing_a_seed(t: Path, k: Kit, ro: Path) -> Setup:
    rows = [f"t,{s},{seed},8,accuracy,0.5\n" for s in ("margin", "random")
            for seed in range(3)][:-1]
    (t / "o").mkdir()
    _csv(t / "o", "results.csv", "task,strategy,seed,budget,metric,value\n" + "".join(rows))
    return Setup(["report", t / "o"], "'random' lacks seeds", t)


@case
def report_wrong_columns(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["report", _csv(t, "r.csv", "a,b\n1,2\n")], "r.csv", t)


@case
def report_plot_of_edited_results(t: Path, k: Kit, ro: Path) -> Setup:
    # Screen curves without the rows that size them: the plot fails as the tables would.
    rows = [f"t,{s},0,{b},found,{v}\n" for s in ("certainty", "random")
            for b, v in ((3, 0.5), (9, 1.0))]
    results = _csv(t, "r.csv", "task,strategy,seed,budget,metric,value\n" + "".join(rows))
    return Setup(["report", results, "--plot", t / "p.png"], "not from `alearn run`", t)


# -- stores ------------------------------------------------------------------------------
@case
def store_for_other_data(t: Path, k: Kit, ro: Path) -> Setup:
    other = t / "other.csv"
    pd.read_csv(k.pool).iloc[:-5].to_csv(other, index=False)
    return Setup(["label", other, "--target", "label", "--store", shutil.copy(k.store, t)],
                 "made for other data", t, stdin="q\n")


@case
def store_not_sqlite(t: Path, k: Kit, ro: Path) -> Setup:
    store = _csv(t, "s.db", "not a database at all" * 10)
    return Setup(["export", store, "--out", t / "m"], "s.db", t)


@case
def store_truncated(t: Path, k: Kit, ro: Path) -> Setup:
    store = _csv(t, "s.db", k.store.read_bytes()[:700])
    return Setup(["labels", store], "s.db", t)


# -- several annotators' stores (alearn agreement) -----------------------------------------
def _store_of(t: Path, name: str, fingerprint: str, settings: dict[str, object]) -> Path:
    """A store with one label, made for data of ``fingerprint`` with ``settings``."""
    from alearn.journal.store import Store

    with Store.open(t / name) as store:
        store.initialise(fingerprint, str(t / "pool.csv"), settings)
        store.append("label", "i010", "yes", "bob")
    return t / name


@case
def agreement_one_store(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["agreement", shutil.copy(k.store, t / "alice.db")],
                 "alice.db); give the stores of two or more annotators", t)


@case
def agreement_stores_on_other_data(t: Path, k: Kit, ro: Path) -> Setup:
    from alearn.journal.store import read_store

    alice = Path(shutil.copy(k.store, t / "alice.db"))
    meta, _ = read_store(alice)
    bob = _store_of(t, "bob.db", "0" * 64, meta.settings)
    return Setup(["agreement", alice, bob], "bob.db: made for other data than", t)


@case
def agreement_optimize_store(t: Path, k: Kit, ro: Path) -> Setup:
    from alearn.journal.store import read_store

    alice = Path(shutil.copy(k.store, t / "alice.db"))
    meta, _ = read_store(alice)
    bob = _store_of(t, "bob.db", meta.fingerprint, {"kind": "optimize", "strategy": "gpei",
                                                    "seed": 0, "goals": [["Size", "max"]]})
    return Setup(["agreement", alice, bob], "bob.db: an optimize session's store holds "
                 "measured goal values, not class labels", t)


@case
def agreement_same_store_twice(t: Path, k: Kit, ro: Path) -> Setup:
    alice = shutil.copy(k.store, t / "alice.db")
    return Setup(["agreement", alice, t / "." / "alice.db"], "the same store is named twice", t)


@case
def agreement_out_is_a_folder(t: Path, k: Kit, ro: Path) -> Setup:
    (t / "report").mkdir()
    return Setup(["agreement", shutil.copy(k.store, t / "a.db"), shutil.copy(k.store, t / "b.db"),
                  "--out", t / "report"], "report: --out names a folder", t)


def _changed_pool(t: Path, k: Kit) -> Path:
    """A store made for a copy of the pool whose one answered row is not in it, and then
    the copy changed (one more row): none of its labels can be placed."""
    from alearn.files import file_digest
    from alearn.journal.store import Store

    pool = Path(shutil.copy(k.pool, t))
    with Store.open(t / "s.db") as store:
        store.initialise(file_digest(pool), str(pool.resolve()), {"target": "label"})
        store.append("label", "r1", "yes", "me")
    with pool.open("a") as fh:
        fh.write("i999,1.0,2.0,red,\n")
    return t / "s.db"


@case
def export_store_rows_all_gone(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["export", _changed_pool(t, k), "--out", t / "m"],
                 "none of the 1 row answered in this store is in", t)


@case
def labels_fields_store_rows_all_gone(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["labels", _changed_pool(t, k), "--fields", "Size"],
                 "none of the 1 row answered in this store is in", t)


@case
def label_store_rows_all_gone(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["label", t / "pool.csv", "--target", "label", "--store",
                  _changed_pool(t, k)], "none of the 1 row answered in this store is in", t,
                 stdin="q\n")


@case
def export_store_data_gone(t: Path, k: Kit, ro: Path) -> Setup:
    store = shutil.copy(k.store, t / "alone.db")
    return Setup(["export", store, "--data", t / "nowhere.csv", "--out", t / "m"],
                 "nowhere.csv", t)


# -- merge and adjudicate (several annotators' stores) -------------------------------------
def _store_like(k: Kit, path: Path, fingerprint: str | None = None, **settings: object) -> Path:
    """A store set up as the kit's (other data when ``fingerprint``, other settings), with
    one label."""
    from alearn.journal.store import Store, read_store

    meta, _ = read_store(k.store)
    with Store.open(path) as store:
        store.initialise(fingerprint or meta.fingerprint, meta.source,
                         {**meta.settings, **settings}, meta.table)
        store.append("label", "i010", "yes", "bob")
    Path(f"{path}.lock").unlink()
    return path


@case
def merge_one_store(t: Path, k: Kit, ro: Path) -> Setup:
    one = shutil.copy(k.store, t / "ann.db")
    return Setup(["merge", one, "--out", t / "team.db"], "one store given (", t)


@case
def merge_stores_on_other_data(t: Path, k: Kit, ro: Path) -> Setup:
    ann = shutil.copy(k.store, t / "ann.db")
    bob = _store_like(k, t / "bob.db", fingerprint="0" * 64)
    return Setup(["merge", ann, bob, "--out", t / "team.db"], "bob.db: made for other data", t)


@case
def merge_an_optimize_store(t: Path, k: Kit, ro: Path) -> Setup:
    ann = shutil.copy(k.store, t / "ann.db")
    bob = _store_like(k, t / "bob.db", kind="optimize")
    return Setup(["merge", ann, bob, "--out", t / "team.db"],
                 "bob.db: an optimize session's store", t)


@case
def merge_unknown_rule(t: Path, k: Kit, ro: Path) -> Setup:
    ann = shutil.copy(k.store, t / "ann.db")
    bob = _store_like(k, t / "bob.db")
    return Setup(["merge", ann, bob, "--out", t / "team.db", "--rule", "vote"],
                 "--rule 'vote' is not a rule; expected one of unanimous, majority, "
                 "adjudicated", t)


@case
def merge_out_exists(t: Path, k: Kit, ro: Path) -> Setup:
    ann = shutil.copy(k.store, t / "ann.db")
    bob = _store_like(k, t / "bob.db")
    (t / "team.db").write_text("an older merge\n")
    return Setup(["merge", ann, bob, "--out", t / "team.db"], "team.db: --out exists", t)


@case
def adjudicate_one_persons_store(t: Path, k: Kit, ro: Path) -> Setup:
    ann = shutil.copy(k.store, t / "ann.db")
    return Setup(["label", ann, "--adjudicate"],
                 "ann.db: one annotator's label store, not a merged one", t, stdin="q\n")


@case
def adjudicate_with_a_labeling_option(t: Path, k: Kit, ro: Path) -> Setup:
    ann = shutil.copy(k.store, t / "ann.db")
    return Setup(["label", ann, "--adjudicate", "--batch", "4"],
                 "--batch is not read with --adjudicate", t, stdin="q\n")


# -- predict and explain -----------------------------------------------------------------
@case
def predict_not_an_export(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["predict", t, k.pool], "card.json", t)


@case
def predict_missing_column(t: Path, k: Kit, ro: Path) -> Setup:
    data = t / "less.csv"
    pd.read_csv(k.pool).drop(columns="Weight").to_csv(data, index=False)
    return Setup(["predict", k.model, data, "--out", t / "p.csv"], "'Weight'", t)


@case
def predict_numeric_holds_text(t: Path, k: Kit, ro: Path) -> Setup:
    data = t / "text.csv"
    frame = pd.read_csv(k.pool)
    frame["Size"] = frame["Size"].astype(object)
    frame.loc[4, "Size"] = "big"
    frame.to_csv(data, index=False)
    return Setup(["predict", k.model, data, "--out", t / "p.csv"], "'Size' (row 5", t)


@case
def predict_strict_unseen_categories(t: Path, k: Kit, ro: Path) -> Setup:
    data = t / "upper.csv"
    frame = pd.read_csv(k.pool)
    frame["colour"] = frame["colour"].str.upper()
    frame.to_csv(data, index=False)
    return Setup(["predict", k.model, data, "--strict", "--out", t / "p.csv"],
                 "'colour' (100% of rows)", t)


@case
def predict_changed_model_file(t: Path, k: Kit, ro: Path) -> Setup:
    model = Path(shutil.copytree(k.model, t / "m"))
    with (model / "model.skops").open("ab") as fh:
        fh.write(b"tampered")
    return Setup(["predict", model, k.pool], "model.skops", t)


@case
def explain_unknown_row(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["explain", k.model, "--row", "zz9", "--data", k.pool], "zz9", t)


@case
def explain_row_without_data(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["explain", k.model, "--row", "2"], "--data", t)


# -- text features (issue 15) -------------------------------------------------------
@case
def unknown_text_features(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["run", _task(t, 'text_features = "bert"\n'), "--out", t / "o"],
                 "text_features = 'bert' is not known; expected one of tfidf, embed, both", t)


@case
def unknown_text_features_option(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["label", k.pool, "--target", "label", "--text-features", "words"],
                 "--text-features 'words'", t)


@case
def embeddings_without_the_extra(t: Path, k: Kit, ro: Path) -> Setup:
    from alearn.data.embed import installed

    if installed():
        pytest.skip("the embed extra is installed here")
    return Setup(["run", _task(t, 'text_features = "embed"\n'), "--out", t / "o"],
                 "pip install 'alearn[embed]'", t)


@case
def describe_a_class_not_in_classes(t: Path, k: Kit, ro: Path) -> Setup:
    data = shutil.copy(k.pool, t / "pool.csv")
    return Setup(["label", data, "--target", "label", "--classes", "a,b", "--describe",
                  "c=a third kind", "--store", t / "s.db"],
                 "--describe names class 'c', which is not in --classes a,b", t)


@case
def describe_an_empty_description(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["run", _task(t, 'describe = { yes = "  " }\n'), "--out", t / "o"],
                 "describe.yes is empty", t)


@case
def describe_without_text(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["run", _task(t, 'describe = { yes = "a big heavy blob" }\n'), "--out",
                  t / "o"], "describe gives classes in words, and this data has no text", t)


@case
def describe_a_class_the_data_lacks(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["run", _task(t, 'describe = { huge = "a big heavy blob" }\n'), "--out",
                  t / "o"], "describe names class 'huge', which is not one of its classes", t)


@case
def describe_on_optimize(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["run", _task(t, 'kind = "optimize"\ndescribe = { a = "b" }\n',
                               _goals_csv(t)), "--out", t / "o"],
                 "key 'describe' is not read by optimize tasks (describe is for classify "
                 "tasks", t)


@case
def describe_on_screen_label(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["label", _screen_text_task(t, ""), "--describe", "yes=relevant", "--store",
                  t / "s.db"], "--describe: a screen session finds one class", t)


@case
def tree_with_embeddings(t: Path, k: Kit, ro: Path) -> Setup:
    return Setup(["run", _task(t, 'text_features = "both"\nmodel = "tree"\n'), "--out",
                  t / "o"], "model = 'tree' cannot read text_features = 'both'", t)


def test_the_catalogue_is_large() -> None:
    assert len(CASES) >= 40


def _check(done: Done | subprocess.CompletedProcess[str], setup: Setup,
           before: dict[str, str], kit: Kit, kit_before: dict[str, str]) -> None:
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert done.returncode == setup.code, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert len(errors) == 1, done.stderr
    assert setup.needle in errors[0], errors[0]
    assert snapshot(setup.watch) == before, "the output location changed"
    assert snapshot(kit.root) == kit_before


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input(name: str, tmp_path: Path, kit: Kit, read_only: Path, here: Here) -> None:
    work = tmp_path / "work"
    work.mkdir()
    setup = CASES[name](work, kit, read_only)
    before, kit_before = snapshot(setup.watch), snapshot(kit.root)
    done = here(*setup.args, cwd=work, stdin=setup.stdin)
    _check(done, setup, before, kit, kit_before)


# A few cases also as the real command, one per error path: a task that cannot load
# (run), an option refused with stdin fed to the process (label), an output folder
# nobody may write to, a store that is not whole (labels), a model refusing data
# (predict). test_explain_never_says_a_rule_holds_for_an_unseen_value does the same
# for a command that succeeds and prints a table.
MATCHED = ["missing_file", "label_batch_zero", "run_out_read_only", "store_truncated",
           "predict_strict_unseen_categories"]


@pytest.mark.parametrize("name", MATCHED)
def test_in_process_runs_match_the_command(name: str, tmp_path: Path, kit: Kit,
                                           read_only: Path, here: Here) -> None:
    work = tmp_path / "work"
    work.mkdir()
    setup = CASES[name](work, kit, read_only)
    before, kit_before = snapshot(setup.watch), snapshot(kit.root)
    real = alearn(*setup.args, cwd=work, stdin=setup.stdin)
    _check(real, setup, before, kit, kit_before)
    inside = here(*setup.args, cwd=work, stdin=setup.stdin)
    _check(inside, setup, before, kit, kit_before)
    assert (inside.returncode, inside.stdout, inside.stderr) == (
        real.returncode, real.stdout, real.stderr)


# -- what is not an error, but must be said ------------------------------------------------
def test_predict_notes_unseen_extra_columns_and_repeated_ids(kit: Kit, tmp_path: Path,
                                                             here: Here) -> None:
    frame = pd.read_csv(kit.pool)
    frame["colour"] = frame["colour"].str.upper()
    frame["extra"] = 1
    frame.loc[:2, "item"] = "same"
    data = tmp_path / "new.csv"
    frame.to_csv(data, index=False)
    done = here("predict", kit.model, data, "--id", "item", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    notes = [line for line in done.stderr.splitlines() if line.startswith("note:")]
    assert any("'colour' (100% of rows)" in n and "differ only in case" in n for n in notes), notes
    assert any("ignored column" in n and "'extra'" in n for n in notes), notes
    assert any("repeats 1 value (first 'same')" in n for n in notes), notes
    assert len(done.stdout.splitlines()) == len(frame) + 1


def test_explain_never_says_a_rule_holds_for_an_unseen_value(kit: Kit, tmp_path: Path,
                                                              here: Here) -> None:
    frame = pd.read_csv(kit.pool)
    frame["colour"] = "purple"
    data = tmp_path / "new.csv"
    frame.to_csv(data, index=False)
    # The kit's store took `item` as its row id (unique in every row), so --row names one.
    args = ("explain", kit.model, "--row", "i001", "--data", data)
    done = here(*args, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "never seen in training" in done.stderr
    assert "holds for this row" not in done.stdout
    # Output on stdout (a rich table) and notes: the real command prints the same.
    real = alearn(*args, cwd=tmp_path)
    assert (real.returncode, real.stdout, real.stderr) == (0, done.stdout, done.stderr)


def test_export_finds_data_moved_with_its_store(kit: Kit, tmp_path: Path, here: Here) -> None:
    moved = tmp_path / "moved"
    moved.mkdir()
    shutil.copy(kit.store, moved)
    shutil.copy(kit.pool, moved)
    hidden = kit.pool.rename(kit.pool.with_suffix(".hidden"))
    try:
        done = here("export", moved / kit.store.name, "--out", tmp_path / "m", cwd=tmp_path)
    finally:
        hidden.rename(kit.pool)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "m" / "card.json").is_file()


def test_ctrl_c_stops_a_run_at_once_with_exit_130(tmp_path: Path) -> None:
    big = _labeled(tmp_path, "data.csv")
    out = tmp_path / "o"
    run = subprocess.Popen(
        [sys.executable, "-m", "alearn.cli", "run", str(big), "--seeds", "1000", "--jobs", "2",
         "--out", str(out)], cwd=tmp_path, env=ENV, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        # Into the simulation: a worker still importing its libraries when Ctrl-C
        # reaches the process group prints its own traceback (see docs/errors.md). So
        # wait for the first unit kept (a worker has finished one), then until every
        # worker has written to the parent since then (its next result): a worker
        # still importing writes nothing.
        deadline = time.monotonic() + 240
        first: dict[int, int] = {}  # each worker's write calls when the first unit was kept
        while True:
            assert run.poll() is None, "the run ended before it could be interrupted"
            assert time.monotonic() < deadline, f"not every worker ran a unit: {first}"
            writes = _worker_writes(run.pid)
            if not first:
                if writes and list((out / "units").rglob("*.json")):
                    first = writes
            elif all(writes.get(w, n + 1) > n for w, n in first.items()):
                break
            time.sleep(0.05)
        os.killpg(run.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole group
        _, err = run.communicate(timeout=60)
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
    assert run.returncode == 130, err
    assert "Traceback" not in err and "warning" not in err.lower()
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith("error: interrupted")
    assert "run the same command again to resume" in errors[0]
    # Only finished units are kept (each written whole), for the resume; no results yet.
    kept = [p for p in out.rglob("*") if p.is_file()] if out.exists() else []
    assert all(p.suffix == ".json" and "units" in p.parts for p in kept), kept
    for unit in kept:
        json.loads(unit.read_text(encoding="utf-8"))


def _worker_writes(pid: int) -> dict[int, int]:
    """Write calls so far of each loky worker process of ``pid`` (``syscw`` in
    /proc/<worker>/io); a worker sends each finished unit to the parent in one."""
    writes = {}
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return {}
    for child in children:
        try:
            if "LokyProcess" not in Path(f"/proc/{child}/cmdline").read_text():
                continue
            io = Path(f"/proc/{child}/io").read_text().splitlines()
        except OSError:  # gone meanwhile
            continue
        writes[int(child)] = int(next(line for line in io if line.startswith("syscw:"))[6:])
    return writes
