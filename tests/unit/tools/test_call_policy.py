"""``call_policy``: read from the tool document, checked at define, resolved with defaults."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.storage_common.tool_rows import read_stored_tool, tool_columns
from domain.errors import InvalidToolDocument
from domain.schema.limits import DEFAULT_LIMITS
from domain.tools.call_policy import EffectivePolicy
from domain.tools.definition import ToolDefinition
from domain.tools.document import read_tool_document
from tests.builders import http_tool_document, mcp_tool_document, python_tool_document


def tool(document: dict[str, Any]) -> ToolDefinition:
    return read_tool_document(document).tool


def http_with_methods(**methods: str) -> dict[str, Any]:
    document = http_tool_document("api", list(methods))
    for function, method in methods.items():
        document["run"]["requests"][function]["method"] = method
    return document


def test_http_defaults_follow_the_method() -> None:
    api = tool(http_with_methods(a="GET", b="PUT", c="DELETE", d="POST", e="PATCH"))

    effects = {name: api.policy_for(name).side_effects for name in api.function_names}

    assert effects == {
        "a": "none",
        "b": "idempotent",
        "c": "idempotent",
        "d": "unsafe",
        "e": "unsafe",
    }
    assert api.policy_for("a") == EffectivePolicy("none", 15.0, 25)


def test_mcp_defaults_follow_the_stored_annotations() -> None:
    document = mcp_tool_document("files", ["read", "write", "put", "plain"])
    document["run"]["annotations"] = {
        "read": {"readOnlyHint": True, "idempotentHint": False},
        "write": {"destructiveHint": True},
        "put": {"idempotentHint": True},
    }
    files = tool(document)

    effects = {name: files.policy_for(name).side_effects for name in files.function_names}

    assert effects == {"read": "none", "write": "unsafe", "put": "idempotent", "plain": "unsafe"}


def test_python_defaults_to_unsafe() -> None:
    echo = tool(python_tool_document("echoes", {"echo": "echo"}))

    assert echo.policy_for("echo").side_effects == "unsafe"


def test_a_function_entry_wins_over_star_which_wins_over_the_defaults() -> None:
    document = http_with_methods(read="GET", book="POST")
    document["call_policy"] = {
        "*": {"max_calls_per_session": 5, "dedupe_window_seconds": 60},
        "book": {"dedupe_window_seconds": 0},
        "read": {"side_effects": "unsafe"},
    }
    api = tool(document)

    assert api.policy_for("read") == EffectivePolicy("unsafe", 60.0, 5)
    assert api.policy_for("book") == EffectivePolicy("unsafe", 0.0, 5)
    assert not api.policy_for("book").dedupes


@pytest.mark.parametrize(
    ("policy", "path"),
    [
        ({"nope": {"side_effects": "none"}}, "call_policy.nope"),
        ({"*": {"side_effects": "harmless"}}, "call_policy.*.side_effects"),
        (
            {"get_forecast": {"dedupe_window_seconds": -1}},
            "call_policy.get_forecast.dedupe_window_seconds",
        ),
        (
            {"get_forecast": {"max_calls_per_session": 0}},
            "call_policy.get_forecast.max_calls_per_session",
        ),
        (
            {"get_forecast": {"max_calls_per_session": "5"}},
            "call_policy.get_forecast.max_calls_per_session",
        ),
        ({"get_forecast": {"retries": 2}}, "call_policy.get_forecast.retries"),
        ({"get_forecast": "none"}, "call_policy.get_forecast"),
    ],
)
def test_a_bad_policy_is_refused_with_its_path(policy: dict[str, Any], path: str) -> None:
    document = http_tool_document()
    document["call_policy"] = policy

    with pytest.raises(InvalidToolDocument) as refused:
        read_tool_document(document)

    assert path in [problem.path for problem in refused.value.problems], refused.value.problems


def test_the_policy_is_content_a_change_changes_the_fingerprint() -> None:
    plain = tool(http_tool_document())
    declared = http_tool_document()
    declared["call_policy"] = {"get_forecast": {"max_calls_per_session": 3}}

    assert "call_policy" not in plain.to_document()  # tools stored before it keep their hash
    assert tool(declared).fingerprint != plain.fingerprint
    assert tool(tool(declared).to_document()) == tool(declared)


def test_a_stored_row_keeps_the_policy_in_its_run_column_and_reads_it_back() -> None:
    declared = http_tool_document()
    declared["call_policy"] = {"*": {"side_effects": "unsafe", "dedupe_window_seconds": 20}}
    original = tool(declared)

    columns = tool_columns(original)
    restored = read_stored_tool(columns, DEFAULT_LIMITS)

    assert "call_policy" not in columns  # no column of its own
    assert columns["run"]["call_policy"] == {
        "*": {"side_effects": "unsafe", "dedupe_window_seconds": 20.0}
    }
    assert restored == original
    assert restored.fingerprint == original.fingerprint
