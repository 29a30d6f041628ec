"""A small CRM API on 127.0.0.1: the seed's "CRM Lookup" example, served offline.

``GET   /v1/customers/{id}``  the customer, or 404 ``{"error": "no customer ..."}``
``PATCH /v1/customers/{id}``  change ``email`` and ``tier`` (JSON body)

Every request needs the ``X-Api-Key`` header (401 otherwise). ``tool-platform demo``
runs the CRM ``http`` tool against it. It records each request's method and raw path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from aiohttp import web

from entrypoints.local_server import serve_on_loopback

PREFIX = "/v1/customers/"


@dataclass
class LocalCrmApi:
    """The CRM's customers; ``async with LocalCrmApi(api_key) as crm`` serves them.

    Attributes:
        api_key: The key every request must carry (not shown in ``repr``).
        customers: Customer id -> the customer.
        requests: ``METHOD raw-path`` of every request, in order.
        base_url: The API's base URL while serving.
    """

    api_key: str = field(repr=False)
    customers: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    base_url: str = ""
    _runner: web.AppRunner | None = None

    async def __aenter__(self) -> LocalCrmApi:
        self._runner, self.base_url = await serve_on_loopback(self._handle)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.Response:
        self.requests.append(f"{request.method} {request.raw_path}")
        if request.headers.get("X-Api-Key") != self.api_key:
            return web.json_response({"error": "a valid X-Api-Key header is required"}, status=401)
        path = request.raw_path.partition("?")[0]
        customer_id = unquote(path.removeprefix(PREFIX))
        if not path.startswith(PREFIX) or "/" in path.removeprefix(PREFIX):
            return web.json_response({"error": "no such endpoint"}, status=404)
        customer = self.customers.get(customer_id)
        if customer is None:
            return web.json_response({"error": f"no customer with id {customer_id}"}, status=404)
        if request.method == "PATCH":
            changes = json.loads(await request.text() or "{}")
            customer.update({k: v for k, v in changes.items() if k in ("email", "tier")})
        elif request.method != "GET":
            return web.json_response({"error": "method not allowed"}, status=405)
        return web.json_response(customer)
