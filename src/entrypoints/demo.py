"""The offline demo: one corpus tool, defined, bound to an agent, loaded, and called.

Runs on the in-memory storage with no keys and no network.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from domain.errors import InvalidArguments
from entrypoints.container import Container

CORPUS_FUNCTION: dict[str, Any] = {
    # Verbatim from BFCL v4 live_simple_4-3-0 (github.com/ShishirPatil/gorilla, Apache-2.0):
    # BFCL's own dialect, with "type": "dict" at the top.
    "name": "get_current_weather",
    "description": "Retrieves the current weather conditions for a specified city and state. "
    "If using state, then use short form like CA.",
    "parameters": {
        "type": "dict",
        "required": ["location"],
        "properties": {
            "location": {
                "type": "string",
                "description": "The location for which to get the weather, in the format of "
                "'City, State (abbr)', such as 'San Francisco, CA' if State for the city "
                "exists. 'City, Country' if State for the city doesn't exist.",
            },
            "unit": {
                "type": "string",
                "description": "The unit of temperature for the weather report.",
                "enum": ["celsius", "fahrenheit"],
                "default": "fahrenheit",
            },
        },
    },
}

WEATHER_TOOL: dict[str, Any] = {
    "name": "weather",
    "display_name": "Weather",
    "description": "Current weather from a weather HTTP API.",
    "kind": "http",
    "config_schema": {
        "type": "object",
        "properties": {
            "base_url": {
                "type": "string",
                "format": "uri",
                "default": "https://api.weather.example",
                "description": "The weather API's base URL.",
            },
            "language": {"type": "string", "default": "en"},
        },
    },
    "auth_type": "api_key",
    "secret_names": ["api_key"],
    "tool_functions_schema": {"functions": [CORPUS_FUNCTION]},
    "run": {
        "requests": {
            "get_current_weather": {
                "method": "GET",
                "url": "{config.base_url}/v1/current",
                "query": {
                    "q": "{args.location}",
                    "unit": "{args.unit}",
                    "lang": "{config.language}",
                },
                "headers": {"Authorization": "Bearer {secrets.api_key}"},
                "timeout_seconds": 5,
            }
        }
    },
}

DEMO_SECRET = "demo-api-key-never-printed"


async def run_demo(container: Container, out: TextIO) -> None:
    """Define the corpus tool, bind it to an agent, print the toolset, validate two calls.

    Args:
        container: The composition root (its settings pick the storage).
        out: Where to print.
    """
    outcome = await container.tools().define(WEATHER_TOOL)
    tool = outcome.tool
    _say(out, f"Defined tool {tool.name!r} version {tool.version} ({tool.fingerprint[:19]}...)")
    _say(out, f"  function defaults dropped at import: {len(outcome.dropped_defaults)}")
    again = await container.tools().define(WEATHER_TOOL)
    _say(out, f"  defining it again changes nothing: changed={again.changed}")

    agent = await container.agents().create(
        "front-desk", instructions="You answer questions about the weather."
    )
    await container.bindings().bind(
        agent.name,
        tool.name,
        config={"language": "fr"},
        secrets={"api_key": DEMO_SECRET},
    )
    _say(out, f"Created agent {agent.name!r} and bound it to {tool.name!r}")

    toolset = await container.toolsets().load(agent.id)
    _say(out, "\nWhat the LLM sees:")
    for function in toolset.functions:
        _say(out, json.dumps(function.schema.to_dict(), indent=2))
        _say(out, f"  runs with: {toolset.injection_for(function)}")
    for left in toolset.left_out:
        _say(out, f"  left out: {left}")

    weather = toolset.function("get_current_weather").schema
    good = {"location": "Tel Aviv, Israel", "unit": None}
    _say(out, f"\nGood call {json.dumps(good)}")
    _say(out, f"  the function receives: {json.dumps(weather.validate_arguments(good))}")
    bad = {"city": "Tel Aviv", "unit": "kelvin"}
    _say(out, f"Bad call {json.dumps(bad)}")
    try:
        weather.validate_arguments(bad)
    except InvalidArguments as error:
        _say(out, "  the LLM is told: " + str(error).replace("\n", "\n  "))


def _say(out: TextIO, text: str) -> None:
    out.write(text + "\n")
