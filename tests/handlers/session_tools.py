"""Handlers that look at the LiveKit session they run in (``tests/integration/livekit``).

``async def handler(arguments, injection)`` like every ``python`` handler; these also
read LiveKit's ``RunContext`` of the call through ``current_run_context()``, as a code
tool does, and its ``userdata`` (the session's ``BindingUserdata``).
"""

from __future__ import annotations

import asyncio

from adapters.tool_context import current_run_context
from domain.injection import ConfigInjection
from domain.json_types import JsonObject, JsonValue


async def userdata_whoami(arguments: JsonObject, injection: ConfigInjection) -> JsonValue:
    """Read ``label`` from the session's userdata twice, with awaits between the reads."""
    context = current_run_context()
    if context is None:
        return {"run_context": None}
    first = context.userdata.get("label")
    await asyncio.sleep(0)
    await asyncio.sleep(0.01)
    second = context.userdata.get("label")
    return {
        "first": first,
        "second": second,
        "injected": injection.config.get("label"),
        "call_id": context.function_call.call_id,
    }


async def concurrency_probe(arguments: JsonObject, injection: ConfigInjection) -> JsonValue:
    """Record when the call started and ended (loop time), to tell calls overlapped."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    await asyncio.sleep(0.05)
    return {"label": injection.config.get("label"), "started": started, "ended": loop.time()}
