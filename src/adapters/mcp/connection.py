"""``McpConnection``: one binding's MCP client session, held by a task of its own.

The MCP SDK's transports hold anyio task groups, which must be entered and left by the
same task; a session opens when an agent session starts and closes when it ends, in
other tasks. So each connection runs in its own task: it connects, hands the session
over, and waits to be told to close. Cancelling that task while it connects (a start
budget ran out) stops the connection attempt (and a stdio server) there.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from mcp.client.session import ClientSession

logger = logging.getLogger(__name__)

CLOSE_SECONDS = 5.0
"""How long closing a connection may take before its task is cancelled."""

Connect = Callable[[], AbstractAsyncContextManager[ClientSession]]
"""Opens the connection (``McpConnector.connect`` with its arguments bound)."""


class McpConnection:
    """A connected session and the task that holds it.

    Use :meth:`open`; close with :meth:`aclose`.
    """

    def __init__(self, task: asyncio.Task[None], session: ClientSession, closing: asyncio.Event):
        self._task = task
        self.session = session
        self._closing = closing

    @classmethod
    async def open(cls, connect: Connect) -> McpConnection:
        """Connect in a task of its own; return once the session is initialized.

        Cancelling the caller cancels the connection attempt (and waits for it to stop).

        Raises:
            McpServerUnavailable: When the connection cannot be made.
        """
        ready: asyncio.Future[ClientSession] = asyncio.get_running_loop().create_future()
        closing = asyncio.Event()
        task = asyncio.create_task(_hold(connect, ready, closing))
        try:
            session = await asyncio.shield(ready)
        except asyncio.CancelledError:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            raise
        return cls(task, session, closing)

    async def aclose(self) -> None:
        """Close the session (and stop a stdio server); never raises."""
        self._closing.set()
        done, _ = await asyncio.wait({self._task}, timeout=CLOSE_SECONDS)
        if not done:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)


async def _hold(
    connect: Connect, ready: asyncio.Future[ClientSession], closing: asyncio.Event
) -> None:
    try:
        async with connect() as session:
            ready.set_result(session)
            await closing.wait()
    except BaseException as error:
        if not ready.done():
            if isinstance(error, Exception):
                ready.set_exception(error)
            else:
                ready.cancel()
        if not isinstance(error, Exception):
            raise
        logger.debug("an MCP connection ended with %s", type(error).__name__)
