"""Every call through a tool session leaves exactly one record, with no secret in it.

The container's own wiring on in-memory storage, opened by the shared lifespan (which
starts the audit writer): python tools run test handlers, http tools call the recording
server on 127.0.0.1. The binding's secret is the canary; each payload mode is tried.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from application.ports import CallQuery
from application.tool_session import ToolSession
from domain.agents import AuditPayloads
from domain.call_records import CallRecord
from domain.call_status import CallStatus
from entrypoints.container import Container
from entrypoints.lifespan import lifespan
from tests.builders import CANARY, TRICKY_CANARY, leaked_forms, platform_container
from tests.integration.http_tools.upstream import Reply, Upstream
from tests.unit.application.conftest import TEST_HANDLERS

ECHOES = {
    "name": "echoes",
    "description": "Python test tool.",
    "kind": "python",
    "secret_names": ["token"],
    "tool_functions_schema": {
        "functions": [
            {"name": name, "description": f"The {name} function.", "parameters": parameters}
            for name, parameters in (
                (
                    "echo",
                    {
                        "type": "object",
                        "properties": {"text": {"type": "string"}, "n": {"type": "integer"}},
                        "required": ["text"],
                    },
                ),
                ("return_secret", {"type": "object", "properties": {}}),
                ("raise_with_secret", {"type": "object", "properties": {}}),
                ("sleep_forever", {"type": "object", "properties": {}}),
            )
        ]
    },
    "run": {
        "handlers": {
            name: f"tests.handlers.echo_tools:{name}"
            for name in ("echo", "return_secret", "raise_with_secret", "sleep_forever")
        },
        "timeout_seconds": 0.3,
    },
}


def crm_document(base_url: str) -> dict[str, Any]:
    """An http tool whose secret goes in a header, the query and the JSON body."""
    return {
        "name": "crm",
        "description": "HTTP test tool.",
        "kind": "http",
        "secret_names": ["token"],
        "tool_functions_schema": {
            "functions": [
                {
                    "name": "update_customer",
                    "description": "Update a customer.",
                    "parameters": {
                        "type": "object",
                        "properties": {"id": {"type": "string"}, "email": {"type": "string"}},
                        "required": ["id", "email"],
                    },
                }
            ]
        },
        "run": {
            "requests": {
                "update_customer": {
                    "method": "POST",
                    "url": f"{base_url}/customers/{{args.id}}",
                    "query": {"key": "{secrets.token}"},
                    "headers": {"Authorization": "Bearer {secrets.token}"},
                    "body": {"email": "{args.email}", "signature": "{secrets.token}"},
                }
            }
        },
    }


@pytest.fixture
async def upstream() -> AsyncIterator[Upstream]:
    async with Upstream() as server:
        yield server


@pytest.fixture
async def platform() -> AsyncIterator[Container]:
    container = platform_container(TEST_HANDLERS, timeout_seconds=2.0)
    async with lifespan(container):
        yield container


async def open_session(
    container: Container, upstream: Upstream, mode: AuditPayloads, secret: str = CANARY
) -> ToolSession:
    await container.tools().define(ECHOES)
    await container.tools().define(crm_document(upstream.base_url))
    agent = await container.agents().create("desk", audit_payloads=mode)
    for tool in ("echoes", "crm"):
        await container.bindings().bind("desk", tool, secrets={"token": secret})
    toolset = await container.toolsets().load(agent.id)
    return await container.tool_sessions().open(toolset, session_id="job-1")


async def recorded(container: Container) -> list[CallRecord]:
    await container.audit_writer().flush()
    return list(reversed(await container.call_log().find(CallQuery(limit=100))))


async def test_each_call_of_each_kind_and_outcome_leaves_one_record_with_its_fields(
    platform: Container, upstream: Upstream
) -> None:
    upstream.reply(Reply(status=200, body={"ok": True}), Reply(status=503, body="down"))
    calls: list[tuple[str, Any]] = [
        ("echo", {"text": "hi", "n": 3}),
        ("echo", {"text": ["not", "a", "string"]}),
        ("return_secret", {}),
        ("raise_with_secret", {}),
        ("sleep_forever", {}),
        ("update_customer", {"id": "C-1", "email": "ana@example.com"}),
        ("update_customer", {"id": "C-2", "email": "bo@example.com"}),
        ("no_such_function", {"x": 1}),
    ]
    async with await open_session(platform, upstream, AuditPayloads.NONE) as session:
        results = [
            await session.call(name, arguments, call_id=f"llm-{n}")
            for n, (name, arguments) in enumerate(calls)
        ]
    records = await recorded(platform)

    assert [r.llm_call_id for r in records] == [f"llm-{n}" for n in range(len(calls))]
    assert [r.outcome for r in records] == [result.status for result in results]
    assert [r.outcome for r in records][:5] == [
        CallStatus.OK,
        CallStatus.INVALID_ARGUMENT,
        CallStatus.OK,
        CallStatus.INTERNAL_ERROR,
        CallStatus.TIMEOUT_OUTCOME_UNKNOWN,
    ]
    assert records[5].outcome is CallStatus.OK
    assert records[6].failed
    assert records[7].outcome is CallStatus.NOT_FOUND
    assert {r.session_id for r in records} == {"job-1"}
    assert {r.agent_id for r in records} == {session.toolset.agent.id}
    ok, invalid = records[0], records[1]
    assert (ok.tool, ok.tool_version, ok.kind, ok.function) == ("echoes", 1, "python", "echo")
    assert ok.binding_id is not None
    assert ok.details == {"handler": "tests.handlers.echo_tools:echo"}
    assert ok.arguments == {"size": len('{"text": "hi", "n": 3}'), "fields": ["text", "n"]}
    assert ok.result == {"size": len(results[0].output), "fields": ["arguments", "config"]}
    assert ok.error is None
    assert ok.duration_ms >= 0
    assert invalid.error == results[1].output
    assert invalid.details == {}  # nothing ran
    assert records[4].error == results[4].output
    sent = records[5].details
    assert sent["status_code"] == 200
    assert sent["response_bytes"] == len(b'{"ok": true}')
    assert sent["request"] == {
        "method": "POST",
        "url": f"{upstream.base_url}/customers/C-1?key=********",
        "header_names": ["Authorization", "Content-Type"],
        "body": {"size": len(upstream.received[0].body), "fields": ["email", "signature"]},
    }
    assert records[6].details["status_code"] == 503
    assert (records[7].tool, records[7].binding_id, records[7].function) == (
        None,
        None,
        "no_such_function",
    )


@pytest.mark.parametrize("mode", list(AuditPayloads))
@pytest.mark.parametrize("secret", [CANARY, TRICKY_CANARY])
async def test_the_canary_is_in_no_record_in_any_mode(
    platform: Container, upstream: Upstream, mode: AuditPayloads, secret: str
) -> None:
    upstream.reply(Reply(status=200, body={"echo": secret}), Reply(status=500, body=secret))
    async with await open_session(platform, upstream, mode, secret) as session:
        for name, arguments in (
            ("return_secret", {}),
            ("raise_with_secret", {}),
            ("echo", {"text": f"my key is {secret}"}),
            ("update_customer", {"id": "C-1", "email": "a@example.com"}),
            ("update_customer", {"id": "C-1", "email": "a@example.com"}),
        ):
            await session.call(name, arguments, call_id=f"call-{secret}")
    records = await recorded(platform)

    assert len(records) == 5
    assert {r.payloads for r in records} == {mode}
    text = json.dumps([vars(r) for r in records], default=str, ensure_ascii=False)
    text += repr(records)
    for form in leaked_forms(secret):
        assert form not in text


async def test_payload_modes_keep_names_and_sizes_structure_or_values(
    platform: Container, upstream: Upstream
) -> None:
    arguments = {"text": "hello", "n": 12}
    kept = {}
    for mode in AuditPayloads:
        container = platform_container(TEST_HANDLERS, timeout_seconds=2.0)
        async with lifespan(container):
            async with await open_session(container, upstream, mode) as session:
                await session.call("echo", arguments, call_id="c")
            [record] = await recorded(container)
        kept[mode] = (record.arguments, record.result)

    assert kept[AuditPayloads.NONE][0] == {
        "size": len(json.dumps(arguments)),
        "fields": ["text", "n"],
    }
    assert kept[AuditPayloads.MASKED][0] == {"text": "<string:5>", "n": "<number:2>"}
    assert kept[AuditPayloads.MASKED][1]["arguments"] == {
        "text": "<string:5>",
        "n": "<number:2>",
    }
    assert kept[AuditPayloads.FULL] == (arguments, {"arguments": arguments, "config": {}})
