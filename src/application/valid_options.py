"""``valid_options``: the values an enum field takes, as the model was offered them."""

from __future__ import annotations

from collections.abc import Sequence

from application.ports.offering import PathEncoder
from domain.errors import InvalidArguments
from domain.json_types import JsonObject, JsonPath, JsonValue
from domain.schema.fields import field_path

ARGUMENTS = "arguments"
"""How an argument error names the arguments object itself."""


def valid_options(
    error: InvalidArguments, offered: JsonObject, locate: PathEncoder
) -> dict[str, Sequence[JsonValue]]:
    """Each enum field ``error`` names -> its values in the offered schema.

    Args:
        error: The argument error (its problems located in the stored arguments).
        offered: The parameters schema the model was offered.
        locate: Maps a stored path to the path the model saw.
    """
    options: dict[str, Sequence[JsonValue]] = {}
    for problem in error.problems:
        if problem.location is None:
            continue
        path = locate(problem.location)
        values = _enum_at(offered, path)
        if values is not None:
            options[field_path(path) or ARGUMENTS] = values
    return options


def _enum_at(schema: JsonObject, path: JsonPath) -> list[JsonValue] | None:
    """The ``enum`` of the schema that describes the argument at ``path``, if any."""
    node: JsonValue = schema
    for step in path:
        node = _child(_resolved(node, schema), step)
        if node is None:
            return None
    return _enum_of(_resolved(node, schema), schema)


def _child(node: JsonValue, step: str | int) -> JsonValue:
    if not isinstance(node, dict):
        return None
    if isinstance(step, str):
        properties = node.get("properties")
        if isinstance(properties, dict) and step in properties:
            return properties[step]
        extra = node.get("additionalProperties")
        return extra if isinstance(extra, dict) else None
    items = node.get("items")
    return items if isinstance(items, dict) else None


def _enum_of(node: JsonValue, root: JsonObject) -> list[JsonValue] | None:
    if not isinstance(node, dict):
        return None
    if isinstance(node.get("enum"), list):
        return [value for value in node["enum"] if value is not None]
    for branch in node.get("anyOf") or node.get("oneOf") or ():
        found = _enum_of(_resolved(branch, root), root)
        if found:
            return found
    return None


def _resolved(node: JsonValue, root: JsonObject) -> JsonValue:
    """``node``, or the ``#/$defs/...`` (or ``#/definitions/...``) schema it refers to."""
    reference = node.get("$ref") if isinstance(node, dict) else None
    if not isinstance(reference, str) or not reference.startswith("#/"):
        return node
    target: JsonValue = root
    for key in reference[2:].split("/"):
        target = target.get(key) if isinstance(target, dict) else None
    return target if isinstance(target, dict) else node
