"""What the model is told about each response, size caps, retries and timeouts."""

from __future__ import annotations

import pytest
from dependency_injector import providers

from entrypoints.settings import PlatformSettings
from tests.builders import data_of, envelope_of, error_of
from tests.integration.http_tools.conftest import HttpTools, http_document, string_parameters
from tests.integration.http_tools.upstream import Reply, Upstream


def get(upstream: Upstream, **request: object) -> dict[str, object]:
    return http_document({"url": f"{upstream.base_url}/thing", **request}, string_parameters())


async def test_json_is_returned_as_json_text(tools: HttpTools, upstream: Upstream) -> None:
    upstream.reply(Reply(body={"name": "Ana", "tier": "gold"}))

    result = await tools.call(get(upstream), {})

    assert result.ok
    assert data_of(result.output) == {"name": "Ana", "tier": "gold"}


async def test_text_is_returned_as_text(tools: HttpTools, upstream: Upstream) -> None:
    upstream.reply(Reply(body="sunny, 21 C", content_type="text/plain; charset=utf-8"))

    result = await tools.call(get(upstream), {})

    assert (result.ok, data_of(result.output)) == (True, "sunny, 21 C")


async def test_binary_is_described_in_one_line(tools: HttpTools, upstream: Upstream) -> None:
    upstream.reply(Reply(body=b"\x89PNG" + bytes(996), content_type="image/png"))

    result = await tools.call(get(upstream), {})

    assert (result.ok, data_of(result.output)) == (
        True,
        "a binary response (image/png, 1,000 bytes)",
    )


async def test_a_4xx_tells_the_status_and_an_excerpt_of_the_body(
    tools: HttpTools, upstream: Upstream
) -> None:
    upstream.reply(Reply(status=422, body={"error": "customer_id must look like C-123"}))

    result = await tools.call(get(upstream), {})

    assert (result.ok, result.status) == (False, "tool_error")
    assert error_of(result.output) == (
        "lookup: the service refused the request (HTTP 422): "
        '{"error": "customer_id must look like C-123"}'
    )


async def test_a_5xx_says_the_service_failed_and_quotes_nothing(
    tools: HttpTools, upstream: Upstream
) -> None:
    upstream.reply(*[Reply(status=500, body="Traceback: at /srv/app.py line 3")] * 2)

    result = await tools.call(get(upstream), {})

    assert (result.ok, result.status) == (False, "unavailable")
    assert envelope_of(result.output) == {
        "status": "unavailable",
        "retryable": True,
        "error": "lookup: the service failed (HTTP 500)",
    }


@pytest.mark.parametrize(
    ("pick", "expected"),
    [
        (["/customer/name", "/customer/orders/1/id", "/missing/field"], ["Ana", "o2", None]),
        (
            {"name": "/customer/name", "first_order": "/customer/orders/0", "x": "/customer/9"},
            {"name": "Ana", "first_order": {"id": "o1"}, "x": None},
        ),
    ],
)
async def test_response_pick_keeps_only_the_chosen_fields_and_a_miss_is_null(
    tools: HttpTools, upstream: Upstream, pick: object, expected: object
) -> None:
    upstream.reply(
        Reply(
            body={"customer": {"name": "Ana", "ssn": "x", "orders": [{"id": "o1"}, {"id": "o2"}]}}
        )
    )

    result = await tools.call(get(upstream, response={"pick": pick}), {})

    assert result.ok, result.output
    assert data_of(result.output) == expected


def capped_settings(tools: HttpTools, **values: int) -> None:
    current = tools.container.settings()
    tools.container.settings.override(
        providers.Object(PlatformSettings(**{**current.model_dump(), **values}))
    )


async def test_the_body_is_read_up_to_the_byte_cap_and_says_it_was_cut(
    tools: HttpTools, upstream: Upstream
) -> None:
    capped_settings(tools, http_max_response_bytes=1024)
    upstream.reply(Reply(body="x" * 5000, content_type="text/plain"))

    result = await tools.call(get(upstream), {})

    assert result.ok
    assert data_of(result.output) == "x" * 1024 + "\n[the response was cut at 1,024 bytes]"


async def test_what_reaches_the_model_is_cut_to_the_result_cap_with_a_marker(
    tools: HttpTools, upstream: Upstream
) -> None:
    capped_settings(tools, tool_result_max_chars=300)
    upstream.reply(Reply(body="y" * 1000, content_type="text/plain"))

    result = await tools.call(get(upstream), {})

    assert envelope_of(result.output) == {
        "status": "ok",
        "retryable": False,
        "data": "y" * 300,
        "truncated": True,
    }


