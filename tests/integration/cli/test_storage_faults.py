"""Stored data the CLI cannot use today is named in one line, never a traceback."""

from __future__ import annotations

import base64

from tests.builders import CANARY, function_doc, http_tool_document
from tests.integration.cli.support import KEY_FILE, Cli

NEW_KEY = "new:" + base64.b64encode(bytes(range(32))).decode()
WORDY = {"type": "object", "properties": {"text": {"type": "string", "description": "x" * 2000}}}


def test_a_tool_stricter_limits_refuse_needs_attention_and_costs_only_its_binding(
    seeded: Cli,
) -> None:
    wordy = http_tool_document("wordy", [function_doc("say_a_lot", WORDY)])
    seeded.ok("tools", "define", seeded.write_json("wordy.json", wordy))
    seeded.ok("agents", "bind", "front-desk", "wordy")
    strict = Cli(seeded.directory, env={"TOOL_PLATFORM_MAX_SCHEMA_BYTES": "1024"})

    listed = {tool["name"]: tool for tool in strict.json("tools", "list")}
    human = strict.ok("tools", "list")
    toolset = strict.json("agents", "toolset", "front-desk")
    shown = strict.refused("tools", "show", "wordy")

    assert listed["weather"]["needs_attention"] is None
    assert "1024" in listed["wordy"]["needs_attention"]
    assert "define it again" in listed["wordy"]["needs_attention"]
    assert "needs attention" in human
    assert [f["name"] for f in toolset["functions"]] == ["get_forecast", "get_alerts"]
    assert [
        (item["tool"], "breaks today's rules" in item["reason"]) for item in toolset["left_out"]
    ] == [("wordy", True)]
    assert shown.startswith("tool 'wordy' (version 1) as stored breaks today's rules")


def test_rotation_reports_each_unreadable_secret_and_exits_1(seeded: Cli) -> None:
    rotating = Cli(seeded.directory, env={"TOOL_PLATFORM_SECRET_KEYS": NEW_KEY})

    result = rotating("secrets", "rotate")

    assert result.exit_code == 1
    assert "Re-encrypted 0 secrets" in result.stdout
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: left as it was: secret 'api_key' of binding ")
    assert "'local'" in line
    assert CANARY not in result.stdout + result.stderr


def test_a_lost_key_file_is_never_replaced_over_stored_secrets(seeded: Cli) -> None:
    (seeded.directory / KEY_FILE).unlink()

    message = seeded.refused("agents", "list")

    assert "sealed with key local" in message
    assert "restore the key file from its backup" in message
    assert not (seeded.directory / KEY_FILE).exists()
