"""A worker job's calls are recorded under the job's id, stored by the job's shutdown.

Driven like ``test_worker.py``: LiveKit's fake job context, a real ``AgentSession``, a
scripted LLM, a SQLite catalog; the job's call audit then reads what the job wrote.
"""

from __future__ import annotations

import json
from datetime import timedelta

from livekit.agents.testing import fake_job_context

from adapters.livekit.scripted_llm import Call, Say
from application.call_audit import DailyPrune
from application.clock import utc_now
from application.ports import CallQuery
from domain.call_records import CallRecord
from domain.call_status import CallStatus
from entrypoints.lifespan import lifespan
from entrypoints.settings import PlatformSettings
from entrypoints.worker import start_job
from tests.builders import CANARY
from tests.integration.worker.test_worker import (  # noqa: F401 - fixtures
    agent_id,
    container_for,
    settings,
    shut_down,
)


async def test_a_jobs_calls_are_recorded_with_its_id_and_stored_at_shutdown(
    settings: PlatformSettings,  # noqa: F811 - the fixture
    agent_id: str,  # noqa: F811 - the fixture
) -> None:
    script = [
        Call("add_note", {"text": "call Ann back"}),
        Call("echo", {"text": ["not", "a", "string"]}),
        Say("Done."),
    ]
    container = container_for(settings, script)
    with fake_job_context(job_metadata=json.dumps({"agent_id": agent_id})) as ctx:
        started = await start_job(ctx, container)
        assert started is not None
        started.session.output.set_audio_enabled(False)
        await started.session.run(user_input="Take a note.")
        await started.session.aclose()
        await shut_down(ctx)

    reader = container_for(settings)
    async with lifespan(reader):
        records = await reader.call_audit().list(agent=agent_id)

    assert sorted((r.function, r.outcome) for r in records) == [
        ("add_note", CallStatus.OK),
        ("echo", CallStatus.INVALID_ARGUMENT),
    ]
    assert {r.session_id for r in records} == {ctx.job.id}
    assert CANARY not in json.dumps([vars(r) for r in records], default=str)


def old_record(record_id: str, age: timedelta) -> CallRecord:
    return CallRecord(
        id=record_id,
        started_at=utc_now() - age,
        agent_id="agent-x",
        session_id="old-job",
        llm_call_id="c",
        function="f",
        duration_ms=1.0,
        outcome=CallStatus.OK,
    )


async def run_job(job_settings: PlatformSettings, agent: str, retention: DailyPrune) -> None:
    container = container_for(job_settings, [Say("Hi.")])
    with fake_job_context(job_metadata=json.dumps({"agent_id": agent})) as ctx:
        started = await start_job(ctx, container, retention)
        assert started is not None
        await started.session.aclose()
        await shut_down(ctx)


async def stored_ids(job_settings: PlatformSettings) -> set[str]:
    reader = container_for(job_settings)
    async with lifespan(reader):
        return {r.id for r in await reader.call_log().find(CallQuery(limit=100))}


async def test_the_worker_prunes_past_the_retention_once_a_day(
    settings: PlatformSettings,  # noqa: F811 - the fixture
    agent_id: str,  # noqa: F811 - the fixture
) -> None:
    seeder = container_for(settings)
    async with lifespan(seeder):
        await seeder.call_log().append(
            [old_record("old", timedelta(days=31)), old_record("recent", timedelta(days=29))]
        )
    retention = DailyPrune()

    await run_job(settings, agent_id, retention)
    after_first_job = await stored_ids(settings)
    async with lifespan(seeder):
        await seeder.call_log().append([old_record("old-too", timedelta(days=40))])
    await run_job(settings, agent_id, retention)  # the same day: no prune

    assert after_first_job == {"recent"}
    assert await stored_ids(settings) == {"recent", "old-too"}
