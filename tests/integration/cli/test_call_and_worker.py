"""``tool-platform call`` (one call through a real session) and the worker's fail-fast start."""

from __future__ import annotations

import json

import pytest

from entrypoints.commands.call import nesting_depth
from tests.builders import data_of, python_tool_document
from tests.integration.cli.support import Cli


@pytest.fixture
def echo_agent(cli: Cli) -> Cli:
    cli.env["TOOL_PLATFORM_HANDLER_PACKAGES"] = "tests.handlers"
    cli.env["TOOL_PLATFORM_MODEL_TARGET"] = "any"
    cli.ok(
        "tools",
        "define",
        cli.write_json("echoes.json", python_tool_document("echoes", {"echo": "echo"})),
    )
    cli.ok("agents", "create", "front-desk")
    cli.ok("agents", "bind", "front-desk", "echoes")
    return cli


def test_call_prints_what_the_llm_receives_and_exits_0(echo_agent: Cli) -> None:
    result = echo_agent("call", "front-desk", "echo", "--args", '{"text": "hello"}')

    assert result.exit_code == 0, result.stderr
    printed = json.loads(result.stdout)
    assert printed["ok"] is True
    assert data_of(printed["output"])["arguments"] == {"text": "hello"}


def test_call_with_a_bad_argument_prints_the_field_named_error_and_exits_1(
    echo_agent: Cli,
) -> None:
    result = echo_agent("call", "front-desk", "echo", "--args", '{"text": 5, "extra": 1}')

    assert result.exit_code == 1
    printed = json.loads(result.stdout)
    assert printed["ok"] is False
    assert "extra: is not declared" in printed["error"]


def test_call_of_an_unknown_agent_is_one_line_on_stderr(echo_agent: Cli) -> None:
    result = echo_agent("call", "nobody", "echo")

    assert result.exit_code == 1
    assert result.stderr == "error: no agent has the id or name 'nobody'\n"


@pytest.mark.parametrize(
    ("mode", "missing"),
    [
        ("dev", "GOOGLE_API_KEY, LIVEKIT_API_KEY, LIVEKIT_API_SECRET, LIVEKIT_URL"),
        ("start", "GOOGLE_API_KEY, LIVEKIT_API_KEY, LIVEKIT_API_SECRET, LIVEKIT_URL"),
        ("console", "GOOGLE_API_KEY"),
    ],
)
def test_the_worker_stops_at_once_naming_what_is_missing(cli: Cli, mode: str, missing: str) -> None:
    cli.env.update(
        {
            "LIVEKIT_URL": None,
            "LIVEKIT_API_KEY": None,
            "LIVEKIT_API_SECRET": None,
            "GOOGLE_API_KEY": None,
        }
    )

    result = cli("worker", mode)

    assert result.exit_code == 1
    assert result.stderr == (
        f"error: the worker needs {missing} in the environment (see README: running the worker)\n"
    )


def test_the_worker_names_only_what_is_missing(cli: Cli) -> None:
    cli.env.update(
        {"LIVEKIT_URL": "ws://127.0.0.1:7880", "LIVEKIT_API_KEY": "key", "LIVEKIT_API_SECRET": None}
    )
    cli.env["GOOGLE_API_KEY"] = "google"

    result = cli("worker", "start")

    assert result.stderr.startswith("error: the worker needs LIVEKIT_API_SECRET in")


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("{}", 1),
        ('{"a": [1, {"b": []}]}', 4),
        ('{"text": "[[[[{{{{"}', 1),
        ('{"text": "a \\" [[[ \\\\"}', 1),
        ("[[[", 3),
        ("not json", 0),
    ],
)
def test_nesting_depth_counts_brackets_outside_strings(text: str, depth: int) -> None:
    assert nesting_depth(text) == depth


def test_call_refuses_arguments_nested_past_the_limit_before_livekit_parses_them(
    echo_agent: Cli,
) -> None:
    result = echo_agent("call", "front-desk", "echo", "--args", '{"text": ' + "[" * 10_000 + "}")

    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "error: --args nests deeper than 32 levels of arrays and objects "
        "(TOOL_PLATFORM_MAX_ARGUMENT_DEPTH)\n"
    )
