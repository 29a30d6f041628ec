"""Function names of listed ``mcp`` tools: collisions refused at bind, settled at load.

Two tools listed from two real servers; the second server offers ``search_docs`` too.
The load-time rule (docs/architecture.md, "Loading a toolset"): the binding made first
keeps a name, and the later tool's function is left out with a reason naming the keeper.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from domain.errors import Conflict
from entrypoints.container import Container
from entrypoints.local_mcp_server import LocalMcpServer
from tests.builders import CANARY
from tests.integration.mcp_define.conftest import docs_document
from tests.integration.mcp_define.servers import DocsServer, count_docs, search_docs
from tests.integration.mcp_define.test_define import served

SECRETS = {"token": CANARY}


@pytest.fixture
async def archive_server() -> AsyncIterator[LocalMcpServer]:
    """A second server that offers ``count_docs`` only (until a test adds more)."""
    server = DocsServer()
    server.remove_tool("search_docs")
    server.remove_tool("delete_doc")
    server.add_tool(count_docs)
    async with LocalMcpServer(server, bearer_token=CANARY) as local:
        yield local


async def desk_bound_to_docs(
    container: Container, docs: LocalMcpServer, archive: LocalMcpServer
) -> None:
    """Define ``docs`` and ``archive`` from their servers; bind agent ``desk`` to ``docs``."""
    tools = container.tools()
    await tools.define(docs_document(docs.url, transport=docs.transport), secrets=SECRETS)
    await tools.define(docs_document(archive.url, name="archive"), secrets=SECRETS)
    await container.agents().create("desk")
    await container.bindings().bind("desk", "docs", secrets=SECRETS)


async def test_a_listed_name_colliding_with_another_function_of_the_agent_is_refused_at_bind(
    platform: Container, docs_server: LocalMcpServer, archive_server: LocalMcpServer
) -> None:
    served(archive_server).add_tool(search_docs)
    await desk_bound_to_docs(platform, docs_server, archive_server)

    with pytest.raises(
        Conflict, match=r"agent 'desk' already has functions named search_docs \(from tool 'docs'\)"
    ):
        await platform.bindings().bind("desk", "archive", secrets=SECRETS)

    await platform.bindings().bind("desk", "archive", secrets=SECRETS, functions=["count_docs"])


async def test_a_collision_a_refresh_brings_is_settled_at_load_for_the_earlier_binding(
    platform: Container, docs_server: LocalMcpServer, archive_server: LocalMcpServer
) -> None:
    await desk_bound_to_docs(platform, docs_server, archive_server)
    await platform.bindings().bind("desk", "archive", secrets=SECRETS)
    served(archive_server).add_tool(search_docs)
    refreshed = await platform.tools().refresh("archive", secrets=SECRETS)
    assert refreshed.drift.added == ("search_docs",)

    toolset = await platform.toolsets().load("desk")

    offered = [(f.tool.name, f.schema.name) for f in toolset.functions]
    assert offered == [("docs", "search_docs"), ("docs", "delete_doc"), ("archive", "count_docs")]
    [left] = toolset.left_out
    assert (left.tool_name, left.function) == ("archive", "search_docs")
    assert left.reason == "the name is already taken by tool 'docs', bound earlier"
