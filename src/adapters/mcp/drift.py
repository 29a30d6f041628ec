"""Whether the server still offers each function as the catalog stores it.

The model must never call a function with a schema it was not shown: a function the
server no longer lists, or whose live ``inputSchema`` differs from the stored one in
canonical form (both read by the same dialect reader), is left out for the session
with a reason that says to run ``tools refresh``. A changed description alone is only
logged: the stored one is what the model sees, and the call still fits the schema.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from functools import lru_cache

from mcp import types

from domain.errors import InvalidSchema
from domain.schema.function_schema import FunctionSchema
from domain.schema.limits import SchemaLimits
from domain.toolset import LeftOut, ToolsetFunction

logger = logging.getLogger(__name__)


def drifted(functions: Iterable[ToolsetFunction], listed: Sequence[types.Tool]) -> list[LeftOut]:
    """The functions to leave out because the server changed them; log changed descriptions."""
    live = {tool.name: tool for tool in listed}
    left: list[LeftOut] = []
    for function in functions:
        reason = _drift(function, live.get(function.name))
        if reason is not None:
            tool = function.tool.name
            reason = f"{reason}; run `tools refresh {tool}`"
            left.append(LeftOut(tool, function.binding_id, reason, function.name))
    return left


def _drift(function: ToolsetFunction, tool: types.Tool | None) -> str | None:
    if tool is None:
        return "the MCP server no longer offers it"
    stored = function.schema
    listed = {
        "name": tool.name,
        "description": tool.description or "",
        "inputSchema": tool.input_schema,
    }
    current = read_listed(json.dumps(listed, sort_keys=True), stored.limits)
    if isinstance(current, str):
        return f"the MCP server's inputSchema for it can no longer be read ({current})"
    if current.parameters != stored.parameters:
        return "the MCP server's inputSchema for it changed since the tool was defined"
    if current.description != stored.description:
        logger.info(
            "MCP server changed the description of %s.%s (the stored one is still offered); "
            "run `tools refresh %s` to take the new one",
            function.tool.name,
            function.name,
            function.tool.name,
        )
    return None


@lru_cache(maxsize=1024)
def read_listed(listed: str, limits: SchemaLimits) -> FunctionSchema | str:
    """A listed tool (JSON text) read as the catalog reads a function, or why it cannot be.

    Kept per text and limits: every session start lists the same tools again, and
    reading one checks its whole schema (about 1.2 ms a function in the session start
    benchmark). A ``FunctionSchema`` is immutable.
    """
    try:
        return FunctionSchema.from_dict(json.loads(listed), limits)
    except InvalidSchema as error:
        return error.summary
