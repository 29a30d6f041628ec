"""``AesGcmSecretCipher``: authenticated, address-bound, rotatable encryption of secrets."""

from __future__ import annotations

import base64
import dataclasses

import pytest

from adapters.secrets.aes_gcm import AesGcmSecretCipher, InvalidKeyRing
from application.ports import EncryptedSecret, SecretAddress
from domain.errors import SecretUnreadable
from tests.builders import CANARY, assert_no_secret

OLD_KEY = bytes(range(32))
NEW_KEY = bytes(range(100, 132))
HERE = SecretAddress("binding-1", "api_key")


def b64(key: bytes) -> str:
    return base64.b64encode(key).decode()


def test_a_secret_decrypts_at_the_address_it_was_encrypted_for() -> None:
    cipher = AesGcmSecretCipher([("k1", OLD_KEY)])

    sealed = cipher.encrypt(CANARY, HERE)

    assert sealed.key_id == "k1"
    assert CANARY.encode() not in sealed.ciphertext
    assert cipher.decrypt(sealed, HERE) == CANARY


def test_encrypting_twice_gives_different_ciphertexts() -> None:
    cipher = AesGcmSecretCipher([("k1", OLD_KEY)])

    assert cipher.encrypt(CANARY, HERE) != cipher.encrypt(CANARY, HERE)


@pytest.mark.parametrize(
    "elsewhere",
    [SecretAddress("binding-2", "api_key"), SecretAddress("binding-1", "other_key")],
    ids=["another-binding", "another-secret-name"],
)
def test_a_ciphertext_copied_to_another_address_does_not_decrypt(
    elsewhere: SecretAddress,
) -> None:
    cipher = AesGcmSecretCipher([("k1", OLD_KEY)])
    sealed = cipher.encrypt(CANARY, HERE)

    with pytest.raises(SecretUnreadable) as caught:
        cipher.decrypt(sealed, elsewhere)

    assert elsewhere.binding_id in str(caught.value)
    assert_no_secret(str(caught.value))


def test_a_ciphertext_under_an_unknown_key_id_is_unreadable_naming_the_key_id() -> None:
    sealed = AesGcmSecretCipher([("retired-2023", OLD_KEY)]).encrypt(CANARY, HERE)
    cipher = AesGcmSecretCipher([("k1", NEW_KEY)], source="TOOL_PLATFORM_SECRET_KEYS")

    with pytest.raises(SecretUnreadable) as caught:
        cipher.decrypt(sealed, HERE)

    assert "retired-2023" in str(caught.value)
    assert "TOOL_PLATFORM_SECRET_KEYS" in str(caught.value)


def test_a_ciphertext_under_a_different_key_with_the_same_id_is_unreadable() -> None:
    sealed = AesGcmSecretCipher([("k1", OLD_KEY)]).encrypt(CANARY, HERE)

    with pytest.raises(SecretUnreadable, match="k1"):
        AesGcmSecretCipher([("k1", NEW_KEY)]).decrypt(sealed, HERE)


def test_an_altered_ciphertext_is_unreadable() -> None:
    cipher = AesGcmSecretCipher([("k1", OLD_KEY)])
    sealed = cipher.encrypt(CANARY, HERE)
    flipped = bytes([sealed.ciphertext[-1] ^ 1])
    altered = dataclasses.replace(sealed, ciphertext=sealed.ciphertext[:-1] + flipped)

    with pytest.raises(SecretUnreadable):
        cipher.decrypt(altered, HERE)


def test_two_ephemeral_ciphers_cannot_read_each_others_secrets() -> None:
    sealed = AesGcmSecretCipher.ephemeral().encrypt(CANARY, HERE)

    with pytest.raises(SecretUnreadable):
        AesGcmSecretCipher.ephemeral().decrypt(sealed, HERE)


def test_a_rotated_ring_reads_old_ciphertexts_and_encrypts_with_the_new_key() -> None:
    old_sealed = AesGcmSecretCipher([("old", OLD_KEY)]).encrypt("old value", HERE)
    rotated = AesGcmSecretCipher([("new", NEW_KEY), ("old", OLD_KEY)])

    new_sealed = rotated.encrypt("new value", HERE)

    assert rotated.current_key_id == "new"
    assert new_sealed.key_id == "new"
    assert rotated.decrypt(old_sealed, HERE) == "old value"
    assert rotated.decrypt(new_sealed, HERE) == "new value"


