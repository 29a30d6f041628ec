"""Type names for JSON data as the domain handles it."""

from __future__ import annotations

from typing import Any, TypeAlias

JsonValue: TypeAlias = Any
"""Any value ``json.loads`` can return (kept as ``Any``: JSON is recursive and untyped)."""

JsonObject: TypeAlias = dict[str, Any]
"""A JSON object."""

JsonPath: TypeAlias = tuple[str | int, ...]
"""A location inside a JSON document: object keys and array indexes."""


def render_path(path: JsonPath, root: str = "") -> str:
    """Render a JSON path as dotted text with ``[i]`` for array indexes.

    Args:
        path: The keys and indexes from the document root.
        root: Text to show for the root itself (and to prefix the path with).

    Returns:
        For example ``parameters.properties.city`` or ``items[2].name``.
    """
    text = root
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text = f"{text}.{part}" if text else part
    return text
