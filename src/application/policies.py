"""Operator policies the use cases enforce."""

from __future__ import annotations

from dataclasses import dataclass

from application.ports import HandlerCheck
from domain.tools.definition import ToolDefinition
from domain.tools.run_specs import McpRunSpec, PythonRunSpec


@dataclass(frozen=True)
class HandlerPolicy(HandlerCheck):
    """What code a stored tool may run (a ``HandlerCheck``).

    A stored tool must never be able to call arbitrary code, so a handler's module
    must be one of these packages or lie inside one, and a stdio MCP server's command
    must be one of the operator's. Checked when a tool is defined and again when it is
    loaded.

    Attributes:
        allowed_packages: Package names (``acme_tools``, ``adapters.tool_packages``).
        stdio_commands: The names in ``TOOL_PLATFORM_MCP_STDIO_COMMANDS``; None leaves
            stdio commands unchecked here (the MCP executor refuses an unknown one).
    """

    allowed_packages: tuple[str, ...] = ()
    stdio_commands: frozenset[str] | None = None

    def allows(self, import_path: str) -> bool:
        """Tell whether the handler at ``package.module:attribute`` is allowed."""
        module = import_path.partition(":")[0]
        return any(
            module == package or module.startswith(f"{package}.")
            for package in self.allowed_packages
        )

    def refusal(self, tool: ToolDefinition, function_name: str) -> str | None:
        """Say why ``function_name`` of ``tool`` may not run here, or None."""
        if isinstance(tool.run, McpRunSpec):
            return self._command_refusal(tool.run)
        if not isinstance(tool.run, PythonRunSpec):
            return None
        handler = tool.run.handlers.get(function_name, "")
        if self.allows(handler):
            return None
        allowed = ", ".join(self.allowed_packages) or "none configured"
        return f"handler {handler!r} is outside the allowed packages ({allowed})"

    def _command_refusal(self, run: McpRunSpec) -> str | None:
        command = run.server.command
        if run.server.transport != "stdio" or self.stdio_commands is None:
            return None
        if command in self.stdio_commands:
            return None
        known = ", ".join(sorted(self.stdio_commands)) or "none"
        return (
            f"the stdio command {command!r} is not one of the operator's "
            f"(TOOL_PLATFORM_MCP_STDIO_COMMANDS names: {known})"
        )
