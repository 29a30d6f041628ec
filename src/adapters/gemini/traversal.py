"""Which subschemas LiveKit's Gemini converter visits, and where they live.

The converter (``_GeminiJsonSchema`` in livekit-plugins-google) converts a node, then
descends into ``properties`` only when the node's ``type`` is ``object``, into ``items``
and ``prefixItems`` only when it is ``array``, into every ``anyOf`` branch, and follows a
``$ref`` into ``$defs`` (inlining the definition). Everything else it drops or leaves
unconverted. The diagnosis and the warnings walk the same way, so they speak about what
Gemini really sees.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from domain.json_types import JsonObject, JsonPath

DEFS_PREFIX = "#/$defs/"
"""The only references the converter follows."""


def definition(root: JsonObject, ref: Any) -> tuple[JsonObject, JsonPath] | None:
    """Return the ``$defs`` entry a ``$ref`` names and its path (None: not followed)."""
    if not isinstance(ref, str) or not ref.startswith(DEFS_PREFIX):
        return None
    key = ref.removeprefix(DEFS_PREFIX)
    defs = root.get("$defs")
    target = defs.get(key) if isinstance(defs, dict) else None
    if not isinstance(target, dict):
        return None
    return target, ("$defs", key)


def visited_children(
    root: JsonObject, node: JsonObject, path: JsonPath
) -> Iterator[tuple[JsonObject, JsonPath]]:
    """Yield the subschemas of ``node`` that the converter goes on to convert.

    Args:
        root: The whole parameters schema (for ``$defs``).
        node: One schema node.
        path: Its location under ``parameters``.

    Yields:
        Each visited subschema with its location (a ``$ref`` yields its definition,
        located under ``$defs``).
    """
    ref = node.get("$ref")
    if ref is not None:
        found = definition(root, ref)
        if found is not None:
            yield found
        return
    kind = node.get("type")
    if kind == "object" and isinstance(node.get("properties"), dict):
        for name, member in node["properties"].items():
            if isinstance(member, dict):
                yield member, (*path, "properties", name)
    if kind == "array":
        for index, member in enumerate(_list(node.get("prefixItems"))):
            if isinstance(member, dict):
                yield member, (*path, "prefixItems", index)
        if isinstance(node.get("items"), dict):
            yield node["items"], (*path, "items")
    for index, member in enumerate(_list(node.get("anyOf"))):
        if isinstance(member, dict):
            yield member, (*path, "anyOf", index)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
