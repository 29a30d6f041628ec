"""The coercion policy, one test per row of ``docs/coercion.md``.

Each test asserts the exact value the function receives, or the exact problem.
"""

from __future__ import annotations

import pytest

from domain.schema.coercion import NO_COERCION, coerce
from domain.schema.function_schema import FunctionSchema
from domain.schema.limits import SchemaLimits
from tests.unit.schema.support import accepted, function, messages, refusal

INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}
BOOLEAN = {"type": "boolean"}
STRING = {"type": "string"}


def test_value_valid_as_given_is_never_coerced() -> None:
    string_or_integer = {"anyOf": [{"type": "string"}, {"type": "integer"}]}
    assert accepted(string_or_integer, "5") == {"x": "5"}
    assert accepted({"type": ["string", "integer"]}, "5") == {"x": "5"}
    assert accepted(string_or_integer, 5) == {"x": 5}
    assert accepted(STRING, "true") == {"x": "true"}
    assert accepted({}, "5") == {"x": "5"}


@pytest.mark.parametrize(
    ("sent", "received"),
    [("5", 5), (" 42 ", 42), ("+7", 7), ("-3", -3), ("007", 7)],
)
def test_numeric_string_becomes_integer(sent: str, received: int) -> None:
    result = accepted(INTEGER, sent)
    assert result == {"x": received}
    assert type(result["x"]) is int


@pytest.mark.parametrize("sent", ["5.0", "1e3", "5.5", "five", "", "0x10"])
def test_string_that_is_not_integer_text_is_refused_for_integer(sent: str) -> None:
    problems = refusal(function({"x": INTEGER}), {"x": sent})
    assert messages(problems) == {"x": "must be an integer, not a string"}


def test_integral_float_becomes_int() -> None:
    result = accepted(INTEGER, 3.0)
    assert result == {"x": 3}
    assert type(result["x"]) is int
    nested = accepted({"type": "array", "items": INTEGER}, [1.0, 2, -0.0])
    assert nested == {"x": [1, 2, 0]}
    assert [type(item) for item in nested["x"]] == [int, int, int]
    for optional_integer in (
        {"type": ["integer", "null"]},
        {"anyOf": [INTEGER, {"type": "null"}]},  # pydantic's Optional[int]
        {"oneOf": [INTEGER, STRING]},
    ):
        assert type(accepted(optional_integer, 3.0)["x"]) is int
    # Where a number is also accepted, 3.0 is a number as given and stays a float.
    assert type(accepted(NUMBER, 3.0)["x"]) is float
    assert type(accepted({"type": ["integer", "number"]}, 3.0)["x"]) is float
    assert type(accepted({"anyOf": [INTEGER, NUMBER]}, 3.0)["x"]) is float


def test_non_integral_float_is_refused_for_integer() -> None:
    problems = refusal(function({"x": INTEGER}), {"x": 3.5})
    assert messages(problems) == {"x": "must be an integer, not a number"}


@pytest.mark.parametrize(
    ("sent", "received"),
    [("2.5", 2.5), (" -0.25 ", -0.25), (".5", 0.5), ("1e3", 1000.0), ("3", 3)],
)
def test_numeric_string_becomes_number(sent: str, received: float) -> None:
    result = accepted(NUMBER, sent)
    assert result == {"x": received}
    assert type(result["x"]) is type(received)


@pytest.mark.parametrize("sent", ["nan", "NaN", "Infinity", "1e999", "1,5", "2.5.1"])
def test_non_finite_or_malformed_number_text_is_refused(sent: str) -> None:
    problems = refusal(function({"x": NUMBER}), {"x": sent})
    assert messages(problems) == {"x": "must be a number, not a string"}


@pytest.mark.parametrize(
    ("sent", "received"),
    [("true", True), ("false", False), ("TRUE", True), (" False ", False), ("tRuE", True)],
)
def test_true_false_text_becomes_boolean(sent: str, received: bool) -> None:
    assert accepted(BOOLEAN, sent) == {"x": received}


@pytest.mark.parametrize("sent", ["yes", "1", 1, 0, "t"])
def test_other_values_are_refused_for_boolean(sent: object) -> None:
    problems = refusal(function({"x": BOOLEAN}), {"x": sent})
    kind = "a string" if isinstance(sent, str) else "an integer"
    assert messages(problems) == {"x": f"must be a boolean (true or false), not {kind}"}


