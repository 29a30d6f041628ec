"""Item 2, per-call overhead through LiveKit's own dispatch.

LiveKit runs a tool call as ``prepare_function_arguments`` (parse, bind, inject the
``RunContext``) then ``await tool(*args, **kwargs)``: the benchmark calls exactly that
for three tools taking the same JSON arguments, interleaved:

- ``bare``: the handler itself, awaited directly (no LiveKit);
- ``raw``: a bare raw-schema LiveKit tool returning the same text;
- ``platform``: the platform's LiveKit tool for the same function (``LiveKitToolRuntime``
  over a ``ToolSession``: the call breaker, decode, validate against the stored schema,
  the de-duplication ledger, execute under a timeout, scrub, cap, write the result
  envelope whose ``data`` is the raw tool's text), its log line formatted and written
  (to ``/dev/null``) and its audit record queued to an ``AuditWriter`` over the
  container's call log (stored after the timing, and that timed apart).

The function is read-only (``side_effects: none``), the common case: every call runs,
and the breaker's count and the ledger's check still run on every call. Each timed batch
gets a fresh session (opened and closed outside the timing), so no session goes beyond
its ``max_calls_per_session``.

The figure is the platform's time minus the raw tool's: what the platform adds; also in
CPU time (``time.process_time``), which leaves out the time the process waited for a core
on a shared machine.

No ``from __future__ import annotations`` here: the raw tool's handler has real
annotations, as a bare LiveKit tool written today has.
"""

import json
import logging
import os
import time
from collections.abc import Awaitable, Callable
from typing import Any

from livekit.agents import AgentSession, RunContext, function_tool
from livekit.agents.llm import FunctionCall
from livekit.agents.llm.utils import prepare_function_arguments
from livekit.agents.voice.speech_handle import SpeechHandle

from application.audit_writer import AuditWriter
from application.tool_session import ToolSession
from benchmarks.environment import open_platform, settings_for
from benchmarks.handlers import greet
from benchmarks.report import Report, Row, us
from benchmarks.timing import seconds_per_call
from domain.injection import ConfigInjection
from domain.toolset import AgentToolset
from entrypoints.container import Container

SECTION = "per call"
MAX_CALLS = 10_000
"""The function's ``max_calls_per_session``: the most calls one timed batch makes."""
FUNCTION = "greet"
ARGUMENTS = json.dumps({"name": "Ada", "times": 2})
PARAMETERS = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "description": "Who to greet."},
        "times": {"type": "integer", "minimum": 1, "maximum": 5, "default": 1},
    },
    "required": ["name"],
}
DOCUMENT = {
    "name": "greeter",
    "description": "Greets people.",
    "kind": "python",
    "tool_functions_schema": {
        "functions": [{"name": FUNCTION, "description": "Greet someone.", "parameters": PARAMETERS}]
    },
    "run": {"handlers": {FUNCTION: "benchmarks.handlers:greet"}},
    "call_policy": {FUNCTION: {"side_effects": "none", "max_calls_per_session": MAX_CALLS}},
}


def run_context() -> RunContext[Any]:
    """A ``RunContext`` as LiveKit makes one for a call (no room: nothing is spoken)."""
    call = FunctionCall(call_id="call-1", name=FUNCTION, arguments=ARGUMENTS)
    return RunContext(
        session=AgentSession(), speech_handle=SpeechHandle.create(), function_call=call
    )


def raw_tool() -> Any:
    """A raw LiveKit tool doing what the handler does, and nothing else."""
    injection = ConfigInjection(
        agent_id="a", binding_id="b", tool_name="t", tool_version=1, config={}
    )

    async def greet_raw(raw_arguments: dict[str, Any], context: RunContext[Any]) -> str:
        return str(await greet(raw_arguments, injection))

    schema = {"name": FUNCTION, "description": "Greet someone.", "parameters": PARAMETERS}
    return function_tool(greet_raw, raw_schema=schema)


