"""Races against the storage, counted by outcome: what callers see when many write at once.

Each race returns a :class:`Counter` of outcomes: ``ok``, ``refused: <Error>`` (a
refusal a caller is meant to see, such as "already exists"), ``busy: <message>``
(locked, busy, too many writers: what no caller may see) or ``crashed: <Error>``.
``tests/integration/storage/test_races.py`` runs them at CI size and
``scripts/storage_races.py`` at full size, printing the counts.

SQLite races run in separate processes (forked after the set-up, released together by
a barrier), as separate CLI invocations or workers would; PostgreSQL races run as
tasks of one process over one pool, as the Python API would.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import re
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from adapters.memory.compatibility import InMemoryModelCompatibility
from adapters.secrets.aes_gcm import AesGcmSecretCipher
from adapters.sqlalchemy.storage import SqlAlchemyStorage
from application.agents import AgentService
from application.bindings import BindingService
from application.policies import HandlerPolicy
from application.tools import ToolService
from domain.errors import DomainError
from domain.schema.limits import SchemaLimits
from tests.builders import http_tool_document

KEYS = "race:" + "B" * 43 + "="
_BUSY = re.compile(r"locked|busy|too many writers", re.I)

Work = Callable[[SqlAlchemyStorage, int], Awaitable[object]]
"""One caller's work: the storage and the caller's index."""


def outcome(error: BaseException | None) -> str:
    """Classify what one caller saw."""
    if error is None:
        return "ok"
    if _BUSY.search(str(error)):
        return f"busy: {str(error)[:120]}"
    kind = "refused" if isinstance(error, DomainError) else "crashed"
    return f"{kind}: {type(error).__name__}"


def storage_on(url: str) -> SqlAlchemyStorage:
    """A storage on ``url`` under the races' key."""
    return SqlAlchemyStorage(url, AesGcmSecretCipher.parse(KEYS, "the race key"), SchemaLimits())


async def _within(url: str, work: Callable[[SqlAlchemyStorage], Awaitable[Any]]) -> Any:
    storage = storage_on(url)
    await storage.open()
    try:
        return await work(storage)
    finally:
        await storage.close()


def tools(storage: SqlAlchemyStorage) -> ToolService:
    """The tool use cases over ``storage``."""
    return ToolService(storage.unit_of_work, InMemoryModelCompatibility(), HandlerPolicy())


async def _attempt(work: Work, storage: SqlAlchemyStorage, index: int) -> str:
    try:
        await work(storage, index)
    except Exception as error:
        return outcome(error)
    return outcome(None)


def _child(url: str, work: Work, index: int, start: Any, results: Any) -> None:
    start.wait()
    results.put(asyncio.run(_within(url, lambda storage: _attempt(work, storage, index))))


def in_processes(url: str, work: Work, count: int) -> Counter[str]:
    """Run ``work`` in ``count`` processes released at once; count what each saw."""
    context = multiprocessing.get_context("fork")
    start = context.Barrier(count)
    results = context.Queue()
    processes = [
        context.Process(target=_child, args=(url, work, index, start, results))
        for index in range(count)
    ]
    for process in processes:
        process.start()
    seen = Counter(results.get(timeout=120) for _ in processes)
    for process in processes:
        process.join(timeout=30)
    return seen


def in_tasks(url: str, work: Work, count: int) -> Counter[str]:
    """Run ``work`` as ``count`` tasks of one process over one storage; count outcomes."""

    async def race(storage: SqlAlchemyStorage) -> Counter[str]:
        return Counter(
            await asyncio.gather(*(_attempt(work, storage, index) for index in range(count)))
        )

    return asyncio.run(_within(url, race))  # type: ignore[no-any-return]


# ------------------------------------------------------------------ the races


