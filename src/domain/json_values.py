"""Checking that an untrusted value is plain JSON, without recursion.

One walk serves every edge that takes JSON from outside: call arguments and binding
config (``domain.schema.scan``) and the documents, config and secrets files the command
line reads.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator
from typing import TypeAlias

from domain.errors import Problem
from domain.json_types import JsonValue
from domain.schema.fields import field_path

_Trail: TypeAlias = "tuple[_Trail, str | int] | None"
"""The way to a value, as a chain to its parent: built in constant time per value."""


class TooManyValues(Exception):
    """A value holds more scalars, arrays and objects than the walk was allowed to visit."""


def json_problems(
    value: JsonValue,
    max_depth: int | None,
    root: str = "",
    max_values: int | None = None,
    max_integer_digits: int | None = None,
) -> Iterator[Problem]:
    """Yield what makes ``value`` something other than plain, finite, valid-Unicode JSON.

    Refuses keys that are not strings, strings and keys holding lone surrogates (not
    valid Unicode), NaN and Infinity, values of any other type (a date, a set, bytes),
    nesting deeper than ``max_depth`` and integers longer than ``max_integer_digits``.
    The walk is iterative, so any input is safe to check, and lazy, so a caller can stop
    at the first problem.

    Args:
        value: The value to check.
        max_depth: The deepest accepted nesting of arrays and objects; None for no limit.
        root: How to name the value's root in paths.
        max_values: When set, the most values (each scalar, array and object) to visit.
        max_integer_digits: When set, the most decimal digits an integer may have
            (Python refuses to print an integer of more than 4,300 by default).

    Yields:
        Each problem, in document order (an object's key problems before its members').

    Raises:
        TooManyValues: When the value holds more than ``max_values`` values.
    """
    too_large = None if max_integer_digits is None else _integer_bound(max_integer_digits)
    stack: list[tuple[JsonValue, _Trail, int]] = [(value, None, 0)]
    visited = 0
    while stack:
        item, trail, depth = stack.pop()
        visited += 1
        if max_values is not None and visited > max_values:
            raise TooManyValues(f"holds more than {max_values} values")
        if isinstance(item, dict | list) and max_depth is not None and depth >= max_depth:
            yield _problem(
                trail, root, f"nests deeper than {max_depth} levels of arrays and objects"
            )
        elif isinstance(item, dict):
            members = []
            for key, member in item.items():
                problem = _key_problem(key)
                if problem:
                    yield _problem(trail, root, problem)
                else:
                    members.append((member, (trail, key), depth + 1))
            stack.extend(reversed(members))
        elif isinstance(item, list):
            stack.extend(
                (member, (trail, i), depth + 1) for i, member in reversed(list(enumerate(item)))
            )
        elif isinstance(item, float) and not math.isfinite(item):
            yield _problem(trail, root, "must be a finite number (NaN and Infinity are not JSON)")
        elif isinstance(item, int) and too_large is not None and abs(item) >= too_large:
            yield _problem(trail, root, f"is an integer of more than {max_integer_digits} digits")
        elif isinstance(item, str) and not is_unicode(item):
            yield _problem(trail, root, "contains a lone surrogate, which is not valid Unicode")
        elif item is not None and not isinstance(item, bool | int | float | str):
            yield _problem(trail, root, f"is not a JSON value ({type(item).__name__})")


@functools.cache
def _integer_bound(digits: int) -> int:
    """``10**digits``: the smallest integer with more digits (made once: 10**4300 is slow)."""
    bound: int = 10**digits
    return bound


def is_unicode(text: str) -> bool:
    """Tell whether ``text`` is valid Unicode (holds no lone surrogate)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _problem(trail: _Trail, root: str, message: str) -> Problem:
    parts: list[str | int] = []
    while trail is not None:
        trail, part = trail
        parts.append(part)
    return Problem(field_path(tuple(reversed(parts))) or root, message)


def _key_problem(key: object) -> str | None:
    if not isinstance(key, str):
        return f"has a key that is not a string ({type(key).__name__})"
    if not is_unicode(key):
        return "has a key that is not valid Unicode text"
    return None
