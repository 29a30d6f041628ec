"""Walking the subschemas of a JSON Schema without recursion."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import unquote

from domain.json_types import JsonObject, JsonPath, JsonValue

SCHEMA_MAP_KEYWORDS = (
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
    "dependencies",
)
"""Keywords whose value maps names to subschemas (draft 7's ``dependencies`` may also map
a name to a list of names, which is no schema)."""

REFERENCE_KEYWORDS = ("$ref", "$dynamicRef", "$recursiveRef")
"""Keywords whose value refers to another schema by URI."""

_ARRAY_INDEX = re.compile(r"0|[1-9][0-9]*")

SCHEMA_KEYWORDS = (
    "additionalProperties",
    "unevaluatedProperties",
    "propertyNames",
    "items",
    "additionalItems",
    "unevaluatedItems",
    "contains",
    "not",
    "if",
    "then",
    "else",
)
"""Keywords whose value is one subschema (``items`` may also be a draft-7 tuple)."""

SCHEMA_LIST_KEYWORDS = ("anyOf", "allOf", "oneOf", "prefixItems", "items")
"""Keywords whose value is a list of subschemas."""


def child_schemas(schema: JsonObject, path: JsonPath) -> Iterator[tuple[JsonObject, JsonPath]]:
    """Yield the direct subschemas of ``schema`` that are objects, with their paths.

    Args:
        schema: One schema object.
        path: Its location in the document.

    Yields:
        Each subschema and its location.
    """
    for keyword in SCHEMA_MAP_KEYWORDS:
        members = schema.get(keyword)
        if isinstance(members, dict):
            for name, member in members.items():
                if isinstance(member, dict):
                    yield member, (*path, keyword, name)
    for keyword in SCHEMA_KEYWORDS:
        member = schema.get(keyword)
        if isinstance(member, dict):
            yield member, (*path, keyword)
    for keyword in SCHEMA_LIST_KEYWORDS:
        members = schema.get(keyword)
        if isinstance(members, list):
            for index, member in enumerate(members):
                if isinstance(member, dict):
                    yield member, (*path, keyword, index)


def iter_schemas(root: JsonObject, path: JsonPath = ()) -> Iterator[tuple[JsonObject, JsonPath]]:
    """Yield ``root`` and every subschema below it, depth first, with their paths.

    Args:
        root: The schema to walk.
        path: The location of ``root``.

    Yields:
        Each schema object and its location.
    """
    stack: list[tuple[JsonObject, JsonPath]] = [(root, path)]
    while stack:
        schema, where = stack.pop()
        yield schema, where
        stack.extend(reversed(list(child_schemas(schema, where))))


def resolve_pointer(root: JsonObject, ref: JsonValue) -> JsonObject | bool | None:
    """Find the schema a local reference (``#`` or ``#/...``) names inside ``root``.

    The fragment is percent-decoded, then read as a JSON Pointer (``~1`` is ``/``,
    ``~0`` is ``~``).

    Args:
        root: The document the reference points into.
        ref: The value of a reference keyword.

    Returns:
        The schema (an object or a boolean), or None when ``ref`` is not a JSON Pointer
        fragment or names nothing that is a schema.
    """
    if not isinstance(ref, str) or not (ref == "#" or ref.startswith("#/")):
        return None
    target: JsonValue = root
    for token in ref[2:].split("/") if ref != "#" else []:
        key = unquote(token, errors="replace").replace("~1", "/").replace("~0", "~")
        if isinstance(target, dict) and key in target:
            target = target[key]
        elif isinstance(target, list) and _ARRAY_INDEX.fullmatch(key) and int(key) < len(target):
            target = target[int(key)]
        else:
            return None
    return target if isinstance(target, dict | bool) else None


def resolve_local_ref(root: JsonObject, schema: JsonObject) -> JsonObject:
    """Follow a local ``$ref`` of ``schema`` inside ``root``, once.

    Args:
        root: The document the reference points into.
        schema: A schema that may hold ``$ref``.

    Returns:
        The schema object the reference names, or ``schema`` itself when it holds no
        local reference to a schema object.
    """
    target = resolve_pointer(root, schema.get("$ref"))
    return target if isinstance(target, dict) else schema
