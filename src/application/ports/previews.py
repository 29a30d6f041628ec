"""Rendering what a call would send, with nothing sent: a test run's ``render``."""

from __future__ import annotations

from typing import Protocol

from application.ports.execution import ToolCall
from domain.json_types import JsonObject


class RequestPreview(Protocol):
    """Renders the request a call of an ``http`` or ``mcp`` function would make.

    Every secret is shown masked; for an HTTP request, the outbound guard's decision on
    its address is given too. Nothing is sent.
    """

    async def preview(self, call: ToolCall) -> JsonObject:
        """Describe what ``call`` would send.

        Raises:
            ToolFailure: When a value would be refused (the message the model would get).
        """
        ...
