"""``HttpFunctionExecutor``: runs ``http`` tools through the pooled, guarded client.

Per call: render the template (:mod:`adapters.executors.http_render`; a refused value
sends nothing), add auth (:mod:`adapters.executors.http_auth`), send, retrying what is
safe to retry, read the body up to the size cap, and describe the response for the
model (:mod:`adapters.executors.http_response`). The call pipeline's timeout covers
the whole call; a ``Retry-After`` longer than the time left is not waited for. Only a
function whose ``call_policy`` side effects are ``none`` or ``idempotent`` (or whose
template sends an ``Idempotency-Key``) is retried.

Requests go through the pool's guarded aiohttp session (:mod:`adapters.http.sessions`),
except two kinds that go through its guarded httpx client: every request behind the
operator's proxy, and one with a header value outside ASCII (aiohttp writes headers as
UTF-8; the platform sends them as latin-1). A transport failure is named as httpx
names it, whichever client met it.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote, quote_plus, urlsplit

import aiohttp
import httpx

from adapters.executors.http_auth import MASK, OAuthTokens, authorized, without_tokens
from adapters.executors.http_render import RenderedRequest, Values, render_request
from adapters.executors.http_response import ReceivedResponse, model_output
from adapters.http.client import SENSITIVE_HEADERS
from adapters.http.guard import OutboundGuard
from adapters.http.pool import HttpClientPool, per_operation
from adapters.http.reading import read_capped, read_chunks_capped
from adapters.http.sessions import guarded_request, wire_url
from application.ports import FunctionExecutor, OpenExecutor, ToolCall
from domain.call_status import CallStatus
from domain.errors import ToolFailure
from domain.json_types import JsonObject, JsonValue
from domain.scrubbing import scrub
from domain.tools.auth import OAUTH2_CLIENT_CREDENTIALS
from domain.tools.kinds import ToolKind
from domain.tools.run_specs import HttpRequestTemplate, HttpRunSpec
from domain.toolset import AgentToolset, LeftOut

RETRIED_STATUSES = frozenset({429, 502, 503, 504})
ARGUMENT_MARK = "{{args.{name}}}"
"""How an argument's place in a recorded URL is shown when its value is not kept."""
BACKOFF_SECONDS = 0.2
"""The wait before a retry when the service names none (doubled on each attempt)."""
SHOWN_URLS_KEPT = 256
"""How many recorded URLs (``url_without_arguments``) a session keeps to reuse."""


def template_of(call: ToolCall) -> HttpRequestTemplate:
    """The request template of the called function."""
    run = call.function.tool.run
    if not isinstance(run, HttpRunSpec):
        raise TypeError(f"{call.function.tool.name!r} is not an http tool")
    return run.requests[call.function.name]


def rendered_for(call: ToolCall, template: HttpRequestTemplate) -> RenderedRequest:
    """Render ``call``'s request with its arguments, config and secrets."""
    injection = call.injection
    return render_request(template, Values(call.arguments, injection.config, injection.secret))


class HttpFunctionExecutor(FunctionExecutor):
    """Runs ``http`` tools; each session gets its own OAuth token cache.

    Args:
        pool: The lifecycle's pooled client (the outbound guard's).
        max_response_bytes: The most bytes of a response body read.
    """

    def __init__(self, pool: HttpClientPool, max_response_bytes: int) -> None:
        self._pool = pool
        self._max_response_bytes = max_response_bytes

    @property
    def kind(self) -> ToolKind:
        """Runs ``http`` tools."""
        return ToolKind.HTTP

    async def open(self, toolset: AgentToolset) -> OpenExecutor:
        """Open a session: the pooled client and session, and an empty token cache."""
        client = self._pool.client()
        return HttpSession(
            Senders(client, self._pool.session(), self._pool.guard),
            OAuthTokens(client),
            self._max_response_bytes,
        )


@dataclass(frozen=True)
class Senders:
    """What an ``http`` session sends through (all the lifecycle's pool's).

    Attributes:
        client: The guarded httpx client (OAuth tokens; requests aiohttp cannot carry).
        session: The guarded aiohttp session (None behind the operator's proxy).
        guard: The outbound guard, for each aiohttp request's hops.
    """

    client: httpx.AsyncClient
    session: aiohttp.ClientSession | None
    guard: OutboundGuard


@dataclass(frozen=True)
class _Broken:
    """A transport failure: its kind (as httpx names it) and whether the request left."""

    kind: str
    sent: bool


@dataclass
class _Attempt:
    response: ReceivedResponse | None
    retry_after: float | None
    error: _Broken | None = None


