"""What request templates and handlers may refer to, checked against the whole tool.

The rules (RELIABILITY.md, "HTTP tools"): arguments and secrets may fill path segments
and query values only, never the scheme, host, port or userinfo; a leading
``{config.x}`` whose config schema property says ``"format": "uri"`` may give a
per-binding base URL; a header takes arguments only when its template holds no secret
and auth does not set it; every placeholder names something that exists.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from domain.errors import Problem
from domain.json_types import JsonObject, JsonPath, JsonValue, render_path
from domain.schema.function_schema import FunctionSchema
from domain.tools.auth import AUTHORIZATION, acts
from domain.tools.placeholders import Placeholder, Segment, Source, parse_template, placeholders
from domain.tools.run_specs import (
    HTTP_METHODS_WITH_BODY,
    HttpRequestTemplate,
    HttpRunSpec,
    McpRunSpec,
    McpServerSpec,
    PythonRunSpec,
)
from domain.tools.stdio_env import STDIO_COMMAND_NAME, env_name_problem

_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


@dataclass(frozen=True)
class TemplateScope:
    """What the templates of one tool may refer to.

    Attributes:
        config_schema: The tool's ``config_schema``.
        secret_names: The secrets a binding supplies.
        function: The function a request belongs to (None for an MCP server).
        auth_type: The tool's ``auth_type`` (an acting one sets ``Authorization``).
    """

    config_schema: JsonObject
    secret_names: tuple[str, ...]
    function: FunctionSchema | None = None
    auth_type: str = "none"

    def unknown(self, placeholder: Placeholder) -> str | None:
        """Say why ``placeholder`` names nothing in this scope, or None when it does."""
        name = placeholder.name
        if placeholder.source is Source.ARGS:
            if self.function is None:
                return f"{placeholder}: arguments cannot be used here"
            declared = self.function.parameter_names
            if name is not None and name not in declared:
                return (
                    f"{placeholder} names no parameter of {self.function.name}; "
                    f"its parameters are: {_listing(declared)}"
                )
        elif placeholder.source is Source.CONFIG:
            declared = tuple(self.config_schema.get("properties", {}))
            if name not in declared:
                return (
                    f"{placeholder} names no property of config_schema; "
                    f"its properties are: {_listing(declared)}"
                )
        elif name not in self.secret_names:
            return (
                f"{placeholder} names no declared secret; "
                f"the secret_names are: {_listing(self.secret_names)}"
            )
        return None

    def is_uri_config(self, placeholder: Placeholder) -> bool:
        """Tell whether ``placeholder`` is ``{config.x}`` with ``"format": "uri"``."""
        properties = self.config_schema.get("properties", {})
        member = properties.get(placeholder.name) if placeholder.name else None
        return (
            placeholder.source is Source.CONFIG
            and isinstance(member, dict)
            and member.get("format") == "uri"
        )

    def is_always_present(self, placeholder: Placeholder) -> bool:
        """Tell whether an argument placeholder always has a value (required or defaulted)."""
        if placeholder.source is not Source.ARGS or self.function is None:
            return True
        parameters = self.function.parameters
        member = parameters.get("properties", {}).get(placeholder.name, {})
        return placeholder.name in parameters.get("required", []) or "default" in member


def _listing(names: Iterable[str]) -> str:
    return ", ".join(names) or "none"


def python_problems(spec: PythonRunSpec, functions: Iterable[FunctionSchema]) -> list[Problem]:
    """Every function has a handler (and, for code tools, a code fingerprint)."""
    functions = list(functions)
    problems = _one_each(set(spec.handlers), functions, "run.handlers", "handler")
    if spec.style == "function_tool":
        fingerprints = set(spec.code_fingerprints)
        problems.extend(_one_each(fingerprints, functions, "run.code_fingerprints", "fingerprint"))
    elif spec.code_fingerprints:
        problems.append(
            Problem("run.code_fingerprints", "only code tools (function_tool) have them")
        )
    return problems


def http_problems(
    spec: HttpRunSpec, functions: Iterable[FunctionSchema], scope: TemplateScope
) -> list[Problem]:
    """Check each function's request template against the tool."""
    functions = list(functions)
    problems = _one_each(set(spec.requests), functions, "run.requests", "request template")
    by_name = {function.name: function for function in functions}
    for name, request in spec.requests.items():
        if name in by_name:
            function_scope = TemplateScope(
                scope.config_schema, scope.secret_names, by_name[name], scope.auth_type
            )
            problems.extend(_request_problems(request, function_scope, ("run", "requests", name)))
    return problems


