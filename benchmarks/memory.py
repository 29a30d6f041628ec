"""Item 5, memory: 200 concurrent sessions of one agent on SQL storage.

Each session is what a worker job opens: the toolset loaded, then a ``ToolSession``
opened on it, all 200 at once and kept open. ``tracemalloc`` measures what they hold
together; the proof of sharing counts distinct objects across the sessions: one
``FunctionSchema`` (with its compiled validator) per function version, not per session.
"""

from __future__ import annotations

import asyncio
import gc
import tracemalloc
from contextlib import AsyncExitStack

from benchmarks.catalog import tool_documents
from benchmarks.environment import open_platform, settings_for
from benchmarks.report import Report, Row

SECTION = "memory"


async def run(
    report: Report, backend: str, database_url: str, sessions: int, functions: int
) -> None:
    """Open ``sessions`` sessions of a ``functions``-function agent; add the rows."""
    async with open_platform(settings_for(database_url)) as container:
        tools = container.tools()
        names = []
        for document in tool_documents(functions * 3):
            if not (await tools.define(document, allow_incompatible=True)).incompatible:
                names.append(document["name"])
        agent = await container.agents().create("popular")
        for name in names[:functions]:
            await container.bindings().bind(agent.id, name)
        loader, opener = container.toolsets(), container.tool_sessions()

        async def one_session(stack: AsyncExitStack) -> object:
            return await stack.enter_async_context(await opener.open(await loader.load(agent.id)))

        async with AsyncExitStack() as warm:
            await one_session(warm)  # the process has read every version once
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.take_snapshot()
        async with AsyncExitStack() as stack:
            opened = await asyncio.gather(*(one_session(stack) for _ in range(sessions)))
            gc.collect()
            after = tracemalloc.take_snapshot()
            held = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
            schemas = {id(f.stored.schema) for s in opened for f in s.functions}  # type: ignore[attr-defined]
            validators = {id(f.stored.schema._arguments) for s in opened for f in s.functions}  # type: ignore[attr-defined]
            offered = sum(len(s.functions) for s in opened)  # type: ignore[attr-defined]
        tracemalloc.stop()
    report.add(
        Row(
            SECTION,
            f"{backend}, {sessions} sessions of {functions} functions: bytes per session",
            f"{held / sessions / 1024:.1f} KiB",
            f"{held / 2**20:.1f} MiB in all",
            figure=held / sessions,
        )
    )
    report.add(
        Row(
            SECTION,
            f"{backend}: distinct FunctionSchema objects across the sessions",
            str(len(schemas)),
            f"{offered} functions offered in all; {len(validators)} validators",
            target=functions,
            figure=len(schemas),
        )
    )