class HttpSession(OpenExecutor):
    """The ``http`` executor opened for one session.

    Args:
        senders: The pooled, guarded client and session.
        tokens: This session's OAuth tokens, per binding.
        max_response_bytes: The most bytes of a response body read.
    """

    def __init__(self, senders: Senders, tokens: OAuthTokens, max_response_bytes: int) -> None:
        self._senders = senders
        self._tokens = tokens
        self._shown_urls: dict[tuple[int, str, tuple[str, ...]], str] = {}
        self._max_bytes = max_response_bytes

    @property
    def left_out(self) -> Sequence[LeftOut]:
        """Nothing: every binding's requests go through the same client."""
        return ()

    async def aclose(self) -> None:
        """Forget the session's tokens (the client belongs to the lifecycle)."""
        self._tokens.clear()

    async def execute(self, call: ToolCall) -> JsonValue:
        """Send the call's request and describe the response for the model."""
        template = template_of(call)
        tool = call.function.tool
        request = rendered_for(call, template)
        if template.idempotency_key:
            key = call.idempotency_key or str(uuid.uuid4())
            request = request.with_header("Idempotency-Key", key, sensitive=False)
        retriable = template.idempotency_key or (
            tool.policy_for(call.function.name).side_effects != "unsafe"
        )
        authed, token = await authorized(
            request, tool.auth_type, tool.auth_config, call.injection, self._tokens
        )
        call.details.request = request_details(
            authed, template, self._shown_url(call, template, authed)
        )
        response = await self._send_with_retries(authed, template, retriable, call.deadline)
        if response.status == 401 and tool.auth_type == OAUTH2_CLIENT_CREDENTIALS and token:
            self._tokens.forget(call.injection, token)
            authed, token = await authorized(
                request, tool.auth_type, tool.auth_config, call.injection, self._tokens
            )
            response = await self._send_with_retries(authed, template, retriable, call.deadline)
        call.details.status_code = response.status
        call.details.response_bytes = len(response.body)
        try:
            output = model_output(call.function.name, response, template.response)
        except ToolFailure as failure:
            raise ToolFailure(
                scrub(str(failure), [token] if token else []),
                status=failure.status,
                retry_after_seconds=failure.retry_after_seconds,
            ) from None
        return without_tokens(output, [token] if token else [])

    def _shown_url(
        self, call: ToolCall, template: HttpRequestTemplate, sent: RenderedRequest
    ) -> str:
        """:func:`url_without_arguments`, once per function, binding and argument names.

        It depends on nothing else (the binding's config is the session's), and making
        it renders the template a second time.
        """
        key = (id(template), call.injection.binding_id, tuple(call.arguments))
        shown = self._shown_urls.get(key)
        if shown is None:
            shown = url_without_arguments(call, template, sent)
            if len(self._shown_urls) < SHOWN_URLS_KEPT:
                self._shown_urls[key] = shown
        return shown

    async def _send_with_retries(
        self,
        request: RenderedRequest,
        template: HttpRequestTemplate,
        retriable: bool,
        deadline: float | None,
    ) -> ReceivedResponse:
        attempts = 1 + (template.retries if retriable else 0)
        for attempt in range(attempts):
            outcome = await self._attempt(request, deadline)
            last = attempt == attempts - 1
            if outcome.error is None and (
                outcome.response is None or outcome.response.status not in RETRIED_STATUSES
            ):
                break
            wait = (
                outcome.retry_after
                if outcome.retry_after is not None
                else BACKOFF_SECONDS * 2**attempt
            )
            if last or not _time_left_for(wait, deadline):
                break
            await asyncio.sleep(wait)
        if outcome.error is not None:
            raise _transport_failure(outcome.error, retriable)
        assert outcome.response is not None  # an attempt has a response or an error
        return outcome.response

    async def _attempt(self, request: RenderedRequest, deadline: float | None) -> _Attempt:
        session = self._senders.session
        try:
            if session is not None and all(value.isascii() for value in request.headers.values()):
                received = await self._send_aiohttp(session, request, deadline)
            else:
                received = await self._send_httpx(request, deadline)
        except httpx.TransportError as error:
            return _Attempt(None, None, _httpx_broken(error))
        except (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError, TimeoutError) as error:
            return _Attempt(None, None, _aiohttp_broken(error))
        return _Attempt(received, received.retry_after)

    async def _send_aiohttp(
        self, session: aiohttp.ClientSession, request: RenderedRequest, deadline: float | None
    ) -> ReceivedResponse:
        remaining = _remaining(deadline)
        async with guarded_request(
            session,
            self._senders.guard,
            request.method,
            wire_url(request.full_url),
            headers=request.headers,
            data=request.body,
            sensitive_headers=request.sensitive_headers,
            timeout=per_operation(remaining) if remaining is not None else None,
        ) as response:
            body, cut = await read_chunks_capped(response.content.iter_any(), self._max_bytes)
            return _received(response.status, response.headers, body, cut)

    async def _send_httpx(
        self, request: RenderedRequest, deadline: float | None
    ) -> ReceivedResponse:
        client = self._senders.client
        built = client.build_request(
            request.method,
            request.url,
            params=list(request.params),
            # latin-1 bytes: httpx would encode text as ASCII (the renderer checked them)
            headers=[
                (name.encode("ascii"), value.encode("latin-1"))
                for name, value in request.headers.items()
            ],
            content=request.body,
            extensions={SENSITIVE_HEADERS: request.sensitive_headers},
            timeout=_remaining(deadline),
        )
        response = await client.send(built, stream=True)
        try:
            body, cut = await read_capped(response, self._max_bytes)
        finally:
            await response.aclose()
        return _received(response.status_code, response.headers, body, cut)


