"""``VoiceAgent``: an agent the platform serves (LiveKit's class is ``Agent``)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

from domain.errors import InvalidAgent

AGENT_NAME_MAX = 100
"""The longest agent name (the size of the ``agents.name`` column)."""
PATH_SEPARATORS = ("/", "\\")
TEMPERATURE_RANGE = (0.0, 2.0)


def agent_name_problem(name: str) -> str | None:
    """Say what is wrong with an agent name, or None when it is a good one.

    A name is 1 to 100 characters, not blank, printable (no line breaks, tabs, terminal
    escape codes or other control characters) and holds no path separator: it shows up
    in terminals, logs and file names.
    """
    if not name.strip() or len(name) > AGENT_NAME_MAX:
        return f"an agent name must be 1 to {AGENT_NAME_MAX} characters, not blank"
    if not name.isprintable():
        return (
            "an agent name must be printable: no line breaks, tabs, escape codes or "
            "other control characters"
        )
    if any(separator in name for separator in PATH_SEPARATORS):
        return "an agent name must not contain a path separator (/ or \\)"
    return None


def check_agent_name(name: str) -> None:
    """Refuse a name given to a new or renamed agent.

    Raises:
        InvalidAgent: When :func:`agent_name_problem` finds something wrong.
    """
    problem = agent_name_problem(name)
    if problem:
        raise InvalidAgent(problem)


@dataclass(frozen=True)
class ModelSettings:
    """How the agent's model is set up; None leaves the model's own default.

    Attributes:
        model: The model name (for Gemini realtime, for example
            ``gemini-2.5-flash-native-audio-preview-12-2025``).
        voice: The voice name (``Puck``, ...).
        temperature: Sampling temperature, from 0 to 2.
    """

    model: str | None = None
    voice: str | None = None
    temperature: float | None = None

    def __post_init__(self) -> None:
        low, high = TEMPERATURE_RANGE
        if self.temperature is not None and not (
            math.isfinite(self.temperature) and low <= self.temperature <= high
        ):
            raise InvalidAgent(f"temperature must be between {low} and {high}")
        for label, value in (("model", self.model), ("voice", self.voice)):
            if value is not None and not value.strip():
                raise InvalidAgent(f"{label} must not be blank; leave it out for the default")


class AuditPayloads(StrEnum):
    """How much of a call's argument and result values the call audit keeps.

    Values are personal data in a voice call; no mode ever keeps a secret value.
    """

    NONE = "none"
    """Field names and sizes only (the default)."""
    MASKED = "masked"
    """The structure, every value replaced by its type and length."""
    FULL = "full"
    """The values, with the binding's secret values masked."""


@dataclass(frozen=True)
class VoiceAgent:
    """An agent: who it is, what it is told, and how its model is set up.

    The name rules (:func:`check_agent_name`) apply when an agent is created or
    renamed, not here: an agent stored before a rule existed still loads, so it can be
    listed (flagged) and renamed.

    Attributes:
        id: Stable identifier.
        name: Unique, human-chosen name.
        instructions: The system instructions.
        model: Model settings.
        owner_id: The owning user or team, if any.
        audit_payloads: How much of its calls' argument and result values the call
            audit keeps.
    """

    id: str
    name: str
    instructions: str = ""
    model: ModelSettings = field(default_factory=ModelSettings)
    owner_id: str | None = None
    audit_payloads: AuditPayloads = AuditPayloads.NONE

    def __post_init__(self) -> None:
        if not self.id:
            raise InvalidAgent("an agent needs an id")
