"""Code-tool sync: LiveKit ``@function_tool``s in Python packages become catalog tools.

Every module that defines ``@function_tool``s becomes one platform tool (kind
``python``, style ``function_tool``). Each function's schema comes from LiveKit's own
builder, so the catalog holds exactly what the LLM sees. A module may declare:

- ``TOOL_NAME`` (default: the module's last name), ``TOOL_DISPLAY_NAME``,
  ``TOOL_DESCRIPTION`` (default: the first line of the module docstring);
- ``CONFIG_SCHEMA`` (a JSON Schema object), ``SECRET_NAMES``, ``AUTH_TYPE``;
- ``TIMEOUT_SECONDS``: the timeout of each call (default: the platform's);
- ``CALL_POLICY``: the document's ``call_policy`` (side effects, de-duplication window,
  calls per session, per function name or ``*``; default: every function ``unsafe``).

Defining goes through ``ToolService.define``: an unchanged module writes nothing, and a
function that disappeared gives a new version without it.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from livekit.agents.llm import is_function_tool
from livekit.agents.llm.utils import build_legacy_openai_schema

from adapters.executors.code_fingerprint import code_fingerprint
from application.tools import DefineOutcome, ToolService
from domain.json_types import JsonObject


@dataclass(frozen=True)
class SyncedTool:
    """What syncing one module did.

    Attributes:
        module: The module's import name.
        outcome: What defining its tool did (new version or unchanged).
    """

    module: str
    outcome: DefineOutcome


def code_tool_documents(package: str) -> dict[str, JsonObject]:
    """Build one tool document per module of ``package`` that defines code tools.

    Args:
        package: A package (walked recursively) or a single module, by import name.

    Returns:
        Module name -> its tool document.

    Raises:
        ImportError: When the package or one of its modules cannot be imported.
    """
    return {
        module.__name__: _document(module, tools)
        for module in _modules(importlib.import_module(package))
        if (tools := _code_tools(module))
    }


async def sync_packages(packages: Iterable[str], tools: ToolService) -> list[SyncedTool]:
    """Define (or leave unchanged) the code tools of every package, in order.

    Raises:
        ImportError: When a package cannot be imported.
        DomainError: When a tool is refused (invalid, outside the handler allowlist,
            rejected by the target model).
    """
    synced = []
    for package in packages:
        for module, document in code_tool_documents(package).items():
            synced.append(SyncedTool(module, await tools.define(document)))
    return synced


def _modules(root: ModuleType) -> Iterator[ModuleType]:
    yield root
    if hasattr(root, "__path__"):
        for info in pkgutil.walk_packages(root.__path__, f"{root.__name__}."):
            yield importlib.import_module(info.name)


def _code_tools(module: ModuleType) -> list[tuple[str, Any]]:
    return [
        (attribute, value)
        for attribute, value in vars(module).items()
        if is_function_tool(value) and value.__module__ == module.__name__
    ]


def _document(module: ModuleType, tools: list[tuple[str, Any]]) -> JsonObject:
    schemas = [build_legacy_openai_schema(tool)["function"] for _, tool in tools]
    names = [schema["name"] for schema in schemas]
    doc_line = (module.__doc__ or "").strip().splitlines()
    return {
        "name": getattr(module, "TOOL_NAME", module.__name__.rsplit(".", 1)[-1]),
        "display_name": getattr(module, "TOOL_DISPLAY_NAME", None),
        "description": getattr(module, "TOOL_DESCRIPTION", doc_line[0] if doc_line else ""),
        "kind": "python",
        "config_schema": getattr(module, "CONFIG_SCHEMA", None),
        "secret_names": list(getattr(module, "SECRET_NAMES", [])),
        "auth_type": getattr(module, "AUTH_TYPE", "none"),
        "tool_functions_schema": {"functions": schemas},
        "call_policy": getattr(module, "CALL_POLICY", {}),
        "run": {
            "style": "function_tool",
            "timeout_seconds": getattr(module, "TIMEOUT_SECONDS", None),
            "handlers": {
                name: f"{module.__name__}:{attribute}"
                for name, (attribute, _) in zip(names, tools, strict=True)
            },
            "code_fingerprints": {
                name: code_fingerprint(tool) for name, (_, tool) in zip(names, tools, strict=True)
            },
        },
    }
