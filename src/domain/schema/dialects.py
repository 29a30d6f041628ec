"""Recognising the ways other systems write a function schema."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.errors import Problem
from domain.json_types import JsonObject, JsonValue
from domain.schema.bfcl import is_bfcl


class Dialect(StrEnum):
    """The shapes :meth:`FunctionSchema.from_dict` recognises."""

    CANONICAL = "canonical"
    """``{name, description, parameters}``: what the platform stores."""
    OPENAI = "openai"
    """``{"type": "function", "function": {name, description, parameters}}`` (or flat)."""
    MCP = "mcp"
    """An MCP ``tools/list`` entry: ``{name, description, inputSchema, ...}``."""
    ANTHROPIC = "anthropic"
    """``{name, description, input_schema}``."""
    BFCL = "bfcl"
    """Any of the above whose ``parameters.type`` is ``"dict"``: BFCL's type names apply."""


EMPTY_PARAMETERS: JsonObject = {"type": "object", "properties": {}}
CANONICAL_KEYS = ("name", "description", "parameters")


@dataclass(frozen=True)
class FunctionParts:
    """The three parts of a function schema, lifted out of its dialect."""

    dialect: Dialect
    name: JsonValue
    description: JsonValue
    parameters: JsonValue


def read_dialect(data: JsonObject) -> FunctionParts | Problem:
    """Find the dialect of ``data`` and lift out its name, description and parameters.

    Foreign dialects keep their other keys to themselves (``strict``, ``title``,
    ``annotations``, ``outputSchema``, BFCL's ``response``); they are not the LLM's
    business. The canonical form is the platform's own, so an unknown key there is
    a mistake and is refused.

    Args:
        data: One function definition in any supported dialect.

    Returns:
        The parts, or the problem that stops them being read.
    """
    if data.get("type") == "function":
        inner = data.get("function", {key: v for key, v in data.items() if key != "type"})
        if not isinstance(inner, dict):
            return Problem("function", "must be an object with name, description and parameters")
        return _parts(Dialect.OPENAI, inner, "parameters")
    if "inputSchema" in data:
        return _parts(Dialect.MCP, data, "inputSchema")
    if "input_schema" in data:
        return _parts(Dialect.ANTHROPIC, data, "input_schema")
    unknown = sorted(set(data) - set(CANONICAL_KEYS))
    if unknown and not is_bfcl(data.get("parameters")):
        return Problem(
            unknown[0],
            f"is not a field of a function schema; the fields are: {', '.join(CANONICAL_KEYS)}",
        )
    return _parts(Dialect.CANONICAL, data, "parameters")


def _parts(dialect: Dialect, data: JsonObject, parameters_key: str) -> FunctionParts:
    return FunctionParts(
        dialect=dialect,
        name=data.get("name"),
        description=data.get("description") or "",
        parameters=data.get(parameters_key, EMPTY_PARAMETERS),
    )
