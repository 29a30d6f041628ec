"""The one walk of a schema that the diagnosis and the warnings share: what the converter visits."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.gemini import GeminiConverterCheck
from adapters.gemini.traversal import Child, visited_children
from tests.unit.gemini.support import function

INTEGER_ENUM: dict[str, Any] = {"type": "integer", "enum": [1, 2]}
"""A schema the converter refuses wherever it visits it, and ignores anywhere else."""


def children(node: dict[str, Any], root: dict[str, Any] | None = None) -> list[Child]:
    return list(visited_children(root or node, node, ("at",)))


def test_an_array_visits_its_tuple_members_then_items_then_its_branches() -> None:
    first, second, items, branch = {"type": "string"}, {"type": "number"}, {}, {"type": "null"}
    node = {"type": "array", "prefixItems": [first, second], "items": items, "anyOf": [branch]}

    assert children(node) == [
        Child(first, ("at", "prefixItems", 0), "prefixItems"),
        Child(second, ("at", "prefixItems", 1), "prefixItems"),
        Child(items, ("at", "items"), "items"),
        Child(branch, ("at", "anyOf", 0), "anyOf"),
    ]


def test_an_object_visits_its_properties_in_order() -> None:
    city, days = {"type": "string"}, {"type": "integer"}
    node = {"type": "object", "properties": {"city": city, "days": days}}

    assert children(node) == [
        Child(city, ("at", "properties", "city"), "properties"),
        Child(days, ("at", "properties", "days"), "properties"),
    ]


@pytest.mark.parametrize(
    "node",
    [
        {"properties": {"x": {"type": "string"}}},
        {"type": "array", "properties": {"x": {"type": "string"}}},
        {"items": {"type": "string"}, "prefixItems": [{"type": "string"}]},
        {"type": "object", "items": {"type": "string"}},
        {"type": "object", "oneOf": [{"type": "string"}], "allOf": [{"type": "string"}]},
        {"type": "object", "additionalProperties": {"type": "string"}},
        {"type": "array", "items": [{"type": "string"}], "anyOf": "not a list"},
    ],
    ids=str,
)
def test_members_the_converter_leaves_alone_are_not_visited(node: dict[str, Any]) -> None:
    assert children(node) == []


def test_a_reference_is_its_definition_merged_over_the_other_keywords() -> None:
    root = {"$defs": {"Size": {"type": "string", "enum": ["s", "m"]}}}
    node = {"$ref": "#/$defs/Size", "description": "The size.", "type": "integer"}

    [child] = children(node, root)

    assert child == Child(
        {"description": "The size.", "type": "string", "enum": ["s", "m"]},
        ("$defs", "Size"),
        "$ref",
    )


@pytest.mark.parametrize("ref", ["#/definitions/Size", "#/$defs/Missing", "#", 3])
def test_a_reference_the_converter_does_not_follow_leads_nowhere(ref: Any) -> None:
    root = {"$defs": {"Size": {"type": "string"}}}
    node = {"$ref": ref, "type": "object", "properties": {"x": {"type": "string"}}}

    assert children(node, root) == []


@pytest.mark.parametrize(
    ("value", "where"),
    [
        ({"type": "object", "properties": {"size": INTEGER_ENUM}}, ".properties.size"),
        ({"type": "array", "items": INTEGER_ENUM}, ".items"),
        ({"anyOf": [{"type": "string"}, INTEGER_ENUM]}, ".anyOf[1]"),
        ({"$ref": "#/$defs/Size", "description": "A size."}, None),
    ],
    ids=str,
)
def test_the_converter_refuses_a_bad_node_where_the_walk_visits_it(
    gemini: GeminiConverterCheck, value: dict[str, Any], where: str | None
) -> None:
    schema = function({"value": value}, **{"$defs": {"Size": INTEGER_ENUM}})

    verdict = gemini.check(schema)

    located = "parameters.$defs.Size" if where is None else f"parameters.properties.value{where}"
    assert not verdict.accepted
    assert verdict.reasons[0].startswith(f"{located}: enum holds integer values")


@pytest.mark.parametrize(
    "value",
    [
        {"type": "object", "oneOf": [INTEGER_ENUM]},
        {"type": "object", "additionalProperties": INTEGER_ENUM},
    ],
    ids=str,
)
def test_the_converter_ignores_a_bad_node_where_the_walk_does_not_go(
    gemini: GeminiConverterCheck, value: dict[str, Any]
) -> None:
    assert gemini.check(function({"value": value})).accepted
