"""A Supabase storage whose requests go to a respx router standing in for PostgREST."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import respx

from adapters.secrets.aes_gcm import AesGcmSecretCipher
from adapters.supabase.rpc import SupabaseRpc
from adapters.supabase.storage import SupabaseStorage
from domain.schema.limits import SchemaLimits
from domain.secrets import Secret
from tests.builders import EPOCH

BASE_URL = "https://project-ref.supabase.test"
KEY = "service-role-key-0b7e41"
RPC_PATH = "/rest/v1/rpc/"


@dataclass
class PostgrestDouble:
    """The router, the storage using it, and its cipher."""

    router: respx.Router
    storage: SupabaseStorage
    cipher: AesGcmSecretCipher

    def answer(self, function: str, response: httpx.Response | Exception) -> respx.Route:
        """Answer every call of ``function`` with ``response`` (or raise it)."""
        route = self.router.post(RPC_PATH + function)
        if isinstance(response, Exception):
            return route.mock(side_effect=response)
        return route.mock(return_value=response)

    def sent(self) -> list[tuple[str, str, Any]]:
        """Every request sent so far: method, path and JSON body."""
        return [
            (call.request.method, call.request.url.path, json.loads(call.request.content))
            for call in self.router.calls
        ]


@pytest.fixture
async def postgrest() -> AsyncIterator[PostgrestDouble]:
    """An open Supabase storage over a respx router (unmatched requests fail)."""
    cipher = AesGcmSecretCipher.ephemeral()
    storage = SupabaseStorage(
        SupabaseRpc(BASE_URL, Secret(KEY), timeout_seconds=5),
        cipher,
        SchemaLimits(),
        clock=lambda: EPOCH,
    )
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        await storage.open()
        try:
            yield PostgrestDouble(router, storage, cipher)
        finally:
            await storage.close()
