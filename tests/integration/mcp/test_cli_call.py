"""``tool-platform call`` runs an MCP function over each transport (a real AgentSession).

Synchronous tests: the CLI runs its own event loop.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from tests.builders import CANARY, assert_no_secret
from tests.integration.cli.support import Cli
from tests.integration.mcp.conftest import (
    TOKENS,
    listed_functions,
    mcp_document,
    server_spec,
)
from tests.integration.mcp.servers import STDIO_COMMAND, McpServerProcess, free_port


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """A CLI on a fresh SQLite database, its guard admitting 127.0.0.1, one stdio command."""
    monkeypatch.chdir(tmp_path)
    runner = Cli(tmp_path)
    runner.env |= {
        "TOOL_PLATFORM_MODEL_TARGET": "any",
        "TOOL_PLATFORM_OUTBOUND_ALLOW": "127.0.0.1/32",
        "TOOL_PLATFORM_MCP_STDIO_COMMANDS": json.dumps({"tests": list(STDIO_COMMAND)}),
        "TOOL_PLATFORM_MCP_START_BUDGET_SECONDS": "20",
    }
    runner.ok("db", "upgrade")
    runner.ok("agents", "create", "desk")
    return runner


@pytest.mark.parametrize("which", ["streamable_http", "sse", "stdio"])
def test_call_runs_an_mcp_function_over_each_transport(
    cli: Cli, http_server: McpServerProcess, sse_server: McpServerProcess, which: str
) -> None:
    spec = server_spec(which, http_server, sse_server)
    functions = asyncio.run(listed_functions(spec, ["add", "whoami"], {"token": CANARY}))
    document = mcp_document("remote", spec, functions)
    cli.ok("tools", "define", cli.write_json("remote.json", document))
    cli.ok(
        "agents",
        "bind",
        "desk",
        "remote",
        "--secrets-file",
        "-",
        input=json.dumps({"token": CANARY}),
    )

    added = cli.json("call", "desk", "add", "--args", '{"a": 40, "b": 2}')
    refused = cli("call", "desk", "add", "--args", '{"a": "forty"}')
    dry = cli.json("call", "desk", "add", "--args", '{"a": 1, "b": 2}', "--dry-run", "--json")

    assert added["ok"] is True
    assert json.loads(added["output"]) == {"result": 42}
    assert refused.exit_code == 1
    assert dry["kind"] == "mcp"
    assert dry["transport"] == which
    if which != "stdio":
        whoami = cli.json("call", "desk", "whoami")
        assert json.loads(whoami["output"]) == {"result": TOKENS[CANARY]}
        assert dry["headers"] == {"Authorization": "Bearer ********"}
    else:
        assert dry["env"] == {"API_TOKEN": "********"}
    for printed in cli.transcript:
        assert_no_secret(printed)


def test_call_of_a_function_whose_server_is_down_says_why_in_one_line(cli: Cli) -> None:
    url = f"http://127.0.0.1:{free_port()}/mcp"
    function = {"name": "add", "description": "Add.", "inputSchema": {"type": "object"}}
    document = mcp_document("remote", {"url": url}, [function], secret_names=())
    cli.ok("tools", "define", cli.write_json("remote.json", document))
    cli.ok("agents", "bind", "desk", "remote")

    result = cli("call", "desk", "add")

    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"error: remote: MCP server {url}: could not connect "
        "(nothing is listening, or the host is unreachable)"
    )
