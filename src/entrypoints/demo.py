"""The offline demo: the whole platform on the embedded default, no keys, no network.

It migrates a SQLite catalog, syncs the built-in code tools, defines a schema-defined
tool run by an allowlisted Python handler, the seed's "CRM Lookup" ``http`` tool and an
``mcp`` tool listed from an MCP server, binds them to an agent, and runs a real LiveKit
``AgentSession`` in text mode whose scripted LLM calls them, printing the conversation
with every call and its result, then its call log as the call audit recorded it. The
Calendar and CRM APIs and the MCP server are
stand-ins on 127.0.0.1; the database and its key live in a temporary folder that is
removed after.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any, TextIO

from dependency_injector import providers

from adapters.code_sync import sync_packages
from adapters.livekit.scripted_llm import Call, Say, ScriptedLLM, Turn
from adapters.livekit.text_session import run_text_session
from entrypoints.container import Container
from entrypoints.lifespan import lifespan
from entrypoints.local_calendar_api import LocalCalendarApi, calendar_event
from entrypoints.local_crm_api import LocalCrmApi
from entrypoints.local_mcp_server import LocalMcpServer
from entrypoints.local_office_mcp import office_mcp_server
from entrypoints.settings import PlatformSettings

BUILT_IN_TOOLS = "adapters.tool_packages"
DEMO_TOKEN = "demo-access-token-never-printed"
DEMO_CALENDAR = "front-desk@example.com"
MEETINGS = [
    calendar_event("standup", "Team stand-up", "2026-11-24T09:30:00Z", "2026-11-24T09:45:00Z"),
    calendar_event(
        "review", "Quarterly review with Ana", "2026-11-24T15:00:00Z", "2026-11-24T16:00:00Z"
    ),
]
"""The demo calendar's day, served by the local Calendar API."""

TEMPERATURE_TOOL: dict[str, Any] = {
    "name": "conversions",
    "display_name": "Unit conversions",
    "description": "Conversions a voice agent is often asked for.",
    "kind": "python",
    "config_schema": {
        "type": "object",
        "properties": {"decimals": {"type": "integer", "minimum": 0, "maximum": 4, "default": 1}},
    },
    "tool_functions_schema": {
        "functions": [
            {
                "name": "convert_temperature",
                "description": "Convert a temperature between Celsius and Fahrenheit.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "value": {"type": "number", "description": "The temperature."},
                        "from_unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
                        "to_unit": {
                            "type": "string",
                            "enum": ["celsius", "fahrenheit"],
                            "default": "fahrenheit",
                        },
                    },
                    "required": ["value", "from_unit"],
                },
            }
        ]
    },
    "run": {
        "handlers": {"convert_temperature": f"{BUILT_IN_TOOLS}.conversions:convert_temperature"}
    },
}

DEMO_CRM_KEY = "demo-crm-api-key-never-printed"
CUSTOMERS = {
    "C-1001": {"id": "C-1001", "name": "Ana Ruiz", "email": "ana@example.com", "tier": "gold"},
}
"""The CRM's customers, served by the local CRM API."""

CUSTOMER_ID = {
    "type": "string",
    "description": "The customer's id, like C-1001.",
    "pattern": "^C-[0-9]{4}$",
}
CRM_TOOL: dict[str, Any] = {
    "name": "crm",
    "display_name": "CRM Lookup",
    "description": "Look customers up in the CRM and update them.",
    "kind": "http",
    "config_schema": {
        "type": "object",
        "properties": {"base_url": {"type": "string", "format": "uri"}},
        "required": ["base_url"],
    },
    "auth_type": "api_key",
    "secret_names": ["api_key"],
    "tool_functions_schema": {
        "functions": [
            {
                "name": "get_customer",
                "description": "Look a customer up by id.",
                "parameters": {
                    "type": "object",
                    "properties": {"customer_id": CUSTOMER_ID},
                    "required": ["customer_id"],
                },
            },
            {
                "name": "update_customer",
                "description": "Change a customer's email or tier.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "customer_id": CUSTOMER_ID,
                        "email": {"type": "string"},
                        "tier": {"type": "string", "enum": ["basic", "gold"]},
                    },
                    "required": ["customer_id"],
                },
            },
        ]
    },
    "run": {
        "requests": {
            "get_customer": {
                "url": "{config.base_url}/v1/customers/{args.customer_id}",
                "headers": {"X-Api-Key": "{secrets.api_key}"},
                "response": {"pick": {"name": "/name", "email": "/email", "tier": "/tier"}},
            },
            "update_customer": {
                "method": "PATCH",
                "url": "{config.base_url}/v1/customers/{args.customer_id}",
                "headers": {"X-Api-Key": "{secrets.api_key}"},
                "body": {"email": "{args.email}", "tier": "{args.tier}"},
                "idempotency_key": True,
            },
        }
    },
}
"""The seed's central example: an admin defines "CRM Lookup" in the database."""

