"""What the browser tests and the screenshots start from: a weather tool bound to an agent."""

from __future__ import annotations

from typing import Any

from entrypoints.container import Container
from tests.builders import CANARY

AGENT = "front-desk"
TOOL = "weather"


def weather_document(base_url: str) -> dict[str, Any]:
    """An http tool calling ``base_url``: a config form with an enum, an integer, a URL."""
    return {
        "name": TOOL,
        "display_name": "Weather",
        "description": "Current weather from a weather HTTP API.",
        "kind": "http",
        "config_schema": {
            "type": "object",
            "properties": {
                "base_url": {"type": "string", "format": "uri", "default": base_url},
                "units": {"type": "string", "enum": ["metric", "imperial"], "default": "metric"},
                "max_days": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 14,
                    "title": "Days of forecast",
                },
            },
        },
        "secret_names": ["api_key"],
        "tool_functions_schema": {
            "functions": [
                {
                    "name": "get_current_weather",
                    "description": "Current weather for a city.",
                    "parameters": {
                        "type": "object",
                        "properties": {"city": {"type": "string", "description": "City name"}},
                        "required": ["city"],
                    },
                }
            ]
        },
        "run": {
            "requests": {
                "get_current_weather": {
                    "url": "{config.base_url}/v1/current",
                    "query": {"q": "{args.city}", "units": "{config.units}"},
                    "headers": {"Authorization": "Bearer {secrets.api_key}"},
                }
            }
        },
    }


async def seed(container: Container, upstream: str, secret: str = CANARY) -> None:
    """Define the weather tool and bind it to an agent whose api_key is ``secret``."""
    await container.tools().define(weather_document(upstream))
    await container.agents().create(AGENT)
    await container.bindings().bind(
        AGENT, TOOL, config={"base_url": upstream}, secrets={"api_key": secret}
    )