def test_reordering_the_ring_changes_only_which_key_encrypts() -> None:
    old_sealed = AesGcmSecretCipher([("old", OLD_KEY)]).encrypt("old value", HERE)
    new_sealed = AesGcmSecretCipher([("new", NEW_KEY)]).encrypt("new value", HERE)
    reordered = AesGcmSecretCipher([("old", OLD_KEY), ("new", NEW_KEY)])

    assert reordered.current_key_id == "old"
    assert reordered.decrypt(old_sealed, HERE) == "old value"
    assert reordered.decrypt(new_sealed, HERE) == "new value"


def test_encrypted_secret_repr_shows_neither_plaintext_nor_ciphertext() -> None:
    sealed = AesGcmSecretCipher([("k1", OLD_KEY)]).encrypt(CANARY, HERE)

    shown = repr(sealed)

    assert_no_secret(shown)
    assert repr(sealed.ciphertext) not in shown
    assert "k1" in shown


@pytest.mark.parametrize(
    "separator",
    [",", ", ", " ", "\n", ",\n  "],
    ids=["comma", "comma-space", "space", "newline", "mixed"],
)
def test_parse_reads_id_colon_base64_entries_and_the_first_encrypts(separator: str) -> None:
    text = f"new:{b64(NEW_KEY)}{separator}old:{b64(OLD_KEY)}"
    old_sealed = AesGcmSecretCipher([("old", OLD_KEY)]).encrypt("old value", HERE)

    cipher = AesGcmSecretCipher.parse(text, "KEYS")

    assert cipher.current_key_id == "new"
    assert cipher.decrypt(old_sealed, HERE) == "old value"
    assert cipher.decrypt(cipher.encrypt(CANARY, HERE), HERE) == CANARY


def test_parse_accepts_16_24_and_32_byte_keys() -> None:
    text = f"a:{b64(OLD_KEY[:16])} b:{b64(OLD_KEY[:24])} c:{b64(OLD_KEY)}"

    assert AesGcmSecretCipher.parse(text, "KEYS").current_key_id == "a"


KEY_A = b64(OLD_KEY)
KEY_B = b64(NEW_KEY)
ID_LIKE_KEY = b64(b"A" * 24)
"""A 24-byte key whose base64 text also passes as a key id (no ``+ / =``)."""

BAD_RINGS = {
    "empty": "",
    "no-separator": KEY_A,
    "no-id": f":{KEY_A}",
    "not-base64": f"k1:{KEY_A}!!",
    "empty-key": "k1:",
    "short-key": f"k1:{b64(OLD_KEY[:10])}",
    "bad-id": f"bad/id:{KEY_A}",
    "duplicate-id": f"k1:{KEY_A},k1:{KEY_B}",
    "key-and-id-swapped": f"{KEY_A}:{KEY_B}",
    "id-like-key-and-id-swapped": f"{ID_LIKE_KEY}:key1",
    "id-like-key-duplicated": f"{ID_LIKE_KEY}:{KEY_A},{ID_LIKE_KEY}:{KEY_B}",
    "second-entry-bad": f"k1:{KEY_A},k2:{KEY_B[:-4]}",
}


@pytest.mark.parametrize("text", BAD_RINGS.values(), ids=BAD_RINGS.keys())
def test_parse_refuses_a_bad_ring_without_repeating_key_material(text: str) -> None:
    with pytest.raises(InvalidKeyRing) as caught:
        AesGcmSecretCipher.parse(text, "TOOL_PLATFORM_SECRET_KEYS")

    message = str(caught.value)
    assert "TOOL_PLATFORM_SECRET_KEYS" in message
    for material in (KEY_A, KEY_B, ID_LIKE_KEY, KEY_A[:16], KEY_B[:16], ID_LIKE_KEY[:16]):
        assert material not in message, f"key material in: {message!r}"


def test_parse_names_the_entry_that_is_wrong() -> None:
    with pytest.raises(InvalidKeyRing, match="entry 2"):
        AesGcmSecretCipher.parse(f"k1:{KEY_A},k2:{b64(OLD_KEY[:10])}", "KEYS")


def test_a_ring_without_keys_is_refused() -> None:
    with pytest.raises(InvalidKeyRing, match="no key"):
        AesGcmSecretCipher([], "KEYS")


def test_a_cipher_rejects_an_encrypted_secret_with_no_ciphertext() -> None:
    cipher = AesGcmSecretCipher([("k1", OLD_KEY)])

    with pytest.raises(SecretUnreadable):
        cipher.decrypt(EncryptedSecret("k1", b""), HERE)
