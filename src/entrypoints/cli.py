"""The ``tool-platform`` command line."""

from __future__ import annotations

import asyncio
import sys

import typer

from entrypoints.container import Container
from entrypoints.demo import run_demo

app = typer.Typer(
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
    """Run the offline demo: define a corpus tool, bind it, load the toolset, validate calls."""
    asyncio.run(run_demo(Container(), sys.stdout))


def main() -> None:
    """Run the command line."""
    app()
