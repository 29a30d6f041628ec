"""One lifecycle for resources: what a CLI command, a worker job or the demo opens and closes.

Everything tied to an event loop (the database engine, the pooled HTTP client, later
MCP connections) is opened inside :func:`lifespan` and closed when it ends, in reverse
order, on the loop that opened it; nothing is opened at import or when the container is
built. Tool sessions opened inside it are closed by their own ``async with``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from entrypoints.container import Container


@asynccontextmanager
async def lifespan(container: Container) -> AsyncIterator[Container]:
    """Open the container's resources for the duration of the block.

    The call audit's writer starts after storage opens and, when the block ends, stores
    what is queued (within ``TOOL_PLATFORM_AUDIT_FLUSH_SECONDS``) before storage closes.

    Args:
        container: The container whose storage, HTTP client pool and audit writer to open.

    Yields:
        The container, its resources open.
    """
    async with AsyncExitStack() as stack:
        stack.push_async_callback(container.http_pool().aclose)
        storage = container.storage()
        await storage.open()
        stack.push_async_callback(storage.close)
        writer = container.audit_writer()
        writer.start()
        stack.push_async_callback(writer.aclose)
        yield container
