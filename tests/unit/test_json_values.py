"""``json_problems``: the one walk that checks untrusted JSON values, at every edge."""

from __future__ import annotations

import datetime

import pytest

from domain.errors import Problem
from domain.json_values import TooManyValues, json_problems


def test_a_plain_json_value_has_no_problem() -> None:
    value = {"a": [1, 2.5, "é", None, True, {"b": []}]}

    assert list(json_problems(value, max_depth=4)) == []


def test_every_kind_of_problem_is_named_with_its_path_in_document_order() -> None:
    value = {
        "nan": float("nan"),
        "text": "ab\ud800",
        "keys": {1: "one", "\udc00": "two"},
        "date": [datetime.date(2026, 1, 1)],
    }

    assert list(json_problems(value, max_depth=None, root="config")) == [
        Problem("nan", "must be a finite number (NaN and Infinity are not JSON)"),
        Problem("text", "contains a lone surrogate, which is not valid Unicode"),
        Problem("keys", "has a key that is not a string (int)"),
        Problem("keys", "has a key that is not valid Unicode text"),
        Problem("date[0]", "is not a JSON value (date)"),
    ]


def test_nesting_is_limited_only_when_a_depth_is_given() -> None:
    deep: object = "bottom"
    for _ in range(100_000):  # far past Python's recursion limit
        deep = [deep]

    assert list(json_problems(deep, max_depth=None)) == []
    [problem] = json_problems(deep, max_depth=2, root="args")
    assert problem == Problem("[0][0]", "nests deeper than 2 levels of arrays and objects")


def test_the_walk_is_lazy_so_a_caller_can_stop_at_the_first_problem() -> None:
    problems = json_problems([float("inf")] * 1_000_000, max_depth=None)

    assert next(problems).path == "[0]"


def test_more_values_than_allowed_raise() -> None:
    assert list(json_problems([1, 2], max_depth=None, max_values=3)) == []
    with pytest.raises(TooManyValues, match="more than 3 values"):
        list(json_problems([1, 2, 3], max_depth=None, max_values=3))


def test_integers_are_limited_only_when_a_digit_count_is_given() -> None:
    value = {"ok": -(10**5 - 1), "big": 10**5, "small": -(10**5)}

    assert list(json_problems(value, max_depth=None)) == []
    assert list(json_problems(value, max_depth=None, max_integer_digits=5)) == [
        Problem("big", "is an integer of more than 5 digits"),
        Problem("small", "is an integer of more than 5 digits"),
    ]
