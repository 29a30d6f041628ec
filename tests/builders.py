"""Builders of tool documents and domain objects, shared by every test folder.

One place for them, so a change to the document shape is fixed once. Documents are
plain dicts in the seed's JSON shape (``domain.tools.document.read_tool_document``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from adapters.http.allowlist import OutboundAllowlist
from adapters.http.guard import OutboundGuard
from application.policies import HandlerPolicy
from domain.agents import VoiceAgent
from domain.bindings import AgentToolBinding
from domain.secrets import Secret
from domain.tools.definition import ToolDefinition
from domain.tools.document import read_tool_document
from entrypoints.container import Container
from entrypoints.settings import PlatformSettings

HANDLERS = "tests.handlers.echo_tools"
"""The test handler module; its package ``tests.handlers`` is what test policies allow."""

CANARY = "canary-7f3a9c0e5b1d-secret"
"""A secret value searched for wherever a secret must never appear."""

TRICKY_CANARY = 'tok"en\\7f3a-é-\u2028'
"""A secret whose JSON-escaped forms differ from its raw text (quote, backslash, non-ASCII)."""

EPOCH = datetime(2025, 1, 1, tzinfo=UTC)

LOCAL_SERVERS = ("127.0.0.1/32",)
"""What the outbound guard admits in tests: the local servers fixtures start."""


def local_guard() -> OutboundGuard:
    """An outbound guard that admits :data:`LOCAL_SERVERS` and nothing private else."""
    return OutboundGuard(OutboundAllowlist.parse(LOCAL_SERVERS))


def function_doc(
    name: str, parameters: Mapping[str, Any] | None = None, description: str | None = None
) -> dict[str, Any]:
    """A canonical function schema; by default it takes one required string ``text``."""
    return {
        "name": name,
        "description": description if description is not None else f"The {name} function.",
        "parameters": dict(parameters)
        if parameters is not None
        else {
            "type": "object",
            "properties": {"text": {"type": "string"}},
            "required": ["text"],
        },
    }


def _functions(functions: Iterable[str | Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [function_doc(f) if isinstance(f, str) else dict(f) for f in functions]


def http_tool_document(
    name: str = "weather",
    functions: Sequence[str | Mapping[str, Any]] = ("get_forecast",),
    *,
    config_schema: Mapping[str, Any] | None = None,
    secret_names: Sequence[str] = (),
    description: str = "An HTTP tool for tests.",
) -> dict[str, Any]:
    """An ``http`` tool document: one GET per function, each secret sent as a header.

    Args:
        name: The tool name.
        functions: Function names (each gets :func:`function_doc`'s default) or
            whole function schemas in any dialect.
        config_schema: The tool's config schema; None leaves it out.
        secret_names: The secrets every binding must supply.
        description: The tool description.
    """
    listed = _functions(functions)
    headers = {f"X-{secret}": f"{{secrets.{secret}}}" for secret in secret_names}
    document: dict[str, Any] = {
        "name": name,
        "description": description,
        "kind": "http",
        "secret_names": list(secret_names),
        "tool_functions_schema": {"functions": listed},
        "run": {
            "requests": {
                _name_of(f): {"url": f"https://api.example.com/{name}/{_name_of(f)}"}
                | ({"headers": headers} if headers else {})
                for f in listed
            }
        },
    }
    if config_schema is not None:
        document["config_schema"] = dict(config_schema)
    return document


def python_tool_document(
    name: str,
    handlers: Mapping[str, str],
    *,
    functions: Sequence[str | Mapping[str, Any]] | None = None,
    config_schema: Mapping[str, Any] | None = None,
    secret_names: Sequence[str] = (),
) -> dict[str, Any]:
    """A ``python`` tool document.

    Args:
        name: The tool name.
        handlers: Function name -> handler. A bare attribute name (``"echo"``) means
            that attribute of :data:`HANDLERS`; anything with a ``:`` is used as is.
        functions: The function schemas; by default one :func:`function_doc` per handler.
        config_schema: The tool's config schema; None leaves it out.
        secret_names: The secrets every binding must supply.
    """
    document: dict[str, Any] = {
        "name": name,
        "description": "A Python tool for tests.",
        "kind": "python",
        "secret_names": list(secret_names),
        "tool_functions_schema": {"functions": _functions(functions or list(handlers))},
        "run": {
            "handlers": {
                function: handler if ":" in handler else f"{HANDLERS}:{handler}"
                for function, handler in handlers.items()
            }
        },
    }
    if config_schema is not None:
        document["config_schema"] = dict(config_schema)
    return document


def mcp_tool_document(name: str, functions: Sequence[str] = ("search",)) -> dict[str, Any]:
    """An ``mcp`` tool document listing ``functions`` (its server at mcp.example.com)."""
    return {
        "name": name,
        "description": "An MCP tool for tests.",
        "kind": "mcp",
        "tool_functions_schema": {"functions": _functions(functions)},
        "run": {"server": {"url": f"https://mcp.example.com/{name}/mcp"}},
    }


def _name_of(function: Mapping[str, Any]) -> str:
    name = function.get("name")
    if name is None and isinstance(function.get("function"), Mapping):
        name = function["function"].get("name")
    assert isinstance(name, str), f"function without a name: {function}"
    return name


def tool_definition(document: Mapping[str, Any], version: int = 1) -> ToolDefinition:
    """The :class:`ToolDefinition` a document describes, at ``version``."""
    return read_tool_document({**document, "version": version}).tool


def voice_agent(name: str, agent_id: str | None = None, instructions: str = "") -> VoiceAgent:
    """An agent; its id defaults to ``agent-<name>``."""
    return VoiceAgent(agent_id or f"agent-{name}", name, instructions)


def agent_binding(
    agent_id: str,
    tool_name: str,
    *,
    binding_id: str | None = None,
    created_at: datetime = EPOCH,
    config: Mapping[str, Any] | None = None,
    secrets: Mapping[str, str] | None = None,
    enabled: bool = True,
    functions: Sequence[str] | None = None,
) -> AgentToolBinding:
    """A binding; its id defaults to ``<agent_id>/<tool_name>``."""
    return AgentToolBinding(
        id=binding_id or f"{agent_id}/{tool_name}",
        agent_id=agent_id,
        tool_name=tool_name,
        created_at=created_at,
        config=dict(config or {}),
        secrets={key: Secret(value) for key, value in (secrets or {}).items()},
        enabled=enabled,
        functions=tuple(functions) if functions is not None else None,
    )


class TickingClock:
    """A clock for use cases that moves one second forward on every reading."""

    def __init__(self, start: datetime = EPOCH) -> None:
        self._next = start

    def __call__(self) -> datetime:
        now = self._next
        self._next += timedelta(seconds=1)
        return now


def leaked_forms(secret: str) -> tuple[str, ...]:
    """Every form in which ``secret`` could show up in text: raw, JSON-escaped, repr'd."""
    return tuple(
        {
            secret,
            json.dumps(secret)[1:-1],
            json.dumps(secret, ensure_ascii=False)[1:-1],
            repr(secret)[1:-1],
        }
    )


def assert_no_secret(text: str, secret: str = CANARY) -> None:
    """Fail when ``text`` holds ``secret`` in any of its :func:`leaked_forms`."""
    for form in leaked_forms(secret):
        assert form not in text, f"the secret leaked (as {form!r}) into: {text!r}"


def platform_container(
    policy: HandlerPolicy, timeout_seconds: float, model_target: str = "any"
) -> Container:
    """The container's own wiring on in-memory storage: python tools under ``policy``.

    ``model_target`` is ``TOOL_PLATFORM_MODEL_TARGET`` (``any``: offered as stored).

    Tests take the runtime (executors, HTTP client pool, tool sessions) from it, so they
    run what the worker and the CLI run; close ``http_pool()`` when done.
    """
    container = Container()
    container.settings.override(
        PlatformSettings(
            storage="memory",
            model_target=model_target,
            handler_packages=policy.allowed_packages,
            tool_timeout_seconds=timeout_seconds,
            outbound_allow=LOCAL_SERVERS,
        )
    )
    return container
