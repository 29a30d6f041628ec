"""``CallRecord``: what the call audit keeps of one tool call."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from domain.agents import AuditPayloads
from domain.call_status import CallStatus
from domain.json_types import JsonObject, JsonValue

ERROR_OUTCOMES = frozenset(CallStatus) - {CallStatus.OK, CallStatus.NO_RESULTS}
"""The outcomes that count as errors in call statistics."""


@dataclass(frozen=True)
class CallRecord:
    """One call that reached a tool session's pipeline, as the audit stores it.

    Nothing in it holds a secret value: the pipeline masks the binding's secrets in
    every text and value before it builds one.

    Attributes:
        id: The record's own id.
        started_at: When the call started (UTC).
        agent_id: The agent whose session made the call.
        session_id: The agent session (the LiveKit job id in the worker).
        llm_call_id: The model's id for the call.
        function: The function the model called (as it named it).
        duration_ms: How long the pipeline took, in milliseconds.
        outcome: How the call ended.
        repeated: True when it was answered from an earlier identical call.
        binding_id: The binding that offered the function (None: no such function).
        tool: The tool's name (None: no such function).
        tool_version: The tool's version in the session.
        kind: The tool's kind (``python``, ``http``, ``mcp``).
        error: The error text the model read (None when the call succeeded).
        details: What the executor did (``handler``; ``request``, ``status_code``,
            ``response_bytes``; ``server``, ``remote_tool``), secrets masked, the
            request body kept as ``payloads`` allows.
        payloads: The agent's ``audit_payloads`` when the call was made.
        arguments: The model's arguments, as ``payloads`` allows.
        result: The result text the model read, as ``payloads`` allows (None on error).
    """

    id: str
    started_at: datetime
    agent_id: str
    session_id: str
    llm_call_id: str
    function: str
    duration_ms: float
    outcome: CallStatus
    repeated: bool = False
    binding_id: str | None = None
    tool: str | None = None
    tool_version: int | None = None
    kind: str | None = None
    error: str | None = None
    details: JsonObject = field(default_factory=dict)
    payloads: AuditPayloads = AuditPayloads.NONE
    arguments: JsonValue = None
    result: JsonValue = None

    @property
    def failed(self) -> bool:
        """Whether the outcome counts as an error."""
        return self.outcome in ERROR_OUTCOMES
