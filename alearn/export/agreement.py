"""``alearn agreement``: how far several annotators' stores of one study agree.

Each person labels the same data in a store of their own (docs/teams.md). Their
stores are read without locking (:func:`alearn.journal.store.read_store`), checked
to be one study (:func:`alearn.journal.team.check_same_study`), and every
agreement figure (:mod:`alearn.estimates.agreement`) is worked out twice:

* on **every shared row**: the rows two or more people labeled. Under active
  learning each person's model chose most of them, so they are no sample of the
  data (hard rows come first): agreement on them is biased;
* on the **shared random rows**, the figure to report. Sessions draw audit rows
  from one random order of the rows fixed by the seed
  (:func:`alearn.estimates.audit.audit_keys`): an audit row is the unanswered row
  with the smallest key. So when a person's latest audit row has key ``k``, they
  have answered every row with a key up to ``k``, by audit or by their model. The
  rows whose key is at most the smallest such ``k`` among the annotators are a
  prefix of a random order of the pool, answered by everyone (a skip or an unsure
  mark is a missing answer): a uniform random sample of the rows, on which
  agreement estimates agreement over the whole pool.

Rows labeled in the data's own target column were never in anyone's pool and are
left out of both.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alearn.counting import counted
from alearn.errors import StoreError
from alearn.files import check_output_file, write_text_atomic
from alearn.journal.events import Event, StoreMeta, active_events
from alearn.journal.state import JournalState, journal_state
from alearn.journal.store import read_store
from alearn.journal.storedata import locate_data
from alearn.journal.team import check_same_study, member_names

if TYPE_CHECKING:
    from alearn.estimates.agreement import Agreement, Figure

ALL_ROWS = "every shared row"
RANDOM_ROWS = "shared random rows"


@dataclass(frozen=True)
class Annotator:
    """One person's store, as the agreement counts it.

    Attributes
    ----------
    name : str
        The annotator recorded in the store (its file stem when two stores record
        the same name).
    store : str
    labels : int
        Rows with a label in force.
    missing : int
        Rows skipped or marked unsure.
    audit : int
        Audit rows answered (labels and skips drawn at random).
    reached : int
        Rows of the random order answered up to the latest audit row (0: no audit row).
    """

    name: str
    store: str
    labels: int
    missing: int
    audit: int
    reached: int


@dataclass
class Section:
    """The figures on one set of rows.

    Attributes
    ----------
    title : str
        :data:`ALL_ROWS` or :data:`RANDOM_ROWS`.
    rows : int
        Rows in the set.
    figures : Agreement or None
        ``None`` when no row is shared (``reason`` says why).
    reason : str or None
    """

    title: str
    rows: int
    figures: Agreement | None
    reason: str | None = None


@dataclass
class AgreementReport:
    """What ``alearn agreement`` shows.

    Attributes
    ----------
    source : str
        The data the stores were made for.
    annotators : list of Annotator
        In the order the stores were given (the raters of the figures).
    classes : list of str
        Class names, in the order of the confusion tables.
    random : Section
        The shared random rows: the figure to report.
    shared : Section
        Every row two or more people labeled (biased by active learning).
    notes : list of str
    """

    source: str
    annotators: list[Annotator]
    classes: list[str]
    random: Section
    shared: Section
    notes: list[str] = field(default_factory=list)

    def document(self) -> dict[str, Any]:
        """The report as JSON-ready data (``--out FILE.json``)."""
        names = [a.name for a in self.annotators]
        return {"source": self.source, "classes": self.classes,
                "annotators": [vars(a) for a in self.annotators],
                "report": RANDOM_ROWS,
                "sections": {s.title: _section_document(s, names, self.classes)
                             for s in (self.random, self.shared)},
                "notes": self.notes}


def _figure_document(figure: Figure) -> dict[str, Any]:
    return {"value": figure.value, "low": figure.low, "high": figure.high,
            "rows": figure.items}


def _section_document(section: Section, names: list[str], classes: list[str]
                      ) -> dict[str, Any]:
    found = section.figures
    out: dict[str, Any] = {"rows": section.rows, "reason": section.reason}
    if found is None:
        return out
    out.update(level=found.level, rows_with_two_answers=found.items,
               rows_answered_by_all=found.complete,
               agreement=_figure_document(found.agreement),
               fleiss_kappa=_figure_document(found.fleiss),
               krippendorff_alpha=_figure_document(found.alpha))
    out["pairs"] = [{"annotators": [names[p.first], names[p.second]],
                     "agreement": _figure_document(p.agreement),
                     "cohen_kappa": _figure_document(p.kappa),
                     "confusion": {"rows": names[p.first], "columns": names[p.second],
                                   "classes": classes,
                                   "counts": p.confusion.tolist()}} for p in found.pairs]
    out["against_consensus"] = [{"annotator": names[c.rater],
                                 "agreement": _figure_document(c.agreement),
                                 "cohen_kappa": _figure_document(c.kappa)}
                                for c in found.consensus]
    return out


@dataclass(frozen=True)
class _Read:
    """One store as read: path, meta, journal, its events in force and its rows' states."""

    path: Path
    meta: StoreMeta
    events: list[Event]
    active: list[Event]
    state: JournalState


