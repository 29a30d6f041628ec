"""Every rendering rule, against a server that records the raw request."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl

import pytest

from adapters.memory.runtime import InMemoryToolRuntime
from tests.builders import data_of, error_of
from tests.integration.http_tools.conftest import HttpTools, http_document, string_parameters
from tests.integration.http_tools.upstream import Upstream

ARRAY_AND_OPTIONAL = {
    "type": "object",
    "properties": {
        "tags": {"type": "array", "items": {"type": "string"}},
        "limit": {"type": "integer"},
        "exact": {"type": "boolean"},
    },
    "required": ["tags"],
}


async def test_each_path_placeholder_becomes_one_percent_encoded_segment(
    tools: HttpTools, upstream: Upstream
) -> None:
    document = http_document(
        {"url": f"{upstream.base_url}/customers/{{args.id}}/notes/{{args.note}}"},
        string_parameters("id", "note"),
    )

    result = await tools.call(document, {"id": "a/b?c#d", "note": "x y%2F../é"})

    assert result.ok, result.output
    [received] = upstream.received
    assert received.target == "/customers/a%2Fb%3Fc%23d/notes/x%20y%252F..%2F%C3%A9"


async def test_a_literal_path_is_sent_as_written_percent_encoding_only_what_a_path_cannot_hold(
    tools: HttpTools, upstream: Upstream
) -> None:
    document = http_document(
        {"url": f"{upstream.base_url}/a/%2e%2e/caf\u00e9/x y/%zz|{{args.id}}"},
        string_parameters("id"),
    )

    result = await tools.call(document, {"id": "../é"})

    assert result.ok, result.output
    [received] = upstream.received
    assert received.target == "/a/%2e%2e/caf%C3%A9/x%20y/%zz|..%2F%C3%A9"


async def test_a_latin1_header_value_goes_out_as_latin1_bytes(
    tools: HttpTools, upstream: Upstream
) -> None:
    document = http_document(
        {"url": f"{upstream.base_url}/h", "headers": {"X-Note": "{args.note}"}},
        string_parameters("note"),
    )

    result = await tools.call(document, {"note": "déjà vu"})

    assert result.ok, result.output
    [received] = upstream.received
    assert received.header("X-Note") == "déjà vu"  # the recorder reads raw headers as latin-1


@pytest.mark.parametrize("value", ["", ".", ".."])
async def test_an_empty_dot_or_dot_dot_path_value_is_refused_naming_it_and_nothing_is_sent(
    tools: HttpTools, upstream: Upstream, value: str
) -> None:
    document = http_document(
        {"url": f"{upstream.base_url}/customers/{{args.id}}"}, string_parameters("id")
    )

    result = await tools.call(document, {"id": value})

    assert not result.ok
    assert (
        error_of(result.output)
        == f"argument 'id' cannot be {value!r} in a URL path; nothing was sent"
    )
    assert upstream.received == []


async def test_query_values_go_through_params_arrays_repeat_and_absent_optionals_are_left_out(
    tools: HttpTools, upstream: Upstream
) -> None:
    document = http_document(
        {
            "url": f"{upstream.base_url}/search?fixed=1",
            "query": {"tag": "{args.tags}", "limit": "{args.limit}", "exact": "{args.exact}"},
        },
        ARRAY_AND_OPTIONAL,
    )

    result = await tools.call(document, {"tags": ["a&b=c", "d e"], "exact": True})

    assert result.ok, result.output
    [received] = upstream.received
    assert parse_qsl(received.query) == [
        ("fixed", "1"),
        ("tag", "a&b=c"),
        ("tag", "d e"),
        ("exact", "true"),
    ]


async def test_arguments_may_fill_header_values(tools: HttpTools, upstream: Upstream) -> None:
    document = http_document(
        {"url": f"{upstream.base_url}/h", "headers": {"X-Customer": "cust-{args.id}"}},
        string_parameters("id"),
    )

    result = await tools.call(document, {"id": "42"})

    assert result.ok, result.output
    assert upstream.received[0].header("X-Customer") == "cust-42"


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("a\r\nX-Injected: 1", "holds a line break or control character (header X-Customer)"),
        ("a\nb", "holds a line break or control character (header X-Customer)"),
        ("a\x00b", "holds a line break or control character (header X-Customer)"),
        ("café ☕", "holds characters a header cannot carry (header X-Customer)"),
    ],
)
async def test_a_header_value_with_line_breaks_or_non_latin1_is_refused_and_nothing_is_sent(
    tools: HttpTools, upstream: Upstream, value: str, why: str
) -> None:
    document = http_document(
        {"url": f"{upstream.base_url}/h", "headers": {"X-Customer": "{args.id}"}},
        string_parameters("id"),
    )

    result = await tools.call(document, {"id": value})

    assert error_of(result.output) == f"argument 'id' {why}; nothing was sent"
    assert upstream.received == []


async def test_a_json_body_is_built_as_a_value_keeping_types_and_leaving_absent_optionals_out(
    tools: HttpTools, upstream: Upstream
) -> None:
    document = http_document(
        {
            "method": "POST",
            "url": f"{upstream.base_url}/orders",
            "body": {
                "order": {"tags": "{args.tags}", "limit": "{args.limit}", "exact": "{args.exact}"},
                "note": "tags: {args.tags}",
                "fixed": [1, "two"],
            },
        },
        ARRAY_AND_OPTIONAL,
    )

    result = await tools.call(document, {"tags": ['"},"admin":true,"x":{"'], "limit": 3})

    assert result.ok, result.output
    [received] = upstream.received
    assert received.header("Content-Type") == "application/json"
    assert json.loads(received.body) == {
        "order": {"tags": ['"},"admin":true,"x":{"'], "limit": 3},
        "note": 'tags: ["\\"},\\"admin\\":true,\\"x\\":{\\""]',
        "fixed": [1, "two"],
    }


async def test_a_whole_arguments_body_sends_the_validated_arguments(
    tools: HttpTools, upstream: Upstream
) -> None:
    document = http_document(
        {"method": "PUT", "url": f"{upstream.base_url}/c", "body": "{args}"}, ARRAY_AND_OPTIONAL
    )

    result = await tools.call(document, {"tags": ["x"], "exact": False})

    assert result.ok, result.output
    assert json.loads(upstream.received[0].body) == {"tags": ["x"], "exact": False}


FORM_PARAMETERS = {
    "type": "object",
    "properties": {
        "to": {"type": "array", "items": {"type": "string"}},
        "card": {
            "type": "object",
            "properties": {"number": {"type": "string"}, "exp": {"type": "integer"}},
        },
        "items": {"type": "array", "items": {"type": "object"}},
    },
    "required": ["to"],
}
FORM_ARGUMENTS = {
    "to": ["+1 555&x", "b"],
    "card": {"number": "4242", "exp": 12},
    "items": [{"price": "p_1", "qty": 2}],
}


@pytest.mark.parametrize(
    ("arrays", "expected"),
    [
        (
            "brackets",
            [
                ("to[0]", "+1 555&x"),
                ("to[1]", "b"),
                ("card[number]", "4242"),
                ("card[exp]", "12"),
                ("items[0][price]", "p_1"),
                ("items[0][qty]", "2"),
            ],
        ),
        (
            "repeat",
            [
                ("to", "+1 555&x"),
                ("to", "b"),
                ("card[number]", "4242"),
                ("card[exp]", "12"),
                ("items[0][price]", "p_1"),
                ("items[0][qty]", "2"),
            ],
        ),
    ],
)
async def test_a_form_body_encodes_nesting_in_brackets_or_repeats_scalar_array_keys(
    tools: HttpTools, upstream: Upstream, arrays: str, expected: list[tuple[str, str]]
) -> None:
    document = http_document(
        {
            "method": "POST",
            "url": f"{upstream.base_url}/charges",
            "body": "{args}",
            "body_encoding": "form",
            "form_arrays": arrays,
        },
        FORM_PARAMETERS,
    )

    result = await tools.call(document, FORM_ARGUMENTS)

    assert result.ok, result.output
    [received] = upstream.received
    assert received.header("Content-Type") == "application/x-www-form-urlencoded"
    assert parse_qsl(received.body.decode()) == expected


async def test_a_per_binding_base_url_comes_from_config(
    tools: HttpTools, upstream: Upstream
) -> None:
    document = http_document(
        {"url": "{config.base_url}/v1/{args.id}"},
        string_parameters("id"),
        config_schema={
            "type": "object",
            "properties": {"base_url": {"type": "string", "format": "uri"}},
            "required": ["base_url"],
        },
    )

    result = await tools.call(document, {"id": "7"}, config={"base_url": upstream.base_url + "/"})

    assert result.ok, result.output
    assert upstream.received[0].target == "/v1/7"


async def test_the_in_memory_runtime_runs_http_tools(tools: HttpTools, upstream: Upstream) -> None:
    document = http_document(
        {"url": f"{upstream.base_url}/customers/{{args.id}}"}, string_parameters("id")
    )

    async with await tools.session(document) as session:
        [lookup] = InMemoryToolRuntime().tools_for(session)
        result = await lookup({"id": "C 1"})

    assert result.ok, result.output
    assert data_of(result.output)["target"] == "/customers/C%201"
