"""Importing an OpenAPI description as one ``http`` tool document (docs/openapi-import.md).

The use case reads the document through the parser port (so Swagger 2.0 arrives in the
3.0 shape), maps each chosen operation to a function and its request template, checks
each function on its own with the tool-document rules (a function they refuse is
skipped with their reason), and reports what it did. Nothing is stored here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from application.openapi_mapping import (
    MappedFunction,
    Operation,
    description_of,
    function_name,
    map_operation,
)
from application.openapi_schemas import UnmappableSchema, resolve
from application.openapi_security import RequestAuth, request_auth
from application.ports import OpenApiParser
from domain.errors import InvalidOpenApiDocument, ProblemsError
from domain.json_types import JsonObject
from domain.tools.document import read_tool_document

BASE_URL = "base_url"
LARGE_RESPONSE_PROPERTIES = 8
SUGGESTED_PICKS = 5
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_SERVER_VARIABLE = re.compile(r"\{([^{}]+)\}")
_NOT_IDENTIFIER = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class OperationSelection:
    """Which operations to import: by operationId, by tag, or all of them."""

    operation_ids: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    everything: bool = False

    def chooses(self, operation: Operation) -> bool:
        """Whether ``operation`` is chosen."""
        if self.everything or operation.label in self.operation_ids:
            return True
        return any(tag in self.tags for tag in operation.operation.get("tags") or [])


@dataclass(frozen=True)
class ImportReport:
    """What an import did, for the admin to review.

    Attributes:
        imported: ``(operation, function)`` per imported operation.
        skipped: ``(operation, reason)`` per chosen operation left out.
        renamed: ``(function, "location name", argument)`` per parameter whose argument
            name differs from its name in the API.
        notes: Fallbacks and config keys the admin should know about.
        suggestions: ``(function, response pick)`` for large JSON responses.
    """

    imported: tuple[tuple[str, str], ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()
    renamed: tuple[tuple[str, str, str], ...] = ()
    notes: tuple[str, ...] = ()
    suggestions: tuple[tuple[str, JsonObject], ...] = ()

    def to_dict(self) -> JsonObject:
        """The report as JSON (``--report FILE``)."""
        return {
            "imported": [{"operation": op, "function": fn} for op, fn in self.imported],
            "skipped": [{"operation": op, "reason": why} for op, why in self.skipped],
            "renamed": [
                {"function": fn, "parameter": where, "argument": arg}
                for fn, where, arg in self.renamed
            ],
            "notes": list(self.notes),
            "suggested_response_picks": [
                {"function": fn, "response": pick} for fn, pick in self.suggestions
            ],
        }


@dataclass(frozen=True)
class OpenApiImport:
    """The tool document made from a description, and the report of how."""

    document: JsonObject
    report: ImportReport


@dataclass
class _Tool:
    """The tool being assembled, one operation at a time."""

    name: str
    description: str
    config: dict[str, JsonObject] = field(default_factory=dict)
    functions: list[JsonObject] = field(default_factory=list)
    requests: JsonObject = field(default_factory=dict)
    secrets: list[str] = field(default_factory=list)
    auth_type: str | None = None
    auth_config: JsonObject = field(default_factory=dict)

    def document(self) -> JsonObject:
        """The tool document of the functions kept so far."""
        return self._document(self.functions, self.requests, self.secrets, None)

    def trial(self, mapped: MappedFunction, auth: RequestAuth) -> JsonObject:
        """The tool document of ``mapped`` alone, as it would be kept (to check it)."""
        requests = {mapped.function["name"]: mapped.request}
        secrets = list(dict.fromkeys([*self.secrets, *mapped.secrets]))
        return self._document([mapped.function], requests, secrets, auth)

    def _document(
        self,
        functions: list[JsonObject],
        requests: JsonObject,
        secrets: list[str],
        auth: RequestAuth | None,
    ) -> JsonObject:
        auth_type = self.auth_type or (auth.auth_type if auth else None)
        document: JsonObject = {
            "name": self.name,
            "description": self.description,
            "kind": "http",
            "config_schema": {"type": "object", "properties": dict(self.config)},
            "secret_names": secrets,
            "tool_functions_schema": {"functions": functions},
            "run": {"requests": requests},
        }
        if auth_type:
            document["auth_type"] = auth_type
            document["auth_config"] = self.auth_config or (auth.auth_config if auth else {})
        required = [key for key, schema in self.config.items() if "default" not in schema]
        if required:
            document["config_schema"]["required"] = required
        return document


def import_openapi(
    parser: OpenApiParser, data: Any, name: str, selection: OperationSelection
) -> OpenApiImport:
    """Map the chosen operations of ``data`` into the ``http`` tool ``name``.

    Raises:
        InvalidOpenApiDocument: When ``data`` is not a description, an ``--operation``
            names no operation, or nothing is chosen.
        InvalidToolDocument: When the tool itself is refused (its name, for one).
    """
    document = parser.parse(data)
    operations = list(_operations(document))
    known = {operation.label for operation in operations}
    unknown = [wanted for wanted in selection.operation_ids if wanted not in known]
    if unknown:
        raise InvalidOpenApiDocument(f"no operation {unknown[0]!r} in the document")
    chosen = [operation for operation in operations if selection.chooses(operation)]
    if not chosen:
        raise InvalidOpenApiDocument("no operation is chosen (check --tag)")
    info = document.get("info") or {}
    tool = _Tool(
        name, description_of({"summary": info.get("title"), "description": info.get("description")})
    )
    notes: list[str] = []
    root_url = _root_base(document, tool, notes)
    imported: list[tuple[str, str]] = []
    skipped: list[tuple[str, str]] = []
    renamed: list[tuple[str, str, str]] = []
    suggestions: list[tuple[str, JsonObject]] = []
    taken: set[str] = set()
    for operation in chosen:
        try:
            mapped, auth = _mapped(document, operation, tool, root_url, taken)
        except UnmappableSchema as reason:
            skipped.append((operation.label, str(reason)))
            continue
        taken.add(mapped.function["name"].lower())
        _keep(tool, mapped, auth)
        function = mapped.function["name"]
        imported.append((operation.label, function))
        renamed.extend((function, where, argument) for where, argument in mapped.renamed.items())
        notes.extend(note for note in auth.notes if note not in notes)
        pick = suggested_pick(document, operation.operation)
        if pick is not None:
            suggestions.append((function, pick))
    report = ImportReport(
        tuple(imported), tuple(skipped), tuple(renamed), tuple(notes), tuple(suggestions)
    )
    if imported:
        read_tool_document(tool.document())
    return OpenApiImport(tool.document(), report)


def _operations(document: JsonObject) -> Iterator[Operation]:
    for path, item in (document.get("paths") or {}).items():
        resolved = resolve(document, item)
        if not isinstance(resolved, dict):
            continue
        for method in _METHODS:
            if isinstance(resolved.get(method), dict):
                yield Operation(str(path), method, resolved[method], resolved)


def _mapped(
    document: JsonObject, operation: Operation, tool: _Tool, root_url: str, taken: set[str]
) -> tuple[MappedFunction, RequestAuth]:
    auth = request_auth(document, operation.operation, tool.auth_type)
    base = _operation_base(operation, tool, root_url)
    name = function_name(operation, taken)
    mapped = map_operation(document, operation, name, base, auth)
    try:
        read_tool_document(tool.trial(mapped, auth))
    except ProblemsError as refused:
        reasons = "; ".join(str(problem) for problem in refused.problems)
        raise UnmappableSchema(f"refused by the tool-document rules: {reasons}") from None
    return mapped, auth


def _keep(tool: _Tool, mapped: MappedFunction, auth: RequestAuth) -> None:
    tool.functions.append(mapped.function)
    tool.requests[mapped.function["name"]] = mapped.request
    tool.secrets.extend(secret for secret in mapped.secrets if secret not in tool.secrets)
    if auth.auth_type and not tool.auth_type:
        tool.auth_type, tool.auth_config = auth.auth_type, dict(auth.auth_config)
    elif auth.auth_type and auth.auth_config.get("scopes"):
        scopes = tool.auth_config.get("scopes") or []
        tool.auth_config["scopes"] = list(dict.fromkeys([*scopes, *auth.auth_config["scopes"]]))


def server_url(server: Any) -> str:
    """A server's URL with each variable replaced by its default."""
    if not isinstance(server, dict):
        return ""
    variables = server.get("variables") or {}

    def default(match: re.Match[str]) -> str:
        variable = variables.get(match.group(1)) or {}
        if "default" not in variable:
            raise UnmappableSchema(f"server variable {{{match.group(1)}}} has no default")
        return str(variable["default"])

    return _SERVER_VARIABLE.sub(default, str(server.get("url", ""))).rstrip("/")


