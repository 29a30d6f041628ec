"""``call_policy`` through the CLI: defined, refused with its path, shown by ``agents toolset``."""

from __future__ import annotations

from tests.builders import http_tool_document
from tests.integration.cli.support import Cli


def test_a_policy_is_stored_as_a_new_version_and_shown_per_function_by_agents_toolset(
    cli: Cli,
) -> None:
    document = http_tool_document("crm", ["lookup", "update"])
    document["run"]["requests"]["update"]["method"] = "PATCH"
    cli.ok("tools", "define", cli.write_json("crm.json", document))
    cli.ok("agents", "create", "desk")
    cli.ok("agents", "bind", "desk", "crm")
    document["call_policy"] = {
        "update": {"dedupe_window_seconds": 40},
        "*": {"max_calls_per_session": 8},
    }

    defined = cli.json("tools", "define", cli.write_json("crm2.json", document))
    toolset = cli.json("agents", "toolset", "desk")
    text = cli.ok("agents", "toolset", "desk")

    assert defined["version"] == 2
    assert cli.json("tools", "show", "crm")["call_policy"] == {
        "update": {"dedupe_window_seconds": 40.0},
        "*": {"max_calls_per_session": 8},
    }
    policies = {f["name"]: f["call_policy"] for f in toolset["functions"]}
    assert policies == {
        "lookup": {
            "side_effects": "none",
            "dedupe_window_seconds": 15.0,
            "max_calls_per_session": 8,
        },
        "update": {
            "side_effects": "unsafe",
            "dedupe_window_seconds": 40.0,
            "max_calls_per_session": 8,
        },
    }
    assert (
        "call policy: side_effects=unsafe, dedupe_window_seconds=40.0, max_calls_per_session=8"
        in text
    )


def test_a_policy_naming_no_function_is_refused_with_its_path_and_stores_nothing(cli: Cli) -> None:
    document = http_tool_document("crm", ["lookup"])
    document["call_policy"] = {"lookpu": {"side_effects": "none"}}

    message = cli.refused("tools", "define", cli.write_json("crm.json", document))

    assert "call_policy.lookpu" in message
    assert "names no function of the tool (lookup)" in message
    assert cli.json("tools", "list") == []
