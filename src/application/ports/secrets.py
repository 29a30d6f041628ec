"""The secret cipher port: authenticated encryption of binding secrets at rest."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class SecretAddress:
    """What a ciphertext is bound to: it decrypts only at this address.

    Attributes:
        binding_id: The binding's stable id.
        secret_name: The secret's name.
    """

    binding_id: str
    secret_name: str


@dataclass(frozen=True)
class EncryptedSecret:
    """A ciphertext and the id of the key that made it.

    Attributes:
        key_id: The key's id (a key ring may hold several).
        ciphertext: The encrypted value (nonce included).
    """

    key_id: str
    ciphertext: bytes

    def __repr__(self) -> str:
        return f"EncryptedSecret(key_id={self.key_id!r}, ciphertext=<{len(self.ciphertext)} bytes>)"


class SecretCipher(Protocol):
    """Authenticated encryption of binding secrets at rest."""

    def encrypt(self, plaintext: str, address: SecretAddress) -> EncryptedSecret:
        """Encrypt ``plaintext`` under the current key, bound to ``address``."""
        ...

    def decrypt(self, secret: EncryptedSecret, address: SecretAddress) -> str:
        """Decrypt a ciphertext made for ``address``.

        Raises:
            SecretUnreadable: When the key is unknown or the ciphertext does not
                authenticate (wrong key, tampered, or copied from another address).
        """
        ...
