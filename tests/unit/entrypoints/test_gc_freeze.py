"""``FreezeOnce``: what the process holds after warm-up leaves the collector's reach, once."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from entrypoints.gc_freeze import FreezeOnce


@pytest.fixture(autouse=True)
def unfrozen() -> Iterator[None]:
    """Each test starts and ends with nothing frozen (the rest of the suite expects that)."""
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_the_first_call_freezes_what_is_tracked_and_later_calls_freeze_nothing_more() -> None:
    freeze = FreezeOnce()

    freeze()
    frozen = gc.get_freeze_count()
    made_later = [[number] for number in range(1000)]  # a second freeze would take these
    freeze()

    assert frozen > 0
    assert all(map(gc.is_tracked, made_later))
    assert gc.get_freeze_count() == frozen
