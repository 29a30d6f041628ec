"""Does every imported function render a request the API's own description accepts?

For each imported function: valid arguments are generated from its stored schema (each
property, required or not, gets a value its schema accepts), the request is rendered by
the ``http`` executor's renderer (the one ``call --dry-run`` uses; no DNS, nothing
sent), and ``openapi-core``'s request validator checks it against the description
(path, query, headers, body, security). Swagger 2.0 imports are checked against the
3.0 form the parser converts them to. Shared by the corpus test and
``scripts/openapi_conformance.py``.
"""

from __future__ import annotations

import base64
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import strategies
from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

from adapters.executors.http_render import RenderedRequest, Values, render_request
from adapters.openapi.parser import YamlJsonOpenApiParser
from domain.errors import DomainError
from domain.schema.function_schema import FunctionSchema
from domain.tools.document import read_tool_document
from domain.tools.run_specs import HttpRunSpec
from tests.openapi_corpus import import_all, read_description

SECRET = "s3cret"
UNSET_BASE_URL = "https://api.example.test"
_CONSTRAINING = frozenset(
    {"type", "$ref", "properties", "allOf", "anyOf", "oneOf", "enum", "const", "items"}
)
_FORMATS = {
    "date": "2024-05-17",
    "date-time": "2024-05-17T10:00:00Z",
    "uri": "https://example.com/x",
    "url": "https://example.com/x",
    "email": "a@example.com",
    "uuid": "123e4567-e89b-12d3-a456-426614174000",
    "ipv4": "127.0.0.1",
}


@dataclass(frozen=True)
class Conformance:
    """The outcome for one document: functions checked and the failures, by function."""

    document: str
    checked: int
    failures: tuple[tuple[str, str], ...]


def conformance(path: Path) -> Conformance:
    """Render one call per imported function of ``path`` and validate it."""
    result = import_all(path)
    tool = read_tool_document(result.document).tool
    described = YamlJsonOpenApiParser().parse(read_description(path))
    api = OpenAPI.from_dict(described, config=Config(spec_validator_cls=None))
    config = {
        key: schema.get("default", UNSET_BASE_URL)
        for key, schema in result.document["config_schema"]["properties"].items()
    }
    run = tool.run
    assert isinstance(run, HttpRunSpec)
    with warnings.catch_warnings():
        # openapi-core warns of the security schemes it does not check (oauth2), and
        # hypothesis of example() outside a test: neither is about the request.
        warnings.simplefilter("ignore")
        failures = [
            _failure(function, run, config, tool.auth_type, api) for function in tool.functions
        ]
    return Conformance(path.name, len(tool.functions), tuple(f for f in failures if f is not None))


def _failure(
    function: FunctionSchema,
    run: HttpRunSpec,
    config: dict[str, Any],
    auth_type: str | None,
    api: OpenAPI,
) -> tuple[str, str] | None:
    """Why the rendered call of ``function`` does not conform, or None when it does."""
    schema = function.to_dict()["parameters"]
    try:
        arguments = function.validate_arguments(example(schema, schema))
        request = render_request(
            run.requests[function.name], Values(arguments, config, lambda name: SECRET)
        )
    except DomainError as error:
        return function.name, f"not rendered: {_reason(error)}"
    headers = dict(request.headers)
    if auth_type == "basic":
        token = base64.b64encode(f"{SECRET}:{SECRET}".encode()).decode()
        headers["Authorization"] = f"Basic {token}"
    try:
        api.validate_request(RenderedOpenApiRequest(request, headers))
    except Exception as error:
        return function.name, _reason(error)
    return None


class RenderedOpenApiRequest:
    """A rendered request as openapi-core's request protocol reads it (no WSGI in between)."""

    def __init__(self, request: RenderedRequest, headers: dict[str, str]) -> None:
        self.host_url = _origin(request.url)
        self.path = _path(request.url)
        self.method = request.method.lower()
        self.body = request.body
        self.content_type = next(
            (v for k, v in headers.items() if k.lower() == "content-type"),
            "application/octet-stream",
        )
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(list(request.params)), header=Headers(list(headers.items()))
        )


def _origin(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"


def _path(url: str) -> str:
    rest = url.partition("://")[2]
    return "/" + rest.split("/", 1)[1] if "/" in rest else "/"


def _reason(error: Exception) -> str:
    causes = [error]
    while causes[-1].__cause__ is not None:
        causes.append(causes[-1].__cause__)  # type: ignore[arg-type]
    text = "; ".join(f"{type(e).__name__}: {e}" for e in causes)
    return re.sub(r"\s+", " ", text)[:300]


def example(schema: Any, root: dict[str, Any], depth: int = 0) -> Any:
    """A value ``schema`` accepts: every property of the top level, required ones below."""
    if not isinstance(schema, dict):
        return "x"
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/").replace("~1", "/").replace("~0", "~")
        return example(root["$defs"][name], root, depth)
    for key in ("const", "default"):
        if key in schema:
            return schema[key]
    if "enum" in schema:
        return next((value for value in schema["enum"] if value not in (None, "")), None)
    if "examples" in schema and isinstance(schema["examples"], list) and schema["examples"]:
        return schema["examples"][0]
    for keyword in ("oneOf", "anyOf"):
        if keyword in schema:
            options = [
                o for o in schema[keyword] if not (isinstance(o, dict) and o.get("type") == "null")
            ]
            return example(options[0] if options else {}, root, depth)
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            if isinstance(part, dict) and not _CONSTRAINING.intersection(part):
                continue
            value = example(part, root, depth)
            if isinstance(value, dict):
                merged.update(value)
            else:
                return value
        return merged
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object" or (kind is None and "properties" in schema):
        properties = schema.get("properties") or {}
        # Below the top level: the required properties and those with fixed values
        # (the discriminator of a oneOf choice, such as Box's ``type``).
        fixed = [n for n, p in properties.items() if isinstance(p, dict) and "enum" in p]
        names = properties if depth == 0 else [*(schema.get("required") or []), *fixed]
        return {name: example(properties.get(name, {}), root, depth + 1) for name in names}
    if kind == "array":
        return [example(schema.get("items", {}), root, depth + 1)] * max(
            1, schema.get("minItems", 1)
        )
    if kind == "integer":
        return int(schema.get("multipleOf", schema.get("minimum", 1)))
    if kind == "number":
        return float(schema.get("minimum", 1))
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    if "pattern" in schema:
        return strategies.from_regex(
            schema["pattern"], fullmatch=True, alphabet=strategies.characters(max_codepoint=126)
        ).example()
    text = _FORMATS.get(schema.get("format", ""), "abc")
    return text.ljust(schema.get("minLength", 0), "a")


def summary(outcomes: list[Conformance]) -> str:
    """One line per document and the overall rate."""
    lines = []
    for outcome in outcomes:
        conforming = outcome.checked - len(outcome.failures)
        lines.append(f"{outcome.document}: {conforming}/{outcome.checked} conform")
        lines.extend(f"  {function}: {reason}" for function, reason in outcome.failures)
    checked = sum(o.checked for o in outcomes)
    failed = sum(len(o.failures) for o in outcomes)
    lines.append(
        f"overall: {checked - failed}/{checked} conform ({(checked - failed) / checked:.1%})"
    )
    return "\n".join(lines)
