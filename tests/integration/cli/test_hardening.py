"""Input the CLI cannot parse at all, and rows stored before today's rules.

Unreadable settings or key files, and standard input that never ends, are one line on
stderr and exit 1. Rows that break a rule made after they were stored still load: the
listings flag them, text output escapes their control characters, and they can be fixed.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.builders import function_doc, python_tool_document
from tests.integration.cli.support import DATABASE, KEY_FILE, Cli, cli_environment

LEGACY_ID = "5b0e6a0c-4c44-4f57-9c0e-0f3d1e2b7a11"
LEGACY_NAME = "../legacy\n\x1b[31mred"
"""A name no rule allows today: a path, a line break and a terminal escape code."""


def store_legacy_agent(cli: Cli) -> None:
    """Write an agent row straight into the database, as a seed from before the rules did."""
    with sqlite3.connect(cli.directory / DATABASE) as connection:
        connection.execute(
            "INSERT INTO agents (id, name, instructions, created_at, updated_at) "
            "VALUES (?, ?, '', '2025-01-01T00:00:00+00:00', '2025-01-01T00:00:00+00:00')",
            (LEGACY_ID, LEGACY_NAME),
        )
    connection.close()


@pytest.mark.parametrize(
    "args", [("tools", "list"), ("agents", "show", "front-desk"), ("db", "upgrade")]
)
def test_a_binary_env_file_is_one_line_for_every_command(
    seeded: Cli, args: tuple[str, ...]
) -> None:
    (seeded.directory / ".env").write_bytes(bytes(range(256)))

    message = seeded.refused(*args)

    assert message == (
        "cannot read the settings file .env in the working directory: "
        "it is not UTF-8 text (byte 128)"
    )


def test_a_garbage_key_file_is_one_line_and_changes_nothing(seeded: Cli) -> None:
    before = seeded.state(["front-desk"])
    key = (seeded.directory / KEY_FILE).read_bytes()
    (seeded.directory / KEY_FILE).write_bytes(bytes(range(255, -1, -1)))

    message = seeded.refused("agents", "toolset", "front-desk")

    assert message == (
        f"the key file {seeded.directory / KEY_FILE} (or TOOL_PLATFORM_SECRET_KEYS) is not a "
        "key file: it is not text (id:base64key lines)"
    )
    (seeded.directory / KEY_FILE).write_bytes(key)
    assert seeded.state(["front-desk"]) == before


def test_standard_input_that_never_ends_is_read_up_to_the_limit(seeded: Cli) -> None:
    environment = {
        **os.environ,
        **{k: v for k, v in cli_environment(seeded.directory).items() if v is not None},
        "TOOL_PLATFORM_MAX_INPUT_BYTES": str(1024 * 1024),
    }
    command = [sys.executable, "-c", "from entrypoints.cli import main; main()"]

    with Path("/dev/zero").open("rb") as endless:
        done = subprocess.run(
            [*command, "tools", "define", "-"],
            stdin=endless,
            capture_output=True,
            env=environment,
            cwd=seeded.directory,
            timeout=120,
            check=False,
        )

    assert done.returncode == 1
    assert done.stderr.decode() == (
        "error: the tool document in standard input is larger than 1048576 bytes "
        "(TOOL_PLATFORM_MAX_INPUT_BYTES sets the limit)\n"
    )


def test_an_agent_stored_with_a_bad_name_is_flagged_escaped_and_can_be_renamed(
    seeded: Cli,
) -> None:
    store_legacy_agent(seeded)

    listed = seeded("agents", "list")
    [legacy] = [a for a in seeded.json("agents", "list") if a["id"] == LEGACY_ID]
    shown = seeded.ok("agents", "show", LEGACY_ID)

    assert listed.exit_code == 0
    assert "../legacy\\n\\x1b[31mred" in listed.stdout
    assert "\x1b" not in listed.stdout + listed.stderr + shown
    assert f"rename it with `tool-platform agents update {LEGACY_ID} --name NEW`" in listed.stderr
    assert legacy["name"] == LEGACY_NAME
    assert legacy["needs_attention"] == (
        "an agent name must be printable: no line breaks, tabs, escape codes or other "
        f"control characters; rename it with `tool-platform agents update {LEGACY_ID} --name NEW`"
    )
    seeded.ok("agents", "update", LEGACY_ID, "--instructions", "Still usable.")
    seeded.ok("agents", "update", LEGACY_ID, "--name", "legacy")
    assert seeded.json("agents", "show", "legacy")["agent"]["needs_attention"] is None
    assert "note:" not in seeded("agents", "list").stderr


def test_a_tool_stored_before_a_lowered_limit_is_flagged_left_out_and_fixed_by_a_new_version(
    seeded: Cli,
) -> None:
    wordy = python_tool_document(
        "wordy", {"plan": "echo"}, functions=[function_doc("plan", description="d" * 100)]
    )
    seeded.ok("tools", "define", seeded.write_json("wordy.json", wordy))
    seeded.ok("agents", "bind", "back-office", "wordy")
    seeded.env["TOOL_PLATFORM_MAX_DESCRIPTION_CHARS"] = "50"

    listed = seeded("tools", "list")
    summaries = {tool["name"]: tool for tool in seeded.json("tools", "list")}
    [left] = seeded.json("agents", "toolset", "back-office")["left_out"]

    assert listed.exit_code == 0
    attention = (
        "tool 'wordy' (version 1) as stored breaks today's limits: tool_functions_schema."
        "functions[0].description: is 100 characters long; at most 50 are accepted; "
        "define it again within them"
    )
    assert listed.stderr == f"note: {attention}\n"
    assert "plan" in listed.stdout  # it still loads: its functions are listed
    assert summaries["weather"]["needs_attention"] is None
    assert summaries["wordy"]["needs_attention"] == attention
    assert (left["function"], left["reason"]) == (
        "plan",
        "its descriptions are longer than today's limits allow (plan.description: is 100 "
        "characters long; at most 50 are accepted); define the tool again with shorter ones",
    )
    fixed = python_tool_document(
        "wordy", {"plan": "echo"}, functions=[function_doc("plan", description="Plan a trip.")]
    )
    seeded.ok("tools", "define", seeded.write("fixed.json", json.dumps(fixed)))
    assert seeded.json("tools", "list")[-1]["needs_attention"] is None
    assert seeded.json("agents", "toolset", "back-office")["functions"][0]["name"] == "plan"


def test_agents_show_lists_a_binding_whose_secrets_are_plaintext(seeded: Cli) -> None:
    with sqlite3.connect(seeded.directory / DATABASE) as connection:
        connection.execute("UPDATE agent_tools SET sensitive_config = ?", ('{"api_key": "p"}',))
    connection.close()

    shown = seeded.json("agents", "show", "front-desk")

    [binding] = shown["bindings"]
    assert binding["secret_names"] == ["api_key"]
    [left] = binding["left_out"]
    assert "secrets encrypt-plaintext" in left["reason"]