async def _best_of(
    container: Container, toolset: AgentToolset, loops: int, repeat: int
) -> dict[str, float]:
    """Each variant's best seconds per call over ``repeat`` batches of ``loops`` calls.

    Every platform batch runs in a session of its own, opened and closed untimed, whose
    calls queue their audit records to an ``AuditWriter`` of its own over the
    container's call log. The writer starts storing them when the batch's timing ends,
    as a worker's writer stores between calls, seconds apart; their storing is timed
    apart (``stored``, seconds per record), and every record must be stored.
    """
    context = run_context()
    injection = toolset.injection_for(toolset.functions[0])
    raw = dispatch(raw_tool(), context)
    expected = await raw()
    names = ("bare", "raw", "platform", "stored", "raw cpu", "platform cpu")
    best = {name: float("inf") for name in names}
    for _ in range(repeat):
        best["bare"] = min(
            best["bare"],
            await seconds_per_call(lambda: greet(json.loads(ARGUMENTS), injection), loops),
        )
        _keep_best(best, "raw", await _wall_and_cpu(raw, loops))
        writer = AuditWriter(container.call_log(), queue_size=loops + 1, flush_seconds=600)
        sessions = container.tool_sessions(recorders=[writer])
        async with await sessions.open(toolset) as session:
            platform = dispatch(_platform_tool(container, session), context)
            answer = json.loads(str(await platform()))
            if answer.get("status") != "ok" or answer.get("data") != expected:
                raise RuntimeError("the platform's tool answers differently from the raw one")
            _keep_best(best, "platform", await _wall_and_cpu(platform, loops))
        started = time.perf_counter()
        writer.start()
        await writer.aclose()
        best["stored"] = min(best["stored"], (time.perf_counter() - started) / (loops + 1))
        if writer.written != loops + 1:
            raise RuntimeError(f"{writer.written} of {loops + 1} audit records were stored")
    return best


async def _wall_and_cpu(
    operation: Callable[[], Awaitable[object]], loops: int
) -> tuple[float, float]:
    """Seconds per call of ``operation``: elapsed, and the process's CPU time.

    On a shared machine the CPU time leaves out the time the process waited for a core.
    """
    started = time.process_time()
    wall = await seconds_per_call(operation, loops)
    return wall, (time.process_time() - started) / loops


def _keep_best(best: dict[str, float], name: str, times: tuple[float, float]) -> None:
    best[name] = min(best[name], times[0])
    best[f"{name} cpu"] = min(best[f"{name} cpu"], times[1])


def _platform_tool(container: Container, session: ToolSession) -> Any:
    [tool] = container.livekit_runtime().tools_for(session)
    return tool


def dispatch(tool: Any, context: RunContext[Any]) -> Callable[[], Awaitable[object]]:
    """One call as LiveKit's tool executor makes it."""

    async def call() -> object:
        args, kwargs = prepare_function_arguments(
            fnc=tool, json_arguments=ARGUMENTS, call_ctx=context
        )
        return await tool(*args, **kwargs)

    return call


async def run(report: Report, database_url: str, loops: int, repeat: int) -> None:
    """Measure the three variants and add the rows."""
    if loops >= MAX_CALLS:
        raise ValueError(f"fewer than {MAX_CALLS} loops: a session's calls of the function")
    log = logging.getLogger("application.tool_session")
    sink = logging.StreamHandler(open(os.devnull, "w"))  # noqa: SIM115 - closed below
    sink.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    log.addHandler(sink)
    log.setLevel(logging.INFO)
    try:
        async with open_platform(settings_for(database_url)) as container:
            await container.tools().define(DOCUMENT)
            agent = await container.agents().create("caller")
            await container.bindings().bind(agent.id, "greeter")
            toolset = await container.toolsets().load(agent.id)
            best = await _best_of(container, toolset, loops, repeat)
    finally:
        log.removeHandler(sink)
        sink.close()
    added = best["platform"] - best["raw"]
    report.add(Row(SECTION, "bare function (no LiveKit)", us(best["bare"]), figure=best["bare"]))
    report.add(
        Row(
            SECTION,
            "raw LiveKit tool, LiveKit's dispatch",
            us(best["raw"]),
            f"bare {us(best['bare'])}",
            best["raw"] / best["bare"],
            figure=best["raw"],
        )
    )
    report.add(
        Row(
            SECTION,
            "platform tool, LiveKit's dispatch, log line, audit record queued",
            us(best["platform"]),
            f"raw {us(best['raw'])}",
            best["platform"] / best["raw"],
            figure=best["platform"],
        )
    )
    report.add(
        Row(
            SECTION,
            "added by the platform (us)",
            us(added),
            f"raw {us(best['raw'])}",
            target=30.0,
            figure=added * 1e6,
        )
    )
    added_cpu = best["platform cpu"] - best["raw cpu"]
    report.add(
        Row(
            SECTION,
            "added by the platform, CPU time (us)",
            us(added_cpu),
            f"raw {us(best['raw cpu'])}, platform {best['platform cpu'] / best['raw cpu']:.2f}x",
            target=30.0,
            figure=added_cpu * 1e6,
        )
    )
    report.add(
        Row(
            SECTION,
            "audit record stored afterwards, per record",
            us(best["stored"]),
            f"batches of {loops + 1}",
            figure=best["stored"],
        )
    )
