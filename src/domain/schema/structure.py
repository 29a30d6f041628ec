"""Size and nesting checks that run before anything recursive touches a schema."""

from __future__ import annotations

import json

from domain.errors import Problem
from domain.json_types import JsonPath, JsonValue, render_path
from domain.schema.limits import SchemaLimits
from domain.schema.walk import SCHEMA_KEYWORDS, SCHEMA_LIST_KEYWORDS, SCHEMA_MAP_KEYWORDS


def nesting_problem(schema: JsonValue, limits: SchemaLimits, root: str) -> Problem | None:
    """Find the first place where ``schema`` nests deeper than the limit.

    A nested schema (a property, array items, an ``anyOf`` member, ...) adds one level,
    and so does each array or object nested inside a literal value (``enum``,
    ``default``, ``const``, ...). The walk uses no recursion, so any input is safe.

    Args:
        schema: The schema document.
        limits: The limits in force.
        root: How to name the document's root in the problem's path.

    Returns:
        The problem, or None when the schema is within the limit.
    """
    stack: list[tuple[JsonValue, JsonPath, int, bool]] = [(schema, (), 0, True)]
    while stack:
        value, path, depth, is_schema = stack.pop()
        if depth > limits.max_depth:
            return Problem(
                render_path(path, root),
                f"nests {depth} levels deep; the limit is {limits.max_depth}",
            )
        if is_schema and isinstance(value, dict):
            for key, member in value.items():
                stack.extend(_schema_members(key, member, (*path, key), depth))
        elif isinstance(value, dict):
            stack.extend((v, (*path, k), depth + 1, False) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, (*path, i), depth + 1, False) for i, v in enumerate(value))
    return None


def _schema_members(
    key: str, member: JsonValue, path: JsonPath, depth: int
) -> list[tuple[JsonValue, JsonPath, int, bool]]:
    if key in SCHEMA_MAP_KEYWORDS and isinstance(member, dict):
        return [(v, (*path, k), depth + 1, True) for k, v in member.items()]
    if key in SCHEMA_LIST_KEYWORDS and isinstance(member, list):
        return [(v, (*path, i), depth + 1, True) for i, v in enumerate(member)]
    if key in SCHEMA_KEYWORDS and isinstance(member, dict):
        return [(member, path, depth + 1, True)]
    if isinstance(member, dict | list):
        return [(member, path, depth + 1, False)]
    return []


def size_problem(schema: JsonValue, limits: SchemaLimits, root: str) -> Problem | None:
    """Tell whether ``schema``, as compact UTF-8 JSON, is larger than the limit.

    Call it only after :func:`nesting_problem` found nothing: serialising is recursive.

    Args:
        schema: The schema document.
        limits: The limits in force.
        root: How to name the document in the problem's path.

    Returns:
        The problem, or None when the schema is small enough.
    """
    try:
        text = json.dumps(schema, separators=(",", ":"), ensure_ascii=False)
    except ValueError:  # an integer of more digits than Python will print
        return Problem(root, "holds an integer too long to write as JSON")
    size = len(text.encode(errors="surrogatepass"))
    if size > limits.max_schema_bytes:
        return Problem(root, f"is {size} bytes of JSON; the limit is {limits.max_schema_bytes}")
    return None
