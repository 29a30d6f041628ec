"""The model-compatibility port: which functions a target model accepts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from domain.schema.function_schema import FunctionSchema


@dataclass(frozen=True)
class CompatibilityVerdict:
    """Whether a target model accepts a function, and why not.

    Attributes:
        accepted: True when the model accepts it as it is.
        reasons: Why not (empty when accepted).
        warnings: What the model would not be told although it accepts the function
            (a constraint the conversion drops, a rule reported but not enforced).
    """

    accepted: bool
    reasons: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


class ModelCompatibility(Protocol):
    """Which functions a target model accepts."""

    @property
    def target(self) -> str:
        """The model family checked against (for messages)."""
        ...

    def check(self, function: FunctionSchema) -> CompatibilityVerdict:
        """Tell whether the target model accepts ``function``, and why not."""
        ...
