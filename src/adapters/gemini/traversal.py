"""Which subschemas LiveKit's Gemini converter visits, and where they live.

The converter (``_GeminiJsonSchema`` in livekit-plugins-google) converts a node, then
descends into ``properties`` only when the node's ``type`` is ``object``, into
``prefixItems`` and ``items`` only when it is ``array``, into every ``anyOf`` branch, and
follows a ``$ref`` into ``$defs`` (inlining the definition over the node's other
keywords). Everything else it drops or leaves unconverted. The diagnosis and the
warnings both walk with :func:`visited_children`, so they speak about what Gemini really
sees.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from domain.json_types import JsonObject, JsonPath

DEFS_PREFIX = "#/$defs/"
"""The only references the converter follows."""


class Child(NamedTuple):
    """One subschema the converter goes on to convert.

    Attributes:
        schema: The subschema; for a ``$ref``, the definition merged over the referring
            node's other keywords, as the converter merges them.
        path: Its location under ``parameters`` (a definition's is under ``$defs``).
        keyword: What led to it: ``$ref``, ``properties``, ``prefixItems``, ``items``
            or ``anyOf``; the property name or index is the last step of ``path``.
    """

    schema: JsonObject
    path: JsonPath
    keyword: str


def visited_children(root: JsonObject, node: JsonObject, path: JsonPath) -> Iterator[Child]:
    """Yield the subschemas of ``node`` that the converter goes on to convert, in its order.

    Args:
        root: The whole parameters schema (for ``$defs``).
        node: One schema node.
        path: Its location under ``parameters``.

    Yields:
        Each visited subschema. A node with a ``$ref`` yields only what the reference
        resolves to (nothing when the converter cannot follow it).
    """
    ref = node.get("$ref")
    if ref is not None:
        found = _definition(root, ref)
        if found is not None:
            definition, location = found
            siblings = {key: value for key, value in node.items() if key != "$ref"}
            yield Child({**siblings, **definition}, location, "$ref")
        return
    kind = node.get("type")
    if kind == "object" and isinstance(node.get("properties"), dict):
        for name, member in node["properties"].items():
            if isinstance(member, dict):
                yield Child(member, (*path, "properties", name), "properties")
    if kind == "array":
        for index, member in enumerate(_list(node.get("prefixItems"))):
            if isinstance(member, dict):
                yield Child(member, (*path, "prefixItems", index), "prefixItems")
        if isinstance(node.get("items"), dict):
            yield Child(node["items"], (*path, "items"), "items")
    for index, member in enumerate(_list(node.get("anyOf"))):
        if isinstance(member, dict):
            yield Child(member, (*path, "anyOf", index), "anyOf")


def _definition(root: JsonObject, ref: Any) -> tuple[JsonObject, JsonPath] | None:
    """Return the ``$defs`` entry a ``$ref`` names and its path (None: not followed)."""
    if not isinstance(ref, str) or not ref.startswith(DEFS_PREFIX):
        return None
    key = ref.removeprefix(DEFS_PREFIX)
    defs = root.get("$defs")
    target = defs.get(key) if isinstance(defs, dict) else None
    if not isinstance(target, dict):
        return None
    return target, ("$defs", key)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
