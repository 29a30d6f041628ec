"""Use case: open an agent's toolset as a :class:`ToolSession` for one agent session."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from application.clock import new_id
from application.ports.call_log import CallRecorder
from application.ports.execution import FunctionExecutor, OpenExecutor
from application.ports.offering import SchemaOffering
from application.tool_session import DEFAULT_MAX_RESULT_CHARS, SessionFunction, ToolSession
from domain.tools.kinds import ToolKind
from domain.toolset import AgentToolset, LeftOut


class ToolSessions:
    """Opens tool sessions: each executor opens what its functions need, concurrently.

    Only the functions that can run are offered: a function whose binding its executor
    could not open is left out with the executor's reason (the loader has already left
    out the kinds no executor runs).

    Args:
        executors: One executor per kind of tool this runtime runs.
        offering: What the target model is offered for each function.
        default_timeout_seconds: The timeout of functions that set none themselves.
        max_result_chars: The most characters of one result the model gets.
        recorders: Take the record of every call of every session (the audit writer,
            the tracer).
    """

    def __init__(
        self,
        executors: Sequence[FunctionExecutor],
        offering: SchemaOffering,
        default_timeout_seconds: float,
        max_result_chars: int = DEFAULT_MAX_RESULT_CHARS,
        recorders: Sequence[CallRecorder] = (),
    ) -> None:
        self._executors = {executor.kind: executor for executor in executors}
        self._offering = offering
        self._default_timeout = default_timeout_seconds
        self._max_result_chars = max_result_chars
        self._recorders = tuple(recorders)

    async def open(self, toolset: AgentToolset, *, session_id: str | None = None) -> ToolSession:
        """Open ``toolset`` for one session; close the result with ``aclose``.

        Args:
            toolset: The agent's toolset.
            session_id: The agent session's id, recorded with each call (the worker
                passes the LiveKit job id); a new one when None.

        Raises:
            ValueError: When the toolset has a function of a kind no executor runs (the
                loader leaves those out, so this is a wiring mistake).
        """
        kinds = list(dict.fromkeys(function.tool.kind for function in toolset.functions))
        missing = [str(kind) for kind in kinds if kind not in self._executors]
        if missing:
            raise ValueError(f"no executor runs {', '.join(missing)} tools in this runtime")
        opened = await _open_all([self._executors[kind] for kind in kinds], toolset)
        executors: dict[ToolKind, OpenExecutor] = dict(zip(kinds, opened, strict=True))
        unavailable = [left for executor in opened for left in executor.left_out]
        functions = []
        for function in toolset.functions:
            if any(_covers(left, function.binding_id, function.name) for left in unavailable):
                continue
            offered = self._offering.offer(function.schema)
            functions.append(
                SessionFunction(offered.schema, offered.decode, function, offered.locate)
            )
        return ToolSession(
            toolset,
            functions,
            executors,
            (*toolset.left_out, *unavailable),
            self._default_timeout,
            max_result_chars=self._max_result_chars,
            session_id=new_id() if session_id is None else session_id,
            recorders=self._recorders,
        )


async def _open_all(
    executors: Sequence[FunctionExecutor], toolset: AgentToolset
) -> list[OpenExecutor]:
    """Open every executor concurrently; if one raises, close the others and re-raise."""
    outcomes = await asyncio.gather(
        *(executor.open(toolset) for executor in executors), return_exceptions=True
    )
    opened = [outcome for outcome in outcomes if not isinstance(outcome, BaseException)]
    failure = next((outcome for outcome in outcomes if isinstance(outcome, BaseException)), None)
    if failure is not None:
        await asyncio.gather(*(executor.aclose() for executor in opened), return_exceptions=True)
        raise failure
    return opened


def _covers(left: LeftOut, binding_id: str, function: str) -> bool:
    return left.binding_id == binding_id and left.function in (None, function)
