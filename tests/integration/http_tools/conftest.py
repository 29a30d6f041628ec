"""Fixtures of the ``http`` executor's tests: a recording server and the platform.

``tools`` is the container's own wiring on in-memory storage (the executors, the pooled
client, tool sessions): a test defines an ``http`` tool pointed at ``upstream``, binds it
to agent ``desk`` and calls it through the call pipeline, as a session does.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any

import pytest

from application.policies import HandlerPolicy
from application.tool_session import CallResult, ToolSession
from entrypoints.container import Container
from tests.builders import function_doc, platform_container
from tests.integration.http_tools.upstream import Upstream

TIMEOUT_SECONDS = 2.0


@pytest.fixture
async def upstream() -> AsyncIterator[Upstream]:
    """The recording server on 127.0.0.1."""
    async with Upstream() as server:
        yield server


@dataclass
class HttpTools:
    """Defines, binds and calls ``http`` tools on one container."""

    container: Container
    upstream: Upstream

    async def session(
        self,
        document: Mapping[str, Any],
        *,
        config: Mapping[str, Any] | None = None,
        secrets: Mapping[str, str] | None = None,
    ) -> ToolSession:
        """Define ``document``, bind it to ``desk``, and open a session (close it after)."""
        await self.container.tools().define(dict(document))
        await self.container.bindings().bind(
            "desk", document["name"], config=dict(config or {}), secrets=dict(secrets or {})
        )
        toolset = await self.container.toolsets().load("desk")
        return await self.container.tool_sessions().open(toolset)

    async def call(
        self,
        document: Mapping[str, Any],
        arguments: Any,
        *,
        config: Mapping[str, Any] | None = None,
        secrets: Mapping[str, str] | None = None,
    ) -> CallResult:
        """Define, bind, open, make one call of the document's first function, close."""
        function = document["tool_functions_schema"]["functions"][0]["name"]
        async with await self.session(document, config=config, secrets=secrets) as session:
            return await session.call(function, arguments, call_id="c1")


@pytest.fixture
async def tools(upstream: Upstream) -> AsyncIterator[HttpTools]:
    """The platform on in-memory storage with agent ``desk``."""
    container = platform_container(HandlerPolicy(("tests.handlers",)), TIMEOUT_SECONDS)
    await container.agents().create("desk")
    yield HttpTools(container, upstream)
    await container.http_pool().aclose()


def http_document(
    request: Mapping[str, Any],
    parameters: Mapping[str, Any] | None = None,
    *,
    name: str = "api",
    function: str = "lookup",
    **fields: Any,
) -> dict[str, Any]:
    """An ``http`` tool with one function ``lookup`` making ``request``."""
    return {
        "name": name,
        "kind": "http",
        "tool_functions_schema": {"functions": [function_doc(function, parameters)]},
        "run": {"requests": {function: dict(request)}},
        **fields,
    }


def string_parameters(*names: str, required: tuple[str, ...] | None = None) -> dict[str, Any]:
    """Parameters of type string, all required unless ``required`` says otherwise."""
    return {
        "type": "object",
        "properties": {name: {"type": "string"} for name in names},
        "required": list(names if required is None else required),
    }
