"""The coercions applied to an argument that fails its schema as given.

``docs/coercion.md`` is this module in words; each row there has a test.
"""

from __future__ import annotations

import json
import math
import re
from typing import Final

from domain.json_types import JsonValue


class _NoCoercion:
    def __repr__(self) -> str:
        return "NO_COERCION"


NO_COERCION: Final = _NoCoercion()
"""Returned when a value has no coerced form for a type."""

_INTEGER_TEXT = re.compile(r"[+-]?\d{1,300}")
_NUMBER_TEXT = re.compile(r"[+-]?(\d{1,300}(\.\d{0,300})?|\.\d{1,300})([eE][+-]?\d{1,4})?")
_BOOLEAN_TEXT = {"true": True, "false": False}
_JSON_TEXT_LIMIT = 1024 * 1024


def coerce(value: JsonValue, json_type: str) -> JsonValue:
    """Convert ``value`` to ``json_type`` when the conversion loses nothing.

    Args:
        value: An argument value that failed its schema as given.
        json_type: The JSON Schema type the schema asks for.

    Returns:
        The converted value, or :data:`NO_COERCION`.
    """
    if json_type == "integer":
        return _to_integer(value)
    if json_type == "number":
        return _to_number(value)
    if json_type == "boolean":
        return _to_boolean(value)
    if json_type == "string":
        return _to_string(value)
    if json_type in ("object", "array"):
        return _from_json_text(value, dict if json_type == "object" else list)
    return NO_COERCION


def enum_member(value: JsonValue, members: JsonValue) -> JsonValue:
    """Return the one string member of ``members`` that equals ``value`` but for case.

    LLMs often change the case of an enum value (``"horror"`` for ``"Horror"``); when
    exactly one member matches ignoring case, that member is meant.

    Args:
        value: A value that is not a member as given.
        members: The ``enum`` list.

    Returns:
        The member, or :data:`NO_COERCION` when none or several match.
    """
    if not isinstance(value, str) or not isinstance(members, list):
        return NO_COERCION
    folded = value.strip().casefold()
    matches = [m for m in members if isinstance(m, str) and m.casefold() == folded]
    return matches[0] if len(matches) == 1 else NO_COERCION


def _to_integer(value: JsonValue) -> JsonValue:
    if isinstance(value, str) and _INTEGER_TEXT.fullmatch(value.strip()):
        return int(value.strip())
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return NO_COERCION


def _to_number(value: JsonValue) -> JsonValue:
    if isinstance(value, str) and _NUMBER_TEXT.fullmatch(value.strip()):
        number = float(value.strip())
        if math.isfinite(number):
            return int(number) if _INTEGER_TEXT.fullmatch(value.strip()) else number
    return NO_COERCION


def _to_boolean(value: JsonValue) -> JsonValue:
    if isinstance(value, str):
        return _BOOLEAN_TEXT.get(value.strip().lower(), NO_COERCION)
    return NO_COERCION


def _to_string(value: JsonValue) -> JsonValue:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return json.dumps(value)
    return NO_COERCION


def _from_json_text(value: JsonValue, kind: type) -> JsonValue:
    if not isinstance(value, str) or len(value) > _JSON_TEXT_LIMIT:
        return NO_COERCION
    text = value.strip()
    if not text.startswith(("{", "[")):
        return NO_COERCION
    try:
        parsed = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        return NO_COERCION
    return parsed if isinstance(parsed, kind) else NO_COERCION


def _refuse_constant(name: str) -> JsonValue:
    raise ValueError(f"{name} is not JSON")
