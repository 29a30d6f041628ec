"""An ``mcp`` call leaves one call record naming its server and remote tool, no secret."""

from __future__ import annotations

import json

from application.ports import CallQuery
from domain.call_status import CallStatus
from entrypoints.lifespan import lifespan
from tests.builders import CANARY, leaked_forms
from tests.integration.mcp.conftest import (
    McpTools,
    bearer_server,
    listed_functions,
    mcp_container,
    mcp_document,
)
from tests.integration.mcp.servers import McpServerProcess


async def test_an_mcp_call_is_recorded_with_its_server_and_remote_tool(
    http_server: McpServerProcess,
) -> None:
    container = mcp_container()
    spec = bearer_server(http_server.url)
    functions = await listed_functions(spec, ("whoami", "fail"), {"token": CANARY})
    async with lifespan(container):
        await container.agents().create("desk")
        tools = McpTools(container)
        await tools.define_and_bind(
            mcp_document("remote", spec, functions), secrets={"token": CANARY}
        )
        async with await tools.open() as session:
            whoami = await session.call("whoami", {}, call_id="c1")
            failed = await session.call("fail", {"reason": "closed"}, call_id="c2")
        await container.audit_writer().flush()
        records = {r.llm_call_id: r for r in await container.call_log().find(CallQuery())}

    assert whoami.ok
    assert not failed.ok
    assert set(records) == {"c1", "c2"}
    assert records["c1"].kind == "mcp"
    assert records["c1"].outcome is CallStatus.OK
    assert records["c1"].details == {"server": http_server.url, "remote_tool": "whoami"}
    assert records["c2"].outcome is failed.status is CallStatus.TOOL_ERROR
    assert records["c2"].details["remote_tool"] == "fail"
    text = json.dumps([vars(r) for r in records.values()], default=str)
    for form in leaked_forms(CANARY):
        assert form not in text
