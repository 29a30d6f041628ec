"""Which span exporter the standard ``OTEL_*`` variables name, read without OpenTelemetry.

Deciding that tracing is off costs no import: OpenTelemetry's SDK loads only when an
exporter is named (:meth:`adapters.telemetry.tracing.OtelTracing.from_environment`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

OTLP_ENDPOINTS = ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")
PROTOCOLS = ("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL")


class TracingMisconfigured(ValueError):
    """An ``OTEL_*`` variable names an exporter or protocol this platform cannot use."""


def exporter_named(environ: Mapping[str, str]) -> Literal["console", "otlp"] | None:
    """The exporter the variables name, or None when tracing is off.

    ``OTEL_SDK_DISABLED=true`` or ``OTEL_TRACES_EXPORTER=none`` turn it off;
    ``OTEL_TRACES_EXPORTER`` names ``console`` or ``otlp``; with none named, an
    ``OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT`` means ``otlp``.

    Raises:
        TracingMisconfigured: When an exporter is named that is none of those.
    """
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return None
    named = environ.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    if not named:
        named = "otlp" if any(environ.get(name) for name in OTLP_ENDPOINTS) else "none"
    if named == "none":
        return None
    if named == "console":
        return "console"
    if named != "otlp":
        raise TracingMisconfigured(
            f"OTEL_TRACES_EXPORTER={named[:40]!r}: use otlp, console or none"
        )
    return "otlp"
