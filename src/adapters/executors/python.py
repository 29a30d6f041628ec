"""``PythonFunctionExecutor``: runs a ``python`` tool's allowlisted ``async def`` handler."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from application.policies import HandlerPolicy
from domain.errors import HandlerNotAllowed
from domain.injection import ConfigInjection
from domain.json_types import JsonObject, JsonValue
from domain.tools.run_specs import PythonRunSpec
from domain.toolset import ToolsetFunction

Handler = Callable[[JsonObject, ConfigInjection], Awaitable[JsonValue]]
"""``async def handler(arguments, injection)``: validated arguments, the binding's injection."""


class PythonFunctionExecutor:
    """Imports handlers from allowlisted packages only, and awaits them.

    Both the module named in the handler path and the module the resolved function
    is defined in must be inside the allowlist.

    A handler is ``async def handler(arguments: dict, injection: ConfigInjection)``
    and returns something JSON-serialisable (or text).

    Args:
        policy: The operator's handler allowlist (checked again at every import).
    """

    def __init__(self, policy: HandlerPolicy) -> None:
        self._policy = policy
        self._handlers: dict[str, Handler] = {}

    async def execute(
        self, function: ToolsetFunction, arguments: JsonObject, injection: ConfigInjection
    ) -> JsonValue:
        """Run the handler of ``function``."""
        run = function.tool.run
        if not isinstance(run, PythonRunSpec):
            raise TypeError(f"{function.tool.name!r} is not a python tool")
        handler = self._handler(run.handlers[function.name])
        return await handler(arguments, injection)

    def _handler(self, import_path: str) -> Handler:
        if import_path not in self._handlers:
            if not self._policy.allows(import_path):
                raise HandlerNotAllowed(f"handler {import_path!r} is outside the allowed packages")
            module_name, _, attribute_path = import_path.partition(":")
            target: Any = importlib.import_module(module_name)
            for attribute in attribute_path.split("."):
                target = getattr(target, attribute)
            # The path may walk out of the allowed module (``allowed.mod:asyncio.sleep``):
            # what runs must itself be defined inside an allowed package.
            home = getattr(target, "__module__", None) or ""
            if not self._policy.allows(f"{home}:{attribute_path}"):
                raise HandlerNotAllowed(
                    f"handler {import_path!r} leads to code in {home or 'an unknown module'!r}, "
                    "outside the allowed packages"
                )
            if not inspect.iscoroutinefunction(target):
                raise TypeError(f"handler {import_path!r} must be an async def")
            self._handlers[import_path] = target
        return self._handlers[import_path]
