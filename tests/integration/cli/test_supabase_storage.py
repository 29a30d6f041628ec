"""The CLI on ``TOOL_PLATFORM_STORAGE=supabase``, unchanged: commands, a call, rotation.

The Supabase storage talks to the PostgREST stand-in, which runs every RPC call on a
real PostgreSQL database holding the Supabase migrations.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import respx

from adapters.supabase.storage import SCHEMA_VERSION
from tests.builders import CANARY, assert_no_secret, python_tool_document
from tests.integration.cli.support import Cli
from tests.integration.postgres import DatabaseFactory, free_port
from tests.integration.storage.postgrest_standin import (
    BASE_URL,
    SERVICE_ROLE_KEY,
    PostgrestStandIn,
)
from tests.integration.supabase_schema import apply_supabase_schema, dsn

FIRST_KEY = "first:" + base64.b64encode(b"1" * 32).decode()
SECOND_KEY = "second:" + base64.b64encode(b"2" * 32).decode()


@pytest.fixture
def standin(postgres_database_factory: DatabaseFactory) -> PostgrestStandIn:
    """The stand-in, on a new database holding the Supabase migrations."""
    url = postgres_database_factory()
    asyncio.run(apply_supabase_schema(url))
    return PostgrestStandIn(dsn(url))


@pytest.fixture
def supabase(cli_directory: Cli, standin: PostgrestStandIn) -> Iterator[Cli]:
    """A CLI whose storage is Supabase, reached through the stand-in."""
    cli_directory.env.update(
        {
            "TOOL_PLATFORM_STORAGE": "supabase",
            "SUPABASE_URL": BASE_URL,
            "SUPABASE_SERVICE_ROLE_KEY": SERVICE_ROLE_KEY,
            "TOOL_PLATFORM_SECRET_KEYS": FIRST_KEY,
            "TOOL_PLATFORM_MODEL_TARGET": "any",
        }
    )
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        router.post(path__startswith="/rest/v1/rpc/").mock(side_effect=standin.handle)
        yield cli_directory


@pytest.fixture
def cli_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """A CLI in the test's own directory (no database file is made there)."""
    monkeypatch.chdir(tmp_path)
    return Cli(tmp_path)


def test_db_upgrade_checks_the_remote_schema_and_points_to_supabase_db_push(
    supabase: Cli,
) -> None:
    said = supabase.ok("db", "upgrade")

    assert "supabase db push" in said
    assert f"revision {SCHEMA_VERSION}" in said


def test_commands_and_a_call_work_unchanged_and_rotation_reseals_under_the_new_key(
    supabase: Cli, standin: PostgrestStandIn
) -> None:
    document = python_tool_document("echoes", {"echo": "echo"}, secret_names=("api_key",))
    outputs = [
        supabase.ok("tools", "define", supabase.write_json("echoes.json", document)),
        supabase.ok("agents", "create", "front-desk"),
        supabase.ok("agents", "bind", "front-desk", "echoes", "--secret", f"api_key={CANARY}"),
        supabase.ok("agents", "show", "front-desk"),
    ]
    called = supabase("call", "front-desk", "echo", "--args", '{"text": "hello"}')
    supabase.env["TOOL_PLATFORM_SECRET_KEYS"] = f"{SECOND_KEY},{FIRST_KEY}"
    rotated = supabase.ok("secrets", "rotate")
    supabase.env["TOOL_PLATFORM_SECRET_KEYS"] = SECOND_KEY
    called_after = supabase("call", "front-desk", "echo", "--args", '{"text": "again"}')

    assert called.exit_code == 0, called.stderr
    assert json.loads(json.loads(called.stdout)["output"])["arguments"] == {"text": "hello"}
    assert rotated.startswith("Re-encrypted 1 secret under the first configured key")
    assert called_after.exit_code == 0, called_after.stderr
    for text in [*outputs, called.stdout, called.stderr, rotated, called_after.stdout]:
        assert_no_secret(text)
        assert_no_secret(text, SERVICE_ROLE_KEY)
    for request in standin.requests:  # Supabase never sees the plaintext secret
        assert_no_secret(request.content.decode())


def test_a_wrong_key_is_one_line_naming_the_setting_and_not_the_key(supabase: Cli) -> None:
    supabase.env["SUPABASE_SERVICE_ROLE_KEY"] = "an-anon-key-" + CANARY

    said = supabase.refused("agents", "list")

    assert "SUPABASE_SERVICE_ROLE_KEY must be the project's service-role key" in said
    assert_no_secret(said)


def test_missing_supabase_settings_are_named(supabase: Cli) -> None:
    supabase.env["SUPABASE_URL"] = None

    said = supabase.refused("agents", "list")

    assert said == "TOOL_PLATFORM_STORAGE=supabase needs SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY"


def test_without_secret_keys_the_supabase_storage_refuses_to_start(supabase: Cli) -> None:
    supabase.env["TOOL_PLATFORM_SECRET_KEYS"] = None

    said = supabase.refused("agents", "list")

    assert said.startswith("TOOL_PLATFORM_SECRET_KEYS is not set")


def test_a_supabase_url_that_is_not_http_is_one_line(supabase: Cli) -> None:
    supabase.env["SUPABASE_URL"] = "db.project.supabase.co:5432"

    said = supabase.refused("agents", "list")

    assert said == "SUPABASE_URL must be an http(s) URL, not 'db.project.supabase.co:5432'"


def test_a_supabase_that_cannot_be_reached_is_one_line_naming_it(cli_directory: Cli) -> None:
    port = free_port()  # nothing listens there: a real connection is refused
    cli_directory.env.update(
        {
            "TOOL_PLATFORM_STORAGE": "supabase",
            "SUPABASE_URL": f"http://127.0.0.1:{port}",
            "SUPABASE_SERVICE_ROLE_KEY": SERVICE_ROLE_KEY,
            "TOOL_PLATFORM_SECRET_KEYS": FIRST_KEY,
        }
    )

    said = cli_directory.refused("agents", "list")

    assert said == f"cannot reach Supabase at 127.0.0.1:{port}: ConnectError"
