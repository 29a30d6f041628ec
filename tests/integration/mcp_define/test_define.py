"""``ToolService.define`` of ``mcp`` tools: listed from a real server, or offline.

The server is the ``mcp`` package's own, over streamable HTTP and SSE (every test that
takes ``docs_server`` runs once per transport), and over stdio run with the venv's Python.
"""

from __future__ import annotations

import logging
import socket
from typing import Any

import pytest

from domain.errors import BindingMisfit, InvalidArguments, InvalidToolDocument, McpServerUnavailable
from entrypoints.container import Container
from entrypoints.lifespan import lifespan
from entrypoints.local_mcp_server import LocalMcpServer
from tests.builders import CANARY, assert_no_secret, function_doc, http_tool_document
from tests.integration.mcp_define.conftest import docs_document, platform_settings
from tests.integration.mcp_define.servers import DocsServer, count_docs


def served(local: LocalMcpServer) -> DocsServer:
    """The :class:`DocsServer` behind ``local``."""
    assert isinstance(local.server, DocsServer)
    return local.server


async def stored(container: Container, name: str = "docs") -> dict[str, Any]:
    """The latest stored version of a tool, as its document."""
    return (await container.tools().show(name)).to_document()


async def test_define_lists_the_servers_tools_and_stores_their_schemas_and_annotations(
    platform: Container, docs_server: LocalMcpServer
) -> None:
    document = docs_document(docs_server.url, transport=docs_server.transport)

    outcome = await platform.tools().define(document, secrets={"token": CANARY})

    assert outcome.changed
    assert outcome.listed
    tool = outcome.tool
    assert tool.function_names == ("search_docs", "delete_doc")
    search = tool.function("search_docs")
    assert search.description == "Search the documentation."
    assert search.parameters["required"] == ["query"]
    assert search.parameters["properties"]["limit"]["default"] == 5
    annotations = (await stored(platform))["run"]["annotations"]
    assert annotations["search_docs"] == {
        "readOnlyHint": True,
        "idempotentHint": True,
        "destructiveHint": None,
    }
    assert annotations["delete_doc"]["destructiveHint"] is True
    assert docs_server.refused == 0
    assert served(docs_server).listings == 1


async def test_allowed_functions_keep_only_the_functions_they_name(
    platform: Container, docs_server: LocalMcpServer
) -> None:
    document = docs_document(
        docs_server.url, transport=docs_server.transport, allowed_functions=["search_docs"]
    )

    tool = (await platform.tools().define(document, secrets={"token": CANARY})).tool

    assert tool.function_names == ("search_docs",)
    assert list((await stored(platform))["run"]["annotations"]) == ["search_docs"]


async def test_allowed_functions_naming_what_the_server_does_not_offer_is_refused(
    platform: Container, docs_server: LocalMcpServer
) -> None:
    document = docs_document(
        docs_server.url, transport=docs_server.transport, allowed_functions=["search_docs", "nope"]
    )

    with pytest.raises(InvalidToolDocument) as refused:
        await platform.tools().define(document, secrets={"token": CANARY})

    assert str(refused.value) == (
        "Tool 'docs' cannot be listed: run.server.allowed_functions: 'nope' is not offered "
        "by the server; it offers: search_docs, delete_doc"
    )
    assert await platform.tools().list_all() == []


async def test_the_listed_schemas_own_draft_is_honoured(
    platform: Container, docs_server: LocalMcpServer
) -> None:
    # Draft 4's boolean exclusiveMinimum: a 2020-12 reading would refuse the schema.
    served(docs_server).schemas["search_docs"] = {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "type": "object",
        "properties": {"limit": {"type": "integer", "minimum": 0, "exclusiveMinimum": True}},
    }
    document = docs_document(docs_server.url, transport=docs_server.transport)

    search = (await platform.tools().define(document, secrets={"token": CANARY})).tool.function(
        "search_docs"
    )

    assert search.parameters["$schema"] == "http://json-schema.org/draft-04/schema#"
    assert search.validate_arguments({"limit": 1}) == {"limit": 1}
    with pytest.raises(InvalidArguments, match="limit"):
        search.validate_arguments({"limit": 0})


async def test_a_listed_schema_that_breaks_a_platform_rule_is_refused_with_its_path(
    platform: Container, docs_server: LocalMcpServer
) -> None:
    served(docs_server).schemas["delete_doc"] = {
        "type": "object",
        "properties": {"doc_id": {"$ref": "https://schemas.example.com/doc-id.json"}},
    }
    document = docs_document(docs_server.url, transport=docs_server.transport)

    with pytest.raises(InvalidToolDocument) as refused:
        await platform.tools().define(document, secrets={"token": CANARY})

    paths = [problem.path for problem in refused.value.problems]
    assert paths == ["tool_functions_schema.functions.delete_doc.parameters.properties.doc_id.$ref"]
    assert "allowed_functions can leave a function out" in refused.value.summary
    assert await platform.tools().list_all() == []


