"""Secret values that never show themselves."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from datetime import datetime
from typing import Final

REDACTED: Final = "********"


class Secret:
    """A secret string (an API key, a token) that hides itself in every ``repr``/``str``.

    Only :meth:`reveal` gives the value, so a secret reaches a log line, an error or a
    prompt only when code asks for it by name. A secret read from storage may be given
    as a ``source`` instead: it is decrypted the first time it is revealed, so reading a
    binding (to list it, disable it, unbind it) never needs its key.

    Args:
        value: The secret text.
        source: Produces the secret text when first revealed (instead of ``value``).
        updated_at: When the value was set, if known (shown where the value never is).
    """

    __slots__ = ("_source", "_value", "updated_at")

    def __init__(
        self,
        value: str | None = None,
        *,
        source: Callable[[], str] | None = None,
        updated_at: datetime | None = None,
    ) -> None:
        if (value is None) == (source is None):
            raise TypeError("a secret needs exactly one of a value and a source")
        if value is not None and not isinstance(value, str):
            raise TypeError("a secret value must be a string")
        self._value = value
        self._source = source
        self.updated_at = updated_at

    def reveal(self) -> str:
        """Return the secret text itself (from the source on first use).

        Raises:
            SecretUnreadable: When the source cannot produce it (a stored secret whose
                key is gone, for example).
        """
        if self._value is None:
            assert self._source is not None
            self._value = self._source()
        return self._value

    def __repr__(self) -> str:
        return f"Secret({REDACTED!r})"

    def __str__(self) -> str:
        return REDACTED

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self.reveal().encode(), other.reveal().encode())

    def __hash__(self) -> int:
        return hash(Secret)

    def __copy__(self) -> Secret:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> Secret:
        return self

    def __reduce__(self) -> str | tuple[object, ...]:
        raise TypeError("secrets are not picklable")
