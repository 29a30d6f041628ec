"""The visual builder's edits of a tool document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from entrypoints.web.builder import (
    BuilderRefused,
    add_function,
    add_parameter,
    function_entries,
    remove_parameter,
)
from tests.builders import http_tool_document


def test_a_function_and_its_parameters_are_added_then_one_removed() -> None:
    document = http_tool_document("weather", [])
    changed = add_function(document, "get_forecast", "The forecast.")
    changed = add_parameter(changed, "get_forecast", "city", "string", "City", required=True)
    changed = add_parameter(changed, "get_forecast", "days", "array", "", required=False)
    parameters = changed["tool_functions_schema"]["functions"][0]["parameters"]
    assert parameters == {
        "type": "object",
        "properties": {
            "city": {"type": "string", "description": "City"},
            "days": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["city"],
    }
    assert document["tool_functions_schema"]["functions"] == []  # the input is not changed
    removed = remove_parameter(changed, "get_forecast", "city")
    assert "required" not in removed["tool_functions_schema"]["functions"][0]["parameters"]
    assert function_entries(removed) == [
        {
            "name": "get_forecast",
            "description": "The forecast.",
            "parameters": [{"name": "days", "type": "array", "required": False}],
        }
    ]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: add_function(d, "get_forecast", ""), "already has a function"),
        (lambda d: add_function(d, " ", ""), "needs a name"),
        (lambda d: add_parameter(d, "nope", "x", "string", "", required=False), "no function"),
        (lambda d: add_parameter(d, "get_forecast", "x", "date", "", required=False), "type"),
        (
            lambda d: add_parameter(d, "get_forecast", "text", "string", "", required=False),
            "already",
        ),
        (lambda d: remove_parameter(d, "get_forecast", "absent"), "no parameter"),
        (lambda d: add_function([], "f", ""), "JSON object"),
    ],
)
def test_an_edit_the_document_does_not_allow_is_refused_on_one_line(
    edit: Callable[[dict[str, Any]], object], message: str
) -> None:
    with pytest.raises(BuilderRefused, match=message):
        edit(http_tool_document("weather", ["get_forecast"]))


def test_entries_of_a_document_without_functions_are_empty() -> None:
    assert function_entries({"name": "x"}) == []
    assert function_entries("not a document") == []
