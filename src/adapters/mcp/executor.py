"""``McpFunctionExecutor``: runs ``mcp`` tools, one client session per bound tool.

When a session opens, each binding of an ``mcp`` tool gets its own MCP client session
(its own headers, environment, secrets, token), all concurrently, each bounded by the
start budget (``TOOL_PLATFORM_MCP_START_BUDGET_SECONDS``): a server that is down,
refuses the credentials, hangs or crashes at start is left out with one logged reason,
its hung connection cancelled, and the agent starts with the rest. Each session lists
the server's tools and leaves out the functions it changed (:mod:`adapters.mcp.drift`).

A call goes to the remote tool of the function's name, within the call's deadline, and
its result is mapped for the model (:mod:`adapters.mcp.results`). A session that drops
in the middle of a call fails that call with an unknown outcome and is reopened once,
for the next call. A server's ``notifications/tools/list_changed`` is logged; the
session keeps the tools it started with.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

import anyio
import httpx2
from mcp import types
from mcp.shared.exceptions import MCPError

from adapters.executors.http_auth import OAuthTokens
from adapters.http.pool import HttpClientPool
from adapters.mcp.auth import OAuthBearer
from adapters.mcp.connection import McpConnection
from adapters.mcp.connector import McpConnector, list_server_tools
from adapters.mcp.drift import drifted
from adapters.mcp.results import model_output
from application.ports import FunctionExecutor, OpenExecutor, ToolCall
from domain.call_status import CallStatus
from domain.errors import McpServerUnavailable, ToolFailure
from domain.injection import ConfigInjection
from domain.json_types import JsonValue
from domain.tools.auth import OAUTH2_CLIENT_CREDENTIALS
from domain.tools.definition import ToolDefinition
from domain.tools.kinds import ToolKind
from domain.tools.run_specs import McpRunSpec, McpServerSpec
from domain.toolset import AgentToolset, LeftOut, ToolsetFunction

logger = logging.getLogger(__name__)

DROPPED = (anyio.ClosedResourceError, anyio.BrokenResourceError, httpx2.TransportError, OSError)
"""What a call raises when the connection under it broke."""


class McpFunctionExecutor(FunctionExecutor):
    """Runs ``mcp`` tools.

    Args:
        connector: Opens the client sessions.
        pool: The lifecycle's HTTP pool (OAuth tokens are fetched through its client).
        start_budget_seconds: How long each server may take to open when a session starts.
    """

    def __init__(
        self, connector: McpConnector, pool: HttpClientPool, start_budget_seconds: float
    ) -> None:
        self._connector = connector
        self._pool = pool
        self._budget = start_budget_seconds

    @property
    def kind(self) -> ToolKind:
        """Runs ``mcp`` tools."""
        return ToolKind.MCP

    async def open(self, toolset: AgentToolset) -> OpenExecutor:
        """Open one client session per bound ``mcp`` tool, concurrently, each within budget."""
        tokens = OAuthTokens(self._pool.client())
        by_binding: dict[str, list[ToolsetFunction]] = {}
        for function in toolset.functions:
            if function.tool.kind is ToolKind.MCP:
                by_binding.setdefault(function.binding_id, []).append(function)
        servers = [
            BindingServer(self._connector, functions, toolset.injection_for(functions[0]), tokens)
            for functions in by_binding.values()
        ]
        left_out = await asyncio.gather(*(server.start(self._budget) for server in servers))
        return McpSession(
            {server.binding_id: server for server in servers},
            [left for lefts in left_out for left in lefts],
            tokens,
        )


class McpSession(OpenExecutor):
    """The ``mcp`` executor opened for one session: a server connection per binding.

    Args:
        servers: Binding id -> its server.
        left_out: What could not open, or was changed on the server.
        tokens: The session's OAuth tokens.
    """

    def __init__(
        self, servers: dict[str, BindingServer], left_out: list[LeftOut], tokens: OAuthTokens
    ) -> None:
        self._servers = servers
        self._left_out = tuple(left_out)
        self._tokens = tokens

    @property
    def left_out(self) -> Sequence[LeftOut]:
        """The bindings that could not open, and the functions their servers changed."""
        return self._left_out

    async def execute(self, call: ToolCall) -> JsonValue:
        """Call the remote tool and map its result for the model."""
        return await self._servers[call.function.binding_id].call(call)

    async def aclose(self) -> None:
        """Close every server connection (stopping stdio servers) and forget the tokens."""
        await asyncio.gather(*(server.aclose() for server in self._servers.values()))
        self._tokens.clear()


class BindingServer:
    """One binding's MCP server for the session: its connection, reopened once if it drops.

    Args:
        connector: Opens the connection.
        functions: The binding's functions in the toolset.
        injection: The binding's config and secrets.
        tokens: The session's OAuth tokens.
    """

    def __init__(
        self,
        connector: McpConnector,
        functions: Sequence[ToolsetFunction],
        injection: ConfigInjection,
        tokens: OAuthTokens,
    ) -> None:
        self.binding_id = injection.binding_id
        self._connector = connector
        self._functions = tuple(functions)
        self._tool: ToolDefinition = functions[0].tool
        run = self._tool.run
        assert isinstance(run, McpRunSpec)  # the executor groups mcp functions only
        self._server: McpServerSpec = run.server
        self._injection = injection
        self._auth = (
            OAuthBearer(tokens, injection, self._tool.auth_config)
            if self._tool.auth_type == OAUTH2_CLIENT_CREDENTIALS
            else None
        )
        self._connection: McpConnection | None = None
        self._broken: McpConnection | None = None
        self._reopened = False
        self._unavailable: str | None = None
        self._lock = asyncio.Lock()

    def __repr__(self) -> str:
        return f"BindingServer(tool={self._tool.name!r}, server={self._server.address!r})"

    async def start(self, budget_seconds: float) -> list[LeftOut]:
        """Connect and list the server's tools within ``budget_seconds``.

        Returns:
            What to leave out: the whole binding when the server did not open (the
            reason logged), or the functions the server changed.
        """
        try:
            async with asyncio.timeout(budget_seconds):
                self._connection = await McpConnection.open(self._connect)
                listed = await list_server_tools(self._connection.session)
        except TimeoutError:
            reason = (
                f"MCP server {self._server.address}: did not open within the start budget "
                f"(TOOL_PLATFORM_MCP_START_BUDGET_SECONDS={budget_seconds:g}); its "
                "connection was cancelled"
            )
            return await self._left_out_whole(reason)
        except McpServerUnavailable as unavailable:
            return await self._left_out_whole(str(unavailable))
        left = drifted(self._functions, listed)
        for function in left:
            logger.warning("MCP function left out of the session: %s", function)
        return left

    async def _left_out_whole(self, reason: str) -> list[LeftOut]:
        await self.aclose()
        self._unavailable = reason
        logger.warning("MCP tool left out of the session: %s: %s", self._tool.name, reason)
        return [LeftOut(self._tool.name, self.binding_id, reason)]

    def _connect(self) -> Any:
        return self._connector.connect(
            self._server, self._injection, auth=self._auth, on_tools_changed=self._tools_changed
        )

    def _tools_changed(self) -> None:
        logger.info(
            "MCP server %s says its tool list changed; this session keeps the tools it "
            "started with, the next one checks them again (run `tools refresh %s` to "
            "take the change)",
            self._server.address,
            self._tool.name,
        )

    async def call(self, call: ToolCall) -> JsonValue:
        """Call the function's remote tool; reopen a dropped session once, first.

        Raises:
            ToolFailure: ``tool_error`` for the server's own error (``isError``, or a
                refusal), ``timeout_outcome_unknown`` when the session dropped or the
                server did not answer in time, ``unavailable`` when it cannot be reopened.
        """
        name = call.function.name
        call.details.server = self._server.address
        call.details.remote_tool = name
        connection = await self._usable()
        try:
            result = await connection.session.call_tool(
                name, dict(call.arguments), read_timeout_seconds=_remaining(call.deadline)
            )
        except MCPError as error:
            raise self._call_error(connection, name, error) from None
        except DROPPED as error:
            raise self._dropped(connection, name, type(error).__name__) from None
        if not isinstance(result, types.CallToolResult):
            raise ToolFailure(f"the MCP server answered {name} with a result it cannot use")
        return model_output(result)

    async def _usable(self) -> McpConnection:
        async with self._lock:
            if self._connection is not None:
                return self._connection
            if self._unavailable is not None or self._reopened:
                raise ToolFailure(
                    f"the MCP server of {self._tool.name} is unavailable for this session",
                    status=CallStatus.UNAVAILABLE,
                )
            self._reopened = True
            await self._close_broken()
            try:
                self._connection = await McpConnection.open(self._connect)
                listed = await list_server_tools(self._connection.session)
            except McpServerUnavailable as unavailable:
                self._unavailable = str(unavailable)
                await self.aclose()
                logger.warning("reopening a dropped MCP session failed: %s", unavailable)
                raise ToolFailure(
                    f"the MCP server of {self._tool.name} could not be reached again",
                    status=CallStatus.UNAVAILABLE,
                ) from None
            changed = drifted(self._functions, listed)
            if changed:
                self._unavailable = "; ".join(str(left) for left in changed)
                await self.aclose()
                raise ToolFailure(
                    f"the MCP server of {self._tool.name} changed its tools; they are "
                    "unavailable for this session",
                    status=CallStatus.UNAVAILABLE,
                )
            logger.info("reopened the dropped MCP session of %s", self._server.address)
            return self._connection

    def _call_error(self, connection: McpConnection, name: str, error: MCPError) -> ToolFailure:
        if error.code == types.CONNECTION_CLOSED:
            return self._dropped(connection, name, "connection closed")
        if error.code == types.REQUEST_TIMEOUT:
            return ToolFailure(
                f"the MCP server did not answer {name} in time; its outcome is unknown",
                status=CallStatus.TIMEOUT_OUTCOME_UNKNOWN,
            )
        return ToolFailure(f"the MCP server refused the call of {name}: {error.message}")

    def _dropped(self, connection: McpConnection, name: str, why: str) -> ToolFailure:
        if self._connection is connection:
            self._connection = None
            self._broken = connection
        logger.warning(
            "MCP session of %s dropped during a call of %s (%s)", self._server.address, name, why
        )
        return ToolFailure(
            f"the connection to the MCP server dropped during the call of {name}; "
            "its outcome is unknown",
            status=CallStatus.TIMEOUT_OUTCOME_UNKNOWN,
        )

    async def _close_broken(self) -> None:
        broken, self._broken = self._broken, None
        if broken is not None:
            await broken.aclose()

    async def aclose(self) -> None:
        """Close the connection (and a dropped one not yet closed)."""
        connection, self._connection = self._connection, None
        await self._close_broken()
        if connection is not None:
            await connection.aclose()


def _remaining(deadline: float | None) -> float | None:
    if deadline is None:
        return None
    return max(deadline - asyncio.get_running_loop().time(), 0.001)
