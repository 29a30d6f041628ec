"""What the ``http`` executor adds to a pooled request, on loopback.

Usage: ``.venv/bin/python scripts/http_executor_bench.py [--calls N] [--rounds R]``.
A CRM API stand-in (``entrypoints/local_crm_api.py``) runs in a child process on
127.0.0.1. Each round sends ``N`` lookups one after another, first straight through the
platform's pooled, guarded client (``HttpClientPool``), then as ``get_customer`` calls
through a tool session (validate the arguments, render the template, send through the
same client, read capped, shape the response with ``response.pick``, scrub, cap); the
best round of each counts. Prints the per-request time of each and the difference.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import time
from collections.abc import Awaitable, Callable
from typing import Any

from dependency_injector import providers

from entrypoints.container import Container
from entrypoints.demo import CRM_TOOL, CUSTOMERS, DEMO_CRM_KEY
from entrypoints.local_crm_api import LocalCrmApi
from entrypoints.settings import PlatformSettings


def serve(address: Any) -> None:
    """The server process: the CRM API, its base URL sent back through ``address``."""

    async def main() -> None:
        async with LocalCrmApi(DEMO_CRM_KEY, dict(CUSTOMERS)) as crm:
            address.send(crm.base_url)
            await asyncio.Event().wait()

    asyncio.run(main())


async def best_per_call(send: Callable[[], Awaitable[Any]], calls: int, rounds: int) -> float:
    """The best round's seconds per call, after a warm-up."""
    for _ in range(10):
        await send()
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(calls):
            await send()
        best = min(best, (time.perf_counter() - started) / calls)
    return best


async def measure(base_url: str, calls: int, rounds: int) -> None:
    """Bind the demo's CRM tool to ``base_url`` and time both ways of asking it."""
    container = Container()
    container.settings.override(
        providers.Object(
            PlatformSettings(storage="memory", model_target="any", outbound_allow=("127.0.0.1/32",))
        )
    )
    await container.tools().define(CRM_TOOL)
    await container.agents().create("bench")
    await container.bindings().bind(
        "bench", "crm", config={"base_url": base_url}, secrets={"api_key": DEMO_CRM_KEY}
    )
    toolset = await container.toolsets().load("bench")
    client = container.http_pool().client()
    url = f"{base_url}/v1/customers/C-1001"

    async def direct() -> None:
        response = await client.get(url, headers={"X-Api-Key": DEMO_CRM_KEY})
        assert response.status_code == 200

    async with await container.tool_sessions().open(toolset) as session:

        async def through_the_session() -> None:
            result = await session.call("get_customer", {"customer_id": "C-1001"}, call_id="b")
            assert result.ok, result.output

        raw = await best_per_call(direct, calls, rounds)
        executed = await best_per_call(through_the_session, calls, rounds)
    await container.http_pool().aclose()
    print(f"calls per round: {calls}, rounds: {rounds} (best round counts)")
    print(f"guarded client, direct GET:        {raw * 1e6:8.0f} us per request")
    print(f"tool session, get_customer call:   {executed * 1e6:8.0f} us per call")
    print(f"executor and pipeline add:         {(executed - raw) * 1e6:8.0f} us per call")


def main() -> None:
    """Start the server process, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    receiver, sender = multiprocessing.Pipe(duplex=False)
    server = multiprocessing.Process(target=serve, args=(sender,), daemon=True)
    server.start()
    try:
        asyncio.run(measure(receiver.recv(), options.calls, options.rounds))
    finally:
        server.terminate()
        server.join()


if __name__ == "__main__":
    main()
