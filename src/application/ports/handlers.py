"""The handler-check port: whether a ``python`` tool's handler may run here."""

from __future__ import annotations

from typing import Protocol

from domain.tools.definition import ToolDefinition


class HandlerCheck(Protocol):
    """Decides whether a ``python`` tool's handler may run here.

    :class:`application.policies.HandlerPolicy` checks the allowlist alone; the Python
    adapter also imports the handler and checks that it is an ``async def`` defined
    inside the allowlist.
    """

    def refusal(self, tool: ToolDefinition, function_name: str) -> str | None:
        """Say why ``function_name`` of ``tool`` may not run, or None when it may."""
        ...
