"""Item 3, HTTP tool call on a warm connection, against raw clients to the same server.

The server (aiohttp, on 127.0.0.1) runs in its own process. Interleaved:

- ``aiohttp``: one pooled ``aiohttp.ClientSession``, a GET and the body read;
- ``httpx``: one pooled ``httpx.AsyncClient``, the same GET;
- ``per call``: the seed's way, a new ``httpx.AsyncClient`` for every request;
- ``platform``: ``ToolSession.call`` of an ``http`` tool doing that GET (validate,
  render, the outbound guard's checks and pinned connection, read capped, describe,
  scrub), each timed batch in a fresh session opened (and closed) outside the timing:
  the call breaker counts a session's calls, and the tool's ``call_policy`` allows
  :data:`MAX_CALLS` of them.

The figure is the platform's time minus the faster raw client's.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import aiohttp
import httpx

from application.tool_session import ToolSession
from benchmarks.environment import open_platform, settings_for
from benchmarks.report import Report, Row, us
from benchmarks.timing import seconds_per_call

SECTION = "http call"

MAX_CALLS = 10_000
"""The most calls a session allows (the highest ``max_calls_per_session``); a batch is fewer."""


class ServerProcess:
    """``benchmarks.json_server`` in a process of its own, for the ``with`` block."""

    def __init__(self) -> None:
        self.base_url = ""
        self._process: subprocess.Popen[str] | None = None

    def __enter__(self) -> ServerProcess:
        root = Path(__file__).resolve().parent.parent
        self._process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.json_server"],
            cwd=root,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._process.stdout is not None
        self.base_url = self._process.stdout.readline().strip()
        if not self.base_url.startswith("http://127.0.0.1:"):
            self._process.kill()
            raise RuntimeError("the JSON server did not start")
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(10)


def http_tool(base_url: str) -> dict[str, Any]:
    """An ``http`` tool with one GET of ``/items/{item}`` on the local server."""
    parameters = {
        "type": "object",
        "properties": {"item": {"type": "string"}},
        "required": ["item"],
    }
    return {
        "name": "items",
        "description": "Items.",
        "kind": "http",
        "tool_functions_schema": {
            "functions": [
                {"name": "get_item", "description": "One item.", "parameters": parameters}
            ]
        },
        "run": {
            "requests": {"get_item": {"method": "GET", "url": f"{base_url}/items/{{args.item}}"}}
        },
        "call_policy": {"get_item": {"side_effects": "none", "max_calls_per_session": MAX_CALLS}},
    }


async def run(report: Report, database_url: str, loops: int, repeat: int) -> None:
    """Measure the four variants and add the rows."""
    with ServerProcess() as server:
        url = f"{server.base_url}/items/42"
        async with (
            open_platform(settings_for(database_url)) as container,
            aiohttp.ClientSession() as pooled_aiohttp,
            httpx.AsyncClient() as pooled_httpx,
        ):
            await container.tools().define(http_tool(server.base_url))
            agent = await container.agents().create("fetcher")
            await container.bindings().bind(agent.id, "items")
            toolset = await container.toolsets().load(agent.id)
            session: ToolSession | None = None

            async def with_aiohttp() -> object:
                async with pooled_aiohttp.get(url) as response:
                    return await response.read()

            async def with_httpx() -> object:
                return (await pooled_httpx.get(url)).content

            async def client_per_call() -> object:
                async with httpx.AsyncClient() as client:
                    return (await client.get(url)).content

            async def platform() -> object:
                assert session is not None
                result = await session.call("get_item", {"item": "42"}, call_id="c")
                if not result.ok:
                    raise RuntimeError(result.output)
                return result

            variants = {
                "aiohttp": with_aiohttp,
                "httpx": with_httpx,
                "per call": client_per_call,
                "platform": platform,
            }
            if loops > MAX_CALLS:
                raise ValueError(f"{loops} calls in one session: at most {MAX_CALLS}")
            best = {name: float("inf") for name in variants}
            for _ in range(repeat):
                for name, operation in variants.items():
                    # A client per call costs some 100 times a request: fewer of them.
                    times = max(1, loops // 50) if name == "per call" else loops
                    if name == "platform":
                        async with await container.tool_sessions().open(toolset) as session:
                            seconds = await seconds_per_call(operation, times)
                    else:
                        seconds = await seconds_per_call(operation, times)
                    best[name] = min(best[name], seconds)
    faster = min(best["aiohttp"], best["httpx"])
    report.add(Row(SECTION, "raw pooled aiohttp GET", us(best["aiohttp"]), figure=best["aiohttp"]))
    for name, label in (
        ("httpx", "raw pooled httpx GET"),
        ("per call", "seed: an httpx client per call"),
    ):
        report.add(
            Row(
                SECTION,
                label,
                us(best[name]),
                f"aiohttp {us(best['aiohttp'])}",
                best[name] / best["aiohttp"],
                figure=best[name],
            )
        )
    report.add(
        Row(
            SECTION,
            "platform http tool call",
            us(best["platform"]),
            f"faster raw {us(faster)}",
            best["platform"] / faster,
            figure=best["platform"],
        )
    )
    report.add(
        Row(
            SECTION,
            "platform over raw pooled httpx (us)",
            us(best["platform"] - best["httpx"]),
            f"httpx {us(best['httpx'])}",
            figure=(best["platform"] - best["httpx"]) * 1e6,
        )
    )
    added = best["platform"] - faster
    report.add(
        Row(
            SECTION,
            "added over the faster raw client (us)",
            us(added),
            f"faster raw {us(faster)}",
            target=60.0,
            figure=added * 1e6,
        )
    )
