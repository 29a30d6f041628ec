"""``McpConnector``: initialized sessions over the three transports, one line per failure."""

from __future__ import annotations

import os
import time
from typing import Any

import pytest

from adapters.http.allowlist import OutboundAllowlist
from adapters.http.guard import OutboundGuard
from adapters.http.pool import HttpClientPool
from adapters.mcp.connector import McpConnector, list_server_tools
from domain.errors import McpServerUnavailable
from domain.injection import ConfigInjection
from domain.secrets import Secret
from domain.tools.run_specs import McpServerSpec
from tests.integration.http.servers import ScriptedResolver
from tests.integration.mcp.conftest import TOKENS
from tests.integration.mcp.servers import McpServerProcess, SilentServer, free_port

ALICE, BOB, _ = list(TOKENS)
SERVER_TOOLS = {"add", "calls", "whoami", "authorization", "fail", "weather", "picture", "links"}


def _injection(secrets: dict[str, str] | None = None, **config: Any) -> ConfigInjection:
    return ConfigInjection(
        "agent-1",
        "binding-1",
        "remote",
        1,
        config,
        {name: Secret(value) for name, value in (secrets or {}).items()},
    )


def _bearer(url: str, transport: str = "streamable_http", **fields: Any) -> McpServerSpec:
    return McpServerSpec(
        url=url,
        transport=transport,  # type: ignore[arg-type]
        headers={"Authorization": "Bearer {secrets.token}"},
        **fields,
    )


@pytest.mark.parametrize("which", ["http", "sse"])
async def test_each_binding_connects_with_its_own_rendered_headers(
    connector: McpConnector,
    which: str,
    request: pytest.FixtureRequest,
) -> None:
    server: McpServerProcess = request.getfixturevalue(f"{which}_server")
    spec = _bearer(server.url, "sse" if which == "sse" else "streamable_http")
    holders = []
    for token in (ALICE, BOB):
        async with connector.connect(spec, _injection({"token": token})) as session:
            result = await session.call_tool("whoami", {})
            holders.append(result.content[0].text)  # type: ignore[union-attr]
            listed = {tool.name for tool in await list_server_tools(session)}

    assert holders == ["alice", "bob"]
    assert listed >= SERVER_TOOLS


