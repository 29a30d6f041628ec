"""``oauth2_client_credentials`` on an MCP server, as for ``http`` tools."""

from __future__ import annotations

import json

from tests.integration.http_tools.upstream import Upstream
from tests.integration.mcp.conftest import McpTools, listed_functions, mcp_document
from tests.integration.mcp.servers import McpServerProcess

CLIENT_SECRET = "canary-client-secret-2b9d"


async def test_the_token_goes_through_the_guard_is_cached_refreshed_on_401_and_never_shown(
    mcp_tools: McpTools,
) -> None:
    # The token endpoint issues token-1, token-2...; the server accepts only token-2, so
    # the first token is answered 401 and a fresh one is fetched.
    async with Upstream() as upstream:
        with McpServerProcess("http", {"token-2": "oauth-client"}) as server:
            listing = {"url": server.url, "headers": {"Authorization": "Bearer token-2"}}
            functions = await listed_functions(listing, ["whoami", "add", "authorization"])
            document = mcp_document(
                "secured",
                {"url": server.url},
                functions,
                secret_names=("client_id", "client_secret"),
                auth_type="oauth2_client_credentials",
                auth_config={"token_url": f"{upstream.base_url}/token", "scopes": ["mcp"]},
            )
            secrets = {"client_id": "platform", "client_secret": CLIENT_SECRET}
            await mcp_tools.define_and_bind(document, secrets=secrets)
            async with await mcp_tools.open() as session:
                who = await session.call("whoami", {}, call_id="c1")
                added = await session.call("add", {"a": 1, "b": 1}, call_id="c2")
                echoed = await session.call("authorization", {}, call_id="c3")

    assert json.loads(who.output) == {"result": "oauth-client"}
    assert json.loads(added.output) == {"result": 2}
    assert len(upstream.token_requests) == 2  # token-1 refused, token-2 kept for the session
    assert b"scope=mcp" in upstream.token_requests[0].body
    assert CLIENT_SECRET not in who.output
    # the server echoed the token it received: the model gets it masked
    assert json.loads(echoed.output) == {"result": "Bearer ********"}
