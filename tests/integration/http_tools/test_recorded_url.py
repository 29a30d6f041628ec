"""The URL a call record keeps: each argument's place marked, call by call in one session."""

from __future__ import annotations

from application.ports import CallQuery
from domain.agents import AuditPayloads
from entrypoints.lifespan import lifespan
from tests.builders import platform_container
from tests.integration.http_tools.conftest import http_document, string_parameters
from tests.integration.http_tools.upstream import Upstream
from tests.unit.application.conftest import TEST_HANDLERS


async def test_each_record_marks_the_arguments_that_call_sent(upstream: Upstream) -> None:
    document = http_document(
        {"url": f"{upstream.base_url}/items/{{args.id}}", "query": {"note": "{args.note}"}},
        string_parameters("id", "note", required=("id",)),
    )
    container = platform_container(TEST_HANDLERS, timeout_seconds=2.0)
    async with lifespan(container):
        await container.tools().define(document)
        agent = await container.agents().create("desk", audit_payloads=AuditPayloads.MASKED)
        await container.bindings().bind("desk", "api")
        toolset = await container.toolsets().load(agent.id)
        async with await container.tool_sessions().open(toolset) as session:
            for arguments in ({"id": "1"}, {"id": "2", "note": "a b"}, {"id": "3"}):
                result = await session.call("lookup", arguments, call_id="c")
                assert result.ok, result.output
        await container.audit_writer().flush()
        records = reversed(await container.call_log().find(CallQuery(limit=10)))

    base = f"{upstream.base_url}/items/{{args.id}}"
    assert [record.details["request"]["url"] for record in records] == [
        base,
        f"{base}?note={{args.note}}",
        base,
    ]
    assert [received.target for received in upstream.received] == [
        "/items/1",
        "/items/2?note=a+b",
        "/items/3",
    ]
