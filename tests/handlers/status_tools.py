"""Handlers that end a call each way a ``python`` tool can (the result contract's tests)."""

from __future__ import annotations

from domain.call_status import CallStatus
from domain.errors import ToolFailure
from domain.injection import ConfigInjection
from domain.json_types import JsonObject, JsonValue

EMPTY: dict[str, JsonValue] = {"list": [], "object": {}, "null": None, "text": ""}


async def empty(arguments: JsonObject, injection: ConfigInjection) -> JsonValue:
    """Return the empty value named by ``arguments["kind"]``."""
    return EMPTY[str(arguments["kind"])]


async def fail_with(arguments: JsonObject, injection: ConfigInjection) -> JsonValue:
    """Raise ``ToolFailure`` with the status ``arguments["status"]`` (and a Retry-After)."""
    status = CallStatus(str(arguments["status"]))
    retry_after = 30.0 if status in {CallStatus.RATE_LIMITED, CallStatus.UNAVAILABLE} else None
    raise ToolFailure(f"failed as {status}", status=status, retry_after_seconds=retry_after)


async def crash(arguments: JsonObject, injection: ConfigInjection) -> JsonValue:
    """Fail with an unexpected exception."""
    raise ZeroDivisionError
