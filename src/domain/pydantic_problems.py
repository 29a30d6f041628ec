"""Reporting pydantic validation errors as located problems."""

from __future__ import annotations

from pydantic import ValidationError

from domain.errors import Problem
from domain.json_types import JsonPath, render_path


def pydantic_problems(error: ValidationError, root: JsonPath = ()) -> list[Problem]:
    """Turn each error of a pydantic ``ValidationError`` into a :class:`Problem`.

    Args:
        error: The pydantic error.
        root: Where the validated object sits in the document.

    Returns:
        One problem per error, located by its path.
    """
    return [
        Problem(render_path((*root, *detail["loc"])), detail["msg"].lower())
        for detail in error.errors(include_url=False, include_input=False)
    ]
