"""Python tools: resolving their callables safely, and running them.

Two styles (``PythonRunSpec.style``): a schema-defined tool's ``handler`` is
``async def handler(arguments, injection)``; a code tool's ``function_tool`` is a LiveKit
``@function_tool`` found by ``tool-platform tools sync`` and called the way LiveKit calls
it. Code-tool support imports LiveKit, so it is loaded only when a code tool is used.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

from adapters.executors.code_fingerprint import code_fingerprint
from adapters.tool_context import CallScope, in_call
from application.policies import HandlerPolicy
from application.ports import FunctionExecutor, HandlerCheck, OpenExecutor, ToolCall
from domain.errors import HandlerNotAllowed
from domain.injection import ConfigInjection
from domain.json_types import JsonObject, JsonValue
from domain.tools.definition import ToolDefinition
from domain.tools.kinds import ToolKind
from domain.tools.run_specs import PythonRunSpec
from domain.toolset import AgentToolset, LeftOut

if TYPE_CHECKING:
    from adapters.http.pool import HttpClientPool  # the pool's httpx loads when a tool runs

Handler = Callable[[JsonObject, ConfigInjection], Awaitable[JsonValue]]
"""``async def handler(arguments, injection)``: validated arguments, the binding's injection."""


class PythonHandlers(HandlerCheck):
    """Resolves handler paths, refusing anything but allowlisted, runnable code.

    Both the module named in the handler path and the module the resolved callable is
    defined in must be inside the allowlist (a path like ``allowed.mod:asyncio.sleep``
    walks out of it). A ``handler`` must be an ``async def``; a ``function_tool`` must
    be a LiveKit ``@function_tool`` whose source still matches the fingerprint taken at
    sync. Implements the ``HandlerCheck`` port, so the same checks run when a tool is
    defined, when it is loaded, and before it is called.

    Args:
        policy: The operator's handler allowlist.
    """

    def __init__(self, policy: HandlerPolicy) -> None:
        self._policy = policy
        self._resolved: dict[tuple[str, str], Any] = {}
        self._fingerprints: dict[str, str] = {}

    def refusal(self, tool: ToolDefinition, function_name: str) -> str | None:
        """Say why the callable of ``function_name`` cannot run, or None when it can."""
        refused = self._policy.refusal(tool, function_name)
        if refused or not isinstance(tool.run, PythonRunSpec):
            return refused
        spec = tool.run
        import_path = spec.handlers[function_name]
        try:
            target = self.resolve(import_path, spec.style)
        except HandlerNotAllowed as error:
            return str(error)
        synced = spec.code_fingerprints.get(function_name)
        if spec.style == "function_tool" and self._fingerprint(import_path, target) != synced:
            module = import_path.partition(":")[0]
            return (
                f"the installed code of {import_path} differs from the version synced "
                f"into the catalog; run `tool-platform tools sync {module}`"
            )
        return None

    def _fingerprint(self, import_path: str, target: Any) -> str:
        """The fingerprint of the code this process imported (taken once, at first use)."""
        if import_path not in self._fingerprints:
            self._fingerprints[import_path] = code_fingerprint(target)
        return self._fingerprints[import_path]

    def resolve(self, import_path: str, style: str = "handler") -> Any:
        """Import the callable at ``package.module:attribute``.

        Raises:
            HandlerNotAllowed: When it is outside the allowlist, cannot be imported, or
                is not what ``style`` needs.
        """
        key = (import_path, style)
        if key not in self._resolved:
            self._resolved[key] = self._import(import_path, style)
        return self._resolved[key]

    def _import(self, import_path: str, style: str) -> Any:
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
        if style == "function_tool":
            from adapters.executors.function_tools import is_code_tool  # noqa: PLC0415 - LiveKit loads on first use

            if not is_code_tool(target):
                raise HandlerNotAllowed(f"{import_path!r} is not a LiveKit @function_tool")
        elif not inspect.iscoroutinefunction(target):
            raise HandlerNotAllowed(f"handler {import_path!r} must be an async def")
        return target


class PythonFunctionExecutor(FunctionExecutor, OpenExecutor):
    """Runs the callable of a ``python`` tool's function with its binding injected.

    While it runs, :mod:`adapters.tool_context` holds the call's scope (the binding's
    injection and the pooled HTTP client), which tool code reads through
    :mod:`tool_platform`. A code tool that takes a ``RunContext`` gets the one the call
    carries (``ToolCall.runtime_context``). It opens nothing per session: the HTTP
    client belongs to the lifecycle that made the pool.

    Args:
        handlers: Resolves callables (and refuses anything outside the allowlist).
        http: The pooled HTTP client that tool code gets from ``http_client()``.
    """

    def __init__(self, handlers: PythonHandlers, http: HttpClientPool) -> None:
        self._handlers = handlers
        self._http = http

    @property
    def kind(self) -> ToolKind:
        """Runs ``python`` tools."""
        return ToolKind.PYTHON

    @property
    def left_out(self) -> Sequence[LeftOut]:
        """Nothing: opening a python tool cannot fail (its handler was checked at load)."""
        return ()

    async def open(self, toolset: AgentToolset) -> OpenExecutor:
        """Nothing to open for a session: the same executor serves it."""
        return self

    async def aclose(self) -> None:
        """Nothing to close."""

    async def execute(self, call: ToolCall) -> JsonValue:
        """Run the callable of the called function."""
        function = call.function
        run = function.tool.run
        if not isinstance(run, PythonRunSpec):
            raise TypeError(f"{function.tool.name!r} is not a python tool")
        call.details.handler = run.handlers[function.name]
        target = self._handlers.resolve(call.details.handler, run.style)
        with in_call(CallScope(call.injection, self._http)):
            if run.style == "function_tool":
                from adapters.executors.function_tools import call_code_tool  # noqa: PLC0415 - LiveKit loads on first use

                return await call_code_tool(
                    target, function.name, call.arguments, call.runtime_context
                )
            handler: Handler = target
            return await handler(call.arguments, call.injection)
