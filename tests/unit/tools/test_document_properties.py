"""Property tests: tool documents round-trip, whatever their kind and content."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.schema.function_schema import FunctionSchema
from domain.tools.document import read_tool_document
from tests.strategies import JSON_VALUES, TEXT, function_schemas, object_schemas

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TOOL_NAMES = st.from_regex(r"[a-z][a-z0-9_.-]{0,20}", fullmatch=True)
SECRET_NAMES = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,15}", fullmatch=True)


def _request(function: FunctionSchema, config: list[str], secrets: list[str]) -> dict[str, Any]:
    parameters = function.parameters
    required = [name for name in parameters.get("required", []) if name in function.parameter_names]
    path = "".join(f"/{{args.{name}}}" for name in required[:1])
    query = {f"q{i}": f"{{args.{name}}}" for i, name in enumerate(function.parameter_names[:2])}
    query.update({f"c{i}": f"{{config.{name}}}" for i, name in enumerate(config[:1])})
    headers = {f"X-S{i}": f"Token {{secrets.{name}}}" for i, name in enumerate(secrets)}
    return {"url": f"https://api.example.com/v1{path}", "query": query, "headers": headers}


@st.composite
def tool_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A valid tool document of any kind, with generated functions and config schema."""
    functions = draw(
        st.lists(function_schemas(), min_size=1, max_size=3, unique_by=lambda f: f.name)
    )
    config_schema = draw(object_schemas())
    secrets = draw(st.lists(SECRET_NAMES, max_size=3, unique=True))
    config = list(config_schema["properties"])
    kind = draw(st.sampled_from(["python", "http", "mcp"]))
    run: dict[str, Any]
    if kind == "python":
        run = {
            "handlers": {
                f.name: f"acme_tools.handlers:handler_{i}" for i, f in enumerate(functions)
            }
        }
    elif kind == "http":
        run = {"requests": {f.name: _request(f, config, secrets) for f in functions}}
    else:
        allowed = draw(
            st.none() | st.lists(st.sampled_from([f.name for f in functions]), unique=True)
        )
        run = {"server": {"url": "https://mcp.example.com/mcp", "allowed_functions": allowed}}
    return {
        "name": draw(TOOL_NAMES),
        "display_name": draw(TEXT),
        "description": draw(TEXT),
        "kind": kind,
        "config_schema": config_schema,
        "auth_type": draw(st.sampled_from(["none", "api_key", "oauth2"])),
        "auth_config": draw(st.dictionaries(TEXT, JSON_VALUES, max_size=3)),
        "secret_names": secrets,
        "tool_functions_schema": {"functions": [f.to_dict() for f in functions]},
        "run": run,
        "version": draw(st.integers(1, 10**6)),
    }


@SETTINGS
@given(tool_documents())
def test_a_written_document_reads_back_to_an_equal_tool(document: dict[str, Any]) -> None:
    tool = read_tool_document(document).tool

    written = tool.to_document()
    through_json = json.loads(json.dumps(written))
    again = read_tool_document(through_json).tool

    assert again == tool
    assert again.to_document() == written
    assert again.fingerprint == tool.fingerprint == written["fingerprint"]
    assert again.version == document["version"]


@SETTINGS
@given(tool_documents(), st.sampled_from(["description", "display_name", "auth_type"]))
def test_any_content_change_changes_the_fingerprint(document: dict[str, Any], field: str) -> None:
    tool = read_tool_document(document).tool
    changed = read_tool_document({**document, field: f"{document[field]} (edited)"}).tool

    assert changed.fingerprint != tool.fingerprint
