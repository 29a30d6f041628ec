"""Scrubbing: the secret values of a call removed from what reaches the model."""

from __future__ import annotations

import json
from collections.abc import Iterable

from domain.secrets import REDACTED

ESCAPING_DEPTH = 4
"""How many times a secret may have been JSON-escaped and still be found (JSON text
inside a JSON string inside a JSON string...); real tools go two deep at most."""


def escaped_forms(secret: str) -> frozenset[str]:
    r"""Every form in which ``secret`` can appear in text, escaped up to :data:`ESCAPING_DEPTH`.

    The raw value; each JSON escaping of the previous forms, with non-ASCII kept or as
    ``\u`` escapes; and each of those with ``/`` escaped as ``\/`` (which JSON allows).
    """
    forms = {secret}
    layer = {secret}
    for _ in range(ESCAPING_DEPTH):
        layer = {
            json.dumps(form, ensure_ascii=ascii_only)[1:-1]
            for form in layer
            for ascii_only in (True, False)
        }
        forms |= layer
    return frozenset(forms | {form.replace("/", "\\/") for form in forms})


class Scrubber:
    """Replaces a fixed set of secret values, in every escaped form, by a mark.

    The forms are worked out once, when it is made (a tool session makes one per binding
    when it opens), so scrubbing a result costs only the replacements. Its ``repr``
    shows how many forms it holds, never one of them.

    Args:
        secrets: The secret values to remove (empty ones are ignored).
    """

    __slots__ = ("_forms",)

    def __init__(self, secrets: Iterable[str]) -> None:
        forms = {form for secret in secrets if secret for form in escaped_forms(secret)}
        self._forms = tuple(sorted(forms, key=len, reverse=True))

    @property
    def removes_nothing(self) -> bool:
        """True when there is no secret to remove (a binding without secrets)."""
        return not self._forms

    def __call__(self, text: str) -> str:
        """Return ``text`` with every form of every secret replaced by the mark."""
        for form in self._forms:
            text = text.replace(form, REDACTED)
        return text

    def __repr__(self) -> str:
        return f"Scrubber(<{len(self._forms)} forms>)"


def scrub(text: str, secrets: Iterable[str]) -> str:
    """Replace every secret value in ``text``, in any of its escaped forms, by a mark.

    Args:
        text: What is about to reach the model.
        secrets: The secret values bound to the call.

    Returns:
        The text without any of the values.
    """
    return Scrubber(secrets)(text)