@pytest.mark.parametrize(
    ("sent", "received"),
    [(3, "3"), (-12, "-12"), (2.5, "2.5"), (3.0, "3.0"), (1e20, "1e+20")],
)
def test_number_becomes_its_json_text_for_string(sent: float, received: str) -> None:
    assert accepted(STRING, sent) == {"x": received}


def test_boolean_is_refused_for_string() -> None:
    problems = refusal(function({"x": STRING}), {"x": True})
    assert messages(problems) == {"x": "must be a string, not a boolean"}


def test_json_text_becomes_object_or_array() -> None:
    assert accepted({"type": "object"}, ' {"a": [1, 2]} ') == {"x": {"a": [1, 2]}}
    assert accepted({"type": "array"}, '["a", 1]') == {"x": ["a", 1]}
    items = {"type": "array", "items": INTEGER}
    assert accepted(items, "[1, 2]") == {"x": [1, 2]}


@pytest.mark.parametrize(
    ("schema", "sent", "message"),
    [
        ({"type": "object"}, "[1]", "must be an object, not a string"),
        ({"type": "array"}, '{"a": 1}', "must be an array, not a string"),
        ({"type": "object"}, '{"a": NaN}', "must be an object, not a string"),
        ({"type": "object"}, "{not json}", "must be an object, not a string"),
        # The parsed value must satisfy the schema as it stands.
        ({"type": "array", "items": INTEGER}, '["1"]', "must be an array, not a string"),
    ],
)
def test_json_text_of_the_wrong_shape_is_refused(schema: dict, sent: str, message: str) -> None:
    assert messages(refusal(function({"x": schema}), {"x": sent})) == {"x": message}


def test_coerced_value_must_satisfy_the_whole_field_schema() -> None:
    at_least_ten = {"type": "integer", "minimum": 10}
    assert accepted(at_least_ten, "12") == {"x": 12}
    problems = refusal(function({"x": at_least_ten}), {"x": "5"})
    assert messages(problems) == {"x": "must be an integer, not a string"}
    assert accepted({"type": "integer", "enum": [1, 2]}, "2") == {"x": 2}
    assert accepted({"type": "string", "enum": ["1", "2"]}, 2) == {"x": "2"}


def test_enum_value_in_another_case_becomes_the_one_matching_member() -> None:
    genre = {"type": "string", "enum": ["Horror", "Comedy"]}
    assert accepted(genre, "horror") == {"x": "Horror"}
    assert accepted(genre, " COMEDY ") == {"x": "Comedy"}
    assert accepted({"type": "array", "items": genre}, ["comedy"]) == {"x": ["Comedy"]}
    two_cases = {"type": "string", "enum": ["A", "a", "B"]}
    assert accepted(two_cases, "b") == {"x": "B"}
    problems = refusal(function({"x": two_cases}), {"x": " A "})
    assert messages(problems) == {"x": 'must be one of: "A", "a", "B"'}
    problems = refusal(function({"x": genre}), {"x": "thriller"})
    assert messages(problems) == {"x": 'must be one of: "Horror", "Comedy"'}


def test_coercion_picks_the_first_branch_that_fits() -> None:
    assert accepted({"oneOf": [INTEGER, BOOLEAN]}, "true") == {"x": True}
    assert accepted({"anyOf": [INTEGER, BOOLEAN]}, "7") == {"x": 7}


def test_null_for_optional_parameter_is_left_out_and_default_applies() -> None:
    schema = function({"a": {"type": "integer", "default": 3}, "b": STRING})
    assert schema.validate_arguments({"a": None, "b": None}) == {"a": 3}


def test_null_for_required_parameter_is_refused() -> None:
    schema = function({"a": STRING}, required=["a"])
    assert messages(refusal(schema, {"a": None})) == {"a": "must be a string, not null"}


@pytest.mark.parametrize(
    "schema",
    [
        {"type": ["string", "null"], "default": "x"},
        {"anyOf": [STRING, {"type": "null"}], "default": "x"},
        {},
    ],
)
def test_null_is_kept_when_the_schema_accepts_it(schema: dict) -> None:
    assert accepted(schema, None) == {"x": None}


