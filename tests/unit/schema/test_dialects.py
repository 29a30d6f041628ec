"""Reading function definitions written in the supported dialects."""

from __future__ import annotations

from typing import Any

import pytest

from domain.schema.bfcl import BFCL_TYPES
from domain.schema.dialects import Dialect
from domain.schema.function_schema import FunctionSchema, import_function
from tests.unit.schema.support import schema_problems

PARAMETERS = {
    "type": "object",
    "properties": {"city": {"type": "string", "description": "City name."}},
    "required": ["city"],
}
CANONICAL = {"name": "get_weather", "description": "Current weather.", "parameters": PARAMETERS}


@pytest.mark.parametrize(
    ("data", "dialect"),
    [
        (CANONICAL, Dialect.CANONICAL),
        ({"type": "function", "function": CANONICAL}, Dialect.OPENAI),
        ({"type": "function", "function": {**CANONICAL, "strict": True}}, Dialect.OPENAI),
        ({"type": "function", **CANONICAL, "strict": False}, Dialect.OPENAI),
        (
            {
                "name": "get_weather",
                "description": "Current weather.",
                "inputSchema": PARAMETERS,
                "title": "Weather",
                "annotations": {"readOnlyHint": True},
                "outputSchema": {"type": "object"},
                "_meta": {"x": 1},
            },
            Dialect.MCP,
        ),
        (
            {
                "name": "get_weather",
                "description": "Current weather.",
                "input_schema": PARAMETERS,
                "cache_control": {"type": "ephemeral"},
            },
            Dialect.ANTHROPIC,
        ),
    ],
)
def test_dialect_is_detected_and_reads_to_the_same_schema(data: Any, dialect: Dialect) -> None:
    result = import_function(data)
    assert result.dialect is dialect
    assert result.dropped_defaults == ()
    assert result.schema == FunctionSchema("get_weather", "Current weather.", PARAMETERS)
    assert result.schema.to_dict() == CANONICAL


def test_from_dict_equals_import_function_schema() -> None:
    assert FunctionSchema.from_dict(CANONICAL) == import_function(CANONICAL).schema


def test_missing_parameters_mean_no_parameters() -> None:
    schema = FunctionSchema.from_dict({"name": "ping"})
    assert schema.parameters == {"type": "object", "properties": {}}
    assert schema.description == ""
    assert schema.validate_arguments({}) == {}


def test_mcp_tool_with_empty_input_schema_reads() -> None:
    schema = FunctionSchema.from_dict(
        {"name": "list", "inputSchema": {"type": "object", "properties": {}}}
    )
    assert schema.parameter_names == ()


def test_unknown_key_in_canonical_form_is_refused() -> None:
    problems = schema_problems(lambda: import_function({**CANONICAL, "strict": True}))
    assert [(p.path, p.message) for p in problems] == [
        (
            "strict",
            "is not a field of a function schema; the fields are: name, description, parameters",
        )
    ]


def test_openai_function_must_be_an_object() -> None:
    problems = schema_problems(lambda: import_function({"type": "function", "function": "x"}))
    assert [p.path for p in problems] == ["function"]


@pytest.mark.parametrize("data", [[CANONICAL], "get_weather", None, 3])
def test_definition_must_be_an_object(data: Any) -> None:
    problems = schema_problems(lambda: import_function(data))
    assert [(p.path, p.message) for p in problems] == [
        ("", "a function definition must be a JSON object")
    ]


@pytest.mark.parametrize("key", ["parameters", "inputSchema", "input_schema"])
def test_unknown_type_outside_bfcl_names_its_path(key: str) -> None:
    data = {"name": "f", key: {"type": "object", "properties": {"x": {"type": "float"}}}}
    problems = schema_problems(lambda: import_function(data))
    assert [p.path for p in problems] == ["parameters.properties.x.type"]
    assert "'float' is not a JSON Schema type" in problems[0].message


# --------------------------------------------------------------------------- BFCL


def bfcl(properties: dict[str, Any], **keywords: Any) -> dict[str, Any]:
    """A BFCL function doc named ``f``."""
    parameters = {"type": "dict", "properties": properties, "required": [], **keywords}
    return {"name": "f", "description": "A BFCL function.", "parameters": parameters}


def imported_parameters(data: dict[str, Any]) -> dict[str, Any]:
    result = import_function(data)
    assert result.dialect is Dialect.BFCL
    return result.schema.parameters


