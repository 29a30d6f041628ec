"""What the call audit keeps of a call's values, as the agent's ``audit_payloads`` allows.

``none`` keeps field names and sizes, ``masked`` the structure with every value replaced
by its type and length, ``full`` the values. Every mode runs the binding's scrubber over
what it keeps (the keys too), so no secret value is ever stored.
"""

from __future__ import annotations

import json

from domain.agents import AuditPayloads
from domain.json_types import JsonValue
from domain.scrubbing import Scrubber


def kept_payload(value: JsonValue, mode: AuditPayloads, scrubber: Scrubber) -> JsonValue:
    """What the audit stores of ``value`` (arguments, a result, a request body).

    Args:
        value: The value as the call saw it (a JSON value; text for a result).
        mode: The agent's ``audit_payloads``.
        scrubber: Masks the calling binding's secret values.

    Returns:
        ``none``: ``{"size": characters of its JSON}``, plus ``"fields"`` (the key
        names) for an object; ``masked``: :func:`masked`; ``full``: the value, masked.
    """
    if mode is AuditPayloads.FULL:
        return _scrubbed(value, scrubber)
    if mode is AuditPayloads.MASKED:
        return _scrubbed(masked(value), scrubber)
    summary: dict[str, JsonValue] = {"size": len(_json(value))}
    if isinstance(value, dict):
        summary["fields"] = list(value)
    return _scrubbed(summary, scrubber)


def masked(value: JsonValue) -> JsonValue:
    """``value``'s structure, each scalar replaced by its type and length.

    Objects keep their keys and arrays their length; a string becomes
    ``"<string:5>"``, a number ``"<number:3>"`` (the length of its JSON text), a
    boolean ``"<boolean>"`` and null ``"<null>"``.
    """
    if isinstance(value, dict):
        return {key: masked(item) for key, item in value.items()}
    if isinstance(value, list):
        return [masked(item) for item in value]
    if value is None:
        return "<null>"
    if isinstance(value, bool):
        return "<boolean>"
    if isinstance(value, str):
        return f"<string:{len(value)}>"
    return f"<number:{len(_json(value))}>"


def _scrubbed(value: JsonValue, scrubber: Scrubber) -> JsonValue:
    if scrubber.removes_nothing:
        return value
    if isinstance(value, str):
        return scrubber(value)
    text = _json(value)
    cleaned = scrubber(text)
    if cleaned == text:
        return value
    try:
        return json.loads(cleaned)
    except ValueError:  # a mask that broke the JSON's syntax: keep the text
        return cleaned


def _json(value: JsonValue) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
