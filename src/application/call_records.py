"""The record of one call, built from what the tool session saw, every secret masked."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from application.audit_payloads import kept_payload
from application.ports.execution import ExecutionDetails
from domain.agents import AuditPayloads, VoiceAgent
from domain.call_records import CallRecord
from domain.json_types import JsonObject, JsonValue
from domain.scrubbing import Scrubber
from domain.toolset import ToolsetFunction

if TYPE_CHECKING:
    from application.tool_session import CallResult

BODY = "body"
"""The key of a rendered request's body (kept as the agent's ``audit_payloads`` allows)."""


@dataclass(frozen=True)
class CallSeen:
    """One call as the tool session saw it, before masking.

    Attributes:
        record_id: The new record's id.
        started_at: When the call started.
        duration_ms: How long it took.
        agent: The session's agent.
        session_id: The session's id.
        llm_call_id: The model's id for the call.
        name: The function the model named.
        function: The function, when the session offers one by that name.
        arguments: The arguments the model sent.
        result: What the model got back.
        details: What the executor did.
    """

    record_id: str
    started_at: datetime
    duration_ms: float
    agent: VoiceAgent
    session_id: str
    llm_call_id: str
    name: str
    function: ToolsetFunction | None
    arguments: JsonValue
    result: CallResult
    details: ExecutionDetails


def call_record(seen: CallSeen, scrubber: Scrubber) -> CallRecord:
    """The record of ``seen``: payloads kept as its agent allows, every secret masked.

    Args:
        seen: The call.
        scrubber: Masks the calling binding's secret values.
    """
    mode = seen.agent.audit_payloads
    result = seen.result
    tool = None if seen.function is None else seen.function.tool
    return CallRecord(
        id=seen.record_id,
        started_at=seen.started_at,
        agent_id=seen.agent.id,
        session_id=seen.session_id,
        llm_call_id=scrubber(seen.llm_call_id),
        function=scrubber(seen.name),
        duration_ms=seen.duration_ms,
        outcome=result.status,
        repeated=result.repeated,
        binding_id=None if seen.function is None else seen.function.binding_id,
        tool=None if tool is None else tool.name,
        tool_version=None if tool is None else tool.version,
        kind=None if tool is None else str(tool.kind),
        error=None if result.ok else scrubber(result.output),
        details=_details(seen.details, mode, scrubber),
        payloads=mode,
        arguments=kept_payload(seen.arguments, mode, scrubber),
        result=kept_payload(_parsed(result.output), mode, scrubber) if result.ok else None,
    )


def _details(details: ExecutionDetails, mode: AuditPayloads, scrubber: Scrubber) -> JsonObject:
    kept: JsonObject = {}
    for name, value in vars(details).items():
        if name == "request" and isinstance(value, dict):
            kept[name] = {
                key: kept_payload(item, mode, scrubber)
                if key == BODY and item is not None
                else _masked(item, scrubber)
                for key, item in value.items()
            }
        elif value is not None:
            kept[name] = _masked(value, scrubber)
    return kept


def _masked(value: JsonValue, scrubber: Scrubber) -> JsonValue:
    if isinstance(value, str):
        return scrubber(value)
    if isinstance(value, dict):
        return {scrubber(key): _masked(item, scrubber) for key, item in value.items()}
    if isinstance(value, list):
        return [_masked(item, scrubber) for item in value]
    return value


def _parsed(output: str) -> JsonValue:
    """The result as JSON when it is JSON text, else the text itself."""
    try:
        return json.loads(output)
    except ValueError:
        return output
