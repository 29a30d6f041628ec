"""No input makes schema checks raise anything but the platform's own errors.

Generated schemas (``wild_parameters``) and generated arguments (``wild_arguments``:
NaN, huge integers, lone surrogates, odd keys, deep nesting) go through
``FunctionSchema``: building one raises ``InvalidSchema`` or nothing, validating raises
``InvalidArguments`` or returns arguments that the schema, as written, accepts. Every
refusal stays short enough for an LLM.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from domain.errors import InvalidArguments, InvalidSchema
from domain.schema.function_schema import FunctionSchema
from domain.schema.instances import MAX_PROBLEMS
from tests.schema_suite import valid_as_written
from tests.strategies import wild_arguments, wild_parameters

MAX_PROBLEM_TEXT = 600
"""Longest path plus message of one problem (keys and quoted values are cut)."""


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(wild_parameters(), st.lists(wild_arguments(), min_size=1, max_size=3))
def test_only_invalid_schema_or_invalid_arguments_is_ever_raised(
    parameters: dict[str, Any], calls: list[Any]
) -> None:
    try:
        schema = FunctionSchema("f", "", parameters)
    except InvalidSchema:
        event("schema refused at define")
        return
    for arguments in calls:
        try:
            returned = schema.validate_arguments(arguments)
        except InvalidArguments as refused:
            event("arguments refused")
            problems = refused.problems
        else:
            event("arguments accepted")
            assert valid_as_written(schema.parameters, returned)
            continue
        assert 0 < len(problems) <= MAX_PROBLEMS + 1
        for problem in problems:
            assert len(problem.path) + len(problem.message) < MAX_PROBLEM_TEXT, problem
