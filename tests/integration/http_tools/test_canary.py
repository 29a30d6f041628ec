"""A canary secret sent in a header and echoed back never shows anywhere."""

from __future__ import annotations

import logging

import pytest

from tests.builders import CANARY, assert_no_secret, data_of, error_of
from tests.integration.http_tools.conftest import HttpTools, http_document, string_parameters
from tests.integration.http_tools.upstream import Reply, Upstream


def canary_document(upstream: Upstream) -> dict[str, object]:
    return http_document(
        {"url": f"{upstream.base_url}/echo", "headers": {"X-Api-Key": "{secrets.api_key}"}},
        string_parameters(),
        secret_names=["api_key"],
    )


async def test_an_echoed_canary_reaches_neither_output_errors_nor_logs_at_debug(
    tools: HttpTools, upstream: Upstream, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    upstream.reply(
        Reply(status=400, body={"error": f"bad key {CANARY}"}),
        *[Reply(status=503, body=f"down, key={CANARY}", headers={"Retry-After": "0"})] * 2,
        Reply(status=200, body=f"plain text {CANARY}", content_type="text/plain"),
    )  # then the server echoes the request, headers included

    async with await tools.session(
        canary_document(upstream), secrets={"api_key": CANARY}
    ) as session:
        results = [await session.call("lookup", {}, call_id=f"c{i}") for i in range(4)]

    assert [received.header("X-Api-Key") for received in upstream.received] == [CANARY] * 5
    assert [result.ok for result in results] == [False, False, True, True]
    assert error_of(results[0].output).startswith(
        "lookup: the service refused the request (HTTP 400)"
    )
    assert data_of(results[2].output) == "plain text ********"
    assert "********" in results[3].output  # the echo of the request's headers
    for result in results:
        assert_no_secret(result.output)
    for record in caplog.records:
        assert_no_secret(record.getMessage())
        assert_no_secret(str(record.args))
