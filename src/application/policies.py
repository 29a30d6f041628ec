"""Operator policies the use cases enforce."""

from __future__ import annotations

from dataclasses import dataclass

from application.ports import HandlerCheck
from domain.tools.definition import ToolDefinition
from domain.tools.run_specs import PythonRunSpec


@dataclass(frozen=True)
class HandlerPolicy(HandlerCheck):
    """Which Python packages a ``python`` tool may name a handler in (a ``HandlerCheck``).

    A stored tool must never be able to call arbitrary code, so a handler's module
    must be one of these packages or lie inside one. Checked when a tool is defined
    and again when it is loaded.

    Attributes:
        allowed_packages: Package names (``acme_tools``, ``adapters.tool_packages``).
    """

    allowed_packages: tuple[str, ...] = ()

    def allows(self, import_path: str) -> bool:
        """Tell whether the handler at ``package.module:attribute`` is allowed."""
        module = import_path.partition(":")[0]
        return any(
            module == package or module.startswith(f"{package}.")
            for package in self.allowed_packages
        )

    def refusal(self, tool: ToolDefinition, function_name: str) -> str | None:
        """Say why ``function_name`` of ``tool`` may not run here, or None."""
        if not isinstance(tool.run, PythonRunSpec):
            return None
        handler = tool.run.handlers.get(function_name, "")
        if self.allows(handler):
            return None
        allowed = ", ".join(self.allowed_packages) or "none configured"
        return f"handler {handler!r} is outside the allowed packages ({allowed})"
