"""An agent's stored columns: written from a :class:`VoiceAgent`, read back into one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.agents import AuditPayloads, ModelSettings, VoiceAgent

AGENT_FIELDS = (
    "id",
    "name",
    "instructions",
    "model",
    "voice",
    "temperature",
    "owner_id",
    "audit_payloads",
)
"""The columns :func:`read_agent` reads (not the timestamps)."""


def agent_columns(agent: VoiceAgent) -> dict[str, Any]:
    """The columns of an agent that change over its life (all but its id and timestamps)."""
    return {
        "name": agent.name,
        "instructions": agent.instructions,
        "model": agent.model.model,
        "voice": agent.model.voice,
        "temperature": agent.model.temperature,
        "owner_id": agent.owner_id,
        "audit_payloads": str(agent.audit_payloads),
    }


def read_agent(columns: Mapping[Any, Any]) -> VoiceAgent:
    """An agent from its stored columns."""
    return VoiceAgent(
        id=columns["id"],
        name=columns["name"],
        instructions=columns["instructions"],
        model=ModelSettings(
            model=columns["model"], voice=columns["voice"], temperature=columns["temperature"]
        ),
        owner_id=columns["owner_id"],
        audit_payloads=AuditPayloads(columns.get("audit_payloads") or AuditPayloads.NONE),
    )
