"""``tool-platform call --dry-run``: what a call would do, with nothing sent or run.

The arguments are validated with the stored schema, as a session would. An ``http``
function's request is rendered by the executor's own renderer and auth, every secret
shown as ``********``, and the outbound guard says what it would decide (resolving with
a short timeout). A ``python`` function shows its handler, an ``mcp`` function its
transport, server (URL and headers, or the stdio command's name and env entries, secrets
masked) and remote tool, with nothing connected or started; each with the validated
arguments.
"""

from __future__ import annotations

import json

from adapters.executors.http import shown_body, template_of
from adapters.executors.http_auth import MASK, authorized
from adapters.executors.http_render import RenderedRequest, Values, render_request, render_text
from adapters.http.pool import HttpClientPool
from application.ports import ToolCall
from domain.errors import InvalidArguments, ToolFailure
from domain.injection import ConfigInjection
from domain.json_types import JsonObject, JsonValue
from domain.tools.run_specs import HttpRequestTemplate, McpRunSpec, McpServerSpec, PythonRunSpec
from domain.toolset import AgentToolset
from entrypoints.commands.output import CliError

IDEMPOTENCY_KEY_SHOWN = "<a new UUID for each call, the same on its retries>"


async def describe_call(
    toolset: AgentToolset, function_name: str, arguments: JsonValue, pool: HttpClientPool
) -> JsonObject:
    """Describe what calling ``function_name`` with ``arguments`` would do.

    Raises:
        CliError: When the agent offers no such function, or the arguments or a value
            would be refused (the message the model would get).
    """
    function = next((f for f in toolset.functions if f.name == function_name), None)
    if function is None:
        left = [str(left) for left in toolset.left_out if left.function == function_name]
        offered = ", ".join(toolset.function_names) or "none"
        raise CliError(
            left[0]
            if left
            else f"the agent offers no function {function_name!r}; it offers: {offered}"
        )
    try:
        validated = function.schema.validate_arguments(arguments)
    except InvalidArguments as error:
        raise CliError(str(error)) from None
    run = function.tool.run
    if isinstance(run, PythonRunSpec):
        return {"kind": "python", "handler": run.handlers[function.name], "arguments": validated}
    injection = toolset.injection_for(function).for_call()
    if isinstance(run, McpRunSpec):
        try:
            server = _mcp_server(run.server, injection)
        except ToolFailure as refused:
            raise CliError(str(refused)) from None
        return {"kind": "mcp", **server, "tool": function.name, "arguments": validated}
    call = ToolCall(function, validated, injection, "dry-run")
    template = template_of(call)
    try:
        request = await _masked_request(call, template)
    except ToolFailure as refused:
        raise CliError(str(refused)) from None
    decision = await pool.guard.decide(request.url)
    return {
        "method": request.method,
        "url": request.full_url,
        "headers": request.headers,
        "body": shown_body(request, template),
        "guard": {"allowed": decision.allowed, "reason": decision.reason},
    }


def _mcp_server(server: McpServerSpec, injection: ConfigInjection) -> JsonObject:
    """Where an ``mcp`` call would go, secrets masked; nothing is connected or started."""
    masked = Values({}, injection.config, lambda name: MASK)
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
    values = Values(call.arguments, call.injection.config, lambda name: MASK)
    request = render_request(template, values)
    if template.idempotency_key:
        request = request.with_header("Idempotency-Key", IDEMPOTENCY_KEY_SHOWN, sensitive=False)
    tool = call.function.tool
    masked, _ = await authorized(request, tool.auth_type, tool.auth_config, call.injection, None)
    return masked


def dry_run_text(described: JsonObject) -> str:
    """The dry run for a reader: the request as it would go on the wire, then the guard."""
    if "method" not in described:
        lines = [
            f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in described.items()
        ]
        return "\n".join([*lines, "nothing was run (dry run)"])
    headers = described["headers"]
    assert isinstance(headers, dict)
    lines = [f"{described['method']} {described['url']}"]
    lines.extend(f"{name}: {value}" for name, value in headers.items())
    body = described["body"]
    if body is not None:
        shown = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
        lines.extend(["", shown])
    guard = described["guard"]
    assert isinstance(guard, dict)
    verdict = "allowed" if guard["allowed"] else "refused"
    lines.extend(["", f"guard: {verdict} ({guard['reason']})", "nothing was sent (dry run)"])
    return "\n".join(lines)
