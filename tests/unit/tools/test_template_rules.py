"""Request templates are checked by position against the whole tool."""

from typing import Any

import pytest

from domain.errors import InvalidToolDocument
from domain.tools.document import read_tool_document

FUNCTION = {
    "name": "get_item",
    "description": "Get an item.",
    "parameters": {
        "type": "object",
        "properties": {
            "item_id": {"type": "string"},
            "page": {"type": "integer"},
            "lang": {"type": "string", "default": "en"},
        },
        "required": ["item_id"],
    },
}
CONFIG_SCHEMA = {
    "type": "object",
    "properties": {
        "base_url": {"type": "string", "format": "uri", "default": "https://api.example.com"},
        "region": {"type": "string", "default": "eu"},
    },
}


def _http_tool(**request: Any) -> dict[str, Any]:
    return {
        "name": "items",
        "kind": "http",
        "config_schema": CONFIG_SCHEMA,
        "secret_names": ["token"],
        "tool_functions_schema": {"functions": [FUNCTION]},
        "run": {"requests": {"get_item": {"url": "https://api.example.com/items", **request}}},
    }


def _problems(document: dict[str, Any]) -> list[str]:
    with pytest.raises(InvalidToolDocument) as error:
        read_tool_document(document)
    return [str(problem) for problem in error.value.problems]


def test_a_template_using_every_allowed_position_is_accepted() -> None:
    document = _http_tool(
        method="POST",
        url="{config.base_url}/v1/{config.region}/items/{args.item_id}/{secrets.token}",
        query={"page": "{args.page}", "lang": "{args.lang}", "key": "{secrets.token}"},
        headers={"Authorization": "Bearer {secrets.token}", "X-Region": "{config.region}"},
        body={"id": "{args.item_id}", "nested": ["{args.page}", "lang={args.lang}"]},
    )

    tool = read_tool_document(document).tool

    assert tool.function_names == ("get_item",)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://{args.item_id}.example.com/x", "may not fill the scheme, host, port"),
        ("https://api.example.com:{config.region}/x", "may not fill the scheme, host, port"),
        ("https://{secrets.token}@api.example.com/x", "may not fill the scheme, host, port"),
        ("https://user:pw@api.example.com/x", "must not carry userinfo"),
        ("{args.item_id}/x", "may start with a placeholder only when it is {config.NAME}"),
        ("{config.region}/x", "may start with a placeholder only when it is {config.NAME}"),
        ("{config.base_url}x", "must go on with / or ?"),
        ("https://api.example.com/x?id={args.item_id}", "go in the query mapping"),
        ("https://api.example.com/x#{args.item_id}", "must not have a fragment"),
        ("ftp://api.example.com/x", "must be an absolute http:// or https:// URL"),
        ("/relative/path", "must be an absolute http:// or https:// URL"),
        ("https://api.example.com/{args.page}", "must be required or have a default"),
        ("https://api.example.com/{args.nope}", "names no parameter of get_item"),
        ("https://api.example.com/{config.nope}", "names no property of config_schema"),
        ("https://api.example.com/{secrets.nope}", "names no declared secret"),
        ("https://api.example.com/{args}", "{args} may only stand alone as the whole body"),
        ("https://api.example.com/{oops}", "brace that is not part of a placeholder"),
    ],
)
def test_a_url_placeholder_out_of_place_is_refused_with_its_path(url: str, expected: str) -> None:
    problems = _problems(_http_tool(url=url))

    assert any(p.startswith("run.requests.get_item.url: ") and expected in p for p in problems), (
        problems
    )


def test_a_path_argument_with_a_default_may_fill_a_segment() -> None:
    tool = read_tool_document(_http_tool(url="https://api.example.com/{args.lang}")).tool

    assert tool.name == "items"


def test_arguments_may_fill_a_header_that_holds_no_secret() -> None:
    tool = read_tool_document(_http_tool(headers={"X-Item": "item-{args.item_id}"})).tool

    assert tool.kind == "http"


def test_a_header_that_holds_a_secret_takes_no_argument() -> None:
    problems = _problems(_http_tool(headers={"X-Key": "{secrets.token}:{args.item_id}"}))

    assert problems == [
        "run.requests.get_item.headers.X-Key: {args.item_id}: args cannot be used here"
    ]


