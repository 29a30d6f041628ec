"""Running LiveKit ``@function_tool``s (code tools) the way LiveKit itself calls them."""

from __future__ import annotations

import asyncio
import functools
import inspect
from typing import Any, cast, get_type_hints

from livekit.agents import RunContext, ToolError
from livekit.agents.llm import is_function_tool
from livekit.agents.llm.utils import is_context_type, prepare_function_arguments

from domain.errors import ToolFailure
from domain.json_types import JsonObject, JsonValue


def is_code_tool(target: Any) -> bool:
    """Tell whether ``target`` is a LiveKit ``@function_tool`` (typed, not raw)."""
    return bool(is_function_tool(target))


def needs_run_context(tool: Any) -> bool:
    """Tell whether the tool takes a LiveKit ``RunContext`` parameter."""
    hints = get_type_hints(inspect.unwrap(tool), include_extras=True)
    return any(is_context_type(hint, allow_subclasses=True) for hint in hints.values())


async def call_code_tool(
    tool: Any, name: str, arguments: JsonObject, run_context: object | None
) -> JsonValue:
    """Call a code tool with already validated arguments.

    LiveKit's own binding turns the arguments into the annotated Python types and puts
    ``run_context`` (the call's ``RunContext``; None outside a LiveKit session) where
    the signature asks for one. A plain ``def`` runs in a worker thread (with the
    calling binding's context), since awaiting it would fail.

    Raises:
        ToolFailure: When the tool raises ``ToolError``, or needs a ``RunContext``
            outside a LiveKit session; the message is for the LLM.
    """
    if run_context is None and needs_run_context(tool):
        raise ToolFailure(f"{name} needs a LiveKit session (it takes a RunContext)")
    try:
        args, kwargs = prepare_function_arguments(
            fnc=tool, json_arguments=arguments, call_ctx=cast("RunContext[Any] | None", run_context)
        )
        if inspect.iscoroutinefunction(inspect.unwrap(tool)):
            result: JsonValue = await tool(*args, **kwargs)
        else:
            result = await asyncio.to_thread(functools.partial(tool, *args, **kwargs))
    except ToolError as error:
        raise ToolFailure(str(error)) from None
    return result
