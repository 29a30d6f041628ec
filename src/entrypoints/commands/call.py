"""``tool-platform call``: one function call, exactly as a session makes it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from entrypoints.commands.output import emit_json, reported_errors
from entrypoints.commands.session import run
from entrypoints.container import Container

if TYPE_CHECKING:
    from adapters.livekit.text_session import CallOutcome


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
    from adapters.livekit.text_session import call_once  # noqa: PLC0415 - imports LiveKit

    toolset = await container.toolsets().load(agent)
    async with await container.tool_sessions().open(toolset) as session:
        return await call_once(
            session,
            container.livekit_runtime(),
            function,
            arguments,
            instructions=toolset.agent.instructions,
        )
