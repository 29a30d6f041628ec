"""Codecs: how a value in the shape Gemini was offered maps back to the stored shape.

Each rewrite of :mod:`adapters.gemini.adaptation` comes with a codec. ``decode`` turns
what the model sent into what the stored schema describes; ``encode`` is its inverse
(the property tests check that ``decode(encode(v)) == v``); ``locate`` turns a path in
the stored shape into the path the model saw, so an error names fields as the model
knows them. A value that does not have the offered shape is passed back unchanged: the
stored schema's validation then says what is wrong with it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from domain.json_types import JsonPath, JsonValue

TUPLE_ITEM = "item_{}"
"""The property that holds a tuple's element ``i`` in the offered object."""

PAIR_KEY = "key"
PAIR_VALUE = "value"


class Codec(Protocol):
    """Maps one value between the offered and the stored shapes."""

    def decode(self, value: JsonValue) -> JsonValue:
        """The stored-shape value for ``value`` in the offered shape."""
        ...

    def encode(self, value: JsonValue) -> JsonValue:
        """The offered-shape value for ``value`` in the stored shape."""
        ...

    def locate(self, path: JsonPath) -> JsonPath:
        """The path the model saw for ``path`` below this value in the stored shape."""
        ...


class Same:
    """The value is offered as stored."""

    def decode(self, value: JsonValue) -> JsonValue:
        """Return ``value``."""
        return value

    def encode(self, value: JsonValue) -> JsonValue:
        """Return ``value``."""
        return value

    def locate(self, path: JsonPath) -> JsonPath:
        """Return ``path``."""
        return path


SAME = Same()


def is_same(codec: Codec) -> bool:
    """Tell whether ``codec`` leaves every value as it is."""
    return isinstance(codec, Same)


@dataclass(frozen=True)
class Fields:
    """An object whose members have codecs of their own, some of them renamed.

    Attributes:
        members: Stored name -> (offered name, the member's codec).
    """

    members: dict[str, tuple[str, Codec]]
    _stored: dict[str, tuple[str, Codec]] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        by_offered = {offered: (stored, codec) for stored, (offered, codec) in self.members.items()}
        object.__setattr__(self, "_stored", by_offered)

    def decode(self, value: JsonValue) -> JsonValue:
        """Rename and decode each known member; unknown ones stay for validation to name."""
        if not isinstance(value, dict):
            return value
        decoded: dict[str, JsonValue] = {}
        for key, member in value.items():
            stored, codec = self._stored.get(key, (key, SAME))
            decoded[stored] = codec.decode(member)
        return decoded

    def encode(self, value: JsonValue) -> JsonValue:
        """Rename and encode each known member."""
        if not isinstance(value, dict):
            return value
        encoded: dict[str, JsonValue] = {}
        for key, member in value.items():
            offered, codec = self.members.get(key, (key, SAME))
            encoded[offered] = codec.encode(member)
        return encoded

    def locate(self, path: JsonPath) -> JsonPath:
        """Name the first step as the model saw it."""
        if not path or not isinstance(path[0], str) or path[0] not in self.members:
            return path
        offered, codec = self.members[path[0]]
        return (offered, *codec.locate(path[1:]))


@dataclass(frozen=True)
class Items:
    """An array whose elements have a codec."""

    element: Codec

    def decode(self, value: JsonValue) -> JsonValue:
        """Decode each element."""
        return [self.element.decode(v) for v in value] if isinstance(value, list) else value

    def encode(self, value: JsonValue) -> JsonValue:
        """Encode each element."""
        return [self.element.encode(v) for v in value] if isinstance(value, list) else value

    def locate(self, path: JsonPath) -> JsonPath:
        """Keep the index, locate below it."""
        if not path or not isinstance(path[0], int):
            return path
        return (path[0], *self.element.locate(path[1:]))


