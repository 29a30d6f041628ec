"""Config and secrets reach each call from its own binding, also for calls run together.

Two functions of two different bindings are called in ONE LLM response (two
``FunctionToolCall``s in one ``ChatChunk``); LiveKit runs them as concurrent tasks. Each
handler reads its config with awaits between the reads, through the injection it is
given and through the session's ``BindingUserdata`` (``context.userdata``).
"""

from __future__ import annotations

from typing import Any

import pytest

from adapters.executors.code_fingerprint import code_fingerprint
from adapters.livekit.scripted_llm import Call, Say
from adapters.livekit.text_session import Transcript
from application.agents import AgentService
from application.bindings import BindingService
from application.tools import ToolService
from tests.builders import data_of, function_doc, python_tool_document
from tests.handlers import session_tools
from tests.integration.livekit.conftest import Converse
from tool_platform import config

SESSION_TOOLS = "tests.handlers.session_tools"
LABEL_CONFIG = {
    "type": "object",
    "properties": {"label": {"type": "string"}},
    "required": ["label"],
}
NO_PARAMETERS = {"type": "object", "properties": {}}


@pytest.fixture(autouse=True)
async def catalog(tools: ToolService, agents: AgentService, bindings: BindingService) -> None:
    """Agent ``twins`` bound to ``left`` and ``right``: same handlers, own config and token."""
    for side in ("left", "right"):
        handlers = {
            f"{side}_whoami": "whoami",
            f"{side}_probe": f"{SESSION_TOOLS}:concurrency_probe",
        }
        await tools.define(
            python_tool_document(
                side,
                handlers,
                functions=[function_doc(name, NO_PARAMETERS) for name in handlers],
                config_schema=LABEL_CONFIG,
                secret_names=["token"],
            )
        )
        await tools.define(userdata_tool(side))
    await agents.create("twins")
    for side in ("left", "right"):
        await bindings.bind(
            "twins", side, config={"label": side}, secrets={"token": f"token-{side}"}
        )
        await bindings.bind("twins", f"{side}-context", config={"label": side})


def userdata_tool(side: str) -> dict[str, Any]:
    """Code tool ``<side>-context`` whose ``<side>_userdata`` is ``userdata_whoami``."""
    document = python_tool_document(
        f"{side}-context",
        {f"{side}_userdata": f"{SESSION_TOOLS}:userdata_whoami"},
        functions=[function_doc(f"{side}_userdata", NO_PARAMETERS)],
        config_schema=LABEL_CONFIG,
    )
    document["run"]["style"] = "function_tool"
    document["run"]["code_fingerprints"] = {
        f"{side}_userdata": code_fingerprint(session_tools.userdata_whoami)
    }
    return document


def outputs(transcript: Transcript, *call_ids: str) -> list[dict[str, Any]]:
    """The JSON outputs the LLM received for ``call_ids``, failing on any error."""
    parsed = []
    for call_id in call_ids:
        received = transcript.received(call_id)
        assert received is not None, f"no output for {call_id}"
        assert not received.is_error, received.output
        parsed.append(data_of(received.output))
    return parsed


async def test_livekit_runs_the_calls_of_one_response_concurrently(converse: Converse) -> None:
    transcript = await converse("twins", [[Call("left_probe"), Call("right_probe")], Say("ok")])

    left, right = outputs(transcript, "call-1-1", "call-1-2")
    assert left["started"] < right["ended"]
    assert right["started"] < left["ended"]
    assert (left["label"], right["label"]) == ("left", "right")


async def test_concurrent_calls_of_two_bindings_each_see_only_their_own_config_and_secret(
    converse: Converse,
) -> None:
    transcript = await converse("twins", [[Call("left_whoami"), Call("right_whoami")], Say("ok")])

    left, right = outputs(transcript, "call-1-1", "call-1-2")
    assert (left["first"], left["second"]) == ("left", "left")
    assert (right["first"], right["second"]) == ("right", "right")
    assert left["token_matches_label"]
    assert right["token_matches_label"]
    assert left["binding"] != right["binding"]


async def test_context_userdata_reads_the_calling_bindings_config(converse: Converse) -> None:
    transcript = await converse(
        "twins", [[Call("left_userdata"), Call("right_userdata")], Say("ok")]
    )

    left, right = outputs(transcript, "call-1-1", "call-1-2")
    assert left == {"first": "left", "second": "left", "injected": "left", "call_id": "call-1-1"}
    assert right == {
        "first": "right",
        "second": "right",
        "injected": "right",
        "call_id": "call-1-2",
    }


async def test_no_call_scope_is_left_behind_after_the_session(converse: Converse) -> None:
    await converse("twins", [Call("left_userdata"), Say("ok")])

    with pytest.raises(LookupError, match="no platform tool call"):
        config()
