"""``json_from_text``: a stored JSON column's text decoded, its commonest values cheaply."""

from __future__ import annotations

import json
from typing import Any


def json_from_text(text: str) -> Any:
    """Decode JSON text as :func:`json.loads` does, a new object on each call.

    The values most binding columns hold (``{}``: no config, no secrets; ``null``: no
    allowlist) skip the parser, read on every row of every toolset load.

    Raises:
        ValueError: When ``text`` is not JSON.
    """
    if text == "{}":
        return {}
    if text == "null":
        return None
    return json.loads(text)
