"""A stopping statement: a methods paragraph and a JSON record of why screening stopped.

What a reader needs to check and reproduce the decision to stop: the rule and its
parameters (kept in the store when it was made, :func:`rule_record`), the target
recall and confidence, the estimate with its bound (:mod:`.stopping`) or the
random-sample check (:mod:`.sample_check`), the records screened and the relevant
ones found, the date, the alearn version, and two digests: the data file's (the
store's fingerprint) and the journal's (:func:`journal_digest`).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from alearn.counting import counted
from alearn.engine.strategies import STRATEGIES
from alearn.journal.events import Event, active_events
from alearn.kinds.screen import stopping
from alearn.kinds.screen.sample_check import CONFIDENCE as CHECK_CONFIDENCE
from alearn.kinds.screen.sample_check import SampleCheck, check_alpha, checks_in, fewest_missed

STATEMENT_FORMAT = "alearn-stopping-statement"
STATEMENT_VERSION = 1
RULE = "point-process"
REFERENCES = {
    RULE: "Sneyd & Stevenson (2021); Bin-Hezam & Stevenson (2023)",
    "random-sample check": "Callaghan & Müller-Hansen (2020)",
}
# The JSON key of the rule a screening store keeps (in its settings).
SETTINGS_KEY = "stopping"


def unsupported(strategy: str) -> str:
    """Why the stopping advice's model does not hold for ``strategy``'s order (empty
    when it does: the strategy's registry entry declares ``stopping=True``)."""
    if strategy not in STRATEGIES or STRATEGIES[strategy].stopping:
        return ""
    return f"strategy {strategy!r} does not screen the likeliest rows first; certainty does"


def rule_record(target: float) -> dict[str, Any]:
    """The stopping rule and its parameters, as a new screening store keeps them."""
    return {"rule": RULE, "recall_target": float(target), "confidence": stopping.CONFIDENCE,
            "min_found": stopping.MIN_FOUND, "min_screened": stopping.MIN_SCREENED,
            "min_dry": stopping.MIN_DRY, "likelihood_slack": stopping.LIKELIHOOD_SLACK,
            "check_confidence": CHECK_CONFIDENCE}


def journal_digest(events: Iterable[Event]) -> tuple[str, int]:
    """SHA-256 of the journal's events in force, and how many there are.

    The events in force are what is left once each undo has cancelled the latest
    event not yet cancelled for its row (:func:`~alearn.journal.events.active_events`),
    in journal order. Each is one line ``seq<TAB>kind<TAB>row_id<TAB>value<TAB>audit``
    ending in a newline (``value`` empty when there is none, ``audit`` 0 or 1), encoded
    as UTF-8; the digest is of the lines joined. docs/screening.md shows how to
    recompute it from the store with Python's ``sqlite3``.
    """
    lines = [f"{e.seq}\t{e.action}\t{e.row_id}\t{e.value or ''}\t{int(e.audit)}\n"
             for e in active_events(list(events))]
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest(), len(lines)


def ranked_hits(relevant: np.ndarray, drawn: np.ndarray) -> np.ndarray:
    """The screening order the point-process rule reads: records drawn at random by a
    check and found irrelevant are left out (the rule models the ranking's rate, and
    a random draw finds less than the ranking would; a relevant draw stays, which only
    delays the advice)."""
    relevant = np.asarray(relevant, dtype=bool)
    keep = ~(np.asarray(drawn, dtype=bool) & ~relevant)
    return relevant[keep]


def screen_advice(relevant: np.ndarray, drawn: np.ndarray, total: int, target: float,
                  unsupported: str = "") -> stopping.StopAdvice:
    """The stopping advice on a screening order with random-sample draws in it
    (:func:`ranked_hits`; the pile loses the irrelevant draws too)."""
    hits = ranked_hits(relevant, drawn)
    screened = int(np.asarray(relevant, dtype=bool).size)
    advice = stopping.advise(hits, total - (screened - hits.size), target, unsupported)
    return dataclasses.replace(advice, screened=screened)  # every screened row is counted


@dataclass(frozen=True)
class Statement:
    """Why screening stopped (or how far it is), for a methods section.

    Attributes
    ----------
    record : dict
        The JSON record (see docs/screening.md for every key).
    paragraph : str
        The methods paragraph.
    stop : bool
        Whether the rule (or a random-sample check) says recall reached the target.
    """

    record: dict[str, Any]
    paragraph: str
    stop: bool
    checks: list[SampleCheck] = field(default_factory=list)


def make_statement(*, relevant: np.ndarray, drawn: np.ndarray, total: int, target: float,
                   kept: dict[str, Any] | None, strategy: str, model: str, unsupported: str,
                   events: list[Event], fingerprint: str, source: str, store: str,
                   version: str, date: str) -> Statement:
    """The stopping statement of a screening order.

    Parameters
    ----------
    relevant, drawn : ndarray of bool
        Each screened record in screening order (priors from the data first): relevant
        or not, drawn at random by a check or not.
    total : int
        Records in the pile (each group of duplicates counted once).
    target : float
        The target recall in force.
    kept : dict or None
        The rule the store keeps (:func:`rule_record`); ``None``: a store made before
        it was kept.
    strategy, model : str
        How the records were ranked.
    unsupported : str
        Why the ranking does not fit the point-process rule (empty when it does).
    events : list of Event
        The whole journal (:func:`journal_digest`).
    fingerprint, source, store : str
        The data's SHA-256, the data file and the store.
    version, date : str
        The alearn version and the date (UTC, ISO 8601).
    """
    advice = screen_advice(relevant, drawn, total, target, unsupported)
    checks = checks_in(relevant, drawn, total, target, CHECK_CONFIDENCE)
    claimed = next((c for c in reversed(checks) if c.status == "claimed"), None)
    # A claim stands only while nothing relevant was found after it.
    if claimed is not None and bool(np.asarray(relevant, dtype=bool)[
            claimed.start + claimed.drawn:].any()):
        claimed = None
    digest, in_force = journal_digest(events)
    screened, found = int(np.asarray(relevant).size), int(np.asarray(relevant).sum())
    rule = dict(sorted((kept if kept is not None else
                        {**rule_record(target), "recall_target": None}).items()))
    by = "random-sample check" if claimed is not None else RULE
    record: dict[str, Any] = {
        "format": STATEMENT_FORMAT, "version": STATEMENT_VERSION, "date": date,
        "alearn_version": version, "store": store,
        "data": {"source": source, "sha256": fingerprint},
        "journal": {"sha256": digest, "events_in_force": in_force,
                    "definition": "SHA-256 of the events in force (undos applied), one line "
                                  "each: seq, kind, row_id, value, audit, tab-separated"},
        "records": total, "screened": screened, "relevant_found": found,
        "unscreened": total - screened, "strategy": strategy, "model": model,
        "target_recall": target, "target_fixed_when_store_made": kept is not None,
        "confidence": stopping.CONFIDENCE if claimed is None else CHECK_CONFIDENCE,
        "rule": {**rule, "reference": REFERENCES[RULE]},
        "stopped_by": by if (claimed is not None or advice.stop) else None,
        "estimate": _estimate(advice),
        "sample_checks": [c.record() for c in checks],
        "sample_check_reference": REFERENCES["random-sample check"],
    }
    stop = claimed is not None or advice.stop
    paragraph = _paragraph(record, advice, claimed, kept is not None)
    record["methods"] = paragraph
    return Statement(record=record, paragraph=paragraph, stop=stop, checks=checks)


def _estimate(advice: stopping.StopAdvice) -> dict[str, Any]:
    """The point-process estimate, or why there is none."""
    if not advice.supported or advice.unseen_estimate is None:
        return {"available": False, "why_not": advice.why_not or
                "the finds have not slowed down yet", "stop": False}
    return {"available": True, "stop": advice.stop,
            "relevant_left": round(advice.unseen_estimate, 3),
            "relevant_left_upper": advice.unseen_upper,
            "recall": round(float(advice.recall_estimate or 0), 4),
            "recall_lower_bound": round(float(advice.recall_low or 0), 4),
            "why_not": advice.why_not}


def _pct(x: float) -> str:
    return f"{100 * x:.0f} %"


def _paragraph(record: dict[str, Any], advice: stopping.StopAdvice,
               claimed: SampleCheck | None, fixed: bool) -> str:
    """The methods paragraph (plain sentences; numbers as in the record)."""
    r = record
    target = _pct(r["target_recall"])
    rule = r["rule"]
    lines = [
        f"Records were screened in the order of an active-learning ranking (alearn "
        f"{r['alearn_version']}, strategy {r['strategy']}, model {r['model']}), with a target "
        f"recall of {target}" + (", fixed when screening began." if fixed else
                                 " (this store predates alearn keeping its target; the "
                                 "target is the one in force when this statement was "
                                 "made)."),
        f"By {r['date'][:10]}, {r['screened']} of {r['records']} records had been screened "
        f"and {r['relevant_found']} {'was' if r['relevant_found'] == 1 else 'were'} relevant.",
    ]
    if claimed is not None:
        missed = fewest_missed(claimed.found, claimed.target, claimed.relevant)
        lines.append(
            f"After {claimed.start} records had been screened ({claimed.found} relevant), "
            f"{claimed.drawn} of the {claimed.pile} records then unscreened were drawn at "
            f"random and screened; none was relevant. Had recall been below {target}, at "
            f"least {counted(missed, 'relevant record')}"
            + f" would have been among them, and a random sample of "
            f"{claimed.drawn} missing all of them has probability {claimed.p_value:.3f} "
            f"(hypergeometric test, {REFERENCES['random-sample check']}), below "
            f"{check_alpha(claimed.ordinal, claimed.confidence):.4f}, the significance of "
            f"check {claimed.ordinal} of this store (the j-th check tests at "
            f"{1 - claimed.confidence:.2f}·6/(π²j²), so that however many checks are run "
            f"the chance of a wrong claim stays within {_pct(1 - claimed.confidence)}); "
            f"recall of at least {target} is therefore claimed at "
            f"{_pct(claimed.confidence)} confidence.")
    elif advice.supported and advice.unseen_estimate is not None and advice.shown:
        lines.append(
            f"The relevant records still unscreened were estimated by a point-process model "
            f"of the rate at which relevant records were found (an exponentially falling "
            f"rate fitted by maximum likelihood, its decay set to the heaviest tail inside "
            f"the 95 % likelihood-ratio interval; {REFERENCES[RULE]}): about "
            f"{advice.unseen_estimate:.1f} remained (at most {advice.unseen_upper:.0f} at "
            f"{_pct(stopping.CONFIDENCE)} confidence), an estimated recall of "
            f"{_pct(advice.recall_estimate or 0)} with a lower bound of "
            f"{_pct(advice.recall_low or 0)}.")
        lines.append(
            f"The rule advises stopping when the lower bound reaches the target, and never "
            f"before {rule['min_found']} relevant and {rule['min_screened']} screened "
            f"records, nor while one of the last {rule['min_dry']} was relevant; "
            + ("it advised stopping." if advice.stop else
               "it had not advised stopping" + (f" ({advice.why_not})." if advice.why_not
                                                else ".")))
    else:
        why = advice.why_not or "the finds had not slowed down yet"
        lines.append(f"The point-process stopping rule ({REFERENCES[RULE]}) gave no estimate "
                     f"of the relevant records left ({why}), and no random-sample check "
                     f"had shown recall of at least {target}: the stopping criterion was "
                     "not met.")
    lines.append(
        f"The decisions are those of the screening journal with SHA-256 "
        f"{r['journal']['sha256'][:16]}… ({r['journal']['events_in_force']} events in "
        f"force) on the data file with SHA-256 {r['data']['sha256'][:16]}….")
    return " ".join(lines)

