"""A domain error as the admin UI shows it: the API's status, a message, located problems."""

from typing import Any

from domain.errors import DomainError, ProblemsError
from entrypoints.api.problems import domain_problem
from entrypoints.commands.output import one_line


def refusal(error: DomainError) -> tuple[int, dict[str, Any]]:
    """The status the API answers ``error`` with, and the refusal template's values."""
    status = domain_problem(error).status_code
    if isinstance(error, ProblemsError):
        return status, {"message": error.summary, "problems": [str(p) for p in error.problems]}
    return status, {"message": one_line(error), "problems": []}
