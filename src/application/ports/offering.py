"""The offering port: the schema a model is offered for a function, and the way back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from domain.json_types import JsonValue
from domain.schema.function_schema import FunctionSchema

ArgumentDecoder = Callable[[JsonValue], JsonValue]
"""Turns the arguments a model sent for the offered schema into the stored schema's shape."""


def unchanged(arguments: JsonValue) -> JsonValue:
    """The decoder of a function offered as stored: the arguments as they came."""
    return arguments


@dataclass(frozen=True)
class OfferedFunction:
    """What the model is offered for one function, and how its arguments come back.

    Attributes:
        schema: The schema the model sees.
        decode: Maps the model's arguments back to the stored schema's shape, before
            they are validated against it.
    """

    schema: FunctionSchema
    decode: ArgumentDecoder = unchanged


class SchemaOffering(Protocol):
    """Decides what a target model is offered for each stored function."""

    def offer(self, function: FunctionSchema) -> OfferedFunction:
        """Return the schema the model sees for ``function`` and its decoder."""
        ...
