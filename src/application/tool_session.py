"""``ToolSession``: an agent's toolset opened for one agent session, and its call pipeline.

Every call of every kind of tool takes one path: the runaway breaker
(:mod:`application.call_breaker`) -> decode the model's arguments -> validate them
against the stored schema -> the de-duplication of identical calls
(:mod:`application.call_ledger`) -> execute with the binding's injection under a timeout
-> scrub the binding's secret values -> the result contract's JSON for the model
(:mod:`application.call_outcomes`), its data cut to the result size cap. Every failure
becomes a :class:`CallResult` with ``ok=False`` and a status; no exception leaves
:meth:`ToolSession.call`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Self

from application.call_breaker import CallBreaker, breaker_message
from application.call_ledger import CallLedger
from application.call_outcomes import (
    CallOutcome,
    envelope_json,
    failed,
    internal_error,
    model_envelope,
    succeeded,
)
from application.call_records import CallSeen, call_record
from application.clock import Clock, IdFactory, new_id, utc_now
from application.ports.call_log import CallRecorder
from application.ports.execution import ExecutionDetails, OpenExecutor, ToolCall
from application.ports.offering import ArgumentDecoder, PathEncoder, same_path
from application.valid_options import ARGUMENTS, valid_options
from domain.call_status import CallStatus
from domain.errors import InvalidArguments, Problem, ToolFailure
from domain.json_types import JsonObject, JsonValue
from domain.schema.fields import field_path
from domain.schema.function_schema import FunctionSchema
from domain.scrubbing import Scrubber
from domain.tools.kinds import ToolKind
from domain.toolset import AgentToolset, LeftOut, ToolsetFunction

logger = logging.getLogger(__name__)

DEFAULT_MAX_RESULT_CHARS = 8_000
"""The most of one result a voice model reads (``TOOL_PLATFORM_TOOL_RESULT_MAX_CHARS``)."""


@dataclass(frozen=True)
class CallResult:
    """What the model gets back from one call.

    Attributes:
        ok: False when the call failed (``status`` is neither ``ok`` nor ``no_results``).
        output: The result contract's JSON text, free of the binding's secrets: what
            the model receives (:mod:`application.call_outcomes`).
        status: How the call ended.
        repeated: True when the call was answered from an earlier identical call
            instead of running again.
        data: A success's data as the model received it (scrubbed, capped); None on
            failure.
        error: A failure's error text as the model received it (scrubbed, capped);
            None on success.
    """

    ok: bool
    output: str
    status: CallStatus = CallStatus.OK
    repeated: bool = False
    data: JsonValue = None
    error: str | None = None


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
        max_result_chars: The most characters of a result's data (or error) the model
            gets; data cut short is marked ``truncated``.
        session_id: The agent session's id (the LiveKit job id in the worker), recorded
            with each call and part of its idempotency keys.
        recorders: Take the record of every call (the audit writer, the tracer); none
            is built when there are none.
        clock: The time: when a call starts, and de-duplication windows (tests pass
            their own).
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
        session_id: str,
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
        # Each function's policy and timeout, worked out once (its tool is immutable).
        self._policies = {f.name: f.stored.tool.policy_for(f.stored.name) for f in functions}
        self._timeouts = {f.name: self._timeout(f.stored) for f in functions}
        self._breaker = CallBreaker(toolset.agent.id)
        self._ledger = CallLedger(session_id, clock)
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

        Every outcome leaves here, scrubbed of the binding's secrets, cut to the result
        cap, written as the result contract's JSON (:mod:`application.call_outcomes`),
        logged, and handed to the recorders.

        Args:
            name: The function the model called.
            arguments: The arguments it sent (parsed JSON).
            call_id: The model's id for the call (for the log line).
            runtime_context: The runtime's own object for the call (LiveKit's
                ``RunContext``), handed to the executor untouched.

        Returns:
            The outcome and its JSON text for the model.
        """
        started_at, started = self._clock(), time.monotonic()
        function = self._functions.get(name)
        details = ExecutionDetails()
        try:
            outcome = await self._outcome(
                name, function, arguments, call_id, runtime_context, details=details
            )
        except Exception as error:  # the promise: nothing escapes a call
            outcome = _internal_error(name, function, error)
        clean = self._scrubbers[function.stored.binding_id] if function else self._no_secrets
        envelope = model_envelope(outcome, clean, self._max_chars)
        message = envelope.get("error")
        result = CallResult(
            outcome.ok,
            envelope_json(envelope),
            outcome.status,
            outcome.repeated,
            data=envelope.get("data"),
            error=message if isinstance(message, str) else None,
        )
        tool = function.stored.tool if function else None
        if function is not None and result.status is CallStatus.UNAUTHORIZED:
            logger.warning(  # the operator must act; the model can only tell the caller
                "tool call unauthorized: agent=%s tool=%s function=%s binding=%s: the "
                "upstream refused the binding's credentials; check its secrets",
                self._toolset.agent.id,
                function.stored.tool.name,
                name,
                function.stored.binding_id,
            )
        logger.info(
            "tool call agent=%s tool=%s version=%s function=%s call_id=%s "
            "duration_ms=%d outcome=%s repeated=%s",
            self._toolset.agent.id,
            tool.name if tool else "-",
            tool.version if tool else "-",
            name[:64],
            call_id,
            (time.monotonic() - started) * 1000,
            result.status,
            result.repeated,
        )
        if self._recorders:
            seen = CallSeen(
                self._ids(), started_at, (time.monotonic() - started) * 1000,
                self._toolset.agent, self._session_id, call_id, name,
                function.stored if function else None, arguments, result, details,
            )  # fmt: skip
            self._record(seen, clean)
        return result

    def _record(self, seen: CallSeen, scrubber: Scrubber) -> None:
        """Hand the call's record to every recorder; an audit fault never fails a call."""
        try:
            record = call_record(seen, scrubber)
            for recorder in self._recorders:
                recorder.record(record)
        except Exception as error:
            logger.warning("recording a call failed: %s", type(error).__name__)

    async def _outcome(
        self,
        name: str,
        function: SessionFunction | None,
        arguments: JsonValue,
        call_id: str,
        runtime_context: object | None,
        *,
        details: ExecutionDetails,
    ) -> CallOutcome:
        if self._closed:
            return failed(
                CallStatus.REFUSED, f"the tool session has ended; {name[:64]!r} did not run"
            )
        if function is None:
            known = ", ".join(self._functions) or "none"
            return failed(
                CallStatus.NOT_FOUND, f"unknown function {name[:64]!r}; available: {known}"
            )
        stored = function.stored
        policy = self._policies[stored.name]
        if not self._breaker.admit(stored.name, policy.max_calls_per_session):
            return failed(
                CallStatus.REFUSED, breaker_message(stored.name, policy.max_calls_per_session)
            )
        try:
            validated = stored.schema.validate_arguments(function.decode(arguments))
        except InvalidArguments as error:
            return failed(
                CallStatus.INVALID_ARGUMENT,
                str(_in_offered_names(error, function.locate)),
                valid_options=valid_options(error, function.offered.parameters, function.locate),
            )
        return await self._ledger.run(
            stored.name,
            validated,
            policy,
            lambda key: self._execute(
                function, validated, key, call_id, runtime_context, details=details
            ),
        )

    async def _execute(
        self,
        function: SessionFunction,
        validated: JsonObject,
        idempotency_key: str,
        call_id: str,
        runtime_context: object | None,
        *,
        details: ExecutionDetails,
    ) -> CallOutcome:
        stored = function.stored
        timeout = self._timeouts[stored.name]
        call = ToolCall(
            function=stored,
            arguments=validated,
            injection=self._toolset.injection_for(stored).for_call(),
            call_id=call_id,
            runtime_context=runtime_context,
            deadline=asyncio.get_running_loop().time() + timeout,
            idempotency_key=idempotency_key,
            details=details,
        )
        try:
            async with asyncio.timeout(timeout):
                value = await self._executors[stored.tool.kind].execute(call)
        except ToolFailure as failure:
            return failed(
                failure.status, str(failure), retry_after_seconds=failure.retry_after_seconds
            )
        except TimeoutError:
            return failed(
                CallStatus.TIMEOUT_OUTCOME_UNKNOWN,
                f"{stored.name} did not finish within {timeout:g} seconds; its outcome is unknown",
            )
        except Exception as error:  # runs as its own task: nothing may escape it
            return _internal_error(stored.name, function, error)
        return succeeded(value)

    def _timeout(self, function: ToolsetFunction) -> float:
        own = function.tool.run.timeout_for(function.name)
        return self._default_timeout if own is None else own

    async def aclose(self) -> None:
        """Close every executor opened for the session (each one, even if one fails).

        Calls after this answer that the session has ended; closing twice does nothing.
        """
        self._closed = True
        await self._ledger.aclose()
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


def _internal_error(name: str, function: SessionFunction | None, error: Exception) -> CallOutcome:
    # The type only: an exception's text may hold a secret value or the arguments.
    logger.warning(
        "tool call failed: tool=%s function=%s error=%s",
        function.stored.tool.name if function else "-",
        name[:64],
        type(error).__name__,
    )
    return internal_error(name)


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
