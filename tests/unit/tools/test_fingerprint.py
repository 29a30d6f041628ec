"""Fingerprints stay stable when a run spec gains an optional field with a default."""

from __future__ import annotations

import dataclasses

from pydantic import create_model

from domain.tools.run_specs import HttpRequestTemplate, HttpRunSpec, PythonRunSpec
from tests.builders import http_tool_document, python_tool_document, tool_definition


def with_new_field(run: HttpRunSpec, **cache_seconds: int) -> HttpRunSpec:
    """``run`` as a later code version would read it: each request gained ``cache_seconds = 0``."""
    template = create_model(
        "HttpRequestTemplateNext", __base__=HttpRequestTemplate, cache_seconds=(int, 0)
    )
    spec = create_model(
        "HttpRunSpecNext", __base__=HttpRunSpec, requests=(dict[str, template], ...)
    )
    requests = {
        name: {
            **request.model_dump(),
            **({"cache_seconds": cache_seconds[name]} if name in cache_seconds else {}),
        }
        for name, request in run.requests.items()
    }
    return spec.model_validate({"requests": requests})  # type: ignore[no-any-return]


def test_a_new_optional_field_at_its_default_leaves_the_fingerprint_as_it_was() -> None:
    tool = tool_definition(http_tool_document("weather", ["get_forecast", "get_alerts"]))
    assert isinstance(tool.run, HttpRunSpec)
    later = dataclasses.replace(tool, run=with_new_field(tool.run))

    assert "cache_seconds" in later.to_document()["run"]["requests"]["get_forecast"]
    assert later.fingerprint == tool.fingerprint


def test_the_new_field_set_to_another_value_changes_the_fingerprint() -> None:
    tool = tool_definition(http_tool_document("weather", ["get_forecast", "get_alerts"]))
    assert isinstance(tool.run, HttpRunSpec)
    later = dataclasses.replace(tool, run=with_new_field(tool.run, get_alerts=3))

    assert later.fingerprint != tool.fingerprint


def test_spelling_a_default_out_means_the_same_as_leaving_it_out() -> None:
    implicit = python_tool_document("echo", {"echo": "echo"})
    explicit = {**implicit, "run": {**implicit["run"], "style": "handler", "timeout_seconds": None}}

    assert tool_definition(explicit).fingerprint == tool_definition(implicit).fingerprint
    assert isinstance(tool_definition(explicit).run, PythonRunSpec)


def test_an_http_tool_stored_before_the_executor_fields_keeps_its_fingerprint() -> None:
    document = http_tool_document("weather", ["get_forecast"], secret_names=["api_key"])
    document["run"]["requests"]["get_forecast"]["timeout_seconds"] = 5

    # As computed by the code before body_encoding, form_arrays, retries,
    # idempotency_key and response existed (commit 974099c).
    assert tool_definition(document).fingerprint == (
        "sha256:a246c9b5a877b5e66836d059b0f40f462f4e6153f79cd30a7b0639a4c56f2b0e"
    )
