"""Which objects refuse undeclared keys: plain objects only (the rule in ``strict.py``)."""

from __future__ import annotations

from typing import Any

import pytest

from domain.schema.function_schema import FunctionSchema
from domain.schema.strict import close_objects
from tests.unit.schema.support import function, messages, refusal

POINT = {"type": "object", "properties": {"x": {"type": "integer"}}}


def closed_paths(parameters: dict[str, Any]) -> list[str]:
    """The JSON Pointers of the nodes ``close_objects`` closes."""
    found = []
    stack: list[tuple[Any, str]] = [(close_objects(parameters), "")]
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict):
            if node.get("additionalProperties") is False:
                found.append(where)
            stack.extend((v, f"{where}/{k}") for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, f"{where}/{i}") for i, v in enumerate(node))
    return sorted(found)


def test_plain_objects_are_closed_at_any_depth() -> None:
    parameters = {
        "type": "object",
        "properties": {
            "p": POINT,
            "list": {"type": "array", "items": POINT},
            "tuple": {"type": "array", "prefixItems": [POINT]},
            "map": {"type": "object", "additionalProperties": POINT},
        },
    }
    assert closed_paths(parameters) == [
        "",
        "/properties/list/items",
        "/properties/map/additionalProperties",
        "/properties/p",
        "/properties/tuple/prefixItems/0",
    ]


def test_a_not_of_an_object_is_not_loosened() -> None:
    schema = function({"v": {"not": {"type": "object", "properties": {"p": {"type": "integer"}}}}})
    assert messages(refusal(schema, {"v": {"p": 1, "z": 2}})) == {
        "v": "is a value the schema excludes"
    }
    assert schema.validate_arguments({"v": 3}) == {"v": 3}


def test_a_one_of_whose_members_both_match_refuses_the_value() -> None:
    schema = function(
        {
            "v": {
                "oneOf": [
                    {"type": "object", "properties": {"a": {"type": "integer"}}},
                    {"type": "object", "properties": {"b": {"type": "integer"}}},
                ]
            }
        }
    )
    assert messages(refusal(schema, {"v": {"a": 1, "b": 2}})) == {
        "v": "matches more than one of the allowed forms; it must match exactly one"
    }


def test_pydantic_all_of_ref_with_extra_properties_accepts_valid_arguments() -> None:
    parameters = {
        "type": "object",
        "$defs": {"Base": {"type": "object", "properties": {"id": {"type": "integer"}}}},
        "properties": {
            "item": {
                "allOf": [
                    {"$ref": "#/$defs/Base"},
                    {"properties": {"name": {"type": "string"}}},
                ]
            }
        },
    }
    schema = FunctionSchema("f", "", parameters)
    assert schema.validate_arguments({"item": {"id": "1", "name": "n"}}) == {
        "item": {"id": 1, "name": "n"}
    }


def test_unevaluated_properties_idiom_accepts_valid_and_refuses_undeclared_keys() -> None:
    schema = function(
        {
            "v": {
                "type": "object",
                "anyOf": [
                    {"properties": {"a": {"type": "integer"}}, "required": ["a"]},
                    {"properties": {"b": {"type": "integer"}}, "required": ["b"]},
                ],
                "unevaluatedProperties": False,
            }
        }
    )
    assert schema.validate_arguments({"v": {"a": 1, "b": 2}}) == {"v": {"a": 1, "b": 2}}
    assert refusal(schema, {"v": {"a": 1, "z": 2}})


@pytest.mark.parametrize(
    "combined",
    [
        {"anyOf": [POINT, {"type": "string"}]},
        {"oneOf": [POINT, {"type": "string"}]},
        {"if": POINT, "then": POINT, "else": POINT},
        {"type": "object", "dependentSchemas": {"x": POINT}},
        {"contains": POINT, "maxContains": 1},
    ],
)
def test_members_of_combinations_are_left_as_written(combined: dict[str, Any]) -> None:
    parameters = {"type": "object", "properties": {"v": combined}}
    assert closed_paths(parameters) == [""]


def test_a_reference_target_is_closed_only_when_every_reference_is_a_plain_alias() -> None:
    defs = {"P": POINT}
    alias = {"$ref": "#/$defs/P", "description": "a point"}
    only_aliases = {"type": "object", "$defs": defs, "properties": {"a": alias, "b": alias}}
    assert closed_paths(only_aliases) == ["", "/$defs/P"]
    also_negated = {**only_aliases, "properties": {"a": alias, "n": {"not": alias}}}
    assert closed_paths(also_negated) == [""]
    with_siblings = {
        "type": "object",
        "$defs": defs,
        "properties": {"a": {**alias, "required": []}},
    }
    assert closed_paths(with_siblings) == [""]


def test_a_recursive_model_referred_to_by_aliases_is_closed() -> None:
    node = {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}},
        },
    }
    parameters = {
        "type": "object",
        "$defs": {"Node": node},
        "properties": {"root": {"$ref": "#/$defs/Node"}},
    }
    assert closed_paths(parameters) == ["", "/$defs/Node"]
    schema = FunctionSchema("f", "", parameters)
    problems = refusal(schema, {"root": {"name": "a", "children": [{"name": "b", "x": 1}]}})
    assert [p.path for p in problems] == ["root.children[0].x"]


def test_a_root_that_is_the_target_of_a_non_alias_reference_is_left_open() -> None:
    parameters = {
        "type": "object",
        "properties": {"a": {"type": "integer"}, "self": {"not": {"$ref": "#"}}},
    }
    assert closed_paths(parameters) == []
