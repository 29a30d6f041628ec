"""The ``tool-platform`` command line: the root, mounting one sub-app per group.

``docs/cli.md`` documents every command, its ``--json`` shape and its exit codes.

Each group's module is imported only when one of its commands runs: ``--help`` at the
root lists them from :data:`COMMANDS` without importing any, and ``tools list`` never
loads what ``call`` or ``worker`` need (docs/performance.md, CLI start-up).
"""

from __future__ import annotations

import typer

from entrypoints.lazy_commands import LazyCommand, LazyGroup

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
    "demo": LazyCommand(
        "entrypoints.commands.demo",
        "demo",
        "Run the offline demo: sync, define, bind, and a real session calling the tools.",
    ),
}
"""The root's commands, in the order ``--help`` lists them."""


class RootGroup(LazyGroup):
    """The root group: every command is one of :data:`COMMANDS`."""

    lazy = COMMANDS


app = typer.Typer(
    cls=RootGroup,
    help="Tools for LiveKit voice agents, as data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Tools for LiveKit voice agents, as data."""


def main() -> None:
    """Run the command line."""
    app()