def mcp_problems(
    spec: McpRunSpec, functions: Iterable[FunctionSchema], scope: TemplateScope
) -> list[Problem]:
    """Check an MCP server spec: its transport's fields, URL, headers, env and allowlist."""
    path: JsonPath = ("run", "server")
    server = spec.server
    if server.transport == "stdio":
        problems = _stdio_problems(server, scope, path)
    else:
        problems = _remote_server_problems(server, scope, path)
    names = [function.name for function in functions]
    if names and server.allowed_functions is not None:
        problems.extend(
            Problem(
                render_path((*path, "allowed_functions")),
                f"{name!r} is not a function of this tool; its functions are: {', '.join(names)}",
            )
            for name in server.allowed_functions
            if name not in names
        )
    return problems


def _remote_server_problems(
    server: McpServerSpec, scope: TemplateScope, path: JsonPath
) -> list[Problem]:
    problems = [
        Problem(render_path((*path, field)), f"only a stdio server has {what}")
        for field, what, given in (
            ("command", "a command", server.command is not None),
            ("env", "environment entries", bool(server.env)),
        )
        if given
    ]
    if server.url is None:
        problems.append(
            Problem(render_path((*path, "url")), f"a {server.transport} server needs its URL")
        )
    else:
        problems.extend(_url_problems(server.url, scope, (*path, "url")))
    problems.extend(_header_problems(server.headers, scope, (*path, "headers")))
    return problems


def _stdio_problems(server: McpServerSpec, scope: TemplateScope, path: JsonPath) -> list[Problem]:
    problems = [
        Problem(render_path((*path, field)), f"a stdio server has no {what}")
        for field, what, given in (
            ("url", "URL (it runs the operator's command)", server.url is not None),
            ("headers", "headers (its env entries take their place)", bool(server.headers)),
        )
        if given
    ]
    if server.command is None:
        problems.append(
            Problem(
                render_path((*path, "command")),
                "a stdio server names its command: an entry of the operator's "
                "TOOL_PLATFORM_MCP_STDIO_COMMANDS",
            )
        )
    elif not STDIO_COMMAND_NAME.fullmatch(server.command):
        problems.append(
            Problem(
                render_path((*path, "command")),
                "must be the name of an operator's command (letters, digits, _ . -), "
                "never a command line",
            )
        )
    for name, value in server.env.items():
        where = (*path, "env", name)
        reason = env_name_problem(name)
        if reason:
            problems.append(Problem(render_path(where), reason))
        problems.extend(_text_problems(value, scope, where, {Source.CONFIG, Source.SECRETS}))
        if "\x00" in value:
            problems.append(Problem(render_path(where), "must not contain a NUL character"))
    return problems


def _one_each(
    names: set[str], functions: Iterable[FunctionSchema], path: str, what: str
) -> list[Problem]:
    declared = {function.name for function in functions}
    problems = [
        Problem(f"{path}.{name}", "names no function of this tool")
        for name in sorted(names - declared)
    ]
    problems.extend(
        Problem(path, f"function {name!r} has no {what}") for name in sorted(declared - names)
    )
    return problems


def _request_problems(
    request: HttpRequestTemplate, scope: TemplateScope, path: JsonPath
) -> list[Problem]:
    problems = _url_problems(request.url, scope, (*path, "url"))
    for name, value in request.query.items():
        problems.extend(_text_problems(value, scope, (*path, "query", name), set(Source)))
        if "{" in name or "}" in name or not name:
            problems.append(
                Problem(render_path((*path, "query", name)), "a query name must be literal text")
            )
    problems.extend(_header_problems(request.headers, scope, (*path, "headers")))
    problems.extend(_body_problems(request, scope, (*path, "body")))
    problems.extend(_response_problems(request, path))
    return problems


def _response_problems(request: HttpRequestTemplate, path: JsonPath) -> list[Problem]:
    problems = []
    if request.body_encoding == "form" and request.body is None:
        problems.append(
            Problem(render_path((*path, "body_encoding")), "a form-encoded request needs a body")
        )
    if request.idempotency_key and request.method not in ("POST", "PATCH"):
        problems.append(
            Problem(
                render_path((*path, "idempotency_key")),
                f"only POST and PATCH need it; a {request.method} request is retried without",
            )
        )
    return problems


