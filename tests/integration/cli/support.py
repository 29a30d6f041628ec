"""Driving ``tool-platform`` in-process on a SQLite file, and checking what it printed."""

from __future__ import annotations

import asyncio
import json
import shutil
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from unittest import mock

import typer.testing
from typer.testing import CliRunner, Result

from entrypoints.cli import app

COMMAND = typer.main.get_command(app)
"""The command, built once: typer's runner rebuilds it on every call (a third of the time).

Typer vendors its own click, so only typer's runner feeds prompts (hidden ones too).
"""

DATABASE = "tool_platform.db"
KEY_FILE = "tool_platform.key"


def cli_environment(directory: Path) -> dict[str, str | None]:
    """The settings that put the CLI on ``directory/tool_platform.db`` with a local key file."""
    return {
        "TOOL_PLATFORM_STORAGE": "sqlalchemy",
        "TOOL_PLATFORM_DATABASE_URL": f"sqlite+aiosqlite:///{directory / DATABASE}",
        "TOOL_PLATFORM_SECRET_KEY_FILE": str(directory / KEY_FILE),
        "TOOL_PLATFORM_SECRET_KEYS": None,
        "TOOL_PLATFORM_HANDLER_PACKAGES": "tests.handlers",
    }


def copy_database(source: Path, target: Path) -> None:
    """Copy the SQLite database (with any WAL files) and the key file to another folder."""
    for path in source.iterdir():
        if path.name.startswith(DATABASE) or path.name == KEY_FILE:
            shutil.copy2(path, target / path.name)


@dataclass
class Cli:
    """Runs commands in-process, keeping every stdout and stderr for leak checks.

    Attributes:
        directory: Where the database and key file live.
        env: Extra environment for every command (None removes a variable).
        transcript: Everything any command printed, one entry per stream per command.
    """

    directory: Path
    env: dict[str, str | None] = field(default_factory=dict)
    transcript: list[str] = field(default_factory=list)

    def __call__(self, *args: str, input: str | bytes | None = None) -> Result:
        """Run ``tool-platform ARGS`` and return the result (streams kept apart)."""
        environment = {**cli_environment(self.directory), **self.env}
        with mock.patch.object(typer.testing, "_get_command", return_value=COMMAND):
            result = CliRunner().invoke(app, list(args), input=input, env=environment)
        self.transcript.extend((result.stdout, result.stderr))
        return result

    def ok(self, *args: str, input: str | bytes | None = None) -> str:
        """Run a command that must succeed; return its stdout."""
        result = self(*args, input=input)
        assert result.exit_code == 0, (
            f"{args} failed ({result.exit_code}): {result.stderr}{result.stdout}"
        )
        assert result.exception is None, result.exception
        return result.stdout

    def json(self, *args: str, input: str | bytes | None = None) -> Any:
        """Run a read command with ``--json`` and return the parsed output."""
        return json.loads(self.ok(*args, "--json", input=input))

    def refused(self, *args: str, input: str | bytes | None = None) -> str:
        """Run a command that must be refused; return its one-line error message."""
        result = self(*args, input=input)
        assert result.exit_code == 1, (
            f"{args} exited {result.exit_code}: {result.stderr}{result.stdout}"
        )
        assert isinstance(result.exception, SystemExit), f"unhandled: {result.exception!r}"
        assert "Traceback" not in result.stderr + result.stdout
        lines = result.stderr.splitlines()
        assert len(lines) == 1, f"expected one line on stderr, got: {result.stderr!r}"
        assert lines[0].startswith("error: "), lines[0]
        return lines[0].removeprefix("error: ")

    def state(self, agents: Sequence[str] = ()) -> Any:
        """Everything the CLI can read: tools, their versions, agents, and some agents' views."""
        tools = self.json("tools", "list")
        return {
            "tools": tools,
            "versions": {t["name"]: self.json("tools", "versions", t["name"]) for t in tools},
            "agents": self.json("agents", "list"),
            "shown": {name: self.json("agents", "show", name) for name in agents},
        }

    def write(self, name: str, text: str) -> str:
        """Write a file next to the database; return its path."""
        path = self.directory / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    def write_json(self, name: str, value: Any) -> str:
        """Write a JSON file next to the database; return its path."""
        return self.write(name, json.dumps(value))


class AsyncServer(Protocol):
    """A server served by ``async with``."""

    async def __aenter__(self) -> object: ...
    async def __aexit__(self, *exc_info: object) -> None: ...


@contextmanager
def serving_in_a_thread(server: AsyncServer) -> Iterator[None]:
    """Serve ``server`` on a loop of its own thread (the CLI runs its own loop)."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(server.__aenter__(), loop).result(5)
    try:
        yield
    finally:
        asyncio.run_coroutine_threadsafe(server.__aexit__(), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()
