"""The admin CLI end to end on SQLite: catalog, agents, bindings, toolsets, deletes.

One long walk, as an operator would go, in phases that build on each other: every read
is checked through its ``--json`` shape, and the canary secrets bound through the CLI
must never show in any output, any log record (at DEBUG) or the database file.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

import pytest
import yaml

from tests.builders import CANARY, assert_no_secret, python_tool_document, tool_definition
from tests.integration.cli.conftest import weather_document
from tests.integration.cli.support import DATABASE, Cli

SECOND_CANARY = "canary-second-9d2e-secret"


@dataclass
class Walk:
    """What the phases of the walk hand to each other."""

    cli: Cli
    weather: dict[str, Any] = field(default_factory=weather_document)
    news: dict[str, Any] = field(
        default_factory=lambda: python_tool_document(
            "news", {"get_headlines": "echo"}, secret_names=["token"]
        )
    )
    weather_path: str = ""
    agent: dict[str, Any] = field(default_factory=dict)
    back_office: dict[str, Any] = field(default_factory=dict)
    binding_ids: dict[str, str] = field(default_factory=dict)


def llm_view(document: dict[str, Any], *functions: str) -> list[dict[str, Any]]:
    """The canonical function schemas of a tool document, as the LLM sees them, with the
    call policy each function follows (the documents declare none: the kind's defaults).

    These functions need no adaptation, so the offered schema is the stored one.
    """
    tool = tool_definition(document)
    return [
        {
            **schema,
            "offered_schema": schema,
            "stored_schema": schema,
            "call_policy": {
                "side_effects": tool.policy_for(schema["name"]).side_effects,
                "dedupe_window_seconds": 15.0,
                "max_calls_per_session": 25,
            },
        }
        for schema in (tool.function(name).to_dict() for name in functions)
    ]


def test_an_operator_walks_the_whole_cli(cli: Cli, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    walk = Walk(cli)

    define_tools(walk)
    create_agents(walk)
    bind_tools(walk)
    load_the_toolset(walk)
    evolve_a_tool(walk)
    switch_and_change_secrets(walk)
    delete_things(walk)

    assert caplog.records  # the database adapters did log, at DEBUG
    for text in [*cli.transcript, caplog.text]:
        assert_no_secret(text, CANARY)
        assert_no_secret(text, SECOND_CANARY)
    for stored in cli.directory.glob(f"{DATABASE}*"):
        content = stored.read_bytes()
        assert CANARY.encode() not in content
        assert SECOND_CANARY.encode() not in content


def define_tools(walk: Walk) -> None:
    """Define from a JSON file and from YAML on stdin; list, show, versions."""
    cli = walk.cli
    assert cli.json("tools", "list") == []
    walk.weather_path = cli.write_json("weather.json", walk.weather)
    first = cli.json("tools", "define", walk.weather_path)
    assert first["name"] == "weather"
    assert (first["version"], first["changed"]) == (1, True)
    assert (first["dropped_defaults"], first["incompatible"]) == ([], [])
    again = cli.ok("tools", "define", walk.weather_path)
    assert "unchanged: still version 1" in again
    assert "defaults dropped (invalid for their own schema): 0" in again
    defined = cli.ok("tools", "define", "-", input=yaml.safe_dump(walk.news))
    assert "Defined tool 'news': version 1" in defined

    listed = cli.json("tools", "list")
    assert [(t["name"], t["version"], t["kind"]) for t in listed] == [
        ("news", 1, "python"),
        ("weather", 1, "python"),
    ]
    assert listed[1]["functions"] == ["get_forecast", "get_alerts"]
    assert listed[1]["secret_names"] == ["api_key"]
    assert listed[1]["fingerprint"].startswith("sha256:")
    assert "weather  1        python  get_forecast, get_alerts  api_key" in cli.ok("tools", "list")

    shown = cli.json("tools", "show", "weather")
    assert shown == tool_definition(walk.weather).to_document()
    assert yaml.safe_load(cli.ok("tools", "show", "weather")) == shown
    assert [v["version"] for v in cli.json("tools", "versions", "weather")] == [1]


def create_agents(walk: Walk) -> None:
    """Create agents; update merges model settings; list."""
    cli = walk.cli
    walk.agent = cli.json(
        "agents",
        "create",
        "front-desk",
        "--instructions",
        "Answer questions about the weather.",
        "--model",
        "gemini-live",
        "--voice",
        "Puck",
        "--temperature",
        "0.7",
        "--owner",
        "team-1",
    )
    assert walk.agent["name"] == "front-desk"
    assert walk.agent["model"] == {"model": "gemini-live", "voice": "Puck", "temperature": 0.7}
    assert walk.agent["owner_id"] == "team-1"

    updated = cli.json("agents", "update", "front-desk", "--voice", "Kore", "--name", "concierge")
    assert updated == {
        **walk.agent,
        "name": "concierge",
        "model": {"model": "gemini-live", "voice": "Kore", "temperature": 0.7},
    }
    walk.agent = updated
    walk.back_office = cli.json("agents", "create", "back-office")
    assert [a["name"] for a in cli.json("agents", "list")] == ["back-office", "concierge"]
    assert "concierge" in cli.ok("agents", "list")


def bind_tools(walk: Walk) -> None:
    """Bind with --config, --secret NAME=VALUE, --functions, --secrets-file - and FILE."""
    cli = walk.cli
    cli.ok(
        "agents",
        "bind",
        "concierge",
        "weather",
        "--config",
        '{"language": "fr"}',
        "--secret",
        f"api_key={CANARY}",
        "--functions",
        "get_forecast",
    )
    stdin = json.dumps({"token": CANARY})
    cli.ok("agents", "bind", "concierge", "news", "--secrets-file", "-", input=stdin)
    secrets_file = cli.write("secrets.yaml", f"api_key: {CANARY}\n")
    cli.ok(
        "agents",
        "bind",
        walk.back_office["id"],
        "weather",
        "--secrets-file",
        secrets_file,
        "--disabled",
    )

    details = cli.json("agents", "show", "concierge")
    assert details["agent"] == walk.agent
    bindings = {b["tool"]: b for b in details["bindings"]}
    walk.binding_ids = {tool: binding["id"] for tool, binding in bindings.items()}
    weather = bindings["weather"]
    assert weather["config"] == {"language": "fr"}
    assert weather["functions"] == ["get_forecast"]
    assert weather["secret_names"] == ["api_key"]
    assert weather["enabled"] is True
    assert weather["left_out"] == []
    assert bindings["news"]["functions"] is None
    assert bindings["news"]["secret_names"] == ["token"]

    office = cli.json("agents", "show", "back-office")["bindings"]
    assert [(b["tool"], b["enabled"]) for b in office] == [("weather", False)]
    assert office[0]["left_out"] == [{"function": None, "reason": "the binding is disabled"}]
    assert "weather  no       all        api_key  {}" in cli.ok("agents", "show", "back-office")


def load_the_toolset(walk: Walk) -> None:
    """The toolset is exactly what the LLM sees, with each binding's config and secret names."""
    cli = walk.cli
    toolset = cli.json("agents", "toolset", "concierge")
    assert toolset["agent"] == {"id": walk.agent["id"], "name": "concierge"}
    assert toolset["functions"] == llm_view(walk.weather, "get_forecast") + llm_view(
        walk.news, "get_headlines"
    )
    assert toolset["bindings"] == [
        {
            "id": walk.binding_ids["weather"],
            "tool": "weather",
            "version": 1,
            "config": {"language": "fr", "units": "metric"},
            "secret_names": ["api_key"],
            "functions": ["get_forecast"],
        },
        {
            "id": walk.binding_ids["news"],
            "tool": "news",
            "version": 1,
            "config": {},
            "secret_names": ["token"],
            "functions": ["get_headlines"],
        },
    ]
    assert toolset["left_out"] == []
    human = cli.ok("agents", "toolset", "concierge")
    assert "get_forecast  (tool weather, version 1)" in human
    assert '"language": "fr"' in human


def evolve_a_tool(walk: Walk) -> None:
    """A new version that needs a secret the binding lacks leaves it out; setting it fixes it."""
    cli = walk.cli
    needs_region = weather_document(secret_names=("api_key", "region"))
    assert cli.json("tools", "define", cli.write_json("v2.json", needs_region))["version"] == 2
    assert [v["version"] for v in cli.json("tools", "versions", "weather")] == [1, 2]
    first = cli.json("tools", "show", "weather", "--version", "1")
    assert first == tool_definition(walk.weather).to_document()

    toolset = cli.json("agents", "toolset", "concierge")
    assert toolset["functions"] == llm_view(walk.news, "get_headlines")
    [left] = toolset["left_out"]
    assert left["tool"] == "weather"
    assert left["binding_id"] == walk.binding_ids["weather"]
    assert left["function"] is None
    assert "needs secrets that are not set: region" in left["reason"]
    assert "needs secrets that are not set: region" in cli.ok("agents", "show", "concierge")

    set_region = ("agents", "secrets", "set", "concierge", "weather", "region")
    cli.ok(*set_region, "--from-file", "-", input=SECOND_CANARY + "\n")
    toolset = cli.json("agents", "toolset", "concierge")
    assert [f["name"] for f in toolset["functions"]] == ["get_forecast", "get_headlines"]
    assert toolset["bindings"][0]["secret_names"] == ["api_key", "region"]
    assert toolset["bindings"][0]["version"] == 2


def switch_and_change_secrets(walk: Walk) -> None:
    """Disable and enable a binding; unset a secret once the tool no longer needs it."""
    cli = walk.cli
    cli.ok("agents", "disable", "concierge", "news")
    toolset = cli.json("agents", "toolset", "concierge")
    assert [f["name"] for f in toolset["functions"]] == ["get_forecast"]
    assert toolset["left_out"] == [
        {
            "tool": "news",
            "binding_id": walk.binding_ids["news"],
            "function": None,
            "reason": "the binding is disabled",
        }
    ]
    cli.ok("agents", "enable", "concierge", "news")
    assert len(cli.json("agents", "toolset", "concierge")["functions"]) == 2

    unset_region = ("agents", "secrets", "unset", "concierge", "weather", "region")
    assert "requires the secret 'region'" in cli.refused(*unset_region)
    assert cli.json("tools", "define", walk.weather_path)["version"] == 3
    cli.ok(*unset_region)
    weather = cli.json("agents", "show", "concierge")["bindings"][0]
    assert weather["secret_names"] == ["api_key"]


def delete_things(walk: Walk) -> None:
    """A bound tool cannot be deleted (nothing changes); unbind first. Agents take bindings."""
    cli = walk.cli
    before = cli.state(["concierge", "back-office"])
    refusal = cli.refused("tools", "delete", "weather")
    assert refusal == (
        "tool 'weather' is still bound to agents: concierge, back-office; unbind it first"
    )
    assert cli.state(["concierge", "back-office"]) == before

    cli.ok("agents", "unbind", "concierge", "weather")
    cli.ok("agents", "unbind", walk.back_office["id"], "weather")
    cli.ok("tools", "delete", "weather")
    assert [t["name"] for t in cli.json("tools", "list")] == ["news"]

    cli.ok("agents", "delete", "concierge")
    assert [a["name"] for a in cli.json("agents", "list")] == ["back-office"]
    cli.ok("tools", "delete", "news")  # its only binding went with the agent
    assert cli.json("tools", "list") == []
