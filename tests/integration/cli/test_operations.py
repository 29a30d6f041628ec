"""Prompts, key rotation, seed rows in plaintext, settings and database problems, YAML."""

from __future__ import annotations

import base64
import json
import os
import sqlite3
from pathlib import Path

import pytest
import yaml

from tests.builders import (
    CANARY,
    assert_no_secret,
    function_doc,
    http_tool_document,
    mcp_tool_document,
)
from tests.integration.cli.support import DATABASE, KEY_FILE, Cli

NEW_KEY = "k2:" + base64.b64encode(bytes(range(32))).decode()


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make standard input count as a terminal (CliRunner's input is not one)."""
    monkeypatch.setattr("entrypoints.commands.secret_input.stdin_is_interactive", lambda: True)


@pytest.mark.usefixtures("terminal")
def test_a_bare_secret_option_asks_for_the_value_without_echo(seeded: Cli) -> None:
    result = seeded(
        "agents", "bind", "back-office", "weather", "--secret", "api_key", input=CANARY + "\n"
    )

    assert result.exit_code == 0, result.stderr
    assert "Value of secret api_key:" in result.stderr  # the prompt, on stderr
    assert "secrets set: api_key" in result.stdout
    assert_no_secret(result.stdout + result.stderr)
    assert seeded.json("agents", "toolset", "back-office")["bindings"][0]["secret_names"] == [
        "api_key"
    ]


@pytest.mark.usefixtures("terminal")
def test_secrets_set_without_a_value_asks_for_it(seeded: Cli) -> None:
    result = seeded(
        "agents", "secrets", "set", "front-desk", "weather", "api_key", input="replaced\n"
    )

    assert result.exit_code == 0, result.stderr
    assert "Value of secret api_key:" in result.stderr
    assert "replaced" not in result.stdout + result.stderr


def test_rotate_re_encrypts_under_the_first_key_and_old_keys_can_then_go(seeded: Cli) -> None:
    old = (seeded.directory / KEY_FILE).read_text().strip()
    seeded.env["TOOL_PLATFORM_SECRET_KEYS"] = f"{NEW_KEY},{old}"

    rotated = seeded.ok("secrets", "rotate")
    assert rotated == "Re-encrypted 1 secret under the first configured key.\n"
    assert "Re-encrypted 0 secrets" in seeded.ok("secrets", "rotate")

    seeded.env["TOOL_PLATFORM_SECRET_KEYS"] = NEW_KEY
    toolset = seeded.json("agents", "toolset", "front-desk")
    assert [f["name"] for f in toolset["functions"]] == ["get_forecast", "get_alerts"]
    assert toolset["left_out"] == []


def test_a_binding_whose_key_is_gone_is_left_out_with_the_reason(seeded: Cli) -> None:
    seeded.env["TOOL_PLATFORM_SECRET_KEYS"] = NEW_KEY  # not the key the secret is under

    result = seeded("agents", "toolset", "front-desk", "--json")

    assert result.exit_code == 0, result.stderr
    toolset = json.loads(result.stdout)
    assert toolset["functions"] == []
    [left] = toolset["left_out"]
    assert left["tool"] == "weather"
    assert "its secrets cannot be read" in left["reason"]
    assert "which TOOL_PLATFORM_SECRET_KEYS does not hold; add that key" in left["reason"]
    # Reading a binding decrypts nothing: the agent shows its bindings and the operator
    # can still disable or unbind the one whose key is gone.
    assert seeded.json("agents", "show", "front-desk")["bindings"][0]["secret_names"] == ["api_key"]
    seeded.ok("agents", "disable", "front-desk", "weather")
    seeded.ok("agents", "unbind", "front-desk", "weather")
    assert seeded.json("agents", "show", "front-desk")["bindings"] == []


def test_encrypt_plaintext_encrypts_seed_rows_in_place(seeded: Cli) -> None:
    with sqlite3.connect(seeded.directory / DATABASE) as connection:
        connection.execute("UPDATE agent_tools SET sensitive_config = ?", ('{"api_key": "plain"}',))
    connection.close()
    left_out = seeded.json("agents", "toolset", "front-desk")["left_out"]
    assert "secrets encrypt-plaintext" in left_out[0]["reason"]

    assert seeded.ok("secrets", "encrypt-plaintext") == ("Encrypted 1 plaintext secret in place.\n")

    toolset = seeded.json("agents", "toolset", "front-desk")
    assert toolset["left_out"] == []
    assert len(toolset["functions"]) == 2
    assert "Encrypted 0 plaintext secrets" in seeded.ok("secrets", "encrypt-plaintext")


def test_secret_commands_need_a_storage_with_secrets_at_rest(tmp_path: Path) -> None:
    memory = Cli(tmp_path, env={"TOOL_PLATFORM_STORAGE": "memory"})

    message = memory.refused("secrets", "rotate")

    assert message == (
        "the configured storage keeps no secrets at rest; set TOOL_PLATFORM_STORAGE=sqlalchemy"
    )


def test_invalid_settings_are_named_without_their_values(seeded: Cli) -> None:
    seeded.env["TOOL_PLATFORM_STORAGE"] = "bogus-storage"

    message = seeded.refused("tools", "list")

    assert message.startswith("invalid settings: TOOL_PLATFORM_STORAGE: ")
    assert "bogus-storage" not in message


def test_malformed_secret_keys_are_named_without_key_material(seeded: Cli) -> None:
    seeded.env["TOOL_PLATFORM_SECRET_KEYS"] = "k1:not-base64!!"

    message = seeded.refused("tools", "list")

    assert "TOOL_PLATFORM_SECRET_KEYS: entry 1 must be id:base64key" in message
    assert "not-base64" not in message


def test_a_key_file_others_can_read_is_refused(seeded: Cli) -> None:
    os.chmod(seeded.directory / KEY_FILE, 0o644)

    assert "run `chmod 600" in seeded.refused("tools", "list")


def test_an_unreachable_database_is_one_line_without_the_password(tmp_path: Path) -> None:
    unreachable = Cli(
        tmp_path,
        env={
            "TOOL_PLATFORM_DATABASE_URL": "postgresql+asyncpg://admin:hunter2@127.0.0.1:9/tools",
            "TOOL_PLATFORM_SECRET_KEYS": NEW_KEY,
        },
    )

    message = unreachable.refused("agents", "list")

    assert "hunter2" not in message


def test_a_database_never_migrated_says_to_upgrade(tmp_path: Path) -> None:
    message = Cli(tmp_path, env={"TOOL_PLATFORM_SECRET_KEYS": NEW_KEY}).refused("tools", "list")

    assert "no such table" in message
    assert message.endswith("run `tool-platform db upgrade` first")


def test_db_upgrade_is_idempotent(cli: Cli) -> None:
    assert cli.ok("db", "upgrade").startswith("the database schema is up to date")


def test_yaml_documents_mean_what_the_same_json_would(cli: Cli) -> None:
    document = http_tool_document("dated", ("get_day",))
    text = yaml.safe_dump(document).replace(
        "description: An HTTP tool for tests.", "description: 2024-01-01"
    )
    cli.ok("tools", "define", cli.write("dated.yml", text))

    assert cli.json("tools", "show", "dated")["description"] == "2024-01-01"


def test_define_reports_the_defaults_it_dropped(cli: Cli) -> None:
    parameters = {"type": "object", "properties": {"unit": {"type": "string", "default": None}}}
    document = http_tool_document("units", (function_doc("convert", parameters),))
    path = cli.write_json("units.json", document)

    human = cli.ok("tools", "define", path)
    assert "Function defaults dropped (invalid for their own schema): 1" in human
    assert "tool_functions_schema.functions[0].parameters.properties.unit.default" in human
    outcome = json.loads(cli.ok("tools", "define", path, "--json"))
    assert outcome["changed"] is False
    assert outcome["dropped_defaults"] == [
        "tool_functions_schema.functions[0].parameters.properties.unit.default"
    ]


def test_empty_lists_say_how_to_begin(cli: Cli) -> None:
    assert "tools define FILE" in cli.ok("tools", "list")
    assert "agents create NAME" in cli.ok("agents", "list")


def test_an_mcp_function_is_offered_at_load_without_connecting_to_its_server(
    seeded: Cli,
) -> None:
    seeded.ok("tools", "define", seeded.write_json("crm.json", mcp_tool_document("crm")))
    seeded.ok("agents", "bind", "back-office", "crm")

    toolset = seeded.json("agents", "toolset", "back-office")

    assert [function["name"] for function in toolset["functions"]] == ["search"]
    assert toolset["left_out"] == []
