"""``FunctionSchema.validate_arguments``: what the function receives, or why not."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from domain.schema.function_schema import FunctionSchema
from tests.unit.schema.support import accepted, function, messages, refusal

ORDER = function(
    {
        "customer": {"type": "string", "minLength": 1},
        "express": {"type": "boolean", "default": False},
        "size": {"type": "string", "enum": ["S", "M", "L"]},
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "quantity": {"type": "integer", "minimum": 1, "default": 1},
                },
                "required": ["name"],
            },
        },
        "note": {"type": ["string", "null"]},
    },
    required=["customer", "items"],
)


def test_valid_arguments_come_back_with_defaults() -> None:
    result = ORDER.validate_arguments({"customer": "Ann", "items": [{"name": "tea"}]})
    assert result == {
        "customer": "Ann",
        "express": False,
        "items": [{"name": "tea", "quantity": 1}],
    }


def test_every_failing_field_is_named() -> None:
    problems = refusal(
        ORDER,
        {
            "express": "maybe",
            "size": "XL",
            "items": [{"name": "tea", "quantity": 0}, {"quantity": 2}, {"name": ["x"]}],
            "colour": "red",
        },
    )
    assert messages(problems) == {
        "colour": "is not declared; declared arguments: customer, express, size, items, note",
        "customer": "is required but missing",
        "express": "must be a boolean (true or false), not a string",
        "items[0].quantity": "must be at least 1",
        "items[1].name": "is required but missing",
        "items[2].name": "must be a string, not an array",
        "size": 'must be one of: "S", "M", "L"',
    }


def test_problems_are_sorted_by_path_and_never_repeated() -> None:
    schema = function(
        {"a": {"type": "string"}, "b": {"type": "string"}, "c": {"type": "string"}},
        required=["c", "a", "b"],
    )
    problems = refusal(schema, {})
    assert [(p.path, p.message) for p in problems] == [
        ("a", "is required but missing"),
        ("b", "is required but missing"),
        ("c", "is required but missing"),
    ]


def test_error_text_names_function_and_fields() -> None:
    with pytest.raises(Exception) as caught:  # noqa: PT011 - the text is what is checked
        ORDER.validate_arguments({"customer": "Ann"})
    assert str(caught.value) == (
        "Invalid arguments for f; fix these and call again: items: is required but missing"
    )


def test_nested_undeclared_field_lists_the_declared_ones() -> None:
    problems = refusal(ORDER, {"customer": "Ann", "items": [{"name": "tea", "colour": "red"}]})
    assert messages(problems) == {
        "items[0].colour": "is not declared; declared fields of items[0]: name, quantity"
    }


def test_undeclared_argument_with_no_parameters_declared() -> None:
    problems = refusal(function({}), {"x": 1})
    assert messages(problems) == {"x": "is not declared; declared arguments: none"}


def test_messages_never_echo_the_value() -> None:
    secret = "sk-live-" + "z" * 40
    problems = refusal(function({"n": {"type": "integer"}}), {"n": secret})
    assert all(secret not in str(problem) for problem in problems)


@pytest.mark.parametrize("arguments", [None, [], "{}", 3, True])
def test_arguments_must_be_an_object(arguments: Any) -> None:
    problems = refusal(ORDER, arguments)
    assert messages(problems) == {"arguments": "must be a JSON object with named arguments"}


def test_additional_properties_true_lets_extras_through() -> None:
    schema = function({"a": {"type": "string"}}, additionalProperties=True)
    assert schema.validate_arguments({"a": "x", "b": {"c": 1}}) == {"a": "x", "b": {"c": 1}}


def test_string_or_integer_keeps_numeric_text_but_integer_converts_it() -> None:
    assert accepted({"anyOf": [{"type": "string"}, {"type": "integer"}]}, "5") == {"x": "5"}
    assert accepted({"type": "integer"}, "5") == {"x": 5}


def test_integral_float_becomes_int_for_integer() -> None:
    result = accepted({"type": "integer"}, 3.0)
    assert result == {"x": 3}
    assert isinstance(result["x"], int)


def test_null_for_optional_means_left_out_and_its_default_applies() -> None:
    schema = function({"unit": {"type": "string", "default": "C"}, "n": {"type": "integer"}})
    assert schema.validate_arguments({"unit": None, "n": None}) == {"unit": "C"}


def test_null_for_optional_nested_field_is_left_out() -> None:
    result = ORDER.validate_arguments(
        {"customer": "Ann", "items": [{"name": "tea", "quantity": None}]}
    )
    assert result["items"] == [{"name": "tea", "quantity": 1}]


def test_null_is_kept_when_the_schema_accepts_null() -> None:
    result = ORDER.validate_arguments({"customer": "Ann", "items": [], "note": None})
    assert result == {"customer": "Ann", "express": False, "items": [], "note": None}


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_nan_and_infinity_are_refused_anywhere(bad: float) -> None:
    problems = refusal(ORDER, {"customer": "Ann", "items": [{"name": "tea", "quantity": bad}]})
    assert messages(problems) == {
        "items[0].quantity": "must be a finite number (NaN and Infinity are not JSON)"
    }


def test_pathologically_deep_arguments_are_refused_cleanly() -> None:
    value: Any = "leaf"
    for _ in range(10_000):
        value = {"k": [value]}
    problems = refusal(function({"x": {}}), {"x": value})
    assert len(problems) == 1
    assert problems[0].message == "nests deeper than 32 levels of arrays and objects"


def test_deep_json_text_is_not_coerced() -> None:
    text = "[" * 10_000 + "]" * 10_000
    problems = refusal(function({"x": {"type": "array"}}), {"x": text})
    assert messages(problems) == {"x": "must be an array, not a string"}


def test_json_text_that_nests_too_deep_once_parsed_is_refused() -> None:
    text = "[" * 40 + "]" * 40
    problems = refusal(function({"x": {"type": "array"}}), {"x": text})
    assert messages(problems) == {"x": "must be an array, not a string"}


def test_megabyte_string_is_fine() -> None:
    big = "x" * (1024 * 1024)
    assert accepted({"type": "string", "maxLength": 2 * 1024 * 1024}, big) == {"x": big}


def test_input_is_never_mutated() -> None:
    arguments = {
        "customer": "Ann",
        "express": "true",
        "note": None,
        "items": [{"name": "tea", "quantity": "2"}, {"name": "cake", "quantity": None}],
    }
    snapshot = copy.deepcopy(arguments)
    result = ORDER.validate_arguments(arguments)
    assert arguments == snapshot
    assert result["items"] == [{"name": "tea", "quantity": 2}, {"name": "cake", "quantity": 1}]
    assert result["express"] is True
    result["items"].append({"name": "x"})
    assert arguments == snapshot


def test_input_is_not_mutated_when_refused() -> None:
    arguments = {"customer": None, "items": [{"quantity": "3"}], "size": None}
    snapshot = copy.deepcopy(arguments)
    refusal(ORDER, arguments)
    assert arguments == snapshot


def test_schema_is_not_mutated_by_validation() -> None:
    before = ORDER.to_dict()
    ORDER.validate_arguments({"customer": "Ann", "items": [{"name": "tea"}]})
    assert ORDER.to_dict() == before


def test_composed_objects_are_not_closed() -> None:
    schema = function(
        {
            "shape": {
                "oneOf": [
                    {
                        "type": "object",
                        "properties": {"kind": {"const": "circle"}, "r": {"type": "number"}},
                        "required": ["kind", "r"],
                        "additionalProperties": False,
                    },
                    {
                        "type": "object",
                        "properties": {"kind": {"const": "square"}, "side": {"type": "number"}},
                        "required": ["kind", "side"],
                        "additionalProperties": False,
                    },
                ]
            }
        }
    )
    assert schema.validate_arguments({"shape": {"kind": "square", "side": 2}}) == {
        "shape": {"kind": "square", "side": 2}
    }
    problems = refusal(schema, {"shape": {"kind": "triangle"}})
    assert [p.path for p in problems] == ["shape"]
    assert problems[0].message.startswith("does not match any of the allowed forms")


def test_all_of_members_are_not_closed() -> None:
    schema = function(
        {
            "p": {
                "allOf": [
                    {"type": "object", "properties": {"a": {"type": "string"}}},
                    {"type": "object", "properties": {"b": {"type": "string"}}},
                ]
            }
        }
    )
    assert schema.validate_arguments({"p": {"a": "x", "b": "y"}}) == {"p": {"a": "x", "b": "y"}}


# ------------------------------------------------------------------------ formats

FORMATS = {
    "date-time": ("2024-05-01T12:30:00Z", "2024-05-01 noon"),
    "date": ("2024-05-01", "2024-13-01"),
    "time": ("12:30:00+02:00", "25:99:00"),
    "uri": ("https://example.com/a?b=1", "not a uri"),
    "hostname": ("api.example.com", "-bad-.example..com"),
    "email": ("someone@example.com", "not-an-email"),
    "ipv4": ("192.168.0.1", "256.1.1.1"),
    "ipv6": ("2001:db8::1", "2001:db8:::1"),
    "uuid": ("123e4567-e89b-12d3-a456-426614174000", "123e4567-e89b-12d3-a456"),
    "duration": ("P1DT2H", "1 day"),
}


DRAFT_07 = "http://json-schema.org/draft-07/schema#"
DRAFT_07_FORMATS = sorted(set(FORMATS) - {"duration", "uuid"})  # added in 2019-09


def format_schema(name: str, draft: str | None) -> FunctionSchema:
    parameters: dict[str, Any] = {
        "type": "object",
        "properties": {"x": {"type": "string", "format": name}},
    }
    if draft:
        parameters["$schema"] = draft
    return FunctionSchema("f", "", parameters)


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_format_rejects_a_bad_value_and_accepts_a_good_one(name: str) -> None:
    good, bad = FORMATS[name]
    schema = format_schema(name, None)
    assert schema.validate_arguments({"x": good}) == {"x": good}
    assert messages(refusal(schema, {"x": bad})) == {"x": f"must be a valid {name}"}


@pytest.mark.parametrize("name", DRAFT_07_FORMATS)
def test_format_is_enforced_under_draft_07_too(name: str) -> None:
    good, bad = FORMATS[name]
    schema = format_schema(name, DRAFT_07)
    assert schema.validate_arguments({"x": good}) == {"x": good}
    assert messages(refusal(schema, {"x": bad})) == {"x": f"must be a valid {name}"}
