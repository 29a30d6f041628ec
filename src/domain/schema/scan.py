"""A first, non-recursive look at untrusted JSON values (arguments, config)."""

from __future__ import annotations

import math

from domain.errors import Problem
from domain.json_types import JsonPath, JsonValue
from domain.schema.fields import field_path

MAX_INTEGER_DIGITS = 4300
"""Longest integer accepted: Python's default limit for printing one (``repr``, which
``jsonschema`` uses in its messages, raises beyond it)."""
_INTEGER_LIMIT = 10**MAX_INTEGER_DIGITS


def scan_value(value: JsonValue, max_depth: int, root: str) -> list[Problem]:
    """Find what no schema should ever have to see in a JSON value.

    Refuses NaN and Infinity, integers of more than :data:`MAX_INTEGER_DIGITS` digits,
    strings and keys holding lone surrogates (not valid Unicode), values that are not
    JSON at all, and nesting deeper than ``max_depth``. The walk is iterative, so any
    input is safe to scan.

    Args:
        value: The value to scan.
        max_depth: The deepest accepted nesting of arrays and objects.
        root: How to name the value's root in paths.

    Returns:
        The problems found, in document order; empty when the value is clean.
    """
    problems: list[Problem] = []
    stack: list[tuple[JsonValue, JsonPath, int]] = [(value, (), 0)]
    while stack:
        item, path, depth = stack.pop()
        where = field_path(path) or root
        if isinstance(item, dict | list) and depth >= max_depth:
            problems.append(
                Problem(where, f"nests deeper than {max_depth} levels of arrays and objects")
            )
        elif isinstance(item, dict):
            for key, member in reversed(item.items()):
                if not isinstance(key, str) or not _is_unicode(key):
                    problems.append(Problem(where, "has a key that is not valid Unicode text"))
                else:
                    stack.append((member, (*path, key), depth + 1))
        elif isinstance(item, list):
            stack.extend(
                (member, (*path, i), depth + 1) for i, member in reversed(list(enumerate(item)))
            )
        elif isinstance(item, float) and not math.isfinite(item):
            problems.append(
                Problem(where, "must be a finite number (NaN and Infinity are not JSON)")
            )
        elif isinstance(item, int) and not -_INTEGER_LIMIT < item < _INTEGER_LIMIT:
            problems.append(
                Problem(where, f"is an integer of more than {MAX_INTEGER_DIGITS} digits")
            )
        elif isinstance(item, str) and not _is_unicode(item):
            problems.append(Problem(where, "contains a lone surrogate, which is not valid Unicode"))
        elif item is not None and not isinstance(item, bool | int | float | str):
            problems.append(Problem(where, "is not a JSON value"))
    return problems


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
