"""The offering port: the schema a model is offered for a function, and the way back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from domain.json_types import JsonPath, JsonValue
from domain.schema.function_schema import FunctionSchema

ArgumentDecoder = Callable[[JsonValue], JsonValue]
"""Turns the arguments a model sent for the offered schema into the stored schema's shape."""


PathEncoder = Callable[[JsonPath], JsonPath]
"""Turns a path in the stored arguments into the path the model saw, for error messages."""


def unchanged(arguments: JsonValue) -> JsonValue:
    """The decoder of a function offered as stored: the arguments as they came."""
    return arguments


def same_path(path: JsonPath) -> JsonPath:
    """The path encoder of a function offered as stored: the path as it is."""
    return path


@dataclass(frozen=True)
class OfferedFunction:
    """What the model is offered for one function, and how its arguments come back.

    Attributes:
        schema: The schema the model sees.
        decode: Maps the model's arguments back to the stored schema's shape, before
            they are validated against it.
        locate: Names a field of the stored shape as the model saw it, so an error
            about the arguments speaks in the model's names.
    """

    schema: FunctionSchema
    decode: ArgumentDecoder = unchanged
    locate: PathEncoder = same_path


class SchemaOffering(Protocol):
    """Decides what a target model is offered for each stored function."""

    def offer(self, function: FunctionSchema) -> OfferedFunction:
        """Return the schema the model sees for ``function`` and its decoder."""
        ...
