"""The worker entrypoint, driven with LiveKit's fake job context and a scripted LLM.

A real ``AgentSession`` runs the agent's tools from a SQLite catalog; only the LLM is
scripted (put in through the container) and the job context is LiveKit's fake one.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from dependency_injector import providers
from livekit.agents import FunctionCallOutput, JobContext
from livekit.agents.testing import fake_job_context

from adapters.code_sync import sync_packages
from adapters.gemini import GeminiModelCompatibility
from adapters.livekit.runtime import LiveKitToolRuntime
from adapters.livekit.scripted_llm import Call, Say, ScriptedLLM
from application.ports import CompatibilityVerdict
from domain.agents import ModelSettings
from domain.call_status import CallStatus
from domain.schema.function_schema import FunctionSchema
from entrypoints.container import Container
from entrypoints.lifespan import lifespan
from entrypoints.models import gemini_realtime_model
from entrypoints.settings import PlatformSettings
from entrypoints.worker import JobRefused, agent_id_of, job_container, start_job
from tests.builders import CANARY, data_of, error_of, python_tool_document

KEY = "k1:" + base64.b64encode(bytes(range(32))).decode()


class RejectsShouting:
    """A target model that refuses functions named in capitals (a test adapter)."""

    @property
    def target(self) -> str:
        return "quiet-model"

    def check(self, function: FunctionSchema) -> CompatibilityVerdict:
        if function.name.isupper():
            return CompatibilityVerdict(False, ("no shouting",))
        return CompatibilityVerdict(True)


@pytest.fixture
def settings(tmp_path: Path) -> PlatformSettings:
    return PlatformSettings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'worker.db'}",
        secret_keys=KEY,
        handler_packages="tests.handlers,tests.code_tools",  # type: ignore[arg-type]
    )


def container_for(settings: PlatformSettings, script: list[Any] | None = None) -> Container:
    container = job_container(settings)
    container.compatibility.override(providers.Object(RejectsShouting()))
    if script is not None:
        scripted = ScriptedLLM(script, when_done="Done.")
        container.realtime_model.override(providers.Callable(lambda _model: scripted))
    return container


@pytest.fixture
async def agent_id(settings: PlatformSettings) -> AsyncIterator[str]:
    """Agent ``front-desk``: a synced code tool, a schema-defined tool, a refused one."""
    container = container_for(settings)
    async with lifespan(container):
        await container.storage().upgrade()
        await sync_packages(["tests.code_tools"], container.tools())
        await container.tools().define(python_tool_document("echoes", {"echo": "echo"}))
        await container.tools().define(
            python_tool_document("loud", {"SHOUT": "echo"}), allow_incompatible=True
        )
        agent = await container.agents().create("front-desk", instructions="Be brief.")
        for tool, secrets in (("notes", {"notes_token": CANARY}), ("echoes", {}), ("loud", {})):
            await container.bindings().bind(agent.id, tool, secrets=secrets)
        yield agent.id


async def test_a_job_serves_its_agent_with_code_and_schema_tools_through_a_real_session(
    settings: PlatformSettings, agent_id: str, caplog: pytest.LogCaptureFixture
) -> None:
    script = [
        Call("add_note", {"text": "call Ann back"}),
        Call("echo", {"text": ["not", "a", "string"]}),
        Call("echo", {"text": "still talking"}),
        Say("All done."),
    ]
    container = container_for(settings, script)
    caplog.set_level(logging.DEBUG)

    with fake_job_context(job_metadata=json.dumps({"agent_id": agent_id})) as ctx:
        started = await start_job(ctx, container)
        assert started is not None
        started.session.output.set_audio_enabled(False)
        result = await started.session.run(user_input="Take a note.")
        await started.session.aclose()
        await shut_down(ctx)

    received = [
        e.item for e in result.events if isinstance(getattr(e, "item", None), FunctionCallOutput)
    ]
    assert started.tools.function_names == ("add_note", "read_notebook", "count_words", "echo")
    assert [o.is_error for o in received] == [False, True, False]
    assert data_of(received[0].output)["notebook"] == "inbox"
    assert "text: must be a string" in received[1].output
    assert data_of(received[2].output)["arguments"] == {"text": "still talking"}
    assert [left.function for left in started.tools.left_out] == ["SHOUT"]
    assert "quiet-model would reject it" in started.tools.left_out[0].reason
    assert CANARY not in caplog.text


async def shut_down(ctx: JobContext) -> None:
    """Run the job's shutdown callbacks, as LiveKit does when a job ends."""
    for callback in ctx._shutdown_callbacks:
        await callback("test over")