async def test_a_server_name_that_breaks_the_model_name_rule_is_refused_unless_left_out(
    platform: Container, docs_server: LocalMcpServer
) -> None:
    served(docs_server).add_tool(count_docs, name="count docs!")
    document = docs_document(docs_server.url, transport=docs_server.transport)

    with pytest.raises(InvalidToolDocument) as refused:
        await platform.tools().define(document, secrets={"token": CANARY})

    [problem] = refused.value.problems
    assert problem.path == "tool_functions_schema.functions.count docs!.name"
    assert "letters, digits and _ . : -" in problem.message
    document["run"]["server"]["allowed_functions"] = ["search_docs", "delete_doc"]
    tool = (await platform.tools().define(document, secrets={"token": CANARY})).tool
    assert tool.function_names == ("search_docs", "delete_doc")


async def test_the_header_secret_reaches_the_server_and_nowhere_else(
    platform: Container, docs_server: LocalMcpServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    document = docs_document(docs_server.url, transport=docs_server.transport)

    outcome = await platform.tools().define(document, secrets={"token": CANARY})

    assert docs_server.refused == 0
    assert served(docs_server).listings == 1
    assert outcome.tool.secret_names == ("token",)
    assert_no_secret(repr(outcome))
    assert_no_secret(str(await stored(platform)))
    assert_no_secret(caplog.text)


async def test_a_wrong_token_is_refused_in_one_line_without_the_token(
    platform: Container, docs_server: LocalMcpServer
) -> None:
    document = docs_document(docs_server.url, transport=docs_server.transport)

    with pytest.raises(McpServerUnavailable) as refused:
        await platform.tools().define(document, secrets={"token": "wrong-" + CANARY})

    message = str(refused.value)
    assert message.startswith(f"MCP server {docs_server.url}: ")
    assert "401" in message
    assert "\n" not in message
    assert_no_secret(message)
    assert await platform.tools().list_all() == []


async def test_the_secrets_the_server_needs_must_be_given_and_be_declared(
    platform: Container, docs_server: LocalMcpServer
) -> None:
    document = docs_document(docs_server.url, transport=docs_server.transport)

    with pytest.raises(BindingMisfit, match=r"needs its server's secrets 'token'.*--secret token"):
        await platform.tools().define(document)
    with pytest.raises(BindingMisfit, match="declares no secret 'other'; its secrets are: token"):
        await platform.tools().define(document, secrets={"token": CANARY, "other": "x"})
    with pytest.raises(BindingMisfit, match="secret 'token' has an empty value"):
        await platform.tools().define(document, secrets={"token": ""})
    assert served(docs_server).listings == 0
    assert await platform.tools().list_all() == []


def closed_port_url() -> str:
    """A 127.0.0.1 URL where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/mcp"


@pytest.mark.parametrize("transport", ["streamable_http", "sse"])
async def test_a_server_that_is_down_is_a_clear_error_and_nothing_is_stored(
    platform: Container, transport: str
) -> None:
    url = closed_port_url()

    with pytest.raises(McpServerUnavailable) as down:
        await platform.tools().define(
            docs_document(url, transport=transport), secrets={"token": CANARY}
        )

    assert str(down.value).startswith(f"MCP server {url}: could not connect")
    assert await platform.tools().list_all() == []


async def test_a_document_that_lists_its_functions_defines_offline(platform: Container) -> None:
    document = docs_document(closed_port_url())
    document["tool_functions_schema"] = {"functions": [function_doc("search_docs")]}

    outcome = await platform.tools().define(document)

    assert outcome.changed
    assert not outcome.listed
    assert outcome.tool.function_names == ("search_docs",)
    with pytest.raises(BindingMisfit, match="lists its functions, so nothing is listed"):
        await platform.tools().define(document, secrets={"token": CANARY})
    with pytest.raises(BindingMisfit, match="'weather' is of kind http, so nothing is listed"):
        await platform.tools().define(http_tool_document(), secrets={"token": CANARY})


async def test_a_stdio_server_is_listed_through_the_operators_command(
    platform: Container,
) -> None:
    document = docs_document(transport="stdio", command="docs")

    tool = (await platform.tools().define(document)).tool

    assert tool.function_names == ("search_docs", "delete_doc")


@pytest.mark.parametrize("listed", [False, True])
async def test_an_unknown_stdio_command_is_refused_at_define(
    platform: Container, listed: bool
) -> None:
    document = docs_document(transport="stdio", command="not-configured")
    if listed:
        document["tool_functions_schema"] = {"functions": [function_doc("search_docs")]}

    with pytest.raises(InvalidToolDocument) as refused:
        await platform.tools().define(document)

    [problem] = refused.value.problems
    assert problem.path == "run.server.command"
    assert "'not-configured' is not one of the operator's stdio commands" in problem.message
    assert "docs" in problem.message
    assert await platform.tools().list_all() == []


async def test_a_listed_description_over_the_limit_is_located_by_the_functions_name(
    docs_server: LocalMcpServer,
) -> None:
    container = Container()
    container.settings.override(platform_settings(max_description_chars=20))
    document = docs_document(docs_server.url, transport=docs_server.transport)

    async with lifespan(container):
        with pytest.raises(InvalidToolDocument) as refused:
            await container.tools().define(document, secrets={"token": CANARY})

    [problem] = refused.value.problems  # "Delete a document." fits; the other does not
    assert problem.path == "tool_functions_schema.functions.search_docs.description"
    assert "20" in problem.message