DEMO_MCP_TOKEN = "demo-mcp-token-never-printed"


def office_tool(url: str) -> dict[str, Any]:
    """The "Office info" ``mcp`` tool: its document lists no functions, the server does."""
    return {
        "name": "office",
        "display_name": "Office info (MCP)",
        "description": "The office's opening hours and meeting rooms, from its MCP server.",
        "kind": "mcp",
        "secret_names": ["token"],
        "run": {
            "server": {
                "transport": "streamable_http",
                "url": url,
                "headers": {"Authorization": "Bearer {secrets.token}"},
            }
        },
    }


DAY = {"time_min": "2026-11-24T00:00:00Z", "time_max": "2026-11-25T00:00:00Z"}
SCRIPT: list[Turn] = [
    [
        Call("list_events", DAY),
        Call("check_availability", {**DAY, "time_min": "2026-11-24T15:00:00Z"}),
    ],
    Call("convert_temperature", {"value": "21", "from_unit": "Celsius"}),
    Call("convert_temperature", {"value": 21, "from_unit": "kelvin"}),
    Call("get_customer", {"customer_id": "C-1001"}),
    Call("update_customer", {"customer_id": "C-1001", "email": "ana.ruiz@example.com"}),
    Call("get_customer", {"customer_id": "C-9999"}),
    Call("opening_hours", {"day": "saturday"}),
    Say(
        "You have the team stand-up at 9:30 and the quarterly review with Ana at 15:00, "
        "so the afternoon is not free. And 21 degrees Celsius is 69.8 Fahrenheit. "
        "Ana Ruiz (gold) now has ana.ruiz@example.com; the CRM has no customer C-9999. "
        "On Saturday the front desk is open from 9 to 13."
    ),
]
"""What the scripted LLM does: two calendar calls at once, a conversion whose arguments
need the documented coercions, one with an argument no coercion rescues, the CRM's
lookup, update and a lookup the API answers with 404, the office MCP server's opening
hours, then an answer."""


def demo_settings(folder: Path) -> PlatformSettings:
    """The embedded default, in ``folder``, with the built-in tools allowlisted.

    The outbound guard admits 127.0.0.1, where the demo's local APIs listen.
    """
    return PlatformSettings(
        storage="sqlalchemy",
        database_url=f"sqlite+aiosqlite:///{folder / 'tool_platform.db'}",
        secret_key_file=folder / "tool_platform.key",
        handler_packages=(BUILT_IN_TOOLS,),
        outbound_allow=("127.0.0.1/32",),
        secret_keys=None,
    )


async def run_demo(out: TextIO) -> None:
    """Run the whole demo, printing as it goes.

    Args:
        out: Where to print.
    """
    # LiveKit warns about every ToolError; in the demo they are the point, and shown.
    logging.getLogger("livekit.agents").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="tool-platform-demo-") as folder:
        container = Container()
        container.settings.override(providers.Object(demo_settings(Path(folder))))
        container.announce.override(providers.Object(lambda message: None))
        async with (
            lifespan(container),
            LocalCalendarApi() as calendar,
            LocalCrmApi(DEMO_CRM_KEY, {key: dict(c) for key, c in CUSTOMERS.items()}) as crm,
            LocalMcpServer(office_mcp_server(), bearer_token=DEMO_MCP_TOKEN) as office,
        ):
            calendar.add_calendar(DEMO_CALENDAR, DEMO_TOKEN, MEETINGS)
            await _demo(container, calendar.base_url, crm.base_url, office.url, out)


