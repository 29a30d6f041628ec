"""A call record's stored columns (``tool_calls``), written and read back."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from domain.agents import AuditPayloads
from domain.call_records import CallRecord
from domain.call_status import CallStatus


def call_columns(record: CallRecord) -> dict[str, Any]:
    """The columns of a record's row."""
    return {
        "id": record.id,
        "started_at": record.started_at,
        "agent_id": record.agent_id,
        "session_id": record.session_id,
        "llm_call_id": record.llm_call_id,
        "function": record.function,
        "duration_ms": record.duration_ms,
        "outcome": str(record.outcome),
        "repeated": record.repeated,
        "binding_id": record.binding_id,
        "tool": record.tool,
        "tool_version": record.tool_version,
        "kind": record.kind,
        "error": record.error,
        "details": record.details,
        "payloads": str(record.payloads),
        "arguments": record.arguments,
        "result": record.result,
    }


def read_call(columns: Mapping[str, Any]) -> CallRecord:
    """A record from its row (timestamps as aware datetimes or ISO 8601 text)."""
    started = columns["started_at"]
    return CallRecord(
        id=columns["id"],
        started_at=started if isinstance(started, datetime) else datetime.fromisoformat(started),
        agent_id=columns["agent_id"],
        session_id=columns["session_id"],
        llm_call_id=columns["llm_call_id"],
        function=columns["function"],
        duration_ms=float(columns["duration_ms"]),
        outcome=CallStatus(columns["outcome"]),
        repeated=bool(columns["repeated"]),
        binding_id=columns["binding_id"],
        tool=columns["tool"],
        tool_version=columns["tool_version"],
        kind=columns["kind"],
        error=columns["error"],
        details=dict(columns["details"] or {}),
        payloads=AuditPayloads(columns["payloads"]),
        arguments=columns["arguments"],
        result=columns["result"],
    )
