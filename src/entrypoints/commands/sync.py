"""``tool-platform tools sync``: code tools from Python packages into the catalog."""

from __future__ import annotations

from typing import Annotated

import typer

from entrypoints.commands.output import CliError, JsonFlag, emit_json, reported_errors, say
from entrypoints.commands.session import run


def sync(
    packages: Annotated[list[str], typer.Argument(help="Packages (or modules) to import.")],
    as_json: JsonFlag = False,
) -> None:
    """Sync LiveKit @function_tools from Python packages into the catalog.

    Each module that defines function tools becomes one platform tool; an unchanged
    module writes nothing, and a function that disappeared makes a new version without it.
    The packages must be on TOOL_PLATFORM_HANDLER_PACKAGES.
    """
    from adapters.code_sync import sync_packages  # noqa: PLC0415 - imports LiveKit

    with reported_errors():
        try:
            synced = run(lambda container: sync_packages(packages, container.tools()))
        except ImportError as error:
            raise CliError(f"cannot import {error.name or 'a package'}: {error}") from None
    if as_json:
        emit_json(
            [
                {
                    "module": item.module,
                    "tool": item.outcome.tool.name,
                    "version": item.outcome.tool.version,
                    "changed": item.outcome.changed,
                    "functions": list(item.outcome.tool.function_names),
                }
                for item in synced
            ]
        )
        return
    if not synced:
        say("No @function_tool found in " + ", ".join(packages) + ".")
    for item in synced:
        tool = item.outcome.tool
        state = "new version" if item.outcome.changed else "unchanged"
        say(
            f"{item.module}: tool {tool.name!r} version {tool.version} ({state}): "
            + ", ".join(tool.function_names)
        )
