"""Gemini's naming rules: function names are enforced, parameter names only documented."""

from __future__ import annotations

import pytest

from adapters.gemini.rules import function_name_reason, parameter_name_warning


@pytest.mark.parametrize(
    "name", ["a", "_private", "math.factorial", "ns:tool-name", "A" * 64, "get_v2"]
)
def test_function_names_gemini_accepts(name: str) -> None:
    assert function_name_reason(name) is None


@pytest.mark.parametrize(
    "name", ["", "1st", "-dash", ".dot", "A" * 65, "has space", "año", "a/b", "a\n"]
)
def test_function_names_gemini_refuses(name: str) -> None:
    reason = function_name_reason(name)

    assert reason is not None
    assert reason.startswith(f"name {name!r}: Gemini refuses it")


@pytest.mark.parametrize("name", ["a", "_x", "snake_case_2", "B" * 64])
def test_parameter_names_under_the_documented_rule(name: str) -> None:
    assert parameter_name_warning(name) is None


@pytest.mark.parametrize("name", ["año", "a-b", "a.b", "2nd", "B" * 65, "$ref", ""])
def test_parameter_names_outside_the_documented_rule(name: str) -> None:
    warning = parameter_name_warning(name)

    assert warning is not None
    assert f"parameter name {name!r} breaks Gemini's documented rule" in warning
