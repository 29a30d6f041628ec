"""The ``tool-platform`` command line: the root, mounting one sub-app per group.

``docs/cli.md`` documents every command, its ``--json`` shape and its exit codes.
"""

from __future__ import annotations

import asyncio
import sys

import typer

from entrypoints.commands import agents, db, secrets, tools
from entrypoints.container import Container
from entrypoints.demo import run_demo
from entrypoints.settings import PlatformSettings

app = typer.Typer(
    help="Tools for LiveKit voice agents, as data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(db.app, name="db")
app.add_typer(tools.app, name="tools")
app.add_typer(agents.app, name="agents")
app.add_typer(secrets.app, name="secrets")


@app.callback()
def _root() -> None:
    """Tools for LiveKit voice agents, as data."""


@app.command()
def demo() -> None:
    """Run the offline demo: define a corpus tool, bind it, load the toolset, validate calls."""
    container = Container()
    # The demo is offline and leaves nothing behind, whatever storage is configured.
    container.settings.override(PlatformSettings(storage="memory"))
    asyncio.run(run_demo(container, sys.stdout))


def main() -> None:
    """Run the command line."""
    app()
