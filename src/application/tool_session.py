"""``ToolSession``: an agent's toolset opened for one agent session, and its call pipeline.

Every call of every kind of tool takes one path: decode the model's arguments -> validate
them against the stored schema -> execute with the binding's injection under a timeout
-> scrub the binding's secret values -> text for the model, cut to the result size cap.
Every failure becomes a :class:`CallResult` with ``ok=False`` and a message the model
can read; no exception leaves :meth:`ToolSession.call`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Self

from application.call_records import CallSeen, call_record
from application.clock import Clock, IdFactory, new_id, utc_now
from application.ports.call_log import CallRecorder
from application.ports.execution import ExecutionDetails, OpenExecutor, ToolCall
from application.ports.offering import ArgumentDecoder, PathEncoder, same_path
from domain.call_status import CallStatus
from domain.errors import InvalidArguments, Problem, ToolFailure
from domain.json_types import JsonValue
from domain.schema.fields import field_path
from domain.schema.function_schema import FunctionSchema
from domain.scrubbing import Scrubber
from domain.tools.kinds import ToolKind
from domain.toolset import AgentToolset, LeftOut, ToolsetFunction

logger = logging.getLogger(__name__)

DEFAULT_MAX_RESULT_CHARS = 8_000
"""The most of one result a voice model reads (``TOOL_PLATFORM_TOOL_RESULT_MAX_CHARS``)."""

ARGUMENTS = "arguments"
"""How an argument error names the arguments object itself."""


@dataclass(frozen=True)
class CallResult:
    """What the model gets back from one call.

    Attributes:
        ok: False when the call failed (the output is then an error message).
        output: JSON text (or the function's own text), free of the binding's secrets.
        status: How the call ended.
        repeated: True when the call was answered from an earlier identical call
            instead of running again.
    """

    ok: bool
    output: str
    status: CallStatus = CallStatus.OK
    repeated: bool = False


@dataclass(frozen=True)
class SessionFunction:
    """One function a session offers.

    Attributes:
        offered: The schema the model sees.
        decode: Maps the model's arguments back to the stored schema's shape.
        stored: The function as stored (its schema validates every call), with its tool
            version and binding.
        locate: Names a stored field as the model saw it (for argument errors).
    """

    offered: FunctionSchema
    decode: ArgumentDecoder
    stored: ToolsetFunction
    locate: PathEncoder = same_path

    @property
    def name(self) -> str:
        """The function's name."""
        return self.stored.name


class ToolSession:
    """An agent's functions for one session, with the executors opened for it.

    Open one with :meth:`application.tool_sessions.ToolSessions.open`; close it with
    :meth:`aclose` (or ``async with``) when the agent session ends.

    Args:
        toolset: The toolset it was opened from.
        functions: The functions offered, in the toolset's order.
        executors: Each kind's executor, opened for this session.
        left_out: What the toolset and the executors left out, with reasons.
        default_timeout_seconds: The timeout of functions that set none themselves.
        max_result_chars: The most characters of a result the model gets; the rest is
            cut, with a marker saying how much.
        session_id: The agent session's id (the LiveKit job id in the worker), recorded
            with each call.
        recorders: Take the record of every call (the audit writer, the tracer); none
            is built when there are none.
        clock: The time a call starts.
        ids: Makes call record ids.
    """

    def __init__(
        self,
        toolset: AgentToolset,
        functions: Sequence[SessionFunction],
        executors: Mapping[ToolKind, OpenExecutor],
        left_out: Sequence[LeftOut],
        default_timeout_seconds: float,
        *,
        max_result_chars: int = DEFAULT_MAX_RESULT_CHARS,
        session_id: str = "",
        recorders: Sequence[CallRecorder] = (),
        clock: Clock = utc_now,
        ids: IdFactory = new_id,
    ) -> None:
        self._toolset = toolset
        self._session_id = session_id
        self._recorders = tuple(recorders)
        self._clock = clock
        self._ids = ids
        self._functions = {function.name: function for function in functions}
        self._executors = dict(executors)
        self._left_out = tuple(left_out)
        self._default_timeout = default_timeout_seconds
        self._max_chars = max_result_chars
        self._scrubbers = {
            binding_id: Scrubber(injection.secret_values())
            for binding_id, injection in toolset.injections.items()
        }
        self._no_secrets = Scrubber(())
        self._closed = False

    @property
    def session_id(self) -> str:
        """The agent session's id, recorded with each call."""
        return self._session_id

    @property
    def toolset(self) -> AgentToolset:
        """The toolset the session was opened from."""
        return self._toolset

    @property
    def functions(self) -> tuple[SessionFunction, ...]:
        """The functions offered to the model, in order."""
        return tuple(self._functions.values())

    @property
    def function_names(self) -> tuple[str, ...]:
        """The names the model can call."""
        return tuple(self._functions)

    @property
    def left_out(self) -> tuple[LeftOut, ...]:
        """Every binding or function the session goes without, with the reason."""
        return self._left_out

    async def call(
        self,
        name: str,
        arguments: JsonValue,
        *,
        call_id: str,
        runtime_context: object | None = None,
    ) -> CallResult:
        """Run one call and describe its outcome for the model; never raises.

        Args:
            name: The function the model called.
            arguments: The arguments it sent (parsed JSON).
            call_id: The model's id for the call (for the log line).
            runtime_context: The runtime's own object for the call (LiveKit's
                ``RunContext``), handed to the executor untouched.

        Returns:
            The result text, or the error text, for the model.
        """
        started_at, started = self._clock(), time.monotonic()
        details = ExecutionDetails()
        result = await self._call(name, arguments, call_id, runtime_context, details)
        if self._recorders:
            seen = CallSeen(
                self._ids(), started_at, (time.monotonic() - started) * 1000,
                self._toolset.agent, self._session_id, call_id, name,
                self._stored(name), arguments, result, details,
            )  # fmt: skip
            self._record(seen)
        return result

    async def _call(
        self,
        name: str,
        arguments: JsonValue,
        call_id: str,
        runtime_context: object | None,
        details: ExecutionDetails,
    ) -> CallResult:
        started = time.monotonic()
        function = self._functions.get(name)
        if self._closed:
            return CallResult(
                False,
                f"the tool session has ended; {name[:64]!r} did not run",
                CallStatus.REFUSED,
            )
        if function is None:
            known = ", ".join(self._functions) or "none"
            return CallResult(
                False, f"unknown function {name[:64]!r}; available: {known}", CallStatus.NOT_FOUND
            )
        try:
            result = await self._run(function, arguments, call_id, runtime_context, details)
        except Exception as error:  # the promise: nothing escapes a call
            result = self._internal_error(function.stored, error)
        scrubbed = self._scrubbers[function.stored.binding_id](result.output)
        result = CallResult(result.ok, capped(scrubbed, self._max_chars), result.status)
        tool = function.stored.tool
        logger.info(
            "tool call agent=%s tool=%s version=%s function=%s call_id=%s "
            "duration_ms=%d outcome=%s",
            self._toolset.agent.id,
            tool.name,
            tool.version,
            name,
            call_id,
            (time.monotonic() - started) * 1000,
            result.status,
        )
        return result

    async def _run(
        self,
        function: SessionFunction,
        arguments: JsonValue,
        call_id: str,
        runtime_context: object | None,
        details: ExecutionDetails,
    ) -> CallResult:
        stored = function.stored
        try:
            validated = stored.schema.validate_arguments(function.decode(arguments))
        except InvalidArguments as error:
            return CallResult(
                False, str(_in_offered_names(error, function.locate)), CallStatus.INVALID_ARGUMENT
            )
        timeout = self._timeout(stored)
        call = ToolCall(
            function=stored,
            arguments=validated,
            injection=self._toolset.injection_for(stored).for_call(),
            call_id=call_id,
            runtime_context=runtime_context,
            deadline=asyncio.get_running_loop().time() + timeout,
            details=details,
        )
        try:
            async with asyncio.timeout(timeout):
                value = await self._executors[stored.tool.kind].execute(call)
        except ToolFailure as failure:
            return CallResult(False, str(failure), failure.status)
        except TimeoutError:
            return CallResult(
                False,
                f"{stored.name} did not finish within {timeout:g} seconds; its outcome is unknown",
                CallStatus.TIMEOUT_OUTCOME_UNKNOWN,
            )
        return CallResult(True, _as_text(value))

    def _stored(self, name: str) -> ToolsetFunction | None:
        function = self._functions.get(name)
        return None if function is None else function.stored

    def _record(self, seen: CallSeen) -> None:
        """Hand the call's record to every recorder; an audit fault never fails a call."""
        try:
            stored = seen.function
            scrubber = self._no_secrets if stored is None else self._scrubbers[stored.binding_id]
            record = call_record(seen, scrubber)
            for recorder in self._recorders:
                recorder.record(record)
        except Exception as error:
            logger.warning("recording a call failed: %s", type(error).__name__)

    def _internal_error(self, function: ToolsetFunction, error: Exception) -> CallResult:
        # The type only: an exception's text may hold a secret value or the arguments.
        logger.warning(
            "tool call failed: tool=%s function=%s error=%s",
            function.tool.name,
            function.name,
            type(error).__name__,
        )
        return CallResult(
            False, f"{function.name} failed with an internal error", CallStatus.INTERNAL_ERROR
        )

    def _timeout(self, function: ToolsetFunction) -> float:
        own = function.tool.run.timeout_for(function.name)
        return self._default_timeout if own is None else own

    async def aclose(self) -> None:
        """Close every executor opened for the session (each one, even if one fails).

        Calls after this answer that the session has ended; closing twice does nothing.
        """
        self._closed = True
        executors, self._executors = list(self._executors.values()), {}
        outcomes = await asyncio.gather(
            *(executor.aclose() for executor in executors), return_exceptions=True
        )
        for outcome in outcomes:
            if isinstance(outcome, Exception):
                logger.warning("closing an executor failed: %s", type(outcome).__name__)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()


def capped(text: str, max_chars: int) -> str:
    """``text`` cut to ``max_chars``, with a marker saying how much was cut."""
    if len(text) <= max_chars:
        return text
    return f"{text[:max_chars]}\n[cut: {len(text) - max_chars:,} of {len(text):,} characters]"


def _in_offered_names(error: InvalidArguments, locate: PathEncoder) -> InvalidArguments:
    """The same error, each field named as the model saw it."""
    problems = [
        problem
        if problem.location is None
        else Problem(
            field_path(locate(problem.location)) or ARGUMENTS, problem.message, problem.location
        )
        for problem in error.problems
    ]
    return InvalidArguments(error.summary, problems)


def _as_text(value: JsonValue) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, allow_nan=False)
