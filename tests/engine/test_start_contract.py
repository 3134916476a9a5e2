"""Contract tests over every registered start method."""

from __future__ import annotations

import numpy as np
import pytest

from alearn.engine.start import STARTS, choose_start, starts_for
from alearn.kinds import KINDS
from alearn.seeds import Stream, stream


def _pool() -> np.ndarray:
    return stream(0, Stream.START).normal(size=(200, 4))


@pytest.mark.parametrize("name", list(STARTS))
def test_same_seed_same_rows_distinct_and_in_range(name):
    pool = _pool()
    first = choose_start(name, pool, 8, stream(3, Stream.START))
    again = choose_start(name, pool, 8, stream(3, Stream.START))
    assert np.array_equal(first, again)
    assert len(set(first.tolist())) == first.size <= 8
    assert ((first >= 0) & (first < pool.shape[0])).all()


@pytest.mark.parametrize("name", list(STARTS))
def test_every_start_belongs_to_a_kind_that_accepts_it(name):
    owners = [k for k in KINDS.values() if k.starts is not None and name in k.starts]
    assert owners and set(STARTS[name].kinds) == {k.name for k in owners}
    for kind in owners:
        assert name in starts_for(kind.name)
