"""``CallPreview``: what an ``http`` or ``mcp`` call would send, secrets masked, nothing sent.

An ``http`` function's request is rendered by the executor's own renderer and auth,
every secret shown as ``********``, and the outbound guard says what it would decide
(resolving with a short timeout). An ``mcp`` function shows its server URL and headers,
rendered with the binding's config, secrets masked, and the remote tool.
"""

from __future__ import annotations

from adapters.executors.http import shown_body, template_of
from adapters.executors.http_auth import MASK, authorized
from adapters.executors.http_render import RenderedRequest, Values, render_request
from adapters.http.pool import HttpClientPool
from application.ports import RequestPreview, ToolCall
from domain.json_types import JsonObject
from domain.tools.run_specs import HttpRequestTemplate, McpRunSpec

IDEMPOTENCY_KEY_SHOWN = "<a new UUID for each call, the same on its retries>"


class CallPreview(RequestPreview):
    """Renders calls as the executors would, through the pool's outbound guard.

    Args:
        pool: The pool whose guard decides (nothing is sent through it).
    """

    def __init__(self, pool: HttpClientPool) -> None:
        self._pool = pool

    async def preview(self, call: ToolCall) -> JsonObject:
        """Describe the request ``call`` would make (``ToolFailure`` when refused)."""
        run = call.function.tool.run
        if isinstance(run, McpRunSpec):
            server = HttpRequestTemplate(url=run.server.url, headers=run.server.headers)
            connection = render_request(server, Values({}, call.injection.config, _masked))
            return {
                "kind": "mcp",
                "server": connection.full_url,
                "headers": connection.headers,
                "tool": call.function.name,
                "arguments": call.arguments,
            }
        template = template_of(call)
        request = await _masked_request(call, template)
        decision = await self._pool.guard.decide(request.url)
        return {
            "kind": "http",
            "method": request.method,
            "url": request.full_url,
            "headers": request.headers,
            "body": shown_body(request, template),
            "guard": {"allowed": decision.allowed, "reason": decision.reason},
        }


def _masked(name: str) -> str:
    return MASK


async def _masked_request(call: ToolCall, template: HttpRequestTemplate) -> RenderedRequest:
    values = Values(call.arguments, call.injection.config, _masked)
    request = render_request(template, values)
    if template.idempotency_key:
        request = request.with_header("Idempotency-Key", IDEMPOTENCY_KEY_SHOWN, sensitive=False)
    tool = call.function.tool
    masked, _ = await authorized(request, tool.auth_type, tool.auth_config, call.injection, None)
    return masked
