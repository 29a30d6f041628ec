"""A span per call, under LiveKit's ``function_tool`` span, with no payload unless ``full``.

A real LiveKit ``AgentSession`` (text mode, scripted LLM) calls a python test tool whose
binding holds the canary; spans go to an in-memory exporter, through the same
``OtelTracing`` the container builds from ``OTEL_*`` variables.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from dependency_injector import providers
from livekit.agents.telemetry.traces import tracer as livekit_tracer
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import get_tracer_provider

from adapters.livekit.text_session import call_once
from adapters.telemetry.exporter_choice import OTLP_ENDPOINTS, TracingMisconfigured
from adapters.telemetry.tracing import OtelTracing
from domain.agents import AuditPayloads
from entrypoints.lifespan import lifespan, trace_livekit_for
from tests.builders import CANARY, platform_container, python_tool_document
from tests.unit.application.conftest import TEST_HANDLERS

PRIVATE = "caller-said-4111-1111"
"""An argument value: personal data that must stay out of spans unless ``full``."""


@pytest.fixture
def exporter() -> InMemorySpanExporter:
    return InMemorySpanExporter()


async def traced_call(exporter: InMemorySpanExporter, mode: AuditPayloads) -> list[ReadableSpan]:
    container = platform_container(TEST_HANDLERS, 5.0)
    container.tracing.override(providers.Object(OtelTracing(exporter, batch=False)))
    async with lifespan(container):
        await container.tools().define(
            python_tool_document("echoes", {"echo": "echo"}, secret_names=["token"])
        )
        await container.agents().create("desk", audit_payloads=mode)
        await container.bindings().bind("desk", "echoes", secrets={"token": CANARY})
        toolset = await container.toolsets().load("desk")
        trace_livekit_for(container, toolset.agent)
        async with await container.tool_sessions().open(toolset) as session:
            outcome = await call_once(
                session, container.livekit_runtime(), "echo", json.dumps({"text": PRIVATE})
            )
    assert outcome.ok
    assert livekit_tracer._tracer_provider is get_tracer_provider()  # given back at the end
    return list(exporter.get_finished_spans())


def attributes_text(spans: list[ReadableSpan]) -> str:
    return json.dumps([dict(span.attributes or {}) for span in spans], default=str)


async def test_each_call_is_a_span_under_livekits_function_tool_span_without_payloads(
    exporter: InMemorySpanExporter,
) -> None:
    spans = await traced_call(exporter, AuditPayloads.NONE)

    [call] = [span for span in spans if span.name == "tool_platform.call"]
    [tool_span] = [span for span in spans if span.name == "function_tool"]
    attributes: dict[str, Any] = dict(call.attributes or {})
    assert call.parent is not None
    assert call.parent.span_id == tool_span.context.span_id
    assert call.context.trace_id == tool_span.context.trace_id
    assert attributes["tool_platform.tool"] == "echoes"
    assert attributes["tool_platform.tool_version"] == 1
    assert attributes["tool_platform.function"] == "echo"
    assert attributes["tool_platform.outcome"] == "ok"
    assert attributes["tool_platform.llm_call_id"] == "call-once"
    assert attributes["tool_platform.handler"] == "tests.handlers.echo_tools:echo"
    assert attributes["tool_platform.payloads"] == "none"
    assert "tool_platform.arguments" not in attributes
    assert call.end_time is not None
    assert call.start_time is not None
    assert call.end_time >= call.start_time
    text = attributes_text(spans)
    assert PRIVATE not in text  # not ours, not LiveKit's (allow_pii=False)
    assert CANARY not in text


async def test_a_full_agent_gets_argument_values_in_spans_but_never_a_secret(
    exporter: InMemorySpanExporter,
) -> None:
    spans = await traced_call(exporter, AuditPayloads.FULL)

    [call] = [span for span in spans if span.name == "tool_platform.call"]
    assert json.loads(str((call.attributes or {})["tool_platform.arguments"])) == {"text": PRIVATE}
    assert CANARY not in attributes_text(spans)


def test_no_exporter_configured_means_no_tracing_at_all(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OTEL_TRACES_EXPORTER", *OTLP_ENDPOINTS):
        monkeypatch.delenv(name, raising=False)

    assert platform_container(TEST_HANDLERS, 5.0).tracing() is None
    assert OtelTracing.from_environment({}) is None
    assert OtelTracing.from_environment({"OTEL_TRACES_EXPORTER": "none"}) is None
    assert (
        OtelTracing.from_environment(
            {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_SDK_DISABLED": "true"}
        )
        is None
    )


def test_otel_variables_choose_the_exporter() -> None:
    console = OtelTracing.from_environment({"OTEL_TRACES_EXPORTER": "console"})
    otlp = OtelTracing.from_environment({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"})
    grpc = OtelTracing.from_environment(
        {"OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"}
    )

    for tracing in (console, otlp, grpc):
        assert tracing is not None
        tracing.shutdown()
    with pytest.raises(TracingMisconfigured, match="use otlp, console or none"):
        OtelTracing.from_environment({"OTEL_TRACES_EXPORTER": "zipkin"})
    with pytest.raises(TracingMisconfigured, match="use http/protobuf or grpc"):
        OtelTracing.from_environment(
            {"OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_PROTOCOL": "carrier-pigeon"}
        )