@pytest.mark.parametrize(
    "wrapper",
    [
        lambda doc: doc,
        lambda doc: {"type": "function", "function": doc},
        lambda doc: {
            "name": doc["name"],
            "description": doc["description"],
            "inputSchema": doc["parameters"],
        },
    ],
    ids=["canonical", "openai", "mcp"],
)
def test_bfcl_is_detected_by_dict_type_in_any_wrapper(wrapper: Any) -> None:
    result = import_function(wrapper(bfcl({"x": {"type": "float"}}, required=["x"])))
    assert result.dialect is Dialect.BFCL
    assert result.schema.parameters == {
        "type": "object",
        "properties": {"x": {"type": "number"}},
        "required": ["x"],
    }


def test_bfcl_keeps_its_foreign_keys_out_of_the_schema() -> None:
    doc = {**bfcl({}), "response": {"type": "dict", "properties": {}}}
    result = import_function(doc)
    assert result.schema.to_dict() == {
        "name": "f",
        "description": "A BFCL function.",
        "parameters": {"type": "object", "properties": {}, "required": []},
    }


@pytest.mark.parametrize(("bfcl_type", "json_type"), sorted(BFCL_TYPES.items()))
def test_every_bfcl_type_name_maps_as_the_table_says(bfcl_type: str, json_type: str | None) -> None:
    parameters = imported_parameters(bfcl({"x": {"type": bfcl_type, "description": "d"}}))
    expected = (
        {"description": "d"} if json_type is None else {"type": json_type, "description": "d"}
    )
    assert parameters["properties"]["x"] == expected


def test_bfcl_mapping_differs_from_gorilla_where_documented() -> None:
    assert BFCL_TYPES["any"] is None
    assert BFCL_TYPES[""] is None
    assert BFCL_TYPES["Boolean"] == "boolean"
    assert BFCL_TYPES["float"] == "number"
    assert BFCL_TYPES["tuple"] == "array"


def test_bfcl_any_and_empty_type_accept_any_value() -> None:
    schema = FunctionSchema.from_dict(bfcl({"a": {"type": "any"}, "b": {"type": ""}}))
    arguments = {"a": {"k": [1]}, "b": None}
    assert schema.validate_arguments(arguments) == arguments


def test_bfcl_tuple_becomes_array_with_items() -> None:
    parameters = imported_parameters(
        bfcl({"point": {"type": "tuple", "items": {"type": "float"}}}, required=["point"])
    )
    assert parameters["properties"]["point"] == {"type": "array", "items": {"type": "number"}}
    schema = FunctionSchema.from_dict(
        bfcl({"point": {"type": "tuple", "items": {"type": "float"}}}, required=["point"])
    )
    assert schema.validate_arguments({"point": [1, 2.5]}) == {"point": [1, 2.5]}


@pytest.mark.parametrize("flag", [True, "true", "True"])
def test_bfcl_optional_flag_removes_the_parameter_from_required(flag: Any) -> None:
    doc = bfcl(
        {"a": {"type": "string"}, "b": {"type": "string", "optional": flag}},
        required=["a", "b"],
    )
    parameters = imported_parameters(doc)
    assert parameters["required"] == ["a"]
    assert "optional" not in parameters["properties"]["b"]
    assert FunctionSchema.from_dict(doc).validate_arguments({"a": "x"}) == {"a": "x"}


@pytest.mark.parametrize("flag", [False, "false", None])
def test_bfcl_false_optional_flag_keeps_the_parameter_required(flag: Any) -> None:
    doc = bfcl({"b": {"type": "string", "optional": flag}}, required=["b"])
    assert imported_parameters(doc)["required"] == ["b"]


def test_bfcl_nested_optional_flag_applies_to_the_nested_required_list() -> None:
    doc = bfcl(
        {
            "o": {
                "type": "dict",
                "properties": {
                    "p": {"type": "integer"},
                    "q": {"type": "integer", "optional": True},
                },
                "required": ["p", "q"],
            }
        }
    )
    assert imported_parameters(doc)["properties"]["o"]["required"] == ["p"]


def test_bfcl_parameters_level_optional_list_removes_names_from_required() -> None:
    doc = bfcl(
        {"a": {"type": "string"}, "b": {"type": "integer"}},
        required=["a", "b"],
        optional=["b"],
    )
    parameters = imported_parameters(doc)
    assert parameters["required"] == ["a"]
    assert "optional" not in parameters
    assert FunctionSchema.from_dict(doc).validate_arguments({"a": "x"}) == {"a": "x"}


def test_bfcl_parameters_level_default_is_dropped_and_reported() -> None:
    result = import_function(bfcl({"a": {"type": "string"}}, default="a"))
    assert "default" not in result.schema.parameters
    assert result.dropped_defaults == ("parameters.default",)


