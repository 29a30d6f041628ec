"""``tool-platform worker dev|start|console``: the LiveKit worker."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from entrypoints.commands.output import CliError, reported_errors
from entrypoints.container import Container


class Mode(StrEnum):
    """LiveKit's worker modes."""

    DEV = "dev"
    START = "start"
    CONSOLE = "console"


def worker(
    context: typer.Context,
    mode: Annotated[
        Mode, typer.Argument(help="dev (reloads), start (production) or console (local).")
    ],
) -> None:
    """Run the LiveKit worker; extra arguments go to LiveKit's own command line.

    Needs LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET (except in console mode)
    and GOOGLE_API_KEY; without them it stops at once, naming what is missing.
    """
    with reported_errors():
        settings = Container().settings()
        missing = settings.missing_worker_environment(mode)
        if missing:
            raise CliError(
                f"the worker needs {', '.join(missing)} in the environment "
                "(see README: running the worker)"
            )
    from livekit.agents import cli as livekit_cli  # noqa: PLC0415 - only the worker needs it

    from entrypoints.worker import build_server  # noqa: PLC0415

    sys.argv = ["tool-platform worker", str(mode), *context.args]
    livekit_cli.run_app(build_server(settings))
