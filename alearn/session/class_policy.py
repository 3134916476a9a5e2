"""What differs between a plain class session and a screen, asked of one policy object.

A :class:`~alearn.session.classes.ClassSession` labels rows with classes; how it
reads those classes is its :class:`ClassPolicy`, chosen once when the session
opens (:func:`~alearn.session.opening.classes.open_class_session`):

- :class:`~alearn.session.plain_classes.PlainClasses` (classify): the model
  needs 2 classes, and each retrain measures accuracy (on gold rows, else on
  audit rows, else by cross-validation) with a point on the learning curve at
  the task's budgets;
- :class:`~alearn.session.screening.Screening` (screen): the rare class to find;
  the learner ranks rows by how likely they are to be of it (and samples
  unscreened rows as presumed negatives), term counts are weighted like words,
  and the session shows recall and stopping advice instead of accuracy.

The session asks its policy instead of testing which one it has.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

from alearn.engine.learner import Learner
from alearn.estimates.accuracy import Estimate


class ClassPolicy(Protocol):
    """How a class session reads its classes (see the module docstring).

    Attributes
    ----------
    positive : str or None
        The class to find: the learner ranks rows by how likely they are to be
        of it (the ``positive`` of :class:`~alearn.engine.learner.Learner`).
        ``None``: every class counts alike.
    recall_target : float or None
        The recall the stopping advice aims for (``None``: no stopping advice).
    curve_budgets : tuple of int
        The label counts the learning curve has an accuracy point at (empty:
        no learning curve).
    model_waits : str
        What the first model waits for, shown until there is one (``"2 classes"``).
    """

    @property
    def positive(self) -> str | None: ...

    @property
    def recall_target(self) -> float | None: ...

    @property
    def curve_budgets(self) -> tuple[int, ...]: ...

    @property
    def model_waits(self) -> str: ...

    @property
    def groups_duplicates(self) -> bool:
        """Whether records of one paper (:mod:`alearn.data.duplicates`) are shown once,
        their decision applying to every one of them."""
        ...

    @property
    def counts_as_words(self) -> bool:
        """Whether numeric columns that hold term counts are weighted like words
        (TF-IDF) rather than scaled like measurements
        (:func:`alearn.engine.features.term_counts`)."""
        ...

    def estimate(self, learner: Learner, X: object, rows: np.ndarray, labels: np.ndarray,
                 audit: np.ndarray, model: Callable[[], object | None]) -> Estimate | None:
        """The accuracy after the labels ``labels`` on ``rows`` (a prefix of the
        learner's order), or ``None`` when this policy measures none.

        Parameters
        ----------
        learner : Learner
        X : array or sparse matrix
            The pool.
        rows : ndarray of int
        labels : ndarray of str
        audit : ndarray of bool
            Which of ``rows`` are audit rows (drawn at random).
        model : callable
            Returns the model fitted on ``rows`` (``None`` without rows); called
            only when the estimate reads it.
        """
        ...

    def advice(self, learner: Learner, total: int) -> str | None:
        """The stopping advice after the learner's labels, out of ``total`` rows
        (``None``: none)."""
        ...

    def class_name(self, value: object) -> str:
        """A class of the model (``model.classes_``) as shown to a person."""
        ...

    def up_front(self, given: Sequence[str]) -> list[str]:
        """The classes offered on keys from the first row, beyond ``given`` (those
        named by ``--classes`` and the data's own labels): they stay when no label
        has them."""
        ...

    def roles(self, up_front: Sequence[str]) -> dict[str, str]:
        """What each class of :meth:`up_front` means in this session, for the screen
        (``{"yes": "relevant", "no": "not relevant"}``); empty when nothing to say."""
        ...
