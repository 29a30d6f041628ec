"""A first, non-recursive look at untrusted JSON values (arguments, config)."""

from __future__ import annotations

from domain.errors import Problem
from domain.json_types import JsonValue
from domain.json_values import json_problems


def scan_value(value: JsonValue, max_depth: int, root: str) -> list[Problem]:
    """Find what no schema should ever have to see in a JSON value.

    Refuses NaN and Infinity, strings and keys holding lone surrogates (not valid
    Unicode), values that are not JSON at all, and nesting deeper than ``max_depth``
    (:func:`domain.json_values.json_problems`, the walk every JSON edge shares).

    Args:
        value: The value to scan.
        max_depth: The deepest accepted nesting of arrays and objects.
        root: How to name the value's root in paths.

    Returns:
        The problems found, in document order; empty when the value is clean.
    """
    return list(json_problems(value, max_depth, root))
