"""The LLM a worker job talks to, built from the agent's model settings."""

from __future__ import annotations

from typing import Any

from domain.agents import ModelSettings


def gemini_realtime_model(model: ModelSettings) -> Any:
    """Gemini's ``RealtimeModel`` with the agent's model settings (the default LLM).

    The Google plugin takes about two seconds to import, so it is imported here, when a
    job needs it, and never by commands that do not. It reads ``GOOGLE_API_KEY``.
    """
    from livekit.plugins.google.realtime import RealtimeModel  # noqa: PLC0415

    options: dict[str, Any] = {}
    if model.model:
        options["model"] = model.model
    if model.voice:
        options["voice"] = model.voice
    if model.temperature is not None:
        options["temperature"] = model.temperature
    return RealtimeModel(**options)
