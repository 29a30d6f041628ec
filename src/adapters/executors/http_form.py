"""Form-encoding a JSON body (``application/x-www-form-urlencoded``).

Nested objects and arrays use the bracket style (``a[b]=1``, ``a[0]=x``: Stripe's);
with ``form_arrays: "repeat"`` an array of scalars repeats its key (``a=x&a=y``:
Twilio's). Null members are left out; booleans are ``true`` and ``false``.
"""

from __future__ import annotations

import json
from typing import Literal

from domain.json_types import JsonObject, JsonValue


def form_pairs(body: JsonObject, arrays: Literal["brackets", "repeat"]) -> list[tuple[str, str]]:
    """Flatten ``body`` into form pairs, in order.

    Args:
        body: The body as a JSON object.
        arrays: How arrays are written.

    Returns:
        ``(key, value)`` pairs for ``urlencode``.
    """
    pairs: list[tuple[str, str]] = []
    for key, value in body.items():
        _flatten(key, value, arrays, pairs)
    return pairs


def _flatten(
    key: str, value: JsonValue, arrays: Literal["brackets", "repeat"], pairs: list[tuple[str, str]]
) -> None:
    if value is None:
        return
    if isinstance(value, dict):
        for member, item in value.items():
            _flatten(f"{key}[{member}]", item, arrays, pairs)
    elif isinstance(value, list):
        scalars = not any(isinstance(item, (dict, list)) for item in value)
        for index, item in enumerate(value):
            _flatten(
                key if arrays == "repeat" and scalars else f"{key}[{index}]", item, arrays, pairs
            )
    elif isinstance(value, bool):
        pairs.append((key, "true" if value else "false"))
    elif isinstance(value, str):
        pairs.append((key, value))
    else:
        pairs.append((key, json.dumps(value)))
