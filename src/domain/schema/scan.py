"""A first, non-recursive look at untrusted JSON values (arguments, config)."""

from __future__ import annotations

from domain.errors import Problem
from domain.json_types import JsonValue
from domain.json_values import json_problems

MAX_INTEGER_DIGITS = 4300
"""Longest integer accepted: Python's default limit for printing one (``repr``, which
``jsonschema`` uses in its messages, raises beyond it)."""


def scan_value(value: JsonValue, max_depth: int, root: str) -> list[Problem]:
    """Find what no schema should ever have to see in a JSON value.

    Refuses NaN and Infinity, integers of more than :data:`MAX_INTEGER_DIGITS` digits,
    strings and keys holding lone surrogates (not valid Unicode), values that are not
    JSON at all, and nesting deeper than ``max_depth``: the walk every JSON edge shares
    (:func:`domain.json_values.json_problems`), iterative, so any input is safe to scan.

    Args:
        value: The value to scan.
        max_depth: The deepest accepted nesting of arrays and objects.
        root: How to name the value's root in paths.

    Returns:
        The problems found, in document order; empty when the value is clean.
    """
    return list(json_problems(value, max_depth, root, max_integer_digits=MAX_INTEGER_DIGITS))
