"""The ``tool-platform`` command line: the root, mounting one sub-app per group.

``docs/cli.md`` documents every command, its ``--json`` shape and its exit codes.
"""

from __future__ import annotations

import asyncio
import sys

import typer

from entrypoints.commands import (
    agents,
    api_keys,
    call,
    calls,
    db,
    secrets,
    serve,
    sync,
    tools,
    worker,
)

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
app.add_typer(api_keys.app, name="api-keys")
app.command("serve")(serve.serve)
app.add_typer(calls.app, name="calls")
tools.app.command("sync")(sync.sync)
app.command("call")(call.call)
app.command("worker", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})(
    worker.worker
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
    from entrypoints.demo import run_demo  # noqa: PLC0415 - LiveKit loads for the demo only

    asyncio.run(run_demo(sys.stdout))


def main() -> None:
    """Run the command line."""
    app()
