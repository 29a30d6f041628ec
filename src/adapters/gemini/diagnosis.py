"""Turning a converter refusal into one readable reason that names the schema node at fault.

The converter's exceptions rarely say where the problem is (``TypeError: unhashable type:
'list'``, ``KeyError: '#/definitions/Item'``). :func:`locate` finds the node by asking the
converter again about smaller pieces: the deepest visited subschema that it still
refuses on its own is the culprit. :func:`explain` then says what about that node
Gemini cannot take, in the schema author's terms, falling back to the converter's own
message made readable.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from adapters.gemini.traversal import DEFS_PREFIX, visited_children
from adapters.gemini.wording import clipped, located, shown
from domain.json_types import JsonObject, JsonPath, render_path

PROBE = "probe"
"""The property name a candidate node is tried under while locating."""

_MAX_DETAILS = 3
_MAX_TEXT = 300

Refuses = Callable[[JsonObject], BaseException | None]
"""Converts a parameters schema; returns what the converter raised, or None."""


def diagnose(parameters: JsonObject, error: BaseException, refuses: Refuses) -> str:
    """Say where and why the converter refused ``parameters``.

    Args:
        parameters: The function's parameters schema.
        error: What the converter raised for the whole function.
        refuses: Converts another parameters schema (the pieces tried while locating).

    Returns:
        ``<path>: <why>``, for example ``parameters.properties.size.enum: ...``.
    """
    path, node, node_error = locate(parameters, error, refuses)
    return located(path, explain(node, node_error))


def locate(
    parameters: JsonObject, error: BaseException, refuses: Refuses
) -> tuple[JsonPath, JsonObject, BaseException]:
    """Find the deepest visited subschema the converter refuses on its own.

    Each candidate is tried as the only property of an object that keeps the root's
    ``$defs`` and ``definitions``, so references resolve as they did.

    Returns:
        The node's path under ``parameters``, the node, and what converting it raised.
    """
    carried: JsonObject = {
        key: parameters[key] for key in ("$defs", "definitions") if key in parameters
    }
    path: JsonPath = ()
    node = parameters
    seen = {path}
    while True:
        for child in visited_children(parameters, node, path):
            if child.path in seen:
                continue
            # A copy: the converter edits definitions in place, and a child that is also
            # one of the carried definitions must not alias it.
            probe: JsonObject = {
                "type": "object",
                "properties": {PROBE: copy.deepcopy(child.schema)},
                **carried,
            }
            found = refuses(probe)
            if found is not None:
                node, path, error = child.schema, child.path, found
                seen.add(path)
                break
        else:
            return path, node, error


def explain(node: JsonObject, error: BaseException) -> str:
    """Say what about ``node`` the converter or Gemini refuses."""
    kind = node.get("type")
    if isinstance(kind, list):
        return f'"type" lists several types ({shown(kind)}): {_type_list_advice(kind)}'
    if "prefixItems" in node:
        return '"prefixItems" (a tuple) is not supported: describe the elements with one "items"'
    items = node.get("items")
    if isinstance(items, list):
        return '"items" as a list (a draft-7 tuple) is not supported: use one "items" schema'
    if isinstance(items, bool):
        return f'"items": {shown(items)} is not supported: give "items" a schema'
    ref = node.get("$ref")
    if isinstance(ref, str):
        if "recursive" in str(error).lower():
            return f'"$ref" {ref!r} is recursive: a Gemini declaration cannot refer to itself'
        if not ref.startswith(DEFS_PREFIX):
            return (
                f'"$ref" {ref!r} cannot be followed: the converter only inlines references '
                f'into "{DEFS_PREFIX}..."'
            )
    members = _enum_members(node)
    odd = [member for member in members if not isinstance(member, str)]
    if odd:
        keyword = "const" if "const" in node else "enum"
        return (
            f"{keyword} holds {_kinds(odd)} ({shown(odd[:3])}): Gemini takes only string "
            "enum values; use strings, or drop the enum and say the values in the description"
        )
    if kind is None and ("properties" in node or "items" in node):
        member = "properties" if "properties" in node else "items"
        return (
            f'has "{member}" but no "type": the converter leaves its members unconverted '
            f"and Gemini refuses them ({_error_text(error)}); add the type"
        )
    return f"the converter refuses it ({_error_text(error)})"


def _type_list_advice(kinds: list[Any]) -> str:
    others = [kind for kind in kinds if kind != "null"]
    if "null" in kinds and len(others) == 1:
        branches = shown([{"type": others[0]}, {"type": "null"}])
        return f"the converter takes one type name; write a nullable value as anyOf {branches}"
    return 'the converter takes one type name; use anyOf with one {"type": ...} per type'


def _enum_members(node: JsonObject) -> list[Any]:
    if "const" in node:
        return [node["const"]]
    enum = node.get("enum")
    return enum if isinstance(enum, list) else []


def _kinds(values: list[Any]) -> str:
    names = {bool: "boolean", int: "integer", float: "number", type(None): "null"}
    kinds = sorted({names.get(type(value), type(value).__name__) for value in values})
    return " and ".join(f"{kind} values" if kind != "null" else "null" for kind in kinds)


def _error_text(error: BaseException) -> str:
    """The converter's exception as one short line, with pydantic's located messages."""
    cause = error.__cause__
    if isinstance(cause, ValidationError):
        details = [
            _located(render_path(_relative(tuple(problem["loc"]))), problem["msg"].lower())
            for problem in cause.errors(include_url=False, include_input=False)
        ]
        more = len(details) - _MAX_DETAILS
        text = "; ".join(details[:_MAX_DETAILS]) + (f"; and {more} more" if more > 0 else "")
    elif isinstance(error, KeyError):
        text = f"nothing found at {shown(error.args[0]) if error.args else 'a key'}"
    else:
        text = f"{type(error).__name__}: {error}"
    return clipped(" ".join(text.split()), _MAX_TEXT)


def _located(where: str, message: str) -> str:
    return f"{where}: {message}" if where else message


def _relative(loc: JsonPath) -> JsonPath:
    """A pydantic location inside the declaration, made relative to the node at fault."""
    for prefix in (("parameters", "properties", PROBE), ("parameters",)):
        if loc[: len(prefix)] == prefix:
            return loc[len(prefix) :]
    return loc
