"""Each status of the result contract, as the model receives it through a real session.

``python`` and ``http`` tools run through a real LiveKit ``AgentSession`` with a scripted
LLM; the envelope each call's output carries is checked against the documented table
(docs/call-results.md).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

import pytest

from adapters.livekit.runtime import LiveKitToolRuntime
from adapters.livekit.scripted_llm import Call, ScriptedLLM
from adapters.livekit.text_session import run_text_session
from application.policies import HandlerPolicy
from entrypoints.container import Container
from tests.builders import envelope_of, function_doc, platform_container, python_tool_document
from tests.integration.http_tools.conftest import http_document, string_parameters
from tests.integration.http_tools.upstream import Reply, Upstream

RETRYABLE = {
    "ok": False,
    "no_results": False,
    "invalid_argument": True,
    "tool_error": False,
    "not_found": False,
    "unauthorized": False,
    "rate_limited": True,
    "unavailable": True,
    "timeout_outcome_unknown": False,
    "refused": False,
    "internal_error": False,
}
"""The documented table: whether calling again can help, per status."""

HANDLERS = "tests.handlers.status_tools"
NO_PARAMETERS = {"type": "object", "properties": {}}
FAILURES = [s for s in RETRYABLE if s not in {"ok", "no_results", "invalid_argument"}]


@pytest.fixture
async def container() -> AsyncIterator[Container]:
    """The platform on in-memory storage with agent ``desk``; python handlers allowed."""
    built = platform_container(HandlerPolicy(("tests.handlers",)), 0.3)
    await built.agents().create("desk")
    yield built
    await built.http_pool().aclose()


async def told(container: Container, calls: Sequence[Call]) -> dict[str, dict[str, Any]]:
    """Run ``calls`` (one per turn) through a session of ``desk``; the envelope per call id."""
    toolset = await container.toolsets().load("desk")
    scripted = ScriptedLLM(list(calls), when_done="Done.")
    async with await container.tool_sessions().open(toolset) as tools:
        transcript = await run_text_session(
            tools, LiveKitToolRuntime(), scripted, instructions="", turn_timeout_seconds=20
        )
    assert transcript.failures == ()
    received = {}
    for call in scripted.calls:
        output = transcript.received(call.call_id or "")
        assert output is not None, call
        envelope = envelope_of(output.output)
        assert output.is_error is (envelope["status"] not in {"ok", "no_results"})
        assert envelope["retryable"] is RETRYABLE[envelope["status"]], envelope
        assert ("data" in envelope) is not output.is_error
        received[call.call_id or ""] = envelope
    return received


async def test_python_tools_end_with_every_status_as_documented(container: Container) -> None:
    status_parameters = {
        "type": "object",
        "properties": {"status": {"type": "string", "enum": FAILURES}},
        "required": ["status"],
    }
    kind_parameters = {
        "type": "object",
        "properties": {"kind": {"type": "string", "enum": ["list", "object", "null", "text"]}},
        "required": ["kind"],
    }
    await container.tools().define(
        python_tool_document(
            "statuses",
            {
                "fail_with": f"{HANDLERS}:fail_with",
                "empty": f"{HANDLERS}:empty",
                "crash": f"{HANDLERS}:crash",
                "echo": "echo",
                "sleep_forever": "sleep_forever",
            },
            functions=[
                function_doc("fail_with", status_parameters),
                function_doc("empty", kind_parameters),
                function_doc("crash", NO_PARAMETERS),
                "echo",
                function_doc("sleep_forever", NO_PARAMETERS),
            ],
        )
    )
    await container.bindings().bind("desk", "statuses")
    calls = [
        Call("echo", {"text": "hi"}, call_id="ok"),
        *(Call("empty", {"kind": k}, call_id=f"empty-{k}") for k in ("list", "object", "null")),
        Call("fail_with", {"status": "not_a_status"}, call_id="invalid"),
        *(Call("fail_with", {"status": s}, call_id=s) for s in FAILURES),
        Call("crash", {}, call_id="crash"),
        Call("sleep_forever", {}, call_id="timeout"),
    ]

    envelopes = await told(container, calls)

    assert envelopes["ok"]["status"] == "ok"
    assert envelopes["ok"]["data"]["arguments"] == {"text": "hi"}
    for kind, empty in (("list", []), ("object", {}), ("null", None)):
        assert envelopes[f"empty-{kind}"] == {
            "status": "no_results",
            "retryable": False,
            "data": empty,
        }
    assert envelopes["invalid"]["status"] == "invalid_argument"
    assert envelopes["invalid"]["valid_options"] == {"status": FAILURES}
    for status in FAILURES:
        assert envelopes[status]["status"] == status
        assert envelopes[status]["error"].startswith(f"failed as {status}")
    assert envelopes["rate_limited"]["retry_hint"] == (
        "the service asks to wait 30 seconds before trying again"
    )
    assert envelopes["unavailable"]["retry_hint"] == envelopes["rate_limited"]["retry_hint"]
    assert envelopes["crash"] == {
        "status": "internal_error",
        "retryable": False,
        "error": "crash failed with an internal error",
    }
    assert envelopes["timeout"]["status"] == "timeout_outcome_unknown"
    for unknown in ("timeout", "timeout_outcome_unknown"):
        assert envelopes[unknown]["error"].endswith("Do not repeat it without asking the caller.")


async def test_http_tools_end_with_every_status_as_documented(
    container: Container, caplog: pytest.LogCaptureFixture
) -> None:
    async with Upstream() as upstream:
        base = upstream.base_url
        requests = {
            "found": {"url": f"{base}/found"},
            "empty": {"url": f"{base}/empty"},
            "missing": {"url": f"{base}/missing"},
            "denied": {"url": f"{base}/denied"},
            "forbidden": {"url": f"{base}/forbidden"},
            "limited": {"url": f"{base}/limited", "retries": 0},
            "failing": {"url": f"{base}/failing", "retries": 0},
            "refused_422": {"url": f"{base}/unprocessable"},
            "closed": {"url": "http://127.0.0.1:9/closed"},
            "private": {"url": "http://10.0.0.1/internal"},
            "hung": {"url": f"{base}/hung", "timeout_seconds": 0.3},
            "by_id": {"url": f"{base}/items/{{args.id}}"},
        }
        document = http_document({"url": base}, name="statuses")
        document["tool_functions_schema"]["functions"] = [
            function_doc(name, string_parameters("id") if name == "by_id" else NO_PARAMETERS)
            for name in requests
        ]
        document["run"]["requests"] = requests
        await container.tools().define(document)
        await container.bindings().bind("desk", "statuses")
        upstream.reply(
            Reply(body={"name": "Ana"}),
            Reply(body=[]),
            Reply(status=404, body={"error": "no such thing"}),
            Reply(status=401, body={"error": "bad key"}),
            Reply(status=403, body={"error": "not yours"}),
            Reply(status=429, headers={"Retry-After": "12"}),
            Reply(status=503, headers={"Retry-After": "5"}),
            Reply(status=422, body={"error": "bad id"}),
            Reply(body={"late": True}, delay=2),
        )
        calls = [Call(name, {}, call_id=name) for name in requests if name != "by_id"]
        calls.append(Call("by_id", {"id": ".."}, call_id="by_id"))

        envelopes = await told(container, calls)

    statuses = {call_id: envelope["status"] for call_id, envelope in envelopes.items()}
    assert statuses == {
        "found": "ok",
        "empty": "no_results",
        "missing": "not_found",
        "denied": "unauthorized",
        "forbidden": "unauthorized",
        "limited": "rate_limited",
        "failing": "unavailable",
        "refused_422": "tool_error",
        "closed": "unavailable",
        "private": "refused",
        "hung": "timeout_outcome_unknown",
        "by_id": "invalid_argument",
    }
    assert envelopes["found"]["data"] == {"name": "Ana"}
    told_operator = [r for r in caplog.records if "tool call unauthorized" in r.getMessage()]
    assert [r.levelname for r in told_operator] == ["WARNING", "WARNING"]  # 401 and 403
    assert "function=denied" in told_operator[0].getMessage()
    assert envelopes["limited"]["retry_hint"] == (
        "the service asks to wait 12 seconds before trying again"
    )
    assert envelopes["failing"]["retry_hint"] == (
        "the service asks to wait 5 seconds before trying again"
    )
    assert envelopes["private"]["error"] == "the tool's address is not allowed"
    assert "nothing was sent" in envelopes["by_id"]["error"]


async def test_valid_options_name_the_field_and_values_as_the_gemini_model_saw_them() -> None:
    container = platform_container(
        HandlerPolicy(("tests.handlers",)), 0.3, model_target="gemini-realtime"
    )
    await container.agents().create("desk")
    parameters = {
        "type": "object",
        "properties": {
            "size": {"type": "integer", "enum": [1, 2, 3]},  # offered as the strings "1".."3"
            "my-field": {"type": "string", "enum": ["a", "b"]},  # offered as my_field
        },
        "required": ["size"],
    }
    await container.tools().define(
        python_tool_document(
            "picker", {"pick": "echo"}, functions=[function_doc("pick", parameters)]
        )
    )
    await container.bindings().bind("desk", "picker")
    try:
        envelopes = await told(
            container, [Call("pick", {"size": "7", "my_field": "c"}, call_id="wrong")]
        )
    finally:
        await container.http_pool().aclose()

    assert envelopes["wrong"]["status"] == "invalid_argument"
    assert envelopes["wrong"]["valid_options"] == {"size": ["1", "2", "3"], "my_field": ["a", "b"]}
