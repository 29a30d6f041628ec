"""The drift check reads each listed tool once per text and limits."""

from __future__ import annotations

import json

from adapters.mcp.drift import read_listed
from domain.schema.function_schema import FunctionSchema
from domain.schema.limits import DEFAULT_LIMITS


def listed(schema: object) -> str:
    tool = {"name": "add", "description": "Add.", "inputSchema": schema}
    return json.dumps(tool, sort_keys=True)


def test_the_same_listed_tool_is_read_once_and_shared() -> None:
    text = listed({"type": "object", "properties": {"a": {"type": "integer"}}})

    first, second = read_listed(text, DEFAULT_LIMITS), read_listed(text, DEFAULT_LIMITS)

    assert isinstance(first, FunctionSchema)
    assert first is second
    assert first.parameters["properties"] == {"a": {"type": "integer"}}


def test_an_unreadable_listed_schema_gives_why() -> None:
    reason = read_listed(listed({"type": "array"}), DEFAULT_LIMITS)

    assert isinstance(reason, str)
    assert reason
