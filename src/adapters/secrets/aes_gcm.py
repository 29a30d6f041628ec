"""``AesGcmSecretCipher``: binding secrets encrypted with AES-GCM under a key ring."""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from application.ports import EncryptedSecret, SecretAddress, SecretCipher
from domain.errors import SecretUnreadable

_NONCE_BYTES = 12
_KEY_ID = re.compile(r"[A-Za-z0-9_.-]{1,64}")
_AAD_LABEL = "livekit-tool-platform/secret/v1"


class InvalidKeyRing(ValueError):
    """The configured keys cannot be used; the message says which entry and why."""


class AesGcmSecretCipher(SecretCipher):
    """Encrypts each secret with AES-GCM, bound to its binding id and secret name.

    The associated data names the binding and the secret, so a ciphertext copied into
    another binding (or under another name) does not decrypt. Each ciphertext records
    the id of its key: the first key of the ring encrypts, every key decrypts, so keys
    can be rotated without a flag day.

    Args:
        keys: ``(key id, key)`` pairs; the first one encrypts. Keys are 16, 24 or 32 bytes.
        source: Where the keys come from, named in error messages (a setting's name).
    """

    def __init__(self, keys: Sequence[tuple[str, bytes]], source: str = "the secret keys") -> None:
        if not keys:
            raise InvalidKeyRing(f"{source} holds no key")
        # Messages name entries by position, never by key id: an id that breaks a
        # rule is often key material pasted in the wrong place (``key:id``).
        ring: dict[str, AESGCM] = {}
        for position, (key_id, key) in enumerate(keys, start=1):
            if not _KEY_ID.fullmatch(key_id):
                raise InvalidKeyRing(
                    f"{source}: entry {position} needs a key id of 1-64 of A-Z a-z 0-9 _ . -"
                )
            if key_id in ring:
                raise InvalidKeyRing(
                    f"{source}: entry {position} reuses the key id of an earlier entry"
                )
            if len(key) not in (16, 24, 32):
                raise InvalidKeyRing(
                    f"{source}: the key of entry {position} must be 16, 24 or 32 bytes long"
                )
            ring[key_id] = AESGCM(key)
        self._ring = ring
        self._current = keys[0][0]
        self._source = source

    @classmethod
    def parse(cls, text: str, source: str) -> AesGcmSecretCipher:
        """Build a cipher from ``id:base64key`` entries separated by commas or whitespace.

        Raises:
            InvalidKeyRing: Naming the bad entry (never its key material).
        """
        keys = []
        for position, entry in enumerate(re.split(r"[,\s]+", text.strip()), start=1):
            key_id, separator, encoded = entry.partition(":")
            try:
                key = base64.b64decode(encoded, validate=True)
            except binascii.Error:
                key = b""
            if not separator or not key:
                raise InvalidKeyRing(f"{source}: entry {position} must be id:base64key")
            keys.append((key_id, key))
        return cls(keys, source)

    @classmethod
    def ephemeral(cls) -> AesGcmSecretCipher:
        """A cipher with a fresh random key that lives only in this process."""
        return cls([("ephemeral", AESGCM.generate_key(bit_length=256))], "the process key")

    @property
    def current_key_id(self) -> str:
        """The id of the key that encrypts."""
        return self._current

    def encrypt(self, plaintext: str, address: SecretAddress) -> EncryptedSecret:
        """Encrypt ``plaintext`` under the current key, bound to ``address``."""
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._ring[self._current].encrypt(nonce, plaintext.encode(), _aad(address))
        return EncryptedSecret(self._current, nonce + sealed)

    def decrypt(self, secret: EncryptedSecret, address: SecretAddress) -> str:
        """Decrypt a ciphertext made for ``address``.

        Raises:
            SecretUnreadable: When its key is not in the ring, or it does not
                authenticate (wrong key, altered, truncated, or moved from another
                binding).
        """
        aead = self._ring.get(secret.key_id)
        where = f"secret {address.secret_name!r} of binding {address.binding_id}"
        if aead is None:
            raise SecretUnreadable(
                f"{where} was encrypted with key {secret.key_id!r}, which {self._source} "
                "does not hold; add that key"
            )
        nonce, sealed = secret.ciphertext[:_NONCE_BYTES], secret.ciphertext[_NONCE_BYTES:]
        try:
            return aead.decrypt(nonce, sealed, _aad(address)).decode()
        except (InvalidTag, ValueError):
            raise SecretUnreadable(
                f"{where} does not decrypt with key {secret.key_id!r} of {self._source}: "
                "the key is wrong, or the ciphertext was altered or copied from another binding"
            ) from None


def _aad(address: SecretAddress) -> bytes:
    return json.dumps([_AAD_LABEL, address.binding_id, address.secret_name]).encode()
