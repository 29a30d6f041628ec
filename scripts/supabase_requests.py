"""Count the requests the Supabase storage makes per use case, and their sizes.

Usage: ``.venv/bin/python scripts/supabase_requests.py [--tools 20] [--racers 50]``.
The storage talks to the tests' PostgREST stand-in on a throwaway PostgreSQL server (or
``$TOOL_PLATFORM_TEST_DATABASE_URL``) holding ``supabase/migrations``. It prints, per use
case, the RPC calls made (by function), the bytes sent and received, and the time taken
(local PostgreSQL, no network: only the counts carry over to a real project); then
``--racers`` concurrent definitions of one tool, with the calls their retries cost.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg
import respx
from dependency_injector import providers

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from entrypoints.container import Container
from entrypoints.lifespan import lifespan
from entrypoints.settings import PlatformSettings
from tests.builders import python_tool_document
from tests.integration import postgres
from tests.integration.storage.postgrest_standin import (
    BASE_URL,
    SERVICE_ROLE_KEY,
    PostgrestStandIn,
)
from tests.integration.supabase_schema import apply_supabase_schema, dsn

KEY = "k1:" + base64.b64encode(bytes(32)).decode()


async def measure(standin: PostgrestStandIn, name: str, work: Callable[[], Awaitable[Any]]) -> None:
    """Run ``work`` and print the calls it made."""
    before = len(standin.requests)
    started = time.perf_counter()
    await work()
    elapsed = (time.perf_counter() - started) * 1000
    made = standin.requests[before:]
    functions = Counter(
        f"{request.url.path.rsplit('/', 1)[-1]}"
        + (f"({json.loads(request.content)['query']})" if b'"query"' in request.content else "")
        for request in made
    )
    sent = sum(len(request.content) for request in made)
    print(f"{name}: {len(made)} requests, {sent} bytes sent, {elapsed:.0f} ms")
    for function, count in sorted(functions.items()):
        print(f"  {count:4d}  {function}")


async def run(url: str, tools: int, racers: int) -> None:
    """Every measurement, on one database."""
    await apply_supabase_schema(url)
    pool = await asyncpg.create_pool(dsn(url), min_size=1, max_size=20)
    standin = PostgrestStandIn(dsn(url), pool)
    settings = PlatformSettings(
        storage="supabase",
        secret_keys=KEY,  # type: ignore[arg-type]
        handler_packages="tests.handlers",  # type: ignore[arg-type]
        model_target="any",
        **{"SUPABASE_URL": BASE_URL, "SUPABASE_SERVICE_ROLE_KEY": SERVICE_ROLE_KEY},  # type: ignore[arg-type]
    )
    container = Container()
    container.settings.override(providers.Object(settings))
    try:
        with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
            router.post(path__startswith="/rest/v1/rpc/").mock(side_effect=standin.handle)
            async with lifespan(container):
                await use_cases(container, standin, tools, racers)
    finally:
        await pool.close()


async def use_cases(
    container: Container, standin: PostgrestStandIn, tools: int, racers: int
) -> None:
    """The measured use cases."""
    names = [f"tool-{n:03d}" for n in range(tools)]

    async def define_all() -> None:
        for name in names:
            document = python_tool_document(
                name, {f"echo_{name[-3:]}": "echo"}, secret_names=("token",)
            )
            await container.tools().define(document)

    await measure(standin, f"define {tools} tools", define_all)
    agent = await container.agents().create("front-desk")

    async def bind_all() -> None:
        for name in names:
            await container.bindings().bind(agent.id, name, secrets={"token": "t"})

    await measure(standin, f"bind {tools} tools", bind_all)
    await measure(
        standin, f"load a toolset of {tools} bindings", lambda: container.toolsets().load(agent.id)
    )

    async def race() -> None:
        document = python_tool_document("raced", {"echo": "echo"})
        revisions = [document | {"description": f"revision {n % 2}"} for n in range(racers)]
        await asyncio.gather(*(container.tools().define(d) for d in revisions))

    await measure(standin, f"{racers} concurrent definitions of one tool", race)


def main() -> int:
    """Start a server and measure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tools", type=int, default=20)
    parser.add_argument("--racers", type=int, default=50)
    options = parser.parse_args()
    with (
        contextlib.contextmanager(postgres.session_server_url)() as server,
        postgres.DatabaseFactory(server) as databases,
    ):
        asyncio.run(run(databases(), options.tools, options.racers))
    return 0


if __name__ == "__main__":
    sys.exit(main())
