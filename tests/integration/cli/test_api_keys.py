"""``tool-platform api-keys``: the key printed once, only its hash kept, revocation."""

from __future__ import annotations

import sqlite3

from tests.integration.cli.support import DATABASE, Cli


def test_create_prints_the_key_once_and_stores_only_its_hash(cli: Cli) -> None:
    created = cli.json("api-keys", "create", "deployer", "--scope", "tools:write")

    assert created["key"].startswith("tpk_")
    assert created["name"] == "deployer"
    assert created["scopes"] == ["tools:write"]
    assert created["revoked_at"] is None
    listed = cli.json("api-keys", "list")
    assert listed == [{k: v for k, v in created.items() if k != "key"}]
    assert created["key"] not in "".join(cli.transcript[4:])  # after the create command
    with sqlite3.connect(cli.directory / DATABASE) as database:
        rows = database.execute("select * from api_keys").fetchall()
    assert created["key"] not in repr(rows)


def test_create_without_json_prints_the_key_alone_on_stdout(cli: Cli) -> None:
    result = cli("api-keys", "create", "ops", "--scope", "admin", "--scope", "calls:read")

    assert result.exit_code == 0
    assert result.stdout.strip().startswith("tpk_")
    assert len(result.stdout.strip().splitlines()) == 1
    assert "admin, calls:read" in result.stderr


def test_a_scope_is_needed_and_must_be_known(cli: Cli) -> None:
    unknown = cli.refused("api-keys", "create", "ops", "--scope", "tools:read")

    assert "unknown scope 'tools:read'" in unknown
    assert "admin, tools:write, agents:write, calls:read, tools:execute" in unknown
    assert cli.json("api-keys", "list") == []


def test_names_are_unique(cli: Cli) -> None:
    cli.ok("api-keys", "create", "ops", "--scope", "admin")

    assert "already exists" in cli.refused("api-keys", "create", "ops", "--scope", "admin")


def test_revoke_marks_the_key_and_an_unknown_name_is_refused(cli: Cli) -> None:
    cli.ok("api-keys", "create", "ops", "--scope", "admin")

    assert "Revoked API key 'ops'" in cli.ok("api-keys", "revoke", "ops")

    [listed] = cli.json("api-keys", "list")
    assert listed["revoked_at"] is not None
    assert "revoked" in cli.ok("api-keys", "list")
    assert "no API key is named 'nobody'" in cli.refused("api-keys", "revoke", "nobody")
