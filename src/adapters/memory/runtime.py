"""``InMemoryToolRuntime``: an agent's tools as plain async callables, without LiveKit."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from application.calls import CallPipeline, CallResult
from domain.json_types import JsonValue
from domain.schema.function_schema import FunctionSchema
from domain.toolset import AgentToolset


@dataclass(frozen=True)
class InMemoryTool:
    """One function of a toolset, callable directly through the call pipeline.

    Attributes:
        schema: What an LLM would see.
        toolset: The session's toolset.
        pipeline: The call pipeline.
    """

    schema: FunctionSchema
    toolset: AgentToolset
    pipeline: CallPipeline

    @property
    def name(self) -> str:
        """The function's name."""
        return self.schema.name

    async def __call__(self, arguments: JsonValue, call_id: str | None = None) -> CallResult:
        """Call the function as an LLM would, with already parsed arguments."""
        return await self.pipeline.call(
            self.toolset, self.name, arguments, call_id or uuid.uuid4().hex
        )


class InMemoryToolRuntime:
    """Runs toolsets through the call pipeline with no LiveKit session.

    Args:
        pipeline: The call pipeline (with the executors this runtime supports).
    """

    def __init__(self, pipeline: CallPipeline) -> None:
        self._pipeline = pipeline

    def tools_for(self, toolset: AgentToolset) -> Sequence[InMemoryTool]:
        """Return one callable tool per function of ``toolset``."""
        return [InMemoryTool(f.schema, toolset, self._pipeline) for f in toolset.functions]
