"""``PythonFunctionExecutor``: runs a ``python`` tool's allowlisted ``async def`` handler."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Awaitable, Callable
from typing import Any, cast

from application.policies import HandlerPolicy
from domain.errors import HandlerNotAllowed
from domain.injection import ConfigInjection
from domain.json_types import JsonObject, JsonValue
from domain.tools.definition import ToolDefinition
from domain.tools.run_specs import PythonRunSpec
from domain.toolset import ToolsetFunction

Handler = Callable[[JsonObject, ConfigInjection], Awaitable[JsonValue]]
"""``async def handler(arguments, injection)``: validated arguments, the binding's injection."""


class PythonHandlers:
    """Resolves handler paths, refusing anything but an allowlisted ``async def``.

    Both the module named in the handler path and the module the resolved function is
    defined in must be inside the allowlist (a path like ``allowed.mod:asyncio.sleep``
    walks out of it). Implements the ``HandlerCheck`` port, so the same checks run when
    a tool is defined, when it is loaded, and before it is called.

    Args:
        policy: The operator's handler allowlist.
    """

    def __init__(self, policy: HandlerPolicy) -> None:
        self._policy = policy
        self._resolved: dict[str, Handler] = {}

    def refusal(self, tool: ToolDefinition, function_name: str) -> str | None:
        """Say why the handler of ``function_name`` cannot run, or None when it can."""
        refused = self._policy.refusal(tool, function_name)
        if refused or not isinstance(tool.run, PythonRunSpec):
            return refused
        try:
            self.resolve(tool.run.handlers[function_name])
        except HandlerNotAllowed as error:
            return str(error)
        return None

    def resolve(self, import_path: str) -> Handler:
        """Import the handler at ``package.module:attribute``.

        Raises:
            HandlerNotAllowed: When it is outside the allowlist, cannot be imported, or
                is not an ``async def``.
        """
        if import_path not in self._resolved:
            self._resolved[import_path] = self._import(import_path)
        return self._resolved[import_path]

    def _import(self, import_path: str) -> Handler:
        if not self._policy.allows(import_path):
            raise HandlerNotAllowed(f"handler {import_path!r} is outside the allowed packages")
        module_name, _, attribute_path = import_path.partition(":")
        try:
            target: Any = importlib.import_module(module_name)
            for attribute in attribute_path.split("."):
                target = getattr(target, attribute)
        except (ImportError, AttributeError) as error:
            raise HandlerNotAllowed(
                f"handler {import_path!r} cannot be imported ({type(error).__name__}: {error})"
            ) from None
        home = getattr(target, "__module__", None) or ""
        if not self._policy.allows(f"{home}:{attribute_path}"):
            raise HandlerNotAllowed(
                f"handler {import_path!r} leads to code in {home or 'an unknown module'!r}, "
                "outside the allowed packages"
            )
        if not inspect.iscoroutinefunction(target):
            raise HandlerNotAllowed(f"handler {import_path!r} must be an async def")
        return cast(Handler, target)


class PythonFunctionExecutor:
    """Awaits the handler of a ``python`` tool's function.

    A handler is ``async def handler(arguments: dict, injection: ConfigInjection)``
    and returns something JSON-serialisable (or text).

    Args:
        handlers: Resolves handlers (and refuses anything outside the allowlist).
    """

    def __init__(self, handlers: PythonHandlers) -> None:
        self._handlers = handlers

    async def execute(
        self, function: ToolsetFunction, arguments: JsonObject, injection: ConfigInjection
    ) -> JsonValue:
        """Run the handler of ``function``."""
        run = function.tool.run
        if not isinstance(run, PythonRunSpec):
            raise TypeError(f"{function.tool.name!r} is not a python tool")
        handler = self._handlers.resolve(run.handlers[function.name])
        return await handler(arguments, injection)