async def test_the_job_closes_its_tool_session_http_pool_and_storage_when_it_ends(
    settings: PlatformSettings, agent_id: str
) -> None:
    container = container_for(settings, [Say("Hi.")])

    with fake_job_context(job_metadata=json.dumps({"agent_id": agent_id})) as ctx:
        started = await start_job(ctx, container)
        assert started is not None
        client = container.http_pool().client()
        await started.session.aclose()
        await shut_down(ctx)

    assert client.is_closed
    with pytest.raises(RuntimeError, match="not open"):
        container.storage().unit_of_work()
    late = await started.tools.call("echo", {"text": "late"}, call_id="after")
    assert (late.ok, late.status) == (False, CallStatus.REFUSED)
    assert error_of(late.output) == "the tool session has ended; 'echo' did not run"


@pytest.mark.parametrize(
    ("metadata", "reason"),
    [
        ("", "no agent id"),
        ("not json", "the dispatch metadata is not JSON"),
        (json.dumps({"agent_id": "nobody"}), "no agent has the id or name 'nobody'"),
        (json.dumps({"tenant": "x"}), "no agent id"),
    ],
)
async def test_a_job_without_a_known_agent_ends_with_its_reason(
    settings: PlatformSettings,
    agent_id: str,
    metadata: str,
    reason: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with fake_job_context(job_metadata=metadata) as ctx:
        started = await start_job(ctx, container_for(settings, [Say("unused")]))

    assert started is None
    [record] = [r for r in caplog.records if r.name == "entrypoints.worker"]
    assert record.levelno == logging.ERROR
    assert record.getMessage().startswith("job fake-job ended: ")
    assert reason in record.getMessage()


async def test_a_job_whose_storage_cannot_be_reached_ends_with_its_reason(
    settings: PlatformSettings, caplog: pytest.LogCaptureFixture
) -> None:
    unreachable = settings.model_copy(
        update={"database_url": "postgresql+asyncpg://nobody@127.0.0.1:9/none"}
    )

    with fake_job_context(job_metadata=json.dumps({"agent_id": "a"})) as ctx:
        started = await start_job(ctx, container_for(unreachable, [Say("unused")]))

    assert started is None
    assert "the database cannot be used" in caplog.text


def test_the_agent_id_comes_from_dispatch_metadata_first_then_room_metadata_if_allowed() -> None:
    assert agent_id_of(json.dumps({"agent_id": "a1"}), json.dumps({"agent_id": "r1"})) == "a1"
    assert agent_id_of("", json.dumps({"agent_id": "r1"})) == "r1"
    with pytest.raises(JobRefused):
        agent_id_of("", None)


async def test_the_gemini_connect_configuration_holds_the_compatible_tools_and_instructions(
    settings: PlatformSettings, agent_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOOGLE_API_KEY", "offline-test-key")
    container = container_for(settings)
    async with lifespan(container):
        toolset = await container.toolsets().load(agent_id)
        tools = await container.tool_sessions().open(toolset)
    model = gemini_realtime_model(ModelSettings(voice="Puck", temperature=0.4))
    session = model.session()
    try:
        await session.update_instructions(toolset.agent.instructions)
        await session.update_tools(LiveKitToolRuntime().tools_for(tools))
        config = session._build_connect_config()
    finally:
        await session.aclose()
        await tools.aclose()

    declared = [f.name for tool in config.tools or [] for f in tool.function_declarations or []]
    assert declared == ["add_note", "read_notebook", "count_words", "echo"]
    assert config.system_instruction.parts[0].text == "Be brief."
    assert config.generation_config.temperature == 0.4


def test_a_console_job_thread_can_build_the_model_and_check_gemini_compatibility(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Console mode runs jobs on threads; LiveKit registers plugins on the main thread only."""
    monkeypatch.setenv("GOOGLE_API_KEY", "offline-test-key")
    results: list[str] = []

    def job() -> None:
        model = gemini_realtime_model(ModelSettings())
        verdict = GeminiModelCompatibility().check(
            FunctionSchema.from_dict({"name": "ping", "parameters": {"type": "object"}})
        )
        results.extend([type(model).__name__, str(verdict.accepted)])

    thread = threading.Thread(target=job)
    thread.start()
    thread.join()

    assert results == ["RealtimeModel", "True"]