@dataclass(frozen=True)
class TupleAsObject:
    """A tuple offered as an object ``{item_0, item_1, ...}``, read back as an array.

    The elements present are taken in order up to the first one missing, so a tuple
    that allows fewer elements keeps working; a gap or an unknown key leaves the value
    as sent (the stored schema then refuses it).
    """

    elements: tuple[Codec, ...]

    def decode(self, value: JsonValue) -> JsonValue:
        """The array of the elements sent, in order."""
        if not isinstance(value, dict):
            return value
        names = [TUPLE_ITEM.format(i) for i in range(len(self.elements))]
        present = [name for name in names if name in value]
        if set(value) != set(present) or present != names[: len(present)]:
            return value
        return [
            codec.decode(value[name]) for name, codec in zip(present, self.elements, strict=False)
        ]

    def encode(self, value: JsonValue) -> JsonValue:
        """The object ``{item_i: element i}``."""
        if not isinstance(value, list) or len(value) > len(self.elements):
            return value
        return {
            TUPLE_ITEM.format(i): codec.encode(v)
            for i, (v, codec) in enumerate(zip(value, self.elements, strict=False))
        }

    def locate(self, path: JsonPath) -> JsonPath:
        """Element ``i`` is the property ``item_i``."""
        if not path or not isinstance(path[0], int) or path[0] >= len(self.elements):
            return path
        index = path[0]
        return (TUPLE_ITEM.format(index), *self.elements[index].locate(path[1:]))


@dataclass(frozen=True)
class Tokens:
    """Enum values offered as string tokens, mapped back by an exact table.

    Attributes:
        values: Token -> the stored value.
    """

    values: dict[str, JsonValue]

    def decode(self, value: JsonValue) -> JsonValue:
        """The stored value of a known token."""
        if isinstance(value, str) and value in self.values:
            return self.values[value]
        return value

    def encode(self, value: JsonValue) -> JsonValue:
        """The token of a stored value (compared as typed JSON, so 1 is not true)."""
        wanted = _typed(value)
        for token, stored in self.values.items():
            if _typed(stored) == wanted:
                return token
        return value

    def locate(self, path: JsonPath) -> JsonPath:
        """A token has no inside."""
        return ()


@dataclass(frozen=True)
class JsonText:
    """Any JSON value offered as its JSON text, parsed back."""

    def decode(self, value: JsonValue) -> JsonValue:
        """The parsed text; text that is not JSON stays text (validation says so)."""
        if not isinstance(value, str):
            return value
        try:
            parsed: JsonValue = json.loads(value)
        except ValueError:
            return value
        return parsed

    def encode(self, value: JsonValue) -> JsonValue:
        """The value's JSON text."""
        return json.dumps(value, ensure_ascii=False)

    def locate(self, path: JsonPath) -> JsonPath:
        """Inside the text: the model saw only the field."""
        return ()


@dataclass(frozen=True)
class PairsAsMap:
    """A map offered as a list of ``{key, value}`` pairs, read back as an object."""

    value: Codec

    def decode(self, value: JsonValue) -> JsonValue:
        """The object of the pairs (a malformed list stays as sent)."""
        if not isinstance(value, list):
            return value
        decoded: dict[str, JsonValue] = {}
        for pair in value:
            if (
                not isinstance(pair, dict)
                or set(pair) != {PAIR_KEY, PAIR_VALUE}
                or not isinstance(pair[PAIR_KEY], str)
                or pair[PAIR_KEY] in decoded
            ):
                return value
            decoded[pair[PAIR_KEY]] = self.value.decode(pair[PAIR_VALUE])
        return decoded

    def encode(self, value: JsonValue) -> JsonValue:
        """The pairs of an object, in its order."""
        if not isinstance(value, dict):
            return value
        return [{PAIR_KEY: k, PAIR_VALUE: self.value.encode(v)} for k, v in value.items()]

    def locate(self, path: JsonPath) -> JsonPath:
        """A key's position in the list is not known: name the map."""
        return ()


Accepts = Callable[[JsonValue], bool]
"""Tells whether a value fits one branch's schema."""


@dataclass(frozen=True)
class Branches:
    """``anyOf`` branches with codecs: the first branch whose offered schema fits decodes.

    Attributes:
        branches: (fits the offered branch, fits the stored branch, codec) per branch.
    """

    branches: tuple[tuple[Accepts, Accepts, Codec], ...]

    def decode(self, value: JsonValue) -> JsonValue:
        """Decode with the first branch the value fits as offered."""
        for offered, _, codec in self.branches:
            if offered(value):
                return codec.decode(value)
        return value

    def encode(self, value: JsonValue) -> JsonValue:
        """Encode with the first branch the value fits as stored."""
        for _, stored, codec in self.branches:
            if stored(value):
                return codec.encode(value)
        return value

    def locate(self, path: JsonPath) -> JsonPath:
        """Which branch an error is about is not known: name the field."""
        return ()


def _typed(value: JsonValue) -> str:
    return f"{type(value).__name__}:{json.dumps(value, sort_keys=True)}"
