"""``ToolService.refresh``: list an ``mcp`` tool's server again and store what changed."""

from __future__ import annotations

import pytest

from domain.errors import InvalidToolDocument, McpServerUnavailable, NotFound
from entrypoints.container import Container
from entrypoints.local_mcp_server import LocalMcpServer
from tests.builders import CANARY, http_tool_document
from tests.integration.mcp_define.conftest import docs_document
from tests.integration.mcp_define.servers import (
    DESTRUCTIVE,
    READ_ONLY,
    count_docs,
    search_docs,
)
from tests.integration.mcp_define.test_define import served

SECRETS = {"token": CANARY}


async def defined(container: Container, local: LocalMcpServer) -> None:
    """Define ``docs`` from ``local`` (version 1)."""
    document = docs_document(local.url, transport=local.transport)
    assert (await container.tools().define(document, secrets=SECRETS)).tool.version == 1


async def test_refresh_stores_a_new_version_with_the_drift(
    platform: Container, docs_server: LocalMcpServer
) -> None:
    await defined(platform, docs_server)
    server = served(docs_server)
    server.add_tool(count_docs)
    server.remove_tool("delete_doc")
    server.schemas["search_docs"] = {
        "type": "object",
        "properties": {"query": {"type": "string", "minLength": 2}},
        "required": ["query"],
    }

    outcome = await platform.tools().refresh("docs", secrets=SECRETS)

    assert outcome.drift.added == ("count_docs",)
    assert outcome.drift.removed == ("delete_doc",)
    assert outcome.drift.changed == ("search_docs",)
    assert outcome.defined.changed
    tool = outcome.defined.tool
    assert tool.version == 2
    assert tool.function_names == ("search_docs", "count_docs")
    assert tool.function("search_docs").parameters["properties"]["query"]["minLength"] == 2
    assert [t.version for t in await platform.tools().versions("docs")] == [1, 2]


async def test_an_unchanged_server_makes_no_new_version(
    platform: Container, docs_server: LocalMcpServer
) -> None:
    await defined(platform, docs_server)

    outcome = await platform.tools().refresh("docs", secrets=SECRETS)

    assert not outcome.drift
    assert not outcome.defined.changed
    assert outcome.defined.tool.version == 1
    assert [t.version for t in await platform.tools().versions("docs")] == [1]


def remove_document(doc_id: str) -> str:
    """Remove a document."""
    return doc_id


async def test_a_changed_annotation_or_description_alone_is_drift(
    platform: Container, docs_server: LocalMcpServer
) -> None:
    await defined(platform, docs_server)
    server = served(docs_server)
    server.remove_tool("search_docs")
    server.add_tool(search_docs)  # the same schema and description, no annotations now
    server.remove_tool("delete_doc")
    server.add_tool(remove_document, name="delete_doc", annotations=DESTRUCTIVE)

    outcome = await platform.tools().refresh("docs", secrets=SECRETS)

    assert set(outcome.drift.changed) == {"search_docs", "delete_doc"}
    assert not outcome.drift.added
    assert not outcome.drift.removed
    tool = outcome.defined.tool
    assert tool.version == 2
    assert tool.function("delete_doc").description == "Remove a document."
    assert tool.to_document()["run"]["annotations"]["search_docs"] == {
        "readOnlyHint": None,
        "idempotentHint": None,
        "destructiveHint": None,
    }


async def test_a_reordered_listing_changes_nothing(
    platform: Container, docs_server: LocalMcpServer
) -> None:
    await defined(platform, docs_server)
    server = served(docs_server)
    server.remove_tool("search_docs")
    server.add_tool(search_docs, annotations=READ_ONLY)  # now listed after delete_doc

    outcome = await platform.tools().refresh("docs", secrets=SECRETS)

    assert not outcome.drift
    assert not outcome.defined.changed
    assert outcome.defined.tool.function_names == ("search_docs", "delete_doc")


async def test_refresh_of_a_server_that_is_down_changes_nothing(
    platform: Container, docs_server: LocalMcpServer
) -> None:
    await defined(platform, docs_server)
    await docs_server.__aexit__()

    with pytest.raises(McpServerUnavailable, match=f"MCP server {docs_server.url}: "):
        await platform.tools().refresh("docs", secrets=SECRETS)

    assert [t.version for t in await platform.tools().versions("docs")] == [1]


async def test_only_a_stored_mcp_tool_is_refreshed(platform: Container) -> None:
    await platform.tools().define(http_tool_document("weather"))

    with pytest.raises(InvalidToolDocument, match="kind: is 'http'; only mcp tools list a server"):
        await platform.tools().refresh("weather")
    with pytest.raises(NotFound, match="tool 'nothing' does not exist"):
        await platform.tools().refresh("nothing")
