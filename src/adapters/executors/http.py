"""``HttpFunctionExecutor``: runs ``http`` tools through the pooled, guarded client.

Per call: render the template (:mod:`adapters.executors.http_render`; a refused value
sends nothing), add auth (:mod:`adapters.executors.http_auth`), send, retrying what is
safe to retry, read the body up to the size cap, and describe the response for the
model (:mod:`adapters.executors.http_response`). The call pipeline's timeout covers the
whole call; a ``Retry-After`` longer than the time left is not waited for.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import httpx

from adapters.executors.http_auth import OAuthTokens, authorized
from adapters.executors.http_render import RenderedRequest, Values, render_request
from adapters.executors.http_response import ReceivedResponse, model_output
from adapters.http.client import SENSITIVE_HEADERS
from adapters.http.pool import HttpClientPool
from adapters.http.reading import read_capped
from application.ports import FunctionExecutor, OpenExecutor, ToolCall
from domain.errors import ToolFailure
from domain.json_types import JsonObject, JsonValue
from domain.scrubbing import scrub
from domain.tools.auth import OAUTH2_CLIENT_CREDENTIALS
from domain.tools.kinds import ToolKind
from domain.tools.run_specs import HttpRequestTemplate, HttpRunSpec
from domain.toolset import AgentToolset, LeftOut

RETRIED_STATUSES = frozenset({429, 502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "PUT", "DELETE"})
BACKOFF_SECONDS = 0.2
"""The wait before a retry when the service names none (doubled on each attempt)."""


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
        """Open a session: the pooled client and an empty token cache."""
        client = self._pool.client()
        return HttpSession(client, OAuthTokens(client), self._max_response_bytes)


@dataclass
class _Attempt:
    response: ReceivedResponse | None
    retry_after: float | None
    error: httpx.TransportError | None = None


class HttpSession(OpenExecutor):
    """The ``http`` executor opened for one session.

    Args:
        client: The pooled, guarded client.
        tokens: This session's OAuth tokens, per binding.
        max_response_bytes: The most bytes of a response body read.
    """

    def __init__(
        self, client: httpx.AsyncClient, tokens: OAuthTokens, max_response_bytes: int
    ) -> None:
        self._client = client
        self._tokens = tokens
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
            request = request.with_header("Idempotency-Key", str(uuid.uuid4()), sensitive=False)
        authed, token = await authorized(
            request, tool.auth_type, tool.auth_config, call.injection, self._tokens
        )
        call.details.request = request_details(authed, template)
        response = await self._send_with_retries(authed, template, call.deadline)
        if response.status == 401 and tool.auth_type == OAUTH2_CLIENT_CREDENTIALS and token:
            self._tokens.forget(call.injection, token)
            authed, token = await authorized(
                request, tool.auth_type, tool.auth_config, call.injection, self._tokens
            )
            response = await self._send_with_retries(authed, template, call.deadline)
        call.details.status_code = response.status
        call.details.response_bytes = len(response.body)
        try:
            output = model_output(call.function.name, response, template.response)
        except ToolFailure as failure:
            raise ToolFailure(scrub(str(failure), [token] if token else [])) from None
        return _without_token(output, token)

    async def _send_with_retries(
        self, request: RenderedRequest, template: HttpRequestTemplate, deadline: float | None
    ) -> ReceivedResponse:
        retriable = template.method in IDEMPOTENT_METHODS or template.idempotency_key
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
        built = self._client.build_request(
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
        try:
            response = await self._client.send(built, stream=True)
            try:
                body, cut = await read_capped(response, self._max_bytes)
            finally:
                await response.aclose()
        except httpx.TransportError as error:
            return _Attempt(None, None, error)
        received = ReceivedResponse(
            response.status_code, response.headers.get("content-type", "").lower(), body, cut
        )
        return _Attempt(received, _retry_after(response.headers.get("retry-after")))


def request_details(request: RenderedRequest, template: HttpRequestTemplate) -> JsonObject:
    """The request as the call record keeps it: method, URL, header names and body.

    Values are as sent; the pipeline masks the binding's secrets before recording (a
    header's value is never kept, only its name).
    """
    return {
        "method": request.method,
        "url": request.full_url,
        "header_names": sorted(request.headers),
        "body": shown_body(request, template),
    }


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


def _transport_failure(error: httpx.TransportError, retried: bool) -> ToolFailure:
    kind = type(error).__name__
    if isinstance(error, httpx.ConnectError | httpx.ConnectTimeout):
        return ToolFailure(f"could not connect to the service ({kind}); nothing was sent")
    if retried:
        return ToolFailure(f"the connection to the service failed ({kind})")
    return ToolFailure(f"the connection to the service failed ({kind}); the outcome is unknown")


def _without_token(output: JsonValue, token: str | None) -> JsonValue:
    """``output`` free of the OAuth token (not a binding secret, so scrubbed here)."""
    if not token:
        return output
    text = output if isinstance(output, str) else json.dumps(output, ensure_ascii=False)
    cleaned = scrub(text, [token])
    return output if cleaned == text else cleaned
