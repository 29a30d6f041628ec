"""Tool documents: the seed's shape in, canonical documents out, fingerprints and versions."""

import copy
from typing import Any

import pytest

from domain.errors import InvalidConfig, InvalidToolDocument
from domain.tools.document import read_tool_document
from domain.tools.fingerprint import content_fingerprint

SEED_ROW: dict[str, Any] = {
    "id": "7d5e8c1a-0000-4000-8000-000000000001",
    "name": "google_calendar",
    "display_name": "Google Calendar",
    "description": "Read and create calendar events.",
    "kind": "http",
    "config_schema": {
        "type": "object",
        "properties": {
            "calendar_id": {"type": "string", "default": "primary"},
            "default_event_duration": {"type": "integer", "minimum": 5, "default": 30},
        },
    },
    "auth_type": "oauth2",
    "auth_config": {"scopes": ["https://www.googleapis.com/auth/calendar"]},
    "secret_names": ["access_token"],
    "tool_functions_schema": {
        "functions": [
            {
                "type": "function",
                "function": {
                    "name": "list_events",
                    "description": "List events in a time range.",
                    "parameters": {
                        "type": "object",
                        "properties": {
                            "time_min": {"type": "string", "format": "date-time"},
                            "max_results": {"type": "integer", "default": None},
                        },
                        "required": ["time_min"],
                    },
                },
            }
        ]
    },
    "run": {
        "requests": {
            "list_events": {
                "url": "https://www.googleapis.com/calendar/v3/calendars/{config.calendar_id}/events",
                "query": {"timeMin": "{args.time_min}", "maxResults": "{args.max_results}"},
                "headers": {"Authorization": "Bearer {secrets.access_token}"},
            }
        }
    },
    "created_at": "2025-01-01T00:00:00Z",
}


def test_a_seed_row_reads_with_its_functions_in_canonical_form() -> None:
    imported = read_tool_document(SEED_ROW)

    tool = imported.tool
    assert tool.display_name == "Google Calendar"
    assert tool.secret_names == ("access_token",)
    assert tool.function("list_events").to_dict()["parameters"]["properties"]["max_results"] == {
        "type": "integer"
    }
    assert imported.dropped_defaults == (
        "tool_functions_schema.functions[0].parameters.properties.max_results.default",
    )


def test_the_written_document_reads_back_to_an_equal_tool() -> None:
    tool = read_tool_document(SEED_ROW).tool

    document = tool.to_document()
    again = read_tool_document(document).tool

    assert again == tool
    assert again.to_document() == document
    assert document["fingerprint"] == tool.fingerprint
    assert document["tool_functions_schema"]["functions"][0]["name"] == "list_events"


def test_the_fingerprint_ignores_bookkeeping_but_not_content() -> None:
    tool = read_tool_document(SEED_ROW).tool
    renumbered = read_tool_document({**SEED_ROW, "version": 7, "updated_at": "later"}).tool
    edited = copy.deepcopy(SEED_ROW)
    edited["description"] = "Something else."

    assert renumbered.fingerprint == tool.fingerprint
    assert renumbered.version == 7
    assert read_tool_document(edited).tool.fingerprint != tool.fingerprint
    assert tool.fingerprint == content_fingerprint(tool.to_document(), tool.run)


def test_an_unknown_field_is_refused_by_name() -> None:
    with pytest.raises(InvalidToolDocument, match="tool_function_schema: extra inputs"):
        read_tool_document({**SEED_ROW, "tool_function_schema": {}})


def test_every_problem_of_a_document_is_reported_with_its_path() -> None:
    document = copy.deepcopy(SEED_ROW)
    document["tool_functions_schema"]["functions"].append(
        {"name": "9bad", "parameters": {"type": "object", "properties": {"x": {"type": "float"}}}}
    )
    document["run"]["requests"]["list_events"]["timeout_seconds"] = -1

    with pytest.raises(InvalidToolDocument) as error:
        read_tool_document(document)

    problems = [str(problem) for problem in error.value.problems]
    assert any(p.startswith("tool_functions_schema.functions[1].name: ") for p in problems)
    assert any(
        p.startswith("tool_functions_schema.functions[1].parameters.properties.x.type: ")
        for p in problems
    )
    assert any(p.startswith("run.requests.list_events.timeout_seconds: ") for p in problems)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"name": "Google Calendar"}, "name: must be lowercase"),
        ({"secret_names": ["access_token", "access_token"]}, "secret_names: lists a name twice"),
        ({"secret_names": ["access token"]}, "is not an identifier"),
        ({"kind": "python"}, "run.handlers: field required"),
        ({"config_schema": {"type": "array"}}, 'config_schema.type: must be "object"'),
        ({"tool_functions_schema": {"functions": []}}, "must list at least one function"),
    ],
)
def test_tool_level_rules(change: dict[str, Any], expected: str) -> None:
    with pytest.raises(InvalidToolDocument) as error:
        read_tool_document({**SEED_ROW, **change})

    assert expected in str(error.value)


def test_duplicate_function_names_are_refused() -> None:
    document = copy.deepcopy(SEED_ROW)
    functions = document["tool_functions_schema"]["functions"]
    functions.append(copy.deepcopy(functions[0]))

    with pytest.raises(InvalidToolDocument, match="function name 'list_events' appears twice"):
        read_tool_document(document)


def test_binding_config_is_validated_with_defaults_applied() -> None:
    tool = read_tool_document(SEED_ROW).tool

    assert tool.validate_config({"calendar_id": "team"}) == {
        "calendar_id": "team",
        "default_event_duration": 30,
    }
    with pytest.raises(InvalidConfig) as error:
        tool.validate_config({"default_event_duration": 1, "colour": "red"})
    assert "default_event_duration: must be at least 5" in str(error.value)
    assert "colour: is not declared; declared config: calendar_id, default_event_duration" in str(
        error.value
    )


def test_an_empty_config_schema_means_no_config() -> None:
    tool = read_tool_document(
        {
            **SEED_ROW,
            "config_schema": {},
            "run": {
                "requests": {
                    "list_events": {"url": "https://www.googleapis.com/calendar/v3/events"}
                }
            },
        }
    ).tool

    assert tool.validate_config({}) == {}
    with pytest.raises(InvalidConfig):
        tool.validate_config({"anything": 1})
