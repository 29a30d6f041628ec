"""``POST /tools/{name}/refresh``: an mcp tool listed again, the drift answered."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from entrypoints.local_mcp_server import LocalMcpServer
from tests.builders import CANARY, assert_no_secret, python_tool_document
from tests.integration.api.conftest import Api, bearer, user_token
from tests.integration.mcp_define.conftest import docs_document
from tests.integration.mcp_define.servers import DocsServer, count_docs
from tests.integration.mcp_define.test_define import served


@pytest.fixture
async def docs_server() -> AsyncIterator[LocalMcpServer]:
    async with LocalMcpServer(DocsServer(), "streamable_http", bearer_token=CANARY) as local:
        yield local


async def test_refresh_answers_the_drift_and_stores_the_new_version(
    api: Api, docs_server: LocalMcpServer
) -> None:
    document = docs_document(docs_server.url, transport=docs_server.transport)
    await api.container.tools().define(document, secrets={"token": CANARY})
    served(docs_server).add_tool(count_docs)
    writer = await api.as_key("tools:write")

    response = await api.client.post(
        "/tools/docs/refresh", json={"secrets": {"token": CANARY}}, headers=writer
    )

    assert response.status_code == 200
    assert response.json() == {"added": ["count_docs"], "removed": [], "changed": [], "version": 2}
    assert_no_secret(response.text)
    again = await api.client.post(
        "/tools/docs/refresh", json={"secrets": {"token": CANARY}}, headers=writer
    )
    assert again.json() == {"added": [], "removed": [], "changed": [], "version": 2}


async def test_refresh_needs_tools_write_and_an_mcp_tool(api: Api) -> None:
    await api.container.tools().define(python_tool_document("weather", {"echo": "echo"}))
    writer = await api.as_key("tools:write")

    refused = await api.client.post(
        "/tools/weather/refresh", json={}, headers=bearer(user_token("u1"))
    )
    not_mcp = await api.client.post("/tools/weather/refresh", json={}, headers=writer)

    assert refused.status_code == 403
    assert not_mcp.status_code == 422
    assert not_mcp.json()["errors"][0]["path"] == "kind"
