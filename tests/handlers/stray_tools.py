"""An ``async def`` that ``echo_tools`` imports: a module an allowlist may leave out.

It stands for any library an allowed handler module imports: a handler path that
walks from an allowed module into this one must still be refused.
"""

from __future__ import annotations

from domain.injection import ConfigInjection
from domain.json_types import JsonObject, JsonValue

RAN: list[str] = []


async def record_stray(arguments: JsonObject, injection: ConfigInjection) -> JsonValue:
    """Record that it ran (it must not, when its module is outside the allowlist)."""
    RAN.append("record_stray")
    return "stray code ran"
