"""OpenTelemetry: a span per tool call, and LiveKit's tracer provider, when configured."""