def _url_problems(url: str, scope: TemplateScope, path: JsonPath) -> list[Problem]:
    where = render_path(path)
    try:
        segments = parse_template(url)
    except ValueError as error:
        return [Problem(where, str(error))]
    problems = _reference_problems(placeholders(segments), scope, where, set(Source))
    prefix = "https://base.invalid"
    if segments and isinstance(segments[0], Placeholder):
        if not scope.is_uri_config(segments[0]):
            return [
                *problems,
                Problem(
                    where,
                    "may start with a placeholder only when it is {config.NAME} and that "
                    'config_schema property has "format": "uri"',
                ),
            ]
        segments = segments[1:]
        if segments and not (isinstance(segments[0], str) and segments[0].startswith(("/", "?"))):
            return [
                *problems,
                Problem(where, "after a base-URL placeholder, the URL must go on with / or ?"),
            ]
    else:
        prefix = ""
    text, tokens = _tokenised(segments)
    parts = urlsplit(prefix + text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        problems.append(Problem(where, "must be an absolute http:// or https:// URL"))
    if any(token in parts.netloc for token in tokens):
        problems.append(
            Problem(where, "placeholders may not fill the scheme, host, port or userinfo")
        )
    elif "@" in parts.netloc:
        problems.append(Problem(where, "must not carry userinfo (put credentials in secrets)"))
    if any(token in parts.query for token in tokens):
        problems.append(
            Problem(where, "placeholders in the query go in the query mapping, not the URL")
        )
    if parts.fragment:
        problems.append(Problem(where, "must not have a fragment"))
    problems.extend(
        Problem(
            where,
            f"{placeholder} fills a path segment, so its parameter must be required "
            "or have a default",
        )
        for placeholder, token in zip(placeholders(segments), tokens, strict=True)
        if token in parts.path and not scope.is_always_present(placeholder)
    )
    return problems


def _tokenised(segments: list[Segment]) -> tuple[str, list[str]]:
    """Replace placeholders by tokens that cannot occur in a URL, to parse its parts."""
    tokens = [f"\ue000{index}\ue001" for index in range(len(segments))]
    text = "".join(
        tokens[index] if isinstance(segment, Placeholder) else segment
        for index, segment in enumerate(segments)
    )
    used = [tokens[i] for i, segment in enumerate(segments) if isinstance(segment, Placeholder)]
    return text, used


def _header_problems(
    headers: dict[str, str], scope: TemplateScope, path: JsonPath
) -> list[Problem]:
    problems = []
    for name, value in headers.items():
        where = (*path, name)
        if not _HEADER_NAME.fullmatch(name):
            problems.append(Problem(render_path(where), "is not a valid header name"))
        if acts(scope.auth_type) and name.lower() == AUTHORIZATION:
            problems.append(
                Problem(render_path(where), f"auth_type {scope.auth_type!r} sets this header")
            )
        problems.extend(_text_problems(value, scope, where, _header_sources(value, scope)))
        if "\r" in value or "\n" in value:
            problems.append(Problem(render_path(where), "must not contain a line break"))
    return problems


def _header_sources(value: str, scope: TemplateScope) -> set[Source]:
    """A header takes arguments only in a function's request, and never beside a secret."""
    if scope.function is None or "{secrets." in value:
        return {Source.CONFIG, Source.SECRETS}
    return set(Source)


def _body_problems(
    request: HttpRequestTemplate, scope: TemplateScope, path: JsonPath
) -> list[Problem]:
    if request.body is None:
        return []
    if request.method not in HTTP_METHODS_WITH_BODY:
        return [Problem(render_path(path), f"a {request.method} request cannot have a body")]
    if request.body == "{args}":
        return []
    if not isinstance(request.body, dict):
        return [Problem(render_path(path), 'must be a JSON object template or "{args}"')]
    problems: list[Problem] = []
    stack: list[tuple[JsonValue, JsonPath]] = [(request.body, path)]
    while stack:
        value, where = stack.pop()
        if isinstance(value, dict):
            stack.extend((member, (*where, key)) for key, member in value.items())
        elif isinstance(value, list):
            stack.extend((member, (*where, index)) for index, member in enumerate(value))
        elif isinstance(value, str):
            problems.extend(_text_problems(value, scope, where, set(Source)))
    return problems


def _text_problems(
    text: str, scope: TemplateScope, path: JsonPath, allowed: set[Source]
) -> list[Problem]:
    where = render_path(path)
    try:
        segments = parse_template(text)
    except ValueError as error:
        return [Problem(where, str(error))]
    return _reference_problems(placeholders(segments), scope, where, allowed)


def _reference_problems(
    found: list[Placeholder], scope: TemplateScope, where: str, allowed: set[Source]
) -> list[Problem]:
    problems = []
    for placeholder in found:
        if placeholder.name is None:
            problems.append(
                Problem(where, '{args} may only stand alone as the whole body: "body": "{args}"')
            )
        elif placeholder.source not in allowed:
            problems.append(
                Problem(where, f"{placeholder}: {placeholder.source} cannot be used here")
            )
        else:
            reason = scope.unknown(placeholder)
            if reason:
                problems.append(Problem(where, reason))
    return problems


def mcp_annotation_problems(spec: McpRunSpec, functions: Iterable[FunctionSchema]) -> list[Problem]:
    """Every ``run.annotations`` entry names a function of the tool."""
    names = {function.name for function in functions}
    return [
        Problem(render_path(("run", "annotations", name)), "names no function of this tool")
        for name in spec.annotations
        if name not in names
    ]
