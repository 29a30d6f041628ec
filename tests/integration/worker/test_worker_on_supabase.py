"""The worker, unchanged, on ``TOOL_PLATFORM_STORAGE=supabase``.

A job loads its agent's toolset from the Supabase storage (through the PostgREST
stand-in, on a real PostgreSQL database with the Supabase migrations) and serves it in
a real ``AgentSession`` with a scripted LLM.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator

import pytest
from livekit.agents import FunctionCallOutput
from livekit.agents.testing import fake_job_context

from adapters.code_sync import sync_packages
from adapters.livekit.scripted_llm import Call, Say
from entrypoints.lifespan import lifespan
from entrypoints.settings import PlatformSettings
from entrypoints.worker import start_job
from tests.builders import CANARY, data_of, python_tool_document
from tests.integration.storage.conftest import supabase_storage
from tests.integration.storage.postgrest_standin import (
    BASE_URL,
    SERVICE_ROLE_KEY,
    PostgrestStandIn,
)
from tests.integration.worker.test_worker import KEY, container_for, shut_down


@pytest.fixture
async def standin(fresh_postgres_url: str) -> AsyncIterator[PostgrestStandIn]:
    """The stand-in, answering every RPC call for the test's duration."""
    async with supabase_storage(fresh_postgres_url) as (_, standin):
        yield standin


@pytest.fixture
def settings(standin: PostgrestStandIn) -> PlatformSettings:
    return PlatformSettings(
        storage="supabase",
        secret_keys=KEY,  # type: ignore[arg-type]
        handler_packages="tests.handlers,tests.code_tools",  # type: ignore[arg-type]
        **{"SUPABASE_URL": BASE_URL, "SUPABASE_SERVICE_ROLE_KEY": SERVICE_ROLE_KEY},  # type: ignore[arg-type]
    )


async def test_a_job_serves_its_agent_from_supabase_through_a_real_session(
    settings: PlatformSettings, standin: PostgrestStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    setup = container_for(settings)
    async with lifespan(setup):
        await sync_packages(["tests.code_tools"], setup.tools())
        await setup.tools().define(python_tool_document("echoes", {"echo": "echo"}))
        agent = await setup.agents().create("front-desk", instructions="Be brief.")
        await setup.bindings().bind(agent.id, "notes", secrets={"notes_token": CANARY})
        await setup.bindings().bind(agent.id, "echoes")
    container = container_for(settings, [Call("echo", {"text": "hi"}), Say("Done.")])
    caplog.set_level(logging.DEBUG)
    standin.requests.clear()

    with fake_job_context(job_metadata=json.dumps({"agent_id": agent.id})) as ctx:
        started = await start_job(ctx, container)
        assert started is not None
        started.session.output.set_audio_enabled(False)
        result = await started.session.run(user_input="Echo.")
        await started.session.aclose()
        await shut_down(ctx)

    received = [
        e.item for e in result.events if isinstance(getattr(e, "item", None), FunctionCallOutput)
    ]
    queries = [json.loads(request.content).get("query") for request in standin.requests]
    assert started.tools.function_names == ("add_note", "read_notebook", "count_words", "echo")
    assert data_of(received[0].output)["arguments"] == {"text": "hi"}
    assert queries.count("toolset") == 1
    assert CANARY not in caplog.text
    assert SERVICE_ROLE_KEY not in caplog.text