def test_missing_parameter_gets_its_default() -> None:
    schema = function(
        {
            "limit": {"type": "integer", "default": 10},
            "tags": {"type": "array", "items": STRING, "default": ["a"]},
            "filter": {
                "type": "object",
                "properties": {"on": {"type": "boolean", "default": True}},
            },
        }
    )
    first = schema.validate_arguments({"filter": {}})
    assert first == {"limit": 10, "tags": ["a"], "filter": {"on": True}}
    first["tags"].append("changed")
    assert schema.validate_arguments({})["tags"] == ["a"]
    assert schema.parameters["properties"]["tags"]["default"] == ["a"]


@pytest.mark.parametrize("n", [5, "5"], ids=["nothing-coerced", "another-field-coerced"])
def test_defaults_inside_an_applied_default_apply_too(n: object) -> None:
    schema = function(
        {
            "opts": {
                "type": "object",
                "properties": {"depth": {"type": "integer", "default": 1}},
                "default": {},
            },
            "n": INTEGER,
        }
    )
    assert schema.validate_arguments({"n": n}) == {"n": 5, "opts": {"depth": 1}}


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf")])
def test_nan_and_infinity_are_refused(bad: float) -> None:
    schema = function({"x": NUMBER, "y": {"type": "array"}})
    problems = refusal(schema, {"x": bad, "y": [1, bad]})
    message = "must be a finite number (NaN and Infinity are not JSON)"
    assert messages(problems) == {"x": message, "y[1]": message}


def test_lone_surrogates_are_refused() -> None:
    schema = function({"x": STRING, "y": {"type": "object"}})
    problems = refusal(schema, {"x": "ab\ud800", "y": {"\udc00": 1}})
    assert messages(problems) == {
        "x": "contains a lone surrogate, which is not valid Unicode",
        "y": "has a key that is not valid Unicode text",
    }


def test_nesting_deeper_than_max_argument_depth_is_refused() -> None:
    limits = SchemaLimits(max_argument_depth=4)
    schema = FunctionSchema("f", "", {"type": "object", "properties": {"x": {}}}, limits)
    assert schema.validate_arguments({"x": [[["ok"]]]}) == {"x": [[["ok"]]]}
    problems = refusal(schema, {"x": [[[["too deep"]]]]})
    assert messages(problems) == {"x[0][0][0]": "nests deeper than 4 levels of arrays and objects"}


def test_undeclared_argument_is_refused_listing_the_declared_ones() -> None:
    schema = function({"city": STRING, "unit": STRING})
    problems = refusal(schema, {"city": "Paris", "units": "C"})
    assert messages(problems) == {"units": "is not declared; declared arguments: city, unit"}


def test_undeclared_argument_passes_when_additional_properties_allows_it() -> None:
    assert function({"a": STRING}, additionalProperties=True).validate_arguments(
        {"a": "x", "extra": [1]}
    ) == {"a": "x", "extra": [1]}
    typed = function({"a": STRING}, additionalProperties=INTEGER)
    assert typed.validate_arguments({"a": "x", "n": "4"}) == {"a": "x", "n": 4}
    problems = refusal(typed, {"a": "x", "n": "four"})
    assert messages(problems) == {"n": "must be an integer, not a string"}
    patterned = function({"a": STRING}, patternProperties={"^x_": {}})
    assert patterned.validate_arguments({"x_1": 1}) == {"x_1": 1}


def test_object_without_properties_is_free_form() -> None:
    value = {"any": {"nested": [1, "two", None]}, "other": True}
    assert accepted({"type": "object"}, value) == {"x": value}
    assert function().validate_arguments({"anything": 1}) == {"anything": 1}


def test_anything_else_is_refused_naming_field_and_rule() -> None:
    schema = function(
        {
            "n": {"type": "integer", "minimum": 1},
            "s": {"type": "string", "maxLength": 3, "pattern": "^[a-z]+$"},
            "e": {"enum": ["a", "b"]},
            "l": {"type": "array", "minItems": 2},
        },
        required=["n"],
    )
    problems = refusal(schema, {"n": 0, "s": "ABCD", "e": "c", "l": [1]})
    assert sorted((problem.path, problem.message) for problem in problems) == [
        ("e", 'must be one of: "a", "b"'),
        ("l", "must have at least 2 items"),
        ("n", "must be at least 1"),
        ("s", "must be at most 3 characters long"),
        ("s", "must match the regular expression ^[a-z]+$"),
    ]


def test_coerce_returns_no_coercion_for_unknown_types() -> None:
    assert coerce("x", "null") is NO_COERCION
    assert coerce(1, "unknown") is NO_COERCION