@pytest.mark.parametrize("values", [["True", "False"], ["True", "False", "dontcare"]])
def test_bfcl_boolean_enum_is_dropped(values: list[str]) -> None:
    doc = bfcl({"flag": {"type": "boolean", "enum": values}})
    assert imported_parameters(doc)["properties"]["flag"] == {"type": "boolean"}
    schema = FunctionSchema.from_dict(doc)
    assert schema.validate_arguments({"flag": "true"}) == {"flag": True}


def test_bfcl_array_enum_moves_to_its_items() -> None:
    doc = bfcl({"tags": {"type": "array", "items": {"type": "string"}, "enum": ["a", "b"]}})
    assert imported_parameters(doc)["properties"]["tags"] == {
        "type": "array",
        "items": {"type": "string", "enum": ["a", "b"]},
    }
    schema = FunctionSchema.from_dict(doc)
    assert schema.validate_arguments({"tags": ["b", "a"]}) == {"tags": ["b", "a"]}


def test_bfcl_array_enum_without_items_becomes_items_enum() -> None:
    doc = bfcl({"tags": {"type": "array", "enum": ["a", "b"]}})
    assert imported_parameters(doc)["properties"]["tags"] == {
        "type": "array",
        "items": {"enum": ["a", "b"]},
    }


def test_bfcl_string_and_integer_enums_are_kept() -> None:
    doc = bfcl(
        {"u": {"type": "string", "enum": ["C", "F"]}, "n": {"type": "integer", "enum": [1, 2]}}
    )
    properties = imported_parameters(doc)["properties"]
    assert properties["u"] == {"type": "string", "enum": ["C", "F"]}
    assert properties["n"] == {"type": "integer", "enum": [1, 2]}


def test_bfcl_nested_types_are_mapped_everywhere() -> None:
    doc = bfcl(
        {
            "rows": {
                "type": "array",
                "items": {
                    "type": "dict",
                    "properties": {
                        "cells": {"type": "ArrayList", "items": {"type": "double"}},
                        "meta": {"type": "HashMap", "additionalProperties": {"type": "long"}},
                    },
                },
            }
        }
    )
    rows = imported_parameters(doc)["properties"]["rows"]
    assert rows == {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "cells": {"type": "array", "items": {"type": "number"}},
                "meta": {"type": "object", "additionalProperties": {"type": "integer"}},
            },
        },
    }


@pytest.mark.parametrize(
    ("properties", "path"),
    [
        ({"x": {"type": "floaty"}}, "parameters.properties.x.type"),
        (
            {"x": {"type": "dict", "properties": {"y": {"type": "str"}}}},
            "parameters.properties.x.properties.y.type",
        ),
        ({"x": {"type": "array", "items": {"type": "int"}}}, "parameters.properties.x.items.type"),
        ({"x": {"type": ["string", "null"]}}, "parameters.properties.x.type"),
    ],
)
def test_unknown_bfcl_type_is_an_error_naming_its_path(properties: dict, path: str) -> None:
    problems = schema_problems(lambda: import_function(bfcl(properties)))
    assert [p.path for p in problems] == [path]
    assert "is not a BFCL type name" in problems[0].message


@pytest.mark.parametrize(
    "member",
    [
        {"type": "string", "default": None},
        {"type": "integer", "default": "5"},
        {"type": "boolean", "default": "false"},
        {"type": "string", "enum": ["a", "b"], "default": "c"},
        {"type": "dict", "properties": {"p": {"type": "integer"}}, "default": {"p": "x"}},
    ],
    ids=["null", "string-for-integer", "string-for-boolean", "not-in-enum", "nested-invalid"],
)
def test_bfcl_invalid_defaults_are_dropped_and_reported(member: dict) -> None:
    result = import_function(bfcl({"x": member}))
    assert result.dropped_defaults == ("parameters.properties.x.default",)
    assert "default" not in result.schema.parameters["properties"]["x"]
    # Without its default the parameter is simply optional.
    assert result.schema.validate_arguments({}) == {}


def test_bfcl_valid_defaults_are_kept_and_applied() -> None:
    doc = bfcl(
        {"unit": {"type": "string", "default": "C"}, "any": {"type": "any", "default": None}}
    )
    result = import_function(doc)
    assert result.dropped_defaults == ()
    assert result.schema.validate_arguments({}) == {"unit": "C", "any": None}


def test_bfcl_deep_nesting_is_refused_before_conversion() -> None:
    deep: dict[str, Any] = {"type": "string"}
    for _ in range(10_000):
        deep = {"type": "dict", "properties": {"x": deep}}
    problems = schema_problems(lambda: import_function({"name": "f", "parameters": deep}))
    assert len(problems) == 1
    assert problems[0].message == "nests 17 levels deep; the limit is 16"
    assert problems[0].path.startswith("parameters.properties.x.properties.x")
