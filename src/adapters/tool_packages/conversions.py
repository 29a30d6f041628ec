"""Handlers of schema-defined tools: ``async def handler(arguments, injection)``.

The function schemas live in the catalog (a tool document defines them); these are the
allowlisted Python functions that run them (see ``docs/writing-tools.md``).
"""

from __future__ import annotations

from tool_platform import ConfigInjection, JsonObject, JsonValue


async def convert_temperature(arguments: JsonObject, injection: ConfigInjection) -> JsonValue:
    """Convert ``value`` from ``from_unit`` to ``to_unit`` (celsius or fahrenheit)."""
    value, source, target = arguments["value"], arguments["from_unit"], arguments["to_unit"]
    celsius = value if source == "celsius" else (value - 32) * 5 / 9
    converted = celsius if target == "celsius" else celsius * 9 / 5 + 32
    decimals = int(injection.config["decimals"])  # the binding's config has its defaults
    return {"value": round(converted, decimals), "unit": target}
