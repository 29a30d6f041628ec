"""How long a function's descriptions may be: the model reads them in every session."""

from __future__ import annotations

from domain.errors import Problem
from domain.json_types import render_path
from domain.schema.function_schema import FunctionSchema
from domain.schema.limits import SchemaLimits
from domain.schema.walk import iter_schemas


def description_problems(
    function: FunctionSchema, limits: SchemaLimits, root: str
) -> list[Problem]:
    """Find the descriptions of ``function`` longer than the limits allow.

    The function's own description is held to ``max_description_chars``; the
    ``description`` of every schema inside its parameters (a property, array items, an
    ``anyOf`` member...) to ``max_parameter_description_chars``. A property that is
    merely *named* ``description`` is a schema, not a description, and is not counted.

    Args:
        function: The function to check.
        limits: The limits in force.
        root: How to name the function in the problems' paths.

    Returns:
        One problem per description that is too long, in document order.
    """
    problems = []
    if len(function.description) > limits.max_description_chars:
        problems.append(
            _too_long(f"{root}.description", function.description, limits.max_description_chars)
        )
    for schema, path in iter_schemas(function.parameters):
        description = schema.get("description")
        if (
            isinstance(description, str)
            and len(description) > limits.max_parameter_description_chars
        ):
            where = render_path((*path, "description"), f"{root}.parameters")
            problems.append(_too_long(where, description, limits.max_parameter_description_chars))
    return problems


def _too_long(where: str, description: str, limit: int) -> Problem:
    return Problem(where, f"is {len(description)} characters long; at most {limit} are accepted")
