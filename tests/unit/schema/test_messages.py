"""Refusals stay short and name every field, whatever the keys and values sent."""

from __future__ import annotations

import pytest

from domain.errors import InvalidArguments
from domain.schema.function_schema import FunctionSchema
from domain.schema.instances import MAX_PROBLEMS
from domain.schema.scan import MAX_INTEGER_DIGITS
from tests.unit.schema.support import function, messages, refusal

SCHEMA = function(
    {
        "a": {"type": "string", "enum": ["x" * 300]},
        "b": {"type": "object", "properties": {"c": {"type": "integer"}}},
        "s": {"type": "string", "pattern": "^[a-z]{1,3}$"},
    }
)
MIB = 1024 * 1024


def error_text(arguments: object) -> str:
    with pytest.raises(InvalidArguments) as caught:
        SCHEMA.validate_arguments(arguments)
    return str(caught.value)


def test_an_undeclared_empty_key_is_named() -> None:
    assert messages(refusal(SCHEMA, {"": 1})) == {
        '""': "is not declared; declared arguments: a, b, s"
    }
    assert messages(refusal(SCHEMA, {"b": {"": 1}})) == {
        'b.""': "is not declared; declared fields of b: c"
    }


def test_a_huge_undeclared_key_is_cut_and_its_length_given() -> None:
    text = error_text({"k" * MIB: 1})
    assert len(text) < 300
    assert f"{'k' * 40}... ({MIB} characters): is not declared" in text


def test_huge_values_are_never_echoed() -> None:
    for arguments in ({"a": "y" * MIB}, {"s": "Z" * MIB}, {"b": {"c": "9" * MIB}}):
        assert len(error_text(arguments)) < 400


def test_a_long_enum_member_is_cut() -> None:
    assert messages(refusal(SCHEMA, {"a": "y"})) == {
        "a": f'must be one of: "{"x" * 99}... (302 characters)'
    }


def test_an_integer_too_long_to_print_is_refused_cleanly() -> None:
    assert messages(refusal(SCHEMA, {"b": {"c": -(10**5000)}})) == {
        "b.c": f"is an integer of more than {MAX_INTEGER_DIGITS} digits"
    }
    assert SCHEMA.validate_arguments({"b": {"c": 10**4300 - 1}}) == {"b": {"c": 10**4300 - 1}}


def test_at_most_max_problems_are_listed_and_the_rest_counted() -> None:
    problems = refusal(SCHEMA, {f"u{i:02}": i for i in range(50)})
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1].message == f"({50 - MAX_PROBLEMS} more problems not shown)"


@pytest.mark.parametrize(
    ("key", "shown"),
    [
        (" ", '" "'),
        ("a.b", '"a.b"'),
        ("tab\there", '"tab\\there"'),
        ("año_vehiculo", "año_vehiculo"),
    ],
)
def test_an_undeclared_key_that_is_not_plainly_readable_is_quoted(key: str, shown: str) -> None:
    schema = FunctionSchema.from_dict(
        {"name": "f", "parameters": {"type": "object", "properties": {"a": {}}}}
    )

    with pytest.raises(InvalidArguments) as refused:
        schema.validate_arguments({key: 1})

    assert f"{shown}: is not declared" in str(refused.value)
