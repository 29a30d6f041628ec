"""``CallPreview``: what an ``http`` or ``mcp`` call would send, secrets masked, nothing sent.

An ``http`` function's request is rendered by the executor's own renderer and auth,
every secret shown as ``********``, and the outbound guard says what it would decide
(resolving with a short timeout). An ``mcp`` function shows its transport, server (URL
and headers, or the stdio command's name and env entries, secrets masked) and remote
tool, with nothing connected or started.
"""

from __future__ import annotations

from adapters.executors.http import shown_body, template_of
from adapters.executors.http_auth import MASK, authorized
from adapters.executors.http_render import RenderedRequest, Values, render_request, render_text
from adapters.http.pool import HttpClientPool
from application.ports import RequestPreview, ToolCall
from domain.injection import ConfigInjection
from domain.json_types import JsonObject
from domain.tools.run_specs import HttpRequestTemplate, McpRunSpec, McpServerSpec

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
            server = _mcp_server(run.server, call.injection)
            return {
                "kind": "mcp",
                **server,
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


def _mcp_server(server: McpServerSpec, injection: ConfigInjection) -> JsonObject:
    """Where an ``mcp`` call would go, secrets masked; nothing is connected or started."""
    masked = Values({}, injection.config, _masked)
    if server.transport == "stdio":
        env = {name: render_text(value, masked) for name, value in server.env.items()}
        return {
            "transport": "stdio",
            "server": server.address,
            "env": {name: value for name, value in env.items() if value is not None},
        }
    template = HttpRequestTemplate(url=server.url or "", headers=server.headers)
    connection = render_request(template, masked)
    return {
        "transport": server.transport,
        "server": connection.full_url,
        "headers": connection.headers,
    }


async def _masked_request(call: ToolCall, template: HttpRequestTemplate) -> RenderedRequest:
    values = Values(call.arguments, call.injection.config, _masked)
    request = render_request(template, values)
    if template.idempotency_key:
        request = request.with_header("Idempotency-Key", IDEMPOTENCY_KEY_SHOWN, sensitive=False)
    tool = call.function.tool
    masked, _ = await authorized(request, tool.auth_type, tool.auth_config, call.injection, None)
    return masked
