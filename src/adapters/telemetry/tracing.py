"""``OtelTracing``: spans of tool calls, exported only when ``OTEL_*`` variables say where.

With no exporter configured (:meth:`OtelTracing.from_environment` returns None) nothing
is built: no provider, no span, no cost. With one, each lifespan (a command, the demo,
a worker job) gets a tracer provider that exports through it; LiveKit's own spans use
the same provider, installed through ``livekit.agents.telemetry.set_tracer_provider``
with ``allow_pii`` true only for an agent whose ``audit_payloads`` is ``full`` (LiveKit
records tool argument and output values otherwise). Each call becomes one span,
``tool_platform.call``, a child of the span current when the call ran: LiveKit's
``function_tool`` span in a session.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
    SpanExporter,
)
from opentelemetry.trace import Status, StatusCode, Tracer, get_tracer_provider
from opentelemetry.util.types import AttributeValue

from adapters.telemetry.exporter_choice import PROTOCOLS, TracingMisconfigured, exporter_named
from application.ports.call_log import CallRecorder
from domain.agents import AuditPayloads
from domain.call_records import CallRecord

SPAN_NAME = "tool_platform.call"
PREFIX = "tool_platform."


class OtelTracing:
    """A tracer provider over one exporter, for one lifespan.

    Args:
        exporter: Where spans go.
        batch: Export in a background batch (True) or as each span ends (tests).
    """

    def __init__(self, exporter: SpanExporter, *, batch: bool = True) -> None:
        processor = BatchSpanProcessor(exporter) if batch else SimpleSpanProcessor(exporter)
        self._provider = TracerProvider()
        self._provider.add_span_processor(processor)
        self._tracer = self._provider.get_tracer("tool_platform")
        self._livekit_installed = False

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> OtelTracing | None:
        """The tracing the standard ``OTEL_*`` variables configure, or None for none.

        ``OTEL_SDK_DISABLED=true`` or ``OTEL_TRACES_EXPORTER=none`` turn it off;
        ``OTEL_TRACES_EXPORTER=console`` prints spans; ``otlp`` (or an
        ``OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT`` with no exporter named) sends them over
        OTLP, ``http/protobuf`` or ``grpc`` as ``OTEL_EXPORTER_OTLP_[TRACES_]PROTOCOL``
        says; the exporter reads its other ``OTEL_*`` variables itself.

        Raises:
            TracingMisconfigured: When an exporter or protocol is named that is none of those.
        """
        named = exporter_named(environ)
        if named is None:
            return None
        if named == "console":
            return cls(ConsoleSpanExporter())
        protocol = next((environ[name] for name in PROTOCOLS if environ.get(name)), "")
        return cls(_otlp_exporter(protocol.strip().lower() or "http/protobuf"))

    def recorder(self) -> CallRecorder:
        """The recorder that turns each call record into a span."""
        return CallTracer(self._tracer)

    def install_for_livekit(self, payloads: AuditPayloads) -> None:
        """Make LiveKit's own spans use this provider, their payloads as the agent allows.

        LiveKit installs its PII filter once per provider: the first agent's setting
        holds for the lifespan (a worker job serves one agent).
        """
        from livekit.agents.telemetry import set_tracer_provider  # noqa: PLC0415 - LiveKit loads here

        if not self._livekit_installed:
            set_tracer_provider(self._provider, allow_pii=payloads is AuditPayloads.FULL)
            self._livekit_installed = True

    def shutdown(self) -> None:
        """Export what is pending and stop the exporter; LiveKit goes back to the global one.

        LiveKit's tracer is process-wide: left on a provider that has shut down, the
        next job's LiveKit spans would go nowhere until it installs its own.
        """
        if self._livekit_installed:
            from livekit.agents.telemetry import set_tracer_provider  # noqa: PLC0415

            set_tracer_provider(get_tracer_provider())
            self._livekit_installed = False
        self._provider.shutdown()


class CallTracer(CallRecorder):
    """Turns each call record into a ``tool_platform.call`` span, under the current span.

    Args:
        tracer: The provider's tracer.
    """

    def __init__(self, tracer: Tracer) -> None:
        self._tracer = tracer

    def record(self, record: CallRecord) -> None:
        """Emit the call's span: started and ended when the call did."""
        start = int(record.started_at.timestamp() * 1e9)
        end = start + int(record.duration_ms * 1_000_000)
        span = self._tracer.start_span(
            SPAN_NAME, start_time=start, attributes=span_attributes(record)
        )
        if record.failed:
            span.set_status(Status(StatusCode.ERROR, str(record.outcome)))
        span.end(end_time=end)


def span_attributes(record: CallRecord) -> dict[str, AttributeValue]:
    """A call's span attributes: the record's fields, values only when ``full``.

    The record is already masked; argument, result and request body values (and the
    error text, which can quote an argument) are added only for a ``full`` agent.
    """
    # The span has its own id and times; the error text is added below for `full` only.
    left_out = ("id", "started_at", "error")
    attributes: dict[str, AttributeValue | None] = {
        key: value for key, value in record.summary().items() if key not in left_out
    }
    details = record.details
    request = details.get("request")
    if isinstance(request, dict):
        attributes["request.method"] = request.get("method")
        attributes["request.url"] = request.get("url")
        attributes["request.header_names"] = list(request.get("header_names") or [])
    for name in ("handler", "status_code", "response_bytes", "server", "remote_tool"):
        attributes[name] = details.get(name)
    if record.payloads is AuditPayloads.FULL:
        attributes["error"] = record.error
        attributes["arguments"] = _json(record.arguments)
        attributes["result"] = None if record.result is None else _json(record.result)
        if isinstance(request, dict) and request.get("body") is not None:
            attributes["request.body"] = _json(request["body"])
    return {PREFIX + key: value for key, value in attributes.items() if value is not None}


def _json(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _otlp_exporter(protocol: str) -> SpanExporter:
    if protocol == "grpc":
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import (  # noqa: PLC0415
            OTLPSpanExporter as GrpcExporter,
        )

        return GrpcExporter()
    if protocol != "http/protobuf":
        raise TracingMisconfigured(
            f"OTEL_EXPORTER_OTLP_PROTOCOL={protocol[:40]!r}: use http/protobuf or grpc"
        )
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import (  # noqa: PLC0415
        OTLPSpanExporter as HttpExporter,
    )

    return HttpExporter()