async def test_a_stdio_server_runs_the_operators_command_with_only_safe_and_document_env(
    connector: McpConnector, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOOGLE_API_KEY", "canary-google-key-5e1d")
    monkeypatch.setenv("TOOL_PLATFORM_SECRET_KEYS", "k1:canary-platform-key")
    spec = McpServerSpec(
        transport="stdio",
        command="tests",
        env={
            "LOCAL_TIMEZONE": "{config.tz}",
            "API_TOKEN": "{secrets.token}",
            "UNSET": "{config.x}",
        },
    )

    injection = _injection({"token": "stdio-token"}, tz="Europe/Paris")
    async with connector.connect(spec, injection) as session:
        result = await session.call_tool("environment", {})

    environment = result.structured_content
    assert isinstance(environment, dict)
    assert environment["LOCAL_TIMEZONE"] == "Europe/Paris"
    assert environment["API_TOKEN"] == "stdio-token"
    assert "UNSET" not in environment
    assert "GOOGLE_API_KEY" not in environment
    assert "TOOL_PLATFORM_SECRET_KEYS" not in environment
    allowed = {"HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER", "LOCAL_TIMEZONE", "API_TOKEN"}
    # the interpreter itself may add a few of its own (LC_CTYPE on some systems)
    assert set(environment) - allowed <= {"LC_CTYPE"}
    assert environment.get("PATH") == os.environ.get("PATH")


async def test_an_unknown_stdio_command_is_refused_naming_the_known_ones(
    connector: McpConnector,
) -> None:
    spec = McpServerSpec(transport="stdio", command="python3")

    with pytest.raises(McpServerUnavailable) as refused:
        async with connector.connect(spec, _injection()):
            pass

    assert str(refused.value) == (
        "MCP server stdio:python3: the stdio command 'python3' is not one of the operator's "
        "(TOOL_PLATFORM_MCP_STDIO_COMMANDS names: crashes, hangs, tests)"
    )


async def test_a_server_that_is_down_is_one_line(connector: McpConnector) -> None:
    url = f"http://127.0.0.1:{free_port()}/mcp"

    with pytest.raises(McpServerUnavailable) as refused:
        async with connector.connect(McpServerSpec(url=url), _injection()):
            pass

    assert str(refused.value) == (
        f"MCP server {url}: could not connect (nothing is listening, or the host is unreachable)"
    )


@pytest.mark.parametrize("which", ["http", "sse"])
async def test_a_refused_token_names_the_status_and_never_the_token(
    connector: McpConnector, which: str, request: pytest.FixtureRequest
) -> None:
    server: McpServerProcess = request.getfixturevalue(f"{which}_server")
    spec = _bearer(server.url, "sse" if which == "sse" else "streamable_http")
    canary = "canary-wrong-token-77c2"

    with pytest.raises(McpServerUnavailable) as refused:
        async with connector.connect(spec, _injection({"token": canary})):
            pass

    assert str(refused.value) == f"MCP server {server.url}: refused the credentials (HTTP 401)"


async def test_a_server_that_hangs_at_initialize_times_out_and_is_closed(
    connector: McpConnector,
) -> None:
    async with SilentServer() as silent:
        spec = McpServerSpec(url=silent.url(), timeout_seconds=0.5)
        started = time.monotonic()
        with pytest.raises(McpServerUnavailable) as refused:
            async with connector.connect(spec, _injection()):
                pass
        elapsed = time.monotonic() - started

    assert str(refused.value) == (
        f"MCP server {silent.url()}: did not answer within its timeout_seconds (0.5 s)"
    )
    assert elapsed < 5
    assert silent.accepted >= 1


async def test_a_stdio_server_that_hangs_is_stopped_at_its_timeout(
    connector: McpConnector,
) -> None:
    spec = McpServerSpec(transport="stdio", command="hangs", timeout_seconds=0.5)

    with pytest.raises(McpServerUnavailable) as refused:
        async with connector.connect(spec, _injection()):
            pass

    assert "did not answer within its timeout_seconds (0.5 s)" in str(refused.value)


async def test_a_stdio_server_that_exits_at_start_quotes_its_last_stderr_line(
    connector: McpConnector,
) -> None:
    spec = McpServerSpec(transport="stdio", command="crashes")

    with pytest.raises(McpServerUnavailable) as refused:
        async with connector.connect(spec, _injection()):
            pass

    assert str(refused.value) == (
        "MCP server stdio:crashes: the server stopped while starting; "
        "its last stderr line: boom: no config"
    )


async def test_a_header_secret_missing_from_the_binding_is_named_not_sent(
    connector: McpConnector, http_server: McpServerProcess
) -> None:
    with pytest.raises(McpServerUnavailable) as refused:
        async with connector.connect(_bearer(http_server.url), _injection()):
            pass

    assert "binding has no secret 'token'" in str(refused.value)


async def test_the_outbound_guard_refuses_a_server_it_does_not_admit() -> None:
    from adapters.http.allowlist import OutboundAllowlist
    from adapters.http.guard import OutboundGuard
    from adapters.http.pool import HttpClientPool

    pool = HttpClientPool(OutboundGuard(OutboundAllowlist.parse([])))
    connector = McpConnector(pool, {})
    try:
        with pytest.raises(McpServerUnavailable) as refused:
            async with connector.connect(McpServerSpec(url="http://127.0.0.1:9/mcp"), _injection()):
                pass
    finally:
        await pool.aclose()

    assert str(refused.value).startswith(
        "MCP server http://127.0.0.1:9/mcp: refused by the outbound guard ("
    )


async def test_a_session_sends_its_requests_over_one_kept_connection(
    http_server: McpServerProcess,
) -> None:
    resolver = ScriptedResolver({"localhost": [["127.0.0.1"]]})
    pool = HttpClientPool(OutboundGuard(OutboundAllowlist.parse(["localhost"]), resolver=resolver))
    spec = _bearer(f"http://localhost:{http_server.port}/mcp")
    try:
        async with McpConnector(pool, {}).connect(spec, _injection({"token": ALICE})) as session:
            await list_server_tools(session)
            for _ in range(5):
                await session.call_tool("whoami", {})
    finally:
        await pool.aclose()

    # Each connection resolves the name once. Ten requests (initialize, its notification,
    # the list, five calls, the session's DELETE, the server's event stream: a GET held
    # open) over three connections at most: the event stream's, the requests' and a
    # second one when a request starts while the previous one's connection is still
    # reading the end of its response (the notification right after initialize).
    assert len(resolver.lookups) <= 3
