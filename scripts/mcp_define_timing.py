"""How long ``tools define`` of an ``mcp`` tool takes when it lists the server's tools.

Usage: ``.venv/bin/python scripts/mcp_define_timing.py [--rounds N]``. Serves the demo's
office MCP server (the ``mcp`` package's own) on 127.0.0.1 over streamable HTTP and SSE,
and runs it over stdio with the venv's Python; for each transport, defines ``N`` tools
by listing it through the container's own wiring (in-memory storage) and prints the
median, min and max of one define (connect, initialize, list, check, store), and the
same for a document that lists its functions (offline, no connection).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from typing import Any

from entrypoints.container import Container
from entrypoints.lifespan import lifespan
from entrypoints.local_mcp_server import LocalMcpServer
from entrypoints.local_office_mcp import office_mcp_server
from entrypoints.settings import PlatformSettings

TOKEN = "timing-token"
STDIO = (
    sys.executable,
    "-c",
    "from entrypoints.local_office_mcp import *; office_mcp_server().run('stdio')",
)


def document(name: str, server: dict[str, Any]) -> dict[str, Any]:
    """An ``mcp`` document that lists no functions."""
    return {"name": name, "kind": "mcp", "secret_names": ["token"], "run": {"server": server}}


async def timed(
    container: Container, documents: list[dict[str, Any]], secrets: dict[str, str]
) -> list[float]:
    """Define each document; the milliseconds each took."""
    took = []
    for each in documents:
        start = time.perf_counter()
        await container.tools().define(each, secrets=secrets)
        took.append((time.perf_counter() - start) * 1000)
    return took


def report(what: str, took: list[float]) -> None:
    """Print one line of timings."""
    print(
        f"{what:<34} median {statistics.median(took):7.1f} ms   min {min(took):7.1f}   "
        f"max {max(took):7.1f}   (n={len(took)})"
    )


async def main(rounds: int) -> None:
    """Time the defines."""
    container = Container()
    container.settings.override(
        PlatformSettings(
            storage="memory", outbound_allow=("127.0.0.1/32",), mcp_stdio_commands={"office": STDIO}
        )
    )
    headers = {"Authorization": "Bearer {secrets.token}"}
    async with lifespan(container):
        for transport in ("streamable_http", "sse"):
            async with LocalMcpServer(office_mcp_server(), transport, bearer_token=TOKEN) as local:
                server = {"transport": transport, "url": local.url, "headers": headers}
                documents = [document(f"{transport[:3]}-{i}", server) for i in range(rounds)]
                report(
                    f"define by listing, {transport}",
                    await timed(container, documents, {"token": TOKEN}),
                )
        stdio = {"transport": "stdio", "command": "office", "timeout_seconds": 60}
        documents = [{**document(f"stdio-{i}", stdio), "secret_names": []} for i in range(rounds)]
        report("define by listing, stdio", await timed(container, documents, {}))
        listed = (await container.tools().show("stdio-0")).to_document()
        offline = []
        for i in range(rounds):
            each = {key: listed[key] for key in ("kind", "tool_functions_schema", "run")}
            offline.append({**each, "name": f"offline-{i}"})
        report("define offline (listed functions)", await timed(container, offline, {}))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10, help="defines per transport")
    asyncio.run(main(parser.parse_args().rounds))
