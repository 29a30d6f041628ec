"""The canary: a secret bound through the CLI is nowhere but in its ciphertext.

Not in the SQLite file (nor its WAL), not in any PostgreSQL table, not in anything any
command printed, not in any log record at DEBUG level.
"""

from __future__ import annotations

import asyncio
import base64
import logging
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from tests.builders import CANARY, assert_no_secret
from tests.integration.cli.conftest import weather_document
from tests.integration.cli.support import Cli

KEY = "k1:" + base64.b64encode(bytes(range(32))).decode()


def walk(cli: Cli) -> None:
    """Every command that touches the secret or shows the binding."""
    cli.ok("db", "upgrade")
    cli.ok("tools", "define", cli.write_json("weather.json", weather_document()))
    cli.ok("agents", "create", "front-desk")
    cli.ok("agents", "bind", "front-desk", "weather", "--secret", f"api_key={CANARY}")
    cli.ok("agents", "show", "front-desk")
    cli.ok("agents", "show", "front-desk", "--json")
    cli.ok("agents", "toolset", "front-desk")
    cli.ok("agents", "toolset", "front-desk", "--json")
    cli.ok(
        "agents",
        "secrets",
        "set",
        "front-desk",
        "weather",
        "api_key",
        "--from-file",
        "-",
        input=f"{CANARY}\n",
    )
    cli.ok("secrets", "rotate")
    bad = cli("agents", "bind", "front-desk", "weather", "--secret", f"api_key={CANARY}")
    assert bad.exit_code == 1


def assert_nowhere(cli: Cli, caplog: pytest.LogCaptureFixture) -> None:
    for printed in cli.transcript:
        assert_no_secret(printed)
    assert_no_secret(caplog.text)
    for record in caplog.records:
        assert_no_secret(repr(record.__dict__))


def test_on_sqlite_the_canary_is_in_no_file_output_or_log(
    cli: Cli, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.DEBUG)

    walk(cli)

    files = [path for path in tmp_path.iterdir() if path.name.startswith("tool_platform.db")]
    assert files, "the database file is where the CLI was told to put it"
    for path in files:
        assert CANARY.encode() not in path.read_bytes(), path.name
    assert_nowhere(cli, caplog)


def test_on_postgresql_the_canary_is_in_no_table_output_or_log(
    tmp_path: Path,
    fresh_postgres_url: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.chdir(tmp_path)
    cli = Cli(
        tmp_path,
        env={"TOOL_PLATFORM_DATABASE_URL": fresh_postgres_url, "TOOL_PLATFORM_SECRET_KEYS": KEY},
    )
    caplog.set_level(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.DEBUG)

    walk(cli)

    assert_no_secret(asyncio.run(every_row_as_text(fresh_postgres_url)))
    assert_nowhere(cli, caplog)


async def every_row_as_text(url: str) -> str:
    """Every row of every table in the public schema, as PostgreSQL renders it."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            tables = (
                await connection.execute(
                    sa.text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                )
            ).scalars()
            rows = [
                str(row)
                for table in list(tables)
                for row in await connection.execute(sa.text(f'SELECT t::text FROM "{table}" t'))
            ]
    finally:
        await engine.dispose()
    assert any("sensitive_config" in row or "key_id" in row for row in rows)
    return "\n".join(rows)
