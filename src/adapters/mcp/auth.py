"""OAuth 2.0 client credentials for an MCP server, as for ``http`` tools.

The token comes from :class:`adapters.executors.http_auth.OAuthTokens` (fetched through
the guarded client, cached per binding for the session) and goes on every request of
the MCP connection; a 401 answer drops it, fetches a new one, and sends the request
once more.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

import httpx2

from adapters.executors.http_auth import OAuthTokens
from domain.injection import ConfigInjection
from domain.json_types import JsonObject


class OAuthBearer(httpx2.Auth):
    """``Authorization: Bearer TOKEN`` on each request of one binding's MCP connection.

    Args:
        tokens: The session's token cache (its client is the guarded one).
        injection: The binding (its ``client_id`` and ``client_secret`` secrets).
        auth_config: The tool's ``auth_config`` (``token_url``, ``scopes``, ``audience``).
    """

    def __init__(
        self, tokens: OAuthTokens, injection: ConfigInjection, auth_config: JsonObject
    ) -> None:
        self._tokens = tokens
        self._injection = injection
        self._config = auth_config

    def __repr__(self) -> str:
        return f"OAuthBearer(binding={self._injection.binding_id!r})"

    async def async_auth_flow(
        self, request: httpx2.Request
    ) -> AsyncGenerator[httpx2.Request, httpx2.Response]:
        """Send with the binding's token; on 401, once more with a fresh one."""
        token = await self._tokens.token(self._injection, self._config)
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code == 401:
            self._tokens.forget(self._injection, token)
            token = await self._tokens.token(self._injection, self._config)
            request.headers["Authorization"] = f"Bearer {token}"
            yield request
