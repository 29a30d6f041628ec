"""Quoting keys and text in a message: short, whatever was sent."""

from __future__ import annotations

import json

from domain.json_types import JsonPath, render_path

KEY_LIMIT = 40
"""Longest key shown whole; a longer one is cut and its length given."""
TEXT_LIMIT = 100
"""Longest quoted text (a literal, a pattern) shown whole."""
_SEPARATORS = frozenset('.[]"')


def cut(text: str, limit: int = TEXT_LIMIT) -> str:
    """``text`` itself, or its first ``limit`` characters followed by its length.

    Args:
        text: What a message quotes.
        limit: The most characters shown.

    Returns:
        For example ``kkkk... (1048576 characters)``.
    """
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"


def show_key(key: str) -> str:
    r"""A key as a message shows it: long keys cut, and quoted unless plainly readable.

    A key that is empty, holds white space, a control character, a lone surrogate or a
    character that separates path parts (``.`` ``[`` ``]`` ``"``) is shown as a JSON
    string (``""``, ``" "``, ``"a.b"``, a NUL as ``\u0000``), so every key a message names can
    be told apart and read back.
    """
    shown = cut(key, KEY_LIMIT)
    if key and key.isprintable() and not any(c.isspace() or c in _SEPARATORS for c in key):
        return shown
    return json.dumps(shown)


def field_path(path: JsonPath, root: str = "") -> str:
    """Render a path like ``render_path``, with every key shown by :func:`show_key`."""
    return render_path(tuple(show_key(p) if isinstance(p, str) else p for p in path), root)