@pytest.mark.parametrize(
    ("auth_type", "auth_config", "expected"),
    [
        (
            "basic",
            {},
            [
                "secret_names: auth_type 'basic' needs the secrets username, password; "
                "list them in secret_names"
            ],
        ),
        (
            "oauth2_client_credentials",
            {"token_url": "ftp://idp.example.com/token", "scopes": "read", "extra": 1},
            [
                "secret_names: auth_type 'oauth2_client_credentials' needs the secrets "
                "client_id, client_secret; list them in secret_names",
                "auth_config.token_url: must be an absolute http:// or https:// URL",
                "auth_config.scopes: must be a list of strings",
                "auth_config.extra: is not an oauth2_client_credentials setting",
            ],
        ),
    ],
)
def test_an_acting_auth_type_needs_its_secrets_and_settings(
    auth_type: str, auth_config: dict[str, Any], expected: list[str]
) -> None:
    document = {**_http_tool(), "auth_type": auth_type, "auth_config": auth_config}

    assert _problems(document) == expected


def test_any_other_auth_type_stays_a_free_text_label() -> None:
    document = {**_http_tool(), "auth_type": "oauth2", "auth_config": {"anything": [1]}}

    assert read_tool_document(document).tool.auth_type == "oauth2"


def test_auth_sets_the_authorization_header_so_the_template_may_not() -> None:
    document = {
        **_http_tool(headers={"Authorization": "Bearer {secrets.token}"}),
        "auth_type": "basic",
        "secret_names": ["token", "username", "password"],
    }

    assert _problems(document) == [
        "run.requests.get_item.headers.Authorization: auth_type 'basic' sets this header"
    ]


def test_a_form_body_needs_a_body_and_only_post_or_patch_take_an_idempotency_key() -> None:
    problems = _problems(_http_tool(body_encoding="form", idempotency_key=True))

    assert problems == [
        "run.requests.get_item.body_encoding: a form-encoded request needs a body",
        "run.requests.get_item.idempotency_key: only POST and PATCH need it; "
        "a GET request is retried without",
    ]


def test_header_names_and_values_are_checked() -> None:
    problems = _problems(_http_tool(headers={"Bad Name": "x", "X-Ok": "a\r\nInjected: 1"}))

    assert "run.requests.get_item.headers.Bad Name: is not a valid header name" in problems
    assert "run.requests.get_item.headers.X-Ok: must not contain a line break" in problems


def test_a_get_request_cannot_have_a_body() -> None:
    problems = _problems(_http_tool(body={"id": "{args.item_id}"}))

    assert problems == ["run.requests.get_item.body: a GET request cannot have a body"]


def test_the_whole_arguments_may_be_the_body() -> None:
    tool = read_tool_document(_http_tool(method="PUT", body="{args}")).tool

    assert tool.kind == "http"


def test_every_function_needs_exactly_one_request_template() -> None:
    document = _http_tool()
    document["run"]["requests"]["ghost"] = {"url": "https://api.example.com/ghost"}
    document["tool_functions_schema"]["functions"].append(
        {"name": "orphan", "parameters": {"type": "object", "properties": {}}}
    )

    problems = _problems(document)

    assert "run.requests.ghost: names no function of this tool" in problems
    assert "run.requests: function 'orphan' has no request template" in problems


def test_python_handlers_must_match_the_functions() -> None:
    document = {
        "name": "local",
        "kind": "python",
        "tool_functions_schema": {"functions": [FUNCTION]},
        "run": {"handlers": {"other": "acme.tools:other"}},
    }

    problems = _problems(document)

    assert "run.handlers.other: names no function of this tool" in problems
    assert "run.handlers: function 'get_item' has no handler" in problems


def test_an_mcp_allowlist_must_name_listed_functions() -> None:
    document = {
        "name": "remote",
        "kind": "mcp",
        "tool_functions_schema": {"functions": [FUNCTION]},
        "run": {
            "server": {
                "url": "https://mcp.example.com/mcp",
                "allowed_functions": ["get_item", "drop_tables"],
                "headers": {"Authorization": "Bearer {args.item_id}"},
            }
        },
    }

    problems = _problems(document)

    assert any("allowed_functions: 'drop_tables' is not a function" in p for p in problems)
    assert any("headers.Authorization: {args.item_id}" in p for p in problems)
