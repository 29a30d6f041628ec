"""``tool-platform tools sync`` and ``tool-platform call``: code tools and single calls."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from entrypoints.commands.output import CliError, JsonFlag, emit_json, reported_errors, say
from entrypoints.commands.session import run
from entrypoints.container import Container

if TYPE_CHECKING:
    from adapters.livekit.text_session import CallOutcome


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


def call(
    agent: Annotated[str, typer.Argument(help="The agent's id or name.")],
    function: Annotated[str, typer.Argument(help="The function to call.")],
    arguments: Annotated[
        str, typer.Option("--args", help="The arguments as JSON text, as an LLM sends them.")
    ] = "{}",
) -> None:
    """Run one function exactly as a session would, through a real LiveKit AgentSession.

    A scripted LLM makes the one call; prints {"ok": true, "output": ...} or
    {"ok": false, "error": ...} and exits 0 or 1.
    """
    with reported_errors():
        outcome = run(lambda container: _call_once(container, agent, function, arguments))
    emit_json(outcome.as_json())
    raise typer.Exit(0 if outcome.ok else 1)


async def _call_once(
    container: Container, agent: str, function: str, arguments: str
) -> CallOutcome:
    from adapters.livekit.text_session import call_once  # noqa: PLC0415

    toolset = await container.toolsets().load(agent)
    runtime = container.livekit_runtime()
    return await call_once(
        toolset, runtime, function, arguments, instructions=toolset.agent.instructions
    )
