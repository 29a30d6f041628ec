"""Building function schemas for the Gemini tests."""

from __future__ import annotations

from typing import Any

from domain.schema.function_schema import FunctionSchema


def function(properties: dict[str, Any], **extra: Any) -> FunctionSchema:
    """A function ``probe_me`` whose parameters object has ``properties`` (and ``extra`` keys)."""
    return FunctionSchema(
        "probe_me", "A function under test.", {"type": "object", "properties": properties, **extra}
    )


def one(schema: dict[str, Any], **extra: Any) -> FunctionSchema:
    """A function whose only parameter ``value`` has ``schema``."""
    return function({"value": schema}, **extra)
