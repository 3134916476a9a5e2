"""The task record: everything a task folder (or a bare data file) says.

:class:`TaskSpec` sits below every layer that reads it (data, engine, kinds,
sessions). Parsing ``task.toml``, the kinds' defaults and validation live in
:mod:`alearn.tasks`, above the kinds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# The kind of a task that names none.
DEFAULT_KIND = "classify"
DEFAULT_BUDGETS = (8, 16, 32)


@dataclass(frozen=True)
class TaskSpec:
    """Everything needed to load a task's data and run the active-learning loop.

    A plain record: :func:`alearn.tasks.make_task` fills the kind's defaults and
    validates it, :func:`alearn.tasks.revise` changes a validated one. Built
    directly, the kind-dependent fields keep their "unset" markers.

    Parameters
    ----------
    name : str
        Display name of the task.
    data : str
        Path to a CSV/TSV, Parquet or JSONL file (relative to ``folder``), or
        ``sklearn:<name>`` for a dataset scikit-learn ships.
    folder : Path or None
        The task folder; ``None`` for a task built from a bare data file.
    kind : str
        ``"classify"`` (learn a label), ``"optimize"`` (find rows with the best
        goal values) or ``"screen"`` (find the members of a rare class).
    target : str or None
        Label column; when ``None`` the single column whose name ends in ``!``.
    id : str or None
        Column holding row identifiers (never a feature).
    include, exclude : tuple of str
        Feature columns to keep (empty: all) and to drop.
    numeric, categorical : tuple of str
        Columns whose type is declared, overriding the header conventions.
    maximize, minimize : tuple of str
        Goal columns of an optimize task, overriding the ``+``/``-`` suffixes.
    model : str
        A registered model (:data:`alearn.models.MODELS`).
    strategies : tuple of str
        Query strategies to compare (empty: the kind's defaults); ``random``
        always runs as the baseline.
    budgets : tuple of int
        Label counts at which the learning curve is reported.
    seeds : int
        Number of seeds (``0 .. seeds-1``).
    test_size : float
        Share of rows held out for scoring in simulations.
    batch : int
        Labels per retrain.
    parallel : int
        Optimize: rows measured at once (the others chosen knowing which are
        under way; 1: one at a time).
    start : str
        How the first labels are chosen before a model exists.
    start_size : int
        How many labels the start chooses (counted in the budget).
    text : tuple of str
        Free-text columns, turned into TF-IDF word n-grams.
    text_weights : tuple of (str, int)
        How many times each text column's words count (default 1 each).
    positive : str or None
        Screen tasks: the target value of the rare class to find.
    ngrams : int
        Longest word n-gram of text features.
    stop_words : str
        ``"english"`` or ``"none"`` (kind default: english; none for screen).
    lsa : int
        Latent-semantic components added to the text terms (kind default: 0;
        100 for screen).
    text_features : str
        ``"tfidf"`` (word terms), ``"embed"`` (sentence embeddings, the
        ``embed`` extra) or ``"both"``.
    batch_growth : float
        Labels per retrain grow to this share of the labels the model was last
        fitted on (kind default: 0; 0.05 for screen).
    recall_target : float
        Screening: the recall the stopping advice aims for, in (0, 1].
    priors : tuple of str
        Screening: the start rows of every simulated seed, as ids of the ``id``
        column (0-based row numbers without one); empty: random priors per seed.
    query : str or None
        Screening: the research question or inclusion criteria; with no priors
        the first records are ranked by it, and every retrain fits it as one
        relevant record (:mod:`alearn.engine.query`).
    label_noise : float
        Classify simulations: the chance, in [0, 1), that the simulated person
        answers a wrong class (drawn uniformly from the others).
    recheck : str
        Classify: ``"auto"`` (now and then an answer rechecks a labeled row a
        model without it finds unlikely) or ``"off"`` (kind default: see
        :data:`alearn.kinds.classify.ClassifyKind.task_keys`).
    describe : tuple of (str, str)
        Classify: a sentence saying what each class is, ``(class, description)``
        (``describe = { fresh = "a positive movie review" }``); before any label
        rows are ranked and pre-labeled by them, then they fade as labels come
        (:mod:`alearn.engine.describe`). A class without one still works.
    hide : tuple of str
        Columns never shown on the labeling screen (``alearn label --hide``); the
        model still uses them unless ``exclude`` drops them too. Simulations ignore it.
    """

    name: str
    data: str
    folder: Path | None = None
    kind: str = DEFAULT_KIND
    target: str | None = None
    id: str | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    numeric: tuple[str, ...] = ()
    categorical: tuple[str, ...] = ()
    maximize: tuple[str, ...] = ()
    minimize: tuple[str, ...] = ()
    model: str = "logreg"
    strategies: tuple[str, ...] = ()
    budgets: tuple[int, ...] = ()
    seeds: int = 20
    test_size: float = 0.3
    batch: int = 1
    parallel: int = 1
    start: str = ""
    start_size: int = 8
    text: tuple[str, ...] = ()
    text_weights: tuple[tuple[str, int], ...] = ()
    positive: str | None = None
    ngrams: int = 2
    stop_words: str = ""
    lsa: int = -1
    text_features: str = "tfidf"
    batch_growth: float = -1.0
    recall_target: float = 0.95
    priors: tuple[str, ...] = ()
    query: str | None = None
    label_noise: float = 0.0
    recheck: str = ""
    hide: tuple[str, ...] = ()
    describe: tuple[tuple[str, str], ...] = ()
    source: str = field(default="", compare=False)
    # From the kind (Kind.answer is GOALS): rows are measured, not given a class.
    measures_goals: bool = field(default=False, compare=False, repr=False)

    @property
    def data_path(self) -> Path | None:
        """The data file's path, or ``None`` for ``sklearn:`` datasets."""
        if self.data.startswith("sklearn:"):
            return None
        path = Path(self.data).expanduser()
        if not path.is_absolute() and self.folder is not None:
            path = self.folder / path
        return path

    @property
    def where(self) -> str:
        """How errors name this task: its ``task.toml`` or data file, else its name."""
        return self.source or self.name
