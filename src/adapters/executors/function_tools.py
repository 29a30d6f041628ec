"""Running LiveKit ``@function_tool``s (code tools) the way LiveKit itself calls them."""

from __future__ import annotations

import asyncio
import functools
import hashlib
import inspect
import marshal
from typing import Any, get_type_hints

from livekit.agents import ToolError
from livekit.agents.llm import is_function_tool
from livekit.agents.llm.utils import is_context_type, prepare_function_arguments

from adapters.tool_context import current_run_context
from domain.errors import ToolFailure
from domain.json_types import JsonObject, JsonValue


def is_code_tool(target: Any) -> bool:
    """Tell whether ``target`` is a LiveKit ``@function_tool`` (typed, not raw)."""
    return bool(is_function_tool(target))


def code_fingerprint(tool: Any) -> str:
    """Fingerprint the source of a code tool's function (its bytecode if no source)."""
    function = inspect.unwrap(tool)
    try:
        material = inspect.getsource(function).encode()
    except (OSError, TypeError):
        material = marshal.dumps(function.__code__)
    return "sha256:" + hashlib.sha256(material).hexdigest()


def needs_run_context(tool: Any) -> bool:
    """Tell whether the tool takes a LiveKit ``RunContext`` parameter."""
    hints = get_type_hints(inspect.unwrap(tool), include_extras=True)
    return any(is_context_type(hint, allow_subclasses=True) for hint in hints.values())


async def call_code_tool(tool: Any, name: str, arguments: JsonObject) -> JsonValue:
    """Call a code tool with already validated arguments.

    LiveKit's own binding turns the arguments into the annotated Python types and puts
    the call's ``RunContext`` where the signature asks for one. A plain ``def`` runs in
    a worker thread (with the calling binding's context), since awaiting it would fail.

    Raises:
        ToolFailure: When the tool raises ``ToolError``, or needs a ``RunContext``
            outside a LiveKit session; the message is for the LLM.
    """
    run_context = current_run_context()
    if run_context is None and needs_run_context(tool):
        raise ToolFailure(f"{name} needs a LiveKit session (it takes a RunContext)")
    try:
        args, kwargs = prepare_function_arguments(
            fnc=tool, json_arguments=arguments, call_ctx=run_context
        )
        if inspect.iscoroutinefunction(inspect.unwrap(tool)):
            result: JsonValue = await tool(*args, **kwargs)
        else:
            result = await asyncio.to_thread(functools.partial(tool, *args, **kwargs))
    except ToolError as error:
        raise ToolFailure(str(error)) from None
    return result
