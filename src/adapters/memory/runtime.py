"""``InMemoryToolRuntime``: a tool session's functions as plain async callables."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from application.tool_session import CallResult, ToolSession
from domain.json_types import JsonValue
from domain.schema.function_schema import FunctionSchema


@dataclass(frozen=True)
class InMemoryTool:
    """One function of a tool session, callable directly, without LiveKit.

    Attributes:
        schema: What a model would be offered.
        session: The tool session it calls through.
    """

    schema: FunctionSchema
    session: ToolSession

    @property
    def name(self) -> str:
        """The function's name."""
        return self.schema.name

    async def __call__(
        self, arguments: JsonValue, call_id: str | None = None, runtime_context: object = None
    ) -> CallResult:
        """Call the function as a model would, with already parsed arguments."""
        return await self.session.call(
            self.name,
            arguments,
            call_id=call_id or uuid.uuid4().hex,
            runtime_context=runtime_context,
        )


class InMemoryToolRuntime:
    """Runs a tool session's functions with no LiveKit session (tests, API test runs)."""

    def tools_for(self, session: ToolSession) -> list[InMemoryTool]:
        """Return one callable tool per function of ``session``."""
        return [InMemoryTool(function.offered, session) for function in session.functions]
