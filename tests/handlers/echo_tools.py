"""Handlers of the ``python`` test tools: ``async def handler(arguments, injection)``.

``EXECUTED`` records every handler run (function name), so a test can tell that a
refused call never reached its handler; tests clear it before use. The module also
imports ``stray_tools``, as real handler modules import libraries.
"""

from __future__ import annotations

import asyncio
import json

from domain.injection import ConfigInjection
from domain.json_types import JsonObject, JsonValue
from tests.handlers import stray_tools

__all__ = ["EXECUTED", "stray_tools"]

EXECUTED: list[str] = []


async def echo(arguments: JsonObject, injection: ConfigInjection) -> JsonValue:
    """Return the arguments and the binding's config."""
    EXECUTED.append("echo")
    return {"arguments": arguments, "config": dict(injection.config)}


async def other_echo(arguments: JsonObject, injection: ConfigInjection) -> JsonValue:
    """Same as :func:`echo`, under another attribute name."""
    EXECUTED.append("other_echo")
    return {"arguments": arguments, "config": dict(injection.config)}


async def return_secret(arguments: JsonObject, injection: ConfigInjection) -> JsonValue:
    """Return the binding's ``token`` secret inside a JSON object (an echoing upstream)."""
    EXECUTED.append("return_secret")
    return {"echoed": injection.secret("token"), "note": "upstream echoed the token"}


async def return_secret_text(arguments: JsonObject, injection: ConfigInjection) -> JsonValue:
    """Return the binding's ``token`` secret inside plain text."""
    EXECUTED.append("return_secret_text")
    return f"Authorization: Bearer {injection.secret('token')}"


async def raise_with_secret(arguments: JsonObject, injection: ConfigInjection) -> JsonValue:
    """Fail with an exception whose message holds the ``token`` secret."""
    EXECUTED.append("raise_with_secret")
    raise RuntimeError(f"upstream refused token {injection.secret('token')}")


async def sleep_forever(arguments: JsonObject, injection: ConfigInjection) -> JsonValue:
    """Hang (until cancelled)."""
    EXECUTED.append("sleep_forever")
    await asyncio.sleep(3600)
    return "never"


async def whoami(arguments: JsonObject, injection: ConfigInjection) -> JsonValue:
    """Read config and secret with suspension points between reads, return what was seen."""
    EXECUTED.append("whoami")
    first = injection.config["label"]
    await asyncio.sleep(0)
    token = injection.secret("token")
    await asyncio.sleep(0)
    second = injection.config["label"]
    await asyncio.sleep(0)
    return {
        "first": first,
        "second": second,
        "token_matches_label": token == f"token-{first}",
        "binding": injection.binding_id,
    }


async def append_tag(arguments: JsonObject, injection: ConfigInjection) -> JsonValue:
    """Change a nested config value in place, then return the config it saw."""
    EXECUTED.append("append_tag")
    injection.config["tags"].append("added-by-the-handler")
    return {"tags": injection.config["tags"]}


def sync_handler(arguments: JsonObject, injection: ConfigInjection) -> JsonValue:
    """A plain ``def``: the executor must refuse it without calling it."""
    EXECUTED.append("sync_handler")
    return "ran"


async def return_secret_escaped(arguments: JsonObject, injection: ConfigInjection) -> JsonValue:
    """Return the ``token`` secret JSON-encoded ``depth`` times (JSON inside JSON strings)."""
    EXECUTED.append("return_secret_escaped")
    value: JsonValue = {"token": injection.secret("token")}
    for _ in range(int(str(arguments.get("depth", 1)))):
        value = json.dumps(value, ensure_ascii=bool(arguments.get("ascii", False)))
    return value