def _read(paths: list[Path]) -> list[_Read]:
    """Each store read and checked: one study, each one person's answers."""
    stores = [(Path(p), *read_store(p)) for p in paths]
    check_same_study([(path, meta) for path, meta, _ in stores])
    read = []
    for path, meta, events in stores:
        by_row: dict[str, set[str]] = {}
        for event in events:
            if event.action in ("label", "skip", "unsure", "decide"):
                by_row.setdefault(event.row_id, set()).add(event.annotator)
        shared = [row for row, who in by_row.items() if len(who) > 1]
        if shared:
            names = sorted({n for row in shared for n in by_row[row]})
            raise StoreError(
                f"{path}: holds several annotators' answers to the same rows ({', '.join(names)}"
                f" on {counted(len(shared), 'row')}), as a merged store does; agreement "
                "compares each person's own store")
        active = active_events(events)
        read.append(_Read(path, meta, events, active, journal_state(active)))
    return read


def _names(stores: list[_Read]) -> list[str]:
    """Each store's annotator, as ``alearn merge`` names its members
    (:func:`alearn.journal.team.member_names`)."""
    return member_names([tuple(dict.fromkeys(e.annotator for e in s.events)) for s in stores],
                        [s.path.stem for s in stores])


def _data_file(stores: list[_Read], data: str | Path | None) -> tuple[_Read, Path | None]:
    """The data (any store's: they share its fingerprint), and the store it was found by."""
    if data is not None:
        return stores[0], locate_data(stores[0].path, stores[0].meta.source, data)
    first: StoreError | None = None
    for store in stores:
        try:
            return store, locate_data(store.path, store.meta.source)
        except StoreError as exc:
            first = first or exc
    assert first is not None
    raise first


