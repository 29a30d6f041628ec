"""``LiveKitToolRuntime``: an agent's toolset as LiveKit raw-schema function tools."""

from __future__ import annotations

import logging
from typing import Any

from livekit.agents import RunContext, ToolError, function_tool
from livekit.agents.llm import RawFunctionTool

from adapters.tool_context import running_in
from application.calls import CallPipeline
from domain.toolset import AgentToolset, ToolsetFunction

logger = logging.getLogger(__name__)

LiveKitTool = RawFunctionTool[Any, Any]
"""One function as LiveKit runs it."""


class LiveKitToolRuntime:
    """Turns an agent's toolset into LiveKit tools that run through the call pipeline.

    Each function becomes a ``RawFunctionTool`` whose schema is the stored one (the
    platform validates arguments itself; LiveKit does not validate raw tools). Its
    handler makes LiveKit's ``RunContext`` available to code tools
    (:func:`adapters.tool_context.current_run_context`), runs the call through the
    pipeline, and returns the pipeline's JSON text, or raises ``ToolError`` with the
    pipeline's message, so the LLM receives exactly what the pipeline decided.

    Args:
        pipeline: The call pipeline (with the executors this runtime supports).
    """

    def __init__(self, pipeline: CallPipeline) -> None:
        self._pipeline = pipeline

    def tools_for(self, toolset: AgentToolset) -> list[LiveKitTool]:
        """Return one LiveKit tool per function of ``toolset``, in the toolset's order.

        Function names are unique in a toolset, so LiveKit's duplicate-name check
        never fires on them.
        """
        return [self._tool(toolset, function) for function in toolset.functions]

    def _tool(self, toolset: AgentToolset, function: ToolsetFunction) -> LiveKitTool:
        pipeline = self._pipeline
        name = function.name

        # LiveKit binds the parsed arguments by the parameter name ``raw_arguments``
        # and injects the RunContext by its annotation.
        async def handler(raw_arguments: dict[str, Any], context: RunContext[Any]) -> str:
            call_id = context.function_call.call_id
            try:
                with running_in(context):
                    result = await pipeline.call(toolset, name, raw_arguments, call_id=call_id)
            except Exception as error:  # the pipeline never raises; this keeps LiveKit out
                # No traceback: an exception's text may hold a secret value.
                logger.error(  # noqa: TRY400
                    "call pipeline raised: function=%s call_id=%s error=%s",
                    name,
                    call_id,
                    type(error).__name__,
                )
                raise ToolError(f"{name} failed with an internal error") from None
            if result.ok:
                return result.output
            raise ToolError(result.output)

        handler.__name__ = handler.__qualname__ = name
        return function_tool(handler, raw_schema=function.schema.to_dict())
