"""The OpenAPI parser: a 3.x document as it is, a Swagger 2.0 document converted to 3.0.

The conversion keeps what the import maps (servers, parameters, bodies, security
schemes, JSON responses) and rewrites local references to their 3.0 places; it is the
form the conformance check validates 2.0 imports against.
"""

from __future__ import annotations

import copy
from typing import Any

from application.ports import OpenApiParser
from domain.errors import InvalidOpenApiDocument
from domain.json_types import JsonObject

_REFERENCE_PLACES = {
    "#/definitions/": "#/components/schemas/",
    "#/parameters/": "#/components/parameters/",
    "#/responses/": "#/components/responses/",
}
_SCHEMA_KEYS = (
    "type",
    "format",
    "items",
    "enum",
    "default",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "multipleOf",
)
_OAUTH_FLOWS = {
    "application": "clientCredentials",
    "implicit": "implicit",
    "password": "password",
    "accessCode": "authorizationCode",
}
_DELIMITED_STYLES = {"ssv": "spaceDelimited", "pipes": "pipeDelimited", "tsv": "tabDelimited"}
"""Swagger 2.0 collection formats that are not comma-separated (``tsv`` has no 3.0 style)."""
_JSON = "application/json"
_FORM = "application/x-www-form-urlencoded"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class YamlJsonOpenApiParser(OpenApiParser):
    """Reads parsed JSON/YAML data as an OpenAPI 3 document."""

    def parse(self, data: Any) -> JsonObject:
        """Return ``data`` in the OpenAPI 3 shape (Swagger 2.0 converted to 3.0).

        Raises:
            InvalidOpenApiDocument: When ``data`` is neither OpenAPI 3.x nor Swagger 2.0.
        """
        if not isinstance(data, dict):
            raise InvalidOpenApiDocument("an OpenAPI document must be a JSON/YAML object")
        if str(data.get("openapi", "")).startswith("3."):
            if not isinstance(data.get("paths", {}), dict):
                raise InvalidOpenApiDocument("paths must be an object")
            return data
        if str(data.get("swagger", "")) == "2.0":
            return swagger_to_openapi(data)
        raise InvalidOpenApiDocument(
            "not an OpenAPI document: it has neither 'openapi: 3.x' nor 'swagger: \"2.0\"'"
        )


def swagger_to_openapi(swagger: JsonObject) -> JsonObject:
    """Convert a Swagger 2.0 document to OpenAPI 3.0 (what the import needs of it)."""
    source = _moved_references(copy.deepcopy(swagger))
    consumes = source.get("consumes") or [_JSON]
    produces = source.get("produces") or [_JSON]
    paths: JsonObject = {}
    for path, item in (source.get("paths") or {}).items():
        converted: JsonObject = {}
        shared = item.get("parameters") or []
        converted["parameters"] = [_parameter(p) for p in shared if not _in_body(p)]
        for method in METHODS:
            if isinstance(item.get(method), dict):
                converted[method] = _operation(item[method], shared, consumes, produces)
        paths[path] = converted
    document: JsonObject = {
        "openapi": "3.0.3",
        "info": source.get("info", {}),
        "paths": paths,
        "components": {
            "schemas": source.get("definitions") or {},
            "parameters": {
                name: _parameter(p) for name, p in (source.get("parameters") or {}).items()
            },
            "securitySchemes": {
                name: _security_scheme(scheme)
                for name, scheme in (source.get("securityDefinitions") or {}).items()
            },
        },
    }
    if "host" in source:
        scheme = (source.get("schemes") or ["https"])[0]
        document["servers"] = [{"url": f"{scheme}://{source['host']}{source.get('basePath', '')}"}]
    if "security" in source:
        document["security"] = source["security"]
    return document


