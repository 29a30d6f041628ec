"""Ask the Gemini Live API which adapted shapes it accepts (needs ``GOOGLE_API_KEY``).

The open question of ``docs/gemini.md``: does the Live API, on the current Live models,
accept a function declaration with ``any_of``, with ``nullable``, with property names the
adaptation chose, and one sent as ``parameters_json_schema``? Offline, nothing can tell.
This script connects once per probe (one declaration each) with google-genai's Live
client and prints ``accepted`` or the server's refusal. Without ``GOOGLE_API_KEY`` it
prints that it skipped and exits 0; it never runs in the tests.

Usage: ``GOOGLE_API_KEY=... .venv/bin/python scripts/gemini_live_probe.py [MODEL]``
(default model: ``gemini-live-2.5-flash-native-audio``).
"""

from __future__ import annotations

import asyncio
import os
import sys
from typing import Any

DEFAULT_MODEL = "gemini-live-2.5-flash-native-audio"

PROBES: dict[str, dict[str, Any]] = {
    "any_of": {
        "parameters": {
            "type": "OBJECT",
            "properties": {
                "value": {"any_of": [{"type": "STRING"}, {"type": "NUMBER"}, {"type": "BOOLEAN"}]}
            },
        }
    },
    "nullable": {
        "parameters": {
            "type": "OBJECT",
            "properties": {"note": {"type": "STRING", "nullable": True}},
        }
    },
    "nested any_of with nullable (anyOf [A, B, null])": {
        "parameters": {
            "type": "OBJECT",
            "properties": {
                "value": {"any_of": [{"type": "STRING"}, {"type": "INTEGER"}], "nullable": True}
            },
        }
    },
    "renamed properties and a tuple object": {
        "parameters": {
            "type": "OBJECT",
            "properties": {
                "Content_Type": {"type": "STRING"},
                "point": {
                    "type": "OBJECT",
                    "properties": {"item_0": {"type": "NUMBER"}, "item_1": {"type": "NUMBER"}},
                },
            },
        }
    },
    "parameters_json_schema": {
        "parameters_json_schema": {
            "type": "object",
            "properties": {"value": {"type": ["string", "null"], "format": "email"}},
        }
    },
}


async def probe(model: str, name: str, declaration: dict[str, Any]) -> str:
    """Connect with one declaration; return ``accepted`` or the refusal on one line."""
    from google import genai  # noqa: PLC0415  (only when a key is set)
    from google.genai import types  # noqa: PLC0415

    client = genai.Client()
    function = types.FunctionDeclaration(name="probe", description=name, **declaration)
    config = types.LiveConnectConfig(
        response_modalities=[types.Modality.AUDIO],
        tools=[types.Tool(function_declarations=[function])],
    )
    try:
        async with client.aio.live.connect(model=model, config=config) as session:
            await session.send_realtime_input(text="Say hello.")
            async for _ in session.receive():
                break
    except Exception as error:  # the server's refusal, whatever its type
        return f"refused: {type(error).__name__}: {str(error).splitlines()[0][:300]}"
    return "accepted"


async def main(model: str) -> int:
    """Run every probe against ``model`` and print one line each."""
    print(f"Gemini Live API probes against {model}")
    for name, declaration in PROBES.items():
        print(f"  {name}: {await probe(model, name, declaration)}")
    return 0


if __name__ == "__main__":
    if not os.environ.get("GOOGLE_API_KEY"):
        print("skipped: GOOGLE_API_KEY is not set (the probes need the live Gemini API)")
        sys.exit(0)
    sys.exit(asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_MODEL)))
