"""One OpenAPI operation as one function of an ``http`` tool (docs/openapi-import.md).

Path, query and header parameters and the JSON (or form) body's top-level properties
become the function's parameters, each routed to its place in the request template.
What cannot be carried over exactly raises :class:`UnmappableSchema` with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from application.openapi_schemas import SchemaConverter, UnmappableSchema, resolve
from application.openapi_security import RequestAuth
from domain.json_types import JsonObject

HTTP_METHODS = ("get", "post", "put", "patch", "delete")
DESCRIPTION_LIMIT = 1024
PARAMETER_DESCRIPTION_LIMIT = 512
_JSON_MEDIA = re.compile(r"^application/(?:[\w.+-]+\+)?json(?:;.*)?$")
_FORM_MEDIA = "application/x-www-form-urlencoded"
_NOT_IDENTIFIER = re.compile(r"[^A-Za-z0-9_]+")
_PATH_VARIABLE = re.compile(r"\{([^{}]+)\}")
_HEADERS_TAKEN_BY_HTTP = frozenset({"accept", "content-type", "authorization"})


@dataclass(frozen=True)
class Operation:
    """One operation of the document, with what the mapping needs around it.

    Attributes:
        path: The path template (``/pets/{id}``).
        method: The method, lower case.
        operation: The operation object.
        path_item: The path item it belongs to (for path-level parameters).
    """

    path: str
    method: str
    operation: JsonObject
    path_item: JsonObject

    @property
    def label(self) -> str:
        """How the report names it: the operationId, else ``METHOD path``."""
        operation_id = self.operation.get("operationId")
        return str(operation_id) if operation_id else f"{self.method.upper()} {self.path}"


@dataclass(frozen=True)
class MappedFunction:
    """The function and request template made from one operation.

    Attributes:
        function: The function schema document (``name``, ``description``,
            ``parameters``).
        request: The request template.
        renamed: ``location name -> argument`` for every parameter whose argument name
            differs from its name in the API.
        secrets: The secret names the request uses.
    """

    function: JsonObject
    request: JsonObject
    renamed: dict[str, str] = field(default_factory=dict)
    secrets: tuple[str, ...] = ()


def function_name(operation: Operation, taken: set[str]) -> str:
    """A name that fits ``^[A-Za-z][A-Za-z0-9_-]{0,63}$``, unique among ``taken``."""
    raw = str(operation.operation.get("operationId") or f"{operation.method}{operation.path}")
    name = re.sub(r"[^A-Za-z0-9_-]+", "_", raw).strip("_-") or operation.method
    if not name[0].isalpha():
        name = f"op_{name}"
    name = name[:64]
    candidate, counter = name, 2
    while candidate.lower() in taken:
        suffix = f"_{counter}"
        candidate, counter = name[: 64 - len(suffix)] + suffix, counter + 1
    return candidate


def description_of(item: JsonObject, limit: int = DESCRIPTION_LIMIT) -> str:
    """Summary and description joined, cut at ``limit`` characters with an ellipsis."""
    parts = [str(item[key]).strip() for key in ("summary", "description") if item.get(key)]
    text = "\n\n".join(dict.fromkeys(part for part in parts if part))
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass
class _Builder:
    document: JsonObject
    converter: SchemaConverter
    properties: JsonObject = field(default_factory=dict)
    required: list[str] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, location: str, schema: Any, *, required: bool) -> str:
        argument = _NOT_IDENTIFIER.sub("_", name).strip("_") or "value"
        if not argument[0].isalpha() and argument[0] != "_":
            argument = f"p_{argument}"
        if argument in self.properties:
            argument = f"{location}_{argument}"
        while argument in self.properties:
            argument = f"{argument}_"
        if argument != name:
            self.renamed[f"{location} {name}"] = argument
        self.properties[argument] = schema
        if required:
            self.required.append(argument)
        return argument

    def parameters(self) -> JsonObject:
        schema: JsonObject = {"type": "object", "properties": self.properties}
        if self.required:
            schema["required"] = self.required
        return self.converter.with_definitions(schema)


def map_operation(
    document: JsonObject, operation: Operation, name: str, base_url: str, auth: RequestAuth
) -> MappedFunction:
    """Map ``operation`` to a function named ``name`` whose URL starts at ``base_url``.

    Raises:
        UnmappableSchema: When the operation cannot be carried over exactly; the reason.
    """
    if operation.method not in HTTP_METHODS:
        raise UnmappableSchema(f"method {operation.method.upper()} is not one http tools send")
    builder = _Builder(document, SchemaConverter(document))
    request: JsonObject = {"method": operation.method.upper()}
    query: JsonObject = dict(auth.query)
    headers: JsonObject = dict(auth.headers)
    path_arguments: dict[str, str] = {}
    taken_by_auth = {key.lower() for key in auth.headers} | set(auth.query)
    for parameter in _parameters(document, operation):
        location, api_name = parameter.get("in"), str(parameter.get("name", ""))
        if location == "cookie":
            raise UnmappableSchema(f"cookie parameter {api_name!r} is not supported")
        if location not in ("path", "query", "header"):
            raise UnmappableSchema(f"parameter {api_name!r} in {location!r} is not supported")
        if location == "header" and api_name.lower() in _HEADERS_TAKEN_BY_HTTP:
            continue
        key = api_name.lower() if location == "header" else api_name
        if key in taken_by_auth:
            continue
        if "schema" not in parameter:
            raise UnmappableSchema(
                f"parameter {api_name!r} has no schema (content is not supported)"
            )
        _check_style(parameter)
        schema = _described(builder.converter.convert(parameter["schema"]), parameter)
        required = location == "path" or bool(parameter.get("required"))
        argument = builder.add(api_name, str(location), schema, required=required)
        if location == "path":
            path_arguments[api_name] = argument
        elif location == "query":
            query[api_name] = f"{{args.{argument}}}"
        else:
            headers[api_name] = f"{{args.{argument}}}"
    request["url"] = base_url + _path_template(operation.path, path_arguments)
    if query:
        request["query"] = query
    arrays = _query_arrays(document, operation)
    if arrays == "comma":
        request["query_arrays"] = arrays
    if headers:
        request["headers"] = headers
    body = operation.operation.get("requestBody")
    if body is not None:
        _add_body(document, resolve(document, body), builder, request)
    function = {
        "name": name,
        "description": description_of(operation.operation),
        "parameters": builder.parameters(),
    }
    return MappedFunction(function, request, builder.renamed, auth.secrets)


def _parameters(document: JsonObject, operation: Operation) -> list[JsonObject]:
    merged: dict[tuple[str, str], JsonObject] = {}
    for raw in [
        *(operation.path_item.get("parameters") or []),
        *(operation.operation.get("parameters") or []),
    ]:
        parameter = resolve(document, raw)
        merged[(str(parameter.get("name")), str(parameter.get("in")))] = parameter
    return list(merged.values())


def _query_arrays(document: JsonObject, operation: Operation) -> str:
    """``comma`` when the array query parameters are ``explode: false``, else ``repeat``."""
    styles = {
        "comma" if parameter.get("explode") is False else "repeat"
        for parameter in _parameters(document, operation)
        if parameter.get("in") == "query"
        and isinstance(parameter.get("schema"), dict)
        and resolve(document, parameter["schema"]).get("type") == "array"
    }
    if len(styles) > 1:
        raise UnmappableSchema("its array query parameters mix explode: true and false")
    return styles.pop() if styles else "repeat"


def _check_style(parameter: JsonObject) -> None:
    style = parameter.get("style")
    location = parameter.get("in")
    schema_type = parameter["schema"].get("type") if isinstance(parameter["schema"], dict) else None
    if style == "deepObject" or (style is not None and style not in ("form", "simple")):
        raise UnmappableSchema(
            f"parameter {parameter.get('name')!r}: style {style!r} is not supported"
        )
    if schema_type == "object" and location != "path":
        raise UnmappableSchema(
            f"parameter {parameter.get('name')!r}: an object value is not supported"
        )


def _described(schema: Any, parameter: JsonObject) -> Any:
    description = description_of(parameter, PARAMETER_DESCRIPTION_LIMIT)
    if description and isinstance(schema, dict) and "description" not in schema:
        return {**schema, "description": description}
    return schema


def _path_template(path: str, arguments: dict[str, str]) -> str:
    def placeholder(match: re.Match[str]) -> str:
        variable = match.group(1)
        if variable not in arguments:
            raise UnmappableSchema(f"path variable {{{variable}}} has no path parameter")
        return f"{{args.{arguments[variable]}}}"

    # Box keys some paths as ``/files/{id}#get_shared_link`` to list one path twice:
    # what follows ``#`` is never sent.
    return _PATH_VARIABLE.sub(placeholder, path.partition("#")[0])


def _add_body(
    document: JsonObject, body: JsonObject, builder: _Builder, request: JsonObject
) -> None:
    content = body.get("content") or {}
    media = next((m for m in content if _JSON_MEDIA.match(m)), None)
    encoding = "json"
    if media is None and _FORM_MEDIA in content:
        media, encoding = _FORM_MEDIA, "form"
    if media is None:
        kinds = ", ".join(content) or "none"
        raise UnmappableSchema(f"a request body of type {kinds} is not supported")
    schema = _object_schema(document, (content[media] or {}).get("schema", {}))
    properties = schema.get("properties") or {}
    required = set(schema.get("required") or [])
    undeclared = sorted(required - set(properties))
    if undeclared:
        raise UnmappableSchema(
            f"the request body requires {undeclared[0]!r}, which its schema does not declare"
        )
    template: JsonObject = {}
    for name, property_schema in properties.items():
        resolved = resolve(document, property_schema)
        if isinstance(resolved, dict) and resolved.get("readOnly") is True:
            continue
        converted = builder.converter.convert(property_schema)
        argument = builder.add(name, "body", converted, required=name in required)
        template[name] = f"{{args.{argument}}}"
    request["body"] = template
    if encoding == "form":
        request["body_encoding"] = "form"
        request["form_arrays"] = "repeat"


def _object_schema(document: JsonObject, schema: Any) -> JsonObject:
    """The body schema as one object with ``properties`` (``allOf`` of objects merged)."""
    schema = resolve(document, schema)
    if not isinstance(schema, dict):
        raise UnmappableSchema("the request body schema is not an object")
    if "allOf" in schema:
        merged: JsonObject = {"type": "object", "properties": {}, "required": []}
        for part in [*schema["allOf"], {k: v for k, v in schema.items() if k != "allOf"}]:
            piece = _object_schema(document, part) if part else {}
            merged["properties"].update(piece.get("properties") or {})
            merged["required"].extend(piece.get("required") or [])
        return merged
    for keyword in ("oneOf", "anyOf"):
        if keyword in schema:
            raise UnmappableSchema(f"a request body that is a top-level {keyword} is not supported")
    if schema.get("type", "object") != "object" or not isinstance(
        schema.get("properties", {}), dict
    ):
        raise UnmappableSchema(
            f"a request body of JSON type {schema.get('type')!r} is not supported"
        )
    return schema
