"""``tool_platform``: what tool code sees of its call, and nothing outside one."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

import tool_platform
from adapters.http.pool import HttpClientPool
from adapters.tool_context import CallScope, in_call
from domain.errors import NotFound
from domain.injection import ConfigInjection
from domain.secrets import Secret
from tests.builders import CANARY, assert_no_secret, local_guard

SECRET = f'to"ken\\é-{CANARY}'


def injection(label: str, token: str = SECRET) -> ConfigInjection:
    return ConfigInjection(
        agent_id="agent",
        binding_id=f"binding-{label}",
        tool_name="crm",
        tool_version=3,
        config={"label": label, "nested": {"tags": ["a"]}},
        secrets={"api_key": Secret(token)},
    )


async def test_inside_a_call_tool_code_sees_its_binding_and_the_pool() -> None:
    pool = HttpClientPool(local_guard())

    with in_call(CallScope(injection("left"), pool)):
        config = tool_platform.config()
        token = tool_platform.secret("api_key")
        client = tool_platform.http_client()
        with pytest.raises(NotFound, match="its secrets are: api_key") as missing:
            tool_platform.secret("password")
    await pool.aclose()

    assert config == {"label": "left", "nested": {"tags": ["a"]}}
    assert token == SECRET
    assert client is not None
    assert client.is_closed
    assert_no_secret(str(missing.value), SECRET)


def test_the_config_is_read_only() -> None:
    with in_call(CallScope(injection("left"), HttpClientPool(local_guard()))):
        config: Any = tool_platform.config()
        with pytest.raises(TypeError):
            config["label"] = "changed"


@pytest.mark.parametrize(
    "quoted",
    [
        lambda secret: f"upstream said: bad key {secret}",
        lambda secret: json.dumps({"error": f"bad key {secret}"}),
        lambda secret: json.dumps(json.dumps({"error": secret}), ensure_ascii=False),
    ],
    ids=["raw", "json", "json-in-json"],
)
def test_redact_removes_the_bindings_secrets_in_any_escaping(
    quoted: Callable[[str], str],
) -> None:
    with in_call(CallScope(injection("left"), HttpClientPool(local_guard()))):
        redacted = tool_platform.redact(quoted(SECRET))

    assert "********" in redacted
    assert_no_secret(redacted, SECRET)


@pytest.mark.parametrize(
    "use",
    [
        tool_platform.config,
        lambda: tool_platform.secret("api_key"),
        tool_platform.http_client,
        lambda: tool_platform.redact("text"),
    ],
    ids=["config", "secret", "http_client", "redact"],
)
def test_outside_a_call_everything_refuses(use: Callable[[], object]) -> None:
    with pytest.raises(LookupError, match="no platform tool call is running here"):
        use()


def test_a_failure_for_the_model_is_the_domains_tool_failure() -> None:
    from domain.errors import ToolFailure

    assert tool_platform.ToolFailure is ToolFailure
