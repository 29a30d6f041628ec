"""Gemini's naming rules, as Google documents them and as the Gemini API enforces them.

Function names are enforced by the API: a request with a bad name fails with
``[FIELD_INVALID] Invalid function name``, so a broken name is a rejection. Parameter
names have a documented rule (``FunctionDeclaration.parameters`` in google-genai) that
neither the SDK nor LiveKit checks and that the API has not been seen to enforce, so a
broken parameter name is only a warning. ``docs/gemini.md`` gives the sources.
"""

from __future__ import annotations

import re

FUNCTION_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.:-]{0,63}")
"""A letter or ``_`` first, then letters, digits, ``_ . : -``; at most 64 characters."""

PARAMETER_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
"""A letter or ``_`` first, then letters, digits and ``_``; at most 64 characters (ASCII)."""


def function_name_reason(name: str) -> str | None:
    """Say why Gemini refuses a function name, or None when it accepts it."""
    if FUNCTION_NAME.fullmatch(name):
        return None
    return (
        f"name {name!r}: Gemini refuses it; a function name starts with a letter or "
        "underscore and uses only letters, digits and _ . : - (at most 64 characters)"
    )


def parameter_name_warning(name: str) -> str | None:
    """Say how a parameter name breaks Gemini's documented rule, or None when it follows it."""
    if PARAMETER_NAME.fullmatch(name):
        return None
    return (
        f"parameter name {name!r} breaks Gemini's documented rule (ASCII letters, digits "
        "and underscores, a letter or underscore first, at most 64 characters); the API "
        "is not known to refuse it"
    )
