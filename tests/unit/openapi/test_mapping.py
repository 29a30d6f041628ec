"""The OpenAPI mapping, on documents written in the test (no files)."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.executors.http_render import Values, render_request
from adapters.openapi.parser import YamlJsonOpenApiParser
from application.openapi_import import OpenApiImport, OperationSelection, import_openapi
from domain.errors import InvalidArguments, InvalidOpenApiDocument
from domain.tools.document import read_tool_document
from domain.tools.run_specs import HttpRunSpec

ALL = OperationSelection(everything=True)


def imported(document: dict[str, Any], selection: OperationSelection = ALL) -> OpenApiImport:
    return import_openapi(YamlJsonOpenApiParser(), document, "api", selection)


def api(paths: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"openapi": "3.0.3", "info": {"title": "T"}, "paths": paths, **extra}


def pets() -> dict[str, Any]:
    return api(
        {
            "/pets/{pet id}": {
                "parameters": [
                    {
                        "name": "pet id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    }
                ],
                "put": {
                    "operationId": "update pet#1",
                    "tags": ["pets"],
                    "summary": "Update a pet.",
                    "parameters": [
                        {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
                        {
                            "name": "mode",
                            "in": "query",
                            "schema": {"type": "string", "enum": ["a", "b"], "default": "a"},
                        },
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}
                        },
                    },
                },
                "get": {"tags": ["read"]},
            }
        },
        servers=[{"url": "https://{host}/v1", "variables": {"host": {"default": "pets.example"}}}],
        components={
            "schemas": {
                "Pet": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {
                        "id": {"type": "integer", "readOnly": True},
                        "name": {"type": "string", "nullable": True},
                        "mode": {"type": "string"},
                        "parent": {"$ref": "#/components/schemas/Pet"},
                    },
                }
            },
            "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
        },
        security=[{"key": []}],
    )


def test_an_operation_becomes_a_function_routed_to_path_query_header_and_body() -> None:
    result = imported(pets(), OperationSelection(operation_ids=("update pet#1",)))
    tool = read_tool_document(result.document).tool
    [function] = result.document["tool_functions_schema"]["functions"]
    assert function["name"] == "update_pet_1"
    assert function["description"] == "Update a pet."
    parameters = function["parameters"]
    assert set(parameters["properties"]) == {
        "pet_id",
        "X_Trace",
        "mode",
        "name",
        "body_mode",
        "parent",
    }
    assert parameters["required"] == ["pet_id", "name"]
    assert parameters["properties"]["mode"]["enum"] == ["a", "b"]
    assert parameters["properties"]["name"]["type"] == ["string", "null"]
    assert parameters["properties"]["parent"] == {"$ref": "#/$defs/Pet"}
    request = result.document["run"]["requests"]["update_pet_1"]
    assert request == {
        "method": "PUT",
        "url": "{config.base_url}/pets/{args.pet_id}",
        "query": {"mode": "{args.mode}"},
        "headers": {"X-Key": "{secrets.key}", "X-Trace": "{args.X_Trace}"},
        "body": {"name": "{args.name}", "mode": "{args.body_mode}", "parent": "{args.parent}"},
    }
    assert tool.secret_names == ("key",)
    base = result.document["config_schema"]["properties"]["base_url"]
    assert base == {
        "type": "string",
        "format": "uri",
        "default": "https://pets.example/v1",
        "description": "The API's base URL (servers[0] of its description).",
    }
    assert ("update pet#1", "update_pet_1") in result.report.imported
    assert ("update_pet_1", "body mode", "body_mode") in result.report.renamed
    assert ("update_pet_1", "path pet id", "pet_id") in result.report.renamed


def test_a_recursive_body_schema_accepts_exactly_nested_values() -> None:
    result = imported(pets(), OperationSelection(tags=("pets",)))
    tool = read_tool_document(result.document).tool
    [schema] = tool.functions
    assert schema.validate_arguments(
        {"pet_id": 1, "name": None, "parent": {"name": "x", "parent": {"name": "y"}}}
    )
    with pytest.raises(InvalidArguments, match="parent"):
        schema.validate_arguments({"pet_id": 1, "name": "a", "parent": {"name": ["x"]}})


def test_an_operation_without_id_is_named_from_method_and_path() -> None:
    result = imported(pets(), OperationSelection(tags=("read",)))
    assert result.report.imported == (("GET /pets/{pet id}", "get_pets_pet_id"),)


def test_unsupported_operations_are_skipped_with_their_reason() -> None:
    document = api(
        {
            "/a": {
                "get": {
                    "operationId": "a",
                    "parameters": [{"name": "s", "in": "cookie", "schema": {}}],
                }
            },
            "/b": {
                "post": {
                    "operationId": "b",
                    "requestBody": {"content": {"application/octet-stream": {"schema": {}}}},
                }
            },
            "/c": {"head": {"operationId": "c"}},
        }
    )
    result = imported(document)
    assert result.report.skipped == (
        ("a", "cookie parameter 's' is not supported"),
        ("b", "a request body of type application/octet-stream is not supported"),
        ("c", "method HEAD is not one http tools send"),
    )


def test_basic_and_client_credentials_become_the_tools_auth_type() -> None:
    schemes = {
        "basic": {"type": "http", "scheme": "Basic"},
        "cc": {
            "type": "oauth2",
            "flows": {
                "clientCredentials": {"tokenUrl": "https://auth.example/token", "scopes": {}}
            },
        },
        "code": {
            "type": "oauth2",
            "flows": {
                "authorizationCode": {"tokenUrl": "x", "authorizationUrl": "y", "scopes": {}}
            },
        },
    }
    paths = {
        "/a": {"get": {"operationId": "a", "security": [{"cc": ["read"]}]}},
        "/b": {"get": {"operationId": "b", "security": [{"basic": []}]}},
        "/c": {"get": {"operationId": "c", "security": [{"code": []}]}},
    }
    result = imported(api(paths, components={"securitySchemes": schemes}))
    document = result.document
    assert document["auth_type"] == "oauth2_client_credentials"
    assert document["auth_config"] == {
        "token_url": "https://auth.example/token",
        "scopes": ["read"],
    }
    assert result.report.skipped == (
        ("b", "needs basic while the tool already uses oauth2_client_credentials"),
        ("c", "sends its own Authorization while the tool uses oauth2_client_credentials"),
    )


def test_operations_with_their_own_server_get_a_config_key() -> None:
    paths = {
        "/up": {"servers": [{"url": "https://upload.example/api"}], "post": {"operationId": "up"}}
    }
    document = imported(api(paths, servers=[{"url": "https://api.example"}])).document
    assert document["run"]["requests"]["up"]["url"] == "{config.base_url_upload_example_api}/up"
    assert document["config_schema"]["properties"]["base_url_upload_example_api"]["default"] == (
        "https://upload.example/api"
    )


def test_swagger_2_is_read_in_the_openapi_3_shape() -> None:
    swagger = {
        "swagger": "2.0",
        "info": {"title": "T"},
        "host": "api.example",
        "basePath": "/v2",
        "securityDefinitions": {"key": {"type": "apiKey", "in": "query", "name": "api-key"}},
        "security": [{"key": []}],
        "paths": {
            "/lists.{format}": {
                "parameters": [
                    {
                        "name": "format",
                        "in": "path",
                        "required": True,
                        "type": "string",
                        "enum": ["json"],
                    }
                ],
                "get": {
                    "operationId": "lists",
                    "parameters": [
                        {"name": "api-key", "in": "query", "type": "string"},
                        {"name": "age-group", "in": "query", "type": "string"},
                    ],
                },
            }
        },
    }
    result = imported(swagger)
    assert result.document["run"]["requests"]["lists"] == {
        "method": "GET",
        "url": "{config.base_url}/lists.{args.format}",
        "query": {"api-key": "{secrets.key}", "age-group": "{args.age_group}"},
    }
    assert (
        result.document["config_schema"]["properties"]["base_url"]["default"]
        == "https://api.example/v2"
    )


def test_a_document_that_is_not_openapi_or_names_an_unknown_operation_is_refused() -> None:
    with pytest.raises(InvalidOpenApiDocument, match="not an OpenAPI document"):
        imported({"hello": "world"})
    with pytest.raises(InvalidOpenApiDocument, match="no operation 'nope'"):
        imported(pets(), OperationSelection(operation_ids=("nope",)))


def test_an_authorization_code_flow_falls_back_to_a_bearer_secret_said_in_the_report() -> None:
    schemes = {"code": {"type": "oauth2", "flows": {"authorizationCode": {"scopes": {}}}}}
    paths = {"/c": {"get": {"operationId": "c"}}}
    result = imported(api(paths, components={"securitySchemes": schemes}, security=[{"code": []}]))
    assert result.document["run"]["requests"]["c"]["headers"] == {
        "Authorization": "Bearer {secrets.code_token}"
    }
    assert result.document["secret_names"] == ["code_token"]
    assert result.report.notes[-1] == (
        "security scheme 'code' (OAuth2 authorizationCode) falls back to a bearer token "
        "secret 'code_token'"
    )


def test_what_follows_a_hash_in_a_path_key_is_not_sent() -> None:
    paths = {
        "/files/{id}#shared": {
            "get": {
                "operationId": "shared",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
            }
        }
    }
    document = imported(api(paths, servers=[{"url": "https://api.example"}])).document
    assert document["run"]["requests"]["shared"]["url"] == "{config.base_url}/files/{args.id}"


def test_explode_false_query_arrays_are_sent_comma_separated_and_a_mix_is_skipped() -> None:
    def array(name: str, explode: bool) -> dict[str, Any]:
        schema = {"type": "array", "items": {"type": "string"}}
        return {"name": name, "in": "query", "explode": explode, "schema": schema}

    paths = {
        "/csv": {"get": {"operationId": "csv", "parameters": [array("fields", False)]}},
        "/mix": {
            "get": {"operationId": "mix", "parameters": [array("a", False), array("b", True)]}
        },
    }
    result = imported(api(paths, servers=[{"url": "https://api.example"}]))
    assert result.report.skipped == (
        ("mix", "its array query parameters mix explode: true and false"),
    )
    spec = read_tool_document(result.document).tool.run
    assert isinstance(spec, HttpRunSpec)
    values = Values({"fields": ["id", "name"]}, {"base_url": "https://api.example"}, str)
    request = render_request(spec.requests["csv"], values)
    assert request.full_url == "https://api.example/csv?fields=id%2Cname"