@pytest.mark.parametrize("status", [429, 502, 503, 504])
async def test_a_get_is_retried_once_by_default_on_retriable_statuses(
    tools: HttpTools, upstream: Upstream, status: int
) -> None:
    upstream.reply(Reply(status=status, headers={"Retry-After": "0"}), Reply(body={"ok": 1}))

    result = await tools.call(get(upstream), {})

    assert (result.ok, len(upstream.received)) == (True, 2)


async def test_retries_stop_at_the_template_count(tools: HttpTools, upstream: Upstream) -> None:
    upstream.reply(*[Reply(status=503, headers={"Retry-After": "0"})] * 5)

    result = await tools.call(get(upstream, retries=3), {})

    assert (error_of(result.output), len(upstream.received)) == (
        "lookup: the service failed (HTTP 503)",
        4,
    )
    assert envelope_of(result.output)["retry_hint"] == ("the service says a retry may help now")


async def test_a_post_without_idempotency_key_is_never_retried(
    tools: HttpTools, upstream: Upstream
) -> None:
    upstream.reply(Reply(status=503), Reply(body={"ok": 1}))

    result = await tools.call(get(upstream, method="POST", body={"a": 1}, retries=3), {})

    assert (result.ok, len(upstream.received)) == (False, 1)


async def test_a_post_with_idempotency_key_retries_with_the_same_key_every_attempt(
    tools: HttpTools, upstream: Upstream
) -> None:
    upstream.reply(Reply(status=502, headers={"Retry-After": "0"}), Reply(body={"ok": 1}))
    document = get(upstream, method="POST", body={"a": 1}, idempotency_key=True)

    async with await tools.session(document) as session:
        first = await session.call("lookup", {}, call_id="c1")
        again = await session.call("lookup", {}, call_id="c2")

    assert (first.ok, first.repeated) == (True, False)
    assert (again.ok, again.repeated) == (True, True)  # an unsafe POST re-issued: not re-sent
    keys = [received.header("Idempotency-Key") for received in upstream.received]
    assert len(keys) == 2
    assert keys[0] == keys[1]
    assert all(keys)


async def test_a_retry_after_longer_than_the_time_left_is_not_waited_for(
    tools: HttpTools, upstream: Upstream
) -> None:
    upstream.reply(Reply(status=429, headers={"Retry-After": "60"}), Reply(body={"ok": 1}))

    result = await tools.call(get(upstream), {})

    assert (result.ok, result.status) == (False, "rate_limited")
    envelope = envelope_of(result.output)
    assert envelope["error"].startswith("lookup: the service refused the request (HTTP 429)")
    assert envelope["retryable"] is True
    assert envelope["retry_hint"] == "the service asks to wait 60 seconds before trying again"
    assert len(upstream.received) == 1


async def test_a_hung_service_times_out_and_the_outcome_is_unknown(
    tools: HttpTools, upstream: Upstream
) -> None:
    upstream.reply(Reply(body={"ok": 1}, delay=5))

    result = await tools.call(get(upstream, timeout_seconds=0.3), {})

    assert envelope_of(result.output) == {
        "status": "timeout_outcome_unknown",
        "retryable": False,
        "error": "lookup did not finish within 0.3 seconds; its outcome is unknown. "
        "Do not repeat it without asking the caller.",
    }


async def test_a_refused_connection_is_reported_as_nothing_sent(
    tools: HttpTools, upstream: Upstream
) -> None:
    document = http_document({"url": "http://127.0.0.1:9/closed"}, string_parameters())

    result = await tools.call(document, {})

    assert envelope_of(result.output) == {
        "status": "unavailable",
        "retryable": True,
        "error": "could not connect to the service (ConnectError); nothing was sent",
    }


async def test_a_dropped_connection_is_retried_for_a_get(
    tools: HttpTools, upstream: Upstream
) -> None:
    upstream.reply(Reply(drop=True), Reply(body={"ok": 1}))

    result = await tools.call(get(upstream), {})

    assert (result.ok, len(upstream.received)) == (True, 2)


async def test_a_dropped_connection_after_a_post_is_not_retried_and_its_outcome_is_unknown(
    tools: HttpTools, upstream: Upstream
) -> None:
    upstream.reply(Reply(drop=True), Reply(body={"ok": 1}))

    result = await tools.call(get(upstream, method="POST", body={"a": 1}), {})

    assert (result.ok, result.status) == (False, "timeout_outcome_unknown")
    assert error_of(result.output).startswith("the connection to the service failed (")
    assert error_of(result.output).endswith(
        ") after the request was sent; the outcome is unknown. "
        "Do not repeat it without asking the caller."
    )
    assert len(upstream.received) == 1


async def test_a_retry_after_date_is_honoured(tools: HttpTools, upstream: Upstream) -> None:
    upstream.reply(
        Reply(status=503, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}),
        Reply(body={"ok": 1}),
    )

    result = await tools.call(get(upstream), {})

    assert (result.ok, len(upstream.received)) == (True, 2)  # a past date: retry at once
