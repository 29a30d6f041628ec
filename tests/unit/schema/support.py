"""Small builders shared by the schema unit tests."""

from __future__ import annotations

from typing import Any

import pytest

from domain.errors import InvalidArguments, InvalidSchema, Problem
from domain.schema.function_schema import FunctionSchema


def function(properties: dict[str, Any] | None = None, **keywords: Any) -> FunctionSchema:
    """A function ``f`` whose parameters object has ``properties`` and ``keywords``."""
    parameters: dict[str, Any] = {"type": "object"}
    if properties is not None:
        parameters["properties"] = properties
    parameters.update(keywords)
    return FunctionSchema("f", "A test function.", parameters)


def accepted(schema: dict[str, Any], value: Any) -> Any:
    """What a one-parameter function with ``schema`` receives when sent ``value``."""
    return function({"x": schema}).validate_arguments({"x": value})


def refusal(function_schema: FunctionSchema, arguments: Any) -> tuple[Problem, ...]:
    """The problems ``validate_arguments`` raises for ``arguments`` (it must raise)."""
    with pytest.raises(InvalidArguments) as caught:
        function_schema.validate_arguments(arguments)
    return caught.value.problems


def messages(problems: tuple[Problem, ...]) -> dict[str, str]:
    """Problems as ``{path: message}`` (asserts that no path is reported twice)."""
    found = {problem.path: problem.message for problem in problems}
    assert len(found) == len(problems), f"a path is reported twice: {problems}"
    return found


def schema_problems(build: Any) -> tuple[Problem, ...]:
    """The problems of the ``InvalidSchema`` that calling ``build()`` raises."""
    with pytest.raises(InvalidSchema) as caught:
        build()
    return caught.value.problems
