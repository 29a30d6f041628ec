"""Building function schemas for the Gemini tests, and what every verdict must be."""

from __future__ import annotations

from typing import Any

from application.ports import CompatibilityVerdict
from domain.schema.function_schema import FunctionSchema

RAW_ERROR_TEXT = ("Traceback", "unhashable", "KeyError", "has a schema Gemini rejected")
"""What a reason or warning must never show: exception text instead of an explanation."""


def function(properties: dict[str, Any], **extra: Any) -> FunctionSchema:
    """A function ``probe_me`` whose parameters object has ``properties`` (and ``extra`` keys)."""
    return FunctionSchema(
        "probe_me", "A function under test.", {"type": "object", "properties": properties, **extra}
    )


def one(schema: dict[str, Any], **extra: Any) -> FunctionSchema:
    """A function whose only parameter ``value`` has ``schema``."""
    return function({"value": schema}, **extra)


def assert_explains_itself(verdict: CompatibilityVerdict) -> None:
    """Accepted exactly when no reason; each reason and warning one located, readable line."""
    assert verdict.accepted == (verdict.reasons == ())
    if not verdict.accepted:
        assert verdict.warnings == ()
    for text in (*verdict.reasons, *verdict.warnings):
        assert text.startswith("parameters"), text
        assert "\n" not in text
        assert not any(raw in text for raw in RAW_ERROR_TEXT), text
