"""Execution ports: the executors that run each kind of tool, opened for one session."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from domain.injection import ConfigInjection
from domain.json_types import JsonObject, JsonValue
from domain.tools.kinds import ToolKind
from domain.toolset import AgentToolset, LeftOut, ToolsetFunction


@dataclass
class ExecutionDetails:
    """What an executor did for one call, for the call record; it fills what applies.

    Values are as sent: the pipeline masks the binding's secrets before recording.

    Attributes:
        handler: ``python``: the handler's import path.
        request: ``http``: the rendered request (``method``, ``url``, ``header_names``,
            ``body``) as last sent, and ``url_without_arguments`` (each argument's place
            marked, for agents whose audit keeps no argument values).
        status_code: ``http``: the response's status code.
        response_bytes: ``http``: the size of the response body read.
        server: ``mcp``: the server (its URL, or the stdio command's name).
        remote_tool: ``mcp``: the tool name called on the server.
    """

    handler: str | None = None
    request: JsonObject | None = None
    status_code: int | None = None
    response_bytes: int | None = None
    server: str | None = None
    remote_tool: str | None = None


@dataclass(frozen=True)
class ToolCall:
    """One call, as an executor receives it.

    Attributes:
        function: The function called, with the tool version of the session.
        arguments: The arguments, decoded and validated against the stored schema.
        injection: The calling binding's config and secrets (this call's own copy).
        call_id: The model's id for the call.
        runtime_context: The runtime's own object for this call, passed through
            untouched: LiveKit's ``RunContext`` in a LiveKit session (a code tool that
            asks for one gets it), None elsewhere.
        deadline: When the call's timeout ends, in the running loop's ``time()``
            (None: no deadline); an executor that waits or retries stays within it.
        details: Filled by the executor with what it did, for the call record.
        idempotency_key: The key every call of its window shares (an executor whose
            template asks for an ``Idempotency-Key`` sends it); None: make one per call.
    """

    function: ToolsetFunction
    arguments: JsonObject
    injection: ConfigInjection
    call_id: str
    runtime_context: object | None = None
    deadline: float | None = None
    details: ExecutionDetails = field(default_factory=ExecutionDetails)
    idempotency_key: str | None = None


class OpenExecutor(Protocol):
    """An executor opened for one session: it holds that session's resources."""

    @property
    def left_out(self) -> Sequence[LeftOut]:
        """The bindings or functions it could not open, with the reason (not offered)."""
        ...

    async def execute(self, call: ToolCall) -> JsonValue:
        """Run one call; raise ``ToolFailure`` with a message for the model."""
        ...

    async def aclose(self) -> None:
        """Release what :meth:`FunctionExecutor.open` took."""
        ...


class FunctionExecutor(Protocol):
    """Runs the functions of one kind of tool (python, http, mcp)."""

    @property
    def kind(self) -> ToolKind:
        """The kind of tool it runs."""
        ...

    async def open(self, toolset: AgentToolset) -> OpenExecutor:
        """Open what the session's functions of this kind need (clients, connections).

        Called once per session, only when the toolset has functions of this kind. A
        binding that cannot open is reported in ``left_out``, never raised.
        """
        ...
