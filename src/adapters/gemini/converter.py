"""LiveKit's Gemini realtime converter, called exactly as a realtime session calls it.

A session hands its tools to ``livekit.plugins.google.utils.create_tools_config(tool_ctx,
use_parameters_json_schema=False)`` when it connects; one function the converter refuses
fails that call and closes the whole session. :func:`declare` runs the same code on one
function offline, so a refusal shows up when a tool is defined or loaded instead.

The plugin takes about two seconds to import, so it is imported on the first call, never
at module import.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

from domain.json_types import JsonObject

Converter = Callable[[JsonObject], JsonObject]
"""Turns a canonical function ``{name, description, parameters}`` into a declaration."""


class ConverterRefusal(Exception):
    """The converter refused a function; ``error`` is what it raised.

    Attributes:
        error: The converter's own exception (``ValueError``, ``TypeError``,
            ``KeyError``, ...), kept so the refusal can be explained.
    """

    def __init__(self, error: Exception) -> None:
        super().__init__(f"{type(error).__name__}: {error}")
        self.error = error


class GeminiConverterUnavailable(RuntimeError):
    """LiveKit's Google plugin cannot be imported here, so no function can be checked.

    This is an environment problem, never a verdict on a function.
    """


def declare(function: JsonObject) -> JsonObject:
    """Convert one function the way a Gemini realtime session converts its tools.

    Args:
        function: The canonical form ``{name, description, parameters}``.

    Returns:
        The Gemini ``FunctionDeclaration`` as JSON (snake_case keys, ``None`` left out;
        no ``parameters`` key when the function takes none).

    Raises:
        ConverterRefusal: When the converter refuses the function, whatever it raised.
        GeminiConverterUnavailable: When the plugin cannot be imported.
    """
    convert = load_converter()
    try:
        return convert(function)
    except Exception as error:  # the converter raises ValueError, TypeError, KeyError, ...
        raise ConverterRefusal(error) from error


def is_loaded() -> bool:
    """Tell whether the converter (and so LiveKit's Google plugin) is imported yet."""
    return load_converter.cache_info().currsize > 0


@functools.cache
def load_converter() -> Converter:
    """Import LiveKit's converter once and return a function that calls it.

    Raises:
        GeminiConverterUnavailable: When the import fails, for example because the
            plugin registers itself with LiveKit and LiveKit allows that only on the
            main thread.
    """
    try:
        # Imported here, not at the top: the plugin takes about two seconds to import.
        from livekit.agents.llm import ToolContext, function_tool  # noqa: PLC0415
        from livekit.plugins.google.utils import create_tools_config  # noqa: PLC0415
    except Exception as error:
        on_main_thread = threading.current_thread() is threading.main_thread()
        hint = (
            ""
            if on_main_thread
            else "; LiveKit registers plugins only on the main thread: import "
            "livekit.plugins.google there first (the worker does), or call "
            "GeminiModelCompatibility.preload() on the main thread"
        )
        raise GeminiConverterUnavailable(
            f"cannot import LiveKit's Gemini converter ({type(error).__name__}: {error}){hint}"
        ) from error

    async def handler(raw_arguments: dict[str, Any]) -> None:
        """Never called: a raw tool needs a handler, the converter reads only the schema."""

    def convert(function: JsonObject) -> JsonObject:
        tool = function_tool(handler, raw_schema=function)
        tools, _ = create_tools_config(ToolContext([tool]), use_parameters_json_schema=False)
        declarations = tools[0].function_declarations or []
        (declaration,) = declarations
        return declaration.model_dump(mode="json", exclude_none=True)

    return convert
