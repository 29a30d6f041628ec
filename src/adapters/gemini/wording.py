"""How a verdict's reasons and warnings are written: each one located line.

The diagnosis (reasons) and the warnings share it, so both name nodes and show values
the same way.
"""

from __future__ import annotations

import json
from typing import Any

from domain.json_types import JsonPath, render_path

ROOT = "parameters"
"""How a reason or warning names the parameters schema."""


def located(path: JsonPath, text: str) -> str:
    """``<path>: <text>``, the path under ``parameters`` (``parameters.properties.size``)."""
    return f"{render_path(path, ROOT)}: {text}"


def shown(value: Any, limit: int | None = None) -> str:
    """A JSON value as it appears in a text, cut to ``limit`` characters if given."""
    text = json.dumps(value, ensure_ascii=False)
    return text if limit is None else clipped(text, limit)


def clipped(text: str, limit: int) -> str:
    """``text``, or its first ``limit - 3`` characters and ``...`` when it is longer."""
    return text if len(text) <= limit else text[: limit - 3] + "..."