async def _demo(
    container: Container, calendar_url: str, crm_url: str, office_url: str, out: TextIO
) -> None:
    _say(out, await container.storage().upgrade())
    for synced in await sync_packages([BUILT_IN_TOOLS], container.tools()):
        tool = synced.outcome.tool
        _say(
            out,
            f"synced {synced.module}: tool {tool.name!r} v{tool.version}: "
            + ", ".join(tool.function_names),
        )
    outcome = await container.tools().define(TEMPERATURE_TOOL)
    _say(
        out,
        f"defined schema-defined tool {outcome.tool.name!r} v{outcome.tool.version}, "
        "run by an allowlisted Python handler",
    )

    outcome = await container.tools().define(CRM_TOOL)
    _say(
        out,
        f"defined http tool {outcome.tool.name!r} ({outcome.tool.display_name}) "
        f"v{outcome.tool.version}: " + ", ".join(outcome.tool.function_names),
    )

    office_secrets = {"token": DEMO_MCP_TOKEN}
    outcome = await container.tools().define(office_tool(office_url), secrets=office_secrets)
    _say(
        out,
        f"defined mcp tool {outcome.tool.name!r} v{outcome.tool.version} by listing its "
        "MCP server: " + ", ".join(outcome.tool.function_names),
    )

    agent = await container.agents().create(
        "front-desk", instructions="You are a front-desk assistant. Be brief."
    )
    await container.bindings().bind(
        agent.name,
        "google_calendar",
        config={"calendar_id": DEMO_CALENDAR, "api_base_url": calendar_url},
        secrets={"access_token": DEMO_TOKEN},
    )
    await container.bindings().bind(agent.name, "conversions")
    await container.bindings().bind(
        agent.name, "crm", config={"base_url": crm_url}, secrets={"api_key": DEMO_CRM_KEY}
    )
    await container.bindings().bind(agent.name, "office", secrets=office_secrets)
    toolset = await container.toolsets().load(agent.id)
    async with await container.tool_sessions().open(toolset) as tools:
        _say(out, f"agent {agent.name!r} starts with: {', '.join(tools.function_names)}")
        for left in tools.left_out:
            _say(out, f"  left out: {left}")

        _say(out, "\nconversation (a real LiveKit AgentSession, text mode, scripted LLM):")
        transcript = await run_text_session(
            tools,
            container.livekit_runtime(),
            ScriptedLLM(SCRIPT),
            instructions=agent.instructions,
            user_inputs=(
                "What's on my calendar today, is 15:00 free, and what's 21 degrees C in F? "
                "Also set customer C-1001's email to ana.ruiz@example.com and look up C-9999. "
                "When is the front desk open on Saturday?",
            ),
        )
    for line in transcript.lines():
        _say(out, line)
    await _say_call_log(container, agent.id, out)


async def _say_call_log(container: Container, agent_id: str, out: TextIO) -> None:
    """The demo's own call log, as the call audit recorded it (``tool-platform calls``)."""
    await container.audit_writer().flush()
    records = await container.call_audit().list(agent=agent_id, limit=100)
    _say(out, f"\ncall log ({len(records)} calls recorded by the call audit, secrets masked):")
    for record in reversed(records):
        request = record.details.get("request")
        sent = f" {request['method']} {request['url']}" if isinstance(request, dict) else ""
        _say(
            out,
            f"  {record.tool}@{record.tool_version} {record.function} {record.outcome} "
            f"{record.duration_ms:.0f} ms{sent}",
        )


def _say(out: TextIO, text: str) -> None:
    out.write(text + "\n")
