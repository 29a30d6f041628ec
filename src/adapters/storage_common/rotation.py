"""Re-encrypting one binding's stored secrets: the policy of ``secrets rotate``.

A secret that cannot be read is reported and left as it is; the others are resealed,
so one bad secret never stops the rotation of the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from adapters.storage_common.sealed_secrets import (
    is_plaintext,
    read_sensitive_config,
    seal,
    sealed_updated_at,
    unseal,
)
from application.ports import ResealReport, SecretCipher, UnreadableSecret
from domain.errors import SecretUnreadable

Selection = Literal["sealed", "plaintext"]
"""Which secrets to reseal: the sealed ones (rotation) or the seed's plaintext ones."""


@dataclass(frozen=True)
class Resealed:
    """What resealing one binding's ``sensitive_config`` did.

    Attributes:
        stored: The new stored form (the old one where nothing changed).
        count: How many secrets were resealed.
        unreadable: The secrets left as they were because they cannot be read.
    """

    stored: Mapping[str, Any]
    count: int = 0
    unreadable: tuple[UnreadableSecret, ...] = field(default=())


def reseal(cipher: SecretCipher, binding_id: str, column: Any, selection: Selection) -> Resealed:
    """Reseal the selected secrets of one stored ``sensitive_config`` under the current key.

    Args:
        cipher: The key ring; its first key seals.
        binding_id: The binding the secrets belong to (their ciphertexts are bound to it).
        column: The stored column, as read.
        selection: Which secrets to reseal.
    """
    stored, problem = read_sensitive_config(column)
    if problem is not None:
        return Resealed(stored, unreadable=(UnreadableSecret(binding_id, None, problem),))
    resealed = dict(stored)
    count = 0
    unreadable = []
    for name, value in stored.items():
        if is_plaintext(value) != (selection == "plaintext"):
            continue
        try:
            plain = value if is_plaintext(value) else unseal(cipher, binding_id, name, value)
        except SecretUnreadable as error:
            unreadable.append(UnreadableSecret(binding_id, name, str(error)))
            continue
        sealed = seal(cipher, binding_id, name, plain, sealed_updated_at(value))
        if is_plaintext(value) or value["key_id"] != sealed["key_id"]:
            resealed[name] = sealed
            count += 1
    return Resealed(resealed, count, tuple(unreadable))


def reseal_all(
    cipher: SecretCipher, columns: Iterable[tuple[str, Any]], selection: Selection
) -> tuple[ResealReport, dict[str, Mapping[str, Any]]]:
    """Reseal the selected secrets of many bindings, going on past unreadable ones.

    Args:
        cipher: The key ring; its first key seals.
        columns: Each binding's id and stored ``sensitive_config``, as read.
        selection: Which secrets to reseal.

    Returns:
        What was done, and the new stored form of each binding that changed, by id.
    """
    count = 0
    unreadable: list[UnreadableSecret] = []
    changed: dict[str, Mapping[str, Any]] = {}
    for binding_id, column in columns:
        outcome = reseal(cipher, binding_id, column, selection)
        unreadable.extend(outcome.unreadable)
        if outcome.count:
            count += outcome.count
            changed[binding_id] = outcome.stored
    return ResealReport(count, tuple(unreadable)), changed
