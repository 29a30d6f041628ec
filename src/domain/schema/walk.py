"""Walking the subschemas of a JSON Schema without recursion."""

from __future__ import annotations

from collections.abc import Iterator

from domain.json_types import JsonObject, JsonPath, JsonValue

SCHEMA_MAP_KEYWORDS = (
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
)
"""Keywords whose value maps names to subschemas."""

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


def resolve_local_ref(root: JsonObject, schema: JsonObject) -> JsonObject:
    """Follow a local ``$ref`` (``#/...``) of ``schema`` inside ``root``, once.

    Args:
        root: The document the reference points into.
        schema: A schema that may hold ``$ref``.

    Returns:
        The schema the reference names, or ``schema`` itself when it holds no local
        reference or the reference does not resolve to an object.
    """
    ref = schema.get("$ref")
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return schema
    target: JsonValue = root
    for token in ref[2:].split("/"):
        key = token.replace("~1", "/").replace("~0", "~")
        if isinstance(target, dict) and key in target:
            target = target[key]
        elif isinstance(target, list) and key.isdigit() and int(key) < len(target):
            target = target[int(key)]
        else:
            return schema
    return target if isinstance(target, dict) else schema
