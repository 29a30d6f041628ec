"""Auth the platform adds to HTTP tool requests: Basic, and OAuth 2.0 client credentials.

The OAuth token is fetched through the same (guarded) client as the tool's requests,
cached per binding for the session until shortly before it expires, and fetched again
when the API answers 401. Tokens are never logged; their ``repr`` shows none.
"""

from __future__ import annotations

import asyncio
import base64
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import httpx

from adapters.executors.http_render import RenderedRequest
from adapters.http.client import SENSITIVE_HEADERS
from adapters.http.reading import read_capped
from domain.errors import ToolFailure
from domain.injection import ConfigInjection
from domain.json_types import JsonObject, JsonValue
from domain.scrubbing import scrub
from domain.tools.auth import BASIC, OAUTH2_CLIENT_CREDENTIALS

EXPIRY_MARGIN_SECONDS = 30.0
"""A cached token is renewed this long before it expires."""

DEFAULT_LIFETIME_SECONDS = 300.0
"""How long a token without ``expires_in`` is used."""

TOKEN_RESPONSE_MAX_BYTES = 64 * 1024

MASK = "********"


def basic_credentials(username: str, password: str) -> str:
    """The ``Authorization`` value for HTTP Basic auth.

    Raises:
        ToolFailure: When the username holds a colon (Basic auth cannot carry it).
    """
    if ":" in username:
        raise ToolFailure("the binding's username secret holds ':', which Basic auth cannot carry")
    pair = f"{username}:{password}".encode()
    return "Basic " + base64.b64encode(pair).decode("ascii")


@dataclass
class _Token:
    value: str = field(repr=False)
    expires_at: float


class OAuthTokens:
    """Client-credentials tokens of one session, per binding.

    Args:
        client: The guarded client the token requests go through.
        clock: Monotonic seconds (a test may pass its own).
    """

    def __init__(
        self, client: httpx.AsyncClient, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._client = client
        self._tokens: dict[str, _Token] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._now = clock

    def __repr__(self) -> str:
        return f"OAuthTokens(bindings={len(self._tokens)})"

    async def token(self, injection: ConfigInjection, auth_config: JsonObject) -> str:
        """The binding's token: the cached one, or a new one when it is (nearly) expired."""
        binding = injection.binding_id
        lock = self._locks.setdefault(binding, asyncio.Lock())
        async with lock:
            cached = self._tokens.get(binding)
            if cached is not None and cached.expires_at - EXPIRY_MARGIN_SECONDS > self._now():
                return cached.value
            fresh = await self._fetch(injection, auth_config)
            self._tokens[binding] = fresh
            return fresh.value

    def forget(self, injection: ConfigInjection, token: str) -> None:
        """Drop ``token`` (the API answered 401 to it), unless a newer one replaced it."""
        cached = self._tokens.get(injection.binding_id)
        if cached is not None and cached.value == token:
            del self._tokens[injection.binding_id]

    def clear(self) -> None:
        """Forget every token (the session ended)."""
        self._tokens.clear()

    async def _fetch(self, injection: ConfigInjection, auth_config: JsonObject) -> _Token:
        form = {"grant_type": "client_credentials"}
        scopes = auth_config.get("scopes") or []
        if isinstance(scopes, list) and scopes:
            form["scope"] = " ".join(str(scope) for scope in scopes)
        audience = auth_config.get("audience")
        if isinstance(audience, str):
            form["audience"] = audience
        credentials = basic_credentials(
            injection.secret("client_id"), injection.secret("client_secret")
        )
        request = self._client.build_request(
            "POST",
            str(auth_config["token_url"]),
            data=form,
            headers={"Authorization": credentials, "Accept": "application/json"},
            extensions={SENSITIVE_HEADERS: frozenset({"authorization"})},
        )
        try:
            response = await self._client.send(request, stream=True)
            try:
                body, _ = await read_capped(response, TOKEN_RESPONSE_MAX_BYTES)
            finally:
                await response.aclose()
        except httpx.TransportError as error:
            raise ToolFailure(
                f"could not reach the token endpoint ({type(error).__name__})"
            ) from None
        if response.status_code != 200:
            raise ToolFailure(
                f"the token endpoint refused the credentials (HTTP {response.status_code})"
            )
        return _token_from(body, self._now())


def _token_from(body: bytes, now: float) -> _Token:
    try:
        answer = json.loads(body)
    except ValueError:
        answer = None
    token = answer.get("access_token") if isinstance(answer, dict) else None
    if not isinstance(token, str) or not token:
        raise ToolFailure("the token endpoint answered without an access_token")
    lifetime = answer.get("expires_in") if isinstance(answer, dict) else None
    seconds = float(lifetime) if isinstance(lifetime, (int, float)) and lifetime > 0 else None
    return _Token(token, now + (seconds or DEFAULT_LIFETIME_SECONDS))


async def authorized(
    request: RenderedRequest,
    auth_type: str,
    auth_config: JsonObject,
    injection: ConfigInjection,
    tokens: OAuthTokens | None,
) -> tuple[RenderedRequest, str | None]:
    """``request`` with the ``Authorization`` header auth adds (sensitive), and the token.

    ``tokens`` None means a dry run: the header is shown masked and nothing is fetched.
    """
    if auth_type == BASIC:
        value = basic_credentials(injection.secret("username"), injection.secret("password"))
        if tokens is None:
            value = f"Basic {MASK}"
        return request.with_header("Authorization", value, sensitive=True), None
    if auth_type == OAUTH2_CLIENT_CREDENTIALS:
        if tokens is None:
            return request.with_header("Authorization", f"Bearer {MASK}", sensitive=True), None
        token = await tokens.token(injection, auth_config)
        return request.with_header("Authorization", f"Bearer {token}", sensitive=True), token
    return request, None


def without_tokens(output: JsonValue, tokens: Sequence[str]) -> JsonValue:
    """``output`` free of the OAuth ``tokens`` sent (not binding secrets, so scrubbed here)."""
    if not tokens:
        return output
    text = output if isinstance(output, str) else json.dumps(output, ensure_ascii=False)
    cleaned = scrub(text, tokens)
    return output if cleaned == text else cleaned
