"""``tool-platform tools define`` and ``tools refresh`` of ``mcp`` tools, in-process.

The CLI runs its own event loop, so the MCP server is served from a thread of its own.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from entrypoints.local_mcp_server import LocalMcpServer
from tests.builders import CANARY, LOCAL_SERVERS, assert_no_secret
from tests.integration.cli.support import Cli, serving_in_a_thread
from tests.integration.mcp_define.conftest import STDIO_COMMANDS, docs_document
from tests.integration.mcp_define.servers import DocsServer, count_docs
from tests.integration.mcp_define.test_define import closed_port_url, served


@pytest.fixture
def docs_api() -> Iterator[LocalMcpServer]:
    """A :class:`DocsServer` over streamable HTTP requiring the canary as its token."""
    local = LocalMcpServer(DocsServer(), bearer_token=CANARY)
    with serving_in_a_thread(local):
        yield local


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """A CLI on a fresh SQLite database that may reach 127.0.0.1 and run ``docs``."""
    monkeypatch.chdir(tmp_path)
    runner = Cli(
        tmp_path,
        env={
            "TOOL_PLATFORM_OUTBOUND_ALLOW": ",".join(LOCAL_SERVERS),
            "TOOL_PLATFORM_MCP_STDIO_COMMANDS": json.dumps(STDIO_COMMANDS),
        },
    )
    runner.ok("db", "upgrade")
    return runner


def define_docs(cli: Cli, local: LocalMcpServer) -> None:
    """``tools define`` the ``docs`` tool from ``local``, the canary as its token."""
    document = cli.write_json("docs.json", docs_document(local.url))
    cli.ok("tools", "define", document, "--secret", f"token={CANARY}")


def test_define_with_a_secret_lists_the_server_and_stores_no_secret(
    cli: Cli, docs_api: LocalMcpServer
) -> None:
    document = cli.write_json("docs.json", docs_document(docs_api.url))

    output = cli.ok("tools", "define", document, "--secret", f"token={CANARY}")

    assert "Defined tool 'docs': version 1" in output
    assert "Functions listed by its MCP server: search_docs, delete_doc" in output
    shown = cli.json("tools", "show", "docs")
    assert [f["name"] for f in shown["tool_functions_schema"]["functions"]] == [
        "search_docs",
        "delete_doc",
    ]
    assert shown["run"]["annotations"]["delete_doc"]["destructiveHint"] is True
    assert_no_secret("\n".join(cli.transcript))


def test_define_reads_the_secrets_from_a_secrets_file_on_stdin(
    cli: Cli, docs_api: LocalMcpServer
) -> None:
    document = cli.write_json("docs.json", docs_document(docs_api.url))

    defined = cli.json(
        "tools", "define", document, "--secrets-file", "-", input=json.dumps({"token": CANARY})
    )

    assert defined["version"] == 1
    assert defined["changed"] is True
    assert cli.refused("tools", "define", "-", "--secrets-file", "-", input="{}") == (
        "the document and the secrets file cannot both be standard input"
    )
    assert_no_secret("\n".join(cli.transcript))


def test_refresh_prints_the_drift_and_its_json_has_exactly_the_documented_shape(
    cli: Cli, docs_api: LocalMcpServer
) -> None:
    define_docs(cli, docs_api)
    server = served(docs_api)
    server.add_tool(count_docs)
    server.remove_tool("delete_doc")

    drift = cli.json("tools", "refresh", "docs", "--secret", f"token={CANARY}")

    assert drift == {
        "added": ["count_docs"],
        "removed": ["delete_doc"],
        "changed": [],
        "version": 2,
    }
    unchanged = cli.json("tools", "refresh", "docs", "--secret", f"token={CANARY}")
    assert unchanged == {"added": [], "removed": [], "changed": [], "version": 2}
    text = cli.ok("tools", "refresh", "docs", "--secret", f"token={CANARY}")
    assert text.strip() == "Tool 'docs' is unchanged: its server offers what version 2 has"
    assert [v["version"] for v in cli.json("tools", "versions", "docs")] == [1, 2]
    assert_no_secret("\n".join(cli.transcript))


def test_refresh_says_what_changed_in_text(cli: Cli, docs_api: LocalMcpServer) -> None:
    define_docs(cli, docs_api)
    served(docs_api).add_tool(count_docs)

    output = cli.ok("tools", "refresh", "docs", "--secret", f"token={CANARY}")

    assert output.splitlines()[0].startswith("Refreshed tool 'docs': version 2 (sha256:")
    assert output.splitlines()[1:] == ["  added: count_docs", "  removed: -", "  changed: -"]


def test_failures_are_one_line_and_store_nothing(cli: Cli, docs_api: LocalMcpServer) -> None:
    down = closed_port_url()
    document = cli.write_json("down.json", docs_document(down))
    wrong = cli.write_json("docs.json", docs_document(docs_api.url))

    assert cli.refused("tools", "define", document, "--secret", f"token={CANARY}").startswith(
        f"MCP server {down}: could not connect"
    )
    assert "refused the credentials (HTTP 401)" in cli.refused(
        "tools", "define", wrong, "--secret", "token=wrong-" + CANARY
    )
    assert "--secret token" in cli.refused("tools", "define", wrong)
    assert cli.refused("tools", "refresh", "docs") == "tool 'docs' does not exist"
    assert cli.json("tools", "list") == []
    assert_no_secret("\n".join(cli.transcript))


def test_an_unknown_stdio_command_is_refused_and_a_known_one_listed(cli: Cli) -> None:
    unknown = cli.write_json("x.json", docs_document(transport="stdio", command="nope"))
    known = cli.write_json("docs.json", docs_document(transport="stdio", command="docs"))

    assert "run.server.command" in cli.refused("tools", "define", unknown)
    assert "search_docs, delete_doc" in cli.ok("tools", "define", known)


def test_a_listed_tool_runs_through_tool_platform_call(cli: Cli, docs_api: LocalMcpServer) -> None:
    define_docs(cli, docs_api)
    cli.ok("agents", "create", "desk")
    cli.ok("agents", "bind", "desk", "docs", "--secret", f"token={CANARY}")

    result = cli("call", "desk", "search_docs", "--args", '{"query": "refunds", "limit": 2}')

    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["output"] == '{"result": "2 results for refunds"}'
    assert_no_secret("\n".join(cli.transcript))
