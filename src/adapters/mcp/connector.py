"""``McpConnector``: an initialized MCP client session to one server, for one binding.

The three transports of a :class:`~domain.tools.run_specs.McpServerSpec`:

- ``streamable_http`` and ``sse``: the URL and headers are rendered with the binding's
  config and secrets (the HTTP renderer's rules: a refused value sends nothing), and
  every request, the first and each one after, goes through the outbound guard
  (:meth:`adapters.http.pool.HttpClientPool.mcp_client`).
- ``stdio``: the command line is the operator's (``TOOL_PLATFORM_MCP_STDIO_COMMANDS``),
  found by the name the document gives; the child's environment is the MCP SDK's
  default safe variables (``HOME``, ``LOGNAME``, ``PATH``, ``SHELL``, ``TERM``,
  ``USER``) plus the document's rendered ``env`` entries: nothing else of the worker's
  environment. Its stderr is kept aside, and its last line names a failed start.

Connecting (the transport, then ``initialize``) is bounded by the server's
``timeout_seconds``. Every failure to connect is one :class:`McpServerUnavailable` whose
message says why in one line and holds no secret value.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import (
    AbstractAsyncContextManager,
    AsyncExitStack,
    asynccontextmanager,
    closing,
)
from typing import TextIO, cast

import httpx2
from mcp import types
from mcp.client._transport import TransportStreams
from mcp.client.session import ClientSession, IncomingMessage, MessageHandlerFnT
from mcp.client.sse import sse_client
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client

from adapters.executors.http_render import Values, render_request, render_text
from adapters.http.pool import HttpClientPool
from adapters.mcp.commands import StdioCommands
from adapters.mcp.failures import ConnectAttempt, unavailable
from domain.errors import McpServerUnavailable, NotFound, ToolFailure
from domain.injection import ConfigInjection
from domain.tools.run_specs import HttpRequestTemplate, McpServerSpec

CLIENT_INFO = types.Implementation(name="livekit-tool-platform", version="1")

ToolsChanged = Callable[[], None]
"""Called when the server says its tool list changed (``notifications/tools/list_changed``)."""


class McpConnector:
    """Opens MCP client sessions over the guarded HTTP clients and the operator's commands.

    Args:
        pool: The lifecycle's HTTP client pool (its ``mcp_client`` is the guarded factory).
        stdio_commands: The operator's command lines, by name.
    """

    def __init__(self, pool: HttpClientPool, stdio_commands: StdioCommands) -> None:
        self._pool = pool
        self._commands = dict(stdio_commands)

    def connect(
        self,
        server: McpServerSpec,
        injection: ConfigInjection,
        *,
        auth: httpx2.Auth | None = None,
        on_tools_changed: ToolsChanged | None = None,
    ) -> AbstractAsyncContextManager[ClientSession]:
        """Connect to ``server`` as ``injection``'s binding; yield an initialized session.

        Enter and exit the result in the same task (the SDK's transports hold task
        groups). Closing it closes the connection (and stops a stdio server).

        Args:
            server: The tool's server spec.
            injection: The binding whose config and secrets fill the headers or env.
            auth: An ``httpx2.Auth`` for every HTTP request (OAuth client credentials).
            on_tools_changed: Called when the server announces a changed tool list.

        Raises:
            McpServerUnavailable: On entering, when the server cannot be reached, refuses
                the credentials, fails or does not answer within ``timeout_seconds``, or
                its stdio command is not one of the operator's.
        """
        return self._session(server, injection, auth, on_tools_changed)

    @asynccontextmanager
    async def _session(
        self,
        server: McpServerSpec,
        injection: ConfigInjection,
        auth: httpx2.Auth | None,
        on_tools_changed: ToolsChanged | None,
    ) -> AsyncIterator[ClientSession]:
        attempt = ConnectAttempt(server, injection.secret_values())
        with closing(attempt):
            async with self._opened(server, injection, auth, on_tools_changed, attempt) as session:
                yield session

    @asynccontextmanager
    async def _opened(
        self,
        server: McpServerSpec,
        injection: ConfigInjection,
        auth: httpx2.Auth | None,
        on_tools_changed: ToolsChanged | None,
        attempt: ConnectAttempt,
    ) -> AsyncIterator[ClientSession]:
        stack = AsyncExitStack()
        try:
            async with asyncio.timeout(server.timeout_seconds):
                streams = await stack.enter_async_context(
                    self._transport(server, injection, auth, attempt)
                )
                session = await stack.enter_async_context(
                    ClientSession(
                        *streams,
                        client_info=CLIENT_INFO,
                        message_handler=_notifications(on_tools_changed),
                    )
                )
                await session.initialize()
        except BaseException as error:
            # A transport's task group cancels this task when its own task fails; its
            # exit turns that back into the failure. A cancellation from outside (a
            # start budget) stays one, after the transport and a stdio server stopped.
            closing = await _closed_after(stack, error)
            cancelled = isinstance(error, asyncio.CancelledError) and closing is None
            if cancelled or isinstance(closing, asyncio.CancelledError):
                raise
            if not isinstance(error, Exception | BaseExceptionGroup | asyncio.CancelledError):
                raise
            raise unavailable(attempt, error, closing) from None
        try:
            yield session
        finally:
            await stack.aclose()

    def _transport(
        self,
        server: McpServerSpec,
        injection: ConfigInjection,
        auth: httpx2.Auth | None,
        attempt: ConnectAttempt,
    ) -> AbstractAsyncContextManager[TransportStreams]:
        if server.transport == "stdio":
            parameters = self._stdio_parameters(server, injection)
            return stdio_client(parameters, errlog=cast("TextIO", attempt.errlog()))
        url, headers = _rendered_address(server, injection)

        def client(
            headers: dict[str, str] | None = None,
            timeout: httpx2.Timeout | None = None,
            auth: httpx2.Auth | None = None,
        ) -> httpx2.AsyncClient:
            built = self._pool.mcp_client(headers, timeout, auth)
            built.event_hooks["response"].append(attempt.observe)
            return built

        timeout = httpx2.Timeout(server.timeout_seconds, read=server.sse_read_timeout_seconds)
        if server.transport == "sse":
            return sse_client(
                url,
                headers=headers,
                timeout=server.timeout_seconds,
                sse_read_timeout=server.sse_read_timeout_seconds,
                httpx_client_factory=client,
                auth=auth,
            )
        return _owning(client(headers, timeout, auth), url)

    def _stdio_parameters(
        self, server: McpServerSpec, injection: ConfigInjection
    ) -> StdioServerParameters:
        line = self._commands.get(server.command or "")
        if line is None:
            known = ", ".join(sorted(self._commands)) or "none"
            raise McpServerUnavailable(
                f"the stdio command {server.command!r} is not one of the operator's "
                f"(TOOL_PLATFORM_MCP_STDIO_COMMANDS names: {known})"
            )
        return StdioServerParameters(
            command=line[0], args=list(line[1:]), env=rendered_env(server.env, injection)
        )


async def _closed_after(stack: AsyncExitStack, error: BaseException) -> BaseException | None:
    """Unwind ``stack`` after ``error``; return what the unwinding raised (the cause, often)."""
    try:
        await stack.__aexit__(type(error), error, error.__traceback__)
    except BaseException as raised:
        return raised
    return None


@asynccontextmanager
async def _owning(client: httpx2.AsyncClient, url: str) -> AsyncIterator[TransportStreams]:
    """The streamable HTTP transport over ``client``, closing the client after it."""
    async with client, streamable_http_client(url, http_client=client) as streams:
        yield streams


def _rendered_address(
    server: McpServerSpec, injection: ConfigInjection
) -> tuple[str, dict[str, str]]:
    """The server's URL and headers with the binding's config and secrets.

    Raises:
        McpServerUnavailable: When a value cannot go where the template puts it, or the
            binding lacks a secret the headers name.
    """
    template = HttpRequestTemplate(url=server.url or "", headers=server.headers)
    try:
        rendered = render_request(template, Values({}, injection.config, injection.secret))
    except (ToolFailure, NotFound) as refused:
        raise McpServerUnavailable(str(refused)) from None
    return rendered.full_url, rendered.headers


def rendered_env(env: Mapping[str, str], injection: ConfigInjection) -> dict[str, str]:
    """A stdio server's document ``env`` entries with the binding's config and secrets.

    An entry whose config value is absent is left out.

    Raises:
        McpServerUnavailable: When the binding lacks a secret an entry names, or a value
            holds a NUL character (no environment can carry it).
    """
    values = Values({}, injection.config, injection.secret)
    rendered: dict[str, str] = {}
    for name, template in env.items():
        try:
            value = render_text(template, values)
        except NotFound as missing:
            raise McpServerUnavailable(str(missing)) from None
        if value is None:
            continue
        if "\x00" in value:
            raise McpServerUnavailable(f"the env entry {name} holds a NUL character")
        rendered[name] = value
    return rendered


def _notifications(on_tools_changed: ToolsChanged | None) -> MessageHandlerFnT:
    async def handle(message: IncomingMessage) -> None:
        if on_tools_changed is not None and isinstance(message, types.ToolListChangedNotification):
            on_tools_changed()

    return handle


async def list_server_tools(session: ClientSession) -> list[types.Tool]:
    """Every tool the server lists, following its pagination cursors.

    Raises:
        McpServerUnavailable: When the server answers with an error or repeats a cursor.
    """
    tools: list[types.Tool] = []
    cursor: str | None = None
    seen: set[str] = set()
    while True:
        params = types.PaginatedRequestParams(cursor=cursor) if cursor else None
        try:
            page = await session.list_tools(params=params)
        except Exception as error:
            raise McpServerUnavailable(
                f"the server could not list its tools ({type(error).__name__})"
            ) from None
        tools.extend(page.tools)
        cursor = page.next_cursor
        if not cursor:
            return tools
        if cursor in seen:
            raise McpServerUnavailable("the server's tool list repeats a page (a cursor loop)")
        seen.add(cursor)
