"""``LiveKitToolRuntime``: a tool session's functions as LiveKit raw-schema function tools.

No ``from __future__ import annotations`` in this module: LiveKit calls
``get_type_hints`` on a tool's handler on every call, and string annotations would be
compiled and evaluated each time (about a third of LiveKit's own dispatch).
"""

import logging
from typing import Any

from livekit.agents import RunContext, ToolError, function_tool
from livekit.agents.llm import RawFunctionTool

from application.call_outcomes import internal_error_text
from application.tool_session import SessionFunction, ToolSession

logger = logging.getLogger(__name__)

LiveKitTool = RawFunctionTool[Any, Any]
"""One function as LiveKit runs it."""


class LiveKitToolRuntime:
    """Turns a tool session's functions into LiveKit tools that call through the session.

    Each function becomes a ``RawFunctionTool`` whose schema is the one offered to the
    model (the platform validates arguments itself against the stored one; LiveKit
    validates nothing for raw tools). Its handler runs the call through
    :meth:`ToolSession.call`, handing LiveKit's ``RunContext`` over as the call's
    ``runtime_context`` (a code tool that takes one gets it). A success's result-contract
    JSON is returned as the tool's output; a failure's is raised as ``ToolError`` with
    that JSON as its text (LiveKit marks it an error; the Gemini plugin sends it as
    ``{"error": ...}``), so the model receives exactly what the pipeline decided.
    """

    def tools_for(self, session: ToolSession) -> list[LiveKitTool]:
        """Return one LiveKit tool per function of ``session``, in its order.

        Function names are unique in a session, so LiveKit's duplicate-name check
        never fires on them.
        """
        return [_tool(session, function) for function in session.functions]


def _tool(session: ToolSession, function: SessionFunction) -> LiveKitTool:
    name = function.name

    # LiveKit binds the parsed arguments by the parameter name ``raw_arguments``
    # and injects the RunContext by its annotation.
    async def handler(raw_arguments: dict[str, Any], context: RunContext[Any]) -> str:
        call_id = context.function_call.call_id
        try:
            result = await session.call(
                name, raw_arguments, call_id=call_id, runtime_context=context
            )
        except Exception as error:  # the session never raises; this keeps LiveKit out
            # No traceback: an exception's text may hold a secret value.
            logger.error(  # noqa: TRY400
                "tool session raised: function=%s call_id=%s error=%s",
                name,
                call_id,
                type(error).__name__,
            )
            raise ToolError(internal_error_text(name)) from None
        if result.ok:
            return result.output
        raise ToolError(result.output)

    handler.__name__ = handler.__qualname__ = name
    return function_tool(handler, raw_schema=function.offered.to_dict())
