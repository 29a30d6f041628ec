"""``VoiceAgent``: an agent the platform serves (LiveKit's class is ``Agent``)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from domain.errors import InvalidAgent

AGENT_NAME_MAX = 100
TEMPERATURE_RANGE = (0.0, 2.0)


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


@dataclass(frozen=True)
class VoiceAgent:
    """An agent: who it is, what it is told, and how its model is set up.

    Attributes:
        id: Stable identifier.
        name: Unique, human-chosen name.
        instructions: The system instructions.
        model: Model settings.
        owner_id: The owning user or team, if any.
    """

    id: str
    name: str
    instructions: str = ""
    model: ModelSettings = field(default_factory=ModelSettings)
    owner_id: str | None = None

    def __post_init__(self) -> None:
        if not self.id:
            raise InvalidAgent("an agent needs an id")
        if not self.name.strip() or len(self.name) > AGENT_NAME_MAX:
            raise InvalidAgent(f"an agent name must be 1 to {AGENT_NAME_MAX} characters")