def _moved_references(value: Any) -> Any:
    if isinstance(value, dict):
        reference = value.get("$ref")
        if isinstance(reference, str):
            for old, new in _REFERENCE_PLACES.items():
                if reference.startswith(old):
                    value["$ref"] = new + reference[len(old) :]
        for member in value.values():
            _moved_references(member)
    elif isinstance(value, list):
        for member in value:
            _moved_references(member)
    return value


def _in_body(parameter: Any) -> bool:
    return isinstance(parameter, dict) and parameter.get("in") in ("body", "formData")


def _parameter(parameter: JsonObject) -> JsonObject:
    if "$ref" in parameter:
        return parameter
    converted: JsonObject = {
        key: parameter[key] for key in ("name", "in", "description", "required") if key in parameter
    }
    converted["schema"] = _schema_of(parameter)
    collection = parameter.get("collectionFormat", "csv")
    if parameter.get("type") == "array" and parameter.get("in") in ("query", "header", "path"):
        plain = "form" if parameter.get("in") == "query" else "simple"
        converted["style"] = _DELIMITED_STYLES.get(collection, plain)
        converted["explode"] = collection == "multi"
    return converted


def _schema_of(parameter: JsonObject) -> JsonObject:
    return {key: parameter[key] for key in _SCHEMA_KEYS if key in parameter}


def _operation(
    operation: JsonObject, shared: list[Any], consumes: list[str], produces: list[str]
) -> JsonObject:
    own = operation.get("parameters") or []
    converted = {
        key: value
        for key, value in operation.items()
        if key not in ("parameters", "consumes", "produces", "responses")
    }
    converted["parameters"] = [_parameter(p) for p in own if not _in_body(p)]
    media_types = operation.get("consumes") or consumes
    everything = _merged_body_parameters(shared, own)
    body = next((p for p in everything if p.get("in") == "body"), None)
    form = [p for p in everything if p.get("in") == "formData"]
    if body is not None:
        json_types = [m for m in media_types if "json" in m] or media_types
        converted["requestBody"] = {
            "required": bool(body.get("required")),
            "content": {media: {"schema": body.get("schema", {})} for media in json_types},
        }
    elif form:
        media = "multipart/form-data" if "multipart/form-data" in media_types else _FORM
        properties = {p["name"]: {**_schema_of(p), **_described(p)} for p in form}
        required = [p["name"] for p in form if p.get("required")]
        schema: JsonObject = {"type": "object", "properties": properties}
        if required:
            schema["required"] = required
        converted["requestBody"] = {"content": {media: {"schema": schema}}}
    converted["responses"] = {
        status: _response(response, operation.get("produces") or produces)
        for status, response in (operation.get("responses") or {}).items()
    }
    return converted


def _merged_body_parameters(shared: list[Any], own: list[Any]) -> list[JsonObject]:
    merged = {(p.get("name"), p.get("in")): p for p in shared if _in_body(p)}
    merged.update({(p.get("name"), p.get("in")): p for p in own if _in_body(p)})
    return list(merged.values())


def _described(parameter: JsonObject) -> JsonObject:
    return {"description": parameter["description"]} if "description" in parameter else {}


def _response(response: Any, produces: list[str]) -> Any:
    if not isinstance(response, dict) or "schema" not in response:
        return response
    converted = {key: value for key, value in response.items() if key != "schema"}
    media = next((m for m in produces if "json" in m), _JSON)
    converted["content"] = {media: {"schema": response["schema"]}}
    return converted


def _security_scheme(scheme: JsonObject) -> JsonObject:
    kind = scheme.get("type")
    if kind == "basic":
        return {"type": "http", "scheme": "basic"}
    if kind == "oauth2":
        flow: JsonObject = {"scopes": scheme.get("scopes") or {}}
        for key in ("authorizationUrl", "tokenUrl"):
            if key in scheme:
                flow[key] = scheme[key]
        return {"type": "oauth2", "flows": {_OAUTH_FLOWS.get(scheme.get("flow", ""), "x"): flow}}
    return scheme
