"""The README quickstart's ``weather`` tool and the demo's CRM tool, through the CLI.

``tool-platform call`` runs it through a real LiveKit ``AgentSession``; ``--dry-run``
shows the request it would send, the secret masked, and sends nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from entrypoints.demo import CRM_TOOL, CUSTOMERS, DEMO_CRM_KEY
from entrypoints.local_crm_api import LocalCrmApi
from tests.builders import CANARY, assert_no_secret, python_tool_document
from tests.integration.cli.support import Cli, serving_in_a_thread
from tests.integration.http_tools.upstream import Reply, Upstream

WEATHER = Path(__file__).parents[3] / "examples" / "weather.json"


@pytest.fixture
def crm_api() -> Iterator[LocalCrmApi]:
    """The demo's CRM API."""
    server = LocalCrmApi(DEMO_CRM_KEY, {key: dict(c) for key, c in CUSTOMERS.items()})
    with serving_in_a_thread(server):
        yield server


@pytest.fixture
def weather_api() -> Iterator[Upstream]:
    """The recording server, as the weather API."""
    server = Upstream()
    with serving_in_a_thread(server):
        yield server


@pytest.fixture
def weather_agent(cli: Cli, weather_api: Upstream) -> Cli:
    """The quickstart's steps, with the binding's base URL on the local server."""
    cli.env["TOOL_PLATFORM_MODEL_TARGET"] = "any"
    cli.env["TOOL_PLATFORM_OUTBOUND_ALLOW"] = "127.0.0.1/32"
    cli.ok("tools", "define", str(WEATHER))
    cli.ok("agents", "create", "front-desk", "--instructions", "You answer weather questions.")
    config = json.dumps({"units": "imperial", "base_url": weather_api.base_url})
    cli.ok(
        "agents",
        "bind",
        "front-desk",
        "weather",
        "--config",
        config,
        "--secrets-file",
        "-",
        input=json.dumps({"api_key": CANARY}),
    )
    return cli


def test_the_quickstart_weather_tool_runs_end_to_end_through_call(
    weather_agent: Cli, weather_api: Upstream
) -> None:
    weather_api.reply(Reply(body={"city": "Paris", "temperature": 68, "units": "imperial"}))

    result = weather_agent(
        "call", "front-desk", "get_current_weather", "--args", '{"city": "Paris"}'
    )

    assert result.exit_code == 0, result.stderr
    assert json.loads(json.loads(result.stdout)["output"])["temperature"] == 68
    [received] = weather_api.received
    assert received.target == "/v1/current?q=Paris&units=imperial"
    assert received.header("Authorization") == f"Bearer {CANARY}"
    for printed in weather_agent.transcript:
        assert_no_secret(printed)


def test_a_dry_run_shows_the_masked_request_and_sends_nothing(
    weather_agent: Cli, weather_api: Upstream
) -> None:
    arguments = ("--args", '{"city": "São Paulo"}', "--dry-run")

    human = weather_agent.ok("call", "front-desk", "get_current_weather", *arguments)
    shown = weather_agent.json("call", "front-desk", "get_current_weather", *arguments)

    assert weather_api.received == []
    url = f"{weather_api.base_url}/v1/current?q=S%C3%A3o+Paulo&units=imperial"
    assert shown == {
        "kind": "http",
        "method": "GET",
        "url": url,
        "headers": {"Authorization": "Bearer ********"},
        "body": None,
        "guard": shown["guard"],
    }
    assert shown["guard"]["allowed"] is True
    assert human.splitlines()[:2] == [f"GET {url}", "Authorization: Bearer ********"]
    assert human.rstrip().endswith("nothing was sent (dry run)")
    for printed in weather_agent.transcript:
        assert_no_secret(printed)


def test_a_dry_run_with_invalid_arguments_says_why_in_one_line_and_exits_1(
    weather_agent: Cli, weather_api: Upstream
) -> None:
    arguments = '{"city": "Paris", "country": "FR"}'
    result = weather_agent(
        "call", "front-desk", "get_current_weather", "--args", arguments, "--dry-run"
    )

    assert result.exit_code == 1
    assert result.stderr.startswith("error: Invalid arguments for get_current_weather")
    assert "country: is not declared" in result.stderr
    assert result.stderr.count("\n") == 1
    assert weather_api.received == []


def test_a_dry_run_of_a_python_function_shows_its_handler_and_arguments(cli: Cli) -> None:
    cli.env["TOOL_PLATFORM_MODEL_TARGET"] = "any"
    document = python_tool_document("echoes", {"echo": "echo"})
    cli.ok("tools", "define", cli.write_json("echoes.json", document))
    cli.ok("agents", "create", "desk")
    cli.ok("agents", "bind", "desk", "echoes")

    shown = cli.json("call", "desk", "echo", "--args", '{"text": "hi"}', "--dry-run")

    assert shown == {
        "kind": "python",
        "handler": "tests.handlers.echo_tools:echo",
        "arguments": {"text": "hi"},
    }


def test_the_demo_crm_tool_runs_end_to_end_through_call(cli: Cli, crm_api: LocalCrmApi) -> None:
    cli.env["TOOL_PLATFORM_MODEL_TARGET"] = "any"
    cli.env["TOOL_PLATFORM_OUTBOUND_ALLOW"] = "127.0.0.1/32"
    cli.ok("tools", "define", cli.write_json("crm.json", CRM_TOOL))
    cli.ok("agents", "create", "desk")
    config = json.dumps({"base_url": crm_api.base_url})
    secrets = json.dumps({"api_key": DEMO_CRM_KEY})
    cli.ok(
        "agents", "bind", "desk", "crm", "--config", config, "--secrets-file", "-", input=secrets
    )

    found = cli("call", "desk", "get_customer", "--args", '{"customer_id": "C-1001"}')
    missing = cli("call", "desk", "get_customer", "--args", '{"customer_id": "C-9999"}')

    assert (found.exit_code, missing.exit_code) == (0, 1)
    assert json.loads(json.loads(found.stdout)["output"]) == {
        "name": "Ana Ruiz",
        "email": "ana@example.com",
        "tier": "gold",
    }
    assert json.loads(missing.stdout)["error"] == (
        "get_customer: the service refused the request (HTTP 404): "
        '{"error": "no customer with id C-9999"}'
    )
    assert crm_api.requests == ["GET /v1/customers/C-1001", "GET /v1/customers/C-9999"]
    for printed in cli.transcript:
        assert DEMO_CRM_KEY not in printed
