"""How each kind of tool runs: the ``run`` part of a tool document.

The models check the shape of the document (field names, types, ranges). What the
templates may refer to is checked against the whole tool in :mod:`domain.tools.template_rules`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from domain.json_types import JsonValue

IMPORT_PATH = r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*:[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$"
"""``package.module:attribute``, the import path of an ``async def``."""

HTTP_METHODS_WITH_BODY = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class _Spec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class PythonRunSpec(_Spec):
    """A ``python`` tool: one Python callable per function.

    Attributes:
        handlers: Function name -> ``package.module:attribute``. The package must be on
            the operator's allowlist, checked when the tool is defined and loaded.
        style: ``handler``: ``async def handler(arguments, injection)`` for a
            schema-defined tool. ``function_tool``: a LiveKit ``@function_tool`` found
            by ``tool-platform tools sync`` (a code tool), called like LiveKit calls it.
        code_fingerprints: For code tools, function name -> the fingerprint of its
            source at sync time; a tool whose installed code differs is left out at
            load until it is synced again.
        timeout_seconds: The timeout of each of its calls; None means the platform
            default (a code tool module sets it with ``TIMEOUT_SECONDS``).
    """

    handlers: dict[str, Annotated[str, Field(pattern=IMPORT_PATH)]]
    style: Literal["handler", "function_tool"] = "handler"
    code_fingerprints: dict[str, str] = Field(default_factory=dict)
    timeout_seconds: Annotated[float, Field(gt=0, le=600)] | None = None

    def timeout_for(self, function: str) -> float | None:
        """The timeout of ``function``'s calls, or None for the platform default."""
        return self.timeout_seconds


class HttpResponseShape(_Spec):
    """What of a JSON response reaches the model.

    Attributes:
        pick: JSON pointers (RFC 6901) to keep: a list gives a list of the values, a
            map of output name -> pointer gives an object. A pointer that matches
            nothing gives null.
    """

    pick: (
        list[Annotated[str, Field(pattern=r"^(/.*)?$")]]
        | dict[str, Annotated[str, Field(pattern=r"^(/.*)?$")]]
    )


class HttpRequestTemplate(_Spec):
    """The HTTP request one function makes.

    Attributes:
        method: The HTTP method.
        url: Absolute ``http(s)`` URL. Placeholders may fill path segments only; a
            leading ``{config.x}`` whose config schema property has ``"format": "uri"``
            may give a per-binding base URL.
        query: Query parameter name -> value template (any placeholder).
        query_arrays: How an array argument that is a whole query value is sent:
            ``repeat`` (``tag=a&tag=b``) or ``comma`` (``tag=a,b``: OpenAPI's
            ``explode: false``).
        headers: Header name -> value template; arguments may fill a header whose template
            holds no secret (and that auth does not set).
        body: For POST, PUT, PATCH and DELETE: a JSON template whose string leaves may
            hold placeholders (a leaf that is exactly one placeholder keeps the value's
            JSON type), or ``"{args}"`` for all the arguments. None sends no body.
        body_encoding: ``json`` (the body serialized as JSON) or ``form``
            (``application/x-www-form-urlencoded``).
        form_arrays: How a form body encodes arrays: ``brackets`` (``a[0]=x``, Stripe's
            style) or ``repeat`` (arrays of scalars repeat their key, Twilio's).
        timeout_seconds: This function's timeout (the whole call: auth, redirects,
            retries); None means the platform default.
        retries: How many times a failed attempt is retried (connection errors, 429,
            502, 503, 504): only for GET, PUT and DELETE, or with ``idempotency_key``.
        idempotency_key: Send one ``Idempotency-Key`` header, the same on every attempt
            of a call; lets POST and PATCH be retried.
        response: What of a JSON response reaches the model (None: all of it).
    """

    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE"] = "GET"
    url: str
    query: dict[str, str] = Field(default_factory=dict)
    query_arrays: Literal["repeat", "comma"] = "repeat"
    headers: dict[str, str] = Field(default_factory=dict)
    body: JsonValue = None
    body_encoding: Literal["json", "form"] = "json"
    form_arrays: Literal["brackets", "repeat"] = "brackets"
    timeout_seconds: Annotated[float, Field(gt=0, le=600)] | None = None
    retries: Annotated[int, Field(ge=0, le=5)] = 1
    idempotency_key: bool = False
    response: HttpResponseShape | None = None


class HttpRunSpec(_Spec):
    """An ``http`` tool: one request template per function."""

    requests: dict[str, HttpRequestTemplate]

    def timeout_for(self, function: str) -> float | None:
        """The timeout of ``function``'s calls, or None for the platform default."""
        return self.requests[function].timeout_seconds


class McpServerSpec(_Spec):
    """The MCP server an ``mcp`` tool's functions come from.

    Which fields a transport takes is checked with the whole tool
    (:func:`domain.tools.template_rules.mcp_problems`): ``url`` and ``headers`` for
    ``streamable_http`` and ``sse``; ``command`` and ``env`` for ``stdio``.

    Attributes:
        url: The server's URL (same rules as an HTTP template, no arguments).
        transport: ``streamable_http``, ``sse`` or ``stdio``.
        headers: Header name -> value template (config and secrets).
        command: ``stdio``: the name of a command line in the operator's
            ``TOOL_PLATFORM_MCP_STDIO_COMMANDS`` (a document never gives a command line).
        env: ``stdio``: environment entries for the server, name -> value template
            (config and secrets); names that change how programs load code are refused.
        allowed_functions: The server functions offered to agents; None offers all.
        timeout_seconds: Connect and call timeout.
        sse_read_timeout_seconds: How long an SSE stream may stay silent.
    """

    url: str | None = None
    transport: Literal["streamable_http", "sse", "stdio"] = "streamable_http"
    headers: dict[str, str] = Field(default_factory=dict)
    command: str | None = None
    env: dict[str, str] = Field(default_factory=dict)
    allowed_functions: list[str] | None = None
    timeout_seconds: Annotated[float, Field(gt=0, le=120)] = 5.0
    sse_read_timeout_seconds: Annotated[float, Field(gt=0, le=3600)] = 300.0

    @property
    def address(self) -> str:
        """Where the server is, for logs and call records: its URL or ``stdio:COMMAND``."""
        if self.transport == "stdio":
            return f"stdio:{self.command}"
        return self.url or ""


class McpFunctionHints(_Spec):
    """A server function's MCP ``annotations``, as listed (None: the server said nothing).

    Attributes:
        read_only: ``readOnlyHint``: the function changes nothing.
        idempotent: ``idempotentHint``: repeating a call has no further effect.
        destructive: ``destructiveHint``: the function may destroy data.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, populate_by_name=True)

    read_only: bool | None = Field(default=None, alias="readOnlyHint")
    idempotent: bool | None = Field(default=None, alias="idempotentHint")
    destructive: bool | None = Field(default=None, alias="destructiveHint")


class McpRunSpec(_Spec):
    """An ``mcp`` tool: its server.

    Attributes:
        server: Where the functions run.
        annotations: Function name -> its MCP annotations, stored when listed.
    """

    server: McpServerSpec
    annotations: dict[str, McpFunctionHints] = Field(default_factory=dict)

    def timeout_for(self, function: str) -> float | None:
        """The timeout of ``function``'s calls: the server's."""
        return self.server.timeout_seconds


RunSpec = PythonRunSpec | HttpRunSpec | McpRunSpec
