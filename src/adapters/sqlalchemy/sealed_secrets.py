"""The stored form of ``agent_tools.sensitive_config``: ciphertexts, never plaintext.

Each secret is stored as ``{"key_id": ..., "ciphertext": <base64>}``. The seed stored
plain strings; such values are recognised and refused until
``tool-platform secrets encrypt-plaintext`` encrypts them in place.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

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


def seal(cipher: SecretCipher, binding_id: str, name: str, value: str) -> dict[str, str]:
    """Encrypt one secret value into its stored form."""
    encrypted = cipher.encrypt(value, SecretAddress(binding_id, name))
    return {
        "key_id": encrypted.key_id,
        "ciphertext": base64.b64encode(encrypted.ciphertext).decode(),
    }


def seal_all(
    cipher: SecretCipher, binding_id: str, secrets: Mapping[str, Secret]
) -> dict[str, dict[str, str]]:
    """Encrypt every secret of a binding into the stored ``sensitive_config``."""
    return {name: seal(cipher, binding_id, name, s.reveal()) for name, s in secrets.items()}


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


def unseal_all(
    cipher: SecretCipher, binding_id: str, stored: Mapping[str, Any]
) -> dict[str, Secret]:
    """Decrypt every stored secret of a binding.

    Raises:
        SecretUnreadable: When any of them cannot be read.
    """
    return {name: Secret(unseal(cipher, binding_id, name, value)) for name, value in stored.items()}
