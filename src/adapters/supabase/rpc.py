"""``SupabaseRpc``: the official async ``supabase`` client, used for RPC calls only.

Every request the Supabase storage makes is ``POST /rest/v1/rpc/<function>`` with the
function's named arguments as the JSON body; the functions are in
``supabase/migrations``. The client is made by :meth:`SupabaseRpc.open` and closed by
:meth:`SupabaseRpc.close`, on the loop that uses it.
"""

from __future__ import annotations

import warnings
from typing import Any
from urllib.parse import urlsplit

import httpx
from postgrest.exceptions import APIError
from supabase import AsyncClient, AsyncClientOptions, acreate_client
from supabase_auth import AsyncMemoryStorage

from adapters.supabase.errors import translate
from domain.errors import StorageUnavailable
from domain.secrets import Secret

URL_SETTING = "SUPABASE_URL"


class SupabaseRpc:
    """Calls the schema's Postgres functions through PostgREST, as the service role.

    Args:
        url: The project URL (``https://<ref>.supabase.co``).
        service_role_key: The project's service-role key (revealed only to the client).
        timeout_seconds: How long one request may take.
    """

    def __init__(self, url: str, service_role_key: Secret, timeout_seconds: float) -> None:
        self._url = url
        self._key = service_role_key
        self._timeout = timeout_seconds
        self._client: AsyncClient | None = None
        self.host = urlsplit(url).netloc or url

    async def open(self) -> None:
        """Make the client (no request is sent until a call).

        Raises:
            StorageUnavailable: When the URL is not an http(s) URL.
        """
        if self._client is not None:
            return
        if urlsplit(self._url).scheme not in ("http", "https") or not urlsplit(self._url).netloc:
            raise StorageUnavailable(f"{URL_SETTING} must be an http(s) URL, not {self._url!r}")
        client = await acreate_client(
            self._url,
            self._key.reveal(),
            options=AsyncClientOptions(
                storage=AsyncMemoryStorage(),
                auto_refresh_token=False,
                persist_session=False,
                postgrest_client_timeout=self._timeout,
                postgrest_client_retry=False,
            ),
        )
        with warnings.catch_warnings():
            # supabase passes its own timeout and verify options to postgrest, which
            # deprecates them in favour of a client built by the caller.
            warnings.filterwarnings("ignore", r"The '\w+' parameter is deprecated")
            client.postgrest  # noqa: B018 (made now, inside the filter)
        self._client = client

    async def close(self) -> None:
        """Close the client's connections."""
        client, self._client = self._client, None
        if client is not None:
            await client.postgrest.aclose()

    async def call(self, function: str, arguments: dict[str, Any]) -> Any:
        """Call ``function`` with named ``arguments``; return its JSON result.

        Raises:
            DomainError: The translated error (conflict, not found, unavailable).
        """
        if self._client is None:
            raise RuntimeError("the storage is not open; call `await storage.open()` first")
        try:
            response = await self._client.rpc(function, arguments).execute()
        except (APIError, httpx.HTTPError, ValueError) as error:
            raise translate(error, self.host) from None
        return response.data
