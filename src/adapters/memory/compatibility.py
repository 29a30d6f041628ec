"""``InMemoryModelCompatibility``: a target model that accepts every valid function."""

from __future__ import annotations

from application.ports import CompatibilityVerdict, ModelCompatibility
from domain.schema.function_schema import FunctionSchema


class InMemoryModelCompatibility(ModelCompatibility):
    """Accepts every function that passed the platform's own rules.

    For offline runs and tests; the Gemini adapter is the real check.
    """

    @property
    def target(self) -> str:
        """The model family checked against."""
        return "any model"

    def check(self, function: FunctionSchema) -> CompatibilityVerdict:
        """Accept ``function``."""
        return CompatibilityVerdict(accepted=True)
