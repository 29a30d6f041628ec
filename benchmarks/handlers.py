"""The handler the per-call benchmark's ``python`` tool runs (``benchmarks`` is allowlisted)."""

from __future__ import annotations

from domain.injection import ConfigInjection
from domain.json_types import JsonObject, JsonValue


async def greet(arguments: JsonObject, injection: ConfigInjection) -> JsonValue:
    """Say hello to ``name``, ``times`` times: as little work as a tool can do."""
    return f"hello {arguments['name']}" * int(arguments.get("times", 1))
