"""Test runs: one function of an agent's toolset, rendered (nothing sent) or really called.

The CLI's ``call --dry-run`` and the admin API's test runs use this: the same lookup,
argument validation and rendering, and for ``execute`` a real call through a tool
session (the outbound guard, the scrubbing, the result cap and the audit as in any
session).
"""

from __future__ import annotations

from application.clock import IdFactory, new_id
from application.ports import RequestPreview, ToolCall
from application.tool_session import CallResult
from application.tool_sessions import ToolSessions
from application.toolsets import ToolsetLoader
from domain.errors import NotFound
from domain.json_types import JsonObject, JsonValue
from domain.tools.run_specs import PythonRunSpec
from domain.toolset import AgentToolset, ToolsetFunction


class TestRuns:
    """Renders or runs one function with an agent's binding (its config and secrets).

    Args:
        toolsets: Loads the agent's toolset as a session would.
        sessions: Opens tool sessions (for ``execute``).
        preview: Renders ``http`` and ``mcp`` calls, nothing sent.
        ids: Makes the call id of an executed test run.
    """

    __test__ = False  # not a pytest class, whatever its name says

    def __init__(
        self,
        toolsets: ToolsetLoader,
        sessions: ToolSessions,
        preview: RequestPreview,
        ids: IdFactory = new_id,
    ) -> None:
        self._toolsets = toolsets
        self._sessions = sessions
        self._preview = preview
        self._ids = ids

    async def render(
        self,
        agent_reference: str,
        function_name: str,
        arguments: JsonValue,
        *,
        tool: str | None = None,
    ) -> JsonObject:
        """Describe what calling the function would do; nothing is sent or run.

        Args:
            agent_reference: The agent's id or name (its binding gives config and secrets).
            function_name: The function, as the agent's session offers it.
            arguments: The arguments, as the model would send them.
            tool: When given, the function must belong to this tool.

        Raises:
            NotFound: When the agent does not offer the function (the reason it is
                left out, when it is).
            InvalidArguments: When the arguments break the function's schema.
            ToolFailure: When a value would be refused.
        """
        toolset = await self._toolsets.load(agent_reference)
        return await describe_call(toolset, function_name, arguments, self._preview, tool=tool)

    async def execute(
        self,
        agent_reference: str,
        function_name: str,
        arguments: JsonValue,
        *,
        tool: str | None = None,
    ) -> CallResult:
        """Call the function for real, through a tool session opened for this one call.

        Never raises for the call itself: its outcome is the :class:`CallResult` the
        model would get.

        Raises:
            NotFound: When the agent does not offer the function.
        """
        toolset = await self._toolsets.load(agent_reference)
        offered(toolset, function_name, tool)
        async with await self._sessions.open(toolset) as session:
            return await session.call(function_name, arguments, call_id=self._ids())


def offered(toolset: AgentToolset, function_name: str, tool: str | None = None) -> ToolsetFunction:
    """The function the toolset offers under this name (of ``tool``, when given).

    Raises:
        NotFound: Saying why it is left out, or what the toolset offers instead.
    """
    function = next((f for f in toolset.functions if f.name == function_name), None)
    if function is not None and (tool is None or function.tool.name == tool):
        return function
    left = [str(left) for left in toolset.left_out if left.function == function_name]
    if left:
        raise NotFound(left[0])
    names = [f.name for f in toolset.functions if tool is None or f.tool.name == tool]
    whose = "the agent" if tool is None else f"the agent's binding to tool {tool!r}"
    raise NotFound(
        f"{whose} offers no function {function_name!r}; it offers: {', '.join(names) or 'none'}"
    )


async def describe_call(
    toolset: AgentToolset,
    function_name: str,
    arguments: JsonValue,
    preview: RequestPreview,
    *,
    tool: str | None = None,
) -> JsonObject:
    """What calling ``function_name`` with ``arguments`` would do (see :meth:`TestRuns.render`)."""
    function = offered(toolset, function_name, tool)
    validated = function.schema.validate_arguments(arguments)
    run = function.tool.run
    if isinstance(run, PythonRunSpec):
        return {"kind": "python", "handler": run.handlers[function.name], "arguments": validated}
    injection = toolset.injection_for(function).for_call()
    return await preview.preview(ToolCall(function, validated, injection, "dry-run"))
