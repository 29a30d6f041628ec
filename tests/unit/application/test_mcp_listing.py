"""``application.mcp_listing``: what define and refresh hand the lister, and what they store."""

from __future__ import annotations

from typing import Any

import pytest

from application.mcp_listing import drift, listing_injection, with_listing
from application.ports import ListedMcpFunction
from domain.errors import BindingMisfit, InvalidToolDocument
from domain.tools.definition import ToolDefinition
from domain.tools.run_specs import McpFunctionHints, McpRunSpec
from tests.builders import CANARY, tool_definition

OBJECT: dict[str, Any] = {"type": "object", "properties": {"q": {"type": "string"}}}


def mcp_tool(server: dict[str, Any], **fields: Any) -> tuple[ToolDefinition, McpRunSpec]:
    """An ``mcp`` tool listing no functions, and its run spec."""
    tool = tool_definition({"name": "docs", "kind": "mcp", "run": {"server": server}, **fields})
    assert isinstance(tool.run, McpRunSpec)
    return tool, tool.run


def listed(*names: str, read_only: bool | None = None) -> list[ListedMcpFunction]:
    """Listed functions taking one string ``q``."""
    hints = McpFunctionHints(read_only=read_only)
    return [ListedMcpFunction(name, f"The {name}.", OBJECT, hints) for name in names]


def test_the_server_url_takes_config_defaults_and_the_given_secrets() -> None:
    tool, spec = mcp_tool(
        {"url": "{config.base}/mcp", "headers": {"Authorization": "Bearer {secrets.token}"}},
        config_schema={
            "type": "object",
            "properties": {
                "base": {"type": "string", "format": "uri", "default": "https://x"},
                "region": {"type": "string"},
            },
            "required": ["region"],  # a binding gives it; the server does not use it
        },
        secret_names=["token", "unused"],
    )

    injection = listing_injection(tool, spec.server, {"token": CANARY})

    assert dict(injection.config) == {"base": "https://x"}
    assert injection.secret("token") == CANARY
    assert CANARY not in repr(injection)


def test_a_config_value_the_server_needs_without_a_default_is_refused() -> None:
    tool, spec = mcp_tool(
        {"url": "{config.base}/mcp"},
        config_schema={
            "type": "object",
            "properties": {"base": {"type": "string", "format": "uri"}},
            "required": ["base"],
        },
    )

    with pytest.raises(BindingMisfit, match=r"needs config 'base' for its server.*no default"):
        listing_injection(tool, spec.server, {})


def test_a_stdio_env_secret_must_be_given() -> None:
    tool, spec = mcp_tool(
        {"transport": "stdio", "command": "docs", "env": {"API_TOKEN": "{secrets.token}"}},
        secret_names=["token"],
    )

    with pytest.raises(BindingMisfit, match="give them with --secret token"):
        listing_injection(tool, spec.server, {})


def test_the_listing_becomes_functions_and_annotations_new_ones_after_the_known() -> None:
    before, spec = mcp_tool({"url": "https://mcp.example.com/mcp"})
    first = tool_definition(with_listing(before, spec, listed("b", "a", read_only=True)))

    document = with_listing(first, spec, listed("c", "a", "b"))

    names = [f["name"] for f in document["tool_functions_schema"]["functions"]]
    assert names == ["b", "a", "c"]
    assert document["run"]["annotations"]["a"] == {
        "readOnlyHint": None,
        "idempotentHint": None,
        "destructiveHint": None,
    }
    assert first.to_document()["run"]["annotations"]["a"]["readOnlyHint"] is True
    then = tool_definition(document)
    assert drift(first, then).added == ("c",)
    assert drift(first, then).changed == ("b", "a")  # their annotations changed
    assert not drift(then, then)


def test_a_listing_that_leaves_nothing_is_refused() -> None:
    tool, spec = mcp_tool({"url": "https://mcp.example.com/mcp", "allowed_functions": []})

    with pytest.raises(InvalidToolDocument, match="the server offers no function to store"):
        with_listing(tool, spec, listed("a"))


def test_annotations_must_name_functions_of_the_tool() -> None:
    document = {
        "name": "docs",
        "kind": "mcp",
        "tool_functions_schema": {"functions": [{"name": "a", "parameters": OBJECT}]},
        "run": {
            "server": {"url": "https://mcp.example.com/mcp"},
            "annotations": {"a": {"readOnlyHint": True}, "gone": {}},
        },
    }

    with pytest.raises(InvalidToolDocument, match=r"run\.annotations\.gone: names no function"):
        tool_definition(document)
