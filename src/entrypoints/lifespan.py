"""One lifecycle for resources: what a CLI command, a worker job or the demo opens and closes.

Everything tied to an event loop (the database engine, the pooled HTTP client, later
MCP connections) is opened inside :func:`lifespan` and closed when it ends, in reverse
order, on the loop that opened it; nothing is opened at import or when the container is
built. Tool sessions opened inside it are closed by their own ``async with``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from domain.agents import VoiceAgent
from entrypoints.container import Container


@asynccontextmanager
async def lifespan(container: Container) -> AsyncIterator[Container]:
    """Open the container's resources for the duration of the block.

    The call audit's writer starts after storage opens and, when the block ends, stores
    what is queued (within ``TOOL_PLATFORM_AUDIT_FLUSH_SECONDS``) before storage closes;
    tracing, when ``OTEL_*`` variables configure it, exports what is pending first.

    Args:
        container: The container whose storage and audit writer to open; its HTTP client
            pool, built by the first request a command sends, is closed last.

    Yields:
        The container, its resources open.
    """
    async with AsyncExitStack() as stack:
        stack.push_async_callback(container.to_close().aclose)  # the HTTP pool, if built
        storage = container.storage()
        await storage.open()
        stack.push_async_callback(storage.close)
        writer = container.audit_writer()
        writer.start()
        stack.push_async_callback(writer.aclose)
        tracing = container.tracing()
        if tracing is not None:
            stack.callback(tracing.shutdown)
        yield container


def trace_livekit_for(container: Container, agent: VoiceAgent) -> None:
    """When tracing is on, LiveKit's own spans export too, payloads as ``agent`` allows."""
    tracing = container.tracing()
    if tracing is not None:
        tracing.install_for_livekit(agent.audit_payloads)