def _root_base(document: JsonObject, tool: _Tool, notes: list[str]) -> str:
    """The URL prefix of every path: ``{config.base_url}`` plus a relative server's path."""
    servers = document.get("servers") or []
    try:
        url = server_url(servers[0]) if servers else ""
    except UnmappableSchema as reason:
        notes.append(f"servers[0]: {reason}; each binding must set base_url")
        url = ""
    schema: JsonObject = {"type": "string", "format": "uri"}
    prefix = "{config.base_url}"
    if url.startswith(("http://", "https://")):
        schema["default"] = url
        schema["description"] = "The API's base URL (servers[0] of its description)."
    else:
        prefix += url
        schema["description"] = "The API's base URL (its description names no absolute server)."
        notes.append("the description names no absolute server: each binding must set base_url")
    tool.config[BASE_URL] = schema
    return prefix


def _operation_base(operation: Operation, tool: _Tool, root_url: str) -> str:
    servers = operation.operation.get("servers") or operation.path_item.get("servers")
    if not servers:
        return root_url
    url = server_url(servers[0])
    if not url.startswith(("http://", "https://")):
        raise UnmappableSchema(f"its own server {url!r} is not an absolute URL")
    root = tool.config[BASE_URL].get("default")
    if url == root:
        return root_url
    host = _NOT_IDENTIFIER.sub("_", url.split("://", 1)[1].lower()).strip("_")
    key = f"base_url_{host}"[:64]
    tool.config.setdefault(
        key,
        {
            "type": "string",
            "format": "uri",
            "default": url,
            "description": "The base URL of the operations with their own server.",
        },
    )
    return f"{{config.{key}}}"


def suggested_pick(document: JsonObject, operation: JsonObject) -> JsonObject | None:
    """A ``response.pick`` for a large JSON object answer, or None."""
    responses = operation.get("responses") or {}
    success = next(
        (resolve(document, r) for code, r in responses.items() if str(code).startswith("2")), None
    )
    content = (success or {}).get("content") or {}
    media = next((m for m in content if "json" in m), None)
    if media is None:
        return None
    try:
        schema = resolve(document, (content[media] or {}).get("schema") or {})
    except UnmappableSchema:
        return None
    properties = schema.get("properties") if isinstance(schema, dict) else None
    if not isinstance(properties, dict) or len(properties) <= LARGE_RESPONSE_PROPERTIES:
        return None
    names = list(dict.fromkeys([*(schema.get("required") or []), *properties]))
    return {"pick": [f"/{name}" for name in names[:SUGGESTED_PICKS]]}
