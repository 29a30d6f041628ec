"""Gemini's documented parameter-name rule: breaking it is a warning, never a rejection."""

from __future__ import annotations

import pytest

from adapters.gemini.rules import parameter_name_warning


@pytest.mark.parametrize("name", ["a", "_x", "snake_case_2", "B" * 64])
def test_parameter_names_under_the_documented_rule(name: str) -> None:
    assert parameter_name_warning(name) is None


@pytest.mark.parametrize("name", ["año", "a-b", "a.b", "2nd", "B" * 65, "$ref", ""])
def test_parameter_names_outside_the_documented_rule(name: str) -> None:
    warning = parameter_name_warning(name)

    assert warning is not None
    assert f"parameter name {name!r} breaks Gemini's documented rule" in warning
