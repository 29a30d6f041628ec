"""Fixtures of the CLI tests: a migrated SQLite database in ``tmp_path``, empty or seeded.

Every command runs in-process (typer's ``CliRunner``) with the settings pointing at a
file in the test's ``tmp_path``, which is also the working directory (so nothing, not
even a ``.env`` file or a generated key, is read from or written to the repository).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.builders import CANARY, python_tool_document
from tests.integration.cli.support import Cli, copy_database

WEATHER_CONFIG = {
    "type": "object",
    "properties": {
        "language": {"type": "string", "default": "en"},
        "units": {"type": "string", "enum": ["metric", "imperial"], "default": "metric"},
    },
}


def weather_document(secret_names: tuple[str, ...] = ("api_key",)) -> dict[str, object]:
    """The ``weather`` tool: two functions (run by the echo handler), config defaults, secrets."""
    return python_tool_document(
        "weather",
        {"get_forecast": "echo", "get_alerts": "echo"},
        config_schema=WEATHER_CONFIG,
        secret_names=secret_names,
    )


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """A CLI on a fresh, migrated SQLite database."""
    monkeypatch.chdir(tmp_path)
    runner = Cli(tmp_path)
    runner.ok("db", "upgrade")
    return runner


@pytest.fixture(scope="session")
def seeded_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database built once, copied for each test that uses it.

    Tools ``weather`` (secret ``api_key``) and ``other-weather`` (whose function
    ``get_forecast`` clashes with weather's); agents ``front-desk``, bound to
    ``weather`` with config and the canary as its secret, and ``back-office``, unbound.
    """
    directory = tmp_path_factory.mktemp("seeded")
    runner = Cli(directory)
    runner.ok("db", "upgrade")
    runner.ok("tools", "define", runner.write_json("weather.json", weather_document()))
    clash = python_tool_document("other-weather", {"get_forecast": "echo"})
    runner.ok("tools", "define", runner.write_json("other.json", clash))
    runner.ok("agents", "create", "front-desk")
    runner.ok("agents", "create", "back-office")
    runner.ok(
        "agents",
        "bind",
        "front-desk",
        "weather",
        "--config",
        '{"language": "fr"}',
        "--secret",
        f"api_key={CANARY}",
    )
    return directory


@pytest.fixture
def seeded(seeded_database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """A CLI on a copy of :func:`seeded_database`, for this test alone."""
    monkeypatch.chdir(tmp_path)
    copy_database(seeded_database, tmp_path)
    return Cli(tmp_path)