def team_agreement(paths: list[str | Path], data: str | Path | None = None,
                   out: str | Path | None = None) -> AgreementReport:
    """Agreement between the stores of several annotators of one study.

    Parameters
    ----------
    paths : list of str or Path
        One store per person, made for the same data with the same settings.
    data : str or Path, optional
        The data file, when it is no longer where the stores recorded it (default:
        that path, else a file of the same name next to a store).
    out : str or Path, optional
        Also write the report here as JSON (:meth:`AgreementReport.document`),
        checked before any store is read, written whole or not at all.

    Returns
    -------
    AgreementReport

    Raises
    ------
    ConfigError
        Fewer than two stores, or one named twice.
    StoreError
        A store that is missing or not a store, of an optimize session, a merged
        store, stores made for other data or with other settings, or data that
        cannot be found.
    """
    if out is not None:
        check_output_file(out, "--out")
    stores = _read([Path(p) for p in paths])
    names = _names(stores)
    found_by, located = _data_file(stores, data)
    # Stores that are one study are read; now the data and the statistics load.
    import numpy as np

    from alearn.estimates.agreement import MISSING, agreement
    from alearn.estimates.audit import audit_keys, shared_random_rows
    from alearn.export.storelabels import store_data

    loaded = store_data(found_by.path, found_by.meta, found_by.events, located)
    ids = [str(i) for i in loaded.data.ids]
    position = {row: k for k, row in enumerate(ids)}
    settings = found_by.meta.settings
    seed = int(settings.get("seed", 0))
    keys = audit_keys(seed, len(ids))
    in_data = np.zeros(len(ids), dtype=bool)
    if loaded.use_seeds:  # rows labeled in the data's target column: never in a pool
        in_data[np.flatnonzero(loaded.data.labeled)] = True
    classes = [str(c) for c in settings.get("classes") or []]
    classes += sorted({h.value for s in stores for h in s.state.labels.values()} - set(classes))
    code = {c: k for k, c in enumerate(classes)}
    codes = np.full((len(ids), len(stores)), MISSING)
    answered = np.zeros((len(ids), len(stores)), dtype=bool)
    audited = np.zeros((len(ids), len(stores)), dtype=bool)
    for j, store in enumerate(stores):
        state = store.state
        for row, held in state.labels.items():
            if row in position:
                codes[position[row], j] = code[held.value]
        for row in (*state.labels, *state.skipped, *state.unsure):
            if row in position:
                answered[position[row], j] = True
        # A row drawn at random for the audit (not undone): when it was drawn, every row
        # before it in the random order had been answered, whatever was revised later.
        for event in store.active:
            if event.audit and event.row_id in position:
                audited[position[event.row_id], j] = True
    pool = ~in_data
    random_rows, frontier = shared_random_rows(keys, audited, pool)
    labeled = codes != MISSING
    annotators = [Annotator(name=names[j], store=str(store.path),
                            labels=int(labeled[:, j].sum()),
                            missing=int(answered[:, j].sum() - labeled[:, j].sum()),
                            audit=int(audited[:, j].sum()),
                            reached=int(np.sum((keys <= frontier[j]) & pool)))
                  for j, store in enumerate(stores)]
    notes = list(loaded.notes)
    shared_rows = np.flatnonzero((labeled.sum(axis=1) >= 2) & pool)
    shared = Section(ALL_ROWS, int(shared_rows.size), None,
                     None if shared_rows.size else "no row was labeled by two people")
    if shared_rows.size:
        shared.figures = agreement(codes[shared_rows], len(classes), seed, key=0)
    random = Section(RANDOM_ROWS, int(random_rows.size), None,
                     _no_random_rows(settings, names, frontier) if not random_rows.size
                     else None)
    if random_rows.size:
        random.figures = agreement(codes[random_rows], len(classes), seed, key=1)
        for j, name in enumerate(names):
            left = int(np.sum(~answered[random_rows, j]))
            if left:
                notes.append(f"{name} has {counted(left, 'shared random row')} with no answer "
                             "(answers taken back after the audit passed them): counted as "
                             "missing")
    report = AgreementReport(source=loaded.data.source, annotators=annotators,
                             classes=classes, random=random, shared=shared, notes=notes)
    if out is not None:
        write_text_atomic(Path(out), json.dumps(report.document(), indent=2) + "\n")
    return report


def _no_random_rows(settings: dict[str, Any], names: list[str], frontier: Any) -> str:
    """Why no random row is shared."""
    if not int(settings.get("audit") or 0):
        why = ("a --gold session" if settings.get("gold") else
               "a screen session" if (settings.get("task") or {}).get("kind") == "screen"
               else "made with --audit 0")
        return (f"these stores draw no audit rows ({why}), so no row was drawn at random "
                "for everyone")
    behind = [n for n, k in zip(names, frontier, strict=True) if k == float("-inf")]
    if not behind:
        return "no row of the random order was reached by everyone"
    return (f"{' and '.join(behind)} answered no audit row yet (every "
            f"{int(settings['audit'])}th label asked for is one)")
