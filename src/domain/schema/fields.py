"""Naming a field of a JSON value in a message: short, whatever its key."""

from __future__ import annotations

from domain.json_types import JsonPath, render_path

KEY_LIMIT = 40
"""Longest key shown whole; a longer one is cut and its length given."""


def show_key(key: str) -> str:
    """A key as a message shows it: ``""`` for the empty key, long keys cut.

    Args:
        key: An object key.

    Returns:
        At most :data:`KEY_LIMIT` characters of the key, plus its length when cut.
    """
    if not key:
        return '""'
    if len(key) > KEY_LIMIT:
        return f"{key[:KEY_LIMIT]}... ({len(key)} characters)"
    return key


def field_path(path: JsonPath, root: str = "") -> str:
    """Render a path like ``render_path``, with every key shown by :func:`show_key`."""
    return render_path(tuple(show_key(p) if isinstance(p, str) else p for p in path), root)
