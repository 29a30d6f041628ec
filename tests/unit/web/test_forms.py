"""Forms from the JSON Schema subset, read back to JSON; problems placed next to fields."""

from __future__ import annotations

import pytest

from domain.errors import Problem
from entrypoints.web.forms import FormErrors, field_kind, form_fields, place_problems, read_form

SCHEMA = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "title": "Name", "description": "Who", "maxLength": 20},
        "units": {"type": "string", "enum": ["metric", "imperial"], "default": "metric"},
        "days": {"type": "integer", "minimum": 1},
        "ratio": {"type": "number"},
        "verbose": {"type": "boolean"},
        "limits": {
            "type": "object",
            "properties": {"max": {"type": "integer"}},
            "required": ["max"],
        },
        "tags": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["name"],
}


def test_each_property_of_the_subset_gets_its_kind_of_input() -> None:
    fields = {f.key: f for f in form_fields(SCHEMA, {}, prefix="config")}
    assert {k: f.kind for k, f in fields.items()} == {
        "name": "string",
        "units": "enum",
        "days": "integer",
        "ratio": "number",
        "verbose": "boolean",
        "limits": "object",
        "tags": "json",
    }
    assert fields["name"].label == "Name"
    assert fields["name"].required
    assert fields["units"].options == ("metric", "imperial")
    assert fields["units"].value == "metric"
    assert [c.name for c in fields["limits"].children] == ["config.limits.max"]


@pytest.mark.parametrize(
    "schema",
    [
        {"type": ["string", "null"]},
        {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        {"$ref": "#/$defs/x"},
        {"type": "string", "enum": ["a", 1]},
        {"type": "integer", "const": 3},
        {"type": "object", "properties": {}, "patternProperties": {"x": {}}},
        {"type": "object"},
    ],
)
def test_anything_outside_the_subset_is_a_json_field(schema: dict[str, object]) -> None:
    assert field_kind(schema) == "json"


def test_a_schema_that_is_not_a_form_object_is_one_json_field() -> None:
    (whole,) = form_fields({"type": "array"}, [1, 2], prefix="config")
    assert (whole.name, whole.kind) == ("config", "json")
    assert read_form({"type": "array"}, {"config": '{"a": 1}'}, prefix="config") == {"a": 1}
    with pytest.raises(FormErrors) as refused:
        read_form({"type": "array"}, {"config": "[1]"}, prefix="config")
    assert refused.value.errors == {"config": "must be a JSON object"}


def test_submitted_inputs_read_back_as_typed_json() -> None:
    submitted = {
        "config.name": "Ada",
        "config.units": "imperial",
        "config.days": "3",
        "config.ratio": "0.5",
        "config.verbose": "true",
        "config.limits.max": "10",
        "config.tags": '["a", "b"]',
    }
    assert read_form(SCHEMA, submitted, prefix="config") == {
        "name": "Ada",
        "units": "imperial",
        "days": 3,
        "ratio": 0.5,
        "verbose": True,
        "limits": {"max": 10},
        "tags": ["a", "b"],
    }


def test_empty_inputs_leave_their_properties_out_and_an_unchecked_box_is_false() -> None:
    assert read_form(SCHEMA, {"config.name": "", "config.days": " "}, prefix="config") == {
        "verbose": False
    }


def test_inputs_that_do_not_read_are_named() -> None:
    submitted = {"config.days": "three", "config.ratio": "inf", "config.tags": "[1,"}
    with pytest.raises(FormErrors) as refused:
        read_form(SCHEMA, submitted, prefix="config")
    errors = refused.value.errors
    assert errors["config.days"] == "must be a whole number"
    assert errors["config.ratio"] == "must be a finite number"
    assert errors["config.tags"].startswith("is not valid JSON")


def test_values_fill_the_fields_and_typed_text_is_shown_again_as_typed() -> None:
    values = {"name": "Ada", "days": 3, "verbose": True, "tags": ["a"]}
    fields = {f.key: f for f in form_fields(SCHEMA, values, prefix="config")}
    assert (fields["name"].value, fields["days"].value) == ("Ada", "3")
    assert fields["verbose"].checked
    assert '"a"' in fields["tags"].value
    typed = {f.key: f for f in form_fields(SCHEMA, {"days": "three"}, prefix="c", as_typed=True)}
    assert typed["days"].value == "three"


def test_problems_go_to_the_deepest_field_that_holds_their_value() -> None:
    fields = form_fields(SCHEMA, {}, prefix="config")
    problems = [
        Problem("days", "must be at least 1", ("days",)),
        Problem("limits.max", "is not an integer", ("limits", "max")),
        Problem("tags[0]", "is not a string", ("tags", 0)),
        Problem("", "'name' is required", ()),
    ]
    assert place_problems(fields, problems, prefix="config") == {
        "config.days": "must be at least 1",
        "config.limits.max": "is not an integer",
        "config.tags": "is not a string",
        "config": "'name' is required",
    }
