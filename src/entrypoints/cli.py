"""The ``tool-platform`` command line: the root, mounting one sub-app per group.

``docs/cli.md`` documents every command, its ``--json`` shape and its exit codes.

Each group's module is imported only when one of its commands runs: ``--help`` at the
root lists them from :data:`COMMANDS` without importing any, and ``tools list`` never
loads what ``call`` or ``worker`` need (docs/performance.md, CLI start-up).
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass, field
from typing import Any

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup


@dataclass(frozen=True)
class LazyCommand:
    """A command (or group) of the root, imported when it runs.

    Attributes:
        module: The module that defines it.
        attribute: A ``typer.Typer`` (a group) or a function (one command) in it.
        help: Its one-line help, as the root's ``--help`` lists it (a test checks that
            it is the command's own).
        context_settings: Click context settings of a one-command function.
    """

    module: str
    attribute: str
    help: str
    context_settings: dict[str, Any] = field(default_factory=dict)

    def load(self, name: str) -> Any:
        """Import the command and build its click command."""
        target = getattr(importlib.import_module(self.module), self.attribute)
        holder = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
        if isinstance(target, typer.Typer):
            holder.add_typer(target, name=name)
        else:
            holder.command(name, context_settings=self.context_settings)(target)
        holder.command("-")(_placeholder)  # two entries: typer then builds a group
        return typer.main.get_command(holder).commands[name]  # type: ignore[attr-defined]


COMMANDS: dict[str, LazyCommand] = {
    "db": LazyCommand("entrypoints.commands.db", "app", "The database schema."),
    "tools": LazyCommand("entrypoints.commands.tools", "app", "The catalog of platform tools."),
    "agents": LazyCommand("entrypoints.commands.agents", "app", "Agents and their tool bindings."),
    "secrets": LazyCommand(
        "entrypoints.commands.secrets", "app", "Binding secrets at rest: key rotation, seed rows."
    ),
    "api-keys": LazyCommand(
        "entrypoints.commands.api_keys", "app", "Admin API keys: create, list, revoke."
    ),
    "serve": LazyCommand(
        "entrypoints.commands.serve",
        "serve",
        "Run the admin API (and the web UI) until interrupted, on the configured storage.",
    ),
    "calls": LazyCommand(
        "entrypoints.commands.calls", "app", "The call audit: every tool call, recorded."
    ),
    "call": LazyCommand(
        "entrypoints.commands.call",
        "call",
        "Run one function exactly as a session would, through a real LiveKit AgentSession.",
    ),
    "worker": LazyCommand(
        "entrypoints.commands.worker",
        "worker",
        "Run the LiveKit worker; extra arguments go to LiveKit's own command line.",
        {"allow_extra_args": True, "ignore_unknown_options": True},
    ),
}
"""The root's commands, in the order ``--help`` lists them (``demo`` follows)."""


class LazyGroup(TyperGroup):
    """The root group: :data:`COMMANDS` are imported on first use, not to list them."""

    _listing = False
    _loaded: dict[str, Any]

    def list_commands(self, ctx: Any) -> list[str]:
        """The lazy commands first, then those defined here (``demo``)."""
        return [*COMMANDS, *super().list_commands(ctx)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """The command; while the root's help is written, a stand-in carrying its help."""
        lazy = COMMANDS.get(cmd_name)
        if lazy is None:
            return super().get_command(ctx, cmd_name)
        if self._listing:
            return TyperCommand(cmd_name, help=lazy.help, short_help=lazy.help)
        loaded = self.__dict__.setdefault("_loaded", {})
        if cmd_name not in loaded:
            loaded[cmd_name] = lazy.load(cmd_name)
        return loaded[cmd_name]

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """Write the root's help without importing a single command."""
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


def _placeholder() -> None:
    """Never run: makes the holder of one command a group, as the root is."""


app = typer.Typer(
    cls=LazyGroup,
    help="Tools for LiveKit voice agents, as data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Tools for LiveKit voice agents, as data."""


@app.command()
def demo() -> None:
    """Run the offline demo: sync, define, bind, and a real session calling the tools.

    Everything runs on a SQLite catalog in a temporary folder, with a stand-in Calendar
    API on 127.0.0.1: no keys, no network, nothing left behind.
    """
    import asyncio  # noqa: PLC0415 - what the demo needs loads for the demo only

    from entrypoints.demo import run_demo  # noqa: PLC0415

    asyncio.run(run_demo(sys.stdout))


def main() -> None:
    """Run the command line."""
    app()
