"""An MCP server spec: each transport's fields, and what a stdio server's env may hold."""

from typing import Any

import pytest

from domain.errors import InvalidToolDocument
from domain.tools.document import read_tool_document
from domain.tools.run_specs import McpRunSpec

FUNCTION = {
    "name": "now",
    "description": "The time now.",
    "parameters": {"type": "object", "properties": {}},
}


def _mcp_tool(server: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": "clock",
        "kind": "mcp",
        "config_schema": {"type": "object", "properties": {"tz": {"type": "string"}}},
        "secret_names": ["token"],
        "tool_functions_schema": {"functions": [FUNCTION]},
        "run": {"server": server},
    }


def _problems(server: dict[str, Any]) -> list[str]:
    with pytest.raises(InvalidToolDocument) as error:
        read_tool_document(_mcp_tool(server))
    return [str(problem) for problem in error.value.problems]


def _said(problems: list[str], start: str) -> bool:
    return any(problem.startswith(start) for problem in problems)


def test_a_stdio_server_names_a_command_and_may_add_env_entries() -> None:
    tool = read_tool_document(
        _mcp_tool(
            {
                "transport": "stdio",
                "command": "time",
                "env": {"LOCAL_TIMEZONE": "{config.tz}", "API_TOKEN": "{secrets.token}"},
            }
        )
    ).tool

    assert isinstance(tool.run, McpRunSpec)
    assert tool.run.server.command == "time"
    assert tool.run.server.url is None
    assert tool.run.server.address == "stdio:time"


def test_a_stdio_server_needs_a_command_and_takes_no_url_or_headers() -> None:
    problems = _problems(
        {"transport": "stdio", "url": "https://mcp.example.com/mcp", "headers": {"X-A": "b"}}
    )

    assert _said(problems, "run.server.command: a stdio server names its command")
    assert _said(problems, "run.server.url: a stdio server has no URL")
    assert _said(problems, "run.server.headers: a stdio server has no headers")


def test_a_command_is_a_name_never_a_command_line() -> None:
    problems = _problems({"transport": "stdio", "command": "python3 -m evil"})

    assert any("must be the name of an operator's command" in p for p in problems)


@pytest.mark.parametrize("transport", ["streamable_http", "sse"])
def test_an_http_server_needs_a_url_and_takes_no_command_or_env(transport: str) -> None:
    problems = _problems({"transport": transport, "command": "time", "env": {"A": "b"}})

    assert f"run.server.url: a {transport} server needs its URL" in problems
    assert "run.server.command: only a stdio server has a command" in problems
    assert "run.server.env: only a stdio server has environment entries" in problems


@pytest.mark.parametrize(
    "name",
    [
        "LD_PRELOAD",
        "ld_library_path",
        "DYLD_INSERT_LIBRARIES",
        "NODE_OPTIONS",
        "PYTHONPATH",
        "PYTHONSTARTUP",
        "PERL5OPT",
        "RUBYOPT",
        "BASH_ENV",
        "PATH",
        "HOME",
        "JAVA_TOOL_OPTIONS",
        "GIT_SSH_COMMAND",
        "HTTPS_PROXY",
    ],
)
def test_env_names_that_change_how_programs_load_code_are_refused(name: str) -> None:
    problems = _problems({"transport": "stdio", "command": "time", "env": {name: "x"}})

    assert any(
        p.startswith(f"run.server.env.{name}: may not be set by a tool document") for p in problems
    )


@pytest.mark.parametrize("name", ["A=B", "1ABC", "", "WITH SPACE"])
def test_env_names_must_be_environment_variable_names(name: str) -> None:
    problems = _problems({"transport": "stdio", "command": "time", "env": {name: "x"}})

    assert any("is not an environment variable name" in p for p in problems)


def test_env_values_take_config_and_secrets_only_and_no_nul() -> None:
    problems = _problems(
        {
            "transport": "stdio",
            "command": "time",
            "env": {"A": "{args.x}", "B": "{secrets.missing}", "C": "a\x00b"},
        }
    )

    assert _said(problems, "run.server.env.A: {args.x}: args cannot be used here")
    assert _said(problems, "run.server.env.B: {secrets.missing} names no declared secret")
    assert "run.server.env.C: must not contain a NUL character" in problems


def test_oauth_client_credentials_need_their_secrets_and_an_http_transport() -> None:
    document = _mcp_tool({"transport": "stdio", "command": "time"})
    document |= {"auth_type": "oauth2_client_credentials", "auth_config": {"token_url": "x"}}

    with pytest.raises(InvalidToolDocument) as error:
        read_tool_document(document)
    problems = [str(problem) for problem in error.value.problems]

    assert any(
        p.startswith("secret_names: auth_type 'oauth2_client_credentials' needs") for p in problems
    )
    assert "auth_config.token_url: must be an absolute http:// or https:// URL" in problems
    assert "auth_type: OAuth client credentials apply to HTTP transports, not stdio" in problems


def test_another_auth_type_on_an_mcp_tool_stays_a_label() -> None:
    document = _mcp_tool({"url": "https://mcp.example.com/mcp"}) | {"auth_type": "api_key"}

    assert read_tool_document(document).tool.auth_type == "api_key"
