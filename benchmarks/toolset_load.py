"""Item 1, toolset load: 10, 100 and 500 bound functions, SQLite and PostgreSQL.

The catalog holds every BFCL definition (the first ``--catalog`` of them with
``--quick``). Each size is an agent bound to that many one-function tools. Three
variants run interleaved, each load on a connection from the pool:

- ``platform``: ``ToolsetLoader.load``, what a worker job does;
- ``seed``: the seed's approach, the bindings then one query per tool, each tool read
  from its row as the platform reads it;
- ``statement``: one SELECT of the agent with its enabled bindings and their tools,
  rows fetched and nothing read from them: the round trip a load cannot beat.

Each size is first measured with :func:`gc.freeze` called after the warm-up load, as
the worker does after its first job (``entrypoints/gc_freeze.py``), then ``platform``
and ``statement`` again, interleaved, without it: the p99 with and without.
"""

from __future__ import annotations

import gc
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqlalchemy.tables import agent_tools, agents, platform_tools
from adapters.storage_common.tool_rows import CONTENT_COLUMNS, read_stored_tool
from benchmarks.catalog import tool_documents
from benchmarks.environment import DatabaseFactory, open_platform, settings_for
from benchmarks.report import Report, Row, ms
from benchmarks.timing import Samples, interleaved
from domain.bindings import AgentToolBinding
from domain.schema.limits import SchemaLimits
from entrypoints.container import Container
from tests.integration.statements import count_statements

SIZES = (10, 100, 500)
SECTION = "toolset load"


@dataclass(frozen=True)
class LoadBench:
    """Sizes, rounds and catalog size of one run."""

    rounds: int
    catalog: int | None
    sizes: tuple[int, ...] = SIZES


async def populate(
    container: Container, catalog: int | None, sizes: tuple[int, ...]
) -> dict[int, str]:
    """Define the catalog and one agent per size; return size -> agent id.

    Tools the target model would reject are stored anyway and never bound, so each
    agent offers exactly its size in functions.
    """
    tools = container.tools()
    offerable: list[str] = []
    for document in tool_documents(catalog):
        outcome = await tools.define(document, allow_incompatible=True)
        if not outcome.incompatible:
            offerable.append(outcome.tool.name)
    if len(offerable) < max(sizes):
        raise RuntimeError(
            f"only {len(offerable)} offerable tools; the largest size is {max(sizes)}"
        )
    agent_ids = {}
    for size in sizes:
        agent = await container.agents().create(f"load-{size}")
        agent_ids[size] = agent.id
        async with container.unit_of_work()() as uow:
            for number, name in enumerate(offerable[:size]):
                await uow.bindings.add(_binding(agent.id, name, number))
            await uow.commit()
    return agent_ids


def _binding(agent_id: str, tool: str, number: int) -> AgentToolBinding:
    return AgentToolBinding(
        id=str(uuid.uuid4()),
        agent_id=agent_id,
        tool_name=tool,
        created_at=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=number),
    )


async def seed_load(engine: AsyncEngine, agent_id: str, limits: SchemaLimits) -> list[Any]:
    """The seed's load: the agent's bindings, then one query per tool."""
    async with engine.connect() as connection:
        bindings = (
            await connection.execute(
                sa.select(agent_tools).where(
                    agent_tools.c.agent_id == agent_id, agent_tools.c.is_enabled.is_(True)
                )
            )
        ).all()
        loaded = []
        for binding in bindings:
            row = (
                await connection.execute(
                    sa.select(platform_tools).where(platform_tools.c.id == binding.tool_id)
                )
            ).one()
            document = {column: row._mapping[column] for column in CONTENT_COLUMNS}
            loaded.append(read_stored_tool(document, limits))
        return loaded


async def one_statement(engine: AsyncEngine, agent_id: str) -> list[Any]:
    """The agent, its enabled bindings and their tools in one SELECT, rows only."""
    joined = agents.outerjoin(
        agent_tools,
        sa.and_(agent_tools.c.agent_id == agents.c.id, agent_tools.c.is_enabled.is_(True)),
    ).outerjoin(platform_tools, platform_tools.c.id == agent_tools.c.tool_id)
    query = sa.select(agents, agent_tools, platform_tools).select_from(joined)
    async with engine.connect() as connection:
        return list((await connection.execute(query.where(agents.c.id == agent_id))).all())


async def run(report: Report, backends: Mapping[str, DatabaseFactory], bench: LoadBench) -> None:
    """Measure every size on every backend and add the rows."""
    for backend, make_database in backends.items():
        async with open_platform(settings_for(make_database())) as container:
            agent_ids = await populate(container, bench.catalog, bench.sizes)
            p50 = {
                size: await _measure(
                    report, backend, container, size, agent_id, rounds=bench.rounds
                )
                for size, agent_id in agent_ids.items()
            }
            largest, smallest = max(p50), min(p50)
            report.add(
                Row(
                    SECTION,
                    f"{backend}: {largest} vs {smallest} functions, p50",
                    ms(p50[largest]),
                    f"{smallest} functions {ms(p50[smallest])}",
                    p50[largest] / p50[smallest],
                    10.0,
                )
            )


async def _measure(
    report: Report, backend: str, container: Container, size: int, agent_id: str, *, rounds: int
) -> float:
    """Time one size's three variants; add its rows; return the platform's p50."""
    engine: AsyncEngine = container.storage().engine  # type: ignore[attr-defined]
    loader = container.toolsets()
    limits = container.limits()
    loaded = await loader.load(agent_id)
    if len(loaded.functions) != size:
        raise RuntimeError(f"{size} functions bound, {len(loaded.functions)} loaded")
    variants = {
        "platform": partial(loader.load, agent_id),
        "seed": partial(seed_load, engine, agent_id, limits),
        "statement": partial(one_statement, engine, agent_id),
    }
    gc.freeze()  # after the warm-up load, as the worker after its first job
    try:
        samples = await interleaved(variants, rounds)
    finally:
        gc.unfreeze()
    unfrozen = await interleaved(
        {name: variants[name] for name in ("platform", "statement")}, rounds
    )
    with count_statements(engine) as log:
        await loader.load(agent_id)
    where = f"{backend}, {size} functions"
    _rows(report, where, backend == "postgresql" and size == 10, samples, len(log.selects))
    load = unfrozen["platform"]
    report.add(
        Row(
            SECTION,
            f"{where}: p99/p50 without gc.freeze",
            ms(load.p99),
            f"p50 {ms(load.p50)}",
            load.p99 / load.p50,
        )
    )
    return samples["platform"].p50


def _rows(
    report: Report,
    where: str,
    round_trip_target: bool,
    samples: dict[str, Samples],
    statements: int,
) -> None:
    load, seed, statement = samples["platform"], samples["seed"], samples["statement"]
    target = 1.5 if round_trip_target else None
    report.add(
        Row(
            SECTION,
            f"{where}: load p50",
            ms(load.p50),
            f"one statement {ms(statement.p50)}",
            load.p50 / statement.p50,
            target,
            load.p50,
        )
    )
    report.add(
        Row(
            SECTION,
            f"{where}: load p50 vs the seed's",
            ms(load.p50),
            f"seed {ms(seed.p50)}",
            load.p50 / seed.p50,
        )
    )
    report.add(
        Row(
            SECTION,
            f"{where}: p99/p50, gc frozen after warm-up",
            ms(load.p99),
            f"p50 {ms(load.p50)}",
            load.p99 / load.p50,
            1.5,
        )
    )
    report.add(
        Row(SECTION, f"{where}: SELECTs per load", str(statements), target=1, figure=statements)
    )
