"""Gemini's documented rule for parameter names.

The rule is in ``FunctionDeclaration.parameters`` of google-genai; neither the SDK nor
LiveKit checks it and the API has not been seen to enforce it, so a broken parameter name
is only a warning. Function names need no rule here: ``FunctionSchema`` already refuses
every name the Gemini API would (``domain.schema.rules.FUNCTION_NAME``).
``docs/gemini.md`` gives the sources.
"""

from __future__ import annotations

import re

PARAMETER_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
"""A letter or ``_`` first, then letters, digits and ``_``; at most 64 characters (ASCII)."""


def parameter_name_warning(name: str) -> str | None:
    """Say how a parameter name breaks Gemini's documented rule, or None when it follows it."""
    if PARAMETER_NAME.fullmatch(name):
        return None
    return (
        f"parameter name {name!r} breaks Gemini's documented rule (ASCII letters, digits "
        "and underscores, a letter or underscore first, at most 64 characters); the API "
        "is not known to refuse it"
    )
