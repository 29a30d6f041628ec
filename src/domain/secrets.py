"""Secret values that never show themselves."""

from __future__ import annotations

import hmac
from typing import Final

REDACTED: Final = "********"


class Secret:
    """A secret string (an API key, a token) that hides itself in every ``repr``/``str``.

    Only :meth:`reveal` gives the value, so a secret reaches a log line, an error or a
    prompt only when code asks for it by name.

    Args:
        value: The secret text.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError("a secret value must be a string")
        self._value = value

    def reveal(self) -> str:
        """Return the secret text itself."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret({REDACTED!r})"

    def __str__(self) -> str:
        return REDACTED

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash((Secret, len(self._value)))

    def __copy__(self) -> Secret:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> Secret:
        return self

    def __reduce__(self) -> str | tuple[object, ...]:
        raise TypeError("secrets are not picklable")
