"""The stored form of a binding's ``sensitive_config``: ciphertexts, never plaintext.

Each secret is stored as ``{"key_id": ..., "ciphertext": <base64>, "updated_at": <ISO
8601>}`` (``updated_at``, when the value was set, is absent from secrets stored before
it was kept; re-encryption keeps it). The seed stored
plain strings; such values are recognised and refused until
``tool-platform secrets encrypt-plaintext`` encrypts them in place. A column that is
not an object of secrets at all (``null``, an array, text that is not JSON) is read as
no secrets, with the reason.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from adapters.storage_common.json_text import json_from_text
from application.ports import EncryptedSecret, SecretAddress, SecretCipher
from domain.errors import SecretUnreadable
from domain.secrets import Secret

PLAINTEXT_REASON = (
    "it is stored in plaintext (as the seed stored it); "
    "run `tool-platform secrets encrypt-plaintext`"
)


def is_plaintext(stored: Any) -> bool:
    """Tell whether one stored ``sensitive_config`` value is a plaintext string."""
    return isinstance(stored, str)


def seal(
    cipher: SecretCipher,
    binding_id: str,
    name: str,
    value: str,
    updated_at: datetime | str | None = None,
) -> dict[str, str]:
    """Encrypt one secret value into its stored form (with when it was set, if known)."""
    encrypted = cipher.encrypt(value, SecretAddress(binding_id, name))
    sealed = {
        "key_id": encrypted.key_id,
        "ciphertext": base64.b64encode(encrypted.ciphertext).decode(),
    }
    if updated_at is not None:
        sealed["updated_at"] = updated_at if isinstance(updated_at, str) else updated_at.isoformat()
    return sealed


def sealed_updated_at(stored: Any) -> datetime | None:
    """When a stored secret was set, if its stored form says so."""
    value = stored.get("updated_at") if isinstance(stored, dict) else None
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


class StoredSecret(Secret):
    """A secret as read from a row: decrypted only when revealed.

    Writing the binding back keeps its stored form as it is, so listing, disabling or
    unbinding a binding whose key is gone (or whose row is still plaintext) works.
    """

    __slots__ = ("binding_id", "stored")

    def __init__(self, cipher: SecretCipher, binding_id: str, name: str, stored: Any) -> None:
        super().__init__(
            source=lambda: unseal(cipher, binding_id, name, stored),
            updated_at=sealed_updated_at(stored),
        )
        self.binding_id = binding_id
        self.stored = stored


def seal_all(
    cipher: SecretCipher, binding_id: str, secrets: Mapping[str, Secret]
) -> dict[str, Any]:
    """The stored ``sensitive_config`` of a binding: new values encrypted, stored ones kept."""
    return {
        name: secret.stored
        if isinstance(secret, StoredSecret) and secret.binding_id == binding_id
        else seal(cipher, binding_id, name, secret.reveal(), secret.updated_at)
        for name, secret in secrets.items()
    }


def unseal(cipher: SecretCipher, binding_id: str, name: str, stored: Any) -> str:
    """Decrypt one stored secret.

    Raises:
        SecretUnreadable: When it is plaintext, malformed, or does not decrypt.
    """
    where = f"secret {name!r} of binding {binding_id}"
    if is_plaintext(stored):
        raise SecretUnreadable(f"{where}: {PLAINTEXT_REASON}")
    try:
        encrypted = EncryptedSecret(
            str(stored["key_id"]), base64.b64decode(stored["ciphertext"], validate=True)
        )
    except (KeyError, TypeError, ValueError):
        raise SecretUnreadable(f"{where} is not in the stored form") from None
    return cipher.decrypt(encrypted, SecretAddress(binding_id, name))


def stored_secrets(
    cipher: SecretCipher, binding_id: str, stored: Mapping[str, Any]
) -> dict[str, Secret]:
    """The secrets of a row, each decrypted only when revealed."""
    return {name: StoredSecret(cipher, binding_id, name, value) for name, value in stored.items()}


def read_sensitive_config(column: Any) -> tuple[Mapping[str, Any], str | None]:
    """Read a stored ``sensitive_config`` column: a JSON object, or JSON text of one.

    Returns:
        The stored secrets by name, and None; or no secrets and why the column is
        unusable (its value is never quoted: it may hold a secret).
    """
    value = column
    if isinstance(column, str):
        try:
            value = json_from_text(column)
        except ValueError:
            return {}, "its stored sensitive_config is not JSON"
    if not isinstance(value, dict):
        kind = "null" if value is None else type(value).__name__
        return {}, f"its stored sensitive_config is {kind}, not an object of secrets"
    return value, None


def sealed_key_ids(stored: Mapping[str, Any]) -> set[str]:
    """The ids of the keys the sealed secrets of one ``sensitive_config`` were made with."""
    return {
        value["key_id"]
        for value in stored.values()
        if isinstance(value, dict) and isinstance(value.get("key_id"), str)
    }
