"""A local key file for the embedded default, so secrets are never stored in plaintext.

When no ``TOOL_PLATFORM_SECRET_KEYS`` is configured and the storage is the embedded
SQLite database, a random AES-256 key is generated once into a file readable by its
owner only, and used from then on.
"""

from __future__ import annotations

import base64
import os
import stat
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from adapters.secrets.aes_gcm import AesGcmSecretCipher, InvalidKeyRing

KEY_ID = "local"


def load_or_create_key_file(
    path: Path,
    announce: Callable[[str], None],
    setting: str,
    stored_key_ids: Callable[[], set[str]],
) -> AesGcmSecretCipher:
    """Read the key ring in ``path``, creating the file with a new key if it is missing.

    A key is never generated over existing secrets: when the file is missing but the
    database holds secrets sealed with some key, that key went missing, and this refuses.

    Args:
        path: The key file (``id:base64key`` entries, like the setting).
        announce: Tells the operator, once, that a key file was created.
        setting: The name of the setting that would supply keys instead (for messages).
        stored_key_ids: The ids of the keys the stored secrets were sealed with.

    Returns:
        A cipher over the file's keys.

    Raises:
        InvalidKeyRing: When the file is readable by others or does not hold keys, or
            is missing while stored secrets need a key.
    """
    source = f"the key file {path} (or {setting})"
    if not path.exists() and (missing := stored_key_ids()):
        raise InvalidKeyRing(
            f"the database holds secrets sealed with key {', '.join(sorted(missing))}, but the "
            f"key file {path} is missing and {setting} is not set: restore the key file from "
            f"its backup (or put that key in {setting}); or, to give those secrets up, set "
            f"{setting} to a new key and set each binding's secrets again "
            "(`tool-platform agents secrets set`)"
        )
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read(path, source)
    key = base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()
    with os.fdopen(descriptor, "w") as file:
        file.write(f"{KEY_ID}:{key}\n")
    announce(
        f"No {setting} is set: generated a secret key into {path} (mode 0600). "
        "Keep it and back it up: stored secrets cannot be read without it."
    )
    return _read(path, source)


def _read(path: Path, source: str) -> AesGcmSecretCipher:
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise InvalidKeyRing(f"{source} is readable by other users; run `chmod 600 {path}`")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidKeyRing(
            f"{source} is not a key file: it is not text (id:base64key lines)"
        ) from None
    return AesGcmSecretCipher.parse(text, source)
