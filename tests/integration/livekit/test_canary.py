"""A secret never reaches the logs (any logger, DEBUG and below) or anything sent to the LLM.

Handlers that return their binding's secret (in JSON and in plain text) and one that
raises an exception holding it run through a real ``AgentSession``. Every log record of
every logger, LiveKit's included, is captured from level 1 up, with its extras and
exception text; every request the LLM received is serialised whole (chat items and
tool schemas).
"""

from __future__ import annotations

import logging

import pytest

from adapters.livekit.scripted_llm import Call, Say
from adapters.livekit.text_session import Transcript
from application.agents import AgentService
from application.bindings import BindingService
from application.tools import ToolService
from domain.secrets import REDACTED
from tests.builders import (
    CANARY,
    TRICKY_CANARY,
    assert_no_secret,
    data_of,
    error_of,
    function_doc,
    python_tool_document,
)
from tests.integration.livekit.conftest import Converse

LEAKY = ("return_secret", "return_secret_text", "raise_with_secret")
NO_PARAMETERS = {"type": "object", "properties": {}}
EVERYTHING = 1
"""Below DEBUG (10) and LiveKit's TRACE (5): every record any logger makes."""


@pytest.fixture(autouse=True)
async def catalog(tools: ToolService, agents: AgentService, bindings: BindingService) -> None:
    """Agents ``plain`` and ``tricky`` bound to ``leaky``, with the two canaries as token."""
    await tools.define(
        python_tool_document(
            "leaky",
            {name: name for name in LEAKY},
            functions=[function_doc(name, NO_PARAMETERS) for name in LEAKY],
            secret_names=["token"],
        )
    )
    for agent, secret in (("plain", CANARY), ("tricky", TRICKY_CANARY)):
        await agents.create(agent)
        await bindings.bind(agent, "leaky", secrets={"token": secret})


@pytest.fixture
def all_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Capture every record of every logger, whatever level a library set on its own."""
    caplog.set_level(EVERYTHING)
    for name, logger in list(logging.root.manager.loggerDict.items()):
        if isinstance(logger, logging.Logger):
            caplog.set_level(EVERYTHING, logger=name)
    return caplog


def rendered(records: list[logging.LogRecord]) -> str:
    """Each record as a handler would write it, plus all its attributes (extras included)."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return "\n".join(f"{formatter.format(r)} {r.__dict__!r}" for r in records)


def sent_to_the_llm(transcript: Transcript) -> str:
    """Every request the LLM received, whole, and the conversation as recorded."""
    parts = [request.serialised() for request in transcript.requests]
    parts += [repr(item) for request in transcript.requests for item in request.chat_context.items]
    parts += transcript.lines()
    return "\n".join(parts)


@pytest.mark.parametrize(("agent", "secret"), [("plain", CANARY), ("tricky", TRICKY_CANARY)])
async def test_the_canary_is_nowhere_in_the_logs_or_in_what_the_llm_receives(
    converse: Converse,
    all_logs: pytest.LogCaptureFixture,
    executed: list[str],
    agent: str,
    secret: str,
) -> None:
    transcript = await converse(agent, [[Call(name) for name in LEAKY], Say("Done.")])

    # the calls really ran and really produced the secret
    assert sorted(executed) == sorted(LEAKY)
    returned = transcript.received("call-1-1")
    as_text = transcript.received("call-1-2")
    raised = transcript.received("call-1-3")
    assert returned is not None
    assert as_text is not None
    assert raised is not None
    assert data_of(returned.output)["echoed"] == REDACTED
    assert data_of(as_text.output) == f"Authorization: Bearer {REDACTED}"
    assert raised.is_error
    assert error_of(raised.output) == "raise_with_secret failed with an internal error"
    # the capture saw LiveKit's own DEBUG records and the pipeline's lines
    records = all_logs.records
    assert any(r.name.startswith("livekit") and r.levelno <= logging.DEBUG for r in records)
    assert any("outcome=internal_error" in r.getMessage() for r in records)

    assert_no_secret(rendered(records), secret)
    assert_no_secret(sent_to_the_llm(transcript), secret)