@dataclass(frozen=True)
class Race:
    """Many callers doing one kind of work at once.

    Attributes:
        name: What the callers do, in words.
        set_up: Prepares the database for ``size`` callers.
        work: One caller's work.
        stored: Reads what the race left behind (compared with :attr:`expected`).
        expected: What should be stored after ``size`` callers.
    """

    name: str
    set_up: Callable[[SqlAlchemyStorage, int], Awaitable[object]]
    work: Work
    stored: Callable[[SqlAlchemyStorage], Awaitable[object]]
    expected: Callable[[int], object]

    def run(self, url: str, size: int, *, processes: bool) -> tuple[Counter[str], object]:
        """Migrate ``url``, set up, race ``size`` callers; return outcomes and what is stored."""

        async def set_up(storage: SqlAlchemyStorage) -> None:
            await storage.upgrade()
            await self.set_up(storage, size)

        asyncio.run(_within(url, set_up))
        race = in_processes if processes else in_tasks
        seen = race(url, self.work, size)
        return seen, asyncio.run(_within(url, self.stored))


async def _nothing(storage: SqlAlchemyStorage, size: int) -> None:
    """No set-up."""


async def _create_racer(storage: SqlAlchemyStorage, index: int) -> object:
    return await AgentService(storage.unit_of_work).create("racer")


async def _agent_names(storage: SqlAlchemyStorage) -> list[str]:
    return [agent.name for agent in await AgentService(storage.unit_of_work).list_all()]


CREATE_ONE_NAME = Race(
    "agents create of one name",
    _nothing,
    _create_racer,
    _agent_names,
    lambda size: ["racer"],
)


async def _agents_and_target(storage: SqlAlchemyStorage, size: int) -> None:
    await tools(storage).define(http_tool_document("target", ["aim"]))
    for index in range(size):
        await AgentService(storage.unit_of_work).create(f"agent-{index}")


async def _bind_or_delete(storage: SqlAlchemyStorage, index: int) -> object:
    if index % 10 == 9:
        return await tools(storage).delete("target")
    return await BindingService(storage.unit_of_work).bind(f"agent-{index}", "target")


async def _target_and_its_bindings(storage: SqlAlchemyStorage) -> str:
    async with storage.unit_of_work() as uow:
        kept = await uow.tools.latest("target") is not None
        bindings = len(await _all_bindings(uow))
    if kept or bindings == 0:
        return "every binding has its tool"
    return f"{bindings} bindings without their tool"


async def _all_bindings(uow: Any) -> list[object]:
    agents = await uow.agents.list_all()
    return [binding for agent in agents for binding in await uow.bindings.for_agent(agent.id)]


BIND_OR_DELETE = Race(
    "binds of one tool while every tenth caller deletes it",
    _agents_and_target,
    _bind_or_delete,
    _target_and_its_bindings,
    lambda size: "every binding has its tool",
)


async def _agents_and_three_tools(storage: SqlAlchemyStorage, size: int) -> None:
    for tool in range(3):
        await tools(storage).define(http_tool_document(f"t{tool}", [f"f{tool}"]))
    for index in range((size + 2) // 3):
        await AgentService(storage.unit_of_work).create(f"agent-{index}")


async def _bind_agents(storage: SqlAlchemyStorage, index: int) -> object:
    binding = BindingService(storage.unit_of_work)
    return await binding.bind(f"agent-{index // 3}", f"t{index % 3}")


async def _binding_count(storage: SqlAlchemyStorage) -> int:
    async with storage.unit_of_work() as uow:
        return len(await _all_bindings(uow))


BIND_AGENTS = Race(
    "binds of agents to three tools each",
    _agents_and_three_tools,
    _bind_agents,
    _binding_count,
    lambda size: size,
)


async def _define_distinct(storage: SqlAlchemyStorage, index: int) -> object:
    document = http_tool_document("racer", description=f"content {index}")
    return await tools(storage).define(document)


async def _versions_of_racer(storage: SqlAlchemyStorage) -> list[int]:
    return [tool.version for tool in await tools(storage).versions("racer")]


DEFINE_DISTINCT = Race(
    "definitions of one tool with distinct contents",
    _nothing,
    _define_distinct,
    _versions_of_racer,
    lambda size: list(range(1, size + 1)),
)
