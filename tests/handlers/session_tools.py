"""Tools that look at the LiveKit session they run in (``tests/integration/livekit``).

``userdata_whoami`` is a code tool: it takes LiveKit's ``RunContext`` of the call (the
call's ``runtime_context`` slot) and reads its ``userdata`` (the session's
``BindingUserdata``). ``concurrency_probe`` is an ``async def handler(arguments,
injection)`` like every schema-defined ``python`` handler.
"""

from __future__ import annotations

import asyncio
from typing import Any

from livekit.agents import RunContext, function_tool

from domain.injection import ConfigInjection
from domain.json_types import JsonObject, JsonValue
from tool_platform import config


@function_tool
async def userdata_whoami(context: RunContext[Any]) -> dict[str, Any]:
    """Read ``label`` from the session's userdata twice, with awaits between the reads."""
    first = context.userdata.get("label")
    await asyncio.sleep(0)
    await asyncio.sleep(0.01)
    second = context.userdata.get("label")
    return {
        "first": first,
        "second": second,
        "injected": config().get("label"),
        "call_id": context.function_call.call_id,
    }


async def concurrency_probe(arguments: JsonObject, injection: ConfigInjection) -> JsonValue:
    """Record when the call started and ended (loop time), to tell calls overlapped."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    await asyncio.sleep(0.05)
    return {"label": injection.config.get("label"), "started": started, "ended": loop.time()}
