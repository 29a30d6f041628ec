"""``IdentityMemo``: found again by the objects' identity, never by equality; bounded."""

from __future__ import annotations

import pytest

from application.identity_memo import IdentityMemo


def test_the_same_objects_get_the_value_made_once() -> None:
    memo: IdentityMemo[str] = IdentityMemo()
    owner = {"name": "a"}
    made: list[str] = []

    def make() -> str:
        made.append("x")
        return f"made {len(made)}"

    assert memo.get_or_make((owner,), make) == "made 1"
    assert memo.get_or_make((owner,), make) == "made 1"
    assert made == ["x"]


def test_an_equal_object_that_is_not_the_same_is_made_again() -> None:
    memo: IdentityMemo[int] = IdentityMemo()
    first, twin = {"name": "a"}, {"name": "a"}

    assert memo.get_or_make((first,), lambda: 1) == 1
    assert memo.get_or_make((twin,), lambda: 2) == 2
    assert memo.get_or_make((first, twin), lambda: 3) == 3
    assert memo.get_or_make((twin, first), lambda: 4) == 4


def test_the_least_recently_used_entry_goes_first() -> None:
    memo: IdentityMemo[str] = IdentityMemo(size=2)
    a, b, c = object(), object(), object()
    memo.get_or_make((a,), lambda: "a")
    memo.get_or_make((b,), lambda: "b")
    memo.get_or_make((a,), lambda: "unused")  # a is used again: b is now the oldest
    memo.get_or_make((c,), lambda: "c")

    assert len(memo) == 2
    assert memo.get_or_make((a,), lambda: "a again") == "a"
    assert memo.get_or_make((b,), lambda: "b again") == "b again"


def test_a_size_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        IdentityMemo(size=0)


def test_a_key_is_compared_by_equality_beside_the_objects_identity() -> None:
    memo: IdentityMemo[str] = IdentityMemo()
    owner = object()

    assert memo.get_or_make((owner,), lambda: "a", key=("units", "metric")) == "a"
    assert memo.get_or_make((owner,), lambda: "again", key=("units", "metric")) == "a"
    assert memo.get_or_make((owner,), lambda: "b", key=("units", "imperial")) == "b"
    assert memo.get_or_make((object(),), lambda: "c", key=("units", "metric")) == "c"