def _received(status: int, headers: Mapping[str, str], body: bytes, cut: bool) -> ReceivedResponse:
    return ReceivedResponse(
        status,
        headers.get("content-type", "").lower(),
        body,
        cut,
        _retry_after(headers.get("retry-after")),
    )


def request_details(
    request: RenderedRequest, template: HttpRequestTemplate, shown_url: str
) -> JsonObject:
    """The request as the call record keeps it: method, URL, header names and body.

    Values are as sent; the pipeline masks the binding's secrets before recording (a
    header's value is never kept, only its name). ``shown_url`` is
    :func:`url_without_arguments`: what the record keeps unless the agent's
    ``audit_payloads`` is ``full``.
    """
    return {
        "method": request.method,
        "url": request.full_url,
        "url_without_arguments": shown_url,
        "header_names": sorted(request.headers),
        "body": shown_body(request, template),
    }


def url_without_arguments(
    call: ToolCall, template: HttpRequestTemplate, sent: RenderedRequest
) -> str:
    """The URL with each argument shown as ``{args.NAME}`` (secrets as ``********``)."""
    markers = [ARGUMENT_MARK.format(name=name) for name in call.arguments]
    values = Values(dict(zip(call.arguments, markers, strict=True)), call.injection.config, _masked)
    try:
        url = render_request(template, values).full_url
    except ToolFailure:  # a marker the template refuses: keep only where it was sent
        parts = urlsplit(sent.url)
        return f"{parts.scheme}://{parts.netloc}/"
    for marker in (*markers, MASK):  # shown as written, not percent-encoded
        for encoded in {quote(marker, safe=""), quote_plus(marker)}:
            url = url.replace(encoded, marker)
    return url


def _masked(name: str) -> str:
    return MASK


def shown_body(request: RenderedRequest, template: HttpRequestTemplate) -> JsonValue:
    """A rendered body as a reader sees it: the JSON value, or the form's text (or None)."""
    if request.body is None:
        return None
    text = request.body.decode("utf-8", errors="replace")
    return json.loads(text) if template.body_encoding == "json" else text


def _remaining(deadline: float | None) -> float | None:
    if deadline is None:
        return None
    return max(deadline - asyncio.get_running_loop().time(), 0.001)


def _time_left_for(wait: float, deadline: float | None) -> bool:
    return deadline is None or asyncio.get_running_loop().time() + wait < deadline


def _retry_after(value: str | None) -> float | None:
    """``Retry-After`` in seconds (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)


def _httpx_broken(error: httpx.TransportError) -> _Broken:
    return _Broken(
        type(error).__name__, sent=not isinstance(error, httpx.ConnectError | httpx.ConnectTimeout)
    )


def _aiohttp_broken(error: Exception) -> _Broken:
    """The failure aiohttp met, named as httpx names it (what the model is told stays)."""
    if isinstance(error, aiohttp.ConnectionTimeoutError):
        return _Broken("ConnectTimeout", sent=False)
    if isinstance(error, aiohttp.ClientConnectorError):
        return _Broken("ConnectError", sent=False)
    if isinstance(error, TimeoutError):
        return _Broken("ReadTimeout", sent=True)
    if isinstance(error, aiohttp.ServerDisconnectedError | aiohttp.ClientPayloadError):
        return _Broken("RemoteProtocolError", sent=True)
    return _Broken("ReadError", sent=True)


def _transport_failure(error: _Broken, retried: bool) -> ToolFailure:
    """``unavailable`` when nothing was sent or repeating is safe, else outcome unknown."""
    if not error.sent:
        return ToolFailure(
            f"could not connect to the service ({error.kind}); nothing was sent",
            status=CallStatus.UNAVAILABLE,
        )
    if retried:
        return ToolFailure(
            f"the connection to the service failed ({error.kind})", status=CallStatus.UNAVAILABLE
        )
    return ToolFailure(
        f"the connection to the service failed ({error.kind}) after the request was sent; "
        "the outcome is unknown",
        status=CallStatus.TIMEOUT_OUTCOME_UNKNOWN,
    )
